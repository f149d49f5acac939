//! The Open API handlers of the sandbox (cinnox-api.md §3-§5): list contacts,
//! create, update, list staff, and the event subscriptions. Credentials, rate
//! limit and faults were settled by the gate; these parse, check, act and answer.

use super::body::parse_write_body;
use super::gate::{Outcome, answer, error, severed, unknown_method};
use super::state::{OpError, Sandbox, lock};
use super::wire::{self, Subscription, codes, staff_json};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

type Shared = State<Arc<Sandbox>>;

/// `offset` and `limit` as CINNOX reads them: defaults 0 and 50, `limit` at most
/// 500, negatives refused (with CINNOX's own messages).
pub(crate) fn paging(query: Option<&str>) -> Result<(usize, usize), String> {
    let (mut offset, mut limit) = (0i64, wire::DEFAULT_PAGE as i64);
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        let slot = match k.as_ref() {
            "offset" => &mut offset,
            "limit" => &mut limit,
            _ => continue,
        };
        *slot = v
            .trim()
            .parse()
            .map_err(|_| format!("invalid query: {k}={v} is not a whole number"))?;
    }
    if offset < 0 {
        return Err("negative offset".into());
    }
    if limit < 0 {
        return Err("negative limit".into());
    }
    if limit as usize > wire::MAX_PAGE {
        return Err(format!("exceed maximum limit {}", wire::MAX_PAGE));
    }
    if limit == 0 {
        limit = wire::DEFAULT_PAGE as i64;
    }
    Ok((offset as usize, limit as usize))
}

fn query_param(query: Option<&str>, name: &str) -> String {
    url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// `{"code":0,"total":N,"result":[...]}` from pre-rendered items.
fn list_answer(items: &[Arc<str>], total: usize) -> Response {
    let mut body = String::with_capacity(40 + items.iter().map(|i| i.len() + 1).sum::<usize>());
    body.push_str(r#"{"code":0,"total":"#);
    body.push_str(&total.to_string());
    body.push_str(r#","result":["#);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(item);
    }
    body.push_str("]}");
    let mut resp = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
    resp.extensions_mut().insert(Outcome(codes::OK));
    resp
}

fn no_records() -> Response {
    error(codes::NO_RECORDS, "No records found")
}

pub(crate) fn op_error(e: OpError) -> Response {
    match e {
        OpError::NotFound(m) => error(codes::NOT_FOUND, m),
        OpError::Invalid(m) => error(codes::BAD_PARAMETER, m),
        OpError::Store(e) => {
            tracing::error!("sandbox storage failed: {e}");
            error(codes::SERVICE_ERROR, "Bad response from the service")
        }
    }
}

pub(crate) async fn list_contacts(State(sb): Shared, RawQuery(q): RawQuery) -> Response {
    let (offset, limit) = match paging(q.as_deref()) {
        Ok(p) => p,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    let (items, total) = sb.list_page(offset, limit);
    if items.is_empty() {
        return no_records();
    }
    list_answer(&items, total)
}

pub(crate) async fn create_contact(State(sb): Shared, body: Bytes) -> Response {
    let values = match parse_write_body(&body) {
        Ok(v) => v,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    match sb.create(values) {
        Ok(id) => {
            if lock(&sb.dice).lost_create() {
                sb.stats.lost_create_injected();
                tracing::debug!("fault: losing the answer of create {id}");
                return severed();
            }
            answer(StatusCode::OK, json!({ "code": codes::OK, "id": id }))
        }
        Err(e) => op_error(e),
    }
}

pub(crate) async fn update_contact(
    State(sb): Shared,
    Path((_app, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    if sb.contact(&id).is_none() {
        return error(
            codes::NOT_FOUND,
            format!("no external contact with id `{id}`"),
        );
    }
    let values = match parse_write_body(&body) {
        Ok(v) => v,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    match sb.update(&id, values) {
        Ok(()) => answer(StatusCode::OK, json!({ "code": codes::OK, "id": id })),
        Err(e) => op_error(e),
    }
}

pub(crate) async fn list_staff(State(sb): Shared, RawQuery(q): RawQuery) -> Response {
    let (offset, limit) = match paging(q.as_deref()) {
        Ok(p) => p,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    let (staff, total) = sb.staff_page(offset, limit, &query_param(q.as_deref(), "fullName"));
    if staff.is_empty() {
        return no_records();
    }
    let staff: Vec<Value> = staff.iter().map(staff_json).collect();
    answer(
        StatusCode::OK,
        json!({ "code": codes::OK, "total": total, "result": staff }),
    )
}

pub(crate) async fn subscribe(
    State(sb): Shared,
    Path((_app, which)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let Some(kind) = Subscription::from_path(&which) else {
        return unknown_method(&method, &uri.to_string());
    };
    if method == Method::GET {
        // Not in CINNOX's documents (assumed, docs/cinnox-api.md §5): lets `check`
        // show the state without changing it.
        let state = sb.subscription(kind).unwrap_or_default();
        return subscription_answer(&state);
    }
    let (enabled, url) = match wire::subscription_request(&body) {
        Ok(r) => r,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    match sb.subscribe(kind, enabled, &url).await {
        Ok(state) => subscription_answer(&state),
        Err(e) => op_error(e),
    }
}

fn subscription_answer(state: &wire::SubscriptionState) -> Response {
    let mut body = state.to_json();
    body["code"] = codes::OK.into();
    answer(StatusCode::OK, body)
}

pub(crate) async fn fallback(method: Method, uri: Uri) -> Response {
    unknown_method(&method, &uri.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_follows_cinnox() {
        assert_eq!(paging(None), Ok((0, 50)));
        assert_eq!(paging(Some("offset=1000&limit=500")), Ok((1000, 500)));
        assert_eq!(
            paging(Some("limit=501")),
            Err("exceed maximum limit 500".into())
        );
        assert_eq!(paging(Some("offset=-1")), Err("negative offset".into()));
        assert_eq!(paging(Some("limit=-5")), Err("negative limit".into()));
        assert!(paging(Some("limit=ten")).unwrap_err().contains("limit=ten"));
        assert_eq!(paging(Some("limit=0")), Ok((0, 50)));
    }
}
