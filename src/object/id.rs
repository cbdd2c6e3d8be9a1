//! Content addresses: SHA-256 over an object's canonical bytes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// The SHA-256 of an object's canonical encoding.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Id(pub [u8; 32]);

// An id is already a uniform hash: its first 8 bytes are as good a hash key
// as all 32, and cheaper to feed to the map's hasher (caches and seen-sets
// hash many of them).
impl std::hash::Hash for Id {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let head: [u8; 8] = self.0[..8].try_into().expect("an id has 32 bytes");
        state.write_u64(u64::from_le_bytes(head));
    }
}

/// How many hex digits a displayed id is abbreviated to.
pub const SHORT_LEN: usize = 12;

impl Id {
    /// The id of `bytes`.
    pub fn of(bytes: &[u8]) -> Id {
        Id(Sha256::digest(bytes).into())
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The abbreviated form shown to people.
    pub fn short(&self) -> String {
        let mut s = self.to_hex();
        s.truncate(SHORT_LEN);
        s
    }

    /// Parses a full 64-digit hex id.
    pub fn from_hex(s: &str) -> Result<Id, IdParseError> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|_| IdParseError(s.to_string()))?;
        Ok(Id(out))
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.short())
    }
}

// Serde sees an id as its hex string: used by records that are not hashed
// (the reflog) and by JSON output.
impl Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Id, D::Error> {
        let s = String::deserialize(d)?;
        Id::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not a 64-digit hex object id")]
pub struct IdParseError(String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_empty_input_is_the_published_constant() {
        assert_eq!(
            Id::of(b"").to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn hex_round_trip_and_short_form() {
        let id = Id::of(b"kvgit");
        assert_eq!(Id::from_hex(&id.to_hex()).expect("valid hex"), id);
        assert_eq!(id.short().len(), SHORT_LEN);
        assert!(id.to_hex().starts_with(&id.short()));
        assert!(Id::from_hex("xyz").is_err());
        assert!(Id::from_hex(&"a".repeat(63)).is_err());
    }
}
