//! Tree nodes: their encoding (part of the format) and the boundary rule.
//!
//! A node is `[format=1][level: u8][count: u16 BE]` followed by `count` entries in
//! strictly increasing key order:
//!
//! - level 0 (leaf): `[key_len: u16 BE][key][0][len: u16 BE][encoded value]` for a
//!   value stored inline, or `[key_len][key][1][blob id: 32][len: u64 BE]` for one
//!   stored as a blob;
//! - level > 0: `[key_len][key][child id: 32]`, where key is the child's first key.
//!
//! The node id is the SHA-256 of these bytes.

use crate::error::{Error, Result};
use crate::object::Id;
use bytes::Bytes;
use bytestring::ByteString;
use sha2::{Digest, Sha256};

pub const NODE_FORMAT: u8 = 1;
/// No node is larger than this, so every node fits one 4 KiB redb page.
pub const NODE_MAX: usize = 4000;
/// No boundary is placed before a node holds this many bytes of entries.
pub const NODE_MIN: usize = 256;
/// The target mean node size: a boundary follows an entry of `n` bytes with
/// probability `n / NODE_TARGET`.
pub const NODE_TARGET: u64 = 2048;
pub const HEADER_LEN: usize = 4;
/// Encoded values up to this size live in the leaf; larger ones are blobs.
pub const INLINE_MAX: usize = 512;

/// Where a leaf entry's value lives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ValRef {
    /// The encoded value itself: a slice of the node it was read from, so
    /// that decoding a node and copying its entries allocate nothing per value.
    Inline(Bytes),
    /// A blob object holding the encoded value, `len` bytes long.
    Blob { id: Id, len: u64 },
}

impl ValRef {
    /// Length of the encoded value.
    pub fn len(&self) -> u64 {
        match self {
            ValRef::Inline(b) => b.len() as u64,
            ValRef::Blob { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The blob holding the value, if it is stored out of line.
    pub fn blob_id(&self) -> Option<Id> {
        match self {
            ValRef::Inline(_) => None,
            ValRef::Blob { id, .. } => Some(*id),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    Value(ValRef),
    Child(Id),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Shares the bytes of the node it was read from, like an inline value.
    pub key: ByteString,
    pub payload: Payload,
}

impl Entry {
    /// Bytes this entry takes in an encoded node.
    pub fn encoded_len(&self) -> usize {
        2 + self.key.len()
            + match &self.payload {
                Payload::Value(ValRef::Inline(v)) => 1 + 2 + v.len(),
                Payload::Value(ValRef::Blob { .. }) => 1 + 32 + 8,
                Payload::Child(_) => 32,
            }
    }

    pub fn child(&self) -> Option<Id> {
        match self.payload {
            Payload::Child(id) => Some(id),
            Payload::Value(_) => None,
        }
    }

    pub fn value(&self) -> Option<&ValRef> {
        match &self.payload {
            Payload::Value(v) => Some(v),
            Payload::Child(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub level: u8,
    pub entries: Vec<Entry>,
}

impl Node {
    pub fn empty_leaf() -> Node {
        Node {
            level: 0,
            entries: Vec::new(),
        }
    }

    pub fn first_key(&self) -> &str {
        self.entries.first().map_or("", |e| &e.key)
    }

    /// The first key, sharing the node's bytes.
    pub fn first_key_shared(&self) -> ByteString {
        self.entries
            .first()
            .map_or_else(ByteString::new, |e| e.key.clone())
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            HEADER_LEN + self.entries.iter().map(Entry::encoded_len).sum::<usize>(),
        );
        out.push(NODE_FORMAT);
        out.push(self.level);
        let count =
            u16::try_from(self.entries.len()).expect("node size caps bound the entry count");
        out.extend_from_slice(&count.to_be_bytes());
        for e in &self.entries {
            let klen = u16::try_from(e.key.len()).expect("keys are at most 1024 bytes");
            out.extend_from_slice(&klen.to_be_bytes());
            out.extend_from_slice(e.key.as_bytes());
            match &e.payload {
                Payload::Value(ValRef::Inline(v)) => {
                    out.push(0);
                    let vlen = u16::try_from(v.len()).expect("inline values are at most 512 bytes");
                    out.extend_from_slice(&vlen.to_be_bytes());
                    out.extend_from_slice(v);
                }
                Payload::Value(ValRef::Blob { id, len }) => {
                    out.push(1);
                    out.extend_from_slice(&id.0);
                    out.extend_from_slice(&len.to_be_bytes());
                }
                Payload::Child(id) => out.extend_from_slice(&id.0),
            }
        }
        out
    }

    /// Decodes and checks a node: format, layout and strictly increasing keys.
    pub fn decode(id: &Id, bytes: &[u8]) -> Result<Node> {
        let corrupt = |why: &str| Error::Corrupt(format!("tree node {}: {why}", id.short()));
        let shared = Bytes::copy_from_slice(bytes);
        let mut r = Reader { bytes, pos: 0 };
        let head = r
            .take(HEADER_LEN)
            .ok_or_else(|| corrupt("truncated header"))?;
        if head[0] != NODE_FORMAT {
            return Err(corrupt(&format!("unknown node format {}", head[0])));
        }
        let level = head[1];
        let count = u16::from_be_bytes([head[2], head[3]]) as usize;
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            let klen = r.u16().ok_or_else(|| corrupt("truncated key length"))? as usize;
            let start = r.pos;
            r.take(klen).ok_or_else(|| corrupt("truncated key"))?;
            let key = ByteString::try_from(shared.slice(start..r.pos))
                .map_err(|_| corrupt("key is not UTF-8"))?;
            let payload = if level == 0 {
                match r.take(1).ok_or_else(|| corrupt("truncated entry"))?[0] {
                    0 => {
                        let vlen = r.u16().ok_or_else(|| corrupt("truncated value length"))?;
                        let start = r.pos;
                        r.take(vlen as usize)
                            .ok_or_else(|| corrupt("truncated value"))?;
                        Payload::Value(ValRef::Inline(shared.slice(start..r.pos)))
                    }
                    1 => {
                        let id = r.id().ok_or_else(|| corrupt("truncated blob id"))?;
                        let len = r.take(8).ok_or_else(|| corrupt("truncated blob length"))?;
                        let len = u64::from_be_bytes(len.try_into().expect("took 8 bytes"));
                        Payload::Value(ValRef::Blob { id, len })
                    }
                    t => return Err(corrupt(&format!("unknown value tag {t}"))),
                }
            } else {
                Payload::Child(r.id().ok_or_else(|| corrupt("truncated child id"))?)
            };
            if let Some(prev) = entries.last().map(|e: &Entry| &e.key)
                && *prev >= key
            {
                return Err(corrupt("keys out of order"));
            }
            entries.push(Entry { key, payload });
        }
        if r.pos != bytes.len() {
            return Err(corrupt("trailing bytes"));
        }
        Ok(Node { level, entries })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.bytes.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(out)
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
    fn id(&mut self) -> Option<Id> {
        self.take(32)
            .map(|b| Id(b.try_into().expect("took 32 bytes")))
    }
}

/// The content-defined boundary rule: does a node end after `entry`?
///
/// `size` is the node's entry bytes including `entry`; `count` its entries
/// including `entry`. A boundary needs at least two entries (so every level is
/// at most half the size of the one below and the tree has finite height) and
/// `NODE_MIN` bytes; then it fires when the first four bytes of
/// SHA-256(level, key), read big-endian, are below `2^32 * len(entry) / NODE_TARGET`.
/// Weighting by entry size keeps the mean node near `NODE_TARGET` bytes
/// whatever the entry sizes. The hash depends only on the key and the level,
/// never on a secret, so every machine cuts the same nodes.
pub fn is_boundary(level: u8, entry: &Entry, size: usize, count: usize) -> bool {
    if count < 2 || size < NODE_MIN {
        return false;
    }
    let mut h = Sha256::new();
    h.update([level]);
    h.update(entry.key.as_bytes());
    let digest = h.finalize();
    let draw = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) as u64;
    draw * NODE_TARGET < (entry.encoded_len() as u64) << 32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf() -> Node {
        Node {
            level: 0,
            entries: vec![
                Entry {
                    key: "a".into(),
                    payload: Payload::Value(ValRef::Inline(vec![0x92, 0x01, 0x05].into())),
                },
                Entry {
                    key: "b".into(),
                    payload: Payload::Value(ValRef::Blob {
                        id: Id::of(b"x"),
                        len: 600,
                    }),
                },
            ],
        }
    }

    #[test]
    fn encode_decode_round_trip_and_length() {
        let n = leaf();
        let bytes = n.encode();
        assert_eq!(
            bytes.len(),
            HEADER_LEN + n.entries.iter().map(Entry::encoded_len).sum::<usize>()
        );
        assert_eq!(Node::decode(&Id::of(&bytes), &bytes).expect("decodes"), n);
        let internal = Node {
            level: 3,
            entries: vec![Entry {
                key: "k".into(),
                payload: Payload::Child(Id::of(b"c")),
            }],
        };
        let bytes = internal.encode();
        assert_eq!(
            Node::decode(&Id::of(&bytes), &bytes).expect("decodes"),
            internal
        );
    }

    #[test]
    fn golden_node_id_is_frozen() {
        assert_eq!(
            Id::of(&Node::empty_leaf().encode()).to_hex(),
            "67abdd721024f0ff4e0b3f4c2fc13bc5bad42d0b7851d456d88d203d15aaa450"
        );
        assert_eq!(
            Id::of(&leaf().encode()).to_hex(),
            "5bf435c28d3657d81d99c09a24e1b88753655d68482c04d49d76a955daaf2e45"
        );
    }

    #[test]
    fn decode_rejects_damage() {
        let bytes = leaf().encode();
        let id = Id::of(&bytes);
        for cut in 0..bytes.len() {
            assert!(Node::decode(&id, &bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(Node::decode(&id, &extra).is_err());
        let mut bad_format = bytes.clone();
        bad_format[0] = 9;
        assert!(Node::decode(&id, &bad_format).is_err());
        let unordered = Node {
            level: 0,
            entries: leaf().entries.into_iter().rev().collect(),
        };
        assert!(Node::decode(&id, &unordered.encode()).is_err());
    }

    #[test]
    fn boundary_needs_two_entries_and_minimum_size() {
        let big = Entry {
            key: "k".repeat(1000).into(),
            payload: Payload::Child(Id::of(b"c")),
        };
        assert!(!is_boundary(1, &big, 3000, 1));
        assert!(!is_boundary(1, &big, NODE_MIN - 1, 2));
    }

    #[test]
    fn boundary_rate_follows_entry_size() {
        // 113-byte entries should cut a node roughly every 2048/113 ~ 18 entries.
        let hits = (0..20_000)
            .filter(|i| {
                let e = Entry {
                    key: format!("user/{i:08}").into(),
                    payload: Payload::Value(ValRef::Inline(vec![0; 96].into())),
                };
                is_boundary(0, &e, 1000, 10)
            })
            .count();
        let expected = 20_000.0 * 113.0 / 2048.0;
        assert!(
            (hits as f64 - expected).abs() < expected * 0.1,
            "{hits} vs {expected}"
        );
    }
}
