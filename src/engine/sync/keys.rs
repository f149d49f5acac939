//! Match keys: an index from each of the mapping's match keys to the contacts that
//! hold a value, and the one-time lookup of an unlinked row (sync) or an id-less row
//! (import): keys are tried in order and the first that finds candidates decides.
//! Also the rows that would be created and share a key value with each other
//! (`shared_keys`): one person typed twice, created once it is settled.

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

/// Groups of rows (of `rows`, each with its values) that share a value of a match
/// key: rows chained by shared values are one group, since each would match the
/// contact another's create makes. Each group (two rows or more, in `rows`' order)
/// comes with the first of `keys` its rows share.
pub fn shared_keys(
    keys: &[MatchKey],
    rows: &[(usize, &FieldValues)],
    n: &Normaliser,
) -> Vec<(Vec<usize>, MatchKey)> {
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut parent: Vec<usize> = (0..rows.len()).collect();
    // The first key (by its index in `keys`) a group's rows share.
    let mut by: Vec<Option<usize>> = vec![None; rows.len()];
    for (k, key) in keys.iter().enumerate() {
        let mut first: HashMap<String, usize> = HashMap::new();
        for (i, (_, values)) in rows.iter().enumerate() {
            for f in key.fields() {
                if !values.has(f) {
                    continue;
                }
                let v = form(n, f, values.get(f)).into_owned();
                let j = *first.entry(v).or_insert(i);
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                if a != b {
                    let (lo, hi) = (a.min(b), a.max(b));
                    parent[hi] = lo;
                    by[lo] = [by[lo], by[hi], Some(k)].into_iter().flatten().min();
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, (row, _)) in rows.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(*row);
    }
    let mut out: Vec<(Vec<usize>, MatchKey)> = groups
        .into_iter()
        .filter(|(_, g)| g.len() > 1)
        .filter_map(|(r, g)| by[r].map(|k| (g, keys[k])))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
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

    #[test]
    fn rows_sharing_a_key_are_grouped_however_they_are_chained() {
        let n = Normaliser::default();
        let keys = [MatchKey::AnyEmail, MatchKey::AnyPhone];
        let v = |email: &str, phone: &str| -> FieldValues {
            [(FieldId::Email, email), (FieldId::MobilePhone, phone)]
                .into_iter()
                .collect()
        };
        let rows = [
            v("a@x.hk", ""),
            v("b@x.hk", "+85291234567"),
            v(" A@X.hk", "+85261234567"),
            v("c@x.hk", "+852 6123 4567"),
            v("d@x.hk", ""),
        ];
        let refs: Vec<(usize, &FieldValues)> =
            rows.iter().enumerate().map(|(i, r)| (i * 10, r)).collect();
        // 0 and 2 share an email; 2 and 3 a phone (spelt differently): one group.
        assert_eq!(
            shared_keys(&keys, &refs, &n),
            vec![(vec![0, 20, 30], MatchKey::AnyEmail)]
        );
        assert!(shared_keys(&keys, &refs[3..], &n).is_empty());
    }
}
