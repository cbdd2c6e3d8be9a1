//! The harness shared by the end-to-end test binaries: a repository in a
//! temporary directory and the real `kvgit` binary run in a cleared
//! environment, with a pinned author and a clock that advances one second
//! per command.

#![allow(dead_code)]

use serde_json::Value as Json;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn json(&self) -> Json {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}): {}\nstderr: {}",
                self.stdout, self.stderr
            )
        })
    }
}

pub struct Env {
    pub dir: tempfile::TempDir,
    clock: std::sync::atomic::AtomicU64,
}

impl Env {
    pub fn new() -> Env {
        let env = Env {
            dir: tempfile::tempdir().expect("tempdir"),
            clock: std::sync::atomic::AtomicU64::new(1_700_000_000),
        };
        env.ok(&["init"]);
        env
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn cmd(&self, args: &[&str]) -> Command {
        let now = self
            .clock
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        let mut c = Command::new(env!("CARGO_BIN_EXE_kvgit"));
        c.args(args)
            .current_dir(self.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join(".config"))
            .env("KVGIT_AUTHOR_NAME", "tester")
            .env("KVGIT_AUTHOR_DATE", now.to_string());
        c
    }

    pub fn run_with(&self, args: &[&str], stdin: &str) -> Out {
        self.run_with_env(args, stdin, &[])
    }

    /// Runs with `stdin` and extra environment variables.
    pub fn run_with_env(&self, args: &[&str], stdin: &str, vars: &[(&str, &Path)]) -> Out {
        let mut cmd = self.cmd(args);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kvgit runs");
        child
            .stdin
            .take()
            .expect("piped")
            .write_all(stdin.as_bytes())
            .expect("stdin");
        let o = child.wait_with_output().expect("kvgit finishes");
        let out = Out {
            code: o.status.code().expect("exited"),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        out
    }

    pub fn run(&self, args: &[&str]) -> Out {
        self.run_with(args, "")
    }

    pub fn ok(&self, args: &[&str]) -> Out {
        let out = self.run(args);
        assert_eq!(
            out.code, 0,
            "{args:?}\nstdout: {}\nstderr: {}",
            out.stdout, out.stderr
        );
        out
    }

    pub fn batch(&self, lines: &str) {
        let out = self.run_with(&["batch", "-m", "b"], lines);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }

    pub fn get(&self, key: &str) -> String {
        self.ok(&["get", key]).stdout.trim_end().to_string()
    }
}
