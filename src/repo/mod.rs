//! The porcelain API: one function per user-level operation, each one read or
//! one write transaction. The CLI calls these and renders what they return.
//!
//! This file holds opening a repository, the working state (get, ls, status)
//! and staging and committing; the rest is split by topic below.

/// Branches, tags, switch and checkout.
mod branches;
/// log, show and diff.
mod history;
/// gc, eviction and fsck.
mod maintenance;
/// merge and the review of its conflicts.
mod merge;
/// import and export.
mod transfer;

pub use crate::store::{Access, EngineCheck};
pub use branches::Switched;
pub use maintenance::GcRun;
pub use merge::{
    Choice, ConflictView, KeyReport, MergeOptions, MergeOutcome, MergeReport, MergeStatus, Side,
};
pub use transfer::{Format, ImportOptions, ImportReport};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::merge::state;
use crate::merge::{self as merging, Attributes, Outcome, Sides, StrategyFlags};
use crate::object::{Commit, Id, Value, ValueType, validate_key};
use crate::ops::{Op, increment};
use crate::refs::{self, Head, Move, ReflogEntry};
use crate::rev;
use crate::stage::{self, Staged};
use crate::store::{Reader, Store, WriteCtx};
use crate::tree::{self, NewObjects, ObjectRead, ValRef};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The repository directory's name.
pub const DIR_NAME: &str = ".kvgit";
pub const DB_FILE: &str = "kvgit.redb";
pub const CONFIG_FILE: &str = "config.toml";

/// Who is acting and when; the library never reads these from the environment.
#[derive(Debug, Clone)]
pub struct Signature {
    pub author: String,
    /// Seconds since the Unix epoch.
    pub time: i64,
}

/// How to open a repository.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    pub access: Access,
    pub lock_timeout: Duration,
    /// The user config file, if there is one to read.
    pub user_config: Option<PathBuf>,
    /// The wall-clock time (seconds since the epoch) recorded as the birth of
    /// stored objects, for gc's grace period.
    pub now: u64,
}

pub struct Repo {
    /// The `.kvgit` directory.
    pub dir: PathBuf,
    store: Store,
    pub config: Config,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitOutcome {
    Created(PathBuf),
    AlreadyExists(PathBuf),
}

/// A key whose value differs between two states.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyChange {
    pub key: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    Removed,
}

impl ChangeKind {
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "modified",
            ChangeKind::Removed => "removed",
        }
    }
}

impl KeyChange {
    pub fn kind(&self) -> ChangeKind {
        match (&self.old, &self.new) {
            (None, _) => ChangeKind::Added,
            (_, None) => ChangeKind::Removed,
            _ => ChangeKind::Modified,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Status {
    pub head: Head,
    pub commit: Option<Id>,
    /// The commit the staged changes were based on, if anything is staged.
    pub base: Option<Option<Id>>,
    /// Staged changes against their base.
    pub staged: Vec<KeyChange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitOutcome {
    Committed {
        id: Id,
        /// The head had moved since staging and the changes were merged onto it.
        merged: bool,
    },
    NothingToCommit,
    /// Staged keys that the commits since staging also changed.
    Conflicts(Vec<String>),
}

/// What a batch did, how many operations it read, and its commit message.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchReport {
    pub outcome: CommitOutcome,
    pub ops: u64,
    pub message: String,
}

/// Operations or entries applied to the tree at a time by a long batch or
/// an import: bounds their memory.
pub(crate) const BATCH: usize = 50_000;

#[derive(Debug, Clone)]
pub struct CommitOptions {
    pub message: String,
    pub signature: Signature,
    pub allow_empty: bool,
    pub meta: BTreeMap<String, String>,
    pub expect_head: Option<String>,
}

/// What `stage` did.
#[derive(Debug, Clone, PartialEq)]
pub enum StageOutcome {
    /// Each key with the value it now has in the working state.
    Staged(Vec<(String, Option<Value>)>),
    /// Keys to remove that do not exist; nothing was staged.
    Missing(Vec<String>),
}

/// One key of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub key: String,
    pub value_type: ValueType,
    /// Bytes of the encoded value.
    pub size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetMode {
    Soft,
    Hard,
}

/// Which states `diff` compares.
#[derive(Debug, Clone)]
pub enum DiffSpec {
    /// Staged changes against HEAD.
    Staged,
    /// REV against HEAD plus staged changes.
    Against(String),
    /// The first revision against the second.
    Between(String, String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchInfo {
    pub name: String,
    pub commit: Id,
    pub current: bool,
}

impl Repo {
    /// Creates `dir/.kvgit`. An existing repository is left untouched.
    pub fn init(
        dir: &Path,
        initial_branch: &str,
        lock_timeout: Duration,
        now: u64,
    ) -> Result<InitOutcome> {
        refs::validate_ref_name(initial_branch)?;
        let kvdir = dir.join(DIR_NAME);
        let db = kvdir.join(DB_FILE);
        if db.exists() {
            return Ok(InitOutcome::AlreadyExists(kvdir));
        }
        std::fs::create_dir_all(&kvdir)
            .map_err(|e| Error::Io(format!("cannot create {}: {e}", kvdir.display())))?;
        let config = kvdir.join(CONFIG_FILE);
        if !config.exists() {
            // Empty: `kvgit config set` writes it (a lone comment would end
            // up below the first table it adds).
            std::fs::write(&config, "")?;
        }
        // Build the database beside its final name and move it into place, so
        // a crash during init never leaves a half-made database behind.
        let tmp = kvdir.join(format!("{DB_FILE}.init-{}", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        Store::create(&tmp, lock_timeout, now, |w| {
            let mut new = NewObjects::default();
            new.add_node(tree::Node::empty_leaf());
            w.put_objects(&new)?;
            refs::write_head(w, &Head::Branch(initial_branch.to_string()))
        })?;
        std::fs::rename(&tmp, &db)?;
        Ok(InitOutcome::Created(kvdir))
    }

    /// Finds the `.kvgit` directory at or above `start`.
    pub fn discover(start: &Path) -> Result<PathBuf> {
        let start = std::path::absolute(start)?;
        for dir in start.ancestors() {
            let candidate = dir.join(DIR_NAME);
            if candidate.is_dir() {
                return Ok(candidate);
            }
        }
        Err(Error::NotARepository(start))
    }

    /// Opens the repository whose `.kvgit` directory is `dir`.
    pub fn open(dir: &Path, opts: &OpenOptions) -> Result<Repo> {
        if !dir.is_dir() {
            return Err(Error::NotARepository(dir.to_path_buf()));
        }
        let config = Config::load(&dir.join(CONFIG_FILE), opts.user_config.as_deref())?;
        let store = Store::open(&dir.join(DB_FILE), opts.access, opts.lock_timeout, opts.now)?;
        Ok(Repo {
            dir: dir.to_path_buf(),
            store,
            config,
        })
    }

    // ----- reading -----

    pub fn head(&self) -> Result<(Head, Option<Id>)> {
        self.store
            .read(|r| Ok((refs::read_head(r)?, refs::head_commit(r)?)))
    }

    pub fn resolve(&self, rev: &str) -> Result<Id> {
        self.store.read(|r| rev::resolve(r, rev))
    }

    pub fn commit_info(&self, id: &Id) -> Result<Commit> {
        self.store.read(|r| r.commit(id))
    }

    /// The value of `key`: staged first (unless `committed` or `at` is given),
    /// else at HEAD (or `at`).
    pub fn get(&self, key: &str, at: Option<&str>, committed: bool) -> Result<Option<Value>> {
        validate_key(key)?;
        self.store.read(|r| {
            let vref = match at {
                Some(rev) => {
                    let tree = tree_of(r, Some(rev::resolve(r, rev)?))?;
                    tree::get(r, &tree, key)?
                }
                None => working_value(r, key, committed)?,
            };
            vref.map(|v| read_value(r, &v)).transpose()
        })
    }

    /// Keys starting with `prefix`, in order: the working state (HEAD plus
    /// staged changes), or the tree at `at`.
    pub fn ls(&self, prefix: &str, at: Option<&str>) -> Result<Vec<Listing>> {
        self.store.read(|r| {
            let (tree, staged) = match at {
                Some(rev) => (tree_of(r, Some(rev::resolve(r, rev)?))?, Vec::new()),
                None => {
                    let staged: Vec<_> = stage::all(r)?
                        .into_iter()
                        .filter(|(k, _)| k.starts_with(prefix))
                        .collect();
                    (tree_of(r, refs::head_commit(r)?)?, staged)
                }
            };
            let mut out = Vec::new();
            let mut staged = staged.into_iter().peekable();
            let emit = |key: &str, vref: &ValRef, out: &mut Vec<Listing>| -> Result<()> {
                out.push(Listing {
                    key: key.to_string(),
                    value_type: value_type_of(r, vref)?,
                    size: vref.len(),
                });
                Ok(())
            };
            tree::scan_prefix(r, &tree, prefix, |key, vref| {
                while let Some((sk, s)) = staged.next_if(|(sk, _)| sk.as_str() <= key) {
                    if sk != key
                        && let Some(v) = s.value()
                    {
                        emit(&sk, v, &mut out)?;
                    }
                    if sk == key {
                        if let Some(v) = s.value() {
                            emit(&sk, v, &mut out)?;
                        }
                        return Ok(true);
                    }
                }
                emit(key, vref, &mut out)?;
                Ok(true)
            })?;
            for (sk, s) in staged {
                if let Some(v) = s.value() {
                    emit(&sk, v, &mut out)?;
                }
            }
            Ok(out)
        })
    }

    pub fn status(&self) -> Result<Status> {
        self.store.read(|r| {
            let head = refs::read_head(r)?;
            let commit = refs::head_commit(r)?;
            let base = stage::base(r)?;
            let base_tree = tree_of(r, base.unwrap_or(commit))?;
            let mut staged = Vec::new();
            for (key, s) in stage::all(r)? {
                let old = tree::get(r, &base_tree, &key)?;
                staged.push(KeyChange {
                    old: old.map(|v| read_value(r, &v)).transpose()?,
                    new: s.value().map(|v| read_value(r, v)).transpose()?,
                    key,
                });
            }
            Ok(Status {
                head,
                commit,
                base,
                staged,
            })
        })
    }

    pub fn branches(&self) -> Result<Vec<BranchInfo>> {
        self.store.read(|r| {
            let current = match refs::read_head(r)? {
                Head::Branch(b) => Some(b),
                Head::Detached(_) => None,
            };
            Ok(r.refs_with_prefix("heads/")?
                .into_iter()
                .map(|(name, commit)| {
                    let name = name["heads/".len()..].to_string();
                    BranchInfo {
                        current: current.as_deref() == Some(name.as_str()),
                        name,
                        commit,
                    }
                })
                .collect())
        })
    }

    pub fn tags(&self) -> Result<Vec<(String, Id)>> {
        self.store.read(|r| {
            Ok(r.refs_with_prefix("tags/")?
                .into_iter()
                .map(|(name, id)| (name["tags/".len()..].to_string(), id))
                .collect())
        })
    }

    /// The reflog of `name` (`HEAD`, or a branch name), newest first.
    pub fn reflog(&self, name: &str) -> Result<Vec<ReflogEntry>> {
        self.store.read(|r| {
            let key = if name == refs::HEAD {
                name.to_string()
            } else {
                if r.ref_get(&refs::branch_ref(name))?.is_none()
                    && r.reflog(&refs::branch_ref(name))?.is_empty()
                {
                    return Err(Error::UnknownRevision(format!("'{name}': no such branch")));
                }
                refs::branch_ref(name)
            };
            let mut entries = refs::read_reflog(r, &key)?;
            entries.reverse();
            Ok(entries)
        })
    }

    // ----- writing -----

    /// Stages edits on top of the working state, in one write transaction.
    /// Removing a key that does not exist stages nothing at all.
    pub fn stage(&self, ops: Vec<Op>) -> Result<StageOutcome> {
        let max = self.config.max_value_size();
        let attrs = self.attributes(StrategyFlags::default())?;
        let mut new = NewObjects::default();
        let prepared = prepare(ops, &attrs, max, &mut new)?;
        self.store.write(|w| {
            state::refuse_during_merge(w, "stage changes")?;
            let head = refs::head_commit(w)?;
            let base = stage::base(w)?.unwrap_or(head);
            let base_tree = tree_of(w, base)?;
            // Work out every key's new state first, so a missing key aborts
            // before anything is written.
            let mut states: BTreeMap<String, Option<ValRef>> = BTreeMap::new();
            let mut missing = Vec::new();
            let mut order = Vec::new();
            for (op, vref) in prepared {
                let key = op.key().to_string();
                let current = match states.get(&key) {
                    Some(v) => v.clone(),
                    None => match stage::get(w, &key)? {
                        Some(s) => s.value().cloned(),
                        None => tree::get(w, &base_tree, &key)?,
                    },
                };
                let next = match op {
                    Op::Set { .. } => vref,
                    Op::Remove { .. } => {
                        // Missing unless an earlier op of this call removed it.
                        if current.is_none() && !states.contains_key(&key) {
                            missing.push(key.clone());
                        }
                        None
                    }
                    Op::Incr { by, .. } => {
                        let now = current.map(|v| read_value(w, &v)).transpose()?;
                        let next = increment(&key, now, by)?;
                        attrs.check_type(&key, next.value_type())?;
                        Some(encode_value(&next, max, &mut new)?)
                    }
                };
                if !order.contains(&key) {
                    order.push(key.clone());
                }
                states.insert(key, next);
            }
            if !missing.is_empty() {
                return Ok(StageOutcome::Missing(missing));
            }
            w.put_objects(&new)?;
            let mut result = Vec::new();
            for key in order {
                let next = states.remove(&key).expect("every ordered key has a state");
                if next == tree::get(w, &base_tree, &key)? {
                    w.stage_remove(&key)?;
                } else {
                    let entry = match &next {
                        Some(v) => Staged::Set(v.clone()),
                        None => Staged::Remove,
                    };
                    w.stage_put(&key, &entry.encode())?;
                }
                let value = next.map(|v| read_value(w, &v)).transpose()?;
                result.push((key, value));
            }
            if w.stage_is_empty()? {
                stage::clear(w)?;
            } else if stage::base(w)?.is_none() {
                stage::set_base(w, base)?;
            }
            Ok(StageOutcome::Staged(result))
        })
    }

    /// Commits the staged changes. If the branch moved since they were
    /// staged, they are applied onto the new head unless a staged key was
    /// also changed there (then nothing is committed and the keys are listed).
    pub fn commit(&self, opts: &CommitOptions) -> Result<CommitOutcome> {
        let expected = self.expected_head(opts.expect_head.as_deref())?;
        let attrs = self.attributes(StrategyFlags::default())?;
        let max = self.config.max_value_size();
        self.store.write(|w| {
            state::refuse_during_merge(w, "commit")?;
            let head = refs::head_commit(w)?;
            check_expected(head, expected)?;
            let staged = stage::all(w)?;
            let base = stage::base(w)?.unwrap_or(head);
            if staged.is_empty() && !opts.allow_empty {
                return Ok(CommitOutcome::NothingToCommit);
            }
            let head_tree = tree_of(w, head)?;
            let mut new = NewObjects::default();
            let mut edits: Vec<(String, Option<ValRef>)> = Vec::with_capacity(staged.len());
            let mut conflicts = Vec::new();
            let base_tree = tree_of(w, base)?;
            for (key, s) in &staged {
                let ours = s.value().cloned();
                if base != head {
                    let theirs = tree::get(w, &head_tree, key)?;
                    let before = tree::get(w, &base_tree, key)?;
                    let counted = merging::counts_both(w, &attrs, key, &ours)?;
                    if theirs != before && (theirs != ours || counted) {
                        // Changed here and by the commits since staging.
                        match merge_staged(
                            w, &attrs, key, before, ours, theirs, base, head, opts, max, &mut new,
                        )? {
                            Ok(v) => edits.push((key.clone(), v)),
                            Err(()) => conflicts.push(key.clone()),
                        }
                        continue;
                    }
                }
                edits.push((key.clone(), ours));
            }
            if !conflicts.is_empty() {
                return Ok(CommitOutcome::Conflicts(conflicts));
            }
            let tree = tree::apply(w, head_tree, edits, &mut new)?;
            if tree == head_tree && !opts.allow_empty {
                // What was staged is already in HEAD.
                stage::clear(w)?;
                return Ok(CommitOutcome::NothingToCommit);
            }
            let id = write_commit(w, &new, head, tree, opts, "commit")?;
            stage::clear(w)?;
            Ok(CommitOutcome::Committed {
                id,
                merged: base != head,
            })
        })
    }

    /// Applies `ops` to the current head and commits them, in one write
    /// transaction, ignoring the staging area. Removing a missing key is a no-op.
    pub fn batch(&self, ops: Vec<Op>, opts: &CommitOptions) -> Result<CommitOutcome> {
        Ok(self
            .batch_on(&mut ops.into_iter().map(Ok), opts, None)?
            .outcome)
    }

    /// Like [`Repo::batch`], reading the operations from `ops` (whose first
    /// error aborts the batch), on branch `branch` (which must exist) instead
    /// of HEAD when given: scripts can write to any branch without switching
    /// the repository's HEAD under other processes. An empty message becomes
    /// "Apply N operations".
    ///
    /// The first `BATCH` operations are read and encoded before the write
    /// lock is taken, so a batch of that size holds the lock only to apply
    /// them. A longer input is read and applied `BATCH` operations at a time
    /// inside the transaction, which holds the lock meanwhile, so memory stays
    /// bounded however long the input.
    pub fn batch_on(
        &self,
        ops: &mut dyn Iterator<Item = Result<Op>>,
        opts: &CommitOptions,
        branch: Option<&str>,
    ) -> Result<BatchReport> {
        let max = self.config.max_value_size();
        let attrs = self.attributes(StrategyFlags::default())?;
        let expected = self.expected_head(opts.expect_head.as_deref())?;
        let mut next_chunk = |new: &mut NewObjects| -> Result<Vec<(Op, Option<ValRef>)>> {
            let chunk = ops.take(BATCH).collect::<Result<Vec<Op>>>()?;
            prepare(chunk, &attrs, max, new)
        };
        let mut new = NewObjects::default();
        let first = next_chunk(&mut new)?;
        self.store.write(|w| {
            let head = match branch {
                None => {
                    state::refuse_during_merge(w, "commit a batch")?;
                    refs::head_commit(w)?
                }
                Some(b) => Some(
                    w.ref_get(&refs::branch_ref(b))?
                        .ok_or_else(|| Error::UnknownRevision(format!("'{b}': no such branch")))?,
                ),
            };
            check_expected(head, expected).map_err(|e| match (e, branch) {
                (
                    Error::StaleHead {
                        expected, actual, ..
                    },
                    Some(b),
                ) => Error::StaleHead {
                    name: b.to_string(),
                    expected,
                    actual,
                },
                (e, _) => e,
            })?;
            let head_tree = tree_of(w, head)?;
            let mut tree = head_tree;
            let mut count = 0u64;
            let mut chunk = first;
            while !chunk.is_empty() {
                count += chunk.len() as u64;
                // The chunk's blobs first: an `incr` may read a value set
                // earlier in the batch.
                w.put_objects(&std::mem::take(&mut new))?;
                tree = apply_ops(w, tree, chunk, &attrs, max, &mut new)?;
                w.put_objects(&std::mem::take(&mut new))?;
                chunk = next_chunk(&mut new)?;
            }
            let mut opts = opts.clone();
            if opts.message.is_empty() {
                let s = if count == 1 { "" } else { "s" };
                opts.message = format!("Apply {count} operation{s}");
            }
            let outcome = if tree == head_tree && !opts.allow_empty {
                CommitOutcome::NothingToCommit
            } else {
                let id = match branch {
                    None => write_commit(w, &new, head, tree, &opts, "batch")?,
                    Some(b) => commit_to_branch(w, &new, b, head, tree, &opts)?,
                };
                CommitOutcome::Committed { id, merged: false }
            };
            Ok(BatchReport {
                outcome,
                ops: count,
                message: opts.message,
            })
        })
    }

    /// Unstages `keys` (every key when empty); returns how many were unstaged.
    pub fn unstage(&self, keys: &[String]) -> Result<usize> {
        self.store.write(|w| {
            let count = if keys.is_empty() {
                let n = stage::all(w)?.len();
                stage::clear(w)?;
                n
            } else {
                let mut n = 0;
                for k in keys {
                    validate_key(k)?;
                    if w.stage_get(k)?.is_some() {
                        w.stage_remove(k)?;
                        n += 1;
                    }
                }
                if w.stage_is_empty()? {
                    stage::clear(w)?;
                }
                n
            };
            Ok(count)
        })
    }

    /// Moves the current branch (or detached HEAD) to `rev`. `Hard` clears the
    /// staging area; `Soft` keeps it, now based on `rev`, and stages what the
    /// commits between them changed, so the working state does not move.
    pub fn reset(
        &self,
        mode: ResetMode,
        rev: &str,
        sig: &Signature,
        expect_head: Option<&str>,
    ) -> Result<Id> {
        let expected = self.expected_head(expect_head)?;
        let target = self.resolve(rev)?;
        self.store.write(|w| {
            let head = refs::head_commit(w)?;
            check_expected(head, expected)?;
            let why = Move {
                author: &sig.author,
                time: sig.time,
                message: format!(
                    "reset: moving to {rev} ({})",
                    if mode == ResetMode::Hard {
                        "hard"
                    } else {
                        "soft"
                    }
                ),
            };
            if mode == ResetMode::Soft {
                state::refuse_during_merge(w, "reset --soft")?;
            }
            refs::move_head(w, head, target, &why)?;
            match mode {
                ResetMode::Hard => {
                    // Like git, a hard reset also abandons a merge in progress.
                    stage::clear(w)?;
                    state::clear(w)?;
                }
                ResetMode::Soft => {
                    // Like git, the working state stays what it was: what the
                    // commits left behind changed is staged, unless the key
                    // already has a staged change.
                    let (from, to) = (tree_of(w, head)?, tree_of(w, Some(target))?);
                    for change in tree::diff(w, to, from)? {
                        if stage::get(w, &change.key)?.is_none() {
                            let entry = match change.new {
                                Some(v) => Staged::Set(v),
                                None => Staged::Remove,
                            };
                            w.stage_put(&change.key, &entry.encode())?;
                        }
                    }
                    // A staged change that the new base already holds is none.
                    for (key, staged) in stage::all(w)? {
                        if staged.value().cloned() == tree::get(w, &to, &key)? {
                            w.stage_remove(&key)?;
                        }
                    }
                    if w.stage_is_empty()? {
                        stage::clear(w)?;
                    } else {
                        stage::set_base(w, Some(target))?;
                    }
                }
            }
            Ok(target)
        })
    }

    fn expected_head(&self, rev: Option<&str>) -> Result<Option<Option<Id>>> {
        rev.map(|r| self.resolve(r).map(Some)).transpose()
    }
}

pub(crate) fn check_expected(head: Option<Id>, expected: Option<Option<Id>>) -> Result<()> {
    match expected {
        Some(exp) if exp != head => Err(Error::StaleHead {
            name: "HEAD".into(),
            expected: exp.map_or("(none)".into(), |i| i.short()),
            actual: head.map_or("(none)".into(), |i| i.short()),
        }),
        _ => Ok(()),
    }
}

fn write_commit(
    w: &mut WriteCtx<'_>,
    new: &NewObjects,
    head: Option<Id>,
    tree: Id,
    opts: &CommitOptions,
    verb: &str,
) -> Result<Id> {
    write_commit_with_parents(
        w,
        new,
        head.into_iter().collect(),
        tree,
        &opts.signature,
        &opts.message,
        &opts.meta,
        verb,
    )
}

/// Stores `new` and a commit of `tree` on `branch`, moving it from `head`;
/// HEAD's reflog records the move too when HEAD is on that branch.
fn commit_to_branch(
    w: &mut WriteCtx<'_>,
    new: &NewObjects,
    branch: &str,
    head: Option<Id>,
    tree: Id,
    opts: &CommitOptions,
) -> Result<Id> {
    let commit = Commit {
        tree,
        parents: head.into_iter().collect(),
        author: opts.signature.author.clone(),
        time: opts.signature.time,
        message: opts.message.clone(),
        meta: opts.meta.clone(),
    };
    w.put_objects(new)?;
    let id = w.put_commit(&commit)?;
    let why = Move {
        author: &opts.signature.author,
        time: opts.signature.time,
        message: format!("batch: {}", opts.message.lines().next().unwrap_or("")),
    };
    refs::update_ref(w, &refs::branch_ref(branch), head, Some(id), &why)?;
    if refs::read_head(w)? == Head::Branch(branch.to_string()) {
        refs::log_move(w, refs::HEAD, head, Some(id), &why)?;
    }
    Ok(id)
}

/// Stores `new` and a commit of `tree`, and moves HEAD (its branch) from the
/// first parent to it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_commit_with_parents(
    w: &mut WriteCtx<'_>,
    new: &NewObjects,
    parents: Vec<Id>,
    tree: Id,
    sig: &Signature,
    message: &str,
    meta: &BTreeMap<String, String>,
    verb: &str,
) -> Result<Id> {
    let head = parents.first().copied();
    let commit = Commit {
        tree,
        parents,
        author: sig.author.clone(),
        time: sig.time,
        message: message.to_string(),
        meta: meta.clone(),
    };
    w.put_objects(new)?;
    let id = w.put_commit(&commit)?;
    let first_line = message.lines().next().unwrap_or("");
    let why = Move {
        author: &sig.author,
        time: sig.time,
        message: format!(
            "{verb}{}: {first_line}",
            if head.is_none() { " (initial)" } else { "" }
        ),
    };
    refs::move_head(w, head, id, &why)?;
    Ok(id)
}

/// Validates edits and encodes the values they set (before the write
/// transaction), checking types that rules fix.
fn prepare(
    ops: Vec<Op>,
    attrs: &Attributes,
    max: u64,
    new: &mut NewObjects,
) -> Result<Vec<(Op, Option<ValRef>)>> {
    ops.into_iter()
        .map(|op| {
            validate_key(op.key())?;
            let vref = match &op {
                Op::Set { key, value } => {
                    attrs.check_type(key, value.value_type())?;
                    Some(encode_value(value, max, new)?)
                }
                _ => None,
            };
            Ok((op, vref))
        })
        .collect()
}

/// Applies prepared operations, in order, to the tree at `root`; returns the
/// new root. An `incr` reads the value the batch gave its key so far, else
/// the one in the tree.
fn apply_ops(
    w: &WriteCtx<'_>,
    root: Id,
    ops: Vec<(Op, Option<ValRef>)>,
    attrs: &Attributes,
    max: u64,
    new: &mut NewObjects,
) -> Result<Id> {
    let mut pending: BTreeMap<String, Option<ValRef>> = BTreeMap::new();
    for (op, vref) in ops {
        let key = op.key().to_string();
        let next = match op {
            Op::Set { .. } => vref,
            Op::Remove { .. } => None,
            Op::Incr { by, .. } => {
                let current = match pending.get(&key) {
                    Some(v) => v.clone(),
                    None => tree::get(w, &root, &key)?,
                };
                let now = current.map(|v| read_value(w, &v)).transpose()?;
                let next = increment(&key, now, by)?;
                attrs.check_type(&key, next.value_type())?;
                Some(encode_value(&next, max, new)?)
            }
        };
        pending.insert(key, next);
    }
    tree::apply(w, root, pending, new)
}

/// Resolves a staged key that the commits since staging also changed, with
/// the key's strategy: ours is the staged value (the newest change), theirs
/// the head's. `Err(())` when it stays a conflict.
#[allow(clippy::too_many_arguments)]
fn merge_staged(
    w: &WriteCtx<'_>,
    attrs: &Attributes,
    key: &str,
    base: Option<ValRef>,
    ours: Option<ValRef>,
    theirs: Option<ValRef>,
    base_commit: Option<Id>,
    head: Option<Id>,
    opts: &CommitOptions,
    max: u64,
    new: &mut NewObjects,
) -> Result<std::result::Result<Option<ValRef>, ()>> {
    let strategy = attrs.strategy_for(key).value;
    let decode = |v: &Option<ValRef>| v.as_ref().map(|v| read_value(w, v)).transpose();
    let (b, o, t) = (decode(&base)?, decode(&ours)?, decode(&theirs)?);
    let theirs_changed = match (strategy, head) {
        (merging::Strategy::Lww, Some(head)) => {
            let stop = match base_commit {
                Some(b) => merging::ancestors(w, b)?,
                None => Default::default(),
            };
            let times = merging::HistoryTimes {
                r: w,
                ours: None,
                theirs: head,
                stop,
            };
            merging::ChangeTimes::theirs(&times, key)?
        }
        _ => None,
    };
    let sides = Sides {
        base: b.as_ref(),
        ours: o.as_ref(),
        theirs: t.as_ref(),
        // A staged change is being committed now: the newest of all.
        ours_changed: Some(merging::LastChange {
            time: opts.signature.time,
            commit: [0xff; 32],
        }),
        theirs_changed,
    };
    Ok(match merging::resolve(strategy, &sides) {
        Outcome::Value(None) => Ok(None),
        Outcome::Value(Some(v)) if Some(&v) == o.as_ref() => Ok(ours),
        Outcome::Value(Some(v)) if Some(&v) == t.as_ref() => Ok(theirs),
        Outcome::Value(Some(v)) => Ok(Some(encode_value(&v, max, new)?)),
        Outcome::Conflict { .. } => Err(()),
    })
}

/// The tree of a commit; the empty tree for none.
pub(crate) fn tree_of(r: &dyn Reader, commit: Option<Id>) -> Result<Id> {
    match commit {
        Some(id) => Ok(r.commit(&id)?.tree),
        None => Ok(tree::empty_root()),
    }
}

/// The working value of a key: staged (unless `committed`), else at HEAD.
fn working_value(r: &dyn Reader, key: &str, committed: bool) -> Result<Option<ValRef>> {
    if !committed && let Some(s) = stage::get(r, key)? {
        return Ok(s.value().cloned());
    }
    let tree = tree_of(r, refs::head_commit(r)?)?;
    tree::get(r, &tree, key)
}

pub(crate) fn read_value(r: &dyn ObjectRead, vref: &ValRef) -> Result<Value> {
    let bytes = tree::read_value_bytes(r, vref)?;
    Value::decode(&bytes).map_err(|e| Error::Corrupt(e.to_string()))
}

fn value_type_of(r: &dyn ObjectRead, vref: &ValRef) -> Result<ValueType> {
    // The type tag is the second byte of every encoded value ([0x92, tag, ...]).
    let tag = match vref {
        ValRef::Inline(bytes) => bytes.get(1).copied(),
        ValRef::Blob { .. } => tree::read_value_bytes(r, vref)?.get(1).copied(),
    };
    Ok(match tag {
        Some(0) => ValueType::String,
        Some(1) => ValueType::Int,
        Some(2) => ValueType::Float,
        Some(3) => ValueType::Bool,
        Some(4) => ValueType::Json,
        Some(5) => ValueType::Bytes,
        _ => {
            return Err(Error::Corrupt(
                "a stored value has no valid type tag".into(),
            ));
        }
    })
}

/// Encodes a value for storage, refusing one over the size limit.
pub(crate) fn encode_value(value: &Value, max: u64, new: &mut NewObjects) -> Result<ValRef> {
    let bytes = value.encode()?;
    // The limit is on the value itself (a string's or bytes' length), not on
    // the few bytes of type and length the encoding adds.
    let size = match value {
        Value::String(s) => s.len(),
        Value::Bytes(b) => b.len(),
        _ => bytes.len(),
    };
    if size as u64 > max {
        return Err(Error::usage(format!(
            "value of {size} bytes is larger than core.max-value-size ({max} bytes)"
        )));
    }
    Ok(tree::store_value(bytes, new))
}

/// Whether `ancestor` is reachable from `descendant` (or equal to it).
pub(crate) fn is_ancestor(r: &dyn Reader, ancestor: Id, descendant: Id) -> Result<bool> {
    let mut seen = HashSet::new();
    let mut todo = vec![descendant];
    while let Some(id) = todo.pop() {
        if id == ancestor {
            return Ok(true);
        }
        if seen.insert(id) {
            todo.extend(r.commit(&id)?.parents);
        }
    }
    Ok(false)
}
