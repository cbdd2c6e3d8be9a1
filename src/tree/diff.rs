//! Key-level differences between two trees, skipping equal subtrees.
//!
//! The diff works one level at a time, top down. At each level it holds, for
//! each tree, the entries still in question. A child whose id appears on both
//! sides is the same subtree holding the same keys and values in both trees,
//! so it is dropped from both without being read; the remaining children are
//! expanded into their entries one level down. At level 0 the two lists are
//! merged by key. Only nodes on the paths of changed keys (and their immediate
//! neighbours, where boundaries moved) are read: the cost follows the number of
//! changes times the tree height, not the size of the trees.

use super::{Entry, Node, ObjectRead, ValRef};
use crate::error::Result;
use crate::object::Id;
use bytestring::ByteString;
use std::sync::Arc;

/// One key that differs: `old` is its value in the first tree, `new` in the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub key: String,
    pub old: Option<ValRef>,
    pub new: Option<ValRef>,
}

/// Every key whose value differs between the trees at `a` and `b`.
pub fn diff(src: &dyn ObjectRead, a: Id, b: Id) -> Result<Vec<Change>> {
    diff_prefix(src, a, b, "")
}

/// Like [`diff`], restricted to keys that start with `prefix`.
pub fn diff_prefix(src: &dyn ObjectRead, a: Id, b: Id, prefix: &str) -> Result<Vec<Change>> {
    if a == b {
        return Ok(Vec::new());
    }
    let (root_a, root_b) = (src.root(&a)?, src.root(&b)?);
    let (mut level_a, mut level_b) = (root_a.level, root_b.level);
    let mut side_a: Vec<Entry> = root_a.entries.iter().map(detach).collect();
    let mut side_b: Vec<Entry> = root_b.entries.iter().map(detach).collect();
    loop {
        if level_a == level_b {
            if level_a == 0 {
                return Ok(merge_leaves(&side_a, &side_b, prefix));
            }
            drop_shared(&mut side_a, &mut side_b);
            (side_a, side_b) = expand_both(src, &side_a, &side_b, level_a - 1, prefix)?;
            level_a -= 1;
            level_b -= 1;
        } else if level_a > level_b {
            side_a = expand(src, &side_a, level_a - 1, prefix)?;
            level_a -= 1;
        } else {
            side_b = expand(src, &side_b, level_b - 1, prefix)?;
            level_b -= 1;
        }
    }
}

/// A copy of an entry that holds nothing of the node it was read from but an
/// inline value's bytes, so the node can be freed. A level of a big tree's diff
/// reads hundreds of nodes and keeps an entry or two of each.
fn detach(e: &Entry) -> Entry {
    Entry {
        key: ByteString::from(&*e.key),
        payload: e.payload.clone(),
    }
}

/// Removes the children present on both sides. Both lists are in key order
/// and a shared child has the same first key on both, so one merge-walk finds
/// them all.
fn drop_shared(a: &mut Vec<Entry>, b: &mut Vec<Entry>) {
    let (mut keep_a, mut keep_b) = (vec![true; a.len()], vec![true; b.len()]);
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (&a[i], &b[j]);
        match x.key.cmp(&y.key) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if x.child().is_some() && x.child() == y.child() {
                    keep_a[i] = false;
                    keep_b[j] = false;
                }
                i += 1;
                j += 1;
            }
        }
    }
    let mut flags = keep_a.into_iter();
    a.retain(|_| flags.next().unwrap_or(true));
    let mut flags = keep_b.into_iter();
    b.retain(|_| flags.next().unwrap_or(true));
}

/// Replaces `children` (entries of internal nodes) with the entries of the
/// nodes they point to, which sit at `level`, skipping children whose key
/// range cannot hold a key with `prefix`.
fn expand(src: &dyn ObjectRead, children: &[Entry], level: u8, prefix: &str) -> Result<Vec<Entry>> {
    let mut walk = Walk::new(src, children, level, prefix)?;
    let mut out = Vec::new();
    while walk.peek().is_some() {
        out.push(walk.take()?);
    }
    Ok(out)
}

/// Expands both sides one level down, leaving out every entry present on
/// both (same key and same child or value): like [`expand`] then
/// [`drop_shared`], without holding the shared entries, which are most of
/// them (a changed key changes one entry of each node on its path). Each
/// side reads its children one at a time, as the walk reaches them.
fn expand_both(
    src: &dyn ObjectRead,
    a: &[Entry],
    b: &[Entry],
    level: u8,
    prefix: &str,
) -> Result<(Vec<Entry>, Vec<Entry>)> {
    let mut wa = Walk::new(src, a, level, prefix)?;
    let mut wb = Walk::new(src, b, level, prefix)?;
    let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
    loop {
        match (wa.peek(), wb.peek()) {
            (None, None) => break,
            (Some(_), None) => out_a.push(wa.take()?),
            (None, Some(_)) => out_b.push(wb.take()?),
            (Some(x), Some(y)) => match x.key.cmp(&y.key) {
                std::cmp::Ordering::Less => out_a.push(wa.take()?),
                std::cmp::Ordering::Greater => out_b.push(wb.take()?),
                std::cmp::Ordering::Equal if x.payload == y.payload => {
                    wa.skip()?;
                    wb.skip()?;
                }
                std::cmp::Ordering::Equal => {
                    out_a.push(wa.take()?);
                    out_b.push(wb.take()?);
                }
            },
        }
    }
    Ok((out_a, out_b))
}

/// The entries of the nodes a list of children points to (nodes at `level`),
/// in key order. A node is read when the walk reaches it and dropped when the
/// walk leaves it; entries are handed out detached, and only when kept.
struct Walk<'a> {
    src: &'a dyn ObjectRead,
    children: &'a [Entry],
    level: u8,
    prefix: &'a str,
    /// The next child to read.
    next: usize,
    node: Option<Arc<Node>>,
    idx: usize,
}

impl<'a> Walk<'a> {
    fn new(
        src: &'a dyn ObjectRead,
        children: &'a [Entry],
        level: u8,
        prefix: &'a str,
    ) -> Result<Walk<'a>> {
        let mut w = Walk {
            src,
            children,
            level,
            prefix,
            next: 0,
            node: None,
            idx: 0,
        };
        w.settle()?;
        Ok(w)
    }

    /// Moves past the ends of nodes (and empty nodes), reading the next
    /// child whose key range can hold a key with the prefix. The range of a
    /// child runs to the next key in the list, which may be past its true end
    /// once shared children are gone: that reads more than needed, never less.
    fn settle(&mut self) -> Result<()> {
        while self
            .node
            .as_ref()
            .is_some_and(|n| self.idx >= n.entries.len())
            || (self.node.is_none() && self.next < self.children.len())
        {
            self.node = None;
            while self.next < self.children.len() {
                let i = self.next;
                self.next += 1;
                let child = &self.children[i];
                let next = self.children.get(i + 1).map(|e| &*e.key);
                let prefix = self.prefix;
                let starts_after =
                    !prefix.is_empty() && &*child.key > prefix && !child.key.starts_with(prefix);
                let ends_before = next.is_some_and(|n| n <= prefix);
                if starts_after || ends_before {
                    continue;
                }
                let id = child.child().expect("internal nodes hold children");
                self.node = Some(self.src.node(&id, self.level)?);
                self.idx = 0;
                break;
            }
        }
        Ok(())
    }

    fn peek(&self) -> Option<&Entry> {
        self.node.as_ref().map(|n| &n.entries[self.idx])
    }

    fn skip(&mut self) -> Result<()> {
        self.idx += 1;
        self.settle()
    }

    fn take(&mut self) -> Result<Entry> {
        let e = detach(self.peek().expect("take follows a peek"));
        self.skip()?;
        Ok(e)
    }
}

fn merge_leaves(a: &[Entry], b: &[Entry], prefix: &str) -> Vec<Change> {
    let mut out = Vec::new();
    let mut a = a.iter().filter(|e| e.key.starts_with(prefix)).peekable();
    let mut b = b.iter().filter(|e| e.key.starts_with(prefix)).peekable();
    loop {
        let order = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.key.cmp(&y.key),
        };
        match order {
            std::cmp::Ordering::Less => {
                let x = a.next().expect("peeked");
                out.push(Change {
                    key: x.key.to_string(),
                    old: x.value().cloned(),
                    new: None,
                });
            }
            std::cmp::Ordering::Greater => {
                let y = b.next().expect("peeked");
                out.push(Change {
                    key: y.key.to_string(),
                    old: None,
                    new: y.value().cloned(),
                });
            }
            std::cmp::Ordering::Equal => {
                let (x, y) = (a.next().expect("peeked"), b.next().expect("peeked"));
                if x.payload != y.payload {
                    out.push(Change {
                        key: x.key.to_string(),
                        old: x.value().cloned(),
                        new: y.value().cloned(),
                    });
                }
            }
        }
    }
    out
}
