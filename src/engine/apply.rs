//! IO: carries a sync `Plan` out against CINNOX (`Remote`) and the list
//! (`Store`). Every remote write is journalled before it is sent and settled after;
//! the list is written once, atomically, at the end; links and base values are
//! saved last, and only for what both sides confirmed. A record whose expectation
//! no longer holds (the row or the contact changed since the plan) is skipped and
//! listed: a stale plan fails per record, never clobbers.

use super::apply_fill::fill_server_fields;
use super::locate::{Grid, RowIndex};
use super::plan::{Action, Plan, Record};
use super::remote::{Remote, RemoteError};
use crate::mapping::Mapping;
use crate::model::{Contact, FieldValues};
use crate::sources::{Edit, SourceError, Store, Table, WriteReport};
use crate::state::{JournalState, StateError, StateStore, WriteKind};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What applying a plan did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ApplyReport {
    pub created: usize,
    pub updated: usize,
    /// Records CINNOX refused, or whose write failed.
    pub rejected: Vec<Problem>,
    /// Creates whose answer was lost; the next run looks for them.
    pub unknown: Vec<Problem>,
    /// Records skipped because their row or contact changed since the plan.
    pub stale: Vec<String>,
    /// Rows of the list written (changed, appended or removed).
    pub rows_written: usize,
    pub write: Option<WriteReport>,
    /// Set when CINNOX stopped the run (authentication, a broken server): the
    /// writes made before were saved, the rest were not attempted.
    pub fatal: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    pub line: Option<usize>,
    pub contact_id: Option<String>,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    State(#[from] StateError),
    /// The list could not be written (or only partly: a sheet's requests are each
    /// all or nothing, not together). `done` is what CINNOX was sent before; no link
    /// was saved and no create settled, so the next run reads the list as it is,
    /// finds the journalled creates again and makes up the rest.
    #[error("{error}")]
    List {
        error: SourceError,
        done: Box<ApplyReport>,
    },
}

/// Where a plan is applied.
pub struct Sides<'a, S, R> {
    /// The list as read in this run, and its store.
    pub table: &'a Table,
    pub store: &'a mut S,
    /// CINNOX's listing read in this run, and the client.
    pub contacts: &'a [Contact],
    pub remote: &'a mut R,
    pub state: &'a mut StateStore,
    /// The state's links as this run read them.
    pub links: &'a HashMap<String, FieldValues>,
    pub run_id: i64,
    pub mapping: &'a Mapping,
}

/// Applies `plan`; see the module doc for the order of things.
pub async fn apply<S: Store, R: Remote>(
    plan: &Plan,
    sides: Sides<'_, S, R>,
) -> Result<ApplyReport, ApplyError> {
    let Sides {
        table,
        store,
        contacts,
        remote,
        state,
        links: linked,
        run_id,
        mapping,
    } = sides;
    let normaliser = mapping.normaliser;
    let mut report = ApplyReport::default();
    state.supersede_open_updates()?;
    let planned = |pick: fn(&Action) -> bool| {
        let actions = plan.records.iter().flat_map(|r| &r.actions);
        actions.filter(|a| pick(a)).count()
    };
    remote.writes_planned(
        planned(|a| matches!(a, Action::CreateContact { .. })),
        planned(|a| matches!(a, Action::UpdateContact { .. })),
    );
    let grid = Grid::new(
        table,
        &plan.add_columns,
        &mapping.id_column,
        mapping.status_column.as_deref(),
    );
    let mut rows = RowIndex::new(table, grid.id_col);
    let by_id: HashMap<&str, &Contact> = contacts.iter().map(|c| (c.id.as_str(), c)).collect();

    let mut sets: BTreeMap<(usize, usize), String> = BTreeMap::new();
    let mut appends: Vec<Vec<String>> = Vec::new();
    let mut removes: BTreeSet<usize> = BTreeSet::new();
    let mut links = Vec::new();
    let mut forget = Vec::new();
    let mut written_back = Vec::new();
    let mut created: Vec<(usize, String, usize)> = Vec::new();

    for rec in &plan.records {
        if report.fatal.is_some() {
            break;
        }
        let row = match &rec.row {
            Some(r) => match rows.find(r) {
                Some(i) => Some(i),
                None => {
                    report.stale.push(format!(
                        "line {}: the row changed or moved since the plan",
                        r.line
                    ));
                    continue;
                }
            },
            None => None,
        };
        if let Some(c) = &rec.contact {
            let now = by_id
                .get(c.id.as_str())
                .map(|x| format!("{:016x}", x.content_hash(&normaliser)));
            if now.as_deref() != Some(c.expect_hash.as_str()) {
                report.stale.push(format!(
                    "contact {}: changed in CINNOX since the plan",
                    c.id
                ));
                continue;
            }
        }
        if let Some(why) = already_done(rec, &rows, linked) {
            report.stale.push(why);
            continue;
        }
        let line = rec.row.as_ref().map(|r| r.line);
        let mut confirmed_id = rec.link.as_ref().map(|l| l.contact_id.clone());
        let mut failure: Option<String> = None;
        for a in &rec.actions {
            match a {
                Action::CreateContact { values } => {
                    let seq = state.journal_send(run_id, WriteKind::Create, None, line, values)?;
                    match remote.create_contact(values).await {
                        Ok(id) => {
                            state.journal_settle(seq, JournalState::Created, Some(&id), None)?;
                            report.created += 1;
                            if let (Some(r), Some(c)) = (row, grid.id_col) {
                                sets.insert((r, c), id.clone());
                            }
                            written_back.push((seq, id.clone()));
                            if let Some(r) = row {
                                created.push((r, id.clone(), links.len()));
                            }
                            confirmed_id = Some(id);
                        }
                        Err(e) => {
                            failure =
                                Some(settle_failure(state, seq, &e, &mut report, line, None)?);
                        }
                    }
                }
                Action::UpdateContact { values, .. } => {
                    let id = rec
                        .contact
                        .as_ref()
                        .map(|c| c.id.clone())
                        .unwrap_or_default();
                    let seq =
                        state.journal_send(run_id, WriteKind::Update, Some(&id), line, values)?;
                    match remote.update_contact(&id, values).await {
                        Ok(()) => {
                            state.journal_settle(seq, JournalState::Done, Some(&id), None)?;
                            report.updated += 1;
                        }
                        Err(e) => {
                            failure = Some(settle_failure(
                                state,
                                seq,
                                &e,
                                &mut report,
                                line,
                                Some(&id),
                            )?);
                        }
                    }
                }
                Action::SetCells { cells, .. } => {
                    if let Some(r) = row {
                        for ch in cells {
                            if let Some(c) = grid.col(&ch.column) {
                                sets.insert((r, c), ch.new.clone());
                            }
                        }
                    }
                }
                Action::AppendRow { cells } => appends.push(grid.remap(&plan.header, cells)),
                Action::RemoveRow { .. } => {
                    if let Some(r) = row {
                        removes.insert(r);
                    }
                }
                Action::Forget { contact_id } => forget.push(contact_id.clone()),
                Action::Link { .. }
                | Action::Conflict(_)
                | Action::Note { .. }
                | Action::Skip { .. } => {}
            }
            if failure.is_some() {
                break;
            }
        }
        if let Some(message) = failure {
            if let (Some(r), Some(c)) = (row, grid.status_col) {
                sets.insert((r, c), format!("error: {message}"));
            }
            continue;
        }
        if let (Some(link), Some(id)) = (&rec.link, confirmed_id.filter(|i| !i.is_empty())) {
            links.push((id, link.base.clone()));
        }
    }

    if !created.is_empty() {
        fill_server_fields(mapping, &grid, remote, &created, &mut sets, &mut links).await;
    }

    let mut edits: Vec<Edit> = grid
        .missing
        .iter()
        .map(|name| Edit::AddColumn { name: name.clone() })
        .collect();
    let mut touched: BTreeSet<usize> = BTreeSet::new();
    for ((row, col), value) in sets {
        let current = table.rows[row].get(col).map(String::as_str).unwrap_or("");
        if current != value && !removes.contains(&row) {
            touched.insert(row);
            edits.push(Edit::Set { row, col, value });
        }
    }
    report.rows_written = touched.len() + appends.len() + removes.len();
    edits.extend(appends.into_iter().map(|cells| Edit::Append { cells }));
    edits.extend(removes.iter().map(|&row| Edit::Remove { row }));
    if edits.iter().any(|e| !matches!(e, Edit::AddColumn { .. })) || !grid.missing.is_empty() {
        match store.write(table, &edits).await {
            Ok(w) => report.write = Some(w),
            Err(error) => {
                report.rows_written = 0;
                return Err(ApplyError::List {
                    error,
                    done: Box::new(report),
                });
            }
        }
    }
    // The list holds the new ids now: only then are links saved and creates settled.
    state.save_links(&links, &plan.unlink)?;
    // Remembered, so a row still holding such an id reads as deleted in CINNOX at
    // the next runs, not as a mistyped id.
    state.remember_gone(&plan.unlink)?;
    state.remember_deleted_rows(&forget)?;
    for (seq, id) in written_back {
        state.journal_settle(seq, JournalState::Done, Some(&id), None)?;
    }
    for j in &plan.journal {
        let (s, id) = match &j.found {
            Some(id) => (JournalState::Found, Some(id.as_str())),
            None => (JournalState::NotFound, None),
        };
        state.journal_settle(j.seq, s, id, None)?;
    }
    Ok(report)
}

/// Why a record that adds or forgets a contact's row has nothing left to do: a row
/// holds the contact's id already (a plan applied twice, or after a sync), or the
/// contact is linked since.
fn already_done(
    rec: &Record,
    rows: &RowIndex<'_>,
    linked: &HashMap<String, FieldValues>,
) -> Option<String> {
    let id = &rec.contact.as_ref()?.id;
    let held = rows.line_holding(id);
    for a in &rec.actions {
        match a {
            Action::AppendRow { .. } => {
                if let Some(line) = held {
                    return Some(format!("contact {id}: already in the list (line {line})"));
                }
                if linked.contains_key(id) {
                    return Some(format!("contact {id}: linked to a row since the plan"));
                }
            }
            Action::Forget { .. } => {
                if let Some(line) = held {
                    return Some(format!(
                        "contact {id}: its row is back in the list (line {line})"
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

fn settle_failure(
    state: &mut StateStore,
    seq: i64,
    e: &RemoteError,
    report: &mut ApplyReport,
    line: Option<usize>,
    contact_id: Option<&str>,
) -> Result<String, StateError> {
    let problem = Problem {
        line,
        contact_id: contact_id.map(str::to_string),
        message: e.to_string(),
    };
    let message = match e {
        RemoteError::Rejected(m) => {
            state.journal_settle(seq, JournalState::Rejected, None, Some(m))?;
            report.rejected.push(problem);
            m.clone()
        }
        RemoteError::OutcomeUnknown(m) => {
            state.journal_settle(seq, JournalState::Unknown, None, Some(m))?;
            report.unknown.push(problem);
            "no answer from CINNOX; checked at the next run".to_string()
        }
        RemoteError::Failed(m) => {
            state.journal_settle(seq, JournalState::Failed, None, Some(m))?;
            report.rejected.push(problem);
            m.clone()
        }
        RemoteError::Fatal(m) => {
            state.journal_settle(seq, JournalState::Failed, None, Some(m))?;
            report.fatal = Some(m.clone());
            m.clone()
        }
    };
    Ok(message)
}
