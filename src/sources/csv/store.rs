//! `CsvStore`: a CSV file as a `Store` for sync and import. It reads the whole
//! file or fails naming the line (sync must never rewrite a file it could not read
//! whole), and writes edits back so that nothing else changes: unknown columns,
//! column order, BOM, line endings and every untouched row keep their exact bytes.
//! A write refuses to run if the file changed since it was read, and replaces the
//! file atomically (temp file, fsync, one `.bak` generation, rename), so a crash
//! leaves either the old file or the new one, never a partial file. The new bytes
//! are made by `render`.

use super::atomic;
use super::encoding::{TextEncoding, utf16_bom};
use super::reader::{
    BOM, FileForm, LineEnding, Record, RecordReader, STRAY_QUOTE, decode_record, ragged_message,
};
use super::render::render;
use crate::sources::{Edit, SourceError, Store, Table, WriteReport};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Why a list that is a pipe, a device or a socket is refused.
pub const NOT_A_FILE: &str = "is not a regular file (a pipe, a device or a socket): cinnox-sync reads a list whole and replaces it, so give the path of a .csv file (save what the pipe would give to a file first)";

/// A CSV file holding a contact list.
#[derive(Debug)]
pub struct CsvStore {
    path: PathBuf,
    encoding: TextEncoding,
    last: Option<Snapshot>,
}

/// What `read` saw, so `write` can tell whether the file changed and can copy
/// untouched rows byte for byte.
#[derive(Debug)]
struct Snapshot {
    fingerprint: Fingerprint,
    table_hash: u64,
    layout: Layout,
}

#[derive(Debug, PartialEq, Eq)]
struct Fingerprint {
    len: u64,
    modified: Option<SystemTime>,
    hash: u64,
}

/// Where each record sits in the file's bytes.
#[derive(Debug, Default)]
pub(super) struct Layout {
    pub bom: bool,
    pub eol: LineEnding,
    /// The header was written with quotes: write new rows the same way.
    pub quote_all: bool,
    pub header: Range<usize>,
    /// Each row's bytes (with its line break and any blank lines after it).
    pub rows: Vec<Range<usize>>,
    /// Rows read only in part (`Table::broken`): written back as they were, never
    /// padded, so they stay broken (and reported) until a person fixes them.
    pub broken: Vec<bool>,
}

impl CsvStore {
    /// A store for the CSV file at `path`, read and written in `encoding`. Nothing
    /// is read yet; a path that is a directory is refused now.
    pub fn open(path: impl AsRef<Path>, encoding: TextEncoding) -> Result<CsvStore, SourceError> {
        let path = path.as_ref().to_path_buf();
        let refuse = |message: &str| SourceError::Format {
            what: path.display().to_string(),
            line: None,
            message: message.into(),
        };
        if path.is_dir() {
            return Err(refuse("is a directory; give the path of a .csv file"));
        }
        // Opening a pipe would block until something writes to it, and a list is
        // read whole and replaced: only a regular file will do.
        if fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(refuse(NOT_A_FILE));
        }
        Ok(CsvStore {
            path,
            encoding,
            last: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `Store::read` without the async wrapper.
    pub fn read_table(&mut self) -> Result<Table, SourceError> {
        let (bytes, fingerprint) = self.load()?;
        let (table, layout) = parse(&bytes, self.encoding, &self.describe())?;
        self.last = Some(Snapshot {
            fingerprint,
            table_hash: table_hash(&table),
            layout,
        });
        Ok(table)
    }

    /// `Store::write` without the async wrapper. No edits, no write: the file, its
    /// modification time and its backup stay as they are.
    pub fn write_table(
        &mut self,
        table: &Table,
        edits: &[Edit],
    ) -> Result<WriteReport, SourceError> {
        if edits.is_empty() {
            return Ok(WriteReport::default());
        }
        let what = self.describe();
        let changed = || SourceError::Changed { what: what.clone() };
        let snap = self.last.as_ref().ok_or_else(changed)?;
        let (old, fingerprint) = self.load()?;
        if fingerprint != snap.fingerprint {
            return Err(changed());
        }
        let same_table = table_hash(table) == snap.table_hash;
        let out = render(
            &old,
            &snap.layout,
            table,
            same_table,
            edits,
            self.encoding,
            &what,
        )?;
        atomic::replace(&self.path, &old, &out).map_err(|cause| SourceError::Io {
            what: format!("writing {what} (the file on disk was left as it was)"),
            cause,
        })?;
        self.read_table()?;
        Ok(WriteReport {
            cells_written: count(edits, |e| matches!(e, Edit::Set { .. })),
            rows_appended: count(edits, |e| matches!(e, Edit::Append { .. })),
            rows_removed: count(edits, |e| matches!(e, Edit::Remove { .. })),
            requests: 0,
        })
    }

    fn load(&self) -> Result<(Vec<u8>, Fingerprint), SourceError> {
        let io = |cause| SourceError::Io {
            what: format!("reading {}", self.describe()),
            cause,
        };
        let bytes = fs::read(&self.path).map_err(io)?;
        let meta = fs::metadata(&self.path).map_err(io)?;
        let mut h = DefaultHasher::new();
        bytes.hash(&mut h);
        let fingerprint = Fingerprint {
            len: meta.len(),
            modified: meta.modified().ok(),
            hash: h.finish(),
        };
        Ok((bytes, fingerprint))
    }
}

impl Store for CsvStore {
    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    // File IO here is short and the engine awaits stores one at a time, so it runs
    // inline rather than on a blocking pool (which would need the table copied).
    async fn read(&mut self) -> Result<Table, SourceError> {
        self.read_table()
    }

    async fn write(&mut self, table: &Table, edits: &[Edit]) -> Result<WriteReport, SourceError> {
        self.write_table(table, edits)
    }

    fn file_form(&self) -> Option<FileForm> {
        let layout = &self.last.as_ref()?.layout;
        Some(FileForm {
            encoding: self.encoding,
            bom: layout.bom,
            eol: layout.eol,
        })
    }

    fn remove_leftovers(&mut self) -> Result<Vec<String>, SourceError> {
        let removed = atomic::remove_leftovers(&self.path).map_err(|cause| SourceError::Io {
            what: format!(
                "removing the temporary copies of {} an interrupted run left",
                self.describe()
            ),
            cause,
        })?;
        Ok(removed.iter().map(|p| p.display().to_string()).collect())
    }
}

fn count(edits: &[Edit], f: impl Fn(&Edit) -> bool) -> usize {
    edits.iter().filter(|e| f(e)).count()
}

fn table_hash(t: &Table) -> u64 {
    let mut h = DefaultHasher::new();
    (&t.header, &t.rows, &t.row_numbers).hash(&mut h);
    h.finish()
}

/// Reads a whole file into a `Table`, or fails on the first record that is not
/// text in `enc` or has more cells than the header.
fn parse(bytes: &[u8], enc: TextEncoding, what: &str) -> Result<(Table, Layout), SourceError> {
    let format = |line: Option<usize>, message: String| SourceError::Format {
        what: what.to_string(),
        line,
        message,
    };
    if let Some(name) = utf16_bom(bytes) {
        return Err(format(
            None,
            format!("is saved as {name}; save it as \"CSV UTF-8\" in Excel and try again"),
        ));
    }
    let bom = bytes.starts_with(BOM);
    let body = if bom { &bytes[BOM.len()..] } else { bytes };
    let mut layout = Layout {
        bom,
        eol: LineEnding::detect(body),
        quote_all: body.first() == Some(&b'"'),
        ..Layout::default()
    };
    let mut rdr = RecordReader::new(bytes);
    let mut rec = Record::default();
    let mut starts = Vec::new();
    let mut table = Table::default();
    loop {
        match rdr.read(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(format(None, e.to_string())),
        }
        let (line, start) = (rec.line as usize, rec.start as usize);
        let mut cells = Vec::new();
        decode_record(rec.view(), enc, &mut cells).map_err(|u| {
            let header = table.header.get(u.column).map(String::as_str);
            format(Some(line), u.explain(enc, header))
        })?;
        if rec.open_quote {
            return Err(format(
                Some(line),
                "opens a quote that is never closed, so the rest of the file would be read as part of this row: close the quote and try again".into(),
            ));
        }
        let row: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
        starts.push(start);
        if starts.len() == 1 {
            table.header = row;
            continue;
        }
        let width = table.header.len();
        if row.len() > width {
            let spanned = rec.view().lines_spanned();
            return Err(format(
                Some(line),
                format!(
                    "{}. Fix the row and try again: nothing is written to a file that could not be read whole",
                    ragged_message(row.len(), width, spanned)
                ),
            ));
        }
        let short = row.len() < width && row.iter().any(|c| !c.trim().is_empty());
        let why = if short {
            Some(format!(
                "has {} cells but the header has {width}: a cell or a comma is missing, so the cells after it are not in their columns; fix the row (until then nothing of it is sent to CINNOX or written into it)",
                row.len()
            ))
        } else if rec.stray_quote {
            Some(format!(
                "{STRAY_QUOTE}; until then nothing of it is sent to CINNOX or written into it"
            ))
        } else {
            None
        };
        if let Some(why) = why {
            table.broken.push((table.rows.len(), why));
        }
        layout.broken.push(short || rec.stray_quote);
        let mut row = row;
        row.resize(width, String::new());
        table.rows.push(row);
        table.row_numbers.push(line);
    }
    if starts.is_empty() {
        return Err(format(
            None,
            "is empty: a contact list needs a header row naming its columns".into(),
        ));
    }
    starts.push(bytes.len());
    layout.header = starts[0]..starts[1];
    layout.rows = (1..starts.len() - 1)
        .map(|i| starts[i]..starts[i + 1])
        .collect();
    Ok((table, layout))
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
