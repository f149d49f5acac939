//! The sync engine end to end on in-memory sides: first syncs, edits both ways,
//! conflicts under each policy, merges, ownership transfers, deletes both ways,
//! mistyped ids, typed pairs. (What it stops, refuses or reports is in `engine_safety`.)

use crate::sync_support;

use cinnox_sync::engine::{Action, RowPolicy, Staff};
use cinnox_sync::mapping::ConflictPolicy;
use cinnox_sync::model::FieldId as F;
use sync_support::{World, contact, row};

pub(super) fn two_way_world() -> World {
    World::new(
        vec![
            row(&[
                ("First Name", "Ann"),
                ("Email", "ann@x.hk"),
                ("Job Title", "CEO"),
            ]),
            row(&[("First Name", "Cy"), ("Email", "cy@x.hk")]),
        ],
        vec![
            contact(
                "c1",
                &[
                    (F::FirstName, "Ann"),
                    (F::Email, "ANN@x.hk"),
                    (F::CompanyName, "Acme"),
                ],
            ),
            contact(
                "c2",
                &[(F::FirstName, "Bo"), (F::MobilePhone, "+85291234567")],
            ),
        ],
    )
}

#[test]
fn first_sync_links_creates_and_appends_then_rests() {
    let mut w = two_way_world();
    let run = w.sync_settled();
    let c = &run.plan.counts;
    assert_eq!((c.links, c.creates, c.rows_appended), (1, 1, 1), "{c:?}");
    // Ann matched c1 by email (case differs), got its id and company.
    assert_eq!(w.cell(0, "CINNOX ID"), "c1");
    assert_eq!(w.cell(0, "Company"), "Acme");
    assert_eq!(w.contact("c1").values.get(F::JobTitle), "CEO");
    // Cy was created and its id written back.
    let cy = w.cell(1, "CINNOX ID").to_string();
    assert_eq!(w.contact(&cy).values.get(F::FirstName), "Cy");
    // Bo, new in CINNOX, was appended with its id.
    let bo = w.row_of("c2").expect("Bo appended");
    assert_eq!(w.cell(bo, "Mobile"), "+85291234567");
    assert_eq!(w.cell(bo, "Sync Status"), "ok");
    assert_eq!(w.remote.contacts.len(), 3);
    // One listing, one create, one update, one list write.
    assert_eq!((w.remote.calls.create, w.remote.calls.update), (1, 1));
}

#[test]
fn edits_on_both_sides_flow_across_and_respellings_do_not() {
    let mut w = two_way_world();
    w.sync_settled();
    let (updates, writes) = (w.remote.calls.update, w.store.writes);
    w.set_cell(0, "Job Title", "CTO");
    w.set_contact("c1", F::CompanyName, "Acme Ltd");
    let bo = w.row_of("c2").unwrap();
    w.set_cell(bo, "Mobile", "+852 9123 4567");
    let run = w.sync_settled();
    assert_eq!(run.plan.counts.updates, 1);
    assert_eq!(w.contact("c1").values.get(F::JobTitle), "CTO");
    assert_eq!(w.cell(0, "Company"), "Acme Ltd");
    assert_eq!(w.remote.calls.update, updates + 1);
    assert_eq!(w.store.writes, writes + 1);
    // The full body was sent: fields the list does not hold survive.
    assert_eq!(w.contact("c1").values.get(F::CompanyName), "Acme Ltd");
}

fn conflicted(policy: ConflictPolicy) -> (World, cinnox_sync::engine::SyncRun) {
    let mut w = two_way_world();
    w.sync_settled();
    w.policy.conflict = Some(policy);
    w.set_cell(0, "Job Title", "CTO");
    w.set_contact("c1", F::JobTitle, "COO");
    let run = w.sync_settled();
    (w, run)
}

#[test]
fn a_conflict_is_settled_by_each_policy() {
    let (w, run) = conflicted(ConflictPolicy::Report);
    assert_eq!(run.plan.counts.unresolved, 1);
    assert_eq!(w.cell(0, "Job Title"), "CTO");
    assert_eq!(w.contact("c1").values.get(F::JobTitle), "COO");
    assert_eq!(w.cell(0, "Sync Status"), "conflict: Job Title");

    let (w, run) = conflicted(ConflictPolicy::CinnoxWins);
    assert_eq!(
        (run.plan.counts.conflicts, run.plan.counts.unresolved),
        (1, 0)
    );
    assert_eq!(w.cell(0, "Job Title"), "COO");
    assert_eq!(w.cell(0, "Sync Status"), "ok");

    let (w, _) = conflicted(ConflictPolicy::SourceWins);
    assert_eq!(w.contact("c1").values.get(F::JobTitle), "CTO");
}

#[test]
fn a_merge_relinks_and_a_second_row_is_marked_or_removed() {
    for policy in [RowPolicy::Mark, RowPolicy::Remove] {
        let mut w = World::new(
            vec![
                row(&[("First Name", "Ann"), ("CINNOX ID", "c1")]),
                row(&[("First Name", "Ann B"), ("CINNOX ID", "c2")]),
                row(&[("First Name", "Cy"), ("CINNOX ID", "c3")]),
            ],
            vec![
                contact("c1", &[(F::FirstName, "Ann")]),
                contact("c2", &[(F::FirstName, "Ann B")]),
                contact("c3", &[(F::FirstName, "Cy")]),
                contact("c4", &[(F::FirstName, "Dee")]),
            ],
        );
        w.policy.merged_rows = policy;
        w.sync_settled();
        // c2 absorbed into c1 (c1 has a row); c3 absorbed into c4 (c4 has a row too,
        // appended at the first sync), so make c3 merge into a contact with no row:
        w.remote.merge("c1", "c2");
        w.remote
            .contacts
            .push(contact("c9", &[(F::FirstName, "Cy")]));
        w.remote.merge("c9", "c3");
        w.state.remember_deleted_rows(&["c9".into()]).unwrap(); // as if its row was never there
        let creates = w.remote.calls.create;
        let run = w.sync_settled();
        assert_eq!(
            w.remote.calls.create, creates,
            "an absorbed contact is never re-created"
        );
        assert!(run.plan.records.iter().any(|r| {
            r.actions
                .iter()
                .any(|a| matches!(a, Action::Link { how, .. } if how.contains("merged")))
        }));
        assert!(
            w.row_of("c9").is_some(),
            "the row of c3 follows its survivor"
        );
        match policy {
            RowPolicy::Mark => {
                let r = w.row_of("c2").unwrap();
                assert_eq!(w.cell(r, "Sync Status"), "merged into c1");
            }
            RowPolicy::Remove => assert!(w.row_of("c2").is_none()),
        }
        assert!(w.row_of("c1").is_some());
    }
}

#[test]
fn ownership_transfer_flows_to_the_list_and_list_edits_are_reported() {
    let mut w = World::new(
        vec![row(&[("First Name", "Ann"), ("CINNOX ID", "c1")])],
        vec![contact(
            "c1",
            &[
                (F::FirstName, "Ann"),
                (F::OwnerId, "s1"),
                (F::OwnerName, "Sam"),
            ],
        )],
    );
    w.remote.staff = vec![Staff {
        id: "s2".into(),
        name: "Tia".into(),
    }];
    w.sync_settled();
    assert_eq!(w.cell(0, "Owner"), "Sam");
    // Transfer in CINNOX; the listing lacks the new owner's name: the staff list has it.
    w.set_contact("c1", F::OwnerId, "s2");
    w.set_contact("c1", F::OwnerName, "");
    w.sync_settled();
    assert_eq!((w.cell(0, "Owner"), w.cell(0, "Owner ID")), ("Tia", "s2"));
    assert_eq!(w.remote.calls.staff, 2);
    // An owner typed in the list is replaced, and said so.
    w.set_cell(0, "Owner", "Me");
    let run = w.sync_settled();
    assert_eq!(w.cell(0, "Owner"), "Tia");
    let note = run.plan.records.iter().flat_map(|r| &r.actions).any(
        |a| matches!(a, Action::Note { message, .. } if message.contains("ownership transfer")),
    );
    assert!(note, "{:#?}", run.plan.records);
    assert_eq!(
        w.remote.calls.update, 0,
        "owner fields are never written to CINNOX"
    );
}

#[test]
fn deletes_both_ways() {
    for policy in [RowPolicy::Mark, RowPolicy::Remove] {
        let mut w = two_way_world();
        w.policy.deleted_contacts = policy;
        w.sync_settled();
        // Deleted in CINNOX: the row is marked or removed, never re-created.
        w.remote.contacts.retain(|c| c.id != "c1");
        let creates = w.remote.calls.create;
        w.sync_settled();
        assert_eq!(w.remote.calls.create, creates);
        match policy {
            RowPolicy::Mark => assert_eq!(
                w.cell(w.row_of("c1").unwrap(), "Sync Status"),
                "deleted in CINNOX"
            ),
            RowPolicy::Remove => assert!(w.row_of("c1").is_none()),
        }
        // Deleted in the list: reported, remembered, not re-added.
        let bo = w.row_of("c2").unwrap();
        w.store.table.rows.remove(bo);
        w.store.table.row_numbers.pop();
        let run = w.sync_settled();
        assert!(run.plan.records.iter().any(|r| {
            r.actions
                .iter()
                .any(|a| matches!(a, Action::Forget { contact_id } if contact_id == "c2"))
        }));
        assert!(w.row_of("c2").is_none());
        assert!(
            w.remote.get("c2").is_some(),
            "the API cannot delete: the contact stays"
        );
    }
}

#[test]
fn a_mistyped_id_is_reported_and_neither_row_nor_contact_is_lost() {
    let mut w = two_way_world();
    // The harshest policy: were the typo taken for a delete, the row would go.
    w.policy.deleted_contacts = RowPolicy::Remove;
    w.sync_settled();
    let rows = w.table().rows.len();
    w.set_cell(0, "CINNOX ID", "c1x");
    let run = w.sync();
    let notes: Vec<&str> = run
        .plan
        .records
        .iter()
        .flat_map(|r| &r.actions)
        .filter_map(|a| match a {
            Action::Skip { reason }
            | Action::Note {
                message: reason, ..
            } => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        notes.iter().any(|n| n.contains(
            "CINNOX ID c1x is not a contact CINNOX lists and was never linked here; check it"
        ) && n.contains("looks like c1")),
        "{notes:#?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("not forgotten")),
        "{notes:#?}"
    );
    assert_eq!(run.plan.counts.skips, 1, "{:?}", run.plan.counts);
    assert!(
        !run.plan
            .records
            .iter()
            .flat_map(|r| &r.actions)
            .any(|a| matches!(
                a,
                Action::Forget { .. } | Action::RemoveRow { .. } | Action::AppendRow { .. }
            )),
        "{:#?}",
        run.plan.records
    );
    // The row is left alone but for its status; c1 stays linked, not remembered as
    // deleted from the list, and is not appended as a new row.
    assert_eq!(w.table().rows.len(), rows);
    assert_eq!(w.cell(0, "CINNOX ID"), "c1x");
    assert_eq!(w.cell(0, "Sync Status"), "unknown CINNOX ID");
    assert!(w.row_of("c1").is_none());
    let snap = w.state.snapshot().unwrap();
    assert!(snap.links.contains_key("c1") && !snap.deleted_rows.contains("c1"));
    assert_eq!((w.remote.calls.create, w.remote.calls.update), (1, 1));
    // Fixed: c1's row again, nothing sent.
    w.set_cell(0, "CINNOX ID", "c1");
    w.sync_settled();
    assert_eq!(w.cell(0, "Sync Status"), "ok");
    assert_eq!(w.table().rows.len(), rows);
    assert_eq!((w.remote.calls.create, w.remote.calls.update), (1, 1));
}

#[test]
fn a_contact_deleted_in_cinnox_stays_deleted_at_later_runs() {
    let mut w = two_way_world();
    w.sync_settled();
    w.remote.contacts.retain(|c| c.id != "c1");
    w.sync_settled();
    // Its link stays while its marked row does (the row's last agreed values, so
    // an edit typed there later is told); the state remembers it gone, so the row
    // is not taken for one holding a mistyped id, and the guard does not count it.
    let snap = w.state.snapshot().unwrap();
    assert!(snap.links.contains_key("c1"));
    assert!(
        w.state
            .remembered_gone(&["c1".into()])
            .unwrap()
            .contains("c1")
    );
    let run = w.sync();
    assert_eq!(
        run.plan.counts.linked, 2,
        "c2 and the contact made for Cy, not c1"
    );
    assert_eq!(run.plan.counts.skips, 0, "{:#?}", run.plan.records);
    assert_eq!(
        w.cell(w.row_of("c1").unwrap(), "Sync Status"),
        "deleted in CINNOX"
    );
    // A row an older version marked, whose id its state file no longer knows.
    let mut w = World::new(
        vec![row(&[
            ("First Name", "Ann"),
            ("CINNOX ID", "c9"),
            ("Sync Status", "deleted in CINNOX"),
        ])],
        vec![],
    );
    let run = w.sync();
    assert_eq!(run.plan.counts.skips, 0, "{:#?}", run.plan.records);
    assert!(run.plan.writes_nothing());
}

#[test]
fn typed_pairs_sync_through_their_type_cell() {
    // The CINNOX template layout: one phone pair, one email pair per row.
    let header = [
        "First Name",
        "Phone Type",
        "Phone Number",
        "Email Type",
        "Email Address",
        "CINNOX ID",
    ];
    let mapping = "match_keys = [\"email\", \"phone\"]\n[columns]\n\"First Name\" = \"firstName\"\n\
        [typed.phone]\ntype_column = \"Phone Type\"\nvalue_column = \"Phone Number\"\ndefault_type = \"Mobile\"\n\
        [typed.email]\ntype_column = \"Email Type\"\nvalue_column = \"Email Address\"\ndefault_type = \"Work\"\n";
    let cells = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut w = World::with_mapping(
        mapping,
        &header,
        vec![
            cells(&["Ann", "Work", "+852 2123 4567", "Work", "ann@x.hk", "c1"]),
            cells(&["Bo", "", "", "", "", "c2"]),
        ],
        vec![
            contact(
                "c1",
                &[
                    (F::FirstName, "Ann"),
                    (F::WorkPhone, "+85221234567"),
                    (F::Email, "ann@x.hk"),
                ],
            ),
            contact(
                "c2",
                &[(F::FirstName, "Bo"), (F::HomePhone, "+85231234567")],
            ),
        ],
    );
    w.sync_settled();
    // A phone CINNOX has fills Bo's empty pair, with its type.
    let t = w.table();
    assert_eq!(
        (t.rows[1][1].as_str(), t.rows[1][2].as_str()),
        ("Home", "+85231234567")
    );
    // Ann's work number, spelt differently, made no write; a change in CINNOX lands
    // in the pair's value cell.
    assert_eq!(w.remote.calls.update, 0);
    let c1 = w.remote.contacts.iter_mut().find(|c| c.id == "c1").unwrap();
    c1.values.set(F::WorkPhone, "+85229999999");
    c1.values.set(F::MobilePhone, "+85291234567"); // the pair holds Work: not this one
    w.sync_settled();
    assert_eq!(w.table().rows[0][2], "+85229999999");
    assert_eq!(w.table().rows[0][1], "Work");
}
