//! The test environment: a temporary directory holding a repository, a home
//! and a config directory; the real `kvgit` binary run in a cleared
//! environment with a pinned author and a clock that advances one second per
//! command (so ids are reproducible); stdout, stderr and the exit code
//! returned together.
//!
//! Every run checks the one property that holds for every command: nothing a
//! user can cause ends in a panic or a backtrace.

use serde_json::Value;
use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use tempfile::TempDir;

/// The first pinned commit time: 2023-11-14 22:13:20 UTC.
pub const EPOCH: i64 = 1_700_000_000;

pub struct TestEnv {
    root: TempDir,
    /// Seconds past `EPOCH` for the next command.
    clock: AtomicI64,
}

impl TestEnv {
    /// An environment with an initialised repository in `repo/`.
    pub fn new() -> TestEnv {
        let env = TestEnv::bare();
        env.ok(&["init", "-q"]);
        env
    }

    /// An environment with an empty `repo/` directory and no repository.
    pub fn bare() -> TestEnv {
        let root = tempfile::Builder::new()
            .prefix("kvgit-e2e-")
            .tempdir()
            .expect("a temporary directory");
        for dir in ["repo", "home", "xdg"] {
            std::fs::create_dir(root.path().join(dir)).expect("create a test directory");
        }
        TestEnv {
            root,
            clock: AtomicI64::new(0),
        }
    }

    /// The temporary directory that holds everything.
    pub fn root(&self) -> &Path {
        self.root.path()
    }

    /// The directory commands run in by default.
    pub fn repo(&self) -> PathBuf {
        self.root().join("repo")
    }

    /// The repository's `.kvgit` directory.
    pub fn kvdir(&self) -> PathBuf {
        self.repo().join(".kvgit")
    }

    /// The redb file.
    pub fn db(&self) -> PathBuf {
        self.kvdir().join("kvgit.redb")
    }

    /// The redb file opened as kvgit opens it for writing, to damage or
    /// inspect it underneath kvgit.
    pub fn open_db(&self) -> redb::Database {
        let mut builder = redb::Builder::new();
        builder.set_concurrency_mode(redb::ConcurrencyMode::MultiWriter);
        builder
            .open(self.db())
            .expect("open the repository's redb file")
    }

    /// `$XDG_CONFIG_HOME` of the commands.
    pub fn xdg(&self) -> PathBuf {
        self.root().join("xdg")
    }

    /// `$HOME` of the commands.
    pub fn home(&self) -> PathBuf {
        self.root().join("home")
    }

    /// A command to adjust before running it.
    pub fn cmd(&self, args: &[&str]) -> Cmd<'_> {
        Cmd {
            env: self,
            args: args.iter().map(|a| OsString::from(*a)).collect(),
            cwd: self.repo(),
            stdin: Vec::new(),
            vars: Vec::new(),
            removed: Vec::new(),
            close_stdout: false,
        }
    }

    /// Runs a command; any exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).run()
    }

    /// Runs a command that must succeed.
    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        out.code(0);
        out
    }

    /// Runs a command that must succeed and returns its stdout.
    pub fn stdout(&self, args: &[&str]) -> String {
        self.ok(args).stdout()
    }

    /// Runs a command with `--json` that must succeed; returns the document.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.ok(&all).json()
    }

    /// Runs a command with `--json` that must exit with `code`; returns the
    /// document on stdout (for the negative answers, exit 1 and 3).
    pub fn json_code(&self, args: &[&str], code: i32) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        out.code(code);
        out.json()
    }

    /// Runs a failing command with `--json`: stdout must be empty and stderr
    /// the error document with `code`. Returns the `error` object.
    pub fn json_error(&self, args: &[&str], code: i32) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.run(&all).json_error(code)
    }

    /// Runs `batch` with `input` on stdin; must succeed.
    pub fn batch(&self, input: &str) -> Output {
        let out = self.cmd(&["batch"]).stdin(input).run();
        out.code(0);
        out
    }

    /// Stages `key = value` (a string) and commits; returns the commit id.
    pub fn commit_kv(&self, key: &str, value: &str) -> String {
        self.ok(&["set", key, value]);
        self.commit(&format!("set {key}"))
    }

    /// Commits what is staged; returns the new commit id.
    pub fn commit(&self, message: &str) -> String {
        let doc = self.json(&["commit", "-m", message]);
        assert_eq!(doc["committed"], true, "{doc}");
        doc["id"].as_str().expect("a commit id").to_string()
    }

    /// The full id a revision resolves to.
    pub fn rev(&self, rev: &str) -> String {
        let doc = self.json(&["show", rev]);
        doc["commit"]["id"]
            .as_str()
            .expect("show --json has commit.id")
            .to_string()
    }

    /// The value of a key as `get` prints it (stdout, newline included).
    pub fn get(&self, key: &str) -> String {
        self.stdout(&["get", key])
    }

    /// The number of commits reachable from HEAD.
    pub fn log_len(&self) -> usize {
        self.json(&["log"]).as_array().expect("log is a list").len()
    }

    /// The keys currently staged, from `status --json`.
    pub fn staged_keys(&self) -> Vec<String> {
        let doc = self.json(&["status"]);
        doc["staged"]
            .as_array()
            .expect("status has a staged list")
            .iter()
            .map(|c| c["key"].as_str().expect("a staged key").to_string())
            .collect()
    }
}

/// A command being prepared.
pub struct Cmd<'a> {
    env: &'a TestEnv,
    args: Vec<OsString>,
    cwd: PathBuf,
    stdin: Vec<u8>,
    vars: Vec<(String, OsString)>,
    removed: Vec<String>,
    close_stdout: bool,
}

impl Cmd<'_> {
    /// Appends an argument that need not be UTF-8.
    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }

    /// Runs in `dir` instead of the repository directory.
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Self {
        self.cwd = dir.as_ref().to_path_buf();
        self
    }

    /// Feeds these bytes on stdin.
    pub fn stdin(mut self, input: impl AsRef<[u8]>) -> Self {
        self.stdin = input.as_ref().to_vec();
        self
    }

    /// Sets an environment variable (after the defaults).
    pub fn env(mut self, key: &str, value: impl Into<OsString>) -> Self {
        self.vars.push((key.to_string(), value.into()));
        self
    }

    /// Leaves a default environment variable out.
    pub fn env_remove(mut self, key: &str) -> Self {
        self.removed.push(key.to_string());
        self
    }

    /// Closes the reading end of stdout as soon as the command starts, as
    /// `kvgit ... | head -1` does once it has its line: from then on every
    /// write fails with a broken pipe.
    pub fn close_stdout(mut self) -> Self {
        self.close_stdout = true;
        self
    }

    pub fn run(self) -> Output {
        let tick = self.env.clock.fetch_add(1, Ordering::SeqCst);
        let time = EPOCH + tick;
        let mut vars: Vec<(String, OsString)> = vec![
            ("HOME".into(), self.env.home().into()),
            ("XDG_CONFIG_HOME".into(), self.env.xdg().into()),
            (
                "PATH".into(),
                std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
            ),
            ("KVGIT_AUTHOR_NAME".into(), "tester".into()),
            ("KVGIT_AUTHOR_DATE".into(), time.to_string().into()),
        ];
        vars.retain(|(k, _)| !self.removed.contains(k));
        vars.extend(self.vars);
        let mut child = Command::new(env!("CARGO_BIN_EXE_kvgit"))
            .args(&self.args)
            .current_dir(&self.cwd)
            .env_clear()
            .envs(vars.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the kvgit binary");
        if self.close_stdout {
            drop(child.stdout.take());
        }
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let input = self.stdin;
        // A writer thread, so a command that does not read its stdin cannot
        // deadlock against a full pipe.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().expect("wait for kvgit");
        writer.join().expect("the stdin writer does not panic");
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let output = Output {
            args,
            code: out.status.code().unwrap_or_else(|| {
                panic!(
                    "kvgit {:?} was killed by a signal: {}\nstderr: {}",
                    self.args,
                    out.status,
                    String::from_utf8_lossy(&out.stderr)
                )
            }),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            time,
        };
        output.assert_no_panic();
        output
    }
}

/// What a command did.
pub struct Output {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
    /// The pinned `KVGIT_AUTHOR_DATE` it ran with.
    pub time: i64,
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "kvgit {}\n--- exit {}\n--- stdout\n{}--- stderr\n{}---",
            self.args.join(" "),
            self.code,
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        )
    }
}

impl Output {
    pub fn stdout(&self) -> String {
        String::from_utf8(self.stdout.clone()).unwrap_or_else(|_| panic!("stdout is UTF-8\n{self}"))
    }

    /// Asserts the exit code.
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(self.code, expected, "unexpected exit code\n{self}");
        self
    }

    /// Parses stdout as exactly one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e})\n{self}"))
    }

    fn assert_no_panic(&self) {
        for bad in [
            "panicked",
            "RUST_BACKTRACE",
            "stack backtrace",
            "internal error",
        ] {
            assert!(
                !self.stderr.contains(bad),
                "stderr mentions '{bad}'\n{self}"
            );
        }
    }

    /// Asserts a failure with `code` reported the human way: nothing on
    /// stdout, one `error: ` line on stderr, then only `hint: ` lines.
    /// Returns the error line without its `error: ` prefix.
    pub fn error(&self, code: i32) -> String {
        self.code(code);
        assert!(
            self.stdout.is_empty(),
            "an error prints nothing on stdout\n{self}"
        );
        let mut lines = self.stderr.lines();
        let first = lines.next().unwrap_or_default();
        let message = first
            .strip_prefix("error: ")
            .unwrap_or_else(|| panic!("stderr starts with 'error: '\n{self}"));
        assert!(
            !message.trim().is_empty(),
            "the error says something\n{self}"
        );
        for line in lines {
            assert!(
                line.starts_with("hint: "),
                "after the error line only 'hint: ' lines follow, not {line:?}\n{self}"
            );
        }
        message.to_string()
    }

    /// Asserts a `--json` failure with `code`: stdout empty, stderr exactly
    /// `{"error":{"kind":..,"code":N,"message":..}}`. Returns the `error` object.
    pub fn json_error(&self, code: i32) -> Value {
        self.code(code);
        assert!(
            self.stdout.is_empty(),
            "stdout is empty on a --json error\n{self}"
        );
        let doc: Value = serde_json::from_str(self.stderr.trim())
            .unwrap_or_else(|e| panic!("stderr is one JSON document ({e})\n{self}"));
        let err = &doc["error"];
        assert_eq!(
            err["code"], code,
            "error.code matches the exit code\n{self}"
        );
        assert!(
            err["kind"].as_str().is_some_and(|k| !k.is_empty()),
            "error.kind is a name\n{self}"
        );
        assert!(
            err["message"].as_str().is_some_and(|m| !m.is_empty()),
            "error.message is text\n{self}"
        );
        assert_eq!(
            doc.as_object().map(|o| o.len()),
            Some(1),
            "the document holds only 'error'\n{self}"
        );
        err.clone()
    }
}

/// Each element's `field` in a JSON list, as text (strings unquoted).
pub fn field(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|v| match &v[field] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}
