//! Any list shape, through the real binary: `init` writes a mapping from a list's
//! own header (English and Chinese), and that mapping loads and audits the list;
//! the built-in mappings work by name from a folder with no checkout (`-m wide`
//! on audit and import, `mapping = "wide"` in a job file); a list with only some
//! of a mapping's columns is audited, imported and synced on those, unless a
//! required one is missing.

use crate::audit_support;
use crate::sync_support;

use audit_support::{Run, audit_in, triples};
use cinnox_sync::model::FieldId;
use std::path::Path;
use sync_support::sandbox::{Env, cinnox_person, csv_text, person};

fn cli(dir: &Path, args: &[&str]) -> Run {
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_cinnox-sync"))
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .args(args)
        .output()
        .expect("run cinnox-sync");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn init_guesses_a_chinese_list_and_the_mapping_audits_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("名單.csv"),
        "姓名,手機,電郵,公司,職位,備註\n\
         陳大文,+85291234567,chan@example.com,Acme,經理,VIP\n\
         李小明,9123 4567,lee@example,Acme,,\n",
    )
    .unwrap();
    let r = cli(dir.path(), &["init", "名單.csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for line in [
        "名單.csv: matched 5 of 6 columns; mapping written to 名單.mapping.toml",
        "-> firstName (the whole name goes into First Name",
        "-> mobilePhone",
        "-> email",
        "-> companyName",
        "-> jobTitle",
        "left out (kept in the list, not checked):",
        "is not the name of a CINNOX field",
        "then: cinnox-sync audit 名單.csv -m 名單.mapping.toml",
    ] {
        assert!(r.stdout.contains(line), "{line}: {}", r.stdout);
    }
    let text = std::fs::read_to_string(dir.path().join("名單.mapping.toml")).unwrap();
    assert!(
        text.contains("\"手機\" = \"mobilePhone\"") && text.contains("# \"備註\""),
        "{text}"
    );

    let r = audit_in(
        dir.path(),
        &["名單.csv", "-m", "名單.mapping.toml", "--json"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        triples(&r.stdout),
        vec![
            (3, "手機".into(), "phone_format".into()),
            (3, "電郵".into(), "email".into()),
        ]
    );
    assert!(r.stderr.contains("not checked: 備註"), "{}", r.stderr);

    // A second init does not overwrite the file (edits may be in it) without --force.
    let r = cli(dir.path(), &["init", "名單.csv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("exists already") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(cli(dir.path(), &["init", "名單.csv", "--force"]).code, 0);
}

#[test]
fn init_writes_to_stdout_and_reads_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Leads").unwrap();
    for (c, h) in [
        "First Name",
        "Surname",
        "Mobile",
        "Tel",
        "E-mail",
        "Job Title",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Ann").unwrap();
    ws.write_number(1, 2, 85291234567.0).unwrap();
    wb.save(dir.path().join("leads.xlsx")).unwrap();
    let r = cli(
        dir.path(),
        &["init", "leads.xlsx", "--tab", "Leads", "-o", "-"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The mapping on stdout, what was matched on stderr.
    assert!(
        r.stdout.contains("\"Mobile\" = \"mobilePhone\""),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("\"Tel\" = \"otherPhone\""),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("\"Surname\" = \"lastName\""),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("\"E-mail\" = \"email\""), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("leads.xlsx --tab Leads: matched 6 of 6 columns"),
        "{}",
        r.stderr
    );
    std::fs::write(dir.path().join("leads.toml"), &r.stdout).unwrap();
    let r = audit_in(
        dir.path(),
        &["leads.xlsx", "--tab", "Leads", "-m", "leads.toml", "--json"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["violations"][0]["suggestion"], "+85291234567", "{v:#}");

    let r = cli(dir.path(), &["init", "no-such.csv"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read no-such.csv"), "{}", r.stderr);
    assert!(cli(dir.path(), &["init", "--help"]).stdout.contains("手機"));
}

#[test]
fn built_in_mappings_work_by_name_from_any_folder() {
    // An empty folder: no mappings/ beside the binary's working directory.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wide.csv"),
        "First Name,Mobile Phone,Work Phone,Email,Sync Status\nAnn,+852 9123 4567,,ann@example.com,\n",
    )
    .unwrap();
    let r = audit_in(dir.path(), &["wide.csv", "-m", "wide", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        triples(&r.stdout),
        vec![(2, "Mobile Phone".into(), "phone_format".into())]
    );
    // The template's columns are not this list's: its phones go unchecked, and say so.
    let r = audit_in(dir.path(), &["wide.csv", "--mapping", "cinnox-columns"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("mapping \"CINNOX contact template\"")
            && r.stdout
                .contains("not checked (not in the mapping): Mobile Phone, Work Phone, Email"),
        "{}",
        r.stdout
    );
    let r = audit_in(dir.path(), &["wide.csv", "-m", "wdie"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no mapping file `wdie` and no built-in mapping of that name (built-in: cinnox-columns, wide, cinnox-fields)"),
        "{}",
        r.stderr
    );
    assert!(
        audit_in(dir.path(), &["--help"])
            .stdout
            .contains("cinnox-columns, wide")
    );
}

#[test]
fn import_takes_m_and_a_job_names_a_built_in_mapping() {
    let env = Env::new(&csv_text(&[person(2)]), vec![cinnox_person(1)]);
    std::fs::write(
        env.dir.path().join("leads.csv"),
        "First Name,Mobile Phone,Email\nAnn,+85291234567,ann@example.com\n",
    )
    .unwrap();
    let job = env.job.to_str().unwrap();
    let (code, v) = env.json(&["import", "leads.csv", "-c", job, "-m", "wide", "--dry-run"]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["counts"]["creates"], 1, "{v:#}");

    // The same job with `mapping = "wide"`: found without any file of that name.
    let text = std::fs::read_to_string(&env.job).unwrap();
    let first = text.lines().next().unwrap().to_string();
    assert!(first.starts_with("mapping = "), "{first}");
    let named = env.dir.path().join("named.toml");
    std::fs::write(&named, text.replacen(&first, "mapping = \"wide\"", 1)).unwrap();
    let (code, v) = env.json(&["plan", "-c", named.to_str().unwrap()]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["counts"]["creates"], 1, "{v:#}");
    assert!(!env.dir.path().join("wide").exists());
}

#[test]
fn a_list_with_some_columns_is_audited_on_those() {
    let dir = tempfile::tempdir().unwrap();
    // The template mapping, a list with four of its columns.
    std::fs::write(
        dir.path().join("four.csv"),
        "First Name,Phone Number,Email Address,Company\nAnn,9123 4567,ann@example.com,Acme\n,+85291234567,bo@example,\n",
    )
    .unwrap();
    let r = audit_in(dir.path(), &["four.csv", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        triples(&r.stdout),
        vec![
            (2, "Phone Number".into(), "phone_format".into()),
            (3, "First Name".into(), "required".into()),
            (3, "Email Address".into(), "email".into()),
        ]
    );
    assert!(
        r.stderr.contains(
            "(nothing to check there): Last Name, Level, Type, Job Title, Team, Group, Language, \
             Birth Date, Zip Code, Street, City, State, Country, Email Type, Phone Type, \
             Social Messaging Type, Social Messaging Name Id\n"
        ),
        "{}",
        r.stderr
    );
    // The phone without a Phone Type column is read as the pair's default (Mobile).
    assert!(
        r.stdout.contains("\"field\":\"mobilePhone\""),
        "{}",
        r.stdout
    );
    let r = audit_in(dir.path(), &["four.csv"]);
    assert!(
        r.stdout
            .contains("not in this list (mapped, nothing to check): Last Name, Level"),
        "{}",
        r.stdout
    );

    // A required field with no column is refused, in the mapping's words.
    std::fs::write(
        dir.path().join("nofirst.csv"),
        "Phone Number\n+85291234567\n",
    )
    .unwrap();
    let r = audit_in(dir.path(), &["nofirst.csv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("requires firstName in every row") && r.stderr.contains("`First Name`"),
        "{}",
        r.stderr
    );
}

#[test]
fn sync_and_import_work_on_the_columns_a_list_has() {
    // The wide mapping names twenty columns; this list has two. CINNOX holds the
    // contact's company, which no column of the list can show.
    let env = Env::new(
        "First Name,Email\nCin1,cin1@example.com\nAnn,ann@example.com\n",
        vec![cinnox_person(1)],
    );
    let v = env.sync_settled(0);
    assert_eq!(v["counts"]["creates"], 1, "{v:#}");
    let header = std::fs::read_to_string(&env.csv).unwrap();
    let header = header.lines().next().unwrap().to_string();
    // The sync columns are added; the mapped columns the list lacks are not.
    assert_eq!(header, "First Name,Email,CINNOX ID,Sync Status");
    let linked = env.row_of_email("cin1@example.com");
    assert_eq!(
        env.contact(&linked).values.get(FieldId::CompanyName),
        "Acme"
    );

    // An edit in a column the list has goes; the company is still not touched.
    env.edit_csv(|rows| {
        rows[0]
            .insert("First Name".into(), "Cindy".into())
            .map(drop)
            .unwrap()
    });
    let (code, v) = env.sync();
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["counts"]["updates"], 1, "{v:#}");
    let c = env.contact(&linked);
    assert_eq!(c.values.get(FieldId::FirstName), "Cindy");
    assert_eq!(c.values.get(FieldId::CompanyName), "Acme");

    // Import reads the same two columns.
    std::fs::write(
        env.dir.path().join("two.csv"),
        "First Name,Email\nBo,bo@example.com\n",
    )
    .unwrap();
    let job = env.job.to_str().unwrap();
    let (code, v) = env.json(&["import", "two.csv", "-c", job]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["counts"]["creates"], 1, "{v:#}");

    // Without the column of the required first name, every command refuses at once,
    // naming the column and the mapping's `required`.
    std::fs::write(
        env.dir.path().join("nofirst.csv"),
        "Email\ncy@example.com\n",
    )
    .unwrap();
    let sync_job = env.dir.path().join("nofirst.toml");
    let text = std::fs::read_to_string(&env.job).unwrap();
    std::fs::write(&sync_job, text.replace("contacts.", "nofirst.")).unwrap();
    let writes = env.writes();
    for args in [
        vec!["sync", "-c", sync_job.to_str().unwrap()],
        vec!["plan", "-c", sync_job.to_str().unwrap()],
        vec!["import", "nofirst.csv", "-c", job],
    ] {
        let out = env.cmd().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("requires firstName in every row")
                && err.contains("nofirst.csv has none of its columns: `First Name`")
                && err.contains("`required`"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(env.writes(), writes);
    assert_eq!(
        std::fs::read_to_string(env.dir.path().join("nofirst.csv")).unwrap(),
        "Email\ncy@example.com\n"
    );
}
