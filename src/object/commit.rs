//! Commits: immutable, content-addressed snapshots of the key tree.
//!
//! The canonical encoding is the MessagePack array
//! `[1, tree, [parents...], author, time, message, {meta}]`, where ids are
//! 32-byte `bin` values, `time` is seconds since the Unix epoch (UTC) and
//! `meta` is a map with sorted keys. The commit id is the SHA-256 of those bytes.

use super::Id;
use serde_bytes::ByteArray;
use std::collections::BTreeMap;

const COMMIT_FORMAT: u8 = 1;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// Root of the key tree.
    pub tree: Id,
    /// First parent first; a merge has two.
    pub parents: Vec<Id>,
    pub author: String,
    /// Seconds since the Unix epoch, UTC.
    pub time: i64,
    pub message: String,
    pub meta: BTreeMap<String, String>,
}

type Wire = (
    u8,
    ByteArray<32>,
    Vec<ByteArray<32>>,
    String,
    i64,
    String,
    BTreeMap<String, String>,
);

#[derive(Debug, thiserror::Error)]
#[error("malformed commit object: {0}")]
pub struct CommitDecodeError(String);

impl Commit {
    pub fn encode(&self) -> Vec<u8> {
        let wire: Wire = (
            COMMIT_FORMAT,
            ByteArray::new(self.tree.0),
            self.parents.iter().map(|p| ByteArray::new(p.0)).collect(),
            self.author.clone(),
            self.time,
            self.message.clone(),
            self.meta.clone(),
        );
        rmp_serde::to_vec(&wire).expect("a commit of plain data always serializes")
    }

    pub fn id(&self) -> Id {
        Id::of(&self.encode())
    }

    pub fn decode(bytes: &[u8]) -> Result<Commit, CommitDecodeError> {
        let (format, tree, parents, author, time, message, meta): Wire =
            rmp_serde::from_slice(bytes).map_err(|e| CommitDecodeError(e.to_string()))?;
        if format != COMMIT_FORMAT {
            return Err(CommitDecodeError(format!("unknown commit format {format}")));
        }
        Ok(Commit {
            tree: Id(tree.into_array()),
            parents: parents.into_iter().map(|p| Id(p.into_array())).collect(),
            author,
            time,
            message,
            meta,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Commit {
        Commit {
            tree: Id::of(b"tree"),
            parents: vec![Id::of(b"p1")],
            author: "Ada".into(),
            time: 1_700_000_000,
            message: "first".into(),
            meta: BTreeMap::from([("ticket".into(), "42".into())]),
        }
    }

    #[test]
    fn round_trip() {
        let c = sample();
        assert_eq!(Commit::decode(&c.encode()).expect("decodes"), c);
    }

    #[test]
    fn golden_commit_id_is_frozen() {
        // Pins the canonical commit encoding: identical content and metadata
        // give this id on every machine.
        assert_eq!(
            sample().id().to_hex(),
            "484e136a7bbfdcbef411565035e6693eea57f278363ab654d2477aaad518e6df"
        );
    }

    #[test]
    fn every_field_changes_the_id() {
        let base = sample().id();
        let mut c = sample();
        c.time += 1;
        assert_ne!(c.id(), base);
        let mut c = sample();
        c.parents.clear();
        assert_ne!(c.id(), base);
        let mut c = sample();
        c.meta.clear();
        assert_ne!(c.id(), base);
        let mut c = sample();
        c.message.push('!');
        assert_ne!(c.id(), base);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(Commit::decode(b"\x00\x01").is_err());
        assert!(Commit::decode(&[]).is_err());
    }
}
