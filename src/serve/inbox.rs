//! The writer of one job's webhook inbox: a thread of its own holding a connection
//! to the job's state file, taking deliveries from a bounded queue and committing
//! whatever has arrived as one transaction (group commit: the state file syncs every
//! commit to disk, so one transaction per delivery could not keep up), then
//! answering each delivery's request. A delivery is answered 200 only once its
//! batch is committed. The queue is bounded: when it is full the delivery is
//! refused at once (503 with `Retry-After`), never held in memory; what is queued
//! already makes a sync that starts after the refused delivery arrived, so the
//! refusal loses no change. The same queue carries what the job's runs tell the
//! inbox: which deliveries a sync covers (from the moment it starts reading
//! CINNOX), and that a sync failed (they are undone again).

use crate::state::{InboxEntry, StateStore, SystemClock};
use crossbeam_channel::{Receiver, Sender, TrySendError};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;
use tokio::sync::oneshot;

/// Deliveries a batch holds at most (one transaction).
const MAX_BATCH: usize = 2048;
/// How long a request waits for its batch to be committed before it is answered 503.
const COMMIT_WAIT: Duration = Duration::from_secs(10);
/// Done deliveries kept in the state file (the newest; undone ones are all kept).
pub const KEEP_DONE: u64 = 10_000;

/// Why a delivery was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the inbox queue is full")]
    Busy,
    #[error("the inbox could not store it: {0}")]
    Store(String),
    #[error("the service is stopping")]
    Closed,
}

enum Cmd {
    Deliver(InboxEntry, oneshot::Sender<Result<(), String>>),
    /// A sync started reading CINNOX: deliveries up to `up_to` are covered.
    Covered {
        up_to: i64,
        stamp: String,
    },
    /// That sync did not finish: its deliveries are undone again.
    Reopen {
        stamp: String,
    },
    /// It finished as run `run_id`.
    Settled {
        stamp: String,
        run_id: i64,
    },
    Stop,
}

/// The handle on a job's inbox writer (cheap to share behind an `Arc`).
pub struct Inbox {
    tx: Sender<Cmd>,
    seq: AtomicI64,
    healthy: Arc<AtomicBool>,
    thread: std::sync::Mutex<Option<std::thread::JoinHandle<()>>>,
}

/// What the state file held when the writer started.
pub struct Opened {
    pub inbox: Inbox,
    pub secret: String,
    /// Undone deliveries left from before (a sync is due for them).
    pub undone: u64,
    pub last_seq: i64,
}

impl Inbox {
    /// Opens the job's state file (creating and migrating it), reads or makes its
    /// webhook secret, and starts the writer with a queue of `capacity`.
    pub fn open(state: &Path, capacity: usize) -> anyhow::Result<Opened> {
        let mut store = StateStore::open_beside_runs(state, Arc::new(SystemClock))?;
        let secret = store.webhook_secret()?;
        let counts = store.inbox_counts()?;
        let (tx, rx) = crossbeam_channel::bounded(capacity.max(1));
        let healthy = Arc::new(AtomicBool::new(true));
        let h = healthy.clone();
        let name = format!("inbox {}", state.display());
        let thread = std::thread::Builder::new()
            .name("cinnox-sync inbox".into())
            .spawn(move || write_all(store, rx, h, name))?;
        Ok(Opened {
            inbox: Inbox {
                tx,
                seq: AtomicI64::new(counts.last_seq),
                healthy,
                thread: std::sync::Mutex::new(Some(thread)),
            },
            secret,
            undone: counts.undone,
            last_seq: counts.last_seq,
        })
    }

    /// The sequence number of the last delivery given one.
    pub fn last_seq(&self) -> i64 {
        self.seq.load(Ordering::SeqCst)
    }

    /// Whether the last batch was stored.
    pub fn healthy(&self) -> bool {
        self.healthy.load(Ordering::SeqCst)
    }

    /// Stores a delivery; resolves once it is committed, with its sequence number.
    pub async fn submit(
        &self,
        status: &str,
        contact_id: &str,
        event: String,
    ) -> Result<i64, Refused> {
        let seq = self.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let entry = InboxEntry {
            seq,
            received_at: crate::state::clock::stamp(chrono::Utc::now()),
            status: status.to_string(),
            contact_id: contact_id.to_string(),
            event,
        };
        let (reply, answer) = oneshot::channel();
        match self.tx.try_send(Cmd::Deliver(entry, reply)) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(Refused::Busy),
            Err(TrySendError::Disconnected(_)) => return Err(Refused::Closed),
        }
        match tokio::time::timeout(COMMIT_WAIT, answer).await {
            Ok(Ok(Ok(()))) => Ok(seq),
            Ok(Ok(Err(e))) => Err(Refused::Store(e)),
            Ok(Err(_)) => Err(Refused::Closed),
            Err(_) => Err(Refused::Store("not committed in time".into())),
        }
    }

    /// A sync began reading CINNOX: every delivery given a number so far is covered.
    /// Answers that number (and the stamp that marks them), for `reopen`/`settle`.
    pub fn covered(&self, stamp: &str) -> i64 {
        let up_to = self.last_seq();
        self.control(Cmd::Covered {
            up_to,
            stamp: stamp.to_string(),
        });
        up_to
    }

    pub fn reopen(&self, stamp: &str) {
        self.control(Cmd::Reopen {
            stamp: stamp.to_string(),
        });
    }

    pub fn settled(&self, stamp: &str, run_id: i64) {
        self.control(Cmd::Settled {
            stamp: stamp.to_string(),
            run_id,
        });
    }

    /// Commits what is queued, then stops the writer and waits for it.
    pub fn stop(&self) {
        self.control(Cmd::Stop);
        let handle = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(h) = handle {
            let _ = h.join();
        }
    }

    /// Control messages wait for room (the queue is never full for long: every
    /// delivery in it is answered within a commit).
    fn control(&self, cmd: Cmd) {
        if self.tx.send(cmd).is_err() {
            tracing::warn!("the inbox writer is gone; a sync's bookkeeping was not stored");
        }
    }
}

/// The writer's loop: a batch is whatever is queued when it wakes.
fn write_all(mut store: StateStore, rx: Receiver<Cmd>, healthy: Arc<AtomicBool>, name: String) {
    let mut covered: Option<(i64, String)> = None;
    while let Ok(first) = rx.recv() {
        let mut cmds = vec![first];
        cmds.extend(rx.try_iter().take(MAX_BATCH - 1));
        let (mut entries, mut replies) = (Vec::new(), Vec::new());
        let mut controls = Vec::new();
        for c in cmds {
            match c {
                Cmd::Deliver(e, r) => {
                    entries.push(e);
                    replies.push(r);
                }
                other => controls.push(other),
            }
        }
        if !entries.is_empty() {
            let marker = covered.as_ref().map(|(n, s)| (*n, s.as_str()));
            let result = store
                .inbox_append(&entries, marker)
                .map_err(|e| e.to_string());
            if let Err(e) = &result {
                tracing::error!("{name}: cannot store {} deliveries: {e}", entries.len());
            }
            healthy.store(result.is_ok(), Ordering::SeqCst);
            for r in replies {
                let _ = r.send(result.clone());
            }
        }
        for c in controls {
            let done = match c {
                Cmd::Covered { up_to, stamp } => {
                    let r = store.inbox_mark_done(up_to, &stamp).map(|_| ());
                    covered = Some((up_to, stamp));
                    r
                }
                Cmd::Reopen { stamp } => {
                    if covered.as_ref().is_some_and(|(_, s)| *s == stamp) {
                        covered = None;
                    }
                    store.inbox_reopen(&stamp).map(|_| ())
                }
                Cmd::Settled { stamp, run_id } => store
                    .inbox_settle(&stamp, run_id)
                    .and_then(|_| store.inbox_prune(KEEP_DONE).map(|_| ())),
                Cmd::Stop => return,
                Cmd::Deliver(..) => Ok(()),
            };
            if let Err(e) = done {
                tracing::error!("{name}: {e}");
            }
        }
    }
}

#[cfg(test)]
#[path = "inbox_tests.rs"]
mod tests;
