//! Reading a tab: where the header is, columns by name, tab names that need
//! quoting and encoding, numbers Sheets made of phone numbers, clear errors.

use crate::support::fake_sheets::Cell;
use crate::support::{BOOK, World, rows};
use cinnox_sync::mapping::{Mapping, MappingError};
use cinnox_sync::sources::{SourceError, Store};

#[tokio::test]
async fn header_below_notes_blank_rows_skipped_one_read() {
    let w = World::new().await;
    w.fake.add_tab(
        BOOK,
        "Contacts",
        rows(&[
            &["Kept by Ann; do not sort"],
            &[],
            &["First Name", "Mobile", "Email"],
            &["Ann", "+85291234567"],
            &[],
            &["Bob", "", "bob@example.com", "typed note"],
        ]),
    );
    let mut config = w.config("Contacts");
    config.header_row = 3;
    let mut store = cinnox_sync::sources::sheets::SheetsStore::connect(config)
        .await
        .expect("connect");
    let t = store.read().await.expect("read");
    assert_eq!(t.header, vec!["First Name", "Mobile", "Email", ""]);
    assert_eq!(
        t.rows,
        vec![
            vec!["Ann", "+85291234567", "", ""],
            vec!["Bob", "", "bob@example.com", "typed note"]
        ]
    );
    assert_eq!(t.row_numbers, vec![4, 6]);
    assert!(t.numeric_cells.is_empty());
    let c = w.fake.counts();
    assert_eq!((c.reads, c.writes(), c.meta_reads), (1, 0, 0));
    let q = &w.fake.log()[0].query;
    assert_eq!(q["valueRenderOption"], "UNFORMATTED_VALUE");
    assert_eq!(q["dateTimeRenderOption"], "FORMATTED_STRING");
}

fn mapping() -> Mapping {
    Mapping::parse(
        "id_column = \"CINNOX ID\"\n[columns]\n\"First Name\" = \"firstName\"\n\
         \"Mobile\" = \"mobilePhone\"\n\"Email\" = \"email\"",
        "test mapping",
    )
    .expect("mapping")
}

#[tokio::test]
async fn columns_are_found_by_name_in_any_order() {
    let w = World::new().await;
    w.fake.add_tab(
        BOOK,
        "Reordered",
        rows(&[
            &["notes", "EMAIL", "cinnox id", "mobile", "first  name"],
            &["x", "a@example.com", "c-1", "+85291234567", "Ann"],
        ]),
    );
    let mut store = w.store("Reordered").await;
    let t = store.read().await.expect("read");
    let cols = mapping()
        .resolve(&t.header, &store.describe())
        .expect("resolves");
    assert_eq!(cols.id_col, Some(2));
    assert_eq!(cols.ignored, vec![(0, "notes".to_string())]);
    assert_eq!(cols.id(&t.rows[0]), "c-1");
}

#[tokio::test]
async fn a_missing_mapped_column_is_named() {
    let w = World::new().await;
    w.fake.add_tab(
        BOOK,
        "NoMobile",
        rows(&[&["First Name", "Email"], &["Ann", "a@x.com"]]),
    );
    let mut store = w.store("NoMobile").await;
    let t = store.read().await.expect("read");
    let err = mapping().resolve(&t.header, &store.describe()).unwrap_err();
    assert!(matches!(err, MappingError::MissingColumns { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("`Mobile`") && msg.contains("NoMobile"),
        "{msg}"
    );
}

#[tokio::test]
async fn tab_names_that_need_quoting_and_encoding_round_trip() {
    let w = World::new().await;
    let names = [
        "Contacts 2024",
        "聯絡人 #1/香港!",
        "It's",
        "a!b:c",
        "100%?&=+",
        "A1",
    ];
    for name in names {
        w.fake
            .add_tab(BOOK, name, rows(&[&["First Name"], &[name]]));
    }
    for name in names {
        let mut store = w.store(name).await;
        let t = store.read().await.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(t.rows, vec![vec![name.to_string()]], "{name}");
        let edits = [
            cinnox_sync::sources::Edit::Set {
                row: 0,
                col: 0,
                value: format!("{name} (edited)"),
            },
            cinnox_sync::sources::Edit::Append {
                cells: vec!["new".into()],
            },
        ];
        store
            .write(&t, &edits)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let back = store.read().await.expect("read back");
        assert_eq!(
            back.rows,
            vec![vec![format!("{name} (edited)")], vec!["new".to_string()]],
            "{name}"
        );
    }
    for logged in w.fake.log() {
        let path = &logged.raw_path;
        assert!(
            !path.contains(['#', ' ', '\'', '?']),
            "unencoded path {path}"
        );
        if let Some((_, range)) = path.split_once("/values/") {
            assert!(!range.contains('/'), "unencoded / in {path}");
        }
    }
}

#[tokio::test]
async fn numbers_sheets_made_of_phone_numbers_are_recognised() {
    let w = World::new().await;
    w.fake.add_tab(
        BOOK,
        "Typed",
        vec![
            vec![
                Cell::text("First Name"),
                Cell::text("Mobile"),
                Cell::text("Birth Date"),
                Cell::text("VIP"),
            ],
            vec![
                Cell::text("Ann"),
                Cell::Number(85291234567.0),
                Cell::Date {
                    serial: 33232.0,
                    shown: "25/12/1990".into(),
                },
                Cell::Bool(true),
            ],
            vec![Cell::text("Bob"), Cell::text("+85291234567")],
            vec![Cell::Number(7.0), Cell::Number(12345678901234567890.0)],
        ],
    );
    let mut store = w.store("Typed").await;
    let t = store.read().await.expect("read");
    assert_eq!(t.rows[0], vec!["Ann", "85291234567", "25/12/1990", "TRUE"]);
    assert_eq!(t.rows[1][1], "+85291234567");
    assert_eq!(t.rows[2][..2], ["7", "12345678901234567000"]);
    assert_eq!(t.numeric_cells, vec![(0, 1), (2, 0), (2, 1)]);
}

#[tokio::test]
async fn a_missing_tab_or_spreadsheet_is_named() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "Contacts", rows(&[&["First Name"]]));
    let err = w.store("Contacs").await.read().await.unwrap_err();
    assert!(matches!(err, SourceError::Remote { .. }), "{err:?}");
    assert!(
        err.to_string().contains("no tab named \"Contacs\""),
        "{err}"
    );

    let mut config = w.config("Contacts");
    config.spreadsheet_id = "1NoSuchSpreadsheet".into();
    let mut store = cinnox_sync::sources::sheets::SheetsStore::connect(config)
        .await
        .expect("connect");
    let err = store.read().await.unwrap_err().to_string();
    assert!(err.contains("1NoSuchSpreadsheet not found"), "{err}");
    assert!(err.contains(crate::support::TEST_ACCOUNT), "{err}");
}

#[tokio::test]
async fn no_header_where_expected_is_an_error_naming_the_row() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "Empty", vec![]);
    w.fake
        .add_tab(BOOK, "Low", rows(&[&["title"], &[], &["First Name"]]));
    let err = w.store("Empty").await.read().await.unwrap_err().to_string();
    assert!(
        err.contains("line 1") && err.contains("no column names on row 1"),
        "{err}"
    );
    let mut config = w.config("Low");
    config.header_row = 2;
    let mut store = cinnox_sync::sources::sheets::SheetsStore::connect(config)
        .await
        .expect("connect");
    let err = store.read().await.unwrap_err().to_string();
    assert!(err.contains("row 2"), "{err}");
}
