//! Merging, and the review of a merge that stopped on conflicts.

use super::{Repo, Signature, check_expected, read_value, tree_of, write_commit_with_parents};
use crate::error::{Error, Result};
use crate::merge::state::{self, ConflictRecord, MergeState, Resolution, StoredValue, valref};
use crate::merge::{
    self, Attributes, ChangeTimes, HistoryTimes, KeyAction, KeyMerges, Outcome, Sides, Strategy,
    StrategyFlags,
};
use crate::object::{Id, Value};
use crate::refs::{self, Head, Move};
use crate::rev;
use crate::store::Reader;
use crate::tree::{self, NewObjects, ValRef};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    pub rev: String,
    pub message: Option<String>,
    pub flags: StrategyFlags,
    pub no_commit: bool,
    pub ff_only: bool,
    pub no_ff: bool,
    pub dry_run: bool,
    pub atomic: bool,
    pub expect_head: Option<String>,
}

/// One key the merge touched, with decoded values.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyReport {
    pub key: String,
    pub base: Option<Value>,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
    pub result: Option<Value>,
    pub action: KeyAction,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeOutcome {
    /// Their commit is already in our history.
    UpToDate,
    FastForward {
        from: Option<Id>,
        to: Id,
    },
    /// A clean merge, committed.
    Committed(Id),
    /// Stopped in a merge state: conflicts to review, or `--no-commit`.
    Stopped,
    /// `--dry-run`: nothing was written.
    DryRun,
    /// `--atomic` met conflicts: nothing was written.
    Abandoned,
}

#[derive(Debug, Clone)]
pub struct MergeReport {
    pub ours: Option<Id>,
    pub theirs: Id,
    pub bases: Vec<Id>,
    pub ours_label: String,
    pub theirs_label: String,
    pub keys: Vec<KeyReport>,
    pub outcome: MergeOutcome,
}

impl MergeReport {
    pub fn conflicts(&self) -> impl Iterator<Item = &KeyReport> {
        self.keys
            .iter()
            .filter(|k| matches!(k.action, KeyAction::Conflict { .. }))
    }
}

/// The keys a `resolve` settled, and those a strategy left in conflict with
/// the reason.
pub type Settled = (Vec<String>, Vec<(String, String)>);

/// Which conflicts one decision applies to.
enum Target {
    All,
    /// A glob as the user wrote it, and compiled.
    Glob(String, globset::GlobMatcher),
}

impl Target {
    fn glob(pattern: &str) -> Result<Target> {
        let m = merge::rules::compile_glob(pattern).map_err(Error::Usage)?;
        Ok(Target::Glob(pattern.to_string(), m))
    }

    /// Reports the key itself (not its escaped glob) when nothing matches.
    fn named(self, key: &str) -> Target {
        match self {
            Target::Glob(_, m) => Target::Glob(key.to_string(), m),
            all => all,
        }
    }

    fn matches(&self, key: &str) -> bool {
        match self {
            Target::All => true,
            Target::Glob(_, m) => m.is_match(key),
        }
    }
}

/// How to settle conflicted keys.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    Ours,
    Theirs,
    Base,
    Delete,
    Value(Value),
    Strategy(Strategy),
}

/// A conflict with its values decoded, for display.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictView {
    pub record: ConflictRecord,
    pub base: Option<Value>,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
    /// `Some(None)`: resolved by deleting.
    pub resolved: Option<Option<Value>>,
}

#[derive(Debug, Clone)]
pub struct MergeStatus {
    pub ours_label: String,
    pub theirs_label: String,
    pub theirs: Id,
    pub conflicts: Vec<ConflictView>,
}

/// Which side of a conflict to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Ours,
    Theirs,
    Base,
}

fn decode(r: &dyn tree::ObjectRead, v: &Option<ValRef>) -> Result<Option<Value>> {
    v.as_ref().map(|v| read_value(r, v)).transpose()
}

fn no_merge() -> Error {
    Error::refused(
        "there is no merge in progress",
        "start one with 'kvgit merge REV'",
    )
}

// Built and consumed once per merge; boxing the large variant buys nothing.
#[allow(clippy::large_enum_variant)]
enum Plan {
    UpToDate,
    FastForward(Id),
    Merge {
        head: Id,
        base_tree: Id,
        merged: KeyMerges,
        base_new: NewObjects,
    },
}

impl Repo {
    /// The rules of this repository with the flags of one command.
    pub fn attributes(&self, flags: StrategyFlags) -> Result<Attributes> {
        Attributes::load(&self.config, flags)
    }

    /// Merges `opts.rev` into the current branch.
    pub fn merge(&self, opts: &MergeOptions, sig: &Signature) -> Result<MergeReport> {
        let attrs = self.attributes(opts.flags.clone())?;
        let expected = self.expected_head(opts.expect_head.as_deref())?;
        let max = self.config.max_value_size();
        let run = |r: &dyn Reader| -> Result<(MergeReport, Plan)> {
            state::refuse_during_merge(r, "merge")?;
            let head = refs::head_commit(r)?;
            check_expected(head, expected)?;
            let theirs = rev::resolve(r, &opts.rev)?;
            let ours_label = match refs::read_head(r)? {
                Head::Branch(b) => b,
                Head::Detached(_) => "HEAD".into(),
            };
            let mut report = MergeReport {
                ours: head,
                theirs,
                bases: Vec::new(),
                ours_label,
                theirs_label: opts.rev.clone(),
                keys: Vec::new(),
                outcome: MergeOutcome::UpToDate,
            };
            let Some(head) = head else {
                report.outcome = MergeOutcome::FastForward {
                    from: None,
                    to: theirs,
                };
                return Ok((report, Plan::FastForward(theirs)));
            };
            if super::is_ancestor(r, theirs, head)? {
                return Ok((report, Plan::UpToDate));
            }
            if !opts.no_ff && super::is_ancestor(r, head, theirs)? {
                report.outcome = MergeOutcome::FastForward {
                    from: Some(head),
                    to: theirs,
                };
                return Ok((report, Plan::FastForward(theirs)));
            }
            if opts.ff_only {
                return Err(Error::refused(
                    format!(
                        "cannot fast-forward {} to {}: the histories have diverged",
                        report.ours_label, opts.rev
                    ),
                    "merge without --ff-only to make a merge commit",
                ));
            }
            let bases = merge::merge_bases(r, head, theirs)?;
            let mut base_new = NewObjects::default();
            let base_tree = merge::base_tree(r, head, theirs, &attrs, &mut base_new)?;
            let stop = bases
                .iter()
                .map(|b| merge::ancestors(r, *b))
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect();
            let times = HistoryTimes {
                r,
                ours: Some(head),
                theirs,
                stop,
            };
            let src = tree::Overlay {
                base: r,
                new: &base_new,
            };
            let merged = merge::merge_keys(
                &src,
                base_tree,
                tree_of(r, Some(head))?,
                tree_of(r, Some(theirs))?,
                &attrs,
                &times,
                max,
            )?;
            let src = tree::Overlay {
                base: r,
                new: &merged.new,
            };
            for k in &merged.keys {
                report.keys.push(KeyReport {
                    key: k.key.clone(),
                    base: decode_with(r, &base_new, &k.base)?,
                    ours: decode(r, &k.ours)?,
                    theirs: decode(r, &k.theirs)?,
                    result: k.result.as_ref().map(|v| read_value(&src, v)).transpose()?,
                    action: k.action.clone(),
                });
            }
            report.bases = bases;
            Ok((
                report,
                Plan::Merge {
                    head,
                    base_tree,
                    merged,
                    base_new,
                },
            ))
        };

        if opts.dry_run {
            let (mut report, plan) = self.store.read(|r| run(r))?;
            if let Plan::Merge { .. } = plan {
                report.outcome = MergeOutcome::DryRun;
            } else if matches!(plan, Plan::FastForward(_)) {
                report.outcome = MergeOutcome::DryRun;
            }
            return Ok(report);
        }
        self.store.write(|w| {
            let (mut report, plan) = run(w)?;
            match plan {
                Plan::UpToDate => {}
                Plan::FastForward(to) => {
                    let why = Move {
                        author: &sig.author,
                        time: sig.time,
                        message: format!("merge {}: fast-forward", opts.rev),
                    };
                    refs::move_head(w, report.ours, to, &why)?;
                }
                Plan::Merge {
                    head,
                    base_tree,
                    merged,
                    base_new,
                } => {
                    let merged = merged.into_tree(&tree::Overlay {
                        base: w,
                        new: &base_new,
                    })?;
                    let conflicted = merged.conflicts().count() > 0;
                    let message = opts.message.clone().unwrap_or_else(|| {
                        format!("Merge {} into {}", opts.rev, report.ours_label)
                    });
                    if !conflicted && !opts.no_commit {
                        let id = write_commit_with_parents(
                            w,
                            &merged.new,
                            vec![head, report.theirs],
                            merged.tree,
                            sig,
                            &message,
                            &BTreeMap::new(),
                            "merge",
                        )?;
                        report.outcome = MergeOutcome::Committed(id);
                    } else if conflicted && opts.atomic {
                        report.outcome = MergeOutcome::Abandoned;
                    } else {
                        w.put_objects(&base_new)?;
                        w.put_objects(&merged.new)?;
                        let st = MergeState::new(
                            head,
                            report.theirs,
                            report.ours_label.clone(),
                            report.theirs_label.clone(),
                            message,
                            base_tree,
                            &merged,
                        );
                        state::save(w, &st)?;
                        report.outcome = MergeOutcome::Stopped;
                    }
                }
            }
            Ok(report)
        })
    }

    /// Commits the merge in progress once nothing is unresolved. Returns the
    /// commit, or the keys still unresolved (nothing is written then).
    pub fn merge_continue(
        &self,
        sig: &Signature,
        message: Option<&str>,
    ) -> Result<Result<Id, Vec<String>>> {
        self.store.write(|w| {
            let st = state::load(w)?.ok_or_else(no_merge)?;
            let open: Vec<String> = st.unresolved().map(|c| c.key.clone()).collect();
            if !open.is_empty() {
                return Ok(Err(open));
            }
            let head = refs::head_commit(w)?;
            if head != Some(st.ours) {
                return Err(Error::refused(
                    "HEAD moved while the merge was in progress",
                    "'kvgit merge --abort' and merge again",
                ));
            }
            let edits: Vec<(String, Option<ValRef>)> = st
                .conflicts
                .iter()
                .map(|c| {
                    let r = c.resolution.as_ref().expect("checked: all resolved");
                    (c.key.clone(), valref(&r.value))
                })
                .collect();
            let mut new = NewObjects::default();
            let tree = tree::apply(w, st.tree, edits, &mut new)?;
            let id = write_commit_with_parents(
                w,
                &new,
                vec![st.ours, st.theirs],
                tree,
                sig,
                message.unwrap_or(&st.message),
                &BTreeMap::new(),
                "merge",
            )?;
            state::clear(w)?;
            Ok(Ok(id))
        })
    }

    /// Ends the merge in progress without committing: HEAD and the staging
    /// area were never touched by it, so this only forgets the merge state.
    pub fn merge_abort(&self) -> Result<MergeState> {
        self.store.write(|w| {
            let st = state::load(w)?.ok_or_else(no_merge)?;
            state::clear(w)?;
            Ok(st)
        })
    }

    /// The merge in progress, if any, with its conflicts decoded.
    pub fn merge_status(&self) -> Result<Option<MergeStatus>> {
        self.store.read(|r| {
            let Some(st) = state::load(r)? else {
                return Ok(None);
            };
            let conflicts = st
                .conflicts
                .iter()
                .map(|c| view(r, c))
                .collect::<Result<Vec<_>>>()?;
            Ok(Some(MergeStatus {
                ours_label: st.ours_label,
                theirs_label: st.theirs_label,
                theirs: st.theirs,
                conflicts,
            }))
        })
    }

    /// A key's value on one side of the merge in progress.
    pub fn get_side(&self, key: &str, side: Side) -> Result<Option<Value>> {
        crate::object::validate_key(key)?;
        self.store.read(|r| {
            let st = state::load(r)?.ok_or_else(no_merge)?;
            if let Some(c) = st.conflicts.iter().find(|c| c.key == key) {
                let v = match side {
                    Side::Ours => &c.ours,
                    Side::Theirs => &c.theirs,
                    Side::Base => &c.base,
                };
                return decode(r, &valref(v));
            }
            let tree = match side {
                Side::Ours => tree_of(r, Some(st.ours))?,
                Side::Theirs => tree_of(r, Some(st.theirs))?,
                Side::Base => st.base_tree,
            };
            decode(r, &tree::get(r, &tree, key)?)
        })
    }

    /// Settles the conflicts whose keys match `patterns` (every conflict when
    /// `patterns` is empty). Returns the keys settled and, for a strategy
    /// that still conflicts, the keys left with the reason.
    pub fn resolve_conflicts(&self, patterns: &[String], choice: &Choice) -> Result<Settled> {
        let targets = if patterns.is_empty() {
            vec![(Target::All, choice.clone())]
        } else {
            patterns
                .iter()
                .map(|p| Ok((Target::glob(p)?, choice.clone())))
                .collect::<Result<_>>()?
        };
        self.resolve_all(targets)
    }

    /// Settles each named key (no glob syntax) its own way, all in one
    /// transaction: a key that is not conflicted fails the whole call.
    pub fn resolve_keys(&self, decisions: &[(String, Choice)]) -> Result<Settled> {
        let targets = decisions
            .iter()
            .map(|(k, c)| Ok((Target::glob(&globset::escape(k))?.named(k), c.clone())))
            .collect::<Result<_>>()?;
        self.resolve_all(targets)
    }

    fn resolve_all(&self, targets: Vec<(Target, Choice)>) -> Result<Settled> {
        let attrs = self.attributes(StrategyFlags::default())?;
        let max = self.config.max_value_size();
        self.store.write(|w| {
            let mut st = state::load(w)?.ok_or_else(no_merge)?;
            for (t, _) in &targets {
                if let Target::Glob(p, m) = t
                    && !st.conflicts.iter().any(|c| m.is_match(&c.key))
                {
                    return Err(Error::Usage(format!("no conflicted key matches '{p}'")));
                }
            }
            let times = HistoryTimes {
                r: w,
                ours: Some(st.ours),
                theirs: st.theirs,
                stop: merge::merge_bases(w, st.ours, st.theirs)?
                    .into_iter()
                    .map(|b| merge::ancestors(w, b))
                    .collect::<Result<Vec<_>>>()?
                    .into_iter()
                    .flatten()
                    .collect(),
            };
            let mut new = NewObjects::default();
            let (mut done, mut failed) = (Vec::new(), Vec::new());
            for (target, choice) in &targets {
                for c in st.conflicts.iter_mut().filter(|c| target.matches(&c.key)) {
                    let chosen: Option<Option<StoredValue>> = match choice {
                        Choice::Ours => Some(c.ours.clone()),
                        Choice::Theirs => Some(c.theirs.clone()),
                        Choice::Base => Some(c.base.clone()),
                        Choice::Delete => Some(None),
                        Choice::Value(v) => {
                            attrs.check_type(&c.key, v.value_type())?;
                            Some(Some(StoredValue::from(&super::encode_value(
                                v, max, &mut new,
                            )?)))
                        }
                        Choice::Strategy(s) => {
                            let (b, o, t) = (
                                decode(w, &valref(&c.base))?,
                                decode(w, &valref(&c.ours))?,
                                decode(w, &valref(&c.theirs))?,
                            );
                            let lww = *s == Strategy::Lww;
                            let sides = Sides {
                                base: b.as_ref(),
                                ours: o.as_ref(),
                                theirs: t.as_ref(),
                                ours_changed: if lww { times.ours(&c.key)? } else { None },
                                theirs_changed: if lww { times.theirs(&c.key)? } else { None },
                            };
                            match merge::resolve(*s, &sides) {
                                Outcome::Value(v) => Some(
                                    v.map(|v| super::encode_value(&v, max, &mut new))
                                        .transpose()?
                                        .as_ref()
                                        .map(StoredValue::from),
                                ),
                                Outcome::Conflict { reason, .. } => {
                                    failed.push((c.key.clone(), reason));
                                    None
                                }
                            }
                        }
                    };
                    if let Some(value) = chosen {
                        c.resolution = Some(Resolution {
                            value,
                            how: choice_name(choice),
                        });
                        done.push(c.key.clone());
                    }
                }
            }
            w.put_objects(&new)?;
            state::save(w, &st)?;
            Ok((done, failed))
        })
    }
}

fn choice_name(c: &Choice) -> String {
    match c {
        Choice::Ours => "ours".into(),
        Choice::Theirs => "theirs".into(),
        Choice::Base => "base".into(),
        Choice::Delete => "delete".into(),
        Choice::Value(_) => "value".into(),
        Choice::Strategy(s) => format!("strategy:{s}"),
    }
}

fn decode_with(r: &dyn Reader, extra: &NewObjects, v: &Option<ValRef>) -> Result<Option<Value>> {
    let src = tree::Overlay {
        base: r,
        new: extra,
    };
    v.as_ref().map(|v| read_value(&src, v)).transpose()
}

fn view(r: &dyn Reader, c: &ConflictRecord) -> Result<ConflictView> {
    Ok(ConflictView {
        base: decode(r, &valref(&c.base))?,
        ours: decode(r, &valref(&c.ours))?,
        theirs: decode(r, &valref(&c.theirs))?,
        resolved: c
            .resolution
            .as_ref()
            .map(|res| decode(r, &valref(&res.value)))
            .transpose()?,
        record: c.clone(),
    })
}
