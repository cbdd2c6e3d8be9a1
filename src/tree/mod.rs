//! The key tree: a prolly tree over sorted keys.
//!
//! Level 0 holds the key/value entries in key order; each level above holds one
//! entry per node of the level below (the child's first key and id). Node
//! boundaries are content-defined (`node::is_boundary`), so the same set of pairs
//! always gives the same nodes and the same root id, however it was built: equal
//! states compare by hash, and diffs skip subtrees whose ids are equal.
//!
//! The tree never names the storage engine: it reads objects through
//! [`ObjectRead`] and returns the objects it creates for the caller to store.

mod blob;
mod build;
mod cursor;
mod diff;
mod edit;
pub mod node;

pub use blob::{BLOB_CHUNK, BLOB_LIST, read_value_bytes, store_value};
pub use build::TreeBuilder;
pub use cursor::Cursor;
pub use diff::{Change, diff, diff_prefix};
pub use edit::apply;
pub use node::{Entry, Node, Payload, ValRef};

use crate::error::Result;
use crate::object::Id;
use std::collections::HashMap;
use std::sync::Arc;

/// Read access to stored objects.
pub trait ObjectRead {
    /// Loads and decodes the tree node `id`, which sits at `level` (a child is
    /// one level below its parent). A missing or damaged node, or one at
    /// another level, is an error. Stores keep leaves and internal nodes apart
    /// (`docs/format.md`), so the level says where to look.
    fn node(&self, id: &Id, level: u8) -> Result<Arc<Node>>;
    /// Loads the root of a tree, whose level is known only once it is read.
    fn root(&self, id: &Id) -> Result<Arc<Node>>;
    /// Loads a blob object's raw bytes.
    fn blob(&self, id: &Id) -> Result<Vec<u8>>;
}

/// Objects created by a tree operation, waiting to be stored.
#[derive(Default)]
pub struct NewObjects {
    pub nodes: Vec<(Id, Vec<u8>)>,
    pub blobs: Vec<(Id, Vec<u8>)>,
    /// Decoded copies of `nodes`, so later steps of the same operation can read them.
    cache: HashMap<Id, Arc<Node>>,
}

impl NewObjects {
    /// Encodes `node`, records it and returns its id.
    pub fn add_node(&mut self, node: Node) -> Id {
        let bytes = node.encode();
        let id = Id::of(&bytes);
        if !self.cache.contains_key(&id) {
            self.nodes.push((id, bytes));
            self.cache.insert(id, Arc::new(node));
        }
        id
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.blobs.is_empty()
    }

    /// Takes in the objects of another operation.
    pub fn absorb(&mut self, other: NewObjects) {
        for (id, bytes) in other.nodes {
            if let Some(node) = other.cache.get(&id)
                && !self.cache.contains_key(&id)
            {
                self.cache.insert(id, node.clone());
                self.nodes.push((id, bytes));
            }
        }
        for (id, bytes) in other.blobs {
            if !self.blobs.iter().any(|(b, _)| *b == id) {
                self.blobs.push((id, bytes));
            }
        }
    }
}

/// Reads through newly created objects first, then the store.
pub struct Overlay<'a> {
    pub base: &'a dyn ObjectRead,
    pub new: &'a NewObjects,
}

impl ObjectRead for Overlay<'_> {
    fn node(&self, id: &Id, level: u8) -> Result<Arc<Node>> {
        match self.new.cache.get(id) {
            Some(n) => Ok(n.clone()),
            None => self.base.node(id, level),
        }
    }
    fn root(&self, id: &Id) -> Result<Arc<Node>> {
        match self.new.cache.get(id) {
            Some(n) => Ok(n.clone()),
            None => self.base.root(id),
        }
    }
    fn blob(&self, id: &Id) -> Result<Vec<u8>> {
        match self.new.blobs.iter().find(|(b, _)| b == id) {
            Some((_, bytes)) => Ok(bytes.clone()),
            None => self.base.blob(id),
        }
    }
}

/// The id of the empty tree (an empty leaf).
pub fn empty_root() -> Id {
    Id::of(&Node::empty_leaf().encode())
}

/// Looks up one key.
pub fn get(src: &dyn ObjectRead, root: &Id, key: &str) -> Result<Option<ValRef>> {
    let mut node = src.root(root)?;
    loop {
        if node.level == 0 {
            return Ok(node
                .entries
                .binary_search_by(|e| (*e.key).cmp(key))
                .ok()
                .and_then(|i| node.entries[i].value().cloned()));
        }
        let i = node
            .entries
            .partition_point(|e| &*e.key <= key)
            .saturating_sub(1);
        let child = node.entries[i]
            .child()
            .expect("internal nodes hold children");
        node = src.node(&child, node.level - 1)?;
    }
}

/// Calls `f` for each entry whose key starts with `prefix`, in key order,
/// until it returns `false`. A range scan: only the nodes on the range are read.
pub fn scan_prefix(
    src: &dyn ObjectRead,
    root: &Id,
    prefix: &str,
    mut f: impl FnMut(&str, &ValRef) -> Result<bool>,
) -> Result<()> {
    let mut cursor = Cursor::seek(src, *root, prefix)?;
    while let Some(entry) = cursor.entry() {
        if !entry.key.starts_with(prefix) {
            break;
        }
        let value = entry.value().expect("leaf entries hold values");
        if !f(&entry.key, value)? {
            break;
        }
        cursor.advance()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
