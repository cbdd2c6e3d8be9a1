//! Which strategy, type and gc class apply to a key, and who decided.
//!
//! Precedence for the strategy, highest first: `--force-strategy`; the
//! `-s GLOB=S` flags (last matching flag wins); the `[[rule]]` entries of the
//! repository config, then of the user config (in each, the last matching rule
//! wins, like .gitattributes); `-X S`; `merge.default`; `conflict`.
//! Globs: `*` and `?` stop at `/`, `**` crosses it.

use super::Strategy;
use crate::config::{Config, ConfigFile};
use crate::error::{Error, Result};
use crate::object::ValueType;
use globset::{Glob, GlobBuilder, GlobMatcher};

/// The gc class of a key: protected keys are never evicted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GcClass {
    Normal,
    Protected,
}

impl GcClass {
    pub fn name(self) -> &'static str {
        match self {
            GcClass::Normal => "normal",
            GcClass::Protected => "protected",
        }
    }
}

/// One `[[rule]]` entry.
#[derive(Debug, Clone)]
pub struct Rule {
    pub keys: Vec<String>,
    matchers: Vec<GlobMatcher>,
    pub value_type: Option<ValueType>,
    pub merge: Option<Strategy>,
    pub gc: Option<GcClass>,
    /// Where it was written, for explanations: `rule 2 (counters/**) in FILE`.
    pub origin: String,
}

impl Rule {
    pub fn matches(&self, key: &str) -> bool {
        self.matchers.iter().any(|m| m.is_match(key))
    }
}

/// Compiles a key glob: `*` and `?` do not cross `/`, `**` does.
pub fn compile_glob(pattern: &str) -> std::result::Result<GlobMatcher, String> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map(|g: Glob| g.compile_matcher())
        .map_err(|e| format!("invalid key pattern '{pattern}': {e}"))
}

/// Reads the `[[rule]]` entries of one config file.
pub fn rules_of(file: &ConfigFile) -> Result<Vec<Rule>> {
    let Some(raw) = file.raw("rule") else {
        return Ok(Vec::new());
    };
    let bad = |n: usize, why: String| {
        Error::Unreadable(format!(
            "invalid config file {}: rule {n}: {why}",
            file.path.display()
        ))
    };
    let list = raw
        .as_array()
        .ok_or_else(|| bad(0, "'rule' must be written as [[rule]] tables".into()))?;
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let n = i + 1;
        let table = item
            .as_table()
            .ok_or_else(|| bad(n, "each rule must be a [[rule]] table".into()))?;
        for field in table.keys() {
            if !["keys", "type", "merge", "gc"].contains(&field.as_str()) {
                return Err(bad(
                    n,
                    format!("unknown field '{field}' (expected keys, type, merge, gc)"),
                ));
            }
        }
        let keys: Vec<String> = match table.get("keys") {
            Some(toml::Value::String(s)) => vec![s.clone()],
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| bad(n, "keys must be a string or a list of strings".into()))?,
            _ => {
                return Err(bad(
                    n,
                    "a rule needs keys = \"GLOB\" or keys = [\"GLOB\", ...]".into(),
                ));
            }
        };
        if keys.is_empty() {
            return Err(bad(n, "keys must not be empty".into()));
        }
        let matchers = keys
            .iter()
            .map(|k| compile_glob(k))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| bad(n, e))?;
        let text = |field: &str| -> Result<Option<&str>> {
            match table.get(field) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s.as_str())),
                Some(_) => Err(bad(n, format!("{field} must be a string"))),
            }
        };
        let value_type = text("type")?
            .map(|t| t.parse::<ValueType>().map_err(|e| bad(n, e.to_string())))
            .transpose()?;
        let merge = text("merge")?
            .map(|m| m.parse::<Strategy>().map_err(|e| bad(n, e)))
            .transpose()?;
        let gc = match text("gc")? {
            None => None,
            Some("protected") => Some(GcClass::Protected),
            Some("normal") => Some(GcClass::Normal),
            Some(other) => {
                return Err(bad(
                    n,
                    format!("gc must be 'protected' or 'normal', not '{other}'"),
                ));
            }
        };
        out.push(Rule {
            origin: format!("rule {n} ({}) in {}", keys.join(", "), file.path.display()),
            keys,
            matchers,
            value_type,
            merge,
            gc,
        });
    }
    Ok(out)
}

/// Strategy choices given on the command line of one merge.
#[derive(Debug, Clone, Default)]
pub struct StrategyFlags {
    /// `--force-strategy S`
    pub force: Option<Strategy>,
    /// `-s GLOB=S`, in the order given.
    pub per_key: Vec<(String, GlobMatcher, Strategy)>,
    /// `-X S`
    pub default: Option<Strategy>,
}

impl StrategyFlags {
    /// Parses one `-s GLOB=S` flag.
    pub fn add(&mut self, spec: &str) -> Result<()> {
        let (glob, strategy) = spec
            .rsplit_once('=')
            .ok_or_else(|| Error::usage(format!("-s '{spec}': expected GLOB=STRATEGY")))?;
        let strategy = strategy.parse::<Strategy>().map_err(Error::Usage)?;
        let matcher = compile_glob(glob).map_err(Error::Usage)?;
        self.per_key.push((glob.to_string(), matcher, strategy));
        Ok(())
    }
}

/// A choice and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided<T> {
    pub value: T,
    pub by: String,
}

/// All the rules that apply to a repository: its config, the user's, and the
/// flags of the current command.
#[derive(Debug, Clone)]
pub struct Attributes {
    repo: Vec<Rule>,
    user: Vec<Rule>,
    merge_default: Option<Decided<Strategy>>,
    pub flags: StrategyFlags,
}

/// The gc class every repository has without rules: keys whose name, or last
/// segment, starts with `__`.
const DEFAULT_PROTECTED: [&str; 2] = ["__*", "**/__*"];

impl Attributes {
    pub fn load(config: &Config, flags: StrategyFlags) -> Result<Attributes> {
        let merge_default = match config.get("merge.default") {
            None => None,
            Some(v) => {
                let name = v.as_str().unwrap_or_default();
                let value = name.parse::<Strategy>().map_err(Error::Unreadable)?;
                let file = if config.repo.get("merge.default").is_some() {
                    &config.repo.path
                } else {
                    &config.user.path
                };
                Some(Decided {
                    value,
                    by: format!("merge.default in {}", file.display()),
                })
            }
        };
        Ok(Attributes {
            repo: rules_of(&config.repo)?,
            user: rules_of(&config.user)?,
            merge_default,
            flags,
        })
    }

    /// Rules in ascending precedence: user rules, then repository rules.
    fn rules(&self) -> impl DoubleEndedIterator<Item = &Rule> {
        self.user.iter().chain(self.repo.iter())
    }

    fn last_rule<T>(&self, key: &str, field: impl Fn(&Rule) -> Option<T>) -> Option<Decided<T>> {
        self.rules().rev().find_map(|r| {
            if !r.matches(key) {
                return None;
            }
            field(r).map(|value| Decided {
                value,
                by: r.origin.clone(),
            })
        })
    }

    pub fn strategy_for(&self, key: &str) -> Decided<Strategy> {
        if let Some(s) = self.flags.force {
            return Decided {
                value: s,
                by: "--force-strategy".into(),
            };
        }
        if let Some((glob, _, s)) = self
            .flags
            .per_key
            .iter()
            .rev()
            .find(|(_, m, _)| m.is_match(key))
        {
            return Decided {
                value: *s,
                by: format!("-s {glob}={s}"),
            };
        }
        if let Some(d) = self.last_rule(key, |r| r.merge) {
            return d;
        }
        if let Some(s) = self.flags.default {
            return Decided {
                value: s,
                by: "-X".into(),
            };
        }
        if let Some(d) = &self.merge_default {
            return d.clone();
        }
        Decided {
            value: Strategy::Conflict,
            by: "default".into(),
        }
    }

    /// The type a rule fixes for `key`, if any.
    pub fn type_for(&self, key: &str) -> Option<Decided<ValueType>> {
        self.last_rule(key, |r| r.value_type)
    }

    pub fn gc_class_for(&self, key: &str) -> Decided<GcClass> {
        if let Some(d) = self.last_rule(key, |r| r.gc) {
            return d;
        }
        let protected = DEFAULT_PROTECTED.iter().any(|g| {
            compile_glob(g)
                .expect("built-in globs are valid")
                .is_match(key)
        });
        Decided {
            value: if protected {
                GcClass::Protected
            } else {
                GcClass::Normal
            },
            by: if protected {
                "default (__* and */__* are protected)".into()
            } else {
                "default".into()
            },
        }
    }

    /// Checks a value about to be written against the type a rule fixes.
    pub fn check_type(&self, key: &str, ty: ValueType) -> Result<()> {
        match self.type_for(key) {
            Some(d) if d.value != ty => Err(Error::Usage(format!(
                "key '{key}' must hold {} ({}), not {}",
                d.value.with_article(),
                d.by,
                ty.with_article()
            ))),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(repo: &str, user: &str) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (rp, up) = (dir.path().join("repo.toml"), dir.path().join("user.toml"));
        std::fs::write(&rp, repo).expect("write");
        std::fs::write(&up, user).expect("write");
        let c = Config::load(&rp, Some(&up)).expect("valid config");
        (dir, c)
    }

    #[test]
    fn config_knows_every_strategy_name() {
        let names: Vec<&str> = Strategy::ALL.iter().map(|s| s.name()).collect();
        assert_eq!(names, crate::config::STRATEGY_NAMES);
    }

    #[test]
    fn globs_stop_at_slash_unless_double_star() {
        let one = compile_glob("counters/*").expect("valid");
        assert!(one.is_match("counters/a"));
        assert!(!one.is_match("counters/a/b"));
        let any = compile_glob("counters/**").expect("valid");
        assert!(any.is_match("counters/a/b"));
        let q = compile_glob("k?").expect("valid");
        assert!(q.is_match("k1") && !q.is_match("k/"));
    }

    #[test]
    fn precedence_force_then_flags_then_repo_then_user_then_default() {
        let (_d, c) = config(
            "[merge]\ndefault = \"lww\"\n[[rule]]\nkeys = \"a/**\"\nmerge = \"max\"\n[[rule]]\nkeys = [\"a/b\", \"z\"]\nmerge = \"min\"\n",
            "[[rule]]\nkeys = \"**\"\nmerge = \"theirs\"\n[[rule]]\nkeys = \"u/*\"\nmerge = \"union\"\n",
        );
        let attrs = Attributes::load(&c, StrategyFlags::default()).expect("load");
        assert_eq!(attrs.strategy_for("a/x").value, Strategy::Max);
        assert_eq!(
            attrs.strategy_for("a/b").value,
            Strategy::Min,
            "last matching rule wins"
        );
        assert_eq!(
            attrs.strategy_for("u/1").value,
            Strategy::Union,
            "user rules apply"
        );
        assert_eq!(attrs.strategy_for("other").value, Strategy::Theirs);
        assert!(attrs.strategy_for("a/b").by.contains("rule 2"));

        let mut flags = StrategyFlags::default();
        flags.add("a/*=counter").expect("valid");
        flags.add("a/b=json").expect("valid");
        flags.default = Some(Strategy::Ours);
        let attrs = Attributes::load(&c, flags.clone()).expect("load");
        assert_eq!(
            attrs.strategy_for("a/b").value,
            Strategy::Json,
            "last matching flag wins"
        );
        assert_eq!(attrs.strategy_for("a/c").value, Strategy::Counter);
        assert_eq!(
            attrs.strategy_for("a/c/d").value,
            Strategy::Max,
            "flag glob does not cross /"
        );
        flags.force = Some(Strategy::Conflict);
        let attrs = Attributes::load(&c, flags).expect("load");
        assert_eq!(attrs.strategy_for("a/b").value, Strategy::Conflict);

        let (_d, c) = config("[merge]\ndefault = \"lww\"\n", "");
        let mut flags = StrategyFlags::default();
        assert_eq!(
            Attributes::load(&c, flags.clone())
                .expect("load")
                .strategy_for("k")
                .value,
            Strategy::Lww
        );
        flags.default = Some(Strategy::Min);
        assert_eq!(
            Attributes::load(&c, flags)
                .expect("load")
                .strategy_for("k")
                .value,
            Strategy::Min,
            "-X beats merge.default"
        );
        let (_d, c) = config("", "");
        assert_eq!(
            Attributes::load(&c, StrategyFlags::default())
                .expect("load")
                .strategy_for("k")
                .value,
            Strategy::Conflict
        );
    }

    #[test]
    fn types_and_gc_classes() {
        let (_d, c) = config(
            "[[rule]]\nkeys = \"counters/**\"\ntype = \"int\"\n[[rule]]\nkeys = \"keep/*\"\ngc = \"protected\"\n",
            "",
        );
        let attrs = Attributes::load(&c, StrategyFlags::default()).expect("load");
        assert_eq!(
            attrs.type_for("counters/x").map(|d| d.value),
            Some(ValueType::Int)
        );
        assert!(attrs.check_type("counters/x", ValueType::String).is_err());
        assert!(attrs.check_type("counters/x", ValueType::Int).is_ok());
        assert!(attrs.check_type("free", ValueType::String).is_ok());
        assert_eq!(attrs.gc_class_for("keep/a").value, GcClass::Protected);
        assert_eq!(attrs.gc_class_for("__meta").value, GcClass::Protected);
        assert_eq!(attrs.gc_class_for("a/b/__x").value, GcClass::Protected);
        assert_eq!(attrs.gc_class_for("a/b_x").value, GcClass::Normal);
    }

    #[test]
    fn bad_rules_name_the_file_and_rule() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("c.toml");
        for bad in [
            "[[rule]]\nmerge = \"max\"\n",
            "[[rule]]\nkeys = \"a\"\nmerge = \"nope\"\n",
            "[[rule]]\nkeys = \"a\"\ntype = \"uint\"\n",
            "[[rule]]\nkeys = \"a[\"\n",
            "[[rule]]\nkeys = \"a\"\ncolour = \"red\"\n",
            "rule = 5\n",
        ] {
            std::fs::write(&p, bad).expect("write");
            let c = Config::load(&p, None).expect("toml is valid");
            let err = Attributes::load(&c, StrategyFlags::default())
                .expect_err(bad)
                .to_string();
            assert!(err.contains("c.toml"), "{err}");
        }
    }
}
