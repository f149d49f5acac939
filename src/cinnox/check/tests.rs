use super::*;
use serde_json::json;

fn probe(request: &str, status: u16, body: Value) -> Probe {
    Probe {
        request: request.into(),
        status,
        body: body.to_string().into_bytes(),
    }
}

fn contract_contact() -> Value {
    json!({"id": "c1", "firstName": "Ann", "lastName": "Lee", "mobilePhone": "+85291234567",
           "birthday": "01/02/1990", "language": "en", "level": "Primary", "customerType": "Lead",
           "address": {"street": "", "city": "HK", "state": "", "zipcode": "", "country": ""},
           "ownerId": "s1", "sharedWith": [], "slaveContacts": [], "cf_tier": {"a": 1}})
}

fn probes(contacts: Value, staff: Value, over: (u16, Value), sub: (u16, Value)) -> Probes {
    Probes {
        contacts: probe(
            "GET contacts/extcontact-list?offset=0&limit=500",
            200,
            contacts,
        ),
        staff: probe(
            "GET contacts/staffcontact-list?offset=0&limit=500",
            200,
            staff,
        ),
        over_limit: probe(
            "GET contacts/extcontact-list?offset=0&limit=501",
            over.0,
            over.1,
        ),
        subscriptions: vec![(
            EventSubscription::Contact,
            probe("GET contact-event-sub", sub.0, sub.1),
        )],
    }
}

fn good_staff() -> Value {
    json!({"code": 0, "total": 1, "result": [{"id": "s1", "firstName": "Ada", "lastName": "Wong",
        "email": "", "displayName": "", "status": "Activated"}]})
}

fn refused() -> (u16, Value) {
    (
        400,
        json!({"code": 6451000, "message": "exceed maximum limit 500"}),
    )
}

#[test]
fn the_contract_shape_has_no_findings() {
    let r = analyse(&probes(
        json!({"code": 0, "total": 1, "result": [contract_contact()]}),
        good_staff(),
        refused(),
        (
            200,
            json!({"code": 0, "enabled": true, "url": "http://x/hook", "updatedAt": "t"}),
        ),
    ));
    assert_eq!(r.findings, [], "{:#?}", r.findings);
    assert_eq!(r.contacts.items_under.as_deref(), Some("result"));
    assert_eq!(r.contacts.total, Some(json!(1)));
    let first = r
        .contacts
        .members
        .iter()
        .find(|m| m.name == "firstName")
        .unwrap();
    assert_eq!((first.count, first.types.get("string")), (1, Some(&1)));
    assert!(r.contacts.members.iter().any(|m| m.name == "address.city"));
    assert_eq!(r.formats.phones.get("E.164"), Some(&1));
    assert_eq!(r.formats.dates.get("dd/mm/yyyy"), Some(&1));
    assert!(r.over_limit.as_expected);
    assert_eq!(r.subscriptions[0].state, "enabled");
    assert_eq!(r.subscriptions[0].url.as_deref(), Some("http://x/hook"));
}

#[test]
fn another_envelope_and_unknown_members_are_named() {
    let mut c = contract_contact();
    c["nickname"] = json!("Annie");
    c["ownerID"] = c["ownerId"].take();
    c.as_object_mut().unwrap().remove("ownerId");
    c["mobilePhone"] = json!(85291234567u64);
    c["birthday"] = json!("1990-02-01");
    c["language"] = json!("zh-ant");
    let r = analyse(&probes(
        json!({"code": "200", "data": {"contacts": [c]}, "requestId": "r1"}),
        json!({"code": 0, "total": 1, "result": [{"id": 7, "firstName": "Ada", "role": "admin"}]}),
        (200, json!({"code": 0, "total": 1, "result": []})),
        (
            404,
            json!({"code": 6450001, "message": "Method cannot be found"}),
        ),
    ));
    let text: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
    let has = |needle: &str| text.iter().any(|m| m.contains(needle));
    assert!(has("`code` is written as the string \"200\""), "{text:#?}");
    assert!(has("success is written as code 200"), "{text:#?}");
    assert!(has("the items are under `data.contacts`"), "{text:#?}");
    assert!(has("no `total`"), "{text:#?}");
    assert!(has("unknown envelope member `requestId`"), "{text:#?}");
    assert!(
        has("unknown member `nickname` in 1 of 1 contacts"),
        "{text:#?}"
    );
    assert!(
        has("`ownerID` in 1 of 1 contacts is written `ownerId` in the table"),
        "{text:#?}"
    );
    assert!(
        has("1 phone numbers are written as `JSON number (no +)`"),
        "{text:#?}"
    );
    assert!(has("1 birthdays are written as `9999-99-99`"), "{text:#?}");
    assert!(has("language `zh-ant` (read as zh-hant)"), "{text:#?}");
    assert!(has("unknown member `role`"), "{text:#?}");
    assert!(has("`id` is a JSON number 1 times"), "{text:#?}");
    assert!(has("limit=501 was accepted"), "{text:#?}");
    let nickname = r
        .findings
        .iter()
        .find(|f| f.message.contains("nickname"))
        .unwrap();
    assert!(!nickname.tolerated);
    assert_eq!(r.subscriptions[0].state, "not readable");
    // Custom fields are opaque: their insides are not members.
    assert!(
        !r.contacts
            .members
            .iter()
            .any(|m| m.name.starts_with("cf_tier."))
    );
}

#[test]
fn an_empty_tenant_is_a_note_and_an_error_code_a_finding() {
    let r = analyse(&probes(
        json!({"code": 6451011, "message": "No records found"}),
        json!({"code": 6451001, "message": "Bad response from the service"}),
        refused(),
        (200, json!({"code": 0, "enabled": false, "url": ""})),
    ));
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    assert!(r.notes[0].message.contains("6451011"));
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert!(r.findings[0].message.contains("answered code 6451001"));
    assert_eq!(r.subscriptions[0].state, "disabled");
}

#[test]
fn a_body_that_is_not_json_is_a_finding() {
    let mut p = probes(json!({}), good_staff(), refused(), (200, json!({})));
    p.contacts.body = b"<html>gateway</html>".to_vec();
    p.contacts.status = 502;
    let r = analyse(&p);
    assert!(
        r.findings[0]
            .message
            .contains("HTTP 502 without a JSON body"),
        "{:?}",
        r.findings
    );
}

#[test]
fn forms_are_masks_never_values() {
    assert_eq!(formats::mask("+852 9123-4567"), "+999 9999-9999");
    assert_eq!(formats::mask("Feb 1st"), "aaa 9aa");
    assert!(formats::mask(&"9".repeat(40)).ends_with('…'));
}
