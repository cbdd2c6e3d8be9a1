//! Integrity check: re-hash every reachable object, check every reference,
//! and check tree invariants (levels, order, child keys, node sizes, blob
//! lengths, value encodings). Problems are collected, not fatal, so one run
//! lists all of them.
//!
//! This walk reads through redb, so it only sees the pages it reaches, and a
//! read-only open trusts the engine's own records: a file whose other pages
//! are damaged can pass it while every writable open fails. `kvgit fsck`
//! therefore opens the repository with `Access::Check`, which first runs the
//! engine's integrity check over every page (see [`crate::store::EngineCheck`]).

use crate::error::Result;
use crate::merge::state;
use crate::object::{Id, Value};
use crate::refs;
use crate::stage;
use crate::store::{EngineCheck, Reader};
use crate::tree::{self, ValRef, node::NODE_MAX};
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is damaged: `commit ID`, `tree node ID`, `blob ID`, `ref NAME`, ...
    pub object: String,
    pub problem: String,
}

#[derive(Debug, Clone, Default)]
pub struct FsckReport {
    pub commits: u64,
    pub nodes: u64,
    pub blobs: u64,
    pub refs: u64,
    /// The storage engine's integrity check, when the repository was opened
    /// for it (`Access::Check`); `None` when it did not run.
    pub storage: Option<EngineCheck>,
    pub problems: Vec<Problem>,
}

/// The problem entry for a file the storage engine found damaged and repaired.
pub fn repaired_problem() -> Problem {
    Problem {
        object: "database file".into(),
        problem: "the storage engine found its records of the file damaged and repaired them \
                  (redb's integrity check); the objects and refs were checked after the repair"
            .into(),
    }
}

struct Checker<'a> {
    r: &'a dyn Reader,
    report: FsckReport,
    commits: HashSet<Id>,
    nodes: HashSet<Id>,
    blobs: HashSet<Id>,
}

impl Checker<'_> {
    fn problem(&mut self, object: String, problem: impl Into<String>) {
        self.report.problems.push(Problem {
            object,
            problem: problem.into(),
        });
    }

    fn commit(&mut self, start: Id, via: &str) {
        let mut todo = vec![(start, via.to_string())];
        while let Some((id, via)) = todo.pop() {
            if !self.commits.insert(id) {
                continue;
            }
            if !self.r.has_commit(&id).unwrap_or(false) {
                self.problem(
                    format!("commit {}", id.short()),
                    format!("missing (referenced by {via})"),
                );
                continue;
            }
            self.report.commits += 1;
            match self.r.commit(&id) {
                Ok(c) => {
                    self.tree(c.tree, None, &format!("commit {}", id.short()));
                    for p in c.parents {
                        todo.push((p, format!("commit {}", id.short())));
                    }
                }
                Err(e) => self.problem(format!("commit {}", id.short()), e.to_string()),
            }
        }
    }

    /// Checks the subtree at `id`; `expect` is (level, first key) from its parent.
    fn tree(&mut self, id: Id, expect: Option<(u8, &str)>, via: &str) {
        if !self.nodes.insert(id) {
            return;
        }
        self.report.nodes += 1;
        // A node is looked up where its level says, as every command does,
        // so a node stored in the wrong table is reported missing.
        let read = match expect {
            Some((level, _)) => self.r.node(&id, level),
            None => self.r.root(&id),
        };
        let node = match read {
            Ok(n) => n,
            Err(e) => {
                self.problem(
                    format!("tree node {}", id.short()),
                    format!("{e} (in {via})"),
                );
                return;
            }
        };
        let here = format!("tree node {}", id.short());
        if node.encode().len() > NODE_MAX {
            self.problem(here.clone(), format!("larger than {NODE_MAX} bytes"));
        }
        // The store checked the level.
        if let Some((_, first)) = expect {
            if node.first_key() != first {
                self.problem(
                    here.clone(),
                    "its first key differs from its parent's entry",
                );
            }
            if node.entries.is_empty() {
                self.problem(here.clone(), "an empty node below the root");
            }
        }
        for e in &node.entries {
            if let Err(err) = crate::object::validate_key(&e.key) {
                self.problem(here.clone(), format!("holds an invalid key: {err}"));
            }
            match &e.payload {
                tree::Payload::Child(c) => {
                    if node.level == 0 {
                        self.problem(here.clone(), "a leaf holds a child");
                    } else {
                        self.tree(*c, Some((node.level - 1, &e.key)), &here);
                    }
                }
                tree::Payload::Value(v) => {
                    if node.level > 0 {
                        self.problem(here.clone(), "an internal node holds a value");
                    }
                    self.value(v, &format!("key '{}' in {here}", e.key));
                }
            }
        }
    }

    fn value(&mut self, v: &ValRef, via: &str) {
        if let ValRef::Blob { id, .. } = v {
            if !self.blobs.insert(*id) {
                return;
            }
            self.report.blobs += 1;
            if let Ok(chunks) = self.r.blob_children(id) {
                self.report.blobs += chunks.len() as u64;
                self.blobs.extend(chunks);
            }
        }
        match tree::read_value_bytes(self.r, v)
            .and_then(|b| Value::decode(&b).map_err(|e| crate::Error::Corrupt(e.to_string())))
        {
            Ok(_) => {}
            Err(e) => {
                let object = match v {
                    ValRef::Blob { id, .. } => format!("blob {}", id.short()),
                    ValRef::Inline(_) => via.to_string(),
                };
                self.problem(object, format!("{e} (value of {via})"));
            }
        }
    }
}

/// Checks everything reachable from the roots.
pub fn check(r: &dyn Reader) -> Result<FsckReport> {
    let mut c = Checker {
        r,
        report: FsckReport::default(),
        commits: HashSet::new(),
        nodes: HashSet::new(),
        blobs: HashSet::new(),
    };
    match refs::read_head(r) {
        Ok(refs::Head::Detached(id)) => c.commit(id, "HEAD"),
        Ok(refs::Head::Branch(_)) => {}
        Err(e) => c.problem("HEAD".into(), e.to_string()),
    }
    for (name, id) in r.refs_with_prefix("")? {
        c.report.refs += 1;
        if !r.has_commit(&id)? {
            c.problem(
                format!("ref {name}"),
                format!("points at missing commit {}", id.short()),
            );
            continue;
        }
        c.commit(id, &format!("ref {name}"));
    }
    for name in r.reflog_names()? {
        match refs::read_reflog(r, &name) {
            Ok(entries) => {
                for e in entries {
                    for id in e.old.into_iter().chain(e.new) {
                        c.commit(id, &format!("reflog of {name}"));
                    }
                }
            }
            Err(e) => c.problem(format!("reflog of {name}"), e.to_string()),
        }
    }
    match stage::all(r) {
        Ok(entries) => {
            for (k, s) in entries {
                if let Some(v) = s.value() {
                    c.value(v, &format!("staged key '{k}'"));
                }
            }
        }
        Err(e) => c.problem("staging area".into(), e.to_string()),
    }
    if let Some(base) = stage::base(r)?.flatten() {
        c.commit(base, "the staging area");
    }
    match state::load(r) {
        Ok(Some(m)) => {
            c.commit(m.ours, "the merge in progress");
            c.commit(m.theirs, "the merge in progress");
            c.tree(m.base_tree, None, "the merge in progress");
            c.tree(m.tree, None, "the merge in progress");
            for v in m.values() {
                c.value(&v, "the merge in progress");
            }
        }
        Ok(None) => {}
        Err(e) => c.problem("merge state".into(), e.to_string()),
    }
    Ok(c.report)
}
