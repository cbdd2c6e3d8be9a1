//! `kvgit resolve -i`: an interactive review of the conflicts of a merge.
//!
//! Each unresolved key is shown with base, ours and theirs side by side and a
//! line diff of ours against theirs; one answer a line settles it. Decisions
//! are saved as they are made, so quitting keeps them and a rerun resumes with
//! the keys still open. Prompts go to stderr; `--script` reads the answers
//! from stdin without a terminal (for tests).

use super::Ctx;
use super::resolve::decision_json;
use comfy_table::{ContentArrangement, Table, presets};
use kvgit::Error;
use kvgit::merge::Strategy;
use kvgit::object::{Value, ValueType};
use kvgit::repo::{Choice, ConflictView, MergeStatus, Repo};
use similar::{ChangeTag, TextDiff};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

const HELP: &str = "o ours, t theirs, b base, d delete, e edit, s strategy, n next, q quit";

pub fn run(ctx: &Ctx, record: Option<PathBuf>, script: bool) -> anyhow::Result<i32> {
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !script && !terminal {
        return Err(Error::Usage(
            "resolve -i needs a terminal; use --ours, --theirs, --base, --delete, --value V, --strategy S or --from-file F instead (or --script to answer on stdin)".into(),
        )
        .into());
    }
    let record = record.map(|p| ctx.user_path(&p)).transpose()?;
    let repo = ctx.open(true)?;
    let status = repo.merge_status()?.ok_or_else(|| Error::Refused {
        message: "there is no merge in progress".into(),
        hint: Some("start one with 'kvgit merge REV'".into()),
    })?;
    let open: Vec<ConflictView> = status
        .conflicts
        .iter()
        .filter(|c| c.resolved.is_none())
        .cloned()
        .collect();
    let total = open.len();
    let mut err = std::io::stderr().lock();
    if total == 0 {
        writeln!(
            err,
            "No unresolved conflicts: 'kvgit merge --continue' commits the merge."
        )?;
        if ctx.json {
            super::output::print_json(&serde_json::json!({"resolved": [], "unresolved": 0}))?;
        }
        if let Some(path) = record {
            std::fs::write(&path, "[]\n")
                .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
        }
        return Ok(0);
    }
    let mut input = std::io::stdin().lock();
    let mut recorded = Vec::new();
    'keys: for (i, conflict) in open.iter().enumerate() {
        show(ctx, &mut err, &status, conflict, i + 1, total)?;
        loop {
            let Some(answer) = ask(&mut err, &mut input, &format!("[{HELP}] > "))? else {
                break 'keys;
            };
            let choice = match answer.as_str() {
                "o" => Choice::Ours,
                "t" => Choice::Theirs,
                "b" => Choice::Base,
                "d" => Choice::Delete,
                "n" => continue 'keys,
                "q" => break 'keys,
                "e" => match edit(&repo, conflict)? {
                    Ok(v) => Choice::Value(v),
                    Err(why) => {
                        writeln!(err, "edit cancelled: {why}")?;
                        continue;
                    }
                },
                "s" => {
                    let names = kvgit::config::STRATEGY_NAMES.join(", ");
                    let Some(name) = ask(&mut err, &mut input, &format!("strategy ({names}) > "))?
                    else {
                        break 'keys;
                    };
                    match name.parse::<Strategy>() {
                        Ok(s) => Choice::Strategy(s),
                        Err(e) => {
                            writeln!(err, "{e}")?;
                            continue;
                        }
                    }
                }
                _ => {
                    writeln!(err, "answer with one letter: {HELP}")?;
                    continue;
                }
            };
            let key = conflict.record.key.clone();
            let (done, failed) = repo.resolve_keys(&[(key.clone(), choice)])?;
            if let Some((_, why)) = failed.first() {
                writeln!(err, "still a conflict: {why}")?;
                continue;
            }
            if done.is_empty() {
                continue;
            }
            let now = repo
                .merge_status()?
                .and_then(|s| s.conflicts.into_iter().find(|c| c.record.key == key));
            if let Some(c) = now
                && let (Some(res), Some(value)) = (&c.record.resolution, &c.resolved)
            {
                writeln!(err, "resolved {} ({})", ctx.show_key(&key), res.how)?;
                recorded.push(decision_json(ctx, &c, res, value.as_ref()));
            }
            continue 'keys;
        }
    }
    let left = repo.merge_status()?.map_or(0, |s| {
        s.conflicts.iter().filter(|c| c.resolved.is_none()).count()
    });
    if left == 0 {
        writeln!(
            err,
            "All conflicts resolved: 'kvgit merge --continue' commits the merge."
        )?;
    } else {
        writeln!(
            err,
            "{left} conflict(s) left; 'kvgit resolve -i' resumes with them."
        )?;
    }
    if ctx.json {
        let keys: Vec<&serde_json::Value> = recorded.iter().map(|d| &d["key"]).collect();
        super::output::print_json(&serde_json::json!({"resolved": keys, "unresolved": left}))?;
    }
    if let Some(path) = record {
        let text = serde_json::to_string_pretty(&recorded)?;
        std::fs::write(&path, text + "\n")
            .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(0)
}

/// Prompts on stderr and reads one trimmed line; `None` at end of input.
fn ask(
    err: &mut impl Write,
    input: &mut impl BufRead,
    prompt: &str,
) -> anyhow::Result<Option<String>> {
    write!(err, "{prompt}")?;
    err.flush()?;
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        writeln!(err)?;
        return Ok(None);
    }
    Ok(Some(line.trim().to_string()))
}

/// The text shown for a value: pretty JSON, raw strings.
fn text(v: Option<&Value>) -> String {
    match v {
        None => "(absent)".into(),
        Some(Value::Bytes(b)) => format!("<{} bytes>", b.len()),
        Some(v) => v.display_text(true),
    }
}

fn show(
    ctx: &Ctx,
    err: &mut impl Write,
    status: &MergeStatus,
    c: &ConflictView,
    n: usize,
    total: usize,
) -> anyhow::Result<()> {
    writeln!(err)?;
    writeln!(
        err,
        "Conflict {n} of {total}: {}  [{}]",
        ctx.paint().bold(ctx.show_key(&c.record.key)),
        c.record.kind
    )?;
    writeln!(err, "  {}", c.record.reason)?;
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if let Some((w, _)) = terminal_width() {
        table.set_width(w);
    }
    table.set_header(vec![
        "base".to_string(),
        format!("ours ({})", status.ours_label),
        format!("theirs ({})", status.theirs_label),
    ]);
    table.add_row(vec![
        text(c.base.as_ref()),
        text(c.ours.as_ref()),
        text(c.theirs.as_ref()),
    ]);
    writeln!(err, "{table}")?;
    let textual = |v: Option<&Value>| matches!(v, Some(Value::String(_) | Value::Json(_)));
    if textual(c.ours.as_ref()) && textual(c.theirs.as_ref()) {
        let (a, b) = (text(c.ours.as_ref()) + "\n", text(c.theirs.as_ref()) + "\n");
        let p = ctx.paint();
        writeln!(err, "ours -> theirs:")?;
        for change in TextDiff::from_lines(a.as_str(), b.as_str()).iter_all_changes() {
            let line = change.to_string_lossy();
            let line = line.trim_end_matches('\n');
            match change.tag() {
                ChangeTag::Delete => writeln!(err, "{}", p.removed(&format!("- {line}")))?,
                ChangeTag::Insert => writeln!(err, "{}", p.added(&format!("+ {line}")))?,
                ChangeTag::Equal => writeln!(err, "  {line}")?,
            }
        }
    }
    Ok(())
}

fn terminal_width() -> Option<(u16, u16)> {
    let cols = std::env::var("COLUMNS").ok()?.parse().ok()?;
    Some((cols, 0))
}

/// Opens `$VISUAL`/`$EDITOR` on our value and parses what comes back as the
/// key's type. `Err(reason)` cancels this key.
fn edit(repo: &Repo, c: &ConflictView) -> anyhow::Result<Result<Value, String>> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.is_empty())
        .or_else(|| std::env::var("EDITOR").ok().filter(|e| !e.is_empty()))
        .unwrap_or_else(|| "vi".into());
    let start = c.ours.as_ref().or(c.theirs.as_ref());
    let ty = match repo.attributes(Default::default())?.type_for(&c.record.key) {
        Some(d) => d.value,
        None => start.map_or(ValueType::String, Value::value_type),
    };
    let ext = if ty == ValueType::Json { "json" } else { "txt" };
    let path = std::env::temp_dir().join(format!("kvgit-resolve-{}.{ext}", std::process::id()));
    let initial = match start {
        Some(Value::Bytes(b)) => b.clone(),
        Some(v) => (v.display_text(true) + "\n").into_bytes(),
        None => Vec::new(),
    };
    std::fs::write(&path, initial)?;
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    let result = match status {
        Ok(s) if s.success() => {
            let mut bytes = std::fs::read(&path)?;
            if bytes.is_empty() {
                Err("the file was empty".to_string())
            } else {
                if ty != ValueType::Bytes && bytes.last() == Some(&b'\n') {
                    bytes.pop();
                }
                Value::from_bytes(bytes, ty).map_err(|e| e.to_string())
            }
        }
        Ok(s) => Err(format!("the editor exited with {s}")),
        Err(e) => Err(format!("cannot run '{editor}': {e}")),
    };
    let _ = std::fs::remove_file(&path);
    Ok(result)
}
