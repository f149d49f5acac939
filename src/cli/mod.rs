//! The command line: clap definitions, the global options (verbosity, colour, log
//! format; `logging` sets them up), and dispatch to one file per command. Commands return an exit code: 0 clean, 1 finished with findings
//! (violations, rejected records, conflicts); errors become exit 2 in `main`.
//! `plan`, `sync`, `apply` and `import` parse their arguments into a `job::Request`,
//! run it through `run_job` (one runtime, progress `bars`, Ctrl-C and SIGTERM
//! through `signals`, the hints of `report`) and print what comes back (`report`).
//! `serve` runs jobs as a service (`crate::serve`); `subscribe` registers its URL
//! for CINNOX's contact events (and `unsubscribe`, `subscriptions`).

pub mod apply;
pub mod audit;
pub mod audit_cinnox;
pub mod audit_list;
pub mod bars;
pub mod check;
pub mod check_print;
pub mod completions;
pub mod history;
pub mod import;
pub mod init;
pub mod logging;
pub mod man;
pub mod plan;
pub mod progress;
pub mod report;
pub mod sandbox;
pub mod serve;
pub mod signals;
pub mod source;
pub mod subscribe;
pub mod sync;

use crate::cinnox::pacing::Pacers;
use crate::job::{self, Context, Finished, Request, Summary};
use clap::{Parser, Subcommand};
use logging::{ColorWhen, LogFormat, LogOptions};
use std::process::ExitCode;

/// Where every command's --help lists the options all commands share.
const GLOBAL: &str = "Global options";

/// Keep CINNOX external contacts in agreement with Google Sheets and CSV contact lists.
#[derive(Debug, Parser)]
#[command(name = "cinnox-sync", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// More log output on stderr (-v: debug, -vv: trace). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = GLOBAL)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose", help_heading = GLOBAL)]
    pub quiet: bool,
    /// Colour in log lines: auto (only when stderr is a terminal and NO_COLOR is
    /// not set), always, never.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value_t,
        help_heading = GLOBAL
    )]
    pub color: ColorWhen,
    /// How log lines are written on stderr: text, or json (one object a line,
    /// for a log collector; a failure's reason is such a line too).
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "FORMAT",
        env = "CINNOX_SYNC_LOG_FORMAT",
        default_value_t,
        help_heading = GLOBAL
    )]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The logging options, for `logging::init`.
    pub fn log_options(&self) -> LogOptions {
        LogOptions {
            verbose: self.verbose,
            quiet: self.quiet,
            color: self.color,
            format: self.log_format,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Sandbox(sandbox::SandboxArgs),
    Audit(audit::AuditArgs),
    Init(init::InitArgs),
    Check(check::CheckArgs),
    /// Show what a sync would do (every create, update, row change, conflict, skip).
    Plan(plan::PlanArgs),
    /// Apply a plan saved by `plan --out`, skipping what changed since.
    Apply(apply::ApplyArgs),
    /// Two-way sync between a contact list (CSV or Google Sheet) and CINNOX: plan and apply in one run.
    Sync(sync::SyncArgs),
    /// One-way import of a CSV file, an Excel workbook or a Google Sheet into CINNOX (create or update by match keys).
    Import(import::ImportArgs),
    /// Recent runs of a job, with counts and outcome.
    History(history::HistoryArgs),
    Serve(serve::ServeArgs),
    Subscribe(subscribe::SubscribeArgs),
    Unsubscribe(subscribe::UnsubscribeArgs),
    Subscriptions(subscribe::SubscriptionsArgs),
    Completions(completions::CompletionsArgs),
    Man(man::ManArgs),
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    progress::hide(cli.quiet);
    match cli.command {
        Command::Sandbox(args) => sandbox::run(args),
        Command::Audit(args) => audit::run(args, cli.quiet),
        Command::Init(args) => init::run(args),
        Command::Check(args) => check::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Sync(args) => sync::run(args),
        Command::Import(args) => import::run(args),
        Command::History(args) => history::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Subscribe(args) => subscribe::subscribe(args),
        Command::Unsubscribe(args) => subscribe::unsubscribe(args),
        Command::Subscriptions(args) => subscribe::subscriptions(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
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

/// Runs `f` with the context of a command that reads or calls but is not a run
/// (audit, init, subscribe): one runtime, one pacer set, progress bars on stderr
/// when `bars` (else none), and no stop token anyone sets.
pub(crate) fn in_context<T>(
    bars: bool,
    f: impl for<'c> AsyncFnOnce(&'c Context<'c>) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let rt = runtime()?;
    let shown = bars.then(bars::Bars::new);
    let progress: &dyn crate::job::Progress = match &shown {
        Some(b) => b,
        None => &crate::job::Silent,
    };
    let pacers = Pacers::new();
    let ctx = Context::new(progress, &pacers);
    rt.block_on(f(&ctx))
}

/// Prints the summary and turns it into the exit code.
pub(crate) fn finish(summary: &Summary, json: bool) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    report::print_summary(summary, json, &mut out, &mut std::io::stderr().lock())?;
    Ok(ExitCode::from(summary.exit_code))
}

/// Writes text to stdout; a reader that stops early (`| head`) is no failure.
pub fn print_stdout(text: &[u8]) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}
