//! The `kvgit` binary: parse, run, and map the outcome to an exit code in one
//! place (`classify`).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Panics that reach here are bugs; the storage layer turns the engine's
    // own panics on damaged files into errors. Keep the default hook quiet so
    // those caught panics print nothing, and report uncaught ones below.
    std::panic::set_hook(Box::new(|_| {}));
    let wants_json = std::env::args_os().any(|a| a == "--json");
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            if wants_json && code == 2 {
                // clap's message without its usage and help lines, on one line.
                let msg = e.to_string();
                let text: Vec<&str> = msg
                    .lines()
                    .map(str::trim)
                    .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more"))
                    .filter(|l| !l.is_empty())
                    .collect();
                print_json_error("usage", code, text.join(" ").trim_start_matches("error: "));
            } else {
                let _ = e.print();
            }
            return ExitCode::from(code as u8);
        }
    };
    let json = cli.global.json;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli::run(cli)));
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
