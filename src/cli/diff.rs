//! `kvgit diff`, and the change rendering `show` shares.

use super::Ctx;
use super::output::{print_json, summary, typed_json};
use clap::Args;
use kvgit::Error;
use kvgit::repo::{ChangeKind, DiffSpec, KeyChange, Repo};
use serde_json::json;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Up to two revisions, optionally followed by a key prefix
    #[arg(value_name = "REV", num_args = 0..=3)]
    pub args: Vec<String>,
    /// Only keys starting with this prefix
    #[arg(last = true, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// Summarise: one line per key and a count
    #[arg(long, conflicts_with = "name_only")]
    pub stat: bool,
    /// Only the names of changed keys
    #[arg(long)]
    pub name_only: bool,
    /// Exit with 1 when there are changes
    #[arg(long)]
    pub exit_code: bool,
}

pub fn change_json(ctx: &Ctx, c: &KeyChange) -> serde_json::Value {
    json!({
        "key": ctx.show_key(&c.key),
        "change": c.kind().name(),
        "old": typed_json(c.old.as_ref()),
        "new": typed_json(c.new.as_ref()),
    })
}

pub fn write_changes(ctx: &Ctx, out: &mut impl Write, changes: &[KeyChange]) -> anyhow::Result<()> {
    let p = ctx.paint();
    for c in changes {
        let key = ctx.show_key(&c.key);
        let line = match c.kind() {
            ChangeKind::Added => p.added(&format!("+ {key} = {}", summary(c.new.as_ref()))),
            ChangeKind::Removed => p.removed(&format!("- {key} = {}", summary(c.old.as_ref()))),
            ChangeKind::Modified => p.modified(&format!(
                "~ {key}: {} -> {}",
                summary(c.old.as_ref()),
                summary(c.new.as_ref())
            )),
        };
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Splits the positional arguments into revisions and a trailing prefix: a
/// last argument that is not a revision is a prefix, if any key has it.
fn interpret(
    ctx: &Ctx,
    repo: &Repo,
    args: &[String],
    prefix: Option<String>,
) -> anyhow::Result<(Vec<String>, Option<String>)> {
    let mut revs = args.to_vec();
    let mut prefix = prefix;
    if prefix.is_none()
        && let Some(last) = revs.last()
        && matches!(
            repo.resolve(last),
            Err(Error::UnknownRevision(_)) | Err(Error::Usage(_))
        )
    {
        let full = ctx.key(last);
        let has_keys = repo.has_keys_under(&full, None)?
            || revs[..revs.len() - 1]
                .iter()
                .any(|r| repo.has_keys_under(&full, Some(r)).is_ok_and(|found| found));
        if !has_keys {
            return Err(Error::UnknownRevision(format!(
                "'{last}' (neither a revision nor a key prefix; use '-- {last}' for a prefix)"
            ))
            .into());
        }
        revs.pop();
        prefix = Some(full);
    }
    if revs.len() > 2 {
        return Err(Error::Usage("diff takes at most two revisions".into()).into());
    }
    Ok((revs, prefix))
}

pub fn run(ctx: &Ctx, args: DiffArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(false)?;
    let (revs, prefix) = interpret(ctx, &repo, &args.args, args.prefix.map(|p| ctx.key(&p)))?;
    let spec = match revs.as_slice() {
        [] => DiffSpec::Staged,
        [rev] => DiffSpec::Against(rev.clone()),
        [a, b] => DiffSpec::Between(a.clone(), b.clone()),
        _ => unreachable!("interpret allows at most two revisions"),
    };
    let prefix = prefix.unwrap_or_else(|| ctx.ns().to_string());
    let changes = repo.diff(&spec, &prefix)?;
    let code = i32::from(args.exit_code && !changes.is_empty());
    if ctx.json {
        let list: Vec<_> = changes.iter().map(|c| change_json(ctx, c)).collect();
        print_json(&list)?;
        return Ok(code);
    }
    let mut out = std::io::stdout().lock();
    if args.name_only {
        for c in &changes {
            writeln!(out, "{}", ctx.show_key(&c.key))?;
        }
    } else if args.stat {
        let count = |k| changes.iter().filter(|c| c.kind() == k).count();
        let keys: Vec<_> = changes.iter().map(|c| ctx.show_key(&c.key)).collect();
        // The key column is as wide as the widest key shown, as in `git diff
        // --stat`; width is in terminal columns, not bytes.
        let width = keys.iter().map(|k| k.width()).max().unwrap_or(0);
        for (c, key) in changes.iter().zip(&keys) {
            let pad = width - key.width();
            writeln!(out, " {key}{:pad$} | {}", "", c.kind().name())?;
        }
        writeln!(
            out,
            " {} key{} changed: {} added, {} modified, {} removed",
            changes.len(),
            if changes.len() == 1 { "" } else { "s" },
            count(ChangeKind::Added),
            count(ChangeKind::Modified),
            count(ChangeKind::Removed)
        )?;
    } else {
        write_changes(ctx, &mut out, &changes)?;
    }
    Ok(code)
}
