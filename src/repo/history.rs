//! Reading history: log, show and diff.

use super::{DiffSpec, KeyChange, Repo, read_value, tree_of};
use crate::error::Result;
use crate::object::{Commit, Id, validate_key};
use crate::refs;
use crate::rev;
use crate::stage::{self, Staged};
use crate::store::{ReadCtx, Reader};
use crate::tree;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

impl Repo {
    /// Commits newest first from `start` (default HEAD), children always
    /// before their parents, ties in time broken by that order. With `keys`,
    /// only commits that changed one of them (against the first parent).
    pub fn log(
        &self,
        start: Option<&str>,
        limit: Option<usize>,
        keys: &[String],
    ) -> Result<Vec<(Id, Commit)>> {
        for k in keys {
            validate_key(k)?;
        }
        self.store.read(|r| {
            let tip = match start {
                Some(rev) => Some(rev::resolve(r, rev)?),
                None => refs::head_commit(r)?,
            };
            let Some(tip) = tip else {
                return Ok(Vec::new());
            };
            let mut out = Vec::new();
            for (id, commit) in topo_order(r, tip)? {
                if limit.is_some_and(|n| out.len() >= n) {
                    break;
                }
                if !keys.is_empty() && !changes_any(r, &commit, keys)? {
                    continue;
                }
                out.push((id, commit));
            }
            Ok(out)
        })
    }

    /// A commit and its key-level changes against its first parent.
    pub fn show(&self, rev: &str) -> Result<(Id, Commit, Vec<KeyChange>)> {
        self.store.read_once(|r| {
            let id = rev::resolve(r, rev)?;
            let commit = r.commit(&id)?;
            let parent_tree = tree_of(r, commit.parents.first().copied())?;
            let changes = decode_changes(r, tree::diff(r, parent_tree, commit.tree)?)?;
            Ok((id, commit, changes))
        })
    }

    /// Key-level differences; `prefix` restricts them to a namespace.
    pub fn diff(&self, spec: &DiffSpec, prefix: &str) -> Result<Vec<KeyChange>> {
        // Two trees are diffed in one pass that reads each node once; the
        // working-state forms look staged keys up, which a cache helps.
        let once = matches!(spec, DiffSpec::Between(..));
        let run = |r: &ReadCtx| {
            let head_tree = tree_of(r, refs::head_commit(r)?)?;
            let staged: Vec<(String, Staged)> = stage::all(r)?
                .into_iter()
                .filter(|(k, _)| k.starts_with(prefix))
                .collect();
            let raw = match spec {
                DiffSpec::Between(a, b) => {
                    let ta = tree_of(r, Some(rev::resolve(r, a)?))?;
                    let tb = tree_of(r, Some(rev::resolve(r, b)?))?;
                    tree::diff_prefix(r, ta, tb, prefix)?
                }
                DiffSpec::Staged => overlay_staged(r, Vec::new(), head_tree, &staged)?,
                DiffSpec::Against(rev) => {
                    let ta = tree_of(r, Some(rev::resolve(r, rev)?))?;
                    let committed = tree::diff_prefix(r, ta, head_tree, prefix)?;
                    overlay_staged(r, committed, ta, &staged)?
                }
            };
            decode_changes(r, raw)
        };
        if once {
            self.store.read_once(run)
        } else {
            self.store.read(run)
        }
    }
}

fn decode_changes(r: &dyn Reader, raw: Vec<tree::Change>) -> Result<Vec<KeyChange>> {
    raw.into_iter()
        .map(|c| {
            Ok(KeyChange {
                old: c.old.map(|v| read_value(r, &v)).transpose()?,
                new: c.new.map(|v| read_value(r, &v)).transpose()?,
                key: c.key,
            })
        })
        .collect()
}

/// Replaces the changes of staged keys in `committed` (a diff from `from_tree`)
/// with the staged values, compared against `from_tree`.
fn overlay_staged(
    r: &dyn Reader,
    committed: Vec<tree::Change>,
    from_tree: Id,
    staged: &[(String, Staged)],
) -> Result<Vec<tree::Change>> {
    let mut by_key: BTreeMap<String, tree::Change> =
        committed.into_iter().map(|c| (c.key.clone(), c)).collect();
    for (key, s) in staged {
        let old = tree::get(r, &from_tree, key)?;
        let new = s.value().cloned();
        if old == new {
            by_key.remove(key);
        } else {
            by_key.insert(
                key.clone(),
                tree::Change {
                    key: key.clone(),
                    old,
                    new,
                },
            );
        }
    }
    Ok(by_key.into_values().collect())
}

fn changes_any(r: &dyn Reader, commit: &Commit, keys: &[String]) -> Result<bool> {
    let parent_tree = tree_of(r, commit.parents.first().copied())?;
    for key in keys {
        if tree::get(r, &commit.tree, key)? != tree::get(r, &parent_tree, key)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Every commit reachable from `tip`, newest first, never a parent before
/// any of its children (Kahn's algorithm, picking the newest ready commit).
fn topo_order(r: &dyn Reader, tip: Id) -> Result<Vec<(Id, Commit)>> {
    let mut commits: HashMap<Id, Commit> = HashMap::new();
    let mut children: HashMap<Id, usize> = HashMap::new();
    let mut todo = vec![tip];
    while let Some(id) = todo.pop() {
        if commits.contains_key(&id) {
            continue;
        }
        let c = r.commit(&id)?;
        for p in &c.parents {
            *children.entry(*p).or_default() += 1;
            todo.push(*p);
        }
        commits.insert(id, c);
    }
    let mut ready = BinaryHeap::new();
    let mut seq = 0u64;
    ready.push((commits[&tip].time, seq, tip));
    let mut out = Vec::with_capacity(commits.len());
    while let Some((_, _, id)) = ready.pop() {
        let c = commits.remove(&id).expect("each commit is ready once");
        for p in &c.parents {
            let n = children.get_mut(p).expect("counted while collecting");
            *n -= 1;
            if *n == 0 {
                seq += 1;
                // Among equal times, the later-discovered commit goes first:
                // on a linear run that is the child's own parent.
                ready.push((commits[p].time, seq, *p));
            }
        }
        out.push((id, c));
    }
    Ok(out)
}
