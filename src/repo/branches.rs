//! Branches, tags, and moving HEAD between them.

use super::{Repo, Signature, is_ancestor};
use crate::error::{Error, Result};
use crate::merge::state;
use crate::object::Id;
use crate::refs::{self, Head, Move};
use crate::rev;
use crate::stage;
use crate::store::{Reader, WriteCtx};

/// What `switch` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switched {
    /// The commit the branch points at; `None` for a branch with no commits.
    pub head: Option<Id>,
    /// HEAD was on the branch already, so nothing moved.
    pub already_on: bool,
}

impl Repo {
    pub fn create_branch(&self, name: &str, start: Option<&str>, sig: &Signature) -> Result<Id> {
        refs::validate_ref_name(name)?;
        self.store.write(|w| {
            let start_id = match start {
                Some(rev) => rev::resolve(w, rev)?,
                None => refs::head_commit(w)?.ok_or_else(|| {
                    Error::refused(
                        "cannot create a branch: HEAD has no commits yet",
                        "commit something first, or name a start revision",
                    )
                })?,
            };
            let full = refs::branch_ref(name);
            if w.ref_get(&full)?.is_some() {
                return Err(Error::refused(
                    format!("a branch named '{name}' already exists"),
                    "use 'kvgit branch -m' to rename or 'kvgit reset' to move it",
                ));
            }
            refuse_tag_name(w, name)?;
            let why = Move {
                author: &sig.author,
                time: sig.time,
                message: format!("branch: created from {}", start.unwrap_or("HEAD")),
            };
            refs::update_ref(w, &full, None, Some(start_id), &why)?;
            Ok(start_id)
        })
    }

    /// Deletes a branch; without `force`, only one merged into HEAD.
    pub fn delete_branch(&self, name: &str, force: bool) -> Result<Id> {
        self.store.write(|w| {
            let full = refs::branch_ref(name);
            let tip = w
                .ref_get(&full)?
                .ok_or_else(|| Error::UnknownRevision(format!("'{name}': no such branch")))?;
            if refs::read_head(w)? == Head::Branch(name.to_string()) {
                return Err(Error::refused(
                    format!("cannot delete branch '{name}': it is the current branch"),
                    "switch to another branch first",
                ));
            }
            if !force {
                let merged = match refs::head_commit(w)? {
                    Some(head) => is_ancestor(w, tip, head)?,
                    None => false,
                };
                if !merged {
                    return Err(Error::refused(
                        format!("branch '{name}' is not merged into HEAD"),
                        format!("use 'kvgit branch -D {name}' to delete it anyway"),
                    ));
                }
            }
            w.ref_remove(&full)?;
            w.reflog_delete(&full)?;
            Ok(tip)
        })
    }

    pub fn rename_branch(&self, old: &str, new: &str, sig: &Signature) -> Result<()> {
        refs::validate_ref_name(new)?;
        self.store.write(|w| {
            let (old_ref, new_ref) = (refs::branch_ref(old), refs::branch_ref(new));
            let tip = w.ref_get(&old_ref)?;
            let current = refs::read_head(w)? == Head::Branch(old.to_string());
            if tip.is_none() && !current {
                return Err(Error::UnknownRevision(format!("'{old}': no such branch")));
            }
            if w.ref_get(&new_ref)?.is_some() {
                return Err(Error::refused(
                    format!("a branch named '{new}' already exists"),
                    "delete it first or pick another name",
                ));
            }
            refuse_tag_name(w, new)?;
            if let Some(tip) = tip {
                w.ref_remove(&old_ref)?;
                w.reflog_rename(&old_ref, &new_ref)?;
                w.ref_put(&new_ref, &tip)?;
                let why = Move {
                    author: &sig.author,
                    time: sig.time,
                    message: format!("branch: renamed {old} to {new}"),
                };
                refs::log_move(w, &new_ref, Some(tip), Some(tip), &why)?;
            }
            if current {
                refs::write_head(w, &Head::Branch(new.to_string()))?;
            }
            Ok(())
        })
    }

    /// Points HEAD at branch `name`, creating it at `create_at` (a revision,
    /// or HEAD when `Some(None)`) if asked. Refuses while changes are staged
    /// unless `discard`.
    pub fn switch(
        &self,
        name: &str,
        create_at: Option<Option<&str>>,
        discard: bool,
        sig: &Signature,
    ) -> Result<Switched> {
        if create_at.is_some() {
            refs::validate_ref_name(name)?;
        }
        self.store.write(|w| {
            state::refuse_during_merge(w, "switch branches")?;
            // Like git, switching to the branch HEAD is on is a no-op that
            // keeps the staged changes (unless they are to be discarded).
            if create_at.is_none()
                && !discard
                && refs::read_head(w)? == Head::Branch(name.to_string())
            {
                return Ok(Switched {
                    head: refs::head_commit(w)?,
                    already_on: true,
                });
            }
            refuse_if_staged(w, discard)?;
            let full = refs::branch_ref(name);
            let old_head = refs::head_commit(w)?;
            let why = Move {
                author: &sig.author,
                time: sig.time,
                message: format!("switch: moving to {name}"),
            };
            let target = match create_at {
                Some(start) => {
                    if w.ref_get(&full)?.is_some() {
                        return Err(Error::refused(
                            format!("a branch named '{name}' already exists"),
                            format!("use 'kvgit switch {name}' to switch to it"),
                        ));
                    }
                    refuse_tag_name(w, name)?;
                    let start_id = match start {
                        Some(rev) => Some(rev::resolve(w, rev)?),
                        None => old_head,
                    };
                    if let Some(id) = start_id {
                        refs::update_ref(w, &full, None, Some(id), &why)?;
                    }
                    start_id
                }
                None => Some(w.ref_get(&full)?.ok_or_else(|| {
                    Error::UnknownRevision(format!(
                        "'{name}': no such branch ('kvgit switch -c {name}' creates it)"
                    ))
                })?),
            };
            let head = Head::Branch(name.to_string());
            let already_on = refs::read_head(w)? == head;
            refs::write_head(w, &head)?;
            if target.is_some() {
                refs::log_move(w, refs::HEAD, old_head, target, &why)?;
            }
            stage::clear(w)?;
            Ok(Switched {
                head: target,
                already_on,
            })
        })
    }

    /// Detaches HEAD at `rev` (or switches, if `rev` names a branch).
    /// Returns where HEAD is, its commit, and whether HEAD was on that branch
    /// already.
    pub fn checkout(&self, rev: &str, discard: bool, sig: &Signature) -> Result<(Head, Id, bool)> {
        let is_branch = self
            .store
            .read(|r| Ok(r.ref_get(&refs::branch_ref(rev))?.is_some()))?;
        if is_branch {
            let switched = self.switch(rev, None, discard, sig)?;
            let id = switched.head.expect("a branch has a commit");
            return Ok((Head::Branch(rev.to_string()), id, switched.already_on));
        }
        self.store.write(|w| {
            refuse_if_staged(w, discard)?;
            let target = rev::resolve(w, rev)?;
            let old = refs::head_commit(w)?;
            refs::write_head(w, &Head::Detached(target))?;
            let why = Move {
                author: &sig.author,
                time: sig.time,
                message: format!("checkout: moving to {rev}"),
            };
            refs::log_move(w, refs::HEAD, old, Some(target), &why)?;
            stage::clear(w)?;
            Ok((Head::Detached(target), target, false))
        })
    }

    pub fn create_tag(&self, name: &str, rev: Option<&str>, sig: &Signature) -> Result<Id> {
        refs::validate_ref_name(name)?;
        self.store.write(|w| {
            let id = rev::resolve(w, rev.unwrap_or("HEAD"))?;
            let full = refs::tag_ref(name);
            if w.ref_get(&full)?.is_some() {
                return Err(Error::refused(
                    format!("tag '{name}' already exists"),
                    format!("delete it first with 'kvgit tag -d {name}'"),
                ));
            }
            if w.ref_get(&refs::branch_ref(name))?.is_some() {
                return Err(Error::refused(
                    format!("a branch named '{name}' exists: as a revision, '{name}' would name the branch, never the tag"),
                    "pick another name for the tag",
                ));
            }
            let why = Move {
                author: &sig.author,
                time: sig.time,
                message: "tag: created".into(),
            };
            refs::update_ref(w, &full, None, Some(id), &why)?;
            Ok(id)
        })
    }

    pub fn delete_tag(&self, name: &str) -> Result<Id> {
        self.store.write(|w| {
            let full = refs::tag_ref(name);
            let id = w
                .ref_get(&full)?
                .ok_or_else(|| Error::UnknownRevision(format!("'{name}': no such tag")))?;
            w.ref_remove(&full)?;
            w.reflog_delete(&full)?;
            Ok(id)
        })
    }
}

fn refuse_if_staged(w: &mut WriteCtx<'_>, discard: bool) -> Result<()> {
    state::refuse_during_merge(w, "switch branches")?;
    if !discard && !w.stage_is_empty()? {
        return Err(Error::refused(
            "you have staged changes",
            "commit them, unstage them with 'kvgit reset', or pass --discard-changes",
        ));
    }
    Ok(())
}

/// A branch may not take a tag's name: as a revision the name would mean the
/// branch, and the tag could no longer be named.
fn refuse_tag_name(w: &WriteCtx<'_>, name: &str) -> Result<()> {
    if w.ref_get(&refs::tag_ref(name))?.is_some() {
        return Err(Error::refused(
            format!(
                "a tag named '{name}' exists: as a revision, '{name}' would name the branch and hide the tag"
            ),
            format!("pick another name, or delete the tag with 'kvgit tag -d {name}'"),
        ));
    }
    Ok(())
}
