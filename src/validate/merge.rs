//! Duplicates inside CINNOX: contacts that share a normalised email, an E.164 phone
//! number, or a normalised full name together with the same company are one
//! person, and each such group becomes one merge suggestion (which contact to
//! keep, and why). Links are transitive (Ann shares an email with Bo, Bo a phone
//! with Cy: one group of three), and a contact in two groups makes them one.
//! The same keys, as a `SignalIndex`, tell whether a list row would create a
//! duplicate of a stored contact (`against`); `keeper` says which contact of a
//! group to keep. Pure.
//!
//! A key is taken only from a value that passes CINNOX's rules or has a certain
//! fix (as the list audit's duplicate index does): `n/a` typed as the email of
//! fifty contacts, or a phone of letters, links nobody.

use super::rules::check_value;
use crate::model::normalise;
use crate::model::{Contact, FieldId, FieldValues, Normaliser};
use std::borrow::Cow;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// What two contacts share.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DupKind {
    Email,
    Phone,
    NameCompany,
}

impl DupKind {
    /// The words for it in messages.
    pub fn noun(self) -> &'static str {
        match self {
            DupKind::Email => "email",
            DupKind::Phone => "phone number",
            DupKind::NameCompany => "name and company",
        }
    }
}

/// One key of one contact (or row): what it is, its normalised value, and the
/// field it was read from (for a name and company: the first name, else the last).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signal {
    pub kind: DupKind,
    pub value: String,
    pub field: FieldId,
}

/// The keys of `values`, each once (a phone typed in two fields is one key).
pub fn signals(values: &FieldValues, n: &Normaliser) -> Vec<Signal> {
    signals_with(values, |f, raw| checked(f, raw, n))
}

/// `signals`, with `accepted` saying what each email and phone value counts as
/// (the value as CINNOX's rules accept it, or nothing): a caller that has just
/// checked the values passes what it found rather than checking them again.
pub fn signals_with<'a>(
    values: &'a FieldValues,
    accepted: impl Fn(FieldId, &'a str) -> Option<Cow<'a, str>>,
) -> Vec<Signal> {
    let mut out: Vec<Signal> = Vec::new();
    let mut push = |kind, value: String, field| {
        if !out.iter().any(|s| s.kind == kind && s.value == value) {
            out.push(Signal { kind, value, field });
        }
    };
    for f in FieldId::EMAILS {
        let raw = values.get(f);
        if let Some(v) = (!raw.is_empty()).then(|| accepted(f, raw)).flatten() {
            push(DupKind::Email, normalise::email(&v), f);
        }
    }
    for f in FieldId::PHONES {
        let raw = values.get(f);
        if let Some(v) = (!raw.is_empty()).then(|| accepted(f, raw)).flatten() {
            push(DupKind::Phone, v.into_owned(), f);
        }
    }
    let (first, last) = (
        values.get(FieldId::FirstName),
        values.get(FieldId::LastName),
    );
    let company = values.get(FieldId::CompanyName);
    if (!first.trim().is_empty() || !last.trim().is_empty()) && !company.trim().is_empty() {
        let mut key = String::with_capacity(first.len() + last.len() + company.len() + 2);
        push_words(&mut key, first);
        push_words(&mut key, last);
        let name_len = key.len();
        key.push('\u{0}');
        let company_start = key.len();
        push_words(&mut key, company);
        if name_len > 0 && key.len() > company_start {
            let field = if values.has(FieldId::FirstName) {
                FieldId::FirstName
            } else {
                FieldId::LastName
            };
            push(DupKind::NameCompany, key, field);
        }
    }
    out
}

/// The value as CINNOX's rules accept it: itself when it passes, its certain fix
/// when it has one, else nothing.
pub fn checked<'a>(f: FieldId, raw: &'a str, n: &Normaliser) -> Option<Cow<'a, str>> {
    if normalise::is_blank(raw) {
        return None;
    }
    match check_value(f, raw, n) {
        None => Some(normalise::text(raw)),
        Some(finding) => finding.suggestion.map(Cow::Owned),
    }
}

/// A name or company as compared: compatibility forms folded (full-width letters
/// typed with a CJK input method), lower case, runs of white space as one space.
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_words(&mut out, s);
    out
}

/// Appends the words of `s` to `out` in the form `name_key` gives them, after a
/// space when `out` already ends with a word.
fn push_words(out: &mut String, s: &str) {
    let mut put = |text: &str| {
        for w in text.split_whitespace() {
            if !out.is_empty() && !out.ends_with('\u{0}') {
                out.push(' ');
            }
            out.push_str(w);
        }
    };
    if s.is_ascii() {
        // The usual case, without the detour through NFKC.
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            put(&s.to_ascii_lowercase());
        } else {
            put(s);
        }
    } else {
        put(&s.nfkc().collect::<String>().to_lowercase());
    }
}

/// A value of a signal as shown to a person: a name and company as `name, company`.
pub fn shown(kind: DupKind, value: &str) -> String {
    match kind {
        DupKind::NameCompany => value.replacen('\u{0}', ", ", 1),
        _ => value.to_string(),
    }
}

/// Every key of a listing, each with the contacts that hold it. A listing of
/// 100,000 contacts carries some 300,000 keys, nearly all held once: they are
/// kept as one vector sorted by hash (sorting is cheaper than feeding a hash map
/// key by key, and dropping one vector cheaper than dropping a map of vectors),
/// and keys whose hashes meet are compared whole, so a collision links nobody.
pub struct SignalIndex {
    /// Sorted by `(hash, contact)`.
    entries: Vec<Entry>,
}

struct Entry {
    hash: u64,
    contact: usize,
    signal: Signal,
}

fn hash_of(kind: DupKind, value: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (kind, value).hash(&mut h);
    h.finish()
}

impl SignalIndex {
    pub fn build(contacts: &[Contact], n: &Normaliser) -> SignalIndex {
        SignalIndex::of(contacts.iter().map(|c| signals(&c.values, n)))
    }

    /// The index of each contact's signals, given in listing order.
    pub fn of(per_contact: impl IntoIterator<Item = Vec<Signal>>) -> SignalIndex {
        let mut entries = Vec::new();
        for (contact, signals) in per_contact.into_iter().enumerate() {
            entries.extend(signals.into_iter().map(|signal| Entry {
                hash: hash_of(signal.kind, &signal.value),
                contact,
                signal,
            }));
        }
        entries.sort_unstable_by_key(|e| (e.hash, e.contact));
        SignalIndex { entries }
    }

    /// The contacts holding `kind` `value` (ascending), with the field each holds
    /// it in.
    pub fn holders(&self, kind: DupKind, value: &str) -> Vec<(usize, FieldId)> {
        let hash = hash_of(kind, value);
        let from = self.entries.partition_point(|e| e.hash < hash);
        self.entries[from..]
            .iter()
            .take_while(|e| e.hash == hash)
            .filter(|e| e.signal.kind == kind && e.signal.value == value)
            .map(|e| (e.contact, e.signal.field))
            .collect()
    }

    /// Every key held by two contacts or more, with its holders.
    fn shared(self) -> Vec<Link> {
        let mut out = Vec::new();
        let mut entries = self.entries.into_iter().peekable();
        while let Some(first) = entries.next() {
            if entries.peek().is_none_or(|e| e.hash != first.hash) {
                continue; // held once: the usual case
            }
            let mut run = vec![first];
            while let Some(e) = entries.next_if(|e| e.hash == run[0].hash) {
                run.push(e);
            }
            // Same hash: split by the exact key.
            while let Some(head) = run.first() {
                let (kind, value) = (head.signal.kind, head.signal.value.clone());
                let (same, rest): (Vec<Entry>, Vec<Entry>) = run
                    .into_iter()
                    .partition(|e| e.signal.kind == kind && e.signal.value == value);
                run = rest;
                if same.len() > 1 {
                    out.push(Link {
                        kind,
                        value,
                        members: same.iter().map(|e| (e.contact, e.signal.field)).collect(),
                    });
                }
            }
        }
        out
    }
}

/// A key shared by several contacts of one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub kind: DupKind,
    pub value: String,
    /// The contacts (listing indices, ascending) and the field each holds it in.
    pub members: Vec<(usize, FieldId)>,
}

/// Contacts that are one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Listing indices, ascending; at least two.
    pub members: Vec<usize>,
    /// What they share, in order of kind and value.
    pub links: Vec<Link>,
}

/// The duplicate groups of a listing, ordered by their first member.
pub fn groups(contacts: &[Contact], n: &Normaliser) -> Vec<Group> {
    groups_of(contacts.len(), SignalIndex::build(contacts, n))
}

/// The duplicate groups of `count` contacts whose signals `index` holds.
pub fn groups_of(count: usize, index: SignalIndex) -> Vec<Group> {
    let mut sets = DisjointSets::new(count);
    let mut links = index.shared();
    for l in &links {
        for w in l.members.windows(2) {
            sets.union(w[0].0, w[1].0);
        }
    }
    links.sort_by(|a, b| (a.kind, &a.value).cmp(&(b.kind, &b.value)));
    let mut by_root: HashMap<usize, Group> = HashMap::new();
    for link in links {
        let root = sets.find(link.members[0].0);
        let g = by_root.entry(root).or_insert_with(|| Group {
            members: Vec::new(),
            links: Vec::new(),
        });
        g.members.extend(link.members.iter().map(|(i, _)| *i));
        g.links.push(link);
    }
    let mut out: Vec<Group> = by_root
        .into_values()
        .map(|mut g| {
            g.members.sort_unstable();
            g.members.dedup();
            g
        })
        .collect();
    out.sort_by_key(|g| g.members[0]);
    out
}

/// Union-find over listing indices, with path halving and union by size.
struct DisjointSets {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets {
            parent: (0..n).collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

pub use super::keeper::{Standing, keeper};

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
