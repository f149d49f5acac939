//! The sandbox's side of the contract, spoken to with raw HTTP: statuses, codes,
//! paging, validation and replace-on-update.

use super::http::{CREATE, Http, LIST, start};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn paging_follows_the_contract() {
    let sb = start(120).await;
    let h = Http::new(&sb);
    let (s, _, b) = h.api(Method::GET, LIST, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (b["code"].as_i64(), b["total"].as_u64()),
        (Some(0), Some(120))
    );
    assert_eq!(b["result"].as_array().unwrap().len(), 50, "default limit");
    for (query, message) in [
        ("limit=501", "exceed maximum limit 500"),
        ("offset=-1", "negative offset"),
        ("limit=-1", "negative limit"),
    ] {
        let (s, _, b) = h.api(Method::GET, &format!("{LIST}?{query}"), None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(b, json!({"code": 6451000, "message": message}));
    }
    // Offsets page in creation order.
    let order: Vec<Value> = sb
        .sandbox()
        .contacts()
        .iter()
        .map(|c| json!(c.id))
        .collect();
    let (_, _, b) = h
        .api(Method::GET, &format!("{LIST}?offset=100&limit=500"), None)
        .await;
    let ids: Vec<Value> = b["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].clone())
        .collect();
    assert_eq!(ids, order[100..]);
    let (s, _, b) = h
        .api(Method::GET, &format!("{LIST}?offset=120"), None)
        .await;
    assert_eq!((s, b["code"].as_i64()), (StatusCode::OK, Some(6451011)));
}

#[tokio::test]
async fn credentials_and_unknown_paths_have_their_codes() {
    let sb = start(1).await;
    let h = Http::new(&sb);
    let list = format!("{}/v1/api/apps/{}/{LIST}", h.base, h.app);
    let (s, _, b) = h.send(Method::GET, &list, None, None).await;
    assert_eq!(
        (s, b["code"].as_i64()),
        (StatusCode::UNAUTHORIZED, Some(6452000))
    );
    let (s, _, b) = h.send(Method::GET, &list, Some("wrong"), None).await;
    assert_eq!(
        (s, b["code"].as_i64()),
        (StatusCode::UNAUTHORIZED, Some(6452000))
    );
    let other = format!("{}/v1/api/apps/other/{LIST}", h.base);
    let (s, _, b) = h.send(Method::GET, &other, Some(&h.token), None).await;
    assert_eq!(
        (s, b["code"].as_i64()),
        (StatusCode::UNAUTHORIZED, Some(6452001))
    );
    for (method, path) in [
        (Method::GET, "contacts/nothing-here"),
        (Method::DELETE, LIST),
        (Method::POST, "management/update_externalcontact/abc"),
    ] {
        let (s, _, b) = h.api(method.clone(), path, None).await;
        assert_eq!(
            (s, b["code"].as_i64()),
            (StatusCode::NOT_FOUND, Some(6450001)),
            "{method} {path}"
        );
        assert!(
            b["message"]
                .as_str()
                .unwrap()
                .starts_with("Method cannot be found")
        );
    }
    let (s, _, b) = h
        .api(
            Method::PUT,
            "management/update_externalcontact/nope",
            Some(json!({"firstName": "X"})),
        )
        .await;
    assert_eq!(
        (s, b["code"].as_i64()),
        (StatusCode::NOT_FOUND, Some(6450001))
    );
    let stats = h.stats().await;
    assert_eq!(stats.count("list", "6452000"), 2);
    assert_eq!(stats.count("list", "6452001"), 1);
    assert_eq!(stats.count("unknown", "6450001"), 3);
    assert_eq!(stats.count("update", "6450001"), 1);
    assert_eq!(stats.requests, 7);
}

#[tokio::test]
async fn creates_are_checked_with_the_audit_rules() {
    let sb = start(0).await;
    let h = Http::new(&sb);
    let cases = [
        (json!({"firstName": "陳".repeat(51)}), "firstName: "),
        (json!({"company": "c".repeat(101)}), "company: "),
        (
            json!({"addresses": {"zipcode": "12345678901"}}),
            "addresses.zipcode: ",
        ),
        (
            json!({"phones": [{"type": "Mobile", "phone": "91234567"}]}),
            "phones[0].phone: ",
        ),
        (
            json!({"phones": [{"type": "Fax", "phone": "+85291234567"}]}),
            "phones[0].type: ",
        ),
        (
            json!({"emails": [{"type": "Work", "email": "not-an-email"}]}),
            "emails[0].email: ",
        ),
        (json!({"birthDate": "1990-02-01"}), "birthDate: "),
        (json!({"level": "Gold"}), "level: "),
        (json!({"type": "customer"}), "type: "),
        (json!({"language": "klingon"}), "language: "),
        (
            json!({"socialContacts": [{"key": "LINE", "value": "x".repeat(101)}]}),
            "socialContacts[0].value: ",
        ),
        // A member the contract does not have is refused by name, never ignored.
        (json!({"fristName": "Ann"}), "fristName: unknown member"),
        (
            json!({"phones": [{"type": "Mobile", "number": "+85291234567"}]}),
            "phones[0].number: unknown member",
        ),
        (json!([1, 2]), "the body is not a JSON object"),
    ];
    for (body, prefix) in cases {
        let (s, _, b) = h.api(Method::POST, CREATE, Some(body.clone())).await;
        assert_eq!(
            (s, b["code"].as_i64()),
            (StatusCode::BAD_REQUEST, Some(6451000)),
            "{body}"
        );
        let m = b["message"].as_str().unwrap();
        assert!(m.starts_with(prefix), "{body}: {m}");
    }
    assert!(sb.sandbox().contacts().is_empty());
    // Fifty Chinese characters fit.
    let ok = json!({"firstName": "陳".repeat(50),
                    "phones": [{"type": "Mobile", "phone": "+85291234567"}]});
    let (s, _, b) = h.api(Method::POST, CREATE, Some(ok)).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["id"].as_str().unwrap().len(), 24);
}

#[tokio::test]
async fn an_update_replaces_the_writable_fields_and_keeps_the_rest() {
    let sb = start(0).await;
    let h = Http::new(&sb);
    let (_, _, b) = h
        .api(
            Method::POST,
            CREATE,
            Some(
                json!({"firstName": "Ann", "lastName": "Lee", "company": "Acme",
            "emails": [{"type": "Work", "email": "ann@acme.hk"}], "level": "Secondary"}),
            ),
        )
        .await;
    let id = b["id"].as_str().unwrap().to_string();
    let before = h
        .sandbox(Method::GET, &format!("contacts/{id}"), None)
        .await;
    let (s, _, b) = h
        .api(
            Method::PUT,
            &format!("management/update_externalcontact/{id}"),
            Some(json!({"firstName": "Anne"})),
        )
        .await;
    assert_eq!((s, b["id"].as_str()), (StatusCode::OK, Some(id.as_str())));
    let after = h
        .sandbox(Method::GET, &format!("contacts/{id}"), None)
        .await;
    assert_eq!(after["firstName"], "Anne");
    assert_eq!(after["lastName"], "");
    assert_eq!(after["companyName"], "");
    assert_eq!(after["email"], "");
    assert_eq!(
        after["level"], "Primary",
        "an emptied level is CINNOX's default"
    );
    assert_eq!(after["ownerId"], before["ownerId"]);
    assert_eq!(after["ownerName"], "Ada Wong");
}
