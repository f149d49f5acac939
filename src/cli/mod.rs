//! The command line: clap definitions, logging set-up, and dispatch to one file per
//! command. Commands return an exit code: 0 clean, 1 finished with findings
//! (violations, rejected records, conflicts); errors become exit 2 in `main`.

pub mod apply;
pub mod audit;
pub mod audit_cinnox;
pub mod history;
pub mod import;
pub mod job;
pub mod plan;
pub mod progress;
pub mod sandbox;
pub mod sides;
pub mod source;
pub mod sync;
pub mod sync_report;
pub mod watched;

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
        Command::Plan(args) => plan::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Sync(args) => sync::run(args),
        Command::Import(args) => import::run(args),
        Command::History(args) => history::run(args),
    }
}
