//! The Sheets requests a write is made of, each through the retrying `Caller`:
//! `values.batchUpdate` and `values.append` (always `RAW`), `spreadsheets.get` for
//! the tab's numeric id and width (and the current text of rows about to be
//! removed), and `spreadsheets.batchUpdate` for structure.

use super::SheetsStore;
use super::plan::CellRun;
use super::retry::{CallError, Capture, Quota};
use crate::sources::{SourceError, Store};
use google_sheets4::api::{
    BatchUpdateSpreadsheetRequest, BatchUpdateValuesRequest, GridData, Request, Scope, ValueRange,
};
use serde_json::Value;
use std::collections::HashMap;

/// The numeric id and width of the tab, from `spreadsheets.get`, and the rows
/// asked for: sheet row (1-based) to shown text by sheet column.
pub(super) struct SheetMeta {
    pub sheet_id: i32,
    pub columns: usize,
    pub rows: HashMap<usize, Vec<String>>,
}

/// Only what the store uses: a whole spreadsheet's metadata can be large.
const META_FIELDS: &str = "sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),\
                           data(startRow,startColumn,rowData(values(formattedValue))))";

/// Rows of `spreadsheets.get` grid data as shown text, keyed by sheet row.
fn shown_rows(data: Vec<GridData>) -> HashMap<usize, Vec<String>> {
    let mut out = HashMap::new();
    for grid in data {
        let row0 = grid
            .start_row
            .and_then(|r| usize::try_from(r).ok())
            .unwrap_or(0);
        let col0 = grid
            .start_column
            .and_then(|c| usize::try_from(c).ok())
            .unwrap_or(0);
        for (i, row) in grid.row_data.unwrap_or_default().into_iter().enumerate() {
            let mut cells = vec![String::new(); col0];
            cells.extend(
                row.values
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| c.formatted_value.unwrap_or_default()),
            );
            out.insert(row0 + i + 1, cells);
        }
    }
    out
}

impl SheetsStore {
    /// One `values.batchUpdate`, `RAW` so text that looks like a number stays text.
    pub(super) async fn set_cells(&mut self, runs: &[CellRun]) -> Result<(), SourceError> {
        let req = BatchUpdateValuesRequest {
            data: Some(
                runs.iter()
                    .map(|r| ValueRange {
                        major_dimension: Some("ROWS".into()),
                        range: Some(r.range.clone()),
                        values: Some(vec![strings(&r.values)]),
                    })
                    .collect(),
            ),
            value_input_option: Some("RAW".into()),
            ..BatchUpdateValuesRequest::default()
        };
        let (hub, id, req) = (&self.hub, self.config.spreadsheet_id.as_str(), &req);
        self.caller
            .call(Quota::Write, true, || {
                let req = req.clone();
                async move {
                    let mut cap = Capture::default();
                    let r = hub
                        .spreadsheets()
                        .values_batch_update(req, id)
                        .add_scope(Scope::Spreadsheet)
                        .delegate(&mut cap)
                        .doit()
                        .await
                        .map(|_| ());
                    (r, cap)
                }
            })
            .await
            .map_err(|e| self.call_error(e, "writing cells"))
    }

    pub(super) async fn spreadsheet_update(
        &mut self,
        req: BatchUpdateSpreadsheetRequest,
        idempotent: bool,
    ) -> Result<(), CallError> {
        let (hub, id, req) = (&self.hub, self.config.spreadsheet_id.as_str(), &req);
        self.caller
            .call(Quota::Write, idempotent, || {
                let req = req.clone();
                async move {
                    let mut cap = Capture::default();
                    let r = hub
                        .spreadsheets()
                        .batch_update(req, id)
                        .add_scope(Scope::Spreadsheet)
                        .delegate(&mut cap)
                        .doit()
                        .await
                        .map(|_| ());
                    (r, cap)
                }
            })
            .await
    }

    /// The tab's numeric id and column count, and the shown text of the rows in
    /// `ranges` (A1, not encoded: they travel in the query string); only fetched
    /// when rows are removed or columns added, the two writes that need them.
    pub(super) async fn sheet_meta(&mut self, ranges: &[String]) -> Result<SheetMeta, SourceError> {
        let (hub, id) = (&self.hub, self.config.spreadsheet_id.as_str());
        let got = self
            .caller
            .call(Quota::Read, true, || async move {
                let mut cap = Capture::default();
                let mut call = hub
                    .spreadsheets()
                    .get(id)
                    .param("fields", META_FIELDS)
                    .include_grid_data(!ranges.is_empty());
                for r in ranges {
                    call = call.add_ranges(r);
                }
                let r = call
                    .add_scope(Scope::Spreadsheet)
                    .delegate(&mut cap)
                    .doit()
                    .await
                    .map(|(_, s)| s);
                (r, cap)
            })
            .await
            .map_err(|e| self.call_error(e, "looking up the tab"))?;
        let tab = &self.config.tab;
        got.sheets
            .unwrap_or_default()
            .into_iter()
            .find(|s| s.properties.as_ref().and_then(|p| p.title.as_deref()) == Some(tab.as_str()))
            .and_then(|s| {
                let p = s.properties?;
                Some(SheetMeta {
                    sheet_id: p.sheet_id?,
                    columns: p
                        .grid_properties
                        .and_then(|g| g.column_count)
                        .and_then(|c| usize::try_from(c).ok())
                        .unwrap_or(0),
                    rows: shown_rows(s.data.unwrap_or_default()),
                })
            })
            .ok_or_else(|| SourceError::Remote {
                what: self.describe(),
                message: format!(
                    "no tab named {tab:?} in spreadsheet {}",
                    self.config.spreadsheet_id
                ),
            })
    }

    /// One `values.append` of new rows below the table, `RAW`, inserting rows.
    pub(super) async fn append_rows(
        &mut self,
        range: &str,
        body: &ValueRange,
    ) -> Result<(), CallError> {
        let (hub, id) = (&self.hub, self.config.spreadsheet_id.as_str());
        self.caller
            .call(Quota::Write, false, || {
                let body = body.clone();
                async move {
                    let mut cap = Capture::default();
                    let r = hub
                        .spreadsheets()
                        .values_append(body, id, range)
                        .value_input_option("RAW")
                        .insert_data_option("INSERT_ROWS")
                        .add_scope(Scope::Spreadsheet)
                        .delegate(&mut cap)
                        .doit()
                        .await
                        .map(|_| ());
                    (r, cap)
                }
            })
            .await
    }
}

pub(super) fn structural(requests: Vec<Request>) -> BatchUpdateSpreadsheetRequest {
    BatchUpdateSpreadsheetRequest {
        requests: Some(requests),
        ..BatchUpdateSpreadsheetRequest::default()
    }
}

pub(super) fn strings(cells: &[String]) -> Vec<Value> {
    cells.iter().map(|c| Value::String(c.clone())).collect()
}

pub(super) fn to_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
