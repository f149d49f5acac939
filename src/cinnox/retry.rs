//! Retries: what one HTTP attempt's outcome means (done, failed for good, wait and
//! retry), and how long to back off. Pure, so the decisions are unit-tested without
//! a server. Decisions follow the CINNOX code; the HTTP status is used only when
//! the body is not a CINNOX envelope.

use super::error::{CallKind, ClientError};
use super::wire::{
    ContactList, codes, envelope_code, envelope_message, is_success_code, read_contact_list,
};
use rand::Rng;
use serde_json::Value;
use std::time::Duration;

/// A successful answer.
#[derive(Debug)]
pub enum Answer {
    Body(Value),
    /// A contact list, read straight from the bytes (see `wire::read_contact_list`).
    Contacts(ContactList),
    /// 6451011: an empty result.
    NoRecords,
    /// Any answer but a rate limit, as it came (`check` looks at it itself).
    Raw {
        status: u16,
        body: Vec<u8>,
    },
}

/// How an attempt's answer is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// A CINNOX envelope: `judge`.
    Envelope,
    /// A page of contacts: `judge_list`.
    List,
    /// As it came, but for rate limits (waited out) and transport errors
    /// (retried): `judge_raw`.
    Raw,
}

/// What to do after one attempt.
#[derive(Debug)]
pub enum Verdict {
    Done(Answer),
    Fail(ClientError),
    /// 6451010, 6451013 or HTTP 429: wait the `Retry-After` the server named (or,
    /// when it named none, a growing backoff), then retry.
    WaitAndRetry(Option<Duration>),
    /// A transient failure. `maybe_processed`: the server may have acted on the
    /// request (so a create must not be re-sent). `unreachable`: no connection
    /// could be made at all (refused, DNS, connect timeout).
    Retry {
        reason: String,
        maybe_processed: bool,
        unreachable: bool,
    },
}

/// What the attempt was: the call, the App ID (for messages) and the target named
/// in a not-found error.
pub struct Attempt<'a> {
    pub call: CallKind,
    pub app_id: &'a str,
    pub target: &'a str,
}

/// The longest `Retry-After` honoured; a larger value is read as this.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// The longest wait after a rate limit that named no `Retry-After`: CINNOX's
/// limit is per minute, so a minute always lets the window roll on.
pub const MAX_RATE_LIMIT_BACKOFF: Duration = Duration::from_secs(60);

/// `Retry-After` in seconds; `None` when absent or in the HTTP-date form.
pub fn retry_after(header: Option<&str>) -> Option<Duration> {
    header
        .and_then(|h| h.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s).min(MAX_RETRY_AFTER))
}

/// The wait before retry number `n` (1-based): `base * 2^(n-1)`, capped at 30 s,
/// of which the second half is random so that clients that failed together do not
/// come back together.
pub fn backoff(base: Duration, n: u32) -> Duration {
    backoff_capped(base, n, MAX_BACKOFF)
}

/// As `backoff`, capped at `cap`. Each wait is at least the previous one's most.
pub fn backoff_capped(base: Duration, n: u32, cap: Duration) -> Duration {
    let full = base
        .saturating_mul(1u32 << n.saturating_sub(1).min(16))
        .min(cap);
    let half = full / 2;
    let jitter = rand::rng().random_range(0.0..=1.0);
    half + half.mul_f64(jitter)
}

/// Reads the answer to a list call: the fast reader for a successful list of
/// contacts, else the general `judge`.
pub fn judge_list(
    a: &Attempt<'_>,
    status: u16,
    retry_after_header: Option<&str>,
    body: &[u8],
) -> Verdict {
    if let Some(list) = read_contact_list(body) {
        let ok = match list.code {
            Some(code) => is_success_code(code),
            None => (200..300).contains(&status),
        };
        if ok {
            return Verdict::Done(Answer::Contacts(list));
        }
    }
    judge(a, status, retry_after_header, body)
}

/// Keeps an answer as it came, except a rate limit, which is waited out as for
/// every call (a probe must not push a tenant over its limit either).
pub fn judge_raw(status: u16, retry_after_header: Option<&str>, body: &[u8]) -> Verdict {
    let code = serde_json::from_slice::<Value>(body)
        .ok()
        .as_ref()
        .and_then(envelope_code);
    if status == 429 || matches!(code, Some(codes::RATE_LIMITED | codes::OVER_LIMIT)) {
        return Verdict::WaitAndRetry(retry_after(retry_after_header));
    }
    Verdict::Done(Answer::Raw {
        status,
        body: body.to_vec(),
    })
}

/// Reads one HTTP answer.
pub fn judge(
    a: &Attempt<'_>,
    status: u16,
    retry_after_header: Option<&str>,
    body: &[u8],
) -> Verdict {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let code = json.as_ref().and_then(envelope_code);
    let text = json
        .as_ref()
        .and_then(envelope_message)
        .unwrap_or("")
        .to_string();
    let message = || text.clone();
    match (code, json) {
        (Some(c), Some(body)) if is_success_code(c) => Verdict::Done(Answer::Body(body)),
        (Some(codes::NO_RECORDS), _) => Verdict::Done(Answer::NoRecords),
        (Some(codes::RATE_LIMITED | codes::OVER_LIMIT), _) => {
            Verdict::WaitAndRetry(retry_after(retry_after_header))
        }
        (Some(codes::APP_NAME_CONFLICT), _) => Verdict::Fail(ClientError::AppNameConflict {
            call: a.call,
            message: message(),
        }),
        (Some(codes::SERVICE_ERROR), _) => Verdict::Retry {
            reason: format!("code 6451001 (HTTP {status}): {}", message()),
            maybe_processed: true,
            unreachable: false,
        },
        (Some(codes::INVALID_TOKEN), _) => Verdict::Fail(ClientError::BadToken),
        (Some(codes::INVALID_APP_ID), _) => Verdict::Fail(ClientError::BadAppId {
            app_id: a.app_id.to_string(),
        }),
        (Some(codes::BAD_PARAMETER), _) => Verdict::Fail(match a.call {
            CallKind::Create | CallKind::Update => ClientError::Rejected { message: message() },
            call => ClientError::BadRequest {
                call,
                message: message(),
            },
        }),
        (Some(codes::NOT_FOUND), _) => Verdict::Fail(not_found(a, message())),
        (Some(_), _) if status >= 500 => Verdict::Retry {
            reason: format!("HTTP {status}: {}", message()),
            maybe_processed: true,
            unreachable: false,
        },
        (Some(code), _) => Verdict::Fail(ClientError::Api {
            call: a.call,
            code,
            message: message(),
        }),
        (None, Some(body)) if (200..300).contains(&status) => Verdict::Done(Answer::Body(body)),
        (None, _) => by_status(a, status),
    }
}

fn not_found(a: &Attempt<'_>, message: String) -> ClientError {
    ClientError::NotFound {
        call: a.call,
        target: a.target.to_string(),
        message,
    }
}

/// The decision when the body is not a CINNOX envelope.
fn by_status(a: &Attempt<'_>, status: u16) -> Verdict {
    match status {
        429 => Verdict::WaitAndRetry(None),
        401 | 403 => Verdict::Fail(ClientError::Unauthorized { status }),
        404 | 405 => Verdict::Fail(not_found(a, format!("HTTP {status}"))),
        408 | 500..=599 => Verdict::Retry {
            reason: format!("HTTP {status}"),
            maybe_processed: status != 408,
            unreachable: false,
        },
        _ => Verdict::Fail(ClientError::Protocol {
            call: a.call,
            detail: format!("HTTP {status} with a body that is not a CINNOX answer"),
        }),
    }
}

/// Reads a transport error: a connection that never opened (refused, a name that
/// does not resolve, a connect timeout) is safe to retry for every call; anything
/// later may have reached the server.
pub fn judge_transport(e: &reqwest::Error) -> Verdict {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the answer broke off"
    } else {
        "the connection failed"
    };
    Verdict::Retry {
        reason: format!("{what}: {}", error_chain(e)),
        maybe_processed: !e.is_connect(),
        unreachable: e.is_connect(),
    }
}

/// The error and its sources on one line (reqwest's top-level message alone says
/// little). URLs in it hold no secret: the token travels in a header.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn att(call: CallKind) -> Attempt<'static> {
        Attempt {
            call,
            app_id: "app1",
            target: "contact c1",
        }
    }

    fn judge_json(call: CallKind, status: u16, body: &str) -> Verdict {
        judge(&att(call), status, Some("7"), body.as_bytes())
    }

    #[test]
    fn codes_decide_not_statuses() {
        assert!(matches!(
            judge_json(CallKind::List, 200, r#"{"code":200,"result":[]}"#),
            Verdict::Done(Answer::Body(_))
        ));
        assert!(matches!(
            judge_json(
                CallKind::List,
                200,
                r#"{"code":6451011,"message":"No records found"}"#
            ),
            Verdict::Done(Answer::NoRecords)
        ));
        assert!(matches!(
            judge_json(CallKind::List, 200, r#"{"code":6451010}"#),
            Verdict::WaitAndRetry(Some(d)) if d == Duration::from_secs(7)
        ));
        assert!(matches!(
            judge(
                &att(CallKind::List),
                429,
                None,
                br#"{"code":6451013,"message":"Request item over the limit"}"#
            ),
            Verdict::WaitAndRetry(None)
        ));
        let Verdict::Fail(e) = judge_json(
            CallKind::Create,
            400,
            r#"{"code":6451014,"message":"App name is conflict"}"#,
        ) else {
            panic!("not a failure")
        };
        assert!(e.is_fatal() && e.to_string().contains("same name"), "{e}");
        assert!(matches!(
            judge_json(CallKind::Update, 400, r#"{"code":6451000,"message":"firstName: too long"}"#),
            Verdict::Fail(ClientError::Rejected { message }) if message == "firstName: too long"
        ));
        assert!(matches!(
            judge_json(
                CallKind::List,
                400,
                r#"{"code":6451000,"message":"negative offset"}"#
            ),
            Verdict::Fail(ClientError::BadRequest { .. })
        ));
        assert!(matches!(
            judge_json(CallKind::Staff, 200, r#"{"code":"6452000"}"#),
            Verdict::Fail(ClientError::BadToken)
        ));
        let Verdict::Fail(e) = judge_json(CallKind::List, 401, r#"{"code":6452001}"#) else {
            panic!("not a failure")
        };
        assert!(
            e.is_fatal() && e.to_string().contains("CINNOX_APP_ID"),
            "{e}"
        );
        let Verdict::Fail(e) =
            judge_json(CallKind::Update, 404, r#"{"code":6450001,"message":"m"}"#)
        else {
            panic!("not a failure")
        };
        assert!(
            e.to_string().contains("contact c1") && e.to_string().contains("update"),
            "{e}"
        );
        assert!(matches!(
            judge_json(CallKind::Create, 502, r#"{"code":6451001}"#),
            Verdict::Retry {
                maybe_processed: true,
                ..
            }
        ));
    }

    #[test]
    fn statuses_decide_only_without_an_envelope() {
        let v = |status, body: &str| judge(&att(CallKind::List), status, None, body.as_bytes());
        assert!(matches!(v(429, "slow down"), Verdict::WaitAndRetry(_)));
        assert!(matches!(v(503, "<html>"), Verdict::Retry { .. }));
        assert!(matches!(
            v(401, ""),
            Verdict::Fail(ClientError::Unauthorized { status: 401 })
        ));
        assert!(matches!(
            v(200, "<html>"),
            Verdict::Fail(ClientError::Protocol { .. })
        ));
        assert!(matches!(v(200, r#"{"result":[]}"#), Verdict::Done(_)));
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        let base = Duration::from_millis(100);
        for n in 1..6 {
            let full = base * (1 << (n - 1));
            let d = backoff(base, n);
            assert!(d >= full / 2 && d <= full, "{n}: {d:?}");
        }
        assert!(backoff(base, 40) <= MAX_BACKOFF);
        assert_eq!(retry_after(Some("3")), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")), None);
        assert_eq!(retry_after(None), None);
        assert_eq!(retry_after(Some("99999")), Some(MAX_RETRY_AFTER));
        // Growing: each wait is at least the previous one's most, up to the cap.
        let cap = Duration::from_secs(60);
        let waits: Vec<Duration> = (1..12).map(|n| backoff_capped(base, n, cap)).collect();
        assert!(
            waits.windows(2).all(|w| w[1] >= w[0] || w[1] >= cap / 2),
            "{waits:?}"
        );
        assert!(waits.iter().all(|w| *w <= cap));
    }
}
