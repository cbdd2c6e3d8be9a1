//! A position in a tree: the path from the root down to a node at the cursor's
//! floor level (0 for an entry cursor), with an index at each step.

use super::{Entry, Node, ObjectRead};
use crate::error::Result;
use crate::object::Id;
use bytestring::ByteString;
use std::sync::Arc;

#[derive(Clone)]
struct Frame {
    id: Id,
    node: Arc<Node>,
    idx: usize,
}

#[derive(Clone)]
pub struct Cursor<'a> {
    src: &'a dyn ObjectRead,
    /// `frames[0]` is the root, the last frame the node at `floor`.
    frames: Vec<Frame>,
    floor: u8,
    done: bool,
}

impl<'a> Cursor<'a> {
    /// An entry cursor at the first entry whose key is `>= key`.
    pub fn seek(src: &'a dyn ObjectRead, root: Id, key: &str) -> Result<Cursor<'a>> {
        Cursor::seek_at(src, root, key, 0)
    }

    /// A cursor whose last frame is the node at `floor` that would hold `key`.
    pub(crate) fn seek_at(
        src: &'a dyn ObjectRead,
        root: Id,
        key: &str,
        floor: u8,
    ) -> Result<Cursor<'a>> {
        let node = src.root(&root)?;
        let mut cursor = Cursor {
            src,
            frames: Vec::new(),
            floor,
            done: false,
        };
        let (mut id, mut node) = (root, node);
        loop {
            if node.level == floor {
                let idx = node.entries.partition_point(|e| &*e.key < key);
                cursor.frames.push(Frame { id, node, idx });
                break;
            }
            let idx = node
                .entries
                .partition_point(|e| &*e.key <= key)
                .saturating_sub(1);
            let child = node.entries[idx]
                .child()
                .expect("internal nodes hold children");
            let level = node.level - 1;
            cursor.frames.push(Frame { id, node, idx });
            id = child;
            node = src.node(&id, level)?;
        }
        if floor == 0 {
            cursor.normalize()?;
        }
        Ok(cursor)
    }

    /// The entry under an entry cursor, or `None` past the end.
    pub fn entry(&self) -> Option<&Entry> {
        if self.done {
            return None;
        }
        let f = self.frames.last().expect("a cursor has a frame");
        f.node.entries.get(f.idx)
    }

    pub fn advance(&mut self) -> Result<()> {
        if let Some(f) = self.frames.last_mut() {
            f.idx += 1;
        }
        self.normalize()
    }

    /// After the floor index runs past its node, steps the parents and
    /// descends along first children back to the floor.
    fn normalize(&mut self) -> Result<()> {
        let mut depth = self.frames.len() - 1;
        while self.frames[depth].idx >= self.frames[depth].node.entries.len() {
            if depth == 0 {
                self.done = true;
                return Ok(());
            }
            depth -= 1;
            self.frames[depth].idx += 1;
        }
        self.frames.truncate(depth + 1);
        self.descend(false)
    }

    /// Descends from the last frame to the floor, along first (or last) children.
    fn descend(&mut self, rightmost: bool) -> Result<()> {
        loop {
            let f = self.frames.last().expect("a cursor has a frame");
            if f.node.level == self.floor {
                return Ok(());
            }
            let id = f.node.entries[f.idx]
                .child()
                .expect("internal nodes hold children");
            let node = self.src.node(&id, f.node.level - 1)?;
            let idx = if rightmost && node.level != self.floor {
                node.entries.len() - 1
            } else {
                0
            };
            self.frames.push(Frame { id, node, idx });
        }
    }

    pub fn root_level(&self) -> u8 {
        self.frames[0].node.level
    }

    /// Moves past the whole node at `level` that holds the cursor.
    pub fn skip_node(&mut self, level: u8) -> Result<()> {
        let depth = (self.root_level() - level) as usize;
        self.frames.truncate(depth + 1);
        let f = &mut self.frames[depth];
        f.idx = f.node.entries.len();
        self.normalize()
    }

    // Node-level navigation, used by edits.

    pub(crate) fn node(&self) -> (Id, Arc<Node>) {
        let f = self.frames.last().expect("a cursor has a frame");
        (f.id, f.node.clone())
    }

    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    /// Moves to the next node at the floor level; `false` at the end.
    pub(crate) fn next_node(&mut self) -> Result<bool> {
        self.skip_node(self.floor)?;
        Ok(!self.done)
    }

    /// Moves to the previous node at the floor level; `false` at the start.
    pub(crate) fn prev_node(&mut self) -> Result<bool> {
        let last = self.frames.len() - 1;
        let Some(depth) = (0..last).rev().find(|&d| self.frames[d].idx > 0) else {
            return Ok(false);
        };
        self.frames.truncate(depth + 1);
        self.frames[depth].idx -= 1;
        self.descend(true)?;
        Ok(true)
    }

    /// The first key of the node after this one at the floor level.
    pub(crate) fn next_node_first_key(&self) -> Option<&ByteString> {
        let last = self.frames.len() - 1;
        (0..last).rev().find_map(|d| {
            let f = &self.frames[d];
            f.node.entries.get(f.idx + 1).map(|e| &e.key)
        })
    }
}
