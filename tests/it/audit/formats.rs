//! `audit` in every format on one fixture holding every rule's violations.

use crate::audit_support;

use audit_support::{audit, fixtures};

#[test]
fn json_is_stable_and_complete() {
    let r = audit(&["contacts.csv", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("contacts_json", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["rows"], 14);
    let n = v["violations"].as_array().unwrap().len() as u64;
    let total: u64 = v["summary"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c.as_u64().unwrap())
        .sum();
    assert_eq!(n, total);
    assert_eq!(
        v["summary"].as_object().unwrap().len(),
        11,
        "every rule code is listed"
    );
    assert!(r.stderr.contains("not checked: Notes"), "{}", r.stderr);
    // --json is the same report.
    assert_eq!(audit(&["contacts.csv", "--json"]).stdout, r.stdout);
}

#[test]
fn table_shows_totals_and_first_examples_and_says_what_it_left_out() {
    let r = audit(&["contacts.csv"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("contacts_table", r.stdout);
    assert!(r.stdout.contains("1 violation not shown above"));
    assert!(r.stdout.contains("--format csv --output violations.csv"));
}

#[test]
fn markdown_summarises_for_a_ticket() {
    let r = audit(&["contacts.csv", "--format", "markdown"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("contacts_markdown", r.stdout);
}

#[test]
fn csv_has_a_bom_and_one_row_per_violation() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("violations.csv");
    let r = audit(&[
        "contacts.csv",
        "--format",
        "csv",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("report written to"), "{}", r.stderr);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        rdr.headers().unwrap(),
        vec![
            "line",
            "column",
            "field",
            "rule",
            "severity",
            "value",
            "message",
            "suggestion",
            "guess"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let json = audit(&["contacts.csv", "--json"]).stdout;
    assert_eq!(rows.len(), audit_support::triples(&json).len());
    let first_name = rows.iter().find(|r| &r[0] == "3").unwrap();
    assert_eq!(&first_name[5], "陳".repeat(51));
    // A value Excel would evaluate is made inert.
    let phone = rows.iter().find(|r| &r[0] == "4").unwrap();
    assert_eq!((&phone[5], &phone[7]), ("'+852 2123 4567", "'+85221234567"));
}

#[test]
fn html_is_one_safe_self_contained_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit.html");
    let r = audit(&[
        "contacts.csv",
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    for external in ["src=\"http", "href=\"http", "@import", "url(http", "//cdn"] {
        assert!(!html.contains(external), "loads {external}");
    }
    // The one user value holding markup never appears as markup.
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
    // Counts by rule (chart) and by column, filters, sortable headers, all rows.
    assert!(html.contains("<svg class=\"chart\""));
    assert!(html.contains("data-rule=\"phone_format\""));
    assert!(html.contains("<h2>By column</h2>"));
    for id in [
        "id=\"q\"",
        "id=\"rule\"",
        "id=\"sev\"",
        "id=\"col\"",
        "data-k=\"0\"",
    ] {
        assert!(html.contains(id), "{id}");
    }
    let data_rows = html.matches("\n[").count() + html.matches("[[").count();
    assert!(data_rows >= 24, "{data_rows}");
}

#[test]
fn a_clean_file_says_so_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ok.csv"),
        std::fs::read_to_string(fixtures().join("clean.csv"))
            .unwrap()
            .replace("TaiMan@Example.com", "kaho@example.com"),
    )
    .unwrap();
    for format in ["table", "json", "csv", "markdown", "html"] {
        let r = audit_support::audit_in(dir.path(), &["ok.csv", "--format", format]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        if format != "csv" && format != "json" {
            assert!(r.stdout.contains("No problems found."), "{format}");
        }
    }
}
