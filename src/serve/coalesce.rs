//! Coalescing webhook deliveries into syncs, for one job (pure; the job's loop in
//! `serve::job` does the waiting). Deliveries are hints: a burst of them becomes
//! one sync, which re-reads CINNOX. A sync is due once no delivery came for the
//! settle delay, or once the first waiting delivery is `max_delay` old, whichever
//! is sooner, but never sooner than `min_gap` after the previous run started, and
//! never while the job runs. A delivery is covered by a run that began reading
//! CINNOX after it arrived (its sequence number is at or below what the run's
//! listing started at); one that came later waits for the next run. A run that
//! fails gives its deliveries back, to be covered by the next one.

use crate::job::schedule::Coalesce;
use std::time::Instant;

/// Deliveries waiting for a sync.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Burst {
    pub first: Instant,
    pub last: Instant,
    /// The highest sequence number among them.
    pub last_seq: i64,
    pub count: u64,
}

impl Burst {
    fn merge(self, other: Burst) -> Burst {
        Burst {
            first: self.first.min(other.first),
            last: self.last.max(other.last),
            last_seq: self.last_seq.max(other.last_seq),
            count: self.count + other.count,
        }
    }
}

/// The coalescing state of one job.
#[derive(Clone, Debug)]
pub struct Debounce {
    cfg: Coalesce,
    burst: Option<Burst>,
    /// What the run going on set out to cover (given back if it fails).
    covering: Option<Burst>,
    last_start: Option<Instant>,
    running: bool,
}

impl Debounce {
    pub fn new(cfg: Coalesce) -> Debounce {
        Debounce {
            cfg,
            burst: None,
            covering: None,
            last_start: None,
            running: false,
        }
    }

    /// A delivery arrived (and is in the inbox). Answers whether it joined deliveries
    /// already waiting (it is coalesced: it causes no sync of its own).
    pub fn delivery(&mut self, seq: i64, at: Instant) -> bool {
        let one = Burst {
            first: at,
            last: at,
            last_seq: seq,
            count: 1,
        };
        let joined = self.burst.is_some() || self.running;
        self.burst = Some(match self.burst {
            Some(b) => b.merge(one),
            None => one,
        });
        joined
    }

    /// The inbox held undone deliveries when the service started (up to `last_seq`):
    /// a sync is due at once.
    pub fn undone_at_start(&mut self, last_seq: i64, count: u64, now: Instant) {
        let first = now.checked_sub(self.cfg.max_delay).unwrap_or(now);
        self.burst = Some(Burst {
            first,
            last: first,
            last_seq,
            count,
        });
    }

    /// When a sync is due for the deliveries waiting; `None` when none wait or the
    /// job is running.
    pub fn due(&self) -> Option<Instant> {
        if self.running {
            return None;
        }
        let b = self.burst?;
        let quiet = (b.last + self.cfg.settle).min(b.first + self.cfg.max_delay);
        Some(match self.last_start {
            Some(s) => quiet.max(s + self.cfg.min_gap),
            None => quiet,
        })
    }

    /// How many deliveries wait.
    pub fn waiting(&self) -> u64 {
        self.burst.map_or(0, |b| b.count)
    }

    /// A run of the job starts (whatever started it): what waits is its to cover.
    pub fn started(&mut self, at: Instant) {
        self.running = true;
        self.last_start = Some(at);
        self.covering = self.burst.take();
    }

    /// The run began reading CINNOX when deliveries up to `up_to` had arrived:
    /// those that came since it started are covered too.
    pub fn listing_from(&mut self, up_to: i64) {
        if let Some(b) = self.burst
            && b.last_seq <= up_to
        {
            self.covering = Some(match self.covering {
                Some(c) => c.merge(b),
                None => b,
            });
            self.burst = None;
        }
    }

    /// The run ended; `covered` is false when it did not get to cover what it set
    /// out to (it failed, or was stopped): those deliveries wait again.
    pub fn finished(&mut self, covered: bool) {
        self.running = false;
        if let Some(c) = self.covering.take().filter(|_| !covered) {
            self.burst = Some(match self.burst {
                Some(b) => b.merge(c),
                None => c,
            });
        }
    }
}

#[cfg(test)]
#[path = "coalesce_tests.rs"]
mod tests;
