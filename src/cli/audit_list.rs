//! The lists `audit` reads: a CSV file (streamed on every core, with a progress bar
//! for a big file), a spreadsheet (a Google Sheet tab or a sheet of an Excel
//! workbook, read whole), or standard input (CSV text, or a workbook recognised by
//! its first bytes); and, with `--against-cinnox`, the list's rows checked against
//! the contacts CINNOX holds. Part of `audit`.

use super::audit::AuditArgs;
use super::audit_cinnox::against_cinnox;
use super::progress;
use crate::job::{Job, list};
use crate::mapping::Mapping;
use crate::sources::sheets::SheetsConfig;
use crate::sources::xlsx::{XlsxSource, XlsxStore, looks_like_zip};
use crate::sources::{CsvSource, ListSource, Spreadsheet, Store, Table, TextEncoding};
use crate::validate::report;
use crate::validate::{AuditOptions, AuditReport, audit_file, audit_reader, audit_table};
use anyhow::Context;
use std::io::{self, BufRead, Read};
use std::path::Path;

/// Files above this size get a progress bar (when stderr is a terminal).
const PROGRESS_FROM_BYTES: u64 = 8 << 20;

/// Audits the list (and checks it against CINNOX when asked).
pub(super) fn audit_list(
    args: &AuditArgs,
    job: Option<&Job>,
    mapping: &Mapping,
    quiet: bool,
) -> anyhow::Result<AuditReport> {
    if args.file.as_deref() == Some(Path::new("-")) {
        if args.against_cinnox {
            anyhow::bail!(
                "--against-cinnox reads the list twice: give it a file, not standard input"
            );
        }
        return audit_stdin(args, mapping);
    }
    let choice = crate::job::ListChoice {
        tab: args.tab.clone(),
        ..args.sheet.choice(args.file.as_deref())
    };
    let source = list::resolve(&choice, job)?;
    let (mut report, table, encoding) = match source.get::<CsvSource>() {
        Some(csv) => {
            let encoding = match args.encoding {
                Some(e) => e,
                None => csv.text_encoding()?,
            };
            let report = audit_csv(args, &csv.path, encoding, mapping, quiet)?;
            (report, None, encoding)
        }
        None => {
            if args.encoding.is_some() || args.threads.is_some() {
                anyhow::bail!(
                    "--encoding and --threads are for a CSV file, not a spreadsheet (it stores text as Unicode)"
                );
            }
            let (report, table) = audit_sheet(&source, mapping)?;
            (report, Some(table), TextEncoding::default())
        }
    };
    if args.against_cinnox {
        against_cinnox(&mut report, &source, table, encoding, mapping, job)?;
    }
    Ok(report)
}

/// Streams the CSV file at `path` through the checks on every core.
fn audit_csv(
    args: &AuditArgs,
    path: &Path,
    encoding: TextEncoding,
    mapping: &Mapping,
    quiet: bool,
) -> anyhow::Result<AuditReport> {
    if let Some(out) = &args.output
        && let (Ok(a), Ok(b)) = (std::fs::canonicalize(path), std::fs::canonicalize(out))
        && a == b
    {
        anyhow::bail!(
            "--output {} is the file being audited; write the report to another file",
            out.display()
        );
    }
    let what = path.display().to_string();
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {what}"))?
        .len();
    let name = path
        .file_name()
        .map_or(what.clone(), |n| n.to_string_lossy().into_owned());
    let bar = (!quiet)
        .then(|| progress::bar_for_bytes(size, PROGRESS_FROM_BYTES, &format!("auditing {name}")))
        .flatten();
    let on_progress = |bytes: u64| {
        if let Some(b) = &bar {
            b.set_position(bytes);
        }
    };
    let opts = AuditOptions {
        encoding,
        workers: args.threads.unwrap_or(0),
        progress: Some(&on_progress),
    };
    let result = audit_file(path, mapping, &opts);
    progress::finish(bar);
    Ok(result?)
}

/// Reads a whole spreadsheet (a Google Sheet's tab in one request, or a sheet of
/// an Excel workbook) and checks it; the table is kept for `--against-cinnox`.
fn audit_sheet(source: &ListSource, mapping: &Mapping) -> anyhow::Result<(AuditReport, Table)> {
    let (table, app) = super::in_context(false, async |ctx| {
        let mut store = list::open(source, None, ctx).await?;
        let app = store
            .capabilities()
            .typed_cells
            .unwrap_or(Spreadsheet::GoogleSheets);
        anyhow::Ok((store.read().await?, app))
    })?;
    let what = source.describe();
    let mut report = audit_table(&table, &what, app, mapping)?;
    if let Some(c) = source.get::<SheetsConfig>() {
        let name = format!("{}/{}", c.spreadsheet_id, c.tab);
        report.list_arg = Some(format!("--sheet {}", report::shell_word(&name)));
    }
    if let Some(x) = source.get::<XlsxSource>() {
        let file = report::shell_word(&x.path.display().to_string());
        report.list_arg = Some(match &x.tab {
            Some(t) => format!("{file} --tab {}", report::shell_word(t)),
            None => file,
        });
    }
    Ok((report, table))
}

/// Audits standard input: CSV text, streamed, or an Excel workbook (recognised
/// by its first bytes, and read whole: a zip archive must be read from its end).
fn audit_stdin(args: &AuditArgs, mapping: &Mapping) -> anyhow::Result<AuditReport> {
    const WHAT: &str = "standard input";
    if args.sheet.sheet.is_some() || args.config.is_some() {
        anyhow::bail!("- reads the list from standard input: give no --sheet or --config too");
    }
    let mut input = io::BufReader::with_capacity(1 << 16, io::stdin());
    let head = input
        .fill_buf()
        .with_context(|| format!("cannot read {WHAT}"))?;
    let mut report = if looks_like_zip(head) {
        if args.encoding.is_some() || args.threads.is_some() {
            anyhow::bail!("--encoding and --threads are for CSV text, not an Excel workbook");
        }
        let mut bytes = Vec::new();
        input
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {WHAT}"))?;
        let table = XlsxStore::from_bytes(bytes, WHAT, args.tab.clone()).read_table()?;
        audit_table(&table, WHAT, Spreadsheet::Excel, mapping)?
    } else {
        if args.tab.is_some() {
            anyhow::bail!(
                "--tab names a sheet of an Excel workbook; standard input holds CSV text"
            );
        }
        let opts = AuditOptions {
            encoding: args.encoding.unwrap_or_default(),
            workers: args.threads.unwrap_or(0),
            progress: None,
        };
        audit_reader(input, WHAT, mapping, &opts)?
    };
    report.list_arg = Some("- < LIST".into());
    Ok(report)
}
