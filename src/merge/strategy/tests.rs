//! Every strategy against every value type it accepts and rejects, and the
//! symmetry law as a property test.

use super::*;
use proptest::prelude::{Just, any, prop, prop_oneof, proptest};
use proptest::strategy::Strategy as _;
use proptest::{prop_assert, prop_assert_eq};
use serde_json::json;

fn s<'a>(base: Option<&'a Value>, ours: Option<&'a Value>, theirs: Option<&'a Value>) -> Sides<'a> {
    Sides {
        base,
        ours,
        theirs,
        ours_changed: None,
        theirs_changed: None,
    }
}

fn value(o: Outcome) -> Option<Value> {
    match o {
        Outcome::Value(v) => v,
        Outcome::Conflict { kind, reason } => panic!("unexpected conflict {kind:?}: {reason}"),
    }
}

fn kind(o: Outcome) -> ConflictKind {
    match o {
        Outcome::Conflict { kind, .. } => kind,
        Outcome::Value(v) => panic!("expected a conflict, got {v:?}"),
    }
}

fn all_types() -> Vec<Value> {
    vec![
        Value::String("s".into()),
        Value::Int(1),
        Value::Float(1.5),
        Value::Bool(true),
        Value::Json(json!({"a": 1})),
        Value::Json(json!([1])),
        Value::Bytes(vec![1]),
    ]
}

#[test]
fn names_parse_back() {
    for st in Strategy::ALL {
        assert_eq!(st.name().parse::<Strategy>(), Ok(st));
    }
    assert!("nope".parse::<Strategy>().is_err());
}

#[test]
fn conflict_classifies_every_shape() {
    let (a, b) = (Value::Int(1), Value::Int(2));
    let text = Value::String("x".into());
    assert_eq!(
        kind(resolve(
            Strategy::Conflict,
            &s(Some(&a), Some(&b), Some(&a))
        )),
        ConflictKind::BothModified
    );
    assert_eq!(
        kind(resolve(Strategy::Conflict, &s(None, Some(&a), Some(&b)))),
        ConflictKind::BothAdded
    );
    assert_eq!(
        kind(resolve(Strategy::Conflict, &s(Some(&a), Some(&b), None))),
        ConflictKind::ModifyDelete
    );
    assert_eq!(
        kind(resolve(Strategy::Conflict, &s(Some(&a), None, Some(&b)))),
        ConflictKind::DeleteModify
    );
    assert_eq!(
        kind(resolve(
            Strategy::Conflict,
            &s(Some(&a), Some(&b), Some(&text))
        )),
        ConflictKind::TypeMismatch
    );
    for v in all_types() {
        let other = Value::String("other".into());
        assert!(matches!(
            resolve(Strategy::Conflict, &s(None, Some(&v), Some(&other))),
            Outcome::Conflict { .. }
        ));
    }
}

#[test]
fn ours_and_theirs_take_a_side_of_any_type_including_deletion() {
    for v in all_types() {
        let w = Value::String("w".into());
        assert_eq!(
            value(resolve(Strategy::Ours, &s(None, Some(&v), Some(&w)))),
            Some(v.clone())
        );
        assert_eq!(
            value(resolve(Strategy::Theirs, &s(None, Some(&w), Some(&v)))),
            Some(v.clone())
        );
        assert_eq!(
            value(resolve(Strategy::Ours, &s(Some(&w), None, Some(&v)))),
            None
        );
        assert_eq!(
            value(resolve(Strategy::Theirs, &s(Some(&w), Some(&v), None))),
            None
        );
    }
}

#[test]
fn lww_takes_the_later_change_and_breaks_ties_by_commit() {
    let (a, b) = (Value::Int(1), Value::Int(2));
    let early = LastChange {
        time: 10,
        commit: [1; 32],
    };
    let late = LastChange {
        time: 20,
        commit: [0; 32],
    };
    let tie = LastChange {
        time: 10,
        commit: [2; 32],
    };
    for v in all_types() {
        let mut sides = s(Some(&a), Some(&v), Some(&b));
        sides.ours_changed = Some(late);
        sides.theirs_changed = Some(early);
        assert_eq!(value(resolve(Strategy::Lww, &sides)), Some(v.clone()));
    }
    let mut sides = s(Some(&a), Some(&a), Some(&b));
    sides.ours_changed = Some(early);
    sides.theirs_changed = Some(tie);
    assert_eq!(
        value(resolve(Strategy::Lww, &sides)),
        Some(b.clone()),
        "equal times: larger commit id wins"
    );
    // A deletion can win.
    let mut sides = s(Some(&a), None, Some(&b));
    sides.ours_changed = Some(late);
    sides.theirs_changed = Some(early);
    assert_eq!(value(resolve(Strategy::Lww, &sides)), None);
}

#[test]
fn counter_adds_both_deltas_for_ints_and_floats() {
    let v = |i| Value::Int(i);
    assert_eq!(
        value(resolve(
            Strategy::Counter,
            &s(Some(&v(100)), Some(&v(115)), Some(&v(120)))
        )),
        Some(v(135))
    );
    assert_eq!(
        value(resolve(
            Strategy::Counter,
            &s(None, Some(&v(5)), Some(&v(7)))
        )),
        Some(v(12)),
        "absent base is 0"
    );
    assert_eq!(
        value(resolve(
            Strategy::Counter,
            &s(Some(&v(10)), None, Some(&v(12)))
        )),
        Some(v(2)),
        "absent side is 0"
    );
    let f = |x| Value::Float(x);
    assert_eq!(
        value(resolve(
            Strategy::Counter,
            &s(Some(&f(1.0)), Some(&f(1.5)), Some(&f(3.0)))
        )),
        Some(f(3.5))
    );
}

#[test]
fn counter_rejects_overflow_mixed_numbers_and_non_numbers() {
    let big = Value::Int(i64::MAX);
    let zero = Value::Int(0);
    let one = Value::Int(1);
    assert_eq!(
        kind(resolve(
            Strategy::Counter,
            &s(Some(&zero), Some(&big), Some(&one))
        )),
        ConflictKind::StrategyError
    );
    let f = Value::Float(1.0);
    assert_eq!(
        kind(resolve(
            Strategy::Counter,
            &s(Some(&zero), Some(&one), Some(&f))
        )),
        ConflictKind::TypeMismatch
    );
    for bad in [
        Value::String("1".into()),
        Value::Bool(true),
        Value::Json(json!(1)),
        Value::Bytes(vec![1]),
    ] {
        let out = resolve(Strategy::Counter, &s(Some(&zero), Some(&one), Some(&bad)));
        match out {
            Outcome::Conflict { kind, reason } => {
                assert_eq!(kind, ConflictKind::StrategyError);
                assert!(reason.contains(bad.value_type().name()), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn max_and_min_compare_ints_floats_and_strings() {
    let (a, b) = (Value::Int(3), Value::Int(9));
    assert_eq!(
        value(resolve(Strategy::Max, &s(None, Some(&a), Some(&b)))),
        Some(b.clone())
    );
    assert_eq!(
        value(resolve(Strategy::Min, &s(None, Some(&a), Some(&b)))),
        Some(a.clone())
    );
    let (x, y) = (Value::Float(-1.0), Value::Float(2.5));
    assert_eq!(
        value(resolve(Strategy::Max, &s(None, Some(&x), Some(&y)))),
        Some(y.clone())
    );
    assert_eq!(
        value(resolve(Strategy::Min, &s(None, Some(&x), Some(&y)))),
        Some(x.clone())
    );
    let (p, q) = (
        Value::String("apple".into()),
        Value::String("banana".into()),
    );
    assert_eq!(
        value(resolve(Strategy::Max, &s(None, Some(&p), Some(&q)))),
        Some(q.clone())
    );
    assert_eq!(
        value(resolve(Strategy::Min, &s(None, Some(&p), Some(&q)))),
        Some(p.clone())
    );
    // A deletion on one side leaves the other value.
    assert_eq!(
        value(resolve(Strategy::Max, &s(Some(&a), None, Some(&b)))),
        Some(b.clone())
    );
}

#[test]
fn max_and_min_reject_other_types_and_mixtures() {
    for st in [Strategy::Max, Strategy::Min] {
        for bad in [
            Value::Bool(true),
            Value::Json(json!({"a": 1})),
            Value::Bytes(vec![1]),
        ] {
            let other = match &bad {
                Value::Bool(_) => Value::Bool(false),
                Value::Json(_) => Value::Json(json!({"a": 2})),
                _ => Value::Bytes(vec![2]),
            };
            assert_eq!(
                kind(resolve(st, &s(None, Some(&bad), Some(&other)))),
                ConflictKind::StrategyError
            );
        }
        let (i, t) = (Value::Int(1), Value::String("1".into()));
        assert_eq!(
            kind(resolve(st, &s(None, Some(&i), Some(&t)))),
            ConflictKind::TypeMismatch
        );
        let f = Value::Float(1.0);
        assert_eq!(
            kind(resolve(st, &s(None, Some(&i), Some(&f)))),
            ConflictKind::TypeMismatch
        );
    }
}

#[test]
fn union_is_a_three_way_set_merge() {
    let j = |v| Value::Json(v);
    let out = value(resolve(
        Strategy::Union,
        &s(
            Some(&j(json!(["a", "b", "c"]))),
            Some(&j(json!(["a", "c", "d"]))),
            Some(&j(json!(["a", "b", "c", "e"]))),
        ),
    ));
    // b removed by ours, d and e added.
    assert_eq!(out, Some(j(json!(["a", "c", "d", "e"]))));
    let out = value(resolve(
        Strategy::Union,
        &s(None, Some(&j(json!([1, 2]))), Some(&j(json!([2, 3])))),
    ));
    assert_eq!(out, Some(j(json!([1, 2, 3]))));
}

#[test]
fn union_rejects_non_arrays_and_deletions() {
    let arr = Value::Json(json!([1]));
    let obj = Value::Json(json!({"a": 1}));
    assert_eq!(
        kind(resolve(Strategy::Union, &s(None, Some(&arr), Some(&obj)))),
        ConflictKind::StrategyError
    );
    for bad in [
        Value::String("x".into()),
        Value::Int(1),
        Value::Float(1.0),
        Value::Bool(true),
        Value::Bytes(vec![]),
    ] {
        assert_eq!(
            kind(resolve(Strategy::Union, &s(None, Some(&arr), Some(&bad)))),
            ConflictKind::TypeMismatch
        );
    }
    assert_eq!(
        kind(resolve(Strategy::Union, &s(Some(&arr), None, Some(&arr)))),
        ConflictKind::DeleteModify
    );
}

#[test]
fn json_merges_objects_field_by_field() {
    let j = |v| Value::Json(v);
    let base = j(json!({"a": 1, "b": {"x": 1, "y": 1}, "c": 1}));
    let ours = j(json!({"a": 2, "b": {"x": 2, "y": 1}, "c": 1}));
    let theirs = j(json!({"a": 1, "b": {"x": 1, "y": 3}, "d": 4}));
    let out = value(resolve(
        Strategy::Json,
        &s(Some(&base), Some(&ours), Some(&theirs)),
    ));
    assert_eq!(out, Some(j(json!({"a": 2, "b": {"x": 2, "y": 3}, "d": 4}))));
    let clash = j(json!({"a": 1, "b": {"x": 9, "y": 1}, "c": 1}));
    match resolve(Strategy::Json, &s(Some(&base), Some(&ours), Some(&clash))) {
        Outcome::Conflict { kind, reason } => {
            assert_eq!(kind, ConflictKind::BothModified);
            assert!(reason.contains("b.x"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_rejects_non_objects_and_deletions() {
    let obj = Value::Json(json!({"a": 1}));
    assert_eq!(
        kind(resolve(
            Strategy::Json,
            &s(None, Some(&obj), Some(&Value::Json(json!([1]))))
        )),
        ConflictKind::StrategyError
    );
    for bad in [
        Value::String("x".into()),
        Value::Int(1),
        Value::Float(1.0),
        Value::Bool(true),
        Value::Bytes(vec![]),
    ] {
        assert_eq!(
            kind(resolve(Strategy::Json, &s(None, Some(&obj), Some(&bad)))),
            ConflictKind::TypeMismatch
        );
    }
    assert_eq!(
        kind(resolve(Strategy::Json, &s(Some(&obj), Some(&obj), None))),
        ConflictKind::ModifyDelete
    );
}

fn arb_value() -> impl proptest::strategy::Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        (-50i64..50).prop_map(|i| Some(Value::Int(i))),
        (-5.0f64..5.0).prop_map(|f| Some(Value::Float(f))),
        "[a-c]{0,2}".prop_map(|t| Some(Value::String(t))),
        prop::collection::vec(0u8..4, 0..4).prop_map(|v| Some(Value::Json(json!(v)))),
        (0u8..3, 0u8..3).prop_map(|(a, b)| Some(Value::Json(json!({"a": a, "n": {"b": b}})))),
        any::<bool>().prop_map(|b| Some(Value::Bool(b))),
    ]
}

proptest! {
    #[test]
    fn symmetric_strategies_do_not_depend_on_direction(
        base in arb_value(), ours in arb_value(), theirs in arb_value(),
        t1 in 0i64..3, t2 in 0i64..3, c1 in 0u8..3, c2 in 0u8..3,
    ) {
        let a = Some(LastChange { time: t1, commit: [c1; 32] });
        let b = Some(LastChange { time: t2, commit: [c2; 32] });
        for st in Strategy::ALL.into_iter().filter(|s| s.is_symmetric()) {
            // Two sides last changed by the same commit hold the same value,
            // so lww never sees equal change stamps with different values.
            if st == Strategy::Lww && a == b {
                continue;
            }
            let forward = resolve(st, &Sides { base: base.as_ref(), ours: ours.as_ref(), theirs: theirs.as_ref(), ours_changed: a, theirs_changed: b });
            let backward = resolve(st, &Sides { base: base.as_ref(), ours: theirs.as_ref(), theirs: ours.as_ref(), ours_changed: b, theirs_changed: a });
            match (forward, backward) {
                (Outcome::Value(x), Outcome::Value(y)) => prop_assert_eq!(x, y, "{}", st),
                (Outcome::Conflict { .. }, Outcome::Conflict { .. }) => {}
                (x, y) => prop_assert!(false, "{st}: {x:?} vs {y:?}"),
            }
        }
    }
}
