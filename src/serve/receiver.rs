//! The webhook receiver, `POST /webhooks/cinnox/<secret>`: CINNOX signs nothing, so
//! the path is the secret (one per job, kept in its state file). A path no job has
//! gets 404 and no detail; a body over 64 KiB 413; a body that is not JSON 400; the
//! challenge handshake is echoed; an event, in the wrapped or the flat form and
//! whatever its status, is stored in the job's inbox and answered 200 only once it
//! is committed. What the receiver holds is bounded: at most `MAX_IN_FLIGHT`
//! requests at once (more get 503 with `Retry-After`, at once), each body at most
//! 64 KiB, and the inbox keeps the parsed event, not the body.

use super::App;
use super::inbox::Refused;
use super::jobs::ServedJob;
use super::metrics::Rejected;
use crate::cinnox::wire::{self, ContactEvent};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// The largest delivery body read.
pub const MAX_BODY: usize = 64 * 1024;
/// Requests handled at once; more are answered 503 at once.
pub const MAX_IN_FLIGHT: usize = 1024;
/// Absorbed ids of a merge kept in the inbox entry (the entry is a hint).
const MAX_IDS_KEPT: usize = 50;

pub async fn deliver(
    State(app): State<Arc<App>>,
    Path(secret): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(job) = app.job_by_secret(&secret) else {
        app.metrics.rejected(Rejected::NotFound);
        return StatusCode::NOT_FOUND.into_response();
    };
    if !app.accepting.load(Ordering::SeqCst) {
        return busy("the service is stopping");
    }
    let Ok(_permit) = app.in_flight.try_acquire() else {
        app.metrics.rejected(Rejected::Busy);
        return busy("too many deliveries at once");
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        app.metrics.rejected(Rejected::TooLarge);
        return too_large();
    }
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            let over = e
                .into_inner()
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some();
            return if over {
                app.metrics.rejected(Rejected::TooLarge);
                too_large()
            } else {
                app.metrics.rejected(Rejected::BadJson);
                refuse(StatusCode::BAD_REQUEST, "the body could not be read")
            };
        }
    };
    let Ok(value) = serde_json::from_slice::<Value>(&bytes) else {
        app.metrics.rejected(Rejected::BadJson);
        return refuse(StatusCode::BAD_REQUEST, "the body is not JSON");
    };
    if let Some(challenge) = wire::challenge_of(&value) {
        return (StatusCode::OK, axum::Json(wire::challenge_reply(challenge))).into_response();
    }
    let Some(event) = ContactEvent::from_json(&value) else {
        app.metrics.rejected(Rejected::NotAnEvent);
        return refuse(
            StatusCode::BAD_REQUEST,
            "neither a challenge nor a contact event",
        );
    };
    accept(&app, &job, &event).await
}

/// Stores the event in the job's inbox and tells the job's loop.
async fn accept(app: &App, job: &Arc<ServedJob>, event: &ContactEvent) -> Response {
    match job
        .inbox
        .submit(&event.status, &event.id, hint(event))
        .await
    {
        Ok(seq) => {
            job.metrics.accepted.fetch_add(1, Ordering::Relaxed);
            if job.debounce().delivery(seq, Instant::now()) {
                job.metrics.coalesced.fetch_add(1, Ordering::Relaxed);
            }
            job.wake.notify_one();
            (StatusCode::OK, axum::Json(wire::event_reply())).into_response()
        }
        Err(Refused::Busy) => {
            app.metrics.rejected(Rejected::Busy);
            busy("the inbox is full")
        }
        Err(e) => {
            app.metrics.rejected(Rejected::StoreFailed);
            tracing::error!(job = %job.name, "a webhook delivery was refused: {e}");
            busy("the delivery could not be stored")
        }
    }
}

/// What the inbox keeps of an event: the members that say what happened.
fn hint(e: &ContactEvent) -> String {
    let mut v = json!({"status": e.status});
    let mut put = |k: &str, s: &str| {
        if !s.is_empty() {
            v[k] = s.into();
        }
    };
    put("id", &e.id);
    put("name", &e.full_name);
    put("fromOwnerID", &e.from_owner_id);
    put("toOwnerID", &e.to_owner_id);
    put("type", &e.kind);
    if !e.merged_ids.is_empty() {
        let kept: Vec<&String> = e.merged_ids.iter().take(MAX_IDS_KEPT).collect();
        v["mergedIds"] = json!(kept);
    }
    v.to_string()
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"code": status.as_u16(), "message": message})),
    )
        .into_response()
}

fn too_large() -> Response {
    refuse(StatusCode::PAYLOAD_TOO_LARGE, "the body is over 64 KiB")
}

/// 503 with `Retry-After: 1`: come back in a second.
fn busy(message: &str) -> Response {
    let mut r = refuse(StatusCode::SERVICE_UNAVAILABLE, message);
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

/// Compares secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
