//! Crash consistency and concurrency stress, with real processes.
//!
//! `KVGIT_CRASH_ITERATIONS` (default 24) sets how many writers are killed;
//! `KVGIT_STRESS_SCALE` (default 1) multiplies the stress test's processes
//! and commands (4 gives 16 processes x 100 commands). `.ci/run` runs both
//! at a larger size.

mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};
use support::Env;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator, so a failing run can be repeated.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// The repository as a user sees it: HEAD and every key with its value.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot {
    head: String,
    parents: Vec<String>,
    keys: BTreeMap<String, String>,
}

fn snapshot(env: &Env) -> Snapshot {
    let log = env.ok(&["log", "-n", "1", "--json"]).json();
    let export = env.ok(&["export"]).stdout;
    let keys = export
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("jsonl");
            (v["key"].as_str().expect("key").to_string(), l.to_string())
        })
        .collect();
    Snapshot {
        head: log[0]["id"].as_str().unwrap_or("").to_string(),
        parents: log[0]["parents"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| p.as_str().expect("id").to_string())
                    .collect()
            })
            .unwrap_or_default(),
        keys,
    }
}

/// Starts a command, kills it with SIGKILL after `delay` (if it is still
/// running), and reports whether it finished on its own.
fn run_and_kill(env: &Env, args: &[&str], input: &str, delay: Duration) -> bool {
    let mut child = env
        .cmd(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kvgit starts");
    let mut stdin = child.stdin.take().expect("piped");
    // Feed stdin from a thread: the kill may come while it is still writing.
    let data = input.as_bytes().to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let deadline = Instant::now() + delay;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let _ = feeder.join();
            let mut err = String::new();
            let _ =
                std::io::Read::read_to_string(&mut child.stderr.take().expect("piped"), &mut err);
            assert!(!err.contains("panicked"), "{err}");
            assert!(status.success(), "{args:?} failed on its own: {err}");
            return true;
        }
        if Instant::now() >= deadline {
            child.kill().expect("kill");
            child.wait().expect("reaped");
            let _ = feeder.join();
            return false;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// Keys a command sets, with the export line each should then have.
type Changes = Vec<(String, String)>;

fn batch_lines(round: u64, n: usize) -> (String, Changes) {
    let mut text = String::new();
    let mut expect = Vec::new();
    for i in 0..n {
        let key = format!("k/{:05}", (i * 7 + round as usize) % 3000);
        let value = format!("round{round}-{i}");
        text.push_str(&format!("set {key} {value}\n"));
        expect.push((
            key.clone(),
            format!(r#"{{"key":"{key}","type":"string","value":"{value}"}}"#),
        ));
    }
    (text, expect)
}

/// The first key on which two states differ, for a short failure message.
fn difference(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> String {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .find(|k| a.get(*k) != b.get(*k))
        .map_or("none".into(), |k| {
            format!("{k}: {:?} vs {:?}", a.get(k), b.get(k))
        })
}

/// Lines setting 200 keys `m/...` to `value`, and the export lines that result.
fn merge_lines(value: &str) -> (String, Changes) {
    let keys: Vec<String> = (0..200).map(|i| format!("m/{i:03}")).collect();
    let text = keys.iter().map(|k| format!("set {k} {value}\n")).collect();
    let expect = keys
        .iter()
        .map(|k| {
            (
                k.clone(),
                format!(r#"{{"key":"{k}","type":"string","value":"{value}"}}"#),
            )
        })
        .collect();
    (text, expect)
}

#[test]
fn killed_writers_leave_the_repository_before_or_after() {
    let iterations = env_number("KVGIT_CRASH_ITERATIONS", 24);
    let env = Env::new();
    env.batch(&batch_lines(0, 3000).0);
    // How long one big batch takes here: kills are spread over that time.
    let started = Instant::now();
    env.batch(&batch_lines(1, 2000).0);
    let span = started.elapsed().as_micros() as u64 + 1;
    let mut rng = Lcg(0x006b_7667_6974);
    let (mut killed, mut finished) = (0, 0);
    for round in 2..2 + iterations {
        let delay = Duration::from_micros(rng.next() % (span * 5 / 4));
        let kind = round % 6;
        let (args, input, expect): (Vec<&str>, String, Option<Changes>) = match kind {
            0 | 1 => {
                let (text, expect) = batch_lines(round, 2000);
                (vec!["batch", "-m", "crash test"], text, Some(expect))
            }
            2 => {
                let (_, expect) = batch_lines(round, 1500);
                let text: String = expect.iter().map(|(_, l)| format!("{l}\n")).collect();
                (
                    vec!["import", "-", "-m", "crash import"],
                    text,
                    Some(expect),
                )
            }
            3 => (
                vec!["gc", "--prune-older-than", "now", "--expire-reflog", "now"],
                String::new(),
                None,
            ),
            4 => {
                // Staged changes, then the commit is killed. A commit killed
                // in an earlier round left its changes staged: drop them.
                env.ok(&["reset"]);
                let mut expect = Vec::new();
                for i in 0..3 {
                    let (key, value) = (format!("c/{round}-{i}"), format!("staged{round}"));
                    env.ok(&["set", &key, &value]);
                    expect.push((
                        key.clone(),
                        format!(r#"{{"key":"{key}","type":"string","value":"{value}"}}"#),
                    ));
                }
                (
                    vec!["commit", "-m", "crash commit"],
                    String::new(),
                    Some(expect),
                )
            }
            _ => {
                // A merge whose 200 conflicts are all resolved as theirs; then
                // merge --continue is killed.
                let side = format!("x{round}");
                env.ok(&["branch", &side]);
                let (theirs, expect) = merge_lines(&format!("theirs{round}"));
                let out = env.run_with(&["batch", "--branch", &side], &theirs);
                assert_eq!(out.code, 0, "{}", out.stderr);
                env.batch(&merge_lines(&format!("ours{round}")).0);
                assert_eq!(env.run(&["merge", &side]).code, 3);
                env.ok(&["resolve", "--all", "--theirs"]);
                (vec!["merge", "--continue"], String::new(), Some(expect))
            }
        };
        // What a user sees just before the command (the merge's preparation
        // made commits of its own).
        let before = snapshot(&env);
        let done = run_and_kill(&env, &args, &input, delay);
        if done {
            finished += 1;
        } else {
            killed += 1;
        }
        // Whatever happened: the repository opens, fsck is clean, and the
        // state is the one before the command or the one after it.
        let out = env.run(&["fsck", "--json"]);
        assert_eq!(
            out.code, 0,
            "round {round} ({args:?}, killed={}): {}{}",
            !done, out.stdout, out.stderr
        );
        let after = snapshot(&env);
        match expect {
            None => assert!(
                after == before,
                "round {round}: gc changed what a user sees: {}",
                difference(&after.keys, &before.keys)
            ),
            Some(changes) if after.head != before.head => {
                assert_eq!(after.parents[0], before.head, "round {round}");
                let mut want = before.keys.clone();
                for (k, line) in changes {
                    want.insert(k, line);
                }
                assert!(
                    after.keys == want,
                    "round {round}: a partial commit: {}",
                    difference(&after.keys, &want)
                );
            }
            Some(_) => {
                assert!(!done, "round {round}: a finished command left no commit");
                assert!(
                    after.keys == before.keys,
                    "round {round}: changed without a commit: {}",
                    difference(&after.keys, &before.keys)
                );
            }
        }
        if kind == 5 && after.head == before.head {
            // The killed merge --continue left the merge in progress, intact:
            // finishing it still works (and frees the repository for the
            // next rounds).
            env.ok(&["merge", "--continue"]);
        }
    }
    eprintln!(
        "crash test: {iterations} rounds, {killed} killed mid-command, {finished} finished first"
    );
    assert!(
        killed > 0,
        "no kill landed inside a command; the timing calibration is off"
    );
}

#[test]
fn concurrent_mixed_writers_lose_nothing() {
    let scale = env_number("KVGIT_STRESS_SCALE", 1) as usize;
    let (processes, commands) = (4 * scale, 25 * scale);
    let env = Env::new();
    env.ok(&["config", "rule", "add", "hits", "--merge", "counter"]);
    env.batch("set hits 0 int\n");
    env.ok(&["branch", "side"]);
    let acknowledged = std::sync::Mutex::new(Vec::<(String, String)>::new());
    let (main_incr, side_incr) = (
        std::sync::atomic::AtomicU64::new(0),
        std::sync::atomic::AtomicU64::new(0),
    );
    std::thread::scope(|s| {
        for p in 0..processes {
            let (env, acknowledged, main_incr, side_incr) =
                (&env, &acknowledged, &main_incr, &side_incr);
            s.spawn(move || {
                for c in 0..commands {
                    let (args, input): (Vec<String>, String) = match (p + c) % 6 {
                        0 | 1 => (
                            vec!["batch".into(), "--json".into()],
                            "incr hits 1\n".into(),
                        ),
                        2 => (
                            vec!["batch".into(), "--json".into()],
                            // Sets a new key; removing a key that was never set is a no-op.
                            format!("set p{p}/k{c} v{c}\nrm p{p}/k{}\n", c + 100_000 - 3),
                        ),
                        3 => (
                            vec![
                                "batch".into(),
                                "--branch".into(),
                                "side".into(),
                                "--json".into(),
                            ],
                            "incr hits 1\n".into(),
                        ),
                        4 => (
                            vec!["merge".into(), "side".into(), "--json".into()],
                            String::new(),
                        ),
                        _ => {
                            if c % 12 == 5 {
                                (
                                    vec![
                                        "gc".into(),
                                        "--prune-older-than".into(),
                                        "now".into(),
                                        "--json".into(),
                                    ],
                                    String::new(),
                                )
                            } else {
                                (vec!["branch".into(), format!("t{p}-{c}")], String::new())
                            }
                        }
                    };
                    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
                    let out = env.run_with(&argv, &input);
                    assert_eq!(out.code, 0, "{argv:?}: {}", out.stderr);
                    let doc = if argv.contains(&"--json") {
                        Some(out.json())
                    } else {
                        None
                    };
                    match (p + c) % 6 {
                        0 | 1 => {
                            main_incr.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                        3 => {
                            side_incr.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                        _ => {}
                    }
                    if let Some(doc) = doc {
                        let branch = if argv.contains(&"side") && argv[0] == "batch" {
                            "side"
                        } else {
                            "main"
                        };
                        for field in ["id", "commit"] {
                            if let Some(id) = doc[field].as_str() {
                                acknowledged
                                    .lock()
                                    .expect("lock")
                                    .push((branch.to_string(), id.to_string()));
                            }
                        }
                    }
                }
            });
        }
    });
    // Bring the last side increments into main, then check every count.
    env.ok(&["merge", "side"]);
    let main_n = main_incr.load(std::sync::atomic::Ordering::SeqCst);
    let side_n = side_incr.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        env.get("hits"),
        (main_n + side_n).to_string(),
        "counters exact"
    );
    let ids = |rev: &str| -> std::collections::HashSet<String> {
        env.ok(&["log", rev, "--json"])
            .json()
            .as_array()
            .expect("list")
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_string())
            .collect()
    };
    let (on_main, on_side) = (ids("main"), ids("side"));
    let acknowledged = acknowledged.into_inner().expect("lock");
    for (branch, id) in &acknowledged {
        let reachable = if branch == "side" {
            on_side.contains(id)
        } else {
            on_main.contains(id)
        };
        assert!(reachable, "acknowledged commit {id} is not on {branch}");
    }
    assert_eq!(env.ok(&["fsck", "--json"]).json()["ok"], true);
    eprintln!(
        "stress: {processes} processes x {commands} commands, {} acknowledged commits, {main_n}+{side_n} increments",
        acknowledged.len()
    );
}
