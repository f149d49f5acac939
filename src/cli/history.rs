//! `cinnox-sync history [--config JOB.toml | --state FILE] [--json] [--limit N]`:
//! the recent runs recorded in a state file, newest first, with their counts and
//! outcome. Reads only; works while a run is going on.

use crate::job::Job;
use crate::state::{StateStore, SystemClock};
use anyhow::bail;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

const EXAMPLES: &str = "\
Examples:
  cinnox-sync history --config job.toml
  cinnox-sync history --state contacts.state.db --json --limit 5

A run that never finished (killed, machine down) shows as `interrupted`; the next
run picks up after it (its journal is checked first).";

/// Show recent runs with their counts and outcome.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct HistoryArgs {
    /// The job file whose state to read.
    #[arg(long, short = 'c', value_name = "JOB.toml", conflicts_with = "state")]
    pub config: Option<PathBuf>,
    /// The state file to read.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Print JSON (an array of runs).
    #[arg(long)]
    pub json: bool,
    /// How many runs to show.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

pub fn run(args: HistoryArgs) -> anyhow::Result<ExitCode> {
    let path = match (&args.state, &args.config) {
        (Some(s), _) => s.clone(),
        (None, Some(c)) => Job::load(c)?.state,
        (None, None) => bail!("say which runs: --config JOB.toml or --state FILE"),
    };
    if !path.exists() {
        bail!("{} does not exist: no run has used it yet", path.display());
    }
    let state = StateStore::open_to_read(&path, Arc::new(SystemClock))?;
    let runs = state.recent_runs(args.limit)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&runs)?);
        return Ok(ExitCode::SUCCESS);
    }
    if runs.is_empty() {
        println!("no runs recorded in {}", path.display());
    }
    for r in &runs {
        let n = |k: &str| {
            r.summary
                .as_ref()
                .and_then(|s| s.get("counts"))
                .and_then(|c| c.get(k))
                .and_then(|v| v.as_u64())
                .unwrap_or(0)
        };
        let calls = |k: &str| {
            r.summary
                .as_ref()
                .and_then(|s| s.get("calls"))
                .and_then(|c| c.get(k))
                .and_then(|v| v.as_u64())
                .unwrap_or(0)
        };
        println!(
            "#{:<4} {} {:<6} {:<24} exit {}  creates {} updates {} rows {} appended {} conflicts {}  calls list {} create {} update {}",
            r.id,
            r.started_at,
            r.command,
            r.outcome,
            r.exit_code.map_or("-".to_string(), |c| c.to_string()),
            n("creates"),
            n("updates"),
            n("rows_changed"),
            n("rows_appended"),
            n("conflicts"),
            calls("list"),
            calls("create"),
            calls("update"),
        );
    }
    Ok(ExitCode::SUCCESS)
}
