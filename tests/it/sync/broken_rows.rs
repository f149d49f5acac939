//! Broken rows are reported by every command, and never sent: a short row (a linked
//! one included, whose cut-off cells must not read as cleared values), a stray
//! quote, a NUL or another control character. `plan`, `sync` and `import` report
//! each with its line, as `audit` does, send nothing of it to CINNOX and write
//! nothing into it; a list that is not a regular file (a FIFO) is refused at once
//! by every command instead of blocking.

#![cfg(unix)]

use crate::sync_support::sandbox::{Env, csv_text, person};
use cinnox_sync::model::FieldId as F;
use std::time::Duration;

/// The list after a first sync of three people, with its lines broken: person 1's
/// row cut short (its email and id gone), a stray quote in person 2's job title, a
/// NUL in person 3's first name, and two new rows, one short, one with a stray quote.
fn broken_list(env: &Env) -> (String, Vec<String>, String) {
    let text = std::fs::read_to_string(&env.csv).unwrap();
    let orig = text.clone();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let width = lines[0].split(',').count();
    let find =
        |lines: &[String], email: &str| lines.iter().position(|l| l.contains(email)).unwrap();
    let i = find(&lines, "person1@example.com");
    lines[i] = "Person1,Test".into();
    let i = find(&lines, "person2@example.com");
    lines[i] = lines[i].replace("Engineer", "Eng\"ineer");
    let i = find(&lines, "person3@example.com");
    lines[i] = lines[i].replace("Person3", "Per\u{0}son3");
    lines.push("Person4".into());
    let mut five = vec![String::new(); width];
    five[0] = "Person5".into();
    five[1] = "O\"Brien".into();
    lines.push(five.join(","));
    let broken = vec![
        lines[1].clone(),
        lines[2].clone(),
        lines[4].clone(),
        lines[5].clone(),
    ];
    // The same list fixed: the rows as they were, the new ones whole.
    let pad = |first: &str| {
        let mut cells = vec![String::new(); width];
        cells[0] = first.into();
        cells.join(",") + "\n"
    };
    let fixed = orig + &pad("Person4") + &pad("Person5");
    (lines.join("\n") + "\n", broken, fixed)
}

#[test]
fn plan_and_sync_report_broken_rows_by_line_and_send_nothing_of_them() {
    let env = Env::new(&csv_text(&[person(1), person(2), person(3)]), vec![]);
    env.sync_settled(0);
    let p1 = env.row_of_email("person1@example.com");
    let p3 = env.row_of_email("person3@example.com");
    let (text, broken, fixed) = broken_list(&env);
    std::fs::write(&env.csv, &text).unwrap();
    let writes = env.writes();

    let job = env.job.to_str().unwrap();
    for args in [vec!["plan", "--config", job], vec!["sync", "--config", job]] {
        let (code, v) = env.json(&args);
        assert_eq!(code, 1, "{args:?}: {v:#}");
        assert_eq!(v["counts"]["invalid"], 5, "{args:?}: {v:#}");
        assert_eq!(v["counts"]["creates"], 0, "{v:#}");
        assert_eq!(v["counts"]["updates"], 0, "{v:#}");
        let problems: Vec<&str> = v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        for (line, what) in [
            (2, "has 2 cells but the header has"),
            (3, "has a quote inside a value"),
            (4, "U+0000 (NUL)"),
            (5, "has 1 cells but the header has"),
            (6, "has a quote inside a value"),
        ] {
            assert!(
                problems
                    .iter()
                    .any(|p| p.starts_with(&format!("line {line}")) && p.contains(what)),
                "line {line} reported ({what}): {problems:#?}"
            );
        }
        // Person 1's row lost its id: its contact stays linked, not forgotten.
        assert!(
            v["notes"]
                .to_string()
                .contains("could be read only in part"),
            "{v:#}"
        );
    }
    assert_eq!(env.writes(), writes, "nothing was sent to CINNOX");
    assert_eq!(env.contact(&p1).values.get(F::JobTitle), "Engineer");
    assert_eq!(env.contact(&p3).values.get(F::FirstName), "Person3");
    let now = std::fs::read_to_string(&env.csv).unwrap();
    for line in &broken {
        assert!(
            now.lines().any(|l| l == line),
            "a broken row was rewritten: {line:?} in {now}"
        );
    }

    // Fixed, the rows sync: person 1 by its id again, the new rows created once.
    std::fs::write(&env.csv, fixed).unwrap();
    let v = env.sync_settled(0);
    assert_eq!(v["calls"]["create"], 2, "{v:#}");
    assert_eq!(env.contacts().len(), 5, "{v:#}");
    assert_eq!(env.row_of_email("person1@example.com"), p1);
}

#[test]
fn import_rejects_broken_rows_with_their_line() {
    let env = Env::new("First Name\n", vec![]);
    let file = env.dir.path().join("leads.csv");
    std::fs::write(
        &file,
        "First Name,Last Name,Email Address\nAnn,Lee,ann@example.com\nBo\nC\"y,Chan,cy@example.com\nD\u{0}e,Wong,dee@example.com\nF\u{7}f,Li,ff@example.com\n",
    )
    .unwrap();
    let m = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/cinnox-columns.toml");
    let args = [
        "import",
        file.to_str().unwrap(),
        "--config",
        env.job.to_str().unwrap(),
        "--mapping",
        m,
    ];
    let (code, v) = env.json(&args);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["applied"]["created"], 1, "only Ann: {v:#}");
    assert_eq!(v["rejected_rows"], 4, "{v:#}");
    let problems = v["problems"].to_string();
    for (line, what) in [
        (3, "has 1 cells"),
        (4, "quote"),
        (5, "U+0000"),
        (6, "U+0007"),
    ] {
        assert!(
            problems.contains(&format!("line {line}: ")) && problems.contains(what),
            "line {line}: {problems}"
        );
    }
    let sent: Vec<String> = env
        .contacts()
        .iter()
        .map(|c| c.values.get(F::FirstName).to_string())
        .collect();
    assert_eq!(sent, ["Ann"]);
}

#[test]
fn audit_reports_control_characters_and_stray_quotes() {
    let env = Env::new("First Name\n", vec![]);
    let file = env.dir.path().join("leads.csv");
    std::fs::write(
        &file,
        "First Name,Last Name,Email\nC\"y,Chan,cy@example.com\nD\u{0}e,Wong,dee@example.com\n",
    )
    .unwrap();
    let m = env.dir.path().join("three.toml");
    std::fs::write(
        &m,
        "[columns]\n\"First Name\" = \"firstName\"\n\"Last Name\" = \"lastName\"\n\"Email\" = \"email\"\n",
    )
    .unwrap();
    let out = env
        .cmd()
        .args(["audit", file.to_str().unwrap(), "--json", "--mapping"])
        .arg(&m)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let found: Vec<(u64, &str)> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["rule"] != "required")
        .map(|x| (x["line"].as_u64().unwrap(), x["rule"].as_str().unwrap()))
        .collect();
    assert!(found.contains(&(2, "structure")), "{v:#}");
    assert!(found.contains(&(3, "control_character")), "{v:#}");
    assert_eq!(v["summary"]["control_character"], 1);
}

/// Runs the binary with `args`; it must end within ten seconds.
fn quick(env: &Env, args: &[&str]) -> (i32, String) {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cinnox-sync"))
        .args(args)
        .env(
            crate::sync_support::sandbox::TOKEN_ENV,
            env.sb.app_token().expose(),
        )
        .env("RUST_LOG", "error")
        .current_dir(env.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = crate::support::wait_within(
        child,
        Duration::from_secs(10),
        &format!("{args:?} blocked on the FIFO"),
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_list_that_is_a_fifo_is_refused_at_once_by_every_command() {
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    std::fs::remove_file(&env.csv).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&env.csv)
        .status()
        .unwrap();
    assert!(made.success());
    let job = env.job.to_str().unwrap();
    let fifo = env.csv.to_str().unwrap();
    for args in [
        vec!["sync", "--config", job],
        vec!["plan", "--config", job],
        vec!["import", fifo, "--config", job],
        vec!["audit", fifo],
    ] {
        let (code, err) = quick(&env, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("is not a regular file"), "{args:?}: {err}");
    }
}
