//! `kvgit gc` and `kvgit fsck`.

use super::Ctx;
use super::context::{now, parse_duration};
use super::output::{date, id_json, print_json};
use clap::Args;
use comfy_table::{Table, presets};
use kvgit::Error;
use kvgit::gc::{EvictPlan, Waterline};
use kvgit::repo::EngineCheck;
use serde_json::json;
use std::io::Write;

#[derive(Debug, Args)]
pub struct GcArgs {
    /// Keep unreachable objects younger than this (e.g. 1h, 30m, 2d, now)
    #[arg(long, value_name = "DURATION", default_value = "1h")]
    pub prune_older_than: String,
    /// Report what would be removed; change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Forget reflog entries older than this first (e.g. 90d, now; default: gc.reflog-expire, else never)
    #[arg(long, value_name = "DURATION")]
    pub expire_reflog: Option<String>,
    /// Evict the coldest keys when the branch's live data exceeds this (e.g. 10MiB)
    #[arg(long, value_name = "BYTES")]
    pub high_water: Option<String>,
    /// Evict down to this much live data [default: 80% of high water]
    #[arg(long, value_name = "BYTES", requires = "high_water")]
    pub low_water: Option<String>,
    /// Never evict keys matching this glob (repeatable; also gc.protect, rules with gc = "protected", and keys whose last segment starts with __)
    #[arg(long, value_name = "GLOB", requires = "high_water")]
    pub protect: Vec<String>,
}

fn size(text: &str, flag: &str) -> Result<u64, Error> {
    kvgit::config::parse_size(text).map_err(|e| Error::Usage(format!("{flag}: {e}")))
}

pub fn gc(ctx: &Ctx, args: GcArgs) -> anyhow::Result<i32> {
    // Unreachable objects stored at or after the cutoff are kept; "now"
    // keeps none, even those stored this second.
    let cutoff = if args.prune_older_than == "now" {
        u64::MAX
    } else {
        let grace = parse_duration(&args.prune_older_than)
            .map_err(|e| Error::Usage(format!("--prune-older-than: {e}")))?;
        now().saturating_sub(grace.as_secs())
    };
    let mut repo = ctx.open_bulk()?;
    let water = match &args.high_water {
        Some(h) => {
            let high = size(h, "--high-water")?;
            let low = match &args.low_water {
                Some(l) => size(l, "--low-water")?,
                None => high / 5 * 4,
            };
            // Like keys, --protect globs are relative to the namespace.
            let mut protect: Vec<String> = args.protect.iter().map(|g| ctx.key(g)).collect();
            protect.extend(repo.configured_protect());
            Some(Waterline { high, low, protect })
        }
        None => repo.configured_waterline()?,
    };
    let eviction = match &water {
        Some(w) => Some(repo.evict(w, &ctx.signature(&repo)?, args.dry_run)?),
        None => None,
    };
    let expire = match args
        .expire_reflog
        .clone()
        .or_else(|| repo.config.get_str("gc.reflog-expire").map(str::to_string))
    {
        None => None,
        Some(d) if d == "never" => None,
        Some(d) if d == "now" => Some(i64::MAX),
        Some(d) => Some(
            now() as i64
                - parse_duration(&d)
                    .map_err(|e| Error::Usage(format!("--expire-reflog: {e}")))?
                    .as_secs() as i64,
        ),
    };
    let run = repo.gc(cutoff, expire, args.dry_run)?;
    let live = repo.live_size()?;
    let r = &run.report;
    if ctx.json {
        let counts = |c: &kvgit::gc::Counts| json!({"commits": c.commits, "nodes": c.nodes, "blobs": c.blobs, "bytes": c.bytes});
        print_json(&json!({
            "dry_run": args.dry_run,
            "removed": counts(&r.removed),
            "reachable": counts(&r.reachable),
            "kept_young": r.kept_young,
            "expired_reflog": r.expired_reflog,
            "file_size_before": run.size_before,
            "file_size_after": run.size_after,
            "live_bytes": live,
            "eviction": eviction.as_ref().map(|p| eviction_json(ctx, p)),
        }))?;
        return Ok(0);
    }
    let mut out = std::io::stdout().lock();
    if let Some(p) = &eviction {
        write_eviction(ctx, &mut out, p, args.dry_run)?;
    }
    let verb = if args.dry_run {
        "Would remove"
    } else {
        "Removed"
    };
    writeln!(
        out,
        "{verb} {} unreachable object(s): {} commit(s), {} node(s), {} blob(s), {} bytes",
        r.removed.objects(),
        r.removed.commits,
        r.removed.nodes,
        r.removed.blobs,
        r.removed.bytes
    )?;
    if r.expired_reflog > 0 {
        writeln!(out, "Expired {} reflog entr(ies)", r.expired_reflog)?;
    }
    if r.kept_young > 0 {
        writeln!(
            out,
            "Kept {} unreachable object(s) younger than {}",
            r.kept_young, args.prune_older_than
        )?;
    }
    writeln!(
        out,
        "File size: {} -> {} bytes",
        run.size_before, run.size_after
    )?;
    writeln!(out, "Live data of the current branch: {live} bytes")?;
    Ok(0)
}

fn eviction_json(ctx: &Ctx, p: &EvictPlan) -> serde_json::Value {
    json!({
        "live": p.live,
        "high": p.high,
        "low": p.low,
        "live_after": p.live_after,
        "commit": id_json(p.commit),
        "dropped": p.dropped.iter().map(|k| json!({
            "key": ctx.show_key(&k.key),
            "size": k.size,
            "last_changed": k.last_changed,
        })).collect::<Vec<_>>(),
    })
}

fn write_eviction(
    ctx: &Ctx,
    out: &mut impl Write,
    p: &EvictPlan,
    dry_run: bool,
) -> anyhow::Result<()> {
    if p.dropped.is_empty() {
        writeln!(
            out,
            "Live data {} bytes is within high water {}: nothing to evict",
            p.live, p.high
        )?;
        return Ok(());
    }
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["key", "size", "last changed"]);
    for k in &p.dropped {
        let when = if k.last_changed == i64::MIN {
            "-".to_string()
        } else {
            date(k.last_changed)
        };
        table.add_row(vec![
            ctx.show_key(&k.key).to_string(),
            k.size.to_string(),
            when,
        ]);
    }
    writeln!(out, "{table}")?;
    let verb = if dry_run { "Would evict" } else { "Evicted" };
    writeln!(
        out,
        "{verb} {} key(s): live data {} -> {} bytes (high water {}, low water {})",
        p.dropped.len(),
        p.live,
        p.live_after,
        p.high,
        p.low
    )?;
    if let Some(id) = p.commit {
        writeln!(
            out,
            "Recorded as root commit {}",
            ctx.paint().id(&id.short())
        )?;
    }
    Ok(())
}

/// Runs the configured eviction after a commit (`gc.high-water`).
/// Returns the eviction's JSON document (`null` when none ran), for the
/// command's own `--json` output. The commit is made by then, so an eviction
/// that fails is a warning, not the command's failure: a script that retried
/// the command would apply its changes twice.
pub fn after_commit(ctx: &Ctx, repo: &kvgit::repo::Repo) -> anyhow::Result<serde_json::Value> {
    let evicted = ctx
        .signature(repo)
        .and_then(|sig| Ok(repo.auto_evict(&sig)?));
    let plan = match evicted {
        Ok(Some(plan)) => plan,
        Ok(None) => return Ok(serde_json::Value::Null),
        Err(e) => {
            eprintln!(
                "warning: committed, but the eviction configured by gc.high-water failed: {e:#}"
            );
            return Ok(serde_json::Value::Null);
        }
    };
    let keys: Vec<&str> = plan.dropped.iter().map(|k| ctx.show_key(&k.key)).collect();
    ctx.note(format!(
        "gc: live data {} bytes was over high water {}; evicted {}",
        plan.live,
        plan.high,
        keys.join(", ")
    ));
    Ok(eviction_json(ctx, &plan))
}

#[derive(Debug, Args)]
pub struct FsckArgs {}

pub fn fsck(ctx: &Ctx, _args: FsckArgs) -> anyhow::Result<i32> {
    // A file the storage engine cannot open or check is an error (exit 7)
    // before any report; one it repaired is a problem in the report.
    let repo = ctx.open_checked()?;
    let report = repo.fsck()?;
    let code = if report.problems.is_empty() { 0 } else { 7 };
    if ctx.json {
        let storage = report.storage.map(|c| match c {
            EngineCheck::Clean => "clean",
            EngineCheck::Repaired => "repaired",
        });
        print_json(&json!({
            "ok": report.problems.is_empty(),
            "storage": storage,
            "checked": {"commits": report.commits, "nodes": report.nodes, "blobs": report.blobs, "refs": report.refs},
            "problems": report.problems.iter().map(|p| json!({"object": p.object, "problem": p.problem})).collect::<Vec<_>>(),
        }))?;
        return Ok(code);
    }
    for p in &report.problems {
        eprintln!("error: {}: {}", p.object, p.problem);
    }
    let summary = format!(
        "checked {}{} commit(s), {} tree node(s), {} blob(s), {} ref(s)",
        if report.storage.is_some() {
            "the database file and "
        } else {
            ""
        },
        report.commits,
        report.nodes,
        report.blobs,
        report.refs
    );
    if report.problems.is_empty() {
        if !ctx.quiet {
            println!("{summary}: no problems");
        }
    } else {
        eprintln!("{summary}: {} problem(s)", report.problems.len());
    }
    Ok(code)
}
