//! `MemoryCheckpoints`: the state file in memory, for the engine's tests, with the
//! same semantics as the SQLite store (a test in `state` holds both to it). It can be
//! cloned at any moment, and can keep a copy of itself as it was right after the
//! k-th journalled send: the state a crash between sending a write and settling it
//! leaves behind, to run the next sync from.

use super::checkpoints::{CheckpointError, Checkpoints, JournalState, RunEnd, WriteKind};
use crate::engine::detail::Entry;
use crate::engine::sync::input::{PendingCreate, Snapshot};
use crate::model::FieldValues;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One journalled write.
#[derive(Clone, Debug, PartialEq)]
pub struct JournalEntry {
    pub seq: i64,
    pub run_id: i64,
    pub kind: WriteKind,
    pub contact_id: Option<String>,
    pub row_line: Option<usize>,
    pub values: FieldValues,
    pub state: JournalState,
    pub result_id: Option<String>,
    pub message: Option<String>,
}

/// One run as recorded: its command and, once finished, its outcome, exit code and
/// per-record detail.
#[derive(Clone, Debug, PartialEq)]
pub struct RunEntry {
    pub command: String,
    pub outcome: Option<String>,
    pub exit_code: Option<i32>,
    pub detail: Vec<Entry>,
}

#[derive(Clone, Debug, Default)]
pub struct MemoryCheckpoints {
    pub links: HashMap<String, FieldValues>,
    pub deleted_rows: HashSet<String>,
    pub gone: HashSet<String>,
    pub journal: BTreeMap<i64, JournalEntry>,
    pub runs: Vec<RunEntry>,
    /// Keep a copy of the store as it is right after this many journalled sends
    /// (1-based); found in `crashed` afterwards.
    pub crash_after_sends: Option<usize>,
    /// The copy `crash_after_sends` asked for: what a crash right after that send,
    /// before its answer was settled, leaves behind.
    pub crashed: Option<Box<MemoryCheckpoints>>,
    sends: usize,
}

impl MemoryCheckpoints {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps a copy of the store as it is right after the `k`-th journalled send
    /// from now on (1-based), in `crashed`.
    pub fn crash_after(&mut self, k: usize) {
        self.crashed = None;
        self.crash_after_sends = Some(self.sends + k);
    }

    /// The journal's open creates, in order.
    pub fn open_creates(&self) -> impl Iterator<Item = &JournalEntry> {
        self.journal
            .values()
            .filter(|j| j.kind == WriteKind::Create && j.state.is_open())
    }
}

impl Checkpoints for MemoryCheckpoints {
    fn snapshot(&self) -> Result<Snapshot, CheckpointError> {
        Ok(Snapshot {
            links: self.links.clone(),
            deleted_rows: self.deleted_rows.clone(),
            pending_creates: self
                .open_creates()
                .map(|j| PendingCreate {
                    seq: j.seq,
                    values: j.values.clone(),
                    contact_id: j.result_id.clone(),
                })
                .collect(),
            gone: HashSet::new(),
            marked: HashSet::new(),
        })
    }

    fn known_ids(&self, ids: &[String]) -> Result<HashSet<String>, CheckpointError> {
        let created: HashSet<&str> = self
            .journal
            .values()
            .filter(|j| j.kind == WriteKind::Create)
            .filter_map(|j| j.result_id.as_deref())
            .collect();
        Ok(ids
            .iter()
            .filter(|id| self.gone.contains(*id) || created.contains(id.as_str()))
            .cloned()
            .collect())
    }

    fn remembered_gone(&self, ids: &[String]) -> Result<HashSet<String>, CheckpointError> {
        Ok(ids
            .iter()
            .filter(|id| self.gone.contains(*id))
            .cloned()
            .collect())
    }

    fn journal_send(
        &mut self,
        run_id: i64,
        kind: WriteKind,
        contact_id: Option<&str>,
        row_line: Option<usize>,
        values: &FieldValues,
    ) -> Result<i64, CheckpointError> {
        let seq = self.journal.keys().next_back().map_or(1, |s| s + 1);
        self.journal.insert(
            seq,
            JournalEntry {
                seq,
                run_id,
                kind,
                contact_id: contact_id.map(str::to_string),
                row_line,
                values: values.clone(),
                state: JournalState::Sent,
                result_id: None,
                message: None,
            },
        );
        self.sends += 1;
        if self.crash_after_sends == Some(self.sends) {
            let mut copy = self.clone();
            copy.crash_after_sends = None;
            copy.crashed = None;
            self.crashed = Some(Box::new(copy));
        }
        Ok(seq)
    }

    fn journal_settle(
        &mut self,
        seq: i64,
        state: JournalState,
        result_id: Option<&str>,
        message: Option<&str>,
    ) -> Result<(), CheckpointError> {
        if let Some(j) = self.journal.get_mut(&seq) {
            j.state = state;
            if let Some(id) = result_id {
                j.result_id = Some(id.to_string());
            }
            j.message = message.map(str::to_string);
        }
        Ok(())
    }

    fn supersede_open_updates(&mut self) -> Result<usize, CheckpointError> {
        let mut n = 0;
        for j in self.journal.values_mut() {
            if j.kind == WriteKind::Update && j.state.is_open() {
                j.state = JournalState::Superseded;
                n += 1;
            }
        }
        Ok(n)
    }

    fn save_links(
        &mut self,
        upserts: &[(String, FieldValues)],
        removes: &[String],
    ) -> Result<(), CheckpointError> {
        for (id, base) in upserts {
            self.links.insert(id.clone(), base.clone());
        }
        for id in removes {
            self.links.remove(id);
        }
        for (id, _) in upserts {
            self.deleted_rows.remove(id);
        }
        Ok(())
    }

    fn remember_gone(&mut self, ids: &[String]) -> Result<(), CheckpointError> {
        self.gone.extend(ids.iter().cloned());
        Ok(())
    }

    fn remember_deleted_rows(&mut self, ids: &[String]) -> Result<(), CheckpointError> {
        for id in ids {
            self.deleted_rows.insert(id.clone());
            self.links.remove(id);
        }
        Ok(())
    }

    fn begin_run(&mut self, command: &str) -> Result<i64, CheckpointError> {
        self.runs.push(RunEntry {
            command: command.to_string(),
            outcome: None,
            exit_code: None,
            detail: Vec::new(),
        });
        Ok(self.runs.len() as i64)
    }

    fn finish_run(&mut self, run_id: i64, end: &RunEnd<'_>) -> Result<(), CheckpointError> {
        let i = usize::try_from(run_id - 1).ok();
        if let Some(r) = i.and_then(|i| self.runs.get_mut(i)) {
            r.outcome = Some(end.outcome.to_string());
            r.exit_code = Some(end.exit_code);
            r.detail = end.detail.to_vec();
        }
        Ok(())
    }
}
