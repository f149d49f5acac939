//! The sync engine, by pipeline (design rule 1: IO at the edges, a pure core).
//!
//! - `sync/`: the pure sync planner (no IO, no async; values in, values out): what it
//!   reads (`input`), how values compare, match keys, identity, three-way diff and
//!   conflicts, row edits, contacts without a row, the guards, and where a saved plan
//!   lands (`locate`); `sync::plan` is the planner.
//! - `plan`: the plan as data (design rule 3) with the guard that refused it.
//! - `import/`: planning an import (pure) and sending it.
//! - `apply/`: carrying a sync plan out, one function per kind of action.
//! - `detail`: what a run did to each record, as data (the run history keeps it).
//! - `run`: one sync end to end (read both sides and the checkpoints, plan, check the
//!   guards, apply) and the application of a saved plan.
//! - `seams/`: what the engine needs from outside, as traits with in-memory twins:
//!   `Remote` (CINNOX; the HTTP client implements it in `cinnox`) and `Checkpoints`
//!   (the state file; SQLite implements it in `state`), and `Cancel`, the token that
//!   stops a run between writes. The engine names neither `state` nor `cinnox`.

pub mod apply;
pub mod detail;
pub mod import;
pub mod plan;
pub mod run;
pub mod seams;
pub mod sync;

pub use plan::{Action, GuardError, Plan, Record};
pub use run::{RunError, RunOptions, SavedRun, SyncRun};
pub use seams::{
    Calls, Cancel, CheckpointError, Checkpoints, JournalState, MemoryCheckpoints, MemoryRemote,
    Remote, RemoteError, RunEnd, Stop, WriteKind,
};
pub use sync::input::{PendingCreate, PlanInput, Policy, RowPolicy, Snapshot, Staff, SyncColumns};
pub use sync::plan;
