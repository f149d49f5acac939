//! Ids rows hold that CINNOX does not list and no listed contact absorbed. Such an
//! id is a contact deleted in CINNOX only when this job knows it: linked in the
//! state, made by a create of this job (the journal), or gone since an earlier run
//! (the state's `gone_contacts`; a row a run marked `deleted in CINNOX` counts
//! too). Any other is a mistake in the list (a typo, an id from another tenant):
//! reported, never taken for a delete. Pure, part of `identity`.

use super::identity::RowFate;
use super::input::{PlanInput, Snapshot};
use super::keys::{KeyIndex, KeyMatch};
use crate::mapping::Columns;
use crate::model::{Contact, FieldValues};
use crate::sources::Table;
use std::collections::HashSet;

/// Whether the snapshot knows `id` as a contact of this job: linked, made by an open
/// create, or gone from CINNOX since it was linked or created.
pub(super) fn known(state: &Snapshot, id: &str) -> bool {
    state.links.contains_key(id)
        || state.gone.contains(id)
        || state
            .pending_creates
            .iter()
            .any(|p| p.contact_id.as_deref() == Some(id))
}

/// The status of a row whose contact was deleted in CINNOX.
pub const GONE_STATUS: &str = "deleted in CINNOX";

/// Whether a run marked the row's contact deleted in CINNOX already: a state file
/// from before `gone_contacts` no longer knows such an id.
pub(super) fn marked_gone(cols: &Columns, cells: &[String]) -> bool {
    cols.status_col
        .and_then(|c| cells.get(c))
        .is_some_and(|s| s.trim().starts_with(GONE_STATUS))
}

/// The ids rows hold that CINNOX does not list, that no listed contact absorbed,
/// and that the snapshot does not know: what a run asks the state file about
/// (`Snapshot::gone`) before planning.
pub fn unknown_ids(
    table: &Table,
    cols: &Columns,
    contacts: &[Contact],
    state: &Snapshot,
) -> Vec<String> {
    let listed: HashSet<&str> = contacts
        .iter()
        .flat_map(|c| {
            std::iter::once(c.id.as_str()).chain(c.slave_contacts.iter().map(String::as_str))
        })
        .collect();
    let mut out: Vec<String> = table
        .rows
        .iter()
        .map(|cells| cols.id(cells))
        .filter(|id| !id.is_empty() && !listed.contains(id) && !known(state, id))
        .map(str::to_string)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The links CINNOX does not list (deleted or merged away there, since this run or
/// before): what a run asks the state file about (`Snapshot::marked`).
pub fn unlisted_links(contacts: &[Contact], state: &Snapshot) -> Vec<String> {
    if state.links.is_empty() {
        return Vec::new();
    }
    let listed: HashSet<&str> = contacts.iter().map(|c| c.id.as_str()).collect();
    let mut out: Vec<String> = state
        .links
        .keys()
        .filter(|id| !listed.contains(id.as_str()))
        .cloned()
        .collect();
    out.sort_unstable();
    out
}

/// The status of a row whose id nobody knows.
pub const UNKNOWN_STATUS: &str = "unknown CINNOX ID";

/// Says what each row with an unknown id is, naming the linked contact without a
/// row of its own that the row matches by the match keys, if exactly one does.
pub(super) fn explain_unknown(
    input: &PlanInput<'_>,
    claimed: &[Option<usize>],
    fates: &mut [Option<RowFate<'_>>],
    rows: Vec<usize>,
    row_values: &dyn Fn(usize) -> FieldValues,
) -> Vec<(usize, Option<usize>)> {
    if rows.is_empty() {
        return Vec::new();
    }
    let n = &input.mapping.normaliser;
    let orphans: Vec<usize> = (0..input.contacts.len())
        .filter(|&ci| {
            claimed[ci].is_none() && input.state.links.contains_key(&input.contacts[ci].id)
        })
        .collect();
    let pool: Vec<Contact> = orphans
        .iter()
        .map(|&ci| input.contacts[ci].clone())
        .collect();
    let index = KeyIndex::build(&input.mapping.match_keys, &pool, n);
    rows.into_iter()
        .map(|r| {
            let id = input.columns.columns.id(&input.table.rows[r]);
            let guess = match index.find(&row_values(r), n) {
                KeyMatch::One(k, _) => Some(orphans[k]),
                _ => None,
            };
            let mut reason = format!(
                "CINNOX ID {id} is not a contact CINNOX lists and was never linked here; check it"
            );
            if let Some(ci) = guess {
                let real = &input.contacts[ci].id;
                reason.push_str(&format!(
                    " (it looks like {real}: the row matches that linked contact, which no row holds now)"
                ));
            }
            fates[r] = Some(RowFate::Leave {
                reason,
                status: Some(UNKNOWN_STATUS.into()),
            });
            (r, guess)
        })
        .collect()
}
