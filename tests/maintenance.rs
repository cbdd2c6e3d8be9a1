//! End-to-end tests of gc, eviction, fsck, import and export.

mod support;

use serde_json::Value as Json;
use support::Env;

fn lines(n: usize, prefix: &str, value: &str) -> String {
    (0..n)
        .map(|i| format!("set {prefix}{i:04} {value}\n"))
        .collect()
}

/// The keys a `gc --json` eviction dropped (or would drop), coldest first.
fn dropped_keys(plan: &Json) -> Vec<&str> {
    plan["eviction"]["dropped"]
        .as_array()
        .expect("list")
        .iter()
        .map(|k| k["key"].as_str().expect("key"))
        .collect()
}

/// The repository's redb file opened as kvgit opens it for writing.
fn open_db(env: &Env) -> redb::Database {
    redb::Builder::new()
        .set_concurrency_mode(redb::ConcurrencyMode::MultiWriter)
        .open(env.path().join(".kvgit/kvgit.redb"))
        .expect("open the repository's redb file")
}

fn fsck_clean(env: &Env) {
    let out = env.ok(&["fsck", "--json"]).json();
    assert_eq!(out["ok"], true, "{out}");
}

#[test]
fn gc_frees_only_what_reset_and_branch_delete_dropped() {
    let env = Env::new();
    env.batch(&lines(300, "shared/", "base-value-that-is-long-enough"));
    env.ok(&["branch", "keep"]);
    env.ok(&["switch", "-c", "doomed"]);
    env.batch(&lines(200, "doomed/", "only-on-the-doomed-branch"));
    env.ok(&["switch", "main"]);
    env.batch(&lines(200, "gone/", "reset-away"));
    env.ok(&["reset", "--hard", "HEAD~1"]);
    env.ok(&["branch", "-D", "doomed"]);
    let before: Vec<String> = ["main", "keep"]
        .iter()
        .map(|b| env.ok(&["export", b]).stdout)
        .collect();

    // Reflog entries still hold everything.
    let kept = env
        .ok(&["gc", "--prune-older-than", "now", "--json"])
        .json();
    assert_eq!(kept["removed"]["commits"], 0, "{kept}");

    // A dry run reports and removes nothing.
    let dry = env
        .ok(&[
            "gc",
            "--prune-older-than",
            "now",
            "--expire-reflog",
            "now",
            "--dry-run",
            "--json",
        ])
        .json();
    assert_eq!(dry["dry_run"], true);
    let again = env
        .ok(&[
            "gc",
            "--prune-older-than",
            "now",
            "--expire-reflog",
            "now",
            "--json",
        ])
        .json();
    assert_eq!(
        again["removed"], dry["removed"],
        "the dry run predicted the real run"
    );
    assert_eq!(
        again["removed"]["commits"], 2,
        "the reset-away and the deleted branch's commits"
    );
    assert!(again["removed"]["nodes"].as_u64().expect("count") > 0);
    assert!(
        again["file_size_after"].as_u64().expect("size")
            <= again["file_size_before"].as_u64().expect("size")
    );
    fsck_clean(&env);
    let after: Vec<String> = ["main", "keep"]
        .iter()
        .map(|b| env.ok(&["export", b]).stdout)
        .collect();
    assert_eq!(before, after, "every branch reads the same");
    // Nothing left to collect.
    let third = env
        .ok(&["gc", "--prune-older-than", "now", "--json"])
        .json();
    assert_eq!(third["removed"]["bytes"], 0);
}

#[test]
fn gc_grace_period_keeps_young_unreachable_objects() {
    let env = Env::new();
    env.batch(&lines(50, "k/", "v1"));
    env.batch(&lines(50, "k/", "v2"));
    env.ok(&["reset", "--hard", "HEAD~1"]);
    let out = env.ok(&["gc", "--expire-reflog", "now", "--json"]).json();
    assert_eq!(
        out["removed"]["commits"], 0,
        "objects are younger than the default hour"
    );
    assert!(out["kept_young"].as_u64().expect("count") > 0);
}

#[test]
fn gc_while_other_processes_commit_loses_nothing() {
    let env = Env::new();
    env.batch("set hits 0 int\n");
    std::thread::scope(|s| {
        let writers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    for _ in 0..15 {
                        let out = env.run_with(&["batch"], "incr hits 1\n");
                        assert_eq!(out.code, 0, "{}", out.stderr);
                    }
                })
            })
            .collect();
        for _ in 0..5 {
            let out = env.run(&["gc", "--prune-older-than", "now", "--expire-reflog", "now"]);
            assert_eq!(out.code, 0, "{}", out.stderr);
        }
        for w in writers {
            w.join().expect("writer thread");
        }
    });
    assert_eq!(env.get("hits"), "60");
    fsck_clean(&env);
}

#[test]
fn eviction_seed_example_with_protected_meta_and_auto_gc() {
    let env = Env::new();
    env.ok(&["config", "set", "gc.high-water", "200"]);
    env.ok(&["config", "set", "gc.low-water", "100"]);
    let v = "x".repeat(80);
    env.ok(&["set", "__meta", &v]);
    env.ok(&["commit", "-m", "meta"]);
    for k in ["a", "b", "c"] {
        env.ok(&["set", k, &v]);
        let out = env.ok(&["commit", "-m", k]);
        let _ = out;
    }
    let keys = env.ok(&["ls"]).stdout;
    assert_eq!(
        keys, "__meta\nc\n",
        "a and b are evicted, c and the protected __meta stay"
    );
    let log = env.ok(&["log", "--json"]).json();
    let root = log
        .as_array()
        .expect("list")
        .last()
        .expect("commits")
        .clone();
    assert_eq!(
        root["parents"],
        serde_json::json!([]),
        "the eviction is a new root commit"
    );
    let msg = root["message"].as_str().expect("message");
    assert!(msg.contains("a, b") && msg.starts_with("evict"), "{msg}");
    fsck_clean(&env);
}

/// An eviction by flag: high water 250, low 150, `pinned/*` protected.
const EVICT: &[&str] = &[
    "gc",
    "--high-water",
    "250",
    "--low-water",
    "150",
    "--protect",
    "pinned/*",
];

#[test]
fn eviction_by_flag_dry_run_and_protect() {
    let env = Env::new();
    for k in ["old", "mid", "new", "pinned/x"] {
        env.ok(&["set", k, &"y".repeat(100)]);
        env.ok(&["commit", "-m", k]);
    }
    let plan = env.ok(&[EVICT, &["--dry-run", "--json"]].concat()).json();
    let dropped = dropped_keys(&plan);
    assert_eq!(
        dropped,
        ["old", "mid", "new"],
        "coldest first; the protected key is never dropped"
    );
    assert_eq!(plan["eviction"]["commit"], Json::Null);
    let table = env.ok(&[EVICT, &["--dry-run"]].concat()).stdout;
    assert!(
        table.contains("last changed") && table.contains("old"),
        "{table}"
    );
    assert_eq!(
        env.ok(&["ls"]).stdout.lines().count(),
        4,
        "dry run changed nothing"
    );
    let done = env.ok(&[EVICT, &["--json"]].concat()).json();
    assert!(done["eviction"]["commit"].is_string());
    assert_eq!(env.ok(&["ls"]).stdout, "pinned/x\n");
    assert_eq!(
        env.run(&["gc", "--high-water", "10", "--low-water", "20"])
            .code,
        2
    );
}

#[test]
fn fsck_finds_a_flipped_byte_and_a_dangling_ref() {
    let env = Env::new();
    env.batch(&lines(100, "k/", "some-value"));
    fsck_clean(&env);
    {
        // Flip a byte inside one stored tree node, through redb.
        let d = open_db(&env);
        let nodes: redb::TableDefinition<[u8; 32], &[u8]> = redb::TableDefinition::new("nodes");
        let w = d.begin_write().expect("write");
        {
            let mut t = w.open_table(nodes).expect("table");
            let (id, mut bytes) = {
                use redb::ReadableTable;
                let mut it = t.range::<[u8; 32]>(..).expect("range");
                let (k, v) = it.nth(1).expect("a node").expect("readable");
                (k.value(), v.value().to_vec())
            };
            let last = bytes.len() - 1;
            bytes[last] ^= 0x55;
            t.insert(&id, bytes.as_slice()).expect("insert");
        }
        w.commit().expect("commit");
    }
    let out = env.run(&["fsck", "--json"]);
    assert_eq!(out.code, 7);
    let doc = out.json();
    assert_eq!(doc["ok"], false);
    let problem = &doc["problems"][0];
    assert!(
        problem["object"]
            .as_str()
            .expect("object")
            .starts_with("tree node"),
        "{doc}"
    );
    assert!(
        problem["problem"].as_str().expect("text").contains("hash"),
        "{doc}"
    );
    // Reading through the damaged node is an integrity failure too.
    let out = env.run(&["export"]);
    assert_eq!(out.code, 7, "{}", out.stderr);

    let env = Env::new();
    env.batch("set a 1\n");
    {
        let d = open_db(&env);
        let refs: redb::TableDefinition<&str, [u8; 32]> = redb::TableDefinition::new("refs");
        let w = d.begin_write().expect("write");
        w.open_table(refs)
            .expect("table")
            .insert("tags/dangling", &[7u8; 32])
            .expect("insert");
        w.commit().expect("commit");
    }
    let out = env.run(&["fsck"]);
    assert_eq!(out.code, 7);
    assert!(
        out.stderr.contains("ref tags/dangling") && out.stderr.contains("missing commit"),
        "{}",
        out.stderr
    );
}

/// The first 64 bytes of the 4 KiB page at `offset`, each XORed with 0x5a.
fn damage_page(bytes: &[u8], offset: usize) -> Vec<u8> {
    let mut damaged = bytes.to_vec();
    for b in &mut damaged[offset..offset + 64] {
        *b ^= 0x5a;
    }
    damaged
}

/// Regression: fsck walked objects through a read-only open and said "no
/// problems" on files whose redb pages were damaged, while every write
/// command then failed to open them (exit 7). fsck now runs the storage
/// engine's own integrity check: every page that leaves writes failing is an
/// fsck failure, reported as one error line, and the damaged file is left as
/// it was.
#[test]
fn fsck_fails_on_every_damaged_page_that_breaks_writes_and_writes_nothing() {
    let env = Env::new();
    env.ok(&["set", "a", "1"]);
    env.ok(&["commit", "-m", "a"]);
    let db = env.path().join(".kvgit/kvgit.redb");
    let pristine = std::fs::read(&db).expect("read the database");
    let (mut engine_failures, mut writes_failed) = (0, 0);
    for offset in (0..pristine.len()).step_by(4096) {
        let damaged = damage_page(&pristine, offset);
        std::fs::write(&db, &damaged).expect("write the damaged copy");
        let out = env.run(&["fsck"]);
        if out.code == 7 {
            assert!(out.stdout.is_empty(), "page at {offset}: {}", out.stdout);
            let lines: Vec<&str> = out.stderr.lines().collect();
            assert!(
                lines.len() == 2
                    && lines[0].starts_with("error: repository is corrupt: ")
                    && lines[1].starts_with("hint: "),
                "page at {offset}: one error line and a hint\n{}",
                out.stderr
            );
            if lines[0].contains("storage engine") {
                engine_failures += 1;
            }
            let json = env.run(&["fsck", "--json"]);
            assert_eq!(json.code, 7, "page at {offset}: {}", json.stderr);
            assert!(json.stdout.is_empty(), "page at {offset}: {}", json.stdout);
            let doc: Json = serde_json::from_str(json.stderr.trim()).expect("one JSON document");
            assert_eq!(doc["error"]["kind"], "corrupt", "page at {offset}: {doc}");
            assert_eq!(doc["error"]["code"], 7, "page at {offset}: {doc}");
            assert_eq!(
                std::fs::read(&db).expect("read the database"),
                damaged,
                "page at {offset}: fsck wrote to a damaged file"
            );
            writes_failed += usize::from(env.run(&["set", "z", "1"]).code != 0);
        } else {
            assert_eq!(
                out.code, 0,
                "page at {offset}: {}{}",
                out.stdout, out.stderr
            );
            // fsck passed: the damage was in a page nothing uses, and writing works.
            let set = env.run(&["set", "z", "1"]);
            assert_eq!(
                set.code, 0,
                "page at {offset}: fsck passed but a write fails: {}",
                set.stderr
            );
        }
    }
    assert!(
        engine_failures > 0 && writes_failed > 0,
        "no page damage reached the engine's check ({engine_failures}) or broke writes ({writes_failed})"
    );
    std::fs::write(&db, &pristine).expect("restore the database");
    fsck_clean(&env);
}

/// Rewrites the user-table count that redb keeps in the database header's
/// primary commit slot, with a valid slot checksum: damage only redb's own
/// records describe, which its integrity check repairs (`Ok(false)`).
fn miscount_tables(db: &std::path::Path) {
    // The header layout of redb 4.6 (src/tree_store/page_store/header.rs):
    // the god byte at 9 names the primary slot; slots of 128 bytes start at
    // 64; in a slot the user root is at 8 (page number 8, checksum 16, table
    // count 8) and the slot's XXH3-128 checksum of its first 112 bytes at 112.
    let mut bytes = std::fs::read(db).expect("read the database");
    let slot = 64 + 128 * usize::from(bytes[9] & 1);
    let (count_at, sum_at) = (slot + 8 + 8 + 16, slot + 112);
    let old = xxhash_rust::xxh3::xxh3_128(&bytes[slot..sum_at]);
    assert_eq!(
        bytes[sum_at..sum_at + 16],
        old.to_le_bytes(),
        "the slot checksum is where redb 4.6 keeps it"
    );
    let count = u64::from_le_bytes(bytes[count_at..count_at + 8].try_into().expect("8 bytes"));
    bytes[count_at..count_at + 8].copy_from_slice(&(count + 5).to_le_bytes());
    let new = xxhash_rust::xxh3::xxh3_128(&bytes[slot..sum_at]);
    bytes[sum_at..sum_at + 16].copy_from_slice(&new.to_le_bytes());
    std::fs::write(db, bytes).expect("write the database");
}

#[test]
fn fsck_reports_a_repair_made_by_the_storage_engine() {
    let env = Env::new();
    env.batch(&lines(50, "k/", "some-value"));
    let db = env.path().join(".kvgit/kvgit.redb");

    miscount_tables(&db);
    let out = env.run(&["fsck"]);
    assert_eq!(out.code, 7, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .starts_with("error: database file: the storage engine found")
            && out.stderr.contains("repaired"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(": 1 problem(s)"), "{}", out.stderr);

    miscount_tables(&db);
    let out = env.run(&["fsck", "--json"]);
    assert_eq!(out.code, 7, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(doc["ok"], false, "{doc}");
    assert_eq!(doc["storage"], "repaired", "{doc}");
    assert_eq!(doc["problems"][0]["object"], "database file", "{doc}");
    assert_eq!(doc["problems"].as_array().map(Vec::len), Some(1), "{doc}");
    assert_eq!(
        doc["checked"]["refs"], 1,
        "the walk ran after the repair: {doc}"
    );

    // The repair held: the next check is clean, and the data is all there.
    let doc = env.ok(&["fsck", "--json"]).json();
    assert_eq!(
        (&doc["ok"], &doc["storage"]),
        (&Json::Bool(true), &"clean".into())
    );
    assert_eq!(env.get("k/0049"), "some-value");
}

#[test]
fn fsck_waits_for_the_write_lock_within_the_lock_timeout() {
    let env = Env::new();
    env.batch("set a 1\n");
    let db = open_db(&env);
    let txn = db.begin_write().expect("begin a write transaction");
    let out = env.run(&["--lock-timeout", "300ms", "fsck"]);
    assert_eq!(out.code, 5, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.starts_with("error: timed out"), "{}", out.stderr);
    let out = env.run(&["--lock-timeout", "300ms", "fsck", "--json"]);
    assert_eq!(out.code, 5, "{}", out.stderr);
    let doc: Json = serde_json::from_str(out.stderr.trim()).expect("one JSON document");
    assert_eq!(doc["error"]["kind"], "busy", "{doc}");
    drop(txn);
    // Another process having the file open is no obstacle.
    fsck_clean(&env);
    drop(db);
    fsck_clean(&env);
}

#[test]
fn fsck_after_a_killed_writer_repairs_and_passes() {
    let env = Env::new();
    env.batch(&lines(20, "k/", "v"));
    let path = env.path().join(".kvgit/kvgit.redb");
    // What a writer killed while it had the file open leaves behind: the
    // file as it is on disk while a writable handle is open.
    let left = {
        let db = open_db(&env);
        db.begin_write()
            .expect("begin a write transaction")
            .commit()
            .expect("commit");
        let left = std::fs::read(&path).expect("read the database");
        drop(db);
        left
    };
    assert_ne!(left[9] & 2, 0, "redb's recovery-required flag is set");
    std::fs::write(&path, &left).expect("write the database back");
    let doc = env.ok(&["fsck", "--json"]).json();
    assert_eq!(doc["ok"], true, "{doc}");
    assert_eq!(doc["storage"], "clean", "{doc}");
    assert_eq!(doc["checked"]["refs"], 1, "{doc}");
    assert_eq!(env.get("k/0019"), "v");
}

#[test]
fn export_import_round_trip_of_every_type() {
    let env = Env::new();
    env.ok(&["set", "t/string", "héllo\nworld"]);
    env.ok(&["set", "t/int", "-42", "--int"]);
    env.ok(&["set", "t/float", "2.5", "--float"]);
    env.ok(&["set", "t/bool", "true", "--bool"]);
    env.ok(&[
        "set",
        "t/json",
        r#"{"b":[1,2,{"c":null}],"a":"x"}"#,
        "--json",
    ]);
    let bin = env.path().join("blob.bin");
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&bin, &big).expect("write");
    env.ok(&["set", "t/bytes", "--file", bin.to_str().expect("utf-8")]);
    env.ok(&["set", "t/jsonstr", "\"just text\"", "--json"]);
    env.ok(&["commit", "-m", "all types"]);
    let dump = env.ok(&["export"]).stdout;
    assert_eq!(dump.lines().count(), 7);

    let other = Env::new();
    let file = other.path().join("dump.jsonl");
    std::fs::write(&file, &dump).expect("write");
    let out = other
        .ok(&["import", file.to_str().expect("utf-8"), "--json"])
        .json();
    assert_eq!(out["entries"], 7);
    assert!(out["commit"].is_string());
    assert_eq!(other.ok(&["export"]).stdout, dump, "types survive exactly");
    for key in [
        "t/string",
        "t/int",
        "t/float",
        "t/bool",
        "t/json",
        "t/jsonstr",
    ] {
        assert_eq!(
            other.ok(&["get", key, "--json"]).stdout,
            env.ok(&["get", key, "--json"]).stdout
        );
    }
    assert_eq!(
        std::process::Command::new(env!("CARGO_BIN_EXE_kvgit"))
            .args([
                "-C",
                other.path().to_str().expect("utf-8"),
                "get",
                "t/bytes"
            ])
            .output()
            .expect("runs")
            .stdout,
        big
    );
    // The same trees: the import's commit holds the same root.
    assert_eq!(other.ok(&["diff", "HEAD", "--json"]).stdout, "[]\n");

    // The JSON object format gives natural types.
    let json_file = other.path().join("obj.json");
    std::fs::write(
        &json_file,
        r#"{"n/i": 5, "n/f": 1.5, "n/s": "x", "n/b": false, "n/o": {"k": [1]}}"#,
    )
    .expect("write");
    other.ok(&["import", json_file.to_str().expect("utf-8")]);
    let types: Vec<String> = ["n/i", "n/f", "n/s", "n/b", "n/o"]
        .iter()
        .map(|k| {
            other.ok(&["get", k, "--json"]).json()["type"]
                .as_str()
                .expect("type")
                .to_string()
        })
        .collect();
    assert_eq!(types, ["int", "float", "string", "bool", "json"]);
    let exported: Json =
        serde_json::from_str(&other.ok(&["export", "n/", "--format", "json"]).stdout)
            .expect("one JSON object");
    assert_eq!(exported["n/o"], serde_json::json!({"k": [1]}));
}

#[test]
fn malformed_import_names_the_line_and_commits_nothing() {
    let env = Env::new();
    env.batch("set a 1\n");
    let head = env.ok(&["log", "--json"]).json()[0]["id"].clone();
    let cases = [
        ("{\"key\":\"x\",\"value\":1}\nnot json\n", "line 2"),
        (
            "{\"key\":\"x\",\"value\":1}\n{\"key\":\"\",\"value\":1}\n",
            "line 2",
        ),
        (
            "{\"key\":\"x\",\"type\":\"int\",\"value\":\"abc\"}\n",
            "line 1",
        ),
        ("{\"key\":\"x\",\"type\":\"nope\",\"value\":1}\n", "line 1"),
    ];
    for (input, want) in cases {
        let out = env.run_with(&["import", "-", "--format", "jsonl"], input);
        assert_eq!(out.code, 2, "{input}: {}", out.stderr);
        assert!(out.stderr.contains(want), "{input}: {}", out.stderr);
    }
    let out = env.run_with(&["import", "-", "--format", "json"], "{\"a\": 1,\n\"b\": }");
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("line 2"), "{}", out.stderr);
    assert_eq!(
        env.ok(&["log", "--json"]).json()[0]["id"],
        head,
        "nothing was committed"
    );
    assert_eq!(env.run(&["get", "x"]).code, 1);
}

#[test]
fn large_import_streams_in_batches() {
    // More entries than one import batch, unsorted, with overwrites.
    let env = Env::new();
    let mut input = String::new();
    for i in (0..120_000u32).rev() {
        input.push_str(&format!(
            "{{\"key\":\"k/{:06}\",\"value\":{}}}\n",
            i % 110_000,
            i
        ));
    }
    let out = env.run_with(&["import", "-", "--json"], &input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["entries"], 120_000);
    assert_eq!(env.ok(&["ls", "k/"]).stdout.lines().count(), 110_000);
    // The later line wins: k/000005 was written by i=110005, then by i=5.
    assert_eq!(env.get("k/000005"), "5");
    fsck_clean(&env);
}

#[test]
fn import_honours_the_namespace_and_an_empty_import_commits_nothing() {
    let env = Env::new();
    let out = env.run_with(&["import", "-", "--format", "json", "--json"], "");
    assert_eq!(
        out.code, 2,
        "an empty JSON document is not an object: {}",
        out.stderr
    );
    let out = env.run_with(&["import", "-", "--json"], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.json()["commit"],
        Json::Null,
        "no commit on an unborn branch"
    );
    env.run_with(
        &["--ns", "imp", "import", "-", "--format", "json"],
        r#"{"x": 1}"#,
    );
    assert_eq!(env.ok(&["ls"]).stdout, "imp/x\n");
    assert_eq!(env.ok(&["--ns", "imp", "get", "x"]).stdout, "1\n");
}

#[test]
fn export_with_json_is_one_document() {
    let env = Env::new();
    env.batch("set a 1 int\nset b x\n");
    let doc = env.ok(&["export", "--json"]).json();
    assert_eq!(
        doc,
        serde_json::json!([
            {"key": "a", "type": "int", "value": 1},
            {"key": "b", "type": "string", "value": "x"}
        ])
    );
}

#[test]
fn export_of_a_mistyped_revision_is_an_error_not_an_empty_prefix() {
    let env = Env::new();
    env.batch("set users/1 a\nset users/2 b\n");
    let out = env.run(&["export", "nosuchrev"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert_eq!(
        out.stderr.trim(),
        "error: unknown revision 'nosuchrev' (neither a revision nor a key prefix; use 'HEAD nosuchrev' for a prefix)"
    );
    let out = env.run(&["--json", "export", "nosuchrev"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    // A prefix that has keys, and an explicit prefix after a revision, still export.
    assert_eq!(env.ok(&["export", "users/"]).stdout.lines().count(), 2);
    assert_eq!(env.ok(&["export", "HEAD", "nosuch"]).stdout, "");
    // With no commits yet, any single argument exports nothing.
    let empty = Env::new();
    for args in [&["export"][..], &["export", "x"], &["export", "HEAD"]] {
        assert_eq!(empty.ok(args).stdout, "", "{args:?}");
    }
}

#[test]
fn configured_protection_applies_to_an_eviction_by_flag() {
    let env = Env::new();
    env.ok(&["config", "set", "gc.protect", "pinned/*"]);
    for k in ["pinned/a", "b", "c"] {
        env.ok(&["set", k, &"z".repeat(100)]);
        env.ok(&["commit", "-m", k]);
    }
    let plan = env
        .ok(&[
            "gc",
            "--high-water",
            "100",
            "--low-water",
            "50",
            "--dry-run",
            "--json",
        ])
        .json();
    let dropped = dropped_keys(&plan);
    assert_eq!(dropped, ["b", "c"]);
}

#[test]
fn file_arguments_are_relative_to_dash_c() {
    // As with git -C, paths given on the command line are taken from DIR.
    let env = Env::new();
    std::fs::create_dir(env.path().join("inner")).expect("mkdir");
    env.ok(&["-C", "inner", "init"]);
    std::fs::write(env.path().join("one.batch"), "set a 1\n").expect("write");
    std::fs::write(
        env.path().join("two.jsonl"),
        "{\"key\":\"b\",\"value\":2}\n",
    )
    .expect("write");
    std::fs::write(env.path().join("v.txt"), "text").expect("write");
    env.ok(&["-C", "inner", "batch", "--file", "../one.batch"]);
    env.ok(&["-C", "inner", "import", "../two.jsonl"]);
    env.ok(&[
        "-C", "inner", "set", "c", "--file", "../v.txt", "--type", "string",
    ]);
    assert_eq!(env.ok(&["-C", "inner", "ls"]).stdout, "a\nb\nc\n");
    assert_eq!(
        env.run(&["get", "a"]).code,
        1,
        "nothing went to the outer repository"
    );
}

#[test]
fn low_water_above_high_water_is_refused_and_never_fails_a_commit() {
    let env = Env::new();
    env.ok(&["config", "set", "gc.high-water", "1MiB"]);
    let out = env.run(&["config", "set", "gc.low-water", "2MiB"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr.trim(),
        "error: gc.low-water (2097152) must not be above gc.high-water (1048576)"
    );
    // A hand-edited config gets past `config set`: the commit is made and
    // reported as made, and the eviction that cannot run is a warning.
    std::fs::write(
        env.path().join(".kvgit/config.toml"),
        "[gc]\nhigh-water = 100\nlow-water = 200\n",
    )
    .expect("config written");
    for _ in 0..2 {
        let out = env.run_with(&["batch", "--json"], "incr hits 1\n");
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.json()["committed"], true, "{}", out.stdout);
        assert!(
            out.stderr
                .starts_with("warning: committed, but the eviction"),
            "{}",
            out.stderr
        );
    }
    assert_eq!(env.get("hits"), "2", "each batch applied once");
    // Other settings can still be changed in that file.
    assert_eq!(env.run(&["config", "set", "user.name", "x"]).code, 0);
}
