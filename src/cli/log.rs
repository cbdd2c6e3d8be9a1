//! `kvgit log` and `kvgit show`.

use super::Ctx;
use super::diff::{change_json, write_changes};
use super::output::{date, date_rfc3339, print_json};
use clap::Args;
use kvgit::object::{Commit, Id};
use kvgit::refs::Head;
use kvgit::repo::Repo;
use serde_json::json;
use std::collections::HashMap;
use std::io::Write;

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Start from this revision [default: HEAD]
    pub rev: Option<String>,
    /// Show at most N commits
    #[arg(
        short = 'n',
        long = "max-count",
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub max_count: Option<usize>,
    /// One line per commit
    #[arg(long)]
    pub oneline: bool,
    /// Draw the commit graph
    #[arg(long)]
    pub graph: bool,
    /// Only commits that changed these keys
    #[arg(last = true, value_name = "KEY")]
    pub keys: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The commit to show [default: HEAD]
    pub rev: Option<String>,
}

pub fn commit_json(id: &Id, c: &Commit) -> serde_json::Value {
    json!({
        "id": id.to_hex(),
        "parents": c.parents.iter().map(Id::to_hex).collect::<Vec<_>>(),
        "author": c.author,
        "time": c.time,
        "date": date_rfc3339(c.time),
        "message": c.message,
        "meta": c.meta,
    })
}

/// Names pointing at each commit, git-style: `HEAD -> main`, `tag: v1`.
fn decorations(repo: &Repo) -> anyhow::Result<HashMap<Id, Vec<String>>> {
    let mut out: HashMap<Id, Vec<String>> = HashMap::new();
    let (head, head_id) = repo.head()?;
    let current = match &head {
        Head::Branch(b) => Some(b.clone()),
        Head::Detached(_) => None,
    };
    if let (Head::Detached(_), Some(id)) = (&head, head_id) {
        out.entry(id).or_default().push("HEAD".into());
    }
    for b in repo.branches()? {
        let label = if current.as_deref() == Some(b.name.as_str()) {
            format!("HEAD -> {}", b.name)
        } else {
            b.name
        };
        out.entry(b.commit).or_default().push(label);
    }
    for (name, id) in repo.tags()? {
        out.entry(id).or_default().push(format!("tag: {name}"));
    }
    Ok(out)
}

pub fn log(ctx: &Ctx, args: LogArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(false)?;
    let keys: Vec<String> = args.keys.iter().map(|k| ctx.key(k)).collect();
    let commits = repo.log(args.rev.as_deref(), args.max_count, &keys)?;
    if ctx.json {
        let list: Vec<_> = commits.iter().map(|(id, c)| commit_json(id, c)).collect();
        return print_json(&list).map(|()| 0);
    }
    let decor = decorations(&repo)?;
    let p = ctx.paint();
    let mut graph = Graph::default();
    let mut out = std::io::stdout().lock();
    for (id, c) in &commits {
        let names = decor
            .get(id)
            .map(|n| format!(" ({})", n.join(", ")))
            .unwrap_or_default();
        let (before, prefix, after) = if args.graph {
            graph.step(*id, &c.parents)
        } else {
            (Vec::new(), String::new(), Vec::new())
        };
        for line in before {
            writeln!(out, "{line}")?;
        }
        let cont = if args.graph {
            graph.continuation()
        } else {
            String::new()
        };
        if args.oneline {
            writeln!(
                out,
                "{prefix}{}{} {}",
                p.id(&id.short()),
                p.id(&names),
                c.message.lines().next().unwrap_or("")
            )?;
        } else {
            writeln!(
                out,
                "{prefix}{}{}",
                p.id(&format!("commit {}", id.to_hex())),
                p.id(&names)
            )?;
            if c.parents.len() > 1 {
                let ps: Vec<String> = c.parents.iter().map(Id::short).collect();
                writeln!(out, "{cont}Merge: {}", ps.join(" "))?;
            }
            writeln!(out, "{cont}Author: {}", c.author)?;
            writeln!(out, "{cont}Date:   {}", date(c.time))?;
            for (k, v) in &c.meta {
                writeln!(out, "{cont}Meta:   {k}={v}")?;
            }
            writeln!(out, "{cont}")?;
            for line in c.message.lines() {
                writeln!(out, "{cont}    {line}")?;
            }
            writeln!(out, "{cont}")?;
        }
        for line in after {
            writeln!(out, "{line}")?;
        }
    }
    Ok(0)
}

pub fn show(ctx: &Ctx, args: ShowArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(false)?;
    let (id, c, changes) = repo.show(args.rev.as_deref().unwrap_or("HEAD"))?;
    let changes: Vec<_> = changes
        .into_iter()
        .filter(|ch| ch.key.starts_with(ctx.ns()))
        .collect();
    if ctx.json {
        let list: Vec<_> = changes.iter().map(|ch| change_json(ctx, ch)).collect();
        return print_json(&json!({"commit": commit_json(&id, &c), "changes": list})).map(|()| 0);
    }
    let p = ctx.paint();
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", p.id(&format!("commit {}", id.to_hex())))?;
    if c.parents.len() > 1 {
        let ps: Vec<String> = c.parents.iter().map(Id::short).collect();
        writeln!(out, "Merge: {}", ps.join(" "))?;
    }
    writeln!(out, "Author: {}", c.author)?;
    writeln!(out, "Date:   {}", date(c.time))?;
    for (k, v) in &c.meta {
        writeln!(out, "Meta:   {k}={v}")?;
    }
    writeln!(out)?;
    for line in c.message.lines() {
        writeln!(out, "    {line}")?;
    }
    writeln!(out)?;
    write_changes(ctx, &mut out, &changes)?;
    Ok(0)
}

/// Lanes for `log --graph`: each lane waits for one commit.
#[derive(Default)]
struct Graph {
    lanes: Vec<Id>,
}

impl Graph {
    /// Connector lines to print before a commit, the prefix of its first
    /// line, and connector lines to print after it.
    fn step(&mut self, id: Id, parents: &[Id]) -> (Vec<String>, String, Vec<String>) {
        let mut before = Vec::new();
        // Lanes that waited for this same commit join the first one here.
        while let Some(dupe) = (0..self.lanes.len())
            .filter(|&i| self.lanes[i] == id)
            .nth(1)
        {
            before.push(format!("{}|/", "| ".repeat(dupe - 1)));
            self.lanes.remove(dupe);
        }
        let col = match self.lanes.iter().position(|l| *l == id) {
            Some(c) => c,
            None => {
                self.lanes.push(id);
                self.lanes.len() - 1
            }
        };
        let row: String = (0..self.lanes.len())
            .map(|i| if i == col { "* " } else { "| " })
            .collect();
        let mut after = Vec::new();
        match parents.split_first() {
            None => {
                self.lanes.remove(col);
            }
            Some((first, rest)) => {
                self.lanes[col] = *first;
                for (k, p) in rest.iter().enumerate() {
                    if !self.lanes.contains(p) {
                        self.lanes.insert(col + 1 + k, *p);
                        after.push(format!("{}|\\", "| ".repeat(col)));
                    }
                }
            }
        }
        (before, row, after)
    }

    /// The prefix for a commit's further lines.
    fn continuation(&self) -> String {
        "| ".repeat(self.lanes.len().max(1))
    }
}
