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

use super::job::Job;
use super::sides::open_cinnox;
use super::source::{SheetArgs, open_list, resolve_list, with_tab};
use super::sync::{finish, record, runtime};
use super::sync_report::Summary;
use super::watched::Watched;
use crate::cinnox::{CinnoxClient, ClientConfig};
use crate::engine::apply_import::import_apply;
use crate::engine::import::{ImportAction, plan_import};
use crate::engine::{PlanInput, Policy, Remote, Snapshot, SyncColumns};
use crate::mapping::{Mapping, MappingError};
use crate::sources::{Store, Table};
use crate::state::{StateStore, SystemClock};
use crate::validate::numeric;
use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

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
2 failed (credentials, unreadable file).";

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
    let mut summary = Summary::new("import", String::new(), String::new());
    summary.dry_run = args.dry_run;
    let rt = runtime()?;
    if let Err(e) = rt.block_on(import(&args, &mut summary)) {
        summary.error = Some(super::sync_report::error_text(&e));
        summary.settle(false);
    }
    finish(&summary, args.json)
}

async fn import(args: &ImportArgs, summary: &mut Summary) -> anyhow::Result<()> {
    let job = args.config.as_deref().map(Job::load).transpose()?;
    let source = resolve_list(args.file.as_deref(), &args.sheet, job.as_ref())?;
    let source = with_tab(source, args.tab.as_deref())?;
    // Files that belong to a sheet go beside the job, else in the current folder.
    let dir = job
        .as_ref()
        .and_then(|j| j.origin.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let state_path = args
        .state
        .clone()
        .unwrap_or_else(|| source.companion(&dir, "import.state.db"));
    summary.list = source.describe();
    summary.state = state_path.display().to_string();
    let mapping_path = args
        .mapping
        .clone()
        .or_else(|| job.as_ref().and_then(|j| j.mapping.clone()));
    let mapping = Mapping::load_or_builtin(mapping_path.as_deref())?;
    let mut store = open_list(&source, job.as_ref().map(|j| j.origin.as_path())).await?;
    let mut table = store.read().await?;
    let columns = lenient_columns(&mapping, &table.header, &store.describe())?;
    let app = store
        .spreadsheet()
        .unwrap_or(numeric::Spreadsheet::GoogleSheets);
    summary.notes = numeric::restore_from(&mut table, &columns.columns, &mapping.normaliser, app);
    // The run lock before the listing: a second import must not plan from it too.
    let mut state = if args.dry_run {
        super::sync::state_to_read(&state_path)?
    } else {
        StateStore::open_for_run(&state_path, Arc::new(SystemClock))?
    };
    let (mut client, _sandbox) = match &job {
        Some(j) => {
            let h = open_cinnox(j).await?;
            (h.client, h.sandbox)
        }
        None => (CinnoxClient::new(ClientConfig::from_env()?)?, None),
    };
    let mut client = Watched::new(&mut client);
    let contacts = client
        .list_contacts()
        .await
        .map_err(|e| anyhow::anyhow!("CINNOX: {e}"))?;
    let snapshot: Snapshot = state.snapshot()?;
    let policy = Policy::default();
    let input = PlanInput {
        table: &table,
        columns: &columns,
        mapping: &mapping,
        contacts: &contacts,
        staff: &[],
        state: &snapshot,
        policy: &policy,
    };
    let plan = plan_import(&input);
    summary.planned = true;
    let c = &mut summary.counts;
    c.creates = plan.count(|a| matches!(a, ImportAction::Create { .. }));
    c.updates = plan.count(|a| matches!(a, ImportAction::Update { .. }));
    c.unchanged = plan.count(|a| matches!(a, ImportAction::Unchanged { .. }));
    c.invalid = plan.count(|a| matches!(a, ImportAction::Reject { .. }));
    if args.dry_run {
        if !args.json {
            for r in &plan.rows {
                match &r.action {
                    ImportAction::Create { .. } => println!("create    line {}", r.line),
                    ImportAction::Update {
                        contact_id,
                        changed,
                        ..
                    } => {
                        let f: Vec<&str> = changed.iter().map(|f| f.key()).collect();
                        println!("update    line {} ({contact_id}): {}", r.line, f.join(", "))
                    }
                    ImportAction::Unchanged { .. } => {}
                    ImportAction::Reject { message } => {
                        println!("reject    line {}: {message}", r.line)
                    }
                }
            }
        }
        summary.problems = rejections(
            &plan
                .rows
                .iter()
                .filter_map(|r| match &r.action {
                    ImportAction::Reject { message } => Some((r.row, message.clone())),
                    _ => None,
                })
                .collect::<Vec<_>>(),
            &table,
        );
        summary.calls = Remote::calls(&client);
        summary.settle(false);
        return Ok(());
    }
    let run_id = state.begin_run("import")?;
    summary.run_id = Some(run_id);
    let report = import_apply(&plan, &mut client, &mut state, run_id).await?;
    summary.calls = Remote::calls(&client);
    summary.applied = Some(super::sync_report::Applied {
        created: report.created,
        updated: report.updated,
        rejected: report.rejected.len(),
        unknown: report.unknown.len(),
        stale: 0,
    });
    summary.problems = rejections(&report.rejected, &table);
    summary.problems.extend(
        report
            .unknown
            .iter()
            .map(|p| format!("line {}: {}", p.line.unwrap_or(0), p.message)),
    );
    if !report.rejected.is_empty() {
        let out = args
            .rejected
            .clone()
            .unwrap_or_else(|| source.companion(&dir, "rejected.csv"));
        write_rejected(&out, &table, &report.rejected)?;
        summary.rejected_file = Some(out.display().to_string());
        summary.rejected_rows = Some(report.rejected.len());
        summary.problems.push(format!(
            "rejected rows written to {}: fix them and import that file",
            out.display()
        ));
    }
    if let Some(f) = &report.fatal {
        summary.error = Some(format!(
            "CINNOX stopped the import: {f}; what was done before is saved"
        ));
    }
    summary.settle(true);
    record(&mut state, run_id, summary);
    Ok(())
}

/// The mapping applied to the file, a missing column read as empty: an import file
/// often holds a few of the template's columns, and an empty cell never clears a
/// CINNOX value in an import.
fn lenient_columns(
    mapping: &Mapping,
    header: &[String],
    what: &str,
) -> anyhow::Result<SyncColumns> {
    let mut header = header.to_vec();
    if let Err(MappingError::MissingColumns { names, .. }) = mapping.resolve(&header, what) {
        header.extend(names);
    }
    Ok(SyncColumns::resolve(mapping, &header, what)?)
}

fn rejections(rejected: &[(usize, String)], table: &Table) -> Vec<String> {
    rejected
        .iter()
        .map(|(r, m)| {
            format!(
                "line {}: {m}",
                table.row_numbers.get(*r).copied().unwrap_or(r + 2)
            )
        })
        .collect()
}

/// The rejected rows with the input's columns and an `Error` column, so the file can
/// be fixed and imported as it is.
fn write_rejected(path: &Path, table: &Table, rejected: &[(usize, String)]) -> anyhow::Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut header = table.header.clone();
    header.push("Error".into());
    w.write_record(&header)?;
    for (r, message) in rejected {
        let mut cells = table.rows[*r].clone();
        cells.resize(table.header.len(), String::new());
        cells.push(message.clone());
        w.write_record(&cells)?;
    }
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
