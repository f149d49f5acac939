//! `cinnox-sync serve`: one or more jobs as a service. Each job runs on its schedule
//! and when CINNOX's contact webhooks say something changed; every run is a normal
//! sync through `job::run`, which re-reads CINNOX (a delivery is a hint, never
//! data). The parts:
//!
//! - `jobs`: the job files loaded and checked at start, and what is shared about
//!   each job while the service runs;
//! - `receiver`: `POST /webhooks/cinnox/<secret>`, into the job's inbox;
//! - `inbox`: the inbox writer (group commit into the job's state file);
//! - `coalesce`: a burst of deliveries becomes one sync (pure);
//! - `job_loop`: each job's loop (schedule, coalescing, one run at a time), on a
//!   thread of its own with one set of pacers for every job;
//! - `http`: the routes (`/healthz`, `/readyz`, `/metrics`, `/status.json`, `/`);
//!   `metrics` and `status` what they show, `page` (with `page_words`) the status
//!   as a page for a person;
//! - `signals`: SIGTERM/SIGINT and systemd's readiness protocol.
//!
//! It scales by running one process per CINNOX tenant, each with its own state
//! volume; there is no cluster of its own.

pub mod coalesce;
pub mod http;
pub mod inbox;
pub mod job_loop;
pub mod jobs;
pub mod metrics;
pub mod page;
pub mod page_words;
pub mod receiver;
pub mod signals;
pub mod status;

use crate::job::Cancel;
use anyhow::Context as _;
use coalesce::Debounce;
use inbox::Inbox;
use jobs::ServedJob;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use tokio::sync::{Notify, Semaphore};

/// How to run the service.
#[derive(Clone, Debug)]
pub struct Options {
    pub jobs: Vec<PathBuf>,
    pub listen: SocketAddr,
}

/// What the HTTP side shares.
pub struct App {
    pub jobs: Vec<Arc<ServedJob>>,
    pub metrics: metrics::Metrics,
    pub started_at: String,
    /// False once the service is stopping.
    pub accepting: AtomicBool,
    pub in_flight: Semaphore,
}

impl App {
    pub fn job_by_secret(&self, secret: &str) -> Option<Arc<ServedJob>> {
        // Every job is compared, so the time taken says nothing about the secret.
        let mut found = None;
        for j in &self.jobs {
            if receiver::same_secret(&j.secret, secret) {
                found = Some(j.clone());
            }
        }
        found
    }
}

/// Runs the service until SIGTERM or SIGINT; a start-up mistake is an error (exit 2).
pub fn run(opts: Options) -> anyhow::Result<()> {
    let loaded = jobs::load(&opts.jobs)?;
    let mut served = Vec::new();
    for (file, job, table, name) in loaded {
        let opened = Inbox::open(&job.state, jobs::QUEUE)
            .with_context(|| format!("job {}: cannot open its state file", file.display()))?;
        let mut debounce = Debounce::new(table.coalesce);
        if opened.undone > 0 {
            debounce.undone_at_start(opened.last_seq, opened.undone, Instant::now());
        }
        served.push(Arc::new(ServedJob {
            name,
            file,
            job,
            table,
            secret: opened.secret,
            inbox: opened.inbox,
            debounce: std::sync::Mutex::new(debounce),
            wake: Notify::new(),
            metrics: metrics::JobMetrics::default(),
            live: Default::default(),
        }));
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = rt.block_on(serve(opts.listen, served.clone()));
    for j in &served {
        j.inbox.stop();
    }
    result
}

async fn serve(listen: SocketAddr, jobs: Vec<Arc<ServedJob>>) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| {
            format!("cannot listen on {listen}; give another address with --listen")
        })?;
    let addr = listener.local_addr()?;
    announce(addr, &jobs)?;
    let app = Arc::new(App {
        jobs: jobs.clone(),
        metrics: metrics::Metrics::default(),
        started_at: crate::state::clock::stamp(chrono::Utc::now()),
        accepting: AtomicBool::new(true),
        in_flight: Semaphore::new(receiver::MAX_IN_FLIGHT),
    });
    let cancel = Cancel::new();
    let stopping = app.clone();
    signals::listen(cancel.clone(), move |_| {
        stopping.accepting.store(false, Ordering::SeqCst);
    });
    let loops = job_loop::spawn(jobs.clone(), cancel.clone())?;
    signals::ready();
    let stop = cancel.clone();
    let served = axum::serve(listener, http::router(app))
        .with_graceful_shutdown(async move {
            stop.requested().await;
        })
        .await;
    // The job loops end once their run (if any) has stopped safely.
    let joined = tokio::task::spawn_blocking(move || loops.join()).await;
    if !matches!(joined, Ok(Ok(()))) {
        tracing::error!("the jobs' thread ended abnormally");
    }
    served.context("the HTTP server failed")?;
    tracing::info!("stopped");
    Ok(())
}

/// The start-up lines on stdout: where it listens, and each job with its
/// schedule and webhook path (the path holds the job's secret: it is shown here
/// once, for setting up, and never logged).
fn announce(addr: SocketAddr, jobs: &[Arc<ServedJob>]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "cinnox-sync serve: listening on http://{addr}")?;
    for j in jobs {
        writeln!(
            out,
            "job {} ({}): {}; webhooks at {}; {} deliveries waiting",
            j.name,
            j.file.display(),
            j.table.describe(),
            j.webhook_path(),
            j.debounce().waiting()
        )?;
    }
    out.flush()
}
