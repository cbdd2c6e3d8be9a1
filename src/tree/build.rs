//! Building levels of the tree from entries in key order: the chunker that
//! applies the boundary rule, and a streaming builder for whole trees.

use super::node::{Entry, HEADER_LEN, NODE_MAX, Node, Payload, ValRef, is_boundary};
use super::{NewObjects, empty_root};
use crate::object::Id;

/// Cuts one level's entries into nodes. The state resets at every boundary,
/// which is what lets an edit re-chunk only a window of the level.
pub(crate) struct Chunker {
    level: u8,
    entries: Vec<Entry>,
    size: usize,
}

impl Chunker {
    pub(crate) fn new(level: u8) -> Chunker {
        Chunker {
            level,
            entries: Vec::new(),
            size: 0,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn take(&mut self) -> Node {
        self.size = 0;
        Node {
            level: self.level,
            entries: std::mem::take(&mut self.entries),
        }
    }

    /// Appends an entry; returns the node it closed, if any. The size cap is
    /// applied before appending, so no node exceeds `NODE_MAX`.
    pub(crate) fn push(&mut self, entry: Entry) -> Option<Node> {
        let len = entry.encoded_len();
        let mut closed = None;
        if !self.entries.is_empty() && HEADER_LEN + self.size + len > NODE_MAX {
            closed = Some(self.take());
        }
        self.size += len;
        self.entries.push(entry);
        let last = self.entries.last().expect("just pushed");
        if is_boundary(self.level, last, self.size, self.entries.len()) {
            // A node closed by the cap leaves one entry, and one entry is never a boundary.
            debug_assert!(closed.is_none());
            closed = Some(self.take());
        }
        closed
    }

    /// The last, unterminated node of the level, if it has entries.
    pub(crate) fn finish(&mut self) -> Option<Node> {
        (!self.entries.is_empty()).then(|| self.take())
    }
}

struct Level {
    chunker: Chunker,
    emitted: usize,
    /// The level's first node, held back until a second one shows that a
    /// level above is needed at all.
    first: Option<Entry>,
}

/// Builds a tree from entries pushed in strictly increasing key order, holding
/// only one open node per level in memory. Finished nodes go to `NewObjects`,
/// which the caller may drain as it goes.
pub struct TreeBuilder {
    base: u8,
    levels: Vec<Level>,
}

impl Default for TreeBuilder {
    fn default() -> Self {
        TreeBuilder::at_level(0)
    }
}

impl TreeBuilder {
    pub fn new() -> TreeBuilder {
        TreeBuilder::default()
    }

    /// A builder whose pushed entries form level `base` (children of lower nodes).
    pub(crate) fn at_level(base: u8) -> TreeBuilder {
        TreeBuilder {
            base,
            levels: Vec::new(),
        }
    }

    /// Adds a key/value pair; keys must arrive in strictly increasing order.
    pub fn push(&mut self, key: String, value: ValRef, new: &mut NewObjects) {
        self.push_at(
            0,
            Entry {
                key: key.into(),
                payload: Payload::Value(value),
            },
            new,
        );
    }

    pub(crate) fn push_entry(&mut self, entry: Entry, new: &mut NewObjects) {
        self.push_at(0, entry, new);
    }

    fn level(&mut self, i: usize) -> &mut Level {
        while self.levels.len() <= i {
            let level = self.base + self.levels.len() as u8;
            self.levels.push(Level {
                chunker: Chunker::new(level),
                emitted: 0,
                first: None,
            });
        }
        &mut self.levels[i]
    }

    fn push_at(&mut self, i: usize, entry: Entry, new: &mut NewObjects) {
        if let Some(node) = self.level(i).chunker.push(entry) {
            self.emit(i, node, new);
        }
    }

    fn emit(&mut self, i: usize, node: Node, new: &mut NewObjects) {
        let key = node.first_key_shared();
        let id = new.add_node(node);
        let entry = Entry {
            key,
            payload: Payload::Child(id),
        };
        let level = self.level(i);
        level.emitted += 1;
        match level.emitted {
            1 => level.first = Some(entry),
            2 => {
                let first = level.first.take().expect("held since the first emit");
                self.push_at(i + 1, first, new);
                self.push_at(i + 1, entry, new);
            }
            _ => self.push_at(i + 1, entry, new),
        }
    }

    /// Closes every level and returns the root id.
    pub fn finish(mut self, new: &mut NewObjects) -> Id {
        let mut i = 0;
        loop {
            if i >= self.levels.len() {
                // Nothing was ever pushed.
                new.add_node(Node::empty_leaf());
                return empty_root();
            }
            if let Some(node) = self.levels[i].chunker.finish() {
                self.emit(i, node, new);
            }
            let level = &self.levels[i];
            match level.emitted {
                0 => {
                    new.add_node(Node::empty_leaf());
                    return empty_root();
                }
                1 => {
                    return level
                        .first
                        .as_ref()
                        .and_then(Entry::child)
                        .expect("a level's only node is held as its first");
                }
                _ => i += 1,
            }
        }
    }
}
