//! Model test of the library's working-state operations: random sequences of
//! set / rm / incr / commit / branch / switch / reset / unstage, checked after
//! every step against a plain in-memory model (a `BTreeMap` per branch plus a
//! staged overlay).

use kvgit::object::Value;
use kvgit::ops::{Number, Op};
use kvgit::repo::{
    CommitOptions, CommitOutcome, OpenOptions, Repo, ResetMode, Signature, StageOutcome,
};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::time::Duration;

type State = BTreeMap<String, Value>;

#[derive(Debug, Clone)]
enum Action {
    Set(u8, i64),
    Rm(u8),
    Incr(u8, i64),
    Commit,
    Branch(u8),
    Switch(u8),
    ResetHardParent,
    Unstage(u8),
    UnstageAll,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        6 => (0u8..12, -5i64..100).prop_map(|(k, v)| Action::Set(k, v)),
        2 => (0u8..12).prop_map(Action::Rm),
        2 => (0u8..12, -3i64..4).prop_map(|(k, v)| Action::Incr(k, v)),
        4 => Just(Action::Commit),
        1 => (0u8..3).prop_map(Action::Branch),
        1 => (0u8..3).prop_map(Action::Switch),
        1 => Just(Action::ResetHardParent),
        1 => (0u8..12).prop_map(Action::Unstage),
        1 => Just(Action::UnstageAll),
    ]
}

fn key(k: u8) -> String {
    // Keys in a few namespaces so prefix listing is exercised.
    format!("ns{}/key{k:02}", k % 3)
}

struct Model {
    /// Committed states of each branch's first-parent history (newest last).
    branches: BTreeMap<String, Vec<State>>,
    current: String,
    staged: BTreeMap<String, Option<Value>>,
}

impl Model {
    fn head(&self) -> State {
        self.branches[&self.current]
            .last()
            .cloned()
            .unwrap_or_default()
    }
    fn working(&self) -> State {
        let mut s = self.head();
        for (k, v) in &self.staged {
            match v {
                Some(v) => s.insert(k.clone(), v.clone()),
                None => s.remove(k),
            };
        }
        s
    }
}

fn sig(n: i64) -> Signature {
    Signature {
        author: "model".into(),
        time: 1_700_000_000 + n,
    }
}

fn run(actions: Vec<Action>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("tempdir");
    Repo::init(dir.path(), "main", Duration::from_secs(5), 0).expect("init");
    let repo = Repo::open(
        &dir.path().join(".kvgit"),
        &OpenOptions {
            writable: true,
            lock_timeout: Duration::from_secs(5),
            user_config: None,
            now: 0,
        },
    )
    .expect("open");
    let mut m = Model {
        branches: BTreeMap::from([("main".to_string(), Vec::new())]),
        current: "main".into(),
        staged: BTreeMap::new(),
    };
    for (step, a) in actions.into_iter().enumerate() {
        let step = step as i64;
        match a {
            Action::Set(k, v) => {
                let out = repo
                    .stage(vec![Op::Set {
                        key: key(k),
                        value: Value::Int(v),
                    }])
                    .expect("set");
                prop_assert!(matches!(out, StageOutcome::Staged(_)));
                m.staged.insert(key(k), Some(Value::Int(v)));
            }
            Action::Rm(k) => {
                let exists = m.working().contains_key(&key(k));
                let out = repo.stage(vec![Op::Remove { key: key(k) }]).expect("rm");
                prop_assert_eq!(matches!(out, StageOutcome::Staged(_)), exists);
                if exists {
                    m.staged.insert(key(k), None);
                }
            }
            Action::Incr(k, by) => {
                let next = match m.working().get(&key(k)) {
                    Some(Value::Int(i)) => i + by,
                    None => by,
                    Some(other) => panic!("model holds only ints, found {other:?}"),
                };
                repo.stage(vec![Op::Incr {
                    key: key(k),
                    by: Number::Int(by),
                }])
                .expect("incr");
                m.staged.insert(key(k), Some(Value::Int(next)));
            }
            Action::Commit => {
                let opts = CommitOptions {
                    message: format!("step {step}"),
                    signature: sig(step),
                    allow_empty: false,
                    meta: BTreeMap::new(),
                    expect_head: None,
                };
                let out = repo.commit(&opts).expect("commit");
                let working = m.working();
                if working == m.head() {
                    prop_assert_eq!(out, CommitOutcome::NothingToCommit);
                } else {
                    prop_assert!(
                        matches!(out, CommitOutcome::Committed { merged: false, .. }),
                        "{:?}",
                        out
                    );
                    m.branches
                        .get_mut(&m.current)
                        .expect("current branch")
                        .push(working);
                }
                m.staged.clear();
            }
            Action::Branch(b) => {
                let name = format!("b{b}");
                let result = repo.create_branch(&name, None, &sig(step));
                let expect_ok =
                    !m.branches.contains_key(&name) && !m.branches[&m.current].is_empty();
                prop_assert_eq!(result.is_ok(), expect_ok, "{:?}", result);
                if expect_ok {
                    let history = m.branches[&m.current].clone();
                    m.branches.insert(name, history);
                }
            }
            Action::Switch(b) => {
                let name = if b == 0 {
                    "main".to_string()
                } else {
                    format!("b{b}")
                };
                let result = repo.switch(&name, None, false, &sig(step));
                let expect_ok =
                    m.staged.is_empty() && m.branches.get(&name).is_some_and(|h| !h.is_empty());
                prop_assert_eq!(result.is_ok(), expect_ok, "{:?}", result);
                if expect_ok {
                    m.current = name;
                }
            }
            Action::ResetHardParent => {
                let history = m.branches.get_mut(&m.current).expect("current branch");
                let result = repo.reset(ResetMode::Hard, "HEAD~1", &sig(step), None);
                // The root commit has no parent, and an unborn branch no HEAD.
                prop_assert_eq!(result.is_ok(), history.len() >= 2, "{:?}", result);
                if result.is_ok() {
                    history.pop();
                    m.staged.clear();
                }
            }
            Action::Unstage(k) => {
                repo.unstage(&[key(k)]).expect("unstage");
                m.staged.remove(&key(k));
            }
            Action::UnstageAll => {
                repo.unstage(&[]).expect("unstage all");
                m.staged.clear();
            }
        }
        // The repository drops a staged change that leaves the value as it
        // is at HEAD (staging then removing a new key, say): so does the model.
        let head = m.head();
        m.staged.retain(|k, v| head.get(k) != v.as_ref());
        let working = m.working();
        let listed: Vec<String> = repo
            .ls("", None)
            .expect("ls")
            .into_iter()
            .map(|l| l.key)
            .collect();
        prop_assert_eq!(listed, working.keys().cloned().collect::<Vec<_>>());
        let ns1: Vec<String> = repo
            .ls("ns1/", None)
            .expect("ls")
            .into_iter()
            .map(|l| l.key)
            .collect();
        prop_assert_eq!(
            ns1,
            working
                .keys()
                .filter(|k| k.starts_with("ns1/"))
                .cloned()
                .collect::<Vec<_>>()
        );
        for k in 0..12u8 {
            prop_assert_eq!(
                repo.get(&key(k), None, false).expect("get"),
                working.get(&key(k)).cloned()
            );
            prop_assert_eq!(
                repo.get(&key(k), None, true).expect("get"),
                m.head().get(&key(k)).cloned()
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn repository_matches_model(actions in prop::collection::vec(action(), 1..40)) {
        run(actions)?;
    }
}
