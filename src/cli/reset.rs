//! `kvgit reset`

use super::Ctx;
use super::output::print_json;
use clap::Args;
use kvgit::Error;
use kvgit::repo::ResetMode;
use serde_json::json;

#[derive(Debug, Args)]
pub struct ResetArgs {
    /// Move the branch to REV and clear the staging area
    #[arg(long, conflicts_with = "soft")]
    pub hard: bool,
    /// Move the branch to REV and keep the working state: what the commits left behind changed is staged
    #[arg(long)]
    pub soft: bool,
    /// Fail (exit 4) unless HEAD is at REV
    #[arg(long, value_name = "REV")]
    pub expect_head: Option<String>,
    /// Keys to unstage (all when none); with --hard or --soft, the revision [default: HEAD]
    pub args: Vec<String>,
}

pub fn run(ctx: &Ctx, args: ResetArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(true)?;
    let mode = match (args.hard, args.soft) {
        (true, _) => Some(ResetMode::Hard),
        (_, true) => Some(ResetMode::Soft),
        _ => None,
    };
    let Some(mode) = mode else {
        if args.expect_head.is_some() {
            return Err(Error::Usage("--expect-head goes with --hard or --soft".into()).into());
        }
        let keys: Vec<String> = args.args.iter().map(|k| ctx.key(k)).collect();
        let n = repo.unstage(&keys)?;
        if ctx.json {
            print_json(&json!({"unstaged": n}))?;
        } else {
            ctx.note(format!("Unstaged {n} key{}", if n == 1 { "" } else { "s" }));
        }
        return Ok(0);
    };
    let rev = match args.args.as_slice() {
        [] => "HEAD",
        [rev] => rev.as_str(),
        _ => return Err(Error::Usage("reset --hard/--soft takes one revision".into()).into()),
    };
    let sig = ctx.signature(&repo)?;
    let id = repo.reset(mode, rev, &sig, args.expect_head.as_deref())?;
    let mode_name = if mode == ResetMode::Hard {
        "hard"
    } else {
        "soft"
    };
    if ctx.json {
        print_json(&json!({"head": id.to_hex(), "mode": mode_name}))?;
    } else if !ctx.quiet {
        let msg = repo.commit_info(&id)?.message;
        println!(
            "HEAD is now at {} {}",
            ctx.paint().id(&id.short()),
            msg.lines().next().unwrap_or("")
        );
    }
    Ok(0)
}
