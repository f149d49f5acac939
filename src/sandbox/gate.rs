//! The gate every Open API request passes before its handler: endpoint
//! classification (unknown paths and methods answer 6450001), added latency, the
//! App ID and token (6452001 / 6452000), the rate limit (6451010 with
//! `Retry-After`) and injected 502s; then, after the handler, the stats. Handlers
//! tag each answer with its CINNOX code so the gate can count it.

use super::ratelimit::retry_after_secs;
use super::state::{Sandbox, lock};
use super::stats::Endpoint;
use super::wire::{self, Subscription, codes, paths};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::Arc;
use std::time::Instant;

/// The CINNOX code of an answer, for the stats.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Outcome(pub i64);

/// A JSON answer tagged with the `code` it carries.
pub(crate) fn answer(status: StatusCode, body: Value) -> Response {
    let code = body
        .get("code")
        .and_then(Value::as_i64)
        .unwrap_or(codes::OK);
    let mut resp = (status, axum::Json(body)).into_response();
    resp.extensions_mut().insert(Outcome(code));
    resp
}

/// An error envelope with the HTTP status the contract gives its code.
pub(crate) fn error(code: i64, message: impl AsRef<str>) -> Response {
    let status = match code {
        codes::BAD_PARAMETER => StatusCode::BAD_REQUEST,
        codes::SERVICE_ERROR => StatusCode::BAD_GATEWAY,
        codes::RATE_LIMITED => StatusCode::TOO_MANY_REQUESTS,
        codes::INVALID_TOKEN | codes::INVALID_APP_ID => StatusCode::UNAUTHORIZED,
        codes::NOT_FOUND => StatusCode::NOT_FOUND,
        codes::NO_RECORDS => StatusCode::OK,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    answer(status, wire::error_body(code, message.as_ref()))
}

/// 6450001 for a path or method CINNOX does not have.
pub(crate) fn unknown_method(method: &Method, uri: &str) -> Response {
    error(
        codes::NOT_FOUND,
        format!("Method cannot be found, method: {method} uri: {uri}"),
    )
}

/// The endpoint a request is for, and the App ID in its path.
pub(crate) fn classify<'a>(method: &Method, path: &'a str) -> (Endpoint, &'a str) {
    let Some((app, rest)) = path
        .strip_prefix(paths::PREFIX)
        .and_then(|r| r.split_once('/'))
    else {
        return (Endpoint::Unknown, "");
    };
    let update_id = rest
        .strip_prefix(paths::UPDATE_CONTACT)
        .and_then(|r| r.strip_prefix('/'))
        .filter(|id| !id.is_empty() && !id.contains('/'));
    let endpoint = match *method {
        Method::GET if rest == paths::LIST_CONTACTS => Endpoint::List,
        Method::GET if rest == paths::LIST_STAFF => Endpoint::Staff,
        Method::POST if rest == paths::CREATE_CONTACT => Endpoint::Create,
        Method::PUT if update_id.is_some() => Endpoint::Update,
        Method::PATCH | Method::GET if Subscription::from_path(rest).is_some() => {
            Endpoint::Subscribe
        }
        _ => Endpoint::Unknown,
    };
    (endpoint, app)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Credentials, then the rate limit: the refusal, if any.
fn refusal(sb: &Sandbox, app: &str, headers: &HeaderMap) -> Option<Response> {
    if app != sb.app_id {
        return Some(error(codes::INVALID_APP_ID, "Invalid appID"));
    }
    if bearer(headers) != Some(sb.token.expose()) {
        return Some(error(codes::INVALID_TOKEN, "Invalid token"));
    }
    if let Some(window) = &sb.limiter
        && let Err(wait) = lock(window).admit(Instant::now())
    {
        let mut resp = error(codes::RATE_LIMITED, "Too many requests");
        let secs = HeaderValue::from(retry_after_secs(wait));
        resp.headers_mut().insert(header::RETRY_AFTER, secs);
        return Some(resp);
    }
    None
}

pub(crate) async fn gate(State(sb): State<Arc<Sandbox>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path == "/sandbox" || path.starts_with("/sandbox/") {
        return next.run(req).await;
    }
    let (endpoint, app) = classify(req.method(), path);
    let app = app.to_string();
    let latency = lock(&sb.dice).faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let resp = if endpoint == Endpoint::Unknown {
        unknown_method(req.method(), &req.uri().to_string())
    } else if let Some(refused) = refusal(&sb, &app, req.headers()) {
        refused
    } else if lock(&sb.dice).server_error() {
        sb.stats.server_error_injected();
        error(codes::SERVICE_ERROR, "Bad response from the service")
    } else {
        next.run(req).await
    };
    let outcome = match resp.extensions().get::<Outcome>() {
        Some(Outcome(code)) => code.to_string(),
        None => format!("http_{}", resp.status().as_u16()),
    };
    sb.stats.record(endpoint, &outcome);
    resp
}

/// A body that breaks off at once: the connection is dropped without a complete
/// answer, which a client sees as an error (the lost-create fault).
struct Severed;

impl http_body::Body for Severed {
    type Data = axum::body::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "sandbox fault: the create's answer is lost",
        ))))
    }
}

/// The answer of a create whose answer is lost: counted as a success (the contact
/// was stored), delivered as a broken connection.
pub(crate) fn severed() -> Response {
    let mut resp = Response::new(Body::new(Severed));
    resp.extensions_mut().insert(Outcome(codes::OK));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_methods_name_their_endpoint() {
        let c = |m: Method, p: &str| classify(&m, p).0;
        let base = "/v1/api/apps/app1/";
        assert_eq!(
            c(Method::GET, &format!("{base}contacts/extcontact-list")),
            Endpoint::List
        );
        assert_eq!(
            c(Method::POST, &format!("{base}contacts/extcontact-list")),
            Endpoint::Unknown
        );
        assert_eq!(
            c(
                Method::PUT,
                &format!("{base}management/update_externalcontact/abc")
            ),
            Endpoint::Update
        );
        assert_eq!(
            c(
                Method::PUT,
                &format!("{base}management/update_externalcontact/")
            ),
            Endpoint::Unknown
        );
        assert_eq!(
            c(Method::PATCH, &format!("{base}contact-event-sub")),
            Endpoint::Subscribe
        );
        assert_eq!(c(Method::GET, "/v2/whatever"), Endpoint::Unknown);
        assert_eq!(
            classify(&Method::GET, &format!("{base}contacts/staffcontact-list")).1,
            "app1"
        );
    }
}
