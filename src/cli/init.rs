//! `kvgit init`

use super::Ctx;
use super::context::now;
use super::output::print_json;
use clap::Args;
use kvgit::repo::{InitOutcome, Repo};
use serde_json::json;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the repository (default: the current directory)
    #[arg(value_name = "DIR")]
    pub directory: Option<PathBuf>,
    /// Name of the first branch
    #[arg(short = 'b', long, value_name = "NAME", default_value = "main")]
    pub initial_branch: String,
}

pub fn run(ctx: &Ctx, args: InitArgs) -> anyhow::Result<i32> {
    let dir = match args.directory {
        Some(d) => ctx.work_dir()?.join(d),
        None => ctx.work_dir()?,
    };
    let outcome = Repo::init(&dir, &args.initial_branch, ctx.lock_timeout(), now())?;
    let (path, created) = match &outcome {
        InitOutcome::Created(p) => (p, true),
        InitOutcome::AlreadyExists(p) => (p, false),
    };
    if ctx.json {
        print_json(&json!({
            "path": path.display().to_string(),
            "created": created,
            "branch": if created { Some(&args.initial_branch) } else { None },
        }))?;
    } else if created {
        if !ctx.quiet {
            println!("Initialized empty kvgit repository in {}", path.display());
        }
    } else {
        println!(
            "kvgit repository already exists in {} (nothing changed)",
            path.display()
        );
    }
    Ok(0)
}
