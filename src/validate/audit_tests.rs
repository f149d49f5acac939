use super::*;
use proptest::prelude::*;

const HEADER: &str = "First Name,Last Name,Phone Type,Phone Number,Email Type,Email Address\n";

fn mapping() -> Mapping {
    Mapping::parse(
        r#"
required = ["firstName"]
[columns]
"First Name" = "firstName"
"Last Name" = "lastName"
[typed.phone]
type_column = "Phone Type"
value_column = "Phone Number"
default_type = "Mobile"
[typed.email]
type_column = "Email Type"
value_column = "Email Address"
default_type = "Work"
"#,
        "test",
    )
    .unwrap()
}

fn run(bytes: &[u8], workers: usize) -> Result<AuditReport, AuditError> {
    let opts = AuditOptions {
        workers,
        ..AuditOptions::default()
    };
    audit_reader(bytes, "t.csv", &mapping(), &opts)
}

#[test]
fn results_do_not_depend_on_the_number_of_workers() {
    let mut text = HEADER.to_string();
    for i in 0..10_000 {
        let phone = if i % 7 == 0 {
            "+852 9123 4567".to_string()
        } else {
            format!("+8529{:07}", i * 13)
        };
        let name = if i % 11 == 0 { "" } else { "Ann" };
        text.push_str(&format!(
            "{name},Lee,Mobile,{phone},Work,a{}@x.hk\n",
            i % 5000
        ));
    }
    let one = run(text.as_bytes(), 1).unwrap();
    for workers in [2, 3, 8] {
        let many = run(text.as_bytes(), workers).unwrap();
        assert_eq!(many.violations, one.violations, "{workers} workers");
        assert_eq!(many.rows, 10_000);
    }
    assert!(one.violations.windows(2).all(|w| w[0].line <= w[1].line));
}

#[test]
fn blank_rows_are_counted_but_not_checked() {
    let text = format!("{HEADER},,,,,\n \nAnn,Lee,,,,\n,,\n");
    let r = run(text.as_bytes(), 2).unwrap();
    assert_eq!((r.rows, r.blank_rows), (4, 3));
    assert!(r.violations.is_empty(), "{:?}", r.violations);
}

#[test]
fn a_utf16_file_is_refused_with_a_way_out() {
    let mut bytes = vec![0xFF, 0xFE];
    for c in HEADER.encode_utf16() {
        bytes.extend_from_slice(&c.to_le_bytes());
    }
    let e = run(&bytes, 1).unwrap_err().to_string();
    assert!(e.contains("UTF-16LE") && e.contains("CSV UTF-8"), "{e}");
}

fn soup() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b",".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"+852 9123 4567".to_vec()),
        Just(b"+85291234567".to_vec()),
        Just("陳大文".as_bytes().to_vec()),
        Just(b"\xE9\xFF".to_vec()),
        Just(b"a@b.hk".to_vec()),
        "[ -~]{0,8}".prop_map(String::into_bytes),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Any bytes after a good header: no panic, every violation on a real line, in
    /// line order.
    #[test]
    fn any_file_body_is_audited_without_panic(body in soup()) {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(&body);
        let r = run(&bytes, 2).unwrap();
        let lines = 1 + bytes.iter().filter(|b| **b == b'\n').count() as u64;
        for v in &r.violations {
            prop_assert!(v.line >= 2 && v.line <= lines + 1, "line {} of {}", v.line, lines);
        }
        prop_assert!(r.violations.windows(2).all(|w| w[0].line <= w[1].line));
    }
}
