//! The summary of a run, whatever its mode: the counts, the remote calls by kind,
//! the rows written, the problems and notes, the outcome and the exit code, filled
//! from the plan, the apply report, the guard or the error, and settled into an
//! outcome. Data only: the command line prints it (text, or one JSON object), a
//! service would serve it, and the state file's run record keeps it as JSON.

use crate::engine::apply::ApplyReport;
use crate::engine::detail::Entry;
use crate::engine::plan::{Action, Counts, Listed, Plan, Record};
use crate::engine::{Calls, GuardError, RunError, Stop};
use serde::Serialize;

/// How a run ended; decides the exit code.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Everything planned was applied (exit 0).
    Applied,
    /// Nothing was written: a plan or a dry run with nothing left to settle (exit 0).
    Planned,
    /// Finished, with rejected records, unresolved conflicts, invalid rows or stale
    /// actions (exit 1).
    FinishedWithProblems,
    /// A guard stopped the run (exit 2).
    Refused,
    /// The run failed: authentication, IO, a broken file (exit 2).
    Failed,
    /// Asked to stop (Ctrl-C, SIGTERM) and stopped safely between writes (exit 130
    /// for SIGINT, 143 for SIGTERM: `Summary::interrupted` says which).
    Interrupted,
}

impl Outcome {
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Applied | Outcome::Planned => 0,
            Outcome::FinishedWithProblems => 1,
            Outcome::Refused | Outcome::Failed => 2,
            Outcome::Interrupted => Stop::Interrupt.exit_code(),
        }
    }

    /// Its name, as the JSON summary and the history write it.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Planned => "planned",
            Outcome::FinishedWithProblems => "finished_with_problems",
            Outcome::Refused => "refused",
            Outcome::Failed => "failed",
            Outcome::Interrupted => "interrupted",
        }
    }
}

/// The run summary.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub command: &'static str,
    /// When the run started (RFC 3339, UTC), and the job file it ran, if any.
    pub started_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    pub outcome: Outcome,
    pub exit_code: u8,
    pub dry_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<i64>,
    pub list: String,
    pub state: String,
    pub counts: Counts,
    pub calls: Calls,
    pub rows_written: usize,
    /// Import: the file the rejected rows were written to, and how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected_rows: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied: Option<Applied>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guard: Option<Guard>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Set when the run was asked to stop: the signal, what was done and what the
    /// next run does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interrupted: Option<Interrupted>,
    /// One line per thing needing attention: conflicts, invalid rows, rejections,
    /// lost answers, stale actions, ambiguous matches.
    pub problems: Vec<String>,
    /// What the user should know that needs nothing settled: the plan's notes (a
    /// row deleted from the list, an owner edited in it) and how the list was read
    /// (phone numbers a sheet holds as numbers, read as the numbers they stand for).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the run did to each record (kept in the run history, not printed).
    #[serde(skip)]
    pub detail: Vec<Entry>,
    /// Whether a plan was made (a run can fail before).
    #[serde(skip)]
    pub planned: bool,
    /// The run stopped because the list lacks a sync column it was told not to add.
    #[serde(skip)]
    pub missing_sync_columns: bool,
}

/// An error and its causes in one line, each cause once: several layers' messages
/// already quote their source.
pub fn error_text(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !out.contains(&c) {
            out.push_str(": ");
            out.push_str(&c);
        }
    }
    out
}

#[derive(Debug, Default, Serialize)]
pub struct Applied {
    pub created: usize,
    pub updated: usize,
    pub rejected: usize,
    pub unknown: usize,
    pub stale: usize,
    /// Writes planned but not sent: the run was asked to stop.
    #[serde(skip_serializing_if = "is_zero")]
    pub not_sent: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// How a run asked to stop ended.
#[derive(Debug, Serialize)]
pub struct Interrupted {
    /// `SIGINT` or `SIGTERM`.
    pub signal: Stop,
    /// What was done before it stopped, and what the next run does.
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct Guard {
    pub name: &'static str,
    pub message: String,
    /// The guard itself, so a caller can add how to go ahead in its own words.
    #[serde(skip)]
    pub error: GuardError,
}

impl Summary {
    pub fn new(command: &'static str, list: String, state: String) -> Summary {
        Summary {
            command,
            started_at: crate::state::clock::stamp(chrono::Utc::now()),
            job: None,
            outcome: Outcome::Planned,
            exit_code: 0,
            dry_run: false,
            run_id: None,
            list,
            state,
            counts: Counts::default(),
            calls: Calls::default(),
            rows_written: 0,
            rejected_file: None,
            rejected_rows: None,
            applied: None,
            guard: None,
            error: None,
            interrupted: None,
            problems: Vec::new(),
            notes: Vec::new(),
            detail: Vec::new(),
            planned: false,
            missing_sync_columns: false,
        }
    }

    /// Takes in a run that failed. A run that stopped at the list write still says
    /// what it planned and what CINNOX was sent before.
    pub fn with_run_error(&mut self, e: RunError) {
        match e {
            RunError::ListNotWritten {
                error,
                plan,
                done,
                notes,
            } => {
                self.with_plan(&plan);
                self.with_report(&done);
                self.counts.notes += notes.len();
                self.notes.extend(notes);
                self.error = Some(format!(
                    "{error}. What CINNOX was sent is counted above and journalled; nothing was \
                     recorded as agreed, so the next run reads the list as it is and finishes the job"
                ));
                self.settle(true);
            }
            other => {
                self.missing_sync_columns = matches!(other, RunError::MissingSyncColumns { .. });
                self.error = Some(other.to_string());
                self.settle(false);
            }
        }
    }

    /// Takes in the plan's counts and the entries it lists: its problems and notes
    /// are the actions `Action::listed` says, which `Plan::count` counts.
    pub fn with_plan(&mut self, plan: &Plan) {
        self.planned = true;
        // The job's own notes, taken in before the plan, stay counted.
        let own = self.notes.len();
        self.counts = plan.counts.clone();
        self.counts.notes += own;
        for rec in &plan.records {
            for a in &rec.actions {
                let what = match a {
                    Action::Conflict(k) => format!(
                        "conflict on {}: list {}{:?}, CINNOX {:?} ({}: {})",
                        k.name(),
                        k.source_line
                            .map(|l| format!("(line {l}) "))
                            .unwrap_or_default(),
                        k.source,
                        k.cinnox,
                        k.settled_by(),
                        k.resolution
                    ),
                    Action::Skip { reason } => reason.clone(),
                    Action::Note { message, .. } => message.clone(),
                    _ => continue,
                };
                let entry = format!("{}: {what}", where_(rec));
                match a.listed() {
                    Listed::Note => self.notes.push(entry),
                    _ => self.problems.push(entry),
                }
            }
        }
    }

    pub fn with_report(&mut self, r: &ApplyReport) {
        self.rows_written = r.rows_written;
        self.detail = r.detail.clone();
        self.applied = Some(Applied {
            created: r.created,
            updated: r.updated,
            rejected: r.rejected.len(),
            unknown: r.unknown.len(),
            stale: r.stale.len(),
            not_sent: r.not_sent,
        });
        for p in r.rejected.iter().chain(&r.unknown) {
            let at = match (p.line, &p.contact_id) {
                (Some(l), Some(id)) => format!("line {l} ({id})"),
                (Some(l), None) => format!("line {l}"),
                (None, Some(id)) => format!("contact {id}"),
                (None, None) => "?".into(),
            };
            self.problems.push(format!("{at}: {}", p.message));
        }
        self.problems
            .extend(r.stale.iter().map(|s| format!("stale: {s}")));
        if let Some(f) = &r.fatal {
            self.error = Some(format!(
                "CINNOX stopped the run: {f}; what was done before is saved"
            ));
        }
    }

    /// A note of the job's own (not the plan's), listed and so counted.
    pub fn note(&mut self, note: String) {
        self.counts.notes += 1;
        self.notes.push(note);
    }

    /// Takes in how a run that did not fail ended: refused by a guard, or applied
    /// (`report`), or only planned; then settles.
    pub fn with_outcome(
        &mut self,
        guard: Option<&GuardError>,
        report: Option<&ApplyReport>,
        notes: Vec<String>,
    ) {
        if let Some(g) = guard {
            self.with_guard(g);
        }
        if let Some(r) = report {
            self.with_report(r);
        }
        // Listed, so counted: `counts.notes` is the number of notes shown.
        self.counts.notes += notes.len();
        self.notes.extend(notes);
        self.settle(report.is_some());
    }

    pub fn with_guard(&mut self, g: &GuardError) {
        self.guard = Some(Guard {
            name: g.name(),
            message: g.to_string(),
            error: g.clone(),
        });
    }

    /// Decides the outcome and the exit code from what the summary holds.
    pub fn settle(&mut self, wrote: bool) {
        let c = &self.counts;
        let a = self.applied.as_ref();
        // Skips are rows left alone for a reason the user must settle (an ambiguous
        // match, an id in two rows).
        let problems = c.unresolved + c.invalid + c.skips > 0
            || a.is_some_and(|a| a.rejected + a.unknown + a.stale > 0);
        if let Some(i) = &self.interrupted {
            self.outcome = Outcome::Interrupted;
            self.exit_code = i.signal.exit_code();
            return;
        }
        self.outcome = if self.error.is_some() {
            Outcome::Failed
        } else if self.guard.is_some() {
            Outcome::Refused
        } else if problems {
            Outcome::FinishedWithProblems
        } else if wrote {
            Outcome::Applied
        } else {
            Outcome::Planned
        };
        self.exit_code = self.outcome.exit_code();
    }
}

impl Summary {
    /// Takes in that the run was asked to stop by `stop` (and stopped safely):
    /// says what was done before and what the next run does, then settles. `what`
    /// names where the ids of new contacts went (the list; an import's state file).
    pub fn with_stop(&mut self, stop: Stop, ids_kept_in: &str) {
        let sig = stop.signal();
        let message = match &self.applied {
            None => format!(
                "stopped by {sig} before anything was sent to CINNOX; nothing was changed. The next run starts afresh"
            ),
            Some(a) => {
                let mut m = format!(
                    "stopped by {sig} once the write in flight was done: {} created, {} updated",
                    a.created, a.updated
                );
                let failed = a.rejected + a.unknown;
                if failed > 0 {
                    m.push_str(&format!(", {failed} refused or unanswered"));
                }
                if a.created > 0 && self.error.is_none() {
                    m.push_str(&format!(
                        "; the ids of the new contacts are kept in {ids_kept_in}"
                    ));
                }
                if a.not_sent > 0 {
                    m.push_str(&format!(
                        ". {} planned writes were not sent: the next run plans again and sends what is still missing (nothing twice)",
                        a.not_sent
                    ));
                } else {
                    m.push_str(". Every planned write was sent");
                }
                m
            }
        };
        self.interrupted = Some(Interrupted {
            signal: stop,
            message,
        });
        self.settle(self.applied.is_some());
    }
}

/// Where a record is, for messages: `line 4 (c123)`.
pub fn where_(rec: &Record) -> String {
    match (&rec.row, &rec.contact) {
        (Some(r), Some(c)) => format!("line {} ({})", r.line, c.id),
        (Some(r), None) => format!("line {}", r.line),
        (None, Some(c)) => format!("contact {}", c.id),
        (None, None) => "?".into(),
    }
}
