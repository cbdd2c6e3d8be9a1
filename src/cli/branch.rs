//! `kvgit branch`, `kvgit switch`, `kvgit checkout`, `kvgit tag`.

use super::Ctx;
use super::output::{id_json, print_json};
use clap::Args;
use kvgit::Error;
use kvgit::refs::Head;
use serde_json::json;
use std::io::Write;

#[derive(Debug, Args)]
pub struct BranchArgs {
    /// Delete a branch that is merged into HEAD
    #[arg(short = 'd', long = "delete", value_name = "NAME", conflicts_with_all = ["force_delete", "rename"])]
    pub delete: Option<String>,
    /// Delete a branch even if it is not merged
    #[arg(short = 'D', value_name = "NAME", conflicts_with = "rename")]
    pub force_delete: Option<String>,
    /// Rename a branch: -m OLD NEW
    #[arg(short = 'm', long = "move", num_args = 2, value_names = ["OLD", "NEW"])]
    pub rename: Option<Vec<String>>,
    /// The branch to create
    pub name: Option<String>,
    /// Where the new branch starts [default: HEAD]
    pub start: Option<String>,
}

#[derive(Debug, Args)]
pub struct SwitchArgs {
    /// The branch to switch to
    pub name: String,
    /// Create the branch (at START, default HEAD) and switch to it
    #[arg(short = 'c', long = "create")]
    pub create: bool,
    /// Where a created branch starts
    #[arg(requires = "create")]
    pub start: Option<String>,
    /// Drop staged changes instead of refusing
    #[arg(long)]
    pub discard_changes: bool,
}

#[derive(Debug, Args)]
pub struct CheckoutArgs {
    /// A revision to detach HEAD at, or a branch to switch to
    pub rev: String,
    /// Drop staged changes instead of refusing
    #[arg(long)]
    pub discard_changes: bool,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// Delete a tag
    #[arg(
        short = 'd',
        long = "delete",
        value_name = "NAME",
        conflicts_with = "name"
    )]
    pub delete: Option<String>,
    /// The tag to create
    pub name: Option<String>,
    /// What it points at [default: HEAD]
    pub rev: Option<String>,
}

pub fn branch(ctx: &Ctx, args: BranchArgs) -> anyhow::Result<i32> {
    let writes = args.delete.is_some()
        || args.force_delete.is_some()
        || args.rename.is_some()
        || args.name.is_some();
    let repo = ctx.open(writes)?;
    let p = ctx.paint();
    if let Some(name) = args.delete.as_ref().or(args.force_delete.as_ref()) {
        let tip = repo.delete_branch(name, args.force_delete.is_some())?;
        if ctx.json {
            print_json(&json!({"deleted": name, "head": tip.to_hex()}))?;
        } else if !ctx.quiet {
            println!("Deleted branch {name} (was {})", p.id(&tip.short()));
        }
        return Ok(0);
    }
    if let Some(pair) = args.rename {
        let sig = ctx.signature(&repo)?;
        repo.rename_branch(&pair[0], &pair[1], &sig)?;
        if ctx.json {
            print_json(&json!({"renamed": {"from": pair[0], "to": pair[1]}}))?;
        }
        return Ok(0);
    }
    if let Some(name) = args.name {
        let sig = ctx.signature(&repo)?;
        let id = repo.create_branch(&name, args.start.as_deref(), &sig)?;
        if ctx.json {
            print_json(&json!({"created": name, "head": id.to_hex()}))?;
        }
        return Ok(0);
    }
    let branches = repo.branches()?;
    if ctx.json {
        let list: Vec<_> = branches
            .iter()
            .map(|b| json!({"name": b.name, "head": b.commit.to_hex(), "current": b.current}))
            .collect();
        return print_json(&list).map(|()| 0);
    }
    let mut out = std::io::stdout().lock();
    if let (Head::Detached(id), _) = repo.head()? {
        writeln!(out, "* (HEAD detached at {})", p.id(&id.short()))?;
    }
    for b in &branches {
        if b.current {
            writeln!(out, "* {}", p.added(&b.name))?;
        } else {
            writeln!(out, "  {}", b.name)?;
        }
    }
    Ok(0)
}

pub fn switch(ctx: &Ctx, args: SwitchArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(true)?;
    let sig = ctx.signature(&repo)?;
    let create = args.create.then_some(args.start.as_deref());
    let switched = repo.switch(&args.name, create, args.discard_changes, &sig)?;
    if ctx.json {
        print_json(
            &json!({"branch": args.name, "head": id_json(switched.head), "created": args.create}),
        )?;
    } else if !ctx.quiet {
        if args.create {
            eprintln!("Switched to a new branch '{}'", args.name);
        } else if switched.already_on {
            eprintln!("Already on '{}'", args.name);
        } else {
            eprintln!("Switched to branch '{}'", args.name);
        }
    }
    Ok(0)
}

pub fn checkout(ctx: &Ctx, args: CheckoutArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(true)?;
    let sig = ctx.signature(&repo)?;
    let (head, id, already_on) = repo.checkout(&args.rev, args.discard_changes, &sig)?;
    match head {
        Head::Branch(b) => {
            if ctx.json {
                print_json(&json!({"branch": b, "head": id.to_hex(), "detached": false}))?;
            } else if already_on {
                ctx.note(format!("Already on '{b}'"));
            } else {
                ctx.note(format!("Switched to branch '{b}'"));
            }
        }
        Head::Detached(_) => {
            if ctx.json {
                print_json(&json!({"branch": null, "head": id.to_hex(), "detached": true}))?;
            } else {
                ctx.note(format!("HEAD is now detached at {}", id.short()));
                ctx.note("hint: 'kvgit switch -c NAME' keeps commits made here on a new branch");
            }
        }
    }
    Ok(0)
}

pub fn tag(ctx: &Ctx, args: TagArgs) -> anyhow::Result<i32> {
    if args.delete.is_none() && args.name.is_none() && args.rev.is_some() {
        return Err(Error::Usage("name the tag before the revision".into()).into());
    }
    let repo = ctx.open(args.delete.is_some() || args.name.is_some())?;
    if let Some(name) = args.delete {
        let id = repo.delete_tag(&name)?;
        if ctx.json {
            print_json(&json!({"deleted": name, "target": id.to_hex()}))?;
        } else if !ctx.quiet {
            println!("Deleted tag {name} (was {})", id.short());
        }
        return Ok(0);
    }
    if let Some(name) = args.name {
        let sig = ctx.signature(&repo)?;
        let id = repo.create_tag(&name, args.rev.as_deref(), &sig)?;
        if ctx.json {
            print_json(&json!({"tag": name, "target": id.to_hex()}))?;
        }
        return Ok(0);
    }
    let tags = repo.tags()?;
    if ctx.json {
        let list: Vec<_> = tags
            .iter()
            .map(|(n, id)| json!({"name": n, "target": id.to_hex()}))
            .collect();
        return print_json(&list).map(|()| 0);
    }
    let mut out = std::io::stdout().lock();
    for (name, _) in tags {
        writeln!(out, "{name}")?;
    }
    Ok(0)
}
