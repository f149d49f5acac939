//! The shape of one list answer, as it came: the envelope's members, the code,
//! where the items were, the total, and every member the items hold with the JSON
//! types seen. Pure; `super` turns shapes into findings.

use super::super::names::envelope;
use super::Probe;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A member seen in the items of a list answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberSeen {
    /// As written (dotted for a member of an object member: `address.city`).
    pub name: String,
    /// How many items hold it.
    pub count: usize,
    /// JSON types seen, with how many items had each.
    pub types: BTreeMap<&'static str, usize>,
    /// What the client reads it as (`None`: the client ignores it).
    pub reads_as: Option<String>,
}

/// The shape of a list answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ListShape {
    /// The request, e.g. `GET contacts/extcontact-list?offset=0&limit=500`.
    pub request: String,
    pub status: u16,
    /// Whether the body was JSON at all.
    pub json: bool,
    /// The top-level members, as written.
    pub envelope: Vec<String>,
    /// `code` as written (`0`, `"0"`, `200`).
    pub code: Option<Value>,
    pub message: Option<String>,
    /// Where the items were: `result`, or `data.contacts` for an object holding them.
    pub items_under: Option<String>,
    /// `total` as written.
    pub total: Option<Value>,
    pub items: usize,
    pub members: Vec<MemberSeen>,
}

/// The JSON type of a value, as `check` names it.
pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The items of a list answer and where they were, by the client's rules.
pub fn locate_items(obj: &Map<String, Value>) -> Option<(String, &[Value])> {
    for key in envelope::ITEMS {
        match obj.get(key) {
            Some(Value::Array(items)) => return Some((key.to_string(), items)),
            Some(Value::Object(inner)) => {
                let found = envelope::ITEMS
                    .iter()
                    .copied()
                    .find(|k| inner.get(*k).is_some_and(Value::is_array))
                    .or_else(|| {
                        inner
                            .iter()
                            .find(|(_, v)| v.is_array())
                            .map(|(k, _)| k.as_str())
                    });
                if let Some(k) = found {
                    let items = inner[k].as_array().map_or(&[][..], Vec::as_slice);
                    return Some((format!("{key}.{k}"), items));
                }
            }
            Some(Value::Null) => return Some((key.to_string(), &[])),
            _ => {}
        }
    }
    None
}

/// Reads a probe's answer into a shape; `reads_as` says what the client makes of
/// a member name (`None`: ignored). Members of object members are listed too
/// (`address.city`), except for members named in `opaque` (custom fields).
pub fn shape(
    probe: &Probe,
    reads_as: impl Fn(&str) -> Option<String>,
    opaque: impl Fn(&str) -> bool,
) -> (ListShape, Vec<Value>) {
    let mut s = ListShape {
        request: probe.request.clone(),
        status: probe.status,
        ..ListShape::default()
    };
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(&probe.body) else {
        s.json = serde_json::from_slice::<Value>(&probe.body).is_ok();
        return (s, Vec::new());
    };
    s.json = true;
    s.envelope = obj.keys().cloned().collect();
    s.code = obj.get(envelope::CODE).cloned();
    s.message = obj
        .get(envelope::MESSAGE)
        .or_else(|| obj.get(envelope::MESSAGE_ALSO))
        .and_then(Value::as_str)
        .map(str::to_string);
    s.total = obj.get(envelope::TOTAL).cloned().or_else(|| {
        // A total beside the items inside an object holding them.
        envelope::ITEMS
            .iter()
            .find_map(|k| obj.get(*k)?.as_object()?.get(envelope::TOTAL).cloned())
    });
    let Some((under, items)) = locate_items(&obj) else {
        return (s, Vec::new());
    };
    s.items_under = Some(under);
    s.items = items.len();
    let mut seen: BTreeMap<String, MemberSeen> = BTreeMap::new();
    let mut note = |name: String, v: &Value, reads: Option<String>| {
        let m = seen.entry(name.clone()).or_insert(MemberSeen {
            name,
            count: 0,
            types: BTreeMap::new(),
            reads_as: reads,
        });
        m.count += 1;
        *m.types.entry(json_type(v)).or_default() += 1;
    };
    for item in items {
        let Some(obj) = item.as_object() else {
            note("(item)".into(), item, None);
            continue;
        };
        for (k, v) in obj {
            note(k.clone(), v, reads_as(k));
            let inner = match v {
                Value::Object(o) => Some(o),
                Value::Array(a) => a.first().and_then(Value::as_object),
                _ => None,
            };
            if let (Some(inner), false) = (inner, opaque(k)) {
                for (ik, iv) in inner {
                    let dotted = format!("{k}.{ik}");
                    let reads = reads_as(&dotted);
                    note(dotted, iv, reads);
                }
            }
        }
    }
    s.members = seen.into_values().collect();
    (s, items.to_vec())
}
