//! The state file as the engine's `Checkpoints`: each call is the store's own
//! SQLite operation, its error (naming the state file) passed on as it is.

use super::{StateError, StateStore};
use crate::engine::{CheckpointError, Checkpoints, JournalState, RunEnd, Snapshot, WriteKind};
use crate::model::FieldValues;
use std::collections::HashSet;

fn up(e: StateError) -> CheckpointError {
    CheckpointError::new(e)
}

impl Checkpoints for StateStore {
    fn snapshot(&self) -> Result<Snapshot, CheckpointError> {
        StateStore::snapshot(self).map_err(up)
    }

    fn known_ids(&self, ids: &[String]) -> Result<HashSet<String>, CheckpointError> {
        StateStore::known_ids(self, ids).map_err(up)
    }

    fn remembered_gone(&self, ids: &[String]) -> Result<HashSet<String>, CheckpointError> {
        StateStore::remembered_gone(self, ids).map_err(up)
    }

    fn journal_send(
        &mut self,
        run_id: i64,
        kind: WriteKind,
        contact_id: Option<&str>,
        row_line: Option<usize>,
        values: &FieldValues,
    ) -> Result<i64, CheckpointError> {
        StateStore::journal_send(self, run_id, kind, contact_id, row_line, values).map_err(up)
    }

    fn journal_settle(
        &mut self,
        seq: i64,
        state: JournalState,
        result_id: Option<&str>,
        message: Option<&str>,
    ) -> Result<(), CheckpointError> {
        StateStore::journal_settle(self, seq, state, result_id, message).map_err(up)
    }

    fn supersede_open_updates(&mut self) -> Result<usize, CheckpointError> {
        StateStore::supersede_open_updates(self).map_err(up)
    }

    fn save_links(
        &mut self,
        upserts: &[(String, FieldValues)],
        removes: &[String],
    ) -> Result<(), CheckpointError> {
        StateStore::save_links(self, upserts, removes).map_err(up)
    }

    fn remember_gone(&mut self, ids: &[String]) -> Result<(), CheckpointError> {
        StateStore::remember_gone(self, ids).map_err(up)
    }

    fn remember_deleted_rows(&mut self, ids: &[String]) -> Result<(), CheckpointError> {
        StateStore::remember_deleted_rows(self, ids).map_err(up)
    }

    fn begin_run(&mut self, command: &str) -> Result<i64, CheckpointError> {
        StateStore::begin_run(self, command).map_err(up)
    }

    fn finish_run(&mut self, run_id: i64, end: &RunEnd<'_>) -> Result<(), CheckpointError> {
        StateStore::finish_run(
            self,
            run_id,
            end.outcome,
            end.exit_code,
            end.summary,
            end.detail,
        )
        .map_err(up)
    }
}
