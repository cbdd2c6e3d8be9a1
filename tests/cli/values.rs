use crate::common::TestEnv;
use serde_json::json;

#[test]
fn a_value_that_looks_like_an_option_needs_a_double_dash() {
    let env = TestEnv::new();
    // A mistyped option is an error, not a string value.
    let msg = env.run(&["set", "k", "--intt", "5"]).error(2);
    assert_eq!(msg, "unexpected argument '--intt' found");
    env.run(&["set", "k", "-x"]).error(2);
    assert!(env.staged_keys().is_empty(), "nothing was staged");
    // Negative numbers are values; anything else that starts with '-' goes after '--'.
    env.ok(&["set", "n", "-7"]);
    env.ok(&["set", "f", "-1.5", "--float"]);
    env.ok(&["set", "s", "--", "--intt"]);
    assert_eq!(env.get("n"), "-7\n");
    assert_eq!(env.get("f"), "-1.5\n");
    assert_eq!(env.get("s"), "--intt\n");
}

#[test]
fn set_and_get_every_type() {
    let env = TestEnv::new();
    env.ok(&["set", "s", "hello"]);
    env.ok(&["set", "i", "42", "--int"]);
    env.ok(&["set", "neg", "-7", "--int"]);
    env.ok(&["set", "f", "2.5", "--float"]);
    env.ok(&["set", "whole", "3", "--float"]);
    env.ok(&["set", "b", "true", "--bool"]);
    env.ok(&["set", "j", r#"{"b": [1, 2], "a": null}"#, "--json"]);
    env.ok(&["set", "raw", "abc", "--type", "bytes"]);
    env.ok(&["set", "t", "false", "-t", "bool"]);
    env.ok(&["set", "n", "1e3", "--type", "float"]);
    env.ok(&["set", "str", "42", "--type", "string"]);

    for (key, text) in [
        ("s", "hello\n"),
        ("i", "42\n"),
        ("neg", "-7\n"),
        ("f", "2.5\n"),
        ("whole", "3.0\n"),
        ("b", "true\n"),
        ("j", "{\"a\":null,\"b\":[1,2]}\n"),
        ("raw", "abc"),
        ("t", "false\n"),
        ("n", "1000.0\n"),
        ("str", "42\n"),
    ] {
        assert_eq!(env.get(key), text, "get {key}");
    }
    for (key, ty, value) in [
        ("s", "string", json!("hello")),
        ("i", "int", json!(42)),
        ("neg", "int", json!(-7)),
        ("f", "float", json!(2.5)),
        ("b", "bool", json!(true)),
        ("j", "json", json!({"a": null, "b": [1, 2]})),
        ("raw", "bytes", json!("YWJj")),
        ("t", "bool", json!(false)),
        ("str", "string", json!("42")),
    ] {
        assert_eq!(
            env.json(&["get", key]),
            json!({"key": key, "type": ty, "value": value}),
            "get --json {key}"
        );
    }
    // The types survive a commit.
    env.commit("all types");
    assert_eq!(
        env.json(&["get", "j", "--committed"]),
        json!({"key": "j", "type": "json", "value": {"a": null, "b": [1, 2]}})
    );
    let listing = env.json(&["ls"]);
    let types: Vec<(&str, &str)> = listing
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| {
            (
                l["key"].as_str().expect("key"),
                l["type"].as_str().expect("type"),
            )
        })
        .collect();
    assert!(types.contains(&("i", "int")), "{listing}");
    assert!(types.contains(&("raw", "bytes")), "{listing}");
    assert!(types.contains(&("j", "json")), "{listing}");
}

#[test]
fn set_json_is_the_json_type_shorthand_and_prints_the_value() {
    // SPEC 2 makes `--json` on `set` the shorthand for `--type json`, which
    // collides with the global `--json`; docs/json.md settles it: on `set`,
    // before or after the command name, it parses the value as JSON unless
    // another type is named, and it always prints the staged value as JSON.
    let env = TestEnv::new();
    assert_eq!(
        env.stdout(&["set", "x", "1", "--json"]),
        "{\"key\":\"x\",\"type\":\"json\",\"value\":1}\n"
    );
    assert_eq!(
        env.json(&["set", "limits", r#"{"rps": 100}"#]),
        json!({"key": "limits", "type": "json", "value": {"rps": 100}})
    );
    assert_eq!(
        env.json(&["get", "limits"]),
        json!({"key": "limits", "type": "json", "value": {"rps": 100}})
    );
    // Text that is not JSON is a value that does not parse as its type.
    let err = env.json_error(&["set", "s", "hi"], 2);
    assert_eq!(err["kind"], "invalid_value", "{err}");
    // With another type named, that type wins and --json only asks for
    // machine output, whichever way it is spelled.
    assert_eq!(
        env.json(&["set", "k", "5", "--int"]),
        json!({"key": "k", "type": "int", "value": 5})
    );
    assert_eq!(
        env.json(&["set", "b", "hi", "--type", "bytes"]),
        json!({"key": "b", "type": "bytes", "value": "aGk="})
    );
    assert_eq!(
        env.stdout(&["set", "f", "0.5", "--float", "--json"]),
        "{\"key\":\"f\",\"type\":\"float\",\"value\":0.5}\n"
    );
    assert_eq!(env.staged_keys(), ["b", "f", "k", "limits", "x"]);
}

#[test]
fn json_values_are_stored_structurally() {
    let env = TestEnv::new();
    // Two spellings of one document are one value: setting the second after
    // committing the first stages nothing.
    env.ok(&["set", "j", r#"{"x": 1, "y": [true, "s"]}"#, "--json"]);
    env.commit("json");
    env.ok(&["set", "j", r#"{ "y":[true,"s"],"x":1 }"#, "--json"]);
    assert_eq!(env.staged_keys(), Vec::<String>::new());
    let pretty = env.stdout(&["get", "j", "--pretty"]);
    assert!(pretty.lines().count() > 1, "{pretty}");
    assert!(pretty.contains("\n  "), "indented: {pretty}");
    let parsed: serde_json::Value = serde_json::from_str(&pretty).expect("pretty is JSON");
    assert_eq!(parsed, json!({"x": 1, "y": [true, "s"]}));
    let compact = env.get("j");
    assert_eq!(compact.lines().count(), 1, "{compact}");
    assert!(!compact.trim_end().contains(' '), "compact: {compact}");
}

#[test]
fn get_prints_strings_with_a_newline_and_bytes_raw() {
    let env = TestEnv::new();
    env.ok(&["set", "multi", "line one\nline two"]);
    env.ok(&["set", "empty", ""]);
    assert_eq!(env.get("multi"), "line one\nline two\n");
    assert_eq!(env.get("empty"), "\n");
    let bytes: &[u8] = &[0, 1, 2, 255, b'\n', b'x'];
    env.cmd(&["set", "bin", "-"]).stdin(bytes).run().code(0);
    let out = env.ok(&["get", "bin"]);
    assert_eq!(
        out.stdout, bytes,
        "bytes come out raw, with no newline added"
    );
    assert_eq!(
        env.json(&["get", "bin"]),
        json!({"key": "bin", "type": "bytes", "value": "AAEC/wp4"})
    );
}

#[test]
fn value_dash_reads_stdin_as_bytes_unless_typed() {
    let env = TestEnv::new();
    env.cmd(&["set", "blob", "-"])
        .stdin("text from stdin\n")
        .run()
        .code(0);
    assert_eq!(env.json(&["get", "blob"])["type"], "bytes");
    assert_eq!(env.get("blob"), "text from stdin\n");
    env.cmd(&["set", "n", "-", "--int"])
        .stdin("12\n")
        .run()
        .code(0);
    assert_eq!(
        env.json(&["get", "n"]),
        json!({"key": "n", "type": "int", "value": 12})
    );
    env.cmd(&["set", "doc", "-", "--json"])
        .stdin(r#"{"a": [1]}"#)
        .run()
        .code(0);
    assert_eq!(env.json(&["get", "doc"])["value"], json!({"a": [1]}));
    env.cmd(&["set", "s", "-", "--type", "string"])
        .stdin("verbatim\n")
        .run()
        .code(0);
    assert_eq!(
        env.json(&["get", "s"]),
        json!({"key": "s", "type": "string", "value": "verbatim\n"})
    );
    // Typed stdin that does not parse is rejected naming the type.
    let msg = env
        .cmd(&["set", "n", "-", "--int"])
        .stdin("twelve")
        .run()
        .error(2);
    assert!(msg.contains("int"), "{msg}");
}

#[test]
fn file_reads_the_value_from_a_file() {
    let env = TestEnv::new();
    let path = env.root().join("value.bin");
    let content: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    std::fs::write(&path, &content).expect("write");
    env.ok(&["set", "f", "--file", path.to_str().expect("utf-8 path")]);
    assert_eq!(env.json(&["get", "f"])["type"], "bytes");
    assert_eq!(env.ok(&["get", "f"]).stdout, content);
    env.commit("file");
    assert_eq!(env.ok(&["get", "f", "--committed"]).stdout, content);

    let doc = env.root().join("doc.json");
    std::fs::write(&doc, "[1, 2, 3]\n").expect("write");
    env.ok(&["set", "d", "--file", doc.to_str().expect("utf-8"), "--json"]);
    assert_eq!(
        env.json(&["get", "d"]),
        json!({"key": "d", "type": "json", "value": [1, 2, 3]})
    );

    let missing = env.root().join("no-such-file");
    let out = env.run(&["set", "m", "--file", missing.to_str().expect("utf-8")]);
    assert_ne!(out.code, 0, "{out}");
    let msg = out.error(out.code);
    assert!(msg.contains("no-such-file"), "{msg}");
    // A value and --file together is a usage error.
    env.run(&["set", "m", "v", "--file", doc.to_str().expect("utf-8")])
        .code(2);
}

#[test]
fn values_that_do_not_parse_are_rejected_naming_type_and_text() {
    let env = TestEnv::new();
    for (args, ty, text) in [
        (&["set", "k", "abc", "--int"][..], "int", "abc"),
        (&["set", "k", "1.5", "--int"], "int", "1.5"),
        (
            &["set", "k", "99999999999999999999", "-t", "int"],
            "int",
            "99999999999999999999",
        ),
        (&["set", "k", "1.x", "--float"], "float", "1.x"),
        (&["set", "k", "inf", "--float"], "float", "inf"),
        (&["set", "k", "yes", "--bool"], "bool", "yes"),
        (
            &["set", "k", "{\"a\":", "--type", "json"],
            "json",
            "{\"a\":",
        ),
    ] {
        let out = env.run(args);
        let msg = out.error(2);
        assert!(msg.contains(ty), "names the type {ty}: {out}");
        assert!(msg.contains(text), "names the text {text}: {out}");
    }
    let err = env.json_error(&["set", "k", "{\"a\":"], 2);
    assert_eq!(err["kind"], "invalid_value", "{err}");
    assert_eq!(env.staged_keys(), Vec::<String>::new(), "nothing staged");
    // An unknown --type is a usage error.
    env.run(&["set", "k", "v", "--type", "nope"]).code(2);
    // The shorthands exclude each other.
    env.run(&["set", "k", "1", "--int", "--float"]).code(2);
    env.run(&["set", "k", "1", "--int", "--type", "int"])
        .code(2);
}

#[test]
fn type_errors_use_the_right_article() {
    // Regression: a type rule's error said "must hold a int".
    let env = TestEnv::new();
    env.ok(&["config", "rule", "add", "n/*", "--type", "int", "-q"]);
    env.ok(&["config", "rule", "add", "j/*", "--type", "json", "-q"]);
    let config = env.kvdir().join("config.toml");
    let msg = env
        .run(&["set", "n/x", "hello", "--type", "string"])
        .error(2);
    assert_eq!(
        msg,
        format!(
            "key 'n/x' must hold an int (rule 1 (n/*) in {}), not a string",
            config.display()
        )
    );
    let msg = env.run(&["set", "j/x", "1", "--int"]).error(2);
    assert_eq!(
        msg,
        format!(
            "key 'j/x' must hold a json value (rule 2 (j/*) in {}), not an int",
            config.display()
        )
    );
    env.ok(&["set", "b", "-", "--type", "bytes"]);
    let msg = env.run(&["incr", "b"]).error(2);
    assert_eq!(
        msg,
        "incr b: the key holds a bytes value, not an int or float"
    );
}

#[test]
fn get_reads_staged_then_head_or_a_revision() {
    let env = TestEnv::new();
    env.commit_kv("k", "v1");
    env.commit_kv("k", "v2");
    env.ok(&["set", "k", "v3"]);
    env.ok(&["set", "new", "staged only"]);
    assert_eq!(env.get("k"), "v3\n");
    assert_eq!(env.stdout(&["get", "k", "--committed"]), "v2\n");
    assert_eq!(env.stdout(&["get", "k", "--at", "HEAD"]), "v2\n");
    assert_eq!(env.stdout(&["get", "k", "--at", "HEAD~1"]), "v1\n");
    assert_eq!(env.get("new"), "staged only\n");
    env.run(&["get", "new", "--committed"]).code(1);
    env.run(&["get", "new", "--at", "HEAD"]).code(1);
    // A staged removal hides the committed value.
    env.ok(&["rm", "k"]);
    let out = env.run(&["get", "k"]);
    out.code(1);
    assert!(out.stdout.is_empty(), "{out}");
    assert_eq!(env.stdout(&["get", "k", "--committed"]), "v2\n");
    // An unknown revision is bad input, not a missing key.
    env.run(&["get", "k", "--at", "nope"]).error(2);
    env.run(&["get", "k", "--at", "HEAD", "--committed"])
        .code(2);
}

#[test]
fn get_of_a_missing_key_is_exit_1_with_nothing_on_stdout() {
    let env = TestEnv::new();
    let out = env.run(&["get", "missing"]);
    out.code(1);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(out.stderr.contains("missing"), "{out}");
    assert!(
        !out.stderr.contains("error"),
        "a negative answer, not an error: {out}"
    );
    assert_eq!(
        env.json_code(&["get", "missing"], 1),
        json!({"key": "missing", "found": false})
    );
    env.commit_kv("other", "x");
    env.run(&["get", "missing"]).code(1);
    env.run(&["get", "missing", "--at", "HEAD"]).code(1);
}

#[test]
fn rm_stages_removals_and_refuses_missing_keys() {
    let env = TestEnv::new();
    env.ok(&["set", "a", "1"]);
    env.ok(&["set", "b", "2"]);
    env.ok(&["set", "c", "3"]);
    env.commit("abc");
    assert_eq!(
        env.json(&["rm", "a", "b"]),
        json!({"removed": ["a", "b"], "missing": []})
    );
    let status = env.json(&["status"]);
    assert_eq!(status["staged"][0]["change"], "removed", "{status}");
    assert_eq!(
        status["staged"][0]["old"],
        json!({"type": "string", "value": "1"})
    );
    assert!(status["staged"][0]["new"].is_null(), "{status}");
    env.commit("rm a b");
    env.run(&["get", "a"]).code(1);
    assert_eq!(env.get("c"), "3\n");

    // A missing key: exit 1, named on stderr, and nothing at all is staged.
    let out = env.run(&["rm", "c", "nope"]);
    out.code(1);
    assert!(out.stderr.contains("nope"), "{out}");
    assert_eq!(env.staged_keys(), Vec::<String>::new());
    assert_eq!(
        env.json_code(&["rm", "nope"], 1),
        json!({"removed": [], "missing": ["nope"]})
    );
    // Removing a staged-only key unstages it.
    env.ok(&["set", "tmp", "x"]);
    env.ok(&["rm", "tmp"]);
    env.run(&["get", "tmp"]).code(1);
    assert_eq!(env.staged_keys(), Vec::<String>::new());
    // rm needs a key.
    env.run(&["rm"]).code(2);
}

#[test]
fn incr_counts_ints_and_floats_from_zero() {
    let env = TestEnv::new();
    let out = env.ok(&["incr", "hits"]);
    assert_eq!(out.stdout(), "1\n", "incr prints the new value");
    assert_eq!(env.stdout(&["incr", "hits", "5"]), "6\n");
    assert_eq!(env.stdout(&["incr", "hits", "-10"]), "-4\n");
    assert_eq!(
        env.json(&["incr", "hits", "2"]),
        json!({"key": "hits", "type": "int", "value": -2})
    );
    assert_eq!(env.stdout(&["incr", "down", "-3"]), "-3\n");
    assert_eq!(env.stdout(&["incr", "f", "0.5"]), "0.5\n");
    assert_eq!(env.stdout(&["incr", "f", "1"]), "1.5\n");
    assert_eq!(env.stdout(&["incr", "f", "-2.25"]), "-0.75\n");
    assert_eq!(env.json(&["get", "f"])["type"], "float");
    env.commit("counters");
    assert_eq!(env.stdout(&["get", "hits", "--committed"]), "-2\n");
    assert_eq!(env.stdout(&["get", "down", "--committed"]), "-3\n");
    assert_eq!(env.stdout(&["get", "f", "--committed"]), "-0.75\n");
    // Increments stage on top of the committed value.
    env.ok(&["incr", "hits", "12"]);
    assert_eq!(env.get("hits"), "10\n");
    assert_eq!(env.stdout(&["get", "hits", "--committed"]), "-2\n");
}

#[test]
fn incr_refuses_what_it_cannot_add() {
    let env = TestEnv::new();
    env.ok(&["set", "s", "text"]);
    env.ok(&["set", "i", "1", "--int"]);
    env.ok(&["set", "max", &i64::MAX.to_string(), "--int"]);
    let msg = env.run(&["incr", "s"]).error(2);
    assert!(msg.contains("string"), "{msg}");
    let msg = env.run(&["incr", "i", "0.5"]).error(2);
    assert!(msg.contains("0.5"), "{msg}");
    let msg = env.run(&["incr", "i", "lots"]).error(2);
    assert!(msg.contains("lots"), "{msg}");
    let msg = env.run(&["incr", "max"]).error(2);
    assert!(msg.contains("overflow"), "{msg}");
    assert_eq!(env.get("i"), "1\n");
    assert_eq!(env.get("max"), format!("{}\n", i64::MAX));
}

#[test]
fn rm_of_a_key_named_twice_removes_it() {
    let env = TestEnv::new();
    env.commit_kv("k", "v");
    env.ok(&["rm", "k", "k"]);
    assert_eq!(env.staged_keys(), ["k"]);
    env.run(&["get", "k"]).code(1);
}

#[test]
fn a_value_exactly_at_the_configured_size_limit_works() {
    let env = TestEnv::new();
    env.ok(&["config", "set", "core.max-value-size", "1KiB"]);
    let at_limit = env.root().join("at-limit.bin");
    std::fs::write(&at_limit, vec![7u8; 1024]).expect("write");
    env.ok(&["set", "bytes", "--file", at_limit.to_str().expect("utf-8")]);
    assert_eq!(env.ok(&["get", "bytes"]).stdout, vec![7u8; 1024]);
    env.ok(&["set", "text", &"t".repeat(1024)]);
    env.commit("at the limit");
    assert_eq!(
        env.ok(&["get", "bytes", "--committed"]).stdout,
        vec![7u8; 1024]
    );

    let over = env.root().join("over.bin");
    std::fs::write(&over, vec![7u8; 1025]).expect("write");
    let msg = env
        .run(&["set", "big", "--file", over.to_str().expect("utf-8")])
        .error(2);
    assert!(msg.contains("1024"), "names the limit: {msg}");
    env.run(&["set", "big", &"t".repeat(1025)]).error(2);
    let msg = env
        .cmd(&["batch"])
        .stdin(format!("set big {}\n", "t".repeat(1025)))
        .run()
        .error(2);
    assert!(msg.contains("1024"), "{msg}");
    env.run(&["get", "big"]).code(1);
}

#[test]
fn a_64_mib_value_round_trips_and_is_stored_once() {
    const MIB64: usize = 64 * 1024 * 1024;
    let env = TestEnv::new();
    // Bytes that do not repeat in any short period.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let content: Vec<u8> = (0..MIB64)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        })
        .collect();
    let path = env.root().join("big.bin");
    std::fs::write(&path, &content).expect("write");
    env.ok(&["set", "big", "--file", path.to_str().expect("utf-8")]);
    env.commit("64 MiB");
    assert_eq!(env.ok(&["get", "big", "--committed"]).stdout, content);
    let after_first = std::fs::metadata(env.db()).expect("stat").len();
    // More commits, branches and tags holding the same value add no copy.
    for i in 0..3 {
        env.ok(&["branch", &format!("b{i}")]);
        env.ok(&["tag", &format!("t{i}")]);
        env.commit_kv(&format!("small{i}"), "x");
    }
    env.ok(&["switch", "-q", "b0"]);
    env.commit_kv("on-b0", "x");
    let after_more = std::fs::metadata(env.db()).expect("stat").len();
    assert!(
        after_more < after_first + 8 * 1024 * 1024,
        "the value was stored again: {after_first} -> {after_more} bytes"
    );
    assert_eq!(env.ok(&["get", "big", "--at", "t2"]).stdout, content);
    drop(content);
    // One byte more than the default limit is refused.
    let mut over = std::fs::read(&path).expect("read");
    over.push(0);
    std::fs::write(&path, &over).expect("write");
    let msg = env
        .run(&["set", "over", "--file", path.to_str().expect("utf-8")])
        .error(2);
    assert!(msg.contains("max-value-size"), "{msg}");
}
