use crate::common::TestEnv;

#[test]
fn init_creates_a_repository_on_branch_main() {
    let env = TestEnv::bare();
    let out = env.ok(&["init"]);
    assert!(
        out.stdout().contains("Initialized empty kvgit repository"),
        "{out}"
    );
    assert!(env.db().is_file(), "the redb file exists");
    assert!(
        env.kvdir().join("config.toml").is_file(),
        "the config exists"
    );
    let status = env.json(&["status"]);
    assert_eq!(status["branch"], "main");
    assert_eq!(status["detached"], false);
    assert!(status["head"].is_null(), "{status}");
    assert_eq!(status["staged"], serde_json::json!([]));
    // No commits yet: no branch listed, empty log, empty listing.
    assert_eq!(env.json(&["branch"]), serde_json::json!([]));
    assert_eq!(env.json(&["log"]), serde_json::json!([]));
    assert_eq!(env.json(&["ls"]), serde_json::json!([]));
    let human = env.stdout(&["status"]);
    assert!(human.contains("On branch main"), "{human}");
    assert!(human.contains("No commits yet"), "{human}");
}

#[test]
fn init_json_reports_path_and_branch() {
    let env = TestEnv::bare();
    let doc = env.json(&["init", "--initial-branch", "trunk"]);
    assert_eq!(doc["created"], true);
    assert_eq!(doc["branch"], "trunk");
    let path = doc["path"].as_str().expect("path");
    assert!(path.ends_with(".kvgit"), "{doc}");
    let again = env.json(&["init"]);
    assert_eq!(again["created"], false, "{again}");
    assert_eq!(again["path"], doc["path"]);
}

#[test]
fn reinit_says_it_exists_and_changes_nothing() {
    let env = TestEnv::new();
    env.commit_kv("k", "v");
    let db_before = std::fs::read(env.db()).expect("read db");
    let config_before = std::fs::read(env.kvdir().join("config.toml")).expect("read config");
    let out = env.ok(&["init", "--initial-branch", "other"]);
    assert!(out.stdout().contains("already exists"), "{out}");
    assert_eq!(std::fs::read(env.db()).expect("read db"), db_before);
    assert_eq!(
        std::fs::read(env.kvdir().join("config.toml")).expect("read config"),
        config_before
    );
    assert_eq!(env.json(&["status"])["branch"], "main");
    assert_eq!(env.get("k"), "v\n");
}

/// Every `.kvgit` directory under `dir`, for failure messages.
fn repositories_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read a directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == ".kvgit") {
                    found.push(path.strip_prefix(dir).expect("below dir").to_path_buf());
                } else {
                    stack.push(path);
                }
            }
        }
    }
    found
}

#[test]
fn init_with_a_directory_argument() {
    let env = TestEnv::bare();
    env.ok(&["init", "-q", "sub/one"]);
    assert!(
        env.repo().join("sub/one/.kvgit/kvgit.redb").is_file(),
        "repositories made: {:?}",
        repositories_under(&env.repo())
    );
    assert!(
        !env.repo().join("sub/one/sub").exists(),
        "the path was doubled"
    );
    assert!(!env.kvdir().exists(), "not in the working directory");
    env.ok(&["-C", "sub/one", "set", "k", "one"]);
    assert_eq!(env.stdout(&["-C", "sub/one", "get", "k"]), "one\n");
}

#[test]
fn init_with_dash_c() {
    let env = TestEnv::bare();
    std::fs::create_dir(env.repo().join("two")).expect("mkdir");
    env.ok(&["-C", "two", "init", "-q"]);
    assert!(
        env.repo().join("two/.kvgit/kvgit.redb").is_file(),
        "repositories made: {:?}",
        repositories_under(&env.repo())
    );
    assert!(!env.repo().join("two/two").exists(), "the path was doubled");
    assert!(!env.kvdir().exists(), "not in the working directory");
    env.ok(&["-C", "two", "set", "k", "two"]);
    assert_eq!(env.stdout(&["-C", "two", "get", "k"]), "two\n");
}

#[test]
fn init_with_dash_c_and_a_directory_argument() {
    // The directory is relative to -C, as with git.
    let env = TestEnv::bare();
    std::fs::create_dir(env.repo().join("two")).expect("mkdir");
    env.ok(&["-C", "two", "init", "-q", "three"]);
    assert!(
        env.repo().join("two/three/.kvgit/kvgit.redb").is_file(),
        "repositories made: {:?}",
        repositories_under(&env.repo())
    );
    assert!(!env.repo().join("three").exists(), "-C was ignored");
}

#[test]
fn initial_branch_names_the_first_branch() {
    let env = TestEnv::bare();
    env.ok(&["init", "-q", "--initial-branch", "trunk"]);
    env.commit_kv("k", "v");
    let branches = env.json(&["branch"]);
    assert_eq!(branches.as_array().map(Vec::len), Some(1), "{branches}");
    assert_eq!(branches[0]["name"], "trunk");
    assert_eq!(branches[0]["current"], true);
    assert_eq!(env.json(&["status"])["branch"], "trunk");
}

#[test]
fn init_refuses_an_invalid_initial_branch_and_creates_nothing() {
    let env = TestEnv::bare();
    let msg = env.run(&["init", "--initial-branch", "a b"]).error(2);
    assert!(msg.contains("a b"), "{msg}");
    assert!(!env.kvdir().exists(), "nothing was created");
}

#[test]
fn commands_find_the_repository_from_a_subdirectory() {
    let env = TestEnv::new();
    let deep = env.repo().join("a/b/c");
    std::fs::create_dir_all(&deep).expect("mkdir");
    env.cmd(&["set", "k", "from below"])
        .cwd(&deep)
        .run()
        .code(0);
    env.cmd(&["commit", "-q", "-m", "m"])
        .cwd(&deep)
        .run()
        .code(0);
    assert_eq!(env.get("k"), "from below\n");
    let out = env.cmd(&["get", "k"]).cwd(&deep).run();
    out.code(0);
    assert_eq!(out.stdout(), "from below\n");
}

#[test]
fn kvgit_dir_names_the_kvgit_directory() {
    let env = TestEnv::new();
    env.commit_kv("k", "v");
    let elsewhere = env.root().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    let out = env
        .cmd(&["get", "k"])
        .cwd(&elsewhere)
        .env("KVGIT_DIR", env.kvdir())
        .run();
    out.code(0);
    assert_eq!(out.stdout(), "v\n");
    // Relative to the working directory, and used for writes too.
    env.cmd(&["set", "k2", "w"])
        .cwd(&elsewhere)
        .env("KVGIT_DIR", "../repo/.kvgit")
        .run()
        .code(0);
    assert_eq!(env.staged_keys(), vec!["k2"]);
    // KVGIT_DIR wins over discovery from the working directory.
    let other = TestEnv::new();
    let out = other.cmd(&["get", "k"]).env("KVGIT_DIR", env.kvdir()).run();
    out.code(0);
    assert_eq!(out.stdout(), "v\n");
}

#[test]
fn kvgit_dir_that_does_not_exist_is_not_a_repository() {
    let env = TestEnv::new();
    let missing = env.root().join("nope/.kvgit");
    let out = env.cmd(&["get", "k"]).env("KVGIT_DIR", &missing).run();
    let msg = out.error(6);
    assert!(msg.contains(&missing.display().to_string()), "{msg}");
}

#[test]
fn no_repository_found_names_the_directory() {
    // Assumes no directory above the system temp dir holds a `.kvgit`.
    let env = TestEnv::bare();
    let dir = env.repo().canonicalize().expect("canonical path");
    for args in [
        &["status"][..],
        &["get", "k"],
        &["set", "k", "v"],
        &["log"],
        &["commit", "-m", "m"],
    ] {
        let out = env.run(args);
        let msg = out.error(6);
        assert!(msg.contains("not a kvgit repository"), "{out}");
        assert!(msg.contains(&dir.display().to_string()), "{out}");
    }
    let err = env.json_error(&["status"], 6);
    assert_eq!(err["kind"], "not_a_repository");
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains(&dir.display().to_string())),
        "{err}"
    );
    // -C to a directory without a repository names that directory.
    std::fs::create_dir(env.repo().join("sub")).expect("mkdir");
    let msg = env.run(&["-C", "sub", "status"]).error(6);
    assert!(msg.contains("sub"), "{msg}");
}

#[test]
fn dash_c_to_a_missing_directory_fails_instead_of_using_the_parent() {
    // `-C DIR` runs as if started in DIR; a DIR that does not exist cannot be
    // started in, so the repository around it must not be used.
    let env = TestEnv::new();
    env.commit_kv("k", "v");
    for args in [
        &["-C", "nope", "status"][..],
        &["-C", "nope", "set", "k", "w"],
    ] {
        let out = env.run(args);
        assert_ne!(out.code, 0, "{out}");
        let msg = out.error(out.code);
        assert!(msg.contains("nope"), "{out}");
    }
    assert_eq!(
        env.staged_keys(),
        Vec::<String>::new(),
        "nothing was staged"
    );
}
