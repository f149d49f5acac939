//! Webhooks as CINNOX sends them: the challenge handshake that a URL must pass to be
//! subscribed, and event deliveries. Deliveries go through a queue drained by one
//! background task (in order, a few tries each), so an API answer never waits for a
//! receiver; the counters tell tests when everything queued has been delivered.

use super::stats::WebhookCounts;
use super::wire::{challenge_echo, challenge_request};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The waits before the 2nd, 3rd and 4th try of a delivery.
const RETRY_WAITS: [Duration; 3] = [
    Duration::from_millis(200),
    Duration::from_secs(1),
    Duration::from_secs(3),
];
const TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug)]
struct Delivery {
    url: String,
    body: Value,
}

#[derive(Debug, Default)]
struct Counts {
    sent: AtomicU64,
    failed: AtomicU64,
    pending: AtomicU64,
}

#[derive(Debug)]
pub struct Notifier {
    tx: mpsc::UnboundedSender<Delivery>,
    counts: Arc<Counts>,
    http: reqwest::Client,
}

impl Notifier {
    /// A notifier and its delivery task (abort it to stop delivering).
    pub fn start(http: reqwest::Client) -> (Notifier, JoinHandle<()>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let counts = Arc::new(Counts::default());
        let task = tokio::spawn(deliver_all(rx, http.clone(), counts.clone()));
        (Notifier { tx, counts, http }, task)
    }

    /// Queues `body` for each of `urls`.
    pub fn send(&self, urls: &[String], body: &Value) {
        for url in urls {
            self.counts.pending.fetch_add(1, Ordering::SeqCst);
            let d = Delivery {
                url: url.clone(),
                body: body.clone(),
            };
            if self.tx.send(d).is_err() {
                // The delivery task is gone (shutting down): nothing will send it.
                self.counts.pending.fetch_sub(1, Ordering::SeqCst);
                self.counts.failed.fetch_add(1, Ordering::SeqCst);
            }
        }
    }

    pub fn counts(&self) -> WebhookCounts {
        WebhookCounts {
            sent: self.counts.sent.load(Ordering::SeqCst),
            failed: self.counts.failed.load(Ordering::SeqCst),
            pending: self.counts.pending.load(Ordering::SeqCst),
        }
    }

    /// Zeroes `sent` and `failed` (`pending` is live and stays).
    pub fn reset(&self) {
        self.counts.sent.store(0, Ordering::SeqCst);
        self.counts.failed.store(0, Ordering::SeqCst);
    }

    /// POSTs a fresh challenge to `url`; `Ok` when it answers HTTP 2xx with
    /// `{"code":0,"result":{"challenge":<the same>}}`, else why not.
    pub async fn handshake(&self, url: &str) -> Result<(), String> {
        let challenge = format!("{:032x}", rand::random::<u128>());
        let resp = self
            .http
            .post(url)
            .timeout(TIMEOUT)
            .json(&challenge_request(&challenge))
            .send()
            .await
            .map_err(|e| format!("the URL could not be reached ({e})"))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(format!(
                "the URL answered the challenge with HTTP {}",
                status.as_u16()
            ));
        }
        let body: Value = resp
            .json()
            .await
            .map_err(|_| "the URL answered the challenge without JSON".to_string())?;
        match challenge_echo(&body) {
            Some(echo) if echo == challenge => Ok(()),
            Some(_) => Err("the URL echoed a different challenge".into()),
            None => Err("the URL did not echo the challenge in result.challenge".into()),
        }
    }
}

async fn deliver_all(
    mut rx: mpsc::UnboundedReceiver<Delivery>,
    http: reqwest::Client,
    counts: Arc<Counts>,
) {
    while let Some(d) = rx.recv().await {
        let ok = deliver(&http, &d).await;
        let counter = if ok { &counts.sent } else { &counts.failed };
        counter.fetch_add(1, Ordering::SeqCst);
        counts.pending.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn deliver(http: &reqwest::Client, d: &Delivery) -> bool {
    for attempt in 0..=RETRY_WAITS.len() {
        if attempt > 0 {
            tokio::time::sleep(RETRY_WAITS[attempt - 1]).await;
        }
        let sent = http
            .post(&d.url)
            .timeout(TIMEOUT)
            .json(&d.body)
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => return true,
            Ok(r) => tracing::debug!(status = r.status().as_u16(), attempt, "webhook refused"),
            Err(e) => tracing::debug!(attempt, "webhook not delivered: {e}"),
        }
    }
    tracing::warn!(url = %d.url, "webhook given up after {} tries", RETRY_WAITS.len() + 1);
    false
}
