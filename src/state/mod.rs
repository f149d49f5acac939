//! SQLite checkpoints, one file per sync job: the links (CINNOX contact id ↔ row),
//! the base (last agreed, normalised) value of every synced field, the rows deleted
//! from the list (remembered so they are not re-added), the journal of remote writes
//! and the history of runs with their per-record detail (pruned by `run_detail`). WAL, versioned migrations (`PRAGMA user_version`), one
//! transaction per batch. A run holds `RunLock` for its whole length. The store is
//! the engine's `Checkpoints` (`checkpoints`): the state depends on the engine, never
//! the reverse.

mod checkpoints;
pub mod clock;
pub mod journal;
mod known;
pub mod lock;
mod migrate;
pub mod run_detail;
pub mod runs;

pub use clock::{Clock, FixedClock, SystemClock};
pub use lock::{LockError, RunLock};
pub use runs::{JournalCounts, RunDetail, RunRecord};

use crate::engine::Snapshot;
use crate::model::FieldValues;
use rusqlite::{Connection, params};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Errors of the state layer.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error("state file {path}: {cause}")]
    Sql {
        path: String,
        cause: rusqlite::Error,
    },
    #[error(
        "state file {path} was written by a newer cinnox-sync (schema {found}, this one knows {known}); upgrade cinnox-sync"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("state file {path}: {message}")]
    Corrupt { path: String, message: String },
}

/// An open state file.
pub struct StateStore {
    conn: Connection,
    path: PathBuf,
    clock: Arc<dyn Clock>,
    _lock: Option<RunLock>,
}

/// Turns a SQLite error into a `StateError` naming the state file.
fn sql_error(path: &Path) -> impl Fn(rusqlite::Error) -> StateError + Copy + '_ {
    move |cause| StateError::Sql {
        path: path.display().to_string(),
        cause,
    }
}

impl StateStore {
    /// Opens (creating and migrating as needed) the state file for a run, holding the
    /// run lock until the store is dropped.
    pub fn open_for_run(path: &Path, clock: Arc<dyn Clock>) -> Result<StateStore, StateError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StateError::Corrupt {
                path: path.display().to_string(),
                message: format!("cannot create its folder: {e}"),
            })?;
        }
        let lock = RunLock::acquire(path)?;
        make_private(path)?;
        let mut s = Self::open_unlocked(path, clock)?;
        s._lock = Some(lock);
        Ok(s)
    }

    /// Opens the state file to read it (history), without the run lock: WAL lets a
    /// reader see the last committed state while a run writes.
    pub fn open_to_read(path: &Path, clock: Arc<dyn Clock>) -> Result<StateStore, StateError> {
        Self::open_unlocked(path, clock)
    }

    /// A state held in memory, for tests of the engine.
    pub fn in_memory(clock: Arc<dyn Clock>) -> Result<StateStore, StateError> {
        let path = Path::new(":memory:");
        let mut conn = Connection::open_in_memory().map_err(|cause| StateError::Sql {
            path: ":memory:".into(),
            cause,
        })?;
        migrate::migrate(&mut conn, path)?;
        Ok(StateStore {
            conn,
            path: path.to_path_buf(),
            clock,
            _lock: None,
        })
    }

    fn open_unlocked(path: &Path, clock: Arc<dyn Clock>) -> Result<StateStore, StateError> {
        let sql = sql_error(path);
        let conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
        // WAL + FULL: every commit is synced to disk before it returns, so a
        // journalled "sent" create survives a power cut as well as a killed process
        // (crash safety rests on it). NORMAL would survive only the kill.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        let mut s = StateStore {
            conn,
            path: path.to_path_buf(),
            clock,
            _lock: None,
        };
        migrate::migrate(&mut s.conn, path)?;
        Ok(s)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn sql_err(&self, cause: rusqlite::Error) -> StateError {
        sql_error(&self.path)(cause)
    }

    pub(crate) fn now(&self) -> String {
        clock::stamp(self.clock.now())
    }

    /// Everything the planner needs from the state: links with their base values, the
    /// rows remembered as deleted, and the creates not yet settled.
    pub fn snapshot(&self) -> Result<Snapshot, StateError> {
        let mut snap = Snapshot::default();
        let e = |x| self.sql_err(x);
        let mut stmt = self
            .conn
            .prepare("SELECT contact_id, base FROM links")
            .map_err(e)?;
        let mut rows = stmt.query([]).map_err(e)?;
        while let Some(r) = rows.next().map_err(e)? {
            let id: String = r.get(0).map_err(e)?;
            let base: String = r.get(1).map_err(e)?;
            let values = decode_values(&base).ok_or_else(|| StateError::Corrupt {
                path: self.path.display().to_string(),
                message: format!("unreadable base values of contact {id}"),
            })?;
            snap.links.insert(id, values);
        }
        let mut stmt = self
            .conn
            .prepare("SELECT contact_id FROM deleted_rows")
            .map_err(e)?;
        for id in stmt.query_map([], |r| r.get::<_, String>(0)).map_err(e)? {
            snap.deleted_rows.insert(id.map_err(e)?);
        }
        snap.pending_creates = self.pending_creates()?;
        Ok(snap)
    }

    /// Saves links and base values, and forgets links, in one transaction.
    pub fn save_links(
        &mut self,
        upserts: &[(String, FieldValues)],
        removes: &[String],
    ) -> Result<(), StateError> {
        let now = self.now();
        let sql = sql_error(&self.path);
        let tx = self.conn.transaction().map_err(sql)?;
        {
            let mut up = tx
                .prepare_cached(
                    "INSERT INTO links (contact_id, base, synced_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT(contact_id) DO UPDATE SET base = ?2, synced_at = ?3",
                )
                .map_err(sql)?;
            for (id, base) in upserts {
                up.execute(params![id, encode_values(base), now])
                    .map_err(sql)?;
            }
            let mut del = tx
                .prepare_cached("DELETE FROM links WHERE contact_id = ?1")
                .map_err(sql)?;
            let mut undeleted = tx
                .prepare_cached("DELETE FROM deleted_rows WHERE contact_id = ?1")
                .map_err(sql)?;
            for id in removes {
                del.execute(params![id]).map_err(sql)?;
            }
            // A contact linked again is no longer a remembered deletion.
            for (id, _) in upserts {
                undeleted.execute(params![id]).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// Remembers that the rows of these contacts were deleted from the list, so the
    /// contacts are not appended again.
    pub fn remember_deleted_rows(&mut self, ids: &[String]) -> Result<(), StateError> {
        let now = self.now();
        let sql = sql_error(&self.path);
        let tx = self.conn.transaction().map_err(sql)?;
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO deleted_rows (contact_id, deleted_at) VALUES (?1, ?2)",
                )
                .map_err(sql)?;
            let mut del = tx
                .prepare_cached("DELETE FROM links WHERE contact_id = ?1")
                .map_err(sql)?;
            for id in ids {
                ins.execute(params![id, now]).map_err(sql)?;
                del.execute(params![id]).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// How many links the state holds.
    pub fn link_count(&self) -> Result<usize, StateError> {
        self.conn
            .query_row("SELECT count(*) FROM links", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| self.sql_err(e))
    }
}

/// The state file holds contact data: it is created (and kept) readable by its
/// owner only, and SQLite gives its WAL and shared-memory files the same mode.
fn make_private(path: &Path) -> Result<(), StateError> {
    let fail = |e: std::io::Error| StateError::Corrupt {
        path: path.display().to_string(),
        message: format!("cannot make it private to its owner: {e}"),
    };
    drop(crate::private_files::open_rw(path).map_err(fail)?);
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        crate::private_files::restrict(Path::new(&side)).map_err(fail)?;
    }
    Ok(())
}

/// Base values are stored as a JSON object keyed by field key: readable with the
/// sqlite3 shell, and stable across versions that add fields.
fn encode_values(v: &FieldValues) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "{}".into())
}

fn decode_values(s: &str) -> Option<FieldValues> {
    serde_json::from_str(s).ok()
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "parity_tests.rs"]
mod parity_tests;
