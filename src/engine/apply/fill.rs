//! The cells CINNOX fills itself on create (the owner; a level or type the row left
//! empty, which CINNOX stores as its default) and on an update that left a level or
//! type to it: one more listing, only in runs that made such writes and only for
//! mappings with such columns, brings them into the same list write, so the next
//! run has nothing left to do. IO, part of `apply`.

use crate::engine::seams::remote::Remote;
use crate::engine::sync::compare;
use crate::engine::sync::locate::Grid;
use crate::mapping::Mapping;
use crate::model::{Contact, FieldId, FieldValues};
use std::collections::{BTreeMap, HashMap};

/// A contact written in this run: its row, its id, and its index into the links.
pub type Written = (usize, String, usize);

/// Lists CINNOX again and puts the server-filled fields of the contacts `created`
/// and `updated` (row, id, index into `links`) into the list edits and their links'
/// base values: every such field for a new contact, the defaulted ones (level,
/// type) for an updated one.
pub async fn fill_server_fields<R: Remote>(
    mapping: &Mapping,
    grid: &Grid,
    remote: &mut R,
    (created, updated): (&[Written], &[Written]),
    sets: &mut BTreeMap<(usize, usize), String>,
    links: &mut [(String, FieldValues)],
) {
    let server_filled = |f: FieldId| !f.is_writable() || f.cinnox_default().is_some();
    let cols: Vec<(FieldId, usize)> = mapping
        .columns
        .iter()
        .filter(|(_, f)| server_filled(*f) && mapping.field_sync(*f).direction.from_cinnox())
        .filter_map(|(h, f)| grid.col(h).map(|c| (*f, c)))
        .collect();
    let defaulted = cols.iter().any(|(f, _)| f.cinnox_default().is_some());
    if cols.is_empty() || (created.is_empty() && !defaulted) {
        return;
    }
    let listing = match remote.list_contacts().await {
        Ok(l) => l,
        // Asked to stop while listing: the next run fills them, nothing to warn of.
        Err(crate::engine::RemoteError::Stopped) => return,
        Err(e) => {
            tracing::warn!(
                "could not re-read CINNOX for the new contacts' owners ({e}); the next run fills them"
            );
            return;
        }
    };
    let by_id: HashMap<&str, &Contact> = listing.iter().map(|c| (c.id.as_str(), c)).collect();
    let writes = created
        .iter()
        .map(|w| (w, true))
        .chain(updated.iter().map(|w| (w, false)));
    for ((r, id, link), new) in writes {
        let Some(c) = by_id.get(id.as_str()) else {
            continue;
        };
        for (f, col) in &cols {
            // A level the row gave was sent: only what CINNOX chose is filled in.
            let sent = f.is_writable() && links.get(*link).is_some_and(|l| l.1.has(*f));
            if sent || (!new && f.cinnox_default().is_none()) {
                continue;
            }
            let v = compare::form(&mapping.normaliser, *f, c.values.get(*f)).into_owned();
            if let Some(l) = links.get_mut(*link) {
                l.1.set(*f, v.clone());
            }
            sets.insert((*r, *col), v);
        }
    }
}
