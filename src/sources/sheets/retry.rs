//! Retrying and pacing Sheets requests. google-sheets4 never retries: a 429 or 5xx
//! comes back as `Error::BadRequest(json)` (or `Failure`) with the status and the
//! `Retry-After` header gone, so a [`Capture`] delegate keeps them, [`classify`]
//! sorts failures by whether the request may have been applied, and
//! [`Caller::call`] waits with exponential backoff and jitter (at least the
//! `Retry-After`) within a bounded total wait. Requests are paced per Google user
//! below the quota of 60 per minute, reads and writes on separate budgets.

use google_sheets4::common::{Delegate, Response, Retry};
use governor::{DefaultDirectRateLimiter, Quota as Rate};
use std::collections::HashMap;
use std::future::Future;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// How long to keep trying, and how fast to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Backoff before the first retry; doubled each retry up to `max_delay`.
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// Total time one read or write may spend waiting between tries; past it the
    /// run is cut short and says so.
    pub max_wait: Duration,
    /// One try that has not answered by then counts as a lost connection.
    pub attempt_timeout: Duration,
    /// Requests per minute per Google user, for reads and for writes each (Google:
    /// 60 per user, 300 per project).
    pub per_minute: u32,
    /// How many requests may go at once before pacing spaces them out.
    pub burst: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first_delay: Duration::from_secs(1),
            // Google's advice: truncated exponential backoff up to 32-64 s.
            max_delay: Duration::from_secs(64),
            max_wait: Duration::from_secs(5 * 60),
            attempt_timeout: Duration::from_secs(120),
            // A little under the quota, so other tools of the same user still fit.
            per_minute: 55,
            burst: 5,
        }
    }
}

/// The wait before retry number `retry` (0-based): exponential with jitter in
/// `[half, full]`, never less than what the server asked for. `jitter` is in [0, 1).
pub fn backoff(
    policy: &RetryPolicy,
    retry: u32,
    retry_after: Option<Duration>,
    jitter: f64,
) -> Duration {
    let full = policy
        .first_delay
        .saturating_mul(1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX))
        .min(policy.max_delay);
    let jittered = full / 2 + full.mul_f64(jitter.clamp(0.0, 1.0) / 2.0);
    retry_after.map_or(jittered, |ra| jittered.max(ra))
}

/// A delegate that only remembers the status and `Retry-After` of a failed answer;
/// the retrying happens in [`Caller::call`], where pacing and the budget live.
#[derive(Default, Debug)]
pub struct Capture {
    pub status: Option<u16>,
    pub retry_after: Option<Duration>,
}

impl Delegate for Capture {
    fn http_failure(&mut self, response: &Response, _err: Option<&serde_json::Value>) -> Retry {
        self.status = Some(response.status().as_u16());
        self.retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        Retry::Abort
    }
}

/// A failed try, by what it means for trying again.
#[derive(Debug)]
pub enum Failure {
    /// The request was certainly not applied (quota refusal, no token yet): retry.
    NotApplied {
        detail: String,
        retry_after: Option<Duration>,
    },
    /// A server error or lost connection: the request may have been applied.
    Unknown {
        detail: String,
        retry_after: Option<Duration>,
    },
    /// Trying again will not help (bad request, no access, refused credentials).
    Fatal(Fatal),
}

/// Why a request cannot succeed, for the store to word as a `SourceError`.
#[derive(Debug)]
pub enum Fatal {
    Auth(String),
    Remote {
        status: Option<u16>,
        message: String,
    },
}

/// Sorts a failed try. `status` and `retry_after` come from the [`Capture`].
pub fn classify(err: google_sheets4::Error, cap: &Capture) -> Failure {
    use google_sheets4::Error as E;
    let retry_after = cap.retry_after;
    match err {
        E::BadRequest(json) => by_status(cap.status, google_message(&json), retry_after),
        E::Failure(resp) => by_status(
            cap.status.or(Some(resp.status().as_u16())),
            format!("HTTP {}", resp.status()),
            retry_after,
        ),
        E::HttpError(e) => Failure::Unknown {
            detail: format!("connection failed: {e}"),
            retry_after: None,
        },
        E::MissingToken(e) => super::auth::classify_token_error(e.as_ref()),
        E::Io(e) => Failure::Unknown {
            detail: format!("reading the answer failed: {e}"),
            retry_after: None,
        },
        other => Failure::Fatal(Fatal::Remote {
            status: cap.status,
            message: other.to_string().trim().to_string(),
        }),
    }
}

fn by_status(status: Option<u16>, message: String, retry_after: Option<Duration>) -> Failure {
    match status {
        Some(429) => Failure::NotApplied {
            detail: format!("quota exceeded (429): {message}"),
            retry_after,
        },
        Some(s @ (408 | 500..=599)) => Failure::Unknown {
            detail: format!("server error ({s}): {message}"),
            retry_after,
        },
        Some(401) => Failure::Fatal(Fatal::Auth(format!(
            "Google refused the access token (401): {message}"
        ))),
        status => Failure::Fatal(Fatal::Remote { status, message }),
    }
}

/// The `error.message` of a Google error body, or the body itself.
fn google_message(json: &serde_json::Value) -> String {
    json.pointer("/error/message")
        .and_then(|m| m.as_str())
        .map_or_else(|| json.to_string(), str::to_string)
}

/// Which quota a request draws on.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Quota {
    Read,
    Write,
}

/// Why [`Caller::call`] gave up.
#[derive(Debug)]
pub enum CallError {
    /// Still failing when the wait budget ran out; `applied_unknown` when the last
    /// try may have been applied.
    CutShort {
        tries: u32,
        waited: Duration,
        last: String,
        applied_unknown: bool,
    },
    /// A failure of a request that must not be blindly repeated: the caller checks
    /// whether it was applied before trying again.
    Unknown {
        detail: String,
    },
    Fatal(Fatal),
}

/// Spends the wait budget of one read or write across its requests.
pub struct Caller {
    policy: RetryPolicy,
    reads: Arc<DefaultDirectRateLimiter>,
    writes: Arc<DefaultDirectRateLimiter>,
    waited: Duration,
}

impl Caller {
    /// `user` names the Google identity the quota belongs to (a service account's
    /// e-mail, an OAuth client): stores of the same user share their pacing.
    pub fn new(policy: RetryPolicy, user: &str) -> Self {
        Self {
            reads: limiter(user, Quota::Read, &policy),
            writes: limiter(user, Quota::Write, &policy),
            policy,
            waited: Duration::ZERO,
        }
    }

    /// Starts a new operation's wait budget.
    pub fn reset_budget(&mut self) {
        self.waited = Duration::ZERO;
    }

    /// Runs `attempt` until it succeeds, fails for good, or the budget runs out.
    /// With `idempotent` false, a failure that may have been applied is returned
    /// as `CallError::Unknown` at once, for the caller to check.
    pub async fn call<T, F, Fut>(
        &mut self,
        quota: Quota,
        idempotent: bool,
        mut attempt: F,
    ) -> Result<T, CallError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = (google_sheets4::Result<T>, Capture)>,
    {
        let mut tries = 0u32;
        loop {
            match quota {
                Quota::Read => self.reads.until_ready().await,
                Quota::Write => self.writes.until_ready().await,
            };
            tries += 1;
            let failure = match tokio::time::timeout(self.policy.attempt_timeout, attempt()).await {
                Ok((Ok(v), _)) => return Ok(v),
                Ok((Err(e), cap)) => classify(e, &cap),
                Err(_) => Failure::Unknown {
                    detail: format!("no answer within {:?}", self.policy.attempt_timeout),
                    retry_after: None,
                },
            };
            let (detail, retry_after, unknown) = match failure {
                Failure::Fatal(f) => return Err(CallError::Fatal(f)),
                Failure::Unknown { detail, .. } if !idempotent => {
                    return Err(CallError::Unknown { detail });
                }
                Failure::Unknown {
                    detail,
                    retry_after,
                } => (detail, retry_after, true),
                Failure::NotApplied {
                    detail,
                    retry_after,
                } => (detail, retry_after, false),
            };
            self.pause(tries, detail, retry_after, unknown).await?;
        }
    }

    /// Waits before try `tries + 1`, or says the budget is spent.
    pub async fn pause(
        &mut self,
        tries: u32,
        detail: String,
        retry_after: Option<Duration>,
        applied_unknown: bool,
    ) -> Result<(), CallError> {
        let wait = backoff(&self.policy, tries - 1, retry_after, rand::random::<f64>());
        if self.waited + wait > self.policy.max_wait {
            return Err(CallError::CutShort {
                tries,
                waited: self.waited,
                last: detail,
                applied_unknown,
            });
        }
        tracing::warn!(
            "Sheets request failed ({detail}); try {} in {:.1}s",
            tries + 1,
            wait.as_secs_f64()
        );
        tokio::time::sleep(wait).await;
        self.waited += wait;
        Ok(())
    }
}

type Limiters = HashMap<(String, Quota, u32, u32), Arc<DefaultDirectRateLimiter>>;

/// The limiter of one user and quota, shared by every store in the process.
fn limiter(user: &str, quota: Quota, policy: &RetryPolicy) -> Arc<DefaultDirectRateLimiter> {
    static ALL: OnceLock<Mutex<Limiters>> = OnceLock::new();
    let per_minute = NonZeroU32::new(policy.per_minute).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(policy.burst).unwrap_or(NonZeroU32::MIN);
    let key = (user.to_string(), quota, per_minute.get(), burst.get());
    let mut all = ALL
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    all.entry(key)
        .or_insert_with(|| {
            Arc::new(DefaultDirectRateLimiter::direct(
                Rate::per_minute(per_minute).allow_burst(burst),
            ))
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(64),
            ..RetryPolicy::default()
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = policy();
        assert_eq!(backoff(&p, 0, None, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(&p, 0, None, 0.5), Duration::from_millis(750));
        assert_eq!(backoff(&p, 0, None, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(&p, 3, None, 0.0), Duration::from_secs(4));
        assert_eq!(backoff(&p, 10, None, 0.0), Duration::from_secs(32));
        assert_eq!(backoff(&p, 40, None, 0.0), Duration::from_secs(32));
    }

    #[test]
    fn retry_after_is_a_floor() {
        let p = policy();
        let ra = Some(Duration::from_secs(30));
        assert_eq!(backoff(&p, 0, ra, 0.5), Duration::from_secs(30));
        assert_eq!(backoff(&p, 7, ra, 1.0), Duration::from_secs(64));
    }

    #[test]
    fn statuses_sort_by_whether_applied() {
        let ra = Some(Duration::from_secs(2));
        assert!(matches!(
            by_status(Some(429), "q".into(), ra),
            Failure::NotApplied { retry_after, .. } if retry_after == ra
        ));
        assert!(matches!(
            by_status(Some(503), "x".into(), None),
            Failure::Unknown { .. }
        ));
        assert!(matches!(
            by_status(Some(401), "x".into(), None),
            Failure::Fatal(Fatal::Auth(_))
        ));
        assert!(matches!(
            by_status(Some(400), "Unable to parse range".into(), None),
            Failure::Fatal(Fatal::Remote {
                status: Some(400),
                ..
            })
        ));
    }
}
