//! Benchmark: a no-op sync of 10,000 contacts between a CSV file and a sandbox on
//! loopback (pacing off), as the release binary runs it (process start, CSV read,
//! state, a full listing in pages of 500, planning). Median of several runs,
//! checked against the target (issue 4: <= 0.5 s at 10,000 contacts; other sizes
//! print their figure, e.g. 100,000 for an end-to-end figure the size of the
//! `engine_plan` one). Then the writes check: after a known set of edits on both
//! sides, the writes the run sends (counted by the sandbox itself) equal the
//! changed records exactly. Prints PASS/FAIL per check; exits 1 when one fails.
//!
//!     cargo bench --bench sync_noop              # 10,000 contacts, 7 runs
//!     cargo bench --bench sync_noop -- 100000 3  # N, runs
//!     CINNOX_BENCH_CONTACTS=100000 cargo bench --bench sync_noop

use cinnox_sync::model::FieldId;
use cinnox_sync::sandbox::{self, SandboxConfig};
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

/// The target, for `TARGET_CONTACTS` contacts.
const TARGET: Duration = Duration::from_millis(500);
const TARGET_CONTACTS: usize = 10_000;

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

fn sync(job: &Path, token: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_cinnox-sync"))
        .args(["-q", "sync", "--force", "--json", "--config"])
        .arg(job)
        .env("BENCH_CINNOX_TOKEN", token)
        .output()
        .expect("run cinnox-sync");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    assert!(v["exit_code"] == 0, "sync failed: {v:#}");
    v
}

fn main() -> ExitCode {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args
        .first()
        .copied()
        .or_else(|| std::env::var("CINNOX_BENCH_CONTACTS").ok()?.parse().ok())
        .unwrap_or(TARGET_CONTACTS);
    let runs = args.get(1).copied().unwrap_or(7);
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
        .generate_contacts(n, false)
        .expect("seed contacts");
    let dir = tempfile::tempdir().expect("temp dir");
    let wide = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/wide.toml");
    let mapping = cinnox_sync::mapping::Mapping::load(Path::new(wide)).expect("wide.toml");
    std::fs::write(
        dir.path().join("contacts.csv"),
        mapping.headers().join(",") + "\n",
    )
    .expect("csv");
    let job = dir.path().join("job.toml");
    std::fs::write(
        &job,
        format!(
            "mapping = {wide:?}\n[source]\ncsv = \"contacts.csv\"\n[cinnox]\nbase_url = {:?}\napp_id = {:?}\napp_token_env = \"BENCH_CINNOX_TOKEN\"\nrequests_per_minute = 0\n",
            sb.base_url(),
            sb.app_id()
        ),
    )
    .expect("job");
    let token = sb.app_token().expose().to_string();
    let first = sync(&job, &token);
    assert_eq!(first["counts"]["rows_appended"], n as u64, "{first:#}");

    let writes = || {
        let s = sb.sandbox().stats();
        (s.total("create"), s.total("update"))
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let before = writes();
        let t = Instant::now();
        let v = sync(&job, &token);
        times.push(t.elapsed());
        assert_eq!(writes(), before, "a no-op sync sent writes");
        assert_eq!(v["rows_written"], 0);
    }
    times.sort();
    let median: Duration = times[times.len() / 2];
    let time_ok = n != TARGET_CONTACTS || median <= TARGET;
    let target = if n == TARGET_CONTACTS {
        format!(
            "target <= {:.1} s: {}",
            TARGET.as_secs_f64(),
            verdict(time_ok)
        )
    } else {
        format!(
            "no target at this size (<= {:.1} s at {TARGET_CONTACTS})",
            TARGET.as_secs_f64()
        )
    };
    println!(
        "no-op sync of {n} contacts, CSV <-> sandbox on loopback: median {:.3} s over {runs} runs (min {:.3}, max {:.3}); {target}",
        median.as_secs_f64(),
        times[0].as_secs_f64(),
        times[times.len() - 1].as_secs_f64()
    );

    // Writes equal the changed records: 100 rows edited in the list, 50 contacts
    // edited in CINNOX (other records), 20 new rows.
    let csv_path = dir.path().join("contacts.csv");
    let mut r = csv::Reader::from_path(&csv_path).expect("read csv");
    let header: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let mut rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.expect("row").iter().map(String::from).collect())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let (job_title, id_col, first_name, email) = (
        col("Job Title"),
        col("CINNOX ID"),
        col("First Name"),
        col("Email"),
    );
    for row in rows.iter_mut().take(100) {
        row[job_title] = "Benchmark Lead".into();
    }
    for row in rows.iter().skip(100).take(50) {
        sb.sandbox()
            .edit(
                &row[id_col],
                &[(FieldId::CompanyName, "Edited In CINNOX".into())],
            )
            .expect("edit");
    }
    for i in 0..20 {
        let mut row = vec![String::new(); header.len()];
        row[first_name] = format!("New{i}");
        row[email] = format!("new{i}@bench.example");
        rows.push(row);
    }
    let mut w = csv::Writer::from_path(&csv_path).expect("write csv");
    w.write_record(&header).expect("header");
    for row in &rows {
        w.write_record(row).expect("row");
    }
    w.flush().expect("flush");
    let before = writes();
    let v = sync(&job, &token);
    let after = writes();
    let (creates, updates) = (after.0 - before.0, after.1 - before.1);
    // Writes equal the changed records; 50 rows take CINNOX's edits, 20 get their id.
    let writes_ok = (creates, updates) == (20, 100) && v["rows_written"] == 70;
    println!(
        "writes check: 100 list edits + 50 CINNOX edits + 20 new rows -> sandbox saw {updates} updates, {creates} creates; {} rows written; target exactly 100, 20, 70: {}",
        v["rows_written"],
        verdict(writes_ok)
    );
    if time_ok && writes_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
