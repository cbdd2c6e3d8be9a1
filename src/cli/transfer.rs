//! `kvgit import` and `kvgit export`.

use super::Ctx;
use super::output::{id_json, print_json};
use clap::{Args, ValueEnum};
use kvgit::Error;
use kvgit::object::Value;
use kvgit::repo::{Format, ImportOptions};
use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// One object {key: value}; values get their natural JSON type
    Json,
    /// One {"key", "type", "value"} a line; keeps every type exactly
    Jsonl,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Json => Format::Json,
            FormatArg::Jsonl => Format::Jsonl,
        }
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to load, or - for stdin
    pub file: String,
    /// The input format [default: json for a .json file, else jsonl]
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// The commit message [default: "Import FILE"]
    #[arg(short, long, value_name = "MSG")]
    pub message: Option<String>,
    /// Fail (exit 4) unless HEAD is at REV
    #[arg(long, value_name = "REV")]
    pub expect_head: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A revision to export [default: HEAD], and/or a key prefix
    #[arg(num_args = 0..=2, value_name = "REV")]
    pub args: Vec<String>,
    /// The output format
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: FormatArg,
}

/// A spinner counting entries on stderr, on a terminal only.
fn progress_bar(ctx: &Ctx) -> Option<indicatif::ProgressBar> {
    (std::io::stderr().is_terminal() && !ctx.quiet && !ctx.json).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} entries {per_sec} {elapsed}")
                .expect("a valid template"),
        );
        bar
    })
}

pub fn import(ctx: &Ctx, args: ImportArgs) -> anyhow::Result<i32> {
    let format = args
        .format
        .map(Format::from)
        .unwrap_or(if args.file.ends_with(".json") {
            Format::Json
        } else {
            Format::Jsonl
        });
    let mut input: Box<dyn BufRead> = if args.file == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(ctx.user_path(Path::new(&args.file))?)
            .map_err(|e| Error::Usage(format!("cannot read {}: {e}", args.file)))?;
        Box::new(std::io::BufReader::with_capacity(1 << 20, f))
    };
    let repo = ctx.open_bulk()?;
    let opts = ImportOptions {
        format,
        message: args
            .message
            .unwrap_or_else(|| format!("Import {}", args.file)),
        signature: ctx.signature(&repo)?,
        expect_head: args.expect_head,
        key_prefix: ctx.ns().to_string(),
    };
    let bar = progress_bar(ctx);

    let mut progress = |n: u64| {
        if let Some(b) = &bar {
            b.set_position(n);
        }
    };
    let result = repo.import(&mut input, &opts, &mut progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let report = result?;
    let eviction = match report.commit {
        Some(_) => super::maintenance::after_commit(ctx, &repo)?,
        None => serde_json::Value::Null,
    };
    if ctx.json {
        print_json(
            &json!({"commit": id_json(report.commit), "entries": report.entries, "eviction": eviction}),
        )?;
    } else if !ctx.quiet {
        match report.commit {
            Some(id) => println!(
                "Imported {} entries as {}",
                report.entries,
                ctx.paint().id(&id.short())
            ),
            None => println!("Imported {} entries; nothing changed", report.entries),
        }
    }
    Ok(0)
}

pub fn export(ctx: &Ctx, args: ExportArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(false)?;
    let (rev, prefix) = match args.args.as_slice() {
        [] => (None, None),
        [one] => match repo.resolve(one) {
            Ok(_) => (Some(one.clone()), None),
            // Like diff: a mistyped revision must not pass for an empty
            // prefix. (With no commits yet there is nothing to export.)
            Err(Error::UnknownRevision(_)) | Err(Error::Usage(_))
                if repo.head()?.1.is_some()
                    && !repo.has_keys_under(&ctx.key(one), Some("HEAD"))? =>
            {
                return Err(Error::UnknownRevision(format!(
                    "'{one}' (neither a revision nor a key prefix; use 'HEAD {one}' for a prefix)"
                ))
                .into());
            }
            Err(Error::UnknownRevision(_)) | Err(Error::Usage(_)) => (None, Some(one.clone())),
            Err(e) => return Err(e.into()),
        },
        [rev, prefix] => (Some(rev.clone()), Some(prefix.clone())),
        _ => unreachable!("clap takes at most two"),
    };
    let prefix = ctx.key(prefix.as_deref().unwrap_or(""));
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // With --json the dump is one document: an array of jsonl's records.
    let (open, close) = match (ctx.json, args.format) {
        (true, _) => ("[", "\n]\n"),
        (false, FormatArg::Json) => ("{", "\n}\n"),
        (false, FormatArg::Jsonl) => ("", ""),
    };
    let object = !ctx.json && matches!(args.format, FormatArg::Json);
    let bar = progress_bar(ctx);
    let (mut count, mut lossy) = (0u64, false);
    // A failed write is kept as it is, so that a closed pipe ends quietly.
    let mut write_error: Option<std::io::Error> = None;
    out.write_all(open.as_bytes())?;
    let mut write = |key: &str, value: Value| -> kvgit::Result<()> {
        let key = ctx.show_key(key);
        let record =
            || json!({"key": key, "type": value.value_type().name(), "value": value.to_json()});
        let text = if object {
            lossy |= matches!(value, Value::Bytes(_));
            let sep = if count == 0 { "\n" } else { ",\n" };
            format!("{sep}{}:{}", serde_json::Value::from(key), value.to_json())
        } else if ctx.json {
            format!("{}{}", if count == 0 { "\n" } else { ",\n" }, record())
        } else {
            record().to_string() + "\n"
        };
        count += 1;
        if let Some(b) = &bar
            && count.is_multiple_of(10_000)
        {
            b.set_position(count);
        }
        out.write_all(text.as_bytes()).map_err(|e| {
            let stopped = kvgit::Error::Io(format!("cannot write the export: {e}"));
            write_error = Some(e);
            stopped
        })
    };
    let exported = repo.export(rev.as_deref(), &prefix, &mut write);
    if let Some(e) = write_error {
        return Err(e.into());
    }
    exported?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    out.write_all(close.as_bytes())?;
    out.flush()?;
    if lossy {
        ctx.note(
            "note: bytes values were written as base64 strings; --format jsonl keeps their type",
        );
    }
    Ok(0)
}
