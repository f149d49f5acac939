//! The audit of one CSV file, streamed: a reader thread parses records into
//! batches, worker threads (one per core) decode and check them, and this thread
//! merges their results in line order and feeds the duplicate index. Memory stays
//! flat in the number of rows except for the violations themselves and the
//! duplicate keys (about 80 bytes per email or phone). Nothing stops at the first
//! problem: a ragged or undecodable row is a `structure` violation and the audit
//! goes on; only an unreadable file or an unusable header ends it.

use super::controls::may_hold_control;
use super::duplicates::DuplicateIndex;
use super::row::{RowChecker, RowsOut};
use super::rules::{Controls, Rule, Severity};
use super::violation::{AuditReport, Subject, Violation};
use crate::mapping::{Mapping, MappingError, Role};
use crate::sources::csv::{
    Batch, Record, RecordReader, STRAY_QUOTE, decode_record, ragged_message,
};
use crate::sources::encoding::{TextEncoding, utf16_bom};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::path::Path;

/// A batch is handed to a worker once it holds this many rows or bytes: large
/// enough that channel traffic is noise, small enough to keep both cores busy.
const BATCH_ROWS: usize = 2048;
const BATCH_BYTES: usize = 1 << 19;

/// How to run an audit.
#[derive(Clone, Copy, Default)]
pub struct AuditOptions<'a> {
    pub encoding: TextEncoding,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// Told the number of bytes read so far, after each batch (reader thread).
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

/// Why an audit could not run at all (exit 2); problems inside rows are violations.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("cannot read {what}: {cause}")]
    Io { what: String, cause: io::Error },
    #[error(
        "{what} is empty: a contact list starts with a header row naming its columns ({expected}, ...)"
    )]
    Empty { what: String, expected: String },
    #[error("{0}")]
    Unusable(String),
    #[error(transparent)]
    Mapping(#[from] MappingError),
}

/// Audits the CSV file at `path` against `mapping`.
pub fn audit_file(
    path: &Path,
    mapping: &Mapping,
    opts: &AuditOptions<'_>,
) -> Result<AuditReport, AuditError> {
    let what = path.display().to_string();
    // Opening a pipe would block until something writes to it.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Err(AuditError::Unusable(format!(
            "{what} {}",
            crate::sources::csv::store::NOT_A_FILE
        )));
    }
    let file = std::fs::File::open(path).map_err(|cause| AuditError::Io {
        what: what.clone(),
        cause,
    })?;
    audit_reader(file, &what, mapping, opts)
}

/// Audits CSV text read from `input`; `what` names it in messages and the report.
pub fn audit_reader<R: Read + Send>(
    input: R,
    what: &str,
    mapping: &Mapping,
    opts: &AuditOptions<'_>,
) -> Result<AuditReport, AuditError> {
    let io_err = |cause| AuditError::Io {
        what: what.to_string(),
        cause,
    };
    let enc = opts.encoding;
    let mut reader = RecordReader::new(input);
    let mut rec = Record::default();
    if !reader.read(&mut rec).map_err(io_err)? {
        return Err(AuditError::Empty {
            what: what.to_string(),
            expected: mapping
                .headers()
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let header = read_header(&rec, enc, what)?;
    let columns = resolve(mapping, &header, what)?;
    let ignored = columns.ignored.iter().map(|(_, h)| h.clone()).collect();
    let absent = columns.absent.iter().map(|a| a.header.clone()).collect();
    let checker = RowChecker::new(mapping, columns, &header, what).map_err(AuditError::Unusable)?;

    let workers = match opts.workers {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
        n => n,
    };
    let mut report = AuditReport {
        file: what.to_string(),
        header,
        ignored,
        absent,
        mapping: mapping.name.clone(),
        encoding: enc.name(),
        ..AuditReport::default()
    };
    let mut index = DuplicateIndex::default();
    let width = report.header.len();
    let (batch_tx, batch_rx) = crossbeam_channel::bounded::<(u64, Batch)>(workers * 2);
    let (done_tx, done_rx) = crossbeam_channel::bounded::<(u64, RowsOut)>(workers * 2);
    let (free_tx, free_rx) = crossbeam_channel::unbounded::<Batch>();
    let read_result = std::thread::scope(|s| {
        let progress = opts.progress;
        let read = s.spawn(move || -> io::Result<()> {
            let mut batch = Batch::default();
            let mut seq = 0;
            loop {
                let more = reader.read_into(&mut batch)?;
                let full = batch.len() >= BATCH_ROWS || batch.bytes() >= BATCH_BYTES;
                if full || (!more && !batch.is_empty()) {
                    let mut next = free_rx.try_recv().unwrap_or_default();
                    next.clear();
                    let ready = std::mem::replace(&mut batch, next);
                    if batch_tx.send((seq, ready)).is_err() {
                        break;
                    }
                    seq += 1;
                    if let Some(p) = progress {
                        p(reader.position());
                    }
                }
                if !more {
                    break;
                }
            }
            Ok(())
        });
        for _ in 0..workers {
            let (rx, tx, free, checker) =
                (batch_rx.clone(), done_tx.clone(), free_tx.clone(), &checker);
            s.spawn(move || {
                for (seq, batch) in rx {
                    let out = check_batch(checker, &batch, enc, width);
                    if tx.send((seq, out)).is_err() {
                        break;
                    }
                    let _ = free.send(batch);
                }
            });
        }
        drop((batch_rx, done_tx, free_tx));
        // Results arrive in any order; merge them in line order.
        let mut pending = BTreeMap::new();
        let mut next = 0u64;
        for (seq, out) in done_rx {
            pending.insert(seq, out);
            while let Some(out) = pending.remove(&next) {
                report.rows += out.rows;
                report.blank_rows += out.blank;
                report.violations.extend(out.violations);
                index.add(out.keys);
                next += 1;
            }
        }
        read.join()
            .unwrap_or_else(|_| Err(io::Error::other("the reader thread failed")))
    });
    read_result.map_err(io_err)?;
    report.violations.extend(index.finish(&report.header));
    // Stable: a row's own violations keep their column order, duplicates follow.
    report.violations.sort_by_key(|v| v.line);
    Ok(report)
}

fn read_header(rec: &Record, enc: TextEncoding, what: &str) -> Result<Vec<String>, AuditError> {
    let view = rec.view();
    if let Some(name) = (!view.is_empty())
        .then(|| utf16_bom(view.cell(0)))
        .flatten()
    {
        return Err(AuditError::Unusable(format!(
            "{what} is saved as {name} (\"Unicode Text\"); save it as \"CSV UTF-8\" in Excel and run again"
        )));
    }
    let mut cells = Vec::new();
    decode_record(view, enc, &mut cells).map_err(|u| {
        AuditError::Unusable(format!(
            "the header row (line {}) of {what} {}",
            rec.line,
            u.explain(enc, None)
        ))
    })?;
    Ok(cells.into_iter().map(Cow::into_owned).collect())
}

/// The mapping applied to the columns the header has (a mapped column the list
/// lacks is listed, not refused; a required one is refused by `RowChecker`). A
/// first line holding none of the mapping's columns is most likely data, not a
/// header, and is reported as such.
pub(super) fn resolve(
    mapping: &Mapping,
    header: &[String],
    what: &str,
) -> Result<crate::mapping::Columns, AuditError> {
    let columns = mapping.resolve_present(header, what)?;
    let holds_any =
        (0..header.len()).any(|c| !matches!(columns.role(c), None | Some(Role::Status)));
    if !holds_any {
        let known = mapping.headers();
        return Err(AuditError::Unusable(format!(
            "the first line of {what} is not a header row: it has none of the columns of mapping {} ({}, ...). Add the header row, pass the mapping that fits the list with --mapping, or write one with `cinnox-sync init {}`",
            mapping.origin,
            known.iter().take(4).cloned().collect::<Vec<_>>().join(", "),
            crate::validate::report::shell_word(what)
        )));
    }
    Ok(columns)
}

/// Decodes and checks one batch (worker thread).
fn check_batch(checker: &RowChecker, batch: &Batch, enc: TextEncoding, width: usize) -> RowsOut {
    let mut out = RowsOut::default();
    let mut cells: Vec<Cow<'_, str>> = Vec::with_capacity(width);
    for rec in batch.iter() {
        out.rows += 1;
        let structure = |column: Option<usize>, value: String, message: String| Violation {
            line: rec.line,
            column,
            subject: Subject::Row,
            rule: Rule::Structure,
            severity: Severity::Error,
            value,
            message: format!("Line {} {message}", rec.line),
            suggestion: None,
            guess: None,
            related: Vec::new(),
        };
        if let Err(u) = decode_record(rec, enc, &mut cells) {
            let header = checker.header(u.column);
            let column = (u.column < width).then_some(u.column);
            out.violations
                .push(structure(column, u.lossy.clone(), u.explain(enc, header)));
            continue;
        }
        if rec.open_quote {
            // The file's last line break, swallowed too, ends no line of text.
            let end = rec.line + rec.lines_spanned() as u64
                - 1
                - u64::from(matches!(rec.data.last(), Some(b'\n' | b'\r')));
            let column = (rec.len() - 1 < width).then(|| rec.len() - 1);
            let message = format!(
                "opens a quote{} that is never closed, so the rest of the file (lines {}-{end}) was read as part of this row: close the quote",
                column
                    .and_then(|c| checker.header(c))
                    .map(|h| format!(" in {h}"))
                    .unwrap_or_default(),
                rec.line
            );
            out.violations
                .push(structure(column, String::new(), message));
            continue;
        }
        if rec.stray_quote {
            // The row is still checked: its cells are read as a CSV reader reads them.
            out.violations
                .push(structure(None, String::new(), STRAY_QUOTE.to_string()));
        }
        if cells.len() != width {
            if cells.iter().all(|c| c.trim().is_empty()) {
                out.blank += 1;
                continue;
            }
            let message = ragged_message(cells.len(), width, rec.lines_spanned());
            if cells.len() > width {
                let extra = cells[width..].join(",");
                out.violations.push(structure(None, extra, message));
                continue;
            }
            out.violations
                .push(structure(Some(cells.len()), String::new(), message));
            cells.resize(width, Cow::Borrowed(""));
        }
        // One look at the row's bytes (the cells' own, read as UTF-8) clears all
        // its cells of control characters at once, as it does for the usual row.
        let controls = if enc.is_utf8() && !may_hold_control(rec.data) {
            Controls::Cleared
        } else {
            Controls::Look
        };
        checker.check(rec.line, &cells, controls, &mut out);
    }
    out
}

#[cfg(test)]
#[path = "audit_tests.rs"]
mod tests;
