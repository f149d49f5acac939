//! Sending a write plan: widen the grid if a new column needs it, then one
//! `values.batchUpdate` for the cells, one `values.append` for new rows, one
//! `spreadsheets.batchUpdate` for removals (each split only above the size limit).
//!
//! Cells are written first, with the row numbers as read; appended rows land below
//! every row read; removals go last and bottom-up, so no request moves a row
//! another still addresses. Setting cells is idempotent and simply retried. An
//! append or a removal that failed in a way that may have been applied (a 5xx, a
//! lost connection) is never blindly repeated: the tab is read again and compared
//! with the expected result before and after the request (`apply_edits`), and the
//! request is sent again only if it did not land. A run that stops part-way says
//! which requests were made and which were not.

use super::plan::{self, Placement, WritePlan};
use super::requests::{SheetMeta, strings, structural, to_i32};
use super::retry::CallError;
use super::{SheetsStore, range};
use crate::sources::{CellType, Edit, SourceError, Store, Table, WriteReport, apply_edits};
use google_sheets4::api::{
    AppendDimensionRequest, DeleteDimensionRequest, DimensionRange, Request, ValueRange,
};
use std::borrow::Cow;

impl SheetsStore {
    pub(super) async fn send(
        &mut self,
        table: &Table,
        edits: &[Edit],
    ) -> Result<WriteReport, SourceError> {
        let as_read = self.as_read(table);
        let table = as_read.as_ref();
        let tab = self.config.tab.clone();
        let at = Placement {
            tab: &tab,
            header_row: self.config.header_row,
            first_col: self.origin.map_or(0, |o| o.col),
        };
        let plan = plan::plan(table, edits, at);
        let mut done = WriteReport::default();
        if plan.is_empty() {
            return Ok(done);
        }
        match self.send_plan(table, edits, &plan, &mut done).await {
            Ok(()) => {
                tracing::info!(
                    cells = done.cells_written,
                    appended = done.rows_appended,
                    removed = done.rows_removed,
                    requests = done.requests,
                    "wrote {}",
                    self.describe()
                );
                Ok(done)
            }
            Err(e) => Err(with_progress(e, &done, &plan)),
        }
    }

    async fn send_plan(
        &mut self,
        table: &Table,
        edits: &[Edit],
        plan: &WritePlan,
        done: &mut WriteReport,
    ) -> Result<(), SourceError> {
        let meta = if plan.new_columns > 0 || !plan.removals.is_empty() {
            let m = self.sheet_meta(&self.removal_ranges(plan)).await?;
            done.requests += 1;
            self.check_removed_rows(table, edits, &m)?;
            Some(m)
        } else {
            None
        };
        if let Some(m) = &meta
            && plan.width_needed > m.columns
        {
            // Sheets refuses to write past the grid's last column. Repeating this
            // after an unclear failure at worst adds blank columns, so it is retried
            // like an idempotent request.
            let add = AppendDimensionRequest {
                dimension: Some("COLUMNS".into()),
                length: Some(to_i32(plan.width_needed - m.columns)),
                sheet_id: Some(m.sheet_id),
            };
            let req = structural(vec![Request {
                append_dimension: Some(add),
                ..Request::default()
            }]);
            self.spreadsheet_update(req, true)
                .await
                .map_err(|e| self.call_error(e, "adding a column to the grid"))?;
            done.requests += 1;
        }
        let limit = self.config.limits.max_request_bytes;
        for chunk in plan::chunks(&plan.runs, limit, plan::run_size) {
            self.set_cells(chunk).await?;
            done.requests += 1;
            done.cells_written += chunk
                .iter()
                .filter(|r| r.row != self.config.header_row)
                .map(|r| r.values.len())
                .sum::<usize>();
        }
        // What the tab holds once the cells are written, for checking unclear appends.
        let mut base: Vec<Edit> = edits
            .iter()
            .filter(|e| matches!(e, Edit::Set { .. } | Edit::AddColumn { .. }))
            .cloned()
            .collect();
        for chunk in plan::chunks(&plan.appended, limit, |r| plan::row_size(r)) {
            let before = base.clone();
            base.extend(chunk.iter().map(|r| Edit::Append { cells: r.clone() }));
            let range = range::encode(&self.append_range(table));
            let body = ValueRange {
                major_dimension: Some("ROWS".into()),
                values: Some(chunk.iter().map(|r| strings(r)).collect()),
                range: None,
            };
            let doing = "appending new rows";
            let mut tries = 0;
            loop {
                tries += 1;
                let sent = self.append_rows(&range, &body).await;
                if self
                    .settle(sent, table, &before, &base, tries, doing, done)
                    .await?
                {
                    break;
                }
            }
            done.requests += 1;
            done.rows_appended += chunk.len();
        }
        if let Some(m) = meta
            && !plan.removals.is_empty()
        {
            let requests = plan
                .removals
                .iter()
                .map(|&(start, end)| Request {
                    delete_dimension: Some(DeleteDimensionRequest {
                        range: Some(DimensionRange {
                            dimension: Some("ROWS".into()),
                            sheet_id: Some(m.sheet_id),
                            start_index: Some(to_i32(start)),
                            end_index: Some(to_i32(end)),
                        }),
                    }),
                    ..Request::default()
                })
                .collect();
            let req = structural(requests);
            let doing = "removing rows";
            let mut tries = 0;
            loop {
                tries += 1;
                let sent = self.spreadsheet_update(req.clone(), false).await;
                if self
                    .settle(sent, table, &base, edits, tries, doing, done)
                    .await?
                {
                    break;
                }
            }
            done.requests += 1;
            done.rows_removed = plan.rows_removed;
        }
        Ok(())
    }

    /// `table` with its number cells holding the text the read gave them, so that
    /// comparing it with a fresh read of an unchanged tab finds them equal.
    fn as_read<'t>(&self, table: &'t Table) -> Cow<'t, Table> {
        let differs = |&((r, c), ref text): &((usize, usize), String)| {
            table.rows.get(r).and_then(|row| row.get(c)) != Some(text)
        };
        if !self.read_numbers.iter().any(differs) {
            return Cow::Borrowed(table);
        }
        let mut t = table.clone();
        for ((r, c), text) in &self.read_numbers {
            if let Some(cell) = t.rows.get_mut(*r).and_then(|row| row.get_mut(*c)) {
                cell.clone_from(text);
            }
        }
        Cow::Owned(t)
    }

    /// Decides what a non-idempotent request's outcome means: `true` when it is
    /// applied, `false` to send it again, or the error that ends the run.
    #[allow(clippy::too_many_arguments)]
    async fn settle(
        &mut self,
        sent: Result<(), CallError>,
        table: &Table,
        before: &[Edit],
        after: &[Edit],
        tries: u32,
        doing: &str,
        done: &mut WriteReport,
    ) -> Result<bool, SourceError> {
        let detail = match sent {
            Ok(()) => return Ok(true),
            Err(CallError::Unknown { detail }) => detail,
            Err(e) => return Err(self.call_error(e, doing)),
        };
        tracing::warn!("{doing}: {detail}; reading the tab to see whether it was applied");
        let now = fingerprint(&self.fetch().await?);
        done.requests += 1;
        if now == fingerprint(&apply_edits(table, after)) {
            return Ok(true);
        }
        if now != fingerprint(&apply_edits(table, before)) {
            return Err(SourceError::Remote {
                what: self.describe(),
                message: format!(
                    "{doing} failed ({detail}) and the tab was changed by someone else \
                     meanwhile, so whether it was applied cannot be told; check the tab"
                ),
            });
        }
        self.caller
            .pause(tries, detail, None, true)
            .await
            .map_err(|e| self.call_error(e, doing))?;
        Ok(false)
    }

    /// The rows about to be removed, to fetch with the tab's metadata. Scattered
    /// removals beyond a URL's comfort become one range from first to last.
    fn removal_ranges(&self, plan: &WritePlan) -> Vec<String> {
        let tab = range::quote_tab(&self.config.tab);
        let spans: Vec<(usize, usize)> = if plan.removals.len() > MAX_CHECK_RANGES {
            let lo = plan.removals.iter().map(|r| r.0).min().unwrap_or(0);
            let hi = plan.removals.iter().map(|r| r.1).max().unwrap_or(0);
            vec![(lo, hi)]
        } else {
            plan.removals.clone()
        };
        spans
            .into_iter()
            .map(|(start, end)| format!("{tab}!{}:{end}", start + 1))
            .collect()
    }

    /// Deleting a row is by position: if the rows to remove no longer hold what
    /// was read (someone sorted or inserted rows since), removing them could
    /// delete the wrong contacts, so the whole write stops before sending anything.
    fn check_removed_rows(
        &self,
        table: &Table,
        edits: &[Edit],
        meta: &SheetMeta,
    ) -> Result<(), SourceError> {
        let first_col = self.origin.map_or(0, |o| o.col);
        for e in edits {
            let Edit::Remove { row } = e else { continue };
            let (Some(cells), Some(n)) = (table.rows.get(*row), table.row_numbers.get(*row)) else {
                continue;
            };
            let now = meta.rows.get(n).map_or(&[][..], Vec::as_slice);
            let same = cells.iter().enumerate().all(|(c, want)| {
                table.cell_type(*row, c) == CellType::Number
                    || now.get(first_col + c).map_or("", String::as_str) == want
            });
            if !same {
                tracing::warn!("row {n} changed since it was read; not removing anything");
                return Err(SourceError::Changed {
                    what: self.describe(),
                });
            }
        }
        Ok(())
    }

    /// The table as read, header to last row: Sheets appends below the table it
    /// finds there (and below any rows typed under it since).
    fn append_range(&self, table: &Table) -> String {
        let first = self.origin.map_or(0, |o| o.col);
        let last_row = table
            .row_numbers
            .last()
            .copied()
            .unwrap_or(self.config.header_row);
        let width = table.header.len().max(1);
        format!(
            "{}!{}{}:{}{}",
            range::quote_tab(&self.config.tab),
            range::column_letters(first),
            self.config.header_row,
            range::column_letters(first + width - 1),
            last_row
        )
    }
}

/// More row ranges than this in one metadata request's URL are merged into one.
const MAX_CHECK_RANGES: usize = 50;

/// A table as a person sees it: header and non-blank rows, trailing blanks cut.
/// Two reads of an unchanged tab, or a read and its prediction, compare equal.
fn fingerprint(t: &Table) -> Vec<Vec<String>> {
    let trim = |r: &Vec<String>| {
        let end = r.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
        r[..end].to_vec()
    };
    std::iter::once(trim(&t.header))
        .chain(t.rows.iter().map(trim).filter(|r| !r.is_empty()))
        .collect()
}

/// Adds to an error what the run had written before it stopped, and what not.
fn with_progress(e: SourceError, done: &WriteReport, plan: &WritePlan) -> SourceError {
    let mut not = Vec::new();
    if done.cells_written < plan.cells {
        not.push(format!("{} cells", plan.cells - done.cells_written));
    }
    if done.rows_appended < plan.appended.len() {
        not.push(format!(
            "{} new rows",
            plan.appended.len() - done.rows_appended
        ));
    }
    if done.rows_removed < plan.rows_removed {
        not.push(format!("{} row removals", plan.rows_removed));
    }
    let note = format!(
        ". Written before it stopped: {} cells, {} new rows, {} rows removed; not written: {}. \
         Each request is all or nothing, so the next run reads the tab as it is and carries on",
        done.cells_written,
        done.rows_appended,
        done.rows_removed,
        if not.is_empty() {
            "nothing".into()
        } else {
            not.join(", ")
        }
    );
    match e {
        SourceError::Remote { what, message } => SourceError::Remote {
            what,
            message: message + &note,
        },
        SourceError::Auth { what, message } => SourceError::Auth {
            what,
            message: message + &note,
        },
        other => other,
    }
}
