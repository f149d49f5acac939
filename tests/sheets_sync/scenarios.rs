//! The CSV sync scenarios on a sheet: first sync each way, edits on both sides, a
//! conflict under each policy, a merge, an ownership transfer, deletes both ways;
//! and what only a sheet has: rows sorted or a column inserted between syncs
//! change nothing, the ID column is added only when asked, a phone number Sheets
//! turned into a number is not an edit. Every run's requests are counted by the
//! fake and the sandbox.

use crate::env::{SheetEnv, sheet_header};
use crate::support::fake_sheets::Cell;
use crate::sync_support::sandbox::{cinnox_person, person};
use cinnox_sync::model::FieldId as F;

fn two_way() -> SheetEnv {
    let mut matched = vec![
        ("First Name", "Cin1".to_string()),
        ("Email", "CIN1@example.com".into()),
    ];
    matched.push(("Notes", "call after 6pm".into()));
    SheetEnv::new(
        &[person(1), person(2), matched],
        vec![cinnox_person(1), cinnox_person(2)],
    )
}

#[test]
fn first_sync_goes_both_ways_in_one_read_one_batch_update_one_append() {
    let env = two_way();
    let crate::env::Run { v, c, .. } = env.sync_settled(0);
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
    assert_eq!(
        (c.reads, c.batch_updates, c.appends, c.writes()),
        (1, 1, 1, 2),
        "{c:?}"
    );
    assert_eq!(env.contacts().len(), 4);
    let rows = env.rows();
    assert_eq!(rows.len(), 4);
    for r in &rows {
        assert!(!r["CINNOX ID"].is_empty(), "every id written back: {r:?}");
        assert_eq!(r["Sync Status"], "ok");
        assert!(!r["Owner"].is_empty(), "owner filled from CINNOX: {r:?}");
    }
    let cin1 = rows.iter().find(|r| r["First Name"] == "Cin1").unwrap();
    assert_eq!(cin1["Company"], "Acme");
    assert_eq!(
        cin1["Notes"], "call after 6pm",
        "a column the mapping does not know"
    );
    assert_eq!(env.header(), sheet_header(), "no column added");
}

#[test]
fn edits_on_both_sides_cost_one_request_each() {
    let env = two_way();
    env.sync_settled(0);
    let p1 = env.rows()[0]["CINNOX ID"].clone();
    let cin2 = env
        .rows()
        .iter()
        .find(|r| r["First Name"] == "Cin2")
        .unwrap()["CINNOX ID"]
        .clone();
    env.type_at(env.index_of(&p1), "Job Title", Cell::text("Director"));
    env.sb
        .sandbox()
        .edit(&cin2, &[(F::JobTitle, "Buyer".into())])
        .unwrap();
    let crate::env::Run { v, c, log } = env.sync_settled(0);
    assert_eq!(v["calls"]["update"], 1, "{v:#}");
    assert_eq!(v["rows_written"], 1);
    assert_eq!((c.reads, c.batch_updates, c.appends), (1, 1, 0), "{c:?}");
    let sent = &log[1].body;
    assert_eq!(sent["valueInputOption"], "RAW");
    assert_eq!(
        sent["data"].as_array().map(Vec::len),
        Some(1),
        "one cell: {sent}"
    );
    assert_eq!(env.contact(&p1).values.get(F::JobTitle), "Director");
    assert_eq!(env.row_of(&cin2).unwrap()["Job Title"], "Buyer");
}

#[test]
fn a_conflict_under_each_policy() {
    for (policy, row_wants, cinnox_wants, code) in [
        ("report", "Director", "Chief", 1),
        ("cinnox-wins", "Chief", "Chief", 0),
        ("source-wins", "Director", "Director", 0),
    ] {
        let env = SheetEnv::with(
            &sheet_header(),
            &[person(1)],
            vec![],
            &format!("conflict = {policy:?}"),
        );
        env.sync_settled(0);
        let id = env.rows()[0]["CINNOX ID"].clone();
        env.type_at(0, "Job Title", Cell::text("Director"));
        env.sb
            .sandbox()
            .edit(&id, &[(F::JobTitle, "Chief".into())])
            .unwrap();
        let v = env.sync_settled(code).v;
        assert_eq!(v["counts"]["conflicts"], 1, "{policy}: {v:#}");
        assert_eq!(env.rows()[0]["Job Title"], row_wants, "{policy}");
        assert_eq!(env.contact(&id).values.get(F::JobTitle), cinnox_wants);
        if policy == "report" {
            assert_eq!(env.rows()[0]["Sync Status"], "conflict: jobTitle");
        }
    }
}

#[test]
fn a_merge_relinks_and_marks_the_second_row() {
    let env = SheetEnv::new(&[person(1), person(2), person(3)], vec![]);
    env.sync_settled(0);
    let ids: Vec<String> = env.rows().iter().map(|r| r["CINNOX ID"].clone()).collect();
    env.sb.sandbox().merge(&ids[0], &[ids[1].clone()]).unwrap();
    let creates = env.sb.sandbox().stats().total("create");
    env.sync_settled(0);
    assert_eq!(env.sb.sandbox().stats().total("create"), creates);
    assert_eq!(
        env.row_of(&ids[1]).unwrap()["Sync Status"],
        format!("merged into {}", ids[0])
    );
    assert_eq!(env.rows().len(), 3);
}

#[test]
fn an_ownership_transfer_flows_into_the_owner_columns() {
    let env = SheetEnv::new(&[person(1)], vec![]);
    env.sync_settled(0);
    let id = env.rows()[0]["CINNOX ID"].clone();
    let before = env.rows()[0]["Owner ID"].clone();
    let staff = env.sb.sandbox().staff_page(0, 100, "").0;
    let other = staff.iter().find(|s| s.id != before).unwrap();
    env.sb
        .sandbox()
        .transfer(std::slice::from_ref(&id), &other.id)
        .unwrap();
    let c = env.sync_settled(0).c;
    assert_eq!((c.batch_updates, c.appends), (1, 0));
    let row = env.row_of(&id).unwrap();
    assert_eq!(row["Owner ID"], other.id);
    assert_eq!(row["Owner"], other.owner_name());
    // An owner typed into the sheet is put back, reported, never sent to CINNOX.
    env.type_at(0, "Owner", Cell::text("Somebody Else"));
    let (code, v) = env.sync();
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(env.row_of(&id).unwrap()["Owner"], other.owner_name());
    assert_eq!(env.sb.sandbox().stats().total("update"), 0);
}

#[test]
fn deletes_both_ways() {
    let env = SheetEnv::new(&[person(1), person(2)], vec![]);
    env.sync_settled(0);
    let ids: Vec<String> = env.rows().iter().map(|r| r["CINNOX ID"].clone()).collect();
    env.sb.sandbox().delete(&ids[0]).unwrap();
    env.sync_settled(0);
    assert_eq!(
        env.row_of(&ids[0]).unwrap()["Sync Status"],
        "deleted in CINNOX"
    );
    assert_eq!(env.contacts().len(), 1, "never re-created");
    // A row deleted from the sheet: remembered, not added back.
    let at = env.index_of(&ids[1]);
    env.edit_rows(|rows| {
        rows.remove(at);
    });
    let v = env.sync_settled(0).v;
    assert!(v["counts"]["notes"].as_u64() >= Some(1), "reported: {v:#}");
    assert!(env.row_of(&ids[1]).is_none());
    assert_eq!(env.contacts().len(), 1);
}

#[test]
fn sorting_rows_or_inserting_a_column_changes_nothing() {
    let rows: Vec<_> = (0..8).map(person).collect();
    let env = SheetEnv::new(&rows, vec![cinnox_person(1), cinnox_person(2)]);
    env.sync_settled(0);
    // Sorted by e-mail, descending, as a person would with Data > Sort range.
    let email = env.header().iter().position(|h| h == "Email").unwrap();
    env.edit_rows(|rows| {
        rows.sort_by_key(|r| std::cmp::Reverse(r.get(email).map(Cell::shown)));
    });
    env.assert_quiet_sync();
    // A column inserted between two mapped ones, with values in it.
    env.fake
        .with_tab(crate::support::BOOK, crate::env::TAB, |t| {
            for (i, r) in t.rows.iter_mut().enumerate() {
                let text = if i == 0 {
                    "Region".to_string()
                } else {
                    format!("R{i}")
                };
                r.insert(3, Cell::Text(text));
            }
            t.col_count += 1;
        });
    env.assert_quiet_sync();
    // Edits still land in their columns, found by header.
    let id = env.rows()[4]["CINNOX ID"].clone();
    env.type_at(4, "Job Title", Cell::text("Head of Sales"));
    env.sb
        .sandbox()
        .edit(&id, &[(F::CompanyName, "Moved Ltd".into())])
        .unwrap();
    // Both sides changed the same contact (different fields): one update, one cell.
    let crate::env::Run { v, c, .. } = env.sync_settled(0);
    assert_eq!(
        (v["calls"]["update"].as_u64(), c.batch_updates),
        (Some(1), 1)
    );
    let row = env.row_of(&id).unwrap();
    assert_eq!(
        (row["Company"].as_str(), row["Region"].as_str()),
        ("Moved Ltd", "R5")
    );
    assert_eq!(env.contact(&id).values.get(F::JobTitle), "Head of Sales");
}

#[test]
fn the_id_column_is_added_only_when_asked() {
    let header: Vec<String> = sheet_header()
        .into_iter()
        .filter(|h| h != "CINNOX ID")
        .collect();
    let env = SheetEnv::with(&header, &[person(1), person(2)], vec![], "");
    let (code, v) = env.sync();
    assert_eq!(code, 2, "{v:#}");
    let e = v["error"].as_str().unwrap();
    assert!(
        e.contains("\"CINNOX ID\"") && e.contains("--add-id-column"),
        "{e}"
    );
    assert_eq!((env.fake.counts().writes(), env.writes()), (0, 0));
    let (code, v) = env.json(&["plan", "--config", env.job_arg()]);
    assert_eq!(code, 2, "plan refuses as sync does: {v:#}");
    let (code, v) = env.json(&["sync", "--config", env.job_arg(), "--add-id-column"]);
    assert_eq!(code, 0, "{v:#}");
    let mut want = header.clone();
    want.push("CINNOX ID".into());
    assert_eq!(env.header(), want, "added as the last column");
    for r in env.rows() {
        assert!(!r["CINNOX ID"].is_empty(), "{r:?}");
    }
    env.assert_quiet_sync();
}

#[test]
fn a_phone_number_sheets_made_a_number_is_not_an_edit() {
    let mut row = person(1);
    row.push(("Mobile Phone", "+85291234567".into()));
    let env = SheetEnv::new(&[row], vec![]);
    env.sync_settled(0);
    let id = env.rows()[0]["CINNOX ID"].clone();
    // Someone retyped the number into a cell formatted as Automatic.
    env.type_at(0, "Mobile Phone", Cell::Number(85291234567.0));
    env.fake.reset_counts();
    let (code, v) = env.sync();
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(
        (v["calls"]["update"].as_u64(), env.fake.counts().writes()),
        (Some(0), 0)
    );
    let note = v["notes"][0].as_str().unwrap_or_default();
    assert!(
        note.contains("as a number")
            && note.contains("+85291234567")
            && note.contains("plain text"),
        "{v:#}"
    );
    assert_eq!(env.contact(&id).values.get(F::MobilePhone), "+85291234567");
    // A change in CINNOX still reaches the cell, written as text.
    env.sb
        .sandbox()
        .edit(&id, &[(F::MobilePhone, "+85298765432".into())])
        .unwrap();
    env.sync_settled(0);
    assert_eq!(
        env.fake.cell(crate::support::BOOK, crate::env::TAB, 1, {
            env.header()
                .iter()
                .position(|h| h == "Mobile Phone")
                .unwrap()
        }),
        Some(Cell::text("+85298765432"))
    );
}
