//! The CSV kind of list: `source.csv = "contacts.csv"` in a job file (with
//! `template`, a file copied there on the first run, and `encoding`), or any FILE
//! named on the command line that no other kind takes. Opening a CSV that does not
//! exist yet copies the job's template to it first (and says so through `tell`).

use super::CsvStore;
use super::encoding::TextEncoding;
use crate::sources::kinds::{ListKind, ListSource, ListSpec, Opening, Tell};
use crate::sources::{AnyStore, SourceError};
use std::any::Any;
use std::path::{Path, PathBuf};

pub struct CsvKind;

/// A CSV file as a job or a command names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvSource {
    pub path: PathBuf,
    /// Copied to `path` when it does not exist yet (the demo's first run).
    pub template: Option<PathBuf>,
    /// The file's text encoding (`utf-8` when not given).
    pub encoding: Option<String>,
}

impl CsvSource {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        CsvSource {
            path: path.into(),
            template: None,
            encoding: None,
        }
    }

    /// The encoding the job names, checked.
    pub fn text_encoding(&self) -> Result<TextEncoding, SourceError> {
        match &self.encoding {
            Some(e) => e
                .parse()
                .map_err(|e: String| SourceError::Setup(format!("source.encoding: {e}"))),
            None => Ok(TextEncoding::default()),
        }
    }
}

impl ListKind for CsvKind {
    fn job_key(&self) -> &'static str {
        "csv"
    }

    fn job_options(&self) -> &'static [&'static str] {
        &["template", "encoding"]
    }

    fn job_example(&self) -> &'static str {
        "source.csv = \"contacts.csv\""
    }

    fn read_job(
        &self,
        source: &toml::Table,
        at: &dyn Fn(&Path) -> PathBuf,
    ) -> Result<ListSource, String> {
        let text = |key: &str| -> Result<Option<String>, String> {
            match source.get(key) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                Some(v) => Err(format!(
                    "source.{key}: expected a string, found {}",
                    v.type_str()
                )),
            }
        };
        let path = text("csv")?.unwrap_or_default();
        // A workbook would be read as garbled CSV, and a sync cannot write one.
        if super::super::xlsx::XlsxKind
            .take_file(Path::new(&path))
            .is_some()
        {
            return Err(format!(
                "source.csv: {path} is a spreadsheet workbook; a job's list is a CSV file or a Google Sheet (save the sheet as \"CSV UTF-8\"). A workbook is audited or imported as it is: cinnox-sync import FILE.xlsx"
            ));
        }
        Ok(ListSource::new(CsvSource {
            path: at(Path::new(&path)),
            template: text("template")?.map(|t| at(Path::new(&t))),
            encoding: text("encoding")?,
        }))
    }

    fn take_file(&self, path: &Path) -> Option<ListSource> {
        Some(ListSource::new(CsvSource::new(path)))
    }
}

impl ListSpec for CsvSource {
    fn describe(&self) -> String {
        self.path.display().to_string()
    }

    fn companion(&self, _dir: &Path, ext: &str) -> PathBuf {
        self.path.with_extension(ext)
    }

    fn default_state(&self, _job: &Path) -> PathBuf {
        self.path.with_extension("state.db")
    }

    fn open<'a>(&'a self, origin: Option<&'a Path>, tell: Tell<'a>) -> Opening<'a> {
        Box::pin(async move {
            if !self.path.exists() {
                copy_template(&self.path, self.template.as_deref(), origin)?;
                if let Some(t) = &self.template {
                    tell(format!(
                        "{} did not exist: copied it from {} (the job's source.template)",
                        self.path.display(),
                        t.display()
                    ));
                }
            }
            let encoding = self.text_encoding()?;
            Ok(AnyStore::new(CsvStore::open(&self.path, encoding)?))
        })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

fn copy_template(
    path: &Path,
    template: Option<&Path>,
    origin: Option<&Path>,
) -> Result<(), SourceError> {
    let Some(t) = template else {
        return Err(SourceError::Setup(match origin {
            Some(job) => format!(
                "{} does not exist; check source.csv in {}",
                path.display(),
                job.display()
            ),
            None => format!("{} does not exist", path.display()),
        }));
    };
    let io = |what: String| move |cause| SourceError::Io { what, cause };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(format!("cannot create {}", dir.display())))?;
    }
    std::fs::copy(t, path).map_err(io(format!(
        "cannot copy {} to {}",
        t.display(),
        path.display()
    )))?;
    Ok(())
}
