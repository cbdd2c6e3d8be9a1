//! Key validation: one error variant per rule, each with a sentence a user
//! understands.

/// The longest key, in bytes of UTF-8.
pub const MAX_KEY_BYTES: usize = 1024;

/// Why a key was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("invalid key: a key must not be empty")]
    Empty,
    #[error("invalid key: a key is at most {MAX_KEY_BYTES} bytes, this one has {0}")]
    TooLong(usize),
    #[error("invalid key '{key}': a key must not contain a NUL byte (at byte {at})")]
    Nul { key: String, at: usize },
    #[error(
        "invalid key '{key}': a key must not contain control character U+{code:04X} (at byte {at})"
    )]
    Control { key: String, code: u32, at: usize },
    #[error(
        "invalid key '{0}': '/' separates non-empty segments (no leading or trailing '/', no '//')"
    )]
    EmptySegment(String),
}

/// Checks that `key` is a valid kvgit key: non-empty, at most 1024 bytes,
/// free of NUL and other control characters, and made of non-empty segments
/// separated by `/`.
pub fn validate_key(key: &str) -> Result<(), KeyError> {
    if key.is_empty() {
        return Err(KeyError::Empty);
    }
    if key.len() > MAX_KEY_BYTES {
        return Err(KeyError::TooLong(key.len()));
    }
    for (at, c) in key.char_indices() {
        if c == '\0' {
            return Err(KeyError::Nul {
                key: key.escape_debug().to_string(),
                at,
            });
        }
        if c.is_control() {
            return Err(KeyError::Control {
                key: key.escape_debug().to_string(),
                code: c as u32,
                at,
            });
        }
    }
    if key.split('/').any(str::is_empty) {
        return Err(KeyError::EmptySegment(key.to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_and_namespaced_keys() {
        for key in [
            "a",
            "users/42/name",
            "ünïcødé",
            "with space",
            &"k".repeat(1024),
        ] {
            assert_eq!(validate_key(key), Ok(()), "{key}");
        }
    }

    #[test]
    fn each_rule_has_its_own_error() {
        assert_eq!(validate_key(""), Err(KeyError::Empty));
        assert_eq!(
            validate_key(&"k".repeat(1025)),
            Err(KeyError::TooLong(1025))
        );
        // A multi-byte character counts by bytes, not characters.
        assert_eq!(validate_key(&"é".repeat(513)), Err(KeyError::TooLong(1026)));
        assert!(matches!(
            validate_key("a\0b"),
            Err(KeyError::Nul { at: 1, .. })
        ));
        assert!(matches!(
            validate_key("a\nb"),
            Err(KeyError::Control {
                code: 0x0A,
                at: 1,
                ..
            })
        ));
        assert!(matches!(
            validate_key("x\u{7f}"),
            Err(KeyError::Control { code: 0x7F, .. })
        ));
        assert!(matches!(
            validate_key("x\u{85}"),
            Err(KeyError::Control { code: 0x85, .. })
        ));
        for key in ["/a", "a/", "a//b", "/"] {
            assert_eq!(
                validate_key(key),
                Err(KeyError::EmptySegment(key.to_string())),
                "{key}"
            );
        }
    }

    #[test]
    fn messages_name_the_rule() {
        let msg = validate_key("a\tb")
            .expect_err("tab is a control character")
            .to_string();
        assert!(msg.contains("control character U+0009"), "{msg}");
        let msg = validate_key(&"k".repeat(2000))
            .expect_err("too long")
            .to_string();
        assert!(msg.contains("at most 1024 bytes"), "{msg}");
    }
}
