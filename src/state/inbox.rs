//! `serve`'s webhook inbox in the job's state file: every accepted delivery is a
//! row (a hint that something changed in CINNOX, never data), undone until a sync
//! that started reading CINNOX after it arrived covers it; and the settings kept
//! with the job, such as the random secret in its webhook path. The service writes
//! here through its own connection (WAL: a sync's connection works alongside); a
//! batch of deliveries is one transaction (group commit).

use super::{StateError, StateStore};
use rusqlite::{OptionalExtension, params};

/// One accepted delivery, as the inbox keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxEntry {
    /// Given by the receiver in arrival order; unique in the file.
    pub seq: i64,
    pub received_at: String,
    /// The event's status as sent (`edit`, `merge`, an unknown one...).
    pub status: String,
    /// The contact it names (empty when the form names none).
    pub contact_id: String,
    /// What the delivery said, as compact JSON (the parsed event, not the body).
    pub event: String,
}

/// The inbox at a glance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct InboxCounts {
    pub undone: u64,
    pub done: u64,
    /// The highest sequence number given so far (0 for an empty inbox).
    pub last_seq: i64,
}

const SECRET_KEY: &str = "webhook_secret";

impl StateStore {
    /// The job's webhook secret, made (32 random hex digits) and kept on first use.
    pub fn webhook_secret(&mut self) -> Result<String, StateError> {
        let sql = super::sql_error(&self.path);
        let tx = self.conn.transaction().map_err(sql)?;
        let found: Option<String> = tx
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [SECRET_KEY],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql)?;
        let secret = match found {
            Some(s) => s,
            None => {
                let s = format!("{:032x}", rand::random::<u128>());
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                    params![SECRET_KEY, s],
                )
                .map_err(sql)?;
                s
            }
        };
        tx.commit().map_err(sql)?;
        Ok(secret)
    }

    /// Stores deliveries in one transaction; those at or below `covered` (a sync
    /// already started reading after they arrived) are stored done with `stamp`.
    pub fn inbox_append(
        &mut self,
        entries: &[InboxEntry],
        covered: Option<(i64, &str)>,
    ) -> Result<(), StateError> {
        let sql = super::sql_error(&self.path);
        let tx = self.conn.transaction().map_err(sql)?;
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO inbox (seq, received_at, status, contact_id, event, done_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(sql)?;
            for e in entries {
                let done = covered.filter(|(up_to, _)| e.seq <= *up_to).map(|c| c.1);
                ins.execute(params![
                    e.seq,
                    e.received_at,
                    e.status,
                    e.contact_id,
                    e.event,
                    done
                ])
                .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// Marks done, with `stamp`, every undone delivery up to `up_to`: a sync started
    /// reading CINNOX after they arrived. Answers how many.
    pub fn inbox_mark_done(&mut self, up_to: i64, stamp: &str) -> Result<usize, StateError> {
        self.conn
            .execute(
                "UPDATE inbox SET done_at = ?2 WHERE done_at IS NULL AND seq <= ?1",
                params![up_to, stamp],
            )
            .map_err(|e| self.sql_err(e))
    }

    /// The sync that covered the deliveries marked `stamp` did not finish: they are
    /// undone again, so a later sync covers them (after a restart too).
    pub fn inbox_reopen(&mut self, stamp: &str) -> Result<usize, StateError> {
        self.conn
            .execute(
                "UPDATE inbox SET done_at = NULL, run_id = NULL WHERE done_at = ?1",
                params![stamp],
            )
            .map_err(|e| self.sql_err(e))
    }

    /// Notes which run covered the deliveries marked `stamp`.
    pub fn inbox_settle(&mut self, stamp: &str, run_id: i64) -> Result<(), StateError> {
        self.conn
            .execute(
                "UPDATE inbox SET run_id = ?2 WHERE done_at = ?1",
                params![stamp, run_id],
            )
            .map(|_| ())
            .map_err(|e| self.sql_err(e))
    }

    /// Forgets done deliveries but the newest `keep` (the file must not grow for
    /// ever; undone ones are never forgotten).
    pub fn inbox_prune(&mut self, keep: u64) -> Result<usize, StateError> {
        self.conn
            .execute(
                "DELETE FROM inbox WHERE done_at IS NOT NULL AND seq < (
                    SELECT coalesce(min(seq), 0) FROM (
                        SELECT seq FROM inbox WHERE done_at IS NOT NULL ORDER BY seq DESC LIMIT ?1))",
                params![keep as i64],
            )
            .map_err(|e| self.sql_err(e))
    }

    pub fn inbox_counts(&self) -> Result<InboxCounts, StateError> {
        self.conn
            .query_row(
                "SELECT count(*) FILTER (WHERE done_at IS NULL),
                        count(*) FILTER (WHERE done_at IS NOT NULL),
                        coalesce(max(seq), 0)
                 FROM inbox",
                [],
                |r| {
                    Ok(InboxCounts {
                        undone: r.get::<_, i64>(0)? as u64,
                        done: r.get::<_, i64>(1)? as u64,
                        last_seq: r.get(2)?,
                    })
                },
            )
            .map_err(|e| self.sql_err(e))
    }

    /// The undone deliveries, oldest first (at most `limit`).
    pub fn inbox_undone(&self, limit: usize) -> Result<Vec<InboxEntry>, StateError> {
        let e = |x| self.sql_err(x);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, received_at, status, contact_id, event FROM inbox
                 WHERE done_at IS NULL ORDER BY seq LIMIT ?1",
            )
            .map_err(e)?;
        let rows = stmt
            .query_map(params![limit as i64], |r| {
                Ok(InboxEntry {
                    seq: r.get(0)?,
                    received_at: r.get(1)?,
                    status: r.get(2)?,
                    contact_id: r.get(3)?,
                    event: r.get(4)?,
                })
            })
            .map_err(e)?;
        rows.collect::<Result<_, _>>().map_err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::SystemClock;
    use std::sync::Arc;

    fn entry(seq: i64) -> InboxEntry {
        InboxEntry {
            seq,
            received_at: "2026-01-01T00:00:00Z".into(),
            status: "edit".into(),
            contact_id: format!("c{seq}"),
            event: "{}".into(),
        }
    }

    #[test]
    fn deliveries_stay_undone_until_covered_and_reopen_when_the_sync_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut s = StateStore::open_to_read(&path, Arc::new(SystemClock)).unwrap();
        let secret = s.webhook_secret().unwrap();
        assert_eq!(secret.len(), 32);
        assert_eq!(s.webhook_secret().unwrap(), secret, "kept, not remade");

        s.inbox_append(&[entry(1), entry(2), entry(3)], None)
            .unwrap();
        assert_eq!(s.inbox_mark_done(2, "run-a").unwrap(), 2);
        // A late arrival at or below what the sync covers is stored done.
        s.inbox_append(&[entry(4), entry(5)], Some((4, "run-a")))
            .unwrap();
        let c = s.inbox_counts().unwrap();
        assert_eq!((c.undone, c.done, c.last_seq), (2, 3, 5));
        assert_eq!(s.inbox_reopen("run-a").unwrap(), 3);
        assert_eq!(s.inbox_counts().unwrap().undone, 5);
        s.inbox_mark_done(5, "run-b").unwrap();
        s.inbox_settle("run-b", 7).unwrap();
        assert!(s.inbox_undone(10).unwrap().is_empty());

        // Reopened by a new connection: nothing lost, secret kept.
        drop(s);
        let mut s = StateStore::open_to_read(&path, Arc::new(SystemClock)).unwrap();
        assert_eq!(s.webhook_secret().unwrap(), secret);
        s.inbox_append(&[entry(6)], None).unwrap();
        assert_eq!(
            s.inbox_prune(2).unwrap(),
            3,
            "only the newest 2 done are kept"
        );
        let c = s.inbox_counts().unwrap();
        assert_eq!((c.undone, c.done, c.last_seq), (1, 2, 6));
        assert_eq!(s.inbox_undone(10).unwrap(), vec![entry(6)]);
    }
}
