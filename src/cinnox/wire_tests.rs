use super::*;
use serde_json::json;

#[test]
fn items_are_found_wherever_the_server_puts_them() {
    for key in ["result", "data", "list", "contacts", "items"] {
        let body = json!({"code": 0, key: [{"id": "a"}], "total": 1});
        let (items, total) = list_items(&body).unwrap();
        assert_eq!(items.len(), 1, "{key}");
        assert_eq!(total, Some(1));
    }
    let nested = json!({"code": 200, "result": {"contacts": [{"id": "a"}, {"id": "b"}]}});
    assert_eq!(list_items(&nested).unwrap().0.len(), 2);
    let no_total = json!({"code": 0, "data": {"rows": [{"id": "a"}]}});
    assert_eq!(
        list_items(&no_total).unwrap(),
        (&[json!({"id": "a"})][..], None)
    );
    assert_eq!(list_items(&json!({"code": 0})), Err(WireError::NoItems));
    assert!(is_success_code(
        envelope_code(&json!({"code": "200"})).unwrap()
    ));
}

#[test]
fn phones_as_numbers_and_ids_as_strings_are_tolerated() {
    let item = json!({
        "id": 12345, "firstName": "Tai Man", "mobilePhone": 85291234567u64, "workPhone": "+85221234567",
        "ownerID": "s1", "slavecontacts": "c2, c3", "sharedWith": ["s2", 7],
        "address": {"zipcode": "999077", "city": "Hong Kong"}, "cf_vip": true
    });
    let c = contact_from_json(&item, 0).unwrap();
    assert_eq!(c.id, "12345");
    assert_eq!(c.values.get(FieldId::MobilePhone), "+85291234567");
    assert_eq!(c.values.get(FieldId::WorkPhone), "+85221234567");
    assert_eq!(c.values.get(FieldId::OwnerId), "s1");
    assert_eq!(c.values.get(FieldId::Zipcode), "999077");
    assert_eq!(c.slave_contacts, vec!["c2", "c3"]);
    assert_eq!(c.shared_with, vec!["s2", "7"]);
    assert_eq!(c.custom.get("cf_vip").map(String::as_str), Some("true"));
    assert_eq!(
        contact_from_json(&json!({"firstName": "x"}), 3),
        Err(WireError::MissingId { index: 3 })
    );
}

#[test]
fn read_model_round_trips() {
    let mut c = Contact {
        id: "c9".into(),
        ..Default::default()
    };
    c.values.set(FieldId::Email, "a@b.hk");
    c.values.set(FieldId::Country, "HK");
    c.values.set(FieldId::OwnerName, "Staff One");
    c.slave_contacts = vec!["c1".into()];
    let back = contact_from_json(&contact_to_json(&c), 0).unwrap();
    assert_eq!(back, c);
}

#[test]
fn write_body_carries_every_writable_field_under_its_write_name() {
    let values: FieldValues = [
        (FieldId::CompanyName, "Acme"),
        (FieldId::Department, "Sales"),
        (FieldId::CustomerType, "Customer"),
        (FieldId::Birthday, "01/02/1990"),
        (FieldId::MobilePhone, "+85291234567"),
        (FieldId::PersonalEmail, "p@x.hk"),
        (FieldId::Line, "ann.line"),
        (FieldId::Zipcode, "999077"),
        (FieldId::OwnerId, "s1"),
    ]
    .into_iter()
    .collect();
    let body = WriteBody::from_values(&values);
    let j = serde_json::to_value(&body).unwrap();
    assert_eq!(j["company"], "Acme");
    assert_eq!(j["team"], "Sales");
    assert_eq!(j["type"], "Customer");
    assert_eq!(j["birthDate"], "01/02/1990");
    assert_eq!(
        j["phones"],
        json!([{"type": "Mobile", "phone": "+85291234567"}])
    );
    assert_eq!(
        j["emails"],
        json!([{"type": "Personal", "email": "p@x.hk"}])
    );
    assert_eq!(
        j["socialContacts"],
        json!([{"key": "LINE", "value": "ann.line"}])
    );
    assert_eq!(j["addresses"]["zipcode"], "999077");
    assert_eq!(j["firstName"], "");
    let mut expected = values.clone();
    expected.remove(FieldId::OwnerId);
    assert_eq!(body.to_values().unwrap(), expected);
}

#[test]
fn write_body_names_the_bad_member() {
    let body: WriteBody =
        serde_json::from_value(json!({"phones": [{"type": "Fax", "phone": "+1"}]})).unwrap();
    assert_eq!(
        body.to_values().unwrap_err(),
        "phones[0].type: unknown type `Fax`"
    );
    let twice: WriteBody = serde_json::from_value(json!({"emails": [
        {"type": "Work", "email": "a@b.c"}, {"type": "work", "email": "d@e.f"}]}))
    .unwrap();
    assert!(
        twice
            .to_values()
            .unwrap_err()
            .contains("second entry of type Work")
    );
}

#[test]
fn staff_items_are_read_loosely() {
    let s = staff_from_json(&json!({"ID": 42, "firstName": "Ada", "lastName": "Wong",
        "displayName": "", "status": "Activated", "extra": [1]}))
    .unwrap();
    assert_eq!(s.id, "42");
    assert_eq!(s.owner_name(), "Ada Wong");
    assert_eq!(staff_from_json(&json!({"firstName": "x"})), None);
    let back = staff_from_json(&serde_json::to_value(&s).unwrap()).unwrap();
    assert_eq!(back, s);
}

#[test]
fn subscription_answers_are_read_at_top_level_or_under_result() {
    let top =
        json!({"code": 0, "enabled": true, "url": "http://x", "updatedAt": "2024-01-01T00:00:00Z"});
    let s = subscription_from_json(&top).unwrap();
    assert!(s.enabled);
    assert_eq!(s.url, "http://x");
    let nested = json!({"code": 200, "result": {"enabled": "false", "url": "http://y"}});
    assert!(!subscription_from_json(&nested).unwrap().enabled);
    assert_eq!(subscription_from_json(&json!({"code": 0})), None);
    assert_eq!(
        EventSubscription::from_path("staff-contact-event-sub"),
        Some(EventSubscription::StaffContact)
    );
}

#[test]
fn challenge_handshake_and_events_round_trip() {
    let req = challenge_request("abc");
    assert_eq!(challenge_of(&req), Some("abc"));
    assert_eq!(challenge_echo(&challenge_reply("abc")), Some("abc"));
    let merge = ContactEvent {
        status: "merge".into(),
        id: "s1".into(),
        full_name: "Ann Lee".into(),
        service_id: "app".into(),
        merged_ids: vec!["a1".into(), "a2".into()],
        ..Default::default()
    };
    let body = merge.to_json();
    assert_eq!(body["message"]["mergedIds"], json!(["a1", "a2"]));
    assert_eq!(challenge_of(&body), None);
    let back = ContactEvent::from_json(&body).unwrap();
    assert_eq!(back.kind, "contact");
    assert_eq!(
        ContactEvent {
            kind: String::new(),
            ..back
        },
        merge
    );
    let transfer = json!({"type": "message", "challenge": "", "message": {"type": "contact",
        "status": "transfer", "id": 7, "fromOwnerId": "s1", "toOwnerID": "s2", "novel": 1}});
    let t = ContactEvent::from_json(&transfer).unwrap();
    assert_eq!(
        (
            t.id.as_str(),
            t.from_owner_id.as_str(),
            t.to_owner_id.as_str()
        ),
        ("7", "s1", "s2")
    );
}

#[test]
fn created_ids_are_found_loosely() {
    assert_eq!(
        answered_id(&json!({"code": 0, "id": "abc"})).as_deref(),
        Some("abc")
    );
    assert_eq!(
        answered_id(&json!({"code": 0, "result": {"id": 12}})).as_deref(),
        Some("12")
    );
    assert_eq!(
        answered_id(&json!({"code": 0, "data": {"id": " x "}})).as_deref(),
        Some("x")
    );
    assert_eq!(answered_id(&json!({"code": 0, "id": ""})), None);
    assert_eq!(error_body(codes::NOT_FOUND, "m")["code"], 6450001);
}
