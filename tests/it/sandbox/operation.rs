//! The sandbox as it is operated, over raw HTTP: the rate limit, stats, the faults
//! endpoint, persistence across a restart, and seeding.

use super::http::{CREATE, Http, LIST, start};
use cinnox_sync::cinnox::Secret;
use cinnox_sync::sandbox::{self, SandboxConfig};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn over_the_limit_answers_429_with_retry_after() {
    let sb = sandbox::start(SandboxConfig {
        rate_limit: Some(2),
        seed_contacts: 1,
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let h = Http::new(&sb);
    for _ in 0..2 {
        assert_eq!(h.api(Method::GET, LIST, None).await.0, StatusCode::OK);
    }
    let (s, retry, b) = h.api(Method::GET, LIST, None).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(b["code"], 6451010);
    let secs: u64 = retry.expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&secs), "{secs}");
    // The dashboard side is not limited.
    h.sandbox(Method::GET, "stats", None).await;
    assert_eq!(h.stats().await.count("list", "6451010"), 1);
}

#[tokio::test]
async fn stats_have_a_stable_shape_and_reset() {
    let sb = start(2).await;
    let h = Http::new(&sb);
    h.api(Method::GET, LIST, None).await;
    let raw = h.sandbox(Method::GET, "stats", None).await;
    assert_eq!(
        raw,
        json!({
            "requests": 1,
            "endpoints": {"list": {"0": 1}, "create": {}, "update": {}, "staff": {},
                          "subscribe": {}, "unknown": {}},
            "faults": {"server_error": 0, "lost_create": 0},
            "webhooks": {"sent": 0, "failed": 0, "pending": 0}
        })
    );
    h.sandbox(Method::POST, "stats/reset", None).await;
    assert_eq!(h.stats().await.requests, 0);
}

#[tokio::test]
async fn faults_can_be_read_and_changed_at_runtime() {
    let sb = start(1).await;
    let h = Http::new(&sb);
    let f = h.sandbox(Method::GET, "faults", None).await;
    assert_eq!(
        f,
        json!({"server_error": 0.0, "latency_ms": 0, "lost_create": 0.0})
    );
    let f = h
        .sandbox(
            Method::POST,
            "faults",
            Some(json!({"server_error": 1.0, "seed": 3})),
        )
        .await;
    assert_eq!(f["server_error"], 1.0);
    let (s, _, b) = h.api(Method::GET, LIST, None).await;
    assert_eq!(
        (s, b["code"].as_i64()),
        (StatusCode::BAD_GATEWAY, Some(6451001))
    );
    h.sandbox(Method::POST, "faults", Some(json!({"server_error": 0})))
        .await;
    assert_eq!(h.api(Method::GET, LIST, None).await.0, StatusCode::OK);
    let stats = h.stats().await;
    assert_eq!(
        (stats.count("list", "6451001"), stats.faults.server_error),
        (1, 1)
    );
    let (s, _, _) = h
        .send(
            Method::POST,
            &format!("{}/sandbox/faults", h.base),
            None,
            Some(json!({"server_error": 2})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_restart_on_the_same_file_keeps_every_contact_and_the_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sandbox.db");
    let config = SandboxConfig {
        db: Some(db.clone()),
        rate_limit: None,
        seed_contacts: 300,
        ..SandboxConfig::default()
    };
    let sb = sandbox::start(config.clone()).await.unwrap();
    let h = Http::new(&sb);
    let (_, _, b) = h
        .api(Method::POST, CREATE, Some(json!({"firstName": "Kept"})))
        .await;
    let created = b["id"].as_str().unwrap().to_string();
    let ids: Vec<String> = sb
        .sandbox()
        .contacts()
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let absorbed = ids[1].clone();
    h.sandbox(
        Method::POST,
        "merge",
        Some(json!({"survivor": ids[0], "absorbed": [absorbed]})),
    )
    .await;
    h.sandbox(Method::POST, &format!("contacts/{}/delete", ids[2]), None)
        .await;
    let before: Vec<_> = sb.sandbox().contacts();
    let (app, token) = (sb.app_id().to_string(), sb.app_token().expose().to_string());
    sb.shutdown().await.unwrap();

    // No credentials given: the saved ones are used; contacts are not seeded again.
    let again = sandbox::start(config).await.unwrap();
    assert_eq!(
        (again.app_id(), again.app_token().expose()),
        (app.as_str(), token.as_str())
    );
    let after = again.sandbox().contacts();
    assert_eq!(after, before);
    assert_eq!(after.len(), 299);
    assert_eq!(after[0].slave_contacts, vec![absorbed]);
    assert!(after.iter().any(|c| c.id == created));
    again.shutdown().await.unwrap();

    // Given credentials win over the saved ones.
    let third = sandbox::start(SandboxConfig {
        db: Some(db),
        app_id: Some("fixed".into()),
        app_token: Some(Secret::new("fixed-token")),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    assert_eq!(third.app_id(), "fixed");
    assert_eq!(third.contact_count(), 299);
}

#[tokio::test]
async fn seeding_plants_contacts_unchecked_and_in_bulk() {
    let sb = start(0).await;
    let h = Http::new(&sb);
    let owner = sb.sandbox().staff_page(0, 10, "Ben").0.remove(0);
    let mut contacts: Vec<Value> = (0..6000)
        .map(|i| json!({"firstName": format!("Bulk {i}"), "companyName": "x".repeat(600)}))
        .collect();
    contacts.push(json!({"id": "planted", "mobilePhone": "9123 4567", "ownerId": owner.id}));
    let b = h
        .sandbox(
            Method::POST,
            "contacts",
            Some(json!({"contacts": contacts, "notify": false})),
        )
        .await;
    assert_eq!(b["ids"].as_array().unwrap().len(), 6001);
    let planted = h.sandbox(Method::GET, "contacts/planted", None).await;
    assert_eq!(planted["mobilePhone"], "9123 4567", "seeds are not checked");
    assert_eq!(planted["ownerName"], "Ben Chan");
    let generated = h
        .sandbox(Method::POST, "contacts", Some(json!({"generate": 3})))
        .await;
    assert_eq!(generated["ids"].as_array().unwrap().len(), 3);
    assert_eq!(sb.contact_count(), 6004);
    let (s, _, b) = h
        .send(
            Method::POST,
            &format!("{}/sandbox/contacts", h.base),
            None,
            Some(json!([{"id": "planted"}])),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_i64()),
        (StatusCode::BAD_REQUEST, Some(6451000))
    );
}
