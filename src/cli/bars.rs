//! The progress bars of a run on stderr, as the command line's `job::Progress`:
//! contacts read while listing (read / the server's count, from the second page
//! on) and the writes sent (done / planned, creates and updates). What is told
//! (`tell`) goes to stderr as a line.

use super::progress;
use crate::cinnox::{ListProgress, wire};
use crate::job::Progress;
use indicatif::ProgressBar;
use std::sync::Mutex;

const LISTING: &str = "reading CINNOX contacts";

#[derive(Default)]
struct State {
    bar: Option<ProgressBar>,
    /// The label of the listing under way.
    label: String,
    /// Creates and updates planned, and sent so far (whatever their outcome).
    planned: (usize, usize),
    sent: (usize, usize),
}

/// Bars for one run; dropped (and cleared) when the run ends.
#[derive(Default)]
pub struct Bars(Mutex<State>);

impl Bars {
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let mut s = match self.0.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        f(&mut s)
    }
}

impl State {
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
}

impl Drop for Bars {
    fn drop(&mut self) {
        self.with(|s| progress::finish(s.bar.take()));
    }
}

impl Progress for Bars {
    fn listing_started(&self, again: bool) {
        self.with(|s| {
            progress::finish(s.bar.take());
            s.label = if again {
                format!("{LISTING} again, for what CINNOX set on the new contacts")
            } else {
                LISTING.to_string()
            };
        });
    }

    /// Draws a listing's progress once more pages are to come (without a count
    /// from the server: once a full page was read).
    fn listing_page(&self, p: ListProgress) {
        self.with(|s| {
            let more = match p.total {
                Some(t) => (p.read as u64) < t,
                None => p.read as u64 >= wire::MAX_PAGE,
            };
            if s.bar.is_none() && more && p.read > 0 && progress::wanted() {
                s.bar = Some(progress::bar_for_items(p.total, &s.label));
            }
            if let Some(b) = &s.bar {
                if let Some(t) = p.total.filter(|t| b.length() != Some(*t)) {
                    b.set_length(t);
                }
                if p.pass > 1 {
                    b.set_message(format!("{} again (pass {})", s.label, p.pass));
                }
                b.set_position(p.read as u64);
            }
        });
    }

    fn listing_done(&self) {
        self.with(|s| progress::finish(s.bar.take()));
    }

    fn writes_planned(&self, creates: usize, updates: usize) {
        self.with(|s| {
            progress::finish(s.bar.take());
            s.planned = (creates, updates);
            s.sent = (0, 0);
            let total = (creates + updates) as u64;
            if total > 0 && progress::wanted() {
                s.bar = Some(progress::bar_with_message(total, &s.writes_message()));
            }
        });
    }

    fn write_sent(&self, create: bool) {
        self.with(|s| {
            if create {
                s.sent.0 += 1;
            } else {
                s.sent.1 += 1;
            }
            let message = s.writes_message();
            if let Some(bar) = &s.bar {
                bar.inc(1);
                bar.set_message(message);
                if bar.length().is_some_and(|len| bar.position() >= len) {
                    progress::finish(s.bar.take());
                }
            }
        });
    }

    fn tell(&self, message: &str) {
        eprintln!("{message}");
    }
}
