//! `kvgit config`

use super::Ctx;
use super::context::user_config_path;
use super::output::print_json;
use clap::{Args, Subcommand};
use kvgit::config::{self, ConfigFile, display_value};
use kvgit::repo::{CONFIG_FILE, Repo};
use serde_json::json;
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
}

fn repo_config(ctx: &Ctx) -> anyhow::Result<PathBuf> {
    let dir = match std::env::var_os("KVGIT_DIR") {
        Some(d) if !d.is_empty() => ctx.work_dir()?.join(d),
        _ => Repo::discover(&ctx.work_dir()?)?,
    };
    Ok(dir.join(CONFIG_FILE))
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
            let files: Vec<(&str, ConfigFile)> = if args.global {
                vec![("user", ConfigFile::load(&user_config()?)?)]
            } else {
                let mut v = vec![("repository", ConfigFile::load(&repo_config(ctx)?)?)];
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
        ConfigAction::List => {
            let mut rows = Vec::new();
            let mut files = Vec::new();
            if args.global {
                files.push(("user", user_config()?));
            } else {
                files.push(("repository", repo_config(ctx)?));
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
