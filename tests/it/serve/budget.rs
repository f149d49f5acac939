//! Two jobs on one CINNOX service account, run together by one `serve`, share one
//! pacer: against a sandbox whose rate limit would refuse them if each took the
//! whole budget for itself, neither is ever refused (sandbox stats), and together
//! they take about as long as one budget allows.

use super::support::{serve_table, start};
use crate::sync_support::sandbox::{TOKEN_ENV, csv_text, person, wide};
use cinnox_sync::sandbox::{self, SandboxConfig};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// 600 a minute: 10 a second, a burst of 5.
const BUDGET: u32 = 600;
const ROWS: usize = 30;

fn job(dir: &Path, name: &str, base_url: &str, app_id: &str, from: usize) -> PathBuf {
    let rows: Vec<_> = (from..from + ROWS).map(person).collect();
    std::fs::write(dir.join(format!("{name}.csv")), csv_text(&rows)).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "mapping = {:?}\nstate = \"{name}.state.db\"\n[source]\ncsv = \"{name}.csv\"\n[cinnox]\nbase_url = {base_url:?}\napp_id = {app_id:?}\napp_token_env = {TOKEN_ENV:?}\nrequests_per_minute = {BUDGET}\n",
            wide().display().to_string(),
        ),
    )
    .unwrap();
    serve_table(&path, "at_start = true");
    path
}

#[test]
fn two_jobs_on_one_service_account_stay_within_one_budget() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // 60 requests in any 5 s: 12 a second. One budget (10/s) fits; two would not.
    let sb = rt
        .block_on(sandbox::start(SandboxConfig {
            rate_limit: Some(60),
            rate_window: Duration::from_secs(5),
            ..SandboxConfig::default()
        }))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let a = job(dir.path(), "sales", &sb.base_url(), sb.app_id(), 0);
    let b = job(dir.path(), "support", &sb.base_url(), sb.app_id(), 1000);
    let t0 = Instant::now();
    let s = start(dir.path(), sb.app_token().expose(), &[&a, &b], &[]);
    s.wait_for(Duration::from_secs(90), "both jobs' first run", || {
        s.finished_runs("sales") == 1
            && s.finished_runs("support") == 1
            && !s.running("sales")
            && !s.running("support")
    });
    let took = t0.elapsed();
    for name in ["sales", "support"] {
        let run = &s.runs(name)[0];
        assert_eq!(run["exit_code"], 0, "{name}: {run:#}");
        assert_eq!(run["counts"]["creates"], ROWS, "{name}: {run:#}");
    }
    let stats = sb.sandbox().stats();
    let refused: u64 = stats
        .endpoints
        .values()
        .map(|outcomes| outcomes.get("6451010").copied().unwrap_or(0))
        .sum();
    assert_eq!(
        refused, 0,
        "the sandbox refused {refused} requests: {stats:#?}"
    );
    assert_eq!(sb.sandbox().contacts().len(), 2 * ROWS);
    // Both ran at once (they started together), paced as one: the requests of
    // both, at 10 a second after a burst of 5.
    let requests = stats.requests;
    let least = Duration::from_millis((requests.saturating_sub(5)) * 1000 / 10);
    assert!(
        took >= least.saturating_sub(Duration::from_secs(1)),
        "{requests} requests in {took:?}: faster than one budget allows"
    );
    let (_, metrics) = s.get("/metrics");
    assert!(metrics.contains("cinnox_sync_cinnox_calls_total{job=\"sales\",kind=\"create\"} 30"));
    assert!(metrics.contains("cinnox_sync_rate_limit_waits_total{job=\"support\"} 0"));
}
