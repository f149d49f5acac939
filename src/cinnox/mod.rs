//! The CINNOX Open API as the connector uses it. `names` is the one table of wire
//! names; `wire` reads and writes bodies with them (pure conversions to the model);
//! `client` makes the calls (`listing` reads the contact list), paced by `pacing`
//! (one limiter per service account) and retried as `retry` decides; `error` types
//! the outcomes by CINNOX code; `calls` counts them; `config` and `secret` hold the
//! credentials; `check` probes a tenant read-only and compares what it answers
//! with what the client expects; `remote` is the client as the engine's `Remote` seam.

pub mod calls;
pub mod check;
pub mod client;
pub mod config;
pub mod error;
pub mod listing;
pub mod names;
pub mod pacing;
pub mod remote;
pub mod retry;
pub mod secret;
pub mod wire;

pub use calls::CallCounts;
pub use client::CinnoxClient;
pub use config::{ClientConfig, ConfigError, Credentials};
pub use error::{CallKind, ClientError};
pub use listing::{ListProgress, Page};
pub use secret::Secret;
pub use wire::{ContactEvent, EventStatus, EventSubscription, Staff, SubscriptionState};
