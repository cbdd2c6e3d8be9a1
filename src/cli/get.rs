//! `kvgit get` and `kvgit ls`.

use super::Ctx;
use super::output::print_json;
use clap::Args;
use comfy_table::{Table, presets};
use kvgit::object::Value;
use kvgit::repo::Side;
use serde_json::json;
use std::io::Write;

#[derive(Debug, Args)]
pub struct GetArgs {
    pub key: String,
    /// Read the value at this revision
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,
    /// Ignore staged changes: read the value at HEAD
    #[arg(long, conflicts_with = "at")]
    pub committed: bool,
    /// Indent JSON values
    #[arg(long)]
    pub pretty: bool,
    /// Read one side of the merge in progress
    #[arg(long, value_enum, conflicts_with_all = ["at", "committed"])]
    pub side: Option<SideArg>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SideArg {
    Ours,
    Theirs,
    Base,
}

#[derive(Debug, Args)]
pub struct LsArgs {
    /// Only keys starting with this prefix
    pub prefix: Option<String>,
    /// List the keys at this revision instead of the working state
    #[arg(long, value_name = "REV")]
    pub at: Option<String>,
    /// Show each key's type and encoded size
    #[arg(short, long)]
    pub long: bool,
}

pub fn get(ctx: &Ctx, args: GetArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(false)?;
    let value = match args.side {
        Some(side) => repo.get_side(
            &ctx.key(&args.key),
            match side {
                SideArg::Ours => Side::Ours,
                SideArg::Theirs => Side::Theirs,
                SideArg::Base => Side::Base,
            },
        )?,
        None => repo.get(&ctx.key(&args.key), args.at.as_deref(), args.committed)?,
    };
    let Some(value) = value else {
        if ctx.json {
            print_json(&json!({"key": args.key, "found": false}))?;
        } else if !ctx.quiet {
            eprintln!("key '{}' not found", args.key);
        }
        return Ok(1);
    };
    if ctx.json {
        return print_json(&json!({
            "key": args.key,
            "type": value.value_type().name(),
            "value": value.to_json(),
        }))
        .map(|()| 0);
    }
    let mut out = std::io::stdout().lock();
    match &value {
        Value::Bytes(b) => out.write_all(b)?,
        other => writeln!(out, "{}", other.display_text(args.pretty))?,
    }
    out.flush()?;
    Ok(0)
}

pub fn ls(ctx: &Ctx, args: LsArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(false)?;
    let prefix = ctx.key(args.prefix.as_deref().unwrap_or(""));
    let keys = repo.ls(&prefix, args.at.as_deref())?;
    if ctx.json {
        let list: Vec<_> = keys
            .iter()
            .map(|l| json!({"key": ctx.show_key(&l.key), "type": l.value_type.name(), "size": l.size}))
            .collect();
        return print_json(&list).map(|()| 0);
    }
    let mut out = std::io::stdout().lock();
    if args.long {
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        for l in &keys {
            table.add_row(vec![
                l.value_type.name().to_string(),
                l.size.to_string(),
                ctx.show_key(&l.key).to_string(),
            ]);
        }
        if !keys.is_empty() {
            writeln!(out, "{}", table.trim_fmt())?;
        }
    } else {
        for l in &keys {
            writeln!(out, "{}", ctx.show_key(&l.key))?;
        }
    }
    Ok(0)
}
