//! Schema migrations, numbered by `PRAGMA user_version`. Each step runs in its own
//! transaction; a file from a newer version is refused rather than guessed at.

use super::StateError;
use rusqlite::Connection;
use std::path::Path;

/// The schema steps, in order; step `i` brings the file from version `i` to `i + 1`.
const STEPS: &[&str] = &[
    // 1: links with base values, remembered row deletions, the journal, run history.
    "CREATE TABLE links (
        contact_id TEXT PRIMARY KEY,
        base TEXT NOT NULL,
        synced_at TEXT NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE deleted_rows (
        contact_id TEXT PRIMARY KEY,
        deleted_at TEXT NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE journal (
        seq INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL,
        kind TEXT NOT NULL,
        contact_id TEXT,
        row_line INTEGER,
        body_hash TEXT NOT NULL,
        body TEXT NOT NULL,
        state TEXT NOT NULL,
        result_id TEXT,
        message TEXT,
        sent_at TEXT NOT NULL,
        settled_at TEXT
     );
     CREATE INDEX journal_open ON journal (state) WHERE state IN ('sent', 'unknown', 'created');
     CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT,
        exit_code INTEGER,
        summary TEXT
     );",
    // 2: contacts CINNOX stopped listing while linked here (deleted or merged away),
    // so a row still holding such an id is told apart from a mistyped id.
    "CREATE TABLE gone_contacts (
        contact_id TEXT PRIMARY KEY,
        gone_at TEXT NOT NULL
     ) WITHOUT ROWID;",
    // 3: each run's per-record detail (what it did to every record), its size kept
    // with the run so old detail is pruned without reading it.
    "CREATE TABLE run_detail (
        run_id INTEGER NOT NULL,
        n INTEGER NOT NULL,
        kind TEXT NOT NULL,
        line INTEGER,
        contact_id TEXT,
        message TEXT NOT NULL,
        PRIMARY KEY (run_id, n)
     ) WITHOUT ROWID;
     ALTER TABLE runs ADD COLUMN detail_count INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE runs ADD COLUMN detail_pruned INTEGER NOT NULL DEFAULT 0;",
];

pub fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StateError> {
    let sql = super::sql_error(path);
    let known = STEPS.len() as i64;
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(sql)?;
    if found > known {
        return Err(StateError::TooNew {
            path: path.display().to_string(),
            found,
            known,
        });
    }
    for (i, step) in STEPS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction().map_err(sql)?;
        tx.execute_batch(step).map_err(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
    }
    Ok(())
}
