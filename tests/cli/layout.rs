//! The node tables of docs/format.md: leaves in `nodes`, internal nodes in
//! `inner`. Format 1 repositories kept every node in `nodes`: this build reads
//! them as they are and moves their internal nodes on its first writable open.

use crate::common::TestEnv;
use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};

const NODES: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("nodes");
const INNER: TableDefinition<[u8; 32], &[u8]> = TableDefinition::new("inner");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");

/// Rewrites a repository into format 1, as a format 1 build would have left it.
fn downgrade(env: &TestEnv) {
    let db = env.open_db();
    let txn = db.begin_write().expect("write");
    {
        let inner = txn.open_table(INNER).expect("the inner table");
        let mut nodes = txn.open_table(NODES).expect("the nodes table");
        for item in inner.range::<[u8; 32]>(..).expect("range") {
            let (k, v) = item.expect("readable");
            nodes.insert(k.value(), v.value()).expect("insert");
        }
    }
    txn.delete_table(INNER).expect("delete inner");
    txn.open_table(META)
        .expect("meta")
        .insert("format", &1u32.to_be_bytes()[..])
        .expect("insert");
    txn.commit().expect("commit");
}

struct Layout {
    format: u32,
    /// The level byte of each node in `nodes`, and the number in `inner`
    /// (`None` without the table).
    node_levels: Vec<u8>,
    inner: Option<usize>,
}

fn layout(env: &TestEnv) -> Layout {
    let db = env.open_db();
    let txn = db.begin_read().expect("read");
    let meta = txn.open_table(META).expect("meta");
    let format = meta.get("format").expect("get").expect("a format");
    let format = u32::from_be_bytes(format.value().try_into().expect("four bytes"));
    let nodes = txn.open_table(NODES).expect("nodes");
    let node_levels = nodes
        .range::<[u8; 32]>(..)
        .expect("range")
        .map(|item| item.expect("readable").1.value()[1])
        .collect();
    let inner = match txn.open_table(INNER) {
        Ok(t) => Some(t.len().expect("len") as usize),
        Err(redb::TableError::TableDoesNotExist(_)) => None,
        Err(e) => panic!("{e}"),
    };
    Layout {
        format,
        node_levels,
        inner,
    }
}

/// 600 keys k/0000 .. k/0599 with values value-N: a tree with internal nodes.
fn repository_with_internal_nodes() -> TestEnv {
    let env = TestEnv::new();
    let load: String = (0..600)
        .map(|i| format!("set k/{i:04} value-{i}\n"))
        .collect();
    env.batch(&load);
    env
}

#[test]
fn a_format_1_repository_is_read_as_is_and_upgraded_by_the_first_write() {
    let env = repository_with_internal_nodes();
    env.ok(&["branch", "side"]);
    env.batch("set k/0001 changed\nrm k/0300\n");
    let reads: [&[&str]; 5] = [
        &["get", "k/0001"],
        &["ls", "k/02"],
        &["log", "--oneline"],
        &["diff", "side", "main"],
        &["status"],
    ];
    let before: Vec<String> = reads.iter().map(|args| env.stdout(args)).collect();
    let now = layout(&env);
    assert_eq!(now.format, 2);
    assert!(
        now.inner.is_some_and(|n| n > 0),
        "a 600-key tree has internal nodes"
    );
    assert!(
        now.node_levels.iter().all(|&l| l == 0),
        "only leaves in nodes"
    );

    downgrade(&env);
    let old = layout(&env);
    assert_eq!((old.format, old.inner), (1, None));
    assert!(old.node_levels.iter().any(|&l| l > 0));

    // Read commands, fsck included, read it as it is and change nothing.
    for (args, expected) in reads.iter().zip(&before) {
        assert_eq!(&env.stdout(args), expected, "kvgit {args:?}");
    }
    assert_eq!(env.json(&["fsck", "--json"])["ok"], true);
    assert_eq!(layout(&env).format, 1);

    // The first write moves the internal nodes, then does its work.
    env.ok(&["set", "k/0002", "new"]);
    let new = layout(&env);
    assert_eq!(new.format, 2);
    assert_eq!(
        new.inner,
        Some(old.node_levels.iter().filter(|&&l| l > 0).count())
    );
    assert!(new.node_levels.iter().all(|&l| l == 0));
    for (args, expected) in reads.iter().zip(&before).take(4) {
        assert_eq!(&env.stdout(args), expected, "kvgit {args:?}");
    }
    env.commit("after the upgrade");
    assert_eq!(env.get("k/0002"), "new\n");
    assert_eq!(env.json(&["fsck", "--json"])["ok"], true);
    env.ok(&["gc", "--prune-older-than", "now"]);
    assert_eq!(env.json(&["fsck", "--json"])["ok"], true);
    assert_eq!(env.get("k/0599"), "value-599\n");
}

#[test]
fn a_leaf_in_the_internal_node_table_is_reported_as_damage() {
    let env = repository_with_internal_nodes();
    let db = env.open_db();
    let txn = db.begin_write().expect("write");
    {
        let mut nodes = txn.open_table(NODES).expect("nodes");
        let (id, bytes) = {
            let (k, v) = nodes.first().expect("first").expect("a leaf");
            (k.value(), v.value().to_vec())
        };
        nodes.remove(&id).expect("remove");
        txn.open_table(INNER)
            .expect("inner")
            .insert(&id, bytes.as_slice())
            .expect("insert");
    }
    txn.commit().expect("commit");
    drop(db);
    let doc = env.json_code(&["fsck", "--json"], 7);
    let problems = doc["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{doc}");
    assert!(
        problems[0]["problem"]
            .as_str()
            .expect("text")
            .contains("is missing"),
        "{doc}"
    );
    // Some key lives in that leaf: reading every key meets it.
    env.run(&["export"]).error(7);
}
