//! What must hold after every run of the machine, and once failures stop:
//!
//! - No doomed write: CINNOX never refused a body for one of its field rules.
//! - A required field (first name) is never blanked in CINNOX.
//! - No person twice: no two contacts CINNOX lists share an email, and no row
//!   (token) ever had two contacts made for it (a lost answer, a crash, a merged or
//!   deleted contact made again) unless the first vanished from CINNOX before its
//!   id ever reached the row (a create whose answer was lost, deleted in the
//!   dashboard before the next run: nothing can tell it was that row's).
//! - No lost edit: every pending edit reached the other side, or the run reported
//!   it (a conflict, a skip, a note, a refused or unanswered write, a stopped run);
//!   an edit overwritten by the run was settled as a conflict.
//! - At the end, each linked row agrees with its contact on every field the list
//!   holds, or says why not; every row without an id says why; every contact CINNOX
//!   lists is in the list, or remembered as deleted there, or said why not.

use super::world::{FIELDS, World, col};
use cinnox_sync::engine::plan::{Action, Record};
use cinnox_sync::engine::sync::compare::form;
use cinnox_sync::engine::{Checkpoints, SyncRun};
use cinnox_sync::mapping::ConflictPolicy;
use cinnox_sync::model::{Contact, FieldId as F, FieldId};
use cinnox_sync::sources::Table;
use std::collections::{HashMap, HashSet};

/// A failed check, in words.
pub type Check = Result<(), String>;

/// The token each contact this job created was made with (first seen: an update
/// after a merge may carry another row's token), and every id a row has held.
#[derive(Default)]
pub struct Made {
    by_id: HashMap<String, String>,
    in_rows: HashSet<String>,
}

fn column_of(f: FieldId) -> &'static str {
    match f {
        F::OwnerName => "Owner",
        F::OwnerId => "Owner ID",
        _ => FIELDS.iter().find(|x| x.0 == f).map(|x| x.1).unwrap(),
    }
}

fn token_row<'a>(table: &'a Table, token: &str) -> Option<(usize, &'a Vec<String>)> {
    let i = table
        .rows
        .iter()
        .position(|r| r[col("Last Name")] == token)?;
    Some((table.row_numbers[i], &table.rows[i]))
}

/// The contact CINNOX lists for `id`: itself, or the survivor it was merged into.
fn contact_for<'a>(contacts: &'a [Contact], id: &str) -> Option<&'a Contact> {
    contacts.iter().find(|c| c.id == id).or_else(|| {
        contacts
            .iter()
            .find(|c| c.slave_contacts.iter().any(|s| s == id))
    })
}

fn about(rec: &Record, line: Option<usize>, contact: Option<&str>) -> bool {
    let row = rec.row.as_ref().is_some_and(|r| Some(r.line) == line);
    let c = rec
        .contact
        .as_ref()
        .is_some_and(|c| Some(c.id.as_str()) == contact);
    row || c
}

/// Whether the run listed `f` of this row or contact as a conflict (`settled`: one
/// its policy settled, rather than left to a person).
fn conflict_on(
    run: &SyncRun,
    line: Option<usize>,
    contact: Option<&str>,
    f: FieldId,
    settled: bool,
) -> bool {
    run.plan.records.iter().any(|rec| {
        rec.actions.iter().any(|a| match a {
            Action::Conflict(k)
                if k.field == f && (!settled || k.policy != ConflictPolicy::Report) =>
            {
                about(rec, line, contact) || (line.is_some() && k.source_line == line)
            }
            _ => false,
        })
    })
}

fn conflict(run: &SyncRun, line: Option<usize>, contact: Option<&str>, f: FieldId) -> bool {
    conflict_on(run, line, contact, f, false)
}

/// Whether the run told the person about `f` of this row or contact.
fn reported(run: &SyncRun, line: Option<usize>, contact: Option<&str>, f: FieldId) -> bool {
    if conflict(run, line, contact, f) {
        return true;
    }
    let told = run.plan.records.iter().any(|rec| {
        about(rec, line, contact)
            && rec.actions.iter().any(|a| match a {
                Action::Skip { .. } => true,
                Action::Note { field, .. } => field.is_none() || *field == Some(f),
                _ => false,
            })
    });
    let report = run.report.as_ref();
    let refused = report.is_some_and(|r| {
        r.fatal.is_some()
            || r.rejected.iter().chain(&r.unknown).any(|p| {
                (line.is_some() && p.line == line)
                    || (contact.is_some() && p.contact_id.as_deref() == contact)
            })
    });
    told || refused
}

/// No doomed write, no blanked first name, no person twice.
pub fn invariants(w: &World, made: &mut Made) -> Check {
    if w.remote.refused_by_rules > 0 {
        return Err(format!(
            "{} writes CINNOX refused for a rule the engine knows",
            w.remote.refused_by_rules
        ));
    }
    made.in_rows.extend(
        w.store
            .table
            .rows
            .iter()
            .map(|r| r[col("CINNOX ID")].trim().to_string()),
    );
    let listed: HashSet<&str> = w.remote.contacts.iter().map(|c| c.id.as_str()).collect();
    let mut emails = HashSet::new();
    for c in &w.remote.contacts {
        if !c.values.has(F::FirstName) {
            return Err(format!("the first name of {} was blanked in CINNOX", c.id));
        }
        if !emails.insert(c.values.get(F::Email).to_lowercase()) {
            return Err(format!("two contacts hold {}", c.values.get(F::Email)));
        }
        if c.id.starts_with('m') {
            let token = c.values.get(F::LastName).to_string();
            made.by_id.entry(c.id.clone()).or_insert(token);
        }
    }
    let mut by_token: HashMap<&str, &str> = HashMap::new();
    let mut ids: Vec<(&String, &String)> = made.by_id.iter().collect();
    ids.sort();
    for (id, token) in ids {
        if let Some(other) = by_token.insert(token, id) {
            let live = |x: &str| listed.contains(x) || made.in_rows.contains(x);
            if live(other) && live(id) {
                return Err(format!("row {token} got two contacts: {other} and {id}"));
            }
        }
    }
    Ok(())
}

/// Every pending edit reached the other side or was told; those seen through are
/// dropped. `before`: the list as the run read it; `crashed`: the run was killed
/// (its output never reached anyone, so nothing counts as told but its conflicts).
pub fn edits(w: &mut World, before: &Table, run: &SyncRun, crashed: bool) -> Check {
    let n = w.mapping.normaliser;
    let contacts = &w.remote.contacts;
    let table = &w.store.table;
    let id_of = |cells: &Vec<String>| cells[col("CINNOX ID")].trim().to_string();
    let mut done = Vec::new();
    for ((token, f), v) in &w.pending_list {
        let (f, v) = (*f, v.as_str());
        let at_start = token_row(before, token);
        let line = at_start.map(|(l, _)| l);
        let id_then = at_start.map(|(_, r)| id_of(r)).filter(|i| !i.is_empty());
        let delivered =
            |id: &str| contact_for(contacts, id).is_some_and(|c| form(&n, f, c.values.get(f)) == v);
        // Reached the contact made from the row (its token), even if the row never
        // got its id (a lost create answer): delivered all the same.
        let reached = contacts.iter().any(|c| {
            c.values.get(F::LastName) == token.as_str() && form(&n, f, c.values.get(f)) == v
        });
        let Some((_, row)) = token_row(table, token) else {
            // The run removed the row: only once its edits had gone.
            if id_then.as_deref().is_some_and(delivered) {
                done.push((token.clone(), f));
                continue;
            }
            return Err(format!("row {token} removed with its edit of {f} ({v:?})"));
        };
        if form(&n, f, &row[col(column_of(f))]) != v {
            if conflict(run, line, id_then.as_deref(), f) {
                done.push((token.clone(), f));
                continue;
            }
            return Err(format!(
                "the edit of {f} ({v:?}) in row {token} was overwritten untold"
            ));
        }
        let id = id_of(row);
        // Delivered, or settled by the policy against it (told as a conflict).
        if (!id.is_empty() && delivered(&id))
            || reached
            || conflict_on(run, line, id_then.as_deref(), f, true)
        {
            done.push((token.clone(), f));
        } else if !crashed && !reported(run, line, id_then.as_deref(), f) {
            return Err(format!(
                "the edit of {f} ({v:?}) in row {token} (line {line:?}, {id:?}) neither reached CINNOX nor was told: {:#?}",
                run.plan.records
            ));
        }
    }
    for ((id, f), v) in &w.pending_cinnox {
        let (f, v) = (*f, v.as_str());
        let Some(c) = contacts.iter().find(|c| c.id == *id) else {
            done.push((id.clone(), f));
            continue;
        };
        let lines: Vec<usize> = before
            .rows
            .iter()
            .zip(&before.row_numbers)
            .filter(|(r, _)| id_of(r) == *id)
            .map(|(_, l)| *l)
            .collect();
        if form(&n, f, c.values.get(f)) != v {
            if conflict(run, lines.first().copied(), Some(id), f) {
                done.push((id.clone(), f));
                continue;
            }
            return Err(format!(
                "the CINNOX edit of {f} ({v:?}) in {id} was overwritten untold"
            ));
        }
        let holding: Vec<&Vec<String>> = table.rows.iter().filter(|r| id_of(r) == *id).collect();
        let forgotten = w.state.deleted_rows.contains(id);
        if forgotten
            || holding
                .iter()
                .any(|r| form(&n, f, &r[col(column_of(f))]) == v)
        {
            done.push((id.clone(), f));
        } else if !crashed && !reported(run, lines.first().copied(), Some(id), f) {
            return Err(format!(
                "the CINNOX edit of {f} ({v:?}) in {id} neither reached the list nor was told"
            ));
        }
    }
    for key in done {
        w.pending_list.remove(&key);
        w.pending_cinnox.remove(&key);
    }
    Ok(())
}

/// Once failures stopped and a sync after a sync planned nothing: every linked row
/// agrees with its contact or says why, every row without an id says why, every
/// contact is in the list or remembered out of it or said why not.
pub fn converged(w: &World, last: &SyncRun) -> Check {
    let n = w.mapping.normaliser;
    let mut held: HashSet<String> = HashSet::new();
    for (r, row) in w.store.table.rows.iter().enumerate() {
        let line = Some(w.store.table.row_numbers[r]);
        let id = row[col("CINNOX ID")].trim();
        held.insert(id.to_string());
        let Some(c) = w.remote.contacts.iter().find(|c| c.id == id) else {
            let status = &row[col("Sync Status")];
            let marked = status.starts_with("merged into") || status.starts_with("deleted in");
            if !marked && !reported(last, line, None, F::FirstName) {
                return Err(format!(
                    "row {line:?} ({id:?}) has no contact and says nothing"
                ));
            }
            continue;
        };
        let mut fields: Vec<FieldId> = FIELDS.iter().map(|x| x.0).collect();
        fields.extend([F::OwnerName, F::OwnerId]);
        for f in fields {
            let (a, b) = (&row[col(column_of(f))], c.values.get(f));
            if form(&n, f, a) != form(&n, f, b) && !reported(last, line, Some(id), f) {
                return Err(format!(
                    "row {line:?} and {id} differ on {f}: {a:?} vs {b:?}"
                ));
            }
        }
    }
    let snap = w.state.snapshot().map_err(|e| e.to_string())?;
    for c in &w.remote.contacts {
        let told = last
            .plan
            .records
            .iter()
            .any(|r| about(r, None, Some(&c.id)));
        if !held.contains(&c.id) && !snap.deleted_rows.contains(&c.id) && !told {
            return Err(format!(
                "contact {} is in no row and nothing says why",
                c.id
            ));
        }
    }
    Ok(())
}
