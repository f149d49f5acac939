//! Sources: where people keep contact lists (a CSV file, a Google Sheet, an Excel
//! workbook, or memory in tests), behind one trait, `Store`. A store deals in text cells only: it reads a
//! `Table` (a header row and data rows) and applies `Edit`s to it, and states its
//! `Capabilities`. Turning cells into field values is the mapping's job, deciding
//! what to change is the engine's.
//!
//! One folder per kind of list: `csv/` (files, also read by the streaming audit),
//! `sheets/` (a tab of a Google Sheet), `xlsx/` (a sheet of an Excel workbook, read
//! only), and `memory` (tests). `kinds` registers them
//! (how a job file and the command line name each, and how it opens: one line per
//! kind), and `any` holds whichever a command opened.
//! `header_check` is the list side of `check` (a header against the columns a job
//! expects).

pub mod any;
pub mod csv;
pub mod header_check;
pub mod kinds;
pub mod memory;
pub mod sheets;
pub mod xlsx;

pub use any::{AnyStore, DynStore};
pub use csv::{CsvSource, CsvStore, encoding, encoding::TextEncoding};
pub use kinds::{KINDS, ListKind, ListSource, ListSpec};

use std::future::Future;

/// A contact list as a grid of text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The header row, as written in the source.
    pub header: Vec<String>,
    /// The data rows; each has exactly `header.len()` cells (a store pads short rows
    /// and reports long ones as errors before they get here).
    pub rows: Vec<Vec<String>>,
    /// Where each data row sits in the source, 1-based, for messages: the line of the
    /// record in a CSV file (header = line 1) or the row number of a sheet.
    pub row_numbers: Vec<usize>,
    /// Cells the source holds as numbers, `(row index, column)`, sorted; every other
    /// cell is text (`Table::cell_type`). Only a store whose cells are typed has them
    /// (`Capabilities::typed_cells`: a sheet, a workbook): a spreadsheet turns a typed
    /// `+85291234567` into the number 85291234567, dropping the `+`, and callers
    /// report such phone cells. The cell text is the number written out in full (no
    /// exponent, no `.0`).
    pub numeric_cells: Vec<(usize, usize)>,
    /// Rows the store could read only in part, `(row index, what is wrong)`, sorted:
    /// a short row (padded with empty cells here, which do not stand for cleared
    /// values), a quote where CSV allows none. Callers send nothing of such a row
    /// and write nothing into it; they report it with its line.
    pub broken: Vec<(usize, String)>,
}

/// How the source stored a cell.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CellType {
    Text,
    /// Stored as a number: its text is the number written out in full.
    Number,
}

/// What a store can do beyond reading and writing cells, so commands ask the store
/// instead of asking which kind it is.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// Columns (the id and status columns) are added only when asked: the list's
    /// layout belongs to the people who share it (a sheet).
    pub columns_on_request: bool,
    /// Writes are requests to a remote service, cut short by its quotas (a sheet),
    /// not one local file replaced at once.
    pub remote_writes: bool,
    /// Cells may be stored as numbers (`Table::numeric_cells`), by this program:
    /// the advice about such cells is in its words.
    pub typed_cells: Option<Spreadsheet>,
}

/// A spreadsheet program that stores typed cells.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Spreadsheet {
    GoogleSheets,
    Excel,
}

impl Spreadsheet {
    /// As people call it.
    pub fn name(self) -> &'static str {
        match self {
            Spreadsheet::GoogleSheets => "Google Sheets",
            Spreadsheet::Excel => "Excel",
        }
    }
}

impl Table {
    /// How the source stored the cell at (`row`, `col`).
    pub fn cell_type(&self, row: usize, col: usize) -> CellType {
        if self.numeric_cells.binary_search(&(row, col)).is_ok() {
            CellType::Number
        } else {
            CellType::Text
        }
    }

    /// What is wrong with row `r`, when the store could read it only in part.
    pub fn broken_row(&self, r: usize) -> Option<&str> {
        self.broken
            .binary_search_by_key(&r, |(i, _)| *i)
            .ok()
            .map(|k| self.broken[k].1.as_str())
    }

    /// The index of the column whose header is `name`, compared as the mapping
    /// compares headers (case and spacing ignored).
    pub fn column(&self, name: &str) -> Option<usize> {
        let want = header_key(name);
        self.header.iter().position(|h| header_key(h) == want)
    }
}

/// The form in which headers are compared: lower case, with every run of white
/// space, `_` and `-` folded into one space, trimmed.
pub fn header_key(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    for word in h
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// One change to a table. Row and column indices refer to the `Table` the edits
/// were computed from, read in the same run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Set one cell of an existing row.
    Set {
        row: usize,
        col: usize,
        value: String,
    },
    /// Add a row after the last one; `cells` follows the header (including any
    /// columns added by `AddColumn` edits of the same batch).
    Append { cells: Vec<String> },
    /// Remove an existing row.
    Remove { row: usize },
    /// Add a column at the end of the header; existing rows get an empty cell.
    AddColumn { name: String },
}

/// What a `Store::write` did, for the run summary.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct WriteReport {
    pub cells_written: usize,
    pub rows_appended: usize,
    pub rows_removed: usize,
    /// Requests sent to a remote store (0 for a file).
    pub requests: usize,
}

/// Errors of the source layer. Each names what failed and, where it can, how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{what}: {cause}")]
    Io { what: String, cause: std::io::Error },
    #[error("{what}{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Format {
        what: String,
        line: Option<usize>,
        message: String,
    },
    #[error(
        "{what} changed while this run was working on it; nothing was written to it, run again"
    )]
    Changed { what: String },
    #[error("{what}: {message}")]
    Remote { what: String, message: String },
    #[error("{what}: authentication failed: {message}")]
    Auth { what: String, message: String },
    /// A write to a list that is only read (an Excel workbook).
    #[error("{what} {message}")]
    ReadOnly { what: String, message: String },
    /// The list as named cannot be opened (a missing file, an unknown encoding); the
    /// message names it and how to fix it.
    #[error("{0}")]
    Setup(String),
}

/// A place that holds a contact list.
pub trait Store: Send {
    /// How the store is named in messages, e.g. `contacts.csv`.
    fn describe(&self) -> String;

    /// What the store can do beyond cells; a local file by default.
    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }

    /// Reads the whole list.
    fn read(&mut self) -> impl Future<Output = Result<Table, SourceError>> + Send;

    /// Applies `edits` to the list last read as `table`, all or nothing where the
    /// medium allows (a file is replaced atomically).
    fn write(
        &mut self,
        table: &Table,
        edits: &[Edit],
    ) -> impl Future<Output = Result<WriteReport, SourceError>> + Send;

    /// How the list's file is written (encoding, BOM, line ending), for files made
    /// from it; `None` for a list that is not a file.
    fn file_form(&self) -> Option<csv::FileForm> {
        None
    }

    /// Removes what an interrupted write of this list left behind (a file's
    /// temporary copies, which hold the whole list); answers what it removed, for
    /// the person. Called by runs that write the list, holding the run lock.
    fn remove_leftovers(&mut self) -> Result<Vec<String>, SourceError> {
        Ok(Vec::new())
    }
}

/// Applies `edits` to a copy of `table` in memory: the reference semantics every
/// store's `write` must match. Out-of-range indices are ignored (callers compute
/// them from the same table, so they never are).
pub fn apply_edits(table: &Table, edits: &[Edit]) -> Table {
    let mut header = table.header.clone();
    let mut rows: Vec<Option<Vec<String>>> = table.rows.iter().cloned().map(Some).collect();
    let mut appended = Vec::new();
    for e in edits {
        match e {
            Edit::AddColumn { name } => header.push(name.clone()),
            Edit::Set { row, col, value } => {
                if let Some(Some(r)) = rows.get_mut(*row) {
                    if r.len() <= *col {
                        r.resize(col + 1, String::new());
                    }
                    r[*col] = value.clone();
                }
            }
            Edit::Append { cells } => appended.push(cells.clone()),
            Edit::Remove { row } => {
                if let Some(r) = rows.get_mut(*row) {
                    *r = None;
                }
            }
        }
    }
    let width = header.len();
    let mut out = Table {
        header,
        ..Table::default()
    };
    // Where each kept row lands, so numeric cells follow their row.
    let mut new_index = vec![None; rows.len()];
    for (i, (r, n)) in rows.into_iter().zip(&table.row_numbers).enumerate() {
        if let Some(mut r) = r {
            new_index[i] = Some(out.rows.len());
            r.resize(width, String::new());
            out.rows.push(r);
            out.row_numbers.push(*n);
        }
    }
    // A cell that was set now holds the text written, not a number.
    let overwritten: std::collections::HashSet<(usize, usize)> = edits
        .iter()
        .filter_map(|e| match e {
            Edit::Set { row, col, .. } => Some((*row, *col)),
            _ => None,
        })
        .collect();
    out.numeric_cells = table
        .numeric_cells
        .iter()
        .filter(|cell| !overwritten.contains(cell))
        .filter_map(|&(r, c)| new_index.get(r).copied().flatten().map(|r| (r, c)))
        .collect();
    out.broken = table
        .broken
        .iter()
        .filter_map(|(r, why)| Some((new_index.get(*r).copied().flatten()?, why.clone())))
        .collect();
    for mut r in appended {
        r.resize(width, String::new());
        out.rows.push(r);
    }
    // Appended rows and rows after a removal get fresh numbers: the position they
    // will have once written.
    out.row_numbers = (0..out.rows.len()).map(|i| i + 2).collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keys_ignore_case_and_spacing() {
        assert_eq!(header_key("  Phone   Number "), "phone number");
        assert_eq!(header_key("phone_number"), "phone number");
        assert_eq!(header_key("CINNOX-ID"), "cinnox id");
    }

    #[test]
    fn edits_apply_in_reference_order() {
        let t = Table {
            header: vec!["A".into()],
            rows: vec![vec!["1".into()], vec!["2".into()]],
            row_numbers: vec![2, 3],
            ..Table::default()
        };
        let out = apply_edits(
            &t,
            &[
                Edit::AddColumn { name: "B".into() },
                Edit::Set {
                    row: 1,
                    col: 1,
                    value: "x".into(),
                },
                Edit::Remove { row: 0 },
                Edit::Append {
                    cells: vec!["3".into(), "y".into()],
                },
            ],
        );
        assert_eq!(out.header, vec!["A", "B"]);
        assert_eq!(out.rows, vec![vec!["2", "x"], vec!["3", "y"]]);
        assert_eq!(out.row_numbers, vec![2, 3]);
    }

    #[test]
    fn numeric_cells_follow_their_row_until_overwritten() {
        let t = Table {
            header: vec!["Phone".into(), "Fax".into()],
            rows: vec![
                vec!["1".into(), "2".into()],
                vec!["3".into(), "4".into()],
                vec!["5".into(), "6".into()],
            ],
            row_numbers: vec![2, 3, 4],
            numeric_cells: vec![(0, 0), (1, 1), (2, 0), (2, 1)],
            ..Table::default()
        };
        let out = apply_edits(
            &t,
            &[
                Edit::Remove { row: 1 },
                Edit::Set {
                    row: 2,
                    col: 1,
                    value: "+6".into(),
                },
            ],
        );
        assert_eq!(out.numeric_cells, vec![(0, 0), (1, 0)]);
    }
}
