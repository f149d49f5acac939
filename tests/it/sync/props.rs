//! Property tests of the engine on in-memory sides: random edits on both sides under
//! each policy, and random structural events (row deletes, CINNOX deletes, merges,
//! new rows and contacts). Each time: the sync after the sync plans nothing, no
//! edit is lost unless the policy said so, no absorbed contact is re-created, and
//! no contact ends up in two rows.

use crate::sync_support;

use cinnox_sync::engine::sync::compare::form;
use cinnox_sync::mapping::ConflictPolicy;
use cinnox_sync::model::{FieldId as F, FieldValues, Normaliser};
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use sync_support::{World, contact, row};

const FIELDS: [(F, &str); 4] = [
    (F::LastName, "Last Name"),
    (F::CompanyName, "Company"),
    (F::JobTitle, "Job Title"),
    (F::MobilePhone, "Mobile"),
];
/// Values per field: text for text fields, phones (spelt several ways) for phones.
fn value(field: usize, i: usize) -> &'static str {
    const TEXT: [&str; 4] = ["", "Lee", "Acme", "Chan"];
    const PHONES: [&str; 4] = ["", "+85291234567", "+852 9123 4567", "+85261234567"];
    if FIELDS[field].0 == F::MobilePhone {
        PHONES[i % 4]
    } else {
        TEXT[i % 4]
    }
}
/// What tells the contacts of these tests apart: first name and email.
fn key(v: &FieldValues) -> (String, String) {
    (
        v.get(F::FirstName).to_string(),
        v.get(F::Email).to_lowercase(),
    )
}

const POLICIES: [ConflictPolicy; 3] = [
    ConflictPolicy::Report,
    ConflictPolicy::CinnoxWins,
    ConflictPolicy::SourceWins,
];

/// Contacts only in CINNOX, rows only in the list, and pairs matched by email.
fn world(n_contacts: usize, n_rows: usize, n_pairs: usize) -> World {
    let mut rows = Vec::new();
    let mut contacts = Vec::new();
    for i in 0..n_contacts {
        contacts.push(contact(
            &format!("c{i}"),
            &[
                (F::FirstName, &format!("C{i}")),
                (F::Email, &format!("c{i}@x.hk")),
            ],
        ));
    }
    for i in 0..n_rows {
        rows.push(row(&[
            ("First Name", &format!("R{i}")),
            ("Email", &format!("r{i}@x.hk")),
        ]));
    }
    for i in 0..n_pairs {
        let email = format!("p{i}@x.hk");
        contacts.push(contact(
            &format!("p{i}"),
            &[
                (F::FirstName, "P"),
                (F::Email, &email),
                (F::CompanyName, "Acme"),
            ],
        ));
        rows.push(row(&[
            ("First Name", "P"),
            ("Email", &email),
            ("Job Title", "Boss"),
        ]));
    }
    World::new(rows, contacts)
}

#[derive(Clone, Debug)]
struct Edit {
    target: usize,
    field: usize,
    /// 0: list only, 1: CINNOX only, 2: both.
    side: u8,
    row_value: usize,
    contact_value: usize,
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        (0usize..12, 0..FIELDS.len(), 0u8..3, 0usize..4, 0usize..4).prop_map(
            |(target, field, side, row_value, contact_value)| Edit {
                target,
                field,
                side,
                row_value,
                contact_value,
            },
        ),
        0..8,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn edits_on_both_sides_converge_and_none_is_lost(
        shape in (0usize..4, 0usize..4, 0usize..4),
        edits in edits(),
        policy in 0usize..3,
    ) {
        let n = Normaliser::default();
        let mut w = world(shape.0, shape.1, shape.2);
        w.sync_settled();
        let policy = POLICIES[policy];
        w.policy.conflict = Some(policy);
        let ids: Vec<String> = (0..w.table().rows.len()).map(|r| w.cell(r, "CINNOX ID").to_string()).collect();
        // The base: what both sides agree on now, per (row, field).
        let mut expect: HashMap<(usize, usize), (String, String, String)> = HashMap::new();
        for e in &edits {
            if ids.is_empty() { break; }
            let r = e.target % ids.len();
            let (f, col) = FIELDS[e.field];
            let entry = expect.entry((r, e.field)).or_insert_with(|| {
                let b = form(&n, f, w.cell(r, col)).into_owned();
                (b.clone(), b.clone(), b)
            });
            if e.side != 1 {
                w.set_cell(r, col, value(e.field, e.row_value));
                entry.1 = form(&n, f, value(e.field, e.row_value)).into_owned();
            }
            if e.side != 0 {
                w.set_contact(&ids[r], f, value(e.field, e.contact_value));
                entry.2 = form(&n, f, value(e.field, e.contact_value)).into_owned();
            }
        }
        w.sync_settled();
        for ((r, fi), (b, s, c)) in expect {
            let (f, col) = FIELDS[fi];
            let row_now = form(&n, f, w.cell(r, col)).into_owned();
            let contact_now = form(&n, f, w.contact(&ids[r]).values.get(f)).into_owned();
            let (want_row, want_contact) = if s == c || c == b {
                (s.clone(), s.clone())
            } else if s == b {
                (c.clone(), c.clone())
            } else {
                match policy {
                    ConflictPolicy::Report => (s.clone(), c.clone()),
                    ConflictPolicy::CinnoxWins => (c.clone(), c.clone()),
                    ConflictPolicy::SourceWins => (s.clone(), s.clone()),
                }
            };
            prop_assert_eq!(&row_now, &want_row, "row {} {}: base {:?} list {:?} cinnox {:?}", r, f, b, s, c);
            prop_assert_eq!(&contact_now, &want_contact, "contact {} {}: base {:?} list {:?} cinnox {:?}", ids[r], f, b, s, c);
        }
    }

    #[test]
    fn structural_events_converge_without_duplicates(
        shape in (0usize..4, 0usize..4, 1usize..4),
        events in prop::collection::vec((0u8..5, 0usize..16, 0usize..16), 0..6),
        mark in any::<bool>(),
    ) {
        let mut w = world(shape.0, shape.1, shape.2);
        let rp = if mark { cinnox_sync::engine::RowPolicy::Mark } else { cinnox_sync::engine::RowPolicy::Remove };
        w.policy.merged_rows = rp;
        w.policy.deleted_contacts = rp;
        w.sync_settled();
        let mut absorbed = Vec::new();
        for (k, (kind, a, b)) in events.into_iter().enumerate() {
            let nc = w.remote.contacts.len();
            let nr = w.table().rows.len();
            match kind {
                0 if nr > 0 => {
                    w.store.table.rows.remove(a % nr);
                    w.store.table.row_numbers.pop();
                }
                1 if nc > 0 => {
                    w.remote.contacts.remove(a % nc);
                }
                2 if nc > 1 && a % nc != b % nc => {
                    let (s, x) = (w.remote.contacts[a % nc].id.clone(), w.remote.contacts[b % nc].id.clone());
                    absorbed.push((x.clone(), key(&w.remote.contacts[b % nc].values)));
                    w.remote.merge(&s, &x);
                }
                3 => {
                    let cells = row(&[("First Name", "New"), ("Email", &format!("new{k}@x.hk"))]);
                    w.store.table.rows.push(cells);
                    let len = w.store.table.rows.len();
                    w.store.table.row_numbers.push(len + 1);
                }
                4 => w.remote.contacts.push(contact(&format!("n{k}"), &[(F::FirstName, "Nu")])),
                _ => {}
            }
        }
        // What a create for each row without an id would hold: the contacts this
        // sync creates must be exactly these, and none may hold what an absorbed
        // contact held (its row re-created instead of relinked or marked).
        let mut new_rows: Vec<(String, String)> = (0..w.table().rows.len())
            .filter(|r| w.cell(*r, "CINNOX ID").is_empty())
            .map(|r| (w.cell(r, "First Name").to_string(), w.cell(r, "Email").to_lowercase()))
            .collect();
        new_rows.sort();
        let before: HashSet<String> = w.remote.contacts.iter().map(|c| c.id.clone()).collect();
        w.sync_settled();
        let mut created: Vec<(String, String)> = w.remote.contacts.iter()
            .filter(|c| !before.contains(&c.id))
            .map(|c| key(&c.values))
            .collect();
        created.sort();
        for (x, held) in &absorbed {
            prop_assert!(!created.contains(held), "absorbed contact {} re-created as {:?}", x, held);
        }
        prop_assert_eq!(created, new_rows, "only new rows are created");
        // No contact in two rows, unless one is marked as merged.
        let mut seen: HashMap<String, usize> = HashMap::new();
        for r in 0..w.table().rows.len() {
            let id = w.cell(r, "CINNOX ID").to_string();
            let status = w.cell(r, "Sync Status");
            prop_assert!(!id.is_empty(), "row {} has no id", r);
            if w.remote.get(&id).is_none() {
                prop_assert!(status == "deleted in CINNOX" || status.starts_with("merged into"), "row {}: {}", r, status);
                continue;
            }
            if let Some(other) = seen.insert(id.clone(), r) {
                prop_assert!(false, "rows {} and {} both hold {}", other, r, id);
            }
        }
    }
}
