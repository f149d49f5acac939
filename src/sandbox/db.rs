//! The sandbox's SQLite file (`--db`): contacts in creation order, staff,
//! event subscriptions and a few settings (the App ID and token, the default
//! owner) so that a restart keeps everything. Rows hold the read-model JSON of each
//! record; every change is committed before the API answers.

use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The message names SQLite's error, which is therefore not also its source.
    #[error("sandbox database: {0}")]
    Sqlite(rusqlite::Error),
    #[error("sandbox database {path}: {reason}")]
    Unusable { path: String, reason: String },
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sqlite(e)
    }
}

const SCHEMA_VERSION: i64 = 1;

pub struct Db {
    conn: Connection,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Db")
    }
}

/// A subscription row: kind path, enabled, url, updatedAt.
pub type SubscriptionRow = (String, bool, String, String);

impl Db {
    pub fn open(path: &Path) -> Result<Db, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // NORMAL in WAL mode survives a process crash; only a power cut can lose the
        // last transactions, which a sandbox can afford.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::Unusable {
                path: path.display().to_string(),
                reason: format!(
                    "it was written by a newer cinnox-sync (schema {version}, this one knows {SCHEMA_VERSION})"
                ),
            });
        }
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS contacts(seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 id TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS staff(seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 id TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS subscriptions(kind TEXT PRIMARY KEY,
                 enabled INTEGER NOT NULL, url TEXT NOT NULL, updated_at TEXT NOT NULL);",
        )?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(Db { conn })
    }

    fn bodies(&self, table: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT body FROM {table} ORDER BY seq"))?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Contact bodies, in creation order.
    pub fn contacts(&self) -> Result<Vec<String>, StoreError> {
        self.bodies("contacts")
    }

    /// Staff bodies, in creation order.
    pub fn staff(&self) -> Result<Vec<String>, StoreError> {
        self.bodies("staff")
    }

    /// Inserts or replaces contacts (a replaced contact keeps its place) and removes
    /// others, in one transaction.
    pub fn write_contacts(
        &mut self,
        upserts: &[(&str, &str)],
        deletes: &[&str],
    ) -> Result<(), StoreError> {
        self.write("contacts", upserts, deletes)
    }

    /// Inserts or replaces staff records.
    pub fn write_staff(&mut self, upserts: &[(&str, &str)]) -> Result<(), StoreError> {
        self.write("staff", upserts, &[])
    }

    fn write(
        &mut self,
        table: &str,
        upserts: &[(&str, &str)],
        deletes: &[&str],
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut up = tx.prepare(&format!(
                "INSERT INTO {table}(id, body) VALUES (?1, ?2)
                 ON CONFLICT(id) DO UPDATE SET body = excluded.body"
            ))?;
            for (id, body) in upserts {
                up.execute(params![id, body])?;
            }
            let mut del = tx.prepare(&format!("DELETE FROM {table} WHERE id = ?1"))?;
            for id in deletes {
                del.execute(params![id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn subscriptions(&self) -> Result<Vec<SubscriptionRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT kind, enabled, url, updated_at FROM subscriptions")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn save_subscription(&self, row: &SubscriptionRow) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO subscriptions(kind, enabled, url, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(kind) DO UPDATE SET enabled = excluded.enabled, url = excluded.url,
                 updated_at = excluded.updated_at",
            params![row.0, row.1, row.2, row.3],
        )?;
        Ok(())
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}
