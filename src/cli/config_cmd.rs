//! `kvgit config`

use super::context::user_config_path;
use super::merge::strategy_parser;
use super::output::print_json;
use super::{Ctx, TypeArg};
use clap::{Args, Subcommand};
use kvgit::config::{self, ConfigFile, display_value};
use kvgit::merge::Strategy;
use kvgit::merge::rules::{compile_glob, rules_of};
use kvgit::object::ValueType;
use kvgit::repo::{CONFIG_FILE, Repo};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Use the user config file instead of the repository's
    #[arg(long, global = true)]
    pub global: bool,
    #[command(subcommand)]
    pub action: ConfigAction,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print a setting (repository first, then user, unless --global)
    Get {
        /// A dotted key such as user.name
        key: String,
    },
    /// Change a setting
    Set {
        /// A dotted key such as user.name
        key: String,
        value: String,
    },
    /// Remove a setting
    Unset {
        /// A dotted key such as user.name
        key: String,
    },
    /// List settings and the file each comes from
    List,
    /// Add, list or remove [[rule]] entries (per-key type, merge strategy, gc class)
    Rule {
        #[command(subcommand)]
        action: RuleAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum RuleAction {
    /// Add a rule for keys matching the globs (* and ? stop at /, ** crosses it)
    Add {
        #[arg(required = true, value_name = "GLOB")]
        keys: Vec<String>,
        /// The type values of these keys must have
        #[arg(long = "type", value_name = "TYPE")]
        value_type: Option<TypeArg>,
        /// The merge strategy for these keys
        #[arg(long, value_name = "S", value_parser = strategy_parser())]
        merge: Option<Strategy>,
        /// The gc class: protected keys are never evicted
        #[arg(long, value_name = "CLASS", value_parser = ["protected", "normal"])]
        gc: Option<String>,
    },
    /// List the rules, lowest precedence first (the last matching rule wins)
    List,
    /// Remove rule number N (as 'rule list' numbers them)
    Remove { n: usize },
}

fn repo_config(ctx: &Ctx) -> anyhow::Result<PathBuf> {
    let dir = match std::env::var_os("KVGIT_DIR") {
        Some(d) if !d.is_empty() => {
            let d = ctx.work_dir()?.join(d);
            if !d.join(kvgit::repo::DB_FILE).is_file() {
                return Err(kvgit::Error::NotARepository(d).into());
            }
            d
        }
        _ => Repo::discover(&ctx.work_dir()?)?,
    };
    Ok(dir.join(CONFIG_FILE))
}

/// The repository config when reading: outside a repository there is none,
/// and only the user config applies.
fn repo_config_if_any(ctx: &Ctx) -> anyhow::Result<Option<PathBuf>> {
    match repo_config(ctx) {
        Ok(p) => Ok(Some(p)),
        Err(e)
            if matches!(
                e.downcast_ref::<kvgit::Error>(),
                Some(kvgit::Error::NotARepository(_))
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn user_config() -> anyhow::Result<PathBuf> {
    user_config_path().ok_or_else(|| {
        kvgit::Error::Usage("no user config location: set HOME or XDG_CONFIG_HOME".into()).into()
    })
}

pub fn run(ctx: &Ctx, args: ConfigArgs) -> anyhow::Result<i32> {
    let scope = if args.global { "user" } else { "repository" };
    let target = || {
        if args.global {
            user_config()
        } else {
            repo_config(ctx)
        }
    };
    match args.action {
        ConfigAction::Get { key } => {
            config::known_key(&key)?;
            let files: Vec<(&str, ConfigFile)> = if args.global {
                vec![("user", ConfigFile::load(&user_config()?)?)]
            } else {
                let mut v = Vec::new();
                if let Some(p) = repo_config_if_any(ctx)? {
                    v.push(("repository", ConfigFile::load(&p)?));
                }
                if let Some(p) = user_config_path() {
                    v.push(("user", ConfigFile::load(&p)?));
                }
                v
            };
            let found = files
                .iter()
                .find_map(|(scope, f)| f.get(&key).map(|v| (*scope, v.clone())));
            match found {
                Some((scope, value)) => {
                    if ctx.json {
                        print_json(
                            &json!({"key": key, "value": display_value(&value), "scope": scope}),
                        )?;
                    } else {
                        println!("{}", display_value(&value));
                    }
                    Ok(0)
                }
                None => {
                    if ctx.json {
                        print_json(&json!({"key": key, "found": false}))?;
                    } else if !ctx.quiet {
                        eprintln!("{key} is not set");
                    }
                    Ok(1)
                }
            }
        }
        ConfigAction::Set { key, value } => {
            let path = target()?;
            config::edit(&path, &key, Some(&value))?;
            if ctx.json {
                print_json(&json!({"key": key, "value": value, "scope": scope, "changed": true}))?;
            }
            Ok(0)
        }
        ConfigAction::Unset { key } => {
            let path = target()?;
            let changed = config::edit(&path, &key, None)?;
            if ctx.json {
                print_json(&json!({"key": key, "scope": scope, "changed": changed}))?;
            } else if !changed {
                ctx.note(format!("{key} was not set in the {scope} config"));
            }
            Ok(0)
        }
        ConfigAction::Rule { action } => rule(ctx, args.global, action),
        ConfigAction::List => {
            let mut rows = Vec::new();
            let mut files = Vec::new();
            if args.global {
                files.push(("user", user_config()?));
            } else {
                if let Some(p) = repo_config_if_any(ctx)? {
                    files.push(("repository", p));
                }
                if let Some(p) = user_config_path() {
                    files.push(("user", p));
                }
            }
            for (scope, path) in files {
                for (key, value) in ConfigFile::load(&path)?.entries() {
                    rows.push((scope, key, display_value(&value)));
                }
            }
            if ctx.json {
                let list: Vec<_> = rows
                    .iter()
                    .map(|(s, k, v)| json!({"key": k, "value": v, "scope": s}))
                    .collect();
                print_json(&list)?;
            } else {
                for (scope, key, value) in rows {
                    println!("{scope}\t{key}={value}");
                }
            }
            Ok(0)
        }
    }
}

fn rule(ctx: &Ctx, global: bool, action: RuleAction) -> anyhow::Result<i32> {
    let (scope, path) = if global {
        ("user", user_config()?)
    } else {
        ("repository", repo_config(ctx)?)
    };
    match action {
        RuleAction::Add {
            keys,
            value_type,
            merge,
            gc,
        } => {
            for k in &keys {
                compile_glob(k).map_err(kvgit::Error::Usage)?;
            }
            if value_type.is_none() && merge.is_none() && gc.is_none() {
                return Err(
                    kvgit::Error::Usage("a rule needs --type, --merge or --gc".into()).into(),
                );
            }
            let ty = value_type.map(|t| ValueType::from(t).name());
            let n = config::add_rule(&path, &keys, ty, merge.map(Strategy::name), gc.as_deref())?;
            if ctx.json {
                print_json(&json!({"added": n, "scope": scope}))?;
            } else {
                ctx.note(format!("Added rule {n} to the {scope} config"));
            }
            Ok(0)
        }
        RuleAction::Remove { n } => {
            if !config::remove_rule(&path, n)? {
                return Err(kvgit::Error::Usage(format!(
                    "there is no rule {n} in the {scope} config"
                ))
                .into());
            }
            if ctx.json {
                print_json(&json!({"removed": n, "scope": scope}))?;
            }
            Ok(0)
        }
        RuleAction::List => {
            let mut files = vec![(scope, path)];
            if !global && let Some(p) = user_config_path() {
                files.insert(0, ("user", p));
            }
            let mut docs = Vec::new();
            let mut out = std::io::stdout().lock();
            for (scope, path) in files {
                for (i, r) in rules_of(&ConfigFile::load(&path)?)?.iter().enumerate() {
                    let ty = r.value_type.map(|t| t.name());
                    let merge = r.merge.map(|m| m.name());
                    let gc = r.gc.map(|g| g.name());
                    if ctx.json {
                        docs.push(json!({"scope": scope, "index": i + 1, "keys": r.keys, "type": ty, "merge": merge, "gc": gc}));
                    } else {
                        let mut parts = vec![format!("keys={}", r.keys.join(","))];
                        parts.extend(ty.map(|t| format!("type={t}")));
                        parts.extend(merge.map(|m| format!("merge={m}")));
                        parts.extend(gc.map(|g| format!("gc={g}")));
                        writeln!(out, "{scope}\t{}\t{}", i + 1, parts.join(" "))?;
                    }
                }
            }
            if ctx.json {
                print_json(&docs)?;
            }
            Ok(0)
        }
    }
}
