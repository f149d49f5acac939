//! Benchmark: `cinnox-sync serve` (the release binary) with one CSV job of 100
//! contacts against a sandbox on loopback. First, webhook deliveries sent as fast
//! as 64 concurrent keep-alive connections allow, each answered only once the
//! job's inbox has committed it to the state file (synchronous=FULL): deliveries
//! accepted per second (target >= 5,000) and the 99th percentile answer time
//! (target <= 20 ms). Then the time from a dashboard edit in the sandbox (which
//! sends its webhook to the URL `subscribe` registered) to the changed cell in the
//! CSV, median of several edits, with a settle delay of 1 s (no target; most of it
//! is the settle delay). Prints PASS/FAIL per target; exits 1 when one fails.
//!
//!     cargo bench --bench serve              # 20,000 deliveries, 5 edits
//!     cargo bench --bench serve -- 50000 9   # deliveries, edits

use cinnox_sync::model::FieldId;
use cinnox_sync::sandbox::{self, SandboxConfig};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const TARGET_RATE: f64 = 5_000.0;
const TARGET_P99: Duration = Duration::from_millis(20);
const CONNECTIONS: usize = 64;
const CONTACTS: usize = 100;
const SETTLE: &str = "1s";

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cinnox-sync"))
}

/// Starts serve; answers the child, its base URL and the job's webhook path.
fn start(job: &Path, token: &str) -> (Child, String, String) {
    let mut child = bin()
        .args(["-q", "serve"])
        .arg(job)
        .args(["--listen", "127.0.0.1:0"])
        .env("BENCH_CINNOX_TOKEN", token)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let (mut base, mut path) = (None, None);
    while base.is_none() || path.is_none() {
        let line = lines.next().expect("serve's start-up lines").expect("line");
        if let Some(a) = line.strip_prefix("cinnox-sync serve: listening on ") {
            base = Some(a.trim().to_string());
        } else if let Some(p) = line.split("webhooks at ").nth(1) {
            path = p.split(';').next().map(str::to_string);
        }
    }
    std::thread::spawn(move || for _ in lines {});
    (child, base.unwrap_or_default(), path.unwrap_or_default())
}

/// Sends `n` deliveries over `CONNECTIONS` connections; answers (elapsed, answer
/// times, non-200 answers).
async fn flood(url: &str, n: usize) -> (Duration, Vec<Duration>, usize) {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .expect("client");
    let t0 = Instant::now();
    let per = n / CONNECTIONS;
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|c| {
            let (http, url) = (http.clone(), url.to_string());
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(per);
                let mut refused = 0;
                for k in 0..per {
                    let body = format!(
                        r#"{{"type":"message","challenge":"","message":{{"type":"contact","status":"edit","serviceId":"bench","fullName":"Bench {c}","id":"c{k}"}}}}"#
                    );
                    let t = Instant::now();
                    let r = http
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await;
                    match r {
                        Ok(r) if r.status() == 200 => {
                            let _ = r.bytes().await;
                            times.push(t.elapsed());
                        }
                        _ => refused += 1,
                    }
                }
                (times, refused)
            })
        })
        .collect();
    let (mut all, mut refused) = (Vec::with_capacity(n), 0);
    for t in tasks {
        let (times, r) = t.await.expect("sender");
        all.extend(times);
        refused += r;
    }
    (t0.elapsed(), all, refused)
}

fn main() -> ExitCode {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(20_000);
    let edits = args.get(1).copied().unwrap_or(5).max(1);
    cinnox_sync::install_crypto_provider();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let sb = rt
        .block_on(sandbox::start(SandboxConfig {
            rate_limit: None,
            ..SandboxConfig::default()
        }))
        .expect("sandbox");
    sb.sandbox()
        .generate_contacts(CONTACTS, false)
        .expect("contacts");
    let dir = tempfile::tempdir().expect("temp dir");
    let wide = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/wide.toml");
    let mapping = cinnox_sync::mapping::Mapping::load(Path::new(wide)).expect("wide.toml");
    let csv = dir.path().join("contacts.csv");
    std::fs::write(&csv, mapping.headers().join(",") + "\n").expect("csv");
    let job = dir.path().join("job.toml");
    std::fs::write(
        &job,
        format!(
            "mapping = {wide:?}\n[source]\ncsv = \"contacts.csv\"\n[cinnox]\nbase_url = {:?}\napp_id = {:?}\napp_token_env = \"BENCH_CINNOX_TOKEN\"\nrequests_per_minute = 0\n[serve]\nat_start = false\nsettle = \"{SETTLE}\"\nmin_gap = \"1s\"\nmax_delay = \"5s\"\n",
            sb.base_url(),
            sb.app_id()
        ),
    )
    .expect("job");
    let token = sb.app_token().expose().to_string();
    let first = bin()
        .args(["-q", "sync", "--force", "--config"])
        .arg(&job)
        .env("BENCH_CINNOX_TOKEN", &token)
        .status()
        .expect("first sync");
    assert!(first.success(), "the first sync failed");

    let (mut child, base, path) = start(&job, &token);
    let (elapsed, mut times, refused) = rt.block_on(flood(&format!("{base}{path}"), n));
    times.sort();
    let accepted = times.len();
    let rate = accepted as f64 / elapsed.as_secs_f64();
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    let (p50, p99) = (p(0.5), p(0.99));
    let rate_ok = rate >= TARGET_RATE && refused == 0;
    let p99_ok = p99 <= TARGET_P99;
    println!(
        "webhook deliveries, stored before the answer: {accepted} accepted ({refused} refused) in {:.2} s over {CONNECTIONS} connections = {rate:.0}/s; target >= {TARGET_RATE:.0}/s: {}",
        elapsed.as_secs_f64(),
        verdict(rate_ok)
    );
    println!(
        "answer time: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; target p99 <= {} ms: {}",
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        TARGET_P99.as_millis(),
        verdict(p99_ok)
    );

    // Dashboard edit -> webhook -> inbox -> coalesced sync -> the cell.
    let sub = bin()
        .args(["-q", "subscribe", "--config"])
        .arg(&job)
        .args(["--url", &base])
        .env("BENCH_CINNOX_TOKEN", &token)
        .status()
        .expect("subscribe");
    assert!(sub.success(), "subscribe failed");
    // Let the flood's syncs finish first.
    std::thread::sleep(Duration::from_secs(7));
    let ids: Vec<String> = sb.sandbox().contacts().into_iter().map(|c| c.id).collect();
    let mut lags = Vec::new();
    for (i, id) in ids.iter().take(edits).enumerate() {
        let title = format!("Bench Edit {i}");
        let t = Instant::now();
        sb.sandbox()
            .edit(id, &[(FieldId::JobTitle, title.clone())])
            .expect("edit");
        let deadline = t + Duration::from_secs(60);
        loop {
            let text = std::fs::read_to_string(&csv).unwrap_or_default();
            if text
                .lines()
                .any(|l| l.contains(id.as_str()) && l.contains(&title))
            {
                break;
            }
            assert!(Instant::now() < deadline, "edit {i} never reached the CSV");
            std::thread::sleep(Duration::from_millis(5));
        }
        lags.push(t.elapsed());
        std::thread::sleep(Duration::from_millis(1200));
    }
    lags.sort();
    println!(
        "dashboard edit to the changed cell (settle delay {SETTLE}): median {:.2} s over {edits} edits (min {:.2}, max {:.2}); no target",
        lags[lags.len() / 2].as_secs_f64(),
        lags[0].as_secs_f64(),
        lags[lags.len() - 1].as_secs_f64()
    );
    // SAFETY: kill(2) on the pid of the child started above, not yet reaped.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().expect("serve exit");
    println!("serve exited with {status} after SIGTERM");
    if rate_ok && p99_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
