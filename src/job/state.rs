//! The state file of a run: opened with the run lock for a run that writes, or only
//! read (an empty one in memory when the file does not exist yet: a first plan must
//! not create it) for one that does not; and the run record, begun before and
//! finished with the summary after.

use super::summary::Summary;
use crate::engine::{Checkpoints, RunEnd};
use crate::state::{StateStore, SystemClock};
use std::path::Path;
use std::sync::Arc;

/// Opens the state for a run: `writes` takes the run lock and creates the file.
pub fn open(path: &Path, writes: bool) -> anyhow::Result<StateStore> {
    let clock = Arc::new(SystemClock);
    Ok(if writes {
        StateStore::open_for_run(path, clock)?
    } else if path.exists() {
        StateStore::open_to_read(path, clock)?
    } else {
        StateStore::in_memory(clock)?
    })
}

/// Records the run's end in the state file's history (a failure to is logged: the
/// run itself is over).
pub fn record(state: &mut impl Checkpoints, run_id: i64, summary: &Summary) {
    let json = serde_json::to_value(summary).unwrap_or_default();
    let end = RunEnd {
        outcome: summary.outcome.name(),
        exit_code: i32::from(summary.exit_code),
        summary: &json,
        detail: &summary.detail,
    };
    if let Err(e) = state.finish_run(run_id, &end) {
        tracing::warn!("could not record the run in the history: {e}");
    }
}
