//! `audit --cinnox`: every planted violation and duplicate group found and nothing
//! else, in every format, with credentials from a job, from the environment, and
//! from a job's embedded sandbox.

use super::planted;
use crate::sync_support::sandbox::Env;
use cinnox_sync::sandbox::wire;
use serde_json::Value;
use std::collections::BTreeSet;

fn world() -> Env {
    Env::new(&planted::list_csv(), planted::all())
}

fn audit_json(env: &Env, extra: &[&str]) -> (i32, Value) {
    let out = env
        .cmd()
        .args(["audit", "--cinnox", "--json"])
        .args(extra)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v)
}

#[test]
fn every_planted_violation_and_group_is_found_and_nothing_else() {
    let env = world();
    let (code, v) = audit_json(&env, &["--config", env.job.to_str().unwrap()]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["source"], "cinnox");
    assert_eq!(v["contacts"], planted::all().len());
    let (rules, dups) = planted::found(&v);
    assert_eq!(rules, planted::planted_violations());
    let members: BTreeSet<String> = planted::planted_groups(true)
        .into_iter()
        .flat_map(|(k, a)| std::iter::once(k).chain(a))
        .collect();
    assert_eq!(
        dups, members,
        "a duplicate warning on each member, on no one else"
    );
    assert_eq!(planted::merges(&v), planted::planted_groups(true));
    let merges = v["merges"].as_array().unwrap();
    let g4 = merges.iter().find(|m| m["keep"]["id"] == "g4-a").unwrap();
    assert_eq!(
        g4["why"], "it has a row in the list (line 2); the others have none",
        "{g4:#}"
    );
    let g2 = merges.iter().find(|m| m["keep"]["id"] == "g2-b").unwrap();
    assert_eq!(g2["absorbs"], 2);
    let shared: Vec<&str> = g2["shared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["value"].as_str().unwrap())
        .collect();
    assert_eq!(shared, ["hank@example.com", "+85294110001"]);
    // The owner of each contact is named (the sandbox's default owner).
    assert!(
        v["violations"][0]["owner"]
            .as_str()
            .is_some_and(|o| !o.is_empty())
    );
    // The rules a CINNOX audit applies, zeros included; no `structure`.
    let summary: Vec<&String> = v["summary"].as_object().unwrap().keys().collect();
    assert_eq!(summary.len(), 10, "{summary:?}");
    assert!(!v["summary"].as_object().unwrap().contains_key("structure"));
    assert_eq!(v["summary"]["duplicate"], 10);
    // Listing is all the audit asks of CINNOX.
    let s = env.stats();
    assert_eq!(s.total("create") + s.total("update"), 0);
}

#[test]
fn every_format_places_rows_by_contact_and_shows_the_merges() {
    let env = world();
    let job = env.job.to_str().unwrap();
    let run = |format: &str, out: &str| {
        let o = env
            .cmd()
            .args([
                "audit", "--cinnox", "-c", job, "--format", format, "-o", out,
            ])
            .args(["--merges", "merges.csv"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{format}: {o:?}");
        std::fs::read_to_string(env.dir.path().join(out)).unwrap()
    };
    let table = run("table", "r.txt");
    let checked = format!("{} contacts checked", planted::all().len());
    assert!(table.contains(&checked), "{table}");
    assert!(
        table.contains(
            "bad-phone (Pat, owner Ada Wong), Mobile Phone: \"+852 6123 4567\" -> \"+85261234567\""
        ),
        "{table}"
    );
    assert!(table.contains("4 merge suggestions"), "{table}");
    assert!(table.contains("keep g4-a (Ivy, owner Ada Wong)"), "{table}");

    let md = run("markdown", "r.md");
    assert!(md.starts_with("## CINNOX contacts audit"), "{md}");
    assert!(md.contains("| Contact | Column | Rule |"), "{md}");
    assert!(md.contains("### Merge suggestions"), "{md}");

    let csv = run("csv", "r.csv");
    let mut rdr = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        cinnox_sync::validate::report::csv::CINNOX_HEADER
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let (_, v) = audit_json(&env, &["-c", job]);
    assert_eq!(rows.len(), v["violations"].as_array().unwrap().len());
    assert!(
        rows.iter()
            .any(|r| &r[0] == "bad-number" && &r[3] == "Zip Code" && &r[5] == "max_length")
    );

    let html = run("html", "r.html");
    assert!(html.contains("<h1>CINNOX contacts audit</h1>"));
    assert!(html.contains("<h2>Merge suggestions</h2>"));
    assert!(html.contains("\"bad-phone\""));

    let merges = std::fs::read_to_string(env.dir.path().join("merges.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(merges.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 9, "one row per contact of each group: {merges}");
    let keep: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| &r[1] == "keep")
        .map(|r| (&r[2], &r[5]))
        .collect();
    assert_eq!(
        keep,
        [("g1-b", "1"), ("g2-b", "2"), ("g3-b", "1"), ("g4-a", "1")]
    );
    assert!(
        rows.iter()
            .any(|r| &r[2] == "g2-c" && &r[1] == "merge into g2-b")
    );
}

#[test]
fn credentials_from_the_environment_without_a_job() {
    let env = world();
    let out = env
        .cmd()
        .args(["audit", "--cinnox", "--json"])
        .env("CINNOX_BASE_URL", env.sb.base_url())
        .env("CINNOX_APP_ID", env.sb.app_id())
        .env("CINNOX_APP_TOKEN", env.sb.app_token().expose())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(planted::found(&v).0, planted::planted_violations());
    // No list to prefer: the more complete contact of group 4 is kept.
    assert_eq!(planted::merges(&v), planted::planted_groups(false));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains(env.sb.app_token().expose()),
        "the token never prints"
    );
    // --merges belongs to --cinnox.
    let out = env
        .cmd()
        .args(["audit", "list.csv", "--merges", "m.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("add --cinnox"));
    // Without any credentials: a clear message, exit 2.
    let out = env.cmd().args(["audit", "--cinnox"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("CINNOX_BASE_URL") || stderr.contains("CINNOX_APP"),
        "{stderr}"
    );
}

#[test]
fn a_job_with_an_embedded_sandbox_seeded_with_bad_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let contacts: Vec<Value> = planted::all().iter().map(wire::contact_json).collect();
    std::fs::write(
        dir.path().join("seed.json"),
        serde_json::json!({ "contacts": contacts }).to_string(),
    )
    .unwrap();
    std::fs::write(dir.path().join("contacts.csv"), planted::list_csv()).unwrap();
    let wide = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/wide.toml");
    std::fs::write(
        dir.path().join("job.toml"),
        format!(
            "mapping = {wide:?}\n[source]\ncsv = \"contacts.csv\"\n[cinnox]\nsandbox = {{ data = \"sb.db\", seed = \"seed.json\" }}\n"
        ),
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("cinnox-sync")
        .unwrap()
        .current_dir(dir.path())
        .env("RUST_LOG", "error")
        .args(["audit", "--cinnox", "-c", "job.toml", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(planted::found(&v).0, planted::planted_violations());
    assert_eq!(planted::merges(&v), planted::planted_groups(true));
    assert!(v["violations"][0]["id"].is_string());
}
