//! The sync scenarios every kind of list must pass, written once: first sync each
//! way, edits on both sides, a conflict under each policy, a merge, an ownership
//! transfer, deletes both ways. Each checks the writes a run sent with the sandbox's
//! own request stats and, on a sheet, the Sheets requests the fake counted.

use super::env::ListEnv;
use crate::sync_support::sandbox::{cinnox_person, person};
use cinnox_sync::model::FieldId as F;

fn two_way<E: ListEnv>() -> E {
    let matched = vec![
        ("First Name", "Cin1".to_string()),
        ("Email", "CIN1@example.com".into()),
        ("Notes", "call after 6pm".into()),
    ];
    E::new(
        &[person(1), person(2), matched],
        vec![cinnox_person(1), cinnox_person(2)],
    )
}

pub fn first_sync_goes_both_ways_then_rests<E: ListEnv>() {
    let env = two_way::<E>();
    let before = env.header();
    let v = env.sync_settled(0);
    assert_eq!(v["outcome"], "applied");
    assert_eq!(
        (
            v["counts"]["creates"].as_u64(),
            v["counts"]["links"].as_u64(),
            v["counts"]["rows_appended"].as_u64()
        ),
        (Some(2), Some(1), Some(1)),
        "{v:#}"
    );
    assert_eq!(v["calls"]["create"], 2);
    // The writes the run sent are exactly the changed records (sandbox stats).
    let s = env.stats();
    assert_eq!((s.total("create"), s.total("update")), (2, 0));
    if let Some((c, _)) = env.sheet_requests() {
        assert_eq!(
            (c.reads, c.batch_updates, c.appends, c.writes()),
            (1, 1, 1, 2),
            "one read, one batch update, one append: {c:?}"
        );
        assert_eq!(env.header(), before, "a sheet gets no column unasked");
    }
    assert_eq!(env.contacts().len(), 4);
    let rows = env.rows();
    assert_eq!(rows.len(), 4);
    for r in &rows {
        assert!(!r["CINNOX ID"].is_empty(), "every id written back: {r:?}");
        assert_eq!(r["Sync Status"], "ok");
        assert!(!r["Owner"].is_empty(), "owner filled from CINNOX: {r:?}");
    }
    // The matched row took CINNOX's company; the column the mapping does not know stays.
    let cin1 = rows.iter().find(|r| r["First Name"] == "Cin1").unwrap();
    assert_eq!(cin1["Company"], "Acme");
    assert_eq!(cin1["Notes"], "call after 6pm", "{}", E::KIND);
}

pub fn edits_on_both_sides_cost_one_write_each<E: ListEnv>() {
    let env = two_way::<E>();
    env.sync_settled(0);
    let p1 = env.rows()[0]["CINNOX ID"].clone();
    let cin2 = env
        .rows()
        .iter()
        .find(|r| r["First Name"] == "Cin2")
        .unwrap()["CINNOX ID"]
        .clone();
    env.set_cell(env.index_of(&p1), "Job Title", "Director");
    env.sb()
        .sandbox()
        .edit(&cin2, &[(F::JobTitle, "Buyer".into())])
        .unwrap();
    let before = env.stats();
    let v = env.sync_settled(0);
    assert_eq!(v["calls"]["update"], 1, "{v:#}");
    assert_eq!(v["rows_written"], 1);
    assert_eq!(env.stats().total("update") - before.total("update"), 1);
    if let Some((c, log)) = env.sheet_requests() {
        assert_eq!((c.reads, c.batch_updates, c.appends), (1, 1, 0), "{c:?}");
        let sent = &log[1].body;
        assert_eq!(sent["valueInputOption"], "RAW");
        assert_eq!(
            sent["data"].as_array().map(Vec::len),
            Some(1),
            "one cell: {sent}"
        );
    }
    assert_eq!(env.contact(&p1).values.get(F::JobTitle), "Director");
    assert_eq!(env.row_of(&cin2).unwrap()["Job Title"], "Buyer");
}

pub fn a_conflict_under_each_policy<E: ListEnv>() {
    for (policy, row_wants, cinnox_wants, code) in [
        ("report", "Director", "Chief", 1),
        ("cinnox-wins", "Chief", "Chief", 0),
        ("source-wins", "Director", "Director", 0),
    ] {
        let env = E::with_policy(&[person(1)], vec![], &format!("conflict = {policy:?}"));
        env.sync_settled(0);
        let id = env.rows()[0]["CINNOX ID"].clone();
        env.set_cell(0, "Job Title", "Director");
        env.sb()
            .sandbox()
            .edit(&id, &[(F::JobTitle, "Chief".into())])
            .unwrap();
        let v = env.sync_settled(code);
        assert_eq!(v["counts"]["conflicts"], 1, "{policy}: {v:#}");
        assert_eq!(env.rows()[0]["Job Title"], row_wants, "{policy}");
        assert_eq!(
            env.contact(&id).values.get(F::JobTitle),
            cinnox_wants,
            "{policy}"
        );
        if policy == "report" {
            assert_eq!(v["outcome"], "finished_with_problems");
            // Named as the list names the column.
            assert_eq!(env.rows()[0]["Sync Status"], "conflict: Job Title");
        }
    }
}

pub fn a_merge_relinks_and_marks_the_second_row<E: ListEnv>() {
    let env = E::new(&[person(1), person(2), person(3)], vec![]);
    env.sync_settled(0);
    let ids: Vec<String> = env.rows().iter().map(|r| r["CINNOX ID"].clone()).collect();
    // 2 absorbed into 1 (both have rows): row 2 is marked, never re-created.
    env.sb()
        .sandbox()
        .merge(&ids[0], &[ids[1].clone()])
        .unwrap();
    let creates = env.stats().total("create");
    env.sync_settled(0);
    assert_eq!(
        env.stats().total("create"),
        creates,
        "an absorbed contact is never re-created"
    );
    assert_eq!(
        env.row_of(&ids[1]).unwrap()["Sync Status"],
        format!("merged into {}", ids[0])
    );
    assert_eq!(env.contacts().len(), 2);
    assert_eq!(env.rows().len(), 3);
}

pub fn an_ownership_transfer_flows_into_the_owner_columns<E: ListEnv>() {
    let env = E::new(&[person(1)], vec![]);
    env.sync_settled(0);
    let id = env.rows()[0]["CINNOX ID"].clone();
    let owner_before = env.rows()[0]["Owner ID"].clone();
    let staff = env.sb().sandbox().staff_page(0, 100, "").0;
    let other = staff.iter().find(|s| s.id != owner_before).unwrap();
    env.sb()
        .sandbox()
        .transfer(std::slice::from_ref(&id), &other.id)
        .unwrap();
    env.sync_settled(0);
    if let Some((c, _)) = env.sheet_requests() {
        assert_eq!((c.batch_updates, c.appends), (1, 0), "{c:?}");
    }
    let row = env.row_of(&id).unwrap();
    assert_eq!(row["Owner ID"], other.id);
    assert_eq!(row["Owner"], other.owner_name());
    // An owner typed into the list is put back, and reported, never sent to CINNOX.
    env.set_cell(0, "Owner", "Somebody Else");
    let out = env
        .cmd()
        .args(["sync", "--config", env.job_arg()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("ownership transfer"), "{text}");
    assert_eq!(env.row_of(&id).unwrap()["Owner"], other.owner_name());
    assert_eq!(
        env.stats().total("update"),
        0,
        "owner is never written to CINNOX"
    );
}

pub fn deletes_both_ways<E: ListEnv>() {
    let env = E::new(&[person(1), person(2)], vec![]);
    env.sync_settled(0);
    let ids: Vec<String> = env.rows().iter().map(|r| r["CINNOX ID"].clone()).collect();
    env.sb().sandbox().delete(&ids[0]).unwrap();
    env.sync_settled(0);
    assert_eq!(
        env.row_of(&ids[0]).unwrap()["Sync Status"],
        "deleted in CINNOX"
    );
    assert_eq!(env.contacts().len(), 1, "never re-created");
    // A row deleted from the list: reported, remembered, not added back.
    env.delete_row_of(&ids[1]);
    let v = env.sync_settled(0);
    assert_eq!(
        v["notes"][0],
        format!(
            "contact {}: its row was deleted from the list; it is remembered and not added again",
            ids[1]
        ),
        "{v:#}"
    );
    let state = cinnox_sync::state::StateStore::open_to_read(
        &env.state_path(),
        std::sync::Arc::new(cinnox_sync::state::SystemClock),
    )
    .unwrap();
    assert!(state.snapshot().unwrap().deleted_rows.contains(&ids[1]));
    drop(state);
    // The next sync (after the one sync_settled made) does not add it back either.
    let (code, v) = env.sync();
    assert_eq!(
        (code, v["counts"]["rows_appended"].as_u64()),
        (0, Some(0)),
        "{v:#}"
    );
    assert!(env.row_of(&ids[1]).is_none());
    assert_eq!(env.rows().len(), 1);
    assert_eq!(
        env.contacts().len(),
        1,
        "the API cannot delete: it stays in CINNOX"
    );
}
