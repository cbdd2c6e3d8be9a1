//! kvgit: a versioned key-value store with git's model.
#![allow(dead_code)]
pub mod error;
pub mod object;
pub mod tree;
pub use error::{Error, Result};
