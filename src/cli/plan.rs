//! `cinnox-sync plan --config JOB.toml [--json] [--out PLAN.json]`: every create,
//! update, row change, conflict and skip a sync would make, with its reason, and
//! the counts. Writes nothing (not even the state file); `--out` saves the plan for
//! `cinnox-sync apply`.

use super::report::print_limited;
use super::source::SheetArgs;
use super::{finish, run_job};
use crate::engine::Plan;
use crate::job::summary::{Summary, error_text};
use crate::job::{Mode, Request, SavedPlan};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  # What would a sync do?
  cinnox-sync plan --config job.toml

  # Save it, review it, then apply exactly that (stale actions are skipped):
  cinnox-sync plan --config job.toml --out plan.json
  cinnox-sync apply plan.json

  # Everything as JSON (summary and every action):
  cinnox-sync plan --config job.toml --json

  # The job's settings with another list: a tab of a Google Sheet:
  cinnox-sync plan --config job.toml --sheet 1AbC...xyz/Contacts --credentials sa-key.json

Exit codes: 0 nothing to resolve; 1 the plan holds conflicts or invalid rows;
2 failed, or a guard would stop the sync.";

/// Show (and optionally save) what a sync would do, without writing anything.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct PlanArgs {
    /// The job file.
    #[arg(long, short = 'c', value_name = "JOB.toml")]
    pub config: PathBuf,
    /// Print one JSON object (the summary, with the plan under `plan`).
    #[arg(long)]
    pub json: bool,
    /// Save the plan to this file, for `cinnox-sync apply`.
    #[arg(long, value_name = "PLAN.json")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub sheet: SheetArgs,
    /// Plan adding the CINNOX ID column (and the mapping's status column) when the
    /// sheet lacks it; without it such a sheet is refused, as `sync` refuses it.
    #[arg(long)]
    pub add_id_column: bool,
}

#[derive(Serialize)]
struct WithPlan<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    plan: Option<&'a Plan>,
}

pub fn run(args: PlanArgs) -> anyhow::Result<ExitCode> {
    let mut done = run_job(&Request {
        job: Some(args.config.clone()),
        list: args.sheet.choice(None),
        mode: Mode::Plan {
            add_id_column: args.add_id_column,
        },
    })?;
    let mut plan = done.plan.take();
    if let (Some(out), Some(p), Some(job)) = (&args.out, &plan, &done.job_file) {
        match SavedPlan::save(out, job, p) {
            Ok(()) => {
                let force = match &p.guard {
                    Some(g) => format!(" --force` (guard {} refused it)", g.name()),
                    None => "`".into(),
                };
                eprintln!(
                    "plan saved to {}; apply it with `cinnox-sync apply {}{force}",
                    out.display(),
                    out.display()
                );
            }
            Err(e) => {
                done.summary.error = Some(error_text(&e));
                done.summary.settle(false);
                plan = None;
            }
        }
    }
    if args.json {
        let out = WithPlan {
            summary: &done.summary,
            plan: plan.as_ref(),
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::from(done.summary.exit_code));
    }
    if let Some(p) = &plan {
        print_limited(p, usize::MAX)?;
    }
    finish(&done.summary, false)
}
