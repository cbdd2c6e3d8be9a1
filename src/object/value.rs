//! Typed values and their canonical MessagePack encoding.
//!
//! A value is encoded as the two-element array `[tag, payload]` with rmp-serde.
//! The encoding is part of the format (it is hashed into leaf nodes and blobs),
//! so it is canonical: integers in their smallest MessagePack form, floats always
//! as float64 with `-0.0` folded into `0.0` and NaN/infinity refused, JSON objects
//! with their keys sorted (serde_json's map is ordered), bytes as `bin`.

use base64::Engine as _;
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::fmt;
use std::str::FromStr;

/// The type of a value, as named on the command line and in JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    String,
    Int,
    Float,
    Bool,
    Json,
    Bytes,
}

impl ValueType {
    pub const ALL: [ValueType; 6] = [
        ValueType::String,
        ValueType::Int,
        ValueType::Float,
        ValueType::Bool,
        ValueType::Json,
        ValueType::Bytes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ValueType::String => "string",
            ValueType::Int => "int",
            ValueType::Float => "float",
            ValueType::Bool => "bool",
            ValueType::Json => "json",
            ValueType::Bytes => "bytes",
        }
    }

    /// The name with its indefinite article, for messages: "an int", "a string".
    pub fn with_article(self) -> &'static str {
        match self {
            ValueType::String => "a string",
            ValueType::Int => "an int",
            ValueType::Float => "a float",
            ValueType::Bool => "a bool",
            ValueType::Json => "a json value",
            ValueType::Bytes => "a bytes value",
        }
    }

    /// The type a JSON value gets when no type is named (import, JSON batch
    /// lines): strings, bools, whole and other numbers map to their own
    /// types; arrays, objects and null are json.
    pub fn natural_for(v: &serde_json::Value) -> ValueType {
        match v {
            serde_json::Value::String(_) => ValueType::String,
            serde_json::Value::Bool(_) => ValueType::Bool,
            serde_json::Value::Number(n) if n.is_i64() => ValueType::Int,
            serde_json::Value::Number(_) => ValueType::Float,
            _ => ValueType::Json,
        }
    }

    fn tag(self) -> u8 {
        match self {
            ValueType::String => 0,
            ValueType::Int => 1,
            ValueType::Float => 2,
            ValueType::Bool => 3,
            ValueType::Json => 4,
            ValueType::Bytes => 5,
        }
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ValueType {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        ValueType::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| ValueError::UnknownType(s.to_string()))
    }
}

/// A typed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Json(serde_json::Value),
    Bytes(Vec<u8>),
}

/// Why a value could not be parsed, encoded or decoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    #[error("unknown type '{0}' (expected one of string, int, float, bool, json, bytes)")]
    UnknownType(String),
    #[error("invalid {ty} value '{text}': {reason}")]
    Parse {
        ty: ValueType,
        text: String,
        reason: String,
    },
    #[error("a float value must be finite, not {0}")]
    NotFinite(f64),
    #[error("stored value is malformed: {0}")]
    Decode(String),
}

impl Value {
    /// Parses command-line text as a value of type `ty`.
    pub fn parse(text: &str, ty: ValueType) -> Result<Value, ValueError> {
        let fail = |reason: String| ValueError::Parse {
            ty,
            text: abbreviate(text, 60),
            reason,
        };
        Ok(match ty {
            ValueType::String => Value::String(text.to_string()),
            ValueType::Int => Value::Int(text.trim().parse::<i64>().map_err(|e| {
                fail(format!(
                    "{e} (an int is a whole number from -2^63 to 2^63-1)"
                ))
            })?),
            ValueType::Float => {
                let f = text
                    .trim()
                    .parse::<f64>()
                    .map_err(|e| fail(e.to_string()))?;
                if !f.is_finite() {
                    return Err(fail("a float value must be finite".into()));
                }
                Value::Float(f)
            }
            ValueType::Bool => match text.trim() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => return Err(fail("expected true or false".into())),
            },
            ValueType::Json => {
                Value::Json(serde_json::from_str(text).map_err(|e| fail(e.to_string()))?)
            }
            ValueType::Bytes => Value::Bytes(text.as_bytes().to_vec()),
        })
    }

    /// Interprets raw bytes (from a file or stdin) as a value of type `ty`.
    pub fn from_bytes(bytes: Vec<u8>, ty: ValueType) -> Result<Value, ValueError> {
        match ty {
            ValueType::Bytes => Ok(Value::Bytes(bytes)),
            _ => {
                let text = String::from_utf8(bytes).map_err(|e| ValueError::Parse {
                    ty,
                    text: "<input>".into(),
                    reason: format!("not valid UTF-8 ({e})"),
                })?;
                match ty {
                    ValueType::String => Ok(Value::String(text)),
                    _ => Value::parse(&text, ty),
                }
            }
        }
    }

    pub fn value_type(&self) -> ValueType {
        match self {
            Value::String(_) => ValueType::String,
            Value::Int(_) => ValueType::Int,
            Value::Float(_) => ValueType::Float,
            Value::Bool(_) => ValueType::Bool,
            Value::Json(_) => ValueType::Json,
            Value::Bytes(_) => ValueType::Bytes,
        }
    }

    /// The canonical encoding. Fails only for a non-finite float.
    pub fn encode(&self) -> Result<Vec<u8>, ValueError> {
        let tag = self.value_type().tag();
        let encoded = match self {
            Value::String(s) => rmp_serde::to_vec(&(tag, s)),
            Value::Int(i) => rmp_serde::to_vec(&(tag, i)),
            Value::Float(f) => {
                if !f.is_finite() {
                    return Err(ValueError::NotFinite(*f));
                }
                // One form for zero: -0.0 == 0.0, so they must hash alike.
                let f = if *f == 0.0 { 0.0 } else { *f };
                rmp_serde::to_vec(&(tag, f))
            }
            Value::Bool(b) => rmp_serde::to_vec(&(tag, b)),
            Value::Json(j) => rmp_serde::to_vec(&(tag, j)),
            Value::Bytes(b) => rmp_serde::to_vec(&(tag, serde_bytes::Bytes::new(b))),
        };
        encoded.map_err(|e| ValueError::Decode(format!("cannot encode value: {e}")))
    }

    pub fn decode(bytes: &[u8]) -> Result<Value, ValueError> {
        fn de<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, ValueError> {
            rmp_serde::from_slice::<(u8, T)>(bytes)
                .map(|(_, v)| v)
                .map_err(|e| ValueError::Decode(e.to_string()))
        }
        let (tag, IgnoredAny) = rmp_serde::from_slice::<(u8, IgnoredAny)>(bytes)
            .map_err(|e| ValueError::Decode(e.to_string()))?;
        Ok(match tag {
            0 => Value::String(de(bytes)?),
            1 => Value::Int(de(bytes)?),
            2 => Value::Float(de(bytes)?),
            3 => Value::Bool(de(bytes)?),
            4 => Value::Json(de(bytes)?),
            5 => Value::Bytes(de::<serde_bytes::ByteBuf>(bytes)?.into_vec()),
            other => return Err(ValueError::Decode(format!("unknown type tag {other}"))),
        })
    }

    /// The value as a JSON document, for `--json` output: bytes become base64.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Value::from(*f),
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Json(j) => j.clone(),
            Value::Bytes(b) => {
                serde_json::Value::String(base64::engine::general_purpose::STANDARD.encode(b))
            }
        }
    }

    /// Rebuilds a value from its `--json` form (the inverse of [`Value::to_json`]).
    pub fn from_json(ty: ValueType, json: serde_json::Value) -> Result<Value, ValueError> {
        let fail = |reason: &str| ValueError::Parse {
            ty,
            text: abbreviate(&json.to_string(), 60),
            reason: reason.to_string(),
        };
        Ok(match ty {
            ValueType::String => Value::String(
                json.as_str()
                    .ok_or_else(|| fail("expected a JSON string"))?
                    .to_string(),
            ),
            ValueType::Int => Value::Int(json.as_i64().ok_or_else(|| fail("expected an integer"))?),
            ValueType::Float => {
                Value::Float(json.as_f64().ok_or_else(|| fail("expected a number"))?)
            }
            ValueType::Bool => Value::Bool(
                json.as_bool()
                    .ok_or_else(|| fail("expected true or false"))?,
            ),
            ValueType::Json => Value::Json(json),
            ValueType::Bytes => {
                let s = json
                    .as_str()
                    .ok_or_else(|| fail("expected a base64 string"))?;
                Value::Bytes(
                    base64::engine::general_purpose::STANDARD
                        .decode(s)
                        .map_err(|e| fail(&format!("invalid base64: {e}")))?,
                )
            }
        })
    }

    /// The text `get` prints (without the trailing newline strings get).
    /// Bytes are written raw by the caller and are not covered here.
    pub fn display_text(&self, pretty: bool) -> String {
        match self {
            Value::String(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format!("{f:?}"),
            Value::Bool(b) => b.to_string(),
            Value::Json(j) if pretty => {
                serde_json::to_string_pretty(j).expect("a JSON value always serializes")
            }
            Value::Json(j) => j.to_string(),
            Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        }
    }

    /// A one-line summary for tables and status output.
    pub fn summary(&self, width: usize) -> String {
        match self {
            Value::String(s) => abbreviate(&format!("{s:?}"), width),
            Value::Bytes(b) => format!("<{} bytes>", b.len()),
            other => abbreviate(&other.display_text(false), width),
        }
    }
}

/// Cuts `text` to at most `width` characters, marking the cut with an ellipsis.
pub fn abbreviate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn all_kinds() -> Vec<Value> {
        vec![
            Value::String("héllo".into()),
            Value::String(String::new()),
            Value::Int(0),
            Value::Int(-1),
            Value::Int(i64::MAX),
            Value::Int(i64::MIN),
            Value::Float(1.5),
            Value::Float(-1e300),
            Value::Bool(true),
            Value::Bool(false),
            Value::Json(json!({"b": [1, 2.5, null], "a": {"z": true}})),
            Value::Json(json!("just a string")),
            Value::Bytes(vec![0, 255, 10]),
            Value::Bytes(vec![]),
        ]
    }

    #[test]
    fn encode_decode_round_trip_for_every_type() {
        for v in all_kinds() {
            let bytes = v.encode().expect("finite");
            assert_eq!(Value::decode(&bytes).expect("decodes"), v);
        }
    }

    #[test]
    fn golden_encodings_are_frozen() {
        // These bytes are part of the on-disk format: changing them changes every id.
        let hex = |v: Value| hex::encode(v.encode().expect("encodes"));
        assert_eq!(hex(Value::String("hi".into())), "9200a26869");
        assert_eq!(hex(Value::Int(5)), "920105");
        assert_eq!(hex(Value::Int(-200)), "9201d1ff38");
        assert_eq!(hex(Value::Float(0.5)), "9202cb3fe0000000000000");
        assert_eq!(hex(Value::Bool(true)), "9203c3");
        assert_eq!(
            hex(Value::Json(json!({"b": 1, "a": [true]}))),
            "920482a161 91c3 a16201".replace(' ', "")
        );
        assert_eq!(hex(Value::Bytes(vec![1, 2])), "9205c4020102");
    }

    #[test]
    fn negative_zero_encodes_as_zero() {
        assert_eq!(
            Value::Float(-0.0).encode().expect("finite"),
            Value::Float(0.0).encode().expect("finite")
        );
    }

    #[test]
    fn json_object_key_order_does_not_matter() {
        let a = Value::parse(r#"{"x":1,"y":2}"#, ValueType::Json).expect("json");
        let b = Value::parse(r#"{"y":2,"x":1}"#, ValueType::Json).expect("json");
        assert_eq!(a.encode().expect("ok"), b.encode().expect("ok"));
    }

    #[test]
    fn parse_accepts_each_type() {
        assert_eq!(Value::parse("42", ValueType::Int), Ok(Value::Int(42)));
        assert_eq!(Value::parse("-7", ValueType::Int), Ok(Value::Int(-7)));
        assert_eq!(Value::parse("2.5", ValueType::Float), Ok(Value::Float(2.5)));
        assert_eq!(Value::parse("3", ValueType::Float), Ok(Value::Float(3.0)));
        assert_eq!(Value::parse("true", ValueType::Bool), Ok(Value::Bool(true)));
        assert_eq!(
            Value::parse("false", ValueType::Bool),
            Ok(Value::Bool(false))
        );
        assert_eq!(
            Value::parse("[1]", ValueType::Json),
            Ok(Value::Json(json!([1])))
        );
        assert_eq!(
            Value::parse("abc", ValueType::Bytes),
            Ok(Value::Bytes(b"abc".to_vec()))
        );
    }

    #[test]
    fn parse_rejects_text_that_is_not_its_type_and_names_both() {
        for (text, ty) in [
            ("abc", ValueType::Int),
            ("9223372036854775808", ValueType::Int),
            ("1.5", ValueType::Int),
            ("x", ValueType::Float),
            ("NaN", ValueType::Float),
            ("inf", ValueType::Float),
            ("yes", ValueType::Bool),
            ("{", ValueType::Json),
        ] {
            let err = Value::parse(text, ty).expect_err(text).to_string();
            assert!(err.contains(ty.name()) && err.contains(text), "{err}");
        }
    }

    #[test]
    fn deeply_nested_json_is_rejected_not_overflowed() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(Value::parse(&deep, ValueType::Json).is_err());
    }

    #[test]
    fn json_form_round_trips_for_every_type() {
        for v in all_kinds() {
            let back = Value::from_json(v.value_type(), v.to_json()).expect("round trip");
            assert_eq!(back, v);
        }
        assert!(Value::from_json(ValueType::Int, json!("x")).is_err());
        assert!(Value::from_json(ValueType::Bytes, json!("!!")).is_err());
    }

    #[test]
    fn decode_rejects_garbage() {
        assert!(Value::decode(b"").is_err());
        assert!(Value::decode(&[0x92, 0x09, 0x01]).is_err());
        assert!(Value::decode(&[0x92, 0x01, 0xa1, b'x']).is_err());
    }

    #[test]
    fn display_text_matches_get_output_rules() {
        assert_eq!(Value::Float(1.0).display_text(false), "1.0");
        assert_eq!(Value::Int(3).display_text(false), "3");
        assert_eq!(
            Value::Json(json!({"a": 1})).display_text(true),
            "{\n  \"a\": 1\n}"
        );
        assert_eq!(
            Value::Json(json!({"a": 1})).display_text(false),
            r#"{"a":1}"#
        );
    }
}
