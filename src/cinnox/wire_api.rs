//! The rest of CINNOX's wire details, beside the contact models of `wire`: the
//! result codes, the endpoint paths, the staff record, the event-subscription
//! bodies, the challenge handshake and the webhook event. Shared by the client
//! and the sandbox so that both sides read one definition. Reading is tolerant,
//! writing is exact (cinnox-api.md).

use super::{id_list, loose_string};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The result codes of cinnox-api.md §2. Decide on these, never on message text.
pub mod codes {
    /// Success (200 is tolerated too, see `is_success_code`).
    pub const OK: i64 = 0;
    /// Bad parameter: a record-level rejection.
    pub const BAD_PARAMETER: i64 = 6_451_000;
    /// Bad response from an internal service: retry with backoff.
    pub const SERVICE_ERROR: i64 = 6_451_001;
    /// Too many requests: wait `Retry-After`, retry.
    pub const RATE_LIMITED: i64 = 6_451_010;
    /// No records found: an empty result, not an error.
    pub const NO_RECORDS: i64 = 6_451_011;
    /// Invalid App Token.
    pub const INVALID_TOKEN: i64 = 6_452_000;
    /// Invalid App ID.
    pub const INVALID_APP_ID: i64 = 6_452_001;
    /// Method not found: unknown path or method, unknown contact id.
    pub const NOT_FOUND: i64 = 6_450_001;
}

/// The largest `limit` a list call accepts, and the page size the client reads in.
pub const MAX_PAGE: u64 = 500;
/// The `limit` a list call uses when none is given.
pub const DEFAULT_PAGE: u64 = 50;

/// Every Open API path starts with this, then the App ID, then one of the paths below.
pub const APPS_PREFIX: &str = "/v1/api/apps/";
pub const LIST_CONTACTS_PATH: &str = "contacts/extcontact-list";
pub const CREATE_CONTACT_PATH: &str = "management/create_externalcontact";
/// Followed by `/{contactID}`.
pub const UPDATE_CONTACT_PATH: &str = "management/update_externalcontact";
pub const LIST_STAFF_PATH: &str = "contacts/staffcontact-list";

/// The three event subscriptions of cinnox-api.md §5 (all `PATCH`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventSubscription {
    /// Every contact event, including merge and ownership transfer.
    Contact,
    /// External-contact events.
    ExternalContact,
    /// Staff-contact events.
    StaffContact,
}

impl EventSubscription {
    pub const ALL: [EventSubscription; 3] = [
        EventSubscription::Contact,
        EventSubscription::ExternalContact,
        EventSubscription::StaffContact,
    ];

    /// The path after `/v1/api/apps/{appID}/`.
    pub fn path(self) -> &'static str {
        match self {
            EventSubscription::Contact => "contact-event-sub",
            EventSubscription::ExternalContact => "external-contact-event-sub",
            EventSubscription::StaffContact => "staff-contact-event-sub",
        }
    }

    /// The subscription a path names, if any.
    pub fn from_path(path: &str) -> Option<EventSubscription> {
        Self::ALL.into_iter().find(|s| s.path() == path)
    }
}

/// A staff member as `staffcontact-list` lists it; `id` is what a contact's
/// `ownerId` holds. `department` is not in the public docs; the sandbox lists it so
/// that `ownerDepartment` has a source.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Staff {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub display_name: String,
    /// `Activated`, `Not activated` or `Suspended`.
    pub status: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub department: String,
}

impl Staff {
    /// The name a contact's `ownerName` shows: the display name, else first + last.
    pub fn owner_name(&self) -> String {
        if !self.display_name.trim().is_empty() {
            return self.display_name.clone();
        }
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }
}

/// Reads one staff item, tolerating numbers for strings and keys in any case.
pub fn staff_from_json(item: &Value) -> Option<Staff> {
    let obj = item.as_object()?;
    let mut s = Staff::default();
    for (k, v) in obj {
        let slot = match k.to_ascii_lowercase().as_str() {
            "id" | "staffid" => &mut s.id,
            "firstname" => &mut s.first_name,
            "lastname" => &mut s.last_name,
            "email" => &mut s.email,
            "displayname" => &mut s.display_name,
            "status" => &mut s.status,
            "department" => &mut s.department,
            _ => continue,
        };
        *slot = loose_string(v);
    }
    (!s.id.trim().is_empty()).then_some(s)
}

/// The body of a subscription `PATCH`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionRequest {
    pub enabled: bool,
    #[serde(default)]
    pub url: String,
}

/// A subscription as CINNOX answers it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionState {
    pub enabled: bool,
    pub url: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// Reads a subscription answer: the members at the top level or under `result`.
pub fn subscription_from_json(body: &Value) -> Option<SubscriptionState> {
    let obj = match body.get("result") {
        Some(r @ Value::Object(_)) if r.get("enabled").is_some() => r,
        _ => body,
    };
    let enabled = match obj.get("enabled")? {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        Value::Number(n) => n.as_i64() == Some(1),
        _ => return None,
    };
    Some(SubscriptionState {
        enabled,
        url: obj.get("url").map(loose_string).unwrap_or_default(),
        updated_at: obj.get("updatedAt").map(loose_string).unwrap_or_default(),
    })
}

/// What CINNOX POSTs to a URL being registered.
pub fn challenge_request(challenge: &str) -> Value {
    json!({ "challenge": challenge })
}

/// What a webhook receiver answers to a challenge (HTTP 200).
pub fn challenge_reply(challenge: &str) -> Value {
    json!({ "code": 0, "result": { "challenge": challenge } })
}

/// The challenge a receiver sent back, read from `result.challenge`.
pub fn challenge_echo(reply: &Value) -> Option<&str> {
    reply.get("result")?.get("challenge")?.as_str()
}

/// The challenge inside a POST to a webhook receiver, when it is a handshake rather
/// than an event (an event carries `"challenge": ""`).
pub fn challenge_of(body: &Value) -> Option<&str> {
    let is_event = body.get("message").is_some_and(Value::is_object);
    body.get("challenge")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty() && !is_event)
}

/// What a receiver answers to every event delivery.
pub fn event_reply() -> Value {
    json!({ "code": 0, "result": {} })
}

/// One contact event, as delivered to a subscribed URL. Deliveries carry no
/// signature and no event id: a hint to re-read CINNOX, never data to trust.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactEvent {
    /// `create`, `edit`, `delete`, `merge`, `transfer`; unknown statuses are kept.
    pub status: String,
    /// The contact; for `merge`, the surviving contact.
    pub id: String,
    pub full_name: String,
    pub service_id: String,
    /// `merge` only: the absorbed contacts.
    pub merged_ids: Vec<String>,
    /// `transfer` only.
    pub from_owner_id: String,
    /// `transfer` only.
    pub to_owner_id: String,
    /// `contact` for external contacts, `staff` for staff events.
    pub kind: String,
}

impl ContactEvent {
    /// The delivery body, exactly as the sandbox sends it.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        let kind = if self.kind.is_empty() {
            "contact"
        } else {
            &self.kind
        };
        m.insert("type".into(), kind.into());
        m.insert("status".into(), self.status.clone().into());
        m.insert("serviceId".into(), self.service_id.clone().into());
        m.insert("fullName".into(), self.full_name.clone().into());
        m.insert("id".into(), self.id.clone().into());
        if self.status == "merge" || !self.merged_ids.is_empty() {
            m.insert("mergedIds".into(), Value::from(self.merged_ids.clone()));
        }
        if self.status == "transfer" {
            m.insert("fromOwnerID".into(), self.from_owner_id.clone().into());
            m.insert("toOwnerID".into(), self.to_owner_id.clone().into());
        }
        json!({ "type": "message", "challenge": "", "message": Value::Object(m) })
    }

    /// Reads a delivery body; `None` when it holds no `message` object. Keys are
    /// matched without regard to case (`fromOwnerID` / `fromOwnerId`).
    pub fn from_json(body: &Value) -> Option<ContactEvent> {
        let msg = body.get("message")?.as_object()?;
        let mut e = ContactEvent::default();
        for (k, v) in msg {
            match k.to_ascii_lowercase().as_str() {
                "type" => e.kind = loose_string(v),
                "status" => e.status = loose_string(v),
                "id" | "contactid" => e.id = loose_string(v),
                "fullname" | "name" => e.full_name = loose_string(v),
                "serviceid" => e.service_id = loose_string(v),
                "mergedids" | "slavecontacts" => e.merged_ids = id_list(v),
                "fromownerid" => e.from_owner_id = loose_string(v),
                "toownerid" => e.to_owner_id = loose_string(v),
                _ => {}
            }
        }
        Some(e)
    }
}

/// The id a create (or update) answered: `id` at the top level, or under
/// `result` / `data`, as a string or a number.
pub fn answered_id(body: &Value) -> Option<String> {
    let direct = body.get("id");
    let nested = ["result", "data"]
        .iter()
        .find_map(|k| body.get(*k).and_then(|r| r.get("id")));
    direct
        .or(nested)
        .map(loose_string)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// An error envelope.
pub fn error_body(code: i64, message: &str) -> Value {
    json!({ "code": code, "message": message })
}
