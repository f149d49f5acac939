//! Benchmark: the pacer holds a configured 6,000 requests/min budget. 8 concurrent
//! tasks share one client paced at 6,000/min for 20 s against a sandbox that
//! enforces the budget over a 10 s sliding window: 1,000 requests plus the pacer's
//! burst allowance (5), so a pacer that sends even 1% too fast within any 10 s is
//! refused (6451010), which a 60 s window over a 20 s run could hardly see. Targets
//! (issue 3): the achieved rate within 2% of the budget, zero 6451010 answers, and
//! the busiest second (client completions, after the first second) at most 100 +
//! the burst, i.e. spaced rather than bunched. The first second is left out of that
//! one: it holds the opening burst and the connections being set up, whose
//! completion times can shift a request into the window; the 10 s window covers it.
//!
//! Run: `cargo bench --bench cinnox_pacing`
//! Knobs: CINNOX_BENCH_SECONDS (default 20, at least 10), CINNOX_BENCH_BUDGET
//! (default 6000).

use cinnox_sync::cinnox::pacing::burst_for;
use cinnox_sync::cinnox::{CinnoxClient, ClientConfig};
use cinnox_sync::sandbox::{self, SandboxConfig};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const WORKERS: usize = 8;
/// The sandbox's window: short enough that an overshoot of a few percent shows.
const WINDOW: Duration = Duration::from_secs(10);

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The most completions inside any one-second window from the second second on.
fn busiest_second(mut at: Vec<Duration>) -> usize {
    at.retain(|t| *t >= Duration::from_secs(1));
    at.sort();
    let mut best = 0;
    let mut start = 0;
    for end in 0..at.len() {
        while at[end] - at[start] >= Duration::from_secs(1) {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}

fn main() -> ExitCode {
    cinnox_sync::install_crypto_provider();
    let seconds = env_or("CINNOX_BENCH_SECONDS", 20).max(WINDOW.as_secs());
    let budget = env_or("CINNOX_BENCH_BUDGET", 6000) as u32;
    let burst = burst_for(budget);
    // What the pacer may let through in any window, and in any one second.
    let per_window = budget * WINDOW.as_secs() as u32 / 60 + burst;
    let per_second = budget / 60 + burst;
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async {
        let sb = sandbox::start(SandboxConfig {
            rate_limit: Some(per_window),
            rate_window: WINDOW,
            seed_contacts: 10,
            ..SandboxConfig::default()
        })
        .await
        .map_err(|e| e.to_string())?;
        let client = CinnoxClient::new(ClientConfig {
            requests_per_minute: Some(budget),
            ..sb.client_config()
        })
        .map_err(|e| e.to_string())?;
        let start = Instant::now();
        let deadline = start + Duration::from_secs(seconds);
        let mut tasks = Vec::new();
        for _ in 0..WORKERS {
            let c = client.clone();
            tasks.push(tokio::spawn(async move {
                let mut done = Vec::new();
                while Instant::now() < deadline {
                    c.list_page(0, 10).await.map_err(|e| e.to_string())?;
                    done.push(start.elapsed());
                }
                Ok::<_, String>(done)
            }));
        }
        let mut completions = Vec::new();
        for t in tasks {
            completions.extend(t.await.map_err(|e| e.to_string())??);
        }
        let elapsed = start.elapsed();
        let stats = sb.sandbox().stats();
        sb.shutdown().await.map_err(|e| e.to_string())?;
        Ok::<_, String>((client.calls(), stats, elapsed, completions))
    });
    let (calls, stats, elapsed, completions) = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    let sent = calls.list;
    let per_minute = sent as f64 / elapsed.as_secs_f64() * 60.0;
    let deviation = (per_minute - f64::from(budget)) / f64::from(budget);
    let refused = stats.count("list", "6451010");
    let busiest = busiest_second(completions);
    let verdict = |ok: bool| if ok { "PASS" } else { "FAIL" };
    let checks = [
        deviation.abs() <= 0.02,
        refused == 0,
        busiest <= per_second as usize,
    ];
    println!(
        "cinnox_pacing: {sent} requests in {:.2}s = {per_minute:.0}/min against a {budget}/min budget ({:+.2}%): {}",
        elapsed.as_secs_f64(),
        deviation * 100.0,
        verdict(checks[0]),
    );
    println!(
        "cinnox_pacing: {refused} answers 6451010 from a sandbox allowing {per_window} per {} s (budget + burst {burst}): {}",
        WINDOW.as_secs(),
        verdict(checks[1]),
    );
    println!(
        "cinnox_pacing: busiest second (after the first) {busiest} requests, at most {per_second} (budget {}/s + burst {burst}): {}",
        budget / 60,
        verdict(checks[2]),
    );
    if checks.iter().all(|ok| *ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
