//! Writing a tab: one batchUpdate for every cell, one append for every new row,
//! removals bottom-up, RAW values, nothing but the edited cells touched, no
//! request at all for a no-op, splitting only above the size limit.

use crate::support::fake_sheets::{Cell, Kind};
use crate::support::{BOOK, World, rows, shown, strings};
use cinnox_sync::sources::{Edit, Store, apply_edits};

fn set(row: usize, col: usize, v: &str) -> Edit {
    Edit::Set {
        row,
        col,
        value: v.into(),
    }
}

fn contacts(n: usize) -> Vec<Vec<Cell>> {
    let mut out = rows(&[&["First Name", "Mobile", "Email", "CINNOX ID"]]);
    for i in 0..n {
        out.push(
            [
                format!("Name {i}"),
                format!("+8529{i:07}"),
                format!("p{i}@example.com"),
                format!("c-{i}"),
            ]
            .iter()
            .map(|s| Cell::text(s))
            .collect(),
        );
    }
    out
}

#[tokio::test]
async fn many_cell_edits_go_in_one_batch_update_as_raw() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", contacts(500));
    let mut store = w.store("C").await;
    let t = store.read().await.expect("read");
    w.fake.reset_counts();
    let edits: Vec<Edit> = (0..100)
        .map(|i| set(i * 5, 1, &format!("+85260000{i:03}")))
        .collect();
    let report = store.write(&t, &edits).await.expect("write");
    assert_eq!((report.cells_written, report.requests), (100, 1));
    let c = w.fake.counts();
    assert_eq!(
        (c.batch_updates, c.writes(), c.reads, c.meta_reads),
        (1, 1, 0, 0)
    );
    let log = w.fake.log();
    assert_eq!(log[0].body["valueInputOption"], "RAW");
    // RAW kept the + : the cell is text, not the number USER_ENTERED would make.
    assert_eq!(
        w.fake.cell(BOOK, "C", 1, 1),
        Some(Cell::text("+85260000000"))
    );
    let back = store.read().await.expect("read back");
    assert_eq!(back.rows, apply_edits(&t, &edits).rows);
}

#[tokio::test]
async fn new_rows_go_in_one_append_below_the_table() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", contacts(3));
    let mut store = w.store("C").await;
    let t = store.read().await.expect("read");
    w.fake.reset_counts();
    let edits: Vec<Edit> = (0..50)
        .map(|i| Edit::Append {
            cells: vec![format!("New {i}"), format!("+85251{i:06}")],
        })
        .chain([set(0, 0, "Renamed")])
        .collect();
    let report = store.write(&t, &edits).await.expect("write");
    assert_eq!(
        (report.rows_appended, report.cells_written, report.requests),
        (50, 1, 2)
    );
    let c = w.fake.counts();
    assert_eq!((c.appends, c.batch_updates, c.writes()), (1, 1, 2));
    let append = w
        .fake
        .log()
        .into_iter()
        .find(|l| l.kind == Kind::Append)
        .expect("append");
    assert_eq!(append.query["valueInputOption"], "RAW");
    assert_eq!(append.query["insertDataOption"], "INSERT_ROWS");
    let back = store.read().await.expect("read back");
    assert_eq!(back.rows, apply_edits(&t, &edits).rows);
    assert_eq!(back.row_numbers.last(), Some(&54));
    assert_eq!(
        w.fake.cell(BOOK, "C", 4, 1),
        Some(Cell::text("+85251000000"))
    );
}

#[tokio::test]
async fn removals_are_one_structural_request_bottom_up() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", contacts(10));
    let mut store = w.store("C").await;
    let t = store.read().await.expect("read");
    w.fake.reset_counts();
    let edits = [
        Edit::Remove { row: 1 },
        Edit::Remove { row: 2 },
        Edit::Remove { row: 7 },
        set(5, 2, "changed@example.com"),
        Edit::Append {
            cells: vec!["Last".into()],
        },
    ];
    let report = store.write(&t, &edits).await.expect("write");
    assert_eq!(report.rows_removed, 3);
    let c = w.fake.counts();
    assert_eq!(
        (c.meta_reads, c.batch_updates, c.appends, c.structural),
        (1, 1, 1, 1)
    );
    let deletes = w
        .fake
        .log()
        .into_iter()
        .find(|l| l.kind == Kind::Structural)
        .expect("structural");
    let starts: Vec<i64> = deletes.body["requests"]
        .as_array()
        .expect("requests")
        .iter()
        .map(|r| {
            r["deleteDimension"]["range"]["startIndex"]
                .as_i64()
                .expect("start")
        })
        .collect();
    assert_eq!(starts, vec![8, 2], "bottom-up, adjacent rows merged");
    let back = store.read().await.expect("read back");
    assert_eq!(back.rows, apply_edits(&t, &edits).rows);
}

#[tokio::test]
async fn a_no_op_write_makes_no_request() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", contacts(5));
    let mut store = w.store("C").await;
    let t = store.read().await.expect("read");
    w.fake.reset_counts();
    let report = store.write(&t, &[]).await.expect("write");
    assert_eq!(report, Default::default());
    // Edits that address nothing (as apply_edits ignores them) send nothing either.
    store
        .write(&t, &[set(99, 0, "x"), set(0, 9, "y")])
        .await
        .expect("write");
    assert_eq!(w.fake.counts(), Default::default());
}

#[tokio::test]
async fn only_the_edited_cells_change() {
    let w = World::new().await;
    let mut data = contacts(4);
    data[2].push(Cell::Number(42.0));
    data[0].push(Cell::text("Notes"));
    w.fake.add_tab(BOOK, "C", data);
    let mut store = w.store("C").await;
    let t = store.read().await.expect("read");
    let before = shown(&w, "C");
    // A person types in other cells (even in an edited row) between read and write.
    w.fake
        .type_cell(BOOK, "C", 1, 2, Cell::text("typed@example.com"));
    w.fake.type_cell(BOOK, "C", 3, 4, Cell::text("call back"));
    store
        .write(&t, &[set(0, 1, "+85290000000"), set(2, 0, "Cee")])
        .await
        .expect("write");
    let mut expected = before;
    expected[1][1] = "+85290000000".into();
    expected[1][2] = "typed@example.com".into();
    expected[3][0] = "Cee".into();
    expected[3].push("call back".into());
    assert_eq!(shown(&w, "C"), expected);
    assert_eq!(w.fake.cell(BOOK, "C", 2, 4), Some(Cell::Number(42.0)));
}

#[tokio::test]
async fn an_added_column_writes_its_header_and_widens_a_full_grid() {
    let w = World::new().await;
    w.fake.add_tab(
        BOOK,
        "C",
        rows(&[&["First Name", "Mobile"], &["Ann", "+852"], &["Bob"]]),
    );
    // As after importing a CSV: the grid is exactly as wide as the data.
    w.fake.set_grid(BOOK, "C", 3, 2);
    let mut store = w.store("C").await;
    let t = store.read().await.expect("read");
    w.fake.reset_counts();
    let edits = [
        Edit::AddColumn {
            name: "CINNOX ID".into(),
        },
        set(0, 2, "c-1"),
        set(1, 2, "c-2"),
        Edit::Append {
            cells: vec!["Cat".into(), "".into(), "c-3".into()],
        },
    ];
    let report = store.write(&t, &edits).await.expect("write");
    assert_eq!(report.cells_written, 2);
    let c = w.fake.counts();
    assert_eq!(
        (c.meta_reads, c.structural, c.batch_updates, c.appends),
        (1, 1, 1, 1)
    );
    assert_eq!(
        shown(&w, "C"),
        strings(&[
            &["First Name", "Mobile", "CINNOX ID"],
            &["Ann", "+852", "c-1"],
            &["Bob", "", "c-2"],
            &["Cat", "", "c-3"]
        ])
    );
    let back = store.read().await.expect("read back");
    assert_eq!(back.header, apply_edits(&t, &edits).header);
}

#[tokio::test]
async fn writes_split_only_above_the_size_limit() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", contacts(40));
    let mut config = w.config("C");
    config.limits.max_request_bytes = 600;
    let mut store = cinnox_sync::sources::sheets::SheetsStore::connect(config)
        .await
        .expect("connect");
    let t = store.read().await.expect("read");
    w.fake.reset_counts();
    let edits: Vec<Edit> = (0..40)
        .map(|i| set(i, 2, &format!("new{i}@example.com")))
        .chain((0..20).map(|i| Edit::Append {
            cells: vec![format!("Added {i}"), format!("+85255{i:06}")],
        }))
        .collect();
    let report = store.write(&t, &edits).await.expect("write");
    let c = w.fake.counts();
    assert!(c.batch_updates > 1 && c.appends > 1, "{c:?}");
    assert_eq!(report.requests, c.writes());
    assert_eq!((report.cells_written, report.rows_appended), (40, 20));
    let back = store.read().await.expect("read back");
    assert_eq!(back.rows, apply_edits(&t, &edits).rows);
}

#[tokio::test]
async fn rows_moved_since_the_read_are_not_removed() {
    let w = World::new().await;
    let mut data = contacts(6);
    data[3][1] = Cell::Number(85291234567.0);
    w.fake.add_tab(BOOK, "C", data);
    let mut store = w.store("C").await;
    let t = store.read().await.expect("read");
    let edits = [Edit::Remove { row: 2 }, set(0, 0, "Changed")];
    // A number cell reads back as other text than was read; it must not block.
    let snapshot = w.fake.with_tab(BOOK, "C", |tab| tab.clone());
    store
        .write(&t, &edits)
        .await
        .expect("remove a row holding a number");
    w.fake.with_tab(BOOK, "C", |tab| *tab = snapshot);

    // Someone inserts a row above: row 2 of the read is now someone else.
    w.fake.with_tab(BOOK, "C", |tab| {
        tab.rows.insert(2, vec![Cell::text("Inserted")]);
        tab.row_count += 1;
    });
    let before = shown(&w, "C");
    w.fake.reset_counts();
    let err = store.write(&t, &edits).await.unwrap_err();
    assert!(
        matches!(err, cinnox_sync::sources::SourceError::Changed { .. }),
        "{err:?}"
    );
    assert_eq!(w.fake.counts().writes(), 0);
    assert_eq!(shown(&w, "C"), before);
}
