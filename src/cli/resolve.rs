//! `kvgit resolve`: settling conflicts by flag, from a file, or interactively.

use super::merge::{conflict_json, print_conflict_table, strategy_parser};
use super::output::{print_json, typed_json};
use super::{Ctx, TypeArg};
use clap::Args;
use kvgit::Error;
use kvgit::merge::Strategy;
use kvgit::merge::state::Resolution;
use kvgit::object::{Value, ValueType};
use kvgit::repo::{Choice, ConflictView, Repo};
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// Conflicted keys or globs to settle
    pub keys: Vec<String>,
    /// Settle every conflict
    #[arg(long, conflicts_with = "keys")]
    pub all: bool,
    /// Take our value
    #[arg(long, group = "choice")]
    pub ours: bool,
    /// Take their value
    #[arg(long, group = "choice")]
    pub theirs: bool,
    /// Take the base value
    #[arg(long, group = "choice")]
    pub base: bool,
    /// Delete the key
    #[arg(long, group = "choice")]
    pub delete: bool,
    /// Use this value
    #[arg(long, group = "choice", value_name = "V", allow_hyphen_values = true)]
    pub value: Option<String>,
    /// The type of --value [default: the key's rule type, else the type of our value]
    #[arg(short, long = "type", value_name = "TYPE", requires = "value")]
    pub ty: Option<TypeArg>,
    /// Apply a strategy to the key's base, ours and theirs
    #[arg(long, group = "choice", value_name = "S", value_parser = strategy_parser())]
    pub strategy: Option<Strategy>,
    /// List the conflicts and whether each is resolved
    #[arg(long, conflicts_with_all = ["keys", "all", "choice", "from_file", "interactive"])]
    pub list: bool,
    /// Read decisions from a file (or - for stdin) in the format 'conflicts --json' prints
    #[arg(long, value_name = "F", conflicts_with_all = ["keys", "all", "choice", "interactive"])]
    pub from_file: Option<String>,
    /// Review the conflicts one by one in the terminal
    #[arg(short, long, conflicts_with_all = ["keys", "all", "choice"])]
    pub interactive: bool,
    /// With -i: write the decisions to F in the --from-file format
    #[arg(long, value_name = "F", requires = "interactive")]
    pub record: Option<PathBuf>,
    /// With -i: read one answer a line from stdin instead of a terminal (for tests)
    #[arg(long, requires = "interactive")]
    pub script: bool,
}

pub fn run(ctx: &Ctx, args: ResolveArgs) -> anyhow::Result<i32> {
    if args.list {
        return list(ctx);
    }
    if args.interactive {
        return super::review::run(ctx, args.record, args.script);
    }
    if let Some(path) = &args.from_file {
        return from_file(ctx, path);
    }
    let repo = ctx.open(true)?;
    let choice = if args.ours {
        Choice::Ours
    } else if args.theirs {
        Choice::Theirs
    } else if args.base {
        Choice::Base
    } else if args.delete {
        Choice::Delete
    } else if let Some(s) = args.strategy {
        Choice::Strategy(s)
    } else if let Some(text) = &args.value {
        // One value for all the keys named: its type comes from the flag,
        // else the first key's rule or our side.
        let first = args.keys.first().map(|k| ctx.key(k));
        let ty = value_type(&repo, args.ty, first.as_deref())?;
        Choice::Value(Value::parse(text, ty)?)
    } else {
        return Err(Error::Usage(
            "say how to resolve: --ours, --theirs, --base, --delete, --value V or --strategy S (or --list, --from-file, -i)".into(),
        )
        .into());
    };
    if args.keys.is_empty() && !args.all {
        return Err(Error::Usage("name the keys to resolve, or --all".into()).into());
    }
    let patterns: Vec<String> = args.keys.iter().map(|k| ctx.key(k)).collect();
    let (done, failed) = repo.resolve_conflicts(&patterns, &choice)?;
    report(ctx, &repo, &done, &failed)
}

/// The type a `--value` is parsed as for `key`.
fn value_type(repo: &Repo, flag: Option<TypeArg>, key: Option<&str>) -> anyhow::Result<ValueType> {
    if let Some(t) = flag {
        return Ok(t.into());
    }
    let Some(key) = key else {
        return Ok(ValueType::String);
    };
    if let Some(d) = repo.attributes(Default::default())?.type_for(key) {
        return Ok(d.value);
    }
    let ours = repo
        .merge_status()?
        .and_then(|s| s.conflicts.into_iter().find(|c| c.record.key == key))
        .and_then(|c| c.ours.or(c.theirs));
    Ok(ours.map_or(ValueType::String, |v| v.value_type()))
}

fn report(
    ctx: &Ctx,
    repo: &Repo,
    done: &[String],
    failed: &[(String, String)],
) -> anyhow::Result<i32> {
    let left = repo.merge_status()?.map_or(0, |s| {
        s.conflicts.iter().filter(|c| c.resolved.is_none()).count()
    });
    if ctx.json {
        print_json(&json!({
            "resolved": done.iter().map(|k| ctx.show_key(k)).collect::<Vec<_>>(),
            "failed": failed.iter().map(|(k, why)| json!({"key": ctx.show_key(k), "reason": why})).collect::<Vec<_>>(),
            "unresolved": left,
        }))?;
    } else {
        for k in done {
            ctx.note(format!("resolved {}", ctx.show_key(k)));
        }
        for (k, why) in failed {
            eprintln!("error: {} is still a conflict: {why}", ctx.show_key(k));
        }
        if left == 0 {
            ctx.note("All conflicts resolved: 'kvgit merge --continue' commits the merge.");
        } else {
            ctx.note(format!("{left} conflict(s) left."));
        }
    }
    Ok(if failed.is_empty() { 0 } else { 3 })
}

fn list(ctx: &Ctx) -> anyhow::Result<i32> {
    let repo = ctx.open(false)?;
    let Some(status) = repo.merge_status()? else {
        return Err(Error::Refused {
            message: "there is no merge in progress".into(),
            hint: None,
        }
        .into());
    };
    if ctx.json {
        let docs: Vec<_> = status
            .conflicts
            .iter()
            .map(|c| conflict_json(ctx, c))
            .collect();
        return print_json(&docs).map(|()| 0);
    }
    print_conflict_table(
        ctx,
        &repo,
        &status.ours_label,
        &status.theirs_label,
        &status.conflicts,
    )?;
    Ok(0)
}

/// One decision in the `--from-file` format: an entry of `conflicts --json`
/// whose `resolution` is filled in, either as `{"how": .., "value": {"type": .., "value": ..}}`
/// or as one of the words ours, theirs, base, delete.
#[derive(Debug, serde::Deserialize)]
struct Decision {
    key: String,
    #[serde(default)]
    resolution: Option<serde_json::Value>,
}

fn choice_of(key: &str, res: &serde_json::Value) -> anyhow::Result<Choice> {
    let bad = |why: &str| Error::Usage(format!("decision for '{key}': {why}"));
    let (how, value) = match res {
        serde_json::Value::String(s) => (s.as_str(), None),
        serde_json::Value::Object(o) => (
            o.get("how")
                .and_then(|h| h.as_str())
                .ok_or_else(|| bad("missing \"how\""))?,
            o.get("value"),
        ),
        _ => return Err(bad("resolution must be a word or an object").into()),
    };
    Ok(match how {
        "ours" => Choice::Ours,
        "theirs" => Choice::Theirs,
        "base" => Choice::Base,
        "delete" => Choice::Delete,
        "value" | "edit" | "file" => match value {
            Some(serde_json::Value::Null) | None => Choice::Delete,
            Some(v) => {
                let ty: ValueType = v
                    .get("type")
                    .and_then(|t| t.as_str())
                    .ok_or_else(|| bad("value needs \"type\""))?
                    .parse()?;
                let raw = v
                    .get("value")
                    .cloned()
                    .ok_or_else(|| bad("value needs \"value\""))?;
                Choice::Value(Value::from_json(ty, raw)?)
            }
        },
        s if s.starts_with("strategy:") => Choice::Strategy(
            s["strategy:".len()..]
                .parse::<Strategy>()
                .map_err(Error::Usage)?,
        ),
        other => return Err(bad(&format!("unknown resolution '{other}'")).into()),
    })
}

fn from_file(ctx: &Ctx, path: &str) -> anyhow::Result<i32> {
    let text = if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        s
    } else {
        std::fs::read_to_string(ctx.user_path(Path::new(path))?)
            .map_err(|e| Error::Usage(format!("cannot read {path}: {e}")))?
    };
    let decisions: Vec<Decision> = serde_json::from_str(&text)
        .map_err(|e| Error::Usage(format!("{path}: not a list of decisions: {e}")))?;
    // Check every decision before applying any.
    let mut parsed = Vec::new();
    for d in &decisions {
        if let Some(res) = &d.resolution {
            parsed.push((ctx.key(&d.key), choice_of(&d.key, res)?));
        }
    }
    let repo = ctx.open(true)?;
    // One transaction: a decision for a key that is not conflicted fails the
    // whole file, and nothing is applied.
    let (mut done, failed) = repo.resolve_keys(&parsed)?;
    // A key decided twice in the file is reported once (the last decision wins).
    done.sort();
    done.dedup();
    report(ctx, &repo, &done, &failed)
}

/// A decision in the `--from-file` format, for `--record`.
pub fn decision_json(
    ctx: &Ctx,
    c: &ConflictView,
    res: &Resolution,
    value: Option<&Value>,
) -> serde_json::Value {
    let mut doc = conflict_json(ctx, c);
    doc["resolved"] = json!(true);
    doc["resolution"] = json!({"how": res.how, "value": typed_json(value)});
    doc
}
