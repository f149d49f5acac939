//! What the engine needs from a job's state file, as a trait: the snapshot the
//! planner reads, the ids the state knows, the journal of remote writes (send before,
//! settle after), the links and base values, the rows and contacts remembered as
//! gone, and the run record. `state::StateStore` implements it over SQLite;
//! `MemoryCheckpoints` in memory, for tests. The journal's vocabulary (`WriteKind`,
//! `JournalState`) is the engine's, so the state file depends on the engine, never
//! the reverse.

use crate::engine::detail::Entry;
use crate::engine::sync::input::Snapshot;
use crate::model::FieldValues;
use serde::Serialize;
use std::collections::HashSet;

/// A remote write, as the journal records it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteKind {
    Create,
    Update,
}

impl WriteKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WriteKind::Create => "create",
            WriteKind::Update => "update",
        }
    }
}

/// Where a journalled write stands.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalState {
    /// Written before sending; no answer seen (yet). Open.
    Sent,
    /// The request went out but its answer was lost. Open.
    Unknown,
    /// CINNOX answered with the new id; the id is not yet written back. Open.
    Created,
    /// Confirmed and, for a create, written back.
    Done,
    /// Refused by CINNOX for this record.
    Rejected,
    /// Failed without reaching CINNOX (e.g. retries exhausted on 5xx).
    Failed,
    /// An open create found again in a later listing.
    Found,
    /// An open create not found in a later listing: it never happened.
    NotFound,
    /// An open update made moot by a fresh listing (updates are idempotent).
    Superseded,
}

impl JournalState {
    pub fn as_str(self) -> &'static str {
        match self {
            JournalState::Sent => "sent",
            JournalState::Unknown => "unknown",
            JournalState::Created => "created",
            JournalState::Done => "done",
            JournalState::Rejected => "rejected",
            JournalState::Failed => "failed",
            JournalState::Found => "found",
            JournalState::NotFound => "not_found",
            JournalState::Superseded => "superseded",
        }
    }

    /// Whether the write is still open: the next run must find out what became of it.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            JournalState::Sent | JournalState::Unknown | JournalState::Created
        )
    }
}

/// A checkpoint store failed (its own message, e.g. naming the state file).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct CheckpointError(pub Box<dyn std::error::Error + Send + Sync>);

impl CheckpointError {
    pub fn new(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        CheckpointError(Box::new(e))
    }
}

/// How a run ended, as the run record keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunEnd<'a> {
    /// `applied`, `finished_with_problems`, `failed`, `refused`, `dry_run`.
    pub outcome: &'a str,
    pub exit_code: i32,
    /// The run's summary (counts, calls) as JSON.
    pub summary: &'a serde_json::Value,
    /// What the run did to each record.
    pub detail: &'a [Entry],
}

/// The state a sync job keeps between runs. Every call is committed before it
/// returns: a journalled send survives a crash of the run that made it.
pub trait Checkpoints: Send {
    /// Links with their base values, the rows remembered as deleted, and the creates
    /// not yet settled (`Snapshot::gone` is left empty: see `known_ids`).
    fn snapshot(&self) -> Result<Snapshot, CheckpointError>;
    /// Which of `ids` the state knows beyond its links: remembered as gone from
    /// CINNOX, or made by a create of this job.
    fn known_ids(&self, ids: &[String]) -> Result<HashSet<String>, CheckpointError>;
    /// Which of `ids` are remembered as gone from CINNOX (`remember_gone`).
    fn remembered_gone(&self, ids: &[String]) -> Result<HashSet<String>, CheckpointError>;
    /// Journals a write about to be sent; answers its sequence number.
    fn journal_send(
        &mut self,
        run_id: i64,
        kind: WriteKind,
        contact_id: Option<&str>,
        row_line: Option<usize>,
        values: &FieldValues,
    ) -> Result<i64, CheckpointError>;
    /// Records what became of a journalled write.
    fn journal_settle(
        &mut self,
        seq: i64,
        state: JournalState,
        result_id: Option<&str>,
        message: Option<&str>,
    ) -> Result<(), CheckpointError>;
    /// Settles every open update as superseded (the run about to apply read a fresh
    /// listing; an update re-planned from it is the same idempotent write).
    fn supersede_open_updates(&mut self) -> Result<usize, CheckpointError>;
    /// Saves links and base values and forgets links, together. A contact linked
    /// again is no longer remembered as a deleted row.
    fn save_links(
        &mut self,
        upserts: &[(String, FieldValues)],
        removes: &[String],
    ) -> Result<(), CheckpointError>;
    /// Remembers contacts CINNOX no longer lists (once linked).
    fn remember_gone(&mut self, ids: &[String]) -> Result<(), CheckpointError>;
    /// Remembers contacts whose row was deleted from the list (and drops their links),
    /// so they are not appended again.
    fn remember_deleted_rows(&mut self, ids: &[String]) -> Result<(), CheckpointError>;
    /// Records the start of a run; answers its id.
    fn begin_run(&mut self, command: &str) -> Result<i64, CheckpointError>;
    /// Records how a run ended, with its per-record detail; prunes old runs.
    fn finish_run(&mut self, run_id: i64, end: &RunEnd<'_>) -> Result<(), CheckpointError>;
}
