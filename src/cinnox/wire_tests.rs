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
    let j = write_body(&values);
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
    assert_eq!(j["addresses"]["city"], "");
    assert_eq!(j["firstName"], "");
    assert!(j.get("ownerId").is_none() && j.get("ownerID").is_none());
}

#[test]
fn zh_ant_from_the_documents_is_read_as_zh_hant() {
    let c = contact_from_json(&json!({"id": "a", "language": "zh-ant"}), 0).unwrap();
    assert_eq!(c.values.get(FieldId::Language), "zh-hant");
    let body = json!({"code": 0, "result": [{"id": "a", "language": "ZH-ANT"}]});
    let fast = read_contact_list(body.to_string().as_bytes()).unwrap();
    assert_eq!(
        fast.items[0]
            .as_ref()
            .unwrap()
            .values
            .get(FieldId::Language),
        "zh-hant"
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
fn the_receiver_side_of_the_handshake() {
    assert_eq!(challenge_of(&json!({"challenge": "abc"})), Some("abc"));
    assert_eq!(
        challenge_reply("abc"),
        json!({"code": 0, "result": {"challenge": "abc"}})
    );
    let event = json!({"type": "message", "challenge": "", "message": {"status": "edit"}});
    assert_eq!(challenge_of(&event), None);
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
}

/// Read items, and the total.
type Read = (Vec<Result<Contact, WireError>>, Option<u64>);

/// The tree path: `list_items` then `contact_from_json` on each item.
fn tree_read(body: &Value) -> Read {
    let (items, total) = list_items(body).unwrap();
    let read = items.iter().enumerate();
    (
        read.map(|(i, it)| contact_from_json(it, i)).collect(),
        total,
    )
}

fn fast_read(body: &Value) -> Option<Read> {
    read_contact_list(body.to_string().as_bytes()).map(|l| (l.items, l.total))
}

#[test]
fn the_fast_reader_agrees_with_the_tree_path_on_tolerated_shapes() {
    let mut c = Contact {
        id: "c1".into(),
        slave_contacts: vec!["c2".into()],
        ..Default::default()
    };
    c.values.set(FieldId::FirstName, "陳 \"大文\"");
    c.values.set(FieldId::City, "Kowloon");
    c.custom.insert("cf_tier".into(), "gold".into());
    let items = json!([
        crate::sandbox::wire::contact_json(&c),
        {"ID": 12345, "firstName": "Tai Man", "mobilePhone": 85291234567u64, "workPhone": -5,
         "homePhone": 1.5, "ownerID": "s1", "slavecontacts": "c2, c3", "sharedWith": ["s2", 7],
         "address": [{"zipcode": 999077, "city": "HK"}, {"city": "ignored"}],
         "addresses.street": "1 Road", "cf_vip": true, "cf_tags": ["a", {"b": 1}],
         "level": null, "jobTitle": ["x"], "department": {"a": 1}, "novel": {"deep": [1, 2]}},
        {"firstName": "no id"},
        "not an object",
        {"id": "c9", "address": [[{"city": "nested arrays are not read"}]], "line": false},
        {"contactId": " c10 ", "Email": "E@x.hk"}
    ]);
    for key in ["result", "data", "list", "contacts", "items"] {
        for total in [json!(6), json!("6"), json!(null)] {
            let body = json!({"code": 0, key: items, "total": total});
            assert_eq!(fast_read(&body), Some(tree_read(&body)), "{key} {total}");
        }
    }
    let (read, _) = tree_read(&json!({"result": items}));
    assert_eq!(read[2], Err(WireError::MissingId { index: 2 }));
    assert_eq!(read[3], Err(WireError::ItemNotAnObject { index: 3 }));
    assert_eq!(
        read[1].as_ref().unwrap().values.get(FieldId::Zipcode),
        "999077"
    );
}

#[test]
fn the_fast_reader_leaves_unusual_bodies_to_the_tree_path() {
    // Escaped keys and values are read like any other.
    let escaped = br#"{"result": [{"i\u0064": "a", "first\u004eame": "T\u00e0i"}]}"#;
    let c = read_contact_list(escaped).unwrap().items.remove(0).unwrap();
    assert_eq!(
        (c.id.as_str(), c.values.get(FieldId::FirstName)),
        ("a", "Tài")
    );
    let code_only = read_contact_list(br#"{"code": "200", "result": null}"#).unwrap();
    assert_eq!((code_only.code, code_only.items.len()), (Some(200), 0));
    for body in [
        r#"{"code": 0, "result": {"contacts": [{"id": "a"}]}}"#,
        r#"{"code": 0, "result": [{"id": "a"}], "data": []}"#,
        r#"{"code": 6451011, "message": "No records found"}"#,
        r#"[{"id": "a"}]"#,
        r#"{"code": 0, "result": [{"id": "a"}]} trailing"#,
        r#"{"code": 0, "result": "nope"}"#,
        "not json",
    ] {
        assert!(read_contact_list(body.as_bytes()).is_none(), "{body}");
    }
}

mod fast_reader_props {
    use super::*;
    use proptest::prelude::*;

    fn keys() -> impl Strategy<Value = String> {
        let mut pool: Vec<String> = FieldId::ALL.iter().map(|f| f.key().to_string()).collect();
        pool.extend(
            [
                "id",
                "ID",
                "contactId",
                "ownerID",
                "MOBILEPHONE",
                "slavecontacts",
                "sharedWith",
                "address",
                "addresses",
                "addresses.city",
                "address.zipcode",
                "city",
                "cf_x",
                "CF_Y",
                "unknown",
                "",
            ]
            .map(String::from),
        );
        proptest::sample::select(pool)
    }

    fn values() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            any::<String>().prop_map(Value::from),
            "[ -~]{0,12}".prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            (-1e12f64..1e12).prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            Just(Value::Null),
        ];
        leaf.prop_recursive(2, 8, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
                proptest::collection::btree_map(keys(), inner, 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn agrees_with_the_tree_path(
            items in proptest::collection::vec(
                proptest::collection::btree_map(keys(), values(), 0..10), 0..6)
        ) {
            let items: Vec<Value> = items
                .into_iter()
                .map(|m| Value::Object(m.into_iter().collect()))
                .collect();
            let body = json!({"code": 0, "result": items, "total": 3});
            prop_assert_eq!(fast_read(&body), Some(tree_read(&body)));
        }
    }
}

#[test]
fn a_float_custom_field_reads_the_same_on_both_paths() {
    // Found by the property test: without serde_json's `float_roundtrip`, the tree
    // path could read a long float one ULP off the text the server sent.
    let body = json!({"code": 0, "result": [{"id": "c1", "cf_score": -937_055_247_436.239_7}]});
    let fast = fast_read(&body).unwrap();
    assert_eq!(fast, tree_read(&body));
    let c = fast.0[0].as_ref().unwrap();
    assert_eq!(c.custom["cf_score"], "-937055247436.2397");
}
