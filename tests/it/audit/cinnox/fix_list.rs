//! The CSV report of `audit --cinnox` turned into a fix list, as an admin does it
//! in a spreadsheet (docs/audit.md, "Fixing what is stored in CINNOX"): keep the
//! rows with errors; one row per CINNOX ID; one column per `column` named; in it
//! the `suggestion` (without the `'` that keeps Excel from reading it as a
//! formula) or, where the report has no certain fix, the value the admin types.
//! Then `import` by CINNOX ID with the `cinnox-fields` mapping, and audit again:
//! clean.

use super::planted;
use crate::sync_support::sandbox::Env;
use std::collections::BTreeMap;

/// What the admin types where the report has no certain fix.
fn typed_fix(id: &str, column: &str) -> &'static str {
    match (id, column) {
        ("bad-name", "First Name") => "陳大文",
        ("bad-name", "Email") => "longname@example.com",
        ("bad-date", "Birth Date") => "30/04/1979",
        ("no-first", "First Name") => "Oona",
        ("bad-number", "Work Phone") => "+85294110009",
        ("bad-number", "Zip Code") => "999077",
        ("junk-1", "Email") => "jo@example.com",
        ("junk-2", "Email") => "jon@example.com",
        other => panic!("no fix planned for {other:?}"),
    }
}

#[test]
fn the_csv_report_becomes_a_fix_list_that_import_takes_back_by_id() {
    let env = Env::new(&planted::list_csv(), planted::bad());
    let job = env.job.to_str().unwrap();
    let out = env
        .cmd()
        .args([
            "audit",
            "--cinnox",
            "-c",
            job,
            "--format",
            "csv",
            "-o",
            "report.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");

    // The fix list, built from the report.
    let report = std::fs::read_to_string(env.dir.path().join("report.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(report.trim_start_matches('\u{feff}').as_bytes());
    let mut fixes: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut columns: Vec<String> = Vec::new();
    for row in rdr.records().map(Result::unwrap) {
        let (id, column, severity, suggestion) = (&row[0], &row[3], &row[6], &row[9]);
        if severity != "error" {
            continue;
        }
        let value = match suggestion.strip_prefix('\'').unwrap_or(suggestion) {
            "" => typed_fix(id, column).to_string(),
            s => s.to_string(),
        };
        if !columns.iter().any(|c| c == column) {
            columns.push(column.to_string());
        }
        fixes
            .entry(id.to_string())
            .or_default()
            .insert(column.to_string(), value);
    }
    assert_eq!(fixes.len(), 8, "every bad contact has a row: {fixes:#?}");
    let mut w = csv::Writer::from_path(env.dir.path().join("fixes.csv")).unwrap();
    let mut header = vec!["CINNOX ID".to_string()];
    header.extend(columns.iter().cloned());
    w.write_record(&header).unwrap();
    for (id, values) in &fixes {
        let mut row = vec![id.clone()];
        row.extend(
            columns
                .iter()
                .map(|c| values.get(c).cloned().unwrap_or_default()),
        );
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();

    // Imported by CINNOX ID: one update per contact, nothing created.
    let mapping = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/cinnox-fields.toml");
    let (code, v) = env.json(&["import", "fixes.csv", "-c", job, "--mapping", mapping]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["applied"]["updated"], 8, "{v:#}");
    assert_eq!(v["applied"]["created"], 0, "{v:#}");

    // And CINNOX is clean.
    let out = env
        .cmd()
        .args(["audit", "--cinnox", "-c", job, "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["violations"], serde_json::json!([]), "{v:#}");
    assert_eq!(out.status.code(), Some(0));
    let c = env.contact("bad-phone");
    assert_eq!(
        c.values.get(cinnox_sync::model::FieldId::MobilePhone),
        "+85261234567"
    );
    assert_eq!(env.contacts().len(), planted::bad().len());
}
