//! Writing a table back to its CSV file: the new bytes are `apply_edits` of the
//! table as read, written with the old file's BOM, line ending and quoting, in its
//! encoding; every row nobody wrote into is copied from the old bytes as it was
//! (a broken row too, even when a column is added: it is never padded whole).

use super::reader::{BOM, LineEnding};
use super::store::Layout;
use crate::sources::encoding::TextEncoding;
use crate::sources::{Edit, SourceError, Table, apply_edits};
use std::collections::HashSet;

/// The new file's bytes: `apply_edits(table, edits)` written with the old file's
/// BOM, line ending and quoting; untouched rows copied from `old` as they were.
pub(super) fn render(
    old: &[u8],
    layout: &Layout,
    table: &Table,
    same_table: bool,
    edits: &[Edit],
    enc: TextEncoding,
    what: &str,
) -> Result<Vec<u8>, SourceError> {
    let new = apply_edits(table, edits);
    // Raw bytes are reused only if they are the bytes of this very table and no
    // column was added (every row then gains a cell); a broken row's bytes are
    // kept even then, as long as nothing was written into it.
    let same_rows = same_table && layout.rows.len() == table.rows.len();
    let reuse = same_rows && !edits.iter().any(|e| matches!(e, Edit::AddColumn { .. }));
    let removed: HashSet<usize> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::Remove { row } if *row < table.rows.len() => Some(*row),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(old.len() + 1024);
    if layout.bom {
        out.extend_from_slice(BOM);
    }
    let mut w = RowWriter::new(layout, enc, what);
    if reuse {
        out.extend_from_slice(&old[layout.header.clone()]);
    } else {
        w.write(&mut out, &new.header, 1)?;
    }
    let mut k = 0;
    for (i, original) in table.rows.iter().enumerate() {
        if removed.contains(&i) {
            continue;
        }
        let row = &new.rows[k];
        k += 1;
        let untouched = row.get(..original.len()) == Some(original.as_slice())
            && row[original.len()..].iter().all(String::is_empty);
        let keep = (reuse && row == original)
            || (same_rows && layout.broken.get(i) == Some(&true) && untouched);
        match layout.rows.get(i).cloned() {
            Some(span) if keep => {
                end_line(&mut out, layout.eol);
                out.extend_from_slice(&old[span]);
            }
            _ => w.write(&mut out, row, k + 1)?,
        }
    }
    for row in &new.rows[k..] {
        k += 1;
        w.write(&mut out, row, k + 1)?;
    }
    Ok(out)
}

/// The last line of a file may lack a line break; add one before writing after it.
fn end_line(out: &mut Vec<u8>, eol: LineEnding) {
    if out.last().is_some_and(|b| !matches!(b, b'\n' | b'\r')) && out.as_slice() != BOM {
        out.extend_from_slice(eol.as_bytes());
    }
}

/// Writes rows as CSV in the file's encoding, line ending and quoting.
struct RowWriter<'a> {
    eol: LineEnding,
    quote_all: bool,
    enc: TextEncoding,
    what: &'a str,
}

impl<'a> RowWriter<'a> {
    fn new(layout: &Layout, enc: TextEncoding, what: &'a str) -> Self {
        RowWriter {
            eol: layout.eol,
            quote_all: layout.quote_all,
            enc,
            what,
        }
    }

    fn write(
        &mut self,
        out: &mut Vec<u8>,
        cells: &[String],
        row: usize,
    ) -> Result<(), SourceError> {
        end_line(out, self.eol);
        let mut w = csv::WriterBuilder::new()
            .terminator(match self.eol {
                LineEnding::Lf => csv::Terminator::Any(b'\n'),
                LineEnding::CrLf => csv::Terminator::CRLF,
                LineEnding::Cr => csv::Terminator::Any(b'\r'),
            })
            .quote_style(if self.quote_all {
                csv::QuoteStyle::Always
            } else {
                csv::QuoteStyle::Necessary
            })
            .from_writer(Vec::new());
        let fail = |e: String| SourceError::Format {
            what: self.what.to_string(),
            line: None,
            message: format!("cannot write row {row}: {e}"),
        };
        w.write_record(cells).map_err(|e| fail(e.to_string()))?;
        let utf8 = w.into_inner().map_err(|e| fail(e.to_string()))?;
        let text = String::from_utf8(utf8).map_err(|e| fail(e.to_string()))?;
        let bytes = self.enc.encode(&text).ok_or_else(|| SourceError::Format {
            what: self.what.to_string(),
            line: None,
            message: format!(
                "row {row} of the new file holds a character that cannot be written in {}; nothing was written",
                self.enc.name()
            ),
        })?;
        out.extend_from_slice(&bytes);
        Ok(())
    }
}
