//! Bulk load and dump: `import` and `export`.
//!
//! Two formats: `json`, one object `{key: value, ...}` whose values get their
//! natural type (string, int, float, bool; arrays, objects and null become
//! json), and `jsonl`, one `{"key": .., "type": .., "value": ..}` a line
//! (bytes as base64), which keeps every type exactly. An import is one
//! commit in one write transaction; entries are applied to the tree in
//! sorted batches of bounded size, so memory stays bounded for any number of
//! keys, and sorted input (such as an export) only ever touches the right
//! edge of the tree.

use super::{
    BATCH, Repo, Signature, check_expected, encode_value, tree_of, write_commit_with_parents,
};
use crate::error::{Error, Result};
use crate::merge::{Attributes, StrategyFlags, state};
use crate::object::{Id, Value, ValueType, validate_key};
use crate::refs;
use crate::rev;
use crate::stage;
use crate::tree::{self, NewObjects, ValRef};
use serde::de::{DeserializeSeed, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::io::BufRead;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Jsonl,
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub format: Format,
    pub message: String,
    pub signature: Signature,
    pub expect_head: Option<String>,
    /// Prepended to every imported key (a namespace, with its `/`).
    pub key_prefix: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// `None` when the import changed nothing.
    pub commit: Option<Id>,
    pub entries: u64,
}

/// One JSON Lines record.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    key: String,
    #[serde(rename = "type")]
    ty: Option<String>,
    value: serde_json::Value,
}

fn parse_record(line: &str) -> Result<(String, Value)> {
    let r: Record =
        serde_json::from_str(line).map_err(|e| Error::Usage(crate::ops::json_line_error(&e)))?;
    let ty = match &r.ty {
        Some(t) => t.parse()?,
        None => ValueType::natural_for(&r.value),
    };
    Ok((r.key, Value::from_json(ty, r.value)?))
}

/// Streams the entries of one JSON object to `f` without holding the object.
struct Entries<'f>(&'f mut dyn FnMut(String, serde_json::Value) -> Result<()>);

impl<'de> Visitor<'de> for Entries<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object of keys and values")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
            (self.0)(k, v).map_err(serde::de::Error::custom)?;
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Entries<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl Repo {
    /// Loads entries from `input` as one commit on the current branch. A
    /// malformed entry fails the whole import (nothing is committed) with its
    /// line number. `progress` is called with the count of entries so far.
    pub fn import(
        &self,
        input: &mut dyn BufRead,
        opts: &ImportOptions,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ImportReport> {
        let attrs = Attributes::load(&self.config, StrategyFlags::default())?;
        let max = self.config.max_value_size();
        let expected = self.expected_head(opts.expect_head.as_deref())?;
        self.store.write(|w| {
            state::refuse_during_merge(w, "import")?;
            let head = refs::head_commit(w)?;
            check_expected(head, expected)?;
            let start = tree_of(w, head)?;
            let mut root = start;
            let mut buffer: BTreeMap<String, Option<ValRef>> = BTreeMap::new();
            let mut new = NewObjects::default();
            let mut entries = 0u64;
            let mut add = |key: String,
                           value: Value,
                           w: &mut crate::store::WriteCtx<'_>,
                           root: &mut Id|
             -> Result<()> {
                let key = format!("{}{key}", opts.key_prefix);
                validate_key(&key)?;
                attrs.check_type(&key, value.value_type())?;
                let vref = encode_value(&value, max, &mut new)?;
                buffer.insert(key, Some(vref));
                entries += 1;
                if entries.is_multiple_of(10_000) {
                    progress(entries);
                }
                if buffer.len() >= BATCH {
                    flush(w, &mut buffer, &mut new, root)?;
                }
                Ok(())
            };
            match opts.format {
                Format::Jsonl => {
                    let mut line = String::new();
                    let mut number = 0u64;
                    loop {
                        line.clear();
                        number += 1;
                        let read = input.read_line(&mut line).map_err(|e| {
                            if e.kind() == std::io::ErrorKind::InvalidData {
                                Error::Usage(format!("line {number}: not valid UTF-8"))
                            } else {
                                Error::from(e)
                            }
                        })?;
                        if read == 0 {
                            break;
                        }
                        if line.trim().is_empty() {
                            continue;
                        }
                        let (key, value) = parse_record(line.trim_end())
                            .map_err(|e| Error::Usage(format!("line {number}: {e}")))?;
                        add(key, value, w, &mut root)
                            .map_err(|e| Error::Usage(format!("line {number}: {e}")))?;
                    }
                }
                Format::Json => {
                    let mut failure: Option<Error> = None;
                    let mut on_entry = |key: String, json: serde_json::Value| -> Result<()> {
                        let value = Value::from_json(ValueType::natural_for(&json), json)?;
                        add(key, value, w, &mut root).inspect_err(|e| {
                            failure = Some(Error::Usage(e.to_string()));
                        })
                    };
                    let mut de = serde_json::Deserializer::from_reader(&mut *input);
                    let parsed = Entries(&mut on_entry)
                        .deserialize(&mut de)
                        .and_then(|()| de.end());
                    if let Err(e) = parsed {
                        let why = failure
                            .map_or_else(|| e.to_string(), |f| format!("{f} at line {}", e.line()));
                        return Err(Error::Usage(format!("invalid JSON import: {why}")));
                    }
                }
            }
            flush(w, &mut buffer, &mut new, &mut root)?;
            progress(entries);
            if root == start && (head.is_some() || entries == 0) {
                return Ok(ImportReport {
                    commit: None,
                    entries,
                });
            }
            let id = write_commit_with_parents(
                w,
                &NewObjects::default(),
                head.into_iter().collect(),
                root,
                &opts.signature,
                &opts.message,
                &BTreeMap::new(),
                "import",
            )?;
            Ok(ImportReport {
                commit: Some(id),
                entries,
            })
        })
    }

    /// Whether any key starts with `prefix` at `rev`, or at HEAD or among
    /// the staged changes (removals included) without one: one seek, not a
    /// scan.
    pub fn has_keys_under(&self, prefix: &str, rev: Option<&str>) -> Result<bool> {
        self.store.read(|r| {
            let commit = match rev {
                Some(rev) => Some(rev::resolve(r, rev)?),
                None => {
                    if stage::all(r)?.iter().any(|(k, _)| k.starts_with(prefix)) {
                        return Ok(true);
                    }
                    refs::head_commit(r)?
                }
            };
            let root = tree_of(r, commit)?;
            let mut found = false;
            tree::scan_prefix(r, &root, prefix, |_, _| {
                found = true;
                Ok(false)
            })?;
            Ok(found)
        })
    }

    /// Calls `f` with each key under `prefix` at `rev` (default HEAD) and its
    /// value, in key order, reading only the nodes on the way.
    pub fn export(
        &self,
        rev: Option<&str>,
        prefix: &str,
        f: &mut dyn FnMut(&str, Value) -> Result<()>,
    ) -> Result<u64> {
        self.store.read(|r| {
            let commit = match rev {
                Some(rev) => Some(rev::resolve(r, rev)?),
                None => refs::head_commit(r)?,
            };
            let root = tree_of(r, commit)?;
            let mut n = 0;
            tree::scan_prefix(r, &root, prefix, |k, v| {
                f(k, super::read_value(r, v)?)?;
                n += 1;
                Ok(true)
            })?;
            Ok(n)
        })
    }
}

/// Applies the buffered entries to the tree and stores the new objects.
fn flush(
    w: &mut crate::store::WriteCtx<'_>,
    buffer: &mut BTreeMap<String, Option<ValRef>>,
    new: &mut NewObjects,
    root: &mut Id,
) -> Result<()> {
    if buffer.is_empty() {
        return Ok(());
    }
    w.put_objects(new)?;
    *new = NewObjects::default();
    let mut nodes = NewObjects::default();
    *root = tree::apply(w, *root, std::mem::take(buffer), &mut nodes)?;
    w.put_objects(&nodes)?;
    Ok(())
}
