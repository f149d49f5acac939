//! `plan`: puts identity, the three-way diff and the row rules together into a
//! `Plan`. Pure: the same input gives the same plan, and nothing is read or written.

use super::compare::form;
use super::diff::diff_pair;
use super::identity::{RowFate, create_values, resolve};
use super::input::PlanInput;
use super::rowless::{append_record, contested_record, forget_record, held_record};
use super::rows::{RowEdit, RowView, contact_ref, owner_filled, row_ref};
use crate::engine::plan::*;
use crate::mapping::file::Required;
use crate::model::{FieldId, FieldValues};
use crate::validate::check_value;
use std::collections::HashSet;

/// Computes everything a run would do.
pub fn plan(input: &PlanInput<'_>) -> Plan {
    let cols = &input.columns.columns;
    let table = input.table;
    let row_values = |r: usize| cols.values(&table.rows[r]);
    let id = resolve(input, &row_values);
    let mut plan = Plan {
        version: PLAN_VERSION,
        header: input.columns.header.clone(),
        add_columns: input.columns.added.clone(),
        journal: id.journal.clone(),
        ..Plan::default()
    };
    // Without typed pairs every row holds the same fields: work them out once.
    let fixed = cols.pairs.is_empty().then(|| cols.covered(&[], None));
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
    let parts: Vec<RowsPlanned> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .step_by(chunk)
            .map(|start| {
                s.spawn(move || plan_rows(input, fates, start..(start + chunk).min(n), fixed))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut linked_before = 0;
    let mut quiet = 0;
    for part in parts {
        linked_before += part.linked_before;
        quiet += part.quiet;
        plan.records.extend(part.records);
    }
    for (ci, c) in input.contacts.iter().enumerate() {
        if id.claimed[ci].is_some() || input.state.deleted_rows.contains(&c.id) {
            continue;
        }
        let linked = input.state.links.contains_key(&c.id);
        linked_before += usize::from(linked);
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
    let listed: HashSet<&str> = input.contacts.iter().map(|c| c.id.as_str()).collect();
    plan.unlink = input
        .state
        .links
        .keys()
        .filter(|k| !listed.contains(k.as_str()))
        .cloned()
        .collect();
    plan.unlink.sort();
    plan.count(linked_before);
    plan.counts.unchanged += quiet;
    plan
}

/// Below this many rows one thread plans them all.
const PARALLEL_FROM: usize = 20_000;

#[derive(Default)]
struct RowsPlanned {
    records: Vec<Record>,
    quiet: usize,
    linked_before: usize,
}

fn plan_rows(
    input: &PlanInput<'_>,
    fates: &[RowFate<'_>],
    range: std::ops::Range<usize>,
    fixed: Option<&[FieldId]>,
) -> RowsPlanned {
    let mut out = RowsPlanned::default();
    for r in range {
        if let Some(why) = input.table.broken_row(r) {
            let rec = super::broken::record(input, r, why);
            out.linked_before += usize::from(rec.was_linked);
            out.records.push(rec);
            continue;
        }
        let rec = match &fates[r] {
            RowFate::Linked {
                contact,
                base_from,
                how,
            } => {
                let was = base_from.is_some_and(|b| input.state.links.contains_key(b));
                out.linked_before += usize::from(was);
                linked_record(input, r, *contact, *base_from, how.as_deref(), was, fixed)
            }
            RowFate::Create => create_record(input, r),
            RowFate::Gone { status, remove } => gone_record(input, r, status, *remove),
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
        if rec.actions.is_empty() && rec.link.is_none() {
            out.quiet += 1;
        } else {
            out.records.push(rec);
        }
    }
    out
}

fn linked_record(
    input: &PlanInput<'_>,
    r: usize,
    ci: usize,
    base_from: Option<&str>,
    how: Option<&str>,
    was_linked: bool,
    fixed_fields: Option<&[FieldId]>,
) -> Record {
    let cols = &input.columns.columns;
    let cells = &input.table.rows[r];
    let contact = &input.contacts[ci];
    let cvals = owner_filled(&contact.values, contact, input.staff);
    let row = RowView { cols, cells };
    let covered;
    let fields = match fixed_fields {
        Some(f) => f,
        None => {
            covered = cols.covered(cells, Some(&cvals));
            &covered
        }
    };
    let base = base_from.and_then(|b| input.state.links.get(b));
    let d = diff_pair(
        input.mapping,
        input.policy.conflict,
        fields,
        &row,
        &*cvals,
        base,
    );
    let mut e = RowEdit::new(input, r);
    if cols.id(cells) != contact.id {
        e.set_id(&contact.id);
    }
    for (f, v) in &d.to_row {
        e.set_field_via(cols, *f, v);
    }
    let mut actions = Vec::new();
    if let Some(how) = how {
        actions.push(Action::Link {
            contact_id: contact.id.clone(),
            how: how.to_string(),
        });
    }
    let mut status = "ok".to_string();
    let mut sendable = true;
    if !d.to_cinnox.is_empty() {
        let problems = invalid(input, d.to_cinnox.iter().map(|c| (c.field, c.to.as_str())));
        if problems.is_empty() {
            // Read-modify-write, every value in normalised form: a value CINNOX
            // stored loosely (`+852 2123 4567`) would get the whole body refused.
            let n = &input.mapping.normaliser;
            let mut values: FieldValues = contact
                .values
                .iter()
                .map(|(f, v)| (f, form(n, f, v).into_owned()))
                .collect();
            for ch in &d.to_cinnox {
                values.set(ch.field, ch.to.clone());
            }
            actions.push(Action::UpdateContact {
                values,
                changes: d.to_cinnox.clone(),
            });
        } else {
            sendable = false;
            status = format!("error: {problems}");
            actions.push(Action::Skip {
                reason: format!("{INVALID_PREFIX} {problems}"),
            });
        }
    }
    let unresolved: Vec<&str> = d
        .conflicts
        .iter()
        .filter(|k| k.policy == crate::mapping::ConflictPolicy::Report)
        .map(|k| k.field.key())
        .collect();
    if sendable && !unresolved.is_empty() {
        status = format!("conflict: {}", unresolved.join(", "));
    }
    actions.extend(d.conflicts.into_iter().map(Action::Conflict));
    actions.extend(d.notes.into_iter().map(|(f, message)| Action::Note {
        field: Some(f),
        message,
    }));
    e.status(&status);
    let mut rec = e.into_record(input, "field values from CINNOX");
    // Cell edits first, so a reader of the plan sees the row change before the notes.
    rec.actions.extend(actions);
    let new_link = how.is_some() || base_from != Some(contact.id.as_str());
    if sendable && (d.new_base.is_some() || new_link) {
        let base = d.new_base.or_else(|| base.cloned()).unwrap_or_default();
        rec.link = Some(NewLink {
            contact_id: contact.id.clone(),
            base,
        });
    }
    rec.was_linked = was_linked;
    if !rec.actions.is_empty() || rec.link.is_some() {
        rec.contact = Some(contact_ref(input, ci));
        rec.row.get_or_insert_with(|| row_ref(input, r));
    }
    rec
}

fn create_record(input: &PlanInput<'_>, r: usize) -> Record {
    let cols = &input.columns.columns;
    let cells = &input.table.rows[r];
    let row_vals = cols.values(cells);
    let values = create_values(input, cells, &row_vals);
    // Checked in the form sent: `+852 9123 4567` goes out as `+85291234567`.
    let mut problems = invalid(input, values.iter());
    for req in &input.mapping.required {
        let missing = match req {
            Required::Field(f) => (!row_vals.has(*f)).then(|| format!("{f} is required but empty")),
            Required::AnyPhone => (!FieldId::PHONES.iter().any(|f| row_vals.has(*f)))
                .then(|| "a phone number is required".to_string()),
            Required::AnyEmail => (!FieldId::EMAILS.iter().any(|f| row_vals.has(*f)))
                .then(|| "an email address is required".to_string()),
        };
        if let Some(m) = missing {
            if !problems.is_empty() {
                problems.push_str("; ");
            }
            problems.push_str(&m);
        }
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
        e.status(&format!("error: {problems}"));
        let mut rec = e.into_record(input, STATUS_REASON);
        rec.actions.push(Action::Skip {
            reason: format!("{INVALID_PREFIX} {problems}"),
        });
        rec.row = Some(row_ref(input, r));
        rec
    }
}

fn gone_record(input: &PlanInput<'_>, r: usize, status: &str, remove: bool) -> Record {
    let mut e = RowEdit::new(input, r);
    let id = input.columns.columns.id(&input.table.rows[r]).to_string();
    let was = input.state.links.contains_key(&id);
    let mut rec = if remove {
        Record {
            actions: vec![Action::RemoveRow {
                reason: status.to_string(),
            }],
            ..Record::default()
        }
    } else if input.columns.columns.status_col.is_some() {
        e.status(status);
        e.into_record(input, MARK_REASON)
    } else if was {
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
    rec.was_linked = was;
    if !rec.actions.is_empty() {
        rec.row = Some(row_ref(input, r));
    }
    rec
}

/// The CINNOX rules the values break, as one message (empty when none).
fn invalid<'a>(input: &PlanInput<'_>, values: impl Iterator<Item = (FieldId, &'a str)>) -> String {
    let n = &input.mapping.normaliser;
    values
        .filter_map(|(f, v)| check_value(f, v, n).map(|x| format!("{f} {}", x.message)))
        .collect::<Vec<_>>()
        .join("; ")
}
