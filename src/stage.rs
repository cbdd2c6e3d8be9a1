//! The staging area: pending changes plus the commit they were based on,
//! persisted in the repository so it survives between processes.
//!
//! A staged change is `[0][valref]` for a set or `[1]` for a removal, where a
//! valref is `[0][len: u32 BE][encoded value]` or `[1][blob id: 32][len: u64 BE]`.

use crate::error::{Error, Result};
use crate::object::Id;
use crate::store::{Reader, WriteCtx};
use crate::tree::ValRef;
use bytes::Bytes;

const BASE_KEY: &str = "stage.base";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Staged {
    Set(ValRef),
    Remove,
}

impl Staged {
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Staged::Remove => vec![1],
            Staged::Set(ValRef::Inline(v)) => {
                let mut out = vec![0, 0];
                out.extend_from_slice(&(v.len() as u32).to_be_bytes());
                out.extend_from_slice(v);
                out
            }
            Staged::Set(ValRef::Blob { id, len }) => {
                let mut out = vec![0, 1];
                out.extend_from_slice(&id.0);
                out.extend_from_slice(&len.to_be_bytes());
                out
            }
        }
    }

    pub fn decode(key: &str, bytes: &[u8]) -> Result<Staged> {
        let bad = || Error::Corrupt(format!("staged change of '{key}' is malformed"));
        match bytes {
            [1] => Ok(Staged::Remove),
            [0, 0, rest @ ..] if rest.len() >= 4 => {
                let len = u32::from_be_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
                let v = rest.get(4..).filter(|v| v.len() == len).ok_or_else(bad)?;
                Ok(Staged::Set(ValRef::Inline(Bytes::copy_from_slice(v))))
            }
            [0, 1, rest @ ..] if rest.len() == 40 => Ok(Staged::Set(ValRef::Blob {
                id: Id(rest[..32].try_into().expect("32 bytes")),
                len: u64::from_be_bytes(rest[32..].try_into().expect("8 bytes")),
            })),
            _ => Err(bad()),
        }
    }

    /// The value this change leaves, `None` for a removal.
    pub fn value(&self) -> Option<&ValRef> {
        match self {
            Staged::Set(v) => Some(v),
            Staged::Remove => None,
        }
    }
}

/// The commit the staging area was based on: `None` when nothing is staged,
/// `Some(None)` when it was based on a branch with no commits yet.
pub fn base(r: &dyn Reader) -> Result<Option<Option<Id>>> {
    Ok(match r.meta_get(BASE_KEY)? {
        None => None,
        Some(bytes) if bytes.is_empty() => Some(None),
        Some(bytes) => Some(Some(Id(bytes
            .try_into()
            .map_err(|_| Error::Corrupt("staging base is malformed".into()))?))),
    })
}

pub fn set_base(w: &mut WriteCtx<'_>, base: Option<Id>) -> Result<()> {
    match base {
        Some(id) => w.meta_put(BASE_KEY, &id.0),
        None => w.meta_put(BASE_KEY, &[]),
    }
}

pub fn get(r: &dyn Reader, key: &str) -> Result<Option<Staged>> {
    r.stage_get(key)?
        .map(|bytes| Staged::decode(key, &bytes))
        .transpose()
}

pub fn all(r: &dyn Reader) -> Result<Vec<(String, Staged)>> {
    r.stage_all()?
        .into_iter()
        .map(|(k, bytes)| {
            let s = Staged::decode(&k, &bytes)?;
            Ok((k, s))
        })
        .collect()
}

/// Empties the staging area and forgets its base.
pub fn clear(w: &mut WriteCtx<'_>) -> Result<()> {
    w.stage_clear()?;
    w.meta_remove(BASE_KEY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_changes_round_trip_and_reject_damage() {
        for s in [
            Staged::Remove,
            Staged::Set(ValRef::Inline(vec![1, 2, 3].into())),
            Staged::Set(ValRef::Inline(Bytes::new())),
            Staged::Set(ValRef::Blob {
                id: Id::of(b"b"),
                len: 9000,
            }),
        ] {
            let bytes = s.encode();
            assert_eq!(Staged::decode("k", &bytes).expect("decodes"), s);
            assert!(Staged::decode("k", &bytes[..bytes.len() - 1]).is_err() || bytes.len() == 1);
        }
        assert!(Staged::decode("k", &[]).is_err());
        assert!(Staged::decode("k", &[7]).is_err());
    }
}
