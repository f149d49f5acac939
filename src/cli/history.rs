//! `cinnox-sync history [--config JOB.toml | --state FILE] [--json] [--limit N]
//! [--run N]`: the recent runs recorded in a state file, newest first, with their
//! duration, counts, calls and outcome (and why a run failed, was refused or
//! stopped); `--run N` shows one run with what it did to each record. Reads only;
//! works while a run is going on.

use crate::job::Job;
use crate::state::run_detail::{KEEP_DETAIL_RUNS, KEEP_RUNS};
use crate::state::{RunDetail, RunRecord, StateStore, SystemClock};
use anyhow::bail;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

const EXAMPLES: &str = "\
Examples:
  cinnox-sync history --config job.toml
  cinnox-sync history --state contacts.state.db --json --limit 5

  # One run, with every create, update, row change, conflict, rejection and note:
  cinnox-sync history --config job.toml --run 12
  cinnox-sync history --config job.toml --run 12 --json

A run stopped by Ctrl-C or SIGTERM shows as `interrupted` with its counts; one that
never finished (killed, machine down) shows as `interrupted` with the writes its
journal recorded, and the next run picks up after it (its journal is checked
first). The history keeps the newest 1,000 runs, and the per-record detail of the
newest 100 runs that have any (fewer when they hold over 200,000 entries).";

/// Show recent runs with their counts and outcome, or one run in detail.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct HistoryArgs {
    /// The job file whose state to read.
    #[arg(long, short = 'c', value_name = "JOB.toml", conflicts_with = "state")]
    pub config: Option<PathBuf>,
    /// The state file to read.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Print JSON (an array of runs; with --run, the run and its detail).
    #[arg(long)]
    pub json: bool,
    /// How many runs to show.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Show run N (the `#N` of the list) with what it did to each record.
    #[arg(long, value_name = "N")]
    pub run: Option<i64>,
}

pub fn run(args: HistoryArgs) -> anyhow::Result<ExitCode> {
    let path = match (&args.state, &args.config) {
        (Some(s), _) => s.clone(),
        (None, Some(c)) => Job::load(c)?.state,
        (None, None) => bail!("say which runs: --config JOB.toml or --state FILE"),
    };
    if !path.exists() {
        bail!("{} does not exist: no run has used it yet", path.display());
    }
    let state = StateStore::open_to_read(&path, Arc::new(SystemClock))?;
    if let Some(n) = args.run {
        let Some(run) = state.run_detail(n)? else {
            let runs = state.recent_runs(KEEP_RUNS as usize)?;
            let held = match (runs.last(), runs.first()) {
                (Some(a), Some(b)) => format!("it holds runs #{} to #{}", a.id, b.id),
                _ => "it holds no runs".into(),
            };
            bail!(
                "run #{n} is not in the history of {} ({held}); `cinnox-sync history` lists them",
                path.display()
            );
        };
        if args.json {
            println!("{}", serde_json::to_string_pretty(&run)?);
        } else {
            print_run(&run);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let runs = state.recent_runs(args.limit)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&runs)?);
        return Ok(ExitCode::SUCCESS);
    }
    if runs.is_empty() {
        println!("no runs recorded in {}", path.display());
    }
    for r in &runs {
        println!("{}", line(r));
        if let Some(why) = r.reason.as_deref().filter(|_| r.exit_code != Some(0)) {
            println!("      why: {why}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A count of the run's summary (`counts` or `calls`), 0 when absent.
fn count(r: &RunRecord, group: &str, key: &str) -> u64 {
    r.summary
        .as_ref()
        .and_then(|s| s.get(group))
        .and_then(|c| c.get(key))
        .and_then(|v| v.as_u64())
        .unwrap_or(0)
}

fn took(r: &RunRecord) -> String {
    match r.duration_seconds {
        Some(s) if s >= 3600 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        Some(s) if s >= 60 => format!("{}m{:02}s", s / 60, s % 60),
        Some(s) => format!("{s}s"),
        None => "-".into(),
    }
}

/// One run on one line of the table.
fn line(r: &RunRecord) -> String {
    let n = |k: &str| count(r, "counts", k);
    let calls = match &r.journal {
        Some(j) => format!(
            "journal: {} creates sent ({} answered), {} updates sent ({} answered)",
            j.creates, j.created, j.updates, j.updated
        ),
        None => format!(
            "calls list {} create {} update {}",
            count(r, "calls", "list"),
            count(r, "calls", "create"),
            count(r, "calls", "update")
        ),
    };
    format!(
        "#{:<4} {} {:<6} {:<24} exit {:<3} {:>6}  creates {} updates {} rows {} appended {} conflicts {}  {calls}",
        r.id,
        r.started_at,
        r.command,
        r.outcome,
        r.exit_code.map_or("-".to_string(), |c| c.to_string()),
        took(r),
        n("creates"),
        n("updates"),
        n("rows_changed"),
        n("rows_appended"),
        n("conflicts"),
    )
}

fn print_run(d: &RunDetail) {
    let r = &d.run;
    println!(
        "Run #{}: {}, started {}, {}; {} (exit {})",
        r.id,
        r.command,
        r.started_at,
        match &r.finished_at {
            Some(f) => format!("finished {f} (took {})", took(r)),
            None => "never finished".into(),
        },
        r.outcome,
        r.exit_code.map_or("-".to_string(), |c| c.to_string()),
    );
    if let Some(why) = &r.reason {
        println!("Why: {why}");
    }
    println!("{}", line(r));
    if r.detail_pruned {
        println!(
            "Its per-record detail was pruned: the history keeps it for the newest {KEEP_DETAIL_RUNS} runs that have any."
        );
        return;
    }
    if d.detail.is_empty() {
        println!("Nothing was done to any record.");
        return;
    }
    if r.finished_at.is_none() {
        println!("What its journal says it sent:");
    }
    for e in &d.detail {
        let at = match (e.line, &e.contact_id) {
            (Some(l), Some(id)) => format!("line {l} ({id})"),
            (Some(l), None) => format!("line {l}"),
            (None, Some(id)) => format!("contact {id}"),
            (None, None) => String::new(),
        };
        println!("  {:<10} {at}: {}", e.kind.as_str(), e.message);
    }
}
