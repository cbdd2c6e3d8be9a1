//! Hostile input: every limit and every malformed thing a user can pass gets
//! its documented error and exit code, never a panic, and changes nothing.

mod support;

use std::os::unix::ffi::OsStrExt;
use support::Env;

fn assert_rejected(env: &Env, args: &[&str], input: &str, code: i32, needle: &str) {
    let out = env.run_with(args, input);
    assert_eq!(out.code, code, "{args:?}: {}", out.stderr);
    assert!(out.stderr.contains(needle), "{args:?}: {}", out.stderr);
    assert!(
        out.stderr.starts_with("error: "),
        "{args:?}: {}",
        out.stderr
    );
}

#[test]
fn keys_at_and_past_every_limit() {
    let env = Env::new();
    let at = "k".repeat(1024);
    env.ok(&["set", &at, "v"]);
    assert_eq!(env.get(&at), "v");
    assert_rejected(
        &env,
        &["set", &"k".repeat(1025), "v"],
        "",
        2,
        "at most 1024 bytes",
    );
    assert_rejected(&env, &["set", "", "v"], "", 2, "must not be empty");
    assert_rejected(&env, &["set", "a\u{7}b", "v"], "", 2, "control character");
    assert_rejected(
        &env,
        &["batch"],
        "{\"op\":\"set\",\"key\":\"a\\u0000b\",\"value\":1}\n",
        2,
        "NUL",
    );
    // Invalid UTF-8 in an argument, and in a batch file.
    let out = env
        .cmd(&[])
        .arg("set")
        .arg(std::ffi::OsStr::from_bytes(b"bad\xffkey"))
        .arg("v")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let file = env.path().join("bad.txt");
    std::fs::write(&file, b"set ok 1\nset bad\xff 2\n").expect("write");
    assert_rejected(
        &env,
        &["batch", "--file", file.to_str().expect("utf-8")],
        "",
        2,
        "line 2",
    );
    assert_eq!(
        env.run(&["get", "ok"]).code,
        1,
        "nothing from the bad batch was committed"
    );
}

#[test]
fn values_at_and_past_their_limits() {
    let env = Env::new();
    env.ok(&["set", "empty", ""]);
    env.ok(&["set", "nothing", "-"]); // stdin is empty: zero bytes
    env.ok(&["commit", "-m", "empties"]);
    assert_eq!(env.ok(&["get", "empty"]).stdout, "\n");
    assert_eq!(env.ok(&["get", "nothing", "--json"]).json()["value"], "");
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    assert_rejected(
        &env,
        &["set", "deep", &deep, "--type", "json"],
        "",
        2,
        "invalid json value",
    );
    assert_rejected(
        &env,
        &["set", "n", "9223372036854775808", "--int"],
        "",
        2,
        "invalid int value",
    );
    assert_rejected(
        &env,
        &["set", "n", "1e999", "--float"],
        "",
        2,
        "invalid float value",
    );
    assert_rejected(&env, &["set", "n", "NaN", "--float"], "", 2, "finite");
    env.ok(&["set", "n", "9223372036854775807", "--int"]);
    assert_rejected(&env, &["incr", "n"], "", 2, "overflows");
    env.ok(&["config", "set", "core.max-value-size", "1KiB"]);
    env.ok(&["set", "fits", &"x".repeat(1024)]);
    assert_rejected(
        &env,
        &["set", "too-big", &"x".repeat(1025)],
        "",
        2,
        "core.max-value-size",
    );
}

#[test]
fn hostile_revisions_and_names() {
    let env = Env::new();
    env.batch("set a 1\n");
    env.batch("set a 2\n");
    assert_rejected(&env, &["log", "HEAD~99999"], "", 2, "history ends");
    assert_rejected(&env, &["show", "HEAD^^^^"], "", 2, "parent");
    assert_rejected(
        &env,
        &["show", "deadbeef"],
        "",
        2,
        "unknown revision 'deadbeef'",
    );
    assert_rejected(
        &env,
        &["show", "HEAD~18446744073709551616"],
        "",
        2,
        "too large",
    );
    assert_rejected(&env, &["show", "main@{99}"], "", 2, "reflog");
    for bad in [
        "a..b", "/lead", "trail/", "sp ace", "x.lock", "HEAD", "a/.b",
    ] {
        assert_rejected(&env, &["branch", bad], "", 2, "invalid name");
        assert_rejected(&env, &["tag", bad], "", 2, "invalid name");
    }
    assert_eq!(
        env.ok(&["branch", "--json"])
            .json()
            .as_array()
            .expect("list")
            .len(),
        1
    );
}
