//! Tests of `list`: which list a command's options name, and the files beside it.
use super::*;
use crate::sources::CsvSource;
use crate::sources::sheets::{SheetsAuth, SheetsConfig};

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
    ListSource::new(c)
}

#[test]
fn sheet_flag_keeps_the_jobs_credentials_and_flags_replace_them() {
    let args = SheetOverrides {
        sheet: Some("xyz/聯絡人 #1".into()),
        ..SheetOverrides::default()
    };
    let c = args.sheet_config(Some(&job_sheet())).unwrap().unwrap();
    assert_eq!(
        (c.spreadsheet_id.as_str(), c.tab.as_str(), c.header_row),
        ("xyz", "聯絡人 #1", 1)
    );
    assert!(matches!(c.auth, SheetsAuth::InstalledApp { .. }));
    let args = SheetOverrides {
        credentials: Some("k.json".into()),
        header_row: Some(2),
        ..SheetOverrides::default()
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
    let args = SheetOverrides {
        credentials: Some("k.json".into()),
        ..SheetOverrides::default()
    };
    let e = args.sheet_config(None).unwrap_err().to_string();
    assert!(e.contains("--credentials") && e.contains("--sheet"), "{e}");
    let choice = ListChoice {
        file: Some("a.csv".into()),
        sheet: args.clone(),
        tab: None,
    };
    let e = resolve(&choice, None).unwrap_err().to_string();
    assert!(e.contains("--credentials"), "{e}");
    let e = resolve(&ListChoice::default(), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("--sheet"), "{e}");
}

#[test]
fn companions_sit_beside_the_csv_or_name_the_sheet() {
    let csv = ListSource::new(CsvSource::new("d/c.csv"));
    assert_eq!(
        csv.companion(Path::new("x"), "state.db"),
        Path::new("d/c.state.db")
    );
    let s = ListSource::new(SheetsConfig::new(
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
