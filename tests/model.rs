//! Model test of the whole store through the library: random sequences of
//! set / rm / incr / commit / branch / switch / reset / unstage / merge / gc,
//! checked after every step against a plain in-memory model: a graph of
//! commits holding `BTreeMap` states, branch heads, and a staged overlay.

use kvgit::merge::{Strategy as MergeStrategy, StrategyFlags};
use kvgit::object::Value;
use kvgit::ops::{Number, Op};
use kvgit::repo::{
    Access, CommitOptions, CommitOutcome, MergeOptions, MergeOutcome, OpenOptions, Repo, ResetMode,
    Signature, StageOutcome,
};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashSet};
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
    Merge(u8),
    Gc,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        6 => (0u8..12, -5i64..100).prop_map(|(k, v)| Action::Set(k, v)),
        2 => (0u8..12).prop_map(Action::Rm),
        2 => (0u8..12, -3i64..4).prop_map(|(k, v)| Action::Incr(k, v)),
        4 => Just(Action::Commit),
        1 => (0u8..3).prop_map(Action::Branch),
        2 => (0u8..3).prop_map(Action::Switch),
        1 => Just(Action::ResetHardParent),
        1 => (0u8..12).prop_map(Action::Unstage),
        1 => Just(Action::UnstageAll),
        2 => (0u8..3).prop_map(Action::Merge),
        1 => Just(Action::Gc),
    ]
}

fn key(k: u8) -> String {
    // Keys in a few namespaces so prefix listing is exercised.
    format!("ns{}/key{k:02}", k % 3)
}

fn branch_name(b: u8) -> String {
    if b == 0 {
        "main".into()
    } else {
        format!("b{b}")
    }
}

struct ModelCommit {
    state: State,
    parents: Vec<usize>,
}

struct Model {
    commits: Vec<ModelCommit>,
    /// Branch heads (commit indices); a branch with no commits has none.
    branches: BTreeMap<String, Option<usize>>,
    current: String,
    staged: BTreeMap<String, Option<Value>>,
}

impl Model {
    fn head_commit(&self) -> Option<usize> {
        self.branches[&self.current]
    }

    fn head(&self) -> State {
        self.head_commit()
            .map(|c| self.commits[c].state.clone())
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

    fn commit(&mut self, state: State, parents: Vec<usize>) {
        self.commits.push(ModelCommit { state, parents });
        let id = self.commits.len() - 1;
        self.branches.insert(self.current.clone(), Some(id));
    }

    fn ancestors(&self, c: usize) -> HashSet<usize> {
        let mut seen = HashSet::new();
        let mut todo = vec![c];
        while let Some(x) = todo.pop() {
            if seen.insert(x) {
                todo.extend(&self.commits[x].parents);
            }
        }
        seen
    }

    /// The best common ancestors, computed independently of the library.
    fn merge_bases(&self, a: usize, b: usize) -> Vec<usize> {
        let of_a = self.ancestors(a);
        let common: HashSet<usize> = self
            .ancestors(b)
            .into_iter()
            .filter(|c| of_a.contains(c))
            .collect();
        common
            .iter()
            .copied()
            .filter(|c| {
                !common
                    .iter()
                    .any(|d| d != c && self.ancestors(*d).contains(c))
            })
            .collect()
    }
}

/// The `max` strategy's three-way merge of one key, as documented.
fn merge_key(base: Option<&Value>, ours: Option<&Value>, theirs: Option<&Value>) -> Option<Value> {
    if ours == theirs || theirs == base {
        return ours.cloned();
    }
    if ours == base {
        return theirs.cloned();
    }
    match (ours, theirs) {
        (Some(Value::Int(a)), Some(Value::Int(b))) => Some(Value::Int(*a.max(b))),
        (Some(v), None) | (None, Some(v)) => Some(v.clone()),
        other => panic!("the model holds only ints: {other:?}"),
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
    let mut repo = Repo::open(
        &dir.path().join(".kvgit"),
        &OpenOptions {
            access: Access::Write,
            lock_timeout: Duration::from_secs(5),
            user_config: None,
            now: 0,
        },
    )
    .expect("open");
    let mut m = Model {
        commits: Vec::new(),
        branches: BTreeMap::from([("main".to_string(), None)]),
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
                    let parents = m.head_commit().into_iter().collect();
                    m.commit(working, parents);
                }
                m.staged.clear();
            }
            Action::Branch(b) => {
                let name = branch_name(b);
                let result = repo.create_branch(&name, None, &sig(step));
                let expect_ok = !m.branches.contains_key(&name) && m.head_commit().is_some();
                prop_assert_eq!(result.is_ok(), expect_ok, "{:?}", result);
                if expect_ok {
                    m.branches.insert(name, m.head_commit());
                }
            }
            Action::Switch(b) => {
                let name = branch_name(b);
                let result = repo.switch(&name, None, false, &sig(step));
                // Switching to the current branch is a no-op that keeps staging.
                let already_on = name == m.current;
                let expect_ok = already_on
                    || (m.staged.is_empty() && m.branches.get(&name).is_some_and(Option::is_some));
                prop_assert_eq!(result.is_ok(), expect_ok, "{:?}", result);
                if expect_ok {
                    m.current = name;
                }
            }
            Action::ResetHardParent => {
                let parent = m
                    .head_commit()
                    .and_then(|c| m.commits[c].parents.first().copied());
                let result = repo.reset(ResetMode::Hard, "HEAD~1", &sig(step), None);
                // The root commit has no parent, and an unborn branch no HEAD.
                prop_assert_eq!(result.is_ok(), parent.is_some(), "{:?}", result);
                if let Some(p) = parent {
                    m.branches.insert(m.current.clone(), Some(p));
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
            Action::Merge(b) => {
                let name = branch_name(b);
                let (Some(ours), Some(Some(theirs))) =
                    (m.head_commit(), m.branches.get(&name).copied())
                else {
                    continue;
                };
                // Staged changes stay staged across a merge, and the next
                // commit then merges them onto the moved head (a different
                // operation, tested in tests/merge.rs): keep the model to
                // merges from a clean staging area.
                if !m.staged.is_empty() {
                    continue;
                }
                let flags = StrategyFlags {
                    default: Some(MergeStrategy::Max),
                    ..StrategyFlags::default()
                };
                let opts = MergeOptions {
                    rev: name.clone(),
                    flags,
                    ..MergeOptions::default()
                };
                let report = repo.merge(&opts, &sig(step)).expect("merge");
                let bases = m.merge_bases(ours, theirs);
                if m.ancestors(ours).contains(&theirs) {
                    prop_assert_eq!(report.outcome, MergeOutcome::UpToDate);
                } else if m.ancestors(theirs).contains(&ours) {
                    let ff = matches!(report.outcome, MergeOutcome::FastForward { .. });
                    prop_assert!(ff, "{:?}", report.outcome);
                    m.branches.insert(m.current.clone(), Some(theirs));
                } else {
                    prop_assert!(
                        matches!(report.outcome, MergeOutcome::Committed(_)),
                        "{:?}",
                        report.outcome
                    );
                    let state = if let [base] = bases.as_slice() {
                        let (b, o, t) = (
                            &m.commits[*base].state,
                            &m.commits[ours].state,
                            &m.commits[theirs].state,
                        );
                        let keys: std::collections::BTreeSet<&String> =
                            b.keys().chain(o.keys()).chain(t.keys()).collect();
                        keys.into_iter()
                            .filter_map(|k| {
                                merge_key(b.get(k), o.get(k), t.get(k)).map(|v| (k.clone(), v))
                            })
                            .collect()
                    } else {
                        // Criss-cross: the library's virtual base is its own
                        // design; take its result and keep checking from there.
                        repo.ls("", None)
                            .expect("ls")
                            .into_iter()
                            .map(|l| {
                                let v = repo.get(&l.key, None, true).expect("get").expect("listed");
                                (l.key, v)
                            })
                            .collect()
                    };
                    m.commit(state, vec![ours, theirs]);
                }
            }
            Action::Gc => {
                let run = repo.gc(u64::MAX, Some(i64::MAX), false).expect("gc");
                prop_assert!(run.report.reachable.commits as usize <= m.commits.len());
                let fsck = repo.fsck().expect("fsck");
                prop_assert!(fsck.problems.is_empty(), "{:?}", fsck.problems);
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
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn repository_matches_model(actions in prop::collection::vec(action(), 1..60)) {
        run(actions)?;
    }
}
