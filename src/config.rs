//! Repository (`.kvgit/config.toml`) and user (`$XDG_CONFIG_HOME/kvgit/config.toml`)
//! settings. Reads use `toml`; edits go through `toml_edit`, so comments and
//! layout a person wrote survive `kvgit config set`.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The settings kvgit knows, and the kind of value each takes.
pub const KNOWN_KEYS: &[(&str, Kind, &str)] = &[
    ("user.name", Kind::Text, "author name recorded in commits"),
    ("user.email", Kind::Text, "author email recorded in commits"),
    (
        "color.ui",
        Kind::Choice(&["auto", "always", "never"]),
        "when to colour output",
    ),
    (
        "core.max-value-size",
        Kind::Size,
        "largest value accepted, e.g. 64MiB",
    ),
    (
        "gc.high-water",
        Kind::Size,
        "evict the coldest keys after a commit above this live size",
    ),
    (
        "gc.low-water",
        Kind::Size,
        "evict down to this live size (default 80% of high water)",
    ),
    (
        "gc.protect",
        Kind::List,
        "globs of keys eviction never drops (comma-separated)",
    ),
    (
        "gc.reflog-expire",
        Kind::Duration,
        "gc forgets reflog entries older than this (e.g. 90d; never by default)",
    ),
    (
        "merge.default",
        Kind::Choice(&STRATEGY_NAMES),
        "strategy for keys no rule or flag decides",
    ),
];

/// The merge strategy names (`merge::Strategy`; a test keeps the two in step).
pub const STRATEGY_NAMES: [&str; 9] = [
    "conflict", "ours", "theirs", "lww", "counter", "max", "min", "union", "json",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Choice(&'static [&'static str]),
    Size,
    /// A list of strings, given to `config set` comma-separated.
    List,
    /// A duration such as `90d`, or `never` or `now`.
    Duration,
}

/// The default for `core.max-value-size`.
pub const DEFAULT_MAX_VALUE_SIZE: u64 = 64 * 1024 * 1024;

/// One parsed config file.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    pub path: PathBuf,
    table: toml::Table,
}

impl ConfigFile {
    /// Reads a config file; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<ConfigFile> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(Error::Unreadable(format!(
                    "cannot read config file {}: {e}",
                    path.display()
                )));
            }
        };
        ConfigFile::parse(path, &text)
    }

    /// Parses config text; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<ConfigFile> {
        let table = text
            .parse::<toml::Table>()
            .map_err(|e| parse_error(path, text, e.message(), e.span()))?;
        let file = ConfigFile {
            path: path.to_path_buf(),
            table,
        };
        for (key, value) in file.entries() {
            if let Some((_, kind, _)) = KNOWN_KEYS.iter().find(|(k, _, _)| *k == key) {
                check_kind(&key, *kind, &value).map_err(|why| {
                    let line = line_of(text, &key).map_or(String::new(), |l| format!(", line {l}"));
                    Error::Unreadable(format!(
                        "invalid config file {}{line}: {why}",
                        path.display()
                    ))
                })?;
            }
        }
        Ok(file)
    }

    /// The value at a dotted key, as TOML.
    pub fn get(&self, key: &str) -> Option<&toml::Value> {
        let mut parts = key.split('.');
        let mut value = self.table.get(parts.next()?)?;
        for part in parts {
            value = value.as_table()?.get(part)?;
        }
        Some(value)
    }

    /// A top-level entry as written (tables and arrays included).
    pub fn raw(&self, key: &str) -> Option<&toml::Value> {
        self.table.get(key)
    }

    /// Every scalar setting as (dotted key, value), in file order.
    pub fn entries(&self) -> Vec<(String, toml::Value)> {
        fn walk(prefix: &str, table: &toml::Table, out: &mut Vec<(String, toml::Value)>) {
            for (k, v) in table {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                match v {
                    toml::Value::Table(t) => walk(&key, t, out),
                    // [[rule]] tables are listed by `kvgit config rule list`.
                    toml::Value::Array(a) if a.iter().all(toml::Value::is_table) => {}
                    other => out.push((key, other.clone())),
                }
            }
        }
        let mut out = Vec::new();
        walk("", &self.table, &mut out);
        out
    }
}

/// The line on which a dotted key's value is written.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let mut parts = key.split('.');
    let mut item = doc.as_table().get(parts.next()?)?;
    for part in parts {
        item = item.as_table_like()?.get(part)?;
    }
    let span = item.span()?;
    Some(text[..span.start.min(text.len())].matches('\n').count() + 1)
}

fn parse_error(path: &Path, text: &str, msg: &str, span: Option<std::ops::Range<usize>>) -> Error {
    let line = span.map_or(1, |s| {
        text[..s.start.min(text.len())].matches('\n').count() + 1
    });
    Error::Unreadable(format!(
        "invalid config file {}, line {line}: {}",
        path.display(),
        msg.trim().replace('\n', " ")
    ))
}

/// The repository config layered over the user config.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub repo: ConfigFile,
    pub user: ConfigFile,
}

impl Config {
    pub fn load(repo_path: &Path, user_path: Option<&Path>) -> Result<Config> {
        Ok(Config {
            repo: ConfigFile::load(repo_path)?,
            user: match user_path {
                Some(p) => ConfigFile::load(p)?,
                None => ConfigFile::default(),
            },
        })
    }

    /// A setting from the repository config, else the user config.
    pub fn get(&self, key: &str) -> Option<&toml::Value> {
        self.repo.get(key).or_else(|| self.user.get(key))
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(toml::Value::as_str)
    }

    pub fn max_value_size(&self) -> u64 {
        self.get("core.max-value-size")
            .and_then(|v| size_of_value(v).ok())
            .unwrap_or(DEFAULT_MAX_VALUE_SIZE)
    }
}

pub fn size_of_value(v: &toml::Value) -> std::result::Result<u64, String> {
    match v {
        toml::Value::Integer(i) if *i >= 0 => Ok(*i as u64),
        toml::Value::String(s) => parse_size(s),
        other => Err(format!("expected a size, found {other}")),
    }
}

fn check_kind(key: &str, kind: Kind, v: &toml::Value) -> std::result::Result<(), String> {
    match kind {
        Kind::Text if v.is_str() => Ok(()),
        Kind::Text => Err(format!("{key} must be a string")),
        Kind::Choice(choices) => match v.as_str() {
            Some(s) if choices.contains(&s) => Ok(()),
            _ => Err(format!("{key} must be one of {}", choices.join(", "))),
        },
        Kind::Size => size_of_value(v)
            .map(|_| ())
            .map_err(|e| format!("{key}: {e}")),
        Kind::Duration => match v.as_str() {
            Some("never" | "now") => Ok(()),
            Some(d) => parse_duration(d)
                .map(|_| ())
                .map_err(|e| format!("{key}: {e}")),
            None => Err(format!("{key} must be a duration such as 90d, or never")),
        },
        Kind::List => match v.as_array() {
            Some(a) if a.iter().all(toml::Value::is_str) => Ok(()),
            _ => Err(format!("{key} must be a list of strings")),
        },
    }
}

/// Parses a byte size: a plain number, or one with a unit (`KB`, `KiB`, `MB`,
/// `MiB`, `GB`, `GiB`, also `k`, `M`, `G` as binary units).
pub fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("'{text}' is not a size (try 1048576 or 1MiB)"))?;
    let mult: u64 = match unit.trim() {
        "" | "B" => 1,
        "k" | "K" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "KB" | "kB" => 1000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        other => return Err(format!("unknown size unit '{other}' in '{text}'")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("'{text}' is too large"))
}

/// Parses a duration: `30` (seconds), `2.5s`, `500ms`, `1m`, `1h`, `2d`, `1w`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("'{text}' is not a duration (try 30, 2.5s, 500ms or 1m)"))?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86400.0,
        "w" => n * 604_800.0,
        other => return Err(format!("unknown unit '{other}' in '{text}'")),
    };
    Duration::try_from_secs_f64(secs).map_err(|_| format!("'{text}' is out of range"))
}

/// The kind of value a setting takes; a name kvgit does not know is a usage
/// error, for reads as for edits (a typo is not an unset setting).
pub fn known_key(key: &str) -> Result<Kind> {
    match KNOWN_KEYS.iter().find(|(k, _, _)| *k == key) {
        Some((_, kind, _)) => Ok(*kind),
        None => {
            let names: Vec<&str> = KNOWN_KEYS.iter().map(|(k, _, _)| *k).collect();
            Err(Error::usage(format!(
                "unknown config key '{key}' (known keys: {})",
                names.join(", ")
            )))
        }
    }
}

/// Sets (`Some`) or removes (`None`) a dotted key in the file at `path`,
/// keeping the rest of the file as written. The file is replaced atomically.
/// Returns whether anything changed.
pub fn edit(path: &Path, key: &str, value: Option<&str>) -> Result<bool> {
    let kind = known_key(key)?;
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::Io(format!("cannot read {}: {e}", path.display()))),
    };
    let mut doc = text
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| parse_error(path, &text, e.message(), e.span()))?;
    let (section, name) = key.split_once('.').expect("known keys are dotted");
    let changed = match value {
        Some(v) => {
            let item = typed_item(key, kind, v)?;
            let table = doc
                .entry(section)
                .or_insert(toml_edit::table())
                .as_table_mut()
                .ok_or_else(|| {
                    Error::usage(format!("'{section}' in {} is not a table", path.display()))
                })?;
            table.insert(name, item);
            true
        }
        None => {
            let removed = doc
                .get_mut(section)
                .and_then(|t| t.as_table_mut())
                .and_then(|t| t.remove(name))
                .is_some();
            if doc
                .get(section)
                .and_then(|t| t.as_table())
                .is_some_and(toml_edit::Table::is_empty)
            {
                doc.remove(section);
            }
            removed
        }
    };
    if matches!(key, "gc.low-water" | "gc.high-water") {
        check_water(&doc)?;
    }
    if changed {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, doc.to_string())?;
        std::fs::rename(&tmp, path)?;
    }
    Ok(changed)
}

/// Refuses to set a file's `gc.low-water` above its `gc.high-water`: eviction
/// could not run after any commit. (Across the repository and user files the
/// eviction itself reports the mismatch, as a warning after the commit.)
fn check_water(doc: &toml_edit::DocumentMut) -> Result<()> {
    let size = |name: &str| {
        doc.get("gc")
            .and_then(|t| t.get(name))
            .and_then(toml_edit::Item::as_integer)
    };
    match (size("low-water"), size("high-water")) {
        (Some(low), Some(high)) if low > high => Err(Error::usage(format!(
            "gc.low-water ({low}) must not be above gc.high-water ({high})"
        ))),
        _ => Ok(()),
    }
}

fn read_doc(path: &Path) -> Result<toml_edit::DocumentMut> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::Io(format!("cannot read {}: {e}", path.display()))),
    };
    text.parse::<toml_edit::DocumentMut>()
        .map_err(|e| parse_error(path, &text, e.message(), e.span()))
}

fn write_doc(path: &Path, doc: &toml_edit::DocumentMut) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, doc.to_string())?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Appends a `[[rule]]` (the caller has validated its fields). Returns its number.
pub fn add_rule(
    path: &Path,
    keys: &[String],
    value_type: Option<&str>,
    merge: Option<&str>,
    gc: Option<&str>,
) -> Result<usize> {
    let mut doc = read_doc(path)?;
    let rules = doc
        .entry("rule")
        .or_insert(toml_edit::Item::ArrayOfTables(
            toml_edit::ArrayOfTables::new(),
        ))
        .as_array_of_tables_mut()
        .ok_or_else(|| {
            Error::usage(format!(
                "'rule' in {} is not a list of [[rule]] tables",
                path.display()
            ))
        })?;
    let mut table = toml_edit::Table::new();
    if let [one] = keys {
        table.insert("keys", toml_edit::value(one.as_str()));
    } else {
        let list: toml_edit::Array = keys.iter().map(String::as_str).collect();
        table.insert("keys", toml_edit::value(list));
    }
    for (field, v) in [("type", value_type), ("merge", merge), ("gc", gc)] {
        if let Some(v) = v {
            table.insert(field, toml_edit::value(v));
        }
    }
    rules.push(table);
    let n = rules.len();
    write_doc(path, &doc)?;
    Ok(n)
}

/// Removes rule number `n` (counting from 1). Returns whether it existed.
pub fn remove_rule(path: &Path, n: usize) -> Result<bool> {
    let mut doc = read_doc(path)?;
    let Some(rules) = doc.get_mut("rule").and_then(|r| r.as_array_of_tables_mut()) else {
        return Ok(false);
    };
    if n == 0 || n > rules.len() {
        return Ok(false);
    }
    rules.remove(n - 1);
    if rules.is_empty() {
        doc.remove("rule");
    }
    write_doc(path, &doc)?;
    Ok(true)
}

fn typed_item(key: &str, kind: Kind, text: &str) -> Result<toml_edit::Item> {
    let value = match kind {
        Kind::Size => {
            let n = parse_size(text).map_err(Error::Usage)?;
            i64::try_from(n)
                .map(toml_edit::value)
                .map_err(|_| Error::usage(format!("{key}: '{text}' is too large")))?
        }
        Kind::Choice(choices) if !choices.contains(&text) => {
            return Err(Error::usage(format!(
                "{key} must be one of {}, not '{text}'",
                choices.join(", ")
            )));
        }
        Kind::List => {
            let list: toml_edit::Array = text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            toml_edit::value(list)
        }
        Kind::Duration => {
            if !matches!(text, "never" | "now") {
                parse_duration(text).map_err(|e| Error::usage(format!("{key}: {e}")))?;
            }
            toml_edit::value(text)
        }
        Kind::Text | Kind::Choice(_) => toml_edit::value(text),
    };
    Ok(value)
}

/// Renders a TOML value the way `config get` prints it.
pub fn display_value(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(a) => a.iter().map(display_value).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2.5s"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("2d"), Ok(Duration::from_secs(172_800)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5y").is_err());
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("10"), Ok(10));
        assert_eq!(parse_size("10MiB"), Ok(10 << 20));
        assert_eq!(parse_size("2k"), Ok(2048));
        assert_eq!(parse_size("3MB"), Ok(3_000_000));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5XB").is_err());
        assert!(parse_size("99999999999999G").is_err());
    }

    #[test]
    fn edit_keeps_comments_and_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "# my settings\n[user]\nname = \"A\"\n").expect("write");
        assert!(edit(&path, "user.email", Some("a@example.com")).expect("set"));
        assert!(edit(&path, "core.max-value-size", Some("1MiB")).expect("set"));
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.starts_with("# my settings"), "{text}");
        let file = ConfigFile::load(&path).expect("load");
        assert_eq!(
            file.get("user.email").and_then(|v| v.as_str()),
            Some("a@example.com")
        );
        assert_eq!(
            file.get("core.max-value-size").and_then(|v| v.as_integer()),
            Some(1 << 20)
        );
        assert!(edit(&path, "user.email", None).expect("unset"));
        assert!(!edit(&path, "user.email", None).expect("unset again"));
        assert!(edit(&path, "no.such", Some("x")).is_err());
        assert!(edit(&path, "color.ui", Some("sometimes")).is_err());
    }

    #[test]
    fn garbage_names_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[user]\nname = \"ok\"\nthis is not toml\n").expect("write");
        let err = ConfigFile::load(&path).expect_err("garbage").to_string();
        assert!(
            err.contains("config.toml") && err.contains("line 3"),
            "{err}"
        );
        std::fs::write(&path, "[color]\nui = \"purple\"\n").expect("write");
        let err = ConfigFile::load(&path).expect_err("bad value").to_string();
        assert!(err.contains("color.ui"), "{err}");
    }
}
