//! The merge in progress, stored in the repository (`meta` key `merge`) while
//! conflicts wait for review. `status`, `conflicts`, `get --side` and
//! `resolve` read it; `merge --continue` and `--abort` end it.

use super::{ConflictKind, KeyAction, TreeMerge};
use crate::error::{Error, Result};
use crate::object::Id;
use crate::store::{Reader, WriteCtx};
use crate::tree::ValRef;
use serde::{Deserialize, Serialize};

const KEY: &str = "merge";
const FORMAT: u8 = 1;

/// How a conflicted key was settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    /// The chosen value; `None` deletes the key.
    pub value: Option<StoredValue>,
    /// How it was chosen: `ours`, `theirs`, `base`, `delete`, `value`,
    /// `strategy:NAME`, `file`, `edit`.
    pub how: String,
}

/// A `ValRef` in serde form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StoredValue {
    Inline(#[serde(with = "serde_bytes")] Vec<u8>),
    Blob(Id, u64),
}

impl From<&ValRef> for StoredValue {
    fn from(v: &ValRef) -> StoredValue {
        match v {
            ValRef::Inline(b) => StoredValue::Inline(b.to_vec()),
            ValRef::Blob { id, len } => StoredValue::Blob(*id, *len),
        }
    }
}

impl From<&StoredValue> for ValRef {
    fn from(v: &StoredValue) -> ValRef {
        match v {
            StoredValue::Inline(b) => ValRef::Inline(b.clone().into()),
            StoredValue::Blob(id, len) => ValRef::Blob { id: *id, len: *len },
        }
    }
}

fn stored(v: &Option<ValRef>) -> Option<StoredValue> {
    v.as_ref().map(StoredValue::from)
}

pub fn valref(v: &Option<StoredValue>) -> Option<ValRef> {
    v.as_ref().map(ValRef::from)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictRecord {
    pub key: String,
    pub kind: String,
    pub reason: String,
    pub strategy: String,
    pub base: Option<StoredValue>,
    pub ours: Option<StoredValue>,
    pub theirs: Option<StoredValue>,
    pub resolution: Option<Resolution>,
}

impl ConflictRecord {
    pub fn kind(&self) -> ConflictKind {
        ConflictKind::from_name(&self.kind).unwrap_or(ConflictKind::BothModified)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeState {
    format: u8,
    /// HEAD when the merge started (the first parent).
    pub ours: Id,
    /// The commit being merged (the second parent).
    pub theirs: Id,
    /// Labels for the sides: our branch name (or HEAD), their revision as given.
    pub ours_label: String,
    pub theirs_label: String,
    pub message: String,
    /// The tree merged from (a virtual one for criss-cross histories).
    pub base_tree: Id,
    /// The merged tree, with conflicted keys still at our value.
    pub tree: Id,
    pub conflicts: Vec<ConflictRecord>,
}

impl MergeState {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        ours: Id,
        theirs: Id,
        ours_label: String,
        theirs_label: String,
        message: String,
        base_tree: Id,
        merge: &TreeMerge,
    ) -> MergeState {
        let conflicts = merge
            .keys
            .iter()
            .filter_map(|k| match &k.action {
                KeyAction::Conflict {
                    strategy,
                    kind,
                    reason,
                } => Some(ConflictRecord {
                    key: k.key.clone(),
                    kind: kind.name().to_string(),
                    reason: reason.clone(),
                    strategy: strategy.value.name().to_string(),
                    base: stored(&k.base),
                    ours: stored(&k.ours),
                    theirs: stored(&k.theirs),
                    resolution: None,
                }),
                _ => None,
            })
            .collect();
        MergeState {
            format: FORMAT,
            ours,
            theirs,
            ours_label,
            theirs_label,
            message,
            base_tree,
            tree: merge.tree,
            conflicts,
        }
    }

    pub fn unresolved(&self) -> impl Iterator<Item = &ConflictRecord> {
        self.conflicts.iter().filter(|c| c.resolution.is_none())
    }

    /// Every object the state refers to (for gc and fsck).
    pub fn values(&self) -> impl Iterator<Item = ValRef> + '_ {
        self.conflicts.iter().flat_map(|c| {
            [&c.base, &c.ours, &c.theirs]
                .into_iter()
                .chain(c.resolution.iter().map(|r| &r.value))
                .filter_map(valref)
        })
    }
}

pub fn load(r: &dyn Reader) -> Result<Option<MergeState>> {
    let Some(bytes) = r.meta_get(KEY)? else {
        return Ok(None);
    };
    let state: MergeState = rmp_serde::from_slice(&bytes)
        .map_err(|e| Error::Corrupt(format!("the merge state is malformed: {e}")))?;
    if state.format != FORMAT {
        return Err(Error::Unreadable(format!(
            "the merge in progress has state format {}, this build reads {FORMAT}",
            state.format
        )));
    }
    Ok(Some(state))
}

pub fn save(w: &mut WriteCtx<'_>, state: &MergeState) -> Result<()> {
    let bytes = rmp_serde::to_vec(state).expect("a merge state always serializes");
    w.meta_put(KEY, &bytes)
}

pub fn clear(w: &mut WriteCtx<'_>) -> Result<()> {
    w.meta_remove(KEY)
}

/// Refuses an operation while a merge is in progress.
pub fn refuse_during_merge(r: &dyn Reader, what: &str) -> Result<()> {
    if let Some(state) = load(r)? {
        let open = state.unresolved().count();
        return Err(Error::refused(
            format!(
                "cannot {what}: a merge of {} is in progress",
                state.theirs_label
            ),
            if open > 0 {
                format!(
                    "{open} conflict(s) left: 'kvgit resolve' them and 'kvgit merge --continue', or 'kvgit merge --abort'"
                )
            } else {
                "'kvgit merge --continue' to commit it, or 'kvgit merge --abort'".to_string()
            },
        ));
    }
    Ok(())
}
