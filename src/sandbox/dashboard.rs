//! The `/sandbox/...` endpoints: what in real CINNOX happens in the dashboard
//! (delete, merge, transfer, edit), seeding staff and contacts, and the sandbox's
//! own controls (faults, stats, subscriptions). No credentials (a loopback tool),
//! no rate limit, not counted in the stats. Documented in docs/cinnox-side.md.

use super::api::op_error;
use super::faults::Faults;
use super::gate::{answer, error};
use super::state::{OpError, Sandbox, new_id};
use super::wire::{self, codes};
use crate::model::FieldId;
use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use std::sync::Arc;

type Shared = State<Arc<Sandbox>>;

pub(crate) fn routes() -> Router<Arc<Sandbox>> {
    Router::new()
        .route("/sandbox/contacts", post(seed_contacts))
        .route(
            "/sandbox/contacts/{id}",
            get(get_contact).delete(delete_contact),
        )
        .route("/sandbox/contacts/{id}/delete", post(delete_contact))
        .route("/sandbox/contacts/{id}/edit", post(edit_contact))
        .route("/sandbox/merge", post(merge))
        .route("/sandbox/transfer", post(transfer))
        .route("/sandbox/staff", get(list_staff).post(seed_staff))
        .route("/sandbox/default-owner", post(default_owner))
        .route("/sandbox/faults", get(get_faults).post(set_faults))
        .route("/sandbox/stats", get(stats))
        .route("/sandbox/stats/reset", post(reset_stats))
        .route("/sandbox/subscriptions", get(subscriptions))
        // Seeding sends whole data sets; the Open API keeps axum's 2 MB default.
        .layer(DefaultBodyLimit::max(512 << 20))
}

fn ok(mut body: Value) -> Response {
    if let Some(obj) = body.as_object_mut() {
        obj.insert("code".into(), codes::OK.into());
    }
    answer(StatusCode::OK, body)
}

/// The body as `T`, or the message of a 6451000 answer.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| format!("body: {e}"))
}

async fn get_contact(State(sb): Shared, Path(id): Path<String>) -> Response {
    match sb.contact(&id) {
        Some(c) => answer(StatusCode::OK, wire::contact_json(&c)),
        None => op_error(OpError::NotFound(format!(
            "no external contact with id `{id}`"
        ))),
    }
}

async fn delete_contact(State(sb): Shared, Path(id): Path<String>) -> Response {
    match sb.delete(&id) {
        Ok(_) => ok(json!({ "deleted": id })),
        Err(e) => op_error(e),
    }
}

/// Body: field key -> value (`{"firstName": "Ann", "address.city": ""}`).
async fn edit_contact(State(sb): Shared, Path(id): Path<String>, body: Bytes) -> Response {
    let map: Map<String, Value> = match parse(&body) {
        Ok(m) => m,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    let mut changes = Vec::new();
    for (k, v) in map {
        let Some(f) = FieldId::parse(&k) else {
            return error(codes::BAD_PARAMETER, format!("{k}: not a contact field"));
        };
        let text = match v {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        };
        changes.push((f, text));
    }
    match sb.edit(&id, &changes) {
        Ok(c) => answer(StatusCode::OK, wire::contact_json(&c)),
        Err(e) => op_error(e),
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SeedContacts {
    List(Vec<Value>),
    Object {
        #[serde(default)]
        contacts: Vec<Value>,
        #[serde(default)]
        generate: usize,
        #[serde(default = "yes")]
        notify: bool,
    },
}

fn yes() -> bool {
    true
}

/// Body: an array of read-model contacts, or `{"contacts": [...], "generate": N,
/// "notify": true}`. Contacts go in unchecked; a missing id is generated.
async fn seed_contacts(State(sb): Shared, body: Bytes) -> Response {
    let (items, generate, notify) = match parse(&body) {
        Ok(SeedContacts::List(items)) => (items, 0, true),
        Ok(SeedContacts::Object {
            contacts,
            generate,
            notify,
        }) => (contacts, generate, notify),
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    let mut contacts = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match wire::contact_from_json(item) {
            Ok(mut c) => {
                if c.id.is_empty() {
                    c.id = new_id();
                }
                contacts.push(c)
            }
            Err(e) => return error(codes::BAD_PARAMETER, format!("contacts[{i}]: {e}")),
        }
    }
    let mut ids = match sb.seed_contacts(contacts, notify) {
        Ok(ids) => ids,
        Err(e) => return op_error(e),
    };
    if generate > 0 {
        match sb.generate_contacts(generate, notify) {
            Ok(more) => ids.extend(more),
            Err(e) => return op_error(e),
        }
    }
    ok(json!({ "ids": ids }))
}

#[derive(Deserialize)]
struct MergeBody {
    survivor: String,
    absorbed: Vec<String>,
}

async fn merge(State(sb): Shared, body: Bytes) -> Response {
    let m: MergeBody = match parse(&body) {
        Ok(m) => m,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    match sb.merge(&m.survivor, &m.absorbed) {
        Ok(c) => answer(StatusCode::OK, wire::contact_json(&c)),
        Err(e) => op_error(e),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TransferBody {
    contact_ids: Vec<String>,
    to_owner_id: String,
}

async fn transfer(State(sb): Shared, body: Bytes) -> Response {
    let t: TransferBody = match parse(&body) {
        Ok(t) => t,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    match sb.transfer(&t.contact_ids, &t.to_owner_id) {
        Ok(n) => ok(json!({ "transferred": n })),
        Err(e) => op_error(e),
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SeedStaff {
    List(Vec<Value>),
    Object { staff: Vec<Value> },
}

/// Body: an array of staff records, or `{"staff": [...]}`.
async fn seed_staff(State(sb): Shared, body: Bytes) -> Response {
    let items = match parse(&body) {
        Ok(SeedStaff::List(s) | SeedStaff::Object { staff: s }) => s,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    let staff = match items
        .iter()
        .enumerate()
        .map(|(i, s)| wire::staff_from_json(s).map_err(|e| format!("staff[{i}]: {e}")))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(s) => s,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    match sb.seed_staff(staff) {
        Ok(ids) => ok(json!({ "ids": ids })),
        Err(e) => op_error(e),
    }
}

async fn list_staff(State(sb): Shared) -> Response {
    let (staff, _) = sb.staff_page(0, usize::MAX, "");
    let default_owner = super::state::lock(&sb.default_owner).clone();
    let staff: Vec<Value> = staff.iter().map(wire::staff_json).collect();
    ok(json!({ "defaultOwner": default_owner, "result": staff }))
}

#[derive(Deserialize)]
struct DefaultOwner {
    id: String,
}

async fn default_owner(State(sb): Shared, body: Bytes) -> Response {
    let d: DefaultOwner = match parse(&body) {
        Ok(d) => d,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    match sb.set_default_owner(&d.id) {
        Ok(()) => ok(json!({ "defaultOwner": d.id })),
        Err(e) => op_error(e),
    }
}

async fn get_faults(State(sb): Shared) -> Response {
    answer(StatusCode::OK, json!(sb.faults()))
}

/// Body: any of `server_error`, `latency_ms`, `lost_create` (the others are kept),
/// and optionally `seed` to re-seed the dice.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultsBody {
    server_error: Option<f64>,
    latency_ms: Option<u64>,
    lost_create: Option<f64>,
    seed: Option<u64>,
}

async fn set_faults(State(sb): Shared, body: Bytes) -> Response {
    let b: FaultsBody = match parse(&body) {
        Ok(b) => b,
        Err(m) => return error(codes::BAD_PARAMETER, m),
    };
    let old = sb.faults();
    let faults = Faults {
        server_error: b.server_error.unwrap_or(old.server_error),
        latency_ms: b.latency_ms.unwrap_or(old.latency_ms),
        lost_create: b.lost_create.unwrap_or(old.lost_create),
    };
    match sb.set_faults(faults, b.seed) {
        Ok(()) => answer(StatusCode::OK, json!(faults)),
        Err(e) => op_error(e),
    }
}

async fn stats(State(sb): Shared) -> Response {
    answer(StatusCode::OK, json!(sb.stats()))
}

async fn reset_stats(State(sb): Shared) -> Response {
    sb.reset_stats();
    answer(StatusCode::OK, json!(sb.stats()))
}

async fn subscriptions(State(sb): Shared) -> Response {
    let subs: Map<String, Value> = sb
        .store()
        .subscriptions()
        .iter()
        .map(|(k, s)| (k.path().to_string(), s.to_json()))
        .collect();
    ok(json!({ "result": subs }))
}
