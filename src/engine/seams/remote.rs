//! The CINNOX side as `apply` sees it: one listing, one staff listing, creates and
//! full-body updates, and a count of the calls made by kind. The HTTP client
//! implements it for real runs; `MemoryRemote` for the engine's tests.

use crate::engine::sync::input::Staff;
use crate::model::{Contact, FieldValues};
use serde::Serialize;
use std::future::Future;

/// Remote calls made, by kind (the JSON summary's `calls`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Calls {
    /// Listing requests (one per page).
    pub list: usize,
    pub create: usize,
    pub update: usize,
    pub staff: usize,
}

/// How a remote call failed, as far as the run is concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemoteError {
    /// CINNOX refused this record (6451000); the message is the server's.
    #[error("CINNOX refused it: {0}")]
    Rejected(String),
    /// A create whose answer never came: it may have been made. Never retried
    /// blindly; the next run looks for it in the listing.
    #[error("no answer to the create ({0}); the next run looks for it before creating again")]
    OutcomeUnknown(String),
    /// This call failed (retries exhausted); the run goes on with other records.
    #[error("{0}")]
    Failed(String),
    /// The run cannot go on (authentication, a broken server).
    #[error("{0}")]
    Fatal(String),
    /// A read (a listing) cut short because the run was asked to stop; never a
    /// write, which is always let to finish.
    #[error("stopped before the listing was read whole: the run was asked to stop")]
    Stopped,
}

/// The CINNOX operations a sync needs.
pub trait Remote: Send {
    /// Every external contact (all pages).
    fn list_contacts(&mut self) -> impl Future<Output = Result<Vec<Contact>, RemoteError>> + Send;
    /// Every staff member (for owner names).
    fn list_staff(&mut self) -> impl Future<Output = Result<Vec<Staff>, RemoteError>> + Send;
    /// Creates a contact; answers its id.
    fn create_contact(
        &mut self,
        values: &FieldValues,
    ) -> impl Future<Output = Result<String, RemoteError>> + Send;
    /// Replaces the writable fields of a contact with `values` (the full set).
    fn update_contact(
        &mut self,
        id: &str,
        values: &FieldValues,
    ) -> impl Future<Output = Result<(), RemoteError>> + Send;
    /// Told before the writes of a run are sent how many creates and updates it
    /// plans, so a progress display can show done / planned. Nothing by default.
    fn writes_planned(&mut self, _creates: usize, _updates: usize) {}
    /// The calls made so far.
    fn calls(&self) -> Calls;
}
