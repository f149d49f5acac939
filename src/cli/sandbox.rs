//! `cinnox-sync sandbox`: runs the local CINNOX of `crate::sandbox` until Ctrl-C,
//! after printing where it listens and the credentials to use. A thin wrapper: the
//! flags become a `SandboxConfig`.

use crate::cinnox::Secret;
use crate::sandbox::{self, Faults, SandboxConfig, WebhookForm};
use anyhow::Context;
use clap::Args;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  # A throw-away CINNOX in memory, with 200 realistic contacts:
  cinnox-sync sandbox --seed-contacts 200

  # Keep its data between runs, with fixed credentials:
  cinnox-sync sandbox --db sandbox.db --app-id demo --app-token demo-token

  # A rough day at CINNOX: 20% of answers are 502, 50 ms latency, and one create
  # in ten is stored but its answer lost (repeatable with --fault-seed):
  cinnox-sync sandbox --fault 5xx=0.2 --fault latency=50ms --fault lost-create=0.1 --fault-seed 7

  # A free port, no rate limit (tests):
  cinnox-sync sandbox --listen 127.0.0.1:0 --rate-limit 0

  # Webhooks flat, as the Zapier triggers of CINNOX show them (status, name):
  cinnox-sync sandbox --webhook-form flat

Point a job at it with the printed CINNOX_BASE_URL, CINNOX_APP_ID and CINNOX_APP_TOKEN.
Dashboard actions (delete, merge, transfer, edit), seeding, faults and request stats
are under http://ADDR/sandbox/... (see docs/cinnox-side.md).";

/// Run a local server that behaves like CINNOX's Open API, for demos, dry runs and tests.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct SandboxArgs {
    /// Address to listen on; port 0 picks a free port (the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8650")]
    pub listen: SocketAddr,
    /// Keep contacts, staff and subscriptions in this SQLite file (created when
    /// missing), so a restart keeps everything. Without it, data lives in memory.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// The App ID clients must use [default: the one saved in --db, else generated].
    #[arg(long, value_name = "ID")]
    pub app_id: Option<String>,
    /// The App Token clients must send [default: the one saved in --db, else generated].
    #[arg(long, value_name = "TOKEN")]
    pub app_token: Option<String>,
    /// Requests per minute before answering 6451010 / HTTP 429 (CINNOX allows 500);
    /// 0 turns the limit off.
    #[arg(long, value_name = "N", default_value_t = sandbox::DEFAULT_RATE_LIMIT)]
    pub rate_limit: u32,
    /// Generate this many realistic contacts when the store is empty.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed_contacts: usize,
    /// Inject a fault (repeatable): 5xx=SHARE (answers become 502 / 6451001),
    /// latency=DURATION (e.g. 50ms), lost-create=SHARE (a create is stored, its
    /// answer lost). SHARE is 0..1 or a percentage.
    #[arg(long = "fault", value_name = "KIND=VALUE", value_parser = check_fault)]
    pub faults: Vec<String>,
    /// Seed of the fault dice, for repeatable runs.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_seed: u64,
    /// How webhook deliveries are written: `wrapped` ({"type":"message",
    /// "message":{...}}, the contract) or `flat` ({"status","name","fromOwnerID",
    /// "toOwnerID"}, as CINNOX's Zapier triggers show them). A receiver must take both.
    #[arg(long, value_name = "FORM", default_value = "wrapped")]
    pub webhook_form: WebhookForm,
}

fn check_fault(spec: &str) -> Result<String, String> {
    Faults::default().apply_spec(spec)?;
    Ok(spec.to_string())
}

impl SandboxArgs {
    fn config(&self) -> Result<SandboxConfig, String> {
        let mut faults = Faults::default();
        for spec in &self.faults {
            faults.apply_spec(spec)?;
        }
        Ok(SandboxConfig {
            listen: self.listen,
            db: self.db.clone(),
            app_id: self.app_id.clone(),
            app_token: self.app_token.clone().map(Secret::new),
            rate_limit: Some(self.rate_limit).filter(|n| *n > 0),
            seed_contacts: self.seed_contacts,
            faults,
            fault_seed: self.fault_seed,
            webhook_form: self.webhook_form,
            ..SandboxConfig::default()
        })
    }
}

pub fn run(args: SandboxArgs) -> anyhow::Result<ExitCode> {
    let config = args.config().map_err(anyhow::Error::msg)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(serve(config))
}

async fn serve(config: SandboxConfig) -> anyhow::Result<ExitCode> {
    let data = match &config.db {
        Some(p) => p.display().to_string(),
        None => "in memory (gone when it stops)".to_string(),
    };
    let limit = match config.rate_limit {
        Some(n) => format!("{n} requests/min"),
        None => "off".into(),
    };
    let faults = describe_faults(&config.faults);
    let form = match config.webhook_form {
        WebhookForm::Wrapped => "wrapped",
        WebhookForm::Flat => "flat",
    };
    let running = sandbox::start(config)
        .await
        .context("starting the sandbox")?;
    let banner = format!(
        "CINNOX sandbox listening on {url}\n  data: {data} ({n} contacts)\n  rate limit: {limit}\n  faults: {faults}\n  webhooks: {form} form\n\
         Use these credentials:\n  export CINNOX_BASE_URL={url}\n  export CINNOX_APP_ID={app}\n  export CINNOX_APP_TOKEN={token}\n\
         Press Ctrl-C to stop.\n",
        url = running.base_url(),
        n = running.contact_count(),
        app = running.app_id(),
        // The sandbox's own token, printed on purpose: it is what the user needs.
        token = running.app_token().expose(),
    );
    let mut out = std::io::stdout().lock();
    out.write_all(banner.as_bytes())?;
    out.flush()?;
    drop(out);
    stop_signal().await?;
    tracing::info!("stopping the sandbox");
    running.shutdown().await.context("stopping the sandbox")?;
    Ok(ExitCode::SUCCESS)
}

fn describe_faults(f: &Faults) -> String {
    let mut parts = Vec::new();
    if f.server_error > 0.0 {
        parts.push(format!("5xx={}", f.server_error));
    }
    if f.latency_ms > 0 {
        parts.push(format!("latency={}ms", f.latency_ms));
    }
    if f.lost_create > 0.0 {
        parts.push(format!("lost-create={}", f.lost_create));
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

/// Ctrl-C, or SIGTERM on Unix (service managers and `kill`).
async fn stop_signal() -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.context("listening for Ctrl-C")?,
            _ = term.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c()
            .await
            .context("listening for Ctrl-C")
    }
}
