//! `audit` on the files people really have: BOM and CRLF, quoted line breaks,
//! ragged rows, Big5 and broken UTF-8, empty and header-only files, reordered and
//! extra columns, missing columns (listed, not refused), no header; and the exit
//! codes 0, 1 and 2.

use crate::audit_support;

use audit_support::{audit, audit_in, triples};

fn t(line: u64, column: &str, rule: &str) -> (u64, String, String) {
    (line, column.to_string(), rule.to_string())
}

#[test]
fn bom_crlf_and_quoted_line_breaks_keep_line_numbers_right() {
    let r = audit(&["bom-crlf.csv", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // Row 3 spans lines 3-4, so the bad date of the next row is on line 5.
    assert_eq!(triples(&r.stdout), vec![t(5, "Birth Date", "date_invalid")]);
    // The first header, behind the BOM, is matched (no missing `First Name`).
    assert!(r.stdout.contains("\"rows\": 3"));
}

#[test]
fn lone_carriage_returns_end_lines_as_excel_for_mac_wrote_them() {
    // The same file as Excel for Mac's "CSV (Macintosh)" saves it: `\r` alone.
    let dir = tempfile::tempdir().unwrap();
    let crlf = std::fs::read(audit_support::fixtures().join("bom-crlf.csv")).unwrap();
    let text = String::from_utf8(crlf).unwrap().replace("\r\n", "\r");
    std::fs::write(dir.path().join("mac.csv"), text).unwrap();
    let r = audit_in(dir.path(), &["mac.csv", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(triples(&r.stdout), vec![t(5, "Birth Date", "date_invalid")]);
    assert!(r.stdout.contains("\"rows\": 3"));
}

#[test]
fn ragged_rows_are_reported_and_the_audit_goes_on() {
    let r = audit(&["ragged.csv", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let found = triples(&r.stdout);
    assert_eq!(found[0], t(2, "", "structure"));
    assert_eq!(found[1], t(3, "Email Type", "structure"));
    assert_eq!(found[2], t(4, "Birth Date", "date_invalid"));
    assert_eq!(found[3], t(5, "Last Name", "structure"));
    assert_eq!(
        found.len(),
        4,
        "the open quote swallowed the last row; nothing else is reported"
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let msgs: Vec<&str> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs[0].contains("22 cells but the header has 21") && msgs[0].contains("comma"),
        "{}",
        msgs[0]
    );
    assert!(
        msgs[3].contains("opens a quote in Last Name that is never closed")
            && msgs[3].contains("lines 5-6"),
        "{}",
        msgs[3]
    );
}

#[test]
fn invalid_utf8_names_the_line_and_big5_reads_with_encoding_big5() {
    let dir = tempfile::tempdir().unwrap();
    let header = "First Name,Last Name,Phone Type,Phone Number\n";
    let mut bytes = header.as_bytes().to_vec();
    bytes.extend_from_slice(b"Ann,Lee,Mobile,+85291234567\n");
    let (big5, _, bad) = encoding_rs::BIG5.encode("大文,陳,Mobile,+85261234567\n");
    assert!(!bad);
    bytes.extend_from_slice(&big5);
    bytes.extend_from_slice(b"Jos\xE9,Lee,Mobile,+85261234568\n");
    std::fs::write(dir.path().join("mixed.csv"), &bytes).unwrap();
    let mapping = audit_support::fixtures().join("hk-mapping.toml");
    let m = mapping.to_str().unwrap();

    let r = audit_in(dir.path(), &["mixed.csv", "-m", m, "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let vs = v["violations"].as_array().unwrap();
    assert_eq!(vs.len(), 2, "{}", r.stdout);
    assert_eq!(
        (vs[0]["line"].as_u64(), vs[0]["rule"].as_str()),
        (Some(3), Some("structure"))
    );
    assert_eq!(vs[0]["column"], "First Name");
    assert!(
        vs[0]["message"]
            .as_str()
            .unwrap()
            .contains("--encoding big5"),
        "{}",
        vs[0]
    );
    // Latin-1 is not Big5 either: no Big5 hint there.
    assert_eq!(vs[1]["line"], 4);
    assert!(!vs[1]["message"].as_str().unwrap().contains("big5"));
    assert_eq!(vs[1]["value"], "Jos\u{fffd}");

    // The same file saved wholly in Big5 reads cleanly with --encoding big5.
    let text = format!("{header}大文,陳,Mobile,+85261234567\n美玲,黃,Mobile,9123 4567\n");
    let (all_big5, _, _) = encoding_rs::BIG5.encode(&text);
    std::fs::write(dir.path().join("big5.csv"), &all_big5).unwrap();
    let r = audit_in(
        dir.path(),
        &["big5.csv", "-m", m, "--encoding", "big5", "--json"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["violations"][0]["value"], "9123 4567");
    assert_eq!(v["violations"][0]["suggestion"], "+85291234567");
    assert_eq!(v["violations"].as_array().unwrap().len(), 1);
}

#[test]
fn empty_and_header_only_files() {
    let r = audit(&["empty.csv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("empty.csv is empty") && r.stderr.contains("First Name"),
        "{}",
        r.stderr
    );
    let r = audit(&["header-only.csv", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\"rows\": 0") && r.stdout.contains("\"violations\": []"));
    assert!(r.stderr.contains("no data rows"), "{}", r.stderr);
}

#[test]
fn reordered_respelled_and_extra_columns_are_fine() {
    let r = audit(&["reordered.csv", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The column is named as the file writes it.
    assert_eq!(
        triples(&r.stdout),
        vec![t(2, "phone_number", "phone_format")]
    );
    assert!(
        r.stderr.contains("not checked: Notes, Source"),
        "{}",
        r.stderr
    );
    let r = audit(&["reordered.csv"]);
    assert!(
        r.stdout
            .contains("not checked (not in the mapping): Notes, Source")
    );
}

#[test]
fn a_missing_column_is_listed_and_a_missing_header_is_a_clear_error() {
    // A mapped column the list lacks is not an error: there is nothing to check.
    let r = audit(&["missing-column.csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("not in this list (mapped, nothing to check): Phone Number\n"),
        "{}",
        r.stdout
    );
    // Its type column, with no numbers beside it, is not called unknown.
    assert!(!r.stdout.contains("not in the mapping"), "{}", r.stdout);
    let r = audit(&["missing-column.csv", "--json"]);
    assert!(
        r.stderr.contains(
            "mapped columns this list does not have (nothing to check there): Phone Number"
        ),
        "{}",
        r.stderr
    );
    let r = audit(&["no-header.csv"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not a header row"), "{}", r.stderr);
    assert!(
        r.stderr.contains("cinnox-sync init no-header.csv"),
        "{}",
        r.stderr
    );
}

#[test]
fn exit_codes() {
    assert_eq!(audit(&["contacts.csv"]).code, 1);
    // Warnings alone (a duplicate) do not fail the audit.
    let r = audit(&["clean.csv"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("duplicate (warning): 2"));
    let r = audit(&["no-such-file.csv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot read no-such-file.csv"),
        "{}",
        r.stderr
    );
    let r = audit(&["contacts.csv", "--mapping", "no-such-mapping.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no-such-mapping.toml"));
    let r = audit(&["contacts.csv", "--encoding", "utf-16"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("CSV UTF-8"), "{}", r.stderr);
    assert_eq!(audit(&["contacts.csv", "--format", "yaml"]).code, 2);
    assert_eq!(
        audit(&["contacts.csv", "--json", "--format", "csv"]).code,
        2
    );
    let r = audit(&[
        "contacts.csv",
        "--output",
        "./contacts.csv",
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("is the file being audited"),
        "{}",
        r.stderr
    );
    let r = audit(&["contacts.csv", "--output", "/no/such/dir/report.html"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("cannot create the report file"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_missing_file_names_its_os_cause_once() {
    for args in [
        &["contacts.csv", "--mapping", "no-such-mapping.toml"][..],
        &["no-such-file.csv"],
        &["--config", "no-such-job.toml"],
    ] {
        let r = audit(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(
            r.stderr.matches("(os error 2)").count(),
            1,
            "{args:?}: the cause once: {}",
            r.stderr
        );
    }
}

#[test]
fn a_default_region_suggests_e164_and_required_groups_apply() {
    let r = audit(&["hk-region.csv", "--mapping", "hk-mapping.toml", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        triples(&r.stdout),
        vec![
            t(2, "Phone Number", "phone_format"),
            t(3, "Phone Number", "required")
        ]
    );
    assert!(r.stdout.contains("\"suggestion\":\"+85291234567\""));
}

#[test]
fn quiet_keeps_stderr_for_errors() {
    let r = audit(&["header-only.csv", "--json", "-q"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let r = audit(&["empty.csv", "-q"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is empty"));
}

#[test]
fn help_teaches_with_examples() {
    let r = audit(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Examples:") && r.stdout.contains("--encoding big5"));
    assert!(r.stdout.contains("Exit status"));
}

/// Control characters are found in any cell, wherever they stand in a row (the
/// audit clears a whole row's bytes at once, then looks cell by cell), and tabs,
/// quoted line breaks, a no-break space and text in any script are none. In a
/// Windows-1252 file, whose cells are looked at one by one, the byte 0x81 is the
/// control U+0081 and 0x85 an ellipsis.
#[test]
fn control_characters_are_found_in_any_cell_of_any_row() {
    let clean = std::fs::read_to_string(audit_support::fixtures().join("clean.csv")).unwrap();
    let mut lines = clean.lines();
    let header = lines.next().unwrap().trim_start_matches('\u{feff}');
    let cols: Vec<&str> = header.split(',').collect();
    let base: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    assert_eq!(base.len(), cols.len(), "the clean row has no quoted comma");
    let col = |name: &str| cols.iter().position(|c| *c == name).unwrap();
    let row = |edits: &[(&str, &str)]| {
        let mut r = base.clone();
        for (name, v) in edits {
            r[col(name)] = v.to_string();
        }
        r.join(",")
    };
    let long = "Acme Trading and Shipping Company Limited of Hong Kong";
    let rows = [
        row(&[("First Name", "Mei\u{1}ling")]),
        row(&[("Company", &format!("{long}\u{7f} Kowloon"))]),
        row(&[("Job Title", "Sales\u{85}Manager")]),
        row(&[("Street", "1\u{a0}Queen's Road"), ("Company", long)]),
        row(&[
            ("Street", "\"1 Queen's\nRoad\""),
            ("Job Title", "Sales\tManager"),
        ]),
        row(&[("Phone Number", "+8529123\u{0}4567")]),
        row(&[]),
    ];
    let text = format!("{header}\n{}\n", rows.join("\n"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("utf8.csv"), &text).unwrap();

    // Every row holds the same phone and email: those duplicates are not the point.
    let found = |json: &str| {
        let mut v = triples(json);
        v.retain(|(_, _, rule)| rule != "duplicate");
        v
    };
    let expected = vec![
        t(2, "First Name", "control_character"),
        t(3, "Company", "control_character"),
        t(4, "Job Title", "control_character"),
        t(8, "Phone Number", "control_character"),
    ];
    let r = audit_in(dir.path(), &["utf8.csv", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(found(&r.stdout), expected);

    // Windows-1252: 0x81 decodes to U+0081, a C1 control; 0x85 to an ellipsis.
    let ascii = |edits: &[(&str, &str)]| row(edits).into_bytes();
    let mut cp1252 = format!("{header}\n").into_bytes();
    for v in [&b"Mei\x81ling"[..], b"Mei\x85ling"] {
        let mut line = ascii(&[("First Name", "@")]);
        let at = line.iter().position(|&b| b == b'@').unwrap();
        line.splice(at..=at, v.iter().copied());
        cp1252.extend(line);
        cp1252.push(b'\n');
    }
    std::fs::write(dir.path().join("cp1252.csv"), cp1252).unwrap();
    let r = audit_in(
        dir.path(),
        &["cp1252.csv", "--encoding", "windows-1252", "--json"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        found(&r.stdout),
        vec![t(2, "First Name", "control_character")]
    );
}
