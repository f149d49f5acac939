//! Rows the list could read only in part (`Table::broken`: a short row, a quote
//! where CSV allows none). Their cells are not what the person meant (the empty
//! cells of a short row are not cleared values), so nothing of them is sent to
//! CINNOX and nothing is written into them: a status cell would rewrite the row as
//! if it were whole, and the next run would take the missing cells for cleared
//! values. Such a row is reported as an invalid row, with its line; its contact,
//! if any, stays linked and is neither appended again nor forgotten, and while the
//! list holds such rows no linked contact is forgotten for want of a row (the
//! broken row may be its row, the id cut off). Pure, part of `plan`.

use super::input::PlanInput;
use super::rows::contact_ref;
use super::rows::row_ref;
use crate::engine::plan::{Action, INVALID_PREFIX, Record};

/// The record of broken row `r`: a skip saying why.
pub fn record(input: &PlanInput<'_>, r: usize, why: &str) -> Record {
    let id = input.columns.columns.id(&input.table.rows[r]);
    Record {
        row: Some(row_ref(input, r)),
        actions: vec![Action::Skip {
            reason: format!("{INVALID_PREFIX} the row {why}"),
        }],
        was_linked: !id.is_empty() && input.state.links.contains_key(id),
        ..Record::default()
    }
}

/// A linked contact no row holds while the list has broken rows: kept linked, with
/// a note naming them, until they are fixed.
pub fn held_record(input: &PlanInput<'_>, ci: usize) -> Record {
    let table = input.table;
    let lines: Vec<String> = table
        .broken
        .iter()
        .take(5)
        .map(|(r, _)| {
            table
                .row_numbers
                .get(*r)
                .copied()
                .unwrap_or(r + 2)
                .to_string()
        })
        .collect();
    let more = if table.broken.len() > 5 { ", ..." } else { "" };
    Record {
        contact: Some(contact_ref(input, ci)),
        actions: vec![Action::Note {
            field: None,
            message: format!(
                "no row holds this contact's id while line(s) {}{more} could be read only in part: it stays linked and is not forgotten until they are fixed",
                lines.join(", ")
            ),
        }],
        was_linked: true,
        ..Record::default()
    }
}
