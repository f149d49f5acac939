//! Stopping a run safely: a token the caller of a run sets (the command line on
//! Ctrl-C or SIGTERM, a service shutting down) and the engine checks between remote
//! writes. A write already sent is let to finish and is settled in the journal as
//! usual; no further write is sent; the list is still written once (with the ids
//! of what was created) and the run recorded. Only waiting that sends nothing (a
//! listing) is cut short. Cheap to clone: every clone is the same token.

use std::sync::Arc;
use tokio::sync::watch;

/// Why a run was asked to stop.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Stop {
    /// Ctrl-C (SIGINT).
    #[serde(rename = "SIGINT")]
    Interrupt,
    /// SIGTERM: a service manager stopping the process.
    #[serde(rename = "SIGTERM")]
    Terminate,
}

impl Stop {
    /// The signal's name, for messages.
    pub fn signal(self) -> &'static str {
        match self {
            Stop::Interrupt => "SIGINT",
            Stop::Terminate => "SIGTERM",
        }
    }

    /// The exit code a process stopped so ends with: 128 + the signal's number,
    /// as shells report a process the signal ended.
    pub fn exit_code(self) -> u8 {
        match self {
            Stop::Interrupt => 130,
            Stop::Terminate => 143,
        }
    }
}

/// The stop token of a run (or of every run of a service).
#[derive(Clone, Debug)]
pub struct Cancel(Arc<watch::Sender<Option<Stop>>>);

impl Default for Cancel {
    fn default() -> Self {
        Cancel(Arc::new(watch::Sender::new(None)))
    }
}

impl Cancel {
    /// A token nobody has set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the run to stop; the first reason given is kept.
    pub fn stop(&self, why: Stop) {
        self.0.send_if_modified(|now| {
            if now.is_some() {
                return false;
            }
            *now = Some(why);
            true
        });
    }

    /// Whether (and why) the run was asked to stop.
    pub fn stopped(&self) -> Option<Stop> {
        *self.0.borrow()
    }

    /// Resolves once the run is asked to stop (at once if it was).
    pub async fn requested(&self) -> Stop {
        let mut rx = self.0.subscribe();
        let seen = rx.wait_for(Option::is_some).await.map(|v| *v);
        match seen {
            Ok(Some(why)) => why,
            // The sender lives as long as `self`: never reached.
            _ => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_reason_is_kept_and_every_clone_sees_it() {
        let c = Cancel::new();
        let seen = c.clone();
        assert_eq!(seen.stopped(), None);
        c.stop(Stop::Terminate);
        c.stop(Stop::Interrupt);
        assert_eq!(seen.stopped(), Some(Stop::Terminate));
        assert_eq!(Stop::Terminate.exit_code(), 143);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(rt.block_on(seen.requested()), Stop::Terminate);
    }
}
