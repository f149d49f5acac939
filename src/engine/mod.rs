//! The sync engine. Pure (no IO, no async): `compare` (the form values are compared
//! in), `identity` (which contact each row is: ids, merges, deletes, journal
//! recovery, matching), `diff` and `conflict` (three-way per field), `rows`
//! (cell edits and references), `build` (the `plan` function), `guards`, and the
//! plan as data (`plan`). `apply` is the one IO step: it carries a plan out against
//! a `Remote` (CINNOX) and a `Store` (the list), journalling every remote write.

pub mod apply;
pub mod build;
pub mod compare;
pub mod conflict;
pub mod diff;
pub mod guards;
pub mod identity;
pub mod import;
pub mod input;
pub mod keys;
pub mod locate;
pub mod memory_remote;
pub mod plan;
pub mod remote;
pub mod remote_cinnox;
pub mod rows;
pub mod run;

pub use build::plan;
pub use guards::GuardError;
pub use input::{PendingCreate, PlanInput, Policy, RowPolicy, Snapshot, Staff, SyncColumns};
pub use memory_remote::MemoryRemote;
pub use plan::{Action, Plan, Record};
pub use remote::{Calls, Remote, RemoteError};
pub use run::{RunError, RunOptions, SyncRun};
