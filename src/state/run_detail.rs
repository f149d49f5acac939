//! The per-record detail of runs: stored with the run when it finishes, read back
//! for `history --run N`, and pruned by one documented rule (see `prune`). A run
//! that never finished has no detail of its own: its journal entries (what it sent,
//! and what became of each) stand in for it.

use crate::engine::detail::{Entry, EntryKind};
use rusqlite::{Connection, Transaction, params};

/// The history keeps the newest this many runs.
pub const KEEP_RUNS: i64 = 1000;
/// Per-record detail is kept for the newest this many runs that have any...
pub const KEEP_DETAIL_RUNS: i64 = 100;
/// ...and, beyond the newest run's own, only while the detail kept stays within
/// this many entries (about 200 bytes each).
pub const KEEP_DETAIL_ENTRIES: i64 = 200_000;

pub(super) fn insert(tx: &Transaction<'_>, run_id: i64, detail: &[Entry]) -> rusqlite::Result<()> {
    let mut ins = tx.prepare_cached(
        "INSERT OR REPLACE INTO run_detail (run_id, n, kind, line, contact_id, message)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (n, e) in detail.iter().enumerate() {
        ins.execute(params![
            run_id,
            n as i64,
            e.kind.as_str(),
            e.line.map(|l| l as i64),
            e.contact_id,
            e.message
        ])?;
    }
    Ok(())
}

pub(super) fn read(conn: &Connection, run_id: i64) -> rusqlite::Result<Vec<Entry>> {
    let mut stmt = conn.prepare(
        "SELECT kind, line, contact_id, message FROM run_detail WHERE run_id = ?1 ORDER BY n",
    )?;
    let rows = stmt.query_map(params![run_id], |r| {
        let kind: String = r.get(0)?;
        Ok(Entry {
            kind: EntryKind::parse(&kind).unwrap_or(EntryKind::Note),
            line: r.get::<_, Option<i64>>(1)?.map(|l| l as usize),
            contact_id: r.get(2)?,
            message: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// The rule: the newest `KEEP_RUNS` runs stay in the history (older ones go, with
/// their detail); the per-record detail stays for the newest `KEEP_DETAIL_RUNS`
/// runs that have any, and for older ones only while all the detail kept holds at
/// most `KEEP_DETAIL_ENTRIES` entries (the newest run's detail is always kept
/// whole). A run whose detail went keeps its summary and says so. Counts are kept
/// per run, so this reads the runs table only.
pub(super) fn prune(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM runs WHERE id < (SELECT min(id) FROM
           (SELECT id FROM runs ORDER BY id DESC LIMIT ?1))",
        params![KEEP_RUNS],
    )?;
    let gone: Vec<i64> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id FROM (
               SELECT id, ROW_NUMBER() OVER (ORDER BY id DESC) AS k,
                      SUM(detail_count) OVER (ORDER BY id DESC) AS kept
               FROM runs WHERE detail_count > 0 AND detail_pruned = 0)
             WHERE k > 1 AND (k > ?1 OR kept > ?2)",
        )?;
        stmt.query_map(params![KEEP_DETAIL_RUNS, KEEP_DETAIL_ENTRIES], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for id in gone {
        tx.execute("DELETE FROM run_detail WHERE run_id = ?1", params![id])?;
        tx.execute(
            "UPDATE runs SET detail_pruned = 1 WHERE id = ?1",
            params![id],
        )?;
    }
    // Detail of runs no longer in the history.
    tx.execute(
        "DELETE FROM run_detail WHERE run_id < (SELECT coalesce(min(id), 0) FROM runs)",
        [],
    )?;
    Ok(())
}

/// The writes a run's journal entries record.
pub(super) fn journal_counts(
    conn: &Connection,
    run_id: i64,
) -> rusqlite::Result<super::runs::JournalCounts> {
    let mut c = super::runs::JournalCounts::default();
    let mut stmt = conn.prepare_cached(
        "SELECT kind, state, count(*) FROM journal WHERE run_id = ?1 GROUP BY kind, state",
    )?;
    let rows = stmt.query_map(params![run_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)? as usize,
        ))
    })?;
    for row in rows {
        let (kind, state, n) = row?;
        let answered = matches!(state.as_str(), "created" | "done" | "found");
        match kind.as_str() {
            "create" => {
                c.creates += n;
                c.created += if answered { n } else { 0 };
            }
            _ => {
                c.updates += n;
                c.updated += if state == "done" { n } else { 0 };
            }
        }
    }
    Ok(c)
}

/// What a run that never finished sent, from its journal entries.
pub(super) fn from_journal(conn: &Connection, run_id: i64) -> rusqlite::Result<Vec<Entry>> {
    let mut stmt = conn.prepare(
        "SELECT kind, state, contact_id, row_line, result_id, message FROM journal
         WHERE run_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map(params![run_id], |r| {
        let kind: String = r.get(0)?;
        let state: String = r.get(1)?;
        let contact: Option<String> = r.get(2)?;
        let line = r.get::<_, Option<i64>>(3)?.map(|l| l as usize);
        let result: Option<String> = r.get(4)?;
        let message: Option<String> = r.get(5)?;
        let (kind, text) = journal_entry(&kind, &state, message.as_deref());
        Ok(Entry {
            kind,
            line,
            contact_id: result.or(contact),
            message: text,
        })
    })?;
    rows.collect()
}

/// A journal entry in the words of the detail.
fn journal_entry(kind: &str, state: &str, message: Option<&str>) -> (EntryKind, String) {
    let write = if kind == "create" { "create" } else { "update" };
    let why = message.map(|m| format!(": {m}")).unwrap_or_default();
    match state {
        "done" | "created" | "found" if kind == "create" => (
            EntryKind::Created,
            format!("create sent and answered (journal: {state})"),
        ),
        "done" => (EntryKind::Updated, "update sent and answered".into()),
        "rejected" | "failed" => (EntryKind::Rejected, format!("{write} {state}{why}")),
        "superseded" => (
            EntryKind::Note,
            "update sent, no answer seen; a later run re-planned it".into(),
        ),
        "not_found" => (
            EntryKind::Note,
            "create sent, no answer seen; a later run found it was never made".into(),
        ),
        _ => (
            EntryKind::Unanswered,
            format!("{write} sent, no answer seen (journal: {state}); the next run looks for it"),
        ),
    }
}
