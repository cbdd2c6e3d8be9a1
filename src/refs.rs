//! Branches, tags, HEAD and the reflog. Every ref move names the value it
//! expects to replace and is checked inside the write transaction, so no
//! concurrent commit is ever lost.

use crate::error::{Error, Result};
use crate::object::Id;
use crate::store::{Reader, WriteCtx};
use serde::{Deserialize, Serialize};

/// The name under which HEAD's own reflog is kept.
pub const HEAD: &str = "HEAD";

/// What HEAD points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    /// On a branch (which may not have a commit yet).
    Branch(String),
    /// Detached at a commit.
    Detached(Id),
}

pub fn branch_ref(name: &str) -> String {
    format!("heads/{name}")
}

pub fn tag_ref(name: &str) -> String {
    format!("tags/{name}")
}

pub fn read_head(r: &dyn Reader) -> Result<Head> {
    let raw = r
        .meta_get("HEAD")?
        .ok_or_else(|| Error::Corrupt("HEAD is missing".into()))?;
    let text = String::from_utf8(raw).map_err(|_| Error::Corrupt("HEAD is not text".into()))?;
    match text.strip_prefix("ref:") {
        Some(name) => Ok(Head::Branch(name.to_string())),
        None => Id::from_hex(&text)
            .map(Head::Detached)
            .map_err(|_| Error::Corrupt(format!("HEAD holds '{text}'"))),
    }
}

pub fn write_head(w: &mut WriteCtx<'_>, head: &Head) -> Result<()> {
    let text = match head {
        Head::Branch(name) => format!("ref:{name}"),
        Head::Detached(id) => id.to_hex(),
    };
    w.meta_put("HEAD", text.as_bytes())
}

/// The commit HEAD resolves to; `None` on a branch with no commits yet.
pub fn head_commit(r: &dyn Reader) -> Result<Option<Id>> {
    match read_head(r)? {
        Head::Branch(name) => r.ref_get(&branch_ref(&name)),
        Head::Detached(id) => Ok(Some(id)),
    }
}

/// One move of a ref, as the reflog records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReflogEntry {
    pub old: Option<Id>,
    pub new: Option<Id>,
    pub author: String,
    pub time: i64,
    /// What made the move, e.g. `commit: add users`.
    pub message: String,
}

pub fn read_reflog(r: &dyn Reader, name: &str) -> Result<Vec<ReflogEntry>> {
    r.reflog(name)?
        .into_iter()
        .map(|(_, bytes)| {
            rmp_serde::from_slice(&bytes)
                .map_err(|e| Error::Corrupt(format!("reflog of {name}: {e}")))
        })
        .collect()
}

/// Who moved a ref, when, and why.
#[derive(Debug, Clone)]
pub struct Move<'a> {
    pub author: &'a str,
    pub time: i64,
    pub message: String,
}

/// Moves (or creates, or with `new = None` deletes) the ref `name`, after
/// checking that it currently holds `expected`. Appends to its reflog.
pub fn update_ref(
    w: &mut WriteCtx<'_>,
    name: &str,
    expected: Option<Id>,
    new: Option<Id>,
    why: &Move<'_>,
) -> Result<()> {
    let current = w.ref_get(name)?;
    if current != expected {
        return Err(Error::StaleHead {
            name: name.to_string(),
            expected: expected.map_or("(none)".into(), |i| i.short()),
            actual: current.map_or("(none)".into(), |i| i.short()),
        });
    }
    match new {
        Some(id) => w.ref_put(name, &id)?,
        None => w.ref_remove(name)?,
    }
    log_move(w, name, current, new, why)
}

pub fn log_move(
    w: &mut WriteCtx<'_>,
    name: &str,
    old: Option<Id>,
    new: Option<Id>,
    why: &Move<'_>,
) -> Result<()> {
    let entry = ReflogEntry {
        old,
        new,
        author: why.author.to_string(),
        time: why.time,
        message: why.message.clone(),
    };
    let bytes = rmp_serde::to_vec(&entry).expect("a reflog entry always serializes");
    w.reflog_push(name, &bytes)
}

/// Moves whatever HEAD points at (its branch, or HEAD itself when detached)
/// from `expected` to `new`, logging both the branch and HEAD.
pub fn move_head(
    w: &mut WriteCtx<'_>,
    expected: Option<Id>,
    new: Id,
    why: &Move<'_>,
) -> Result<()> {
    match read_head(w)? {
        Head::Branch(branch) => update_ref(w, &branch_ref(&branch), expected, Some(new), why)?,
        Head::Detached(current) => {
            if Some(current) != expected {
                return Err(Error::StaleHead {
                    name: HEAD.into(),
                    expected: expected.map_or("(none)".into(), |i| i.short()),
                    actual: current.short(),
                });
            }
            write_head(w, &Head::Detached(new))?;
        }
    }
    log_move(w, HEAD, expected, Some(new), why)
}

/// Checks a branch or tag name against the rules git uses for ref names.
pub fn validate_ref_name(name: &str) -> Result<()> {
    let bad = |reason: &str| {
        Err(Error::InvalidName {
            name: name.escape_debug().to_string(),
            reason: reason.to_string(),
        })
    };
    if name.is_empty() {
        return bad("a name must not be empty");
    }
    if name == "HEAD" || name == "@" {
        return bad("this name is reserved");
    }
    if name.starts_with('-') {
        return bad("a name must not start with '-'");
    }
    if name.starts_with('/') || name.ends_with('/') || name.contains("//") {
        return bad("a name must not start or end with '/' or contain '//'");
    }
    if name.contains("..") {
        return bad("a name must not contain '..'");
    }
    if name.contains("@{") {
        return bad("a name must not contain '@{'");
    }
    if name.ends_with(".lock") || name.ends_with('.') {
        return bad("a name must not end with '.' or '.lock'");
    }
    if name.split('/').any(|part| part.starts_with('.')) {
        return bad("no part of a name may start with '.'");
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_control() || " ~^:?*[\\".contains(*c))
    {
        return bad(&format!("a name must not contain {c:?}"));
    }
    if name.len() > 255 {
        return bad("a name is at most 255 bytes");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_names_follow_git_rules() {
        for ok in ["main", "feature/x", "v1.0", "a-b_c", "deadbeef"] {
            assert!(validate_ref_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "HEAD", "-x", "/a", "a/", "a//b", "a..b", "a@{1}", "x.lock", "a.", ".hidden",
            "a/.b", "a b", "a~1", "a^", "a:b", "a?", "a*", "a[", "a\\b", "a\tb",
        ] {
            assert!(validate_ref_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn reflog_entries_round_trip() {
        let e = ReflogEntry {
            old: None,
            new: Some(Id::of(b"c")),
            author: "a".into(),
            time: 5,
            message: "commit: x".into(),
        };
        let bytes = rmp_serde::to_vec(&e).expect("serializes");
        assert_eq!(
            rmp_serde::from_slice::<ReflogEntry>(&bytes).expect("decodes"),
            e
        );
    }
}
