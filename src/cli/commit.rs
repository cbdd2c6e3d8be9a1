//! `kvgit commit` and `kvgit batch`.

use super::Ctx;
use super::output::print_json;
use clap::Args;
use kvgit::Error;
use kvgit::ops::parse_batch_line;
use kvgit::refs::Head;
use kvgit::repo::{CommitOptions, CommitOutcome, Repo};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CommitArgs {
    /// The commit message
    #[arg(short, long, value_name = "MSG")]
    pub message: String,
    /// Record this author instead of the configured one
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// Commit even when nothing is staged
    #[arg(long)]
    pub allow_empty: bool,
    /// Attach metadata to the commit (repeatable)
    #[arg(long, value_name = "K=V")]
    pub meta: Vec<String>,
    /// Fail (exit 4) unless HEAD is at REV: a strict compare-and-swap
    #[arg(long, value_name = "REV")]
    pub expect_head: Option<String>,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The commit message [default: "Apply N operations"]
    #[arg(short, long, value_name = "MSG")]
    pub message: Option<String>,
    /// Read operations from this file instead of stdin
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Record this author instead of the configured one
    #[arg(long, value_name = "NAME")]
    pub author: Option<String>,
    /// Attach metadata to the commit (repeatable)
    #[arg(long, value_name = "K=V")]
    pub meta: Vec<String>,
    /// Fail (exit 4) unless HEAD (or --branch) is at REV
    #[arg(long, value_name = "REV")]
    pub expect_head: Option<String>,
    /// Commit to this existing branch instead of HEAD (HEAD does not move)
    #[arg(short, long, value_name = "NAME")]
    pub branch: Option<String>,
}

fn parse_meta(items: &[String]) -> Result<BTreeMap<String, String>, Error> {
    items
        .iter()
        .map(|item| {
            item.split_once('=')
                .filter(|(k, _)| !k.is_empty())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| Error::Usage(format!("--meta '{item}': expected KEY=VALUE")))
        })
        .collect()
}

pub fn commit(ctx: &Ctx, args: CommitArgs) -> anyhow::Result<i32> {
    let meta = parse_meta(&args.meta)?;
    let repo = ctx.open(true)?;
    let mut signature = ctx.signature(&repo)?;
    if let Some(a) = args.author {
        signature.author = a;
    }
    let opts = CommitOptions {
        message: args.message,
        signature,
        allow_empty: args.allow_empty,
        meta,
        expect_head: args.expect_head,
    };
    let outcome = repo.commit(&opts)?;
    report(ctx, &repo, &opts.message, outcome, None, None)
}

pub fn batch(ctx: &Ctx, args: BatchArgs) -> anyhow::Result<i32> {
    let meta = parse_meta(&args.meta)?;
    let reader: Box<dyn BufRead> = match &args.file {
        Some(path) => Box::new(std::io::BufReader::new(
            std::fs::File::open(ctx.user_path(path)?)
                .map_err(|e| Error::Usage(format!("cannot read {}: {e}", path.display())))?,
        )),
        None => Box::new(std::io::stdin().lock()),
    };
    let repo = ctx.open_bulk()?;
    let attrs = repo.attributes(Default::default())?;
    let rule_type = |key: &str| attrs.type_for(&ctx.key(key)).map(|d| d.value);
    let mut ops = reader.lines().enumerate().filter_map(|(n, line)| {
        let line = match line {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Some(Err(Error::Usage(format!(
                    "line {}: not valid UTF-8",
                    n + 1
                ))));
            }
            Err(e) => {
                return Some(Err(Error::Io(format!("cannot read the batch input: {e}"))));
            }
        };
        match parse_batch_line(&line, &rule_type) {
            Ok(op) => op.map(|mut op| {
                match &mut op {
                    kvgit::ops::Op::Set { key, .. }
                    | kvgit::ops::Op::Remove { key }
                    | kvgit::ops::Op::Incr { key, .. } => *key = ctx.key(key),
                }
                Ok(op)
            }),
            Err(e) => Some(Err(Error::Usage(format!("line {}: {e}", n + 1)))),
        }
    });
    let mut signature = ctx.signature(&repo)?;
    if let Some(a) = args.author {
        signature.author = a;
    }
    let opts = CommitOptions {
        // Empty: "Apply N operations".
        message: args.message.unwrap_or_default(),
        signature,
        allow_empty: false,
        meta,
        expect_head: args.expect_head,
    };
    let done = repo.batch_on(&mut ops, &opts, args.branch.as_deref())?;
    report(
        ctx,
        &repo,
        &done.message,
        done.outcome,
        Some(done.ops as usize),
        args.branch.as_deref(),
    )
}

fn repo_head_is(repo: &Repo, branch: &str) -> bool {
    matches!(repo.head(), Ok((Head::Branch(b), _)) if b == branch)
}

fn report(
    ctx: &Ctx,
    repo: &Repo,
    message: &str,
    outcome: CommitOutcome,
    operations: Option<usize>,
    target: Option<&str>,
) -> anyhow::Result<i32> {
    let branch = match (target, repo.head()?.0) {
        (Some(b), _) => Some(b.to_string()),
        (None, Head::Branch(b)) => Some(b),
        (None, Head::Detached(_)) => None,
    };
    match outcome {
        CommitOutcome::Committed { id, merged } => {
            // Eviction works on the current branch: not after a batch that
            // committed to another one.
            let on_head =
                target.is_none_or(|t| branch.as_deref() == Some(t) && repo_head_is(repo, t));
            let eviction = if on_head {
                super::maintenance::after_commit(ctx, repo)?
            } else {
                serde_json::Value::Null
            };
            if ctx.json {
                let mut doc = json!({
                    "committed": true,
                    "id": id.to_hex(),
                    "branch": branch,
                    "merged": merged,
                    "eviction": eviction,
                });
                if let Some(n) = operations {
                    doc["operations"] = json!(n);
                }
                print_json(&doc)?;
            } else if !ctx.quiet {
                println!(
                    "[{} {}] {}",
                    branch.as_deref().unwrap_or("detached HEAD"),
                    ctx.paint().id(&id.short()),
                    message.lines().next().unwrap_or("")
                );
                if merged {
                    ctx.note("note: the branch had moved; the staged changes were applied to its new head");
                }
            }
            Ok(0)
        }
        CommitOutcome::NothingToCommit => {
            if ctx.json {
                print_json(&json!({"committed": false, "reason": "nothing to commit"}))?;
            } else if !ctx.quiet {
                eprintln!("nothing to commit");
            }
            Ok(1)
        }
        CommitOutcome::Conflicts(keys) => {
            let keys: Vec<&str> = keys.iter().map(|k| ctx.show_key(k)).collect();
            if ctx.json {
                print_json(&json!({"committed": false, "conflicts": keys}))?;
            } else {
                eprintln!(
                    "error: the branch moved and also changed {} staged key(s): {}",
                    keys.len(),
                    keys.join(", ")
                );
                eprintln!("hint: nothing was committed and the staging area is kept;");
                eprintln!("hint: 'kvgit reset KEY' to drop a staged change, then commit again");
            }
            Ok(3)
        }
    }
}
