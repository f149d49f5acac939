//! What `/metrics` exposes, in the Prometheus text format (a small hand-written
//! exposition: counters and gauges, no histogram): runs by job, trigger and
//! outcome, the time of the last success, records written on each side, CINNOX
//! calls by kind, rate-limit waits, and webhook deliveries accepted, coalesced and
//! rejected. The counters are atomics the receiver and the job loops bump; the
//! text is made on request.

use crate::job::Summary;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// Why a delivery was refused (the `reason` label).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rejected {
    /// No job has that path (or not a POST).
    NotFound,
    TooLarge,
    BadJson,
    /// JSON, but neither a challenge nor a contact event.
    NotAnEvent,
    /// The in-flight limit or the inbox queue was full.
    Busy,
    /// The state file could not store it.
    StoreFailed,
}

impl Rejected {
    pub const ALL: [Rejected; 6] = [
        Rejected::NotFound,
        Rejected::TooLarge,
        Rejected::BadJson,
        Rejected::NotAnEvent,
        Rejected::Busy,
        Rejected::StoreFailed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Rejected::NotFound => "not_found",
            Rejected::TooLarge => "too_large",
            Rejected::BadJson => "bad_json",
            Rejected::NotAnEvent => "not_an_event",
            Rejected::Busy => "busy",
            Rejected::StoreFailed => "store_failed",
        }
    }
}

/// Counters of the whole service.
#[derive(Default)]
pub struct Metrics {
    rejected: [AtomicU64; 6],
}

impl Metrics {
    pub fn rejected(&self, why: Rejected) {
        self.rejected[why as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn rejected_count(&self, why: Rejected) -> u64 {
        self.rejected[why as usize].load(Ordering::Relaxed)
    }
}

/// Counters of one job.
#[derive(Default)]
pub struct JobMetrics {
    runs: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
    last_success: AtomicI64,
    written_cinnox: AtomicU64,
    written_list: AtomicU64,
    calls: [AtomicU64; 4],
    rate_limited: AtomicU64,
    pub accepted: AtomicU64,
    pub coalesced: AtomicU64,
}

const CALL_KINDS: [&str; 4] = ["list", "create", "update", "staff"];

impl JobMetrics {
    /// Takes in a finished run.
    pub fn run(&self, trigger: &'static str, s: &Summary) {
        let mut runs = self.runs.lock().unwrap_or_else(|p| p.into_inner());
        *runs.entry((trigger, s.outcome.name())).or_default() += 1;
        drop(runs);
        if s.exit_code == 0 {
            self.last_success
                .store(chrono::Utc::now().timestamp(), Ordering::Relaxed);
        }
        if let Some(a) = &s.applied {
            let n = (a.created + a.updated) as u64;
            self.written_cinnox.fetch_add(n, Ordering::Relaxed);
        }
        self.written_list
            .fetch_add(s.rows_written as u64, Ordering::Relaxed);
        let c = &s.calls;
        for (i, n) in [c.list, c.create, c.update, c.staff]
            .into_iter()
            .enumerate()
        {
            self.calls[i].fetch_add(n as u64, Ordering::Relaxed);
        }
        self.rate_limited
            .fetch_add(c.rate_limited as u64, Ordering::Relaxed);
    }
}

/// What a job's gauges show now.
pub struct Gauges {
    pub running: bool,
    pub waiting: u64,
    /// Unix seconds of the next run, when one is known.
    pub next_run: Option<i64>,
}

/// A job's samples of one family: (labels after `job`, value).
type Samples<'a> = dyn Fn(&JobMetrics, &Gauges) -> Vec<(String, String)> + 'a;

/// The exposition of `jobs` (name, counters, gauges) and the service's counters.
pub fn render(service: &Metrics, jobs: &[(&str, &JobMetrics, Gauges)]) -> String {
    let mut out = String::new();
    let mut family = |name: &str, kind: &str, help: &str, lines: Vec<String>| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for l in lines {
            let _ = writeln!(out, "{name}{l}");
        }
    };
    let per_job = |f: &Samples<'_>| {
        let mut lines = Vec::new();
        for (name, m, g) in jobs {
            for (labels, value) in f(m, g) {
                lines.push(format!("{{job=\"{}\"{labels}}} {value}", escape(name)));
            }
        }
        lines
    };
    let load = |a: &AtomicU64| a.load(Ordering::Relaxed).to_string();
    family(
        "cinnox_sync_runs_total",
        "counter",
        "Runs of each job, by what started them and how they ended.",
        per_job(&|m, _| {
            let runs = m.runs.lock().unwrap_or_else(|p| p.into_inner());
            runs.iter()
                .map(|((t, o), n)| (format!(",trigger=\"{t}\",outcome=\"{o}\""), n.to_string()))
                .collect()
        }),
    );
    family(
        "cinnox_sync_last_success_timestamp_seconds",
        "gauge",
        "When the job last finished a run with exit code 0 (Unix time; 0: not yet).",
        per_job(&|m, _| {
            vec![(
                String::new(),
                m.last_success.load(Ordering::Relaxed).to_string(),
            )]
        }),
    );
    family(
        "cinnox_sync_records_written_total",
        "counter",
        "Records written: contacts created or updated in CINNOX, rows written in the list.",
        per_job(&|m, _| {
            vec![
                (",side=\"cinnox\"".into(), load(&m.written_cinnox)),
                (",side=\"list\"".into(), load(&m.written_list)),
            ]
        }),
    );
    family(
        "cinnox_sync_cinnox_calls_total",
        "counter",
        "Requests sent to CINNOX by the job's runs, by kind.",
        per_job(&|m, _| {
            CALL_KINDS
                .iter()
                .zip(&m.calls)
                .map(|(k, n)| (format!(",kind=\"{k}\""), load(n)))
                .collect()
        }),
    );
    family(
        "cinnox_sync_rate_limit_waits_total",
        "counter",
        "CINNOX answers that were the rate limit (6451010), waited out and retried.",
        per_job(&|m, _| vec![(String::new(), load(&m.rate_limited))]),
    );
    family(
        "cinnox_sync_webhook_deliveries_accepted_total",
        "counter",
        "Webhook deliveries stored in the job's inbox and answered 200.",
        per_job(&|m, _| vec![(String::new(), load(&m.accepted))]),
    );
    family(
        "cinnox_sync_webhook_deliveries_coalesced_total",
        "counter",
        "Accepted deliveries that joined others already waiting (no sync of their own).",
        per_job(&|m, _| vec![(String::new(), load(&m.coalesced))]),
    );
    family(
        "cinnox_sync_job_running",
        "gauge",
        "1 while the job runs.",
        per_job(&|_, g| vec![(String::new(), u8::from(g.running).to_string())]),
    );
    family(
        "cinnox_sync_webhook_deliveries_waiting",
        "gauge",
        "Accepted deliveries no sync has covered yet.",
        per_job(&|_, g| vec![(String::new(), g.waiting.to_string())]),
    );
    family(
        "cinnox_sync_next_run_timestamp_seconds",
        "gauge",
        "When the job runs next (Unix time), by schedule or for waiting deliveries.",
        per_job(&|_, g| {
            g.next_run
                .map(|t| vec![(String::new(), t.to_string())])
                .unwrap_or_default()
        }),
    );
    family(
        "cinnox_sync_webhook_deliveries_rejected_total",
        "counter",
        "Requests to the webhook path refused, by reason (no detail is given to the sender).",
        Rejected::ALL
            .iter()
            .map(|r| {
                format!(
                    "{{reason=\"{}\"}} {}",
                    r.label(),
                    service.rejected_count(*r)
                )
            })
            .collect(),
    );
    out
}

/// A label value as the text format wants it.
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposition_is_well_formed() {
        let service = Metrics::default();
        service.rejected(Rejected::TooLarge);
        let m = JobMetrics::default();
        let mut s = Summary::new("sync", "contacts.csv".into(), "s.db".into());
        s.calls.list = 2;
        s.calls.rate_limited = 1;
        s.rows_written = 3;
        s.settle(true);
        m.run("webhooks", &s);
        m.accepted.fetch_add(5, Ordering::Relaxed);
        let g = Gauges {
            running: false,
            waiting: 0,
            next_run: Some(1_700_000_000),
        };
        let text = render(&service, &[("a\"b", &m, g)]);
        assert!(
            text.contains(
                "cinnox_sync_runs_total{job=\"a\\\"b\",trigger=\"webhooks\",outcome=\"applied\"} 1"
            ),
            "{text}"
        );
        assert!(text.contains("cinnox_sync_cinnox_calls_total{job=\"a\\\"b\",kind=\"list\"} 2"));
        assert!(text.contains("cinnox_sync_rate_limit_waits_total{job=\"a\\\"b\"} 1"));
        assert!(text.contains("cinnox_sync_records_written_total{job=\"a\\\"b\",side=\"list\"} 3"));
        assert!(
            text.contains("cinnox_sync_webhook_deliveries_rejected_total{reason=\"too_large\"} 1")
        );
        // Every sample line is `name{labels} number`, every family typed once.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (_, value) = line.rsplit_once(' ').unwrap();
            assert!(value.parse::<f64>().is_ok(), "{line}");
        }
        assert_eq!(
            text.matches("# TYPE cinnox_sync_runs_total counter")
                .count(),
            1
        );
    }
}
