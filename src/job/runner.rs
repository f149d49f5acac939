//! The one entry point under every command that runs a job: `run` takes a request
//! (the job file, the list named besides it, and a mode: plan, sync, apply a saved
//! plan, import) and a context, does the start-up every mode shares (load the job,
//! resolve and open the list, open CINNOX and the state, begin the run record), runs
//! the mode and returns the summary with what the caller prints (the plan). It
//! prints nothing and never exits the process: a failure is the summary's error.
//! A run whose context's `Cancel` is set stops between writes; its summary (and
//! its run record) says so (`Outcome::Interrupted`), with its true counts.

use super::cinnox::{CinnoxHandle, open_cinnox};
use super::context::Context;
use super::file::Job;
use super::import::{ImportOptions, import};
use super::list::{self, ListChoice};
use super::saved::SavedPlan;
use super::state::{self, record};
use super::summary::{Summary, error_text};
use super::watched::Watched;
use crate::engine::apply::ApplyReport;
use crate::engine::import::ImportPlan;
use crate::engine::run::{RunOptions, apply_saved, sync};
use crate::engine::{Plan, Remote, RemoteError, RunError};
use crate::mapping::Mapping;
use crate::sources::{AnyStore, ListSource, Store};
use crate::state::StateStore;
use anyhow::Context as _;
use std::path::PathBuf;

/// How a job is run.
#[derive(Clone, Debug)]
pub enum Mode {
    /// What a sync would do; writes nothing, not even the state file.
    Plan { add_id_column: bool },
    /// Plan and apply in one run (or only plan, `dry_run`).
    Sync {
        dry_run: bool,
        force: bool,
        add_id_column: bool,
    },
    /// Apply a plan saved by `plan --out`.
    Apply { plan: PathBuf, force: bool },
    /// A one-way import of the list into CINNOX.
    Import(ImportOptions),
}

impl Mode {
    fn command(&self) -> &'static str {
        match self {
            Mode::Plan { .. } => "plan",
            Mode::Sync { .. } => "sync",
            Mode::Apply { .. } => "apply",
            Mode::Import(_) => "import",
        }
    }
}

/// A job to run.
#[derive(Clone, Debug)]
pub struct Request {
    /// The job file (an import may go without: CINNOX from the environment).
    pub job: Option<PathBuf>,
    /// A list named besides the job (a FILE, a sheet), winning over the job's.
    pub list: ListChoice,
    pub mode: Mode,
}

/// What a run gives back.
#[derive(Debug)]
pub struct Finished {
    pub summary: Summary,
    /// The sync plan made (plan, sync), for printing or saving.
    pub plan: Option<Plan>,
    /// The import plan made, for printing a dry run.
    pub import: Option<ImportPlan>,
    /// What applying the sync plan did, record by record (a service shows it).
    pub report: Option<ApplyReport>,
    /// The job file the run used.
    pub job_file: Option<PathBuf>,
}

/// Runs a job in its mode; see the module doc.
pub async fn run(ctx: &Context<'_>, req: &Request) -> Finished {
    let mut summary = Summary::new(req.mode.command(), String::new(), String::new());
    summary.job = req.job.as_ref().map(|j| j.display().to_string());
    let mut done = Finished {
        summary,
        plan: None,
        import: None,
        report: None,
        job_file: None,
    };
    let result = match &req.mode {
        Mode::Plan { add_id_column } => {
            run_sync(ctx, req, true, false, *add_id_column, &mut done).await
        }
        Mode::Sync {
            dry_run,
            force,
            add_id_column,
        } => run_sync(ctx, req, *dry_run, *force, *add_id_column, &mut done).await,
        Mode::Apply { plan, force } => run_apply(ctx, req, plan, *force, &mut done).await,
        Mode::Import(opts) => import(ctx, req, opts, &mut done).await,
    };
    if let Err(e) = result {
        done.summary.error = Some(error_text(&e));
        done.summary.settle(false);
    }
    if done.summary.interrupted.is_none() {
        settle_stop(ctx, &mut done.summary);
    }
    done
}

/// When the run was asked to stop, says so in the summary (before it is recorded).
pub(super) fn settle_stop(ctx: &Context<'_>, summary: &mut Summary) {
    if let Some(stop) = ctx.cancel.stopped() {
        let list = summary.list.clone();
        summary.with_stop(stop, &list);
    }
}

/// The job file a mode that needs one names.
fn load_job(req: &Request) -> anyhow::Result<Job> {
    let path = req
        .job
        .as_deref()
        .context("name the job file with --config JOB.toml")?;
    Ok(Job::load(path)?)
}

/// What a sync or an apply runs on, opened.
struct Opened {
    mapping: Mapping,
    store: AnyStore,
    cinnox: CinnoxHandle,
    state: StateStore,
    /// The run record's id (0 for a run that writes nothing, which has none).
    run_id: i64,
}

/// The start-up of a run on a job: the mapping, the list, CINNOX, then the state
/// (with the run lock and a run record when the run `writes`); the summary learns
/// the list, the state file and the run id.
async fn open(
    ctx: &Context<'_>,
    job: &Job,
    source: &ListSource,
    writes: bool,
    done: &mut Finished,
) -> anyhow::Result<Opened> {
    done.job_file = Some(job.origin.clone());
    let summary = &mut done.summary;
    summary.job = Some(job.origin.display().to_string());
    summary.list = source.describe();
    summary.state = job.state.display().to_string();
    let mapping = Mapping::load_or_builtin(job.mapping.as_deref())?;
    let store = list::open(source, Some(&job.origin), ctx).await?;
    let cinnox = open_cinnox(Some(job), ctx).await?;
    let mut state = state::open(&job.state, writes)?;
    let run_id = if writes {
        state.begin_run(summary.command)?
    } else {
        0
    };
    // Under the run lock: no run of this job is writing the list now.
    let mut store = store;
    if writes {
        let removed = store.remove_leftovers()?;
        if !removed.is_empty() {
            summary.note(format!(
                "removed {} temporary copies of the list that an interrupted run left (they held the whole list): {}",
                removed.len(),
                removed.join(", ")
            ));
        }
    }
    summary.run_id = writes.then_some(run_id);
    Ok(Opened {
        mapping,
        store,
        cinnox,
        state,
        run_id,
    })
}

/// Plan, or plan and apply. Whether a missing id column is added unasked is the
/// store's to say (`Capabilities::columns_on_request`).
async fn run_sync(
    ctx: &Context<'_>,
    req: &Request,
    dry_run: bool,
    force: bool,
    add_id_column: bool,
    done: &mut Finished,
) -> anyhow::Result<()> {
    done.summary.dry_run = dry_run;
    let job = load_job(req)?;
    let source = list::resolve(&req.list, Some(&job))?;
    let mut o = open(ctx, &job, &source, !dry_run, done).await?;
    let summary = &mut done.summary;
    let opts = RunOptions {
        dry_run,
        force,
        require_sync_columns: o.store.capabilities().columns_on_request && !add_id_column,
        cancel: ctx.cancel.clone(),
    };
    let result = sync(
        &mut o.store,
        &mut Watched::new(&mut o.cinnox.client, ctx),
        &mut o.state,
        o.run_id,
        &o.mapping,
        &job.policy,
        opts,
    )
    .await;
    summary.calls = Remote::calls(&o.cinnox.client);
    match result {
        Ok(run) => {
            summary.with_plan(&run.plan);
            summary.with_outcome(run.guard.as_ref(), run.report.as_ref(), run.notes);
            done.plan = Some(run.plan);
            done.report = run.report;
        }
        // Stopped while reading: told by `settle_stop`.
        Err(RunError::Remote(RemoteError::Stopped)) => {}
        Err(e) => summary.with_run_error(e),
    }
    settle_stop(ctx, summary);
    if !dry_run {
        record(&mut o.state, o.run_id, summary);
    }
    Ok(())
}

/// Applies a saved plan to the job it was made from (or the one named).
async fn run_apply(
    ctx: &Context<'_>,
    req: &Request,
    plan: &std::path::Path,
    force: bool,
    done: &mut Finished,
) -> anyhow::Result<()> {
    let saved = SavedPlan::load(plan)?;
    let job = Job::load(req.job.as_deref().unwrap_or(&saved.job))?;
    let mut o = open(ctx, &job, &job.source, true, done).await?;
    let summary = &mut done.summary;
    summary.with_plan(&saved.plan);
    let result = apply_saved(
        &saved.plan,
        force,
        &mut o.store,
        &mut Watched::new(&mut o.cinnox.client, ctx),
        &mut o.state,
        o.run_id,
        &o.mapping,
        &job.policy,
        &ctx.cancel,
    )
    .await;
    summary.calls = Remote::calls(&o.cinnox.client);
    match result {
        Ok(run) => {
            summary.with_outcome(run.guard.as_ref(), run.report.as_ref(), run.notes);
        }
        Err(RunError::Remote(RemoteError::Stopped)) => {}
        Err(e) => summary.with_run_error(e),
    }
    settle_stop(ctx, summary);
    record(&mut o.state, o.run_id, summary);
    Ok(())
}
