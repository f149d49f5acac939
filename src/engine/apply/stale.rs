//! Whether a record of a plan still applies to the sides as read now: its row is
//! found (by id or fingerprint), its contact is as the plan saw it, and what it
//! adds or forgets is not done already. A record that fails this is stale: skipped
//! and listed, never forced through.

use crate::engine::plan::{Action, Record};
use crate::engine::sync::locate::RowIndex;
use crate::model::{Contact, FieldValues, Normaliser};
use std::collections::HashMap;

/// The record's row in the list as read now (`None` for a record without a row),
/// or why the record is stale.
pub(super) fn locate(
    rec: &Record,
    rows: &mut RowIndex<'_>,
    by_id: &HashMap<&str, &Contact>,
    linked: &HashMap<String, FieldValues>,
    normaliser: &Normaliser,
) -> Result<Option<usize>, String> {
    let row = match &rec.row {
        Some(r) => match rows.find(r) {
            Some(i) => Some(i),
            None => {
                return Err(format!(
                    "line {}: the row changed or moved since the plan",
                    r.line
                ));
            }
        },
        None => None,
    };
    if let Some(c) = &rec.contact {
        let now = by_id
            .get(c.id.as_str())
            .map(|x| format!("{:016x}", x.content_hash(normaliser)));
        if now.as_deref() != Some(c.expect_hash.as_str()) {
            return Err(format!(
                "contact {}: changed in CINNOX since the plan",
                c.id
            ));
        }
    }
    match already_done(rec, rows, linked) {
        Some(why) => Err(why),
        None => Ok(row),
    }
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
