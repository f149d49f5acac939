//! Running a job, without clap: the job file (`file`), which list it works on and
//! opening it (`list`), opening CINNOX (`cinnox`: a tenant, paced per service account,
//! or an embedded sandbox) and the state file with its run record (`state`), the run
//! summary (`summary`), saved plans (`saved`), and the one entry point that runs a
//! job in a mode and returns the summary (`runner::run`; import's own steps in
//! `import`). What the caller plugs in (progress, pacers) is the `Context`; the
//! CINNOX client reports to its progress hooks through `watched`.
//!
//! Nothing here prints or exits the process: the command line (`cli`) parses the
//! arguments, calls `run` and prints what it returns; a long-running service calls
//! the same `run` with its own context.

pub mod cinnox;
pub mod context;
pub mod file;
pub mod import;
pub mod list;
pub mod runner;
pub mod saved;
pub mod state;
pub mod summary;
pub mod watched;

pub use crate::engine::{Cancel, Stop};
pub use context::{Context, Progress, Silent};
pub use file::{CinnoxSide, Job, JobError};
pub use import::ImportOptions;
pub use list::ListChoice;
pub use runner::{Finished, Mode, Request, run};
pub use saved::SavedPlan;
pub use summary::{Outcome, Summary};
