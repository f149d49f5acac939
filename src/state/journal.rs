//! The journal of remote writes: each create or update is written here (committed)
//! before it is sent, and settled after. An entry left open by a crash or by an
//! answer that never came is what lets the next run look for a create in the fresh
//! listing instead of creating the contact a second time.

use super::{StateError, StateStore};
use crate::engine::{JournalState, PendingCreate, WriteKind};
use crate::model::{FieldValues, values_hash};
use rusqlite::params;

const OPEN: &str = "('sent', 'unknown', 'created')";

impl StateStore {
    /// Journals a write about to be sent (committed before this returns).
    pub fn journal_send(
        &mut self,
        run_id: i64,
        kind: WriteKind,
        contact_id: Option<&str>,
        row_line: Option<usize>,
        values: &FieldValues,
    ) -> Result<i64, StateError> {
        let body = serde_json::to_string(values).unwrap_or_else(|_| "{}".into());
        let kind = kind.as_str();
        self.conn
            .execute(
                "INSERT INTO journal (run_id, kind, contact_id, row_line, body_hash, body, state, sent_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'sent', ?7)",
                params![
                    run_id,
                    kind,
                    contact_id,
                    row_line.map(|l| l as i64),
                    format!("{:016x}", values_hash(values)),
                    body,
                    self.now()
                ],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Records what became of a journalled write.
    pub fn journal_settle(
        &mut self,
        seq: i64,
        state: JournalState,
        result_id: Option<&str>,
        message: Option<&str>,
    ) -> Result<(), StateError> {
        self.conn
            .execute(
                "UPDATE journal SET state = ?2, result_id = coalesce(?3, result_id),
                 message = ?4, settled_at = ?5 WHERE seq = ?1",
                params![seq, state.as_str(), result_id, message, self.now()],
            )
            .map_err(|e| self.sql_err(e))?;
        Ok(())
    }

    /// Creates not yet settled: sent without an answer, or answered but whose id was
    /// not written back.
    pub fn pending_creates(&self) -> Result<Vec<PendingCreate>, StateError> {
        let e = |x| self.sql_err(x);
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT seq, body, result_id FROM journal WHERE kind = 'create' AND state IN {OPEN} ORDER BY seq"
            ))
            .map_err(e)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })
            .map_err(e)?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, body, contact_id) = row.map_err(e)?;
            out.push(PendingCreate {
                seq,
                values: serde_json::from_str(&body).unwrap_or_default(),
                contact_id,
            });
        }
        Ok(out)
    }

    /// Settles every open update as superseded: the run about to plan reads a fresh
    /// listing, and an update re-planned from it is the same idempotent write.
    pub fn supersede_open_updates(&mut self) -> Result<usize, StateError> {
        let now = self.now();
        self.conn
            .execute(
                &format!(
                    "UPDATE journal SET state = 'superseded', settled_at = ?1 WHERE kind = 'update' AND state IN {OPEN}"
                ),
                params![now],
            )
            .map_err(|e| self.sql_err(e))
    }
}
