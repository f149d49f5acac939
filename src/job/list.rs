//! Which contact list a job works on, and opening it: a FILE named on the command
//! line (of the first kind that takes it, `sources::kinds`), else the sheet the
//! sheet options or the job name, else the job's list. Options given on the command
//! line win over the job file.

use super::context::Context;
use super::file::Job;
use crate::sources::sheets::SheetOverrides;
use crate::sources::{AnyStore, ListSource, SourceError, kinds};
use std::path::Path;

/// What the caller named besides the job: a FILE, and the sheet options.
#[derive(Clone, Debug, Default)]
pub struct ListChoice {
    pub file: Option<std::path::PathBuf>,
    pub sheet: SheetOverrides,
    /// The sheet of an Excel workbook (`--tab`).
    pub tab: Option<String>,
}

/// The list a run works on: `file`, else the sheet the options or the job name,
/// else the job's list.
pub fn resolve(choice: &ListChoice, job: Option<&Job>) -> Result<ListSource, SourceError> {
    with_tab(resolve_list(choice, job)?, choice.tab.as_deref())
}

fn resolve_list(choice: &ListChoice, job: Option<&Job>) -> Result<ListSource, SourceError> {
    if let Some(path) = &choice.file {
        if let Some(flag) = choice.sheet.any_flag() {
            return Err(SourceError::Setup(format!(
                "{flag} is an option for a Google Sheet, but a CSV file was named: give one list"
            )));
        }
        return kinds::from_file(path).ok_or_else(|| {
            SourceError::Setup(format!(
                "{}: not a kind of list cinnox-sync reads",
                path.display()
            ))
        });
    }
    if let Some(config) = choice.sheet.sheet_config(job.map(|j| &j.source))? {
        return Ok(ListSource::new(config));
    }
    match job {
        Some(j) => Ok(j.source.clone()),
        None => Err(SourceError::Setup(
            "name the list: a CSV file, --sheet SPREADSHEET_ID/TAB, or --config JOB.toml".into(),
        )),
    }
}

/// `source` with the sheet `tab` names: only an Excel workbook has sheets so.
pub fn with_tab(source: ListSource, tab: Option<&str>) -> Result<ListSource, SourceError> {
    use crate::sources::xlsx::XlsxSource;
    let Some(tab) = tab else {
        return Ok(source);
    };
    match source.get::<XlsxSource>() {
        Some(x) => Ok(ListSource::new(XlsxSource {
            tab: Some(tab.to_string()),
            ..x.clone()
        })),
        None if source.get::<crate::sources::sheets::SheetsConfig>().is_some() => {
            Err(SourceError::Setup(
                "--tab names a sheet of an Excel workbook (.xlsx); for a Google Sheet the tab goes in --sheet SPREADSHEET_ID/TAB".into(),
            ))
        }
        None => Err(SourceError::Setup(
            "--tab names a sheet of an Excel workbook (.xlsx); a CSV file has no sheets".into(),
        )),
    }
}

/// Opens the list; `origin` is the job file, for messages.
pub async fn open(
    source: &ListSource,
    origin: Option<&Path>,
    ctx: &Context<'_>,
) -> Result<AnyStore, SourceError> {
    let progress = ctx.progress;
    let tell = move |m: String| progress.tell(&m);
    source.open(origin, &tell).await
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
