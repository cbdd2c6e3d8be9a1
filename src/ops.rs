//! Edits a user asks for: set, remove, increment. `set`/`rm`/`incr` stage them;
//! `batch` reads them one a line and commits them together.
//!
//! A batch line is either words split like a shell would (`set KEY VALUE [TYPE]`,
//! `rm KEY`, `incr KEY [N]`, quotes allowed) or a JSON object
//! `{"op":"set","key":..,"value":..,"type":..}`.

use crate::error::{Error, Result};
use crate::object::{Value, ValueType, validate_key};

/// An increment amount.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    pub fn parse(text: &str) -> Result<Number> {
        if let Ok(i) = text.trim().parse::<i64>() {
            return Ok(Number::Int(i));
        }
        match text.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Number::Float(f)),
            _ => Err(Error::usage(format!(
                "invalid increment '{text}': expected an int or a finite float"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Set { key: String, value: Value },
    Remove { key: String },
    Incr { key: String, by: Number },
}

impl Op {
    pub fn key(&self) -> &str {
        match self {
            Op::Set { key, .. } | Op::Remove { key } | Op::Incr { key, .. } => key,
        }
    }
}

/// The value left by adding `by` to `current` (a missing key counts as 0).
pub fn increment(key: &str, current: Option<Value>, by: Number) -> Result<Value> {
    let overflow = || Error::usage(format!("incr {key}: the result overflows an int"));
    match (current, by) {
        (None, Number::Int(n)) => Ok(Value::Int(n)),
        (None, Number::Float(f)) => Ok(Value::Float(f)),
        (Some(Value::Int(i)), Number::Int(n)) => {
            i.checked_add(n).map(Value::Int).ok_or_else(overflow)
        }
        (Some(Value::Float(x)), Number::Int(n)) => finite(key, x + n as f64),
        (Some(Value::Float(x)), Number::Float(f)) => finite(key, x + f),
        (Some(Value::Int(_)), Number::Float(f)) => Err(Error::usage(format!(
            "incr {key}: the key holds an int, so the increment must be whole, not {f}"
        ))),
        (Some(other), _) => Err(Error::usage(format!(
            "incr {key}: the key holds {}, not an int or float",
            other.value_type().with_article()
        ))),
    }
}

fn finite(key: &str, f: f64) -> Result<Value> {
    if f.is_finite() {
        Ok(Value::Float(f))
    } else {
        Err(Error::usage(format!(
            "incr {key}: the result is not a finite float"
        )))
    }
}

/// Parses one batch line; blank lines and `#` comments give `None`.
/// `default_type` gives the type an untyped `set` value of a key is parsed as
/// (the type a rule fixes for it), else string.
pub fn parse_batch_line(
    line: &str,
    default_type: &dyn Fn(&str) -> Option<ValueType>,
) -> Result<Option<Op>> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    let op = if trimmed.starts_with('{') {
        parse_json_op(trimmed)?
    } else {
        let words = shlex::split(trimmed).ok_or_else(|| Error::usage("unbalanced quotes"))?;
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        match words.as_slice() {
            ["set", key, value] => Op::Set {
                key: key.to_string(),
                value: Value::parse(value, default_type(key).unwrap_or(ValueType::String))?,
            },
            ["set", key, value, ty] => Op::Set {
                key: key.to_string(),
                value: Value::parse(value, ty.parse()?)?,
            },
            ["rm", key] => Op::Remove {
                key: key.to_string(),
            },
            ["incr", key] => Op::Incr {
                key: key.to_string(),
                by: Number::Int(1),
            },
            ["incr", key, n] => Op::Incr {
                key: key.to_string(),
                by: Number::parse(n)?,
            },
            [verb, ..] if !["set", "rm", "incr"].contains(verb) => {
                return Err(Error::usage(format!(
                    "unknown operation '{verb}' (expected set, rm or incr)"
                )));
            }
            _ => {
                return Err(Error::usage(
                    "wrong number of words (set KEY VALUE [TYPE], rm KEY, incr KEY [N])",
                ));
            }
        }
    };
    validate_key(op.key())?;
    Ok(Some(op))
}

fn parse_json_op(line: &str) -> Result<Op> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct JsonOp {
        op: String,
        key: String,
        // A field given as null is `Some(Null)`, not missing: null is a value.
        #[serde(default, deserialize_with = "present")]
        value: Option<serde_json::Value>,
        #[serde(default, rename = "type")]
        ty: Option<String>,
        #[serde(default, deserialize_with = "present")]
        by: Option<serde_json::Value>,
    }
    fn present<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<serde_json::Value>, D::Error> {
        serde::Deserialize::deserialize(d).map(Some)
    }
    let j: JsonOp = serde_json::from_str(line)
        .map_err(|e| Error::usage(format!("invalid JSON operation: {}", json_line_error(&e))))?;
    match j.op.as_str() {
        "set" => {
            let value = j
                .value
                .ok_or_else(|| Error::usage("a set operation needs \"value\""))?;
            let ty = match &j.ty {
                Some(t) => t.parse()?,
                None => ValueType::natural_for(&value),
            };
            Ok(Op::Set {
                key: j.key,
                value: Value::from_json(ty, value)?,
            })
        }
        "rm" => Ok(Op::Remove { key: j.key }),
        "incr" => {
            let by = match j.by.or(j.value) {
                None => Number::Int(1),
                Some(n) => match (n.as_i64(), n.as_f64()) {
                    (Some(i), _) => Number::Int(i),
                    (None, Some(f)) => Number::Float(f),
                    _ => return Err(Error::usage("an incr amount must be a number")),
                },
            };
            Ok(Op::Incr { key: j.key, by })
        }
        other => Err(Error::usage(format!(
            "unknown operation '{other}' (expected set, rm or incr)"
        ))),
    }
}

/// serde_json's message for an error in one line of input, with the column
/// but without its "line 1" (the caller names the line in the file).
pub fn json_line_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rsplit_once(" at line ") {
        Some((what, _)) if e.line() > 0 => format!("{what} at column {}", e.column()),
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_word_lines() {
        assert_eq!(
            parse_batch_line("set a/b 'hello world'", &|_| None).expect("ok"),
            Some(Op::Set {
                key: "a/b".into(),
                value: Value::String("hello world".into())
            })
        );
        assert_eq!(
            parse_batch_line("set n 5 int", &|_| None).expect("ok"),
            Some(Op::Set {
                key: "n".into(),
                value: Value::Int(5)
            })
        );
        assert_eq!(
            parse_batch_line("rm k", &|_| None).expect("ok"),
            Some(Op::Remove { key: "k".into() })
        );
        assert_eq!(
            parse_batch_line("incr hits 1", &|_| None).expect("ok"),
            Some(Op::Incr {
                key: "hits".into(),
                by: Number::Int(1)
            })
        );
        assert_eq!(
            parse_batch_line("  # comment", &|_| None).expect("ok"),
            None
        );
        assert_eq!(parse_batch_line("", &|_| None).expect("ok"), None);
    }

    #[test]
    fn parses_json_lines() {
        assert_eq!(
            parse_batch_line(r#"{"op":"set","key":"k","value":{"a":1}}"#, &|_| None).expect("ok"),
            Some(Op::Set {
                key: "k".into(),
                value: Value::Json(serde_json::json!({"a": 1}))
            })
        );
        assert_eq!(
            parse_batch_line(
                r#"{"op":"set","key":"k","value":"AQI=","type":"bytes"}"#,
                &|_| None
            )
            .expect("ok"),
            Some(Op::Set {
                key: "k".into(),
                value: Value::Bytes(vec![1, 2])
            })
        );
        assert_eq!(
            parse_batch_line(r#"{"op":"incr","key":"k","value":2.5}"#, &|_| None).expect("ok"),
            Some(Op::Incr {
                key: "k".into(),
                by: Number::Float(2.5)
            })
        );
    }

    #[test]
    fn rejects_bad_lines() {
        for bad in [
            "frobnicate x",
            "set onlykey",
            "set k v int extra",
            "set k abc int",
            "set k v nosuchtype",
            "rm",
            "incr k lots",
            "set 'unterminated",
            "rm ''",
            r#"{"op":"set","key":"k"}"#,
            r#"{"op":"zap","key":"k"}"#,
            r#"{"op":"set","key":"k","value":1,"extra":true}"#,
            "{not json",
        ] {
            assert!(parse_batch_line(bad, &|_| None).is_err(), "{bad}");
        }
    }

    #[test]
    fn increments_by_type() {
        assert_eq!(
            increment("k", None, Number::Int(3)).expect("ok"),
            Value::Int(3)
        );
        assert_eq!(
            increment("k", Some(Value::Int(2)), Number::Int(3)).expect("ok"),
            Value::Int(5)
        );
        assert_eq!(
            increment("k", Some(Value::Float(0.5)), Number::Int(1)).expect("ok"),
            Value::Float(1.5)
        );
        assert!(increment("k", Some(Value::Int(i64::MAX)), Number::Int(1)).is_err());
        assert!(increment("k", Some(Value::Int(1)), Number::Float(0.5)).is_err());
        assert!(increment("k", Some(Value::String("x".into())), Number::Int(1)).is_err());
        assert!(increment("k", Some(Value::Float(f64::MAX)), Number::Float(f64::MAX)).is_err());
    }
}
