//! Lists as Excel leaves them, through the real binary: `.xlsx` workbooks (written
//! here with rust_xlsxwriter, so each test shows the cells as Excel stores them:
//! a phone typed as a number, a real date cell, several sheets), import of a
//! workbook against a sandbox, `audit -` on standard input, and the advice for
//! values Excel mangled in a CSV (a dropped `+`, scientific notation, a day and
//! month either way round) in every report format.

use crate::audit_support;
use crate::sync_support;

use audit_support::{audit_in, triples};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use sync_support::sandbox::{Env, cinnox_person};

const BIN: &str = env!("CARGO_BIN_EXE_cinnox-sync");

/// A workbook with a first sheet `Notes` (not a list) and the list on `Contacts`:
/// Ann's mobile typed into a General column (a number), Bob's typed as text, a
/// birth date as a real date cell, and one a number Excel would show as a date.
fn workbook(path: &Path) {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write_string(0, 0, "Exported from the CRM").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Contacts").unwrap();
    for (c, h) in ["First Name", "Mobile Phone", "Email", "Birth Date", "Notes"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    ws.write_string(1, 0, "Ann").unwrap();
    ws.write_number(1, 1, 85291234567.0).unwrap();
    ws.write_string(1, 2, "ann@example.com").unwrap();
    ws.write_datetime_with_format(1, 3, ExcelDateTime::from_ymd(1988, 3, 12).unwrap(), &date)
        .unwrap();
    // Row 3 left blank: the next row is sheet row 4.
    ws.write_string(3, 0, "Bob").unwrap();
    ws.write_string(3, 1, "+85261234567").unwrap();
    ws.write_string(3, 2, "bob@example.com").unwrap();
    ws.write_number(3, 3, 32214.0).unwrap();
    ws.write_string(3, 4, "met at the fair").unwrap();
    wb.save(path).unwrap();
}

fn json(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn an_xlsx_sheet_is_audited_with_cells_typed_as_excel_stored_them() {
    let dir = tempfile::tempdir().unwrap();
    workbook(&dir.path().join("contacts.xlsx"));
    let r = audit_in(
        dir.path(),
        &["contacts.xlsx", "--tab", "Contacts", "-m", "wide", "--json"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        triples(&r.stdout),
        vec![
            (2, "Mobile Phone".into(), "phone_format".into()),
            (4, "Birth Date".into(), "date_format".into()),
        ],
        "{}",
        r.stdout
    );
    let v = json(&r.stdout);
    assert_eq!(v["rows"], 2);
    let phone = &v["violations"][0];
    assert_eq!(phone["value"], "85291234567");
    assert_eq!(phone["suggestion"], "+85291234567");
    let message = phone["message"].as_str().unwrap();
    assert!(
        message.starts_with("Mobile Phone is stored by Excel as a number")
            && message.contains("Number Format > Text"),
        "{message}"
    );
    // The real date cell read as the day Excel stored (no violation); the number in
    // the date column is offered as a guess only.
    let date = &v["violations"][1];
    assert_eq!(
        (date["suggestion"].clone(), date["guess"].clone()),
        (Value::Null, "12/03/1988".into())
    );

    // The table names the workbook and sheet, and how to list everything again.
    let r = audit_in(
        dir.path(),
        &["contacts.xlsx", "--tab", "contacts", "-m", "wide"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("contacts.xlsx (sheet contacts): 2 rows checked (mapping \"One column per field\", Excel)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("-> maybe \"12/03/1988\""), "{}", r.stdout);
}

#[test]
fn the_first_sheet_by_default_and_a_wrong_tab_or_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    workbook(&dir.path().join("contacts.xlsx"));
    // The first sheet (Notes) is no list of this mapping.
    let r = audit_in(dir.path(), &["contacts.xlsx"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not a header row"), "{}", r.stderr);
    let r = audit_in(dir.path(), &["contacts.xlsx", "--tab", "People"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("contacts.xlsx: has no sheet `People`; its sheets are `Notes`, `Contacts`"),
        "{}",
        r.stderr
    );
    std::fs::write(dir.path().join("fake.xlsx"), "First Name\nAnn\n").unwrap();
    let r = audit_in(dir.path(), &["fake.xlsx"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("fake.xlsx: is not an Excel workbook"),
        "{}",
        r.stderr
    );
    std::fs::write(dir.path().join("old.xls"), "x").unwrap();
    let r = audit_in(dir.path(), &["old.xls"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("save it as \"Excel Workbook (.xlsx)\""),
        "{}",
        r.stderr
    );
    let r = audit_in(dir.path(), &["contacts.xlsx", "--encoding", "big5"]);
    assert_eq!(r.code, 2);
    std::fs::write(dir.path().join("list.csv"), "First Name\nAnn\n").unwrap();
    let r = audit_in(dir.path(), &["list.csv", "--tab", "Contacts"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("a CSV file has no sheets"),
        "{}",
        r.stderr
    );
}

/// `cinnox-sync audit - ARGS` with `input` on standard input, in `dir`.
fn audit_stdin(dir: &Path, input: &[u8], args: &[&str]) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .arg("audit")
        .arg("-")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn audit_dash_reads_standard_input_csv_or_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "First Name,Phone Number\nAnn,+852 9123 4567\nBob,+85261234567\n";
    let (code, out, err) = audit_stdin(dir.path(), csv.as_bytes(), &["--json"]);
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    assert_eq!(v["rows"], 2);
    assert_eq!(v["violations"][0]["suggestion"], "+85291234567");
    let (code, out, _) = audit_stdin(dir.path(), csv.as_bytes(), &[]);
    assert_eq!(code, 1);
    assert!(out.starts_with("standard input: 2 rows checked"), "{out}");

    let path = dir.path().join("c.xlsx");
    workbook(&path);
    let bytes = std::fs::read(&path).unwrap();
    let (code, out, err) = audit_stdin(
        dir.path(),
        &bytes,
        &["--tab", "Contacts", "-m", "wide", "--json"],
    );
    assert_eq!(code, 1, "{err}");
    assert_eq!(json(&out)["violations"][0]["suggestion"], "+85291234567");
    let (code, _, err) = audit_stdin(dir.path(), b"", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("standard input is empty"), "{err}");
}

#[test]
fn values_excel_mangled_in_a_csv_get_advice_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("excel.csv"),
        "First Name,Mobile Phone,Birth Date\n\
         Ann,85291234567,12/3/1988\n\
         Bob,8.52912E+10,25/3/1988\n\
         Cy,6591234567,3/25/1988\n",
    )
    .unwrap();
    let r = audit_in(dir.path(), &["excel.csv", "-m", "wide", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r.stdout);
    let got: Vec<(u64, &str, &Value, &Value)> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["line"].as_u64().unwrap(),
                v["column"].as_str().unwrap(),
                &v["suggestion"],
                &v["guess"],
            )
        })
        .collect();
    let s = |t: &str| Value::String(t.into());
    assert_eq!(
        got,
        vec![
            (2, "Mobile Phone", &s("+85291234567"), &Value::Null),
            (2, "Birth Date", &Value::Null, &s("12/03/1988")),
            (3, "Mobile Phone", &Value::Null, &Value::Null),
            (3, "Birth Date", &s("25/03/1988"), &Value::Null),
            (4, "Mobile Phone", &Value::Null, &s("+6591234567")),
            (4, "Birth Date", &s("25/03/1988"), &Value::Null),
        ]
    );
    let msg = |i: usize| v["violations"][i]["message"].as_str().unwrap().to_string();
    assert!(msg(0).contains("drop a leading +"), "{}", msg(0));
    assert!(msg(1).contains("either way round"), "{}", msg(1));
    assert!(
        msg(2).contains("scientific notation")
            && msg(2).contains("lost")
            && msg(2).contains("Text"),
        "{}",
        msg(2)
    );
    assert!(msg(5).contains("month first"), "{}", msg(5));

    // The guess has its own column in CSV, and is marked as one elsewhere.
    let out = dir.path().join("v.csv");
    let r = audit_in(
        dir.path(),
        &[
            "excel.csv",
            "-m",
            "wide",
            "-f",
            "csv",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let bytes = std::fs::read(&out).unwrap();
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(rdr.headers().unwrap().get(8), Some("guess"));
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(
        (rows[1].get(7), rows[1].get(8)),
        (Some(""), Some("12/03/1988"))
    );
    let r = audit_in(dir.path(), &["excel.csv", "-m", "wide", "-f", "markdown"]);
    assert!(r.stdout.contains("maybe `12/03/1988`"), "{}", r.stdout);
    let r = audit_in(dir.path(), &["excel.csv", "-m", "wide", "-f", "html"]);
    assert!(
        r.stdout.contains("\"maybe 12/03/1988\""),
        "the guess travels with the row"
    );
}

#[test]
fn import_reads_a_workbook_and_never_writes_it() {
    let env = Env::new("First Name\n", vec![cinnox_person(1)]);
    let path = env.dir.path().join("leads.xlsx");
    workbook(&path);
    let before = std::fs::read(&path).unwrap();
    let job = env.job.to_str().unwrap();
    let (code, v) = env.json(&[
        "import",
        "leads.xlsx",
        "--tab",
        "Contacts",
        "-c",
        job,
        "-m",
        "wide",
    ]);
    // Bob's birth date (a number) is rejected; Ann's number is read as the phone it
    // stands for, and she is created with it.
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["applied"]["created"], 1, "{v:#}");
    assert_eq!(v["applied"]["rejected"], 1, "{v:#}");
    let note = v["notes"][0].as_str().unwrap_or_default();
    assert!(
        note.contains("Excel holds 85291234567 as a number") && note.contains("Text"),
        "{v:#}"
    );
    let ann = env
        .contacts()
        .into_iter()
        .find(|c| c.values.get(cinnox_sync::model::FieldId::FirstName) == "Ann")
        .expect("Ann created");
    assert_eq!(
        ann.values.get(cinnox_sync::model::FieldId::MobilePhone),
        "+85291234567"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the workbook is untouched"
    );
    assert!(env.dir.path().join("leads.rejected.csv").exists());

    // A sync job cannot name a workbook as its list: it would need writing.
    let text = std::fs::read_to_string(&env.job).unwrap();
    let job = env.dir.path().join("xlsx-job.toml");
    std::fs::write(
        &job,
        text.replace("csv = \"contacts.csv\"", "csv = \"leads.xlsx\""),
    )
    .unwrap();
    let (code, v) = env.json(&["plan", "-c", job.to_str().unwrap()]);
    assert_eq!(code, 2, "{v:#}");
    let error = v["error"].as_str().unwrap_or_default();
    assert!(
        error.contains("source.csv: leads.xlsx is a spreadsheet workbook")
            && error.contains("CSV UTF-8"),
        "{v:#}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
