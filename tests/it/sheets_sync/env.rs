//! A sheet sync world: the fake Sheets API and token endpoint and a CINNOX sandbox,
//! both on loopback in this process, a temp folder with a service-account key (the
//! throwaway test key, its `token_uri` the fake's) and a job file naming a tab with
//! a name that needs quoting and encoding, and the real binary run against them.

use crate::support::fake_sheets::{Cell, Counts, FakeSheets, Logged};
use crate::support::{BOOK, service_account_key};
use crate::sync_support::sandbox::{TOKEN_ENV, header, wide};
use assert_cmd::Command;
use cinnox_sync::model::Contact;
use cinnox_sync::sandbox::{self, Faults, RunningSandbox, SandboxConfig};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Spaces, CJK, `#`, `/` and `!`: every range must be quoted and encoded.
pub const TAB: &str = "聯絡人 #1/香港!";

/// Quick retries and no pacing, so fault tests take milliseconds.
pub const FAST_RETRY: &str = "first_ms=2,max_ms=20,wait_ms=5000,per_minute=1000000,burst=100000";

/// One run: its summary, and the requests the fake counted and logged.
pub struct Run {
    pub v: Value,
    pub c: Counts,
    pub log: Vec<Logged>,
}

pub struct SheetEnv {
    pub fake: FakeSheets,
    pub sb: RunningSandbox,
    pub dir: tempfile::TempDir,
    pub job: PathBuf,
    pub key: PathBuf,
    /// Extra `KEY=VALUE` environment for the binary (e.g. another retry budget).
    pub retry: String,
    // Last: the fake and the sandbox serve on it.
    _rt: tokio::runtime::Runtime,
}

/// The sheet's header: the id column first, the wide mapping's columns, the status
/// column and a column the mapping does not know.
pub fn sheet_header() -> Vec<String> {
    let mut h = vec!["CINNOX ID".to_string()];
    h.extend(header().into_iter().filter(|c| c != "Notes"));
    h.push("Sync Status".into());
    h.push("Notes".into());
    h
}

/// Text rows in `header` order from rows of `(column, value)`.
pub fn grid(header: &[String], rows: &[Vec<(&str, String)>]) -> Vec<Vec<Cell>> {
    let mut out = vec![header.iter().map(|h| Cell::text(h)).collect()];
    for r in rows {
        out.push(
            header
                .iter()
                .map(|h| {
                    let v = r
                        .iter()
                        .find(|(k, _)| k == h)
                        .map_or("", |(_, v)| v.as_str());
                    Cell::text(v)
                })
                .collect(),
        );
    }
    out
}

impl SheetEnv {
    pub fn new(rows: &[Vec<(&str, String)>], seed: Vec<Contact>) -> SheetEnv {
        Self::with(&sheet_header(), rows, seed, "")
    }

    pub fn with(
        header: &[String],
        rows: &[Vec<(&str, String)>],
        seed: Vec<Contact>,
        policy: &str,
    ) -> SheetEnv {
        cinnox_sync::install_crypto_provider();
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
        let fake = rt.block_on(FakeSheets::start());
        fake.add_tab(BOOK, TAB, grid(header, rows));
        let dir = tempfile::tempdir().unwrap();
        let key = service_account_key(dir.path(), &fake.token_uri());
        let job = dir.path().join("job.toml");
        std::fs::write(
            &job,
            format!(
                "mapping = {:?}\nstate = \"contacts.state.db\"\n[source]\nsheet = {{ id = {BOOK:?}, tab = {TAB:?}, credentials = \"service-account.json\" }}\n[cinnox]\nbase_url = {:?}\napp_id = {:?}\napp_token_env = {TOKEN_ENV:?}\nrequests_per_minute = 0\n[policy]\n{policy}\n",
                wide().display().to_string(),
                sb.base_url(),
                sb.app_id()
            ),
        )
        .unwrap();
        SheetEnv {
            fake,
            sb,
            job,
            key,
            dir,
            retry: FAST_RETRY.into(),
            _rt: rt,
        }
    }

    /// The binary, pointed at the fake, with the CINNOX token and nothing else.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("cinnox-sync").unwrap();
        for (k, v) in self.env() {
            c.env(k, v);
        }
        c.env_remove("CINNOX_BASE_URL")
            .env_remove("CINNOX_APP_ID")
            .env_remove("CINNOX_APP_TOKEN")
            .env_remove("GOOGLE_APPLICATION_CREDENTIALS")
            .current_dir(self.dir.path());
        c
    }

    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            (TOKEN_ENV, self.sb.app_token().expose().to_string()),
            ("CINNOX_SYNC_SHEETS_API_URL", self.fake.base_url()),
            ("CINNOX_SYNC_SHEETS_RETRY", self.retry.clone()),
            ("RUST_LOG", "error".into()),
        ]
    }

    /// Runs `cinnox-sync ARGS --json`: (exit code, summary).
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

    pub fn job_arg(&self) -> &str {
        self.job.to_str().unwrap()
    }

    pub fn sync(&self) -> (i32, Value) {
        let (code, v) = self.json(&["sync", "--config", self.job_arg()]);
        crate::sync_support::sandbox::assert_counts_listed(&v);
        (code, v)
    }

    /// Syncs expecting `code`; then a second sync must read the tab once and write
    /// nothing on either side. Returns what the first sync did.
    pub fn sync_settled(&self, code: i32) -> Run {
        self.fake.reset_counts();
        let (c, v) = self.sync();
        assert_eq!(c, code, "{v:#}");
        let run = Run {
            v,
            c: self.fake.counts(),
            log: self.fake.log(),
        };
        self.assert_quiet_sync();
        run
    }

    /// A sync that writes nothing anywhere: one read, no write request, no CINNOX write.
    pub fn assert_quiet_sync(&self) {
        self.fake.reset_counts();
        let writes = self.writes();
        let (c, v) = self.sync();
        assert!(c == 0 || c == 1, "{v:#}");
        let n = self.fake.counts();
        assert_eq!((n.reads, n.writes()), (1, 0), "a quiet sync: {n:?} {v:#}");
        assert_eq!(v["rows_written"], 0, "{v:#}");
        assert_eq!(
            (v["calls"]["create"].as_u64(), v["calls"]["update"].as_u64()),
            (Some(0), Some(0)),
            "{v:#}"
        );
        assert_eq!(self.writes(), writes, "the sandbox saw writes");
    }

    /// Create and update requests the sandbox answered.
    pub fn writes(&self) -> u64 {
        let s = self.sb.sandbox().stats();
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

    /// The tab as shown: the header, then each row as column → text.
    pub fn rows(&self) -> Vec<BTreeMap<String, String>> {
        let shown = self.fake.shown(BOOK, TAB);
        let Some((h, rows)) = shown.split_first() else {
            return Vec::new();
        };
        rows.iter()
            .filter(|r| r.iter().any(|c| !c.is_empty()))
            .map(|r| {
                h.iter()
                    .enumerate()
                    .map(|(i, k)| (k.clone(), r.get(i).cloned().unwrap_or_default()))
                    .collect()
            })
            .collect()
    }

    pub fn header(&self) -> Vec<String> {
        self.fake
            .shown(BOOK, TAB)
            .first()
            .cloned()
            .unwrap_or_default()
    }

    pub fn row_of(&self, id: &str) -> Option<BTreeMap<String, String>> {
        self.rows()
            .into_iter()
            .find(|r| r.get("CINNOX ID").map(String::as_str) == Some(id))
    }

    /// Types into the cell of `column` in the row (0-based, after the header) as
    /// a person would.
    pub fn type_at(&self, row: usize, column: &str, cell: Cell) {
        let col = self
            .header()
            .iter()
            .position(|h| h == column)
            .unwrap_or_else(|| panic!("no column {column}"));
        self.fake.type_cell(BOOK, TAB, row + 1, col, cell);
    }

    /// The 0-based data row holding `id`.
    pub fn index_of(&self, id: &str) -> usize {
        let col = self.header().iter().position(|h| h == "CINNOX ID").unwrap();
        self.fake.with_tab(BOOK, TAB, |t| {
            t.rows
                .iter()
                .skip(1)
                .position(|r| r.get(col).map(Cell::shown).as_deref() == Some(id))
                .unwrap_or_else(|| panic!("no row for {id}"))
        })
    }

    /// Changes the data rows (the header stays) as a person would.
    pub fn edit_rows(&self, f: impl FnOnce(&mut Vec<Vec<Cell>>)) {
        self.fake.with_tab(BOOK, TAB, |t| {
            let mut data: Vec<Vec<Cell>> = t.rows.drain(1..).collect();
            f(&mut data);
            t.rows.extend(data);
        });
    }
}
