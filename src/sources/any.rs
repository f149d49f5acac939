//! `AnyStore`: the list a command works on, a CSV file or a tab of a Google Sheet,
//! as one `Store`. The trait's methods return `impl Future`, so it cannot be a
//! trait object; an enum keeps the dispatch in this one place and lets the engine
//! stay generic over `S: Store`.

use super::csv_store::CsvStore;
use super::sheets::SheetsStore;
use super::{Edit, SourceError, Store, Table, WriteReport};

pub enum AnyStore {
    Csv(CsvStore),
    /// Boxed: a store holding an HTTP hub is much larger than a file path.
    Sheets(Box<SheetsStore>),
}

impl AnyStore {
    /// Whether the list is a Google Sheet (where sync columns are only added on
    /// request, and writes are remote requests).
    pub fn is_sheet(&self) -> bool {
        matches!(self, AnyStore::Sheets(_))
    }
}

impl From<CsvStore> for AnyStore {
    fn from(s: CsvStore) -> Self {
        AnyStore::Csv(s)
    }
}

impl From<SheetsStore> for AnyStore {
    fn from(s: SheetsStore) -> Self {
        AnyStore::Sheets(Box::new(s))
    }
}

impl Store for AnyStore {
    fn describe(&self) -> String {
        match self {
            AnyStore::Csv(s) => s.describe(),
            AnyStore::Sheets(s) => s.describe(),
        }
    }

    async fn read(&mut self) -> Result<Table, SourceError> {
        match self {
            AnyStore::Csv(s) => s.read().await,
            AnyStore::Sheets(s) => s.read().await,
        }
    }

    async fn write(&mut self, table: &Table, edits: &[Edit]) -> Result<WriteReport, SourceError> {
        match self {
            AnyStore::Csv(s) => s.write(table, edits).await,
            AnyStore::Sheets(s) => s.write(table, edits).await,
        }
    }
}
