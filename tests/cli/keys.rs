use crate::common::{TestEnv, field};
use serde_json::json;

#[test]
fn an_empty_key_is_rejected() {
    let env = TestEnv::new();
    for args in [
        &["set", "", "v"][..],
        &["get", ""],
        &["rm", ""],
        &["incr", ""],
    ] {
        let msg = env.run(args).error(2);
        assert!(msg.contains("empty"), "{args:?}: {msg}");
    }
    assert_eq!(env.json_error(&["get", ""], 2)["kind"], "invalid_key");
    assert_eq!(env.json_error(&["rm", ""], 2)["kind"], "invalid_key");
}

#[test]
fn a_key_longer_than_1024_bytes_is_rejected() {
    let env = TestEnv::new();
    let at_limit = "k".repeat(1024);
    env.ok(&["set", &at_limit, "v"]);
    assert_eq!(env.get(&at_limit), "v\n");
    let too_long = "k".repeat(1025);
    let msg = env.run(&["set", &too_long, "v"]).error(2);
    assert!(msg.contains("1024"), "{msg}");
    // Bytes, not characters: 512 two-byte characters fit, 513 do not.
    env.ok(&["set", &"é".repeat(512), "v"]);
    let msg = env.run(&["set", &"é".repeat(513), "v"]).error(2);
    assert!(msg.contains("1024"), "{msg}");
    assert_eq!(
        env.json_error(&["get", &too_long], 2)["kind"],
        "invalid_key"
    );
}

#[test]
fn a_key_with_a_control_character_is_rejected() {
    let env = TestEnv::new();
    for key in ["a\tb", "line\nbreak", "esc\u{1b}", "del\u{7f}", "c1\u{85}"] {
        let msg = env.run(&["set", key, "v"]).error(2);
        assert!(msg.contains("control character"), "{key:?}: {msg}");
    }
    // Other Unicode is fine.
    env.ok(&["set", "ключ/😀 space", "v"]);
    assert_eq!(env.get("ключ/😀 space"), "v\n");
}

#[test]
fn a_key_with_an_empty_segment_is_rejected() {
    let env = TestEnv::new();
    for key in ["/a", "a/", "a//b", "/"] {
        let msg = env.run(&["set", key, "v"]).error(2);
        assert_eq!(
            msg,
            format!(
                "invalid key '{key}': '/' separates non-empty segments (no leading or trailing '/', no '//')"
            )
        );
    }
    env.cmd(&["batch"])
        .stdin("set ok v\nset a//b v\n")
        .run()
        .error(2);
    // Inside a namespace, an empty relative key would be the namespace itself.
    let msg = env.run(&["--ns", "a", "set", "", "v"]).error(2);
    assert!(msg.contains("'a/'"), "{msg}");
    assert_eq!(env.log_len(), 0, "nothing committed");
    assert!(env.staged_keys().is_empty());
}

#[test]
fn a_key_with_nul_is_rejected_through_batch() {
    // NUL cannot be passed in argv; a JSON batch line can carry it.
    let env = TestEnv::new();
    let file = env.root().join("nul.jsonl");
    std::fs::write(
        &file,
        "{\"op\":\"set\",\"key\":\"ok\",\"value\":\"v\"}\n{\"op\":\"set\",\"key\":\"a\\u0000b\",\"value\":\"v\"}\n",
    )
    .expect("write");
    let out = env.run(&["batch", "--file", file.to_str().expect("utf-8")]);
    let msg = out.error(2);
    assert!(msg.contains("NUL"), "{msg}");
    assert!(msg.contains("line 2"), "{msg}");
    assert_eq!(env.log_len(), 0, "nothing committed");
}

#[test]
fn ls_lists_the_working_state_in_key_order() {
    let env = TestEnv::new();
    env.batch("set a/1 one\nset a/2 two\nset b/1 three\nset B upper\nset a-b dash\nset ab x\n");
    assert_eq!(
        env.stdout(&["ls"]),
        "B\na-b\na/1\na/2\nab\nb/1\n",
        "byte order of keys"
    );
    // Staged changes are overlaid: an addition, a removal, a modification.
    env.ok(&["set", "a/3", "new"]);
    env.ok(&["rm", "a/1"]);
    env.ok(&["set", "a/2", "22", "--int"]);
    env.ok(&["set", "0first", "x"]);
    env.ok(&["set", "zz", "x"]);
    assert_eq!(
        env.stdout(&["ls"]),
        "0first\nB\na-b\na/2\na/3\nab\nb/1\nzz\n"
    );
    assert_eq!(env.stdout(&["ls", "a/"]), "a/2\na/3\n");
    assert_eq!(env.stdout(&["ls", "a"]), "a-b\na/2\na/3\nab\n");
    assert_eq!(env.stdout(&["ls", "nothing/"]), "");
    assert_eq!(env.json(&["ls", "nothing/"]), json!([]));
    // --at reads a commit and ignores what is staged.
    assert_eq!(
        env.stdout(&["ls", "--at", "HEAD"]),
        "B\na-b\na/1\na/2\nab\nb/1\n"
    );
    assert_eq!(env.stdout(&["ls", "a/", "--at", "HEAD"]), "a/1\na/2\n");
    env.run(&["ls", "--at", "nope"]).error(2);
}

#[test]
fn ls_long_and_json_show_type_and_size() {
    let env = TestEnv::new();
    env.ok(&["set", "n", "5", "--int"]);
    env.ok(&["set", "s", "hello"]);
    env.ok(&["set", "big", &"x".repeat(3000)]);
    let list = env.json(&["ls"]);
    assert_eq!(field(&list, "key"), ["big", "n", "s"]);
    assert_eq!(field(&list, "type"), ["string", "int", "string"]);
    let sizes: Vec<u64> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| l["size"].as_u64().expect("size is a number"))
        .collect();
    assert!(sizes[0] >= 3000, "{list}");
    assert!(sizes[1] > 0 && sizes[1] < 16, "{list}");
    assert!(sizes[2] >= 5 && sizes[2] < 16, "{list}");
    let long = env.stdout(&["ls", "-l"]);
    let rows: Vec<Vec<&str>> = long
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 3, "{long}");
    assert_eq!(rows[1], ["int", &sizes[1].to_string(), "n"], "{long}");
    assert_eq!(rows[0][0], "string");
    assert_eq!(rows[0][2], "big");
    assert_eq!(
        env.stdout(&["ls", "--long", "s"]).split_whitespace().last(),
        Some("s")
    );
}

#[test]
fn namespace_flag_makes_keys_relative() {
    let env = TestEnv::new();
    env.ok(&["set", "top", "t"]);
    env.ok(&["--ns", "users", "set", "42/name", "bob"]);
    env.ok(&["--ns", "users", "incr", "42/visits"]);
    assert_eq!(env.get("users/42/name"), "bob\n");
    assert_eq!(env.stdout(&["--ns", "users", "get", "42/name"]), "bob\n");
    assert_eq!(
        env.json(&["--ns", "users", "get", "42/name"]),
        json!({"key": "42/name", "type": "string", "value": "bob"})
    );
    assert_eq!(env.stdout(&["--ns", "users", "ls"]), "42/name\n42/visits\n");
    assert_eq!(env.stdout(&["--ns", "users/42", "ls"]), "name\nvisits\n");
    assert_eq!(
        env.stdout(&["--ns", "users/", "ls"]),
        "42/name\n42/visits\n"
    );
    assert_eq!(env.stdout(&["--ns", "users/42", "get", "name"]), "bob\n");
    // Status and diff inside the namespace show only its keys, relative.
    let status = env.json(&["--ns", "users", "status"]);
    assert_eq!(field(&status["staged"], "key"), ["42/name", "42/visits"]);
    assert_eq!(
        field(&env.json(&["--ns", "users", "diff"]), "key"),
        ["42/name", "42/visits"]
    );
    let commit = env.json(&["--ns", "users", "commit", "-m", "users"]);
    assert_eq!(commit["committed"], true);
    let show = env.json(&["--ns", "users", "show"]);
    assert_eq!(field(&show["changes"], "key"), ["42/name", "42/visits"]);
    assert_eq!(
        field(&env.json(&["--ns", "users", "log", "--", "42/name"]), "id"),
        [commit["id"].as_str().expect("id")]
    );
    // The whole store still has every key at its full name.
    assert_eq!(env.stdout(&["ls"]), "top\nusers/42/name\nusers/42/visits\n");
    // rm and batch inside a namespace.
    env.ok(&["--ns", "users", "rm", "42/visits"]);
    assert_eq!(env.staged_keys(), ["users/42/visits"]);
    env.ok(&["reset"]);
    env.cmd(&["--ns", "users", "batch"])
        .stdin("set 7/name eve\n")
        .run()
        .code(0);
    assert_eq!(env.get("users/7/name"), "eve\n");
    // An invalid namespace is an invalid key.
    env.run(&["--ns", "a\tb", "ls"]).error(2);
}

#[test]
fn a_trailing_diff_prefix_is_relative_to_the_namespace() {
    let env = TestEnv::new();
    env.batch("set 42 top\nset users/42/name bob\n");
    env.batch("set 42 top-level\nset users/42/name bobby\n");
    assert_eq!(
        field(
            &env.json(&["--ns", "users", "diff", "HEAD~1", "HEAD", "--", "42"]),
            "key"
        ),
        ["42/name"]
    );
    assert_eq!(
        field(
            &env.json(&["--ns", "users", "diff", "HEAD~1", "HEAD", "42"]),
            "key"
        ),
        ["42/name"]
    );
}

#[test]
fn kvgit_ns_environment_variable_sets_the_namespace() {
    let env = TestEnv::new();
    env.cmd(&["set", "name", "ann"])
        .env("KVGIT_NS", "team/a")
        .run()
        .code(0);
    assert_eq!(env.get("team/a/name"), "ann\n");
    let out = env.cmd(&["ls"]).env("KVGIT_NS", "team").run();
    out.code(0);
    assert_eq!(out.stdout(), "a/name\n");
    // The flag wins over the variable.
    let out = env
        .cmd(&["--ns", "team/a", "get", "name"])
        .env("KVGIT_NS", "elsewhere")
        .run();
    out.code(0);
    assert_eq!(out.stdout(), "ann\n");
}
