//! A sandbox served in-process on loopback, a temp folder with a job file, a CSV in
//! the wide layout and a state file, and the real binary run against them.

use assert_cmd::Command;
use cinnox_sync::model::{Contact, FieldId};
use cinnox_sync::sandbox::{self, Faults, RunningSandbox, SandboxConfig, StatsSnapshot};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const TOKEN_ENV: &str = "CINNOX_SYNC_TEST_TOKEN";

pub struct Env {
    pub sb: RunningSandbox,
    pub rt: tokio::runtime::Runtime,
    pub dir: tempfile::TempDir,
    pub job: PathBuf,
    pub csv: PathBuf,
    pub state: PathBuf,
}

/// The wide mapping's header (the layout sync tests use), plus a column the mapping
/// does not know, which sync must keep.
pub fn header() -> Vec<String> {
    let m = cinnox_sync::mapping::Mapping::load(&wide()).unwrap();
    let mut h: Vec<String> = m
        .headers()
        .into_iter()
        .filter(|h| h != "CINNOX ID")
        .collect();
    h.push("Notes".into());
    h
}

pub fn wide() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/wide.toml"))
}

/// A CSV text in `header()` layout from rows of `(column, value)`.
pub fn csv_text(rows: &[Vec<(&str, String)>]) -> String {
    let h = header();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&h).unwrap();
    for r in rows {
        let cells: Vec<String> = h
            .iter()
            .map(|c| {
                r.iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            })
            .collect();
        w.write_record(&cells).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

pub fn person(i: usize) -> Vec<(&'static str, String)> {
    vec![
        ("First Name", format!("Person{i}")),
        ("Last Name", "Test".into()),
        ("Email", format!("person{i}@example.com")),
        ("Job Title", "Engineer".into()),
    ]
}

pub fn cinnox_person(i: usize) -> Contact {
    let mut c = Contact::default();
    c.values.set(FieldId::FirstName, format!("Cin{i}"));
    c.values.set(FieldId::Email, format!("cin{i}@example.com"));
    c.values.set(FieldId::CompanyName, "Acme");
    c
}

/// Every count of a run's summary equals the entries it lists: the notes, and the
/// conflicts, invalid rows and skips of the plan with the records applying refused,
/// lost or found stale (issue 9, item 7).
pub fn assert_counts_listed(v: &Value) {
    let count = |k: &str| v["counts"][k].as_u64().unwrap_or(0);
    let listed = |k: &str| v[k].as_array().map_or(0, Vec::len) as u64;
    assert_eq!(count("notes"), listed("notes"), "counts.notes: {v:#}");
    let applied: u64 = ["rejected", "unknown", "stale"]
        .iter()
        .map(|k| v["applied"][k].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(
        count("conflicts") + count("invalid") + count("skips") + applied,
        listed("problems"),
        "counts of problems: {v:#}"
    );
    assert!(
        count("linked_changed") <= count("linked"),
        "changed more linked records than were linked: {v:#}"
    );
}

impl Env {
    pub fn new(csv: &str, seed: Vec<Contact>) -> Env {
        Self::with_policy(csv, seed, "")
    }

    pub fn with_policy(csv: &str, seed: Vec<Contact>, policy: &str) -> Env {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sb = rt
            .block_on(sandbox::start(SandboxConfig {
                rate_limit: None,
                ..SandboxConfig::default()
            }))
            .unwrap();
        if !seed.is_empty() {
            sb.sandbox().seed_contacts(seed, false).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let csv_path = dir.path().join("contacts.csv");
        std::fs::write(&csv_path, csv).unwrap();
        let job = dir.path().join("job.toml");
        std::fs::write(
            &job,
            format!(
                "mapping = {:?}\nstate = \"contacts.state.db\"\n[source]\ncsv = \"contacts.csv\"\n[cinnox]\nbase_url = {:?}\napp_id = {:?}\napp_token_env = {TOKEN_ENV:?}\nrequests_per_minute = 0\n[policy]\n{policy}\n",
                wide().display().to_string(),
                sb.base_url(),
                sb.app_id()
            ),
        )
        .unwrap();
        Env {
            state: dir.path().join("contacts.state.db"),
            csv: csv_path,
            job,
            dir,
            sb,
            rt,
        }
    }

    /// The binary, with the token in its environment and no other CINNOX settings.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("cinnox-sync").unwrap();
        c.env_remove("CINNOX_BASE_URL")
            .env_remove("CINNOX_APP_ID")
            .env_remove("CINNOX_APP_TOKEN")
            .env(TOKEN_ENV, self.sb.app_token().expose())
            .env("RUST_LOG", "error")
            .current_dir(self.dir.path());
        c
    }

    /// Runs `cinnox-sync ARGS --json` and returns (exit code, summary).
    pub fn json(&self, args: &[&str]) -> (i32, Value) {
        let out = self.cmd().args(args).arg("--json").output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (code, v)
    }

    pub fn sync(&self) -> (i32, Value) {
        let (code, v) = self.json(&["sync", "--config", self.job.to_str().unwrap()]);
        assert_counts_listed(&v);
        (code, v)
    }

    /// Syncs, expecting `code`, then checks that a second sync writes nothing.
    pub fn sync_settled(&self, code: i32) -> Value {
        let (c, v) = self.sync();
        assert_eq!(c, code, "{v:#}");
        let writes = self.writes();
        let (c2, v2) = self.sync();
        assert!(c2 == 0 || c2 == 1, "{v2:#}");
        assert_eq!(v2["rows_written"], 0, "second sync wrote rows: {v2:#}");
        assert_eq!(v2["calls"]["create"], 0, "{v2:#}");
        assert_eq!(v2["calls"]["update"], 0, "{v2:#}");
        assert_eq!(
            self.writes(),
            writes,
            "the sandbox saw writes on the second sync"
        );
        v
    }

    pub fn stats(&self) -> StatsSnapshot {
        self.sb.sandbox().stats()
    }

    /// Create and update requests the sandbox has answered, whatever the outcome.
    pub fn writes(&self) -> u64 {
        let s = self.stats();
        s.total("create") + s.total("update")
    }

    pub fn contacts(&self) -> Vec<Contact> {
        self.sb.sandbox().contacts()
    }

    pub fn contact(&self, id: &str) -> Contact {
        self.sb
            .sandbox()
            .contact(id)
            .unwrap_or_else(|| panic!("no contact {id}"))
    }

    pub fn faults(&self, f: Faults) {
        self.sb.sandbox().set_faults(f, Some(7)).unwrap();
    }

    /// The CSV's rows as column → value.
    pub fn rows(&self) -> Vec<BTreeMap<String, String>> {
        let mut r = csv::Reader::from_path(&self.csv).unwrap();
        let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                h.iter()
                    .cloned()
                    .zip(rec.iter().map(String::from))
                    .collect()
            })
            .collect()
    }

    pub fn row_of(&self, id: &str) -> Option<BTreeMap<String, String>> {
        self.rows()
            .into_iter()
            .find(|r| r.get("CINNOX ID").map(String::as_str) == Some(id))
    }

    /// The id in the row whose email is `email`.
    pub fn row_of_email(&self, email: &str) -> String {
        self.rows()
            .into_iter()
            .find(|r| r.get("Email").map(String::as_str) == Some(email))
            .unwrap_or_else(|| panic!("no row with {email}"))["CINNOX ID"]
            .clone()
    }

    /// Rewrites the CSV with `edit` applied to its rows (header kept).
    pub fn edit_csv(&self, edit: impl FnOnce(&mut Vec<BTreeMap<String, String>>)) {
        let mut r = csv::Reader::from_path(&self.csv).unwrap();
        let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        drop(r);
        let mut rows = self.rows();
        edit(&mut rows);
        let mut w = csv::Writer::from_path(&self.csv).unwrap();
        w.write_record(&h).unwrap();
        for row in rows {
            w.write_record(h.iter().map(|c| row.get(c).cloned().unwrap_or_default()))
                .unwrap();
        }
        w.flush().unwrap();
    }
}
