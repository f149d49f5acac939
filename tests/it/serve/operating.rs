//! Operating `serve`, through the binary: after a sync at start and one started by
//! a webhook, `/metrics` has every family an operator is promised (runs by job,
//! trigger and outcome; the time of the last success; records written; CINNOX calls
//! by kind; rate-limit waits; deliveries accepted, rejected and coalesced) with the
//! true numbers; `/healthz` and `/readyz` answer; with `--log-format json` every
//! line on stderr is one JSON object; and the state file serve made (it holds the
//! webhook secret) is readable by its owner only (under the tests' umask, 022, it
//! would be 0644 if the mode came from the umask).

use super::support::{event, serve_table, start_with_args};
use crate::sync_support::sandbox::{Env, csv_text, person};
use serde_json::Value;
use std::time::Duration;

/// The value of the sample `name{labels}` in `metrics`.
fn sample(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no sample {series} in:\n{metrics}"))
}

#[test]
fn metrics_health_json_logs_and_a_private_state_file() {
    let env = Env::new(&csv_text(&[person(1), person(2), person(3)]), vec![]);
    assert!(!env.state.exists(), "serve makes the state file");
    serve_table(
        &env.job,
        "settle = \"200ms\"\nmin_gap = \"200ms\"\nmax_delay = \"5s\"\nat_start = true",
    );
    let s = start_with_args(
        env.dir.path(),
        env.sb.app_token().expose(),
        &[&env.job],
        &[],
        &["--log-format", "json"],
    );
    s.wait_for(Duration::from_secs(30), "the sync at start", || {
        s.finished_runs("job") == 1 && !s.running("job")
    });
    assert_eq!(env.contacts().len(), 3);

    // One delivery starts a sync of its own; the next one joins a sync waiting.
    let hook = s.only_hook();
    assert_eq!(s.post(&hook, &event("edit", "c1")).0, 200);
    assert_eq!(s.post(&hook, &event("edit", "c2")).0, 200);
    assert_eq!(s.post_raw(&hook, b"{not json".to_vec()).0, 400);
    s.wait_for(Duration::from_secs(30), "the webhook sync", || {
        s.finished_runs("job") == 2 && !s.running("job")
    });

    assert_eq!(s.get("/healthz"), (200, "ok\n".into()));
    assert_eq!(s.get("/readyz"), (200, "ready\n".into()));
    let (code, m) = s.get("/metrics");
    assert_eq!(code, 200);
    let job = "job=\"job\"";
    let runs = |trigger: &str| {
        sample(
            &m,
            &format!("cinnox_sync_runs_total{{{job},trigger=\"{trigger}\",outcome=\"applied\"}}"),
        )
    };
    assert_eq!((runs("start"), runs("webhooks")), (1.0, 1.0), "{m}");
    let last = sample(
        &m,
        &format!("cinnox_sync_last_success_timestamp_seconds{{{job}}}"),
    );
    let now = chrono::Utc::now().timestamp() as f64;
    assert!((now - 120.0..=now + 1.0).contains(&last), "{last} vs {now}");
    assert_eq!(
        sample(
            &m,
            &format!("cinnox_sync_records_written_total{{{job},side=\"cinnox\"}}")
        ),
        3.0
    );
    assert!(
        sample(
            &m,
            &format!("cinnox_sync_records_written_total{{{job},side=\"list\"}}")
        ) >= 3.0,
        "the ids written into the list: {m}"
    );
    assert_eq!(
        sample(
            &m,
            &format!("cinnox_sync_cinnox_calls_total{{{job},kind=\"create\"}}")
        ),
        3.0
    );
    assert!(
        sample(
            &m,
            &format!("cinnox_sync_cinnox_calls_total{{{job},kind=\"list\"}}")
        ) >= 2.0
    );
    assert_eq!(
        sample(&m, &format!("cinnox_sync_rate_limit_waits_total{{{job}}}")),
        0.0
    );
    assert_eq!(
        sample(
            &m,
            &format!("cinnox_sync_webhook_deliveries_accepted_total{{{job}}}")
        ),
        2.0
    );
    assert_eq!(
        sample(
            &m,
            &format!("cinnox_sync_webhook_deliveries_coalesced_total{{{job}}}")
        ),
        1.0
    );
    assert_eq!(
        sample(
            &m,
            "cinnox_sync_webhook_deliveries_rejected_total{reason=\"bad_json\"}"
        ),
        1.0
    );
    assert_eq!(
        sample(&m, &format!("cinnox_sync_job_running{{{job}}}")),
        0.0
    );
    assert_eq!(
        sample(
            &m,
            &format!("cinnox_sync_webhook_deliveries_waiting{{{job}}}")
        ),
        0.0
    );

    // JSON logs: one object a line, the runs among them.
    let log = s.log();
    let lines: Vec<Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l:?}")))
        .collect();
    let finished = lines
        .iter()
        .filter(|v| v["message"] == "sync finished" && v["job"] == "job")
        .count();
    assert_eq!(finished, 2, "{log}");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&env.state).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", env.state.display());
    }
}

/// `subscriptions` (like `subscribe`) makes the webhook secret in the state file
/// when there is none yet: the file it makes is private even under `umask 000`.
#[cfg(unix)]
#[test]
fn the_state_file_made_for_the_webhook_secret_is_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    assert!(!env.state.exists());
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("umask 000 && exec \"$0\" \"$@\"")
        .arg(assert_cmd::cargo::cargo_bin("cinnox-sync"))
        .args(["subscriptions", "--config", env.job.to_str().unwrap()])
        .env(
            crate::sync_support::sandbox::TOKEN_ENV,
            env.sb.app_token().expose(),
        )
        .current_dir(env.dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("contact events: off"));
    let state_name = env
        .state
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let mut seen = 0;
    for e in std::fs::read_dir(env.dir.path()).unwrap() {
        let p = e.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(&state_name)
        {
            seen += 1;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", p.display());
        }
    }
    assert!(seen >= 1);
}

/// The webhook path is the secret: serve prints it once on its standard output,
/// and no log line holds it, even traced (`RUST_LOG=trace`: hyper, axum and the
/// client included), through a delivery, a sync it starts and the handshake.
#[test]
fn no_log_line_holds_the_webhook_secret_even_traced() {
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    serve_table(
        &env.job,
        "settle = \"100ms\"\nmin_gap = \"100ms\"\nmax_delay = \"5s\"\nat_start = false",
    );
    let s = start_with_args(
        env.dir.path(),
        env.sb.app_token().expose(),
        &[&env.job],
        &[("RUST_LOG", "trace".into())],
        &[],
    );
    let hook = s.only_hook();
    let secret = hook.rsplit('/').next().unwrap().to_string();
    assert_eq!(secret.len(), 32);
    let out = env
        .cmd()
        .args(["-vv", "subscribe", "--config", env.job.to_str().unwrap()])
        .args(["--url", &s.base])
        .env("RUST_LOG", "trace")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    for (what, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(text);
        assert!(!text.contains(&secret), "subscribe's {what}: {text}");
    }
    assert_eq!(s.post(&hook, &event("edit", "c1")).0, 200);
    s.wait_for(Duration::from_secs(30), "the webhook sync", || {
        s.finished_runs("job") == 1 && !s.running("job")
    });
    let log = s.log();
    assert!(log.contains("sync finished"), "{log}");
    assert!(!log.contains(&secret), "the secret in serve's log");
}
