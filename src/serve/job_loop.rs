//! One job's loop in the service: it waits for the next tick of the job's schedule
//! (with jitter) or for webhook deliveries to come due (`coalesce`), whichever is
//! first, and runs a sync through `job::run` like the `sync` command, one at a
//! time: a job never overlaps itself, and a tick that comes while it runs is
//! skipped (the next one is reckoned from the run's end). Its runs tell the inbox
//! which deliveries they cover once they start reading CINNOX, and give them back
//! when they fail or are stopped. The loops of all jobs run on one thread of their
//! own (`spawn`), away from the receiver, sharing one set of pacers (one budget per
//! CINNOX service account) and the service's stop token.

use super::jobs::ServedJob;
use super::status;
use crate::cinnox::ListProgress;
use crate::cinnox::pacing::Pacers;
use crate::job::{self, Cancel, Context, Finished, ListChoice, Mode, Outcome, Progress, Request};
use crate::mapping::Mapping;
use chrono::{DateTime, Local, Utc};
use rand::Rng;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Starts every job's loop on a thread of its own; the thread ends once every loop
/// has seen the stop token (after the run going on, if any, stopped safely).
pub fn spawn(
    jobs: Vec<Arc<ServedJob>>,
    cancel: Cancel,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("cinnox-sync jobs".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    tracing::error!("cannot start the jobs' runtime: {e}");
                    return;
                }
            };
            let local = tokio::task::LocalSet::new();
            let pacers = Arc::new(Pacers::new());
            local.block_on(&rt, async move {
                let loops: Vec<_> = jobs
                    .into_iter()
                    .map(|j| tokio::task::spawn_local(job_loop(j, pacers.clone(), cancel.clone())))
                    .collect();
                for l in loops {
                    let _ = l.await;
                }
            });
        })
}

/// A tick of the schedule: when to act on it (its jitter added).
#[derive(Clone, Copy)]
struct Tick {
    due: Instant,
}

fn next_tick(j: &ServedJob) -> Option<Tick> {
    let now = Local::now();
    let tick = j.table.next_tick(now)?;
    let jitter = j.table.jitter_for(tick);
    let jitter = if jitter.is_zero() {
        Duration::ZERO
    } else {
        rand::rng().random_range(Duration::ZERO..jitter)
    };
    let wait = (tick - now).to_std().unwrap_or_default() + jitter;
    Some(Tick {
        due: Instant::now() + wait,
    })
}

async fn job_loop(j: Arc<ServedJob>, pacers: Arc<Pacers>, cancel: Cancel) {
    let mut tick = next_tick(&j);
    if j.table.at_start && cancel.stopped().is_none() {
        run_once(&j, &pacers, &cancel, "start").await;
    }
    while cancel.stopped().is_none() {
        let hint = j.debounce().due();
        let next = match (hint, tick) {
            (Some(h), Some(t)) if t.due < h => Some((t.due, "schedule")),
            (Some(h), _) => Some((h, "webhooks")),
            (None, Some(t)) => Some((t.due, "schedule")),
            (None, None) => None,
        };
        j.live().next = next.map(|(due, why)| (wall(due), why));
        let sleep = async {
            match next {
                Some((due, _)) => tokio::time::sleep_until(due.into()).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = sleep => {}
            _ = j.wake.notified() => continue,
            _ = cancel.requested() => break,
        }
        let now = Instant::now();
        let trigger = match next {
            Some((due, why)) if due <= now => why,
            _ => continue,
        };
        run_once(&j, &pacers, &cancel, trigger).await;
        if tick.is_some_and(|t| t.due <= Instant::now()) {
            tick = next_tick(&j);
        }
    }
    j.live().next = None;
}

/// Wall-clock time of an instant to come.
fn wall(due: Instant) -> DateTime<Utc> {
    let wait = due.saturating_duration_since(Instant::now());
    Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default()
}

/// Runs to tell apart in the inbox (`stamp`), process-wide.
static RUNS: AtomicU64 = AtomicU64::new(0);

/// One sync of the job, as `cinnox-sync sync --config JOB` runs it.
async fn run_once(j: &Arc<ServedJob>, pacers: &Pacers, cancel: &Cancel, trigger: &'static str) {
    let stamp = format!(
        "{}#{}#{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed),
        crate::state::clock::stamp(Utc::now())
    );
    j.debounce().started(Instant::now());
    {
        let mut live = j.live();
        live.running = Some((Utc::now(), trigger));
        live.next = None;
    }
    let hooks = Hooks {
        job: j,
        stamp: &stamp,
        covered: AtomicI64::new(-1),
    };
    let ctx = Context {
        progress: &hooks,
        pacers,
        cancel: cancel.clone(),
    };
    let req = Request {
        job: Some(j.file.clone()),
        list: ListChoice::default(),
        mode: Mode::Sync {
            dry_run: false,
            force: false,
            add_id_column: false,
        },
    };
    let done = job::run(&ctx, &req).await;
    let s = &done.summary;
    // A guard's refusal read CINNOX too: running again would only be refused again
    // (the status shows the guard; a person settles it).
    let covered = matches!(
        s.outcome,
        Outcome::Applied | Outcome::Planned | Outcome::FinishedWithProblems | Outcome::Refused
    );
    if hooks.covered.load(Ordering::SeqCst) >= 0 {
        match (covered, s.run_id) {
            (true, Some(id)) => j.inbox.settled(&stamp, id),
            (true, None) => {}
            (false, _) => j.inbox.reopen(&stamp),
        }
    }
    j.debounce().finished(covered);
    j.metrics.run(trigger, s);
    tracing::info!(
        job = %j.name,
        trigger,
        outcome = s.outcome.name(),
        creates = s.applied.as_ref().map_or(0, |a| a.created),
        updates = s.applied.as_ref().map_or(0, |a| a.updated),
        rows_written = s.rows_written,
        error = s.error.as_deref().unwrap_or(""),
        "sync finished"
    );
    let problems = problems_of(&done);
    let mut live = j.live();
    live.running = None;
    if let Some(id) = s.run_id {
        live.triggers.insert(id, trigger);
        // Only the recent runs are shown; keep the map as small.
        while live.triggers.len() > status::LAST_RUNS * 4 {
            live.triggers.pop_first();
        }
    }
    if s.planned || s.error.is_some() {
        live.problems = Some((s.run_id, problems));
    }
}

fn problems_of(done: &Finished) -> Vec<status::Problem> {
    let mapping = done
        .job_file
        .as_deref()
        .and_then(|f| crate::job::Job::load(f).ok())
        .and_then(|job| Mapping::load_or_builtin(job.mapping.as_deref()).ok());
    status::problems(
        done.plan.as_ref(),
        done.report.as_ref(),
        &done.summary,
        mapping.as_ref(),
    )
}

/// What a run of the service tells as it goes: when it starts reading CINNOX, the
/// deliveries arrived so far are covered.
struct Hooks<'a> {
    job: &'a ServedJob,
    stamp: &'a str,
    /// The highest delivery covered (-1: the listing has not started).
    covered: AtomicI64,
}

impl Progress for Hooks<'_> {
    fn listing_started(&self, again: bool) {
        if again || self.covered.load(Ordering::SeqCst) >= 0 {
            return;
        }
        let up_to = self.job.inbox.covered(self.stamp);
        self.covered.store(up_to, Ordering::SeqCst);
        self.job.debounce().listing_from(up_to);
    }

    fn listing_page(&self, _p: ListProgress) {}

    fn tell(&self, message: &str) {
        tracing::info!(job = %self.job.name, "{message}");
    }
}
