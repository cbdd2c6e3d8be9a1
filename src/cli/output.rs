//! Rendering helpers: colour, JSON documents, value summaries, dates.

use kvgit::object::{Id, Value};
use serde::Serialize;
use serde_json::json;
use std::io::Write;

/// Colours text when enabled.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    enabled: bool,
}

impl Paint {
    pub fn new(enabled: bool) -> Paint {
        Paint { enabled }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn id(&self, text: &str) -> String {
        self.paint("33", text)
    }
    pub fn added(&self, text: &str) -> String {
        self.paint("32", text)
    }
    pub fn removed(&self, text: &str) -> String {
        self.paint("31", text)
    }
    pub fn modified(&self, text: &str) -> String {
        self.paint("36", text)
    }
    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

/// Prints one JSON document on stdout.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// `{"type": .., "value": ..}` for a value, `null` for none.
pub fn typed_json(v: Option<&Value>) -> serde_json::Value {
    match v {
        Some(v) => json!({"type": v.value_type().name(), "value": v.to_json()}),
        None => serde_json::Value::Null,
    }
}

pub fn id_json(id: Option<Id>) -> serde_json::Value {
    id.map_or(serde_json::Value::Null, |i| {
        serde_json::Value::String(i.to_hex())
    })
}

/// A short rendering of a value for tables and status lines.
pub fn summary(v: Option<&Value>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.summary(40))
}

/// A commit time as `YYYY-MM-DD HH:MM:SS +0000` (UTC).
pub fn date(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.strftime("%Y-%m-%d %H:%M:%S +0000").to_string())
        .unwrap_or_else(|_| secs.to_string())
}

/// RFC 3339 in UTC, for JSON.
pub fn date_rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| secs.to_string())
}
