//! IO: carries a sync `Plan` out against CINNOX (`Remote`), the list (`Store`) and
//! the state (`Checkpoints`). Every remote write is journalled before it is sent and
//! settled after; the list is written once, atomically, at the end; links and base
//! values are saved last, and only for what both sides confirmed. A record whose
//! expectation no longer holds (the row or the contact changed since the plan) is
//! skipped and listed: a stale plan fails per record, never clobbers.
//!
//! `apply` is the driver: it finds each record in the sides as read now (`stale`),
//! hands each action to its own function (`contact` for the remote writes, `cells`
//! for the list edits), then writes the list and saves what both sides confirmed;
//! `fill` brings in what CINNOX set itself on new contacts.
//!
//! A run asked to stop (`Cancel`) sends no further write: the write in flight has
//! finished by then, the records left with a remote write are skipped (counted in
//! `not_sent`; their rows and links stay as they were, so the next run plans them
//! again), and what needs no write is still applied; the list is then written as
//! usual, with the ids of the contacts created.

mod cells;
mod contact;
mod fill;
mod stale;

use crate::engine::detail::{Entry, EntryKind, local_entry};
use crate::engine::plan::{Action, Plan, Record};
use crate::engine::seams::{Cancel, CheckpointError, Checkpoints, JournalState, Remote};
use crate::engine::sync::locate::{Grid, RowIndex};
use crate::mapping::Mapping;
use crate::model::{Contact, FieldValues};
use crate::sources::{SourceError, Store, Table, WriteReport};
use cells::ListEdits;
use contact::Writer;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

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
    /// Remote writes planned but not sent because the run was asked to stop.
    pub not_sent: usize,
    /// What was done to each record, in order (the run history keeps it).
    #[serde(skip)]
    pub detail: Vec<Entry>,
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
    State(#[from] CheckpointError),
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
pub struct Sides<'a, S, R, C> {
    /// The list as read in this run, and its store.
    pub table: &'a Table,
    pub store: &'a mut S,
    /// CINNOX's listing read in this run, and the client.
    pub contacts: &'a [Contact],
    pub remote: &'a mut R,
    pub state: &'a mut C,
    /// The state's links as this run read them.
    pub links: &'a HashMap<String, FieldValues>,
    pub run_id: i64,
    pub mapping: &'a Mapping,
    /// Checked before each remote write.
    pub cancel: &'a Cancel,
}

/// Applies `plan`; see the module doc for the order of things.
pub async fn apply<S: Store, R: Remote, C: Checkpoints>(
    plan: &Plan,
    sides: Sides<'_, S, R, C>,
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
        cancel,
    } = sides;
    state.supersede_open_updates()?;
    announce_writes(plan, remote);
    let grid = Grid::new(
        table,
        &plan.add_columns,
        &mapping.id_column,
        mapping.status_column.as_deref(),
    );
    let mut rows = RowIndex::new(table, grid.id_col);
    let by_id: HashMap<&str, &Contact> = contacts.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut w = Writer::new(remote, state, run_id);
    let mut edits = ListEdits::new(&grid);

    // The ids of rows whose record was not carried through (failed, stale, or never
    // reached): their links stay, for the rows still hold those ids and their bases.
    let mut undone: HashSet<&str> = HashSet::new();
    for rec in &plan.records {
        let row_id = rec.row.as_ref().and_then(|r| r.id.as_deref());
        if w.report.fatal.is_some() {
            undone.extend(row_id);
            continue;
        }
        let writes = remote_writes(rec);
        if let (true, Some(stop)) = (writes > 0, cancel.stopped()) {
            w.report.not_sent += writes;
            w.report.detail.push(entry(
                rec,
                EntryKind::NotSent,
                format!("not sent: the run was stopped by {}", stop.signal()),
            ));
            undone.extend(row_id);
            continue;
        }
        let row = match stale::locate(rec, &mut rows, &by_id, linked, &mapping.normaliser) {
            Ok(row) => row,
            Err(why) => {
                w.report
                    .detail
                    .push(entry(rec, EntryKind::Stale, why.clone()));
                w.report.stale.push(why);
                undone.extend(row_id);
                continue;
            }
        };
        if !apply_record(plan, rec, row, &mut w, &mut edits).await? {
            undone.extend(row_id);
        }
    }
    let unlink: Vec<String> = plan
        .unlink
        .iter()
        .filter(|k| !undone.contains(k.as_str()))
        .cloned()
        .collect();

    // A run asked to stop does not list CINNOX again: the next run fills them.
    if (!w.created.is_empty() || !w.updated.is_empty()) && cancel.stopped().is_none() {
        fill::fill_server_fields(
            mapping,
            &grid,
            w.remote,
            (&w.created, &w.updated),
            &mut edits.sets,
            &mut w.links,
        )
        .await;
    }
    let Writer {
        state,
        mut report,
        links,
        written_back,
        ..
    } = w;
    match edits.write(table, store).await {
        Ok(written) => {
            if let Some((rows_written, write)) = written {
                report.rows_written = rows_written;
                report.write = Some(write);
            }
        }
        Err(error) => {
            // Nothing of the list changed: only what was sent to CINNOX (and what
            // was found) happened.
            report.detail.retain(|e| {
                !matches!(
                    e.kind,
                    EntryKind::Row | EntryKind::Appended | EntryKind::Removed | EntryKind::Linked
                )
            });
            return Err(ApplyError::List {
                error,
                done: Box::new(report),
            });
        }
    }
    // The list holds the new ids now: only then are links saved and creates settled.
    state.save_links(&links, &unlink)?;
    // Remembered, so a row still holding such an id reads as deleted in CINNOX at
    // the next runs, not as a mistyped id (and a kept row's edits are told).
    state.remember_gone(&unlink)?;
    state.remember_gone(&plan.kept_gone)?;
    state.remember_deleted_rows(&edits.forget)?;
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

/// An entry about `rec` as a whole.
fn entry(rec: &Record, kind: EntryKind, message: String) -> Entry {
    let line = rec.row.as_ref().map(|r| r.line);
    Entry::new(
        kind,
        line,
        rec.contact.as_ref().map(|c| c.id.as_str()),
        message,
    )
}

/// How many remote writes (a create or an update) a record sends.
fn remote_writes(rec: &Record) -> usize {
    rec.actions
        .iter()
        .filter(|a| {
            matches!(
                a,
                Action::CreateContact { .. } | Action::UpdateContact { .. }
            )
        })
        .count()
}

/// Tells the remote how many creates and updates follow (for progress displays).
fn announce_writes<R: Remote>(plan: &Plan, remote: &mut R) {
    let planned = |pick: fn(&Action) -> bool| {
        let actions = plan.records.iter().flat_map(|r| &r.actions);
        actions.filter(|a| pick(a)).count()
    };
    remote.writes_planned(
        planned(|a| matches!(a, Action::CreateContact { .. })),
        planned(|a| matches!(a, Action::UpdateContact { .. })),
    );
}

/// One record's actions, in order; the first remote write that fails ends the record
/// (its status cell says why) and no link is saved for it but its `held_link`.
/// `false` when a write failed.
async fn apply_record<R: Remote, C: Checkpoints>(
    plan: &Plan,
    rec: &Record,
    row: Option<usize>,
    w: &mut Writer<'_, R, C>,
    edits: &mut ListEdits<'_>,
) -> Result<bool, CheckpointError> {
    let line = rec.row.as_ref().map(|r| r.line);
    let mut confirmed_id = rec.link.as_ref().map(|l| l.contact_id.clone());
    // An update that leaves a level or type to CINNOX (a contact it holds none for):
    // what CINNOX stores for it is brought into the row by `fill`.
    let mut leaves_default = false;
    for a in &rec.actions {
        let failed = match a {
            Action::CreateContact { values } => match w.create(values, row, line).await? {
                Ok(id) => {
                    if let Some(r) = row {
                        edits.set_id(r, &id);
                    }
                    confirmed_id = Some(id);
                    None
                }
                Err(message) => Some(message),
            },
            Action::UpdateContact { values, changes } => {
                let id = rec.contact.as_ref().map(|c| c.id.as_str()).unwrap_or("");
                leaves_default = crate::model::FieldId::ALL
                    .iter()
                    .any(|f| f.cinnox_default().is_some() && !values.has(*f));
                let what: Vec<String> = changes
                    .iter()
                    .map(|ch| format!("{} {:?} -> {:?}", ch.field, ch.from, ch.to))
                    .collect();
                w.update(id, values, line, what.join(", ")).await?.err()
            }
            Action::SetCells { cells, .. } => {
                edits.set_cells(row, cells);
                None
            }
            Action::AppendRow { cells } => {
                edits.append(&plan.header, cells);
                None
            }
            Action::RemoveRow { .. } => {
                edits.remove(row);
                None
            }
            Action::Forget { contact_id } => {
                edits.forget(contact_id);
                None
            }
            Action::Link { .. }
            | Action::Conflict(_)
            | Action::Note { .. }
            | Action::Skip { .. } => None,
        };
        if let Some(e) = local_entry(rec, a) {
            w.report.detail.push(e);
        }
        if let Some(message) = failed {
            edits.set_status_error(row, &message);
            if let Some(l) = &rec.held_link {
                w.links.push((l.contact_id.clone(), l.base.clone()));
            }
            return Ok(false);
        }
    }
    if let (Some(link), Some(id)) = (&rec.link, confirmed_id.filter(|i| !i.is_empty())) {
        if let (true, Some(r)) = (leaves_default, row) {
            w.updated.push((r, id.clone(), w.links.len()));
        }
        w.links.push((id, link.base.clone()));
    }
    // The links of rows merged into this contact, whose edits this record carried.
    w.links.extend(
        rec.also_links
            .iter()
            .map(|l| (l.contact_id.clone(), l.base.clone())),
    );
    Ok(true)
}
