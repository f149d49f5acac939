//! The remote writes of `apply`: a create or an update, journalled in the
//! checkpoints before it is sent and settled with what came back; a failure is
//! sorted into the report (refused, answer lost, failed, or fatal for the run).

use super::{ApplyReport, Problem};
use crate::engine::detail::{Entry, EntryKind};
use crate::engine::seams::{
    CheckpointError, Checkpoints, JournalState, Remote, RemoteError, WriteKind,
};
use crate::model::FieldValues;

/// The remote and the checkpoints of one apply, with what its writes gave.
pub(super) struct Writer<'a, R, C> {
    pub remote: &'a mut R,
    pub state: &'a mut C,
    run_id: i64,
    pub report: ApplyReport,
    /// Links (id, base values) to save once the list is written.
    pub links: Vec<(String, FieldValues)>,
    /// Creates answered (journal seq, new id): settled once the id is in the list.
    pub written_back: Vec<(i64, String)>,
    /// Creates that have a row: (row, new id, index into `links`), for `fill`.
    pub created: Vec<(usize, String, usize)>,
    /// Updates that left a level or type to CINNOX: (row, id, index into `links`).
    pub updated: Vec<(usize, String, usize)>,
}

/// A write's outcome for its record: `Err` holds the message for the status cell.
pub(super) type Outcome<T> = Result<T, String>;

impl<'a, R: Remote, C: Checkpoints> Writer<'a, R, C> {
    pub fn new(remote: &'a mut R, state: &'a mut C, run_id: i64) -> Self {
        Writer {
            remote,
            state,
            run_id,
            report: ApplyReport::default(),
            links: Vec::new(),
            written_back: Vec::new(),
            created: Vec::new(),
            updated: Vec::new(),
        }
    }

    /// Creates a contact; answers its id.
    pub async fn create(
        &mut self,
        values: &FieldValues,
        row: Option<usize>,
        line: Option<usize>,
    ) -> Result<Outcome<String>, CheckpointError> {
        let seq = self
            .state
            .journal_send(self.run_id, WriteKind::Create, None, line, values)?;
        match self.remote.create_contact(values).await {
            Ok(id) => {
                self.state
                    .journal_settle(seq, JournalState::Created, Some(&id), None)?;
                self.report.created += 1;
                let fields: Vec<&str> = values.iter().map(|(f, _)| f.key()).collect();
                self.report.detail.push(Entry::new(
                    EntryKind::Created,
                    line,
                    Some(&id),
                    format!("new contact ({})", fields.join(", ")),
                ));
                self.written_back.push((seq, id.clone()));
                if let Some(r) = row {
                    self.created.push((r, id.clone(), self.links.len()));
                }
                Ok(Ok(id))
            }
            Err(e) => Ok(Err(self.failure(seq, &e, line, None)?)),
        }
    }

    /// Replaces the writable fields of contact `id`; `what` says what changes.
    pub async fn update(
        &mut self,
        id: &str,
        values: &FieldValues,
        line: Option<usize>,
        what: String,
    ) -> Result<Outcome<()>, CheckpointError> {
        let seq =
            self.state
                .journal_send(self.run_id, WriteKind::Update, Some(id), line, values)?;
        match self.remote.update_contact(id, values).await {
            Ok(()) => {
                self.state
                    .journal_settle(seq, JournalState::Done, Some(id), None)?;
                self.report.updated += 1;
                self.report
                    .detail
                    .push(Entry::new(EntryKind::Updated, line, Some(id), what));
                Ok(Ok(()))
            }
            Err(e) => Ok(Err(self.failure(seq, &e, line, Some(id))?)),
        }
    }

    /// Settles a failed write and reports it; answers the message for the status cell.
    fn failure(
        &mut self,
        seq: i64,
        e: &RemoteError,
        line: Option<usize>,
        contact_id: Option<&str>,
    ) -> Result<String, CheckpointError> {
        let problem = Problem {
            line,
            contact_id: contact_id.map(str::to_string),
            message: e.to_string(),
        };
        let report = &mut self.report;
        let kind = match e {
            RemoteError::OutcomeUnknown(_) => EntryKind::Unanswered,
            _ => EntryKind::Rejected,
        };
        report
            .detail
            .push(Entry::new(kind, line, contact_id, e.to_string()));
        let stopped;
        let (state, m) = match e {
            RemoteError::Rejected(m) => {
                report.rejected.push(problem);
                (JournalState::Rejected, m)
            }
            RemoteError::OutcomeUnknown(m) => {
                report.unknown.push(problem);
                (JournalState::Unknown, m)
            }
            RemoteError::Failed(m) => {
                report.rejected.push(problem);
                (JournalState::Failed, m)
            }
            RemoteError::Fatal(m) => {
                report.fatal = Some(m.clone());
                (JournalState::Failed, m)
            }
            // Writes are never cut short; a remote that does so anyway failed this one.
            RemoteError::Stopped => {
                report.rejected.push(problem);
                stopped = e.to_string();
                (JournalState::Failed, &stopped)
            }
        };
        self.state.journal_settle(seq, state, None, Some(m))?;
        Ok(match e {
            RemoteError::OutcomeUnknown(_) => {
                "no answer from CINNOX; checked at the next run".to_string()
            }
            _ => m.clone(),
        })
    }
}
