//! `FieldValues`: the values of one contact or one row, keyed by field. Sparse (most
//! contacts fill a handful of the fields), kept sorted by field so that equality,
//! iteration and hashing are deterministic. An empty string and an absent field mean
//! the same thing: `set` with an empty value removes the field.

use super::field::FieldId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldValues(Vec<(FieldId, String)>);

impl FieldValues {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// The value of `field`, or `""` when it is empty.
    pub fn get(&self, field: FieldId) -> &str {
        match self.0.binary_search_by_key(&field, |(f, _)| *f) {
            Ok(i) => &self.0[i].1,
            Err(_) => "",
        }
    }

    /// Whether `field` holds a non-empty value.
    pub fn has(&self, field: FieldId) -> bool {
        self.0.binary_search_by_key(&field, |(f, _)| *f).is_ok()
    }

    /// Sets `field`; an empty `value` clears it.
    pub fn set(&mut self, field: FieldId, value: impl Into<String>) {
        let value = value.into();
        match self.0.binary_search_by_key(&field, |(f, _)| *f) {
            Ok(i) if value.is_empty() => {
                self.0.remove(i);
            }
            Ok(i) => self.0[i].1 = value,
            Err(_) if value.is_empty() => {}
            Err(i) => self.0.insert(i, (field, value)),
        }
    }

    /// Removes `field`, returning its old value.
    pub fn remove(&mut self, field: FieldId) -> Option<String> {
        match self.0.binary_search_by_key(&field, |(f, _)| *f) {
            Ok(i) => Some(self.0.remove(i).1),
            Err(_) => None,
        }
    }

    /// The non-empty fields, in field order.
    pub fn iter(&self) -> impl Iterator<Item = (FieldId, &str)> {
        self.0.iter().map(|(f, v)| (*f, v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps only the fields for which `keep` answers true.
    pub fn retain(&mut self, mut keep: impl FnMut(FieldId) -> bool) {
        self.0.retain(|(f, _)| keep(*f));
    }
}

impl FromIterator<(FieldId, String)> for FieldValues {
    fn from_iter<I: IntoIterator<Item = (FieldId, String)>>(iter: I) -> Self {
        let mut v = FieldValues::new();
        for (f, s) in iter {
            v.set(f, s);
        }
        v
    }
}

impl<'a> FromIterator<(FieldId, &'a str)> for FieldValues {
    fn from_iter<I: IntoIterator<Item = (FieldId, &'a str)>>(iter: I) -> Self {
        iter.into_iter().map(|(f, s)| (f, s.to_string())).collect()
    }
}

/// Serialised as a JSON object keyed by field key, e.g. `{"firstName":"Ann"}`.
impl Serialize for FieldValues {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (f, v) in &self.0 {
            m.serialize_entry(f.key(), v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for FieldValues {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let m = BTreeMap::<FieldId, String>::deserialize(d)?;
        Ok(m.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_clear() {
        let mut v = FieldValues::new();
        v.set(FieldId::LastName, "Chan");
        v.set(FieldId::FirstName, "Tai Man");
        assert_eq!(v.get(FieldId::FirstName), "Tai Man");
        assert_eq!(v.iter().next().map(|(f, _)| f), Some(FieldId::FirstName));
        v.set(FieldId::FirstName, "");
        assert!(!v.has(FieldId::FirstName));
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn json_round_trip() {
        let v: FieldValues = [(FieldId::Zipcode, "999077"), (FieldId::Email, "a@b.hk")]
            .into_iter()
            .collect();
        let s = serde_json::to_string(&v).unwrap();
        assert_eq!(s, r#"{"email":"a@b.hk","address.zipcode":"999077"}"#);
        let back: FieldValues = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
