//! Create/update bodies as the sandbox reads them: its own spelling of the write
//! model of docs/cinnox-api.md §3, written apart from the client's `cinnox::names`
//! on purpose, and strict. A member it does not know is refused with 6451000
//! naming it, so a client that misspells a member fails a test instead of writing
//! an empty field; a value that breaks CINNOX's field rules is refused naming the
//! member as sent (`company: is 101 characters long...`).

use crate::model::{FieldId as F, FieldValues, Normaliser};
use crate::validate::check_value;
use serde_json::{Map, Value};

/// Top-level string members and the field each sets.
const SCALARS: [(&str, F); 10] = [
    ("firstName", F::FirstName),
    ("lastName", F::LastName),
    ("level", F::Level),
    ("type", F::CustomerType),
    ("company", F::CompanyName),
    ("jobTitle", F::JobTitle),
    ("team", F::Department),
    ("group", F::Group),
    ("language", F::Language),
    ("birthDate", F::Birthday),
];

/// Members of `addresses`: the same as a listed contact's `address`.
use super::wire::ADDRESS;

const PHONE_TYPES: [(&str, F); 4] = [
    ("Mobile", F::MobilePhone),
    ("Work", F::WorkPhone),
    ("Home", F::HomePhone),
    ("Other", F::OtherPhone),
];

const EMAIL_TYPES: [(&str, F); 3] = [
    ("Work", F::Email),
    ("Personal", F::PersonalEmail),
    ("Other", F::OtherEmail),
];

const SOCIAL_KEYS: [(&str, F); 9] = [
    ("Messenger", F::Facebook),
    ("WhatsApp", F::WhatsApp),
    ("WeChat", F::WeChat),
    ("LINE", F::Line),
    ("Twitter", F::Twitter),
    ("LinkedIn", F::Linkedin),
    ("WOZTELL (WhatsApp Cloud)", F::WoztellWhatsApp),
    ("WOZTELL (Facebook)", F::WoztellFacebook),
    ("WOZTELL (Instagram)", F::WoztellInstagram),
];

/// One typed list: its member, the names of an entry's type and value members,
/// and the type values it knows.
struct TypedList {
    member: &'static str,
    type_member: &'static str,
    value_member: &'static str,
    types: &'static [(&'static str, F)],
}

const LISTS: [TypedList; 3] = [
    TypedList {
        member: "phones",
        type_member: "type",
        value_member: "phone",
        types: &PHONE_TYPES,
    },
    TypedList {
        member: "emails",
        type_member: "type",
        value_member: "email",
        types: &EMAIL_TYPES,
    },
    TypedList {
        member: "socialContacts",
        type_member: "key",
        value_member: "value",
        types: &SOCIAL_KEYS,
    },
];

/// A body read: the values it sets, and for each field the member it came from.
struct Read {
    values: FieldValues,
    from: Vec<(F, String)>,
}

impl Read {
    fn set(&mut self, f: F, member: String, value: String) {
        self.values.set(f, value);
        self.from.push((f, member));
    }
}

/// Parses a create/update body and checks it with CINNOX's field rules; the
/// message of the first problem starts with the member it is about.
pub fn parse_write_body(body: &[u8]) -> Result<FieldValues, String> {
    let json: Value =
        serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let Value::Object(obj) = json else {
        return Err("the body is not a JSON object".into());
    };
    let mut read = Read {
        values: FieldValues::new(),
        from: Vec::new(),
    };
    for (k, v) in &obj {
        if let Some((_, f)) = SCALARS.iter().find(|(name, _)| name == k) {
            read.set(*f, k.clone(), text(k, v)?);
        } else if k == "addresses" {
            read_address(v, &mut read)?;
        } else if let Some(list) = LISTS.iter().find(|l| l.member == k) {
            read_list(list, v, &mut read)?;
        } else {
            return Err(unknown(
                k,
                SCALARS.iter().map(|(n, _)| *n).chain([
                    "addresses",
                    "phones",
                    "emails",
                    "socialContacts",
                ]),
            ));
        }
    }
    let n = Normaliser::default();
    for (f, member) in &read.from {
        if let Some(finding) = check_value(*f, read.values.get(*f), &n) {
            return Err(format!("{member}: {}", finding.message));
        }
    }
    Ok(read.values)
}

fn unknown<'a>(path: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    format!("{path}: unknown member (known: {})", known.join(", "))
}

/// A string member; null is empty. Anything else is refused: CINNOX's fields are text.
fn text(path: &str, v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Ok(String::new()),
        _ => Err(format!("{path}: must be a string")),
    }
}

fn object<'a>(path: &str, v: &'a Value) -> Result<Option<&'a Map<String, Value>>, String> {
    match v {
        Value::Object(o) => Ok(Some(o)),
        Value::Null => Ok(None),
        _ => Err(format!("{path}: must be an object")),
    }
}

fn read_address(v: &Value, read: &mut Read) -> Result<(), String> {
    let Some(obj) = object("addresses", v)? else {
        return Ok(());
    };
    for (k, v) in obj {
        let path = format!("addresses.{k}");
        match ADDRESS.iter().find(|(name, _)| name == k) {
            Some((_, f)) => read.set(*f, path.clone(), text(&path, v)?),
            None => return Err(unknown(&path, ADDRESS.iter().map(|(n, _)| *n))),
        }
    }
    Ok(())
}

fn read_list(list: &TypedList, v: &Value, read: &mut Read) -> Result<(), String> {
    let entries = match v {
        Value::Array(a) => a.as_slice(),
        Value::Null => &[],
        _ => return Err(format!("{}: must be an array", list.member)),
    };
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("{}[{i}]", list.member);
        let Some(obj) = object(&at, entry)? else {
            continue;
        };
        let (mut kind, mut value) = (None, None);
        for (k, v) in obj {
            let path = format!("{at}.{k}");
            if k == list.type_member {
                kind = Some(text(&path, v)?);
            } else if k == list.value_member {
                value = Some(text(&path, v)?);
            } else {
                return Err(unknown(
                    &path,
                    [list.type_member, list.value_member].into_iter(),
                ));
            }
        }
        let kind = kind.unwrap_or_default();
        let value = value.unwrap_or_default();
        let Some((_, f)) = list.types.iter().find(|(t, _)| *t == kind) else {
            let known: Vec<&str> = list.types.iter().map(|(t, _)| *t).collect();
            return Err(format!(
                "{at}.{}: unknown {} `{kind}` (known: {})",
                list.type_member,
                list.type_member,
                known.join(", ")
            ));
        };
        if read.values.has(*f) && !value.is_empty() {
            return Err(format!(
                "{at}: a second entry of {} {kind}",
                list.type_member
            ));
        }
        read.set(*f, format!("{at}.{}", list.value_member), value);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<FieldValues, String> {
        parse_write_body(v.to_string().as_bytes())
    }

    #[test]
    fn every_member_of_the_contract_is_read() {
        let v = parse(json!({
            "firstName": "Ann", "lastName": "Lee", "level": "Primary", "type": "Customer",
            "company": "Acme", "jobTitle": "Buyer", "team": "Sales", "group": "VIP",
            "language": "zh-hant", "birthDate": "01/02/1990",
            "addresses": {"street": "1 Main St", "city": "HK", "state": "", "zipcode": "999077", "country": "HK"},
            "phones": [{"type": "Mobile", "phone": "+85291234567"}],
            "emails": [{"type": "Personal", "email": "a@b.hk"}],
            "socialContacts": [{"key": "LINE", "value": "ann.line"}]
        }))
        .unwrap();
        assert_eq!(v.get(F::CompanyName), "Acme");
        assert_eq!(v.get(F::Department), "Sales");
        assert_eq!(v.get(F::CustomerType), "Customer");
        assert_eq!(v.get(F::Zipcode), "999077");
        assert_eq!(v.get(F::MobilePhone), "+85291234567");
        assert_eq!(v.get(F::PersonalEmail), "a@b.hk");
        assert_eq!(v.get(F::Line), "ann.line");
        assert_eq!(v.len(), 17);
    }

    #[test]
    fn a_member_it_does_not_know_is_refused_by_name() {
        let e = parse(json!({"fristName": "Ann"})).unwrap_err();
        assert!(e.starts_with("fristName: unknown member"), "{e}");
        let e = parse(json!({"addresses": {"zip": "1"}})).unwrap_err();
        assert!(e.starts_with("addresses.zip: unknown member"), "{e}");
        let e =
            parse(json!({"phones": [{"type": "Mobile", "number": "+85291234567"}]})).unwrap_err();
        assert!(e.starts_with("phones[0].number: unknown member"), "{e}");
        let e =
            parse(json!({"phones": [{"type": "mobile", "phone": "+85291234567"}]})).unwrap_err();
        assert!(
            e.starts_with("phones[0].type: unknown type `mobile`"),
            "{e}"
        );
        let e = parse(json!({"firstName": 7})).unwrap_err();
        assert_eq!(e, "firstName: must be a string");
    }

    #[test]
    fn a_broken_rule_names_the_member_as_sent() {
        let e = parse(json!({"company": "c".repeat(101)})).unwrap_err();
        assert!(e.starts_with("company: "), "{e}");
        let e = parse(json!({"socialContacts": [{"key": "LINE", "value": "x".repeat(101)}]}))
            .unwrap_err();
        assert!(e.starts_with("socialContacts[0].value: "), "{e}");
        let e = parse(json!({"emails": [{"type": "Work", "email": "a@b.c"},
                                        {"type": "Work", "email": "d@e.f"}]}))
        .unwrap_err();
        assert_eq!(e, "emails[1]: a second entry of type Work");
    }
}
