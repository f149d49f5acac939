//! The cells CINNOX fills itself on create (the owner): one more listing, only in
//! runs that created contacts and only for mappings with such columns, brings them
//! into the same list write, so the next run has nothing left to do. IO, part of
//! `apply`.

use crate::engine::seams::remote::Remote;
use crate::engine::sync::compare;
use crate::engine::sync::locate::Grid;
use crate::mapping::Mapping;
use crate::model::{Contact, FieldId, FieldValues};
use std::collections::{BTreeMap, HashMap};

/// Lists CINNOX again and puts the server-filled fields of the `created` contacts
/// (row, id, index into `links`) into the list edits and their links' base values.
pub async fn fill_server_fields<R: Remote>(
    mapping: &Mapping,
    grid: &Grid,
    remote: &mut R,
    created: &[(usize, String, usize)],
    sets: &mut BTreeMap<(usize, usize), String>,
    links: &mut [(String, FieldValues)],
) {
    let cols: Vec<(FieldId, usize)> = mapping
        .columns
        .iter()
        .filter(|(_, f)| !f.is_writable() && mapping.field_sync(*f).direction.from_cinnox())
        .filter_map(|(h, f)| grid.col(h).map(|c| (*f, c)))
        .collect();
    if cols.is_empty() {
        return;
    }
    let listing = match remote.list_contacts().await {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(
                "could not re-read CINNOX for the new contacts' owners ({e}); the next run fills them"
            );
            return;
        }
    };
    let by_id: HashMap<&str, &Contact> = listing.iter().map(|c| (c.id.as_str(), c)).collect();
    for (r, id, link) in created {
        let Some(c) = by_id.get(id.as_str()) else {
            continue;
        };
        for (f, col) in &cols {
            let v = compare::form(&mapping.normaliser, *f, c.values.get(*f)).into_owned();
            if let Some(l) = links.get_mut(*link) {
                l.1.set(*f, v.clone());
            }
            sets.insert((*r, *col), v);
        }
    }
}
