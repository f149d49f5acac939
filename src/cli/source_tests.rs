//! Tests of `source`: which list a command's options name, and the files beside it.
use super::*;

fn job_sheet() -> ListSource {
    let mut c = SheetsConfig::new(
        "abc",
        "Tab",
        SheetsAuth::InstalledApp {
            client_secret: "cs.json".into(),
            token_cache: "cache.json".into(),
            redirect_port: Some(8085),
        },
    );
    c.header_row = 3;
    ListSource::Sheet(c)
}

#[test]
fn sheet_flag_keeps_the_jobs_credentials_and_flags_replace_them() {
    let args = SheetArgs {
        sheet: Some("xyz/聯絡人 #1".into()),
        ..SheetArgs::default()
    };
    let c = args.sheet_config(Some(&job_sheet())).unwrap().unwrap();
    assert_eq!(
        (c.spreadsheet_id.as_str(), c.tab.as_str(), c.header_row),
        ("xyz", "聯絡人 #1", 1)
    );
    assert!(matches!(c.auth, SheetsAuth::InstalledApp { .. }));
    let args = SheetArgs {
        credentials: Some("k.json".into()),
        header_row: Some(2),
        ..SheetArgs::default()
    };
    let c = args.sheet_config(Some(&job_sheet())).unwrap().unwrap();
    assert_eq!(
        c.auth,
        SheetsAuth::ServiceAccount {
            key: Some("k.json".into())
        }
    );
    assert_eq!(c.header_row, 2);
}

#[test]
fn sheet_options_without_a_sheet_are_refused() {
    let args = SheetArgs {
        credentials: Some("k.json".into()),
        ..SheetArgs::default()
    };
    let e = args.sheet_config(None).unwrap_err().to_string();
    assert!(e.contains("--credentials") && e.contains("--sheet"), "{e}");
    let e = resolve_list(Some(Path::new("a.csv")), &args, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("--credentials"), "{e}");
    let e = resolve_list(None, &SheetArgs::default(), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("--sheet"), "{e}");
}

#[test]
fn companions_sit_beside_the_csv_or_name_the_sheet() {
    let csv = ListSource::Csv {
        path: "d/c.csv".into(),
        template: None,
        encoding: None,
    };
    assert_eq!(
        csv.companion(Path::new("x"), "state.db"),
        Path::new("d/c.state.db")
    );
    let s = ListSource::Sheet(SheetsConfig::new(
        "abc",
        "香港 #1/A!",
        SheetsAuth::ServiceAccount { key: None },
    ));
    assert_eq!(
        s.companion(Path::new("x"), "state.db"),
        Path::new("x/sheet-abc-香港__1_A_.state.db")
    );
    assert_eq!(s.describe(), "sheet abc/香港 #1/A!");
}

#[test]
fn retry_specs_set_what_they_name() {
    let p = retry_policy(
        "first_ms=5, wait_ms=2000,per_minute=1000",
        RetryPolicy::default(),
    )
    .unwrap();
    assert_eq!(
        (p.first_delay, p.max_wait, p.per_minute),
        (Duration::from_millis(5), Duration::from_secs(2), 1000)
    );
    assert!(retry_policy("speed=3", RetryPolicy::default()).is_err());
}
