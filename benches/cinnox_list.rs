//! Benchmark: list 100,000 realistic contacts from an in-process sandbox with the
//! real client, pacing off. Target (issue 3): at most 3 s wall for the listing
//! (median of the runs), release build, 2 cores.
//!
//! Run: `cargo bench --bench cinnox_list`
//! Knobs: CINNOX_BENCH_CONTACTS (default 100000), CINNOX_BENCH_RUNS (default 5).

use cinnox_sync::cinnox::{CinnoxClient, ClientConfig};
use cinnox_sync::sandbox::{self, SandboxConfig};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const TARGET: Duration = Duration::from_secs(3);

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() -> ExitCode {
    cinnox_sync::install_crypto_provider();
    let contacts = env_or("CINNOX_BENCH_CONTACTS", 100_000);
    let runs = env_or("CINNOX_BENCH_RUNS", 5).max(1);
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
        let t = Instant::now();
        let sb = sandbox::start(SandboxConfig {
            rate_limit: None,
            seed_contacts: contacts,
            ..SandboxConfig::default()
        })
        .await
        .map_err(|e| e.to_string())?;
        println!(
            "seeded {contacts} contacts in {:.2}s",
            t.elapsed().as_secs_f64()
        );
        let client = CinnoxClient::new(ClientConfig {
            requests_per_minute: None,
            ..sb.client_config()
        })
        .map_err(|e| e.to_string())?;
        let mut times = Vec::with_capacity(runs);
        for run in 1..=runs {
            let before = client.calls().list;
            let t = Instant::now();
            let listed = client.list_contacts().await.map_err(|e| e.to_string())?;
            let took = t.elapsed();
            if listed.len() != contacts {
                return Err(format!("listed {} of {contacts} contacts", listed.len()));
            }
            println!(
                "run {run}: {:.3}s ({} requests)",
                took.as_secs_f64(),
                client.calls().list - before
            );
            times.push(took);
        }
        sb.shutdown().await.map_err(|e| e.to_string())?;
        Ok::<_, String>(times)
    });
    let mut times = match result {
        Ok(t) => t,
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    times.sort();
    let median = times[times.len() / 2];
    let verdict = if median <= TARGET { "PASS" } else { "FAIL" };
    println!(
        "cinnox_list: {contacts} contacts, median {:.3}s over {runs} runs (min {:.3}s, max {:.3}s), {:.0} contacts/s; target <= {}s: {verdict}",
        median.as_secs_f64(),
        times[0].as_secs_f64(),
        times[times.len() - 1].as_secs_f64(),
        contacts as f64 / median.as_secs_f64(),
        TARGET.as_secs(),
    );
    if median <= TARGET {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
