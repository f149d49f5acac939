//! Run history: every sync, apply and import run is recorded with its counts, its
//! outcome and its per-record detail (`run_detail`), for `cinnox-sync history`. A
//! run killed midway keeps no finish time and is shown as interrupted, with the
//! writes its journal entries say it sent. Old runs are pruned when a run finishes
//! (`run_detail::prune`: the rule is there).

use super::{StateError, StateStore};
use crate::engine::detail::Entry;
use chrono::DateTime;
use rusqlite::params;
use serde::Serialize;

/// One run as recorded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunRecord {
    pub id: i64,
    pub command: String,
    pub pid: u32,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// Whole seconds from start to finish, once finished.
    pub duration_seconds: Option<i64>,
    /// `applied`, `finished_with_problems`, `failed`, `refused`, `planned`, or
    /// `interrupted`: stopped by a signal, or never finished (killed).
    pub outcome: String,
    pub exit_code: Option<i32>,
    /// Why a run failed, was refused or stopped, in one line; why a run never
    /// finished.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The run's JSON summary (counts, calls), when it finished.
    pub summary: Option<serde_json::Value>,
    /// For a run that never finished: the writes its journal says it sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub journal: Option<JournalCounts>,
    /// How many per-record entries the run kept, and whether they were pruned.
    pub detail_entries: usize,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub detail_pruned: bool,
}

/// The writes a run's journal entries record (for a run that never finished).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct JournalCounts {
    /// Creates sent, and of those, answered with an id.
    pub creates: usize,
    pub created: usize,
    pub updates: usize,
    pub updated: usize,
}

/// A run with its per-record detail, for `history --run N`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunDetail {
    #[serde(flatten)]
    pub run: RunRecord,
    /// What the run did to each record; for a run that never finished, what its
    /// journal says it sent.
    pub detail: Vec<Entry>,
}

impl StateStore {
    /// Records the start of a run; returns its id.
    pub fn begin_run(&mut self, command: &str) -> Result<i64, StateError> {
        self.conn
            .execute(
                "INSERT INTO runs (command, pid, started_at) VALUES (?1, ?2, ?3)",
                params![command, std::process::id(), self.now()],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Records how a run ended, with what it did to each record, in one
    /// transaction; then prunes old runs.
    pub fn finish_run(
        &mut self,
        id: i64,
        outcome: &str,
        exit_code: i32,
        summary: &serde_json::Value,
        detail: &[Entry],
    ) -> Result<(), StateError> {
        let now = self.now();
        let sql = super::sql_error(&self.path);
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "UPDATE runs SET finished_at = ?2, outcome = ?3, exit_code = ?4, summary = ?5,
             detail_count = ?6 WHERE id = ?1",
            params![
                id,
                now,
                outcome,
                exit_code,
                summary.to_string(),
                detail.len() as i64
            ],
        )
        .map_err(sql)?;
        super::run_detail::insert(&tx, id, detail).map_err(sql)?;
        super::run_detail::prune(&tx).map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// The most recent runs, newest first.
    pub fn recent_runs(&self, limit: usize) -> Result<Vec<RunRecord>, StateError> {
        self.runs_where("1 ORDER BY id DESC LIMIT ?1", limit as i64)
    }

    /// Run `id` with its per-record detail, if the history holds it.
    pub fn run_detail(&self, id: i64) -> Result<Option<RunDetail>, StateError> {
        let Some(run) = self.runs_where("id = ?1", id)?.pop() else {
            return Ok(None);
        };
        let e = |x| self.sql_err(x);
        let detail = if run.finished_at.is_some() {
            super::run_detail::read(&self.conn, id).map_err(e)?
        } else {
            super::run_detail::from_journal(&self.conn, id).map_err(e)?
        };
        Ok(Some(RunDetail { run, detail }))
    }

    fn runs_where(&self, clause: &str, arg: i64) -> Result<Vec<RunRecord>, StateError> {
        let e = |x| self.sql_err(x);
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT id, command, pid, started_at, finished_at, outcome, exit_code, summary,
                 detail_count, detail_pruned FROM runs WHERE {clause}"
            ))
            .map_err(e)?;
        let rows = stmt
            .query_map(params![arg], |r| {
                let summary: Option<String> = r.get(7)?;
                let summary: Option<serde_json::Value> =
                    summary.and_then(|s| serde_json::from_str(&s).ok());
                let started_at: String = r.get(3)?;
                let finished_at: Option<String> = r.get(4)?;
                let outcome: Option<String> = r.get(5)?;
                Ok(RunRecord {
                    id: r.get(0)?,
                    command: r.get(1)?,
                    pid: r.get(2)?,
                    duration_seconds: finished_at.as_deref().and_then(|f| seconds(&started_at, f)),
                    reason: reason(finished_at.is_some(), summary.as_ref()),
                    started_at,
                    finished_at,
                    outcome: outcome.unwrap_or_else(|| "interrupted".into()),
                    exit_code: r.get(6)?,
                    summary,
                    journal: None,
                    detail_entries: r.get::<_, i64>(8)? as usize,
                    detail_pruned: r.get::<_, i64>(9)? != 0,
                })
            })
            .map_err(e)?;
        let mut runs: Vec<RunRecord> = rows.collect::<Result<_, _>>().map_err(e)?;
        for run in runs.iter_mut().filter(|r| r.finished_at.is_none()) {
            run.journal = Some(super::run_detail::journal_counts(&self.conn, run.id).map_err(e)?);
        }
        Ok(runs)
    }
}

fn seconds(from: &str, to: &str) -> Option<i64> {
    let a = DateTime::parse_from_rfc3339(from).ok()?;
    let b = DateTime::parse_from_rfc3339(to).ok()?;
    Some((b - a).num_seconds().max(0))
}

/// Why a run ended as it did, from its summary: the error, the guard, the stop.
fn reason(finished: bool, summary: Option<&serde_json::Value>) -> Option<String> {
    if !finished {
        return Some(
            "never finished (killed, or the machine stopped); its journal makes the next run safe"
                .into(),
        );
    }
    let s = summary?;
    let text = |v: &serde_json::Value| v.as_str().map(String::from);
    s.get("error")
        .and_then(text)
        .or_else(|| s.get("guard").and_then(|g| g.get("message")).and_then(text))
        .or_else(|| {
            s.get("interrupted")
                .and_then(|i| i.get("message"))
                .and_then(text)
        })
}
