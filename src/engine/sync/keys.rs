//! Match keys: an index from each of the mapping's match keys to the contacts that
//! hold a value, and the one-time lookup of an unlinked row (sync) or an id-less row
//! (import): keys are tried in order and the first that finds candidates decides.

use super::compare::form;
use crate::mapping::MatchKey;
use crate::model::{Contact, FieldValues, Normaliser};
use std::collections::HashMap;

/// What the first match key that finds anything found.
#[derive(Debug, PartialEq, Eq)]
pub enum KeyMatch {
    /// No key finds a contact.
    None,
    /// Exactly one contact (index into the listing), by this key.
    One(usize, MatchKey),
    /// Several contacts (sorted indices), by this key: never guessed between.
    Many(Vec<usize>, MatchKey),
}

/// One index per match key: compare-form value → contacts holding it.
pub struct KeyIndex<'a> {
    keys: &'a [MatchKey],
    per_key: Vec<HashMap<String, Vec<usize>>>,
}

impl<'a> KeyIndex<'a> {
    pub fn build(keys: &'a [MatchKey], contacts: &[Contact], n: &Normaliser) -> Self {
        let per_key = keys
            .iter()
            .map(|k| {
                let mut m: HashMap<String, Vec<usize>> = HashMap::new();
                for (i, c) in contacts.iter().enumerate() {
                    for f in k.fields() {
                        let v = c.values.get(f);
                        if !v.is_empty() {
                            let e = m.entry(form(n, f, v).into_owned()).or_default();
                            if e.last() != Some(&i) {
                                e.push(i);
                            }
                        }
                    }
                }
                m
            })
            .collect();
        KeyIndex { keys, per_key }
    }

    /// The contacts `values` matches, by the first key that finds any.
    pub fn find(&self, values: &FieldValues, n: &Normaliser) -> KeyMatch {
        for (key, index) in self.keys.iter().zip(&self.per_key) {
            let mut cands: Vec<usize> = key
                .fields()
                .into_iter()
                .filter(|f| values.has(*f))
                .filter_map(|f| index.get(form(n, f, values.get(f)).as_ref()))
                .flatten()
                .copied()
                .collect();
            cands.sort_unstable();
            cands.dedup();
            match cands.len() {
                0 => continue,
                1 => return KeyMatch::One(cands[0], *key),
                _ => return KeyMatch::Many(cands, *key),
            }
        }
        KeyMatch::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FieldId;

    fn contact(id: &str, email: &str, phone: &str) -> Contact {
        let mut c = Contact {
            id: id.into(),
            ..Default::default()
        };
        c.values.set(FieldId::PersonalEmail, email);
        c.values.set(FieldId::MobilePhone, phone);
        c
    }

    #[test]
    fn the_first_key_that_finds_candidates_decides() {
        let n = Normaliser::default();
        let keys = [MatchKey::AnyEmail, MatchKey::AnyPhone];
        let contacts = [
            contact("a", "ann@x.hk", "+85291234567"),
            contact("b", "bo@x.hk", "+85291234567"),
        ];
        let index = KeyIndex::build(&keys, &contacts, &n);
        let row = |email: &str, phone: &str| -> FieldValues {
            [(FieldId::Email, email), (FieldId::WorkPhone, phone)]
                .into_iter()
                .collect()
        };
        // Email decides even though the phone is shared, and compares normalised.
        assert_eq!(
            index.find(&row(" Ann@X.hk", "+852 9123 4567"), &n),
            KeyMatch::One(0, MatchKey::AnyEmail)
        );
        // No email match: the phone matches both, which is never guessed between.
        assert_eq!(
            index.find(&row("", "+852 9123 4567"), &n),
            KeyMatch::Many(vec![0, 1], MatchKey::AnyPhone)
        );
        assert_eq!(index.find(&row("zed@x.hk", ""), &n), KeyMatch::None);
    }
}
