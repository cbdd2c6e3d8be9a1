use crate::common::{TestEnv, field};
use serde_json::json;

#[test]
fn batch_word_lines_with_quotes_make_one_commit() {
    let env = TestEnv::new();
    env.commit_kv("old", "x");
    let input = r#"
# a comment, then a blank line

set greeting 'hello world'
set "key with spaces" "double \"quoted\""
set n 5 int
set f 2.5 float
set t true bool
set j '{"a": [1, 2]}' json
set raw abc bytes
rm old
incr c 2
incr c
incr fresh
"#;
    let out = env.cmd(&["--json", "batch"]).stdin(input).run();
    out.code(0);
    let doc = out.json();
    assert_eq!(doc["committed"], true, "{doc}");
    assert_eq!(doc["branch"], "main");
    assert_eq!(doc["merged"], false);
    assert_eq!(doc["operations"], 11, "{doc}");
    assert_eq!(env.rev("HEAD"), doc["id"].as_str().expect("id"));
    assert_eq!(env.log_len(), 2, "one commit for the whole batch");
    let message = env.json(&["log", "-n", "1"])[0]["message"].clone();
    assert!(
        message
            .as_str()
            .is_some_and(|m| m.contains("11 operations")),
        "the default message names the count: {message}"
    );

    assert_eq!(env.get("greeting"), "hello world\n");
    assert_eq!(env.get("key with spaces"), "double \"quoted\"\n");
    assert_eq!(
        env.json(&["get", "n"]),
        json!({"key": "n", "type": "int", "value": 5})
    );
    assert_eq!(env.json(&["get", "f"])["value"], json!(2.5));
    assert_eq!(env.json(&["get", "t"])["value"], json!(true));
    assert_eq!(env.json(&["get", "j"])["value"], json!({"a": [1, 2]}));
    assert_eq!(env.ok(&["get", "raw"]).stdout, b"abc");
    assert_eq!(env.get("c"), "3\n");
    assert_eq!(env.get("fresh"), "1\n");
    env.run(&["get", "old"]).code(1);
}

#[test]
fn batch_json_lines() {
    let env = TestEnv::new();
    env.commit_kv("gone", "x");
    let input = [
        r#"{"op":"set","key":"doc","value":{"a":[1,{"b":null}]}}"#,
        r#"{"op":"set","key":"s","value":"text"}"#,
        r#"{"op":"set","key":"i","value":3}"#,
        r#"{"op":"set","key":"fl","value":0.25}"#,
        r#"{"op":"set","key":"yes","value":true}"#,
        r#"{"op":"set","key":"bin","value":"AAEC","type":"bytes"}"#,
        r#"{"op":"set","key":"num-as-text","value":"7","type":"string"}"#,
        r#"{"op":"rm","key":"gone"}"#,
        r#"{"op":"incr","key":"c","by":4}"#,
        r#"{"op":"set","key":"nothing","value":null}"#,
        r#"{"op":"set","key":"typed-null","value":null,"type":"json"}"#,
        "set mixed 'word line'",
    ]
    .join("\n");
    let doc = env
        .cmd(&["--json", "batch", "-m", "json lines"])
        .stdin(input)
        .run();
    doc.code(0);
    assert_eq!(doc.json()["operations"], 12);
    assert_eq!(env.json(&["log", "-n", "1"])[0]["message"], "json lines");
    assert_eq!(
        env.json(&["get", "doc"])["value"],
        json!({"a": [1, {"b": null}]})
    );
    assert_eq!(env.json(&["get", "doc"])["type"], "json");
    assert_eq!(env.json(&["get", "s"])["type"], "string");
    assert_eq!(
        env.json(&["get", "i"]),
        json!({"key": "i", "type": "int", "value": 3})
    );
    assert_eq!(env.json(&["get", "fl"])["type"], "float");
    assert_eq!(env.json(&["get", "yes"])["type"], "bool");
    assert_eq!(env.ok(&["get", "bin"]).stdout, [0u8, 1, 2]);
    assert_eq!(env.json(&["get", "num-as-text"])["value"], "7");
    assert_eq!(env.get("c"), "4\n");
    assert_eq!(env.get("mixed"), "word line\n");
    for key in ["nothing", "typed-null"] {
        assert_eq!(
            env.json(&["get", key]),
            json!({"key": key, "type": "json", "value": null})
        );
    }
    env.run(&["get", "gone"]).code(1);
}

#[test]
fn a_json_line_error_gives_the_column_not_a_second_line_number() {
    let env = TestEnv::new();
    let out = env
        .cmd(&["batch"])
        .stdin("{\"op\":\"set\",\"key\":\"a\",\"value\":1}\n{\"op\":\"set\",\n")
        .run();
    assert_eq!(
        out.error(2),
        "line 2: invalid JSON operation: EOF while parsing a value at column 12"
    );
    let file = env.root().join("in.jsonl");
    std::fs::write(&file, "{\"key\":\"a\",\"value\":1}\n{\"key\":\n").expect("write");
    let out = env.run(&["import", file.to_str().expect("utf-8")]);
    assert_eq!(
        out.error(2),
        "line 2: EOF while parsing a value at column 7"
    );
    let out = env
        .cmd(&["batch"])
        .stdin("{\"op\":\"incr\",\"key\":\"c\",\"by\":null}\n")
        .run();
    assert_eq!(out.error(2), "line 1: an incr amount must be a number");
}

#[test]
fn batch_reads_a_file() {
    let env = TestEnv::new();
    let file = env.root().join("ops.txt");
    std::fs::write(&file, "set a 1 int\nset b two\n").expect("write");
    let doc = env.json(&[
        "batch",
        "--file",
        file.to_str().expect("utf-8"),
        "-m",
        "from file",
    ]);
    assert_eq!(doc["operations"], 2);
    assert_eq!(env.get("a"), "1\n");
    assert_eq!(env.get("b"), "two\n");
    let missing = env.root().join("missing.txt");
    let out = env.run(&["batch", "--file", missing.to_str().expect("utf-8")]);
    assert_ne!(out.code, 0, "{out}");
    assert!(out.error(out.code).contains("missing.txt"), "{out}");
}

#[test]
fn a_batch_parse_error_names_the_line_and_commits_nothing() {
    let env = TestEnv::new();
    let first = env.commit_kv("k", "v");
    for (input, line) in [
        ("set a 1\nset b 2\nfrobnicate x\n", "line 3"),
        ("set a 1\nset n abc int\n", "line 2"),
        ("set 'unbalanced\n", "line 1"),
        (
            "set a 1\n\n# comment\n{\"op\":\"set\",\"key\":\"k\"}\n",
            "line 4",
        ),
        ("{not json\n", "line 1"),
        ("set a 1\nset a b c d\n", "line 2"),
        ("set a 1 nosuchtype\n", "line 1"),
        ("incr c lots\n", "line 1"),
        ("rm ''\n", "line 1"),
    ] {
        let out = env.cmd(&["batch"]).stdin(input).run();
        let msg = out.error(2);
        assert!(msg.contains(line), "{line} in {out}");
        assert_eq!(env.rev("HEAD"), first, "nothing committed for {input:?}");
        env.run(&["get", "a"]).code(1);
        let json_out = env.cmd(&["--json", "batch"]).stdin(input).run();
        json_out.json_error(2);
    }
    assert_eq!(env.log_len(), 1);
}

#[test]
fn a_batch_longer_than_one_chunk_is_one_commit() {
    // Past 50,000 operations a batch is read and applied in chunks inside its
    // transaction: still one commit, an `incr` sees what earlier chunks set,
    // and a bad line in a later chunk leaves nothing behind.
    let env = TestEnv::new();
    let first = env.commit_kv("k", "v");
    let mut ops: String = (0..60_000)
        .map(|i| format!("set n/{i:05} {i} int\n"))
        .collect();
    ops.push_str("incr n/00007 5\nrm n/00008\nincr counter 2\n");
    let doc = env.cmd(&["--json", "batch"]).stdin(&ops).run().json();
    assert_eq!(doc["operations"], 60_003);
    assert_eq!(env.log_len(), 2);
    assert_eq!(env.get("n/00007"), "12\n");
    assert_eq!(env.get("n/59999"), "59999\n");
    assert_eq!(env.get("counter"), "2\n");
    env.run(&["get", "n/00008"]).code(1);
    assert_eq!(
        env.json(&["log", "-n", "1"])[0]["message"],
        "Apply 60003 operations"
    );
    let head = env.rev("HEAD");
    let bad = format!("{ops}set late 1 int\nfrobnicate\n");
    let msg = env.cmd(&["batch"]).stdin(&bad).run().error(2);
    assert!(msg.contains("line 60005"), "{msg}");
    assert_eq!(env.rev("HEAD"), head);
    env.run(&["get", "late"]).code(1);
    env.ok(&["fsck"]);
    assert_ne!(head, first);
}

#[test]
fn a_batch_that_cannot_apply_commits_nothing() {
    let env = TestEnv::new();
    let first = env.commit_kv("s", "text");
    let msg = env
        .cmd(&["batch"])
        .stdin("set a 1\nincr s\n")
        .run()
        .error(2);
    assert!(msg.contains("string"), "{msg}");
    assert_eq!(env.rev("HEAD"), first);
    env.run(&["get", "a"]).code(1);
}

#[test]
fn batch_ignores_the_staging_area() {
    let env = TestEnv::new();
    env.commit_kv("k", "v");
    env.ok(&["set", "staged", "s"]);
    env.batch("set b 1\n");
    assert_eq!(field(&env.json(&["show"])["changes"], "key"), ["b"]);
    assert_eq!(env.staged_keys(), ["staged"]);
    env.run(&["get", "staged", "--committed"]).code(1);
    // The staged change still commits, onto the batch's commit.
    env.commit("staged");
    assert_eq!(env.stdout(&["get", "b", "--committed"]), "1\n");
    assert_eq!(env.stdout(&["get", "staged", "--committed"]), "s\n");
}

#[test]
fn a_batch_that_changes_nothing_is_exit_1() {
    let env = TestEnv::new();
    env.cmd(&["batch"]).stdin("").run().code(1);
    env.cmd(&["batch"])
        .stdin("# only a comment\n\n")
        .run()
        .code(1);
    env.commit_kv("k", "v");
    env.cmd(&["batch"]).stdin("set k v\n").run().code(1);
    // Removing a missing key is a no-op, not an error.
    env.cmd(&["batch"]).stdin("rm nope\n").run().code(1);
    env.batch("rm nope\nset k w\n");
    assert_eq!(env.log_len(), 2);
}

#[test]
fn batch_expect_head_mismatch_is_exit_4() {
    let env = TestEnv::new();
    let first = env.commit_kv("k", "1");
    let second = env.commit_kv("k", "2");
    let out = env
        .cmd(&["batch", "--expect-head", &first])
        .stdin("set k 3\n")
        .run();
    let msg = out.error(4);
    assert!(msg.contains(&first[..12]), "{msg}");
    assert_eq!(env.rev("HEAD"), second);
    let err = env
        .cmd(&["--json", "batch", "--expect-head", "HEAD~1"])
        .stdin("set k 3\n")
        .run()
        .json_error(4);
    assert_eq!(err["kind"], "stale_head");
    env.cmd(&["batch", "--expect-head", &second])
        .stdin("set k 3\n")
        .run()
        .code(0);
    assert_eq!(env.get("k"), "3\n");
}

#[test]
fn batch_author_and_meta() {
    let env = TestEnv::new();
    env.cmd(&["batch", "--author", "bot", "--meta", "run=7"])
        .stdin("set k v\n")
        .run()
        .code(0);
    let head = env.json(&["log", "-n", "1"]);
    assert_eq!(head[0]["author"], "bot");
    assert_eq!(head[0]["meta"], json!({"run": "7"}));
    let message = head[0]["message"].as_str().expect("message");
    assert!(
        message.contains("1 operation"),
        "the default names the count: {message}"
    );
}
