//! `cinnox-sync audit`: checks a contact list (a CSV file or standard input,
//! streamed; a sheet of an Excel workbook; or a Google Sheet tab, read in one
//! request) against CINNOX's field rules and writes a report; `--against-cinnox` also checks its rows against the contacts CINNOX
//! holds, and `--cinnox` audits those contacts themselves (`audit_cinnox`). Exit 0
//! when no error-severity violation was found, 1 when one was, 2 (through `main`)
//! when the list, the mapping or CINNOX cannot be used.

use super::audit_cinnox::audit_cinnox;
use super::audit_list::audit_list;
use super::source::SheetArgs;
use crate::job::Job;
use crate::mapping::Mapping;
use crate::sources::TextEncoding;
use crate::validate::AuditReport;
use crate::validate::report::{self, Format};
use anyhow::Context;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Check a contact list (CSV file, Excel workbook or Google Sheet), or the contacts
/// stored in CINNOX (--cinnox), against CINNOX's field rules, without changing
/// anything.
///
/// Every cell is checked: lengths (characters, after NFC), phone numbers (E.164 and
/// real; in a sheet, also numbers Sheets stored without their +), birth dates
/// (dd/mm/yyyy, real), enumerations, emails, required fields, duplicates across
/// rows (same email, phone or CINNOX ID), and a file's structure (ragged rows,
/// text that is not UTF-8). Mapped columns the list does not have are listed, not
/// refused, unless the mapping requires their field. The audit never stops at the
/// first problem and never drops one from the report.
///
/// --cinnox reads every contact from CINNOX instead and applies the same rules, a
/// report row being a contact (id, name, owner); contacts sharing an email, a
/// phone number, or a name and company are grouped into merge suggestions.
/// --against-cinnox checks a list's rows against CINNOX: an unknown CINNOX ID, a
/// row matching several contacts, a row that would duplicate a stored contact.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct AuditArgs {
    /// The list to check: a CSV file (UTF-8 with or without BOM, or see
    /// --encoding), an Excel workbook (.xlsx), or - for standard input; or give
    /// --sheet, or --config for the job's list.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The sheet of the Excel workbook to check [default: the first].
    #[arg(long, value_name = "NAME")]
    pub tab: Option<String>,
    #[command(flatten)]
    pub sheet: SheetArgs,
    /// Check the list of this job file (CSV or sheet) with its mapping.
    #[arg(long, short = 'c', value_name = "JOB.toml")]
    pub config: Option<PathBuf>,
    /// The mapping saying which column holds which CINNOX field, the default phone
    /// region and the required fields: a built-in by name (cinnox-columns, wide)
    /// or a TOML file (`cinnox-sync init FILE` writes one that fits a list).
    /// Default: the job's, else cinnox-columns, the columns of CINNOX's contact
    /// template.
    #[arg(long, short, value_name = "MAPPING")]
    pub mapping: Option<PathBuf>,
    /// How to write the report.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Shorthand for --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Write the report to this file instead of standard output.
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// The file's text encoding: utf-8, or big5 for CSV saved by Excel in Hong
    /// Kong or Taiwan (any WHATWG label that keeps ASCII as ASCII works)
    /// [default: the job's, else utf-8].
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<TextEncoding>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", hide_short_help = true)]
    pub threads: Option<usize>,
    /// Audit the contacts stored in CINNOX instead of a list (credentials from
    /// --config, else the CINNOX_BASE_URL, CINNOX_APP_ID and CINNOX_APP_TOKEN
    /// variables). The mapping gives the required fields and phone region.
    #[arg(
        long,
        help_heading = "CINNOX",
        conflicts_with_all = ["file", "against_cinnox", "encoding", "threads", "sheet"]
    )]
    pub cinnox: bool,
    /// Also check each row against the contacts CINNOX holds: its CINNOX ID unknown
    /// there, a match to several contacts, or a new contact that would duplicate
    /// a stored one.
    #[arg(long, help_heading = "CINNOX")]
    pub against_cinnox: bool,
    /// With --cinnox: also write the merge suggestions to this CSV file, one row
    /// per contact (keep, or merge into which), to work through in the dashboard.
    #[arg(
        long,
        value_name = "MERGES.csv",
        requires = "cinnox",
        help_heading = "CINNOX"
    )]
    pub merges: Option<PathBuf>,
}

const AFTER_HELP: &str = "\
Examples:
  cinnox-sync audit contacts.csv
  cinnox-sync audit contacts.csv --format html --output audit.html
  cinnox-sync audit export.csv --encoding big5 --mapping my-columns.toml --json > audit.json
  cinnox-sync audit contacts.xlsx --tab Customers -m wide
  some-export-command | cinnox-sync audit - --json

  # A list of its own shape: write a mapping from its header, check it, then audit:
  cinnox-sync init leads.xlsx
  cinnox-sync audit leads.xlsx -m leads.mapping.toml

  # A tab of a Google Sheet (Viewer access is enough); line numbers are sheet rows:
  cinnox-sync audit --sheet 1AbC...xyz/Contacts --credentials sa-key.json
  # The list of a sync job, with the job's mapping and credentials:
  cinnox-sync audit --config job.toml

  # The contacts stored in CINNOX (the job's, or CINNOX_* variables), with the
  # duplicate groups to merge in the dashboard:
  cinnox-sync audit --cinnox --config job.toml --format html -o cinnox.html
  cinnox-sync audit --cinnox --format csv -o fixes.csv --merges merges.csv
  # Will this list duplicate contacts, or name ids CINNOX does not know?
  cinnox-sync audit leads.csv --against-cinnox

Rule codes: max_length, phone_format, phone_invalid, date_format, date_invalid, enum,
email, required, duplicate (a warning), structure; with --against-cinnox also
unknown_id, ambiguous_match, would_duplicate (a warning).

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 the file, the
mapping or CINNOX could not be used.";

/// Runs the audit; `quiet` (`-q`) keeps stderr to errors: no bar, no notes.
pub fn run(args: AuditArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    if args.merges.is_some() && !args.cinnox {
        anyhow::bail!(
            "--merges writes the merge suggestions of an audit of CINNOX: add --cinnox (a list's duplicates are in its report)"
        );
    }
    let job = args.config.as_deref().map(Job::load).transpose()?;
    let mapping_path = args
        .mapping
        .clone()
        .or_else(|| job.as_ref().and_then(|j| j.mapping.clone()));
    let mapping = Mapping::load_or_builtin(mapping_path.as_deref())?;
    let format = if args.json { Format::Json } else { args.format };
    let started = Instant::now();
    let mut report = if args.cinnox {
        audit_cinnox(job.as_ref(), &mapping, quiet)?
    } else {
        audit_list(&args, job.as_ref(), &mapping, quiet)?
    };
    tracing::debug!(
        rows = report.rows,
        violations = report.violations.len(),
        "audited {} in {:.2} s",
        report.file,
        started.elapsed().as_secs_f64()
    );
    report.generated_at =
        Some(chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false));
    if !quiet {
        notes(&report, format);
    }
    write_report(&report, format, args.output.as_deref(), quiet)?;
    if let Some(path) = &args.merges {
        write_merges(&report, path, quiet)?;
    }
    Ok(if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes the report to `output` (a one-line summary on stderr) or stdout.
fn write_report(
    report: &AuditReport,
    format: Format,
    output: Option<&Path>,
    quiet: bool,
) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create the report file {}", path.display()))?;
            let mut w = io::BufWriter::new(file);
            report::write(report, format, &mut w)
                .and_then(|_| w.flush())
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
            if !quiet {
                eprintln!(
                    "{}: {}, {} errors, {} warnings; report written to {}",
                    report.file,
                    report::plural(
                        report.rows as usize,
                        if report.of_cinnox() { "contact" } else { "row" }
                    ),
                    report::thousands(report.errors() as u64),
                    report::thousands(report.warnings() as u64),
                    path.display()
                );
            }
        }
        None => {
            let stdout = io::stdout();
            let mut lock = stdout.lock();
            match report::write(report, format, &mut lock).and_then(|_| lock.flush()) {
                // `| head` closing the pipe early is not a failure of the audit.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
                other => other.context("cannot write the report")?,
            }
        }
    }
    Ok(())
}

/// Writes the merge suggestions of an audit of CINNOX to `path`.
fn write_merges(report: &AuditReport, path: &Path, quiet: bool) -> anyhow::Result<()> {
    let file = std::fs::File::create(path)
        .with_context(|| format!("cannot create the merge list {}", path.display()))?;
    let mut w = io::BufWriter::new(file);
    report::merges::write(report, &mut w)
        .and_then(|_| w.flush())
        .with_context(|| format!("cannot write the merge list {}", path.display()))?;
    if !quiet {
        let absorbed: usize = report.merges.iter().map(|m| m.absorb.len()).sum();
        eprintln!(
            "{}, absorbing {}, written to {}",
            report::plural(report.merges.len(), "merge suggestion"),
            report::plural(absorbed, "contact"),
            path.display()
        );
    }
    Ok(())
}

/// What the machine-readable formats have no place for goes to stderr.
fn notes(report: &AuditReport, format: Format) {
    if report.rows == 0 && report.of_cinnox() {
        eprintln!("note: {} lists no contacts; nothing to check", report.file);
    } else if report.rows == 0 {
        eprintln!(
            "note: {} has a header row but no data rows; nothing to check",
            report.file
        );
    }
    if matches!(format, Format::Json | Format::Csv) && !report.ignored.is_empty() {
        eprintln!(
            "note: columns not in the mapping, not checked: {}",
            report.ignored.join(", ")
        );
    }
    // The table report says so itself; the other formats have no place for it.
    if format != Format::Table && !report.absent.is_empty() {
        eprintln!(
            "note: mapped columns this list does not have (nothing to check there): {}",
            report.absent.join(", ")
        );
    }
}
