//! Sends an import plan (`planner::plan_import`) to CINNOX: each create and update
//! journalled in the import's state file before it is sent and settled after, and
//! every row's values remembered for its contact, so a re-import of the same list
//! makes no write at all. The IO half of import; the planning is pure.

use super::planner::{ImportAction, ImportPlan};
use crate::engine::apply::Problem;
use crate::engine::seams::remote::{Remote, RemoteError};
use crate::engine::seams::{CheckpointError, Checkpoints, JournalState, WriteKind};
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
}

/// Sends an import plan, journalled; remembers every row's values for its contact.
pub async fn import_apply<R: Remote, C: Checkpoints>(
    plan: &ImportPlan,
    remote: &mut R,
    state: &mut C,
    run_id: i64,
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
        let line = Some(row.line);
        let outcome: Result<Option<String>, RemoteError> = match &row.action {
            ImportAction::Reject { message } => {
                report.rejected.push((row.row, message.clone()));
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
        match outcome {
            Ok(Some(id)) => links.push((id, row.sent.clone())),
            Ok(None) => {}
            Err(RemoteError::OutcomeUnknown(m)) => report.unknown.push(Problem {
                line,
                contact_id: None,
                message: format!(
                    "no answer to the create ({m}); the next import looks for it first"
                ),
            }),
            Err(RemoteError::Fatal(m)) => report.fatal = Some(m),
            Err(e) => report.rejected.push((row.row, e.to_string())),
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
    };
    state.journal_settle(seq, s, id, msg)
}
