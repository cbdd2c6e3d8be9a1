//! Tree laws, checked against a `BTreeMap` model: history independence
//! (incremental edits equal a rebuild from scratch), lookups, range scans,
//! and diffs.

use super::*;
use crate::error::Error;
use proptest::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// An in-memory object store.
#[derive(Default)]
struct Mem {
    nodes: RefCell<HashMap<Id, Arc<Node>>>,
    blobs: RefCell<HashMap<Id, Vec<u8>>>,
}

impl Mem {
    fn store(&self, new: NewObjects) -> usize {
        let count = new.nodes.len();
        for (id, bytes) in new.nodes {
            assert_eq!(Id::of(&bytes), id);
            let node = Node::decode(&id, &bytes).expect("new nodes decode");
            assert!(
                bytes.len() <= node::NODE_MAX,
                "node of {} bytes",
                bytes.len()
            );
            self.nodes.borrow_mut().insert(id, Arc::new(node));
        }
        self.blobs.borrow_mut().extend(new.blobs);
        count
    }
}

impl ObjectRead for Mem {
    fn node(&self, id: &Id, level: u8) -> Result<Arc<Node>> {
        let node = self.root(id)?;
        // The level a caller names is where a store looks: it must be right.
        assert_eq!(
            node.level,
            level,
            "node {} read at the wrong level",
            id.short()
        );
        Ok(node)
    }
    fn root(&self, id: &Id) -> Result<Arc<Node>> {
        self.nodes
            .borrow()
            .get(id)
            .cloned()
            .ok_or_else(|| Error::Corrupt(format!("missing node {}", id.short())))
    }
    fn blob(&self, id: &Id) -> Result<Vec<u8>> {
        self.blobs
            .borrow()
            .get(id)
            .cloned()
            .ok_or_else(|| Error::Corrupt(format!("missing blob {}", id.short())))
    }
}

fn val(n: u64, width: usize) -> ValRef {
    ValRef::Inline(format!("{n:0width$}").into_bytes().into())
}

fn build(mem: &Mem, model: &BTreeMap<String, ValRef>) -> Id {
    let mut new = NewObjects::default();
    let mut b = TreeBuilder::new();
    for (k, v) in model {
        b.push(k.clone(), v.clone(), &mut new);
    }
    let root = b.finish(&mut new);
    mem.store(new);
    root
}

fn edit(mem: &Mem, root: Id, edits: &BTreeMap<String, Option<ValRef>>) -> (Id, usize) {
    let mut new = NewObjects::default();
    let root = apply(mem, root, edits.clone(), &mut new).expect("apply");
    (root, mem.store(new))
}

fn all_entries(mem: &Mem, root: Id) -> BTreeMap<String, ValRef> {
    let mut out = BTreeMap::new();
    scan_prefix(mem, &root, "", |k, v| {
        out.insert(k.to_string(), v.clone());
        Ok(true)
    })
    .expect("scan");
    out
}

fn check_structure(mem: &Mem, root: Id) {
    // Every node but the root's own level has at least two entries on internal
    // levels, and every child is one level down.
    fn walk(mem: &Mem, id: Id, depth_level: Option<u8>) {
        let node = mem.root(&id).expect("node");
        if let Some(l) = depth_level {
            assert_eq!(node.level, l);
        }
        for e in &node.entries {
            if let Some(c) = e.child() {
                let child = mem.root(&c).expect("child");
                assert_eq!(child.first_key(), &*e.key);
                walk(mem, c, Some(node.level - 1));
            }
        }
    }
    walk(mem, root, None);
    let r = mem.root(&root).expect("root");
    assert!(r.level == 0 || r.entries.len() >= 2, "untrimmed root");
}

#[test]
fn empty_tree_has_a_fixed_root() {
    let mem = Mem::default();
    let root = build(&mem, &BTreeMap::new());
    assert_eq!(root, empty_root());
    assert!(all_entries(&mem, root).is_empty());
    assert_eq!(get(&mem, &root, "x").expect("get"), None);
}

#[test]
fn large_tree_builds_edits_and_shrinks_back() {
    let mem = Mem::default();
    let model: BTreeMap<String, ValRef> = (0..20_000)
        .map(|i| (format!("user/{i:08}"), val(i, 100)))
        .collect();
    let root = build(&mem, &model);
    check_structure(&mem, root);
    assert!(mem.root(&root).expect("root").level >= 2);
    assert_eq!(
        get(&mem, &root, "user/00012345").expect("get"),
        Some(val(12345, 100))
    );
    assert_eq!(get(&mem, &root, "user/0001234").expect("get"), None);

    // A one-key edit writes about one node per level.
    let one = BTreeMap::from([("user/00000777".to_string(), Some(val(1, 100)))]);
    let (edited, written) = edit(&mem, root, &one);
    let height = mem.root(&root).expect("root").level as usize + 1;
    assert!(
        written <= height + 3,
        "wrote {written} nodes for height {height}"
    );
    let mut m2 = model.clone();
    m2.insert("user/00000777".into(), val(1, 100));
    assert_eq!(edited, build(&mem, &m2));

    // Deleting everything gives the empty tree again.
    let all: BTreeMap<String, Option<ValRef>> = model.keys().map(|k| (k.clone(), None)).collect();
    let (gone, _) = edit(&mem, root, &all);
    assert_eq!(gone, empty_root());
}

#[test]
fn diff_of_few_changes_reads_few_nodes() {
    let mem = Mem::default();
    let model: BTreeMap<String, ValRef> = (0..20_000)
        .map(|i| (format!("user/{i:08}"), val(i, 100)))
        .collect();
    let root = build(&mem, &model);
    let edits = BTreeMap::from([
        ("user/00000005".to_string(), Some(val(7, 100))),
        ("user/00010000".to_string(), None),
        ("user/00019999x".to_string(), Some(val(1, 10))),
    ]);
    let (other, _) = edit(&mem, root, &edits);
    let counting = Counting {
        inner: &mem,
        reads: RefCell::new(0),
    };
    let changes = diff(&counting, root, other).expect("diff");
    assert_eq!(changes.len(), 3);
    assert_eq!(changes[0].key, "user/00000005");
    assert_eq!(changes[1].new, None);
    assert_eq!(changes[2].old, None);
    let reads = *counting.reads.borrow();
    assert!(reads < 60, "diff read {reads} nodes");
}

struct Counting<'a> {
    inner: &'a Mem,
    reads: RefCell<usize>,
}

impl ObjectRead for Counting<'_> {
    fn node(&self, id: &Id, level: u8) -> Result<Arc<Node>> {
        *self.reads.borrow_mut() += 1;
        self.inner.node(id, level)
    }
    fn root(&self, id: &Id) -> Result<Arc<Node>> {
        *self.reads.borrow_mut() += 1;
        self.inner.root(id)
    }
    fn blob(&self, id: &Id) -> Result<Vec<u8>> {
        self.inner.blob(id)
    }
}

#[test]
fn prefix_scan_returns_exactly_the_prefix() {
    let mem = Mem::default();
    let mut model = BTreeMap::new();
    for i in 0..3000 {
        model.insert(format!("a/{i:05}"), val(i, 20));
        model.insert(format!("b/{i:05}"), val(i, 20));
    }
    let root = build(&mem, &model);
    let mut seen = Vec::new();
    scan_prefix(&mem, &root, "b/0012", |k, _| {
        seen.push(k.to_string());
        Ok(true)
    })
    .expect("scan");
    let expected: Vec<String> = (120..130).map(|i| format!("b/{i:05}")).collect();
    assert_eq!(seen, expected);
}

#[test]
fn large_values_are_chunked_and_read_back() {
    let mem = Mem::default();
    let mut new = NewObjects::default();
    let data: Vec<u8> = (0..(BLOB_CHUNK * 2 + 10))
        .map(|i| (i % 251) as u8)
        .collect();
    let vref = store_value(data.clone(), &mut new);
    assert_eq!(new.blobs.len(), 4, "three chunks and a list");
    mem.store(new);
    assert_eq!(read_value_bytes(&mem, &vref).expect("read"), data);

    // A value whose object would be exactly 4 KiB is padded off the power of two.
    let mut new = NewObjects::default();
    let vref = store_value(vec![7; 4095], &mut new);
    assert_eq!(new.blobs[0].1.len(), 4097);
    mem.store(new);
    assert_eq!(read_value_bytes(&mem, &vref).expect("read"), vec![7; 4095]);
}

#[test]
fn big_keys_respect_the_node_cap() {
    let mem = Mem::default();
    let model: BTreeMap<String, ValRef> = (0..400)
        .map(|i| {
            (
                format!("{i:04}{}", "k".repeat(1000)),
                ValRef::Inline(vec![1; 512].into()),
            )
        })
        .collect();
    let root = build(&mem, &model); // Mem::store asserts the cap
    check_structure(&mem, root);
    assert_eq!(all_entries(&mem, root), model);
}

#[test]
fn edits_at_the_first_entry_of_a_node_match_a_rebuild() {
    // Entries of 0.8 to 2 KB: two or three fill a node, so many boundaries
    // are forced by the 4000-byte cap and depend on the entry after them.
    // Shrinking, growing or deleting the first entry of a node, or inserting
    // before it, can move the boundary in front of that node.
    let mem = Mem::default();
    let key = |i: u32| format!("k/{i:04}/{}", "x".repeat((i as usize * 389) % 1200 + 300));
    let model: BTreeMap<String, ValRef> =
        (0..60).map(|i| (key(i * 2), val(i.into(), 500))).collect();
    let root = build(&mem, &model);
    for (i, k) in model.keys().enumerate() {
        let variants: [BTreeMap<String, Option<ValRef>>; 4] = [
            [(k.clone(), Some(val(1, 20)))].into(),
            [(k.clone(), Some(val(2, 510)))].into(),
            [(k.clone(), None)].into(),
            [(key(i as u32 * 2 + 1), Some(val(3, 300)))].into(),
        ];
        for edits in variants {
            let mut expected = model.clone();
            for (k, v) in &edits {
                match v {
                    Some(v) => expected.insert(k.clone(), v.clone()),
                    None => expected.remove(k),
                };
            }
            let (edited, _) = edit(&mem, root, &edits);
            assert_eq!(
                edited,
                build(&mem, &expected),
                "edit {edits:?} of entry {i}"
            );
        }
    }
}

fn key_strategy() -> impl Strategy<Value = String> {
    // A small key space so edits hit existing keys often; some long keys to
    // exercise the size cap.
    prop_oneof![
        8 => (0u32..400).prop_map(|i| format!("k/{i:04}")),
        1 => (0u32..40).prop_map(|i| format!("long/{i:03}/{}", "x".repeat(900))),
    ]
}

fn value_strategy() -> impl Strategy<Value = ValRef> {
    prop_oneof![
        (0u64..1000, 1usize..120).prop_map(|(n, w)| val(n, w)),
        (0u64..5).prop_map(|n| val(n, 500)),
        any::<[u8; 32]>().prop_map(|b| ValRef::Blob {
            id: Id(b),
            len: 1000
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn incremental_edits_equal_a_rebuild(
        initial in prop::collection::btree_map(key_strategy(), value_strategy(), 0..500),
        batches in prop::collection::vec(
            prop::collection::btree_map(key_strategy(), prop::option::of(value_strategy()), 1..40),
            1..6,
        ),
    ) {
        let mem = Mem::default();
        let mut model = initial.clone();
        let mut root = build(&mem, &model);
        for batch in &batches {
            let (next, _) = edit(&mem, root, batch);
            let old = root;
            root = next;
            let old_model = model.clone();
            for (k, v) in batch {
                match v {
                    Some(v) => { model.insert(k.clone(), v.clone()); }
                    None => { model.remove(k); }
                }
            }
            prop_assert_eq!(root, build(&mem, &model), "history independence");
            check_structure(&mem, root);
            prop_assert_eq!(&all_entries(&mem, root), &model);
            // Diff agrees with the models.
            let changes = diff(&mem, old, root).expect("diff");
            let mut expected = Vec::new();
            let keys: std::collections::BTreeSet<&String> = old_model.keys().chain(model.keys()).collect();
            for k in keys {
                let (a, b) = (old_model.get(k), model.get(k));
                if a != b {
                    expected.push(Change { key: k.clone(), old: a.cloned(), new: b.cloned() });
                }
            }
            prop_assert_eq!(changes, expected);
        }
    }

    #[test]
    fn insertion_order_does_not_change_the_root(
        pairs in prop::collection::vec((key_strategy(), value_strategy()), 1..300),
        split in 0usize..300,
    ) {
        // Build once from scratch, once by two batches in another order.
        let mem = Mem::default();
        let model: BTreeMap<String, ValRef> = pairs.iter().cloned().collect();
        let whole = build(&mem, &model);
        let split = split.min(pairs.len());
        let (second, first) = pairs.split_at(split);
        let mut root = empty_root();
        mem.store({ let mut n = NewObjects::default(); n.add_node(Node::empty_leaf()); n });
        for part in [first, second] {
            let batch: BTreeMap<String, Option<ValRef>> = part
                .iter()
                .map(|(k, v)| (k.clone(), Some(model[k].clone()).filter(|_| true).map(|_| v.clone())))
                .collect();
            let (next, _) = edit(&mem, root, &batch);
            root = next;
        }
        // The later batch may have overwritten with its own value; rebuild the model that way.
        let mut expected = BTreeMap::new();
        for (k, v) in first.iter().chain(second) {
            expected.insert(k.clone(), v.clone());
        }
        let _ = whole;
        prop_assert_eq!(root, build(&mem, &expected));
    }
}
