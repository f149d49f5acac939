//! `cinnox-sync plan --config JOB.toml [--json] [--out PLAN.json]`: every create,
//! update, row change, conflict and skip a sync would make, with its reason, and
//! the counts. Writes nothing (not even the state file); `--out` saves the plan for
//! `cinnox-sync apply`.

use super::job::Job;
use super::sides::open_cinnox;
use super::source::{SheetArgs, open_list, resolve_list};
use super::sync::{finish, print_limited, runtime, state_to_read};
use super::sync_report::Summary;
use super::watched::Watched;
use crate::engine::Remote;
use crate::engine::plan::Plan;
use crate::engine::run::{RunOptions, sync};
use crate::mapping::Mapping;
use anyhow::Context;
use clap::Args;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
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

/// A plan saved by `plan --out`: the job it belongs to and the plan.
#[derive(Debug, Serialize, Deserialize)]
pub struct SavedPlan {
    /// The job file, absolute.
    pub job: PathBuf,
    pub plan: Plan,
}

#[derive(Serialize)]
struct WithPlan<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    plan: Option<&'a Plan>,
}

pub fn run(args: PlanArgs) -> anyhow::Result<ExitCode> {
    let mut summary = Summary::new("plan", String::new(), String::new());
    summary.dry_run = true;
    let rt = runtime()?;
    let plan = match rt.block_on(plan_job(&args, &mut summary)) {
        Ok(p) => Some(p),
        Err(e) => {
            summary.error = Some(super::sync_report::error_text(&e));
            summary.settle(false);
            None
        }
    };
    if args.json {
        let out = WithPlan {
            summary: &summary,
            plan: plan.as_ref(),
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::from(summary.exit_code));
    }
    if let Some(p) = &plan {
        print_limited(p, usize::MAX)?;
    }
    finish(&summary, false)
}

async fn plan_job(args: &PlanArgs, summary: &mut Summary) -> anyhow::Result<Plan> {
    let job = Job::load(&args.config)?;
    let source = resolve_list(None, &args.sheet, Some(&job))?;
    summary.list = source.describe();
    summary.state = job.state.display().to_string();
    let mapping = Mapping::load_or_builtin(job.mapping.as_deref())?;
    let mut store = open_list(&source, Some(&job.origin)).await?;
    let mut cinnox = open_cinnox(&job).await?;
    let mut state = state_to_read(&job.state)?;
    let opts = RunOptions {
        dry_run: true,
        force: false,
        require_sync_columns: store.is_sheet() && !args.add_id_column,
    };
    let run = sync(
        &mut store,
        &mut Watched::new(&mut cinnox.client),
        &mut state,
        0,
        &mapping,
        &job.policy,
        opts,
    )
    .await?;
    summary.calls = Remote::calls(&cinnox.client);
    summary.with_plan(&run.plan);
    if let Some(g) = &run.guard {
        summary.with_guard(g);
    }
    summary.notes.extend(run.notes);
    summary.settle(false);
    if let Some(out) = &args.out {
        save(out, &job.origin, &run.plan)?;
        let force = match &run.guard {
            Some(g) => format!(" --force` (guard {} refused it)", g.name()),
            None => "`".into(),
        };
        eprintln!(
            "plan saved to {}; apply it with `cinnox-sync apply {}{force}",
            out.display(),
            out.display()
        );
    }
    Ok(run.plan)
}

fn save(out: &Path, job: &Path, plan: &Plan) -> anyhow::Result<()> {
    let job = std::path::absolute(job).unwrap_or_else(|_| job.to_path_buf());
    let saved = SavedPlan {
        job,
        plan: plan.clone(),
    };
    let text = serde_json::to_string_pretty(&saved)?;
    std::fs::write(out, text).with_context(|| format!("cannot write the plan to {}", out.display()))
}
