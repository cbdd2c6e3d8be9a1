//! `kvgit check-attr`: which type, strategy and gc class apply to keys, and why.

use super::Ctx;
use super::merge::StrategyArgs;
use super::output::print_json;
use clap::Args;
use serde_json::json;
use std::io::Write;

#[derive(Debug, Args)]
pub struct CheckAttrArgs {
    #[arg(required = true)]
    pub keys: Vec<String>,
    /// The strategy flags merge would be given, to preview their effect
    #[command(flatten)]
    pub strategies: StrategyArgs,
}

pub fn run(ctx: &Ctx, args: CheckAttrArgs) -> anyhow::Result<i32> {
    for k in &args.keys {
        kvgit::object::validate_key(&ctx.key(k)).map_err(kvgit::Error::from)?;
    }
    let flags = args.strategies.flags(ctx)?;
    let repo = ctx.open(false)?;
    let attrs = repo.attributes(flags)?;
    let mut docs = Vec::new();
    let mut out = std::io::stdout().lock();
    for key in &args.keys {
        let full = ctx.key(key);
        let ty = attrs.type_for(&full);
        let merge = attrs.strategy_for(&full);
        let gc = attrs.gc_class_for(&full);
        if ctx.json {
            docs.push(json!({
                "key": key,
                "type": ty.as_ref().map(|d| json!({"value": d.value.name(), "decided_by": d.by})),
                "merge": {"value": merge.value.name(), "decided_by": merge.by},
                "gc": {"value": gc.value.name(), "decided_by": gc.by},
            }));
        } else {
            match &ty {
                Some(d) => writeln!(out, "{key}: type: {} ({})", d.value, d.by)?,
                None => writeln!(out, "{key}: type: any (no rule)")?,
            }
            writeln!(out, "{key}: merge: {} ({})", merge.value, merge.by)?;
            writeln!(out, "{key}: gc: {} ({})", gc.value.name(), gc.by)?;
        }
    }
    if ctx.json {
        print_json(&docs)?;
    }
    Ok(0)
}
