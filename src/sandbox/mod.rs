//! The sandbox: a local server that implements the CINNOX Open API contract of
//! cinnox-api.md (auth, paging, create/update read strictly and validated with the
//! audit's rules, rate limit, staff, event subscriptions with the challenge
//! handshake, webhooks in the wrapped or the flat form), plus the dashboard-only
//! actions, stats and fault injection under `/sandbox/...`. It spells the wire on
//! its own (`wire`, `body`), never through the client's names, so the two check
//! each other.
//! A library first: `start` runs it inside the caller's tokio runtime (tests, the
//! engine's demo); `cinnox-sync sandbox` is a thin wrapper.
//!
//! Files: `wire` and `body` (the sandbox's spelling of the contract), `state` (the
//! data and Open API operations), `actions` (dashboard actions), `store` / `db`
//! (memory index and SQLite), `gate` (auth, rate limit, faults, stats around every
//! request), `api` and `dashboard` (HTTP handlers), `webhooks`, `stats`, `faults`,
//! `ratelimit`, `generate` (realistic data).

mod actions;
mod api;
mod body;
mod dashboard;
pub mod db;
pub mod faults;
mod gate;
pub mod generate;
pub mod ratelimit;
pub mod state;
pub mod stats;
pub mod store;
pub mod webhooks;
pub mod wire;

pub use db::StoreError;
pub use faults::Faults;
pub use state::{OpError, Sandbox};
pub use stats::{StatsSnapshot, WebhookCounts};
pub use wire::{Staff, Subscription, SubscriptionState, WebhookForm};

use crate::cinnox::{ClientConfig, Secret};
use axum::Router;
use axum::routing::{get, patch, post, put};
use faults::FaultDice;
use ratelimit::SlidingWindow;
use state::{META_DEFAULT_OWNER, lock};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use store::Store;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use webhooks::Notifier;

/// CINNOX's limit: 500 requests per minute per service account.
pub const DEFAULT_RATE_LIMIT: u32 = 500;

/// How to run a sandbox.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// Port 0 picks a free port (see `RunningSandbox::base_url`).
    pub listen: SocketAddr,
    /// The SQLite file; `None` keeps everything in memory.
    pub db: Option<PathBuf>,
    /// `None`: the one saved in `db`, else a generated one.
    pub app_id: Option<String>,
    /// `None`: the one saved in `db`, else a generated one.
    pub app_token: Option<Secret>,
    /// Requests per `rate_window`; `None` = unlimited.
    pub rate_limit: Option<u32>,
    /// 60 s like CINNOX; tests shorten it to see `Retry-After` run out quickly.
    pub rate_window: Duration,
    /// Generated contacts added at start when the store holds none.
    pub seed_contacts: usize,
    /// Seed of the contact generator.
    pub generator_seed: u64,
    pub faults: Faults,
    /// Seed of the fault dice.
    pub fault_seed: u64,
    /// Store `Primary` / `Lead` when level / type are left empty, as CINNOX does.
    pub enum_defaults: bool,
    /// How webhook deliveries are written (changeable later, `set_webhook_form`).
    pub webhook_form: WebhookForm,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            db: None,
            app_id: None,
            app_token: None,
            rate_limit: Some(DEFAULT_RATE_LIMIT),
            rate_window: Duration::from_secs(60),
            seed_contacts: 0,
            generator_seed: 1,
            faults: Faults::default(),
            fault_seed: 0,
            enum_defaults: true,
            webhook_form: WebhookForm::Wrapped,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Op(#[from] OpError),
    #[error("cannot listen on {addr}: {cause}")]
    Bind {
        addr: SocketAddr,
        cause: std::io::Error,
    },
    #[error("sandbox server: {0}")]
    Server(String),
}

/// A sandbox serving in the background of the current tokio runtime.
pub struct RunningSandbox {
    addr: SocketAddr,
    sandbox: Arc<Sandbox>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
    webhooks: JoinHandle<()>,
}

impl std::fmt::Debug for RunningSandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RunningSandbox({})", self.base_url())
    }
}

fn random_hex(len: usize) -> String {
    let s = format!("{:032x}", rand::random::<u128>());
    s[..len.min(32)].to_string()
}

/// Starts a sandbox: opens (or creates) its store, seeds staff (and contacts)
/// when empty, binds, and serves until `shutdown`.
pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
    crate::install_crypto_provider();
    let store = match &config.db {
        Some(path) => Store::open(path)?,
        None => Store::in_memory(),
    };
    let app_id = match config.app_id.clone() {
        Some(id) => id,
        None => store
            .meta("app_id")?
            .unwrap_or_else(|| format!("sandbox-{}", random_hex(8))),
    };
    let token = match &config.app_token {
        Some(t) => t.expose().to_string(),
        None => store.meta("app_token")?.unwrap_or_else(|| random_hex(32)),
    };
    store.set_meta("app_id", &app_id)?;
    store.set_meta("app_token", &token)?;
    let default_owner = store.meta(META_DEFAULT_OWNER)?.unwrap_or_default();
    let (has_staff, has_contacts) = (store.all_staff().next().is_some(), !store.is_empty());
    let http = reqwest::Client::builder()
        .build()
        .map_err(|e| SandboxError::Server(e.to_string()))?;
    let (notifier, webhooks) = Notifier::start(http);
    let sandbox = Arc::new(Sandbox {
        app_id,
        token: Secret::new(token),
        enum_defaults: config.enum_defaults,
        store: Mutex::new(store),
        default_owner: Mutex::new(default_owner),
        limiter: config
            .rate_limit
            .filter(|n| *n > 0)
            .map(|n| Mutex::new(SlidingWindow::new(n, config.rate_window))),
        dice: Mutex::new(FaultDice::new(config.faults, config.fault_seed)),
        stats: Default::default(),
        notifier,
        generator_seed: config.generator_seed,
        webhook_form: Mutex::new(config.webhook_form),
    });
    if !has_staff {
        sandbox.seed_staff(generate::default_staff())?;
    }
    if !has_contacts && config.seed_contacts > 0 {
        sandbox.generate_contacts(config.seed_contacts, false)?;
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|cause| SandboxError::Bind {
            addr: config.listen,
            cause,
        })?;
    let addr = listener.local_addr().map_err(|cause| SandboxError::Bind {
        addr: config.listen,
        cause,
    })?;
    let router = router(sandbox.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        use axum::serve::ListenerExt;
        // Small JSON answers: do not let Nagle hold them back.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
    });
    // Debug, not info: an embedded sandbox (the demo job) must not chatter; the
    // `sandbox` command prints its own banner.
    tracing::debug!(%addr, "sandbox listening");
    Ok(RunningSandbox {
        addr,
        sandbox,
        shutdown: Some(tx),
        server: Some(server),
        webhooks,
    })
}

fn router(sandbox: Arc<Sandbox>) -> Router {
    let app = "/v1/api/apps/{app}";
    Router::new()
        .route(
            &format!("{app}/contacts/extcontact-list"),
            get(api::list_contacts),
        )
        .route(
            &format!("{app}/contacts/staffcontact-list"),
            get(api::list_staff),
        )
        .route(
            &format!("{app}/management/create_externalcontact"),
            post(api::create_contact),
        )
        .route(
            &format!("{app}/management/update_externalcontact/{{id}}"),
            put(api::update_contact),
        )
        .route(
            &format!("{app}/{{sub}}"),
            patch(api::subscribe).get(api::subscribe),
        )
        .merge(dashboard::routes())
        .fallback(api::fallback)
        .method_not_allowed_fallback(api::fallback)
        .layer(axum::middleware::from_fn_with_state(
            sandbox.clone(),
            gate::gate,
        ))
        .with_state(sandbox)
}

impl RunningSandbox {
    /// `http://127.0.0.1:PORT`: the Base URL to give a client.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn app_id(&self) -> &str {
        &self.sandbox.app_id
    }

    pub fn app_token(&self) -> &Secret {
        &self.sandbox.token
    }

    /// A client configuration for this sandbox (default pacing and retries).
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig::new(self.base_url(), self.app_id(), self.app_token().clone())
    }

    /// The state, for in-process tests and demos (same operations as `/sandbox/...`).
    pub fn sandbox(&self) -> &Arc<Sandbox> {
        &self.sandbox
    }

    /// Stops accepting, lets in-flight requests finish, stops webhook deliveries,
    /// and closes the store.
    pub async fn shutdown(mut self) -> Result<(), SandboxError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let result = match self.server.take() {
            Some(server) => match server.await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(SandboxError::Server(e.to_string())),
                Err(e) => Err(SandboxError::Server(e.to_string())),
            },
            None => Ok(()),
        };
        self.webhooks.abort();
        let pending = self.sandbox.notifier.counts().pending;
        if pending > 0 {
            tracing::info!(pending, "sandbox stopped with webhook deliveries pending");
        }
        result
    }

    /// How many contacts the store holds.
    pub fn contact_count(&self) -> usize {
        lock(&self.sandbox.store).len()
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.webhooks.abort();
    }
}
