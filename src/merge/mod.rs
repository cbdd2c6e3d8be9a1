//! Three-way merge: finding the base, merging trees key by key with the
//! strategies, and the merge-in-progress state.
//!
//! The rule table is written once (`merge_keys`): a key changed on one side
//! only takes that side; a key changed identically on both sides takes that
//! value (unless its strategy is `counter`, which adds both changes); a key
//! changed differently on both goes to its strategy, which yields a value or
//! a conflict. Only changed keys are visited (tree diffs skip equal
//! subtrees), so the cost follows the changes since the base, not the store.

pub mod rules;
pub mod state;
mod strategy;

pub use rules::{Attributes, Decided, GcClass, StrategyFlags};
pub use strategy::{ConflictKind, LastChange, Outcome, Sides, Strategy, plain_conflict, resolve};

use crate::error::Result;
use crate::object::{Id, Value};
use crate::repo::{read_value, tree_of};
use crate::store::Reader;
use crate::tree::{self, NewObjects, ObjectRead, Overlay, ValRef};
use std::collections::{BTreeMap, HashSet};

/// What happened to one key the merge touched.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyAction {
    /// Changed on their side only: their value is taken.
    TakeTheirs,
    /// Changed the same way on both sides.
    Same,
    /// Changed differently on both sides and resolved by a strategy.
    Resolved { strategy: Decided<Strategy> },
    /// Changed differently on both sides and left for review.
    Conflict {
        strategy: Decided<Strategy>,
        kind: ConflictKind,
        reason: String,
    },
}

/// One key the merge touched, with its three values and the result.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyMerge {
    pub key: String,
    pub base: Option<ValRef>,
    pub ours: Option<ValRef>,
    pub theirs: Option<ValRef>,
    /// The merged value (`None`: deleted); for a conflict, ours for now.
    pub result: Option<ValRef>,
    pub action: KeyAction,
}

impl KeyMerge {
    pub fn is_conflict(&self) -> bool {
        matches!(self.action, KeyAction::Conflict { .. })
    }
}

/// The decision for every key their side changed, before a tree is built
/// (a dry run needs no tree).
pub struct KeyMerges {
    pub keys: Vec<KeyMerge>,
    /// Values the strategies made.
    pub new: NewObjects,
    /// What changes in our tree: their values and the resolved ones.
    edits: BTreeMap<String, Option<ValRef>>,
    ours_tree: Id,
}

impl KeyMerges {
    pub fn conflicts(&self) -> impl Iterator<Item = &KeyMerge> {
        self.keys.iter().filter(|k| k.is_conflict())
    }

    /// Applies the decisions to our tree.
    pub fn into_tree(self, r: &dyn ObjectRead) -> Result<TreeMerge> {
        let KeyMerges {
            keys,
            mut new,
            edits,
            ours_tree,
        } = self;
        let mut more = NewObjects::default();
        let tree = tree::apply(&Overlay { base: r, new: &new }, ours_tree, edits, &mut more)?;
        new.absorb(more);
        Ok(TreeMerge { tree, keys, new })
    }
}

/// The outcome of merging two trees.
pub struct TreeMerge {
    /// The merged tree, with conflicted keys left at our value.
    pub tree: Id,
    pub keys: Vec<KeyMerge>,
    pub new: NewObjects,
}

impl TreeMerge {
    pub fn conflicts(&self) -> impl Iterator<Item = &KeyMerge> {
        self.keys.iter().filter(|k| k.is_conflict())
    }
}

/// When each side last changed a key, for `lww`.
pub trait ChangeTimes {
    fn ours(&self, key: &str) -> Result<Option<LastChange>>;
    fn theirs(&self, key: &str) -> Result<Option<LastChange>>;
}

/// Decides, key by key, how to merge `theirs_tree` into `ours_tree` from
/// `base_tree`, without building the merged tree.
pub fn merge_keys(
    r: &dyn ObjectRead,
    base_tree: Id,
    ours_tree: Id,
    theirs_tree: Id,
    attrs: &Attributes,
    times: &dyn ChangeTimes,
    max_value: u64,
) -> Result<KeyMerges> {
    let mut new = NewObjects::default();
    let mut keys = Vec::new();
    let mut edits: BTreeMap<String, Option<ValRef>> = BTreeMap::new();
    // Only the keys their side changed need a decision; for each, our value
    // (looked up along a path the diff mostly read already) tells whether we
    // changed it too. Keys only we changed are already in our tree.
    for c in tree::diff(r, base_tree, theirs_tree)? {
        let ours = tree::get(r, &ours_tree, &c.key)?;
        let (action, result) = if ours == c.old {
            edits.insert(c.key.clone(), c.new.clone());
            (KeyAction::TakeTheirs, c.new.clone())
        } else if ours == c.new && !counts_both(r, attrs, &c.key, &c.new)? {
            // The same change on both sides is taken once, except by a
            // counter: two increments of 1 are an increment of 2.
            (KeyAction::Same, c.new.clone())
        } else {
            let strategy = attrs.strategy_for(&c.key);
            let decode = |v: &Option<ValRef>| v.as_ref().map(|v| read_value(r, v)).transpose();
            let (bv, ov, tv) = (decode(&c.old)?, decode(&ours)?, decode(&c.new)?);
            let lww = strategy.value == Strategy::Lww;
            let sides = Sides {
                base: bv.as_ref(),
                ours: ov.as_ref(),
                theirs: tv.as_ref(),
                ours_changed: if lww { times.ours(&c.key)? } else { None },
                theirs_changed: if lww { times.theirs(&c.key)? } else { None },
            };
            match resolve(strategy.value, &sides) {
                Outcome::Value(v) => {
                    let vref = store(v.as_ref(), max_value, &mut new, &ours, &c.new, &ov, &tv)?;
                    if vref != ours {
                        edits.insert(c.key.clone(), vref.clone());
                    }
                    (KeyAction::Resolved { strategy }, vref)
                }
                Outcome::Conflict { kind, reason } => (
                    KeyAction::Conflict {
                        strategy,
                        kind,
                        reason,
                    },
                    ours.clone(),
                ),
            }
        };
        keys.push(KeyMerge {
            key: c.key,
            base: c.old,
            ours,
            theirs: c.new,
            result,
            action,
        });
    }
    Ok(KeyMerges {
        keys,
        new,
        edits,
        ours_tree,
    })
}

/// Whether an equal change on both sides counts twice: only for a key whose
/// strategy is `counter` and whose new value is a number (two increments of 1
/// are an increment of 2; an equal deletion or an equal string is taken once).
pub fn counts_both(
    r: &dyn ObjectRead,
    attrs: &Attributes,
    key: &str,
    value: &Option<ValRef>,
) -> Result<bool> {
    if !attrs.strategy_for(key).value.adds_changes() {
        return Ok(false);
    }
    Ok(match value {
        Some(v) => matches!(read_value(r, v)?, Value::Int(_) | Value::Float(_)),
        None => false,
    })
}

/// The stored form of a strategy's result, reusing a side's stored value when
/// the result equals it.
fn store(
    v: Option<&Value>,
    max_value: u64,
    new: &mut NewObjects,
    ours_ref: &Option<ValRef>,
    theirs_ref: &Option<ValRef>,
    ours: &Option<Value>,
    theirs: &Option<Value>,
) -> Result<Option<ValRef>> {
    let Some(v) = v else { return Ok(None) };
    if ours.as_ref() == Some(v) {
        return Ok(ours_ref.clone());
    }
    if theirs.as_ref() == Some(v) {
        return Ok(theirs_ref.clone());
    }
    let bytes = v.encode()?;
    if bytes.len() as u64 > max_value {
        return Err(crate::Error::Usage(format!(
            "merged value of {} bytes is larger than core.max-value-size ({max_value} bytes)",
            bytes.len()
        )));
    }
    Ok(Some(tree::store_value(bytes, new)))
}

/// Every ancestor of `id`, itself included.
pub fn ancestors(r: &dyn Reader, id: Id) -> Result<HashSet<Id>> {
    let mut seen = HashSet::new();
    let mut todo = vec![id];
    while let Some(c) = todo.pop() {
        if seen.insert(c) {
            todo.extend(r.commit(&c)?.parents);
        }
    }
    Ok(seen)
}

/// The best common ancestors of `a` and `b` (none for unrelated histories),
/// sorted by id so the answer does not depend on the order of the arguments.
pub fn merge_bases(r: &dyn Reader, a: Id, b: Id) -> Result<Vec<Id>> {
    let of_a = ancestors(r, a)?;
    let common: HashSet<Id> = ancestors(r, b)?
        .into_iter()
        .filter(|c| of_a.contains(c))
        .collect();
    // Common ancestors are closed under taking parents, so a common ancestor
    // is not a best one exactly when it is the parent of another.
    let mut below = HashSet::new();
    for c in &common {
        below.extend(r.commit(c)?.parents);
    }
    let mut best: Vec<Id> = common.into_iter().filter(|c| !below.contains(c)).collect();
    best.sort();
    Ok(best)
}

/// The tree to merge from: the one best common ancestor's, or, for a
/// criss-cross history with several, a virtual base made by merging them
/// (recursively, pairwise in id order; a key they conflict on keeps the value
/// of the first). The empty tree when the histories share nothing.
pub fn base_tree(
    r: &dyn Reader,
    a: Id,
    b: Id,
    attrs: &Attributes,
    new: &mut NewObjects,
) -> Result<Id> {
    let bases = merge_bases(r, a, b)?;
    let Some((&first, rest)) = bases.split_first() else {
        return Ok(tree::empty_root());
    };
    let mut acc = tree_of(r, Some(first))?;
    for &next in rest {
        let inner = base_tree(r, first, next, attrs, new)?;
        let theirs = tree_of(r, Some(next))?;
        let src = Overlay { base: r, new };
        let merged =
            merge_keys(&src, inner, acc, theirs, attrs, &NoTimes, u64::MAX)?.into_tree(&src)?;
        // Conflicted keys are already at the first side's value in the tree.
        acc = merged.tree;
        new.absorb(merged.new);
    }
    Ok(acc)
}

/// Change times for merges where they are not known (virtual bases):
/// lww then keeps our side.
pub struct NoTimes;

impl ChangeTimes for NoTimes {
    fn ours(&self, _: &str) -> Result<Option<LastChange>> {
        Ok(None)
    }
    fn theirs(&self, _: &str) -> Result<Option<LastChange>> {
        Ok(None)
    }
}

/// Finds, for each side, the newest commit since the merge base that changed
/// a key (against its first parent).
pub struct HistoryTimes<'a> {
    pub r: &'a dyn Reader,
    pub ours: Option<Id>,
    pub theirs: Id,
    /// Ancestors of the merge base(s): the walk stops there.
    pub stop: HashSet<Id>,
}

impl HistoryTimes<'_> {
    fn last_change(&self, tip: Id, key: &str) -> Result<Option<LastChange>> {
        let mut todo = vec![tip];
        let mut seen = HashSet::new();
        let mut best: Option<LastChange> = None;
        while let Some(id) = todo.pop() {
            if self.stop.contains(&id) || !seen.insert(id) {
                continue;
            }
            let c = self.r.commit(&id)?;
            let parent_tree = tree_of(self.r, c.parents.first().copied())?;
            if tree::get(self.r, &c.tree, key)? != tree::get(self.r, &parent_tree, key)? {
                let stamp = LastChange {
                    time: c.time,
                    commit: id.0,
                };
                best = best.max(Some(stamp));
                // Older commits on this path cannot be newer changes of it.
                continue;
            }
            todo.extend(c.parents);
        }
        Ok(best)
    }
}

impl ChangeTimes for HistoryTimes<'_> {
    fn ours(&self, key: &str) -> Result<Option<LastChange>> {
        match self.ours {
            Some(tip) => self.last_change(tip, key),
            None => Ok(None),
        }
    }
    fn theirs(&self, key: &str) -> Result<Option<LastChange>> {
        self.last_change(self.theirs, key)
    }
}
