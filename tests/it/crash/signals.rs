//! Ctrl-C and SIGTERM sent to the real binary (`sync`, `apply`, `import`) while it
//! writes to a sandbox slowed by its latency fault: the run stops once the write in
//! flight is done, writes the ids of what it created into the list, records itself
//! as interrupted with its true counts and calls, and exits 130 (SIGINT) or 143
//! (SIGTERM); a second Ctrl-C exits at once. Every next run finishes the job
//! without a duplicate.

#![cfg(unix)]

use crate::sync_support::sandbox::{Env, TOKEN_ENV, csv_text, person};
use cinnox_sync::model::FieldId as F;
use cinnox_sync::sandbox::Faults;
use serde_json::Value;
use std::collections::HashSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ROWS: usize = 40;

fn people() -> Env {
    Env::new(
        &csv_text(&(0..ROWS).map(person).collect::<Vec<_>>()),
        vec![],
    )
}

/// Starts the binary with `args` (stdout and stderr captured).
fn spawn(env: &Env, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("cinnox-sync"))
        .args(args)
        .env(TOKEN_ENV, env.sb.app_token().expose())
        .env_remove("CINNOX_APP_TOKEN")
        .env("RUST_LOG", "error")
        .current_dir(env.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until the sandbox has answered `k` writes beyond `base`.
fn until_writes(env: &Env, base: u64, k: u64, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while env.writes() - base < k {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before its {k}th write"
        );
        assert!(Instant::now() < deadline, "no {k}th write within a minute");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: kill(2) with the pid of a child this test started and has not reaped.
    let r = unsafe { libc::kill(child.id() as i32, sig) };
    assert_eq!(r, 0, "kill failed");
}

/// Waits for the child (at most a minute) and answers (exit code, stdout, stderr).
fn finish(child: Child) -> (i32, String, String) {
    let out = crate::support::wait_within(
        child,
        Duration::from_secs(60),
        "the run did not stop within a minute of the signal",
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn slow(env: &Env, ms: u64) {
    env.faults(Faults {
        latency_ms: ms,
        ..Faults::default()
    });
}

/// The list's ids are exactly the sandbox's contacts, each on the row of its email.
fn ids_match_contacts(env: &Env) -> usize {
    let contacts = env.contacts();
    let rows = env.rows();
    let with_id: Vec<_> = rows.iter().filter(|r| !r["CINNOX ID"].is_empty()).collect();
    assert_eq!(
        with_id.len(),
        contacts.len(),
        "every contact created has its id in the list, and no other id is there"
    );
    for r in with_id {
        assert_eq!(
            env.contact(&r["CINNOX ID"]).values.get(F::Email),
            r["Email"]
        );
    }
    contacts.len()
}

/// After a stopped run: the next run finishes, nothing twice.
fn next_run_finishes(env: &Env) {
    env.faults(Faults::default());
    let (code, v) = env.sync();
    assert_eq!(code, 0, "{v:#}");
    env.sync_settled(0);
    let contacts = env.contacts();
    assert_eq!(contacts.len(), ROWS, "a contact missing or made twice");
    let emails: HashSet<&str> = contacts.iter().map(|c| c.values.get(F::Email)).collect();
    assert_eq!(emails.len(), ROWS, "a contact was created twice");
    assert!(env.rows().iter().all(|r| !r["CINNOX ID"].is_empty()));
}

fn history(env: &Env) -> Value {
    let (code, v) = env.json(&["history", "--config", env.job.to_str().unwrap()]);
    assert_eq!(code, 0, "{v:#}");
    v
}

#[test]
fn ctrl_c_stops_a_sync_between_writes_and_keeps_what_was_done() {
    let env = people();
    slow(&env, 120);
    let job = env.job.to_str().unwrap();
    let mut child = spawn(&env, &["sync", "--json", "--config", job]);
    until_writes(&env, 0, 5, &mut child);
    signal(&child, libc::SIGINT);
    let (code, out, err) = finish(child);
    assert_eq!(code, 130, "{out}\n{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let made = ids_match_contacts(&env);
    assert!((5..ROWS).contains(&made), "stopped early: {made} made");
    assert_eq!(v["outcome"], "interrupted", "{v:#}");
    assert_eq!(v["exit_code"], 130);
    assert_eq!(v["interrupted"]["signal"], "SIGINT");
    assert_eq!(v["applied"]["created"], made, "{v:#}");
    assert_eq!(v["calls"]["create"], made, "the calls made, not 0: {v:#}");
    assert_eq!(v["applied"]["not_sent"], ROWS - made, "{v:#}");
    let told = v["interrupted"]["message"].as_str().unwrap();
    assert!(
        told.contains(&format!("{made} created")) && told.contains("next run"),
        "{told}"
    );
    assert!(
        err.contains("SIGINT: stopping once the write in flight is done"),
        "{err}"
    );
    // The history keeps it, with its true counts.
    let h = history(&env);
    assert_eq!(h[0]["outcome"], "interrupted", "{h:#}");
    assert_eq!(h[0]["exit_code"], 130);
    assert_eq!(h[0]["summary"]["calls"]["create"], made, "{h:#}");
    next_run_finishes(&env);
}

#[test]
fn sigterm_stops_an_apply_with_exit_143() {
    let env = people();
    let job = env.job.to_str().unwrap();
    let plan = env.dir.path().join("plan.json");
    let (code, v) = env.json(&["plan", "--config", job, "--out", plan.to_str().unwrap()]);
    assert_eq!(code, 0, "{v:#}");
    slow(&env, 120);
    let mut child = spawn(&env, &["-q", "apply", plan.to_str().unwrap()]);
    until_writes(&env, 0, 3, &mut child);
    signal(&child, libc::SIGTERM);
    let (code, out, err) = finish(child);
    assert_eq!(code, 143, "{out}\n{err}");
    // Text mode: what happened and what comes next, on stderr.
    assert!(err.contains("Interrupted: stopped by SIGTERM"), "{err}");
    assert!(err.contains("Outcome: interrupted (exit 143)"), "{err}");
    let made = ids_match_contacts(&env);
    assert!((3..ROWS).contains(&made), "{made}");
    assert_eq!(history(&env)[0]["exit_code"], 143);
    next_run_finishes(&env);
}

#[test]
fn ctrl_c_stops_an_import_and_the_next_import_sends_the_rest() {
    let env = Env::new("First Name\n", vec![]);
    let file = env.dir.path().join("leads.csv");
    let mut text = String::from("First Name,Email Address\n");
    for i in 0..ROWS {
        text.push_str(&format!("Lead{i},lead{i}@example.com\n"));
    }
    std::fs::write(&file, text).unwrap();
    let m = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/cinnox-columns.toml");
    let args = [
        "import",
        file.to_str().unwrap(),
        "--config",
        env.job.to_str().unwrap(),
        "--mapping",
        m,
        "--json",
    ];
    slow(&env, 120);
    let mut child = spawn(&env, &args);
    until_writes(&env, 0, 4, &mut child);
    signal(&child, libc::SIGINT);
    let (code, out, err) = finish(child);
    assert_eq!(code, 130, "{out}\n{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let made = env.contacts().len();
    assert!((4..ROWS).contains(&made), "{made}");
    assert_eq!(v["applied"]["created"], made, "{v:#}");
    assert_eq!(v["calls"]["create"], made, "{v:#}");
    assert_eq!(v["interrupted"]["signal"], "SIGINT");
    env.faults(Faults::default());
    let (code, v) = env.json(&args[..args.len() - 1]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["applied"]["created"], ROWS - made, "only the rest: {v:#}");
    assert_eq!(env.contacts().len(), ROWS);
}

#[test]
fn a_second_ctrl_c_exits_at_once_and_the_next_run_creates_nothing_twice() {
    let env = people();
    // Long enough that the second signal lands while a write is still in flight.
    slow(&env, 1500);
    let job = env.job.to_str().unwrap();
    let mut child = spawn(&env, &["sync", "--json", "--config", job]);
    until_writes(&env, 0, 1, &mut child);
    // The next create is on its way by now, held by the latency.
    std::thread::sleep(Duration::from_millis(200));
    signal(&child, libc::SIGINT);
    std::thread::sleep(Duration::from_millis(300));
    let sent = Instant::now();
    signal(&child, libc::SIGINT);
    let (code, out, err) = finish(child);
    assert!(
        sent.elapsed() < Duration::from_millis(1000),
        "did not exit at once"
    );
    assert_eq!(code, 130, "{out}\n{err}");
    assert!(out.is_empty(), "no summary: it stopped at once: {out}");
    assert!(err.contains("stopped at once"), "{err}");
    // Unfinished, its writes are still known: from its journal.
    let h = history(&env);
    assert_eq!(h[0]["outcome"], "interrupted", "{h:#}");
    assert!(h[0]["exit_code"].is_null(), "{h:#}");
    assert!(h[0]["journal"]["creates"].as_u64().unwrap() >= 2, "{h:#}");
    assert!(h[0]["journal"]["created"].as_u64().unwrap() >= 1, "{h:#}");
    next_run_finishes(&env);
}
