//! `cargo bench --bench audit`: the audit benchmark. Generates (once) a realistic
//! file of CINNOX template rows with ~2% known defects (`contacts.rs`), runs the release
//! binary on it several times with JSON output, and reports the median wall time
//! and the peak memory of the audit process, then checks the report against the
//! manifest: every injected defect found, nothing else reported.
//!
//! Options (after `--`): `--rows N` (1000000), `--runs N` (5), `--seed N`,
//! `--threads N` (passed to the audit), `--regenerate`, `--generate-only`.
//! Data goes to `bench-data/` (gitignored).

mod contacts;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The targets of the issue, checked at 1,000,000 rows.
const TARGET_WALL: Duration = Duration::from_secs(3);
const TARGET_RSS_MB: f64 = 600.0;

struct Opts {
    rows: u64,
    runs: usize,
    seed: u64,
    threads: Option<String>,
    regenerate: bool,
    generate_only: bool,
}

fn opts() -> Opts {
    let mut o = Opts {
        rows: 1_000_000,
        runs: 5,
        seed: 2024,
        threads: None,
        regenerate: false,
        generate_only: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |name: &str| {
            args.next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or_else(|| panic!("{name} needs a number"))
        };
        match a.as_str() {
            "--rows" => o.rows = num("--rows"),
            "--runs" => o.runs = num("--runs") as usize,
            "--seed" => o.seed = num("--seed"),
            "--threads" => o.threads = Some(num("--threads").to_string()),
            "--regenerate" => o.regenerate = true,
            "--generate-only" => o.generate_only = true,
            _ => {} // `cargo bench` adds --bench; filters do not apply here.
        }
    }
    o
}

fn main() {
    let o = opts();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data");
    std::fs::create_dir_all(&dir).expect("create bench-data/");
    let data = dir.join(format!("contacts-{}-{}.csv", o.rows, o.seed));
    let manifest = dir.join(format!("contacts-{}-{}.manifest.csv", o.rows, o.seed));
    if o.regenerate || !data.exists() || !manifest.exists() {
        let t = Instant::now();
        // Written under temporary names and renamed, so a broken run leaves no
        // half file that the next run would take for data.
        let (tmp_data, tmp_man) = (
            data.with_extension("csv.tmp"),
            manifest.with_extension("tmp"),
        );
        let mut csv =
            std::io::BufWriter::new(std::fs::File::create(&tmp_data).expect("create data"));
        let mut man =
            std::io::BufWriter::new(std::fs::File::create(&tmp_man).expect("create manifest"));
        let g = contacts::generate(o.rows, o.seed, &mut csv, &mut man).expect("generate");
        csv.into_inner().expect("write data");
        man.into_inner().expect("write manifest");
        std::fs::rename(&tmp_data, &data).expect("rename data");
        std::fs::rename(&tmp_man, &manifest).expect("rename manifest");
        println!(
            "generated {} rows ({} with defects) in {:.1} s",
            g.rows,
            g.defects,
            t.elapsed().as_secs_f64()
        );
    }
    let size = std::fs::metadata(&data).map(|m| m.len()).unwrap_or(0);
    println!("data: {} ({:.0} MB)", data.display(), size as f64 / 1e6);
    if o.generate_only {
        return;
    }
    let out = dir.join("audit-report.json");
    // Other work on the machine slows the wall time down; say how busy it was.
    let load = || std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average before: {}", load().trim());
    let mut walls = Vec::new();
    let mut rss = Vec::new();
    let mut cpus = Vec::new();
    for run in 1..=o.runs {
        let r = run_audit(&data, &out, o.threads.as_deref());
        println!(
            "run {run}: {:.3} s wall, {:.3} s CPU, peak RSS {:.0} MB, exit {}",
            r.wall.as_secs_f64(),
            r.cpu.as_secs_f64(),
            r.peak_kb as f64 / 1024.0,
            r.code
        );
        walls.push(r.wall);
        rss.push(r.peak_kb);
        cpus.push(r.cpu);
    }
    walls.sort();
    rss.sort();
    cpus.sort();
    let median = walls[walls.len() / 2];
    let peak_mb = *rss.last().unwrap_or(&0) as f64 / 1024.0;
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "\n{} rows, {} runs on {cores} cores: median wall {:.3} s (min {:.3}, max {:.3}), median CPU {:.3} s, peak RSS {:.0} MB (median {:.0} MB)",
        o.rows,
        o.runs,
        median.as_secs_f64(),
        walls[0].as_secs_f64(),
        walls[walls.len() - 1].as_secs_f64(),
        cpus[cpus.len() / 2].as_secs_f64(),
        peak_mb,
        rss[rss.len() / 2] as f64 / 1024.0
    );
    println!("load average after: {}", load().trim());
    let exact = check(&out, &manifest);
    let mut ok = exact;
    if o.rows >= 1_000_000 {
        let wall_ok = median <= TARGET_WALL.mul_f64(o.rows as f64 / 1e6);
        let rss_ok = peak_mb <= TARGET_RSS_MB;
        println!(
            "target: median wall <= 3 s per 1M rows: {}",
            if wall_ok { "met" } else { "MISSED" }
        );
        println!(
            "target: peak RSS <= 600 MB: {}",
            if rss_ok { "met" } else { "MISSED" }
        );
        ok &= wall_ok && rss_ok;
    }
    if !ok {
        std::process::exit(1);
    }
}

/// One run of the audit, as the kernel accounted it.
struct Run {
    wall: Duration,
    /// User + system time of the audit process (all its threads).
    cpu: Duration,
    peak_kb: i64,
    code: i32,
}

/// Runs the release binary once and reaps it with `wait4`, which reports the
/// child's own CPU time and peak RSS.
// The child is reaped by `wait4` itself, not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run_audit(data: &Path, out: &Path, threads: Option<&str>) -> Run {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cinnox-sync"));
    let mut cmd = Command::new(bin);
    cmd.arg("audit")
        .arg(data)
        .args(["--format", "json", "--output"])
        .arg(out);
    if let Some(t) = threads {
        cmd.args(["--threads", t]);
    }
    let start = Instant::now();
    let child = cmd.spawn().expect("start cinnox-sync");
    let mut status = 0;
    // SAFETY: plain libc call on a zeroed struct; the pid is our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    assert!(code == 0 || code == 1, "the audit failed (exit {code})");
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_kb: usage.ru_maxrss,
        code,
    }
}

/// Compares the report with the manifest on `(line, column, rule)`.
fn check(report: &Path, manifest: &Path) -> bool {
    let text = std::fs::read_to_string(report).expect("read the report");
    let json: serde_json::Value = serde_json::from_str(&text).expect("the report is JSON");
    let found: Vec<(u64, String, String)> = json["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| {
            (
                v["line"].as_u64().unwrap_or(0),
                v["column"].as_str().unwrap_or("").to_string(),
                v["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut rdr = csv::Reader::from_path(manifest).expect("read the manifest");
    let expected: BTreeSet<(u64, String, String)> = rdr
        .records()
        .map(|r| {
            let r = r.expect("manifest row");
            (
                r[0].parse().unwrap_or(0),
                r[1].to_string(),
                r[2].to_string(),
            )
        })
        .collect();
    let found_set: BTreeSet<_> = found.iter().cloned().collect();
    let missed: Vec<_> = expected.difference(&found_set).collect();
    let extra: Vec<_> = found_set.difference(&expected).collect();
    println!(
        "check: {} rows read, {} injected violations, {} reported: {} found, {} missed, {} false positives{}",
        json["rows"],
        expected.len(),
        found.len(),
        expected.len() - missed.len(),
        missed.len(),
        extra.len(),
        if found.len() != found_set.len() {
            " (some reported twice)"
        } else {
            ""
        }
    );
    for m in missed.iter().take(10) {
        println!("  missed: {m:?}");
    }
    for e in extra.iter().take(10) {
        println!("  false positive: {e:?}");
    }
    missed.is_empty() && extra.is_empty() && found.len() == found_set.len()
}
