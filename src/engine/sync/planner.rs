//! `plan`: puts identity, the rows whose contact is gone, the pairs' records and the
//! contacts without a row together into a `Plan`, and counts it. Pure: the same
//! input gives the same plan, and nothing is read or written.

use super::absorbed::{GoneEdits, GoneRows, gone_rows, names};
use super::identity::{RowFate, create_values, resolve};
use super::input::PlanInput;
use super::linked::{Pair, linked_record};
use super::rowless::{append_record, contested_record, forget_record, held_record};
use super::rows::{RowEdit, row_ref};
use crate::engine::plan::*;
use crate::mapping::file::Required;
use crate::model::FieldId;
use crate::validate::check_value;
use std::collections::HashSet;

/// Computes everything a run would do.
pub fn plan(input: &PlanInput<'_>) -> Plan {
    let cols = &input.columns.columns;
    let table = input.table;
    let row_values = |r: usize| cols.values(&table.rows[r]);
    let id = resolve(input, &row_values);
    // Without typed pairs every row holds the same fields: work them out once.
    let fixed = cols.pairs.is_empty().then(|| cols.covered(&[], None));
    let gone = gone_rows(input, &id, fixed.as_deref());
    let mut plan = Plan {
        version: PLAN_VERSION,
        header: input.columns.header.clone(),
        add_columns: input.columns.added.clone(),
        journal: id.journal.clone(),
        ..Plan::default()
    };
    // Rows are independent once identity is settled: plan them on every core (a
    // million rows is the benchmark), keeping the rows' order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let n = id.rows.len();
    let chunk = if threads > 1 && n >= PARALLEL_FROM {
        n.div_ceil(threads)
    } else {
        n.max(1)
    };
    let fates = &id.rows;
    let fixed = fixed.as_deref();
    let gone_ref = &gone;
    let parts: Vec<RowsPlanned> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                s.spawn(move || {
                    plan_rows(input, fates, gone_ref, start..(start + chunk).min(n), fixed)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut quiet = 0;
    for part in parts {
        quiet += part.quiet;
        plan.records.extend(part.records);
    }
    for (ci, c) in input.contacts.iter().enumerate() {
        if id.claimed[ci].is_some() || input.state.deleted_rows.contains(&c.id) {
            continue;
        }
        let linked = input.state.links.contains_key(&c.id);
        plan.records.push(if !linked {
            match id.contested.get(&ci) {
                Some(rows) => contested_record(input, ci, rows),
                None => append_record(input, ci),
            }
        } else if !id.unknown.is_empty() {
            held_record(input, ci, &id.unknown)
        } else if !table.broken.is_empty() {
            // A row read only in part may be this contact's, its id cut off.
            super::broken::held_record(input, ci)
        } else {
            forget_record(input, ci)
        });
    }
    // A gone contact's link stays while its row does (marked), for the row's base.
    let kept: HashSet<&str> = fates
        .iter()
        .enumerate()
        .filter(|(r, f)| matches!(f, RowFate::Gone { remove, .. } if !remove || gone.edits.get(r).is_some_and(|e| !e.not_synced.is_empty())))
        .map(|(r, _)| cols.id(&table.rows[r]))
        .filter(|id| input.state.links.contains_key(*id))
        .collect();
    let listed: HashSet<&str> = input.contacts.iter().map(|c| c.id.as_str()).collect();
    for k in input.state.links.keys() {
        if listed.contains(k.as_str()) {
            continue;
        }
        if kept.contains(k.as_str()) {
            plan.kept_gone.push(k.clone());
        } else {
            plan.unlink.push(k.clone());
        }
    }
    plan.unlink.sort();
    plan.kept_gone.sort();
    plan.count(input.state.live_links());
    plan.counts.unchanged += quiet;
    plan
}

/// Below this many rows one thread plans them all.
const PARALLEL_FROM: usize = 20_000;

#[derive(Default)]
struct RowsPlanned {
    records: Vec<Record>,
    quiet: usize,
}

fn plan_rows(
    input: &PlanInput<'_>,
    fates: &[RowFate<'_>],
    gone: &GoneRows,
    range: std::ops::Range<usize>,
    fixed: Option<&[FieldId]>,
) -> RowsPlanned {
    let mut out = RowsPlanned::default();
    for r in range {
        if let Some(why) = input.table.broken_row(r) {
            out.records.push(super::broken::record(input, r, why));
            continue;
        }
        let rec = match &fates[r] {
            RowFate::Linked {
                contact,
                base_from,
                how,
                agreed,
            } => {
                let live =
                    |b: &str| input.state.links.contains_key(b) && !input.state.marked.contains(b);
                linked_record(
                    input,
                    Pair {
                        row: r,
                        contact: *contact,
                        base_from: *base_from,
                        agreed: *agreed,
                        how: how.as_deref(),
                        was_linked: base_from.is_some_and(live),
                        fixed_fields: fixed,
                        carry: gone.carry.get(&r),
                    },
                )
            }
            RowFate::Create => create_record(input, r),
            RowFate::Gone { status, remove, .. } => {
                gone_record(input, r, status, *remove, gone.edits.get(&r))
            }
            RowFate::Leave { reason, status } => {
                let mut e = RowEdit::new(input, r);
                if let Some(s) = status {
                    e.status(s);
                }
                let mut rec = e.into_record(input, STATUS_REASON);
                rec.actions.push(Action::Skip {
                    reason: reason.clone(),
                });
                rec.row.get_or_insert_with(|| row_ref(input, r));
                rec
            }
            RowFate::Empty => Record::default(),
        };
        if rec.actions.is_empty() && rec.link.is_none() && rec.also_links.is_empty() {
            out.quiet += 1;
        } else {
            out.records.push(rec);
        }
    }
    out
}

fn create_record(input: &PlanInput<'_>, r: usize) -> Record {
    let cols = &input.columns.columns;
    let cells = &input.table.rows[r];
    let row_vals = cols.values(cells);
    let values = create_values(input, cells, &row_vals);
    // Checked in the form sent: `+852 9123 4567` goes out as `+85291234567`.
    let mut problems: Vec<String> = invalid(input, values.iter());
    for req in &input.mapping.required {
        let missing = match req {
            Required::Field(f) => (!row_vals.has(*f))
                .then(|| format!("{} is required but empty", input.columns.name(*f))),
            Required::AnyPhone => (!FieldId::PHONES.iter().any(|f| row_vals.has(*f)))
                .then(|| "a phone number is required".to_string()),
            Required::AnyEmail => (!FieldId::EMAILS.iter().any(|f| row_vals.has(*f)))
                .then(|| "an email address is required".to_string()),
        };
        problems.extend(missing);
    }
    let mut e = RowEdit::new(input, r);
    if problems.is_empty() {
        e.status("ok");
        let mut rec = e.into_record(input, STATUS_REASON);
        rec.actions.insert(
            0,
            Action::CreateContact {
                values: values.clone(),
            },
        );
        // The base once created: what was sent, in compare form.
        rec.link = Some(NewLink {
            contact_id: String::new(),
            base: values,
        });
        rec.row = Some(row_ref(input, r));
        rec
    } else {
        let problems = problems.join("; ");
        e.status(&format!("error: {problems}"));
        let mut rec = e.into_record(input, STATUS_REASON);
        rec.actions.push(Action::Skip {
            reason: format!("{INVALID_PREFIX} {problems}"),
        });
        rec.row = Some(row_ref(input, r));
        rec
    }
}

/// A row whose contact is gone: marked (or removed), and what became of the edits
/// typed into it. A row holding edits that went nowhere is kept and says so.
fn gone_record(
    input: &PlanInput<'_>,
    r: usize,
    status: &str,
    remove: bool,
    edits: Option<&GoneEdits>,
) -> Record {
    let mut e = RowEdit::new(input, r);
    let id = input.columns.columns.id(&input.table.rows[r]).to_string();
    let live = input.state.links.contains_key(&id) && !input.state.marked.contains(&id);
    let stuck: &[FieldId] = edits.map_or(&[], |e| &e.not_synced);
    let mut rec = if remove && stuck.is_empty() {
        Record {
            actions: vec![Action::RemoveRow {
                reason: status.to_string(),
            }],
            ..Record::default()
        }
    } else if input.columns.columns.status_col.is_some() {
        let shown = if stuck.is_empty() {
            status.to_string()
        } else {
            format!(
                "{status}; edit not synced: {}",
                names(input, stuck.iter().copied())
            )
        };
        e.mark(&shown, status);
        e.into_record(input, STATUS_REASON)
    } else if live {
        Record {
            actions: vec![Action::Note {
                field: None,
                message: format!(
                    "contact {id}: {status}; the row is kept (the list has no status column)"
                ),
            }],
            ..Record::default()
        }
    } else {
        Record::default()
    };
    if let Some(ed) = edits {
        if !ed.carried.is_empty() {
            rec.actions.push(Action::Note {
                field: None,
                message: format!(
                    "{status}: the edit of {} is carried to it",
                    names(input, ed.carried.iter().copied())
                ),
            });
        }
        if !stuck.is_empty() {
            rec.actions.push(Action::Skip {
                reason: ed.reason.clone(),
            });
        }
    }
    rec.was_linked = live;
    if !rec.actions.is_empty() {
        rec.row = Some(row_ref(input, r));
    }
    rec
}

/// The CINNOX rules the values break, one message each, naming the columns.
fn invalid<'a>(
    input: &PlanInput<'_>,
    values: impl Iterator<Item = (FieldId, &'a str)>,
) -> Vec<String> {
    let n = &input.mapping.normaliser;
    values
        .filter_map(|(f, v)| {
            check_value(f, v, n).map(|x| format!("{} {}", input.columns.name(f), x.message))
        })
        .collect()
}
