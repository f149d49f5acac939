//! `cinnox-sync import (FILE.csv | --sheet ID/TAB) [--mapping M] [--config JOB]
//! [--dry-run] [--rejected FILE] [--state FILE] [--json]`: a one-way upsert of a
//! CSV file or a Google Sheet tab into CINNOX by match keys. Rows that break
//! CINNOX's rules, are ambiguous, or that CINNOX refuses go to a rejected CSV file
//! with the input's columns plus `Error`, ready to fix and import again. The list
//! itself is never changed (so a sheet needs no CINNOX ID column). A state file (by
//! default next to the input; for a sheet, in the job's folder or the current one)
//! journals the writes and remembers what each row made, so importing the same
//! list again makes zero writes.

use super::report::print_import_plan;
use super::source::SheetArgs;
use super::{finish, run_job};
use crate::job::{ImportOptions, Mode, Request};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  # Credentials from the environment (CINNOX_BASE_URL, CINNOX_APP_ID, CINNOX_APP_TOKEN):
  cinnox-sync import leads.csv --dry-run
  cinnox-sync import leads.csv

  # Credentials (and mapping) from a job file; the CINNOX template's columns:
  cinnox-sync import leads.csv --config job.toml --mapping mappings/cinnox-columns.toml

  # Fix the rejected rows, then import them (already imported rows make no write):
  cinnox-sync import leads.csv --rejected leads.rejected.csv
  cinnox-sync import leads.rejected.csv

  # A tab of a Google Sheet, read as a service account (the sheet is not changed):
  cinnox-sync import --sheet 1AbC...xyz/Leads --credentials sa-key.json --dry-run

Exit codes: 0 everything imported; 1 some rows rejected (see the rejected file);
2 failed (credentials, unreadable file); 130 / 143 stopped by Ctrl-C / SIGTERM
between writes (import again: what was imported makes no write).";

/// Create or update CINNOX contacts from a CSV file or a Google Sheet (one way, the list wins).
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ImportArgs {
    /// The CSV file to import (or --sheet, or the job's list with --config).
    #[arg(value_name = "FILE.csv")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub sheet: SheetArgs,
    /// The mapping [default: the job's, else the built-in CINNOX template].
    #[arg(long, value_name = "MAPPING.toml")]
    pub mapping: Option<PathBuf>,
    /// Take CINNOX's credentials (and the mapping) from this job file.
    #[arg(long, short = 'c', value_name = "JOB.toml")]
    pub config: Option<PathBuf>,
    /// Show what would be created and updated; send nothing, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Where rejected rows go [default: FILE.rejected.csv beside the input; for a
    /// sheet, sheet-ID-TAB.rejected.csv].
    #[arg(long, value_name = "FILE")]
    pub rejected: Option<PathBuf>,
    /// The import's state file [default: FILE.import.state.db beside the input; for
    /// a sheet, sheet-ID-TAB.import.state.db in the job's folder or the current one].
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Print one JSON summary object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let done = run_job(&Request {
        job: args.config.clone(),
        list: args.sheet.choice(args.file.as_deref()),
        mode: Mode::Import(ImportOptions {
            dry_run: args.dry_run,
            mapping: args.mapping.clone(),
            rejected: args.rejected.clone(),
            state: args.state.clone(),
        }),
    })?;
    if let (true, false, Some(plan)) = (args.dry_run, args.json, &done.import) {
        print_import_plan(plan);
    }
    finish(&done.summary, args.json)
}
