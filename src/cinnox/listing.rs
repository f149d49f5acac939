//! Listing: every external contact, read in pages of 500 until done, de-duplicated
//! by id, and read again when the count moved during the read (offset paging over
//! a live list can skip or repeat an item). Pages are read by the fast reader of
//! `wire` when the answer has the usual shape.

use super::client::{CinnoxClient, segments};
use super::error::{CallKind, ClientError};
use super::names::{path, query};
use super::retry::Answer;
use super::wire;
use crate::model::Contact;
use reqwest::Method;
use std::collections::HashSet;

/// How far a listing has got, for progress bars.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListProgress {
    /// Distinct contacts read so far in this pass.
    pub read: usize,
    /// The server's count, when it gives one.
    pub total: Option<u64>,
    /// 1 for the first pass; more when the count moved and the list is re-read.
    pub pass: u32,
}

/// One page of a listing.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub contacts: Vec<Contact>,
    /// Items in the answer (contacts plus any without an id, which are skipped).
    pub items: usize,
    pub total: Option<u64>,
}

/// How many times a listing is read again when the count moved while reading.
const MAX_LIST_PASSES: u32 = 3;

impl CinnoxClient {
    /// Every external contact, de-duplicated by id.
    pub async fn list_contacts(&self) -> Result<Vec<Contact>, ClientError> {
        self.list_contacts_with(|_| {}).await
    }

    /// Every external contact, read in pages of 500 until done and de-duplicated by
    /// id (offset paging over a live list can repeat an item). When the count moved
    /// during the read, an item may have been skipped, so the list is read again
    /// (up to 3 passes; the last pass is returned as it is).
    pub async fn list_contacts_with(
        &self,
        mut progress: impl FnMut(ListProgress),
    ) -> Result<Vec<Contact>, ClientError> {
        let mut pass = 1;
        loop {
            let (contacts, moved) = self.list_pass(pass, &mut progress).await?;
            if !moved || pass >= MAX_LIST_PASSES {
                if moved {
                    tracing::warn!(
                        "the contact count kept moving while listing; using the last pass"
                    );
                }
                return Ok(contacts);
            }
            tracing::info!(
                pass,
                "the contact count moved while listing; reading it again"
            );
            pass += 1;
        }
    }

    /// One pass over the listing; also answers whether `total` moved during it.
    async fn list_pass(
        &self,
        pass: u32,
        progress: &mut impl FnMut(ListProgress),
    ) -> Result<(Vec<Contact>, bool), ClientError> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let (mut first_total, mut last_total) = (None, None);
        let mut offset = 0;
        loop {
            let page = self.list_page(offset, wire::MAX_PAGE).await?;
            first_total = first_total.or(page.total);
            last_total = page.total.or(last_total);
            let before = out.len();
            let full = page.contacts.len() as u64 == wire::MAX_PAGE;
            for c in page.contacts {
                if seen.insert(c.id.clone()) {
                    out.push(c);
                }
            }
            // A full page of nothing new: the server is not honouring `offset`, and
            // reading on would never end.
            if full && out.len() == before {
                return Err(ClientError::Protocol {
                    call: CallKind::List,
                    detail: format!("the page at offset {offset} repeated contacts already read"),
                });
            }
            progress(ListProgress {
                read: out.len(),
                total: last_total,
                pass,
            });
            offset += page.items as u64;
            // With a count, read until it is reached (a server that caps pages below
            // 500 is still read to the end); without one, a short page is the last.
            let done = match page.total {
                Some(t) => page.items == 0 || offset >= t,
                None => (page.items as u64) < wire::MAX_PAGE,
            };
            if done {
                break;
            }
        }
        tracing::debug!(contacts = out.len(), ?last_total, pass, "listed contacts");
        Ok((out, first_total != last_total))
    }

    /// One page: `limit` (at most 500) contacts from `offset`.
    pub async fn list_page(&self, offset: u64, limit: u64) -> Result<Page, ClientError> {
        let query = [(query::OFFSET, offset), (query::LIMIT, limit)];
        let target = format!("the contact list at offset {offset}");
        let answer = self
            .call(
                CallKind::List,
                Method::GET,
                &segments(path::LIST_CONTACTS),
                &query,
                None,
                &target,
            )
            .await?;
        let (results, total) = match answer {
            Answer::NoRecords => return Ok(Page::default()),
            Answer::Raw { .. } => {
                return Err(ClientError::Protocol {
                    call: CallKind::List,
                    detail: "a raw answer where a page was expected".into(),
                });
            }
            Answer::Contacts(list) => (list.items, list.total),
            Answer::Body(body) => {
                let (items, total) =
                    wire::list_items(&body).map_err(|e| ClientError::Protocol {
                        call: CallKind::List,
                        detail: e.to_string(),
                    })?;
                let read = items.iter().enumerate();
                (
                    read.map(|(i, item)| wire::contact_from_json(item, i))
                        .collect(),
                    total,
                )
            }
        };
        let items = results.len();
        let mut contacts = Vec::with_capacity(items);
        for r in results {
            match r {
                Ok(c) => contacts.push(c),
                // One malformed item must not hide the others; it is reported.
                Err(e) => {
                    tracing::warn!("skipping a listed contact (page at offset {offset}): {e}")
                }
            }
        }
        Ok(Page {
            items,
            contacts,
            total,
        })
    }
}
