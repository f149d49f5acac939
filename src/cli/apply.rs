//! `cinnox-sync apply PLAN.json [--config JOB.toml] [--json] [--force]`: applies a
//! plan saved by `plan --out`, after reading both sides afresh. An action whose row
//! or contact changed since the plan is skipped and listed (exit 1); nothing is
//! clobbered. A plan a guard refuses (then or now) needs `--force` (exit 2).

use super::job::Job;
use super::plan::SavedPlan;
use super::sides::open_cinnox;
use super::source::open_list;
use super::sync::{finish, record, runtime};
use super::sync_report::Summary;
use super::watched::Watched;
use crate::engine::Remote;
use crate::engine::run::apply_saved;
use crate::mapping::Mapping;
use crate::state::{StateStore, SystemClock};
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

const EXAMPLES: &str = "\
Examples:
  cinnox-sync plan --config job.toml --out plan.json
  # ... review plan.json ...
  cinnox-sync apply plan.json

  # The job moved: name it.
  cinnox-sync apply plan.json --config /etc/cinnox/job.toml

  # A guard refused the plan (an empty side, too many changes): after review,
  cinnox-sync apply plan.json --force

Exit codes: 0 all applied; 1 some actions were stale or rejected; 2 failed, or
refused by a guard.";

/// Apply a plan saved by `cinnox-sync plan --out`.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ApplyArgs {
    /// The saved plan.
    #[arg(value_name = "PLAN.json")]
    pub plan: PathBuf,
    /// The job file [default: the one the plan was made from].
    #[arg(long, short = 'c', value_name = "JOB.toml")]
    pub config: Option<PathBuf>,
    /// Print one JSON summary object.
    #[arg(long)]
    pub json: bool,
    /// Apply it even though a guard refused the plan when it was made, or refuses
    /// it on the sides as they are now (an empty side, too large a share of changes).
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: ApplyArgs) -> anyhow::Result<ExitCode> {
    let mut summary = Summary::new("apply", String::new(), String::new());
    let rt = runtime()?;
    if let Err(e) = rt.block_on(apply_job(&args, &mut summary)) {
        summary.error = Some(super::sync_report::error_text(&e));
        summary.settle(false);
    }
    finish(&summary, args.json)
}

async fn apply_job(args: &ApplyArgs, summary: &mut Summary) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(&args.plan)
        .with_context(|| format!("cannot read the plan {}", args.plan.display()))?;
    let saved: SavedPlan = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a plan saved by `cinnox-sync plan --out`",
            args.plan.display()
        )
    })?;
    let job = Job::load(args.config.as_deref().unwrap_or(&saved.job))?;
    summary.list = job.source.describe();
    summary.state = job.state.display().to_string();
    let mapping = Mapping::load_or_builtin(job.mapping.as_deref())?;
    let mut store = open_list(&job.source, Some(&job.origin)).await?;
    let mut cinnox = open_cinnox(&job).await?;
    let mut state = StateStore::open_for_run(&job.state, Arc::new(SystemClock))?;
    let run_id = state.begin_run("apply")?;
    summary.run_id = Some(run_id);
    summary.with_plan(&saved.plan);
    let result = apply_saved(
        &saved.plan,
        args.force,
        &mut store,
        &mut Watched::new(&mut cinnox.client),
        &mut state,
        run_id,
        &mapping,
        &job.policy,
    )
    .await;
    summary.calls = Remote::calls(&cinnox.client);
    match result {
        Ok(run) => {
            if let Some(g) = &run.guard {
                summary.with_guard(g);
            }
            if let Some(r) = &run.report {
                summary.with_report(r);
            }
            summary.notes.extend(run.notes);
            summary.settle(run.report.is_some());
        }
        Err(e) => summary.with_run_error(e),
    }
    record(&mut state, run_id, summary);
    Ok(())
}
