//! The sandbox's spelling against the client's: what one writes, the other reads.
//! These are the tests that fail when `cinnox::names` and the contract part ways.

use super::*;
use crate::cinnox::wire as client;
use crate::model::FieldId;
use proptest::prelude::*;

fn contact(values: Vec<(FieldId, String)>, custom: Option<String>) -> Contact {
    let mut c = Contact {
        id: "c1".into(),
        shared_with: vec!["s1".into()],
        slave_contacts: vec!["c0".into()],
        ..Default::default()
    };
    for (f, v) in values {
        c.values.set(f, v);
    }
    if let Some(v) = custom {
        c.custom.insert("cf_tier".into(), v);
    }
    c
}

proptest! {
    /// Every field the sandbox lists, the client reads back into the same field.
    #[test]
    fn the_client_reads_every_field_the_sandbox_lists(
        values in proptest::collection::vec(
            (proptest::sample::select(FieldId::ALL), "[A-Za-z0-9 +@.陳]{1,12}"), 0..20),
        custom in proptest::option::of("[a-z]{1,6}"),
    ) {
        let c = contact(values, custom);
        let rendered = contact_json(&c);
        let expected = c.clone();
        prop_assert_eq!(&client::contact_from_json(&rendered, 0).unwrap(), &expected);
        let page = json!({"code": 0, "total": 1, "result": [rendered.clone()]});
        let fast = client::read_contact_list(page.to_string().as_bytes()).unwrap();
        prop_assert_eq!(fast.items[0].as_ref().unwrap(), &expected);
        prop_assert_eq!(contact_from_json(&rendered).unwrap(), c);
    }
}

#[test]
fn every_field_has_a_listed_name() {
    let mut c = Contact::default();
    for f in FieldId::ALL {
        c.values.set(*f, "x");
    }
    let back = contact_from_json(&contact_json(&c)).unwrap();
    assert_eq!(back.values.len(), FieldId::COUNT);
}

#[test]
fn a_seed_with_a_member_the_read_model_lacks_is_refused() {
    assert_eq!(
        contact_from_json(&json!({"firstName": "a", "company": "x"})).unwrap_err(),
        "company: unknown member of a contact"
    );
    assert!(contact_from_json(&json!({"address": {"zip": "1"}})).is_err());
}

#[test]
fn the_client_reads_staff_subscriptions_and_the_challenge() {
    let s = Staff {
        id: "s1".into(),
        first_name: "Ada".into(),
        last_name: "Wong".into(),
        status: "Activated".into(),
        department: "Sales".into(),
        ..Default::default()
    };
    let read = client::staff_from_json(&staff_json(&s)).unwrap();
    assert_eq!(
        (read.id.clone(), read.owner_name(), read.department.clone()),
        (
            "s1".to_string(),
            "Ada Wong".to_string(),
            "Sales".to_string()
        )
    );
    assert_eq!(staff_from_json(&staff_json(&s)).unwrap(), s);
    let state = SubscriptionState {
        enabled: true,
        url: "http://x/hook".into(),
        updated_at: "2026-01-01T00:00:00.000Z".into(),
    };
    let got = client::subscription_from_json(&state.to_json()).unwrap();
    assert_eq!((got.enabled, got.url), (true, state.url.clone()));
    let body = client::subscription_body(true, "http://x/hook");
    assert_eq!(
        subscription_request(body.to_string().as_bytes()).unwrap(),
        (true, "http://x/hook".to_string())
    );
    let req = challenge_request("abc");
    assert_eq!(client::challenge_of(&req), Some("abc"));
    assert_eq!(challenge_echo(&client::challenge_reply("abc")), Some("abc"));
    assert!(subscription_request(br#"{"enabled": true, "uri": "x"}"#).is_err());
}

#[test]
fn the_client_reads_events_in_both_forms() {
    let transfer = Event {
        status: "transfer".into(),
        id: "c1".into(),
        full_name: "Ann Lee".into(),
        service_id: "app".into(),
        from_owner_id: "s1".into(),
        to_owner_id: "s2".into(),
        kind: "contact",
        ..Default::default()
    };
    let wrapped = client::ContactEvent::from_json(&transfer.to_json(WebhookForm::Wrapped)).unwrap();
    assert_eq!(
        (
            wrapped.id.as_str(),
            wrapped.from_owner_id.as_str(),
            wrapped.kind.as_str()
        ),
        ("c1", "s1", "contact")
    );
    let flat_body = transfer.to_json(WebhookForm::Flat);
    assert_eq!(
        flat_body,
        json!({"status": "transfer", "name": "Ann Lee", "fromOwnerID": "s1", "toOwnerID": "s2"})
    );
    let flat = client::ContactEvent::from_json(&flat_body).unwrap();
    assert_eq!(flat.status(), client::EventStatus::Transfer);
    assert_eq!(
        (flat.full_name.as_str(), flat.to_owner_id.as_str()),
        ("Ann Lee", "s2")
    );
    assert_eq!(
        client::challenge_of(&transfer.to_json(WebhookForm::Wrapped)),
        None
    );
    let merge = Event {
        status: "merge".into(),
        id: "c1".into(),
        merged_ids: vec!["c2".into()],
        kind: "contact",
        ..Default::default()
    };
    let m = client::ContactEvent::from_json(&merge.to_json(WebhookForm::Wrapped)).unwrap();
    assert_eq!(m.merged_ids, ["c2"]);
}
