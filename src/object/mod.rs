//! Pure data: ids, keys, typed values and commits, with the one canonical
//! encoding that every content hash is computed over.
//!
//! Nothing here touches storage. Everything that is hashed is encoded by a
//! function in this module (or in `tree::node`), never by "whatever serde emits"
//! for a type that might change shape: the encodings are the format, and golden
//! tests in each file pin them.

mod commit;
mod id;
mod key;
mod value;

pub use commit::{Commit, CommitDecodeError};
pub use id::{Id, IdParseError};
pub use key::{KeyError, MAX_KEY_BYTES, validate_key};
pub use value::{Value, ValueError, ValueType};
