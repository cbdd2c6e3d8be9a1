//! kvgit: a versioned key-value store with git's model.
//!
//! Layers, each depending only on those below it:
//! `repo` (one write transaction per operation) -> `rev`, `stage`, `config`
//! -> `refs`, `tree` -> `store` (the only module that names redb) -> `object`.
//! The library never prints, exits, reads the environment or the clock: the
//! binary passes author, time and paths in.

pub mod config;
pub mod error;
pub mod fsck;
pub mod gc;
pub mod merge;
pub mod object;
pub mod ops;
pub mod refs;
pub mod repo;
pub mod rev;
pub mod stage;
pub mod store;
pub mod tree;

pub use error::{Error, Result};
