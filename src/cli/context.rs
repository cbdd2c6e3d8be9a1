//! What every command needs: the global flags, finding and opening the
//! repository, the author and time, the namespace view, and colour.

use super::output::Paint;
use super::{ColorChoice, GlobalArgs};
use anyhow::Context as _;
use kvgit::Error;
pub use kvgit::config::parse_duration;
use kvgit::repo::{Access, OpenOptions, Repo, Signature};
use std::cell::OnceCell;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Ctx {
    pub json: bool,
    pub quiet: bool,
    /// `--color`; settled on first use (it may read the config files).
    color: ColorChoice,
    paint: OnceCell<Paint>,
    /// The namespace prefix with its trailing `/`, or empty.
    ns: String,
    dir: Option<PathBuf>,
    lock_timeout: Duration,
}

impl Ctx {
    pub fn new(g: GlobalArgs) -> anyhow::Result<Ctx> {
        let ns = match g.ns.as_deref().map(|s| s.trim_matches('/')) {
            None | Some("") => String::new(),
            Some(prefix) => {
                kvgit::object::validate_key(prefix).map_err(Error::from)?;
                format!("{prefix}/")
            }
        };
        Ok(Ctx {
            json: g.json,
            quiet: g.quiet,
            color: g.color,
            paint: OnceCell::new(),
            ns,
            dir: g.dir,
            lock_timeout: parse_duration(&g.lock_timeout)
                .map_err(|e| Error::Usage(format!("--lock-timeout: {e}")))?,
        })
    }

    /// How to colour output: `--color`, else `color.ui`, else colour on a
    /// terminal unless `NO_COLOR` is set; never with `--json`. Worked out on
    /// first use, so that commands that print no colour never read the
    /// config for it.
    pub fn paint(&self) -> &Paint {
        self.paint.get_or_init(|| {
            let choice = match self.color {
                ColorChoice::Auto => {
                    configured_color(self.dir.as_deref()).unwrap_or(ColorChoice::Auto)
                }
                flag => flag,
            };
            let colour = match choice {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                        && std::io::stdout().is_terminal()
                }
            };
            Paint::new(colour && !self.json)
        })
    }

    /// The directory commands run in (`-C`, else the current directory).
    pub fn work_dir(&self) -> anyhow::Result<PathBuf> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        match &self.dir {
            Some(d) => {
                let dir = cwd.join(d);
                if !dir.is_dir() {
                    return Err(Error::Usage(format!(
                        "cannot change to '{}': no such directory",
                        d.display()
                    ))
                    .into());
                }
                Ok(dir)
            }
            None => Ok(cwd),
        }
    }

    /// A path the user gave, relative to `-C DIR` like everything else.
    pub fn user_path(&self, path: &Path) -> anyhow::Result<PathBuf> {
        Ok(self.work_dir()?.join(path))
    }

    pub fn lock_timeout(&self) -> Duration {
        self.lock_timeout
    }

    /// Finds and opens the repository; `writable` for commands that write.
    pub fn open(&self, writable: bool) -> anyhow::Result<Repo> {
        self.open_for(if writable {
            Access::Write
        } else {
            Access::Read
        })
    }

    /// Finds and opens the repository for a command that may write a lot:
    /// import, batch, gc.
    pub fn open_bulk(&self) -> anyhow::Result<Repo> {
        self.open_for(Access::Bulk)
    }

    /// Finds and opens the repository for fsck: writable, after the storage
    /// engine's own integrity check.
    pub fn open_checked(&self) -> anyhow::Result<Repo> {
        self.open_for(Access::Check)
    }

    fn open_for(&self, access: Access) -> anyhow::Result<Repo> {
        let kvdir = match std::env::var_os("KVGIT_DIR") {
            Some(d) if !d.is_empty() => {
                let d = self.work_dir()?.join(d);
                if !d.join(kvgit::repo::DB_FILE).exists() && !d.is_dir() {
                    return Err(Error::NotARepository(d).into());
                }
                d
            }
            _ => Repo::discover(&self.work_dir()?)?,
        };
        let opts = OpenOptions {
            access,
            lock_timeout: self.lock_timeout,
            user_config: user_config_path(),
            now: now(),
        };
        Ok(Repo::open(&kvdir, &opts)?)
    }

    /// The author and time for a new commit or ref move.
    pub fn signature(&self, repo: &Repo) -> anyhow::Result<Signature> {
        let author = match std::env::var("KVGIT_AUTHOR_NAME") {
            Ok(name) if !name.is_empty() => name,
            _ => match (
                repo.config.get_str("user.name"),
                repo.config.get_str("user.email"),
            ) {
                (Some(n), Some(e)) => format!("{n} <{e}>"),
                (Some(n), None) => n.to_string(),
                _ => std::env::var("USER")
                    .or_else(|_| std::env::var("LOGNAME"))
                    .unwrap_or_else(|_| "unknown".into()),
            },
        };
        let time = match std::env::var("KVGIT_AUTHOR_DATE") {
            Ok(text) if !text.is_empty() => {
                parse_date(&text).map_err(|e| Error::Usage(format!("KVGIT_AUTHOR_DATE: {e}")))?
            }
            _ => jiff::Timestamp::now().as_second(),
        };
        Ok(Signature { author, time })
    }

    /// A key as stored: the namespace prefix applied.
    pub fn key(&self, key: &str) -> String {
        format!("{}{key}", self.ns)
    }

    /// A stored key as shown: relative to the namespace.
    pub fn show_key<'a>(&self, key: &'a str) -> &'a str {
        key.strip_prefix(self.ns.as_str()).unwrap_or(key)
    }

    /// The namespace prefix (with trailing `/`), empty outside a namespace.
    pub fn ns(&self) -> &str {
        &self.ns
    }

    /// Prints an informational line on stderr unless `--quiet` or `--json`.
    pub fn note(&self, msg: impl std::fmt::Display) {
        if !self.quiet && !self.json {
            eprintln!("{msg}");
        }
    }
}

/// `color.ui` from the repository config (if there is a repository), else
/// the user config. Unreadable files are left for the command to report.
fn configured_color(dir: Option<&Path>) -> Option<ColorChoice> {
    let cwd = std::env::current_dir().ok()?;
    let start = dir.map_or(cwd.clone(), |d| cwd.join(d));
    let repo = Repo::discover(&start)
        .ok()
        .map(|d| d.join(kvgit::repo::CONFIG_FILE));
    let config = kvgit::config::Config::load(
        repo.as_deref().unwrap_or(Path::new("")),
        user_config_path().as_deref(),
    )
    .ok()?;
    match config.get_str("color.ui")? {
        "always" => Some(ColorChoice::Always),
        "never" => Some(ColorChoice::Never),
        _ => Some(ColorChoice::Auto),
    }
}

/// The wall-clock time, in seconds since the epoch.
pub fn now() -> u64 {
    jiff::Timestamp::now().as_second().max(0) as u64
}

/// `$XDG_CONFIG_HOME/kvgit/config.toml`, else `~/.config/kvgit/config.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(&std::env::var_os("HOME")?).join(".config"),
    };
    Some(base.join("kvgit").join("config.toml"))
}

/// Parses seconds since the epoch (optionally `@`-prefixed) or an RFC 3339 time.
pub fn parse_date(text: &str) -> Result<i64, String> {
    let t = text.trim().trim_start_matches('@');
    if let Ok(secs) = t.parse::<i64>() {
        return Ok(secs);
    }
    t.parse::<jiff::Timestamp>()
        .map(|ts| ts.as_second())
        .map_err(|e| format!("'{text}' is neither seconds since 1970 nor an RFC 3339 time ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1700000000"), Ok(1_700_000_000));
        assert_eq!(parse_date("@5"), Ok(5));
        assert_eq!(parse_date("2023-11-14T22:13:20Z"), Ok(1_700_000_000));
        assert!(parse_date("yesterday").is_err());
    }
}
