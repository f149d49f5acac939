//! Benchmark: `audit --cinnox` on 100,000 contacts in an in-process sandbox on
//! loopback, pacing off. Target (issue 13): the checks add at most 1 s to the
//! listing, i.e. the release binary's whole audit (process start, listing, rules,
//! duplicate groups, JSON report) takes at most 1 s more than listing the same
//! contacts with the client alone (medians of the runs). The contacts are the
//! sandbox's realistic generated ones, made unique (so that no duplicate group
//! arises by chance), with known defects planted in 1% of them (one per contact,
//! every rule) and known duplicate groups (an email in another field and case, a
//! phone in another field, a name and company spelt differently; some chained in
//! threes); the report must name exactly those. Prints PASS/FAIL per check and
//! exits 1 on a FAIL.
//!
//!     cargo bench --bench audit_cinnox
//!     CINNOX_BENCH_CONTACTS=20000 CINNOX_BENCH_RUNS=3 cargo bench --bench audit_cinnox

use cinnox_sync::cinnox::{CinnoxClient, ClientConfig};
use cinnox_sync::mapping::Mapping;
use cinnox_sync::model::{Contact, FieldId as F};
use cinnox_sync::sandbox::{self, SandboxConfig, generate};
use std::collections::BTreeSet;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

const TARGET: Duration = Duration::from_secs(1);

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

/// A last name no other contact has: syllables spelling `i`.
fn unique_name(i: usize) -> String {
    const S: [&str; 16] = [
        "ka", "lo", "mi", "nu", "pe", "ri", "so", "tu", "va", "we", "xi", "yo", "za", "be", "cu",
        "do",
    ];
    let mut n = i;
    let mut out = String::new();
    for _ in 0..5 {
        out.push_str(S[n % 16]);
        n /= 16;
    }
    let mut c = out.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// `(id, field, rule)` of each violation that is not a duplicate.
type Violations = BTreeSet<(String, String, String)>;
/// Each group's ids.
type Groups = BTreeSet<BTreeSet<String>>;
type Expected = (Violations, Groups);

/// The contacts to seed, and what the audit must find: `(id, field, rule)` of
/// every planted violation, and the planted groups.
fn world(n: usize) -> (Vec<Contact>, Expected) {
    let mut contacts = generate::contacts(n, 7, 0);
    let mut violations = BTreeSet::new();
    for (i, c) in contacts.iter_mut().enumerate() {
        c.id = format!("c{i:07}");
        let last = format!("{} {}", c.values.get(F::LastName), unique_name(i));
        c.values.set(F::LastName, last);
        // Generated phones are random: numbered ones cannot meet by chance.
        c.values
            .set(F::MobilePhone, format!("+85294{:06}", i % 1_000_000));
        c.values.remove(F::WorkPhone);
        c.values.remove(F::WhatsApp);
        if i % 100 != 50 {
            continue;
        }
        let id = c.id.clone();
        let mut plant = |field: F, value: String, rule: &'static str| {
            c.values.set(field, value);
            violations.insert((id.clone(), field.key().to_string(), rule.to_string()));
        };
        match (i / 100) % 8 {
            0 => plant(
                F::MobilePhone,
                format!("+852 94{:02} {:04}", (i / 10_000) % 100, i % 10_000),
                "phone_format",
            ),
            1 => plant(F::WorkPhone, "+99912345678".into(), "phone_invalid"),
            2 => plant(F::Birthday, "1990-02-01".into(), "date_format"),
            3 => plant(F::Birthday, "31/04/1979".into(), "date_invalid"),
            4 => plant(F::Level, "primary".into(), "enum"),
            5 => plant(F::Email, format!("broken{i}@example"), "email"),
            6 => plant(F::CompanyName, "C".repeat(101), "max_length"),
            _ => {
                c.values.remove(F::FirstName);
                violations.insert((id, F::FirstName.key().to_string(), "required".into()));
            }
        }
    }
    let mut groups = BTreeSet::new();
    let mut extra = Vec::new();
    for (g, base) in (0..n).step_by(200).enumerate() {
        let b = &contacts[base];
        let mut dup = Contact {
            id: format!("d{g:06}"),
            ..Contact::default()
        };
        match g % 3 {
            0 if b.values.has(F::Email) => {
                dup.values.set(F::FirstName, b.values.get(F::FirstName));
                dup.values
                    .set(F::PersonalEmail, b.values.get(F::Email).to_uppercase());
            }
            1 => {
                dup.values.set(F::FirstName, "Reception");
                dup.values.set(F::HomePhone, b.values.get(F::MobilePhone));
            }
            _ if !b.values.get(F::CompanyName).is_empty() && b.values.has(F::FirstName) => {
                dup.values
                    .set(F::FirstName, b.values.get(F::FirstName).to_lowercase());
                dup.values
                    .set(F::LastName, b.values.get(F::LastName).to_uppercase());
                dup.values.set(
                    F::CompanyName,
                    format!(" {} ", b.values.get(F::CompanyName)),
                );
            }
            _ => continue,
        }
        let mut group: BTreeSet<String> = [b.id.clone(), dup.id.clone()].into();
        if g % 5 == 0 {
            // A third contact, linked to the second only, by a phone.
            let phone = format!("+85296{:06}", g);
            dup.values.set(F::WorkPhone, phone.clone());
            let mut third = Contact {
                id: format!("t{g:06}"),
                ..Contact::default()
            };
            third.values.set(F::FirstName, "Front Desk");
            third.values.set(F::OtherPhone, phone);
            group.insert(third.id.clone());
            extra.push(third);
        }
        extra.push(dup);
        groups.insert(group);
    }
    contacts.extend(extra);
    (contacts, (violations, groups))
}

/// What a JSON report of CINNOX names, as `Expected`.
fn found(report: &serde_json::Value) -> (Violations, Groups) {
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let violations = report["violations"]
        .as_array()
        .map(|vs| {
            vs.iter()
                .filter(|v| v["rule"] != "duplicate")
                .map(|v| (s(&v["id"]), s(&v["field"]), s(&v["rule"])))
                .collect()
        })
        .unwrap_or_default();
    let groups = report["merges"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .map(|m| {
                    let mut g: BTreeSet<String> = [s(&m["keep"]["id"])].into();
                    for a in m["absorb"].as_array().into_iter().flatten() {
                        g.insert(s(&a["id"]));
                    }
                    g
                })
                .collect()
        })
        .unwrap_or_default();
    (violations, groups)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() -> ExitCode {
    cinnox_sync::install_crypto_provider();
    let n = env_or("CINNOX_BENCH_CONTACTS", 100_000);
    let runs = env_or("CINNOX_BENCH_RUNS", 5).max(1);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (contacts, (want_violations, want_groups)) = world(n);
    let total = contacts.len();
    let sb = rt
        .block_on(sandbox::start(SandboxConfig {
            rate_limit: None,
            ..SandboxConfig::default()
        }))
        .expect("sandbox");
    sb.sandbox().seed_contacts(contacts, false).expect("seed");
    println!(
        "seeded {total} contacts: {} planted violations, {} planted duplicate groups",
        want_violations.len(),
        want_groups.len()
    );
    let client = CinnoxClient::new(ClientConfig {
        requests_per_minute: None,
        ..sb.client_config()
    })
    .expect("client");

    // The pure checks, in process, for the record.
    let listed = rt.block_on(client.list_contacts()).expect("list");
    let mapping = Mapping::builtin();
    let t = Instant::now();
    let report =
        cinnox_sync::validate::audit_contacts(&listed, &mapping, &Default::default(), "bench");
    let mut sink = Vec::new();
    cinnox_sync::validate::report::write(
        &report,
        cinnox_sync::validate::report::Format::Json,
        &mut sink,
    )
    .expect("report");
    let pure = t.elapsed();
    println!(
        "checks in process: {:.3}s ({} violations, {} merge suggestions, JSON report {} bytes)",
        pure.as_secs_f64(),
        report.violations.len(),
        report.merges.len(),
        sink.len()
    );

    // A job with pacing off (the environment alone would pace at 450 a minute), and
    // an empty list.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.json");
    std::fs::write(
        dir.path().join("list.csv"),
        mapping.headers().join(",") + "\n",
    )
    .expect("list");
    let job = dir.path().join("job.toml");
    std::fs::write(
        &job,
        format!(
            "[source]\ncsv = \"list.csv\"\n[cinnox]\nbase_url = {:?}\napp_id = {:?}\napp_token_env = \"BENCH_CINNOX_TOKEN\"\nrequests_per_minute = 0\n",
            sb.base_url(),
            sb.app_id()
        ),
    )
    .expect("job");
    let (mut listing, mut whole) = (Vec::new(), Vec::new());
    let mut last = serde_json::Value::Null;
    for run in 1..=runs {
        let t = Instant::now();
        let got = rt.block_on(client.list_contacts()).expect("list");
        let list = t.elapsed();
        assert_eq!(got.len(), total, "listed {} of {total}", got.len());
        let t = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_cinnox-sync"))
            .args(["-q", "audit", "--cinnox", "--json", "-o"])
            .arg(&out)
            .arg("--config")
            .arg(&job)
            .env("BENCH_CINNOX_TOKEN", sb.app_token().expose())
            .status()
            .expect("run cinnox-sync");
        let audit = t.elapsed();
        assert_eq!(status.code(), Some(1), "the audit finds errors");
        println!(
            "run {run}: listing {:.3}s, audit --cinnox {:.3}s (+{:.3}s)",
            list.as_secs_f64(),
            audit.as_secs_f64(),
            audit.as_secs_f64() - list.as_secs_f64()
        );
        listing.push(list);
        whole.push(audit);
        if run == runs {
            let text = std::fs::read(&out).expect("report");
            last = serde_json::from_slice(&text).expect("JSON report");
        }
    }
    let (list, audit) = (median(listing), median(whole));
    let added = audit.saturating_sub(list);
    let speed = added <= TARGET;
    println!(
        "audit_cinnox: {total} contacts, median listing {:.3}s, median audit --cinnox {:.3}s: the checks add {:.3}s; target <= {}s: {}",
        list.as_secs_f64(),
        audit.as_secs_f64(),
        added.as_secs_f64(),
        TARGET.as_secs(),
        verdict(speed)
    );
    let (got_violations, got_groups) = found(&last);
    let want = want_violations;
    let missed = want.difference(&got_violations).count();
    let extra = got_violations.difference(&want).count();
    let violations_ok = missed == 0 && extra == 0;
    println!(
        "planted violations: {} found of {}, {extra} not planted: {}",
        want.len() - missed,
        want.len(),
        verdict(violations_ok)
    );
    let missed_g = want_groups.difference(&got_groups).count();
    let extra_g = got_groups.difference(&want_groups).count();
    let groups_ok = missed_g == 0 && extra_g == 0;
    println!(
        "planted duplicate groups: {} found of {}, {extra_g} false groups: {}",
        want_groups.len() - missed_g,
        want_groups.len(),
        verdict(groups_ok)
    );
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average: {}", load.trim());
    }
    if speed && violations_ok && groups_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
