//! The CINNOX client as `sync`, `plan`, `apply` and `import` hand it to the engine,
//! with progress on stderr: contacts read while listing (read / the server's count,
//! from the second page on) and the writes sent (done / planned, creates and
//! updates). The engine only sees a `Remote` and tells it the planned writes
//! (`Remote::writes_planned`); the bars are drawn here, in the CLI.

use super::progress;
use crate::cinnox::{CinnoxClient, ListProgress, wire};
use crate::engine::{Calls, Remote, RemoteError, Staff};
use crate::model::{Contact, FieldValues};
use indicatif::ProgressBar;

const LISTING: &str = "reading CINNOX contacts";

pub struct Watched<'a> {
    client: &'a mut CinnoxClient,
    bar: Option<ProgressBar>,
    /// Creates and updates planned, and sent so far (whatever their outcome).
    planned: (usize, usize),
    sent: (usize, usize),
    /// Listings done so far: a second one (after creates, to learn what CINNOX set on
    /// the new contacts, such as their owner) is named as such, not drawn as the
    /// same bar again.
    listings: usize,
}

impl<'a> Watched<'a> {
    pub fn new(client: &'a mut CinnoxClient) -> Self {
        Watched {
            client,
            bar: None,
            planned: (0, 0),
            sent: (0, 0),
            listings: 0,
        }
    }

    fn writes_message(&self) -> String {
        let mut parts = Vec::new();
        if self.planned.0 > 0 {
            parts.push(format!("{}/{} creates", self.sent.0, self.planned.0));
        }
        if self.planned.1 > 0 {
            parts.push(format!("{}/{} updates", self.sent.1, self.planned.1));
        }
        format!("CINNOX writes: {}", parts.join(", "))
    }

    fn sent_one(&mut self, create: bool) {
        if create {
            self.sent.0 += 1;
        } else {
            self.sent.1 += 1;
        }
        let message = self.writes_message();
        if let Some(bar) = &self.bar {
            bar.inc(1);
            bar.set_message(message);
            if bar.length().is_some_and(|len| bar.position() >= len) {
                progress::finish(self.bar.take());
            }
        }
    }
}

impl Drop for Watched<'_> {
    fn drop(&mut self) {
        progress::finish(self.bar.take());
    }
}

/// Draws a listing's progress once more pages are to come (without a count from
/// the server: once a full page was read).
fn on_page(bar: &mut Option<ProgressBar>, label: &str, p: ListProgress) {
    let more = match p.total {
        Some(t) => (p.read as u64) < t,
        None => p.read as u64 >= wire::MAX_PAGE,
    };
    if bar.is_none() && more && p.read > 0 && progress::wanted() {
        *bar = Some(progress::bar_for_items(p.total, label));
    }
    if let Some(b) = bar {
        if let Some(t) = p.total.filter(|t| b.length() != Some(*t)) {
            b.set_length(t);
        }
        if p.pass > 1 {
            b.set_message(format!("{label} again (pass {})", p.pass));
        }
        b.set_position(p.read as u64);
    }
}

impl Remote for Watched<'_> {
    async fn list_contacts(&mut self) -> Result<Vec<Contact>, RemoteError> {
        progress::finish(self.bar.take());
        self.listings += 1;
        let label = if self.listings == 1 {
            LISTING.to_string()
        } else {
            format!("{LISTING} again, for what CINNOX set on the new contacts")
        };
        let mut bar = None;
        let listed = self
            .client
            .list_contacts_with(|p| on_page(&mut bar, &label, p))
            .await;
        progress::finish(bar);
        // As the client's own `Remote`: a failed listing leaves nothing to plan from.
        listed.map_err(|e| RemoteError::Fatal(e.to_string()))
    }

    async fn list_staff(&mut self) -> Result<Vec<Staff>, RemoteError> {
        Remote::list_staff(&mut *self.client).await
    }

    async fn create_contact(&mut self, values: &FieldValues) -> Result<String, RemoteError> {
        let r = Remote::create_contact(&mut *self.client, values).await;
        self.sent_one(true);
        r
    }

    async fn update_contact(&mut self, id: &str, values: &FieldValues) -> Result<(), RemoteError> {
        let r = Remote::update_contact(&mut *self.client, id, values).await;
        self.sent_one(false);
        r
    }

    fn writes_planned(&mut self, creates: usize, updates: usize) {
        progress::finish(self.bar.take());
        self.planned = (creates, updates);
        self.sent = (0, 0);
        let total = (creates + updates) as u64;
        if total > 0 && progress::wanted() {
            self.bar = Some(progress::bar_with_message(total, &self.writes_message()));
        }
    }

    fn calls(&self) -> Calls {
        Remote::calls(&*self.client)
    }
}
