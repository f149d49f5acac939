//! The jobs a service runs: each job file loaded and checked once at start (it must
//! have a `[serve]` table; names and state files distinct; jobs on one CINNOX
//! service account must give it the same budget, since they share one pacer), its
//! inbox writer opened with its webhook secret, and what the receiver, the job's
//! loop, the status and the metrics share about it while the service runs.

use super::coalesce::Debounce;
use super::inbox::Inbox;
use super::metrics::JobMetrics;
use super::status::Problem;
use crate::cinnox::config::{DEFAULT_REQUESTS_PER_MINUTE, ENV_BASE_URL};
use crate::job::schedule::ServeTable;
use crate::job::{CinnoxSide, Job};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tokio::sync::Notify;

/// Deliveries that may wait in a job's inbox queue (the receiver's in-flight limit
/// keeps it from filling in practice; a full queue refuses with 503).
pub const QUEUE: usize = 4096;

/// One job, while the service runs.
pub struct ServedJob {
    pub name: String,
    pub file: PathBuf,
    pub job: Job,
    pub table: ServeTable,
    /// The last segment of its webhook path. Never logged.
    pub secret: String,
    pub inbox: Inbox,
    pub debounce: Mutex<Debounce>,
    /// Woken when a delivery is accepted (or the service stops).
    pub wake: Notify,
    pub metrics: JobMetrics,
    pub live: Mutex<Live>,
}

/// What a job is doing, for the status and the gauges.
#[derive(Default)]
pub struct Live {
    /// Since when, and why, the job runs.
    pub running: Option<(DateTime<Utc>, &'static str)>,
    /// The next run planned and why (`schedule`, `webhooks`).
    pub next: Option<(DateTime<Utc>, &'static str)>,
    /// What started each run of this process (by run id).
    pub triggers: BTreeMap<i64, &'static str>,
    /// The open problems of the last run that got as far as a plan, and its id.
    pub problems: Option<(Option<i64>, Vec<Problem>)>,
}

impl ServedJob {
    pub fn live(&self) -> std::sync::MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn debounce(&self) -> std::sync::MutexGuard<'_, Debounce> {
        self.debounce.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The webhook path, secret included (for the start-up lines only).
    pub fn webhook_path(&self) -> String {
        format!("/webhooks/cinnox/{}", self.secret)
    }
}

/// Loads and checks the job files; a mistake names the file and what to change.
pub fn load(files: &[PathBuf]) -> anyhow::Result<Vec<(PathBuf, Job, ServeTable, String)>> {
    if files.is_empty() {
        anyhow::bail!("name at least one job file: cinnox-sync serve JOB.toml...");
    }
    let mut out = Vec::new();
    let mut names: HashMap<String, PathBuf> = HashMap::new();
    let mut states: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut budgets: HashMap<String, (u32, PathBuf)> = HashMap::new();
    for file in files {
        let job = Job::load(file)?;
        let Some(table) = job.serve.clone() else {
            anyhow::bail!(
                "{} has no [serve] table: add one, e.g.\n  [serve]\n  every = \"15m\"\n(see docs/serve.md)",
                file.display()
            );
        };
        let name = table.name.clone().unwrap_or_else(|| stem(file));
        if let Some(other) = names.insert(name.clone(), file.clone()) {
            anyhow::bail!(
                "{} and {} are both named {name:?}: give one `name = \"...\"` in its [serve] table",
                other.display(),
                file.display()
            );
        }
        let state = absolute(&job.state);
        if let Some(other) = states.insert(state.clone(), file.clone()) {
            anyhow::bail!(
                "{} and {} use the same state file {}: give each job its own `state`",
                other.display(),
                file.display(),
                state.display()
            );
        }
        if let Some((account, rpm)) = budget(&job) {
            match budgets.get(&account) {
                Some((other_rpm, other)) if *other_rpm != rpm => anyhow::bail!(
                    "{} ({rpm}/min) and {} ({other_rpm}/min) talk to the same CINNOX service account ({account}) with different requests_per_minute: they share one budget, so give both the same",
                    file.display(),
                    other.display()
                ),
                _ => {
                    budgets.insert(account, (rpm, file.clone()));
                }
            }
        }
        out.push((file.clone(), job, table, name));
    }
    Ok(out)
}

/// The service account a job's CINNOX is (its base URL) and the budget it gives it.
fn budget(job: &Job) -> Option<(String, u32)> {
    let CinnoxSide::Remote {
        base_url,
        requests_per_minute,
        ..
    } = &job.cinnox
    else {
        return None;
    };
    let url = base_url
        .clone()
        .or_else(|| std::env::var(ENV_BASE_URL).ok())?;
    let key = url.trim().trim_end_matches('/').to_ascii_lowercase();
    Some((
        key,
        requests_per_minute.unwrap_or(DEFAULT_REQUESTS_PER_MINUTE),
    ))
}

fn stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string())
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn mistakes_across_jobs_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let job = |state: &str, rpm: u32, serve: &str| {
            format!(
                "state = \"{state}\"\n[source]\ncsv = \"c.csv\"\n[cinnox]\nbase_url = \"https://t.example.com\"\napp_id = \"a\"\nrequests_per_minute = {rpm}\n{serve}"
            )
        };
        let e = |files: &[PathBuf]| load(files).err().map(|e| e.to_string()).unwrap_or_default();
        let no_table = write(d, "plain.toml", &job("p.db", 450, ""));
        assert!(e(&[no_table]).contains("no [serve] table"));
        let a = write(d, "a.toml", &job("a.db", 450, "[serve]\nevery = \"1m\""));
        let b = write(d, "b.toml", &job("b.db", 300, "[serve]\nevery = \"1m\""));
        assert!(e(&[a.clone(), b]).contains("same CINNOX service account"));
        let same_state = write(d, "c.toml", &job("a.db", 450, "[serve]\nevery = \"1m\""));
        assert!(e(&[a.clone(), same_state]).contains("same state file"));
        let same_name = write(d, "d.toml", &job("d.db", 450, "[serve]\nname = \"a\""));
        assert!(e(&[a.clone(), same_name]).contains("both named \"a\""));
        let ok = write(
            d,
            "e.toml",
            &job("e.db", 450, "[serve]\ncron = \"*/5 * * * *\""),
        );
        let loaded = load(&[a, ok]).unwrap();
        assert_eq!(loaded.len(), 2);
        assert_eq!(loaded[1].3, "e");
    }
}
