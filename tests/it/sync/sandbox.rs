//! The real binary against a real sandbox on loopback, with a CSV list: a dry run,
//! a merge into a contact without a row, a mistyped id, each guard, a second run on
//! the same state, failures told. (The scenarios every kind of list shares are in
//! `lists`, run on a CSV and on a sheet; saved plans in `saved_plans`.)

use crate::sync_support;

use sync_support::sandbox::{Env, cinnox_person, csv_text, person};

fn two_way() -> Env {
    Env::new(
        &csv_text(&[
            person(1),
            person(2),
            vec![
                ("First Name", "Cin1".into()),
                ("Email", "CIN1@example.com".into()),
            ],
        ]),
        vec![cinnox_person(1), cinnox_person(2)],
    )
}

#[test]
fn a_dry_run_plans_the_sync_and_writes_nothing() {
    let env = two_way();
    let before = std::fs::read(&env.csv).unwrap();
    let job = env.job.to_str().unwrap();
    let (code, v) = env.json(&["sync", "--config", job, "--dry-run"]);
    assert_eq!((code, v["outcome"].as_str()), (0, Some("planned")), "{v:#}");
    assert_eq!(
        (
            v["counts"]["creates"].as_u64(),
            v["counts"]["links"].as_u64(),
            v["counts"]["rows_appended"].as_u64()
        ),
        (Some(2), Some(1), Some(1)),
        "the same plan as the real run: {v:#}"
    );
    assert_eq!(
        (v["calls"]["create"].as_u64(), v["calls"]["update"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(v["rows_written"], 0);
    assert_eq!(env.writes(), 0, "the sandbox saw no write");
    assert_eq!(
        std::fs::read(&env.csv).unwrap(),
        before,
        "the list is untouched"
    );
    // Nothing was remembered either: the real run does the whole job.
    let v = env.sync_settled(0);
    assert_eq!(v["calls"]["create"], 2, "{v:#}");
}

#[test]
fn a_merge_into_a_contact_without_a_row_relinks_the_row() {
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    env.sync_settled(0);
    let id = env.rows()[0]["CINNOX ID"].clone();
    let survivor = env
        .sb
        .sandbox()
        .seed_contacts(vec![cinnox_person(9)], false)
        .unwrap()
        .remove(0);
    // The survivor is new in CINNOX (no row yet): the absorbed contact's row is
    // relinked to it instead of a row being appended for it.
    env.sb
        .sandbox()
        .merge(&survivor, std::slice::from_ref(&id))
        .unwrap();
    let v = env.sync_settled(0);
    assert_eq!(env.rows().len(), 1, "{v:#}");
    assert_eq!(
        env.rows()[0]["CINNOX ID"],
        survivor,
        "relinked to the survivor"
    );
    assert_eq!(v["calls"]["create"], 0);
}

#[test]
fn a_mistyped_id_is_reported_not_taken_for_a_delete() {
    let env = Env::with_policy(
        &csv_text(&[person(1), person(2)]),
        vec![],
        "deleted_contacts = \"remove\"",
    );
    env.sync_settled(0);
    let real = env.rows()[0]["CINNOX ID"].clone();
    let typo = format!("{}x", &real[..real.len() - 1]);
    env.edit_csv(|rows| {
        rows[0].insert("CINNOX ID".into(), typo.clone());
    });
    let (code, v) = env.sync();
    assert_eq!(
        (code, v["outcome"].as_str()),
        (1, Some("finished_with_problems")),
        "{v:#}"
    );
    let problems = v["problems"].to_string();
    assert!(
        problems.contains(&format!(
            "CINNOX ID {typo} is not a contact CINNOX lists and was never linked here; check it"
        )),
        "{v:#}"
    );
    // The row stays (the policy would remove a deleted contact's row), says why, and
    // the real contact is neither appended again nor forgotten.
    let rows = env.rows();
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert_eq!(rows[0]["CINNOX ID"], typo);
    assert_eq!(rows[0]["Sync Status"], "unknown CINNOX ID");
    assert!(env.row_of(&real).is_none());
    assert_eq!(v["counts"]["notes"], 1, "{v:#}");
    assert_eq!(env.contacts().len(), 2);
    // Fixed: linked as before, nothing created, nothing appended.
    env.edit_csv(|rows| {
        rows[0].insert("CINNOX ID".into(), real.clone());
    });
    let v = env.sync_settled(0);
    assert_eq!(v["calls"]["create"], 0, "{v:#}");
    assert_eq!(env.rows().len(), 2);
    assert_eq!(env.row_of(&real).unwrap()["Sync Status"], "ok");
}

#[test]
fn each_guard_refuses_with_exit_2_unless_forced() {
    let env = Env::new(&csv_text(&(0..20).map(person).collect::<Vec<_>>()), vec![]);
    env.sync_settled(0);
    // Too many changes at once.
    env.edit_csv(|rows| {
        for r in rows.iter_mut().take(12) {
            r.insert("Job Title".into(), "Temp".into());
        }
    });
    let (code, v) = env.sync();
    assert_eq!(
        (code, v["outcome"].as_str(), v["guard"]["name"].as_str()),
        (2, Some("refused"), Some("max-change-share")),
        "{v:#}"
    );
    assert_eq!(env.stats().total("update"), 0);
    let (code, v) = env.json(&["sync", "--config", env.job.to_str().unwrap(), "--force"]);
    assert_eq!(
        (code, v["calls"]["update"].as_u64()),
        (0, Some(12)),
        "{v:#}"
    );
    // An empty list while links exist.
    let full = std::fs::read_to_string(&env.csv).unwrap();
    std::fs::write(&env.csv, full.lines().next().unwrap()).unwrap();
    let (code, v) = env.sync();
    assert_eq!(
        (code, v["guard"]["name"].as_str()),
        (2, Some("empty-list")),
        "{v:#}"
    );
    // Rows whose cells were all cleared (what "clear contents" leaves), and rows
    // that all lost their id: as good as empty.
    let header = full.lines().next().unwrap();
    let blank = ",".repeat(header.matches(',').count());
    std::fs::write(
        &env.csv,
        format!("{header}\n{}", format!("{blank}\n").repeat(20)),
    )
    .unwrap();
    let (code, v) = env.sync();
    assert_eq!(
        (code, v["guard"]["name"].as_str()),
        (2, Some("empty-list")),
        "{v:#}"
    );
    assert!(
        v["guard"]["message"]
            .as_str()
            .unwrap()
            .contains("all blank"),
        "{v:#}"
    );
    std::fs::write(&env.csv, &full).unwrap();
    env.edit_csv(|rows| {
        for r in rows {
            r.insert("CINNOX ID".into(), String::new());
        }
    });
    let (code, v) = env.sync();
    assert_eq!(
        (code, v["guard"]["name"].as_str()),
        (2, Some("empty-list")),
        "{v:#}"
    );
    assert_eq!(env.stats().total("create"), 20, "nothing created again");
    std::fs::write(&env.csv, &full).unwrap();
    // CINNOX empty while links exist.
    for c in env.contacts() {
        env.sb.sandbox().delete(&c.id).unwrap();
    }
    let (code, v) = env.sync();
    assert_eq!(
        (code, v["guard"]["name"].as_str()),
        (2, Some("empty-cinnox")),
        "{v:#}"
    );
    assert_eq!(
        std::fs::read_to_string(&env.csv).unwrap(),
        full,
        "a refused run writes nothing"
    );
}

#[test]
fn a_second_run_on_the_same_state_is_refused() {
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    env.sync_settled(0);
    let held = cinnox_sync::state::RunLock::acquire(&env.state).unwrap();
    let (code, v) = env.sync();
    assert_eq!(code, 2, "{v:#}");
    let e = v["error"].as_str().unwrap();
    assert!(
        e.contains("another cinnox-sync run is using")
            && e.contains(&format!("(pid {})", std::process::id())),
        "the holder's pid: {e}"
    );
    drop(held);
    assert_eq!(env.sync().0, 0);
}

#[test]
fn two_runs_started_together_the_refused_one_names_the_other() {
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    env.sync_settled(0);
    env.faults(cinnox_sync::sandbox::Faults {
        latency_ms: 30,
        ..Default::default()
    });
    let job = env.job.to_str().unwrap();
    let mut refused = 0;
    for _ in 0..6 {
        let start = || {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("cinnox-sync"))
                .args(["sync", "--json", "--config", job])
                .env(
                    sync_support::sandbox::TOKEN_ENV,
                    env.sb.app_token().expose(),
                )
                .env("RUST_LOG", "error")
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (start(), start());
        let pids = [a.id(), b.id()];
        let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        for (i, out) in outs.iter().enumerate() {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let e = v["error"].as_str().unwrap_or("");
            if e.contains("another cinnox-sync run") {
                refused += 1;
                let other = pids[1 - i];
                assert!(e.contains(&format!("(pid {other})")), "{e}");
            }
        }
    }
    assert!(refused > 0, "the runs never overlapped");
}

#[test]
fn a_wrong_token_fails_with_exit_2_and_is_never_printed() {
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    let out = env
        .cmd()
        .env(sync_support::sandbox::TOKEN_ENV, "not-the-token-123")
        .args(["sync", "--json", "--config", env.job.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["outcome"], "failed");
    assert!(v["error"].as_str().unwrap().contains("Token"), "{v:#}");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("not-the-token-123") && !all.contains(env.sb.app_token().expose()));
    assert_eq!(
        std::fs::read_to_string(&env.csv).unwrap(),
        csv_text(&[person(1)]),
        "nothing written"
    );
}

#[test]
fn a_failure_is_told_on_stderr_in_text_mode_and_in_the_json_with_json() {
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    let job = env.job.to_str().unwrap();
    let missing = env.dir.path().join("missing.csv");
    let missing = missing.to_str().unwrap();
    for args in [
        vec!["sync", "--config", job],
        vec!["plan", "--config", job],
        vec!["apply", missing],
        vec!["import", missing, "--config", job],
    ] {
        let run = |json: bool| {
            let mut c = env.cmd();
            c.env(sync_support::sandbox::TOKEN_ENV, "not-the-token");
            c.args(&args);
            if json {
                c.arg("--json");
            }
            c.output().unwrap()
        };
        let out = run(false);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr.contains("Failed: ") && stderr.contains("Outcome: failed (exit 2)"),
            "{args:?}: stderr {stderr}"
        );
        assert!(!stdout.contains("Failed"), "{args:?}: stdout {stdout}");
        let out = run(true);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            (v["outcome"].as_str(), v["exit_code"].as_u64()),
            (Some("failed"), Some(2))
        );
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v:#}");
    }
    // A refusal too; a run that went through keeps its summary on stdout.
    env.sync_settled(0);
    let full = std::fs::read_to_string(&env.csv).unwrap();
    std::fs::write(&env.csv, csv_text(&[])).unwrap();
    let out = env.cmd().args(["sync", "--config", job]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Refused: guard empty-list"), "{stderr}");
    // The command line says how to go ahead, in its own flags.
    assert!(
        stderr.contains("If that is what you meant, run again with --force"),
        "{stderr}"
    );
    assert!(stderr.contains("Outcome: refused (exit 2)"), "{stderr}");
    std::fs::write(&env.csv, full.replace("Engineer", "Manager")).unwrap();
    let out = env.cmd().args(["sync", "--config", job]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Outcome: applied (exit 0)"), "{stdout}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
