//! The `kvgit` binary: parse, run, and map the outcome to an exit code in one
//! place (`exit_code_of`).

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Panics that reach here are bugs; the storage layer turns the engine's
    // own panics on damaged files into errors. Keep the default hook quiet so
    // those caught panics print nothing, and report uncaught ones below.
    std::panic::set_hook(Box::new(|_| {}));
    let wants_json = std::env::args().any(|a| a == "--json");
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            if wants_json && code == 2 {
                print_json_error("usage", code, e.kind().as_str().unwrap_or("invalid usage"));
                let _ = e.print();
            } else {
                let _ = e.print();
            }
            return ExitCode::from(code as u8);
        }
    };
    let json = cli.global.json;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cli::run(cli)));
    let (code, err) = match result {
        Ok(Ok(code)) => (code, None),
        Ok(Err(e)) => (exit_code_of(&e), Some(e)),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            (
                10,
                Some(anyhow::anyhow!("internal error (a bug in kvgit): {msg}")),
            )
        }
    };
    if let Some(e) = err {
        if is_broken_pipe(&e) {
            return ExitCode::SUCCESS;
        }
        if json {
            let kind = e
                .downcast_ref::<kvgit::Error>()
                .map_or("error", kvgit::Error::kind);
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

/// The exit code for an error (SPEC section 5).
fn exit_code_of(e: &anyhow::Error) -> i32 {
    if let Some(k) = e.downcast_ref::<kvgit::Error>() {
        return k.exit_code();
    }
    10
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn print_json_error(kind: &str, code: i32, message: &str) {
    let doc = serde_json::json!({"error": {"kind": kind, "code": code, "message": message}});
    eprintln!("{doc}");
}
