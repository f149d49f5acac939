//! `cinnox-sync sync --config JOB.toml [--sheet ID/TAB] [--dry-run] [--json]
//! [--force] [--add-id-column]`: plans and applies a two-way sync in one run, with
//! the job's list (a CSV file or a Google Sheet tab) or the sheet `--sheet` names.

use super::report::print_limited;
use super::source::SheetArgs;
use super::{finish, run_job};
use crate::job::{Mode, Request};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

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
short by Google's quotas: the next run finishes it); 130 / 143 stopped by Ctrl-C /
SIGTERM once the write in flight was done (a second Ctrl-C stops at once; the next
run finishes the job, nothing twice).
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

pub fn run(args: SyncArgs) -> anyhow::Result<ExitCode> {
    let done = run_job(&Request {
        job: Some(args.config.clone()),
        list: args.sheet.choice(None),
        mode: Mode::Sync {
            dry_run: args.dry_run,
            force: args.force,
            add_id_column: args.add_id_column,
        },
    })?;
    // The plan is shown when it was carried out or only planned, not when refused.
    let shown = args.dry_run || done.summary.applied.is_some();
    if let (false, true, Some(plan)) = (args.json, shown, &done.plan) {
        print_limited(plan, if args.dry_run { usize::MAX } else { 100 })?;
    }
    finish(&done.summary, args.json)
}
