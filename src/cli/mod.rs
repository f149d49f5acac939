//! The command line: clap definitions, the global options (verbosity, colour, log
//! format; `logging` sets them up), and dispatch to one file per command.
//! Commands return an exit code: 0 clean, 1 finished with findings (violations,
//! rejected records, conflicts); errors become exit 2 in `main`.

pub mod apply;
pub mod audit;
pub mod completions;
pub mod history;
pub mod import;
pub mod init;
pub mod job;
pub mod logging;
pub mod man;
pub mod plan;
pub mod progress;
pub mod sandbox;
pub mod sides;
pub mod source;
pub mod sync;
pub mod sync_report;
pub mod watched;

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
        Command::Plan(args) => plan::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Sync(args) => sync::run(args),
        Command::Import(args) => import::run(args),
        Command::History(args) => history::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
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
