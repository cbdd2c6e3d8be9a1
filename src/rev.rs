//! Revisions: `NAME`, `HEAD` (or `@`), an id prefix of 4+ hex digits, or a
//! reflog entry `NAME@{N}` (the Nth most recent position of HEAD or a
//! branch), each followed by any number of `~N`, `^` and `^N` steps.

use crate::error::{Error, Result};
use crate::object::Id;
use crate::refs::{self, Head};
use crate::store::Reader;

/// A parsed revision expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rev {
    pub base: String,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// `~N`: the Nth first-parent ancestor.
    Ancestor(u32),
    /// `^N`: the Nth parent (`^0` is the commit itself).
    Parent(u32),
}

/// The shortest id prefix accepted.
pub const MIN_PREFIX: usize = 4;

impl Rev {
    pub fn parse(text: &str) -> Result<Rev> {
        let bad = |why: &str| Error::Usage(format!("invalid revision '{text}': {why}"));
        let split = text.find(['~', '^']).unwrap_or(text.len());
        let (base, mut rest) = text.split_at(split);
        if base.is_empty() {
            return Err(bad("it names no branch, tag or commit"));
        }
        let mut steps = Vec::new();
        while let Some(op) = rest.chars().next() {
            if op != '~' && op != '^' {
                return Err(bad("expected '~' or '^'"));
            }
            rest = &rest[op.len_utf8()..];
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let (num, tail) = rest.split_at(digits);
            rest = tail;
            let n = if num.is_empty() {
                1
            } else {
                num.parse::<u32>()
                    .map_err(|_| bad("the step count is too large"))?
            };
            steps.push(match op {
                '~' => Step::Ancestor(n),
                '^' => Step::Parent(n),
                _ => return Err(bad("expected '~' or '^'")),
            });
        }
        Ok(Rev {
            base: base.to_string(),
            steps,
        })
    }
}

/// Resolves a revision to a commit id.
pub fn resolve(r: &dyn Reader, text: &str) -> Result<Id> {
    let rev = Rev::parse(text)?;
    let mut id = resolve_base(r, &rev.base)?;
    for step in &rev.steps {
        id = match *step {
            Step::Parent(0) => id,
            Step::Parent(n) => {
                let commit = r.commit(&id)?;
                *commit.parents.get(n as usize - 1).ok_or_else(|| {
                    Error::UnknownRevision(format!(
                        "'{text}': commit {} has {} parent(s)",
                        id.short(),
                        commit.parents.len()
                    ))
                })?
            }
            Step::Ancestor(n) => {
                for walked in 0..n {
                    id = *r.commit(&id)?.parents.first().ok_or_else(|| {
                        Error::UnknownRevision(format!(
                            "'{text}': history ends {walked} commit(s) back"
                        ))
                    })?;
                }
                id
            }
        };
    }
    Ok(id)
}

fn resolve_base(r: &dyn Reader, base: &str) -> Result<Id> {
    if let Some((name, n)) = base.strip_suffix('}').and_then(|b| b.split_once("@{")) {
        let n: usize = n
            .parse()
            .map_err(|_| Error::Usage(format!("invalid revision '{base}': expected NAME@{{N}}")))?;
        let log = match name {
            "HEAD" | "" => refs::HEAD.to_string(),
            branch => refs::branch_ref(branch),
        };
        let entries = refs::read_reflog(r, &log)?;
        return entries
            .iter()
            .rev()
            .nth(n)
            .and_then(|e| e.new)
            .ok_or_else(|| {
                Error::UnknownRevision(format!(
                    "'{base}': the reflog of {} has {} entries",
                    if name.is_empty() { "HEAD" } else { name },
                    entries.len()
                ))
            });
    }
    if base == "HEAD" || base == "@" {
        return refs::head_commit(r)?.ok_or_else(|| {
            let branch = match refs::read_head(r) {
                Ok(Head::Branch(b)) => b,
                _ => "HEAD".into(),
            };
            Error::UnknownRevision(format!("'HEAD': branch '{branch}' has no commits yet"))
        });
    }
    if let Some(id) = r.ref_get(&refs::branch_ref(base))? {
        return Ok(id);
    }
    if let Some(id) = r.ref_get(&refs::tag_ref(base))? {
        return Ok(id);
    }
    if base.len() >= MIN_PREFIX && base.len() <= 64 && base.chars().all(|c| c.is_ascii_hexdigit()) {
        let prefix = base.to_ascii_lowercase();
        let low = Id::from_hex(&format!("{prefix:0<64}")).expect("hex digits");
        let high = Id::from_hex(&format!("{prefix:f<64}")).expect("hex digits");
        let found = r.commit_ids_between(low.0, high.0, 10)?;
        return match found.as_slice() {
            [] => Err(Error::UnknownRevision(format!("'{base}'"))),
            [one] => Ok(*one),
            many => Err(Error::AmbiguousRevision {
                prefix: base.to_string(),
                candidates: many.iter().map(Id::short).collect(),
            }),
        };
    }
    Err(Error::UnknownRevision(format!("'{base}'")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_steps() {
        let r = Rev::parse("main~3^2^").expect("valid");
        assert_eq!(r.base, "main");
        assert_eq!(
            r.steps,
            vec![Step::Ancestor(3), Step::Parent(2), Step::Parent(1)]
        );
        assert_eq!(
            Rev::parse("HEAD~").expect("valid").steps,
            vec![Step::Ancestor(1)]
        );
        assert_eq!(
            Rev::parse("abcd^0").expect("valid").steps,
            vec![Step::Parent(0)]
        );
        assert_eq!(Rev::parse("HEAD^^^^").expect("valid").steps.len(), 4);
        assert!(Rev::parse("~1").is_err());
        assert!(Rev::parse("").is_err());
        assert!(Rev::parse("HEAD~99999999999999").is_err());
        // Found by the revision_parser fuzz target: a multi-byte character
        // after a step used to be sliced through the middle.
        assert!(Rev::parse("\n~~~\u{101}\u{45}").is_err());
        assert!(Rev::parse("main~é").is_err());
        let r = Rev::parse("main@{2}~1").expect("valid");
        assert_eq!(r.base, "main@{2}");
        assert_eq!(r.steps, vec![Step::Ancestor(1)]);
    }
}
