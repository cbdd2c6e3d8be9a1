//! Real processes at once, started from threads. No sleeps: each thread runs
//! its commands back to back and the assertions are on the final state.

use crate::common::{TestEnv, field};
use std::collections::BTreeSet;

#[test]
fn concurrent_batch_increments_lose_nothing() {
    const WRITERS: usize = 8;
    const EACH: usize = 50;
    let env = TestEnv::new();
    let readings = std::thread::scope(|s| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                s.spawn(|| {
                    for _ in 0..EACH {
                        let out = env.cmd(&["-q", "batch"]).stdin("incr hits 1\n").run();
                        out.code(0);
                    }
                })
            })
            .collect();
        // A reader alongside: never fails, and sees the count only grow.
        let reader = s.spawn(|| {
            let mut seen = Vec::new();
            for _ in 0..40 {
                let out = env.run(&["get", "hits"]);
                match out.code {
                    0 => seen.push(out.stdout().trim().parse::<u64>().expect("a count")),
                    1 => seen.push(0),
                    _ => panic!("a reader failed during writes\n{out}"),
                }
            }
            seen
        });
        for w in writers {
            w.join().expect("a writer thread panicked");
        }
        reader.join().expect("the reader thread panicked")
    });
    assert!(
        readings.windows(2).all(|w| w[0] <= w[1]),
        "reads went backwards: {readings:?}"
    );
    let total = WRITERS * EACH;
    assert_eq!(env.get("hits"), format!("{total}\n"));
    assert_eq!(
        env.stdout(&["log", "--oneline"]).lines().count(),
        total,
        "one commit per batch"
    );
    // Every commit is on one line of history.
    let log = env.json(&["log"]);
    for entry in log.as_array().expect("a list").iter().take(total - 1) {
        assert_eq!(
            entry["parents"].as_array().map(Vec::len),
            Some(1),
            "{entry}"
        );
    }
}

#[test]
fn concurrent_set_and_commit_of_distinct_keys_lose_nothing() {
    // The staging area belongs to the repository, so one process's commit may
    // carry keys another process staged a moment before; that process's
    // commit then finds nothing to commit (exit 1). Distinct keys never
    // conflict (no exit 3), and every key ends up committed.
    const PROCESSES: usize = 4;
    const EACH: usize = 12;
    let env = TestEnv::new();
    let committed = std::thread::scope(|s| {
        let handles: Vec<_> = (0..PROCESSES)
            .map(|p| {
                let env = &env;
                s.spawn(move || {
                    let mut commits = 0;
                    for i in 0..EACH {
                        let key = format!("p{p}/k{i:02}");
                        env.ok(&["set", &key, &format!("{p}-{i}")]);
                        let out = env.run(&["commit", "-m", &key]);
                        match out.code {
                            0 => commits += 1,
                            1 => assert!(out.stderr.contains("nothing to commit"), "{out}"),
                            _ => panic!("distinct keys must commit\n{out}"),
                        }
                    }
                    commits
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a thread panicked"))
            .sum::<usize>()
    });
    let expected: BTreeSet<String> = (0..PROCESSES)
        .flat_map(|p| (0..EACH).map(move |i| format!("p{p}/k{i:02}")))
        .collect();
    let at_head: BTreeSet<String> = field(&env.json(&["ls", "--at", "HEAD"]), "key")
        .into_iter()
        .collect();
    assert_eq!(at_head, expected, "every key was committed");
    for p in 0..PROCESSES {
        for i in 0..EACH {
            assert_eq!(
                env.stdout(&["get", "--committed", &format!("p{p}/k{i:02}")]),
                format!("{p}-{i}\n")
            );
        }
    }
    assert_eq!(
        env.staged_keys(),
        Vec::<String>::new(),
        "nothing left staged"
    );
    assert_eq!(
        env.log_len(),
        committed,
        "every successful commit is in the log"
    );
}
