//! The other commands on a sheet: `audit --sheet` (JSON, sheet row numbers, a
//! phone number Sheets turned into a number, a tab name that needs encoding, a
//! header below a title row), `import --sheet` (one read, the sheet never
//! written, a re-import makes no write), `plan` (reads, writes nothing) and
//! `apply` of a plan saved on a sheet, and `plan`/`sync` with `--sheet` overriding
//! the job's list.

use super::env::{SheetEnv, TAB, grid, sheet_header};
use crate::support::BOOK;
use crate::support::fake_sheets::Cell;
use crate::sync_support::sandbox::{person, wide};
use cinnox_sync::model::FieldId as F;
use serde_json::Value;

#[test]
fn audit_sheet_json_reports_numbers_sheets_made_of_phones_by_sheet_row() {
    let env = SheetEnv::new(&[], vec![]);
    let header = sheet_header();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut rows = vec![vec![Cell::text("Contacts kept by the Kowloon team")]];
    rows.extend(grid(
        &header,
        &[
            person(1),
            vec![
                ("First Name", "Bob".into()),
                ("Work Phone", "+85291234567".into()),
            ],
            vec![("First Name", "Cat".into())],
        ],
    ));
    rows.insert(4, Vec::new()); // a blank row: sheet rows are kept in messages
    rows[2][col("Mobile Phone")] = Cell::Number(85291234567.0);
    rows[5][col("Mobile Phone")] = Cell::Number(12345.0);
    env.fake.with_tab(BOOK, TAB, |t| t.rows = rows);
    env.fake.reset_counts();
    let out = env
        .cmd()
        .args(["audit", "--json", "--mapping"])
        .arg(wide())
        .args(["--sheet", &format!("{BOOK}/{TAB}"), "--header-row", "2"])
        .args(["--credentials", env.key.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows"], 3, "{v:#}");
    let found: Vec<(u64, &str, &str, Option<&str>)> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["line"].as_u64().unwrap(),
                x["column"].as_str().unwrap(),
                x["rule"].as_str().unwrap(),
                x["suggestion"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (3, "Mobile Phone", "phone_format", Some("+85291234567")),
            (3, "Mobile Phone", "duplicate", None),
            (4, "Work Phone", "duplicate", None),
            (6, "Mobile Phone", "phone_format", None),
        ],
        "{v:#}"
    );
    let first = &v["violations"][0];
    assert_eq!(first["value"], "85291234567");
    let m = first["message"].as_str().unwrap();
    assert!(
        m.contains("as a number") && m.contains("+") && m.contains("plain text"),
        "{m}"
    );
    let c = env.fake.counts();
    assert_eq!((c.reads, c.meta_reads, c.writes()), (1, 0, 0), "{c:?}");
    let path = &env.fake.log()[0].raw_path;
    assert!(
        !path.contains(['#', '!', ' ']) && path.matches('/').count() == 2,
        "{path}"
    );
}

#[test]
fn import_from_a_sheet_reads_once_never_writes_it_and_repeats_as_a_no_op() {
    let header: Vec<String> = sheet_header()
        .into_iter()
        .filter(|h| h != "CINNOX ID" && h != "Sync Status")
        .collect();
    let mut bad = person(3);
    bad.push(("Email", "not an address".into()));
    bad.retain(|(k, v)| *k != "Email" || v.contains(' '));
    let env = SheetEnv::with(&header, &[person(1), person(2), bad], vec![], "");
    let phone = header.iter().position(|h| h == "Mobile Phone").unwrap();
    env.fake
        .type_cell(BOOK, TAB, 1, phone, Cell::Number(85291234567.0));
    let sheet = format!("{BOOK}/{TAB}");
    let args = [
        "import",
        "--sheet",
        &sheet,
        "--credentials",
        "service-account.json",
        "--config",
        env.job_arg(),
    ];
    let before = env.fake.shown(BOOK, TAB);
    env.fake.reset_counts();
    let (code, v) = env.json(&args);
    assert_eq!(code, 1, "one row rejected: {v:#}");
    assert_eq!(v["applied"]["created"], 2, "{v:#}");
    assert!(
        v["notes"][0].as_str().unwrap().contains("as a number"),
        "{v:#}"
    );
    let c = env.fake.counts();
    assert_eq!((c.reads, c.writes()), (1, 0), "{c:?}");
    assert_eq!(
        env.fake.shown(BOOK, TAB),
        before,
        "the sheet is never changed"
    );
    let p1 = env
        .contacts()
        .into_iter()
        .find(|c| c.values.get(F::FirstName) == "Person1")
        .unwrap();
    assert_eq!(p1.values.get(F::MobilePhone), "+85291234567");
    let rejected = std::fs::read_to_string(
        env.dir
            .path()
            .join(format!("sheet-{BOOK}-{}.rejected.csv", "聯絡人__1_香港_")),
    )
    .unwrap();
    assert!(
        rejected.contains("not an address") && rejected.contains("Error"),
        "{rejected}"
    );
    let writes = env.writes();
    let (code, v) = env.json(&args);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(env.writes(), writes, "a re-import makes no write: {v:#}");
}

#[test]
fn plan_on_a_sheet_reads_and_writes_nothing_then_apply_writes_once() {
    let env = SheetEnv::new(&[person(1), person(2)], vec![]);
    env.fake.reset_counts();
    let (code, v) = env.json(&["plan", "--config", env.job_arg(), "--out", "plan.json"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["plan"]["counts"]["creates"], 2, "{v:#}");
    assert_eq!(v["list"], format!("sheet {BOOK}/{TAB}"));
    let c = env.fake.counts();
    assert_eq!((c.reads, c.writes()), (1, 0), "{c:?}");
    assert_eq!((env.writes(), env.contacts().len()), (0, 0));
    assert!(!env.dir.path().join("contacts.state.db").exists());
    env.fake.reset_counts();
    let (code, v) = env.json(&["apply", "plan.json"]);
    assert_eq!(
        (code, v["applied"]["created"].as_u64()),
        (0, Some(2)),
        "{v:#}"
    );
    let c = env.fake.counts();
    assert_eq!((c.reads, c.batch_updates, c.writes()), (1, 1, 1), "{c:?}");
    assert!(env.rows().iter().all(|r| !r["CINNOX ID"].is_empty()));
    env.assert_quiet_sync();
}

#[test]
fn plan_and_sync_with_sheet_on_the_command_line_use_it_not_the_jobs_list() {
    let env = SheetEnv::new(&[person(1), person(2)], vec![]);
    // The job names a CSV file holding someone else.
    let job = std::fs::read_to_string(&env.job).unwrap();
    let sheet_line = job.lines().find(|l| l.starts_with("sheet = ")).unwrap();
    std::fs::write(&env.job, job.replace(sheet_line, "csv = \"other.csv\"")).unwrap();
    let other = env.dir.path().join("other.csv");
    let other_text = crate::sync_support::sandbox::csv_text(&[person(7)]);
    std::fs::write(&other, &other_text).unwrap();
    let sheet = format!("{BOOK}/{TAB}");
    let key = env.key.to_str().unwrap();
    let args = |cmd| {
        [
            cmd,
            "--config",
            env.job_arg(),
            "--sheet",
            &sheet,
            "--credentials",
            key,
        ]
    };

    env.fake.reset_counts();
    let (code, v) = env.json(&args("plan"));
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["list"], format!("sheet {BOOK}/{TAB}"), "{v:#}");
    assert_eq!(
        v["plan"]["counts"]["creates"], 2,
        "the sheet's two rows: {v:#}"
    );
    let c = env.fake.counts();
    assert_eq!((c.reads, c.writes()), (1, 0), "{c:?}");

    env.fake.reset_counts();
    let (code, v) = env.json(&args("sync"));
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["list"], format!("sheet {BOOK}/{TAB}"), "{v:#}");
    assert_eq!(v["applied"]["created"], 2, "{v:#}");
    let c = env.fake.counts();
    assert_eq!(
        (c.reads, c.batch_updates),
        (1, 1),
        "ids written to the sheet: {c:?}"
    );
    let rows = env.rows();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| !r["CINNOX ID"].is_empty()), "{rows:?}");
    let mut names: Vec<String> = env
        .contacts()
        .iter()
        .map(|c| c.values.get(F::FirstName).to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["Person1", "Person2"]);
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        other_text,
        "the job's own list is untouched"
    );
}
