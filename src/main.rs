//! The `kvgit` binary: parse, run, and map the outcome to an exit code in one
//! place (`classify`).

mod cli;

use clap::error::ErrorKind;
use std::ffi::OsString;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Panics that reach here are bugs; the storage layer turns the engine's
    // own panics on damaged files into errors. Keep the default hook quiet so
    // those caught panics print nothing, and report uncaught ones below.
    std::panic::set_hook(Box::new(|_| {}));
    let args: Vec<OsString> = std::env::args_os().collect();
    let invocation = match cli::parse(&args) {
        Ok(invocation) => invocation,
        Err(e) => return report_parse_error(e, &args),
    };
    let json = invocation.json();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli::run(invocation)));
    let (code, kind, err) = match result {
        Ok(Ok(code)) => (code, "", None),
        Ok(Err(e)) => {
            let (code, kind) = classify(&e);
            (code, kind, Some(e))
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let e = anyhow::anyhow!("internal error (a bug in kvgit): {msg}");
            (10, "internal", Some(e))
        }
    };
    if let Some(e) = err {
        if is_broken_pipe(&e) {
            return ExitCode::SUCCESS;
        }
        if json {
            print_json_error(kind, code, &format!("{e:#}"));
        } else {
            eprintln!("error: {e:#}");
            if let Some(hint) = e
                .downcast_ref::<kvgit::Error>()
                .and_then(kvgit::Error::hint)
            {
                eprintln!("hint: {hint}");
            }
        }
    }
    ExitCode::from(code as u8)
}

/// Reports a command line clap did not run: the help or version asked for,
/// or a usage error (exit 2) as one `error:` line and `hint:` lines, or with
/// `--json` as the error document.
fn report_parse_error(e: clap::Error, args: &[OsString]) -> ExitCode {
    let code = e.exit_code();
    // After `--` a word is an argument, not a flag.
    let wants_json = args
        .iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "--json");
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
        }
        // `kvgit` alone (or `kvgit config`) prints the help, exit 2.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand if !wants_json => {
            let _ = e.print();
        }
        _ => {
            let usage = cli::UsageError::new(e, args);
            if wants_json {
                print_json_error("usage", code, &usage.one_line());
            } else {
                eprintln!("error: {}", usage.message);
                for hint in usage.hint_lines() {
                    eprintln!("hint: {hint}");
                }
            }
        }
    }
    ExitCode::from(code as u8)
}

/// The exit code (SPEC section 5) and the JSON `kind` of an error.
fn classify(e: &anyhow::Error) -> (i32, &'static str) {
    if let Some(k) = e.downcast_ref::<kvgit::Error>() {
        return (k.exit_code(), k.kind());
    }
    if e.downcast_ref::<kvgit::object::ValueError>().is_some() {
        return (2, "invalid_value");
    }
    if e.downcast_ref::<kvgit::object::KeyError>().is_some() {
        return (2, "invalid_key");
    }
    // Anything else is a runtime failure: I/O on stdin/stdout and the like.
    (10, "io")
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    let pipe = Some(std::io::ErrorKind::BrokenPipe);
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == pipe
            // JSON output fails inside serde_json, which keeps the I/O error.
            || c.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == pipe
    })
}

fn print_json_error(kind: &str, code: i32, message: &str) {
    let doc = serde_json::json!({"error": {"kind": kind, "code": code, "message": message}});
    eprintln!("{doc}");
}
