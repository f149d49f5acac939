//! The client against servers that answer the way cinnox-api.md says a real tenant
//! might (items under other members, code 200, phones as numbers, no total, HTML
//! errors) or misbehave (a listing that grows while read, offsets ignored). Each
//! is a tiny axum server over loopback.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cinnox_sync::cinnox::{CinnoxClient, ClientConfig, ClientError};
use cinnox_sync::model::FieldId as F;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Copy)]
enum Shape {
    /// `{"code":"200","data":{"contacts":[...]}}`, no total, numbers for phones and ids.
    Variant,
    /// A plain-text 503 before every second answer.
    Flaky,
    /// Two contacts are added at the start while the first pass reads.
    Growing,
    /// Always the first page, whatever the offset.
    IgnoresOffset,
}

#[derive(Clone)]
struct Fake {
    shape: Shape,
    contacts: Arc<Mutex<Vec<Value>>>,
    hits: Arc<AtomicUsize>,
}

fn contact(i: usize) -> Value {
    json!({"id": 1000 + i, "firstName": format!("C{i}"), "mobilePhone": 85291000000u64 + i as u64,
           "slavecontacts": if i == 0 { "x1, x2" } else { "" }})
}

async fn list(State(f): State<Fake>, Query(q): Query<HashMap<String, usize>>) -> Response {
    let hit = f.hits.fetch_add(1, Ordering::SeqCst);
    let (offset, limit) = (
        q.get("offset").copied().unwrap_or(0),
        q.get("limit").copied().unwrap_or(50),
    );
    if let Shape::Flaky = f.shape
        && hit % 2 == 0
    {
        return (StatusCode::SERVICE_UNAVAILABLE, "<html>busy</html>").into_response();
    }
    if let (Shape::Growing, 1) = (f.shape, hit) {
        // New contacts at the front shift every offset: the first pass skips some.
        let mut cs = f.contacts.lock().unwrap();
        cs.insert(0, contact(5000));
        cs.insert(0, contact(5001));
    }
    let cs = f.contacts.lock().unwrap();
    let offset = if let Shape::IgnoresOffset = f.shape {
        0
    } else {
        offset
    };
    let page: Vec<Value> = cs.iter().skip(offset).take(limit).cloned().collect();
    let body = match f.shape {
        Shape::Variant => json!({"code": "200", "data": {"contacts": page}}),
        _ => json!({"code": 0, "result": page, "total": cs.len()}),
    };
    axum::Json(body).into_response()
}

async fn serve(shape: Shape, n: usize) -> (CinnoxClient, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let fake = Fake {
        shape,
        contacts: Arc::new(Mutex::new((0..n).map(contact).collect())),
        hits: hits.clone(),
    };
    let app = Router::new()
        .route("/v1/api/apps/app/contacts/extcontact-list", get(list))
        .with_state(fake);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = CinnoxClient::new(ClientConfig {
        requests_per_minute: None,
        backoff_base: Duration::from_millis(1),
        ..ClientConfig::new(base, "app", "token")
    })
    .unwrap();
    (client, hits)
}

#[tokio::test]
async fn reads_other_list_members_code_200_numbers_and_no_total() {
    let (c, hits) = serve(Shape::Variant, 1100).await;
    let listed = c.list_contacts().await.unwrap();
    assert_eq!(listed.len(), 1100);
    assert_eq!(listed[0].id, "1000");
    assert_eq!(listed[0].values.get(F::MobilePhone), "+85291000000");
    assert_eq!(listed[0].slave_contacts, vec!["x1", "x2"]);
    // Without a total, a short page is the last one.
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn retries_errors_that_are_not_json() {
    let (c, hits) = serve(Shape::Flaky, 700).await;
    assert_eq!(c.list_contacts().await.unwrap().len(), 700);
    assert_eq!(hits.load(Ordering::SeqCst), 4);
    assert_eq!(c.calls().retries, 2);
}

#[tokio::test]
async fn reads_again_when_the_count_moved_and_keeps_each_contact_once() {
    let (c, _) = serve(Shape::Growing, 1200).await;
    let listed = c.list_contacts().await.unwrap();
    assert_eq!(listed.len(), 1202);
    let mut ids: Vec<&str> = listed.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 1202);
    // One pass of 3 pages that saw the count move, then a clean pass of 3.
    assert_eq!(c.calls().list, 6);
}

#[tokio::test]
async fn a_server_that_ignores_offsets_is_a_protocol_error_not_an_endless_read() {
    let (c, hits) = serve(Shape::IgnoresOffset, 600).await;
    let e = c.list_contacts().await.unwrap_err();
    assert!(matches!(e, ClientError::Protocol { .. }), "{e:?}");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}
