//! The engine's seams, each a trait with an in-memory twin (design rule 2): `remote`
//! (CINNOX as a run sees it; the HTTP client implements it in `cinnox::remote`) with
//! `memory_remote`, and `checkpoints` (the state a job keeps between runs; SQLite in
//! `state`) with `memory_checkpoints`. The engine depends on these traits only.
//! `cancel` is the token a caller sets to stop a run safely between writes.

pub mod cancel;
pub mod checkpoints;
pub mod memory_checkpoints;
pub mod memory_remote;
pub mod remote;

pub use cancel::{Cancel, Stop};
pub use checkpoints::{CheckpointError, Checkpoints, JournalState, RunEnd, WriteKind};
pub use memory_checkpoints::MemoryCheckpoints;
pub use memory_remote::MemoryRemote;
pub use remote::{Calls, Remote, RemoteError};
