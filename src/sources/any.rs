//! `AnyStore`: the list a command works on, a CSV file, a tab of a Google Sheet or
//! a sheet of an Excel workbook (read only), as one `Store`. The trait's methods return `impl Future`, so it cannot be a
//! trait object; an enum keeps the dispatch in this one place and lets the engine
//! stay generic over `S: Store`.

use super::csv_store::CsvStore;
use super::sheets::SheetsStore;
use super::xlsx::XlsxStore;
use super::{Edit, SourceError, Store, Table, WriteReport};

pub enum AnyStore {
    Csv(CsvStore),
    /// Boxed: a store holding an HTTP hub is much larger than a file path.
    Sheets(Box<SheetsStore>),
    Xlsx(XlsxStore),
}

impl AnyStore {
    /// Whether the list is a Google Sheet (where sync columns are only added on
    /// request, and writes are remote requests).
    pub fn is_sheet(&self) -> bool {
        matches!(self, AnyStore::Sheets(_))
    }

    /// The spreadsheet program whose number cells the list may hold, for advice.
    pub fn spreadsheet(&self) -> Option<crate::validate::numeric::Spreadsheet> {
        use crate::validate::numeric::Spreadsheet;
        match self {
            AnyStore::Csv(_) => None,
            AnyStore::Sheets(_) => Some(Spreadsheet::GoogleSheets),
            AnyStore::Xlsx(_) => Some(Spreadsheet::Excel),
        }
    }
}

impl From<XlsxStore> for AnyStore {
    fn from(s: XlsxStore) -> Self {
        AnyStore::Xlsx(s)
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
            AnyStore::Xlsx(s) => s.describe(),
        }
    }

    async fn read(&mut self) -> Result<Table, SourceError> {
        match self {
            AnyStore::Csv(s) => s.read().await,
            AnyStore::Sheets(s) => s.read().await,
            AnyStore::Xlsx(s) => s.read().await,
        }
    }

    async fn write(&mut self, table: &Table, edits: &[Edit]) -> Result<WriteReport, SourceError> {
        match self {
            AnyStore::Csv(s) => s.write(table, edits).await,
            AnyStore::Sheets(s) => s.write(table, edits).await,
            AnyStore::Xlsx(s) => s.write(table, edits).await,
        }
    }
}
