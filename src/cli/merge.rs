//! `kvgit merge` and `kvgit conflicts`.

use super::Ctx;
use super::output::{id_json, print_json, summary, typed_json};
use clap::Args;
use comfy_table::{Table, presets};
use kvgit::Error;
use kvgit::merge::{KeyAction, Strategy, StrategyFlags};
use kvgit::object::Id;
use kvgit::repo::{ConflictView, KeyReport, MergeOptions, MergeOutcome, MergeReport, Repo};
use serde_json::json;
use std::io::Write;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The branch, tag or commit to merge into the current branch
    #[arg(required_unless_present_any = ["continue_", "abort"])]
    pub rev: Option<String>,
    /// The merge commit's message
    #[arg(short, long, value_name = "MSG")]
    pub message: Option<String>,
    #[command(flatten)]
    pub strategies: StrategyArgs,
    /// Stop before committing, even when the merge is clean
    #[arg(long)]
    pub no_commit: bool,
    /// Only fast-forward; refuse otherwise
    #[arg(long, conflicts_with = "no_ff")]
    pub ff_only: bool,
    /// Make a merge commit even when a fast-forward is possible
    #[arg(long)]
    pub no_ff: bool,
    /// Compute and report the merge; write nothing (exit 3 on conflicts)
    #[arg(long)]
    pub dry_run: bool,
    /// Commit if clean; on conflicts leave no merge state behind
    #[arg(long)]
    pub atomic: bool,
    /// Print, for every key the merge touches, the strategy, who chose it and the result
    #[arg(long)]
    pub explain: bool,
    /// Fail (exit 4) unless HEAD is at REV
    #[arg(long, value_name = "REV")]
    pub expect_head: Option<String>,
    /// Commit the merge in progress once every conflict is resolved
    #[arg(long = "continue", conflicts_with_all = ["rev", "abort"])]
    pub continue_: bool,
    /// Forget the merge in progress (HEAD and staged changes are as before it)
    #[arg(long, conflicts_with = "rev")]
    pub abort: bool,
}

#[derive(Debug, Args)]
pub struct ConflictsArgs {
    /// Only keys matching this glob
    pub glob: Option<String>,
}

/// Parses a strategy name, offering the names to completions.
pub fn strategy_parser() -> impl clap::builder::TypedValueParser<Value = Strategy> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(kvgit::config::STRATEGY_NAMES)
        .map(|s| s.parse::<Strategy>().expect("every listed name parses"))
}

// The strategy choices of one command (merge, and check-attr's preview).
#[derive(Debug, Args)]
pub struct StrategyArgs {
    /// Use strategy S for keys matching GLOB (repeatable; the last match wins)
    #[arg(short = 's', long = "strategy", value_name = "GLOB=S")]
    pub strategy: Vec<String>,
    /// Strategy for keys that no flag or rule decides
    #[arg(short = 'X', long = "default-strategy", value_name = "S", value_parser = strategy_parser())]
    pub default_strategy: Option<Strategy>,
    /// Use strategy S for every key, whatever the rules say
    #[arg(long, value_name = "S", value_parser = strategy_parser())]
    pub force_strategy: Option<Strategy>,
}

impl StrategyArgs {
    /// The flags, with `-s` globs made relative to the namespace like keys.
    pub fn flags(&self, ctx: &Ctx) -> anyhow::Result<StrategyFlags> {
        let mut flags = StrategyFlags {
            force: self.force_strategy,
            default: self.default_strategy,
            ..StrategyFlags::default()
        };
        for spec in &self.strategy {
            if !spec.contains('=') {
                return Err(
                    kvgit::Error::Usage(format!("-s '{spec}': expected GLOB=STRATEGY")).into(),
                );
            }
            flags.add(&ctx.key(spec))?;
        }
        Ok(flags)
    }
}

fn action_json(k: &KeyReport) -> serde_json::Value {
    let (action, strategy, by, kind, reason) = match &k.action {
        KeyAction::TakeTheirs => ("theirs", None, None, None, None),
        KeyAction::Same => ("same", None, None, None, None),
        KeyAction::Resolved { strategy } => (
            "resolved",
            Some(strategy.value.name()),
            Some(strategy.by.clone()),
            None,
            None,
        ),
        KeyAction::Conflict {
            strategy,
            kind,
            reason,
        } => (
            "conflict",
            Some(strategy.value.name()),
            Some(strategy.by.clone()),
            Some(kind.name()),
            Some(reason.clone()),
        ),
    };
    json!({
        "key": k.key,
        "action": action,
        "strategy": strategy,
        "decided_by": by,
        "base": typed_json(k.base.as_ref()),
        "ours": typed_json(k.ours.as_ref()),
        "theirs": typed_json(k.theirs.as_ref()),
        "result": if kind.is_some() { serde_json::Value::Null } else { typed_json(k.result.as_ref()) },
        "kind": kind,
        "reason": reason,
    })
}

fn outcome_name(o: &MergeOutcome) -> &'static str {
    match o {
        MergeOutcome::UpToDate => "up-to-date",
        MergeOutcome::FastForward { .. } => "fast-forward",
        MergeOutcome::Committed(_) => "committed",
        MergeOutcome::Stopped => "stopped",
        MergeOutcome::DryRun => "dry-run",
        MergeOutcome::Abandoned => "abandoned",
    }
}

fn explain_table(ctx: &Ctx, report: &MergeReport) -> String {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["key", "action", "strategy", "decided by", "result"]);
    for k in &report.keys {
        let (action, strategy, by, result) = match &k.action {
            KeyAction::TakeTheirs => (
                "theirs only",
                "-".into(),
                "-".into(),
                summary(k.result.as_ref()),
            ),
            KeyAction::Same => (
                "same on both",
                "-".into(),
                "-".into(),
                summary(k.result.as_ref()),
            ),
            KeyAction::Resolved { strategy } => (
                "both changed",
                strategy.value.name().to_string(),
                strategy.by.clone(),
                summary(k.result.as_ref()),
            ),
            KeyAction::Conflict { strategy, kind, .. } => (
                "both changed",
                strategy.value.name().to_string(),
                strategy.by.clone(),
                format!("CONFLICT ({})", kind.name()),
            ),
        };
        table.add_row(vec![
            ctx.show_key(&k.key).to_string(),
            action.into(),
            strategy,
            by,
            result,
        ]);
    }
    table.to_string()
}

pub fn run(ctx: &Ctx, args: MergeArgs) -> anyhow::Result<i32> {
    if args.continue_ {
        return merge_continue(ctx, args.message);
    }
    if args.abort {
        let repo = ctx.open(true)?;
        let st = repo.merge_abort()?;
        if ctx.json {
            print_json(&json!({"aborted": true, "theirs": st.theirs_label}))?;
        } else {
            ctx.note(format!("Merge of {} aborted", st.theirs_label));
        }
        return Ok(0);
    }
    let flags = args.strategies.flags(ctx)?;
    let repo = ctx.open(!args.dry_run)?;
    let sig = ctx.signature(&repo)?;
    let opts = MergeOptions {
        rev: args
            .rev
            .clone()
            .expect("clap requires REV without --continue/--abort"),
        message: args.message,
        flags,
        no_commit: args.no_commit,
        ff_only: args.ff_only,
        no_ff: args.no_ff,
        dry_run: args.dry_run,
        atomic: args.atomic,
        expect_head: args.expect_head,
    };
    if args.explain && !args.dry_run && !ctx.json {
        // The plan is shown before anything is written: computed once as a
        // dry run, then carried out.
        let preview = MergeOptions {
            dry_run: true,
            ..opts.clone()
        };
        let plan = repo.merge(&preview, &sig)?;
        if !plan.keys.is_empty() {
            println!("{}", explain_table(ctx, &plan));
        }
    }
    let report = repo.merge(&opts, &sig)?;
    let eviction = if matches!(
        report.outcome,
        MergeOutcome::Committed(_) | MergeOutcome::FastForward { .. }
    ) {
        super::maintenance::after_commit(ctx, &repo)?
    } else {
        serde_json::Value::Null
    };
    let conflicts: Vec<&KeyReport> = report.conflicts().collect();
    let code = match report.outcome {
        MergeOutcome::Stopped | MergeOutcome::DryRun | MergeOutcome::Abandoned
            if !conflicts.is_empty() =>
        {
            3
        }
        _ => 0,
    };
    if ctx.json {
        let commit = match &report.outcome {
            MergeOutcome::Committed(id) => Some(*id),
            MergeOutcome::FastForward { to, .. } => Some(*to),
            _ => None,
        };
        print_json(&json!({
            "outcome": outcome_name(&report.outcome),
            "ours": id_json(report.ours),
            "theirs": report.theirs.to_hex(),
            "bases": report.bases.iter().map(Id::to_hex).collect::<Vec<_>>(),
            "commit": id_json(commit),
            "keys": report.keys.iter().map(|k| { let mut j = action_json(k); j["key"] = json!(ctx.show_key(&k.key)); j }).collect::<Vec<_>>(),
            "conflicts": conflicts.iter().map(|k| ctx.show_key(&k.key)).collect::<Vec<_>>(),
            "eviction": eviction,
        }))?;
        return Ok(code);
    }
    let mut out = std::io::stdout().lock();
    if args.dry_run {
        if report.keys.is_empty() {
            writeln!(out, "The merge touches no keys.")?;
        } else {
            writeln!(out, "{}", explain_table(ctx, &report))?;
        }
    }
    let p = ctx.paint();
    let success = matches!(
        report.outcome,
        MergeOutcome::UpToDate | MergeOutcome::FastForward { .. } | MergeOutcome::Committed(_)
    );
    if ctx.quiet && success {
        return Ok(code);
    }
    match &report.outcome {
        MergeOutcome::UpToDate => writeln!(out, "Already up to date.")?,
        MergeOutcome::FastForward { from, to } => writeln!(
            out,
            "Fast-forward {} {}..{}",
            report.ours_label,
            from.map_or("(none)".into(), |f| f.short()),
            p.id(&to.short())
        )?,
        MergeOutcome::Committed(id) => {
            let resolved = report
                .keys
                .iter()
                .filter(|k| matches!(k.action, KeyAction::Resolved { .. }))
                .count();
            writeln!(
                out,
                "[{} {}] Merge of {}: {} key(s) changed, {} resolved by strategy",
                report.ours_label,
                p.id(&id.short()),
                report.theirs_label,
                report.keys.len(),
                resolved
            )?;
        }
        MergeOutcome::DryRun => writeln!(
            out,
            "Dry run: {} key(s) touched, {} conflict(s); nothing was written.",
            report.keys.len(),
            conflicts.len()
        )?,
        MergeOutcome::Abandoned => {
            writeln!(out, "{}", conflict_list(ctx, &conflicts))?;
            eprintln!(
                "error: {} conflict(s); --atomic left nothing behind",
                conflicts.len()
            );
        }
        MergeOutcome::Stopped if conflicts.is_empty() => {
            writeln!(
                out,
                "Merge of {} stopped before committing (--no-commit).",
                report.theirs_label
            )?;
            ctx.note("hint: 'kvgit merge --continue' commits it, 'kvgit merge --abort' forgets it");
        }
        MergeOutcome::Stopped => {
            writeln!(out, "{}", conflict_list(ctx, &conflicts))?;
            eprintln!(
                "error: merge of {} stopped with {} conflict(s)",
                report.theirs_label,
                conflicts.len()
            );
            eprintln!(
                "hint: review with 'kvgit conflicts', settle with 'kvgit resolve' (or 'kvgit resolve -i'),"
            );
            eprintln!("hint: then 'kvgit merge --continue'; 'kvgit merge --abort' gives up");
        }
    }
    Ok(code)
}

fn conflict_list(ctx: &Ctx, conflicts: &[&KeyReport]) -> String {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(vec!["key", "kind", "reason"]);
    for k in conflicts {
        if let KeyAction::Conflict { kind, reason, .. } = &k.action {
            table.add_row(vec![
                ctx.show_key(&k.key).to_string(),
                kind.name().to_string(),
                reason.clone(),
            ]);
        }
    }
    table.to_string()
}

fn merge_continue(ctx: &Ctx, message: Option<String>) -> anyhow::Result<i32> {
    let repo = ctx.open(true)?;
    let sig = ctx.signature(&repo)?;
    match repo.merge_continue(&sig, message.as_deref())? {
        Ok(id) => {
            let eviction = super::maintenance::after_commit(ctx, &repo)?;
            if ctx.json {
                print_json(&json!({"committed": true, "id": id.to_hex(), "eviction": eviction}))?;
            } else if !ctx.quiet {
                println!("Merge committed: {}", ctx.paint().id(&id.short()));
            }
            Ok(0)
        }
        Err(open) => {
            let open: Vec<&str> = open.iter().map(|k| ctx.show_key(k)).collect();
            if ctx.json {
                print_json(&json!({"committed": false, "unresolved": open}))?;
            } else {
                eprintln!(
                    "error: {} conflict(s) still unresolved: {}",
                    open.len(),
                    open.join(", ")
                );
                eprintln!("hint: 'kvgit resolve' them first ('kvgit conflicts' lists them)");
            }
            Ok(3)
        }
    }
}

pub fn conflict_json(ctx: &Ctx, c: &ConflictView) -> serde_json::Value {
    json!({
        "key": ctx.show_key(&c.record.key),
        "kind": c.record.kind,
        "reason": c.record.reason,
        "strategy": c.record.strategy,
        "base": typed_json(c.base.as_ref()),
        "ours": typed_json(c.ours.as_ref()),
        "theirs": typed_json(c.theirs.as_ref()),
        "resolved": c.resolved.is_some(),
        "resolution": match (&c.record.resolution, &c.resolved) {
            (Some(r), Some(v)) => json!({"how": r.how, "value": typed_json(v.as_ref())}),
            _ => serde_json::Value::Null,
        },
    })
}

pub fn conflicts(ctx: &Ctx, args: ConflictsArgs) -> anyhow::Result<i32> {
    let repo = ctx.open(false)?;
    let status = repo.merge_status()?;
    let matcher = args
        .glob
        .as_deref()
        .map(|g| kvgit::merge::rules::compile_glob(&ctx.key(g)).map_err(Error::Usage))
        .transpose()?;
    let list: Vec<ConflictView> = status
        .as_ref()
        .map(|s| s.conflicts.clone())
        .unwrap_or_default()
        .into_iter()
        .filter(|c| matcher.as_ref().is_none_or(|m| m.is_match(&c.record.key)))
        .collect();
    if ctx.json {
        let docs: Vec<_> = list.iter().map(|c| conflict_json(ctx, c)).collect();
        return print_json(&docs).map(|()| 0);
    }
    let Some(status) = status else {
        ctx.note("No merge in progress.");
        return Ok(0);
    };
    print_conflict_table(ctx, &repo, &status.ours_label, &status.theirs_label, &list)?;
    Ok(0)
}

pub fn print_conflict_table(
    ctx: &Ctx,
    _repo: &Repo,
    ours: &str,
    theirs: &str,
    list: &[ConflictView],
) -> anyhow::Result<()> {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(vec![
        "key".to_string(),
        "kind".to_string(),
        "base".to_string(),
        format!("ours ({ours})"),
        format!("theirs ({theirs})"),
        "resolved".to_string(),
    ]);
    for c in list {
        table.add_row(vec![
            ctx.show_key(&c.record.key).to_string(),
            c.record.kind.clone(),
            summary(c.base.as_ref()),
            summary(c.ours.as_ref()),
            summary(c.theirs.as_ref()),
            match &c.resolved {
                None => "no".to_string(),
                Some(v) => format!(
                    "{} = {}",
                    c.record.resolution.as_ref().map_or("", |r| r.how.as_str()),
                    summary(v.as_ref())
                ),
            },
        ]);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{table}")?;
    Ok(())
}
