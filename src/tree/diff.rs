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
use std::sync::Arc;

/// One key that differs: `old` is its value in the first tree, `new` in the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub key: String,
    pub old: Option<ValRef>,
    pub new: Option<ValRef>,
}

/// An entry of a loaded node, held without copying it.
#[derive(Clone)]
struct At {
    node: Arc<Node>,
    idx: usize,
}

impl At {
    fn entry(&self) -> &Entry {
        &self.node.entries[self.idx]
    }

    fn all(node: &Arc<Node>) -> impl Iterator<Item = At> + '_ {
        (0..node.entries.len()).map(|idx| At {
            node: node.clone(),
            idx,
        })
    }
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
    let mut side_a: Vec<At> = At::all(&root_a).collect();
    let mut side_b: Vec<At> = At::all(&root_b).collect();
    loop {
        if level_a == level_b {
            if level_a == 0 {
                return Ok(merge_leaves(&side_a, &side_b, prefix));
            }
            drop_shared(&mut side_a, &mut side_b);
            (side_a, side_b) = expand_both(src, &side_a, &side_b, prefix)?;
            level_a -= 1;
            level_b -= 1;
        } else if level_a > level_b {
            side_a = expand(src, &side_a, prefix)?;
            level_a -= 1;
        } else {
            side_b = expand(src, &side_b, prefix)?;
            level_b -= 1;
        }
    }
}

/// Removes the children present on both sides. Both lists are in key order
/// and a shared child has the same first key on both, so one merge-walk finds
/// them all.
fn drop_shared(a: &mut Vec<At>, b: &mut Vec<At>) {
    let (mut keep_a, mut keep_b) = (vec![true; a.len()], vec![true; b.len()]);
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i].entry(), b[j].entry());
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

/// Replaces children with their entries, skipping children whose key range
/// cannot hold a key with `prefix`.
fn expand(src: &dyn ObjectRead, children: &[At], prefix: &str) -> Result<Vec<At>> {
    let mut out = Vec::new();
    for node in load_children(src, children, prefix)? {
        out.extend(At::all(&node));
    }
    Ok(out)
}

/// Expands both sides one level down, leaving out every entry present on
/// both (same key and same child or value): like [`expand`] then
/// [`drop_shared`], without holding the shared entries, which are most of
/// them (a changed key changes one entry of each node on its path).
fn expand_both(
    src: &dyn ObjectRead,
    a: &[At],
    b: &[At],
    prefix: &str,
) -> Result<(Vec<At>, Vec<At>)> {
    let (nodes_a, nodes_b) = (
        load_children(src, a, prefix)?,
        load_children(src, b, prefix)?,
    );
    let (mut wa, mut wb) = (Walk::new(&nodes_a), Walk::new(&nodes_b));
    let (mut out_a, mut out_b) = (Vec::new(), Vec::new());
    loop {
        match (wa.peek(), wb.peek()) {
            (None, None) => break,
            (Some(_), None) => out_a.push(wa.take()),
            (None, Some(_)) => out_b.push(wb.take()),
            (Some(x), Some(y)) => match x.key.cmp(&y.key) {
                std::cmp::Ordering::Less => out_a.push(wa.take()),
                std::cmp::Ordering::Greater => out_b.push(wb.take()),
                std::cmp::Ordering::Equal if x == y => {
                    wa.skip();
                    wb.skip();
                }
                std::cmp::Ordering::Equal => {
                    out_a.push(wa.take());
                    out_b.push(wb.take());
                }
            },
        }
    }
    Ok((out_a, out_b))
}

/// The entries of a list of nodes in order, handed out as `At` only when kept.
struct Walk<'n> {
    nodes: &'n [Arc<Node>],
    node: usize,
    idx: usize,
}

impl<'n> Walk<'n> {
    fn new(nodes: &'n [Arc<Node>]) -> Walk<'n> {
        let mut w = Walk {
            nodes,
            node: 0,
            idx: 0,
        };
        w.settle();
        w
    }

    /// Moves past the ends of nodes (and empty nodes).
    fn settle(&mut self) {
        while self.node < self.nodes.len() && self.idx >= self.nodes[self.node].entries.len() {
            self.node += 1;
            self.idx = 0;
        }
    }

    fn peek(&self) -> Option<&'n Entry> {
        self.nodes.get(self.node).map(|n| &n.entries[self.idx])
    }

    fn skip(&mut self) {
        self.idx += 1;
        self.settle();
    }

    fn take(&mut self) -> At {
        let at = At {
            node: self.nodes[self.node].clone(),
            idx: self.idx,
        };
        self.skip();
        at
    }
}

/// Loads the children in `children` whose key range can hold a key with
/// `prefix`. The range of a child runs to the next key in the list, which may
/// be past its true end once shared children are gone: that keeps more than
/// needed, never less.
fn load_children(src: &dyn ObjectRead, children: &[At], prefix: &str) -> Result<Vec<Arc<Node>>> {
    let mut out = Vec::new();
    for (i, at) in children.iter().enumerate() {
        let child = at.entry();
        let next = children.get(i + 1).map(|e| &*e.entry().key);
        let starts_after =
            !prefix.is_empty() && &*child.key > prefix && !child.key.starts_with(prefix);
        let ends_before = next.is_some_and(|n| n <= prefix);
        if starts_after || ends_before {
            continue;
        }
        let id = child.child().expect("internal nodes hold children");
        out.push(src.node(&id, at.node.level - 1)?);
    }
    Ok(out)
}

fn merge_leaves(a: &[At], b: &[At], prefix: &str) -> Vec<Change> {
    let mut out = Vec::new();
    let mut a = a
        .iter()
        .map(At::entry)
        .filter(|e| e.key.starts_with(prefix))
        .peekable();
    let mut b = b
        .iter()
        .map(At::entry)
        .filter(|e| e.key.starts_with(prefix))
        .peekable();
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
