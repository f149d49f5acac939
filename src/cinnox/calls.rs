//! Call counters: every HTTP request the client sent, by kind, plus how many of
//! them were retries and how many answers were rate-limit refusals. Readable at any
//! time (`CinnoxClient::calls`) for run summaries; the per-kind figures count the
//! same requests as the sandbox's `/sandbox/stats` endpoints.

use super::error::CallKind;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of the counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CallCounts {
    pub list: u64,
    pub create: u64,
    pub update: u64,
    pub staff: u64,
    pub subscribe: u64,
    /// Requests that repeated an earlier one (after a 429, 5xx, timeout...).
    pub retries: u64,
    /// Answers that were 6451010 / HTTP 429.
    pub rate_limited: u64,
}

impl CallCounts {
    /// Requests sent, all kinds together (retries included).
    pub fn requests(&self) -> u64 {
        self.list + self.create + self.update + self.staff + self.subscribe
    }

    /// Requests sent of one kind.
    pub fn of(&self, kind: CallKind) -> u64 {
        match kind {
            CallKind::List => self.list,
            CallKind::Create => self.create,
            CallKind::Update => self.update,
            CallKind::Staff => self.staff,
            CallKind::Subscribe => self.subscribe,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    by_kind: [AtomicU64; 5],
    retries: AtomicU64,
    rate_limited: AtomicU64,
}

impl Counters {
    pub(crate) fn sent(&self, kind: CallKind) {
        self.by_kind[kind as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn retried(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> CallCounts {
        let k = |kind: CallKind| self.by_kind[kind as usize].load(Ordering::Relaxed);
        CallCounts {
            list: k(CallKind::List),
            create: k(CallKind::Create),
            update: k(CallKind::Update),
            staff: k(CallKind::Staff),
            subscribe: k(CallKind::Subscribe),
            retries: self.retries.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
        }
    }
}
