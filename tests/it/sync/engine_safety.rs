//! What the sync engine stops, refuses or reports instead of guessing, on in-memory
//! sides: the guards, invalid rows, records CINNOX refuses, two rows with one id,
//! ambiguous key matches.

use crate::sync_support;

use super::engine::two_way_world;
use cinnox_sync::engine::{Action, RunOptions};
use cinnox_sync::model::FieldId as F;
use sync_support::{World, contact, row};

#[test]
fn guards_stop_mass_changes_unless_forced() {
    let mut w = two_way_world();
    w.sync_settled();
    let saved = std::mem::take(&mut w.remote.contacts);
    let run = w.sync();
    assert_eq!(run.guard.as_ref().map(|g| g.name()), Some("empty-cinnox"));
    assert!(run.report.is_none());
    w.remote.contacts = saved;
    let rows = std::mem::take(&mut w.store.table.rows);
    let numbers = std::mem::take(&mut w.store.table.row_numbers);
    assert_eq!(w.sync().guard.map(|g| g.name()), Some("empty-list"));
    w.store.table.rows = rows;
    w.store.table.row_numbers = numbers;

    // Many linked records changed at once.
    let mut w = World::new(
        (0..20)
            .map(|i| {
                row(&[
                    ("First Name", &format!("P{i}")),
                    ("Email", &format!("p{i}@x.hk")),
                ])
            })
            .collect(),
        vec![],
    );
    w.policy.guard_min_changes = 5;
    w.sync_settled();
    for r in 0..12 {
        w.set_cell(r, "Job Title", "Temp");
    }
    let run = w.sync();
    assert_eq!(
        run.guard.as_ref().map(|g| g.name()),
        Some("max-change-share"),
        "{:?}",
        run.plan.counts
    );
    // The engine states the fact; how to go ahead is the caller's to say (the
    // command line adds "--force", tested through the binary).
    let message = run.guard.unwrap().to_string();
    assert!(message.ends_with("nothing was changed"), "{message}");
    assert!(!message.contains("--"), "{message}");
    let run = w.sync_with(RunOptions {
        force: true,
        ..Default::default()
    });
    assert_eq!(run.report.unwrap().updated, 12);
}

#[test]
fn a_small_list_emptied_in_any_way_trips_the_empty_list_guard() {
    // Three linked records: far below guard_min_changes, so the share guard never
    // speaks; the empty-list guard must, however the rows were emptied.
    type Empty = fn(&mut World);
    let cases: [(&str, Empty); 4] = [
        ("no rows", |w| {
            w.store.table.rows.clear();
            w.store.table.row_numbers.clear();
        }),
        ("all blank", |w| {
            for r in &mut w.store.table.rows {
                r.iter_mut().for_each(String::clear);
            }
        }),
        ("holds a CINNOX ID", |w| {
            let c = w.col("CINNOX ID");
            for r in &mut w.store.table.rows {
                r[c].clear();
            }
        }),
        ("holds a CINNOX ID", |w| {
            // The id column removed altogether.
            let c = w.col("CINNOX ID");
            w.store.table.header.remove(c);
            for r in &mut w.store.table.rows {
                r.remove(c);
            }
        }),
    ];
    for (what, empty) in cases {
        let mut w = two_way_world();
        w.sync_settled();
        assert_eq!(w.state.link_count().unwrap(), 3);
        empty(&mut w);
        let before = w.table().clone();
        let run = w.sync();
        let g = run.guard.expect(what);
        assert_eq!(g.name(), "empty-list", "{what}");
        assert!(g.to_string().contains(what), "{what}: {g}");
        assert!(run.report.is_none());
        assert_eq!(w.table(), &before, "{what}: a refused run writes nothing");
        assert_eq!(
            w.state.link_count().unwrap(),
            3,
            "{what}: nothing forgotten"
        );
        assert_eq!(w.remote.calls.create, 1, "{what}: nothing created");
    }
}

#[test]
fn invalid_rows_are_not_sent_and_say_why() {
    let mut w = World::new(
        vec![row(&[
            ("First Name", "Ann"),
            ("Mobile", "12ab"),
            ("Email", "ann@x.hk"),
        ])],
        vec![],
    );
    let run = w.sync();
    assert_eq!(run.plan.counts.invalid, 1);
    assert_eq!(w.remote.calls.create, 0);
    assert!(
        w.cell(0, "Sync Status")
            .starts_with("error: Mobile contains letters"),
        "{}",
        w.cell(0, "Sync Status")
    );
}

#[test]
fn a_record_cinnox_refuses_says_why_and_is_tried_again_next_run() {
    let mut w = World::new(
        vec![
            row(&[("First Name", "Ann"), ("Email", "ann@x.hk")]),
            row(&[("First Name", "Refused"), ("Email", "no@x.hk")]),
            row(&[("First Name", "Cy"), ("Email", "cy@x.hk")]),
        ],
        vec![],
    );
    w.remote.reject_first_name = Some("Refused".into());
    let run = w.sync();
    let rep = run.report.expect("applied");
    // The refusal stops neither the other records nor the list write.
    assert_eq!(rep.created, 2);
    assert_eq!(rep.rejected.len(), 1, "{:?}", rep.rejected);
    assert_eq!(rep.rejected[0].line, Some(3));
    assert!(rep.rejected[0].message.contains("refused by the test"));
    assert!(!w.cell(0, "CINNOX ID").is_empty());
    assert!(!w.cell(2, "CINNOX ID").is_empty());
    assert_eq!(w.cell(1, "CINNOX ID"), "");
    assert!(
        w.cell(1, "Sync Status").contains("refused by the test"),
        "{}",
        w.cell(1, "Sync Status")
    );
    assert_eq!(w.cell(0, "Sync Status"), "ok");
    // Nothing is remembered against the row: once CINNOX takes it, it is created.
    w.remote.reject_first_name = None;
    let run = w.sync_settled();
    assert_eq!(run.plan.counts.creates, 1);
    assert_eq!(w.remote.contacts.len(), 3);
    assert_eq!(w.cell(1, "Sync Status"), "ok");
}

#[test]
fn two_rows_with_one_id_are_reported_not_guessed() {
    let mut w = World::new(
        vec![
            row(&[("First Name", "Ann"), ("CINNOX ID", "c1")]),
            row(&[("First Name", "Ann copy"), ("CINNOX ID", "c1")]),
        ],
        vec![contact("c1", &[(F::FirstName, "Ann")])],
    );
    let run = w.sync();
    let rep = run.report.unwrap();
    assert!(rep.stale.is_empty(), "{:?}", rep.stale);
    assert_eq!(run.plan.counts.skips, 1);
    assert_eq!(w.cell(1, "Sync Status"), "duplicate CINNOX ID");
    assert_eq!(w.contact("c1").values.get(F::FirstName), "Ann");
    assert_eq!(w.remote.calls.update, 0);
}

#[test]
fn ambiguous_key_matches_are_reported_never_guessed() {
    let mut w = World::new(
        vec![
            // The phone is on two contacts: which one is meant cannot be told.
            row(&[("First Name", "Ann"), ("Mobile", "+852 9123 4567")]),
            // Two rows match one contact by email.
            row(&[("First Name", "Cy"), ("Email", "cy@x.hk")]),
            row(&[("First Name", "Cy again"), ("Email", "CY@x.hk")]),
        ],
        vec![
            contact(
                "c1",
                &[(F::FirstName, "Ann"), (F::MobilePhone, "+85291234567")],
            ),
            contact(
                "c2",
                &[(F::FirstName, "Bo"), (F::MobilePhone, "+85291234567")],
            ),
            contact("c3", &[(F::FirstName, "Cy"), (F::Email, "cy@x.hk")]),
        ],
    );
    let run = w.sync();
    let c = &run.plan.counts;
    assert_eq!((c.links, c.creates, c.updates), (0, 0, 0), "{c:?}");
    assert_eq!(c.skips, 3, "{c:?}");
    // Nothing guessed, nothing created, and the contested contacts are not
    // appended: the list would hold Ann and Cy twice.
    assert_eq!(c.rows_appended, 0, "{:#?}", run.plan.records);
    assert_eq!(w.table().rows.len(), 3);
    assert_eq!(
        w.cell(0, "Sync Status"),
        "ambiguous: 2 contacts match by phone"
    );
    assert_eq!(w.cell(1, "Sync Status"), "ambiguous: several rows match c3");
    assert_eq!(w.cell(2, "Sync Status"), "ambiguous: several rows match c3");
    assert_eq!(w.cell(0, "CINNOX ID"), "");
    assert_eq!(w.remote.contacts.len(), 3);
    assert_eq!((w.remote.calls.create, w.remote.calls.update), (0, 0));
    let told: Vec<String> = run
        .plan
        .records
        .iter()
        .flat_map(|r| &r.actions)
        .filter_map(|a| match a {
            Action::Note { message, .. } => Some(message.clone()),
            _ => None,
        })
        .collect();
    assert!(
        told.iter().any(|m| m.contains("line(s) 3, 4 match it")),
        "{told:?}"
    );

    // Fixed by hand: Ann's row gets c1's id, the second Cy row another email.
    w.set_cell(0, "CINNOX ID", "c1");
    w.set_cell(2, "Email", "cy.two@x.hk");
    let run = w.sync_settled();
    let c = &run.plan.counts;
    assert_eq!((c.links, c.creates, c.rows_appended), (1, 1, 1), "{c:?}");
    assert_eq!(w.cell(1, "CINNOX ID"), "c3");
    assert!(
        w.row_of("c2").is_some(),
        "Bo, no longer contested, is added"
    );
    assert_eq!(w.table().rows.len(), 4);
    assert_eq!(w.remote.contacts.len(), 4);
}
