//! `AnyStore`: whichever list a command works on, as one `Store`. The trait's
//! methods return `impl Future`, so it cannot be a trait object itself: `DynStore`
//! is its object-safe twin (boxed futures), implemented for every store, and
//! `AnyStore` a box of it, so a new kind of list needs no change here and the engine
//! stays generic over `S: Store`.

use super::csv::FileForm;
use super::{Capabilities, Edit, SourceError, Store, Table, WriteReport};
use std::future::Future;
use std::pin::Pin;

type Boxed<'a, T> = Pin<Box<dyn Future<Output = Result<T, SourceError>> + Send + 'a>>;

/// `Store`, object-safe.
pub trait DynStore: Send {
    fn describe(&self) -> String;
    fn capabilities(&self) -> Capabilities;
    fn read(&mut self) -> Boxed<'_, Table>;
    fn write<'a>(&'a mut self, table: &'a Table, edits: &'a [Edit]) -> Boxed<'a, WriteReport>;
    fn remove_leftovers(&mut self) -> Result<Vec<String>, SourceError>;
    fn file_form(&self) -> Option<FileForm>;
}

impl<S: Store> DynStore for S {
    fn describe(&self) -> String {
        Store::describe(self)
    }

    fn capabilities(&self) -> Capabilities {
        Store::capabilities(self)
    }

    fn read(&mut self) -> Boxed<'_, Table> {
        Box::pin(Store::read(self))
    }

    fn write<'a>(&'a mut self, table: &'a Table, edits: &'a [Edit]) -> Boxed<'a, WriteReport> {
        Box::pin(Store::write(self, table, edits))
    }

    fn remove_leftovers(&mut self) -> Result<Vec<String>, SourceError> {
        Store::remove_leftovers(self)
    }

    fn file_form(&self) -> Option<FileForm> {
        Store::file_form(self)
    }
}

/// The list a command works on, whatever its kind.
pub struct AnyStore(Box<dyn DynStore>);

impl AnyStore {
    pub fn new(store: impl Store + 'static) -> Self {
        AnyStore(Box::new(store))
    }
}

impl Store for AnyStore {
    fn describe(&self) -> String {
        self.0.describe()
    }

    fn capabilities(&self) -> Capabilities {
        self.0.capabilities()
    }

    async fn read(&mut self) -> Result<Table, SourceError> {
        self.0.read().await
    }

    async fn write(&mut self, table: &Table, edits: &[Edit]) -> Result<WriteReport, SourceError> {
        self.0.write(table, edits).await
    }

    fn remove_leftovers(&mut self) -> Result<Vec<String>, SourceError> {
        self.0.remove_leftovers()
    }

    fn file_form(&self) -> Option<FileForm> {
        self.0.file_form()
    }
}
