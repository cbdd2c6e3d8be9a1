use crate::common::{TestEnv, field};
use serde_json::json;

#[test]
fn branch_lists_creates_and_marks_the_current_one() {
    let env = TestEnv::new();
    let c1 = env.commit_kv("k", "1");
    let c2 = env.commit_kv("k", "2");
    let created = env.json(&["branch", "feat"]);
    assert_eq!(created, json!({"created": "feat", "head": c2}));
    env.ok(&["branch", "old", "HEAD~1"]);
    env.ok(&["branch", "nested/name", &c1[..8]]);
    assert_eq!(
        env.stdout(&["branch"]),
        "  feat\n* main\n  nested/name\n  old\n"
    );
    assert_eq!(
        env.json(&["branch"]),
        json!([
            {"name": "feat", "head": c2, "current": false},
            {"name": "main", "head": c2, "current": true},
            {"name": "nested/name", "head": c1, "current": false},
            {"name": "old", "head": c1, "current": false},
        ])
    );
    assert_eq!(env.rev("old"), c1);
    env.run(&["branch", "x", "nope"]).error(2);
}

#[test]
fn branch_create_when_it_exists_is_refused() {
    let env = TestEnv::new();
    env.commit_kv("k", "1");
    env.ok(&["branch", "feat"]);
    env.commit_kv("k", "2");
    let msg = env.run(&["branch", "feat"]).error(8);
    assert!(msg.contains("feat") && msg.contains("exists"), "{msg}");
    assert_eq!(env.rev("feat"), env.rev("HEAD~1"), "not moved");
    assert_eq!(env.json_error(&["branch", "main"], 8)["kind"], "refused");
    // A branch cannot be created before the first commit.
    let empty = TestEnv::new();
    assert_ne!(empty.run(&["branch", "x"]).code, 0);
}

#[test]
fn invalid_branch_and_tag_names_are_exit_2() {
    let env = TestEnv::new();
    env.commit_kv("k", "1");
    for name in [
        "a b", "a..b", "HEAD", "x.lock", "a:b", "a~1", "q?", "/lead", "trail/", ".hidden", "a//b",
    ] {
        let msg = env.run(&["branch", name]).error(2);
        assert!(msg.contains("invalid name"), "{name}: {msg}");
        env.run(&["tag", name]).error(2);
        env.run(&["switch", "-c", name]).error(2);
    }
    assert_eq!(
        env.json_error(&["branch", "a b"], 2)["kind"],
        "invalid_name"
    );
    env.run(&["branch", "-m", "main", "a b"]).error(2);
    assert_eq!(env.json(&["branch"]).as_array().map(Vec::len), Some(1));
}

#[test]
fn branch_delete_refuses_unmerged_unless_forced() {
    let env = TestEnv::new();
    env.commit_kv("k", "1");
    env.ok(&["branch", "merged"]);
    env.commit_kv("k", "2");
    // `merged` is an ancestor of HEAD: -d deletes it.
    let tip = env.rev("merged");
    let out = env.ok(&["branch", "-d", "merged"]);
    assert!(out.stdout().contains(&tip[..12]), "{out}");
    // A branch with a commit that main lacks.
    env.ok(&["switch", "-q", "-c", "topic"]);
    let topic = env.commit_kv("t", "1");
    env.ok(&["switch", "-q", "main"]);
    let out = env.run(&["branch", "-d", "topic"]);
    let msg = out.error(8);
    assert!(msg.contains("topic") && msg.contains("not merged"), "{out}");
    assert!(out.stderr.contains("-D"), "the hint names -D: {out}");
    assert_eq!(env.rev("topic"), topic, "still there");
    assert_eq!(
        env.json_error(&["branch", "-d", "topic"], 8)["kind"],
        "refused"
    );
    assert_eq!(
        env.json(&["branch", "-D", "topic"]),
        json!({"deleted": "topic", "head": topic})
    );
    assert_eq!(field(&env.json(&["branch"]), "name"), ["main"]);
    env.run(&["show", "topic"]).error(2);
    // The current branch cannot be deleted; an unknown one is unknown.
    env.run(&["branch", "-D", "main"]).error(8);
    env.run(&["branch", "-d", "nope"]).error(2);
}

#[test]
fn branch_rename() {
    let env = TestEnv::new();
    let c1 = env.commit_kv("k", "1");
    env.ok(&["branch", "feat"]);
    assert_eq!(
        env.json(&["branch", "-m", "feat", "feature"]),
        json!({"renamed": {"from": "feat", "to": "feature"}})
    );
    assert_eq!(field(&env.json(&["branch"]), "name"), ["feature", "main"]);
    assert_eq!(env.rev("feature"), c1);
    env.run(&["show", "feat"]).error(2);
    // Renaming the current branch moves HEAD with it.
    env.ok(&["branch", "-m", "main", "trunk"]);
    assert_eq!(env.json(&["status"])["branch"], "trunk");
    env.commit_kv("k", "2");
    assert_eq!(env.rev("trunk"), env.rev("HEAD"));
    // Onto an existing name: refused; from a missing one: unknown.
    env.run(&["branch", "-m", "feature", "trunk"]).error(8);
    env.run(&["branch", "-m", "nope", "other"]).error(2);
}

#[test]
fn switch_moves_between_branches() {
    let env = TestEnv::new();
    env.commit_kv("k", "main");
    let doc = env.json(&["switch", "-c", "feat"]);
    assert_eq!(
        doc,
        json!({"branch": "feat", "head": env.rev("main"), "created": true})
    );
    let on_feat = env.commit_kv("k", "feat");
    let out = env.ok(&["switch", "main"]);
    assert!(out.stderr.contains("main"), "{out}");
    assert_eq!(env.get("k"), "main\n");
    assert_eq!(env.json(&["status"])["branch"], "main");
    assert_eq!(
        env.json(&["switch", "feat"]),
        json!({"branch": "feat", "head": on_feat, "created": false})
    );
    assert_eq!(env.get("k"), "feat\n");
    // -c with a start revision.
    env.ok(&["switch", "-c", "from-main", "main"]);
    assert_eq!(env.get("k"), "main\n");
    assert_eq!(env.rev("HEAD"), env.rev("main"));
    // -c of an existing branch is refused.
    let msg = env.run(&["switch", "-c", "feat"]).error(8);
    assert!(msg.contains("feat"), "{msg}");
    assert_eq!(env.json(&["status"])["branch"], "from-main");
    // Switching to a branch that does not exist fails and names it.
    let out = env.run(&["switch", "nope"]);
    assert_ne!(out.code, 0, "{out}");
    assert!(out.error(out.code).contains("nope"), "{out}");
}

#[test]
fn switch_to_the_current_branch_says_already_on() {
    // Regression: `switch main` on main said "Switched to branch 'main'";
    // git says "Already on 'main'".
    let env = TestEnv::new();
    // Also before the first commit, when main has no commit to point at.
    assert_eq!(env.ok(&["switch", "main"]).stderr, "Already on 'main'\n");
    let head = env.commit_kv("k", "v");
    env.ok(&["branch", "other"]);
    let out = env.ok(&["switch", "main"]);
    assert_eq!(out.stderr, "Already on 'main'\n", "{out}");
    assert!(out.stdout.is_empty(), "{out}");
    assert_eq!(env.ok(&["checkout", "main"]).stderr, "Already on 'main'\n");
    assert_eq!(env.ok(&["switch", "-q", "main"]).stderr, "");
    // The JSON is the same as for any switch.
    assert_eq!(
        env.json(&["switch", "main"]),
        json!({"branch": "main", "head": head, "created": false})
    );
    assert_eq!(env.json(&["status"])["branch"], "main");
    // Staged changes stay, as in git: nothing is switched.
    env.ok(&["set", "s", "1"]);
    assert_eq!(env.ok(&["switch", "main"]).stderr, "Already on 'main'\n");
    assert_eq!(env.ok(&["checkout", "main"]).stderr, "Already on 'main'\n");
    assert_eq!(env.staged_keys(), ["s"]);
    env.run(&["switch", "other"]).error(8);
    env.ok(&["reset"]);
    // A real switch still says so.
    let out = env.ok(&["switch", "other"]);
    assert_eq!(out.stderr, "Switched to branch 'other'\n", "{out}");
    assert_eq!(
        env.ok(&["checkout", "main"]).stderr,
        "Switched to branch 'main'\n"
    );
}

#[test]
fn switch_refuses_with_staged_changes_unless_discarding() {
    let env = TestEnv::new();
    env.commit_kv("k", "1");
    env.ok(&["branch", "other"]);
    env.ok(&["set", "k", "staged"]);
    let out = env.run(&["switch", "other"]);
    let msg = out.error(8);
    assert!(msg.contains("staged"), "{out}");
    assert!(
        out.stderr.contains("--discard-changes"),
        "the hint names the flag: {out}"
    );
    assert_eq!(env.json_error(&["switch", "other"], 8)["kind"], "refused");
    env.run(&["switch", "-c", "new"]).error(8);
    env.run(&["show", "new"]).error(2);
    assert_eq!(env.json(&["status"])["branch"], "main");
    assert_eq!(env.staged_keys(), ["k"]);
    env.ok(&["switch", "other", "--discard-changes"]);
    assert_eq!(env.json(&["status"])["branch"], "other");
    assert_eq!(env.staged_keys(), Vec::<String>::new());
    assert_eq!(env.get("k"), "1\n");
}

#[test]
fn checkout_a_revision_detaches_head() {
    let env = TestEnv::new();
    let c1 = env.commit_kv("k", "1");
    let c2 = env.commit_kv("k", "2");
    let doc = env.json(&["checkout", "HEAD~1"]);
    assert_eq!(doc, json!({"branch": null, "head": c1, "detached": true}));
    let status = env.json(&["status"]);
    assert_eq!(status["detached"], true);
    assert!(status["branch"].is_null(), "{status}");
    assert_eq!(status["head"], c1.as_str());
    assert_eq!(env.get("k"), "1\n");
    assert!(
        env.stdout(&["status"])
            .contains(&format!("HEAD detached at {}", &c1[..12]))
    );
    assert!(
        env.stdout(&["branch"])
            .starts_with(&format!("* (HEAD detached at {})", &c1[..12]))
    );
    // A commit on a detached HEAD moves HEAD and leaves the branches alone.
    let detached = env.json(&["commit", "--allow-empty", "-m", "detached"]);
    assert!(detached["branch"].is_null(), "{detached}");
    assert_eq!(env.rev("HEAD"), detached["id"].as_str().expect("id"));
    assert_eq!(env.rev("HEAD~1"), c1);
    assert_eq!(env.rev("main"), c2);
    // checkout BRANCH switches back to it.
    let doc = env.json(&["checkout", "main"]);
    assert_eq!(
        doc,
        json!({"branch": "main", "head": c2, "detached": false})
    );
    assert_eq!(env.json(&["status"])["branch"], "main");
    // Checkout by id and by tag.
    env.ok(&["tag", "first", &c1]);
    env.ok(&["checkout", &c1[..6]]);
    assert_eq!(env.rev("HEAD"), c1);
    env.ok(&["checkout", "main"]);
    env.ok(&["checkout", "first"]);
    assert_eq!(env.json(&["status"])["detached"], true);
    env.run(&["checkout", "nope"]).error(2);
}

#[test]
fn checkout_refuses_with_staged_changes_unless_discarding() {
    let env = TestEnv::new();
    let c1 = env.commit_kv("k", "1");
    env.commit_kv("k", "2");
    env.ok(&["set", "k", "staged"]);
    env.run(&["checkout", "HEAD~1"]).error(8);
    // The branch HEAD is on: nothing to switch, the staged change stays.
    assert_eq!(env.ok(&["checkout", "main"]).stderr, "Already on 'main'\n");
    assert_eq!(env.staged_keys(), ["k"]);
    env.ok(&["checkout", "HEAD~1", "--discard-changes"]);
    assert_eq!(env.rev("HEAD"), c1);
    assert_eq!(env.staged_keys(), Vec::<String>::new());
}

#[test]
fn tags_create_list_delete() {
    let env = TestEnv::new();
    assert_eq!(env.json(&["tag"]), json!([]));
    let c1 = env.commit_kv("k", "1");
    let c2 = env.commit_kv("k", "2");
    assert_eq!(env.json(&["tag", "v2"]), json!({"tag": "v2", "target": c2}));
    env.ok(&["tag", "v1", "HEAD~1"]);
    assert_eq!(env.stdout(&["tag"]), "v1\nv2\n");
    assert_eq!(
        env.json(&["tag"]),
        json!([{"name": "v1", "target": c1}, {"name": "v2", "target": c2}])
    );
    assert_eq!(env.stdout(&["get", "k", "--at", "v1"]), "1\n");
    let msg = env.run(&["tag", "v1"]).error(8);
    assert!(msg.contains("v1"), "{msg}");
    assert_eq!(env.rev("v1"), c1, "an existing tag does not move");
    assert_eq!(
        env.json(&["tag", "-d", "v1"]),
        json!({"deleted": "v1", "target": c1})
    );
    assert_eq!(env.stdout(&["tag"]), "v2\n");
    env.run(&["show", "v1"]).error(2);
    env.run(&["tag", "-d", "v1"]).error(2);
    env.run(&["tag", "v3", "nope"]).error(2);
    // Deleting a tag leaves its commit and the branch alone.
    assert_eq!(env.rev(&c1[..8]), c1);
    assert_eq!(env.rev("main"), c2);
}

#[test]
fn reset_unstages_keys_or_everything() {
    let env = TestEnv::new();
    env.commit_kv("k", "1");
    env.ok(&["set", "a", "1"]);
    env.ok(&["set", "b", "2"]);
    env.ok(&["set", "k", "changed"]);
    assert_eq!(env.json(&["reset", "a"]), json!({"unstaged": 1}));
    assert_eq!(env.staged_keys(), ["b", "k"]);
    env.run(&["get", "a"]).code(1);
    assert_eq!(env.json(&["reset", "nope"]), json!({"unstaged": 0}));
    assert_eq!(env.json(&["reset"]), json!({"unstaged": 2}));
    assert_eq!(env.staged_keys(), Vec::<String>::new());
    assert_eq!(env.get("k"), "1\n");
    let out = env.ok(&["reset"]);
    assert!(out.stderr.contains("Unstaged 0 keys"), "{out}");
}

#[test]
fn reset_hard_moves_the_branch_and_clears_staging() {
    let env = TestEnv::new();
    let c1 = env.commit_kv("k", "1");
    let c2 = env.commit_kv("k", "2");
    env.ok(&["set", "s", "staged"]);
    let doc = env.json(&["reset", "--hard", "HEAD~1"]);
    assert_eq!(doc, json!({"head": c1, "mode": "hard"}));
    assert_eq!(env.rev("main"), c1);
    assert_eq!(env.get("k"), "1\n");
    assert_eq!(env.staged_keys(), Vec::<String>::new());
    // Forward again by id.
    let out = env.ok(&["reset", "--hard", &c2]);
    assert!(out.stdout().contains(&c2[..12]), "{out}");
    assert_eq!(env.get("k"), "2\n");
    // --hard with no revision drops staged changes only.
    env.ok(&["set", "k", "3"]);
    env.ok(&["reset", "--hard"]);
    assert_eq!(env.rev("HEAD"), c2);
    assert_eq!(env.get("k"), "2\n");
    env.run(&["reset", "--hard", "nope"]).error(2);
    env.run(&["reset", "--hard", "--soft", "HEAD"]).code(2);
}

#[test]
fn reset_soft_moves_the_branch_and_keeps_the_working_state() {
    // As in git: what the commits left behind changed stays staged, so a
    // commit right after the reset makes them again as one.
    let env = TestEnv::new();
    env.ok(&["set", "gone", "x"]);
    let c1 = env.commit_kv("k", "1");
    env.commit_kv("other", "o");
    env.ok(&["set", "k", "2"]);
    env.ok(&["rm", "gone"]);
    env.ok(&["set", "new", "n"]);
    env.commit("c3");
    env.ok(&["set", "s", "staged"]);
    env.ok(&["set", "new", "restaged"]);
    let doc = env.json(&["reset", "--soft", "HEAD~2"]);
    assert_eq!(doc, json!({"head": c1, "mode": "soft"}));
    assert_eq!(env.rev("main"), c1);
    assert_eq!(env.staged_keys(), ["gone", "k", "new", "other", "s"]);
    assert_eq!(env.stdout(&["get", "gone", "--committed"]), "x\n");
    assert_eq!(env.json(&["status"])["base"], c1.as_str());
    assert_eq!(env.stdout(&["get", "k"]), "2\n");
    assert_eq!(env.stdout(&["get", "k", "--committed"]), "1\n");
    assert_eq!(
        env.stdout(&["get", "new"]),
        "restaged\n",
        "a staged change wins"
    );
    env.run(&["get", "gone"]).code(1);
    let c4 = env.commit("after soft reset");
    assert_eq!(env.rev("HEAD~1"), c1);
    assert_eq!(env.rev("HEAD"), c4);
    for (key, value) in [
        ("k", "2"),
        ("s", "staged"),
        ("new", "restaged"),
        ("other", "o"),
    ] {
        assert_eq!(
            env.stdout(&["get", key, "--committed"]),
            format!("{value}\n")
        );
    }
    env.run(&["get", "gone", "--committed"]).code(1);
}

#[test]
fn reset_expect_head_mismatch_is_exit_4() {
    let env = TestEnv::new();
    let c1 = env.commit_kv("k", "1");
    let c2 = env.commit_kv("k", "2");
    let msg = env
        .run(&["reset", "--hard", "HEAD~1", "--expect-head", &c1])
        .error(4);
    assert!(msg.contains("stale head"), "{msg}");
    assert_eq!(env.rev("main"), c2, "not moved");
    assert_eq!(
        env.json_error(&["reset", "--soft", &c1, "--expect-head", &c1], 4)["kind"],
        "stale_head"
    );
    env.ok(&["reset", "--hard", "HEAD~1", "--expect-head", &c2]);
    assert_eq!(env.rev("main"), c1);
}

#[test]
fn reflog_records_every_move_and_undoes_a_mistake() {
    let env = TestEnv::new();
    let c1 = env.commit_kv("k", "1");
    let c2 = env.commit_kv("k", "2");
    env.ok(&["branch", "side"]);
    env.ok(&["switch", "side"]);
    env.ok(&["switch", "main"]);
    // The mistake: a hard reset that drops c2 from main.
    env.ok(&["reset", "--hard", "HEAD~1"]);
    assert_eq!(env.get("k"), "1\n");

    let log = env.json(&["reflog"]);
    let entries = log.as_array().expect("a list");
    assert_eq!(entries.len(), 5, "{log}");
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e["index"], i);
        assert_eq!(e["author"], "tester");
        assert!(e["time"].is_i64() && e["date"].is_string(), "{e}");
    }
    assert_eq!(entries[0]["new"], c1.as_str());
    assert_eq!(entries[0]["old"], c2.as_str());
    assert!(
        entries[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("reset")),
        "{log}"
    );
    assert!(
        entries[4]["message"]
            .as_str()
            .is_some_and(|m| m.contains("commit")),
        "{log}"
    );
    assert!(
        entries[4]["old"].is_null(),
        "the first commit had no predecessor: {log}"
    );
    let human = env.stdout(&["reflog"]);
    let first = human.lines().next().expect("a line");
    assert!(first.starts_with(&c1[..12]), "{human}");
    assert!(
        first.contains("HEAD@{0}") && first.contains("reset"),
        "{human}"
    );

    // Undo: the entry before the reset names the lost commit.
    let lost = entries[0]["old"].as_str().expect("old id");
    env.ok(&["reset", "--hard", lost]);
    assert_eq!(env.rev("main"), c2);
    assert_eq!(env.get("k"), "2\n");

    // The branch's own reflog.
    let main_log = env.json(&["reflog", "main"]);
    assert_eq!(field(&main_log, "new")[0], c2);
    assert!(main_log.as_array().map_or(0, Vec::len) >= 4, "{main_log}");
    let side_log = env.json(&["reflog", "side"]);
    assert_eq!(field(&side_log, "new"), [c2.as_str()]);
    env.run(&["reflog", "nope"]).error(2);
}

#[test]
fn a_tag_and_a_branch_cannot_share_a_name() {
    // As a revision the branch would win and the tag could not be named.
    let env = TestEnv::new();
    env.commit_kv("k", "1");
    let msg = env.run(&["tag", "main"]).error(8);
    assert_eq!(
        msg,
        "a branch named 'main' exists: as a revision, 'main' would name the branch, never the tag"
    );
    env.ok(&["tag", "v1"]);
    env.ok(&["branch", "x"]);
    for args in [
        &["branch", "v1"][..],
        &["switch", "-c", "v1"],
        &["branch", "-m", "x", "v1"],
    ] {
        let msg = env.run(args).error(8);
        assert!(msg.starts_with("a tag named 'v1' exists"), "{msg}");
    }
    let branches: Vec<String> = env
        .json(&["branch"])
        .as_array()
        .expect("list")
        .iter()
        .map(|b| b["name"].as_str().expect("name").to_string())
        .collect();
    assert_eq!(branches, ["main", "x"]);
    env.ok(&["tag", "-d", "v1"]);
    env.ok(&["branch", "v1"]);
}

#[test]
fn reset_soft_drops_staged_changes_the_target_already_holds() {
    let env = TestEnv::new();
    env.commit_kv("a", "1");
    env.ok(&["set", "a", "2"]);
    env.ok(&["set", "added", "x"]);
    env.commit("c2");
    // Staged: a back to its value in c1, and the removal of a key c1 lacks.
    env.ok(&["set", "a", "1"]);
    env.ok(&["rm", "added"]);
    env.ok(&["reset", "--soft", "HEAD~1"]);
    assert!(env.staged_keys().is_empty(), "{:?}", env.staged_keys());
    env.ok(&["status", "--exit-code"]);
    assert_eq!(env.json(&["status"])["base"], serde_json::Value::Null);
    env.ok(&["switch", "-c", "other"]);
}
