//! The command line: clap definitions, logging set-up, and dispatch to one file per
//! command. Commands return an exit code: 0 clean, 1 finished with findings
//! (violations, rejected records, conflicts); errors become exit 2 in `main`.
//! `plan`, `sync`, `apply` and `import` parse their arguments into a `job::Request`,
//! run it through `run_job` (one runtime, progress `bars`, Ctrl-C and SIGTERM
//! through `signals`, the hints of `report`) and print what comes back (`report`).

pub mod apply;
pub mod audit;
pub mod audit_cinnox;
pub mod bars;
pub mod check;
pub mod check_print;
pub mod history;
pub mod import;
pub mod plan;
pub mod progress;
pub mod report;
pub mod sandbox;
pub mod signals;
pub mod source;
pub mod sync;

use crate::cinnox::pacing::Pacers;
use crate::job::{self, Context, Finished, Request, Summary};
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Keep CINNOX external contacts in agreement with Google Sheets and CSV contact lists.
#[derive(Debug, Parser)]
#[command(name = "cinnox-sync", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// More log output on stderr (-v: debug, -vv: trace). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Sandbox(sandbox::SandboxArgs),
    Audit(audit::AuditArgs),
    Check(check::CheckArgs),
    /// Show what a sync would do (every create, update, row change, conflict, skip).
    Plan(plan::PlanArgs),
    /// Apply a plan saved by `plan --out`, skipping what changed since.
    Apply(apply::ApplyArgs),
    /// Two-way sync between a contact list (CSV or Google Sheet) and CINNOX: plan and apply in one run.
    Sync(sync::SyncArgs),
    /// One-way import of a CSV or a Google Sheet into CINNOX (create or update by match keys).
    Import(import::ImportArgs),
    /// Recent runs of a job, with counts and outcome.
    History(history::HistoryArgs),
}

/// Sets up tracing on stderr. Contact data is logged only at debug and below.
pub fn init_logging(verbose: u8, quiet: bool) {
    use tracing_subscriber::EnvFilter;
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn,cinnox_sync=info",
        (false, 1) => "info,cinnox_sync=debug",
        _ => "debug,cinnox_sync=trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    // yup-oauth2 logs token requests and responses (access tokens, signed JWTs) at
    // debug: keep it at warn whatever RUST_LOG says, so no log ever holds a token.
    let filter = match "yup_oauth2=warn".parse() {
        Ok(d) => filter.add_directive(d),
        Err(_) => filter,
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(progress::LogWriter)
        .with_target(false)
        .try_init();
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    progress::hide(cli.quiet);
    match cli.command {
        Command::Sandbox(args) => sandbox::run(args),
        Command::Audit(args) => audit::run(args, cli.quiet),
        Command::Check(args) => check::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Sync(args) => sync::run(args),
        Command::Import(args) => import::run(args),
        Command::History(args) => history::run(args),
    }
}

/// A tokio runtime for one command (the embedded sandbox serves on it too).
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?)
}

/// Runs a job as every command does: on one runtime, with bars on stderr, Ctrl-C
/// and SIGTERM stopping it safely (`signals`), and this command line's hints added
/// to the summary.
pub(crate) fn run_job(req: &Request) -> anyhow::Result<Finished> {
    let rt = runtime()?;
    let bars = bars::Bars::new();
    let pacers = Pacers::new();
    let ctx = Context::new(&bars, &pacers);
    signals::listen(&rt, ctx.cancel.clone());
    let mut done = rt.block_on(job::run(&ctx, req));
    drop(bars);
    report::add_hints(&mut done.summary);
    Ok(done)
}

/// Prints the summary and turns it into the exit code.
pub(crate) fn finish(summary: &Summary, json: bool) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    report::print_summary(summary, json, &mut out, &mut std::io::stderr().lock())?;
    Ok(ExitCode::from(summary.exit_code))
}
