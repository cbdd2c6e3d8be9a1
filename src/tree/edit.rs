//! Applying a batch of edits to a tree, writing O(edits x log N) new nodes.
//!
//! Each level of the tree is a sorted map: level 0 maps keys to values, level
//! L+1 maps the first key of every level-L node to that node's id. An edit
//! batch is applied level by level: at level L the nodes around the edited keys
//! are re-chunked, and the nodes that disappeared or appeared become the edits
//! of level L+1.
//!
//! Re-chunking a level starts at the node holding the first edited key. The
//! boundary in front of that node depends on the node before it and, through
//! the size cap (checked before an entry is appended), on this node's first
//! entry, and on nothing else: so when an edit reaches that first entry (a
//! change, a deletion, or a key before it), re-chunking starts one node
//! earlier, whose own start cannot move. The chunker's state resets at each
//! boundary, so once the new chunking ends a node exactly where an old node
//! ended, everything up to the next edit is unchanged and is skipped. The
//! result equals a rebuild from scratch (a property test checks this).

use super::build::{Chunker, TreeBuilder};
use super::cursor::Cursor;
use super::node::{Node, Payload, ValRef};
use super::{NewObjects, ObjectRead, Overlay};
use crate::error::Result;
use crate::object::Id;
use bytestring::ByteString;
use std::collections::{BTreeMap, HashMap};

type LevelEdits = Vec<(ByteString, Option<Payload>)>;

/// Applies `edits` (sorted by key, unique; `None` deletes) to the tree at
/// `root` and returns the new root. New nodes are added to `new`.
pub fn apply(
    src: &dyn ObjectRead,
    root: Id,
    edits: impl IntoIterator<Item = (String, Option<ValRef>)>,
    new: &mut NewObjects,
) -> Result<Id> {
    let mut level_edits: LevelEdits = edits
        .into_iter()
        .map(|(k, v)| (ByteString::from(k), v.map(Payload::Value)))
        .collect();
    debug_assert!(level_edits.windows(2).all(|w| w[0].0 < w[1].0));
    let top = src.root(&root)?.level;
    for level in 0..=top {
        if level_edits.is_empty() {
            // Nothing changed at this level, so nothing above it did either.
            return Ok(root);
        }
        let (removed, added) = edit_level(src, root, level, &level_edits, new)?;
        if level == top {
            return finish(src, top, added, new);
        }
        level_edits = next_level_edits(removed, added);
    }
    unreachable!("the loop returns at the top level")
}

/// Turns the nodes that left and joined level L into edits of level L+1,
/// dropping nodes that were re-emitted unchanged.
fn next_level_edits(removed: Vec<(ByteString, Id)>, added: Vec<(ByteString, Id)>) -> LevelEdits {
    let old: HashMap<&str, Id> = removed.iter().map(|(k, id)| (&**k, *id)).collect();
    let mut edits: BTreeMap<ByteString, Option<Payload>> =
        removed.iter().map(|(k, _)| (k.clone(), None)).collect();
    for (key, id) in added {
        if old.get(&*key) == Some(&id) {
            edits.remove(&key);
        } else {
            edits.insert(key, Some(Payload::Child(id)));
        }
    }
    edits.into_iter().collect()
}

/// Settles the root once the old top level has been rewritten into `added`.
fn finish(
    src: &dyn ObjectRead,
    top: u8,
    added: Vec<(ByteString, Id)>,
    new: &mut NewObjects,
) -> Result<Id> {
    match added.len() {
        0 => {
            new.add_node(Node::empty_leaf());
            Ok(super::empty_root())
        }
        1 => {
            // The root is the lowest level with a single node; levels above a
            // single node are single-entry nodes, which are trimmed off.
            let (mut root, mut level) = (added[0].1, top);
            loop {
                let node = Overlay { base: src, new }.node(&root, level)?;
                match (node.level, node.entries.as_slice()) {
                    (1.., [only]) => {
                        root = only.child().expect("internal nodes hold children");
                        level -= 1;
                    }
                    _ => return Ok(root),
                }
            }
        }
        _ => {
            let mut builder = TreeBuilder::at_level(top + 1);
            for (key, id) in added {
                builder.push_entry(
                    super::Entry {
                        key,
                        payload: Payload::Child(id),
                    },
                    new,
                );
            }
            Ok(builder.finish(new))
        }
    }
}

/// Re-chunks the windows of level `level` that `edits` touch. Returns the old
/// nodes streamed through and the new nodes that replace them, as
/// (first key, id) pairs.
#[allow(clippy::type_complexity)]
fn edit_level(
    src: &dyn ObjectRead,
    root: Id,
    level: u8,
    edits: &[(ByteString, Option<Payload>)],
    new: &mut NewObjects,
) -> Result<(Vec<(ByteString, Id)>, Vec<(ByteString, Id)>)> {
    let mut removed = Vec::new();
    let mut added = Vec::new();
    let mut chunker = Chunker::new(level);
    let emit = |node: Node, added: &mut Vec<(ByteString, Id)>, new: &mut NewObjects| {
        let key = node.first_key_shared();
        added.push((key, new.add_node(node)));
    };
    let window_start = |key: &str| -> Result<Cursor<'_>> {
        let mut c = Cursor::seek_at(src, root, key, level)?;
        if key <= c.node().1.first_key() {
            c.prev_node()?;
        }
        Ok(c)
    };

    let mut cursor = window_start(&edits[0].0)?;
    let mut next_edit = 0;
    loop {
        let (id, node) = cursor.node();
        removed.push((node.first_key_shared(), id));
        let limit = cursor.next_node_first_key().cloned();
        let belongs = |key: &str| limit.as_deref().is_none_or(|l| key < l);

        // Merge this node's entries with the edits that fall into it.
        let mut entries = node.entries.iter().peekable();
        loop {
            let edit = edits.get(next_edit).filter(|(k, _)| belongs(k));
            match (entries.peek(), edit) {
                (Some(e), Some((k, _))) if e.key < *k => {
                    if let Some(n) = chunker.push((*e).clone()) {
                        emit(n, &mut added, new);
                    }
                    entries.next();
                }
                (entry, Some((k, payload))) => {
                    if entry.is_some_and(|e| e.key == *k) {
                        entries.next();
                    }
                    if let Some(payload) = payload {
                        let e = super::Entry {
                            key: k.clone(),
                            payload: payload.clone(),
                        };
                        if let Some(n) = chunker.push(e) {
                            emit(n, &mut added, new);
                        }
                    }
                    next_edit += 1;
                }
                (Some(e), None) => {
                    if let Some(n) = chunker.push((*e).clone()) {
                        emit(n, &mut added, new);
                    }
                    entries.next();
                }
                (None, None) => break,
            }
        }

        if chunker.is_empty() {
            // The new chunking ends where this old node ended: in sync.
            let Some((key, _)) = edits.get(next_edit) else {
                break;
            };
            // Jump to the next window when it starts past the node after this
            // one (first keys order the nodes of a level).
            let target = window_start(key)?;
            if cursor
                .next_node_first_key()
                .is_some_and(|next| target.node().1.first_key() > &**next)
            {
                cursor = target;
                continue;
            }
        }
        if !cursor.next_node()? {
            break;
        }
    }
    debug_assert!(cursor.is_done() || next_edit == edits.len());
    if let Some(n) = chunker.finish() {
        emit(n, &mut added, new);
    }
    Ok((removed, added))
}
