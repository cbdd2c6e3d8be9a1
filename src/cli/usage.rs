//! Command lines clap rejects, reported the way every kvgit error is (SPEC
//! section 5): one `error:` line, then `hint:` lines. clap's own rendering
//! spreads an error over several lines (possible values, tips, the usage, "For
//! more information"). The lists and tips are taken out of the error's
//! context and become hints; what clap renders without them is the message.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use std::ffi::OsString;

/// A rejected command line, ready to print.
#[derive(Debug)]
pub struct UsageError {
    /// One line, without the `error: ` prefix.
    pub message: String,
    /// What clap suggested, and the lists it would print: one line each.
    pub hints: Vec<String>,
    /// The command whose `--help` explains the usage, such as `kvgit set`.
    pub command: String,
}

impl UsageError {
    /// `args` is the whole command line, program name first.
    pub fn new(mut e: clap::Error, args: &[OsString]) -> UsageError {
        let path = subcommand_path(args);
        let mut root = super::parser();
        root.build();
        let cmd = path
            .iter()
            .try_fold(&root, |c, name| c.find_subcommand(name))
            .unwrap_or(&root);
        // Hidden subcommands are internal: never listed or suggested.
        let visible = |name: &String| {
            !cmd.find_subcommand(name)
                .is_some_and(clap::Command::is_hide_set)
        };
        let command = std::iter::once("kvgit")
            .chain(path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        let mut hints = Vec::new();

        // git's `log -3`: kvgit spells it `log -n 3`.
        if e.kind() == ErrorKind::UnknownArgument
            && path.first().is_some_and(|c| c == "log")
            && let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg)
            && let Some(n) = arg
                .strip_prefix('-')
                .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            hints.push(format!("to show at most {n} commit(s), use '-n {n}'"));
            e.remove(ContextKind::Suggested);
        }
        if e.kind() == ErrorKind::UnknownArgument
            && let Some(word) = whole_word(&e, args)
        {
            e.insert(ContextKind::InvalidArg, ContextValue::String(word.clone()));
            // clap's tip is about the letter ("use '-- -d'"); only a short
            // flag's error gets here, and its only tip is that one.
            if e.remove(ContextKind::Suggested).is_some() {
                hints.push(format!("to pass '{word}' as a value, use '-- {word}'"));
            }
        }
        if let Some(ContextValue::Strings(values)) = e.remove(ContextKind::ValidValue)
            && !values.is_empty()
        {
            hints.push(format!("possible values: {}", values.join(", ")));
        }
        if let Some(ContextValue::Strings(names)) = e.remove(ContextKind::ValidSubcommand) {
            let names: Vec<String> = names.into_iter().filter(visible).collect();
            if !names.is_empty() {
                hints.push(format!("subcommands: {}", names.join(", ")));
            }
        }
        for (kind, what) in [
            (ContextKind::SuggestedSubcommand, "subcommand"),
            (ContextKind::SuggestedArg, "argument"),
            (ContextKind::SuggestedValue, "value"),
        ] {
            let names = match e.remove(kind) {
                Some(ContextValue::String(name)) => vec![name],
                Some(ContextValue::Strings(names)) => names,
                _ => Vec::new(),
            };
            let quoted: Vec<String> = names
                .iter()
                .filter(|n| kind != ContextKind::SuggestedSubcommand || visible(n))
                .map(|n| format!("'{n}'"))
                .collect();
            match quoted.len() {
                0 => {}
                1 => hints.push(format!("a similar {what} exists: {}", quoted[0])),
                _ => hints.push(format!("some similar {what}s exist: {}", quoted.join(", "))),
            }
        }
        if let Some(ContextValue::StyledStrs(tips)) = e.remove(ContextKind::Suggested) {
            hints.extend(tips.iter().map(ToString::to_string));
        }
        e.remove(ContextKind::Usage);

        let message = if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            // Only with --json: without it, clap's help is printed instead.
            let names: Vec<&str> = cmd
                .get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(clap::Command::get_name)
                .collect();
            hints.push(format!("subcommands: {}", names.join(", ")));
            format!("'{command}' requires a subcommand but one was not provided")
        } else {
            first_paragraph(&e.render().to_string())
        };
        UsageError {
            message,
            hints,
            command,
        }
    }

    /// The `hint:` lines: the specific hints, then where the usage is explained.
    pub fn hint_lines(&self) -> Vec<String> {
        let mut lines = self.hints.clone();
        lines.push(format!("see '{} --help'", self.command));
        lines
    }

    /// The message for a `--json` error document: one line, the specific
    /// hints in parentheses.
    pub fn one_line(&self) -> String {
        if self.hints.is_empty() {
            self.message.clone()
        } else {
            format!("{} ({})", self.message, self.hints.join("; "))
        }
    }
}

/// The message of a rendered clap error, on one line: its text up to the
/// first blank line (clap puts tips, the usage and "For more information"
/// after one), lines joined with spaces (a list of missing arguments is one
/// per line).
fn first_paragraph(rendered: &str) -> String {
    let text = rendered.strip_prefix("error: ").unwrap_or(rendered);
    text.split("\n\n")
        .next()
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The subcommands the command line names (`["config", "get"]`), as far as
/// clap got before the error. `help` stops the walk: the top-level help
/// covers it.
fn subcommand_path(args: &[OsString]) -> Vec<String> {
    let Ok(matches) = super::parser()
        .ignore_errors(true)
        .try_get_matches_from(args)
    else {
        return Vec::new();
    };
    let mut path = Vec::new();
    let mut m = &matches;
    while let Some((name, sub)) = m.subcommand() {
        if name == "help" {
            break;
        }
        path.push(name.to_string());
        m = sub;
    }
    path
}

/// clap names only the letter it could not match in a group of short flags:
/// `kvgit set -dash v` is "unexpected argument '-d'". The word the user typed
/// is the argument before any `--` that starts with a single dash and holds
/// that letter: the one starting with it, else the only one holding it.
fn whole_word(e: &clap::Error, args: &[OsString]) -> Option<String> {
    let Some(ContextValue::String(invalid)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let mut chars = invalid.chars();
    let (Some('-'), Some(letter), None) = (chars.next(), chars.next(), chars.next()) else {
        return None;
    };
    if letter == '-' {
        return None;
    }
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .take_while(|a| a != "--")
        .filter(|a| {
            a.starts_with('-')
                && !a.starts_with("--")
                && a.chars().count() > 2
                && a[1..].contains(letter)
        })
        .collect();
    let starting: Vec<&String> = words
        .iter()
        .filter(|w| w[1..].starts_with(letter))
        .collect();
    match (starting.as_slice(), words.as_slice()) {
        ([word], _) => Some((*word).clone()),
        ([], [word]) => Some(word.clone()),
        _ => None,
    }
}
