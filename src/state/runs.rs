//! Run history: every plan, sync, apply and import run is recorded with its counts
//! and outcome, for `cinnox-sync history`. A run killed midway keeps no finish time
//! and is shown as interrupted.

use super::{StateError, StateStore};
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
    /// `applied`, `finished_with_problems`, `failed`, `refused`, `dry_run`, or
    /// `interrupted` for a run that never finished.
    pub outcome: String,
    pub exit_code: Option<i32>,
    /// The run's JSON summary (counts, calls), when it finished.
    pub summary: Option<serde_json::Value>,
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

    /// Records how a run ended.
    pub fn finish_run(
        &mut self,
        id: i64,
        outcome: &str,
        exit_code: i32,
        summary: &serde_json::Value,
    ) -> Result<(), StateError> {
        self.conn
            .execute(
                "UPDATE runs SET finished_at = ?2, outcome = ?3, exit_code = ?4, summary = ?5 WHERE id = ?1",
                params![id, self.now(), outcome, exit_code, summary.to_string()],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(())
    }

    /// The most recent runs, newest first.
    pub fn recent_runs(&self, limit: usize) -> Result<Vec<RunRecord>, StateError> {
        let e = |x| self.sql_err(x);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, command, pid, started_at, finished_at, outcome, exit_code, summary
                 FROM runs ORDER BY id DESC LIMIT ?1",
            )
            .map_err(e)?;
        let rows = stmt
            .query_map(params![limit as i64], |r| {
                let summary: Option<String> = r.get(7)?;
                Ok(RunRecord {
                    id: r.get(0)?,
                    command: r.get(1)?,
                    pid: r.get(2)?,
                    started_at: r.get(3)?,
                    finished_at: r.get(4)?,
                    outcome: r
                        .get::<_, Option<String>>(5)?
                        .unwrap_or_else(|| "interrupted".into()),
                    exit_code: r.get(6)?,
                    summary: summary.and_then(|s| serde_json::from_str(&s).ok()),
                })
            })
            .map_err(e)?;
        rows.collect::<Result<_, _>>().map_err(e)
    }
}
