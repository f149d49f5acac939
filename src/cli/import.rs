//! `cinnox-sync import (FILE.csv | FILE.xlsx [--tab NAME] | --sheet ID/TAB)
//! [--mapping M] [--config JOB] [--dry-run] [--rejected FILE] [--state FILE]
//! [--json]`: a one-way upsert of a CSV file, an Excel sheet or a Google Sheet tab
//! into CINNOX by match keys. Rows that break
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

  # Credentials (and mapping) from a job file; a built-in mapping by name:
  cinnox-sync import leads.csv --config job.toml -m wide

  # A sheet of an Excel workbook (the workbook is never changed):
  cinnox-sync import leads.xlsx --tab 'New leads' --dry-run

  # Fix the rejected rows, then import them (already imported rows make no write):
  cinnox-sync import leads.csv --rejected leads.rejected.csv
  cinnox-sync import leads.rejected.csv

  # A tab of a Google Sheet, read as a service account (the sheet is not changed):
  cinnox-sync import --sheet 1AbC...xyz/Leads --credentials sa-key.json --dry-run

Exit codes: 0 everything imported; 1 some rows rejected (see the rejected file);
2 failed (credentials, unreadable file); 130 / 143 stopped by Ctrl-C / SIGTERM
between writes (import again: what was imported makes no write).";

/// Create or update CINNOX contacts from a CSV file, an Excel workbook or a Google Sheet (one way, the list wins).
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ImportArgs {
    /// The CSV file or Excel workbook (.xlsx) to import (or --sheet, or the job's
    /// list with --config).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The sheet of the Excel workbook to import [default: the first].
    #[arg(long, value_name = "NAME")]
    pub tab: Option<String>,
    #[command(flatten)]
    pub sheet: SheetArgs,
    /// The mapping: a built-in by name (cinnox-columns, wide) or a TOML file
    /// [default: the job's, else cinnox-columns, the CINNOX template].
    #[arg(long, short, value_name = "MAPPING")]
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
        list: crate::job::ListChoice {
            tab: args.tab.clone(),
            ..args.sheet.choice(args.file.as_deref())
        },
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
