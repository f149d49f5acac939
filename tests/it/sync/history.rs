//! A run's detail outlives the run: the binary against a sandbox records every
//! create, update, row change, conflict and rejection (with CINNOX's message) of a
//! run in the state file; `history --run N` (and `--json`) shows them, and the
//! `history` table shows each run's duration and, for a failed run, the reason.
//! Also: each text summary starts with the time, the job and the outcome.

use crate::sync_support::sandbox::{Env, TOKEN_ENV, cinnox_person, csv_text, person};
use cinnox_sync::model::FieldId as F;
use cinnox_sync::sandbox::Faults;
use serde_json::Value;
use std::time::{Duration, Instant};

fn history(env: &Env, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["history", "--config", env.job.to_str().unwrap()];
    args.extend_from_slice(extra);
    env.json(&args)
}

fn kinds(detail: &Value, kind: &str) -> Vec<Value> {
    detail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .cloned()
        .collect()
}

/// A sync during which the contact of `doomed` is deleted once the listing is read,
/// so its update is refused by CINNOX with its own message.
fn sync_losing(env: &Env, doomed: &str) -> (i32, Value) {
    env.faults(Faults {
        latency_ms: 400,
        ..Faults::default()
    });
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cinnox-sync"))
        .args(["sync", "--json", "--config", env.job.to_str().unwrap()])
        .env(TOKEN_ENV, env.sb.app_token().expose())
        .env_remove("CINNOX_APP_TOKEN")
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lists = env.stats().total("list");
    let deadline = Instant::now() + Duration::from_secs(60);
    while env.stats().total("list") == lists {
        assert!(Instant::now() < deadline, "the run never listed");
        std::thread::sleep(Duration::from_millis(2));
    }
    // Its update is on its way, held by the latency: the contact goes first.
    env.sb.sandbox().delete(doomed).unwrap();
    let out = child.wait_with_output().unwrap();
    env.faults(Faults::default());
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

#[test]
fn history_keeps_what_each_run_did_to_every_record() {
    let env = Env::new(
        &csv_text(&[person(1), person(2), person(3)]),
        vec![cinnox_person(1)],
    );
    let v = env.sync_settled(0);
    let first = v["run_id"].as_i64().unwrap();
    let id = |i: usize| {
        env.rows()
            .into_iter()
            .find(|r| r["Email"] == format!("person{i}@example.com"))
            .unwrap()["CINNOX ID"]
            .clone()
    };
    let (p1, p2, p3) = (id(1), id(2), id(3));
    let cin1 = env.row_of_email("cin1@example.com");
    // An update CINNOX will refuse, one it takes, a conflict, a change made in CINNOX.
    env.edit_csv(|rows| {
        for r in rows.iter_mut() {
            let title = match r["Email"].as_str() {
                "person1@example.com" => "Lead 1",
                "person2@example.com" => "Lead 2",
                "person3@example.com" => "Lead 3",
                _ => continue,
            };
            r.insert("Job Title".into(), title.into());
        }
    });
    let sb = env.sb.sandbox();
    sb.edit(&p2, &[(F::JobTitle, "Chief 2".into())]).unwrap();
    sb.edit(&cin1, &[(F::CompanyName, "Renamed Co".into())])
        .unwrap();
    let (code, v) = sync_losing(&env, &p1);
    assert_eq!(code, 1, "{v:#}");
    let second = v["run_id"].as_i64().unwrap();

    let (code, run) = history(&env, &["--run", &second.to_string()]);
    assert_eq!(code, 0, "{run:#}");
    assert_eq!(run["id"], second);
    assert_eq!(run["outcome"], "finished_with_problems");
    let detail = &run["detail"];
    let rejected = kinds(detail, "rejected");
    assert_eq!(rejected.len(), 1, "{detail:#}");
    assert_eq!(rejected[0]["contact_id"], p1.as_str());
    assert_eq!(rejected[0]["line"], 2);
    assert!(
        rejected[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("CINNOX refused it"),
        "CINNOX's own message: {detail:#}"
    );
    let updated = kinds(detail, "updated");
    assert_eq!(updated.len(), 1, "{detail:#}");
    assert_eq!(updated[0]["contact_id"], p3.as_str());
    assert!(updated[0]["message"].as_str().unwrap().contains("Lead 3"));
    let conflicts = kinds(detail, "conflict");
    assert_eq!(conflicts.len(), 1, "{detail:#}");
    assert_eq!(conflicts[0]["contact_id"], p2.as_str());
    assert!(
        conflicts[0]["message"]
            .as_str()
            .unwrap()
            .contains("Chief 2")
    );
    assert!(
        kinds(detail, "row")
            .iter()
            .any(|e| e["contact_id"] == cin1.as_str()
                && e["message"].as_str().unwrap().contains("Renamed Co")),
        "{detail:#}"
    );

    // The first run's detail is still there: the creates with their new ids.
    let (_, run) = history(&env, &["--run", &first.to_string()]);
    let created = kinds(&run["detail"], "created");
    assert_eq!(created.len(), 3, "{run:#}");
    assert!(created.iter().any(|e| e["contact_id"] == p3.as_str()));
    assert_eq!(kinds(&run["detail"], "appended").len(), 1, "{run:#}");

    // Text: the run and its entries, one a line.
    let out = env
        .cmd()
        .args(["history", "--config", env.job.to_str().unwrap()])
        .args(["--run", &second.to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(&format!("Run #{second}: sync, started ")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("rejected") && l.contains(&p1)),
        "{text}"
    );
    let out = env
        .cmd()
        .args([
            "history",
            "--config",
            env.job.to_str().unwrap(),
            "--run",
            "999",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown run is a clear error"
    );
    assert!(err.contains("run #999 is not in the history"), "{err}");
}

#[test]
fn the_history_table_shows_the_duration_and_why_a_run_failed() {
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    env.sync_settled(0);
    let out = env
        .cmd()
        .env(TOKEN_ENV, "not-the-token")
        .args(["sync", "--config", env.job.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let (_, runs) = history(&env, &[]);
    assert_eq!(runs[0]["outcome"], "failed", "{runs:#}");
    let why = runs[0]["reason"].as_str().unwrap();
    assert!(why.contains("Token"), "{why}");
    assert!(runs[1]["duration_seconds"].is_u64(), "{runs:#}");
    let out = env
        .cmd()
        .args(["history", "--config", env.job.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains(" failed ") && lines[0].contains("exit 2"),
        "{text}"
    );
    assert!(
        lines[1].trim_start().starts_with("why: ") && lines[1].contains("Token"),
        "the reason under the failed run: {text}"
    );
    // Every finished run shows how long it took (`0s` for a quick one).
    assert!(
        lines.iter().filter(|l| l.starts_with('#')).all(|l| l
            .split_whitespace()
            .any(|w| w.ends_with('s') && w[..w.len() - 1].parse::<u32>().is_ok())),
        "{text}"
    );
}

#[test]
fn a_text_summary_starts_with_the_time_the_job_and_the_outcome() {
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    let job = env.job.to_str().unwrap();
    let out = env.cmd().args(["sync", "--config", job]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let done = lines.iter().position(|l| l.starts_with("Done: ")).unwrap();
    assert!(done > 0, "{stdout}");
    let (time, rest) = lines[done - 1].split_once(' ').unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(time).is_ok(),
        "the time first: {stdout}"
    );
    assert_eq!(rest, format!("sync {job}: applied (exit 0)"), "{stdout}");
    // A failure leads with the same line, where the failure is told (stderr).
    let out = env
        .cmd()
        .env(TOKEN_ENV, "not-the-token")
        .args(["sync", "--config", job])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let first = stderr.lines().next().unwrap();
    assert!(
        first.ends_with(&format!("sync {job}: failed (exit 2)")),
        "{stderr}"
    );
}
