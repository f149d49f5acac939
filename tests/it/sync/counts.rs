//! Every count of a run's summary equals the entries listed (issue 9, item 7), as a
//! property over random plans: the counts `Plan::count` makes, the problems and
//! notes the summary lists (with the notes a run adds about how the list was read),
//! and the plan's lines as `plan` prints them.

use cinnox_sync::cli::report::print_plan;
use cinnox_sync::engine::plan::{
    Action, CellChange, Conflict, FieldChange, ID_REASON, INVALID_PREFIX, MIRROR_REASON, Plan,
    Record, RowRef, STATUS_REASON,
};
use cinnox_sync::job::summary::Summary;
use cinnox_sync::mapping::{ConflictPolicy, PolicyFrom};
use cinnox_sync::model::{FieldId, FieldValues};
use proptest::prelude::*;

fn change(i: usize) -> FieldChange {
    FieldChange {
        field: FieldId::ALL[i % FieldId::COUNT],
        column: String::new(),
        from: "a".into(),
        to: "b".into(),
    }
}

fn action() -> impl Strategy<Value = Action> {
    let reasons = prop::sample::select(vec![
        STATUS_REASON,
        ID_REASON,
        MIRROR_REASON,
        "field values from CINNOX",
        "merged into c9",
        "deleted in CINNOX",
    ]);
    let policies = prop::sample::select(vec![
        ConflictPolicy::Report,
        ConflictPolicy::CinnoxWins,
        ConflictPolicy::SourceWins,
    ]);
    prop_oneof![
        Just(Action::CreateContact {
            values: FieldValues::new()
        }),
        (1usize..4).prop_map(|n| Action::UpdateContact {
            values: FieldValues::new(),
            changes: (0..n).map(change).collect(),
        }),
        (1usize..4, reasons, any::<bool>()).prop_map(|(n, reason, marks)| Action::SetCells {
            cells: (0..n)
                .map(|i| CellChange {
                    column: format!("C{i}"),
                    old: String::new(),
                    new: "x".into(),
                })
                .collect(),
            reason: reason.to_string(),
            marks,
        }),
        Just(Action::AppendRow { cells: vec![] }),
        Just(Action::RemoveRow {
            reason: "deleted in CINNOX".into()
        }),
        Just(Action::Link {
            contact_id: "c1".into(),
            how: "matched by email".into()
        }),
        (policies, prop::option::of(2usize..9)).prop_map(|(policy, source_line)| {
            Action::Conflict(Conflict {
                field: FieldId::JobTitle,
                column: "Job Title".into(),
                base: None,
                source: "a".into(),
                source_line,
                cinnox: "b".into(),
                policy,
                policy_from: Some(PolicyFrom::Job),
                resolution: "kept both; fix one side".into(),
            })
        }),
        Just(Action::Note {
            field: None,
            message: "a note".into()
        }),
        any::<bool>().prop_map(|invalid| Action::Skip {
            reason: if invalid {
                format!("{INVALID_PREFIX} First Name is required but empty")
            } else {
                "ambiguous".into()
            }
        }),
        Just(Action::Forget {
            contact_id: "c2".into()
        }),
    ]
}

fn record() -> impl Strategy<Value = Record> {
    (
        prop::collection::vec(action(), 0..5),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(actions, row, was_linked)| Record {
            row: row.then(|| RowRef {
                line: 2,
                id: None,
                fingerprint: "0".into(),
            }),
            actions,
            was_linked,
            ..Record::default()
        })
}

proptest! {
    #[test]
    fn every_count_equals_the_entries_listed(
        records in prop::collection::vec(record(), 0..12),
        run_notes in prop::collection::vec(".{1,8}", 0..3),
        linked in 0usize..20,
    ) {
        let mut plan = Plan { records, ..Plan::default() };
        plan.count(linked);
        let c = plan.counts.clone();
        let mut s = Summary::new("sync", "list".into(), "state".into());
        s.with_plan(&plan);
        s.with_outcome(None, None, run_notes.clone());
        let v = serde_json::to_value(&s).unwrap();
        let n = |k: &str| v["counts"][k].as_u64().unwrap() as usize;
        prop_assert_eq!(n("notes"), s.notes.len());
        prop_assert_eq!(n("conflicts") + n("invalid") + n("skips"), s.problems.len());
        let mut text = Vec::new();
        print_plan(&plan, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        let lines = |kind: &str| text.lines().filter(|l| l.split_whitespace().next() == Some(kind)).count();
        let all = plan.records.iter().flat_map(|r| &r.actions);
        let changes: usize = all.clone().map(|a| match a {
            Action::UpdateContact { changes, .. } => changes.len(),
            _ => 0,
        }).sum();
        prop_assert_eq!(lines("create"), c.creates);
        prop_assert_eq!(lines("update"), changes);
        prop_assert_eq!(lines("append"), c.rows_appended);
        prop_assert_eq!(lines("remove"), c.rows_removed);
        prop_assert_eq!(lines("link"), c.links);
        prop_assert_eq!(lines("conflict"), c.conflicts);
        prop_assert_eq!(lines("note"), c.notes);
        prop_assert_eq!(lines("skip"), c.invalid + c.skips);
        prop_assert_eq!(c.notes + run_notes.len(), s.notes.len());
        let updates = all.filter(|a| matches!(a, Action::UpdateContact { .. })).count();
        prop_assert_eq!(updates, c.updates);
        let with_cells = plan.records.iter()
            .filter(|r| r.actions.iter().any(|a| matches!(a, Action::SetCells { .. })))
            .count();
        prop_assert_eq!(with_cells, c.rows_changed);
        let quiet = plan.records.iter().filter(|r| r.actions.is_empty()).count();
        prop_assert_eq!(quiet, c.unchanged);
        prop_assert!(c.linked_changed <= plan.records.iter().filter(|r| r.was_linked).count());
    }
}
