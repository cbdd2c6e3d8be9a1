use crate::common::{EPOCH, TestEnv, field};
use serde_json::json;
use std::collections::HashMap;

/// RFC 3339 for a pinned test time (`EPOCH` is 2023-11-14T22:13:20Z).
fn rfc3339(time: i64) -> String {
    let secs = 20 + (time - EPOCH);
    let minutes = 13 + secs / 60;
    assert!(minutes < 60, "test times stay within the hour");
    format!("2023-11-14T22:{minutes:02}:{:02}Z", secs % 60)
}

/// Three commits on main (k=1; b; k=2), and a tag `v1` on the first.
fn three_commits(env: &TestEnv) -> [String; 3] {
    env.ok(&["set", "k", "1"]);
    env.ok(&["set", "a", "1"]);
    let c1 = env.commit("one");
    let c2 = env.commit_kv("b", "x");
    let c3 = env.commit_kv("k", "2");
    env.ok(&["tag", "v1", &c1]);
    [c1, c2, c3]
}

#[test]
fn revisions_resolve_names_ids_and_steps() {
    let env = TestEnv::new();
    let [c1, c2, c3] = three_commits(&env);
    env.ok(&["branch", "side", "HEAD~1"]);
    for (rev, want) in [
        ("HEAD", &c3),
        ("main", &c3),
        ("side", &c2),
        ("v1", &c1),
        (c3.as_str(), &c3),
        (&c3[..12], &c3),
        ("HEAD~1", &c2),
        ("HEAD~2", &c1),
        ("HEAD~", &c2),
        ("HEAD^", &c2),
        ("HEAD^^", &c1),
        ("HEAD~1^", &c1),
        ("main~0", &c3),
        ("side^", &c1),
        ("v1^0", &c1),
    ] {
        assert_eq!(&env.rev(rev), want, "revision {rev}");
    }
    let stepped = format!("{}~2", &c3[..10]);
    assert_eq!(env.rev(&stepped), c1);
    // Any unique prefix of at least 4 hex digits.
    let ids = [c1.as_str(), c2.as_str(), c3.as_str()];
    let unique = ids
        .iter()
        .find(|id| ids.iter().filter(|o| o[..4] == id[..4]).count() == 1)
        .expect("three ids rarely share 4 digits");
    assert_eq!(env.rev(&unique[..4]), *unique);
    assert_eq!(env.rev(&unique[..4].to_uppercase()), *unique);
    // Three digits are too few.
    env.run(&["show", &unique[..3]]).error(2);
}

#[test]
fn unknown_revisions_are_exit_2() {
    let env = TestEnv::new();
    let msg = env.run(&["show", "HEAD"]).error(2);
    assert!(msg.contains("no commits"), "an empty branch: {msg}");
    let [c1, _, c3] = three_commits(&env);
    let absent = ["0000", "1111", "2222", "3333"]
        .into_iter()
        .find(|p| !c1.starts_with(p) && !c3.starts_with(p) && !env.rev("HEAD~1").starts_with(p))
        .expect("a prefix no commit has");
    for rev in ["nope", "HEAD~3", "HEAD~x", "v1^", absent, "~1"] {
        let out = env.run(&["show", rev]);
        let msg = out.error(2);
        assert!(!msg.is_empty(), "{out}");
    }
    assert!(env.run(&["show", "nope"]).error(2).contains("nope"));
    assert_eq!(
        env.json_error(&["show", "nope"], 2)["kind"],
        "unknown_revision"
    );
    // ^2 is the second parent, which a one-parent commit does not have.
    let msg = env.run(&["show", "HEAD^2"]).error(2);
    assert!(msg.contains("HEAD^2"), "{msg}");
    env.run(&["log", "HEAD^2"]).error(2);
    env.run(&["get", "k", "--at", "HEAD^2"]).error(2);
}

#[test]
fn an_ambiguous_prefix_lists_the_candidates() {
    // Make commits until two ids share their first 4 hex digits (ids are
    // reproducible, so this takes the same number of commits every run).
    let env = TestEnv::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut pair = None;
    for i in 0..3000 {
        let out = env
            .cmd(&["--json", "batch"])
            .stdin(format!("set k {i}\n"))
            .run();
        out.code(0);
        let id = out.json()["id"].as_str().expect("id").to_string();
        if let Some(prev) = seen.insert(id[..4].to_string(), id.clone()) {
            pair = Some((prev, id));
            break;
        }
    }
    let (a, b) = pair.expect("two of 3000 ids share a 4-digit prefix");
    let out = env.run(&["show", &a[..4]]);
    let msg = out.error(2);
    assert!(msg.contains("ambiguous"), "{out}");
    assert!(
        msg.contains(&a[..12]) && msg.contains(&b[..12]),
        "both candidates: {out}"
    );
    assert!(out.stderr.contains("hint: "), "{out}");
    let err = env.json_error(&["show", &a[..4]], 2);
    assert_eq!(err["kind"], "ambiguous_revision");
    env.run(&["get", "k", "--at", &a[..4]]).error(2);
    // One more digit than they share picks each out.
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    assert_eq!(env.rev(&a[..common + 1]), a);
    assert_eq!(env.rev(&b[..common + 1]), b);
}

#[test]
fn log_lists_commits_newest_first() {
    let env = TestEnv::new();
    let [c1, c2, c3] = three_commits(&env);
    let log = env.json(&["log"]);
    assert_eq!(field(&log, "id"), [c3.as_str(), c2.as_str(), c1.as_str()]);
    assert_eq!(field(&log, "message"), ["set k", "set b", "one"]);
    assert_eq!(log[0]["parents"], json!([c2]));
    assert_eq!(log[2]["parents"], json!([]));
    for entry in log.as_array().expect("list") {
        assert_eq!(entry["author"], "tester");
        assert_eq!(entry["meta"], json!({}));
        let time = entry["time"].as_i64().expect("time");
        assert!(time > EPOCH, "{entry}");
        assert_eq!(entry["date"], rfc3339(time).as_str(), "{entry}");
    }
    assert_eq!(
        field(&env.json(&["log", "-n", "2"]), "id"),
        [c3.as_str(), c2.as_str()]
    );
    assert_eq!(
        field(&env.json(&["log", "HEAD~1"]), "id"),
        [c2.as_str(), c1.as_str()]
    );
    assert_eq!(field(&env.json(&["log", "v1"]), "id"), [c1.as_str()]);

    let human = env.stdout(&["log"]);
    assert!(human.starts_with(&format!("commit {c3}")), "{human}");
    assert!(human.contains("(HEAD -> main)"), "{human}");
    assert!(human.contains("Author: tester"), "{human}");
    assert!(human.contains("Date:   2023-11-14 22:13:"), "{human}");
    assert!(human.contains("\n    one\n"), "indented message: {human}");
    assert!(human.contains("tag: v1"), "{human}");
}

#[test]
fn log_oneline_graph_and_limit() {
    let env = TestEnv::new();
    let [c1, c2, c3] = three_commits(&env);
    let oneline = env.stdout(&["log", "--oneline"]);
    let lines: Vec<&str> = oneline.lines().collect();
    assert_eq!(lines.len(), 3, "{oneline}");
    assert!(lines[0].starts_with(&c3[..12]), "{oneline}");
    assert!(
        lines[0].contains("HEAD -> main") && lines[0].ends_with("set k"),
        "{oneline}"
    );
    assert!(
        lines[1].starts_with(&c2[..12]) && lines[1].ends_with("set b"),
        "{oneline}"
    );
    assert!(
        lines[2].starts_with(&c1[..12]) && lines[2].contains("tag: v1"),
        "{oneline}"
    );
    assert_eq!(
        env.stdout(&["log", "--oneline", "-n", "1"]).lines().count(),
        1
    );
    let graph = env.stdout(&["log", "--oneline", "--graph"]);
    assert_eq!(graph.lines().count(), 3, "{graph}");
    for line in graph.lines() {
        assert!(line.starts_with("* "), "{graph}");
    }
    assert!(graph.contains(&c2[..12]), "{graph}");
    let full_graph = env.stdout(&["log", "--graph"]);
    assert!(
        full_graph.starts_with(&format!("* commit {c3}")),
        "{full_graph}"
    );
    // An empty branch has an empty log.
    let empty = TestEnv::new();
    assert_eq!(empty.stdout(&["log"]), "");
    assert_eq!(empty.json(&["log"]), json!([]));
}

#[test]
fn log_of_keys_is_their_history() {
    let env = TestEnv::new();
    let [c1, c2, c3] = three_commits(&env);
    assert_eq!(
        field(&env.json(&["log", "--", "k"]), "id"),
        [c3.as_str(), c1.as_str()]
    );
    assert_eq!(field(&env.json(&["log", "--", "b"]), "id"), [c2.as_str()]);
    assert_eq!(
        field(&env.json(&["log", "--", "a", "b"]), "id"),
        [c2.as_str(), c1.as_str()]
    );
    assert_eq!(
        field(&env.json(&["log", "-n", "1", "--", "k"]), "id"),
        [c3.as_str()]
    );
    assert_eq!(
        field(&env.json(&["log", "HEAD~1", "--", "k"]), "id"),
        [c1.as_str()]
    );
    assert_eq!(env.json(&["log", "--", "never"]), json!([]));
    assert_eq!(
        env.stdout(&["log", "--oneline", "--", "k"]).lines().count(),
        2
    );
    // A removal is part of a key's history.
    env.ok(&["rm", "b"]);
    let c4 = env.commit("rm b");
    assert_eq!(
        field(&env.json(&["log", "--", "b"]), "id"),
        [c4.as_str(), c2.as_str()]
    );
    env.run(&["log", "--", ""]).error(2);
}

#[test]
fn show_prints_metadata_and_changes_against_the_first_parent() {
    let env = TestEnv::new();
    let [c1, _, c3] = three_commits(&env);
    let doc = env.json(&["show"]);
    assert_eq!(doc["commit"]["id"], c3.as_str());
    assert_eq!(doc["commit"]["message"], "set k");
    assert_eq!(
        doc["changes"],
        json!([{"key": "k", "change": "modified",
                "old": {"type": "string", "value": "1"},
                "new": {"type": "string", "value": "2"}}])
    );
    let first = env.json(&["show", "v1"]);
    assert_eq!(first["commit"]["id"], c1.as_str());
    assert_eq!(first["commit"]["parents"], json!([]));
    assert_eq!(field(&first["changes"], "change"), ["added", "added"]);
    assert_eq!(field(&first["changes"], "key"), ["a", "k"]);

    let human = env.stdout(&["show"]);
    assert!(human.starts_with(&format!("commit {c3}")), "{human}");
    assert!(human.contains("Author: tester"), "{human}");
    assert!(human.contains("    set k"), "{human}");
    assert!(human.contains("~ k: \"1\" -> \"2\""), "{human}");
    let human = env.stdout(&["show", &c1[..8]]);
    assert!(human.contains("+ a = \"1\""), "{human}");
    env.ok(&["rm", "a"]);
    env.commit("rm a");
    assert!(env.stdout(&["show"]).contains("- a = \"1\""));
}

/// c1: a=1, b=1, p/x=1; c2: a=2, b removed, c=1; staged: a=3, d=1.
fn diff_fixture(env: &TestEnv) {
    env.batch("set a 1\nset b 1\nset p/x 1\n");
    env.batch("set a 2\nrm b\nset c 1\n");
    env.ok(&["set", "a", "3"]);
    env.ok(&["set", "d", "1"]);
}

fn s(v: &str) -> serde_json::Value {
    json!({"type": "string", "value": v})
}

#[test]
fn diff_without_a_revision_is_staged_against_head() {
    let env = TestEnv::new();
    diff_fixture(&env);
    assert_eq!(
        env.json(&["diff"]),
        json!([
            {"key": "a", "change": "modified", "old": s("2"), "new": s("3")},
            {"key": "d", "change": "added", "old": null, "new": s("1")},
        ])
    );
    assert_eq!(env.stdout(&["diff"]), "~ a: \"2\" -> \"3\"\n+ d = \"1\"\n");
}

#[test]
fn diff_with_one_revision_is_that_against_head_plus_staged() {
    let env = TestEnv::new();
    diff_fixture(&env);
    assert_eq!(
        env.json(&["diff", "HEAD~1"]),
        json!([
            {"key": "a", "change": "modified", "old": s("1"), "new": s("3")},
            {"key": "b", "change": "removed", "old": s("1"), "new": null},
            {"key": "c", "change": "added", "old": null, "new": s("1")},
            {"key": "d", "change": "added", "old": null, "new": s("1")},
        ])
    );
    assert_eq!(field(&env.json(&["diff", "HEAD"]), "key"), ["a", "d"]);
}

#[test]
fn diff_between_two_revisions() {
    let env = TestEnv::new();
    diff_fixture(&env);
    assert_eq!(
        env.json(&["diff", "HEAD~1", "HEAD"]),
        json!([
            {"key": "a", "change": "modified", "old": s("1"), "new": s("2")},
            {"key": "b", "change": "removed", "old": s("1"), "new": null},
            {"key": "c", "change": "added", "old": null, "new": s("1")},
        ])
    );
    let reverse = env.json(&["diff", "HEAD", "HEAD~1"]);
    assert_eq!(field(&reverse, "change"), ["modified", "added", "removed"]);
    assert_eq!(env.json(&["diff", "HEAD", "HEAD"]), json!([]));
    let human = env.stdout(&["diff", "HEAD~1", "HEAD"]);
    assert_eq!(human, "~ a: \"1\" -> \"2\"\n- b = \"1\"\n+ c = \"1\"\n");
}

#[test]
fn diff_stat_name_only_and_exit_code() {
    let env = TestEnv::new();
    diff_fixture(&env);
    assert_eq!(
        env.stdout(&["diff", "HEAD~1", "HEAD", "--name-only"]),
        "a\nb\nc\n"
    );
    let stat = env.stdout(&["diff", "HEAD~1", "HEAD", "--stat"]);
    let lines: Vec<&str> = stat.lines().collect();
    assert_eq!(lines.len(), 4, "{stat}");
    assert!(
        lines[0].contains('a') && lines[0].contains("modified"),
        "{stat}"
    );
    assert!(
        lines[1].contains('b') && lines[1].contains("removed"),
        "{stat}"
    );
    assert!(
        lines[2].contains('c') && lines[2].contains("added"),
        "{stat}"
    );
    assert!(
        lines[3].contains("3 keys changed")
            && lines[3].contains("1 added")
            && lines[3].contains("1 modified")
            && lines[3].contains("1 removed"),
        "{stat}"
    );
    let out = env.run(&["diff", "--exit-code"]);
    out.code(1);
    assert_eq!(out.stdout(), "~ a: \"2\" -> \"3\"\n+ d = \"1\"\n");
    env.run(&["diff", "HEAD~1", "HEAD", "--exit-code", "--name-only"])
        .code(1);
    let doc = env.json_code(&["diff", "--exit-code"], 1);
    assert_eq!(field(&doc, "key"), ["a", "d"]);
    env.ok(&["diff", "HEAD", "HEAD", "--exit-code"]);
    env.ok(&["reset"]);
    let out = env.ok(&["diff", "--exit-code"]);
    assert_eq!(out.stdout(), "");
    assert_eq!(env.json(&["diff"]), json!([]));
}

#[test]
fn diff_stat_aligns_the_key_column() {
    // Regression: the `|` did not line up (" k1 | modified", " newkey | added").
    let env = TestEnv::new();
    env.batch("set k1 v\nset gone v\n");
    env.ok(&["set", "k1", "w"]);
    env.ok(&["set", "newkey", "v"]);
    env.ok(&["set", "日本", "v"]);
    env.ok(&["rm", "gone"]);
    assert_eq!(
        env.stdout(&["diff", "--stat"]),
        " gone   | removed\n \
         k1     | modified\n \
         newkey | added\n \
         日本   | added\n \
         4 keys changed: 2 added, 1 modified, 1 removed\n"
    );
    // --stat changes only the human output.
    assert_eq!(
        env.json(&["diff", "--stat"]),
        env.json(&["diff"]),
        "the JSON is the same with --stat"
    );
    assert_eq!(
        field(&env.json(&["diff", "--stat"]), "key"),
        ["gone", "k1", "newkey", "日本"]
    );
}

#[test]
fn diff_takes_a_key_prefix() {
    let env = TestEnv::new();
    diff_fixture(&env);
    env.batch("set p/y 2\nset p/x 9\nset q 1\n");
    assert_eq!(
        field(&env.json(&["diff", "HEAD~2", "HEAD", "p/"]), "key"),
        ["p/x", "p/y"]
    );
    assert_eq!(
        field(&env.json(&["diff", "HEAD~2", "HEAD", "--", "p/"]), "key"),
        ["p/x", "p/y"]
    );
    assert_eq!(
        field(&env.json(&["diff", "HEAD~2", "--", "a"]), "key"),
        ["a"]
    );
    assert_eq!(field(&env.json(&["diff", "--", "d"]), "key"), ["d"]);
    assert_eq!(field(&env.json(&["diff", "d"]), "key"), ["d"]);
    assert_eq!(
        env.json(&["diff", "HEAD~2", "HEAD", "--", "zzz"]),
        json!([])
    );
    // A last word that is neither a revision nor a prefix of any key.
    let msg = env.run(&["diff", "HEAD~1", "HEAD", "zzz"]).error(2);
    assert!(msg.contains("zzz"), "{msg}");
    env.run(&["diff", "nope"]).error(2);
}

#[test]
fn a_prefix_counts_when_it_holds_only_staged_keys_or_removals() {
    let env = TestEnv::new();
    env.commit_kv("old/k", "1");
    // Staged only: a new key, and the removal of the one key under old/.
    env.ok(&["set", "new/k", "1"]);
    env.ok(&["rm", "old/k"]);
    assert_eq!(field(&env.json(&["diff", "new/"]), "key"), ["new/k"]);
    assert_eq!(field(&env.json(&["diff", "old/"]), "change"), ["removed"]);
    // A prefix found only in the named revision.
    env.commit("move");
    assert_eq!(
        field(&env.json(&["diff", "HEAD~1", "old/"]), "key"),
        ["old/k"]
    );
    env.run(&["diff", "HEAD~1", "gone/"]).error(2);
}

#[test]
fn diff_against_a_revision_cancels_staged_changes_that_restore_it() {
    // x removed and y changed since HEAD~1, z added; staging restores all three.
    let env = TestEnv::new();
    env.batch("set x 1\nset y 1\n");
    env.batch("rm x\nset z 1\nset y 2\n");
    env.ok(&["set", "x", "1"]);
    env.ok(&["rm", "z"]);
    env.ok(&["set", "y", "1"]);
    assert_eq!(env.json(&["diff", "HEAD~1"]), json!([]));
    env.ok(&["diff", "HEAD~1", "--exit-code"]);
    assert_eq!(
        field(&env.json(&["diff"]), "change"),
        ["added", "modified", "removed"]
    );
}
