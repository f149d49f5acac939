//! `cinnox-sync audit`: checks a CSV contact list against CINNOX's field rules
//! and writes a report. Exit 0 when no error-severity violation was found, 1 when
//! one was, 2 (through `main`) when the file or the mapping cannot be used.

use super::progress;
use crate::mapping::Mapping;
use crate::sources::TextEncoding;
use crate::validate::report::{self, Format};
use crate::validate::{AuditOptions, AuditReport, audit_file};
use anyhow::Context;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Files above this size get a progress bar (when stderr is a terminal).
const PROGRESS_FROM_BYTES: u64 = 8 << 20;

/// Check a CSV contact list against CINNOX's field rules, without sending anything.
///
/// Every cell is checked: lengths (characters, after NFC), phone numbers (E.164 and
/// real), birth dates (dd/mm/yyyy, real), enumerations, emails, required fields,
/// duplicates across rows (same email, phone or CINNOX ID), and the file's
/// structure (ragged rows, text that is not UTF-8). The audit never stops at the
/// first problem and never drops one from the report.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct AuditArgs {
    /// The CSV file to check (UTF-8 with or without BOM, or see --encoding).
    pub file: PathBuf,
    /// A mapping file (TOML) saying which column holds which CINNOX field, the
    /// default phone region and the required fields. Default: the columns of
    /// CINNOX's contact template (mappings/cinnox-columns.toml).
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
    /// Kong or Taiwan (any WHATWG label that keeps ASCII as ASCII works).
    #[arg(long, value_name = "ENCODING", default_value = "utf-8")]
    pub encoding: TextEncoding,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", hide_short_help = true)]
    pub threads: Option<usize>,
}

const AFTER_HELP: &str = "\
Examples:
  cinnox-sync audit contacts.csv
  cinnox-sync audit contacts.csv --format html --output audit.html
  cinnox-sync audit export.csv --encoding big5 --mapping my-columns.toml --json > audit.json

Rule codes: max_length, phone_format, phone_invalid, date_format, date_invalid, enum,
email, required, duplicate (a warning), structure.

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 the file or the
mapping could not be used.";

/// Runs the audit; `quiet` (`-q`) keeps stderr to errors: no bar, no notes.
pub fn run(args: AuditArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    if let Some(out) = &args.output
        && let (Ok(a), Ok(b)) = (
            std::fs::canonicalize(&args.file),
            std::fs::canonicalize(out),
        )
        && a == b
    {
        anyhow::bail!(
            "--output {} is the file being audited; write the report to another file",
            out.display()
        );
    }
    let mapping = Mapping::load_or_builtin(args.mapping.as_deref())?;
    let format = if args.json { Format::Json } else { args.format };
    let what = args.file.display().to_string();
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("cannot read {what}"))?
        .len();
    let name = args
        .file
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
        encoding: args.encoding,
        workers: args.threads.unwrap_or(0),
        progress: Some(&on_progress),
    };
    let started = Instant::now();
    let result = audit_file(&args.file, &mapping, &opts);
    progress::finish(bar);
    let report = result?;
    tracing::debug!(
        rows = report.rows,
        violations = report.violations.len(),
        "audited {what} in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    if !quiet {
        notes(&report, format);
    }
    match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create the report file {}", path.display()))?;
            let mut w = io::BufWriter::new(file);
            report::write(&report, format, &mut w)
                .and_then(|_| w.flush())
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
            if !quiet {
                eprintln!(
                    "{}: {} rows, {} errors, {} warnings; report written to {}",
                    what,
                    report::thousands(report.rows),
                    report::thousands(report.errors() as u64),
                    report::thousands(report.warnings() as u64),
                    path.display()
                );
            }
        }
        None => {
            let stdout = io::stdout();
            let mut lock = stdout.lock();
            match report::write(&report, format, &mut lock).and_then(|_| lock.flush()) {
                // `| head` closing the pipe early is not a failure of the audit.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
                other => other.context("cannot write the report")?,
            }
        }
    }
    Ok(if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What the machine-readable formats have no place for goes to stderr.
fn notes(report: &AuditReport, format: Format) {
    if report.rows == 0 {
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
}
