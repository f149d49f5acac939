//! Contacts no row stands for this run: new in CINNOX (a row is appended), linked
//! but their row deleted from the list (forgotten: remembered, never re-added), or
//! linked while some row holds an id nobody knows (held: that row may be theirs,
//! mistyped, so nothing is forgotten until the list is fixed), or new but matched
//! ambiguously by rows (contested: not appended twice). Pure, part of `plan`.

use super::compare::form;
use super::input::PlanInput;
use super::rows::{contact_ref, owner_filled};
use crate::engine::plan::{Action, NewLink, Record};
use crate::mapping::Direction;
use crate::model::FieldValues;

/// A linked contact whose row was deleted from the list.
pub fn forget_record(input: &PlanInput<'_>, ci: usize) -> Record {
    let id = &input.contacts[ci].id;
    Record {
        contact: Some(contact_ref(input, ci)),
        actions: vec![
            Action::Forget {
                contact_id: id.clone(),
            },
            Action::Note {
                field: None,
                message: "its row was deleted from the list; it is remembered and not added again"
                    .into(),
            },
        ],
        was_linked: true,
        ..Record::default()
    }
}

/// A linked contact without a row this run while some row holds an id nobody knows:
/// that row may be this contact's, mistyped. Not forgotten, not appended: it stays
/// linked until the list is fixed.
pub fn held_record(input: &PlanInput<'_>, ci: usize, unknown: &[(usize, Option<usize>)]) -> Record {
    let line = |r: usize| input.table.row_numbers.get(r).copied().unwrap_or(r + 2);
    let id = &input.contacts[ci].id;
    let message = match unknown.iter().find(|(_, g)| *g == Some(ci)) {
        Some((r, _)) => format!(
            "no row holds this contact's id, and line {}, which matches it, holds an unknown CINNOX ID: it stays linked and is not forgotten; put {id} back in that row",
            line(*r)
        ),
        None => {
            let lines: Vec<String> = unknown
                .iter()
                .take(5)
                .map(|(r, _)| line(*r).to_string())
                .collect();
            format!(
                "no row holds this contact's id while line(s) {} hold an unknown CINNOX ID: it stays linked and is not forgotten until the ids are fixed",
                lines.join(", ")
            )
        }
    };
    Record {
        contact: Some(contact_ref(input, ci)),
        actions: vec![Action::Note {
            field: None,
            message,
        }],
        was_linked: true,
        ..Record::default()
    }
}

/// A contact new to the list that rows match by key, but not one-to-one: appending
/// it would put the person in the list twice, so it waits until the rows are fixed.
pub fn contested_record(input: &PlanInput<'_>, ci: usize, rows: &[usize]) -> Record {
    let line = |r: usize| input.table.row_numbers.get(r).copied().unwrap_or(r + 2);
    let id = &input.contacts[ci].id;
    let mut lines: Vec<usize> = rows.iter().map(|&r| line(r)).collect();
    lines.sort_unstable();
    lines.dedup();
    let shown: Vec<String> = lines.iter().take(5).map(usize::to_string).collect();
    let more = if lines.len() > 5 { ", ..." } else { "" };
    Record {
        contact: Some(contact_ref(input, ci)),
        actions: vec![Action::Note {
            field: None,
            message: format!(
                "not added to the list: line(s) {}{more} match it by key, but not one row to one contact; write {id} in the id column of its row",
                shown.join(", ")
            ),
        }],
        ..Record::default()
    }
}

pub fn append_record(input: &PlanInput<'_>, ci: usize) -> Record {
    let cols = &input.columns.columns;
    let c = &input.contacts[ci];
    let n = &input.mapping.normaliser;
    let mut cvals = owner_filled(&c.values, c, input.staff).into_owned();
    cvals.retain(|f| input.mapping.field_sync(f).direction != Direction::Ignore);
    let shown: FieldValues = cvals
        .iter()
        .map(|(f, v)| (f, form(n, f, v).into_owned()))
        .collect();
    let mut cells = cols.new_row(&c.id, &shown);
    if let Some(s) = cols.status_col {
        cells[s] = "ok".into();
    }
    let base: FieldValues = cols
        .covered(&cells, Some(&shown))
        .into_iter()
        .map(|f| (f, form(n, f, shown.get(f)).into_owned()))
        .collect();
    Record {
        contact: Some(contact_ref(input, ci)),
        actions: vec![Action::AppendRow { cells }],
        link: Some(NewLink {
            contact_id: c.id.clone(),
            base,
        }),
        ..Record::default()
    }
}
