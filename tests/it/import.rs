//! `cinnox-sync import` against a real sandbox: invalid and refused rows go to a
//! rejected file with an `Error` column; re-importing the same file makes zero
//! writes; a fixed rejected file imports cleanly; updates go by match keys.

use crate::sync_support;

use cinnox_sync::model::FieldId as F;
use sync_support::sandbox::{Env, cinnox_person};

const TEMPLATE: &str =
    "First Name,Last Name,Phone Type,Phone Number,Email Type,Email Address,Company,Notes
Ann,Lee,Mobile,+852 9123 4567,Work,ann@example.com,Acme,first
Bo,Chan,,12345,Work,bo@example.com,Acme,bad phone
Cin1,,,,Work,CIN1@example.com,New Co,matches an existing contact
,NoFirstName,,,Work,nofirst@example.com,,required first name missing
Dee,,,,,,,no match key at all
";

fn import(env: &Env, file: &std::path::Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec![
        "import",
        file.to_str().unwrap(),
        "--config",
        env.job.to_str().unwrap(),
        "--mapping",
    ];
    let m = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/cinnox-columns.toml");
    args.push(m);
    args.extend_from_slice(extra);
    env.json(&args)
}

#[test]
fn import_rejects_fixes_and_reimports_without_writes() {
    let env = Env::new("First Name\n", vec![cinnox_person(1)]);
    let file = env.dir.path().join("leads.csv");
    std::fs::write(&file, TEMPLATE).unwrap();

    let (code, v) = import(&env, &file, &["--dry-run"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(env.writes(), 0, "a dry run sends nothing");

    let (code, v) = import(&env, &file, &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["applied"]["created"], 2, "{v:#}");
    assert_eq!(v["applied"]["updated"], 1, "{v:#}");
    assert_eq!(v["applied"]["rejected"], 2, "{v:#}");
    let existing = env
        .contacts()
        .into_iter()
        .find(|c| c.values.get(F::FirstName) == "Cin1")
        .unwrap();
    assert_eq!(
        existing.values.get(F::CompanyName),
        "New Co",
        "matched by email, the file wins"
    );
    let ann = env
        .contacts()
        .into_iter()
        .find(|c| c.values.get(F::FirstName) == "Ann")
        .unwrap();
    assert_eq!(
        ann.values.get(F::MobilePhone),
        "+85291234567",
        "sent normalised"
    );

    let rejected = env.dir.path().join("leads.rejected.csv");
    let text = std::fs::read_to_string(&rejected).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "First Name,Last Name,Phone Type,Phone Number,Email Type,Email Address,Company,Notes,Error"
    );
    // Named as the file names its columns, not by field id.
    assert!(
        text.contains("bad phone") && text.contains("Phone Number has no country code"),
        "{text}"
    );
    assert!(text.contains("First Name is required"), "{text}");
    assert!(
        !text.contains("mobilePhone") && !text.contains("firstName"),
        "{text}"
    );

    // The same file again: no write at all (Dee, with no match key, is known by
    // what the first import made).
    let writes = env.writes();
    let (_, v) = import(&env, &file, &[]);
    assert_eq!(
        (v["calls"]["create"].as_u64(), v["calls"]["update"].as_u64()),
        (Some(0), Some(0)),
        "{v:#}"
    );
    assert_eq!(env.writes(), writes);

    // Fix the rejected file and import it.
    let fixed = text
        .replace("12345", "+852 6123 4567")
        .replace(",NoFirstName", "Noa,NoFirstName");
    std::fs::write(&rejected, fixed).unwrap();
    let (code, v) = import(&env, &rejected, &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["applied"]["created"], 2);
    assert_eq!(
        env.contacts().len(),
        5,
        "1 seeded, 2 imported, 2 fixed and imported"
    );
}

#[test]
fn lost_create_answers_are_found_again_not_created_twice() {
    let env = Env::new("First Name\n", vec![]);
    let file = env.dir.path().join("leads.csv");
    std::fs::write(
        &file,
        "First Name,Email Type,Email Address\nAnn,Work,ann@example.com\nBo,,\nCy,,\n",
    )
    .unwrap();
    // Every create is stored but its answer lost.
    env.faults(cinnox_sync::sandbox::Faults {
        lost_create: 1.0,
        ..Default::default()
    });
    let (code, v) = import(&env, &file, &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["applied"]["unknown"], 3, "{v:#}");
    assert_eq!(env.contacts().len(), 3);
    env.faults(cinnox_sync::sandbox::Faults::default());
    // The next import finds all three (by email, or by the journal for the rows
    // without a match key) and creates nothing.
    let (code, v) = import(&env, &file, &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["calls"]["create"], 0, "{v:#}");
    assert_eq!(env.contacts().len(), 3, "no duplicate");
}

#[test]
fn the_summary_counts_the_rejected_file_not_the_list() {
    let env = Env::new("First Name\n", vec![]);
    let file = env.dir.path().join("p.csv");
    let text = "First Name,Phone Type,Phone Number\nAnn,Mobile,12\nBo,Mobile,34\n";
    std::fs::write(&file, text).unwrap();
    let (code, v) = import(&env, &file, &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["rows_written"], 0, "the list is never written: {v:#}");
    assert_eq!(v["rejected_rows"], 2, "{v:#}");
    let rejected = env.dir.path().join("p.rejected.csv");
    assert_eq!(v["rejected_file"], rejected.display().to_string(), "{v:#}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    // The text summary says the same.
    let m = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/cinnox-columns.toml");
    let out = env
        .cmd()
        .args(["import", file.to_str().unwrap(), "--config"])
        .args([env.job.to_str().unwrap(), "--mapping", m])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!(
            "2 rejected rows written to {}",
            rejected.display()
        )),
        "{stdout}"
    );
    assert!(!stdout.contains("rows of"), "{stdout}");
}

#[test]
fn rows_sharing_an_email_are_rejected_together_and_created_once_settled() {
    let env = Env::new("First Name\n", vec![]);
    let file = env.dir.path().join("dups.csv");
    std::fs::write(
        &file,
        "First Name,Email Type,Email Address\nAnn,Work,dup@example.com\nAnnie,Work, DUP@example.com\nBo,Work,bo@example.com\nBo,Work,bo@example.com\n",
    )
    .unwrap();
    let (code, v) = import(&env, &file, &[]);
    assert_eq!(code, 1, "{v:#}");
    // Bo twice, the same values: created once. Ann and Annie: one email, two
    // different rows: neither is guessed.
    assert_eq!(v["applied"]["created"], 1, "{v:#}");
    assert_eq!(env.contacts().len(), 1);
    let problems = v["problems"].to_string();
    assert!(
        problems.contains("line 2: lines 2, 3 have no CINNOX ID and the same email"),
        "{v:#}"
    );
    // One row left for the person: imported once.
    let fixed = env.dir.path().join("fixed.csv");
    std::fs::write(
        &fixed,
        "First Name,Email Type,Email Address\nAnn,Work,dup@example.com\n",
    )
    .unwrap();
    let (code, v) = import(&env, &fixed, &[]);
    assert_eq!(
        (code, v["applied"]["created"].as_u64()),
        (0, Some(1)),
        "{v:#}"
    );
    let dup = env
        .contacts()
        .into_iter()
        .filter(|c| c.values.get(F::Email) == "dup@example.com")
        .count();
    assert_eq!(dup, 1);
}

#[test]
fn the_rejected_file_keeps_the_inputs_bom_and_line_endings() {
    let env = Env::new("First Name\n", vec![]);
    // As Excel saves "CSV UTF-8" on Windows: a BOM, CRLF, Chinese text.
    let file = env.dir.path().join("excel.csv");
    let text = "\u{feff}First Name,Last Name,Phone Type,Phone Number\r\n陳,大文,Mobile,12\r\n李,小明,Mobile,+85291234567\r\n";
    std::fs::write(&file, text).unwrap();
    let (code, v) = import(&env, &file, &[]);
    assert_eq!(code, 1, "{v:#}");
    let bytes = std::fs::read(env.dir.path().join("excel.rejected.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "the BOM Excel needs");
    let out = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        out.starts_with("First Name,Last Name,Phone Type,Phone Number,Error\r\n"),
        "{out:?}"
    );
    assert!(out.contains("陳,大文,Mobile,12,"), "{out:?}");
    assert_eq!(
        out.matches("\r\n").count(),
        out.matches('\n').count(),
        "CRLF only: {out:?}"
    );
    // And a plain LF file without a BOM gets a plain LF file back.
    let file = env.dir.path().join("plain.csv");
    std::fs::write(&file, "First Name,Phone Type,Phone Number\nAnn,Mobile,12\n").unwrap();
    import(&env, &file, &[]);
    let out = std::fs::read_to_string(env.dir.path().join("plain.rejected.csv")).unwrap();
    assert!(
        !out.starts_with('\u{feff}') && !out.contains('\r'),
        "{out:?}"
    );
}
