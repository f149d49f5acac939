//! Contact ids this state knows beyond its current links: contacts that were linked
//! and then vanished from CINNOX (deleted, or merged away), and contacts a create
//! of this job made (the journal). A row holding such an id stands for a contact
//! gone from CINNOX; a row holding an id the state never knew holds a mistake.

use super::{StateError, StateStore};
use rusqlite::params;
use std::collections::HashSet;

impl StateStore {
    /// Remembers that CINNOX no longer lists these (once linked) contacts.
    pub fn remember_gone(&mut self, ids: &[String]) -> Result<(), StateError> {
        if ids.is_empty() {
            return Ok(());
        }
        let now = self.now();
        let sql = super::sql_error(&self.path);
        let tx = self.conn.transaction().map_err(sql)?;
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO gone_contacts (contact_id, gone_at) VALUES (?1, ?2)",
                )
                .map_err(sql)?;
            for id in ids {
                ins.execute(params![id, now]).map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// Which of `ids` are remembered as gone from CINNOX.
    pub fn remembered_gone(&self, ids: &[String]) -> Result<HashSet<String>, StateError> {
        let e = |x| self.sql_err(x);
        let mut gone = self
            .conn
            .prepare_cached("SELECT 1 FROM gone_contacts WHERE contact_id = ?1")
            .map_err(e)?;
        let mut out = HashSet::new();
        for id in ids {
            if gone.exists(params![id]).map_err(e)? {
                out.insert(id.clone());
            }
        }
        Ok(out)
    }

    /// Which of `ids` this state knows: remembered as gone from CINNOX, or made by a
    /// create of this job. (Links are in the snapshot already.)
    pub fn known_ids(&self, ids: &[String]) -> Result<HashSet<String>, StateError> {
        let mut out = HashSet::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let e = |x| self.sql_err(x);
        let mut gone = self
            .conn
            .prepare_cached("SELECT 1 FROM gone_contacts WHERE contact_id = ?1")
            .map_err(e)?;
        let mut rest = Vec::new();
        for id in ids {
            if gone.exists(params![id]).map_err(e)? {
                out.insert(id.clone());
            } else {
                rest.push(id);
            }
        }
        if rest.is_empty() {
            return Ok(out);
        }
        // One pass over the journal's creates (it has no index by result id).
        let mut stmt = self
            .conn
            .prepare(
                "SELECT DISTINCT result_id FROM journal WHERE kind = 'create' AND result_id IS NOT NULL",
            )
            .map_err(e)?;
        let created: HashSet<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(e)?
            .collect::<Result<_, _>>()
            .map_err(e)?;
        out.extend(rest.into_iter().filter(|id| created.contains(*id)).cloned());
        Ok(out)
    }

    /// The ids of every linked contact.
    pub fn linked_ids(&self) -> Result<HashSet<String>, StateError> {
        let e = |x| self.sql_err(x);
        let mut stmt = self
            .conn
            .prepare("SELECT contact_id FROM links")
            .map_err(e)?;
        stmt.query_map([], |r| r.get::<_, String>(0))
            .map_err(e)?
            .collect::<Result<_, _>>()
            .map_err(e)
    }
}
