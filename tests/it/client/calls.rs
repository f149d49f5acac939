//! The client against an in-process sandbox over loopback: every call, and every
//! CINNOX error code the client turns into a typed error.

use cinnox_sync::cinnox::{CinnoxClient, ClientConfig, ClientError, Secret};
use cinnox_sync::model::{FieldId as F, FieldValues};
use cinnox_sync::sandbox::Staff;
use cinnox_sync::sandbox::{self, RunningSandbox, SandboxConfig};
use std::collections::HashSet;

async fn sandbox_with(seed_contacts: usize) -> RunningSandbox {
    sandbox::start(SandboxConfig {
        rate_limit: None,
        seed_contacts,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox starts")
}

fn client(sb: &RunningSandbox) -> CinnoxClient {
    CinnoxClient::new(ClientConfig {
        requests_per_minute: None,
        ..sb.client_config()
    })
    .expect("client builds")
}

fn values(pairs: &[(F, &str)]) -> FieldValues {
    pairs.iter().map(|(f, v)| (*f, *v)).collect()
}

#[tokio::test]
async fn lists_every_contact_in_pages_of_500_once_each() {
    let sb = sandbox_with(1234).await;
    let c = client(&sb);
    let mut seen_progress = Vec::new();
    let contacts = c
        .list_contacts_with(|p| seen_progress.push(p.read))
        .await
        .unwrap();
    assert_eq!(contacts.len(), 1234);
    let ids: HashSet<_> = contacts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), 1234);
    assert_eq!(seen_progress, vec![500, 1000, 1234]);
    // Three pages, no extra empty read: the count says when to stop.
    assert_eq!(c.calls().list, 3);
    let stats = sb.sandbox().stats();
    assert_eq!(stats.count("list", "0"), 3);
    assert_eq!(stats.requests, 3);
    // Creation order: the listing is the store's order.
    let order: Vec<String> = sb.sandbox().contacts().into_iter().map(|c| c.id).collect();
    let listed: Vec<String> = contacts.into_iter().map(|c| c.id).collect();
    assert_eq!(listed, order);
}

#[tokio::test]
async fn an_empty_tenant_lists_as_empty_not_as_an_error() {
    let sb = sandbox_with(0).await;
    let c = client(&sb);
    assert!(c.list_contacts().await.unwrap().is_empty());
    assert_eq!(sb.sandbox().stats().count("list", "6451011"), 1);
}

#[tokio::test]
async fn create_then_update_round_trips_through_the_listing() {
    let sb = sandbox_with(0).await;
    let c = client(&sb);
    let id = c
        .create_contact(&values(&[
            (F::FirstName, "Tai Man"),
            (F::LastName, "陳"),
            (F::MobilePhone, "+85291234567"),
            (F::Email, "tm@example.hk"),
            (F::Zipcode, "999077"),
            (F::Line, "taiman.line"),
        ]))
        .await
        .unwrap();
    let listed = c.list_contacts().await.unwrap();
    assert_eq!(listed.len(), 1);
    let got = &listed[0];
    assert_eq!(got.id, id);
    assert_eq!(got.values.get(F::LastName), "陳");
    assert_eq!(got.values.get(F::Line), "taiman.line");
    // CINNOX gives every API-created contact an owner, and the enum defaults.
    assert!(!got.values.get(F::OwnerId).is_empty());
    assert_eq!(got.values.get(F::OwnerName), "Ada Wong");
    assert_eq!(got.values.get(F::Level), "Primary");
    assert_eq!(got.values.get(F::CustomerType), "Lead");

    // Read-modify-write: one field changed, every other field kept.
    let full = CinnoxClient::updated_values(got, &[(F::CompanyName, "Acme".into())]);
    c.update_contact(&id, &full).await.unwrap();
    let after = sb.sandbox().contact(&id).unwrap();
    assert_eq!(after.values.get(F::CompanyName), "Acme");
    assert_eq!(after.values.get(F::Email), "tm@example.hk");
    assert_eq!(after.values.get(F::OwnerId), got.values.get(F::OwnerId));

    // The sandbox replaces: a field missing from the body is cleared.
    c.update_contact(&id, &values(&[(F::FirstName, "Only")]))
        .await
        .unwrap();
    let replaced = sb.sandbox().contact(&id).unwrap();
    assert_eq!(replaced.values.get(F::Email), "");
    assert_eq!(replaced.values.get(F::OwnerName), "Ada Wong");
    let calls = c.calls();
    assert_eq!((calls.create, calls.update, calls.retries), (1, 2, 0));
}

#[tokio::test]
async fn lists_staff() {
    let sb = sandbox_with(0).await;
    sb.sandbox()
        .seed_staff(vec![Staff {
            first_name: "Dora".into(),
            last_name: "Ho".into(),
            ..Default::default()
        }])
        .unwrap();
    let c = client(&sb);
    let staff = c.list_staff().await.unwrap();
    let names: Vec<String> = staff.iter().map(|s| s.owner_name()).collect();
    assert_eq!(names, ["Ada Wong", "Ben Chan", "Carmen Lee", "Dora Ho"]);
    assert_eq!(staff[3].status, "Activated");
    assert_eq!(c.calls().staff, 1);
}

#[tokio::test]
async fn a_bad_token_stops_the_run_naming_the_token() {
    let sb = sandbox_with(1).await;
    let c = CinnoxClient::new(ClientConfig {
        app_token: Secret::new("not-the-token"),
        requests_per_minute: None,
        ..sb.client_config()
    })
    .unwrap();
    let e = c.list_contacts().await.unwrap_err();
    assert!(matches!(e, ClientError::BadToken), "{e:?}");
    assert!(e.is_fatal());
    assert!(e.to_string().contains("CINNOX_APP_TOKEN"), "{e}");
    assert!(!e.to_string().contains("not-the-token"));
    assert_eq!(e.code(), Some(6452000));
    // Fatal errors are not retried.
    assert_eq!(c.calls().list, 1);
}

#[tokio::test]
async fn a_bad_app_id_stops_the_run_naming_the_app_id() {
    let sb = sandbox_with(1).await;
    let c = CinnoxClient::new(ClientConfig {
        app_id: "someone-else".into(),
        requests_per_minute: None,
        ..sb.client_config()
    })
    .unwrap();
    let e = c.list_staff().await.unwrap_err();
    assert!(matches!(e, ClientError::BadAppId { .. }), "{e:?}");
    assert!(e.is_fatal());
    assert!(e.to_string().contains("CINNOX_APP_ID"), "{e}");
    assert_eq!(e.code(), Some(6452001));
}

#[tokio::test]
async fn a_broken_rule_is_a_record_level_rejection_with_the_servers_message() {
    let sb = sandbox_with(1).await;
    let c = client(&sb);
    let long = "a".repeat(51);
    let e = c
        .create_contact(&values(&[(F::FirstName, &long)]))
        .await
        .unwrap_err();
    match &e {
        ClientError::Rejected { message } => {
            assert!(message.starts_with("firstName: "), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert!(e.is_record_level() && !e.is_fatal());
    let id = sb.sandbox().contacts()[0].id.clone();
    let e = c
        .update_contact(&id, &values(&[(F::Birthday, "31/02/1990")]))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, ClientError::Rejected { message } if message.starts_with("birthDate: ")),
        "{e:?}"
    );
    // Nothing stored, nothing retried.
    assert_eq!(sb.sandbox().contacts().len(), 1);
    assert_eq!(c.calls().retries, 0);
    assert_eq!(sb.sandbox().stats().count("create", "6451000"), 1);
}

#[tokio::test]
async fn an_unknown_contact_is_not_found_naming_the_call() {
    let sb = sandbox_with(0).await;
    let c = client(&sb);
    let e = c
        .update_contact("feedfeedfeedfeedfeedfeed", &values(&[(F::FirstName, "X")]))
        .await
        .unwrap_err();
    assert!(matches!(e, ClientError::NotFound { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("update") && text.contains("feedfeedfeedfeedfeedfeed"),
        "{text}"
    );
    assert_eq!(e.code(), Some(6450001));
}

#[tokio::test]
async fn a_page_over_the_limit_is_a_bad_request() {
    let sb = sandbox_with(3).await;
    let c = client(&sb);
    let e = c.list_page(0, 501).await.unwrap_err();
    assert!(
        matches!(&e, ClientError::BadRequest { message, .. } if message == "exceed maximum limit 500"),
        "{e:?}"
    );
    let page = c.list_page(1, 500).await.unwrap();
    assert_eq!((page.items, page.total), (2, Some(3)));
}

#[tokio::test]
async fn clones_share_counters_and_pacing_is_per_account() {
    let sb = sandbox_with(2).await;
    let paced = CinnoxClient::new(sb.client_config()).unwrap();
    let twin = paced.clone();
    twin.list_contacts().await.unwrap();
    assert_eq!(paced.calls().list, 1);
    assert_eq!(paced.calls().requests(), 1);
}

/// A valid value for every writable field.
fn every_writable_field() -> FieldValues {
    F::ALL
        .iter()
        .filter(|f| f.is_writable())
        .map(|f| {
            let v = match f {
                F::MobilePhone => "+85291234567".to_string(),
                F::WorkPhone => "+85221234567".to_string(),
                F::HomePhone => "+85223456789".to_string(),
                F::OtherPhone => "+85261234567".to_string(),
                F::Email | F::PersonalEmail | F::OtherEmail => format!("{}@example.hk", f.key()),
                F::Birthday => "01/02/1990".to_string(),
                F::Language => "zh-hant".to_string(),
                F::Level => "Secondary".to_string(),
                F::CustomerType => "Customer".to_string(),
                F::Zipcode => "999077".to_string(),
                other => format!("v-{}", other.key().replace('.', "-")),
            };
            (*f, v)
        })
        .collect()
}

#[tokio::test]
async fn every_writable_field_the_client_sends_comes_back_in_the_listing() {
    let sb = sandbox_with(0).await;
    let c = client(&sb);
    let sent = every_writable_field();
    let id = c.create_contact(&sent).await.unwrap();
    let listed = c.list_contacts().await.unwrap();
    let mut got = listed[0].values.clone();
    got.retain(|f| f.is_writable());
    assert_eq!(listed[0].id, id);
    assert_eq!(got, sent, "a field the client sent did not arrive");
}

/// The body the client sends with one member renamed (`path` is `member`,
/// `member.inner` or `member[0].inner`).
fn misspelt(body: &serde_json::Value, path: &str) -> serde_json::Value {
    let mut b = body.clone();
    let (outer, inner) = path
        .split_once('.')
        .map_or((path, None), |(o, i)| (o, Some(i)));
    let (outer, index) = match outer.split_once('[') {
        Some((o, _)) => (o, Some(0)),
        None => (outer, None),
    };
    let obj = b.as_object_mut().unwrap();
    let target = match (inner, index) {
        (None, _) => obj,
        (Some(_), None) => obj[outer].as_object_mut().unwrap(),
        (Some(_), Some(i)) => obj[outer][i].as_object_mut().unwrap(),
    };
    let key = inner.unwrap_or(outer);
    let v = target.remove(key).unwrap();
    target.insert(format!("{key}x"), v);
    b
}

#[tokio::test]
async fn a_member_the_client_misspelt_is_refused_by_the_sandbox_naming_it() {
    let sb = sandbox_with(0).await;
    let body = cinnox_sync::cinnox::wire::write_body(&every_writable_field());
    let mut paths: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
    paths.extend(
        [
            "addresses.city",
            "phones[0].phone",
            "emails[0].type",
            "socialContacts[0].key",
        ]
        .map(String::from),
    );
    let http = reqwest::Client::new();
    let url = format!(
        "{}/v1/api/apps/{}/management/create_externalcontact",
        sb.base_url(),
        sb.app_id()
    );
    for path in &paths {
        let resp = http
            .post(&url)
            .bearer_auth(sb.app_token().expose())
            .json(&misspelt(&body, path))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), 400, "{path}");
        let answer: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(answer["code"], 6451000, "{path}: {answer}");
        let name = match path.rsplit_once('.') {
            Some((at, inner)) => format!("{at}.{inner}x"),
            None => format!("{path}x"),
        };
        let message = answer["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("{name}: unknown member")),
            "{path}: {message}"
        );
    }
    assert!(paths.len() >= 18, "{paths:?}");
    assert!(sb.sandbox().contacts().is_empty(), "nothing was created");
}
