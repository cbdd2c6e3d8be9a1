//! `kvgit set`, `kvgit rm`, `kvgit incr`: staging changes.

use super::output::{print_json, typed_json};
use super::{Ctx, TypeArg};
use anyhow::Context as _;
use clap::Args;
use kvgit::Error;
use kvgit::object::{Value, ValueType};
use kvgit::ops::{Number, Op};
use kvgit::repo::StageOutcome;
use serde_json::json;
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SetArgs {
    pub key: String,
    /// The value; `-` reads it from stdin
    #[arg(allow_negative_numbers = true, required_unless_present = "file")]
    pub value: Option<String>,
    /// Parse the value as this type [default: string, or bytes from a file or stdin]
    #[arg(short, long = "type", value_name = "TYPE")]
    pub ty: Option<TypeArg>,
    /// Shorthand for --type int
    #[arg(long, conflicts_with_all = ["ty", "float", "bool"])]
    pub int: bool,
    /// Shorthand for --type float
    #[arg(long, conflicts_with_all = ["ty", "bool"])]
    pub float: bool,
    /// Shorthand for --type bool
    #[arg(long, conflicts_with = "ty")]
    pub bool: bool,
    /// Shorthand for --type json, unless another type is named; also prints the JSON result
    #[arg(long)]
    pub json: bool,
    /// Read the value from a file
    #[arg(long, value_name = "PATH", conflicts_with = "value")]
    pub file: Option<PathBuf>,
}

impl SetArgs {
    fn value_type(&self) -> Option<ValueType> {
        if self.int {
            Some(ValueType::Int)
        } else if self.float {
            Some(ValueType::Float)
        } else if self.bool {
            Some(ValueType::Bool)
        } else if let Some(t) = self.ty {
            Some(t.into())
        } else if self.json {
            // `--json` is both the global machine-output flag and the
            // spec's shorthand for `--type json`: it names the type only
            // when no other type is given.
            Some(ValueType::Json)
        } else {
            None
        }
    }

    /// The value to set; `rule_type` is the type a rule fixes for the key,
    /// used when no type is given.
    fn read_value(&self, ctx: &Ctx, rule_type: Option<ValueType>) -> anyhow::Result<Value> {
        let ty = self.value_type().or(rule_type);
        let raw = match (&self.file, self.value.as_deref()) {
            (Some(path), _) => Some(
                std::fs::read(ctx.user_path(path)?)
                    .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?,
            ),
            (None, Some("-")) => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buf)
                    .context("cannot read the value from stdin")?;
                Some(buf)
            }
            _ => None,
        };
        Ok(match raw {
            Some(bytes) => Value::from_bytes(bytes, ty.unwrap_or(ValueType::Bytes))?,
            None => Value::parse(
                self.value
                    .as_deref()
                    .expect("clap requires a value or --file"),
                ty.unwrap_or(ValueType::String),
            )?,
        })
    }
}

#[derive(Debug, Args)]
pub struct RmArgs {
    #[arg(required = true)]
    pub keys: Vec<String>,
}

#[derive(Debug, Args)]
pub struct IncrArgs {
    pub key: String,
    /// The amount, an int or a float (may be negative)
    #[arg(allow_negative_numbers = true, default_value = "1")]
    pub by: String,
}

pub fn set(ctx: &Ctx, args: SetArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(true)?;
    let key = ctx.key(&args.key);
    let rule_type = repo
        .attributes(Default::default())?
        .type_for(&key)
        .map(|d| d.value);
    let value = args.read_value(ctx, rule_type)?;
    repo.stage(vec![Op::Set {
        key,
        value: value.clone(),
    }])?;
    if ctx.json {
        print_json(&json!({
            "key": args.key,
            "type": value.value_type().name(),
            "value": value.to_json(),
        }))?;
    }
    Ok(0)
}

pub fn rm(ctx: &Ctx, args: RmArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(true)?;
    let ops = args
        .keys
        .iter()
        .map(|k| Op::Remove { key: ctx.key(k) })
        .collect();
    match repo.stage(ops)? {
        StageOutcome::Staged(_) => {
            if ctx.json {
                print_json(&json!({"removed": args.keys, "missing": []}))?;
            }
            Ok(0)
        }
        StageOutcome::Missing(missing) => {
            let missing: Vec<&str> = missing.iter().map(|k| ctx.show_key(k)).collect();
            if ctx.json {
                print_json(&json!({"removed": [], "missing": missing}))?;
            } else if !ctx.quiet {
                for k in &missing {
                    eprintln!("key '{k}' not found; nothing was removed");
                }
            }
            Ok(1)
        }
    }
}

pub fn incr(ctx: &Ctx, args: IncrArgs) -> anyhow::Result<i32> {
    let by = Number::parse(&args.by)?;
    let repo = ctx.open(true)?;
    let outcome = repo.stage(vec![Op::Incr {
        key: ctx.key(&args.key),
        by,
    }])?;
    let StageOutcome::Staged(states) = outcome else {
        unreachable!("an increment never reports a missing key")
    };
    let value = states.into_iter().next().and_then(|(_, v)| v);
    if ctx.json {
        let mut doc = typed_json(value.as_ref());
        doc["key"] = json!(args.key);
        print_json(&doc)?;
    } else if let Some(v) = value {
        println!("{}", v.display_text(false));
    }
    Ok(0)
}
