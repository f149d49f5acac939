//! The CINNOX client as a job hands it to the engine, telling the context's
//! `Progress` what happens: the listing's pages, and the writes sent against those
//! planned. The engine only sees a `Remote` and tells it the planned writes
//! (`Remote::writes_planned`); how progress is shown is the caller's. A listing is
//! cut short when the run is asked to stop (it sends nothing); writes never are.

use super::context::Context;
use super::context::Progress;
use crate::cinnox::CinnoxClient;
use crate::engine::{Calls, Cancel, Remote, RemoteError, Staff};
use crate::model::{Contact, FieldValues};

pub struct Watched<'a> {
    client: &'a mut CinnoxClient,
    progress: &'a dyn Progress,
    cancel: Cancel,
    /// Listings done so far: a second one (after creates) is told as such.
    listings: usize,
}

impl<'a> Watched<'a> {
    pub fn new(client: &'a mut CinnoxClient, ctx: &'a Context<'_>) -> Self {
        Watched {
            client,
            progress: ctx.progress,
            cancel: ctx.cancel.clone(),
            listings: 0,
        }
    }
}

impl Remote for Watched<'_> {
    async fn list_contacts(&mut self) -> Result<Vec<Contact>, RemoteError> {
        self.listings += 1;
        let progress = self.progress;
        progress.listing_started(self.listings > 1);
        let listing = self.client.list_contacts_with(|p| progress.listing_page(p));
        let listed = tokio::select! {
            listed = listing => listed,
            _ = self.cancel.requested() => {
                progress.listing_done();
                return Err(RemoteError::Stopped);
            }
        };
        progress.listing_done();
        // As the client's own `Remote`: a failed listing leaves nothing to plan from.
        listed.map_err(|e| RemoteError::Fatal(e.to_string()))
    }

    async fn list_staff(&mut self) -> Result<Vec<Staff>, RemoteError> {
        let cancel = self.cancel.clone();
        tokio::select! {
            staff = Remote::list_staff(&mut *self.client) => staff,
            _ = cancel.requested() => Err(RemoteError::Stopped),
        }
    }

    async fn create_contact(&mut self, values: &FieldValues) -> Result<String, RemoteError> {
        let r = Remote::create_contact(&mut *self.client, values).await;
        self.progress.write_sent(true);
        r
    }

    async fn update_contact(&mut self, id: &str, values: &FieldValues) -> Result<(), RemoteError> {
        let r = Remote::update_contact(&mut *self.client, id, values).await;
        self.progress.write_sent(false);
        r
    }

    fn writes_planned(&mut self, creates: usize, updates: usize) {
        self.progress.writes_planned(creates, updates);
    }

    fn calls(&self) -> Calls {
        Remote::calls(&*self.client)
    }
}
