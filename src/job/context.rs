//! What the caller of a job plugs in: how progress is shown (the command line draws
//! bars; a service passes none), how the person is told things as they happen, the
//! CINNOX pacers shared by every job of one service account, and the stop token
//! (`Cancel`): set it (Ctrl-C, SIGTERM, a service shutting down) and the run stops
//! safely between writes. A long-running caller keeps one `Context` for all its
//! jobs; the command line makes one per run.

use crate::cinnox::ListProgress;
use crate::cinnox::pacing::Pacers;
use crate::engine::Cancel;

/// Progress of a run, as it happens. Every hook does nothing by default.
pub trait Progress: Send + Sync {
    /// A listing of CINNOX's contacts begins; `again` for the one after creates
    /// (for what CINNOX set on the new contacts).
    fn listing_started(&self, _again: bool) {}
    /// A page of the listing was read.
    fn listing_page(&self, _p: ListProgress) {}
    /// The listing ended (read whole, or failed).
    fn listing_done(&self) {}
    /// The run is about to send this many creates and updates.
    fn writes_planned(&self, _creates: usize, _updates: usize) {}
    /// One write was sent (whatever its outcome).
    fn write_sent(&self, _create: bool) {}
    /// Something the person should know now (a file made for them, a sandbox
    /// started); not part of the summary.
    fn tell(&self, _message: &str) {}
}

/// No progress shown, nothing told.
pub struct Silent;

impl Progress for Silent {}

/// What a job runs with.
pub struct Context<'a> {
    pub progress: &'a dyn Progress,
    /// One pacer per CINNOX service account, shared by the jobs run with this context.
    pub pacers: &'a Pacers,
    /// Set to stop the runs of this context safely (see `engine::Cancel`).
    pub cancel: Cancel,
}

impl<'a> Context<'a> {
    /// A context whose runs nobody stops.
    pub fn new(progress: &'a dyn Progress, pacers: &'a Pacers) -> Self {
        Context {
            progress,
            pacers,
            cancel: Cancel::new(),
        }
    }
}
