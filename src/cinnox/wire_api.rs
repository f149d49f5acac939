//! The rest of the client's wire handling, beside the contact models of `wire`: the
//! result codes, the page sizes, the staff record, the event-subscription bodies,
//! the receiver's side of the challenge handshake and the id a create answers.
//! Names come from `names`. Reading is tolerant, writing is exact (cinnox-api.md).

use super::loose_string;
use super::names::{self, envelope, path, subscription as sub};
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
    /// Request item over the limit (500 requests per minute per service): treated
    /// as the rate limit.
    pub const OVER_LIMIT: i64 = 6_451_013;
    /// App name is conflict: two Apps of the service account share a name.
    pub const APP_NAME_CONFLICT: i64 = 6_451_014;
    /// Invalid App Token.
    pub const INVALID_TOKEN: i64 = 6_452_000;
    /// Invalid App ID.
    pub const INVALID_APP_ID: i64 = 6_452_001;
    /// Method not found: unknown path or method, unknown contact id.
    pub const NOT_FOUND: i64 = 6_450_001;
}

/// The largest `limit` a list call accepts, and the page size the client reads in
/// (assumed; the documents say only "exceed maximum limit").
pub const MAX_PAGE: u64 = 500;
/// The `limit` a list call uses when none is given (assumed).
pub const DEFAULT_PAGE: u64 = 50;

/// The three event subscriptions of cinnox-api.md §5 (all `PATCH`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
            EventSubscription::Contact => path::CONTACT_EVENTS,
            EventSubscription::ExternalContact => path::EXTERNAL_CONTACT_EVENTS,
            EventSubscription::StaffContact => path::STAFF_CONTACT_EVENTS,
        }
    }

    /// The subscription a path names, if any.
    pub fn from_path(path: &str) -> Option<EventSubscription> {
        Self::ALL.into_iter().find(|s| s.path() == path)
    }
}

/// A staff member as `staffcontact-list` lists it; `id` is what a contact's
/// `ownerId` holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Staff {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub display_name: String,
    /// `Activated`, `Not activated` or `Suspended`.
    pub status: String,
    /// Not in the public docs; the sandbox lists it so `ownerDepartment` has a source.
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

/// Reads one staff item, tolerating numbers for strings and names in any case.
pub fn staff_from_json(item: &Value) -> Option<Staff> {
    use names::staff as n;
    let obj = item.as_object()?;
    let mut s = Staff::default();
    for (k, v) in obj {
        let is = |name: &str| k.eq_ignore_ascii_case(name);
        let slot = if is(n::ID) || is(n::ID_ALSO) {
            &mut s.id
        } else if is(n::FIRST_NAME) {
            &mut s.first_name
        } else if is(n::LAST_NAME) {
            &mut s.last_name
        } else if is(n::EMAIL) {
            &mut s.email
        } else if is(n::DISPLAY_NAME) {
            &mut s.display_name
        } else if is(n::STATUS) {
            &mut s.status
        } else if is(n::DEPARTMENT) {
            &mut s.department
        } else {
            continue;
        };
        *slot = loose_string(v);
    }
    (!s.id.trim().is_empty()).then_some(s)
}

/// The table's name for a staff item's member, when the client reads it.
pub fn staff_member(key: &str) -> Option<&'static str> {
    use names::staff as n;
    [
        n::ID,
        n::ID_ALSO,
        n::FIRST_NAME,
        n::LAST_NAME,
        n::EMAIL,
        n::DISPLAY_NAME,
        n::STATUS,
        n::DEPARTMENT,
    ]
    .into_iter()
    .find(|n| n.eq_ignore_ascii_case(key))
}

/// The body of a subscription `PATCH`.
pub fn subscription_body(enabled: bool, url: &str) -> Value {
    let mut m = Map::new();
    m.insert(sub::ENABLED.into(), enabled.into());
    m.insert(sub::URL.into(), url.into());
    Value::Object(m)
}

/// A subscription as CINNOX answers it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubscriptionState {
    pub enabled: bool,
    pub url: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// Reads a subscription answer: the members at the top level or under `result`.
pub fn subscription_from_json(body: &Value) -> Option<SubscriptionState> {
    let obj = match body.get(envelope::RESULT) {
        Some(r @ Value::Object(_)) if r.get(sub::ENABLED).is_some() => r,
        _ => body,
    };
    let enabled = match obj.get(sub::ENABLED)? {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        Value::Number(n) => n.as_i64() == Some(1),
        _ => return None,
    };
    Some(SubscriptionState {
        enabled,
        url: obj.get(sub::URL).map(loose_string).unwrap_or_default(),
        updated_at: obj
            .get(sub::UPDATED_AT)
            .map(loose_string)
            .unwrap_or_default(),
    })
}

/// What a webhook receiver answers to a challenge (HTTP 200).
pub fn challenge_reply(challenge: &str) -> Value {
    json!({ envelope::CODE: 0, envelope::RESULT: { sub::CHALLENGE: challenge } })
}

/// The challenge inside a POST to a webhook receiver, when it is a handshake rather
/// than an event (a wrapped event carries `"challenge": ""`).
pub fn challenge_of(body: &Value) -> Option<&str> {
    let is_event = body
        .get(names::event::MESSAGE)
        .is_some_and(Value::is_object);
    body.get(sub::CHALLENGE)
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty() && !is_event)
}

/// What a receiver answers to every event delivery.
pub fn event_reply() -> Value {
    json!({ envelope::CODE: 0, envelope::RESULT: {} })
}

/// The id a create (or update) answered: `id` at the top level, or under
/// `result` / `data`, as a string or a number.
pub fn answered_id(body: &Value) -> Option<String> {
    let direct = body.get(envelope::ID);
    let nested = envelope::ID_UNDER
        .iter()
        .find_map(|k| body.get(*k).and_then(|r| r.get(envelope::ID)));
    direct
        .or(nested)
        .map(loose_string)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}
