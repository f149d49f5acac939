//! The fake's request handling: routing on the raw (still encoded) path, bearer
//! checks, injected faults, counting, and the spreadsheet operations themselves.

use super::ops::{append, batch_update, input, meta, read, structural, update};
use super::ranges;
use super::{Kind, Logged, State, token};
use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub(super) async fn handle(
    AxState(state): AxState<Arc<Mutex<State>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let (response, stall) = {
        let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
        let path = uri.path();
        let response = match (method.clone(), path) {
            (Method::POST, "/token") => token::token(&mut s, &body),
            (Method::GET, "/auth") => token::auth(&mut s, &query),
            _ => match path.strip_prefix("/v4/spreadsheets/") {
                Some(rest) => api(&mut s, &method, rest, query, uri.query(), &headers, &body),
                None => error(404, "no such endpoint in the fake".into(), None),
            },
        };
        (response, s.stall_now.take())
    };
    // Held back with the state unlocked: other requests are served meanwhile.
    if let Some(d) = stall {
        tokio::time::sleep(d).await;
    }
    response
}

pub(super) fn error(status: u16, message: String, retry_after: Option<u64>) -> Response {
    let name = match status {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED",
        503 => "UNAVAILABLE",
        _ => "INTERNAL",
    };
    let body = json!({"error": {"code": status, "message": message, "status": name}});
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = (code, axum::Json(body)).into_response();
    if let Some(secs) = retry_after
        && let Ok(v) = secs.to_string().parse()
    {
        resp.headers_mut().insert("retry-after", v);
    }
    resp
}

fn api(
    s: &mut State,
    method: &Method,
    rest: &str,
    query: HashMap<String, String>,
    raw_query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let (kind, id, raw_range) = if let Some((id, tail)) = rest.split_once("/values/") {
        match (method, tail.strip_suffix(":append")) {
            (&Method::POST, Some(r)) => (Kind::Append, id, Some(r)),
            (&Method::GET, None) => (Kind::Read, id, Some(tail)),
            (&Method::PUT, None) => (Kind::Update, id, Some(tail)),
            _ => return error(404, format!("no {method} on values/{tail}"), None),
        }
    } else if let Some(id) = rest.strip_suffix("/values:batchUpdate") {
        (Kind::BatchUpdate, id, None)
    } else if let Some(id) = rest.strip_suffix(":batchUpdate") {
        (Kind::Structural, id, None)
    } else if method == Method::GET {
        (Kind::Meta, rest, None)
    } else {
        return error(404, format!("no {method} on {rest}"), None);
    };
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !bearer.is_some_and(|t| s.tokens.contains(t)) {
        return error(
            401,
            "Request had invalid authentication credentials.".into(),
            None,
        );
    }
    let fault = match s.faults.front() {
        Some(f) if f.kind.is_none_or(|k| k == kind) => s.faults.pop_front(),
        _ => None,
    };
    if let Some(f) = &fault
        && !f.after_apply
    {
        s.counts.faults += 1;
        return error(f.status, "injected failure".into(), f.retry_after);
    }
    let body: Value = if body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => return error(400, format!("bad JSON: {e}"), None),
        }
    };
    s.log.push(Logged {
        kind,
        raw_path: rest.to_string(),
        query: query.clone(),
        body: body.clone(),
    });
    let range = match raw_range.map(|r| ranges::percent_decode(r).and_then(|d| ranges::parse(&d))) {
        Some(None) => {
            return error(
                400,
                format!("Unable to parse range: {}", raw_range.unwrap_or_default()),
                None,
            );
        }
        Some(Some(r)) => Some(r),
        None => None,
    };
    let Some(book) = s.books.get_mut(id) else {
        return error(404, "Requested entity was not found.".into(), None);
    };
    let result = match (kind, range) {
        (Kind::Read, Some(r)) => read(book, &r, &query),
        (Kind::Update, Some(r)) => input(&query, &body).and_then(|i| update(book, &r, i, &body)),
        (Kind::Append, Some(r)) => {
            input(&query, &body).and_then(|i| append(book, &r, i, &query, &body))
        }
        (Kind::BatchUpdate, _) => input(&query, &body).and_then(|i| batch_update(book, i, &body)),
        (Kind::Meta, _) => {
            // `ranges` may repeat, so it is read from the raw query.
            let asked: Vec<String> =
                url::form_urlencoded::parse(raw_query.unwrap_or("").as_bytes())
                    .filter(|(k, _)| k == "ranges")
                    .map(|(_, v)| v.into_owned())
                    .collect();
            let grid = query.get("includeGridData").map(String::as_str) == Some("true");
            meta(book, id, &asked, grid)
        }
        (Kind::Structural, _) => structural(book, &body),
        _ => Err((400, "missing range".into())),
    };
    match result {
        Err((status, message)) => error(status, message, None),
        Ok(v) => {
            let c = &mut s.counts;
            *match kind {
                Kind::Read => &mut c.reads,
                Kind::Meta => &mut c.meta_reads,
                Kind::BatchUpdate => &mut c.batch_updates,
                Kind::Append => &mut c.appends,
                Kind::Update => &mut c.updates,
                Kind::Structural => &mut c.structural,
            } += 1;
            if let Some(f) = fault {
                if f.stall.is_some() {
                    s.stall_now = f.stall;
                    return axum::Json(v).into_response();
                }
                s.counts.faults += 1;
                return error(f.status, "injected failure after applying".into(), None);
            }
            axum::Json(v).into_response()
        }
    }
}
