//! The client's reading and writing of CINNOX's bodies: the response envelope, the
//! read model of `extcontact-list`, the write model of create/update, and the pure
//! conversions between them and `model::Contact`. Every name comes from `names`
//! (the one table of wire names). Reading is tolerant (cinnox-api.md "tolerate"):
//! names match without regard to case, numbers stand for text, and the quirks
//! CINNOX's own documents show are understood; writing is exact.

use super::names::{self, ReadName, WriteName, contact as member, envelope};
use crate::model::{Contact, FieldId, FieldValues, Norm};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

#[path = "wire_api.rs"]
mod api;
pub use api::*;
#[path = "wire_events.rs"]
mod events;
pub use events::{ContactEvent, EventForm, EventStatus};
#[path = "wire_list.rs"]
mod list;
pub use list::{ContactList, read_contact_list};

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
    match body.get(envelope::CODE)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The `message` member of an error envelope.
pub fn envelope_message(body: &Value) -> Option<&str> {
    body.get(envelope::MESSAGE)
        .or_else(|| body.get(envelope::MESSAGE_ALSO))
        .and_then(Value::as_str)
}

/// The items of a list answer and its `total`, wherever the server put them: an
/// array under one of `result`, `data`, `list`, `contacts`, `items`, or an object
/// under one of those holding one array (and maybe the total).
pub fn list_items(body: &Value) -> Result<(&[Value], Option<u64>), WireError> {
    let obj = body.as_object().ok_or(WireError::NotAnObject)?;
    let total = |o: &Map<String, Value>| o.get(envelope::TOTAL).and_then(as_u64_loose);
    for key in envelope::ITEMS {
        match obj.get(key) {
            Some(Value::Array(items)) => return Ok((items, total(obj))),
            Some(Value::Object(inner)) => {
                let arrays: Vec<&Vec<Value>> = envelope::ITEMS
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
pub(crate) fn loose_string(v: &Value) -> String {
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

/// A value as CINNOX's documents sometimes write it, read as the model spells it:
/// the create/update action reference writes Traditional Chinese as `zh-ant`.
pub(crate) fn tolerated_value(field: FieldId, text: String) -> String {
    if field == FieldId::Language && text.trim().eq_ignore_ascii_case("zh-ant") {
        return "zh-hant".into();
    }
    text
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

/// Every name a listed contact's members are known by, as the contract spells
/// it and lower-cased: the usual member is found by one lookup, with no copy of
/// its name.
fn known_members() -> &'static HashMap<String, ItemKey> {
    static KNOWN: OnceLock<HashMap<String, ItemKey>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut named: Vec<(String, ItemKey)> = [
            (member::ID, ItemKey::Id),
            (member::ID_ALSO, ItemKey::Id),
            (member::SHARED_WITH, ItemKey::SharedWith),
            (member::SLAVE_CONTACTS, ItemKey::SlaveContacts),
            (member::ADDRESS, ItemKey::Address),
            (member::ADDRESS_ALSO, ItemKey::Address),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        for f in FieldId::ALL {
            match names::read_name(*f) {
                ReadName::Top(name) => named.push((name.to_string(), ItemKey::Field(*f))),
                ReadName::Address(name) => {
                    for object in [member::ADDRESS, member::ADDRESS_ALSO] {
                        named.push((format!("{object}.{name}"), ItemKey::Member(*f)));
                    }
                }
            }
        }
        let lower: Vec<(String, ItemKey)> = named
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), *v))
            .collect();
        named.into_iter().chain(lower).collect()
    })
}

/// Classifies a member of a listed contact. Names are matched without regard to
/// case (the documents spell `ownerID` and `slavecontacts`, the contract `ownerId`
/// and `slaveContacts`).
pub(crate) fn item_key(key: &str) -> ItemKey {
    if let Some(k) = known_members().get(key) {
        return *k;
    }
    let lower = key.to_ascii_lowercase();
    match known_members().get(&lower) {
        Some(k) => *k,
        None if lower.starts_with(member::CUSTOM_PREFIX) => ItemKey::Custom,
        None => ItemKey::Ignore,
    }
}

/// The address field a member of the `address` object holds, if any.
pub(crate) fn address_member(key: &str) -> Option<FieldId> {
    // The address fields, found once (a listing asks for each member of each
    // contact's address).
    static ADDRESS: OnceLock<Vec<(&'static str, FieldId)>> = OnceLock::new();
    let fields = ADDRESS.get_or_init(|| {
        FieldId::ALL
            .iter()
            .filter_map(|f| match names::read_name(*f) {
                ReadName::Address(name) => Some((name, *f)),
                ReadName::Top(_) => None,
            })
            .collect()
    });
    fields
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(key))
        .map(|(_, f)| *f)
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
            ItemKey::Field(f) if f.kind().norm() == Norm::Phone => c.values.set(f, loose_phone(v)),
            ItemKey::Field(f) | ItemKey::Member(f) => {
                c.values.set(f, tolerated_value(f, loose_string(v)))
            }
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
        if let Some(f) = address_member(k) {
            values.set(f, loose_string(v));
        }
    }
}

/// The body of `create_externalcontact` and `update_externalcontact` that sets
/// every writable field to `values` (read-only fields ignored). Every scalar and
/// address member is always sent (empty strings for empty fields) because update
/// semantics are undocumented: a full body never leaves a field to the server's
/// imagination. Phones, emails and social ids are sent as entries of their type.
pub fn write_body(values: &FieldValues) -> Value {
    use names::write as w;
    let mut body = Map::new();
    let mut address = Map::new();
    let (mut phones, mut emails, mut socials) = (Vec::new(), Vec::new(), Vec::new());
    for f in FieldId::ALL {
        let v = values.get(*f);
        let entry = |type_member: &str, value_member: &str| {
            let mut e = Map::new();
            e.insert(type_member.into(), names::type_value(*f).into());
            e.insert(value_member.into(), v.into());
            Value::Object(e)
        };
        match names::write_name(*f) {
            WriteName::Scalar(name) => {
                body.insert(name.into(), v.into());
            }
            WriteName::Address(name) => {
                address.insert(name.into(), v.into());
            }
            WriteName::Phone if !v.is_empty() => phones.push(entry(w::PHONE_TYPE, w::PHONE)),
            WriteName::Email if !v.is_empty() => emails.push(entry(w::EMAIL_TYPE, w::EMAIL)),
            WriteName::Social if !v.is_empty() => {
                socials.push(entry(w::SOCIAL_TYPE, w::SOCIAL_VALUE))
            }
            WriteName::Phone | WriteName::Email | WriteName::Social | WriteName::None => {}
        }
    }
    body.insert(w::ADDRESSES.into(), Value::Object(address));
    body.insert(w::PHONES.into(), Value::Array(phones));
    body.insert(w::EMAILS.into(), Value::Array(emails));
    body.insert(w::SOCIALS.into(), Value::Array(socials));
    Value::Object(body)
}

#[cfg(test)]
#[path = "wire_tests.rs"]
mod tests;
