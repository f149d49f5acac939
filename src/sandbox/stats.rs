//! Request statistics: every Open API request the sandbox answered, by endpoint and
//! by outcome (the CINNOX code, as a string), plus faults injected and webhook
//! deliveries. Served as `GET /sandbox/stats` so that tests and benchmarks can
//! count exactly what a run sent. The JSON shape is stable and documented in
//! docs/cinnox-side.md.

use crate::cinnox::CallKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The endpoints as the stats name them.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Endpoint {
    List,
    Create,
    Update,
    Staff,
    Subscribe,
    /// Unknown paths and methods (answered 6450001).
    Unknown,
}

impl Endpoint {
    pub const ALL: [Endpoint; 6] = [
        Endpoint::List,
        Endpoint::Create,
        Endpoint::Update,
        Endpoint::Staff,
        Endpoint::Subscribe,
        Endpoint::Unknown,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Endpoint::List => CallKind::List.as_str(),
            Endpoint::Create => CallKind::Create.as_str(),
            Endpoint::Update => CallKind::Update.as_str(),
            Endpoint::Staff => CallKind::Staff.as_str(),
            Endpoint::Subscribe => CallKind::Subscribe.as_str(),
            Endpoint::Unknown => "unknown",
        }
    }
}

/// Faults injected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultCounts {
    /// Answers turned into 502 / 6451001 (also counted under their endpoint).
    pub server_error: u64,
    /// Creates stored whose answer was lost (counted as `create` / `"0"`).
    pub lost_create: u64,
}

/// Webhook deliveries. `pending` is live (queued or being tried) and survives a
/// reset; when it is 0 every event so far has been delivered or given up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookCounts {
    pub sent: u64,
    pub failed: u64,
    pub pending: u64,
}

/// The JSON of `GET /sandbox/stats`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsSnapshot {
    /// Every Open API request answered (the sum over `endpoints`).
    pub requests: u64,
    /// Endpoint name -> outcome code (as a string) -> count. Every endpoint name is
    /// present, with an empty map when it was not called.
    pub endpoints: BTreeMap<String, BTreeMap<String, u64>>,
    pub faults: FaultCounts,
    pub webhooks: WebhookCounts,
}

impl StatsSnapshot {
    /// Requests to `endpoint` answered with `outcome` (e.g. `"0"`, `"6451010"`).
    pub fn count(&self, endpoint: &str, outcome: &str) -> u64 {
        self.endpoints
            .get(endpoint)
            .and_then(|m| m.get(outcome))
            .copied()
            .unwrap_or(0)
    }

    /// Requests to `endpoint`, whatever their outcome.
    pub fn total(&self, endpoint: &str) -> u64 {
        self.endpoints
            .get(endpoint)
            .map(|m| m.values().sum())
            .unwrap_or(0)
    }
}

#[derive(Debug, Default)]
struct Inner {
    endpoints: BTreeMap<Endpoint, BTreeMap<String, u64>>,
    faults: FaultCounts,
}

#[derive(Debug, Default)]
pub struct Stats {
    inner: Mutex<Inner>,
}

impl Stats {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let mut g = match self.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(&mut g)
    }

    /// Counts one answered request.
    pub fn record(&self, endpoint: Endpoint, outcome: &str) {
        self.with(|i| {
            *i.endpoints
                .entry(endpoint)
                .or_default()
                .entry(outcome.to_string())
                .or_default() += 1;
        });
    }

    pub fn server_error_injected(&self) {
        self.with(|i| i.faults.server_error += 1);
    }

    pub fn lost_create_injected(&self) {
        self.with(|i| i.faults.lost_create += 1);
    }

    pub fn reset(&self) {
        self.with(|i| *i = Inner::default());
    }

    /// The counts so far; `webhooks` comes from the notifier.
    pub fn snapshot(&self, webhooks: WebhookCounts) -> StatsSnapshot {
        self.with(|i| {
            let endpoints: BTreeMap<String, BTreeMap<String, u64>> = Endpoint::ALL
                .iter()
                .map(|e| {
                    let m = i.endpoints.get(e).cloned().unwrap_or_default();
                    (e.name().to_string(), m)
                })
                .collect();
            StatsSnapshot {
                requests: endpoints.values().flat_map(|m| m.values()).sum(),
                endpoints,
                faults: i.faults,
                webhooks,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_lists_every_endpoint_and_sums_requests() {
        let s = Stats::default();
        s.record(Endpoint::List, "0");
        s.record(Endpoint::List, "0");
        s.record(Endpoint::Create, "6451010");
        let snap = s.snapshot(WebhookCounts::default());
        assert_eq!(snap.requests, 3);
        assert_eq!(snap.count("list", "0"), 2);
        assert_eq!(snap.total("create"), 1);
        assert_eq!(snap.endpoints.len(), 6);
        let json = serde_json::to_value(&snap).unwrap();
        assert_eq!(json["endpoints"]["update"], serde_json::json!({}));
        assert_eq!(json["endpoints"]["list"]["0"], 2);
        s.reset();
        assert_eq!(s.snapshot(WebhookCounts::default()).requests, 0);
    }
}
