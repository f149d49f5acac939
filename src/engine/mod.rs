//! The sync engine, in two halves (design rule 1: IO at the edges, a pure core).
//!
//! Pure (no IO, no async; values in, values out): `input` (what the planner reads),
//! `compare` (the form values are compared in), `keys` (match keys), `identity`
//! (which contact each row is: ids, merges, deletes, journal recovery, matching),
//! `unlisted` (an id CINNOX does not list: deleted there, or a mistake),
//! `diff` and `conflict` (three-way per field), `rows` (cell edits and references),
//! `rowless` (contacts no row stands for), `build` (the `plan` function), `guards`,
//! `plan` (the plan as data), `locate` (where a saved plan lands in the list as read
//! now) and `import` (planning an import).
//!
//! IO (async; CINNOX through `Remote`, the list through `Store`, the state file):
//! `apply` carries a sync plan out, journalling every remote write; `apply_fill`
//! re-lists CINNOX once after creates for the fields it fills itself (the owner);
//! `apply_import` sends an import plan; `run` reads both sides and the state, plans,
//! checks the guards and applies (`sync`, `apply_saved`).
//!
//! Seams: `remote` (the `Remote` trait and its errors), `remote_cinnox` (the HTTP
//! client behind it) and `memory_remote` (CINNOX in memory, for tests).

pub mod apply;
pub mod apply_fill;
pub mod apply_import;
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
pub mod rowless;
pub mod rows;
pub mod run;
pub mod unlisted;

pub use build::plan;
pub use guards::GuardError;
pub use input::{PendingCreate, PlanInput, Policy, RowPolicy, Snapshot, Staff, SyncColumns};
pub use memory_remote::MemoryRemote;
pub use plan::{Action, Plan, Record};
pub use remote::{Calls, Remote, RemoteError};
pub use run::{RunError, RunOptions, SavedRun, SyncRun};
