//! `XlsxStore`: one sheet of an Excel workbook (.xlsx) as a read-only list. Reading
//! gives the same `Table` a CSV file or a Google Sheet gives, its cells typed as
//! Excel stored them (`cells`): number cells are recorded, so a phone number Excel
//! turned into a number is reported with the fix, as for a sheet. The first sheet
//! is read unless a tab is named. A write is refused: rewriting a workbook would
//! drop what cinnox-sync cannot read back (formulas, formats, other sheets).

pub mod cells;
pub mod kind;

pub use kind::{XlsxKind, XlsxSource};

use super::{Capabilities, Edit, SourceError, Spreadsheet, Store, Table, WriteReport};
use calamine::{Reader, Xlsx, XlsxError};
use std::io::{Cursor, Read, Seek};
use std::path::{Path, PathBuf};

/// Where the workbook's bytes come from.
enum Input {
    File(PathBuf),
    /// Read whole, e.g. from standard input (a zip needs to seek).
    Bytes(Vec<u8>),
}

pub struct XlsxStore {
    input: Input,
    tab: Option<String>,
    /// The workbook as named in messages.
    what: String,
}

impl XlsxStore {
    /// The workbook at `path`, its sheet `tab` (default: the first). Nothing is read
    /// yet; a folder is refused now.
    pub fn open(path: impl AsRef<Path>, tab: Option<String>) -> Result<XlsxStore, SourceError> {
        let path = path.as_ref().to_path_buf();
        if path.is_dir() {
            return Err(SourceError::Format {
                what: path.display().to_string(),
                line: None,
                message: "is a directory; give the path of an .xlsx file".into(),
            });
        }
        Ok(XlsxStore {
            what: path.display().to_string(),
            input: Input::File(path),
            tab,
        })
    }

    /// A workbook already in memory; `what` names it in messages.
    pub fn from_bytes(bytes: Vec<u8>, what: &str, tab: Option<String>) -> XlsxStore {
        XlsxStore {
            input: Input::Bytes(bytes),
            tab,
            what: what.to_string(),
        }
    }

    /// `Store::read` without the async wrapper.
    pub fn read_table(&mut self) -> Result<Table, SourceError> {
        match &self.input {
            Input::File(path) => {
                let file = std::fs::File::open(path).map_err(|cause| SourceError::Io {
                    what: format!("reading {}", self.what),
                    cause,
                })?;
                self.read_from(std::io::BufReader::new(file))
            }
            Input::Bytes(bytes) => self.read_from(Cursor::new(bytes.as_slice())),
        }
    }

    fn read_from<RS: Read + Seek>(&self, rs: RS) -> Result<Table, SourceError> {
        let mut wb: Xlsx<RS> = Xlsx::new(rs).map_err(|e| self.unreadable(e))?;
        let names = wb.sheet_names();
        let name = self.sheet_name(&names)?;
        let range = wb.worksheet_range(&name).map_err(|e| self.unreadable(e))?;
        cells::range_to_table(&range).ok_or_else(|| SourceError::Format {
            what: self.describe_sheet(&name),
            line: None,
            message: "is empty: a contact list starts with a header row naming its columns".into(),
        })
    }

    /// The sheet to read: `tab` as written (else the one sheet spelled so ignoring
    /// case), or the first.
    fn sheet_name(&self, names: &[String]) -> Result<String, SourceError> {
        let Some(tab) = &self.tab else {
            return names.first().cloned().ok_or_else(|| SourceError::Format {
                what: self.what.clone(),
                line: None,
                message: "has no sheets".into(),
            });
        };
        if let Some(n) = names.iter().find(|n| *n == tab) {
            return Ok(n.clone());
        }
        let folded: Vec<&String> = names
            .iter()
            .filter(|n| n.to_lowercase() == tab.to_lowercase())
            .collect();
        match folded.as_slice() {
            [one] => Ok((*one).clone()),
            _ => Err(SourceError::Format {
                what: self.what.clone(),
                line: None,
                message: format!(
                    "has no sheet `{tab}`; its sheets are {} (give one with --tab NAME)",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }

    fn describe_sheet(&self, name: &str) -> String {
        format!("sheet `{name}` of {}", self.what)
    }

    fn unreadable(&self, e: XlsxError) -> SourceError {
        match e {
            XlsxError::Io(cause) => SourceError::Io {
                what: format!("reading {}", self.what),
                cause,
            },
            XlsxError::Zip(z) => SourceError::Format {
                what: self.what.clone(),
                line: None,
                message: format!(
                    "is not an Excel workbook that can be read ({z}): save it from Excel as \
                     \"Excel Workbook (.xlsx)\", without a password (an .xls file from Excel \
                     97-2003 must be saved as .xlsx too), or as \"CSV UTF-8\""
                ),
            },
            other => SourceError::Format {
                what: self.what.clone(),
                line: None,
                message: format!("cannot be read as an .xlsx workbook: {other}"),
            },
        }
    }
}

impl Store for XlsxStore {
    fn describe(&self) -> String {
        match &self.tab {
            Some(t) => format!("{} (sheet {t})", self.what),
            None => self.what.clone(),
        }
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            typed_cells: Some(Spreadsheet::Excel),
            ..Capabilities::default()
        }
    }

    async fn read(&mut self) -> Result<Table, SourceError> {
        self.read_table()
    }

    async fn write(&mut self, _table: &Table, edits: &[Edit]) -> Result<WriteReport, SourceError> {
        if edits.is_empty() {
            return Ok(WriteReport::default());
        }
        Err(SourceError::ReadOnly {
            what: self.describe(),
            message:
                "is an Excel workbook, which cinnox-sync reads but never writes (a rewrite would \
                      lose its formulas, formats and other sheets); for a sync, save the sheet as \
                      \"CSV UTF-8\" or keep the list in a Google Sheet"
                    .into(),
        })
    }
}

/// Whether `bytes` start like a zip archive (an .xlsx workbook is one).
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_is_refused_and_a_non_workbook_named() {
        let mut s = XlsxStore::from_bytes(b"First Name\nAnn\n".to_vec(), "list.xlsx", None);
        let e = s.read_table().unwrap_err().to_string();
        assert!(e.starts_with("list.xlsx: is not an Excel workbook"), "{e}");
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let edit = Edit::AddColumn { name: "X".into() };
        let e = rt
            .block_on(s.write(&Table::default(), &[edit]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("reads but never writes"), "{e}");
        assert!(rt.block_on(s.write(&Table::default(), &[])).is_ok());
        assert!(looks_like_zip(b"PK\x03\x04rest") && !looks_like_zip(b"First"));
    }
}
