use crate::common::TestEnv;
use serde_json::json;

#[test]
fn config_set_get_unset_list_in_the_repository() {
    let env = TestEnv::new();
    let set = env.json(&["config", "set", "user.name", "Alice"]);
    assert_eq!(
        set,
        json!({"key": "user.name", "value": "Alice", "scope": "repository", "changed": true})
    );
    assert_eq!(env.stdout(&["config", "get", "user.name"]), "Alice\n");
    let doc = env.json(&["config", "get", "user.name"]);
    assert_eq!(
        doc,
        json!({"key": "user.name", "value": "Alice", "scope": "repository"})
    );
    let path = env.kvdir().join("config.toml");
    let text = std::fs::read_to_string(&path).expect("read config");
    assert!(text.contains("Alice"), "{text}");
    // A comment a person wrote survives an edit.
    std::fs::write(&path, format!("# my note\n{text}")).expect("write");

    env.ok(&["config", "set", "core.max-value-size", "1MiB"]);
    let text = std::fs::read_to_string(&path).expect("read config");
    assert!(text.contains("# my note"), "{text}");
    let list = env.stdout(&["config", "list"]);
    assert!(list.contains("repository\tuser.name=Alice"), "{list}");
    assert!(
        list.contains("repository\tcore.max-value-size=1048576"),
        "{list}"
    );
    let list = env.json(&["config", "list"]);
    assert!(
        list.as_array()
            .expect("a list")
            .contains(&json!({"key": "user.name", "value": "Alice", "scope": "repository"})),
        "{list}"
    );

    let doc = env.json(&["config", "unset", "user.name"]);
    assert_eq!(doc["changed"], true, "{doc}");
    let out = env.run(&["config", "get", "user.name"]);
    out.code(1);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(out.stderr.contains("user.name"), "{out}");
    assert_eq!(
        env.json_code(&["config", "get", "user.name"], 1),
        json!({"key": "user.name", "found": false})
    );
    // Unsetting what is not set changes nothing and is not an error.
    let doc = env.json(&["config", "unset", "user.name"]);
    assert_eq!(doc["changed"], false, "{doc}");
}

#[test]
fn empty_config_list_is_an_empty_json_list() {
    let env = TestEnv::new();
    assert_eq!(env.json(&["config", "list"]), json!([]));
    assert_eq!(env.stdout(&["config", "list"]), "");
}

#[test]
fn global_config_lives_in_the_user_file_and_the_repository_wins() {
    let env = TestEnv::new();
    env.ok(&["config", "--global", "set", "user.name", "Bob"]);
    let user_file = env.xdg().join("kvgit/config.toml");
    let text = std::fs::read_to_string(&user_file).expect("the user config file exists");
    assert!(text.contains("Bob"), "{text}");
    assert!(
        !std::fs::read_to_string(env.kvdir().join("config.toml"))
            .expect("read")
            .contains("Bob")
    );
    assert_eq!(
        env.json(&["config", "get", "user.name"]),
        json!({"key": "user.name", "value": "Bob", "scope": "user"})
    );
    env.ok(&["config", "set", "user.name", "Alice"]);
    assert_eq!(env.stdout(&["config", "get", "user.name"]), "Alice\n");
    assert_eq!(
        env.stdout(&["config", "--global", "get", "user.name"]),
        "Bob\n"
    );
    let list = env.stdout(&["config", "list"]);
    assert!(list.contains("repository\tuser.name=Alice"), "{list}");
    assert!(list.contains("user\tuser.name=Bob"), "{list}");
    let global = env.json(&["config", "--global", "list"]);
    assert_eq!(
        global,
        json!([{"key": "user.name", "value": "Bob", "scope": "user"}])
    );
    env.ok(&["config", "--global", "unset", "user.name"]);
    env.run(&["config", "--global", "get", "user.name"]).code(1);
}

#[test]
fn global_config_falls_back_to_home_dot_config() {
    let env = TestEnv::new();
    env.cmd(&["config", "--global", "set", "user.email", "b@example.com"])
        .env_remove("XDG_CONFIG_HOME")
        .run()
        .code(0);
    let file = env.home().join(".config/kvgit/config.toml");
    let text = std::fs::read_to_string(&file).expect("~/.config/kvgit/config.toml exists");
    assert!(text.contains("b@example.com"), "{text}");
    assert!(!env.xdg().join("kvgit").exists());
}

#[test]
fn commits_take_their_author_from_config() {
    let env = TestEnv::new();
    env.ok(&["config", "--global", "set", "user.name", "Bob"]);
    env.ok(&["set", "k", "v"]);
    env.cmd(&["commit", "-q", "-m", "by bob"])
        .env_remove("KVGIT_AUTHOR_NAME")
        .run()
        .code(0);
    assert_eq!(env.json(&["log", "-n", "1"])[0]["author"], "Bob");

    env.ok(&["config", "set", "user.name", "Alice"]);
    env.ok(&["config", "set", "user.email", "alice@example.com"]);
    env.ok(&["set", "k", "w"]);
    env.cmd(&["commit", "-q", "-m", "by alice"])
        .env_remove("KVGIT_AUTHOR_NAME")
        .run()
        .code(0);
    assert_eq!(
        env.json(&["log", "-n", "1"])[0]["author"],
        "Alice <alice@example.com>"
    );
    // KVGIT_AUTHOR_NAME overrides the config.
    env.ok(&["set", "k", "x"]);
    env.ok(&["commit", "-q", "-m", "by tester"]);
    assert_eq!(env.json(&["log", "-n", "1"])[0]["author"], "tester");
}

#[test]
fn config_rejects_unknown_keys_and_bad_values() {
    let env = TestEnv::new();
    // Regression: `config get` of a misspelt name said "not set" (exit 1)
    // where `set` and `unset` reject the name. All three reject it alike.
    let unknown = "unknown config key 'user.nmae' (known keys: user.name, user.email, \
                   color.ui, core.max-value-size, gc.high-water, gc.low-water, gc.protect, \
                   gc.reflog-expire, merge.default)";
    for args in [
        &["config", "get", "user.nmae"][..],
        &["config", "--global", "get", "user.nmae"],
        &["config", "set", "user.nmae", "x"],
        &["config", "unset", "user.nmae"],
    ] {
        let out = env.run(args);
        assert_eq!(out.error(2), unknown, "{out}");
        assert_eq!(out.stderr, format!("error: {unknown}\n"), "{out}");
        let err = env.json_error(args, 2);
        assert_eq!(err["kind"], "usage", "{err}");
        assert_eq!(err["message"], unknown, "{err}");
    }
    // Outside a repository too.
    let bare = TestEnv::bare();
    assert_eq!(bare.run(&["config", "get", "user.nmae"]).error(2), unknown);
    let msg = env.run(&["config", "set", "no.such", "x"]).error(2);
    assert!(msg.contains("no.such"), "{msg}");
    let msg = env
        .run(&["config", "set", "color.ui", "sometimes"])
        .error(2);
    assert!(msg.contains("color.ui"), "{msg}");
    let msg = env
        .run(&["config", "set", "core.max-value-size", "lots"])
        .error(2);
    assert!(msg.contains("lots"), "{msg}");
    // Nothing was written.
    assert_eq!(env.json(&["config", "list"]), json!([]));
}

#[test]
fn a_garbage_repository_config_names_the_file_and_the_line() {
    let env = TestEnv::new();
    env.commit_kv("k", "v");
    let path = env.kvdir().join("config.toml");
    std::fs::write(&path, "[user]\nname = \"ok\"\nthis is not toml\n").expect("write");
    for args in [&["get", "k"][..], &["set", "k", "w"], &["config", "list"]] {
        let out = env.run(args);
        let msg = out.error(6);
        assert!(msg.contains(&path.display().to_string()), "{out}");
        assert!(msg.contains("line 3"), "{out}");
    }
    let err = env.json_error(&["get", "k"], 6);
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("config.toml") && m.contains("line 3")),
        "{err}"
    );
}

#[test]
fn a_garbage_user_config_names_that_file_and_the_line() {
    let env = TestEnv::new();
    let path = env.xdg().join("kvgit/config.toml");
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, "\n\n[color\nui = \"always\"\n").expect("write");
    let out = env.run(&["status"]);
    let msg = out.error(6);
    assert!(msg.contains(&path.display().to_string()), "{out}");
    assert!(msg.contains("line 3"), "{out}");
}

#[test]
fn a_wrongly_typed_known_setting_is_reported() {
    let env = TestEnv::new();
    let path = env.kvdir().join("config.toml");
    std::fs::write(&path, "[color]\nui = \"purple\"\n").expect("write");
    let msg = env.run(&["status"]).error(6);
    assert!(msg.contains("color.ui"), "{msg}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    // SPEC 1: the error names the file, the line and the problem.
    assert!(msg.contains("line 2"), "{msg}");
}
