use crate::common::{TestEnv, field};
use serde_json::json;

#[test]
fn status_lists_added_modified_and_removed_changes() {
    let env = TestEnv::new();
    env.ok(&["set", "keep", "1", "--int"]);
    env.ok(&["set", "gone", "old"]);
    let first = env.commit("first");
    env.ok(&["set", "keep", "2", "--int"]);
    env.ok(&["rm", "gone"]);
    env.ok(&["set", "fresh", "new"]);
    let doc = env.json(&["status"]);
    assert_eq!(doc["branch"], "main");
    assert_eq!(doc["detached"], false);
    assert_eq!(doc["head"], first.as_str());
    assert_eq!(doc["base"], first.as_str());
    assert_eq!(doc["head_moved"], false);
    assert!(doc["merge"].is_null(), "{doc}");
    assert_eq!(
        doc["staged"],
        json!([
            {"key": "fresh", "change": "added", "old": null,
             "new": {"type": "string", "value": "new"}},
            {"key": "gone", "change": "removed",
             "old": {"type": "string", "value": "old"}, "new": null},
            {"key": "keep", "change": "modified",
             "old": {"type": "int", "value": 1}, "new": {"type": "int", "value": 2}},
        ])
    );
    let human = env.stdout(&["status"]);
    assert!(human.contains("On branch main"), "{human}");
    assert!(human.contains(&first[..12]), "{human}");
    assert!(human.contains("first"), "{human}");
    for line in [
        "added:",
        "fresh",
        "removed:",
        "gone",
        "modified:",
        "keep",
        "1 -> 2",
    ] {
        assert!(human.contains(line), "{line} in {human}");
    }
}

#[test]
fn status_exit_code_is_1_with_staged_changes() {
    let env = TestEnv::new();
    env.ok(&["status", "--exit-code"]);
    let clean = env.stdout(&["status"]);
    assert!(clean.contains("Nothing staged"), "{clean}");
    env.ok(&["set", "k", "v"]);
    env.ok(&["status"]);
    let out = env.run(&["status", "--exit-code"]);
    out.code(1);
    assert!(out.stdout().contains("k"), "{out}");
    let doc = env.json_code(&["status", "--exit-code"], 1);
    assert_eq!(field(&doc["staged"], "key"), ["k"]);
    env.commit("k");
    env.ok(&["status", "--exit-code"]);
}

#[test]
fn commit_records_the_staged_changes_and_clears_them() {
    let env = TestEnv::new();
    env.ok(&["set", "a", "1"]);
    env.ok(&["set", "b", "2"]);
    let out = env.ok(&["commit", "-m", "the first\n\nwith a body"]);
    let line = out.stdout();
    assert!(line.starts_with("[main "), "{out}");
    assert!(line.contains("the first"), "{out}");
    assert!(
        !line.contains("with a body"),
        "only the subject line: {out}"
    );
    assert_eq!(env.staged_keys(), Vec::<String>::new());
    let log = env.json(&["log"]);
    assert_eq!(log.as_array().map(Vec::len), Some(1));
    assert_eq!(log[0]["message"], "the first\n\nwith a body");
    assert_eq!(log[0]["author"], "tester");
    assert_eq!(log[0]["parents"], json!([]));
    assert_eq!(log[0]["time"], out.time, "the pinned KVGIT_AUTHOR_DATE");
    assert_eq!(field(&env.json(&["show"])["changes"], "key"), ["a", "b"]);

    env.ok(&["set", "a", "10"]);
    let doc = env.json(&["commit", "-m", "second"]);
    assert_eq!(doc["committed"], true);
    assert_eq!(doc["branch"], "main");
    assert_eq!(doc["merged"], false);
    let id = doc["id"].as_str().expect("id");
    assert_eq!(id.len(), 64, "{doc}");
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{doc}");
    assert_eq!(env.rev("HEAD"), id);
    assert_eq!(
        env.json(&["log", "-n", "1"])[0]["parents"],
        json!([log[0]["id"]])
    );
}

#[test]
fn commit_with_nothing_staged_is_exit_1() {
    let env = TestEnv::new();
    let out = env.run(&["commit", "-m", "empty"]);
    out.code(1);
    assert!(out.stderr.contains("nothing to commit"), "{out}");
    assert!(out.stdout.is_empty(), "{out}");
    let doc = env.json_code(&["commit", "-m", "empty"], 1);
    assert_eq!(doc["committed"], false, "{doc}");
    env.commit_kv("k", "v");
    env.run(&["commit", "-m", "empty"]).code(1);
    // Staging the committed value again stages nothing.
    env.ok(&["set", "k", "v"]);
    assert_eq!(env.staged_keys(), Vec::<String>::new());
    env.run(&["commit", "-m", "same"]).code(1);
    assert_eq!(env.log_len(), 1);
}

#[test]
fn commit_allow_empty_meta_and_author() {
    let env = TestEnv::new();
    let first = env.commit_kv("k", "v");
    let doc = env.json(&[
        "commit",
        "-m",
        "marker",
        "--allow-empty",
        "--meta",
        "ticket=KV-1",
        "--meta",
        "build=a=b",
        "--author",
        "Alice <alice@example.com>",
    ]);
    assert_eq!(doc["committed"], true, "{doc}");
    let head = env.json(&["log", "-n", "1"]);
    assert_eq!(head[0]["parents"], json!([first]));
    assert_eq!(head[0]["author"], "Alice <alice@example.com>");
    assert_eq!(head[0]["meta"], json!({"ticket": "KV-1", "build": "a=b"}));
    assert_eq!(env.json(&["show"])["changes"], json!([]));
    assert_eq!(env.json(&["diff", "HEAD~1", "HEAD"]), json!([]));
    let human = env.stdout(&["log", "-n", "1"]);
    assert!(
        human.contains("Author: Alice <alice@example.com>"),
        "{human}"
    );
    assert!(human.contains("ticket=KV-1"), "{human}");
    // A --meta without '=' is bad usage.
    env.ok(&["set", "k", "w"]);
    let msg = env
        .run(&["commit", "-m", "m", "--meta", "novalue"])
        .error(2);
    assert!(msg.contains("novalue"), "{msg}");
    assert_eq!(env.staged_keys(), ["k"]);
    // A message is required.
    env.run(&["commit"]).code(2);
}

#[test]
fn identical_content_and_metadata_give_identical_ids() {
    let a = TestEnv::new();
    let b = TestEnv::new();
    for env in [&a, &b] {
        env.ok(&["set", "k", "v"]);
        env.ok(&["set", "n", "1", "--int"]);
    }
    let id_a = a.commit("same");
    let id_b = b.commit("same");
    assert_eq!(id_a, id_b, "same content, author, time and message");
    // One second later is a different commit.
    let c = TestEnv::new();
    c.ok(&["status"]);
    c.ok(&["set", "k", "v"]);
    c.ok(&["set", "n", "1", "--int"]);
    assert_ne!(c.commit("same"), id_a);
}

#[test]
fn expect_head_is_a_compare_and_swap() {
    let env = TestEnv::new();
    let first = env.commit_kv("k", "1");
    let second = env.commit_kv("k", "2");
    env.ok(&["set", "k", "3"]);
    let out = env.run(&["commit", "-m", "stale", "--expect-head", &first]);
    let msg = out.error(4);
    assert!(msg.contains("stale head"), "{msg}");
    assert!(
        msg.contains(&first[..12]) && msg.contains(&second[..12]),
        "{msg}"
    );
    assert_eq!(env.rev("HEAD"), second, "nothing committed");
    assert_eq!(env.staged_keys(), ["k"], "staging kept");
    let err = env.json_error(&["commit", "-m", "stale", "--expect-head", "HEAD~1"], 4);
    assert_eq!(err["kind"], "stale_head");
    // The current head, named any way, passes.
    let third = env.json(&["commit", "-m", "cas", "--expect-head", &second[..8]]);
    assert_eq!(third["committed"], true);
    // An unknown revision is bad input, not a stale head.
    env.ok(&["set", "k", "4"]);
    env.run(&["commit", "-m", "m", "--expect-head", "nope"])
        .error(2);
}

#[test]
fn commit_conflicts_when_another_commit_changed_a_staged_key() {
    let env = TestEnv::new();
    env.commit_kv("k", "base");
    env.ok(&["set", "k", "a"]);
    env.batch("set k b\n");
    let head = env.rev("HEAD");
    let status = env.json(&["status"]);
    assert_eq!(status["head_moved"], true, "{status}");

    let out = env.run(&["commit", "-m", "mine"]);
    out.code(3);
    assert!(out.stdout.is_empty(), "{out}");
    let first = out.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: "), "{out}");
    assert!(first.contains('k'), "the conflicting key is listed: {out}");
    // Nothing committed, staging kept, the staged value still wins in get.
    assert_eq!(env.rev("HEAD"), head);
    assert_eq!(env.staged_keys(), ["k"]);
    assert_eq!(env.get("k"), "a\n");
    assert_eq!(env.stdout(&["get", "k", "--committed"]), "b\n");

    let doc = env.json_code(&["commit", "-m", "mine"], 3);
    assert_eq!(doc["committed"], false, "{doc}");
    assert_eq!(doc["conflicts"], json!(["k"]));
    assert_eq!(env.rev("HEAD"), head);
    // Dropping the staged change resolves it.
    env.ok(&["reset", "k"]);
    env.run(&["commit", "-m", "mine"]).code(1);
}

#[test]
fn commit_applies_staged_changes_to_a_moved_head_when_keys_differ() {
    let env = TestEnv::new();
    env.commit_kv("k", "base");
    env.ok(&["set", "mine", "1", "--int"]);
    env.batch("set k theirs\nset other x\n");
    let moved_to = env.rev("HEAD");
    let doc = env.json(&["commit", "-m", "mine"]);
    assert_eq!(doc["committed"], true, "{doc}");
    assert_eq!(doc["merged"], true, "{doc}");
    assert_eq!(
        env.rev("HEAD~1"),
        moved_to,
        "the commit sits on the new head"
    );
    assert_eq!(env.stdout(&["get", "k", "--committed"]), "theirs\n");
    assert_eq!(env.stdout(&["get", "other", "--committed"]), "x\n");
    assert_eq!(env.stdout(&["get", "mine", "--committed"]), "1\n");
    assert_eq!(field(&env.json(&["show"])["changes"], "key"), ["mine"]);
    assert_eq!(env.staged_keys(), Vec::<String>::new());
}

#[test]
fn commit_takes_an_identical_change_made_by_another_commit() {
    let env = TestEnv::new();
    env.commit_kv("k", "base");
    env.ok(&["set", "k", "same"]);
    env.ok(&["set", "extra", "e"]);
    env.batch("set k same\n");
    let doc = env.json(&["commit", "-m", "mine"]);
    assert_eq!(doc["committed"], true, "{doc}");
    assert_eq!(env.stdout(&["get", "k", "--committed"]), "same\n");
    assert_eq!(env.stdout(&["get", "extra", "--committed"]), "e\n");
}

#[test]
fn staging_survives_between_processes_and_records_its_base() {
    let env = TestEnv::new();
    let first = env.commit_kv("k", "v");
    env.ok(&["set", "a", "1"]);
    env.ok(&["set", "b", "2"]);
    env.ok(&["incr", "c"]);
    let status = env.json(&["status"]);
    assert_eq!(status["base"], first.as_str());
    assert_eq!(field(&status["staged"], "key"), ["a", "b", "c"]);
}

#[test]
fn kvgit_author_date_pins_the_commit_time() {
    let env = TestEnv::new();
    env.ok(&["set", "k", "v"]);
    env.cmd(&["commit", "-q", "-m", "pinned"])
        .env("KVGIT_AUTHOR_DATE", "1234567890")
        .run()
        .code(0);
    let head = env.json(&["log", "-n", "1"]);
    assert_eq!(head[0]["time"], 1_234_567_890);
    assert_eq!(head[0]["date"], "2009-02-13T23:31:30Z");
    // A date that cannot be read is refused before anything is written.
    env.ok(&["set", "k", "w"]);
    let out = env
        .cmd(&["commit", "-m", "when?"])
        .env("KVGIT_AUTHOR_DATE", "yesterday")
        .run();
    assert_ne!(out.code, 0, "{out}");
    assert!(out.error(out.code).contains("KVGIT_AUTHOR_DATE"), "{out}");
    assert_eq!(env.log_len(), 1);
    assert_eq!(env.staged_keys(), ["k"]);
}
