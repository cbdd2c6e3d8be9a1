//! End-to-end tests of merging from the command line: the conflict flow with
//! every way to resolve, exit codes, JSON shapes, rules from `config rule`,
//! `check-attr`, and the interactive review (scripted, and in a real terminal
//! under tmux).

use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::process::Command;

mod support;

use support::Env;

impl Env {
    /// main and `other` both change a, b, c, d (other deletes nothing; main
    /// deletes d) from a common base; other also adds e.
    fn diverged() -> Env {
        let env = Env::new();
        env.batch("set a 1 int\nset b 1 int\nset c 1 int\nset d 1 int\nset hits 100 int\n");
        env.ok(&["branch", "other"]);
        env.batch("set a 2 int\nset b 2 int\nset c 2 int\nrm d\nset hits 115 int\n");
        env.ok(&["switch", "other"]);
        env.batch(
            "set a 3 int\nset b 3 int\nset c 3 int\nset d 3 int\nset e 3 int\nset hits 120 int\n",
        );
        env.ok(&["switch", "main"]);
        env
    }
}

#[test]
fn seed_example_counter_merge_gives_135() {
    let env = Env::diverged();
    let out = env.run(&[
        "merge",
        "other",
        "-s",
        "hits=counter",
        "--force-strategy",
        "theirs",
        "--json",
    ]);
    // --force-strategy beats -s: everything is theirs.
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["outcome"], "committed");
    assert_eq!(env.get("hits"), "120");

    let env = Env::diverged();
    let out = env.run(&[
        "merge",
        "other",
        "-s",
        "hits=counter",
        "-X",
        "theirs",
        "--json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(doc["outcome"], "committed");
    let hits = doc["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["key"] == "hits")
        .expect("hits touched");
    assert_eq!(hits["strategy"], "counter");
    assert_eq!(hits["decided_by"], "-s hits=counter");
    assert_eq!(hits["result"]["value"], 135);
    assert_eq!(env.get("hits"), "135");
    assert_eq!(env.get("e"), "3");
    assert_eq!(env.get("a"), "3");
}

#[test]
fn conflict_flow_with_every_way_to_resolve() {
    let env = Env::diverged();
    let out = env.run(&["merge", "other", "-s", "hits=counter", "--json"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(doc["outcome"], "stopped");
    let mut conflicts: Vec<String> = doc["conflicts"]
        .as_array()
        .expect("list")
        .iter()
        .map(|k| k.as_str().expect("key").to_string())
        .collect();
    conflicts.sort();
    assert_eq!(conflicts, ["a", "b", "c", "d"]);

    // conflicts --json: labelled sides and kinds.
    let list = env.ok(&["conflicts", "--json"]).json();
    let d = list
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["key"] == "d")
        .expect("d");
    assert_eq!(d["kind"], "delete-modify");
    assert_eq!(d["ours"], Json::Null);
    assert_eq!(d["theirs"]["value"], 3);
    assert_eq!(d["resolved"], false);
    let human = env.ok(&["conflicts"]).stdout;
    assert!(
        human.contains("ours (main)") && human.contains("theirs (other)"),
        "{human}"
    );
    assert_eq!(env.ok(&["get", "a", "--side", "base"]).stdout, "1\n");
    assert_eq!(env.ok(&["get", "a", "--side", "theirs"]).stdout, "3\n");

    // The merge in progress blocks other work with exit 8.
    for args in [
        &["merge", "other"][..],
        &["switch", "other"],
        &["commit", "-m", "x", "--allow-empty"],
        &["set", "k", "v"],
    ] {
        let out = env.run(args);
        assert_eq!(out.code, 8, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("merge"), "{}", out.stderr);
    }
    let status = env.ok(&["status", "--json"]).json();
    assert_eq!(status["merge"]["theirs"], "other");
    assert_eq!(
        status["merge"]["unresolved"]
            .as_array()
            .expect("list")
            .len(),
        4
    );

    // --continue refuses while conflicts remain.
    let out = env.run(&["merge", "--continue", "--json"]);
    assert_eq!(out.code, 3);
    assert_eq!(out.json()["unresolved"].as_array().expect("list").len(), 4);

    env.ok(&["resolve", "a", "--ours"]);
    env.ok(&["resolve", "b", "--value", "7"]);
    // A strategy that cannot resolve leaves the key open: exit 3.
    let out = env.run(&["resolve", "c", "--strategy", "union", "--json"]);
    assert_eq!(out.code, 3);
    assert_eq!(out.json()["failed"][0]["key"], "c");
    env.ok(&["resolve", "c", "--strategy", "max"]);
    // From a file in the conflicts --json format.
    let mut decisions = env.ok(&["conflicts", "--json"]).json();
    for c in decisions.as_array_mut().expect("list") {
        if c["key"] == "d" {
            c["resolution"] = serde_json::json!({"how": "theirs"});
        } else {
            c["resolution"] = Json::Null;
        }
    }
    let file = env.path().join("decisions.json");
    std::fs::write(&file, decisions.to_string()).expect("write");
    env.ok(&["resolve", "--from-file", file.to_str().expect("utf-8")]);
    let list = env.ok(&["resolve", "--list", "--json"]).json();
    assert!(
        list.as_array()
            .expect("list")
            .iter()
            .all(|c| c["resolved"] == true)
    );

    let out = env.ok(&["merge", "--continue", "--json"]);
    assert_eq!(out.json()["committed"], true);
    assert_eq!(
        (env.get("a"), env.get("b"), env.get("c"), env.get("d")),
        ("2".into(), "7".into(), "3".into(), "3".into())
    );
    let show = env.ok(&["show", "--json"]).json();
    assert_eq!(
        show["commit"]["parents"].as_array().expect("parents").len(),
        2
    );
}

#[test]
fn resolve_by_glob_all_delete_and_base() {
    let env = Env::diverged();
    assert_eq!(env.run(&["merge", "other"]).code, 3);
    let out = env.run(&["resolve", "zzz*", "--ours"]);
    assert_eq!(out.code, 2, "a glob matching no conflict is an error");
    env.ok(&["resolve", "[ab]", "--base"]);
    env.ok(&["resolve", "--all", "--delete"]);
    env.ok(&["merge", "--continue"]);
    // --all overrides the earlier choices for a and b too.
    for k in ["a", "b", "c", "d"] {
        assert_eq!(env.run(&["get", k]).code, 1, "{k} deleted");
    }
}

#[test]
fn abort_restores_head_and_staged_changes() {
    let env = Env::diverged();
    env.ok(&["set", "staged", "yes"]);
    let head = env.ok(&["log", "-n", "1", "--json"]).json()[0]["id"].clone();
    assert_eq!(env.run(&["merge", "other"]).code, 3);
    env.ok(&["merge", "--abort"]);
    assert_eq!(env.ok(&["log", "-n", "1", "--json"]).json()[0]["id"], head);
    assert_eq!(env.get("staged"), "yes");
    assert_eq!(
        env.ok(&["conflicts", "--json"]).json(),
        serde_json::json!([])
    );
    assert_eq!(env.run(&["merge", "--abort"]).code, 8, "nothing to abort");
}

#[test]
fn dry_run_atomic_ff_only_and_expect_head() {
    let env = Env::diverged();
    let out = env.run(&["merge", "other", "--dry-run", "--json"]);
    assert_eq!(out.code, 3);
    assert_eq!(out.json()["outcome"], "dry-run");
    let out = env.run(&["merge", "other", "--dry-run", "-X", "theirs", "--json"]);
    assert_eq!(out.code, 0);
    let out = env.run(&["merge", "other", "--atomic", "--json"]);
    assert_eq!(out.code, 3);
    assert_eq!(out.json()["outcome"], "abandoned");
    assert_eq!(
        env.ok(&["conflicts", "--json"]).json(),
        serde_json::json!([])
    );
    assert_eq!(env.run(&["merge", "other", "--ff-only"]).code, 8);
    let out = env.run(&["merge", "other", "--expect-head", "other"]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    let explain = env
        .ok(&[
            "merge",
            "other",
            "--explain",
            "-X",
            "theirs",
            "-s",
            "hits=counter",
        ])
        .stdout;
    assert!(
        explain.contains("decided by") && explain.contains("-s hits=counter"),
        "{explain}"
    );
}

#[test]
fn rules_from_config_and_check_attr() {
    let env = Env::new();
    env.ok(&[
        "config",
        "rule",
        "add",
        "counters/**",
        "--type",
        "int",
        "--merge",
        "counter",
    ]);
    env.ok(&[
        "config", "rule", "add", "flags/*", "config/*", "--merge", "theirs",
    ]);
    env.ok(&["config", "set", "merge.default", "lww"]);
    let rules = env.ok(&["config", "rule", "list", "--json"]).json();
    assert_eq!(rules.as_array().expect("list").len(), 2);
    assert_eq!(rules[1]["keys"], serde_json::json!(["flags/*", "config/*"]));

    let out = env.run(&["set", "counters/x", "abc"]);
    assert_eq!(out.code, 2, "the rule's type is enforced");
    assert!(out.stderr.contains("int"), "{}", out.stderr);
    env.ok(&["set", "counters/x", "5"]); // parsed as the rule's type
    assert_eq!(
        env.ok(&["get", "counters/x", "--json"]).json()["type"],
        "int"
    );
    assert_eq!(env.run_with(&["batch"], "set counters/y nope\n").code, 2);

    let attrs = env
        .ok(&[
            "check-attr",
            "counters/a/b",
            "flags/x",
            "other",
            "__meta",
            "--json",
        ])
        .json();
    assert_eq!(attrs[0]["type"]["value"], "int");
    assert_eq!(attrs[0]["merge"]["value"], "counter");
    assert!(
        attrs[0]["merge"]["decided_by"]
            .as_str()
            .expect("text")
            .contains("rule 1")
    );
    assert_eq!(attrs[1]["merge"]["value"], "theirs");
    assert_eq!(attrs[2]["merge"]["value"], "lww");
    assert!(
        attrs[2]["merge"]["decided_by"]
            .as_str()
            .expect("text")
            .contains("merge.default")
    );
    assert_eq!(attrs[3]["gc"]["value"], "protected");
    let attrs = env
        .ok(&["check-attr", "other", "-s", "oth*=max", "--json"])
        .json();
    assert_eq!(attrs[0]["merge"]["value"], "max");

    env.ok(&["config", "rule", "remove", "1"]);
    assert_eq!(
        env.ok(&["config", "rule", "list", "--json"])
            .json()
            .as_array()
            .expect("list")
            .len(),
        1
    );
    assert_eq!(env.run(&["config", "rule", "remove", "9"]).code, 2);
    assert_eq!(
        env.run(&["config", "rule", "add", "x", "--merge", "bogus"])
            .code,
        2
    );
}

#[test]
fn commit_after_a_concurrent_change_merges_with_the_counter_rule() {
    // One process stages +5; another commits +7 (batch ignores the staging
    // area); the first commit merges onto the moved head: base + 12.
    let env = Env::new();
    env.ok(&["config", "rule", "add", "hits", "--merge", "counter"]);
    env.batch("set hits 100 int\n");
    env.ok(&["incr", "hits", "5"]);
    env.batch("incr hits 7\n");
    let out = env.ok(&["commit", "-m", "mine", "--json"]);
    assert_eq!(out.json()["merged"], true);
    assert_eq!(env.get("hits"), "112");
}

#[test]
fn interactive_review_from_a_script_and_replayed_from_its_record() {
    let env = Env::diverged();
    assert_eq!(env.run(&["merge", "other", "-s", "hits=counter"]).code, 3);
    // Keys come in order a, b, c, d: ours, theirs, next (skip), then a bad
    // answer, a strategy that fails, and delete.
    let record = env.path().join("record.json");
    let out = env.run_with(
        &[
            "resolve",
            "-i",
            "--script",
            "--record",
            record.to_str().expect("utf-8"),
        ],
        "o\nt\nn\n?\ns\nunion\nd\n",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("Conflict 1 of 4: a"), "{}", out.stderr);
    assert!(out.stderr.contains("ours (main)"), "{}", out.stderr);
    assert!(out.stderr.contains("still a conflict"), "{}", out.stderr);
    assert!(out.stderr.contains("1 conflict(s) left"), "{}", out.stderr);
    // A rerun resumes with the key left open.
    let out = env.run_with(&["resolve", "-i", "--script"], "b\n");
    assert!(out.stderr.contains("Conflict 1 of 1: c"), "{}", out.stderr);
    env.ok(&["merge", "--continue"]);
    let merged: Vec<String> = ["a", "b", "c"].iter().map(|k| env.get(k)).collect();
    assert_eq!(merged, ["2", "3", "1"]);
    assert_eq!(env.run(&["get", "d"]).code, 1);

    // CI replays the recorded decisions on the same merge elsewhere.
    let recorded: Json =
        serde_json::from_str(&std::fs::read_to_string(&record).expect("record")).expect("JSON");
    assert_eq!(recorded.as_array().expect("list").len(), 3);
    let again = Env::diverged();
    assert_eq!(again.run(&["merge", "other", "-s", "hits=counter"]).code, 3);
    again.ok(&["resolve", "--from-file", record.to_str().expect("utf-8")]);
    again.ok(&["resolve", "c", "--base"]);
    again.ok(&["merge", "--continue"]);
    let merged: Vec<String> = ["a", "b", "c"].iter().map(|k| again.get(k)).collect();
    assert_eq!(merged, ["2", "3", "1"]);
}

#[test]
fn interactive_review_edits_with_the_editor_and_cancels_on_empty() {
    let env = Env::diverged();
    assert_eq!(
        env.run(&["merge", "other", "-X", "theirs", "-s", "a=conflict"])
            .code,
        3
    );
    let editor = env.path().join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\nprintf '41' > \"$1\"\n").expect("write");
    let empty = env.path().join("empty.sh");
    std::fs::write(&empty, "#!/bin/sh\n: > \"$1\"\n").expect("write");
    for p in [&editor, &empty] {
        let status = Command::new("chmod")
            .arg("+x")
            .arg(p)
            .status()
            .expect("chmod");
        assert!(status.success());
    }
    let out = env.run_with_env(
        &["resolve", "-i", "--script"],
        "e\nq\n",
        &[("EDITOR", &empty)],
    );
    assert!(out.stderr.contains("edit cancelled"), "{}", out.stderr);
    let out = env.run_with_env(
        &["resolve", "-i", "--script"],
        "e\n",
        &[("VISUAL", &editor)],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    env.ok(&["merge", "--continue"]);
    assert_eq!(env.get("a"), "41");
}

#[test]
fn interactive_review_refuses_without_a_terminal() {
    let env = Env::diverged();
    assert_eq!(env.run(&["merge", "other"]).code, 3);
    let out = env.run(&["resolve", "-i"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("--from-file") && out.stderr.contains("--ours"),
        "{}",
        out.stderr
    );
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn tmux(socket: &Path, args: &[&str]) -> String {
    let out = Command::new("tmux")
        .arg("-S")
        .arg(socket)
        .args(args)
        .output()
        .expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Waits (bounded) until the pane shows `text`; the review is a separate
/// process, so its screen is polled, not slept on blindly.
fn wait_for(socket: &Path, text: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let screen = tmux(socket, &["capture-pane", "-p", "-t", "review"]);
        if screen.contains(text) {
            return screen;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {text:?}; screen:\n{screen}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Waits (bounded) until the pane shows `text` after `anchor`.
fn wait_for_after(socket: &Path, anchor: &str, text: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let screen = tmux(socket, &["capture-pane", "-p", "-t", "review"]);
        if let Some(at) = screen.find(anchor)
            && screen[at..].contains(text)
        {
            return screen;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {text:?} after {anchor:?}; screen:\n{screen}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn interactive_review_in_a_real_terminal() {
    if !tmux_available() {
        eprintln!("skipped: tmux is not installed (.ci/run installs it)");
        return;
    }
    let env = Env::diverged();
    // One more conflicted key holding text, to see the line diff.
    env.ok(&["switch", "other"]);
    env.ok(&["set", "note", "first line\ntheirs\nlast line"]);
    env.ok(&["commit", "-m", "note"]);
    env.ok(&["switch", "main"]);
    env.ok(&["set", "note", "first line\nours\nlast line"]);
    env.ok(&["commit", "-m", "note"]);
    assert_eq!(env.run(&["merge", "other", "-s", "hits=counter"]).code, 3);
    let socket: PathBuf = env.path().join("tmux.sock");
    let kvgit = env!("CARGO_BIN_EXE_kvgit");
    let script = format!(
        "cd '{}' && KVGIT_AUTHOR_NAME=tester KVGIT_AUTHOR_DATE=1700000100 HOME='{}' XDG_CONFIG_HOME='{}/.config' '{kvgit}' resolve -i --color never; echo EXIT=$?; sleep 30",
        env.path().display(),
        env.path().display(),
        env.path().display()
    );
    tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-s",
            "review",
            "-x",
            "120",
            "-y",
            "40",
            &script,
        ],
    );
    let screen = wait_for_after(&socket, "Conflict 1 of 5: a", "q quit] >");
    assert!(
        screen.contains("ours (main)") && screen.contains("theirs (other)"),
        "{screen}"
    );
    tmux(&socket, &["send-keys", "-t", "review", "t", "Enter"]);
    wait_for(&socket, "Conflict 2 of 5: b");
    tmux(&socket, &["send-keys", "-t", "review", "o", "Enter"]);
    wait_for(&socket, "Conflict 3 of 5: c");
    tmux(&socket, &["send-keys", "-t", "review", "n", "Enter"]);
    wait_for(&socket, "Conflict 4 of 5: d");
    tmux(&socket, &["send-keys", "-t", "review", "n", "Enter"]);
    // The diff is printed after the header: wait for the prompt that follows it.
    let screen = wait_for_after(&socket, "Conflict 5 of 5: note", "q quit] >");
    assert!(
        screen.contains("- ours") && screen.contains("+ theirs") && screen.contains("  first line"),
        "line diff shown:\n{screen}"
    );
    tmux(&socket, &["send-keys", "-t", "review", "q", "Enter"]);
    let screen = wait_for(&socket, "EXIT=");
    assert!(screen.contains("EXIT=0"), "{screen}");
    tmux(&socket, &["kill-server"]);
    let list = env.ok(&["conflicts", "--json"]).json();
    let resolved: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter(|c| c["resolved"] == true)
        .map(|c| c["key"].as_str().expect("key"))
        .collect();
    assert_eq!(resolved, ["a", "b"]);
    assert_eq!(env.ok(&["get", "a", "--side", "theirs"]).stdout, "3\n");
}

#[test]
fn strategy_globs_are_relative_to_the_namespace() {
    let env = Env::new();
    let attrs = env
        .ok(&[
            "--ns",
            "app",
            "check-attr",
            "hits",
            "-s",
            "hits=counter",
            "--json",
        ])
        .json();
    assert_eq!(attrs[0]["merge"]["value"], "counter");
    assert_eq!(attrs[0]["merge"]["decided_by"], "-s app/hits=counter");
}

#[test]
fn a_decision_file_naming_an_unconflicted_key_applies_nothing() {
    let env = Env::diverged();
    assert_eq!(env.run(&["merge", "other"]).code, 3);
    let file = env.path().join("d.json");
    std::fs::write(
        &file,
        r#"[{"key":"a","resolution":"ours"},{"key":"zzz","resolution":"ours"}]"#,
    )
    .expect("write");
    let out = env.run(&["resolve", "--from-file", file.to_str().expect("utf-8")]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let list = env.ok(&["conflicts", "--json"]).json();
    assert!(
        list.as_array()
            .expect("list")
            .iter()
            .all(|c| c["resolved"] == false)
    );
}

#[test]
fn explain_prints_the_plan_before_merging() {
    let env = Env::diverged();
    let out = env.ok(&["merge", "other", "-X", "theirs", "--explain"]);
    let plan_at = out.stdout.find("decided by").expect("the plan");
    let done_at = out.stdout.find("Merge of other").expect("the result");
    assert!(plan_at < done_at, "{}", out.stdout);
}
