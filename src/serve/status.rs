//! What the service's status shows, as data (`/status.json`; a page at `/` is
//! only a view of it): per job, its schedule, whether it runs now, the next run and
//! why, the webhook deliveries waiting, its last runs (from the state file's
//! history, with outcome, counts and error) and the open problems of the last run
//! that planned (unresolved conflicts, rows CINNOX refused, ambiguous matches,
//! invalid rows, a guard), each with the line of the list and the column as the
//! list writes it. Never the webhook secret.

use super::jobs::ServedJob;
use crate::engine::Action;
use crate::engine::apply::ApplyReport;
use crate::engine::plan::Plan;
use crate::job::Summary;
use crate::mapping::{ConflictPolicy, Mapping};
use crate::model::FieldId;
use crate::state::{StateStore, SystemClock};
use serde::Serialize;
use std::sync::Arc;

/// Runs listed per job.
pub const LAST_RUNS: usize = 10;

#[derive(Debug, Serialize)]
pub struct Status {
    pub version: &'static str,
    pub started_at: String,
    /// False once the service is stopping.
    pub accepting: bool,
    pub jobs: Vec<JobStatus>,
}

#[derive(Debug, Serialize)]
pub struct JobStatus {
    pub name: String,
    pub job_file: String,
    pub list: String,
    pub schedule: String,
    /// Since when it runs, and why (`start`, `schedule`, `webhooks`).
    pub running: Option<Running>,
    pub next_run: Option<NextRun>,
    /// Accepted deliveries no sync has covered yet.
    pub waiting_deliveries: u64,
    pub last_runs: Vec<RunStatus>,
    /// The run the problems come from (`None`: no run planned yet in this process).
    pub problems_run: Option<i64>,
    pub problems: Vec<Problem>,
    /// The state file could not be read (its history is then missing above).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Running {
    pub since: String,
    pub trigger: &'static str,
}

#[derive(Debug, Serialize)]
pub struct NextRun {
    pub at: String,
    pub why: &'static str,
}

#[derive(Debug, Serialize)]
pub struct RunStatus {
    pub id: i64,
    pub command: String,
    /// What started it, for runs of this process.
    pub trigger: Option<&'static str>,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub outcome: String,
    pub exit_code: Option<i32>,
    /// The plan's counts (creates, updates, rows_changed, conflicts...).
    pub counts: Option<serde_json::Value>,
    pub rows_written: Option<u64>,
    pub error: Option<String>,
}

/// One thing a person must settle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `conflict`, `rejected`, `unanswered`, `ambiguous`, `invalid`, `skipped`,
    /// `guard`, `failed`.
    pub kind: &'static str,
    /// The line of the list (the header is line 1).
    pub line: Option<usize>,
    pub contact: Option<String>,
    /// The column, as the list writes it.
    pub column: Option<String>,
    pub message: String,
}

/// The problems of a run that planned: from its plan, what apply reported, and
/// its guard or error.
pub fn problems(
    plan: Option<&Plan>,
    report: Option<&ApplyReport>,
    summary: &Summary,
    mapping: Option<&Mapping>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    for rec in plan.map(|p| p.records.as_slice()).unwrap_or_default() {
        let line = rec.row.as_ref().map(|r| r.line);
        let contact = rec.contact.as_ref().map(|c| c.id.clone());
        for a in &rec.actions {
            let (kind, column, message) = match a {
                Action::Conflict(k) if k.policy == ConflictPolicy::Report => (
                    "conflict",
                    column_of(mapping, k.field),
                    format!(
                        "changed in both: the list has {:?}, CINNOX has {:?}",
                        k.source, k.cinnox
                    ),
                ),
                Action::Skip { reason } => {
                    let kind = if reason.starts_with(crate::engine::plan::INVALID_PREFIX) {
                        "invalid"
                    } else if ambiguous(rec.status.as_deref(), reason) {
                        "ambiguous"
                    } else {
                        "skipped"
                    };
                    (kind, None, reason.clone())
                }
                _ => continue,
            };
            out.push(Problem {
                kind,
                line,
                contact: contact.clone(),
                column,
                message,
            });
        }
    }
    if let Some(r) = report {
        for (kind, list) in [("rejected", &r.rejected), ("unanswered", &r.unknown)] {
            out.extend(list.iter().map(|p| Problem {
                kind,
                line: p.line,
                contact: p.contact_id.clone(),
                column: None,
                message: p.message.clone(),
            }));
        }
    }
    let whole = |kind, message: &str| Problem {
        kind,
        line: None,
        contact: None,
        column: None,
        message: message.to_string(),
    };
    if let Some(g) = &summary.guard {
        out.push(whole("guard", &g.message));
    }
    if let Some(e) = &summary.error {
        out.push(whole("failed", e));
    }
    out
}

/// Whether a skip is a match that is not one-to-one. The planner says so in the
/// status it gives the row (only when the cell changes) and in its reason.
fn ambiguous(status: Option<&str>, reason: &str) -> bool {
    status.is_some_and(|s| s.starts_with("ambiguous"))
        || reason.starts_with("matches ")
        || reason.contains(" rows match contact ")
}

/// The column that holds `field`, as the mapping (and so the list) writes it.
fn column_of(mapping: Option<&Mapping>, field: FieldId) -> Option<String> {
    let m = mapping?;
    m.columns
        .iter()
        .find(|(_, f)| *f == field)
        .map(|(h, _)| h.clone())
        .or_else(|| {
            m.typed
                .iter()
                .find(|t| t.kind.fields().contains(&field))
                .map(|t| t.value_column.clone())
        })
}

/// The status of one job now.
pub fn job_status(j: &ServedJob) -> JobStatus {
    let live = j.live();
    let mut out = JobStatus {
        name: j.name.clone(),
        job_file: j.file.display().to_string(),
        list: j.job.source.describe(),
        schedule: j.table.describe(),
        running: live.running.map(|(since, trigger)| Running {
            since: crate::state::clock::stamp(since),
            trigger,
        }),
        next_run: live.next.map(|(at, why)| NextRun {
            at: crate::state::clock::stamp(at),
            why,
        }),
        waiting_deliveries: j.debounce().waiting(),
        last_runs: Vec::new(),
        problems_run: live.problems.as_ref().and_then(|p| p.0),
        problems: live
            .problems
            .as_ref()
            .map(|p| p.1.clone())
            .unwrap_or_default(),
        error: None,
    };
    let triggers = live.triggers.clone();
    drop(live);
    let runs = StateStore::open_to_read(&j.job.state, Arc::new(SystemClock))
        .and_then(|s| s.recent_runs(LAST_RUNS));
    match runs {
        Ok(runs) => {
            out.last_runs = runs
                .into_iter()
                .map(|r| {
                    let s = r.summary.as_ref();
                    let get = |k: &str| s.and_then(|s| s.get(k)).cloned();
                    RunStatus {
                        trigger: triggers.get(&r.id).copied(),
                        id: r.id,
                        command: r.command,
                        started_at: r.started_at,
                        finished_at: r.finished_at,
                        outcome: r.outcome,
                        exit_code: r.exit_code,
                        counts: get("counts"),
                        rows_written: get("rows_written").and_then(|v| v.as_u64()),
                        error: get("error").and_then(|v| v.as_str().map(String::from)),
                    }
                })
                .collect();
        }
        Err(e) => out.error = Some(e.to_string()),
    }
    out
}
