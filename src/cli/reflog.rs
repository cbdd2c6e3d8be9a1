//! `kvgit reflog`

use super::Ctx;
use super::output::{date_rfc3339, id_json, print_json};
use clap::Args;
use serde_json::json;
use std::io::Write;

#[derive(Debug, Args)]
pub struct ReflogArgs {
    /// HEAD or a branch name
    #[arg(default_value = "HEAD")]
    pub name: String,
}

pub fn run(ctx: &Ctx, args: ReflogArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(false)?;
    let entries = repo.reflog(&args.name)?;
    if ctx.json {
        let list: Vec<_> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                json!({
                    "index": i,
                    "old": id_json(e.old),
                    "new": id_json(e.new),
                    "author": e.author,
                    "time": e.time,
                    "date": date_rfc3339(e.time),
                    "message": e.message,
                })
            })
            .collect();
        return print_json(&list).map(|()| 0);
    }
    let mut out = std::io::stdout().lock();
    for (i, e) in entries.iter().enumerate() {
        let id = e.new.map_or("(deleted)".to_string(), |i| i.short());
        writeln!(
            out,
            "{} {}@{{{i}}}: {}",
            ctx.paint().id(&id),
            args.name,
            e.message
        )?;
    }
    Ok(0)
}
