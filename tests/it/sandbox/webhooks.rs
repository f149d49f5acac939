//! Event subscriptions and webhooks over loopback: the challenge handshake (a
//! receiver that echoes the wrong challenge is refused), and the webhook each
//! dashboard action and API write sends. The receiver is a tiny axum server.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use cinnox_sync::cinnox::wire::{self, ContactEvent, EventStatus, EventSubscription};
use cinnox_sync::cinnox::{CinnoxClient, ClientConfig, ClientError};
use cinnox_sync::model::{FieldId as F, FieldValues};
use cinnox_sync::sandbox::{self, RunningSandbox, SandboxConfig};
use cinnox_sync::sandbox::{Staff, WebhookForm};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Echo,
    WrongEcho,
    RefuseEvents,
}

#[derive(Clone)]
struct Receiver {
    mode: Mode,
    events: Arc<Mutex<Vec<ContactEvent>>>,
}

async fn receive(State(r): State<Receiver>, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    if let Some(challenge) = wire::challenge_of(&body) {
        let echo = if r.mode == Mode::WrongEcho {
            "not-it"
        } else {
            challenge
        };
        return (StatusCode::OK, Json(wire::challenge_reply(echo)));
    }
    if r.mode == Mode::RefuseEvents {
        return (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({})));
    }
    let event = ContactEvent::from_json(&body).expect("an event");
    r.events.lock().unwrap().push(event);
    (StatusCode::OK, Json(wire::event_reply()))
}

/// Starts a receiver; answers its URL and the events it gets.
async fn receiver(mode: Mode) -> (String, Arc<Mutex<Vec<ContactEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let app = axum::Router::new()
        .route("/hook", post(receive))
        .with_state(Receiver {
            mode,
            events: events.clone(),
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, events)
}

async fn start() -> (RunningSandbox, CinnoxClient) {
    start_with(WebhookForm::Wrapped).await
}

async fn start_with(webhook_form: WebhookForm) -> (RunningSandbox, CinnoxClient) {
    let sb = sandbox::start(SandboxConfig {
        rate_limit: None,
        webhook_form,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let c = CinnoxClient::new(ClientConfig {
        requests_per_minute: None,
        ..sb.client_config()
    })
    .unwrap();
    (sb, c)
}

async fn settle(sb: &RunningSandbox) {
    assert!(
        sb.sandbox().webhooks_settled(Duration::from_secs(30)).await,
        "deliveries still pending"
    );
}

async fn dashboard(sb: &RunningSandbox, path: &str, body: Value) -> Value {
    let resp = reqwest::Client::new()
        .post(format!("{}/sandbox/{path}", sb.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().await.unwrap()
}

fn named(first: &str) -> FieldValues {
    [(F::FirstName, first), (F::LastName, "Lee")]
        .into_iter()
        .collect()
}

#[tokio::test]
async fn a_url_that_echoes_the_challenge_is_subscribed() {
    let (sb, c) = start().await;
    let (url, _) = receiver(Mode::Echo).await;
    let state = c.subscribe_contact_events(&url).await.unwrap();
    assert!(state.enabled);
    assert_eq!(state.url, url);
    assert!(chrono::DateTime::parse_from_rfc3339(&state.updated_at).is_ok());
    let subs = dashboard_get(&sb, "subscriptions").await;
    assert_eq!(subs["result"]["contact-event-sub"]["enabled"], true);
    let off = c.unsubscribe_contact_events().await.unwrap();
    assert!(!off.enabled);
    assert_eq!(off.url, url, "turning off keeps the URL");
    assert_eq!(sb.sandbox().stats().count("subscribe", "0"), 2);
}

async fn dashboard_get(sb: &RunningSandbox, path: &str) -> Value {
    reqwest::get(format!("{}/sandbox/{path}", sb.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_url_that_echoes_the_wrong_challenge_is_refused() {
    let (sb, c) = start().await;
    let (url, _) = receiver(Mode::WrongEcho).await;
    let e = c.subscribe_contact_events(&url).await.unwrap_err();
    match &e {
        ClientError::SubscriptionRefused { message } => {
            assert!(message.contains("different challenge"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    // Nobody listens here: refused as well.
    let e = c
        .subscribe_contact_events("http://127.0.0.1:9/hook")
        .await
        .unwrap_err();
    assert!(
        matches!(e, ClientError::SubscriptionRefused { .. }),
        "{e:?}"
    );
    let subs = dashboard_get(&sb, "subscriptions").await;
    assert_eq!(subs["result"], json!({}));
    assert_eq!(sb.sandbox().stats().count("subscribe", "6451000"), 2);
}

#[tokio::test]
async fn writes_and_dashboard_actions_send_the_webhooks_cinnox_would_send() {
    let (sb, c) = start().await;
    let (url, events) = receiver(Mode::Echo).await;
    c.subscribe_contact_events(&url).await.unwrap();

    let a = c.create_contact(&named("Ann")).await.unwrap();
    let b = c.create_contact(&named("Bob")).await.unwrap();
    let d = c.create_contact(&named("Dan")).await.unwrap();
    let e = c.create_contact(&named("Eve")).await.unwrap();
    c.update_contact(&a, &named("Anne")).await.unwrap();
    let edited = dashboard(
        &sb,
        &format!("contacts/{b}/edit"),
        json!({"jobTitle": "Buyer"}),
    )
    .await;
    assert_eq!(edited["jobTitle"], "Buyer");
    dashboard(&sb, &format!("contacts/{e}/delete"), json!(null)).await;
    // Bob into Dan, then Dan into Anne: Anne lists both, Bob's fields fill Anne's gaps.
    dashboard(&sb, "merge", json!({"survivor": d, "absorbed": [b]})).await;
    let survivor = dashboard(&sb, "merge", json!({"survivor": a, "absorbed": [d]})).await;
    assert_eq!(survivor["slaveContacts"], json!([d, b]));
    assert_eq!(survivor["firstName"], "Anne");
    assert_eq!(survivor["jobTitle"], "Buyer");
    let staff = c.list_staff().await.unwrap();
    let (from, to) = (staff[0].id.clone(), staff[1].id.clone());
    let moved = dashboard(&sb, "transfer", json!({"contactIds": [a], "toOwnerId": to})).await;
    assert_eq!(moved["transferred"], 1);
    settle(&sb).await;

    let listed = c.list_contacts().await.unwrap();
    assert_eq!(
        listed.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        [a.as_str()]
    );
    assert_eq!(listed[0].slave_contacts, vec![d.clone(), b.clone()]);
    assert_eq!(listed[0].values.get(F::OwnerId), to);
    assert_eq!(listed[0].values.get(F::OwnerName), staff[1].owner_name());
    assert_eq!(listed[0].values.get(F::OwnerDepartment), "Sales");

    let got = events.lock().unwrap().clone();
    let summary: Vec<(&str, &str)> = got
        .iter()
        .map(|e| (e.status.as_str(), e.id.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("create", a.as_str()),
            ("create", b.as_str()),
            ("create", d.as_str()),
            ("create", e.as_str()),
            ("edit", a.as_str()),
            ("edit", b.as_str()),
            ("delete", e.as_str()),
            ("merge", d.as_str()),
            ("merge", a.as_str()),
            ("transfer", a.as_str()),
        ]
    );
    assert_eq!(got[0].full_name, "Ann Lee");
    assert_eq!(got[0].service_id, sb.app_id());
    assert_eq!(got[0].kind, "contact");
    assert_eq!(got[8].merged_ids, vec![d.clone()]);
    assert_eq!(
        (got[9].from_owner_id.as_str(), got[9].to_owner_id.as_str()),
        (from.as_str(), to.as_str())
    );
    let stats = sb.sandbox().stats();
    assert_eq!(
        (
            stats.webhooks.sent,
            stats.webhooks.failed,
            stats.webhooks.pending
        ),
        (10, 0, 0)
    );
}

#[tokio::test]
async fn staff_events_go_to_the_staff_subscription_only() {
    let (sb, c) = start().await;
    let (contacts_url, contact_events) = receiver(Mode::Echo).await;
    let (staff_url, staff_events) = receiver(Mode::Echo).await;
    c.subscribe_contact_events(&contacts_url).await.unwrap();
    c.set_subscription(EventSubscription::StaffContact, true, &staff_url)
        .await
        .unwrap();
    let ids = sb
        .sandbox()
        .seed_staff(vec![Staff {
            first_name: "Fay".into(),
            last_name: "Ng".into(),
            ..Default::default()
        }])
        .unwrap();
    settle(&sb).await;
    let got = staff_events.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(
        (
            got[0].kind.as_str(),
            got[0].status.as_str(),
            got[0].id.as_str()
        ),
        ("staff", "create", ids[0].as_str())
    );
    assert!(contact_events.lock().unwrap().is_empty());
}

#[tokio::test]
async fn nothing_is_sent_after_unsubscribing_and_refused_deliveries_are_counted() {
    let (sb, c) = start().await;
    let (url, events) = receiver(Mode::Echo).await;
    c.subscribe_contact_events(&url).await.unwrap();
    c.unsubscribe_contact_events().await.unwrap();
    c.create_contact(&named("Quiet")).await.unwrap();
    settle(&sb).await;
    assert!(events.lock().unwrap().is_empty());
    assert_eq!(sb.sandbox().stats().webhooks.sent, 0);

    // A receiver that passes the handshake, then answers every event with a 500.
    let (bad_url, _) = receiver(Mode::RefuseEvents).await;
    c.subscribe_contact_events(&bad_url).await.unwrap();
    c.create_contact(&named("Lost")).await.unwrap();
    settle(&sb).await;
    let w = sb.sandbox().stats().webhooks;
    assert_eq!((w.sent, w.failed, w.pending), (0, 1, 0));
}

#[tokio::test]
async fn flat_deliveries_as_the_zapier_triggers_show_them_are_understood() {
    let (sb, c) = start_with(WebhookForm::Flat).await;
    let (url, events) = receiver(Mode::Echo).await;
    c.subscribe_contact_events(&url).await.unwrap();
    let a = c.create_contact(&named("Ann")).await.unwrap();
    let b = c.create_contact(&named("Bob")).await.unwrap();
    let staff = c.list_staff().await.unwrap();
    let (from, to) = (staff[0].id.clone(), staff[1].id.clone());
    dashboard(&sb, "transfer", json!({"contactIds": [a], "toOwnerId": to})).await;
    dashboard(&sb, "merge", json!({"survivor": a, "absorbed": [b]})).await;
    // The form can change while the sandbox runs.
    sb.sandbox().set_webhook_form(WebhookForm::Wrapped);
    dashboard(&sb, &format!("contacts/{a}/delete"), json!(null)).await;
    settle(&sb).await;

    let got = events.lock().unwrap().clone();
    let seen: Vec<(EventStatus, &str, wire::EventForm)> = got
        .iter()
        .map(|e| (e.status(), e.full_name.as_str(), e.form))
        .collect();
    use wire::EventForm::{Flat, Wrapped};
    assert_eq!(
        seen,
        [
            (EventStatus::Create, "Ann Lee", Flat),
            (EventStatus::Create, "Bob Lee", Flat),
            (EventStatus::Transfer, "Ann Lee", Flat),
            (EventStatus::Merge, "Ann Lee", Flat),
            (EventStatus::Delete, "Ann Lee", Wrapped),
        ]
    );
    // The flat form names no contact id, only the owners of a transfer.
    assert_eq!(got[2].id, "");
    assert_eq!(
        (got[2].from_owner_id.as_str(), got[2].to_owner_id.as_str()),
        (from.as_str(), to.as_str())
    );
    assert_eq!(got[4].id, a);
}
