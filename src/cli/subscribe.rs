//! `cinnox-sync subscribe --config JOB.toml --url PUBLIC_URL`, `unsubscribe` and
//! `subscriptions`: register where `serve` receives the job's contact events with
//! CINNOX (`contact-event-sub`), remove it, and show it. The URL registered is the
//! public base given plus the job's webhook path, whose secret comes from the
//! job's state file (made there on first use); CINNOX first sends that URL a
//! challenge, so `serve` must be running and reachable there. The secret is never
//! printed: a URL holding it is shown with `<secret>` in its place.

use super::in_context;
use crate::cinnox::{EventSubscription, SubscriptionState};
use crate::job::{Job, cinnox::open_cinnox};
use crate::state::{StateStore, SystemClock};
use anyhow::Context as _;
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

const SUBSCRIBE_EXAMPLES: &str = "\
Examples:
  # serve runs behind a reverse proxy that answers https://sync.example.com:
  cinnox-sync subscribe --config job.toml --url https://sync.example.com

  # The proxy serves cinnox-sync under a path:
  cinnox-sync subscribe --config job.toml --url https://example.com/cinnox-sync

CINNOX posts a challenge to the URL at once and enables the subscription only if
serve echoes it: start `cinnox-sync serve job.toml` first. CINNOX keeps one
contact-event URL per App, so jobs on one App share one subscription.
Exit codes: 0 subscribed; 2 refused (the URL did not answer the challenge) or failed.";

const UNSUBSCRIBE_EXAMPLES: &str = "\
Examples:
  cinnox-sync unsubscribe --config job.toml

The job then syncs only on its schedule. `subscribe` turns it on again.";

const SUBSCRIPTIONS_EXAMPLES: &str = "\
Examples:
  cinnox-sync subscriptions --config job.toml
  cinnox-sync subscriptions --config job.toml --json

Shows whether contact events are on, the URL they go to (the job's secret shown
as <secret>) and whether that URL is this job's.";

/// Register serve's public URL for the job's contact events with CINNOX.
#[derive(Debug, Args)]
#[command(after_help = SUBSCRIBE_EXAMPLES)]
pub struct SubscribeArgs {
    #[arg(long, short = 'c', value_name = "JOB.toml")]
    pub config: PathBuf,
    /// The public base URL where `serve` is reached (the webhook path is added).
    #[arg(long, value_name = "URL")]
    pub url: String,
    #[arg(long)]
    pub json: bool,
}

/// Turn the job's contact-event subscription off.
#[derive(Debug, Args)]
#[command(after_help = UNSUBSCRIBE_EXAMPLES)]
pub struct UnsubscribeArgs {
    #[arg(long, short = 'c', value_name = "JOB.toml")]
    pub config: PathBuf,
    #[arg(long)]
    pub json: bool,
}

/// Show the contact-event subscription of the job's CINNOX App.
#[derive(Debug, Args)]
#[command(after_help = SUBSCRIPTIONS_EXAMPLES)]
pub struct SubscriptionsArgs {
    #[arg(long, short = 'c', value_name = "JOB.toml")]
    pub config: PathBuf,
    #[arg(long)]
    pub json: bool,
}

/// What the three commands print.
#[derive(Debug, Serialize)]
struct Shown {
    enabled: bool,
    /// With the job's secret as `<secret>`.
    url: String,
    updated_at: String,
    /// Whether events go to this job's webhook path.
    this_job: bool,
}

/// The job and its webhook secret (made in the state file on first use).
fn job_and_secret(config: &Path) -> anyhow::Result<(Job, String)> {
    let job = Job::load(config)?;
    let mut state = StateStore::open_beside_runs(&job.state, Arc::new(SystemClock))?;
    let secret = state.webhook_secret()?;
    Ok((job, secret))
}

/// The URL CINNOX is given: the base, then the job's path.
fn webhook_url(base: &str, secret: &str) -> anyhow::Result<String> {
    let parsed = url::Url::parse(base.trim()).with_context(|| {
        format!("--url {base:?} is not a URL; give the public base, e.g. https://sync.example.com")
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
        anyhow::bail!("--url {base:?}: give an http(s) base URL without a query");
    }
    Ok(format!(
        "{}/webhooks/cinnox/{secret}",
        parsed.as_str().trim_end_matches('/')
    ))
}

fn shown(state: &SubscriptionState, secret: &str) -> Shown {
    Shown {
        enabled: state.enabled,
        this_job: state.url.ends_with(&format!("/webhooks/cinnox/{secret}")),
        url: state.url.replace(secret, "<secret>"),
        updated_at: state.updated_at.clone(),
    }
}

fn print(s: &Shown, json: bool, done: &str) -> anyhow::Result<ExitCode> {
    if json {
        println!("{}", serde_json::to_string_pretty(s)?);
        return Ok(ExitCode::SUCCESS);
    }
    let whose = if s.this_job {
        "this job's"
    } else {
        "not this job's"
    };
    if !done.is_empty() {
        println!("{done}");
    }
    println!(
        "contact events: {}{}",
        if s.enabled { "on" } else { "off" },
        if s.url.is_empty() {
            String::new()
        } else {
            format!(", to {} ({whose})", s.url)
        }
    );
    if !s.updated_at.is_empty() {
        println!("updated at {}", s.updated_at);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn subscribe(args: SubscribeArgs) -> anyhow::Result<ExitCode> {
    let (job, secret) = job_and_secret(&args.config)?;
    let url = webhook_url(&args.url, &secret)?;
    let state = in_context(false, async |ctx| {
        let cinnox = open_cinnox(Some(&job), ctx).await?;
        cinnox
            .client
            .subscribe_contact_events(&url)
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "{e}. Is `cinnox-sync serve {}` running and reachable at {}?",
                    args.config.display(),
                    args.url.trim()
                )
            })
    })?;
    print(&shown(&state, &secret), args.json, "subscribed")
}

pub fn unsubscribe(args: UnsubscribeArgs) -> anyhow::Result<ExitCode> {
    let (job, secret) = job_and_secret(&args.config)?;
    let state = in_context(false, async |ctx| {
        let cinnox = open_cinnox(Some(&job), ctx).await?;
        anyhow::Ok(cinnox.client.unsubscribe_contact_events().await?)
    })?;
    print(&shown(&state, &secret), args.json, "unsubscribed")
}

pub fn subscriptions(args: SubscriptionsArgs) -> anyhow::Result<ExitCode> {
    let (job, secret) = job_and_secret(&args.config)?;
    let state = in_context(false, async |ctx| {
        let cinnox = open_cinnox(Some(&job), ctx).await?;
        cinnox
            .client
            .subscription(EventSubscription::Contact)
            .await
            .context("CINNOX did not answer a read of the contact-event subscription (reading it is not in CINNOX's documents; `subscribe` sets it)")
    })?;
    let state = state.unwrap_or(SubscriptionState {
        enabled: false,
        url: String::new(),
        updated_at: String::new(),
    });
    print(&shown(&state, &secret), args.json, "")
}
