//! `Contact`: one CINNOX external contact as the connector sees it after reading the
//! listing: its id, its field values, the merge and sharing lists, and the tenant's
//! custom fields (read-only through the API). Also the content hash that lets a
//! saved plan notice that a contact changed since the plan was made.

use super::normalise::Normaliser;
use super::values::FieldValues;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub values: FieldValues,
    /// Staff ids the contact is shared with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_with: Vec<String>,
    /// Ids of the contacts merged into this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slave_contacts: Vec<String>,
    /// Tenant custom fields (`cf_*`), as text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom: BTreeMap<String, String>,
}

impl Contact {
    /// `First Last`, the form CINNOX uses for `fullName`.
    pub fn full_name(&self) -> String {
        use super::field::FieldId;
        let first = self.values.get(FieldId::FirstName);
        let last = self.values.get(FieldId::LastName);
        match (first.is_empty(), last.is_empty()) {
            (false, false) => format!("{first} {last}"),
            (false, true) => first.to_string(),
            _ => last.to_string(),
        }
    }

    /// A hash of the normalised field values: equal for two listings of an unchanged
    /// contact, different (with overwhelming likelihood) after any field edit.
    pub fn content_hash(&self, n: &Normaliser) -> u64 {
        values_hash(&n.values(&self.values))
    }
}

/// FNV-1a over the fields and values, stable across builds and platforms (unlike
/// `std`'s hasher), so hashes can be saved in plans and the state file.
pub fn values_hash(values: &FieldValues) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut h = OFFSET;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(PRIME);
        }
    };
    for (f, v) in values.iter() {
        eat(f.key().as_bytes());
        eat(&[0]);
        eat(v.as_bytes());
        eat(&[0xff]);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FieldId;

    #[test]
    fn hash_ignores_spelling_but_not_content() {
        let n = Normaliser::default();
        let mut a = Contact {
            id: "c1".into(),
            ..Default::default()
        };
        a.values.set(FieldId::MobilePhone, "+852 9123 4567");
        let mut b = a.clone();
        b.values.set(FieldId::MobilePhone, "+85291234567");
        assert_eq!(a.content_hash(&n), b.content_hash(&n));
        b.values.set(FieldId::FirstName, "Ann");
        assert_ne!(a.content_hash(&n), b.content_hash(&n));
        assert_eq!(b.full_name(), "Ann");
    }
}
