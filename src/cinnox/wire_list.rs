//! The fast reader of list answers: straight from the bytes into `Contact`s,
//! without building a JSON tree first (for 100,000 contacts the tree is millions of
//! allocations, and most of the listing's time). It applies the same rules as
//! `list_items` + `contact_from_json` (`item_key` and the loose readers); a body
//! of any other shape (items nested in an object, two list members...) answers
//! `None`, and the caller takes the tree path.

use super::names::envelope;
use super::{ItemKey, WireError, address_member, custom_text, id_list, tolerated_value};
use crate::model::{Contact, FieldValues, Norm};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use std::borrow::Cow;
use std::fmt;

/// A list answer read by `read_contact_list`.
#[derive(Debug, Default)]
pub struct ContactList {
    pub code: Option<i64>,
    pub total: Option<u64>,
    /// Every item, in order: a contact, or why it could not be read.
    pub items: Vec<Result<Contact, WireError>>,
}

/// Reads a list answer whose items are an array under one of the list members;
/// `None` for any other shape (then parse a `Value` and use `list_items`).
pub fn read_contact_list(body: &[u8]) -> Option<ContactList> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let list = (&mut de).deserialize_map(ListVisitor).ok()??;
    de.end().ok()?;
    Some(list)
}

/// A map key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A scalar read loosely, as `loose_string` reads a `Value`: arrays and objects
/// count as nothing.
enum Loose<'de> {
    Text(Cow<'de, str>),
    Number(Number),
    Bool(bool),
    Nothing,
}

impl Loose<'_> {
    fn text(self) -> String {
        match self {
            Loose::Text(s) => s.into_owned(),
            Loose::Number(n) => n.to_string(),
            Loose::Bool(b) => b.to_string(),
            Loose::Nothing => String::new(),
        }
    }

    /// A phone given as a JSON number lost its `+`.
    fn phone(self) -> String {
        match self {
            Loose::Number(n) => format!("+{n}"),
            other => other.text(),
        }
    }
}

impl<'de> de::Deserialize<'de> for Loose<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Loose<'de>, E> {
                Ok(Loose::Text(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Loose<'de>, E> {
                Ok(Loose::Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Loose<'de>, E> {
                Ok(Loose::Text(Cow::Owned(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Loose<'de>, E> {
                Ok(Loose::Number(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Loose<'de>, E> {
                Ok(Loose::Number(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Loose<'de>, E> {
                Ok(Number::from_f64(v).map_or(Loose::Nothing, Loose::Number))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Loose<'de>, E> {
                Ok(Loose::Bool(v))
            }
            fn visit_unit<E>(self) -> Result<Loose<'de>, E> {
                Ok(Loose::Nothing)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose::Nothing)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose<'de>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Nothing)
            }
        }
        d.deserialize_any(V)
    }
}

struct ListVisitor;

impl<'de> Visitor<'de> for ListVisitor {
    type Value = Option<ContactList>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list answer")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut list = ContactList::default();
        let (mut lists_seen, mut items) = (0, None);
        while let Some(Key(key)) = map.next_key()? {
            match key.as_ref() {
                envelope::CODE => {
                    list.code = match map.next_value::<Loose>()? {
                        Loose::Number(n) => n.as_i64(),
                        Loose::Text(s) => s.trim().parse().ok(),
                        _ => None,
                    }
                }
                envelope::TOTAL => {
                    list.total = match map.next_value::<Loose>()? {
                        Loose::Number(n) => n.as_u64(),
                        Loose::Text(s) => s.trim().parse().ok(),
                        _ => None,
                    }
                }
                k if envelope::ITEMS.contains(&k) => {
                    lists_seen += 1;
                    items = map.next_value_seed(ItemsSeed)?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(match (lists_seen, items) {
            (1, Some(items)) => {
                list.items = items;
                Some(list)
            }
            _ => None,
        })
    }
}

/// The items array (`None` when the member is not an array or null).
struct ItemsSeed;

impl<'de> DeserializeSeed<'de> for ItemsSeed {
    type Value = Option<Vec<Result<Contact, WireError>>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed {
    type Value = Option<Vec<Result<Contact, WireError>>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of contacts")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(ContactSeed { index: out.len() })? {
            out.push(item);
        }
        Ok(Some(out))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Some(Vec::new()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// One item of the array.
struct ContactSeed {
    index: usize,
}

impl<'de> DeserializeSeed<'de> for ContactSeed {
    type Value = Result<Contact, WireError>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ContactSeed {
    type Value = Result<Contact, WireError>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a contact")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut c = Contact::default();
        while let Some(Key(key)) = map.next_key()? {
            match super::item_key(&key) {
                ItemKey::Id => c.id = map.next_value::<Loose>()?.text().trim().to_string(),
                ItemKey::SharedWith => c.shared_with = id_list(&map.next_value::<Value>()?),
                ItemKey::SlaveContacts => c.slave_contacts = id_list(&map.next_value::<Value>()?),
                ItemKey::Address => map.next_value_seed(AddressSeed {
                    values: &mut c.values,
                    top: true,
                })?,
                ItemKey::Custom => {
                    let text = custom_text(&map.next_value::<Value>()?);
                    c.custom.insert(key.into_owned(), text);
                }
                ItemKey::Field(f) if f.kind().norm() == Norm::Phone => {
                    c.values.set(f, map.next_value::<Loose>()?.phone())
                }
                ItemKey::Field(f) | ItemKey::Member(f) => {
                    let text = map.next_value::<Loose>()?.text();
                    c.values.set(f, tolerated_value(f, text))
                }
                ItemKey::Ignore => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if c.id.is_empty() {
            return Ok(Err(WireError::MissingId { index: self.index }));
        }
        Ok(Ok(c))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(WireError::ItemNotAnObject { index: self.index }))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err(WireError::ItemNotAnObject { index: self.index }))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err(WireError::ItemNotAnObject { index: self.index }))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err(WireError::ItemNotAnObject { index: self.index }))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err(WireError::ItemNotAnObject { index: self.index }))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err(WireError::ItemNotAnObject { index: self.index }))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err(WireError::ItemNotAnObject { index: self.index }))
    }
}

/// The `address` member: an object, or an array whose first item is one.
struct AddressSeed<'a> {
    values: &'a mut FieldValues,
    /// Only the member itself may be an array; an array inside it is ignored.
    top: bool,
}

impl<'de> DeserializeSeed<'de> for AddressSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AddressSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an address")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key()? {
            match address_member(&key) {
                Some(f) => self.values.set(f, map.next_value::<Loose>()?.text()),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.top {
            seq.next_element_seed(AddressSeed {
                values: self.values,
                top: false,
            })?;
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}
