//! Progress bars, as a person at a terminal sees them: the real binary run under a
//! pseudo-terminal (util-linux `script`), its terminal output checked for each bar
//! (the CINNOX listing, the writes of sync and import, the audit of a big file);
//! and the same commands without a terminal, or with `-q`, drawing none.

use crate::sync_support;

use std::path::Path;
use std::process::{Command, Stdio};
use sync_support::sandbox::{Env, cinnox_person, csv_text, person};

const BIN: &str = env!("CARGO_BIN_EXE_cinnox-sync");
const LISTING: &str = "reading CINNOX contacts";
const WRITES: &str = "CINNOX writes:";

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `cinnox-sync ARGS` with a pseudo-terminal as stdout and stderr: (exit code,
/// everything written to the terminal). `None` when `script` is not installed.
fn on_terminal(dir: &Path, env: &[(&str, String)], args: &[&str]) -> (i32, String) {
    let line: Vec<String> = std::iter::once(BIN)
        .chain(args.iter().copied())
        .map(quote)
        .collect();
    let out = Command::new("script")
        .args(["-qec", &line.join(" "), "/dev/null"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("RUST_LOG", "error")
        .env("TERM", "xterm")
        .current_dir(dir)
        .stdin(Stdio::null())
        .output();
    match out {
        Ok(o) => (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        ),
        // A missing `script` fails the test rather than skipping it: a test that
        // passes without running shows nothing.
        Err(e) => panic!("cannot run `script` (util-linux, e.g. `apt install bsdutils`): {e}"),
    }
}

/// CINNOX holds 600 contacts (two pages to list) and the list 3 new rows (3 creates).
fn world() -> Env {
    let seed = (1..=600).map(cinnox_person).collect();
    Env::new(&csv_text(&[person(1), person(2), person(3)]), seed)
}

fn token(env: &Env) -> Vec<(&'static str, String)> {
    vec![(
        sync_support::sandbox::TOKEN_ENV,
        env.sb.app_token().expose().to_string(),
    )]
}

#[test]
fn plan_and_sync_show_the_listing_and_the_writes_on_a_terminal() {
    let env = world();
    let job = env.job.to_str().unwrap();
    let (code, shown) = on_terminal(env.dir.path(), &token(&env), &["plan", "-c", job]);
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains(LISTING), "plan lists CINNOX: {shown}");
    assert!(!shown.contains(WRITES), "plan writes nothing: {shown}");

    let one_listing = env.stats().total("list");
    let (code, shown) = on_terminal(env.dir.path(), &token(&env), &["sync", "-c", job]);
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains(LISTING), "{shown}");
    assert!(shown.contains(&format!("{WRITES} ")), "{shown}");
    assert!(shown.contains("/3 creates"), "done / planned: {shown}");
    assert_eq!(env.stats().total("create"), 3);
    // The listing after the creates (the mapping has owner columns) says why it
    // reads CINNOX again, rather than drawing the first bar a second time.
    assert_eq!(
        env.stats().total("list"),
        3 * one_listing,
        "plan, sync, re-listing"
    );
    assert!(
        shown.contains(&format!("{LISTING} again, for what CINNOX set")),
        "{shown}"
    );
}

#[test]
fn apply_shows_its_writes_on_a_terminal() {
    let env = world();
    let job = env.job.to_str().unwrap();
    let out = env
        .cmd()
        .args(["plan", "-c", job, "--out", "plan.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let (code, shown) = on_terminal(env.dir.path(), &token(&env), &["apply", "plan.json"]);
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains(LISTING), "{shown}");
    assert!(shown.contains("/3 creates"), "{shown}");
    assert_eq!(env.stats().total("create"), 3);
}

#[test]
fn no_bar_without_a_terminal_or_with_quiet() {
    let env = world();
    let job = env.job.to_str().unwrap();
    let out = env.cmd().args(["sync", "-c", job]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains(LISTING) && !stderr.contains(WRITES),
        "{stderr}"
    );
    env.edit_csv(|rows| {
        rows[0].insert("Job Title".into(), "Director".into());
    });
    let (code, shown) = on_terminal(env.dir.path(), &token(&env), &["-q", "sync", "-c", job]);
    assert_eq!(code, 0, "{shown}");
    assert_eq!(env.stats().total("update"), 1, "{shown}");
    assert!(
        !shown.contains(LISTING) && !shown.contains(WRITES),
        "-q hides the bars: {shown}"
    );
}

#[test]
fn import_shows_its_writes_on_a_terminal() {
    let env = world();
    let file = env.dir.path().join("leads.csv");
    std::fs::write(
        &file,
        "First Name,Email Address\nAnn,ann@example.com\nBo,bo@example.com\n",
    )
    .unwrap();
    let mapping = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/cinnox-columns.toml");
    let args = [
        "import",
        "leads.csv",
        "-c",
        env.job.to_str().unwrap(),
        "--mapping",
        mapping,
    ];
    let (code, shown) = on_terminal(env.dir.path(), &token(&env), &args);
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains(LISTING), "{shown}");
    assert!(shown.contains("/2 creates"), "{shown}");
    assert_eq!(env.stats().total("create"), 2);
}

#[test]
fn audit_of_a_big_file_shows_its_bar_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    // The template's columns, over the 8 MiB from which the audit shows a bar.
    let mut text = String::from(
        "First Name,Last Name,Phone Type,Phone Number,Email Type,Email Address,\
         Social Messaging Type,Social Messaging Name Id,Company,Job Title,Team,Group,Level,\
         Type,Language,Birth Date,Street,City,State,Zip Code,Country\n",
    );
    let mut i = 0;
    while text.len() <= 9 << 20 {
        i += 1;
        text.push_str(&format!(
            "Name{i},Lee,,,Work,user{i}@example.com,,,Acme,Sales,,,Primary,Lead,en,,,,,,\n"
        ));
    }
    std::fs::write(dir.path().join("big.csv"), text).unwrap();
    let args = ["audit", "big.csv", "--json", "--output", "report.json"];
    let out = assert_cmd::Command::new(BIN)
        .args(args)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("auditing big.csv"), "{stderr}");
    let (code, shown) = on_terminal(dir.path(), &[], &args);
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("auditing big.csv"), "{shown}");
}

#[test]
fn audit_of_cinnox_shows_the_listing_on_a_terminal_only() {
    let env = world();
    let job = env.job.to_str().unwrap();
    let (code, shown) = on_terminal(
        env.dir.path(),
        &token(&env),
        &[
            "audit",
            "--cinnox",
            "-c",
            job,
            "-o",
            "report.json",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains(LISTING), "{shown}");
    let out = env
        .cmd()
        .args(["audit", "--cinnox", "-c", job, "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stderr).contains(LISTING));
}
