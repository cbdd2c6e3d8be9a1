//! Merge scenarios through the library: the seed's counter example,
//! fast-forwards, criss-cross histories, the laws (merging into itself or an
//! ancestor changes nothing; symmetric strategies do not depend on the
//! direction), the conflict flow, and commit's automatic merge.

use kvgit::merge::{Strategy, StrategyFlags};
use kvgit::object::{Id, Value};
use kvgit::ops::{Number, Op};
use kvgit::repo::{
    Access, Choice, CommitOptions, CommitOutcome, MergeOptions, MergeOutcome, OpenOptions, Repo,
    Signature,
};
use proptest::prelude::{Just, ProptestConfig, prop, prop_assert_eq, prop_oneof, proptest};
use proptest::strategy::Strategy as _;
use std::collections::BTreeMap;
use std::time::Duration;

struct Env {
    _dir: tempfile::TempDir,
    repo: Repo,
    clock: std::cell::Cell<i64>,
}

impl Env {
    fn new() -> Env {
        Env::with_config("")
    }

    fn with_config(config: &str) -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        Repo::init(dir.path(), "main", Duration::from_secs(5), 0).expect("init");
        std::fs::write(dir.path().join(".kvgit/config.toml"), config).expect("config");
        let repo = Repo::open(
            &dir.path().join(".kvgit"),
            &OpenOptions {
                access: Access::Write,
                lock_timeout: Duration::from_secs(5),
                user_config: None,
                now: 0,
            },
        )
        .expect("open");
        Env {
            _dir: dir,
            repo,
            clock: std::cell::Cell::new(1_700_000_000),
        }
    }

    fn sig(&self) -> Signature {
        self.clock.set(self.clock.get() + 1);
        Signature {
            author: "test".into(),
            time: self.clock.get(),
        }
    }

    fn commit(&self, pairs: &[(&str, Option<Value>)]) -> Id {
        let ops = pairs
            .iter()
            .map(|(k, v)| match v {
                Some(v) => Op::Set {
                    key: k.to_string(),
                    value: v.clone(),
                },
                None => Op::Remove { key: k.to_string() },
            })
            .collect();
        let opts = CommitOptions {
            message: "c".into(),
            signature: self.sig(),
            allow_empty: true,
            meta: BTreeMap::new(),
            expect_head: None,
        };
        match self.repo.batch(ops, &opts).expect("batch") {
            CommitOutcome::Committed { id, .. } => id,
            other => panic!("{other:?}"),
        }
    }

    fn switch(&self, name: &str) {
        self.repo
            .switch(name, None, false, &self.sig())
            .expect("switch");
    }

    fn branch(&self, name: &str) {
        self.repo
            .create_branch(name, None, &self.sig())
            .expect("branch");
    }

    fn merge(&self, rev: &str, flags: StrategyFlags) -> kvgit::repo::MergeReport {
        let opts = MergeOptions {
            rev: rev.into(),
            flags,
            ..MergeOptions::default()
        };
        self.repo.merge(&opts, &self.sig()).expect("merge")
    }

    fn get(&self, key: &str) -> Option<Value> {
        self.repo.get(key, None, false).expect("get")
    }

    fn head(&self) -> Id {
        self.repo.head().expect("head").1.expect("a commit")
    }
}

fn int(i: i64) -> Option<Value> {
    Some(Value::Int(i))
}

fn counter_flags(glob: &str) -> StrategyFlags {
    let mut f = StrategyFlags::default();
    f.add(&format!("{glob}=counter")).expect("valid flag");
    f
}

#[test]
fn seed_example_counter_merge_gives_135() {
    let env = Env::new();
    env.commit(&[("hits", int(100))]);
    env.branch("feature");
    env.commit(&[("hits", int(115))]);
    env.switch("feature");
    env.commit(&[("hits", int(120))]);
    env.switch("main");
    let report = env.merge("feature", counter_flags("hits"));
    assert!(
        matches!(report.outcome, MergeOutcome::Committed(_)),
        "{:?}",
        report.outcome
    );
    assert_eq!(env.get("hits"), int(135));
    let head = env.repo.commit_info(&env.head()).expect("commit");
    assert_eq!(head.parents.len(), 2);
}

#[test]
fn counter_rule_from_config_applies_without_flags() {
    let env =
        Env::with_config("[[rule]]\nkeys = \"counters/**\"\ntype = \"int\"\nmerge = \"counter\"\n");
    env.commit(&[("counters/a/hits", int(10))]);
    env.branch("b");
    env.commit(&[("counters/a/hits", int(11))]);
    env.switch("b");
    env.commit(&[("counters/a/hits", int(13))]);
    env.switch("main");
    env.merge("b", StrategyFlags::default());
    assert_eq!(env.get("counters/a/hits"), int(14));
    // The rule's type is enforced when staging.
    let err = env
        .repo
        .stage(vec![Op::Set {
            key: "counters/x".into(),
            value: Value::String("abc".into()),
        }])
        .expect_err("type rule");
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn fast_forward_up_to_date_and_no_ff() {
    let env = Env::new();
    env.commit(&[("a", int(1))]);
    env.branch("b");
    env.switch("b");
    let tip = env.commit(&[("a", int(2))]);
    env.switch("main");
    let r = env.merge("b", StrategyFlags::default());
    assert!(matches!(r.outcome, MergeOutcome::FastForward { to, .. } if to == tip));
    assert_eq!(env.head(), tip);
    // Merging it again, or an ancestor, changes nothing.
    assert_eq!(
        env.merge("b", StrategyFlags::default()).outcome,
        MergeOutcome::UpToDate
    );
    assert_eq!(
        env.merge("HEAD~1", StrategyFlags::default()).outcome,
        MergeOutcome::UpToDate
    );
    assert_eq!(
        env.merge("main", StrategyFlags::default()).outcome,
        MergeOutcome::UpToDate
    );
    assert_eq!(env.head(), tip);

    let env = Env::new();
    env.commit(&[("a", int(1))]);
    env.branch("b");
    env.switch("b");
    env.commit(&[("a", int(2))]);
    env.switch("main");
    let opts = MergeOptions {
        rev: "b".into(),
        no_ff: true,
        ..MergeOptions::default()
    };
    let r = env.repo.merge(&opts, &env.sig()).expect("merge");
    assert!(matches!(r.outcome, MergeOutcome::Committed(_)));
    assert_eq!(
        env.repo.commit_info(&env.head()).expect("c").parents.len(),
        2
    );
    assert_eq!(env.get("a"), int(2));
}

#[test]
fn ff_only_refuses_diverged_histories() {
    let env = Env::new();
    env.commit(&[("a", int(1))]);
    env.branch("b");
    env.commit(&[("x", int(1))]);
    env.switch("b");
    env.commit(&[("y", int(1))]);
    env.switch("main");
    let before = env.head();
    let opts = MergeOptions {
        rev: "b".into(),
        ff_only: true,
        ..MergeOptions::default()
    };
    let err = env.repo.merge(&opts, &env.sig()).expect_err("diverged");
    assert_eq!(err.exit_code(), 8);
    assert_eq!(env.head(), before);
}

#[test]
fn criss_cross_history_uses_a_virtual_base() {
    // base 100; A +5, B +7; each merges the other (criss-cross); then A +1,
    // B +2. The final counter merge must count every increment once: 115.
    let env = Env::new();
    env.commit(&[("hits", int(100))]);
    env.branch("b");
    env.commit(&[("hits", int(105))]);
    let a1 = env.head();
    env.switch("b");
    env.commit(&[("hits", int(107))]);
    let b1 = env.head();
    // A merges B1, B merges A1: two merge commits with the same two parents.
    env.switch("main");
    env.merge(&b1.to_hex(), counter_flags("hits"));
    assert_eq!(env.get("hits"), int(112));
    env.switch("b");
    env.merge(&a1.to_hex(), counter_flags("hits"));
    assert_eq!(env.get("hits"), int(112));
    env.commit(&[("hits", int(114))]);
    env.switch("main");
    env.commit(&[("hits", int(113))]);
    let report = env.merge("b", counter_flags("hits"));
    assert_eq!(
        report.bases.len(),
        2,
        "criss-cross has two best common ancestors"
    );
    assert_eq!(env.get("hits"), int(115));
}

#[test]
fn conflict_flow_resolve_continue_and_abort() {
    let env = Env::new();
    env.commit(&[("a", int(1)), ("b", int(1)), ("c", int(1)), ("d", int(1))]);
    env.branch("other");
    env.commit(&[("a", int(2)), ("b", int(2)), ("c", int(2)), ("d", None)]);
    env.switch("other");
    env.commit(&[
        ("a", int(3)),
        ("b", int(3)),
        ("c", int(3)),
        ("d", int(3)),
        ("e", int(3)),
    ]);
    env.switch("main");
    let head = env.head();
    let r = env.merge("other", StrategyFlags::default());
    assert_eq!(r.outcome, MergeOutcome::Stopped);
    assert_eq!(r.conflicts().count(), 4);
    assert_eq!(env.head(), head, "a stopped merge moves nothing");
    // The merge in progress refuses other work.
    let err = env
        .repo
        .switch("other", None, false, &env.sig())
        .expect_err("merge in progress");
    assert_eq!(err.exit_code(), 8);
    assert_eq!(
        env.repo
            .merge(
                &MergeOptions {
                    rev: "other".into(),
                    ..Default::default()
                },
                &env.sig()
            )
            .expect_err("in progress")
            .exit_code(),
        8
    );
    // --continue refuses while anything is unresolved.
    assert_eq!(
        env.repo
            .merge_continue(&env.sig(), None)
            .expect("continue")
            .expect_err("open")
            .len(),
        4
    );
    env.repo
        .resolve_conflicts(&["a".into()], &Choice::Ours)
        .expect("resolve");
    env.repo
        .resolve_conflicts(&["b".into()], &Choice::Theirs)
        .expect("resolve");
    env.repo
        .resolve_conflicts(&["c".into()], &Choice::Value(Value::Int(42)))
        .expect("resolve");
    let (done, failed) = env
        .repo
        .resolve_conflicts(&["d".into()], &Choice::Strategy(Strategy::Counter))
        .expect("resolve");
    assert_eq!(
        (done.len(), failed.len()),
        (1, 0),
        "counter with a deleted side counts it as 0"
    );
    let id = env
        .repo
        .merge_continue(&env.sig(), None)
        .expect("continue")
        .expect("all resolved");
    assert_eq!(env.head(), id);
    assert_eq!(env.get("a"), int(2));
    assert_eq!(env.get("b"), int(3));
    assert_eq!(env.get("c"), int(42));
    assert_eq!(env.get("d"), int(2));
    assert_eq!(
        env.get("e"),
        int(3),
        "keys changed on one side only are taken"
    );

    // Abort: HEAD and staged changes are as before.
    env.switch("other");
    env.commit(&[("a", int(9))]);
    env.switch("main");
    env.commit(&[("a", int(8))]);
    env.repo
        .stage(vec![Op::Incr {
            key: "z".into(),
            by: Number::Int(1),
        }])
        .expect("stage");
    let before = env.head();
    let r = env.merge("other", StrategyFlags::default());
    assert_eq!(r.outcome, MergeOutcome::Stopped);
    env.repo.merge_abort().expect("abort");
    assert_eq!(env.head(), before);
    assert_eq!(env.get("z"), int(1), "the staged change survives");
    assert!(env.repo.merge_status().expect("status").is_none());
}

#[test]
fn atomic_and_dry_run_write_nothing() {
    let env = Env::new();
    env.commit(&[("a", int(1))]);
    env.branch("o");
    env.commit(&[("a", int(2))]);
    env.switch("o");
    env.commit(&[("a", int(3))]);
    env.switch("main");
    let before = env.head();
    for (dry_run, atomic, outcome) in [
        (true, false, MergeOutcome::DryRun),
        (false, true, MergeOutcome::Abandoned),
    ] {
        let opts = MergeOptions {
            rev: "o".into(),
            dry_run,
            atomic,
            ..Default::default()
        };
        let r = env.repo.merge(&opts, &env.sig()).expect("merge");
        assert_eq!(r.outcome, outcome);
        assert_eq!(r.conflicts().count(), 1);
        assert_eq!(env.head(), before);
        assert!(env.repo.merge_status().expect("status").is_none());
    }
}

#[test]
fn commit_merges_a_moved_head_with_the_keys_strategy() {
    let env = Env::with_config("[[rule]]\nkeys = \"hits\"\nmerge = \"counter\"\n");
    env.commit(&[
        ("hits", int(100)),
        ("name", Some(Value::String("x".into()))),
    ]);
    // This process stages +5; another commits +7 first (batch ignores the stage).
    env.repo
        .stage(vec![Op::Incr {
            key: "hits".into(),
            by: Number::Int(5),
        }])
        .expect("stage");
    env.commit(&[("hits", int(107))]);
    let opts = CommitOptions {
        message: "mine".into(),
        signature: env.sig(),
        allow_empty: false,
        meta: BTreeMap::new(),
        expect_head: None,
    };
    let out = env.repo.commit(&opts).expect("commit");
    assert!(
        matches!(out, CommitOutcome::Committed { merged: true, .. }),
        "{out:?}"
    );
    assert_eq!(env.get("hits"), int(112));

    // Without a strategy, the same situation is a conflict that keeps the stage.
    env.repo
        .stage(vec![Op::Set {
            key: "name".into(),
            value: Value::String("mine".into()),
        }])
        .expect("stage");
    env.commit(&[("name", Some(Value::String("theirs".into())))]);
    let out = env.repo.commit(&opts).expect("commit");
    assert_eq!(out, CommitOutcome::Conflicts(vec!["name".into()]));
    assert_eq!(env.get("name"), Some(Value::String("mine".into())));
}

#[test]
fn lww_takes_the_later_commit_in_either_direction() {
    for into_main in [true, false] {
        let env = Env::new();
        env.commit(&[("k", Some(Value::String("base".into())))]);
        env.branch("b");
        env.commit(&[("k", Some(Value::String("early".into())))]); // main, earlier
        env.switch("b");
        env.commit(&[("k", Some(Value::String("late".into())))]); // b, later
        let flags = StrategyFlags {
            default: Some(Strategy::Lww),
            ..StrategyFlags::default()
        };
        if into_main {
            env.switch("main");
            env.merge("b", flags);
        } else {
            env.merge("main", flags);
        }
        assert_eq!(
            env.get("k"),
            Some(Value::String("late".into())),
            "into_main={into_main}"
        );
    }
}

fn arb_value() -> impl proptest::strategy::Strategy<Value = Option<Value>> {
    prop_oneof![
        1 => Just(None),
        4 => (0i64..20).prop_map(|i| Some(Value::Int(i))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Merging B into A and A into B give the same tree for symmetric
    /// strategies (here max and counter by rule, and union of changes).
    #[test]
    fn merge_direction_does_not_change_the_result(
        base in prop::collection::btree_map(0u8..8, arb_value(), 0..8),
        left in prop::collection::btree_map(0u8..8, arb_value(), 0..6),
        right in prop::collection::btree_map(0u8..8, arb_value(), 0..6),
    ) {
        let build = |into_main: bool| -> (BTreeMap<String, Value>, usize) {
            let env = Env::with_config("[[rule]]\nkeys = \"c*\"\nmerge = \"counter\"\n[[rule]]\nkeys = \"m*\"\nmerge = \"max\"\n");
            let kv = |m: &BTreeMap<u8, Option<Value>>| -> Vec<(String, Option<Value>)> {
                m.iter().map(|(k, v)| (format!("{}{k}", if k % 2 == 0 { "c" } else { "m" }), v.clone())).collect()
            };
            fn pairs(v: &[(String, Option<Value>)]) -> Vec<(&str, Option<Value>)> {
                v.iter().map(|(k, v)| (k.as_str(), v.clone())).collect()
            }
            env.commit(&pairs(&kv(&base)));
            env.branch("b");
            env.commit(&pairs(&kv(&left)));
            env.switch("b");
            env.commit(&pairs(&kv(&right)));
            if into_main {
                env.switch("main");
                env.merge("b", StrategyFlags::default())
            } else {
                env.merge("main", StrategyFlags::default())
            };
            let state: BTreeMap<String, Value> = env.repo.ls("", None).expect("ls").into_iter()
                .map(|l| { let v = env.get(&l.key).expect("listed"); (l.key, v) }).collect();
            let conflicts = env.repo.merge_status().expect("status").map_or(0, |s| s.conflicts.len());
            (state, conflicts)
        };
        let (a, ca) = build(true);
        let (b, cb) = build(false);
        prop_assert_eq!(ca, cb);
        if ca == 0 {
            prop_assert_eq!(a, b);
        }
    }
}

#[test]
fn equal_increments_on_both_sides_both_count_for_a_counter() {
    // Regression: the stress test lost increments when both branches moved
    // a counter by the same amount and the merge took the change once.
    let env = Env::new();
    env.commit(&[("hits", int(100)), ("plain", int(1))]);
    env.branch("b");
    env.commit(&[("hits", int(105)), ("plain", int(2))]);
    env.switch("b");
    env.commit(&[("hits", int(105)), ("plain", int(2))]);
    env.switch("main");
    env.merge("b", counter_flags("hits"));
    assert_eq!(env.get("hits"), int(110));
    assert_eq!(
        env.get("plain"),
        int(2),
        "other keys take an equal change once"
    );
}

#[test]
fn equal_deletions_and_equal_text_under_counter_are_taken_once() {
    let env = Env::new();
    env.commit(&[("gone", int(5)), ("name", Some(Value::String("a".into())))]);
    env.branch("b");
    env.commit(&[("gone", None), ("name", Some(Value::String("x".into())))]);
    env.switch("b");
    env.commit(&[("gone", None), ("name", Some(Value::String("x".into())))]);
    env.switch("main");
    let flags = StrategyFlags {
        default: Some(Strategy::Counter),
        ..StrategyFlags::default()
    };
    let report = env.merge("b", flags);
    assert_eq!(report.conflicts().count(), 0);
    assert_eq!(env.get("gone"), None);
    assert_eq!(env.get("name"), Some(Value::String("x".into())));
}

#[test]
fn resolving_with_lww_uses_the_change_times() {
    let env = Env::new();
    env.commit(&[("k", Some(Value::String("base".into())))]);
    env.branch("b");
    env.commit(&[("k", Some(Value::String("early".into())))]);
    env.switch("b");
    env.commit(&[("k", Some(Value::String("late".into())))]);
    env.switch("main");
    env.merge("b", StrategyFlags::default());
    env.repo
        .resolve_conflicts(&["k".into()], &Choice::Strategy(Strategy::Lww))
        .expect("resolve");
    env.repo
        .merge_continue(&env.sig(), None)
        .expect("continue")
        .expect("resolved");
    assert_eq!(env.get("k"), Some(Value::String("late".into())));
}
