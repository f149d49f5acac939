//! `MemoryStore`: a contact list held in memory, with the same semantics as the file
//! and sheet stores; for tests of the engine and commands without IO.

use super::{Edit, SourceError, Store, Table, WriteReport, apply_edits};

#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    pub table: Table,
    /// How many times `write` was called, so tests can assert a no-op wrote nothing.
    pub writes: usize,
}

impl MemoryStore {
    pub fn new(table: Table) -> Self {
        Self { table, writes: 0 }
    }
}

impl Store for MemoryStore {
    fn describe(&self) -> String {
        "in-memory list".into()
    }

    async fn read(&mut self) -> Result<Table, SourceError> {
        Ok(self.table.clone())
    }

    async fn write(&mut self, table: &Table, edits: &[Edit]) -> Result<WriteReport, SourceError> {
        if *table != self.table {
            return Err(SourceError::Changed {
                what: self.describe(),
            });
        }
        self.writes += 1;
        let report = WriteReport {
            cells_written: edits
                .iter()
                .filter(|e| matches!(e, Edit::Set { .. }))
                .count(),
            rows_appended: edits
                .iter()
                .filter(|e| matches!(e, Edit::Append { .. }))
                .count(),
            rows_removed: edits
                .iter()
                .filter(|e| matches!(e, Edit::Remove { .. }))
                .count(),
            requests: 0,
        };
        self.table = apply_edits(table, edits);
        Ok(report)
    }
}
