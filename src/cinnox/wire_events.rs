//! Webhook deliveries about contacts, as a receiver reads them. Two forms exist:
//! the wrapped one of the contract (`{"type":"message","challenge":"","message":
//! {...}}`) and the flat one of CINNOX's Zapier triggers (`{"status":"transfer",
//! "name":"...","fromOwnerID":"...","toOwnerID":"..."}`); both are read, names in
//! any case, and statuses nobody has seen yet are kept, not refused. A delivery
//! carries no signature and no event id: a hint to re-read CINNOX, never data.

use super::names::event as n;
use super::{id_list, loose_string};
use serde_json::{Map, Value};

/// What happened, as far as a delivery says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventStatus {
    Create,
    Edit,
    Delete,
    Merge,
    Transfer,
    /// A status not in the documents, kept as sent.
    Other(String),
}

impl EventStatus {
    /// Reads a status without regard to case (`update` is taken for `edit`).
    pub fn parse(s: &str) -> EventStatus {
        match s.trim().to_ascii_lowercase().as_str() {
            "create" | "created" => EventStatus::Create,
            "edit" | "edited" | "update" | "updated" => EventStatus::Edit,
            "delete" | "deleted" => EventStatus::Delete,
            "merge" | "merged" => EventStatus::Merge,
            "transfer" | "transferred" => EventStatus::Transfer,
            _ => EventStatus::Other(s.to_string()),
        }
    }
}

/// The form a delivery came in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EventForm {
    /// Members under `message`.
    #[default]
    Wrapped,
    /// Members at the top level, as the Zapier triggers show them.
    Flat,
}

/// One contact event, as delivered to a subscribed URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactEvent {
    /// `create`, `edit`, `delete`, `merge`, `transfer`, or whatever was sent.
    pub status: String,
    /// The contact; for `merge`, the surviving contact. Empty when not sent (the
    /// flat form names the contact only by `name`).
    pub id: String,
    /// `fullName` or `name`.
    pub full_name: String,
    pub service_id: String,
    /// `merge` only: the absorbed contacts.
    pub merged_ids: Vec<String>,
    /// `transfer` only.
    pub from_owner_id: String,
    /// `transfer` only.
    pub to_owner_id: String,
    /// The inner `type`: `contact` for external contacts, `staff` for staff
    /// events; empty in the flat form.
    pub kind: String,
    pub form: EventForm,
}

impl ContactEvent {
    /// The status, read.
    pub fn status(&self) -> EventStatus {
        EventStatus::parse(&self.status)
    }

    /// Reads a delivery body in either form; `None` when it is neither (a
    /// challenge handshake, or not an event at all).
    pub fn from_json(body: &Value) -> Option<ContactEvent> {
        let obj = body.as_object()?;
        let (members, form) = match find(obj, n::MESSAGE).and_then(Value::as_object) {
            Some(inner) => (inner, EventForm::Wrapped),
            None if find(obj, n::STATUS).is_some() => (obj, EventForm::Flat),
            None => return None,
        };
        let text = |name: &str| find(members, name).map(loose_string).unwrap_or_default();
        Some(ContactEvent {
            status: text(n::STATUS),
            id: find(members, n::ID)
                .or_else(|| find(members, n::ID_ALSO))
                .map(loose_string)
                .unwrap_or_default(),
            full_name: find(members, n::FULL_NAME)
                .or_else(|| find(members, n::NAME))
                .map(loose_string)
                .unwrap_or_default(),
            service_id: text(n::SERVICE_ID),
            merged_ids: find(members, n::MERGED_IDS)
                .map(id_list)
                .unwrap_or_default(),
            from_owner_id: text(n::FROM_OWNER),
            to_owner_id: text(n::TO_OWNER),
            kind: match form {
                EventForm::Wrapped => text(n::TYPE),
                EventForm::Flat => String::new(),
            },
            form,
        })
    }
}

/// A member by name, exact first, then without regard to case.
fn find<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_wrapped_form() {
        let body = json!({"type": "message", "challenge": "", "message": {"type": "contact",
            "status": "merge", "serviceId": "app", "fullName": "Ann Lee", "id": "s1",
            "mergedIds": ["a1", "a2"]}});
        let e = ContactEvent::from_json(&body).unwrap();
        assert_eq!(e.status(), EventStatus::Merge);
        assert_eq!((e.id.as_str(), e.full_name.as_str()), ("s1", "Ann Lee"));
        assert_eq!(e.merged_ids, ["a1", "a2"]);
        assert_eq!((e.kind.as_str(), e.form), ("contact", EventForm::Wrapped));
    }

    #[test]
    fn reads_the_flat_form_of_the_zapier_triggers() {
        let body = json!({"status": "transfer", "name": "Ann Lee",
            "fromOwnerID": "s1", "toOwnerID": "s2"});
        let e = ContactEvent::from_json(&body).unwrap();
        assert_eq!(e.status(), EventStatus::Transfer);
        assert_eq!(e.full_name, "Ann Lee");
        assert_eq!(
            (e.from_owner_id.as_str(), e.to_owner_id.as_str()),
            ("s1", "s2")
        );
        assert_eq!((e.id.as_str(), e.form), ("", EventForm::Flat));
    }

    #[test]
    fn names_in_any_case_and_unknown_statuses_are_kept() {
        let body = json!({"Status": "archive", "NAME": "Bo", "fromOwnerId": 7, "novel": 1});
        let e = ContactEvent::from_json(&body).unwrap();
        assert_eq!(e.status(), EventStatus::Other("archive".into()));
        assert_eq!(
            (e.full_name.as_str(), e.from_owner_id.as_str()),
            ("Bo", "7")
        );
        assert_eq!(ContactEvent::from_json(&json!({"challenge": "x"})), None);
        assert_eq!(ContactEvent::from_json(&json!([1])), None);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn status() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("create".to_string()),
                Just("edit".to_string()),
                Just("delete".to_string()),
                Just("merge".to_string()),
                Just("transfer".to_string()),
                "[A-Za-z]{1,12}",
            ]
        }

        proptest! {
            /// Whatever the status and names, both forms read the same members.
            #[test]
            fn both_forms_read_alike(status in status(), name in "\\PC{0,20}",
                                     from in "[a-z0-9]{0,8}", to in "[a-z0-9]{0,8}") {
                let flat = json!({"status": status, "name": name,
                                  "fromOwnerID": from, "toOwnerID": to});
                let wrapped = json!({"type": "message", "challenge": "",
                                     "message": flat.clone()});
                let a = ContactEvent::from_json(&flat).unwrap();
                let b = ContactEvent::from_json(&wrapped).unwrap();
                prop_assert_eq!(&a.status, &status);
                prop_assert_eq!(&a.full_name, &name);
                prop_assert_eq!(a.status(), b.status());
                prop_assert_eq!((a.from_owner_id, a.to_owner_id), (b.from_owner_id, b.to_owner_id));
                prop_assert_eq!(a.full_name, b.full_name);
            }
        }
    }
}
