//! Sends an import plan (`planner::plan_import`) to CINNOX: each create and update
//! journalled in the import's state file before it is sent and settled after, and
//! every row's values remembered for its contact, so a re-import of the same list
//! makes no write at all. The IO half of import; the planning is pure. A run
//! asked to stop (`Cancel`) sends no further write once the one in flight is done.

use super::planner::{ImportAction, ImportPlan};
use crate::engine::apply::Problem;
use crate::engine::detail::{Entry, EntryKind};
use crate::engine::seams::remote::{Remote, RemoteError};
use crate::engine::seams::{Cancel, CheckpointError, Checkpoints, JournalState, WriteKind};
use crate::model::FieldValues;
use serde::Serialize;

/// What an import did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    /// Rows not imported: `(row index, message)` (invalid, ambiguous, or refused).
    pub rejected: Vec<(usize, String)>,
    pub unknown: Vec<Problem>,
    pub fatal: Option<String>,
    /// Creates and updates not sent because the run was asked to stop.
    pub not_sent: usize,
    /// What was done to each row, in order (the run history keeps it).
    #[serde(skip)]
    pub detail: Vec<Entry>,
}

/// Sends an import plan, journalled; remembers every row's values for its contact.
pub async fn import_apply<R: Remote, C: Checkpoints>(
    plan: &ImportPlan,
    remote: &mut R,
    state: &mut C,
    run_id: i64,
    cancel: &Cancel,
) -> Result<ImportReport, CheckpointError> {
    let mut report = ImportReport::default();
    let mut links: Vec<(String, FieldValues)> = Vec::new();
    remote.writes_planned(
        plan.count(|a| matches!(a, ImportAction::Create { .. })),
        plan.count(|a| matches!(a, ImportAction::Update { .. })),
    );
    for row in &plan.rows {
        if report.fatal.is_some() {
            break;
        }
        let writes = matches!(
            row.action,
            ImportAction::Create { .. } | ImportAction::Update { .. }
        );
        let line = Some(row.line);
        if let (true, Some(stop)) = (writes, cancel.stopped()) {
            report.not_sent += 1;
            report.detail.push(Entry::new(
                EntryKind::NotSent,
                line,
                None,
                format!("not sent: the run was stopped by {}", stop.signal()),
            ));
            continue;
        }
        let outcome: Result<Option<String>, RemoteError> = match &row.action {
            ImportAction::Reject { message } => {
                report.rejected.push((row.row, message.clone()));
                report
                    .detail
                    .push(Entry::new(EntryKind::Invalid, line, None, message.clone()));
                continue;
            }
            ImportAction::Unchanged { contact_id } => Ok(Some(contact_id.clone())),
            ImportAction::Create { values } => {
                let seq = state.journal_send(run_id, WriteKind::Create, None, line, values)?;
                let r = remote.create_contact(values).await;
                settle(state, seq, &r.as_ref().map(|id| Some(id.as_str())))?;
                r.map(|id| {
                    report.created += 1;
                    Some(id)
                })
            }
            ImportAction::Update {
                contact_id, values, ..
            } => {
                let seq = state.journal_send(
                    run_id,
                    WriteKind::Update,
                    Some(contact_id),
                    line,
                    values,
                )?;
                let r = remote.update_contact(contact_id, values).await;
                settle(state, seq, &r.as_ref().map(|_| Some(contact_id.as_str())))?;
                r.map(|()| {
                    report.updated += 1;
                    Some(contact_id.clone())
                })
            }
        };
        let target = match &row.action {
            ImportAction::Update { contact_id, .. } => Some(contact_id.as_str()),
            _ => None,
        };
        let written = match &row.action {
            ImportAction::Create { values } => {
                let fields: Vec<&str> = values.iter().map(|(f, _)| f.key()).collect();
                Some((
                    EntryKind::Created,
                    format!("new contact ({})", fields.join(", ")),
                ))
            }
            ImportAction::Update { changed, .. } => {
                let fields: Vec<&str> = changed.iter().map(|f| f.key()).collect();
                Some((EntryKind::Updated, fields.join(", ")))
            }
            _ => None,
        };
        match outcome {
            Ok(Some(id)) => {
                if let Some((kind, message)) = written {
                    report
                        .detail
                        .push(Entry::new(kind, line, Some(&id), message));
                }
                links.push((id, row.sent.clone()))
            }
            Ok(None) => {}
            Err(RemoteError::OutcomeUnknown(m)) => {
                let message =
                    format!("no answer to the create ({m}); the next import looks for it first");
                report.detail.push(Entry::new(
                    EntryKind::Unanswered,
                    line,
                    None,
                    message.clone(),
                ));
                report.unknown.push(Problem {
                    line,
                    contact_id: None,
                    message,
                })
            }
            Err(RemoteError::Fatal(m)) => {
                report
                    .detail
                    .push(Entry::new(EntryKind::Rejected, line, target, m.clone()));
                report.fatal = Some(m)
            }
            Err(e) => {
                report
                    .detail
                    .push(Entry::new(EntryKind::Rejected, line, target, e.to_string()));
                report.rejected.push((row.row, e.to_string()))
            }
        }
    }
    state.save_links(&links, &[])?;
    for j in &plan.journal {
        let s = if j.found.is_some() {
            JournalState::Found
        } else {
            JournalState::NotFound
        };
        state.journal_settle(j.seq, s, j.found.as_deref(), None)?;
    }
    Ok(report)
}

fn settle<C: Checkpoints>(
    state: &mut C,
    seq: i64,
    r: &Result<Option<&str>, &RemoteError>,
) -> Result<(), CheckpointError> {
    let (s, id, msg) = match r {
        Ok(id) => (JournalState::Done, *id, None),
        Err(RemoteError::Rejected(m)) => (JournalState::Rejected, None, Some(m.as_str())),
        Err(RemoteError::OutcomeUnknown(m)) => (JournalState::Unknown, None, Some(m.as_str())),
        Err(RemoteError::Failed(m)) | Err(RemoteError::Fatal(m)) => {
            (JournalState::Failed, None, Some(m.as_str()))
        }
        Err(RemoteError::Stopped) => (JournalState::Failed, None, None),
    };
    state.journal_settle(seq, s, id, msg)
}
