//! `kvgit status`

use super::Ctx;
use super::output::{id_json, print_json, summary, typed_json};
use clap::Args;
use kvgit::refs::Head;
use kvgit::repo::ChangeKind;
use serde_json::json;
use std::io::Write;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Exit with 1 when changes are staged or a merge is in progress
    #[arg(long)]
    pub exit_code: bool,
}

pub fn run(ctx: &Ctx, args: StatusArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(false)?;
    let status = repo.status()?;
    let staged: Vec<_> = status
        .staged
        .iter()
        .filter(|c| c.key.starts_with(ctx.ns()))
        .collect();
    let head_moved = status.base.is_some_and(|b| b != status.commit);
    let merge = repo.merge_status()?;
    let code = i32::from(args.exit_code && (!staged.is_empty() || merge.is_some()));
    if ctx.json {
        let (branch, detached) = match &status.head {
            Head::Branch(b) => (Some(b.clone()), false),
            Head::Detached(_) => (None, true),
        };
        let changes: Vec<_> = staged
            .iter()
            .map(|c| {
                json!({
                    "key": ctx.show_key(&c.key),
                    "change": c.kind().name(),
                    "old": typed_json(c.old.as_ref()),
                    "new": typed_json(c.new.as_ref()),
                })
            })
            .collect();
        print_json(&json!({
            "branch": branch,
            "detached": detached,
            "head": id_json(status.commit),
            "base": id_json(status.base.flatten()),
            "head_moved": head_moved,
            "staged": changes,
            "merge": merge.as_ref().map(|m| json!({
                "ours": m.ours_label,
                "theirs": m.theirs_label,
                "theirs_id": m.theirs.to_hex(),
                "conflicts": m.conflicts.len(),
                "unresolved": m.conflicts.iter().filter(|c| c.resolved.is_none()).map(|c| ctx.show_key(&c.record.key)).collect::<Vec<_>>(),
            })),
        }))?;
        return Ok(code);
    }
    let p = ctx.paint();
    let mut out = std::io::stdout().lock();
    match (&status.head, status.commit) {
        (Head::Branch(b), Some(id)) => {
            writeln!(out, "On branch {}", p.bold(b))?;
            let c = repo.commit_info(&id)?;
            writeln!(
                out,
                "HEAD {} {}",
                p.id(&id.short()),
                c.message.lines().next().unwrap_or("")
            )?;
        }
        (Head::Branch(b), None) => writeln!(out, "On branch {}\n\nNo commits yet", p.bold(b))?,
        (Head::Detached(id), _) => writeln!(out, "HEAD detached at {}", p.id(&id.short()))?,
    }
    if !ctx.ns().is_empty() {
        writeln!(out, "Namespace {}", ctx.ns())?;
    }
    if let Some(m) = &merge {
        let open: Vec<&str> = m
            .conflicts
            .iter()
            .filter(|c| c.resolved.is_none())
            .map(|c| ctx.show_key(&c.record.key))
            .collect();
        writeln!(
            out,
            "\nYou are merging {} into {}.",
            m.theirs_label, m.ours_label
        )?;
        if open.is_empty() {
            writeln!(out, "All conflicts resolved: run 'kvgit merge --continue'.")?;
        } else {
            writeln!(
                out,
                "Unresolved conflicts ({} of {}):",
                open.len(),
                m.conflicts.len()
            )?;
            for k in open {
                writeln!(out, "  {}", p.removed(k))?;
            }
            writeln!(
                out,
                "  (use 'kvgit resolve' to settle them, then 'kvgit merge --continue')"
            )?;
        }
    }
    writeln!(out)?;
    if staged.is_empty() {
        writeln!(out, "Nothing staged")?;
        return Ok(code);
    }
    writeln!(out, "Changes staged for commit:")?;
    for c in &staged {
        let key = ctx.show_key(&c.key);
        let line = match c.kind() {
            ChangeKind::Added => {
                p.added(&format!("  added:    {key} = {}", summary(c.new.as_ref())))
            }
            ChangeKind::Modified => p.modified(&format!(
                "  modified: {key}: {} -> {}",
                summary(c.old.as_ref()),
                summary(c.new.as_ref())
            )),
            ChangeKind::Removed => p.removed(&format!(
                "  removed:  {key} (was {})",
                summary(c.old.as_ref())
            )),
        };
        writeln!(out, "{line}")?;
    }
    if head_moved {
        writeln!(
            out,
            "\nThe branch moved since these changes were staged (on {}); commit will apply them to the new head.",
            status
                .base
                .flatten()
                .map_or("an empty branch".into(), |b| b.short())
        )?;
    }
    Ok(code)
}
