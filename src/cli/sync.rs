//! `cinnox-sync sync --config JOB.toml [--sheet ID/TAB] [--dry-run] [--json]
//! [--force] [--add-id-column]`: plans and applies a two-way sync in one run, with
//! the job's list (a CSV file or a Google Sheet tab) or the sheet `--sheet` names. Also the pieces `plan` and `apply` share:
//! loading a job, opening its state, and finishing a run (history, summary, exit).

use super::job::Job;
use super::sides::open_cinnox;
use super::source::{SheetArgs, open_list, resolve_list};
use super::sync_report::{Summary, print_plan};
use super::watched::Watched;
use crate::engine::Remote;
use crate::engine::run::{RunOptions, sync};
use crate::mapping::Mapping;
use crate::state::{StateStore, SystemClock};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

const EXAMPLES: &str = "\
Examples:
  # The demo: a real two-way sync with an embedded sandbox, no account needed:
  cinnox-sync sync --config examples/demo.toml

  # A tab of a Google Sheet as the list (the job's source.sheet, or --sheet with
  # --credentials KEY.json); the first run adds a missing CINNOX ID column:
  cinnox-sync sync --config job.toml --sheet 1AbC...xyz/Contacts --add-id-column

  # See what would happen, write nothing:
  cinnox-sync sync --config job.toml --dry-run

  # One JSON summary for scripts (calls by kind, rows written, outcome, exit code):
  cinnox-sync sync --config job.toml --json

  # A guard stopped the run (an empty side, or too many changes): after checking
  # with `cinnox-sync plan`, go ahead anyway:
  cinnox-sync sync --config job.toml --force

Exit codes: 0 all applied; 1 finished with rejected records, invalid rows or
unresolved conflicts; 2 failed or refused (guard, authentication, IO, a run cut
short by Google's quotas: the next run finishes it).
The job file is described in docs/sync.md, Google Sheets in docs/sheets.md.";

/// Plan and apply a two-way sync between a contact list (CSV or Google Sheet) and CINNOX.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct SyncArgs {
    /// The job file: CINNOX (or an embedded sandbox), the list (a CSV or a sheet),
    /// the mapping, the state file and the policies.
    #[arg(long, short = 'c', value_name = "JOB.toml")]
    pub config: PathBuf,
    #[command(flatten)]
    pub sheet: SheetArgs,
    /// When the sheet has no CINNOX ID column (or no status column the mapping
    /// names), add it as the last column. Without it such a sheet is refused: its
    /// layout is only changed when asked. (A CSV file gets the column anyway.)
    #[arg(long)]
    pub add_id_column: bool,
    /// Plan only: print what would happen, write nothing anywhere.
    #[arg(long)]
    pub dry_run: bool,
    /// Print one JSON summary object on stdout instead of text.
    #[arg(long)]
    pub json: bool,
    /// Go ahead when a guard trips (an empty side, too large a share of changes).
    #[arg(long)]
    pub force: bool,
}

/// A tokio runtime for one command (the embedded sandbox serves on it too).
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// The state to plan from without writing: the file's, or an empty one when it does
/// not exist yet (a first plan must not create it).
pub(crate) fn state_to_read(path: &Path) -> anyhow::Result<StateStore> {
    let clock = Arc::new(SystemClock);
    Ok(if path.exists() {
        StateStore::open_to_read(path, clock)?
    } else {
        StateStore::in_memory(clock)?
    })
}

/// Prints the summary and turns it into the exit code.
pub(crate) fn finish(summary: &Summary, json: bool) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    summary.print(json, &mut out, &mut std::io::stderr().lock())?;
    Ok(ExitCode::from(summary.exit_code))
}

/// Records the run's end in the state file's history.
pub(crate) fn record(state: &mut StateStore, run_id: i64, summary: &Summary) {
    let outcome = serde_json::to_value(summary.outcome)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let json = serde_json::to_value(summary).unwrap_or_default();
    if let Err(e) = state.finish_run(run_id, &outcome, i32::from(summary.exit_code), &json) {
        tracing::warn!("could not record the run in the history: {e}");
    }
}

pub fn run(args: SyncArgs) -> anyhow::Result<ExitCode> {
    let mut summary = Summary::new("sync", String::new(), String::new());
    summary.dry_run = args.dry_run;
    let rt = runtime()?;
    if let Err(e) = rt.block_on(sync_job(&args, &mut summary)) {
        summary.error = Some(super::sync_report::error_text(&e));
        summary.settle(false);
    }
    finish(&summary, args.json)
}

async fn sync_job(args: &SyncArgs, summary: &mut Summary) -> anyhow::Result<()> {
    let job = Job::load(&args.config)?;
    let source = resolve_list(None, &args.sheet, Some(&job))?;
    summary.list = source.describe();
    summary.state = job.state.display().to_string();
    let mapping = Mapping::load_or_builtin(job.mapping.as_deref())?;
    let mut store = open_list(&source, Some(&job.origin)).await?;
    let mut cinnox = open_cinnox(&job).await?;
    let mut state = if args.dry_run {
        state_to_read(&job.state)?
    } else {
        StateStore::open_for_run(&job.state, Arc::new(SystemClock))?
    };
    let run_id = if args.dry_run {
        0
    } else {
        state.begin_run("sync")?
    };
    summary.run_id = (!args.dry_run).then_some(run_id);
    let opts = RunOptions {
        dry_run: args.dry_run,
        force: args.force,
        require_sync_columns: store.is_sheet() && !args.add_id_column,
    };
    let result = sync(
        &mut store,
        &mut Watched::new(&mut cinnox.client),
        &mut state,
        run_id,
        &mapping,
        &job.policy,
        opts,
    )
    .await;
    summary.calls = Remote::calls(&cinnox.client);
    match result {
        Ok(run) => {
            summary.with_plan(&run.plan);
            if let Some(g) = &run.guard {
                summary.with_guard(g);
            }
            if let Some(r) = &run.report {
                summary.with_report(r);
            }
            summary.notes.extend(run.notes);
            if !args.json && (args.dry_run || run.report.is_some()) {
                print_limited(&run.plan, if args.dry_run { usize::MAX } else { 100 })?;
            }
            summary.settle(run.report.is_some());
        }
        Err(e) => summary.with_run_error(e),
    }
    if !args.dry_run {
        record(&mut state, run_id, summary);
    }
    Ok(())
}

/// Prints the plan's lines, at most `max` of them.
pub(crate) fn print_limited(plan: &crate::engine::Plan, max: usize) -> std::io::Result<()> {
    let mut buf = Vec::new();
    print_plan(plan, &mut buf)?;
    let text = String::from_utf8_lossy(&buf);
    let lines: Vec<&str> = text.lines().collect();
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    for l in lines.iter().take(max) {
        writeln!(out, "{l}")?;
    }
    if lines.len() > max {
        writeln!(
            out,
            "... and {} more lines (see `cinnox-sync plan`)",
            lines.len() - max
        )?;
    }
    Ok(())
}
