use super::*;
use crate::sources::apply_edits;
use proptest::prelude::*;

fn store_with(bytes: &[u8]) -> (tempfile::TempDir, PathBuf, CsvStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.csv");
    fs::write(&path, bytes).unwrap();
    let store = CsvStore::open(&path, TextEncoding::UTF_8).unwrap();
    (dir, path, store)
}

fn set(row: usize, col: usize, value: &str) -> Edit {
    Edit::Set {
        row,
        col,
        value: value.into(),
    }
}

fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn reads_bom_crlf_quoted_newlines_and_line_numbers() {
    let (_d, _p, mut s) = store_with(
        b"\xEF\xBB\xBFFirst Name,Notes\r\nAnn,\"two\r\nlines\"\r\n\r\n\xE9\x99\xB3,x\r\n",
    );
    let t = s.read_table().unwrap();
    assert_eq!(t.header, vec!["First Name", "Notes"]);
    assert_eq!(t.rows, vec![vec!["Ann", "two\r\nlines"], vec!["陳", "x"]]);
    assert_eq!(t.row_numbers, vec![2, 5]);
}

#[test]
fn a_file_with_lone_carriage_returns_keeps_them_and_its_line_numbers() {
    // Excel for Mac's "CSV (Macintosh)": every line ends with a lone `\r`.
    let (_d, p, mut s) = store_with(b"Name,Notes\rAnn,\"two\rlines\"\r\rBob,x\rCy,y\r");
    let t = s.read_table().unwrap();
    assert_eq!(t.row_numbers, vec![2, 5, 6]);
    assert_eq!(t.rows[0], vec!["Ann", "two\rlines"]);
    s.write_table(
        &t,
        &[
            set(1, 1, "z"),
            Edit::Append {
                cells: vec!["Di".into(), String::new()],
            },
        ],
    )
    .unwrap();
    assert_eq!(
        fs::read(&p).unwrap(),
        b"Name,Notes\rAnn,\"two\rlines\"\r\rBob,z\rCy,y\rDi,\r"
    );
}

#[test]
fn no_edits_touch_nothing() {
    let (d, p, mut s) = store_with(b"A\n1\n");
    let t = s.read_table().unwrap();
    let before = fs::metadata(&p).unwrap().modified().unwrap();
    assert_eq!(s.write_table(&t, &[]).unwrap(), WriteReport::default());
    assert_eq!(fs::metadata(&p).unwrap().modified().unwrap(), before);
    assert!(!d.path().join("contacts.csv.bak").exists());
}

#[test]
fn an_edit_that_changes_nothing_rewrites_the_same_bytes_and_keeps_a_backup() {
    let original: &[u8] =
        b"\xEF\xBB\xBF\"First Name\",\"Phone\"\r\n\"Ann\",\"+85291234567\"\r\nBob,  +6581234567 \r\nLast,row";
    let (d, p, mut s) = store_with(original);
    let t = s.read_table().unwrap();
    s.write_table(&t, &[set(0, 0, "Ann")]).unwrap();
    assert_eq!(fs::read(&p).unwrap(), original);
    assert_eq!(
        fs::read(d.path().join("contacts.csv.bak")).unwrap(),
        original
    );
    assert!(leftovers(d.path()).is_empty());
}

#[test]
fn edits_follow_apply_edits_and_untouched_rows_keep_their_bytes() {
    let (_d, p, mut s) =
        store_with(b"\xEF\xBB\xBFName,Phone,Extra\r\n\"Ann\" ,1,keep\r\nBob,2,x\r\nCy,3,y\r\n");
    let t = s.read_table().unwrap();
    let edits = [
        set(1, 1, "+6581234567"),
        Edit::Remove { row: 2 },
        Edit::Append {
            cells: vec!["陳大文".into(), "+85291234567".into(), "a,b".into()],
        },
    ];
    let report = s.write_table(&t, &edits).unwrap();
    assert_eq!(
        (
            report.cells_written,
            report.rows_appended,
            report.rows_removed
        ),
        (1, 1, 1)
    );
    let bytes = fs::read(&p).unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "\u{feff}Name,Phone,Extra\r\n\"Ann\" ,1,keep\r\nBob,+6581234567,x\r\n陳大文,+85291234567,\"a,b\"\r\n"
    );
    let back = s.read_table().unwrap();
    let want = apply_edits(&t, &edits);
    assert_eq!((back.header, back.rows), (want.header, want.rows));
}

#[test]
fn an_added_column_reaches_every_row_but_a_broken_row_stays_as_written() {
    let (_d, p, mut s) = store_with(b"A,B\n1\n2,3\nO\"Brien,4\n5,6\n");
    let t = s.read_table().unwrap();
    // Read padded, and said to be broken: the empty cell is not a cleared value.
    assert_eq!(t.rows[0], vec!["1", ""]);
    let broken: Vec<usize> = t.broken.iter().map(|(r, _)| *r).collect();
    assert_eq!(broken, [0, 2]);
    assert!(
        t.broken_row(0)
            .unwrap()
            .contains("has 1 cells but the header has 2")
    );
    assert!(t.broken_row(2).unwrap().contains("quote"));
    let edits = [
        Edit::AddColumn {
            name: "CINNOX ID".into(),
        },
        set(1, 2, "c2"),
        set(3, 2, "c4"),
    ];
    s.write_table(&t, &edits).unwrap();
    assert_eq!(
        fs::read_to_string(&p).unwrap(),
        "A,B,CINNOX ID\n1\n2,3,c2\nO\"Brien,4\n5,6,c4\n"
    );
    // Written into, a short row is written whole.
    let t = s.read_table().unwrap();
    s.write_table(&t, &[set(0, 1, "x")]).unwrap();
    assert!(
        fs::read_to_string(&p)
            .unwrap()
            .starts_with("A,B,CINNOX ID\n1,x,\n")
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_at_once() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("pipe.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&p)
            .status()
            .unwrap()
            .success()
    );
    let e = CsvStore::open(&p, TextEncoding::default()).unwrap_err();
    assert!(e.to_string().contains("not a regular file"), "{e}");
}

#[test]
fn a_file_changed_since_read_is_refused_and_left_alone() {
    let (d, p, mut s) = store_with(b"A\n1\n");
    let t = s.read_table().unwrap();
    fs::write(&p, b"A\n2\n").unwrap();
    let e = s.write_table(&t, &[set(0, 0, "x")]).unwrap_err();
    assert!(matches!(e, SourceError::Changed { .. }), "{e}");
    assert_eq!(fs::read(&p).unwrap(), b"A\n2\n");
    assert!(!d.path().join("contacts.csv.bak").exists());
    assert!(leftovers(d.path()).is_empty());
}

#[test]
fn a_second_write_builds_on_the_first() {
    let (d, p, mut s) = store_with(b"A\n1\n");
    let t = s.read_table().unwrap();
    s.write_table(&t, &[set(0, 0, "2")]).unwrap();
    let t2 = s.read_table().unwrap();
    s.write_table(&t2, &[set(0, 0, "3")]).unwrap();
    assert_eq!(fs::read(&p).unwrap(), b"A\n3\n");
    assert_eq!(
        fs::read(d.path().join("contacts.csv.bak")).unwrap(),
        b"A\n2\n"
    );
}

#[test]
fn unreadable_files_fail_naming_the_line() {
    let (_d, _p, mut s) = store_with(b"A,B\n1,2\n3,4,5\n");
    let e = s.read_table().unwrap_err().to_string();
    assert!(e.contains("line 3") && e.contains("3 cells"), "{e}");

    let (_d, _p, mut s) = store_with(b"A,B\n1,\"2\n3,4\n");
    let e = s.read_table().unwrap_err().to_string();
    assert!(e.contains("line 2") && e.contains("never closed"), "{e}");

    let (big5, _, _) = encoding_rs::BIG5.encode("Name\n陳大文\n");
    let (_d, p, mut s) = store_with(&big5);
    let e = s.read_table().unwrap_err().to_string();
    assert!(e.contains("line 2") && e.contains("--encoding big5"), "{e}");
    let mut s = CsvStore::open(&p, TextEncoding::BIG5).unwrap();
    let t = s.read_table().unwrap();
    assert_eq!(t.rows, vec![vec!["陳大文"]]);
    s.write_table(&t, &[set(0, 0, "李小龍")]).unwrap();
    assert_eq!(
        fs::read(&p).unwrap(),
        encoding_rs::BIG5.encode("Name\n李小龍\n").0.as_ref()
    );
    let t = s.read_table().unwrap();
    let e = s.write_table(&t, &[set(0, 0, "😀")]).unwrap_err();
    assert!(e.to_string().contains("cannot be written in big5"), "{e}");

    let (_d, _p, mut s) = store_with(b"");
    assert!(s.read_table().unwrap_err().to_string().contains("is empty"));
    let (_d, _p, mut s) = store_with(b"\xFF\xFEA\x00");
    assert!(s.read_table().unwrap_err().to_string().contains("UTF-16LE"));
}

#[test]
fn the_store_trait_reads_and_writes() {
    let (_d, p, mut s) = store_with(b"A\n1\n");
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let t = s.read().await.unwrap();
        s.write(&t, &[set(0, 0, "9")]).await.unwrap();
    });
    assert_eq!(fs::read(&p).unwrap(), b"A\n9\n");
    assert_eq!(s.describe(), p.display().to_string());
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,6}",
        Just("a,b".to_string()),
        Just("say \"hi\"".to_string()),
        Just("two\nlines".to_string()),
        Just("陳大文".to_string()),
        Just(String::new()),
    ]
}

fn edit(rows: usize, cols: usize) -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..rows, 0..cols, cell()).prop_map(|(row, col, value)| Edit::Set { row, col, value }),
        (0..rows).prop_map(|row| Edit::Remove { row }),
        prop::collection::vec(cell(), cols).prop_map(|cells| Edit::Append { cells }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the edits, reading the written file gives `apply_edits`' table.
    #[test]
    fn writes_match_the_reference_semantics(
        rows in prop::collection::vec(prop::collection::vec(cell(), 3), 1..6),
        edits in prop::collection::vec(edit(5, 3), 0..6),
        bom in any::<bool>(),
        eol in prop_oneof![Just(LineEnding::Lf), Just(LineEnding::CrLf), Just(LineEnding::Cr)],
        add_col in any::<bool>(),
    ) {
        let mut w = csv::WriterBuilder::new()
            .terminator(match eol {
                LineEnding::Lf => csv::Terminator::Any(b'\n'),
                LineEnding::CrLf => csv::Terminator::CRLF,
                LineEnding::Cr => csv::Terminator::Any(b'\r'),
            })
            .from_writer(Vec::new());
        w.write_record(["A", "B", "C"]).unwrap();
        for r in &rows {
            // A header-like row cannot be told apart from a blank record by csv.
            w.write_record(r.iter().map(|c| if c.is_empty() { " " } else { c.as_str() })).unwrap();
        }
        let mut bytes = if bom { BOM.to_vec() } else { Vec::new() };
        bytes.extend(w.into_inner().unwrap());
        let (_d, p, mut s) = store_with(&bytes);
        let t = s.read_table().unwrap();
        let edits: Vec<Edit> = edits
            .into_iter()
            .filter(|e| !matches!(e, Edit::Set { row, .. } | Edit::Remove { row } if *row >= t.rows.len()))
            .chain(add_col.then(|| Edit::AddColumn { name: "D".into() }))
            .collect();
        s.write_table(&t, &edits).unwrap();
        let back = s.read_table().unwrap();
        let want = apply_edits(&t, &edits);
        prop_assert_eq!(&back.header, &want.header);
        prop_assert_eq!(&back.rows, &want.rows);
        let written = fs::read(&p).unwrap();
        prop_assert_eq!(written.starts_with(BOM), bom);
        prop_assert_eq!(LineEnding::detect(&written), eol);
        // One ending throughout (no cell holds a `\r`): kept rows and written rows alike.
        match eol {
            LineEnding::Lf => prop_assert!(!written.contains(&b'\r')),
            LineEnding::Cr => prop_assert!(!written.windows(2).any(|w| w == b"\r\n")),
            LineEnding::CrLf => {}
        }
    }
}
