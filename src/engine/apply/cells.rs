//! The list edits of `apply`: cells set (new ids, changed values, status messages),
//! rows appended and removed, and contacts whose row is forgotten, gathered while the
//! records are applied and written to the list in one `Store::write` at the end.

use crate::engine::plan::CellChange;
use crate::engine::sync::locate::Grid;
use crate::sources::{Edit, SourceError, Store, Table, WriteReport};
use std::collections::{BTreeMap, BTreeSet};

pub(super) struct ListEdits<'g> {
    grid: &'g Grid,
    /// (row, column) -> the text to write.
    pub sets: BTreeMap<(usize, usize), String>,
    appends: Vec<Vec<String>>,
    removes: BTreeSet<usize>,
    /// Contacts whose row was deleted from the list, to remember.
    pub forget: Vec<String>,
}

impl<'g> ListEdits<'g> {
    pub fn new(grid: &'g Grid) -> Self {
        ListEdits {
            grid,
            sets: BTreeMap::new(),
            appends: Vec::new(),
            removes: BTreeSet::new(),
            forget: Vec::new(),
        }
    }

    /// Writes a new contact's id into its row.
    pub fn set_id(&mut self, row: usize, id: &str) {
        if let Some(c) = self.grid.id_col {
            self.sets.insert((row, c), id.to_string());
        }
    }

    pub fn set_cells(&mut self, row: Option<usize>, cells: &[CellChange]) {
        let Some(r) = row else { return };
        for ch in cells {
            if let Some(c) = self.grid.col(&ch.column) {
                self.sets.insert((r, c), ch.new.clone());
            }
        }
    }

    /// Appends a row laid out for the plan's `header`.
    pub fn append(&mut self, header: &[String], cells: &[String]) {
        self.appends.push(self.grid.remap(header, cells));
    }

    pub fn remove(&mut self, row: Option<usize>) {
        if let Some(r) = row {
            self.removes.insert(r);
        }
    }

    pub fn forget(&mut self, contact_id: &str) {
        self.forget.push(contact_id.to_string());
    }

    /// Says in the row's status cell why its write failed.
    pub fn set_status_error(&mut self, row: Option<usize>, message: &str) {
        if let (Some(r), Some(c)) = (row, self.grid.status_col) {
            self.sets.insert((r, c), format!("error: {message}"));
        }
    }

    /// Writes the edits that change something (and the columns the plan adds) in one
    /// go; answers the rows written and the store's report, `None` when there was
    /// nothing to write.
    pub async fn write<S: Store>(
        &self,
        table: &Table,
        store: &mut S,
    ) -> Result<Option<(usize, WriteReport)>, SourceError> {
        let mut edits: Vec<Edit> = self
            .grid
            .missing
            .iter()
            .map(|name| Edit::AddColumn { name: name.clone() })
            .collect();
        let mut touched: BTreeSet<usize> = BTreeSet::new();
        for (&(row, col), value) in &self.sets {
            let current = table.rows[row].get(col).map(String::as_str).unwrap_or("");
            if current != value && !self.removes.contains(&row) {
                touched.insert(row);
                edits.push(Edit::Set {
                    row,
                    col,
                    value: value.clone(),
                });
            }
        }
        let rows_written = touched.len() + self.appends.len() + self.removes.len();
        edits.extend(self.appends.iter().map(|cells| Edit::Append {
            cells: cells.clone(),
        }));
        edits.extend(self.removes.iter().map(|&row| Edit::Remove { row }));
        if edits.iter().all(|e| matches!(e, Edit::AddColumn { .. })) && self.grid.missing.is_empty()
        {
            return Ok(None);
        }
        let report = store.write(table, &edits).await?;
        Ok(Some((rows_written, report)))
    }
}
