//! The sandbox's side of the contract, spoken to with raw HTTP: statuses, codes,
//! paging, validation, replace-on-update, the rate limit, stats, faults endpoint,
//! and persistence across a restart.

use cinnox_sync::cinnox::Secret;
use cinnox_sync::sandbox::{self, RunningSandbox, SandboxConfig, StatsSnapshot};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct Http {
    base: String,
    app: String,
    token: String,
    http: reqwest::Client,
}

impl Http {
    fn new(sb: &RunningSandbox) -> Http {
        cinnox_sync::install_crypto_provider();
        Http {
            base: sb.base_url(),
            app: sb.app_id().to_string(),
            token: sb.app_token().expose().to_string(),
            http: reqwest::Client::new(),
        }
    }

    /// An Open API call: status, `Retry-After`, JSON body.
    async fn api(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Option<String>, Value) {
        let url = format!("{}/v1/api/apps/{}/{}", self.base, self.app, path);
        self.send(method, &url, Some(&self.token), body).await
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Option<String>, Value) {
        let mut req = self.http.request(method, url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let retry = resp
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
        (status, retry, resp.json().await.unwrap_or(Value::Null))
    }

    async fn sandbox(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, _, body) = self
            .send(method, &format!("{}/sandbox/{path}", self.base), None, body)
            .await;
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    async fn stats(&self) -> StatsSnapshot {
        serde_json::from_value(self.sandbox(Method::GET, "stats", None).await).unwrap()
    }
}

async fn start(seed: usize) -> RunningSandbox {
    sandbox::start(SandboxConfig {
        rate_limit: None,
        seed_contacts: seed,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

const LIST: &str = "contacts/extcontact-list";
const CREATE: &str = "management/create_externalcontact";

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
