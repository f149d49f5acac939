//! `cinnox-sync serve JOB.toml... [--listen ADDR]`: runs the jobs as a service
//! (`serve`): on their schedules and on CINNOX's contact webhooks, with health,
//! readiness, metrics and status endpoints. Exits 0 after SIGTERM or SIGINT.

use crate::serve::{self, Options};
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  # One job, every 15 minutes and on webhooks ([serve] every = \"15m\" in the job):
  cinnox-sync serve job.toml

  # Two jobs on one tenant (they share its request budget), behind a reverse proxy:
  cinnox-sync serve sales.toml support.toml --listen 127.0.0.1:8080

  # Then register the public URL with CINNOX (serve must be reachable there):
  cinnox-sync subscribe --config job.toml --url https://sync.example.com

What it serves:
  POST /webhooks/cinnox/<secret>   CINNOX's contact events (the path is printed at start)
  GET  /healthz  /readyz           liveness, readiness (503 while stopping)
  GET  /metrics                    Prometheus text format
  GET  /status.json                each job: last runs, next run, open problems
  GET  /                           the same as a page for a person (phone or desktop)

The job's [serve] table: every = \"15m\" or cron = \"0 */2 * * *\", jitter, at_start,
settle, min_gap, max_delay (docs/serve.md). SIGTERM or SIGINT: stops accepting,
lets a sync going on stop safely, exits 0; a second signal exits at once.
Exit code 2: a job file or the address is wrong (the message says which).";

/// Run jobs as a service: on their schedules and on CINNOX webhooks.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ServeArgs {
    /// The job files, each with a [serve] table.
    #[arg(required = true, value_name = "JOB.toml")]
    pub jobs: Vec<PathBuf>,
    /// Where to listen for webhooks, health checks and metrics (port 0: any free
    /// port, printed at start).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    serve::run(Options {
        jobs: args.jobs,
        listen: args.listen,
    })?;
    Ok(ExitCode::SUCCESS)
}
