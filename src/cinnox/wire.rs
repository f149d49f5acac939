//! Every wire detail of CINNOX in one place: the response envelope, the read model
//! of `extcontact-list` and the write model of create/update, and the pure
//! conversions between them and `model::Contact`. When a real tenant shows a detail
//! differently, this is the file to correct. Reading is tolerant (cinnox-api.md
//! "tolerate"); writing is exact.

use crate::model::enums::{email_field, phone_field, social_field, type_name};
use crate::model::{Contact, FieldId, FieldKind, FieldValues, WritePlace};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

#[path = "wire_api.rs"]
mod api;
pub use api::*;
#[path = "wire_list.rs"]
mod list;
pub use list::{ContactList, read_contact_list};
#[path = "wire_write.rs"]
mod write;
pub use write::{WireAddress, WireEmail, WirePhone, WireSocial, WriteBody};

/// A response body that does not have the shape the contract promises.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum WireError {
    #[error("response is not a JSON object")]
    NotAnObject,
    #[error("response has no list of items (looked under result, data, list, contacts, items)")]
    NoItems,
    #[error("contact #{index} has no `id`")]
    MissingId { index: usize },
    #[error("contact #{index} is not a JSON object")]
    ItemNotAnObject { index: usize },
}

/// Success codes: 0, and 200 which some endpoints answer.
pub fn is_success_code(code: i64) -> bool {
    code == 0 || code == 200
}

/// The `code` member of an envelope, if present and numeric (or a numeric string).
pub fn envelope_code(body: &Value) -> Option<i64> {
    match body.get("code")? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The `message` member of an error envelope.
pub fn envelope_message(body: &Value) -> Option<&str> {
    body.get("message")
        .or_else(|| body.get("msg"))
        .and_then(Value::as_str)
}

const LIST_KEYS: [&str; 5] = ["result", "data", "list", "contacts", "items"];

/// The items of a list answer and its `total`, wherever the server put them: an
/// array under one of `result`, `data`, `list`, `contacts`, `items`, or an object
/// under one of those holding one array (and maybe the total).
pub fn list_items(body: &Value) -> Result<(&[Value], Option<u64>), WireError> {
    let obj = body.as_object().ok_or(WireError::NotAnObject)?;
    let total = |o: &Map<String, Value>| o.get("total").and_then(as_u64_loose);
    for key in LIST_KEYS {
        match obj.get(key) {
            Some(Value::Array(items)) => return Ok((items, total(obj))),
            Some(Value::Object(inner)) => {
                let arrays: Vec<&Vec<Value>> = LIST_KEYS
                    .iter()
                    .filter_map(|k| inner.get(*k).and_then(Value::as_array))
                    .chain(inner.values().filter_map(Value::as_array))
                    .collect();
                if let Some(items) = arrays.first() {
                    return Ok((items, total(inner).or_else(|| total(obj))));
                }
            }
            Some(Value::Null) => return Ok((&[], total(obj))),
            _ => {}
        }
    }
    Err(WireError::NoItems)
}

fn as_u64_loose(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A string member read loosely: strings as they are, numbers as digits, null and
/// anything else as empty.
fn loose_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// A phone member: a JSON number lost its leading `+`, so it gets it back.
fn loose_phone(v: &Value) -> String {
    match v {
        Value::Number(n) => format!("+{n}"),
        other => loose_string(other),
    }
}

/// A list of ids given as an array (of strings or numbers) or a comma-separated string.
pub fn id_list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a
            .iter()
            .map(loose_string)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        Value::Number(n) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// What a member of a listed contact holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemKey {
    Id,
    SharedWith,
    SlaveContacts,
    /// The `address` object (or an array holding it).
    Address,
    /// A tenant custom field (`cf_*`).
    Custom,
    /// A field; phones as numbers get their `+` back.
    Field(FieldId),
    /// A dotted address member (`addresses.city`), read as plain text.
    Member(FieldId),
    Ignore,
}

/// Classifies a member of a listed contact. Keys are matched without regard to case
/// (the docs spell `ownerID` and `slavecontacts` both ways). The spellings seen in
/// practice come from a table built by the general rule, so both agree.
pub(crate) fn item_key(key: &str) -> ItemKey {
    static EXACT: OnceLock<HashMap<&'static str, ItemKey>> = OnceLock::new();
    let exact = EXACT.get_or_init(|| {
        let extra = [
            "id",
            "sharedWith",
            "slaveContacts",
            "slavecontacts",
            "address",
            "ownerID",
        ];
        FieldId::ALL
            .iter()
            .map(|f| f.key())
            .chain(extra)
            .map(|k| (k, item_key_general(k)))
            .collect()
    });
    match exact.get(key) {
        Some(k) => *k,
        None => item_key_general(key),
    }
}

fn item_key_general(key: &str) -> ItemKey {
    let lower = key.to_ascii_lowercase();
    match lower.as_str() {
        "id" | "contactid" => ItemKey::Id,
        "sharedwith" => ItemKey::SharedWith,
        "slavecontacts" => ItemKey::SlaveContacts,
        "address" | "addresses" => ItemKey::Address,
        _ if lower.starts_with("cf_") => ItemKey::Custom,
        _ => {
            if let Some(f) = FieldId::parse(key).filter(|f| !f.key().starts_with("address.")) {
                ItemKey::Field(f)
            } else if let Some(f) = key
                .strip_prefix("addresses.")
                .or_else(|| key.strip_prefix("address."))
                .and_then(FieldId::parse)
            {
                ItemKey::Member(f)
            } else {
                ItemKey::Ignore
            }
        }
    }
}

/// The text of a custom field: scalars as text, arrays and objects as JSON.
fn custom_text(v: &Value) -> String {
    match v {
        Value::Array(_) | Value::Object(_) => v.to_string(),
        other => loose_string(other),
    }
}

/// Reads one item of `extcontact-list` into a `Contact`. (`read_contact_list`
/// reads whole answers faster, straight from bytes, with the same rules.)
pub fn contact_from_json(item: &Value, index: usize) -> Result<Contact, WireError> {
    let obj = item
        .as_object()
        .ok_or(WireError::ItemNotAnObject { index })?;
    let mut c = Contact::default();
    for (key, v) in obj {
        match item_key(key) {
            ItemKey::Id => c.id = loose_string(v).trim().to_string(),
            ItemKey::SharedWith => c.shared_with = id_list(v),
            ItemKey::SlaveContacts => c.slave_contacts = id_list(v),
            ItemKey::Address => read_address(v, &mut c.values),
            ItemKey::Custom => {
                c.custom.insert(key.clone(), custom_text(v));
            }
            ItemKey::Field(f) if f.kind() == FieldKind::Phone => c.values.set(f, loose_phone(v)),
            ItemKey::Field(f) | ItemKey::Member(f) => c.values.set(f, loose_string(v)),
            ItemKey::Ignore => {}
        }
    }
    if c.id.is_empty() {
        return Err(WireError::MissingId { index });
    }
    Ok(c)
}

fn read_address(v: &Value, values: &mut FieldValues) {
    let obj = match v {
        Value::Object(o) => o,
        Value::Array(a) => match a.first().and_then(Value::as_object) {
            Some(o) => o,
            None => return,
        },
        _ => return,
    };
    for (k, v) in obj {
        if let Some(f) = FieldId::parse(k).filter(|f| f.key().starts_with("address.")) {
            values.set(f, loose_string(v));
        }
    }
}

/// A contact in the read model, exactly as the sandbox lists it.
pub fn contact_to_json(c: &Contact) -> Value {
    let mut obj = Map::new();
    obj.insert("id".into(), Value::String(c.id.clone()));
    let mut address = Map::new();
    for f in FieldId::ALL {
        let v = Value::String(c.values.get(*f).to_string());
        match f.key().strip_prefix("address.") {
            Some(member) => {
                address.insert(member.into(), v);
            }
            None => {
                obj.insert(f.key().into(), v);
            }
        }
    }
    obj.insert("address".into(), Value::Object(address));
    obj.insert("sharedWith".into(), Value::from(c.shared_with.clone()));
    obj.insert(
        "slaveContacts".into(),
        Value::from(c.slave_contacts.clone()),
    );
    for (k, v) in &c.custom {
        obj.insert(k.clone(), Value::String(v.clone()));
    }
    Value::Object(obj)
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
