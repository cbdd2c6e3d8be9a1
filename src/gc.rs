//! Garbage collection and eviction.
//!
//! `collect` marks every object reachable from the roots (branches, tags,
//! HEAD, every reflog entry, the staging area and a merge in progress) and
//! sweeps the rest, all inside one write transaction. A writer stores its new
//! objects in the same transaction that makes them reachable, so gc never sees
//! a writer's objects half-way: they are either not there yet or already
//! reachable. The grace period (objects younger than it are kept even when
//! unreachable) is a second line of defence for work that spans transactions.
//! Marking visits each object once (a seen-set), so it costs the number of
//! distinct objects, not commits x keys.
//!
//! `evict` is kvgit's bounded-size mode: when the live data of the current
//! branch (the sum over its keys of key length plus encoded value length)
//! exceeds high water, the coldest unprotected keys are dropped and the result
//! is recorded as a new root commit.

use crate::error::{Error, Result};
use crate::merge::rules::compile_glob;
use crate::merge::{Attributes, GcClass, state};
use crate::object::Id;
use crate::refs::{self, Move};
use crate::stage;
use crate::store::{ObjectKind, Reader, WriteCtx};
use crate::tree::{self, NewObjects, ValRef};
use std::collections::{HashMap, HashSet};

/// Objects reachable from the roots.
#[derive(Debug, Default)]
pub struct Reachable {
    pub commits: HashSet<Id>,
    pub nodes: HashSet<Id>,
    pub blobs: HashSet<Id>,
}

impl Reachable {
    fn contains(&self, kind: ObjectKind, id: &Id) -> bool {
        match kind {
            ObjectKind::Node => self.nodes.contains(id),
            ObjectKind::Blob => self.blobs.contains(id),
            ObjectKind::Commit => self.commits.contains(id),
        }
    }
}

/// Every root commit: refs, HEAD, reflog entries (those made at or after
/// `reflog_since`), the staging area's base, a merge in progress.
pub fn root_commits(r: &dyn Reader, reflog_since: i64) -> Result<Vec<Id>> {
    let mut roots: Vec<Id> = r
        .refs_with_prefix("")?
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    roots.extend(refs::head_commit(r)?);
    for name in r.reflog_names()? {
        for e in refs::read_reflog(r, &name)? {
            if e.time >= reflog_since {
                roots.extend(e.old);
                roots.extend(e.new);
            }
        }
    }
    if let Some(s) = stage::base(r)?.flatten() {
        roots.push(s);
    }
    if let Some(m) = state::load(r)? {
        roots.push(m.ours);
        roots.push(m.theirs);
    }
    Ok(roots)
}

/// Marks everything reachable, ignoring reflog entries made before
/// `reflog_since`.
pub fn mark(r: &dyn Reader, reflog_since: i64) -> Result<Reachable> {
    let mut seen = Reachable::default();
    let mut trees = vec![tree::empty_root()];
    // Only blobs need marking: an inline value is part of its leaf.
    let mut blobs: Vec<Id> = Vec::new();
    let mut todo = root_commits(r, reflog_since)?;
    while let Some(id) = todo.pop() {
        if !seen.commits.insert(id) {
            continue;
        }
        let c = r.commit(&id)?;
        trees.push(c.tree);
        todo.extend(c.parents);
    }
    for (_, s) in stage::all(r)? {
        blobs.extend(s.value().and_then(ValRef::blob_id));
    }
    if let Some(m) = state::load(r)? {
        trees.push(m.base_tree);
        trees.push(m.tree);
        blobs.extend(m.values().filter_map(|v| v.blob_id()));
    }
    // Each tree node with its level, known for all but the roots.
    let mut nodes: Vec<(Id, Option<u8>)> = trees.into_iter().map(|t| (t, None)).collect();
    while let Some((id, level)) = nodes.pop() {
        if !seen.nodes.insert(id) {
            continue;
        }
        let node = match level {
            Some(level) => r.node(&id, level)?,
            None => r.root(&id)?,
        };
        for e in &node.entries {
            match &e.payload {
                tree::Payload::Child(c) => nodes.push((*c, Some(node.level - 1))),
                tree::Payload::Value(v) => blobs.extend(v.blob_id()),
            }
        }
    }
    for id in blobs {
        if seen.blobs.insert(id) {
            for chunk in r.blob_children(&id)? {
                seen.blobs.insert(chunk);
            }
        }
    }
    Ok(seen)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub commits: u64,
    pub nodes: u64,
    pub blobs: u64,
    pub bytes: u64,
}

impl Counts {
    fn add(&mut self, kind: ObjectKind, bytes: u64) {
        match kind {
            ObjectKind::Node => self.nodes += 1,
            ObjectKind::Blob => self.blobs += 1,
            ObjectKind::Commit => self.commits += 1,
        }
        self.bytes += bytes;
    }

    pub fn objects(&self) -> u64 {
        self.commits + self.nodes + self.blobs
    }
}

#[derive(Debug, Clone, Default)]
pub struct GcReport {
    pub reachable: Counts,
    pub removed: Counts,
    /// Unreachable objects kept because they are younger than the grace period.
    pub kept_young: u64,
    /// Reflog entries expired.
    pub expired_reflog: u64,
}

/// Drops reflog entries made before `before` (seconds since the epoch),
/// so the commits only they remember can be collected.
fn expire_reflog(w: &mut WriteCtx<'_>, before: i64, dry_run: bool) -> Result<u64> {
    let mut n = 0;
    for name in w.reflog_names()? {
        for (seq, bytes) in w.reflog(&name)? {
            let entry: refs::ReflogEntry = rmp_serde::from_slice(&bytes)
                .map_err(|e| Error::Corrupt(format!("reflog of {name}: {e}")))?;
            if entry.time < before {
                n += 1;
                if !dry_run {
                    w.reflog_remove(&name, seq)?;
                }
            }
        }
    }
    Ok(n)
}

/// Marks and sweeps in one write transaction. Unreachable objects born at
/// or after `cutoff` (seconds since the epoch) are kept; reflog entries
/// made before `expire_before` are dropped first. With `dry_run`, counts
/// what would go and deletes nothing.
pub fn collect(
    w: &mut WriteCtx<'_>,
    cutoff: u64,
    expire_before: Option<i64>,
    dry_run: bool,
) -> Result<GcReport> {
    let mut report = GcReport::default();
    let since = expire_before.unwrap_or(i64::MIN);
    let live = mark(w, since)?;
    if expire_before.is_some() {
        report.expired_reflog = expire_reflog(w, since, dry_run)?;
    }
    for kind in [ObjectKind::Commit, ObjectKind::Node, ObjectKind::Blob] {
        for (id, size) in w.object_ids(kind)? {
            if live.contains(kind, &id) {
                report.reachable.add(kind, size);
                continue;
            }
            if w.born(&id)?.is_some_and(|t| t >= cutoff) {
                report.kept_young += 1;
                continue;
            }
            report.removed.add(kind, size);
            if !dry_run {
                w.remove_object(kind, &id)?;
            }
        }
    }
    Ok(report)
}

/// One key of the current branch, as eviction sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUse {
    pub key: String,
    /// Key length plus encoded value length.
    pub size: u64,
    /// When the commit that last changed it was made.
    pub last_changed: i64,
    pub protected: bool,
}

#[derive(Debug, Clone, Default)]
pub struct EvictPlan {
    pub live: u64,
    pub high: u64,
    pub low: u64,
    /// Coldest first.
    pub dropped: Vec<KeyUse>,
    pub live_after: u64,
    /// The new root commit, unless nothing was dropped or it was a dry run.
    pub commit: Option<Id>,
}

/// High and low water and extra protected globs.
#[derive(Debug, Clone)]
pub struct Waterline {
    pub high: u64,
    pub low: u64,
    pub protect: Vec<String>,
}

/// The live size of a tree and each key's share, by a full scan of it.
pub fn live_keys(r: &dyn Reader, root: Id) -> Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    tree::scan_prefix(r, &root, "", |k, v| {
        out.push((k.to_string(), k.len() as u64 + v.len()));
        Ok(true)
    })?;
    Ok(out)
}

/// When each of `keys` last changed on the first-parent history from `head`.
fn last_changes(r: &dyn Reader, head: Id, keys: &[String]) -> Result<HashMap<String, i64>> {
    let mut open: HashSet<&str> = keys.iter().map(String::as_str).collect();
    let mut out = HashMap::new();
    let mut at = Some(head);
    while let Some(id) = at {
        if open.is_empty() {
            break;
        }
        let c = r.commit(&id)?;
        let parent = c.parents.first().copied();
        let parent_tree = crate::repo::tree_of(r, parent)?;
        for change in tree::diff(r, parent_tree, c.tree)? {
            if open.remove(change.key.as_str()) {
                out.insert(change.key, c.time);
            }
        }
        at = parent;
    }
    Ok(out)
}

/// Plans (and unless `dry_run`, commits) an eviction on the current branch.
pub fn evict(
    w: &mut WriteCtx<'_>,
    attrs: &Attributes,
    water: &Waterline,
    author: &str,
    time: i64,
    dry_run: bool,
) -> Result<EvictPlan> {
    if water.low > water.high {
        return Err(Error::Usage(format!(
            "low water ({}) is above high water ({})",
            water.low, water.high
        )));
    }
    let protect = water
        .protect
        .iter()
        .map(|g| compile_glob(g).map_err(Error::Usage))
        .collect::<Result<Vec<_>>>()?;
    let head = refs::head_commit(w)?;
    let root = crate::repo::tree_of(w, head)?;
    let keys = live_keys(w, root)?;
    let live: u64 = keys.iter().map(|(_, s)| s).sum();
    let mut plan = EvictPlan {
        live,
        high: water.high,
        low: water.low,
        live_after: live,
        ..EvictPlan::default()
    };
    let Some(head) = head else { return Ok(plan) };
    if live <= water.high {
        return Ok(plan);
    }
    let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
    let times = last_changes(w, head, &names)?;
    let mut candidates: Vec<KeyUse> = keys
        .into_iter()
        .map(|(key, size)| {
            let protected = attrs.gc_class_for(&key).value == GcClass::Protected
                || protect.iter().any(|m| m.is_match(&key));
            KeyUse {
                last_changed: times.get(&key).copied().unwrap_or(i64::MIN),
                key,
                size,
                protected,
            }
        })
        .filter(|k| !k.protected)
        .collect();
    // Coldest first: least recently changed, then largest, then by key.
    candidates.sort_by(|a, b| {
        a.last_changed
            .cmp(&b.last_changed)
            .then(b.size.cmp(&a.size))
            .then(a.key.cmp(&b.key))
    });
    for k in candidates {
        if plan.live_after <= water.low {
            break;
        }
        plan.live_after -= k.size;
        plan.dropped.push(k);
    }
    if dry_run || plan.dropped.is_empty() {
        return Ok(plan);
    }
    let mut new = NewObjects::default();
    let mut edits: Vec<(String, Option<ValRef>)> =
        plan.dropped.iter().map(|k| (k.key.clone(), None)).collect();
    edits.sort_by(|a, b| a.0.cmp(&b.0));
    let tree = tree::apply(w, root, edits, &mut new)?;
    let names: Vec<&str> = plan.dropped.iter().map(|k| k.key.as_str()).collect();
    let shown = if names.len() > 20 {
        format!("{}, and {} more", names[..20].join(", "), names.len() - 20)
    } else {
        names.join(", ")
    };
    let message = format!(
        "evict: dropped {} key(s) to go from {} to {} bytes (high water {}, low water {}): {shown}",
        names.len(),
        plan.live,
        plan.live_after,
        water.high,
        water.low
    );
    let commit = crate::object::Commit {
        tree,
        parents: Vec::new(),
        author: author.to_string(),
        time,
        message: message.clone(),
        meta: Default::default(),
    };
    w.put_objects(&new)?;
    let id = w.put_commit(&commit)?;
    let why = Move {
        author,
        time,
        message,
    };
    refs::move_head(w, Some(head), id, &why)?;
    plan.commit = Some(id);
    Ok(plan)
}
