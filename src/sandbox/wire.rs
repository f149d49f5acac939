//! The sandbox's own spelling of the CINNOX contract (docs/cinnox-api.md): result
//! codes, paths, the read model it lists, staff records, subscriptions, the
//! challenge and the webhook deliveries in both forms. Written apart from the
//! client's `cinnox::names` on purpose: the two meet only on the wire, so a name
//! the client gets wrong fails a test instead of agreeing with itself. (Write
//! bodies are read in `body`.)

use crate::model::{Contact, FieldId as F};
use serde_json::{Map, Value, json};

/// The result codes the sandbox answers.
pub mod codes {
    pub const OK: i64 = 0;
    pub const BAD_PARAMETER: i64 = 6_451_000;
    pub const SERVICE_ERROR: i64 = 6_451_001;
    pub const RATE_LIMITED: i64 = 6_451_010;
    pub const NO_RECORDS: i64 = 6_451_011;
    pub const INVALID_TOKEN: i64 = 6_452_000;
    pub const INVALID_APP_ID: i64 = 6_452_001;
    pub const NOT_FOUND: i64 = 6_450_001;
}

/// `limit`: at most this, and this many when none is given.
pub const MAX_PAGE: usize = 500;
pub const DEFAULT_PAGE: usize = 50;

/// The Open API paths, after `/v1/api/apps/{appID}/`.
pub mod paths {
    pub const PREFIX: &str = "/v1/api/apps/";
    pub const LIST_CONTACTS: &str = "contacts/extcontact-list";
    pub const CREATE_CONTACT: &str = "management/create_externalcontact";
    pub const UPDATE_CONTACT: &str = "management/update_externalcontact";
    pub const LIST_STAFF: &str = "contacts/staffcontact-list";
}

/// An error envelope.
pub fn error_body(code: i64, message: &str) -> Value {
    json!({ "code": code, "message": message })
}

/// The top-level members of a listed contact, beside `id`, `address`,
/// `sharedWith`, `slaveContacts` and custom fields.
const TOP: [(&str, F); 29] = [
    ("firstName", F::FirstName),
    ("lastName", F::LastName),
    ("mobilePhone", F::MobilePhone),
    ("workPhone", F::WorkPhone),
    ("homePhone", F::HomePhone),
    ("otherPhone", F::OtherPhone),
    ("email", F::Email),
    ("personalEmail", F::PersonalEmail),
    ("otherEmail", F::OtherEmail),
    ("facebook", F::Facebook),
    ("whatsApp", F::WhatsApp),
    ("weChat", F::WeChat),
    ("line", F::Line),
    ("twitter", F::Twitter),
    ("linkedin", F::Linkedin),
    ("woztellWhatsApp", F::WoztellWhatsApp),
    ("woztellFacebook", F::WoztellFacebook),
    ("woztellInstagram", F::WoztellInstagram),
    ("companyName", F::CompanyName),
    ("department", F::Department),
    ("jobTitle", F::JobTitle),
    ("group", F::Group),
    ("birthday", F::Birthday),
    ("language", F::Language),
    ("customerType", F::CustomerType),
    ("level", F::Level),
    ("ownerId", F::OwnerId),
    ("ownerName", F::OwnerName),
    ("ownerDepartment", F::OwnerDepartment),
];

/// The members of `address` (and of a write body's `addresses`).
pub(super) const ADDRESS: [(&str, F); 5] = [
    ("street", F::Street),
    ("city", F::City),
    ("state", F::State),
    ("zipcode", F::Zipcode),
    ("country", F::Country),
];

/// A contact as `extcontact-list` lists it: every field, empty ones as `""`.
pub fn contact_json(c: &Contact) -> Value {
    let mut obj = Map::new();
    obj.insert("id".into(), c.id.clone().into());
    for (name, f) in TOP {
        obj.insert(name.into(), c.values.get(f).into());
    }
    let address: Map<String, Value> = ADDRESS
        .iter()
        .map(|(name, f)| (name.to_string(), c.values.get(*f).into()))
        .collect();
    obj.insert("address".into(), Value::Object(address));
    obj.insert("sharedWith".into(), c.shared_with.clone().into());
    obj.insert("slaveContacts".into(), c.slave_contacts.clone().into());
    for (k, v) in &c.custom {
        obj.insert(k.clone(), v.clone().into());
    }
    Value::Object(obj)
}

/// Reads a contact in the sandbox's read model (a seed, or a stored record).
/// Unchecked values (tests plant bad data), but strict names: a member it does not
/// list is refused by name. Numbers are taken as their digits.
pub fn contact_from_json(item: &Value) -> Result<Contact, String> {
    let obj = item.as_object().ok_or("a contact must be a JSON object")?;
    let mut c = Contact::default();
    for (k, v) in obj {
        if let Some((_, f)) = TOP.iter().find(|(name, _)| name == k) {
            c.values.set(*f, text(k, v)?);
        } else if k == "id" {
            c.id = text(k, v)?.trim().to_string();
        } else if k == "address" {
            let Some(address) = v.as_object() else {
                return Err("address: must be an object".into());
            };
            for (m, v) in address {
                let path = format!("address.{m}");
                let (_, f) = ADDRESS
                    .iter()
                    .find(|(name, _)| name == m)
                    .ok_or_else(|| format!("{path}: unknown member"))?;
                c.values.set(*f, text(&path, v)?);
            }
        } else if k == "sharedWith" {
            c.shared_with = ids(k, v)?;
        } else if k == "slaveContacts" {
            c.slave_contacts = ids(k, v)?;
        } else if k.starts_with("cf_") {
            c.custom.insert(k.clone(), text(k, v)?);
        } else {
            return Err(format!("{k}: unknown member of a contact"));
        }
    }
    Ok(c)
}

fn text(path: &str, v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok(String::new()),
        _ => Err(format!("{path}: must be text")),
    }
}

fn ids(path: &str, v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::Array(a) => a.iter().map(|x| text(path, x)).collect(),
        Value::Null => Ok(Vec::new()),
        _ => Err(format!("{path}: must be an array of ids")),
    }
}

/// A staff member; `id` is what a contact's `ownerId` holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Staff {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub display_name: String,
    /// `Activated`, `Not activated` or `Suspended`.
    pub status: String,
    /// Not in the public docs; listed so that `ownerDepartment` has a source.
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

/// A staff member as `staffcontact-list` lists it.
pub fn staff_json(s: &Staff) -> Value {
    let mut v = json!({ "id": s.id, "firstName": s.first_name, "lastName": s.last_name,
        "email": s.email, "displayName": s.display_name, "status": s.status });
    if !s.department.is_empty() {
        v["department"] = s.department.clone().into();
    }
    v
}

/// Reads a staff record in the form `staff_json` writes (a seed or a stored one).
pub fn staff_from_json(item: &Value) -> Result<Staff, String> {
    let obj = item
        .as_object()
        .ok_or("a staff record must be a JSON object")?;
    let mut s = Staff::default();
    for (k, v) in obj {
        let slot = match k.as_str() {
            "id" => &mut s.id,
            "firstName" => &mut s.first_name,
            "lastName" => &mut s.last_name,
            "email" => &mut s.email,
            "displayName" => &mut s.display_name,
            "status" => &mut s.status,
            "department" => &mut s.department,
            other => return Err(format!("{other}: unknown member of a staff record")),
        };
        *slot = text(k, v)?;
    }
    Ok(s)
}

/// The three event subscriptions.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subscription {
    /// Every contact event, merge and transfer included.
    Contact,
    ExternalContact,
    StaffContact,
}

impl Subscription {
    pub const ALL: [Subscription; 3] = [
        Subscription::Contact,
        Subscription::ExternalContact,
        Subscription::StaffContact,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Subscription::Contact => "contact-event-sub",
            Subscription::ExternalContact => "external-contact-event-sub",
            Subscription::StaffContact => "staff-contact-event-sub",
        }
    }

    pub fn from_path(path: &str) -> Option<Subscription> {
        Self::ALL.into_iter().find(|s| s.path() == path)
    }
}

/// A subscription's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubscriptionState {
    pub enabled: bool,
    pub url: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl SubscriptionState {
    /// The members of a subscription answer.
    pub fn to_json(&self) -> Value {
        json!({ "enabled": self.enabled, "url": self.url, "updatedAt": self.updated_at })
    }
}

/// A subscription `PATCH` body: exactly `enabled` (a boolean) and, to enable, `url`.
pub fn subscription_request(body: &[u8]) -> Result<(bool, String), String> {
    const SHAPE: &str = r#"the body must be {"enabled": true|false, "url": "..."}"#;
    let v: Value = serde_json::from_slice(body).map_err(|_| SHAPE.to_string())?;
    let obj = v.as_object().ok_or(SHAPE)?;
    if let Some(k) = obj
        .keys()
        .find(|k| !matches!(k.as_str(), "enabled" | "url"))
    {
        return Err(format!("{k}: unknown member ({SHAPE})"));
    }
    let enabled = obj.get("enabled").and_then(Value::as_bool).ok_or(SHAPE)?;
    let url = match obj.get("url") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(format!("url: must be a string ({SHAPE})")),
    };
    Ok((enabled, url))
}

/// What the sandbox POSTs to a URL being registered.
pub fn challenge_request(challenge: &str) -> Value {
    json!({ "challenge": challenge })
}

/// The challenge a receiver echoed, from `result.challenge`.
pub fn challenge_echo(reply: &Value) -> Option<&str> {
    reply.get("result")?.get("challenge")?.as_str()
}

/// How deliveries are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WebhookForm {
    /// `{"type":"message","challenge":"","message":{...}}` (docs/cinnox-api.md).
    #[default]
    Wrapped,
    /// `{"status":...,"name":...}` and, for a transfer, `fromOwnerID` and
    /// `toOwnerID`: exactly the keys CINNOX's Zapier triggers show.
    Flat,
}

impl std::str::FromStr for WebhookForm {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "wrapped" => Ok(WebhookForm::Wrapped),
            "flat" => Ok(WebhookForm::Flat),
            other => Err(format!("`{other}` is not a webhook form: wrapped or flat")),
        }
    }
}

/// An event the sandbox sends about a contact or a staff member.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Event {
    /// `create`, `edit`, `delete`, `merge`, `transfer`.
    pub status: String,
    /// The contact; for `merge`, the survivor.
    pub id: String,
    pub full_name: String,
    pub service_id: String,
    /// `merge` only.
    pub merged_ids: Vec<String>,
    /// `transfer` only.
    pub from_owner_id: String,
    pub to_owner_id: String,
    /// `contact` or `staff`.
    pub kind: &'static str,
}

impl Event {
    /// The delivery body in `form`.
    pub fn to_json(&self, form: WebhookForm) -> Value {
        let transfer = self.status == "transfer";
        match form {
            WebhookForm::Wrapped => {
                let mut m = json!({ "type": self.kind, "status": self.status,
                    "serviceId": self.service_id, "fullName": self.full_name, "id": self.id });
                if self.status == "merge" || !self.merged_ids.is_empty() {
                    m["mergedIds"] = self.merged_ids.clone().into();
                }
                if transfer {
                    m["fromOwnerID"] = self.from_owner_id.clone().into();
                    m["toOwnerID"] = self.to_owner_id.clone().into();
                }
                json!({ "type": "message", "challenge": "", "message": m })
            }
            WebhookForm::Flat => {
                let mut m = json!({ "status": self.status, "name": self.full_name });
                if transfer {
                    m["fromOwnerID"] = self.from_owner_id.clone().into();
                    m["toOwnerID"] = self.to_owner_id.clone().into();
                }
                m
            }
        }
    }
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
