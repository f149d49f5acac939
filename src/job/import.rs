//! The import mode: a one-way upsert of the list into CINNOX by match keys. The
//! list is never changed (a sheet needs no id column); the import keeps its own
//! state file (by default beside the list; for a sheet, in the job's folder or the
//! current one) journalling the writes and remembering what each row made, so
//! importing the same list again makes zero writes; rows that break CINNOX's rules,
//! are ambiguous or that CINNOX refuses go to a rejected CSV file with the list's
//! columns plus `Error`, ready to fix and import again.

use super::cinnox::open_cinnox;
use super::context::Context;
use super::file::Job;
use super::list;
use super::runner::{Finished, Request};
use super::state::{self, record};
use super::summary::Applied;
use super::watched::Watched;
use crate::engine::import::{ImportAction, import_apply, plan_import};
use crate::engine::{PlanInput, Policy, Remote, RemoteError, Snapshot, SyncColumns};
use crate::mapping::Mapping;
use crate::sources::csv::{BOM, FileForm, LineEnding};
use crate::sources::{Store, Table};
use crate::validate::numeric;
use anyhow::Context as _;
use std::path::{Path, PathBuf};

/// The import's own options.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Plan only: send nothing, write nothing.
    pub dry_run: bool,
    /// The mapping [default: the job's, else the built-in CINNOX template].
    pub mapping: Option<PathBuf>,
    /// Where rejected rows go [default: beside the list].
    pub rejected: Option<PathBuf>,
    /// The import's state file [default: beside the list].
    pub state: Option<PathBuf>,
}

pub(super) async fn import(
    ctx: &Context<'_>,
    req: &Request,
    opts: &ImportOptions,
    done: &mut Finished,
) -> anyhow::Result<()> {
    let summary = &mut done.summary;
    summary.dry_run = opts.dry_run;
    let job = req.job.as_deref().map(Job::load).transpose()?;
    done.job_file = job.as_ref().map(|j| j.origin.clone());
    summary.job = job.as_ref().map(|j| j.origin.display().to_string());
    let source = list::resolve(&req.list, job.as_ref())?;
    // Files that belong to a sheet go beside the job, else in the current folder.
    let dir = job
        .as_ref()
        .and_then(|j| j.origin.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let state_path = opts
        .state
        .clone()
        .unwrap_or_else(|| source.companion(&dir, "import.state.db"));
    summary.list = source.describe();
    summary.state = state_path.display().to_string();
    let mapping_path = opts
        .mapping
        .clone()
        .or_else(|| job.as_ref().and_then(|j| j.mapping.clone()));
    let mapping = Mapping::load_or_builtin(mapping_path.as_deref())?;
    let origin = job.as_ref().map(|j| j.origin.as_path());
    let mut store = list::open(&source, origin, ctx).await?;
    let mut table = store.read().await?;
    let columns = SyncColumns::resolve(&mapping, &table.header, &store.describe())?;
    let app = store
        .capabilities()
        .typed_cells
        .unwrap_or(numeric::Spreadsheet::GoogleSheets);
    summary.notes = numeric::restore_from(&mut table, &columns.columns, &mapping.normaliser, app);
    // The run lock before the listing: a second import must not plan from it too.
    let mut state = state::open(&state_path, !opts.dry_run)?;
    let mut cinnox = open_cinnox(job.as_ref(), ctx).await?;
    let mut client = Watched::new(&mut cinnox.client, ctx);
    let contacts = match client.list_contacts().await {
        Ok(c) => c,
        // Nothing planned, nothing sent: `run` says it was stopped.
        Err(RemoteError::Stopped) => return Ok(()),
        Err(e) => anyhow::bail!("CINNOX: {e}"),
    };
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
    c.notes = summary.notes.len();
    if opts.dry_run {
        let rejected: Vec<(usize, String)> = plan
            .rows
            .iter()
            .filter_map(|r| match &r.action {
                ImportAction::Reject { message } => Some((r.row, message.clone())),
                _ => None,
            })
            .collect();
        summary.problems = rejections(&rejected, &table);
        summary.calls = Remote::calls(&client);
        summary.settle(false);
        done.import = Some(plan);
        return Ok(());
    }
    let run_id = state.begin_run("import")?;
    summary.run_id = Some(run_id);
    let report = import_apply(&plan, &mut client, &mut state, run_id, &ctx.cancel).await?;
    summary.calls = Remote::calls(&client);
    summary.applied = Some(Applied {
        created: report.created,
        updated: report.updated,
        rejected: report.rejected.len(),
        unknown: report.unknown.len(),
        stale: 0,
        not_sent: report.not_sent,
    });
    summary.detail = report.detail.clone();
    summary.problems = rejections(&report.rejected, &table);
    summary.problems.extend(
        report
            .unknown
            .iter()
            .map(|p| format!("line {}: {}", p.line.unwrap_or(0), p.message)),
    );
    if !report.rejected.is_empty() {
        let out = opts
            .rejected
            .clone()
            .unwrap_or_else(|| source.companion(&dir, "rejected.csv"));
        let form = store.file_form().unwrap_or_default();
        write_rejected(&out, &table, &report.rejected, form)?;
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
    if let Some(stop) = ctx.cancel.stopped() {
        summary.with_stop(
            stop,
            &format!("the import's state file {}", state_path.display()),
        );
    }
    record(&mut state, run_id, summary);
    done.import = Some(plan);
    Ok(())
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
/// be fixed and imported as it is: written as the input is (encoding, BOM, line
/// endings, so Excel shows its Chinese text), readable by its owner only.
fn write_rejected(
    path: &Path,
    table: &Table,
    rejected: &[(usize, String)],
    form: FileForm,
) -> anyhow::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(match form.eol {
            LineEnding::Lf => csv::Terminator::Any(b'\n'),
            LineEnding::CrLf => csv::Terminator::CRLF,
            LineEnding::Cr => csv::Terminator::Any(b'\r'),
        })
        .from_writer(Vec::new());
    let mut header = table.header.clone();
    header.push("Error".into());
    w.write_record(&header)?;
    for (r, message) in rejected {
        let mut cells = table.rows[*r].clone();
        cells.resize(table.header.len(), String::new());
        cells.push(message.clone());
        w.write_record(&cells)?;
    }
    let text = String::from_utf8(w.into_inner()?)?;
    // A message in a character the input's encoding lacks: written as UTF-8 instead.
    let (mut bytes, bom) = match form.encoding.encode(&text) {
        Some(b) => (b.into_owned(), form.bom && form.encoding.is_utf8()),
        None => (text.into_bytes(), true),
    };
    if bom {
        bytes.splice(0..0, BOM.iter().copied());
    }
    crate::private_files::write(path, &bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}
