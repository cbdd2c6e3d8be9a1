use crate::common::TestEnv;

const ESC: &str = "\x1b[";

#[test]
fn completions_for_bash_zsh_and_fish() {
    // Completions need no repository.
    let env = TestEnv::bare();
    let bash = env.stdout(&["completions", "bash"]);
    assert!(bash.contains("_kvgit()"), "bash defines a function");
    assert!(bash.contains("complete -F _kvgit"), "bash registers it");
    let zsh = env.stdout(&["completions", "zsh"]);
    assert!(
        zsh.starts_with("#compdef kvgit"),
        "{}",
        &zsh[..zsh.len().min(200)]
    );
    let fish = env.stdout(&["completions", "fish"]);
    assert!(fish.contains("complete -c kvgit"), "fish completes kvgit");
    for script in [&bash, &zsh, &fish] {
        for sub in ["commit", "batch", "reflog", "switch"] {
            assert!(script.contains(sub), "completes {sub}");
        }
        assert!(script.contains("expect-head"), "completes flags");
    }
    env.run(&["completions", "tcsh-nope"]).code(2);
    env.run(&["completions"]).code(2);
}

#[test]
fn hidden_subcommands_are_not_offered() {
    // Regression: the internal `generate-docs` was in the completion scripts
    // and in the subcommand lists and suggestions of usage errors.
    let env = TestEnv::bare();
    let checked_in = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for (shell, file) in [
        ("bash", "kvgit.bash"),
        ("zsh", "_kvgit"),
        ("fish", "kvgit.fish"),
    ] {
        let script = env.stdout(&["completions", shell]);
        assert!(
            script.contains("check-attr"),
            "{shell} completes subcommands"
        );
        for name in ["generate-docs", "generate__docs"] {
            assert!(!script.contains(name), "{shell} offers {name}");
        }
        let file = std::fs::read_to_string(checked_in.join(file)).expect("read completions");
        assert!(!file.contains("generate-docs"), "completions/{shell}");
    }
    let err = env.json_error(&[], 2);
    assert_eq!(
        err["message"],
        "'kvgit' requires a subcommand but one was not provided (subcommands: init, config, \
         set, get, rm, incr, ls, status, commit, batch, reset, log, show, diff, branch, switch, \
         checkout, tag, reflog, merge, conflicts, resolve, check-attr, gc, fsck, import, \
         export, completions, help)"
    );
    let out = env.run(&["gen"]);
    out.error(2);
    assert_eq!(
        out.stderr,
        "error: unrecognized subcommand 'gen'\n\
         hint: a similar subcommand exists: 'get'\n\
         hint: see 'kvgit --help'\n"
    );
    let err = env.json_error(&["generate"], 2);
    assert_eq!(err["message"], "unrecognized subcommand 'generate'");
    assert!(!env.stdout(&["--help"]).contains("generate-docs"));
    // It still runs.
    let out_dir = env.root().join("docs-out");
    let out_arg = out_dir.to_str().expect("a UTF-8 temp path");
    env.ok(&["generate-docs", out_arg]);
    assert!(out_dir.join("completions/kvgit.bash").is_file());
    assert!(out_dir.join("man/kvgit.1").is_file());
}

#[test]
fn help_and_version_need_no_repository() {
    let env = TestEnv::bare();
    let help = env.stdout(&["--help"]);
    for sub in ["init", "set", "get", "commit", "batch", "diff", "reflog"] {
        assert!(help.contains(sub), "{sub} in help");
    }
    assert!(env.stdout(&["commit", "--help"]).contains("--expect-head"));
    assert!(env.stdout(&["--version"]).starts_with("kvgit "));
}

#[test]
fn unknown_flags_and_subcommands_are_usage_errors() {
    let env = TestEnv::new();
    for args in [
        &["--bogus"][..],
        &["get", "k", "--bogus"],
        &["frobnicate"],
        &["set"],
        &["log", "-n", "many"],
        &["--color", "sometimes", "status"],
        &["--lock-timeout", "soon", "status"],
    ] {
        // One error line, then hints (SPEC 5).
        env.run(args).error(2);
    }
    assert!(env.run(&["get", "k", "--bogus"]).stderr.contains("--bogus"));
    // Nothing was done.
    assert_eq!(env.staged_keys(), Vec::<String>::new());
}

#[test]
fn usage_errors_with_json_are_the_error_document() {
    // docs/json.md: when the command line cannot be parsed, stderr is the
    // error document alone, the message on one line.
    let env = TestEnv::new();
    for args in [
        &["--json", "get", "k", "--bogus"][..],
        &["--json", "frobnicate"],
        &["get", "--json"],
        &["--json", "--lock-timeout", "soon", "ls"],
        &["--json", "config"],
    ] {
        let err = env.run(args).json_error(2);
        assert_eq!(err["kind"], "usage", "{args:?}: {err}");
    }
    for (args, message) in [
        (
            &["--json", "set", "x", "1", "--int", "--float"][..],
            "the argument '--int' cannot be used with '--float'",
        ),
        (
            &["--json", "get", "k", "--bogus"],
            "unexpected argument '--bogus' found (to pass '--bogus' as a value, use '-- --bogus')",
        ),
        (
            &["--json", "set", "k", "v", "--type", "nope"],
            "invalid value 'nope' for '--type <TYPE>' \
             (possible values: string, int, float, bool, json, bytes)",
        ),
        (
            &["--json", "set"],
            "the following required arguments were not provided: <KEY> <VALUE>",
        ),
        (
            &["--json", "config"],
            "'kvgit config' requires a subcommand but one was not provided \
             (subcommands: get, set, unset, list, rule, help)",
        ),
    ] {
        let err = env.run(args).json_error(2);
        assert_eq!(err["message"], message, "{args:?}");
    }
    // A bad flag value that kvgit itself checks: exactly the document.
    let err = env.json_error(&["--lock-timeout", "soon", "ls"], 2);
    assert!(
        err["message"].as_str().is_some_and(|m| m.contains("soon")),
        "{err}"
    );
}

#[test]
fn usage_errors_are_one_error_line_then_hints() {
    // Regression: clap's errors were several lines (a blank line, "Usage:",
    // "tip:", "For more information, try '--help'."), not SPEC 5's format.
    let env = TestEnv::new();
    for (args, stderr) in [
        (
            &["set", "x", "1", "--int", "--float"][..],
            "error: the argument '--int' cannot be used with '--float'\n\
             hint: see 'kvgit set --help'\n",
        ),
        (
            &["log", "-n", "-1"],
            "error: invalid value '-1' for '--max-count <N>': invalid digit found in string\n\
             hint: see 'kvgit log --help'\n",
        ),
        (
            &["log", "-3"],
            "error: unexpected argument '-3' found\n\
             hint: to show at most 3 commit(s), use '-n 3'\n\
             hint: see 'kvgit log --help'\n",
        ),
        (
            &["resolve", "a", "--ours", "--theirs"],
            "error: the argument '--ours' cannot be used with '--theirs'\n\
             hint: see 'kvgit resolve --help'\n",
        ),
        (
            &["set", "x", "1", "--type", "bogus"],
            "error: invalid value 'bogus' for '--type <TYPE>'\n\
             hint: possible values: string, int, float, bool, json, bytes\n\
             hint: see 'kvgit set --help'\n",
        ),
        (
            &["status", "--bogus"],
            "error: unexpected argument '--bogus' found\n\
             hint: see 'kvgit status --help'\n",
        ),
        (
            &["status", "--jsn"],
            "error: unexpected argument '--jsn' found\n\
             hint: a similar argument exists: '--json'\n\
             hint: see 'kvgit status --help'\n",
        ),
        (
            &["config", "get"],
            "error: the following required arguments were not provided: <KEY>\n\
             hint: see 'kvgit config get --help'\n",
        ),
        (
            &["bogus"],
            "error: unrecognized subcommand 'bogus'\n\
             hint: see 'kvgit --help'\n",
        ),
        // clap names only the letter '-d'; the user typed '-dash'.
        (
            &["set", "-dash", "v"],
            "error: unexpected argument '-dash' found\n\
             hint: to pass '-dash' as a value, use '-- -dash'\n\
             hint: see 'kvgit set --help'\n",
        ),
    ] {
        let out = env.run(args);
        out.error(2);
        assert_eq!(out.stderr, stderr, "{out}");
    }
    // After `--`, --json is an argument: the error stays text.
    let out = env.run(&["log", "--bogus", "--", "--json"]);
    assert_eq!(out.error(2), "unexpected argument '--bogus' found");
    // What the hint says works.
    env.ok(&["set", "--", "-dash", "v"]);
    assert_eq!(env.stdout(&["get", "--", "-dash"]), "v\n");
    // Nothing else was done.
    assert_eq!(env.staged_keys(), ["-dash"]);
}

#[cfg(unix)]
#[test]
fn a_non_utf8_argument_is_a_one_line_usage_error() {
    use std::os::unix::ffi::OsStringExt;
    let env = TestEnv::new();
    let out = env
        .cmd(&["get"])
        .arg(std::ffi::OsString::from_vec(vec![b'k', 0xff]))
        .run();
    out.error(2);
    assert_eq!(
        out.stderr,
        "error: invalid UTF-8 was detected in one or more arguments\n\
         hint: see 'kvgit get --help'\n"
    );
}

#[test]
fn help_and_version_keep_clap_output() {
    let env = TestEnv::bare();
    for args in [
        &["--help"][..],
        &["-h"],
        &["set", "--help"],
        &["help", "set"],
    ] {
        let out = env.ok(args);
        assert!(out.stdout().contains("Usage: kvgit"), "{out}");
        assert_eq!(out.stderr, "", "{out}");
    }
    assert_eq!(env.stdout(&["--version"]), "kvgit 0.1.0\n");
    assert_eq!(env.stdout(&["-V"]), "kvgit 0.1.0\n");
    // No subcommand: the help, on stderr, exit 2 (as clap does).
    for args in [&[][..], &["config"]] {
        let out = env.run(args);
        out.code(2);
        assert!(out.stdout.is_empty(), "{out}");
        assert!(out.stderr.contains("Usage: kvgit"), "{out}");
        assert!(out.stderr.contains("Commands:"), "{out}");
    }
}

#[test]
fn json_errors_carry_kind_code_and_message() {
    let env = TestEnv::new();
    env.commit_kv("k", "v");
    env.ok(&["branch", "b"]);
    env.ok(&["switch", "-q", "-c", "topic"]);
    env.commit_kv("t", "1");
    env.ok(&["switch", "-q", "main"]);
    for (args, code, kind) in [
        (&["get", ""][..], 2, "invalid_key"),
        (&["get", "k", "--at", "nope"], 2, "unknown_revision"),
        (&["branch", "a b"], 2, "invalid_name"),
        (&["set", "n", "{"], 2, "invalid_value"),
        (
            &[
                "commit",
                "--allow-empty",
                "-m",
                "m",
                "--expect-head",
                "topic",
            ],
            4,
            "stale_head",
        ),
        (&["branch", "b"], 8, "refused"),
        (&["branch", "-d", "topic"], 8, "refused"),
    ] {
        let err = env.json_error(args, code);
        assert_eq!(err["kind"], kind, "{args:?}: {err}");
    }
}

#[test]
fn errors_are_one_line_with_optional_hints() {
    let env = TestEnv::new();
    env.commit_kv("k", "v");
    for (args, code) in [
        (&["set", "", "v"][..], 2),
        (&["set", "k", "x", "--float"], 2),
        (&["get", "k", "--at", "nope"], 2),
        (&["show", "HEAD~9"], 2),
        (
            &[
                "commit",
                "--allow-empty",
                "-m",
                "m",
                "--expect-head",
                "nope",
            ],
            2,
        ),
        (
            &[
                "commit",
                "--allow-empty",
                "-m",
                "m",
                "--expect-head",
                "HEAD~1",
            ],
            2,
        ),
        (&["branch", "main"], 8),
    ] {
        env.run(args).error(code);
    }
}

#[test]
fn color_always_colours_and_never_or_a_pipe_does_not() {
    let env = TestEnv::new();
    env.commit_kv("k", "v");
    env.ok(&["set", "k", "w"]);
    for args in [&["log", "--oneline"][..], &["diff"], &["status"]] {
        let mut always = vec!["--color", "always"];
        always.extend_from_slice(args);
        assert!(env.stdout(&always).contains(ESC), "{args:?} --color always");
        let mut never = vec!["--color", "never"];
        never.extend_from_slice(args);
        assert!(!env.stdout(&never).contains(ESC), "{args:?} --color never");
        // auto, and stdout is a pipe here.
        assert!(!env.stdout(args).contains(ESC), "{args:?} --color auto");
        let out = env.cmd(args).env("NO_COLOR", "1").run();
        out.code(0);
        assert!(!out.stdout().contains(ESC), "{args:?} NO_COLOR");
    }
    // An explicit --color always beats NO_COLOR, as with git, cargo and ripgrep.
    let out = env
        .cmd(&["--color", "always", "log", "--oneline"])
        .env("NO_COLOR", "1")
        .run();
    out.code(0);
    assert!(out.stdout().contains(ESC), "{out}");
    // Machine output is never coloured.
    let out = env.ok(&["--color", "always", "--json", "log"]);
    assert!(!out.stdout().contains(ESC), "{out}");
    out.json();
}

#[test]
fn color_ui_from_config_is_honoured() {
    // SPEC 1: the user config holds the colour setting.
    let env = TestEnv::new();
    env.commit_kv("k", "v");
    env.ok(&["config", "--global", "set", "color.ui", "always"]);
    assert!(
        env.stdout(&["log", "--oneline"]).contains(ESC),
        "color.ui = always colours a pipe"
    );
    assert!(
        !env.stdout(&["--color", "never", "log", "--oneline"])
            .contains(ESC)
    );
    env.ok(&["config", "set", "color.ui", "never"]);
    assert!(
        !env.stdout(&["log", "--oneline"]).contains(ESC),
        "the repository setting wins over the user one"
    );
}

#[test]
fn quiet_prints_only_what_was_asked_for() {
    let env = TestEnv::bare();
    let out = env.ok(&["-q", "init"]);
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out}");
    env.ok(&["set", "k", "v"]);
    let out = env.ok(&["-q", "commit", "-m", "m"]);
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out}");
    let out = env.cmd(&["-q", "batch"]).stdin("set b 1\n").run();
    out.code(0);
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out}");
    for args in [
        &["-q", "branch", "side"][..],
        &["-q", "switch", "side"],
        &["-q", "switch", "main"],
        &["-q", "checkout", "HEAD~1"],
        &["-q", "checkout", "main"],
        &["-q", "tag", "v1"],
        &["-q", "reset", "--hard", "HEAD"],
        &["-q", "reset"],
        &["-q", "branch", "-d", "side"],
    ] {
        let out = env.ok(args);
        assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out}");
    }
    // What was asked for is still printed.
    assert_eq!(env.stdout(&["-q", "get", "k"]), "v\n");
    // A negative answer is only the exit code.
    let out = env.run(&["-q", "get", "nope"]);
    out.code(1);
    assert!(out.stdout.is_empty() && out.stderr.is_empty(), "{out}");
    let out = env.run(&["-q", "rm", "nope"]);
    out.code(1);
    assert!(out.stderr.is_empty(), "{out}");
    let out = env.run(&["-q", "commit", "-m", "nothing"]);
    out.code(1);
    assert!(out.stderr.is_empty(), "{out}");
    // Errors are still reported.
    env.run(&["-q", "get", ""]).error(2);
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    // `kvgit ls | head -1`: once the reader is gone, kvgit stops with exit 0
    // and says nothing, in text and in JSON. The output is larger than a pipe
    // buffer, so the write fails even if it started before the reader left.
    let env = TestEnv::new();
    let lines: String = (0..1000)
        .map(|i| format!("set k/{i:04} {}\n", "v".repeat(100)))
        .collect();
    env.batch(&lines);
    for args in [
        &["ls"][..],
        &["--json", "ls"],
        &["export"],
        &["show", "HEAD"],
    ] {
        let out = env.cmd(args).close_stdout().run();
        out.code(0);
        assert_eq!(out.stderr, "", "{out}");
    }
}
