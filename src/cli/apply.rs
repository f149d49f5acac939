//! `cinnox-sync apply PLAN.json [--config JOB.toml] [--json] [--force]`: applies a
//! plan saved by `plan --out`, after reading both sides afresh. An action whose row
//! or contact changed since the plan is skipped and listed (exit 1); nothing is
//! clobbered. A plan a guard refuses (then or now) needs `--force` (exit 2).

use super::{finish, run_job};
use crate::job::{ListChoice, Mode, Request};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

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
refused by a guard; 130 / 143 stopped by Ctrl-C / SIGTERM between writes.";

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
    let done = run_job(&Request {
        job: args.config.clone(),
        list: ListChoice::default(),
        mode: Mode::Apply {
            plan: args.plan.clone(),
            force: args.force,
        },
    })?;
    finish(&done.summary, args.json)
}
