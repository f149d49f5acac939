//! The Excel kind of list: a FILE ending in `.xlsx` (or `.xlsm`) named on the
//! command line, read only, its sheet chosen with `--tab`. A job file cannot name
//! one: a job syncs, and a workbook is never written. Other spreadsheet formats
//! (`.xls`, `.ods`...) are taken too, so that opening them says how to save them
//! instead of reading them as garbled CSV.

use super::XlsxStore;
use crate::sources::kinds::{ListKind, ListSource, ListSpec, Opening, Tell};
use crate::sources::{AnyStore, SourceError};
use std::any::Any;
use std::path::{Path, PathBuf};

pub struct XlsxKind;

/// A sheet of a workbook as a command names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XlsxSource {
    pub path: PathBuf,
    /// The sheet; the first when `None`.
    pub tab: Option<String>,
    /// Set for a format cinnox-sync does not read (`xls`...): opening says so.
    pub unreadable: Option<String>,
}

impl ListKind for XlsxKind {
    fn job_key(&self) -> &'static str {
        "xlsx"
    }

    fn job_options(&self) -> &'static [&'static str] {
        &[]
    }

    fn job_example(&self) -> &'static str {
        ""
    }

    fn in_jobs(&self) -> bool {
        false
    }

    fn read_job(
        &self,
        _source: &toml::Table,
        _at: &dyn Fn(&Path) -> PathBuf,
    ) -> Result<ListSource, String> {
        Err("source.xlsx: a job syncs its list, and an Excel workbook is never written; save the sheet as \"CSV UTF-8\" (source.csv) or keep it in a Google Sheet. A workbook is audited or imported as it is: cinnox-sync audit FILE.xlsx, cinnox-sync import FILE.xlsx".into())
    }

    fn take_file(&self, path: &Path) -> Option<ListSource> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        let unreadable = match ext.as_str() {
            "xlsx" | "xlsm" => None,
            "xls" | "xlsb" | "ods" | "numbers" => Some(ext),
            _ => return None,
        };
        Some(ListSource::new(XlsxSource {
            path: path.to_path_buf(),
            tab: None,
            unreadable,
        }))
    }
}

impl ListSpec for XlsxSource {
    fn describe(&self) -> String {
        match &self.tab {
            Some(t) => format!("{} (sheet {t})", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    fn companion(&self, _dir: &Path, ext: &str) -> PathBuf {
        self.path.with_extension(ext)
    }

    fn default_state(&self, _job: &Path) -> PathBuf {
        self.path.with_extension("state.db")
    }

    fn open<'a>(&'a self, _origin: Option<&'a Path>, _tell: Tell<'a>) -> Opening<'a> {
        Box::pin(async move {
            if let Some(ext) = &self.unreadable {
                return Err(SourceError::Setup(format!(
                    "{} is a .{ext} spreadsheet, which cinnox-sync does not read: save it as \"Excel Workbook (.xlsx)\" or as \"CSV UTF-8\"",
                    self.path.display()
                )));
            }
            Ok(AnyStore::new(XlsxStore::open(
                &self.path,
                self.tab.clone(),
            )?))
        })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
