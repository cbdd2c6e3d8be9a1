//! The built-in per-key merge strategies.
//!
//! Each gets the base, ours and theirs values (any may be absent) and either
//! produces a value (or a deletion) or a conflict with a kind and a reason.
//! Strategies that compute a value do not guess across types: a value of the
//! wrong type makes the key a conflict whose reason names the types.

use crate::object::{Value, ValueType};
use serde_json::Value as Json;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strategy {
    Conflict,
    Ours,
    Theirs,
    Lww,
    Counter,
    Max,
    Min,
    Union,
    Json,
}

impl Strategy {
    pub const ALL: [Strategy; 9] = [
        Strategy::Conflict,
        Strategy::Ours,
        Strategy::Theirs,
        Strategy::Lww,
        Strategy::Counter,
        Strategy::Max,
        Strategy::Min,
        Strategy::Union,
        Strategy::Json,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Strategy::Conflict => "conflict",
            Strategy::Ours => "ours",
            Strategy::Theirs => "theirs",
            Strategy::Lww => "lww",
            Strategy::Counter => "counter",
            Strategy::Max => "max",
            Strategy::Min => "min",
            Strategy::Union => "union",
            Strategy::Json => "json",
        }
    }

    /// Whether both sides' changes count even when they are equal: a
    /// counter incremented by 1 on each side is up by 2.
    pub fn adds_changes(self) -> bool {
        self == Strategy::Counter
    }

    /// Whether the result is the same whichever side is "ours".
    pub fn is_symmetric(self) -> bool {
        !matches!(self, Strategy::Ours | Strategy::Theirs)
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Strategy {
    type Err = String;
    fn from_str(s: &str) -> Result<Strategy, String> {
        Strategy::ALL
            .into_iter()
            .find(|st| st.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Strategy::ALL.iter().map(|s| s.name()).collect();
                format!(
                    "unknown strategy '{s}' (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

/// Why a key could not be merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConflictKind {
    BothModified,
    ModifyDelete,
    DeleteModify,
    BothAdded,
    TypeMismatch,
    StrategyError,
}

impl ConflictKind {
    pub const ALL: [ConflictKind; 6] = [
        ConflictKind::BothModified,
        ConflictKind::ModifyDelete,
        ConflictKind::DeleteModify,
        ConflictKind::BothAdded,
        ConflictKind::TypeMismatch,
        ConflictKind::StrategyError,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ConflictKind::BothModified => "both-modified",
            ConflictKind::ModifyDelete => "modify-delete",
            ConflictKind::DeleteModify => "delete-modify",
            ConflictKind::BothAdded => "both-added",
            ConflictKind::TypeMismatch => "type-mismatch",
            ConflictKind::StrategyError => "strategy-error",
        }
    }

    pub fn from_name(s: &str) -> Option<ConflictKind> {
        ConflictKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// What a strategy decided for one key.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The merged value; `None` deletes the key.
    Value(Option<Value>),
    Conflict {
        kind: ConflictKind,
        reason: String,
    },
}

/// When and in which commit each side last changed the key: `lww` compares
/// these, and the commit id breaks ties so the result does not depend on the
/// direction of the merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LastChange {
    pub time: i64,
    pub commit: [u8; 32],
}

/// The three values of a key and, for `lww`, when each side last changed it.
#[derive(Debug, Clone, Copy)]
pub struct Sides<'a> {
    pub base: Option<&'a Value>,
    pub ours: Option<&'a Value>,
    pub theirs: Option<&'a Value>,
    pub ours_changed: Option<LastChange>,
    pub theirs_changed: Option<LastChange>,
}

/// The kind of a plain conflict between the sides, from which are present.
pub fn plain_conflict(s: &Sides<'_>) -> ConflictKind {
    match (s.base, s.ours, s.theirs) {
        (None, Some(_), Some(_)) => ConflictKind::BothAdded,
        (_, Some(_), None) => ConflictKind::ModifyDelete,
        (_, None, Some(_)) => ConflictKind::DeleteModify,
        (_, Some(o), Some(t)) if o.value_type() != t.value_type() => ConflictKind::TypeMismatch,
        _ => ConflictKind::BothModified,
    }
}

fn conflict(kind: ConflictKind, reason: impl Into<String>) -> Outcome {
    Outcome::Conflict {
        kind,
        reason: reason.into(),
    }
}

fn type_name(v: Option<&Value>) -> &'static str {
    v.map_or("absent", |v| v.value_type().name())
}

fn mismatch(strategy: Strategy, s: &Sides<'_>) -> Outcome {
    conflict(
        ConflictKind::TypeMismatch,
        format!(
            "{strategy} cannot combine ours ({}) with theirs ({})",
            type_name(s.ours),
            type_name(s.theirs)
        ),
    )
}

/// Applies `strategy` to a key changed differently on both sides.
pub fn resolve(strategy: Strategy, s: &Sides<'_>) -> Outcome {
    match strategy {
        Strategy::Conflict => {
            let kind = plain_conflict(s);
            conflict(
                kind,
                format!("{} (no strategy resolves this key)", kind.name()),
            )
        }
        Strategy::Ours => Outcome::Value(s.ours.cloned()),
        Strategy::Theirs => Outcome::Value(s.theirs.cloned()),
        Strategy::Lww => {
            // Without a known change time a side counts as oldest.
            if s.theirs_changed > s.ours_changed {
                Outcome::Value(s.theirs.cloned())
            } else {
                Outcome::Value(s.ours.cloned())
            }
        }
        Strategy::Counter => counter(s),
        Strategy::Max | Strategy::Min => extreme(strategy, s),
        Strategy::Union => union(s),
        Strategy::Json => json_merge(s),
    }
}

fn counter(s: &Sides<'_>) -> Outcome {
    let all = [s.base, s.ours, s.theirs];
    if all.iter().flatten().all(|v| matches!(v, Value::Int(_))) {
        let n = |v: Option<&Value>| match v {
            Some(Value::Int(i)) => *i,
            _ => 0,
        };
        return match n(s.ours)
            .checked_add(n(s.theirs))
            .and_then(|x| x.checked_sub(n(s.base)))
        {
            Some(x) => Outcome::Value(Some(Value::Int(x))),
            None => conflict(
                ConflictKind::StrategyError,
                format!(
                    "counter overflows an int: {} + {} - {}",
                    n(s.ours),
                    n(s.theirs),
                    n(s.base)
                ),
            ),
        };
    }
    if all.iter().flatten().all(|v| matches!(v, Value::Float(_))) {
        let f = |v: Option<&Value>| match v {
            Some(Value::Float(x)) => *x,
            _ => 0.0,
        };
        let x = f(s.ours) + f(s.theirs) - f(s.base);
        return if x.is_finite() {
            Outcome::Value(Some(Value::Float(x)))
        } else {
            conflict(
                ConflictKind::StrategyError,
                "counter result is not a finite float",
            )
        };
    }
    let types: Vec<&str> = all
        .iter()
        .flatten()
        .map(|v| v.value_type().name())
        .collect();
    let numbers = all
        .iter()
        .flatten()
        .all(|v| matches!(v, Value::Int(_) | Value::Float(_)));
    if numbers {
        conflict(
            ConflictKind::TypeMismatch,
            format!(
                "counter needs all sides int or all float, found {}",
                types.join(", ")
            ),
        )
    } else {
        conflict(
            ConflictKind::StrategyError,
            format!(
                "counter needs int or float values, found {}",
                types.join(", ")
            ),
        )
    }
}

fn extreme(strategy: Strategy, s: &Sides<'_>) -> Outcome {
    let (o, t) = match (s.ours, s.theirs) {
        // A deletion on one side: the remaining value is the only candidate.
        (Some(v), None) | (None, Some(v)) => return Outcome::Value(Some(v.clone())),
        (None, None) => return Outcome::Value(None),
        (Some(o), Some(t)) => (o, t),
    };
    let ordering = match (o, t) {
        (Value::Int(a), Value::Int(b)) => a.cmp(b),
        (Value::Float(a), Value::Float(b)) => a.total_cmp(b),
        (Value::String(a), Value::String(b)) => a.as_bytes().cmp(b.as_bytes()),
        _ if o.value_type() != t.value_type() => return mismatch(strategy, s),
        _ => {
            return conflict(
                ConflictKind::StrategyError,
                format!(
                    "{strategy} compares ints, floats or strings, not {}",
                    o.value_type()
                ),
            );
        }
    };
    let take_ours = match strategy {
        Strategy::Max => ordering.is_ge(),
        _ => ordering.is_le(),
    };
    Outcome::Value(Some(if take_ours { o.clone() } else { t.clone() }))
}

fn json_of(v: Option<&Value>) -> Option<&Json> {
    match v {
        Some(Value::Json(j)) => Some(j),
        _ => None,
    }
}

fn union(s: &Sides<'_>) -> Outcome {
    if s.ours.is_none() || s.theirs.is_none() {
        return conflict(
            plain_conflict(s),
            "union merges arrays; one side deleted the key",
        );
    }
    let array = |v: Option<&Value>| -> Option<Vec<Json>> {
        match json_of(v) {
            Some(Json::Array(a)) => Some(a.clone()),
            _ => None,
        }
    };
    let base = match s.base {
        None => Some(Vec::new()),
        b => array(b),
    };
    let (Some(base), Some(ours), Some(theirs)) = (base, array(s.ours), array(s.theirs)) else {
        let kind = if [s.base, s.ours, s.theirs]
            .iter()
            .flatten()
            .all(|v| v.value_type() == ValueType::Json)
        {
            ConflictKind::StrategyError
        } else {
            ConflictKind::TypeMismatch
        };
        return conflict(
            kind,
            format!(
                "union needs JSON arrays, found base {}, ours {}, theirs {}",
                type_name(s.base),
                type_name(s.ours),
                type_name(s.theirs)
            ),
        );
    };
    // Survivors keep the base's order; additions from both sides follow in
    // one canonical order, so the result is the same in both merge directions.
    let mut out: Vec<Json> = Vec::new();
    for item in &base {
        if ours.contains(item) && theirs.contains(item) && !out.contains(item) {
            out.push(item.clone());
        }
    }
    let mut added: Vec<Json> = ours
        .iter()
        .chain(&theirs)
        .filter(|item| !base.contains(item))
        .cloned()
        .collect();
    added.sort_by_key(|j| j.to_string());
    added.dedup();
    out.extend(added);
    Outcome::Value(Some(Value::Json(Json::Array(out))))
}

fn json_merge(s: &Sides<'_>) -> Outcome {
    if s.ours.is_none() || s.theirs.is_none() {
        return conflict(
            plain_conflict(s),
            "json merges objects field by field; one side deleted the key",
        );
    }
    let empty = Json::Object(Default::default());
    let base = match s.base {
        None => Some(&empty),
        b => json_of(b),
    };
    match (base, json_of(s.ours), json_of(s.theirs)) {
        (Some(b @ Json::Object(_)), Some(o @ Json::Object(_)), Some(t @ Json::Object(_))) => {
            match merge_objects(b, o, t, "") {
                Ok(j) => Outcome::Value(Some(Value::Json(j))),
                Err(path) => conflict(
                    ConflictKind::BothModified,
                    format!("field '{path}' changed differently on both sides"),
                ),
            }
        }
        _ => {
            let all_json = [s.base, s.ours, s.theirs]
                .iter()
                .flatten()
                .all(|v| v.value_type() == ValueType::Json);
            conflict(
                if all_json {
                    ConflictKind::StrategyError
                } else {
                    ConflictKind::TypeMismatch
                },
                format!(
                    "json needs JSON objects, found base {}, ours {}, theirs {}",
                    describe(s.base),
                    describe(s.ours),
                    describe(s.theirs)
                ),
            )
        }
    }
}

fn describe(v: Option<&Value>) -> &'static str {
    match v {
        None => "absent",
        Some(Value::Json(Json::Object(_))) => "object",
        Some(Value::Json(Json::Array(_))) => "array",
        Some(Value::Json(_)) => "a JSON scalar",
        Some(other) => other.value_type().name(),
    }
}

/// Three-way merge of JSON objects, field by field; on a field changed
/// differently on both sides, returns its dotted path.
fn merge_objects(base: &Json, ours: &Json, theirs: &Json, path: &str) -> Result<Json, String> {
    let obj = |j: &Json| j.as_object().cloned().unwrap_or_default();
    let (b, o, t) = (obj(base), obj(ours), obj(theirs));
    let mut out = serde_json::Map::new();
    let fields: std::collections::BTreeSet<&String> =
        b.keys().chain(o.keys()).chain(t.keys()).collect();
    for field in fields {
        let (bf, of, tf) = (b.get(field), o.get(field), t.get(field));
        let here = if path.is_empty() {
            field.clone()
        } else {
            format!("{path}.{field}")
        };
        let merged = if of == tf {
            of.cloned()
        } else if of == bf {
            tf.cloned()
        } else if tf == bf {
            of.cloned()
        } else if let (Some(Json::Object(_)), Some(Json::Object(_))) = (of, tf) {
            let empty = Json::Object(Default::default());
            let base_obj = match bf {
                Some(j @ Json::Object(_)) => j,
                _ => &empty,
            };
            Some(merge_objects(
                base_obj,
                of.expect("matched"),
                tf.expect("matched"),
                &here,
            )?)
        } else {
            return Err(here);
        };
        if let Some(v) = merged {
            out.insert(field.clone(), v);
        }
    }
    Ok(Json::Object(out))
}

#[cfg(test)]
mod tests;
