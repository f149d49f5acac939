use super::*;
use crate::validate::duplicates::DuplicateIndex;

const HEADER: &[&str] = &[
    "First Name",
    "Phone Type",
    "Phone Number",
    "Email Type",
    "Email Address",
    "Social Messaging Type",
    "Social Messaging Name Id",
    "CINNOX ID",
    "Notes",
];

const MAPPING: &str = r#"
required = ["firstName"]
[columns]
"First Name" = "firstName"
[typed.phone]
type_column = "Phone Type"
value_column = "Phone Number"
default_type = "Mobile"
[typed.email]
type_column = "Email Type"
value_column = "Email Address"
[typed.social]
type_column = "Social Messaging Type"
value_column = "Social Messaging Name Id"
"#;

fn checker(mapping: &str) -> RowChecker {
    let m = Mapping::parse(mapping, "test").unwrap();
    let header: Vec<String> = HEADER.iter().map(|s| s.to_string()).collect();
    let cols = m.resolve(&header, "t.csv").unwrap();
    RowChecker::new(&m, cols, &header, "t.csv").unwrap()
}

fn run(c: &RowChecker, rows: &[&[&str]]) -> RowsOut {
    let mut out = RowsOut::default();
    for (i, r) in rows.iter().enumerate() {
        let cells: Vec<Cow<'_, str>> = (0..HEADER.len())
            .map(|k| Cow::Borrowed(r.get(k).copied().unwrap_or("")))
            .collect();
        c.check(i as u64 + 2, &cells, Controls::Look, &mut out);
    }
    out
}

/// `(line, column, field, rule)` of each violation.
fn found(out: &RowsOut) -> Vec<(u64, usize, &'static str, &'static str)> {
    out.violations
        .iter()
        .map(|v| {
            (
                v.line,
                v.column.unwrap_or(99),
                v.subject.key(),
                v.rule.code(),
            )
        })
        .collect()
}

#[test]
fn a_clean_row_has_no_violation_and_gives_its_keys() {
    let c = checker(MAPPING);
    let out = run(
        &c,
        &[&[
            "Ann",
            "Work",
            "+85221234567",
            "Personal",
            "Ann@Example.com",
            "LINE",
            "ann",
            "c-1",
            "x",
        ]],
    );
    assert!(out.violations.is_empty(), "{:?}", out.violations);
    assert_eq!(out.keys.len(), 3);
}

#[test]
fn pair_values_report_the_field_their_type_selects() {
    let c = checker(MAPPING);
    let out = run(
        &c,
        &[&[
            "Ann",
            "Work",
            "+852 2123 4567",
            "Personal",
            "ann.example.com",
        ]],
    );
    assert_eq!(
        found(&out),
        vec![
            (2, 2, "workPhone", "phone_format"),
            (2, 4, "personalEmail", "email")
        ]
    );
    assert_eq!(
        out.violations[0].suggestion.as_deref(),
        Some("+85221234567")
    );
    assert_eq!(
        out.violations[0].message,
        "Phone Number is not written as E.164 (+ country code and number, no spaces or separators)"
    );
}

#[test]
fn an_unreadable_type_is_an_enum_violation_and_the_value_is_still_checked() {
    let c = checker(MAPPING);
    let out = run(
        &c,
        &[&["Ann", "Fax", "+999123", "", "ann@x.hk", "", "someone"]],
    );
    assert_eq!(
        found(&out),
        vec![
            (2, 1, "phoneType", "enum"),
            (2, 2, "phone", "phone_invalid"),
            // The email pair has no default type: an empty type cannot be read.
            (2, 3, "emailType", "enum"),
            (2, 5, "socialType", "enum"),
        ]
    );
    // The empty email type still lets the value be checked (it is fine) and keyed.
    assert_eq!(out.keys.len(), 1);
    // A type alone, without a value, is only checked for its spelling.
    let out = run(&c, &[&["Bob", "mobile"]]);
    assert_eq!(found(&out), vec![(2, 1, "phoneType", "enum")]);
    assert_eq!(out.violations[0].suggestion.as_deref(), Some("Mobile"));
}

#[test]
fn required_fields_and_groups() {
    let c = checker(MAPPING);
    let out = run(&c, &[&["  ", "", "+85291234567"]]);
    assert_eq!(found(&out), vec![(2, 0, "firstName", "required")]);
    assert_eq!(
        out.violations[0].message,
        "First Name is required but empty"
    );

    let strict = format!(
        "{}\n",
        MAPPING.replace(
            r#"required = ["firstName"]"#,
            r#"required = ["phone", "email", "workPhone"]"#
        )
    );
    let c = checker(&strict);
    let out = run(&c, &[&["Ann", "Mobile", "+85291234567"]]);
    assert_eq!(
        found(&out),
        vec![(2, 2, "workPhone", "required"), (2, 4, "email", "required")]
    );
    assert!(
        out.violations[0].message.contains("requires workPhone"),
        "{}",
        out.violations[0].message
    );
    let out = run(&c, &[&["Ann", "Work", "+85221234567", "Work", "a@b.hk"]]);
    assert!(out.violations.is_empty(), "{:?}", out.violations);
}

#[test]
fn a_required_field_without_a_column_is_refused_up_front() {
    let m = Mapping::parse(
        &MAPPING.replace(r#"["firstName"]"#, r#"["lastName"]"#),
        "m.toml",
    )
    .unwrap();
    let header: Vec<String> = HEADER.iter().map(|s| s.to_string()).collect();
    let cols = m.resolve(&header, "t.csv").unwrap();
    let e = RowChecker::new(&m, cols, &header, "t.csv").err().unwrap();
    assert!(
        e.contains("requires lastName") && e.contains("m.toml"),
        "{e}"
    );
}

#[test]
fn blank_rows_are_skipped() {
    let c = checker(MAPPING);
    let out = run(&c, &[&["", " ", ""]]);
    assert!(out.violations.is_empty());
    assert_eq!(out.blank, 1);
}

#[test]
fn keys_are_normalised_so_spellings_of_one_value_meet() {
    let c = checker(MAPPING);
    let out = run(
        &c,
        &[
            &[
                "Ann",
                "Mobile",
                "+852 9123 4567",
                "Work",
                "ANN@x.hk",
                "",
                "",
                "c-1",
            ],
            &[
                "Bob",
                "Home",
                "+85291234567",
                "Work",
                "ann@x.hk",
                "",
                "",
                " c-1 ",
            ],
            // An invalid number has no key: it is reported once, as phone_invalid.
            &["Cy", "Mobile", "+8529123456", "Work", "cy@x.hk", "", "", ""],
            &["Di", "Mobile", "+8529123456", "Work", "di@x.hk"],
        ],
    );
    let mut idx = DuplicateIndex::default();
    idx.add(out.keys);
    let header: Vec<String> = HEADER.iter().map(|s| s.to_string()).collect();
    let dups: Vec<(u64, String)> = idx
        .finish(&header)
        .into_iter()
        .map(|v| (v.line, v.message))
        .collect();
    assert_eq!(
        dups,
        vec![
            (
                2,
                "Phone Number has the same phone number as line 3".to_string()
            ),
            (2, "Email Address has the same email as line 3".to_string()),
            (2, "CINNOX ID has the same CINNOX ID as line 3".to_string()),
            (
                3,
                "Phone Number has the same phone number as line 2".to_string()
            ),
            (3, "Email Address has the same email as line 2".to_string()),
            (3, "CINNOX ID has the same CINNOX ID as line 2".to_string()),
        ]
    );
}
