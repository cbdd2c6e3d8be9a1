//! The library's error type. Each variant is one kind of failure a user can
//! meet; the binary maps kinds to exit codes in one place (`Error::exit_code`).

use crate::object::{KeyError, ValueError};
use std::path::PathBuf;
use std::time::Duration;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Value(#[from] ValueError),
    /// Bad usage or input not covered by a more specific variant.
    #[error("{0}")]
    Usage(String),
    /// The name (quoted by the caller) and what is wrong with it.
    #[error("unknown revision {0}")]
    UnknownRevision(String),
    #[error("ambiguous revision '{prefix}': it matches {}", candidates.join(", "))]
    AmbiguousRevision {
        prefix: String,
        candidates: Vec<String>,
    },
    #[error("invalid name '{name}': {reason}")]
    InvalidName { name: String, reason: String },
    #[error("stale head: expected {expected}, but {name} is at {actual}")]
    StaleHead {
        name: String,
        expected: String,
        actual: String,
    },
    #[error("timed out after {}s waiting for the repository lock", .0.as_secs_f64())]
    Busy(Duration),
    #[error("not a kvgit repository (or any parent up to /): {}", .0.display())]
    NotARepository(PathBuf),
    /// A repository this build cannot read: format version, or its config.
    #[error("{0}")]
    Unreadable(String),
    #[error("repository is corrupt: {0}")]
    Corrupt(String),
    /// The repository's state forbids the operation (exit 8).
    #[error("{message}")]
    Refused {
        message: String,
        hint: Option<String>,
    },
    #[error("{0}")]
    Io(String),
}

impl Error {
    /// The exit code of SPEC section 5.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Key(_)
            | Error::Value(_)
            | Error::Usage(_)
            | Error::UnknownRevision(_)
            | Error::AmbiguousRevision { .. }
            | Error::InvalidName { .. } => 2,
            Error::StaleHead { .. } => 4,
            Error::Busy(_) => 5,
            Error::NotARepository(_) | Error::Unreadable(_) => 6,
            Error::Corrupt(_) => 7,
            Error::Refused { .. } => 8,
            Error::Io(_) => 10,
        }
    }

    /// A stable name for the kind, used in `--json` error output.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Key(_) => "invalid_key",
            Error::Value(_) => "invalid_value",
            Error::Usage(_) => "usage",
            Error::UnknownRevision(_) => "unknown_revision",
            Error::AmbiguousRevision { .. } => "ambiguous_revision",
            Error::InvalidName { .. } => "invalid_name",
            Error::StaleHead { .. } => "stale_head",
            Error::Busy(_) => "busy",
            Error::NotARepository(_) => "not_a_repository",
            Error::Unreadable(_) => "unreadable_repository",
            Error::Corrupt(_) => "corrupt",
            Error::Refused { .. } => "refused",
            Error::Io(_) => "io",
        }
    }

    /// What the user might do about it, if there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NotARepository(_) => {
                Some("run 'kvgit init' to create a repository here, or use -C DIR".into())
            }
            Error::Busy(_) => Some(
                "another kvgit process holds the write lock; raise --lock-timeout to wait longer"
                    .into(),
            ),
            Error::AmbiguousRevision { .. } => Some("use more digits of the id".into()),
            Error::Refused { hint, .. } => hint.clone(),
            Error::Corrupt(_) => {
                Some("kvgit wrote nothing to it; restore .kvgit/kvgit.redb from a backup".into())
            }
            _ => None,
        }
    }

    pub(crate) fn usage(msg: impl Into<String>) -> Error {
        Error::Usage(msg.into())
    }

    pub(crate) fn refused(msg: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Refused {
            message: msg.into(),
            hint: Some(hint.into()),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::Io(e.to_string())
    }
}
