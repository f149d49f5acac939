//! Sync scenarios only a sheet has (those every list shares are in `lists`): rows
//! sorted or a column inserted between syncs change nothing, the ID column is added
//! only when asked, a phone number Sheets turned into a number is not an edit.
//! Every run's requests are counted by the fake and the sandbox.

use super::env::{SheetEnv, sheet_header};
use crate::support::fake_sheets::Cell;
use crate::sync_support::sandbox::{cinnox_person, person};
use cinnox_sync::model::FieldId as F;

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
        .with_tab(crate::support::BOOK, super::env::TAB, |t| {
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
    let super::env::Run { v, c, .. } = env.sync_settled(0);
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
        env.fake.cell(crate::support::BOOK, super::env::TAB, 1, {
            env.header()
                .iter()
                .position(|h| h == "Mobile Phone")
                .unwrap()
        }),
        Some(Cell::text("+85298765432"))
    );
}
