//! Duplicates inside CINNOX: contacts that share a normalised email, an E.164 phone
//! number, or a normalised full name together with the same company are one
//! person, and each such group becomes one merge suggestion (which contact to
//! keep, and why). Links are transitive (Ann shares an email with Bo, Bo a phone
//! with Cy: one group of three), and a contact in two groups makes them one.
//! The same keys, as a `SignalIndex`, tell whether a list row would create a
//! duplicate of a stored contact (`against`). Pure.
//!
//! A key is taken only from a value that passes CINNOX's rules or has a certain
//! fix (as the list audit's duplicate index does): `n/a` typed as the email of
//! fifty contacts, or a phone of letters, links nobody.

use super::rules::check_value;
use crate::model::normalise;
use crate::model::{Contact, FieldId, FieldValues, Normaliser};
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
    let mut out: Vec<Signal> = Vec::new();
    let mut push = |kind, value: String, field| {
        if !out.iter().any(|s| s.kind == kind && s.value == value) {
            out.push(Signal { kind, value, field });
        }
    };
    for f in FieldId::EMAILS {
        if let Some(v) = checked(f, values.get(f), n) {
            push(DupKind::Email, normalise::email(&v), f);
        }
    }
    for f in FieldId::PHONES {
        if let Some(v) = checked(f, values.get(f), n) {
            push(DupKind::Phone, v, f);
        }
    }
    let name = name_key(&full_name(values));
    let company = name_key(values.get(FieldId::CompanyName));
    if !name.is_empty() && !company.is_empty() {
        let field = if values.has(FieldId::FirstName) {
            FieldId::FirstName
        } else {
            FieldId::LastName
        };
        push(DupKind::NameCompany, format!("{name}\u{0}{company}"), field);
    }
    out
}

/// The value as CINNOX's rules accept it: itself when it passes, its certain fix
/// when it has one, else nothing.
fn checked(f: FieldId, raw: &str, n: &Normaliser) -> Option<String> {
    if normalise::is_blank(raw) {
        return None;
    }
    match check_value(f, raw, n) {
        None => Some(normalise::text(raw).into_owned()),
        Some(finding) => finding.suggestion,
    }
}

fn full_name(values: &FieldValues) -> String {
    let first = values.get(FieldId::FirstName).trim();
    let last = values.get(FieldId::LastName).trim();
    format!("{first} {last}")
}

/// A name or company as compared: compatibility forms folded (full-width letters
/// typed with a CJK input method), lower case, runs of white space as one space.
pub fn name_key(s: &str) -> String {
    let folded: String = s.nfkc().collect::<String>().to_lowercase();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A value of a signal as shown to a person: a name and company as `name, company`.
pub fn shown(kind: DupKind, value: &str) -> String {
    match kind {
        DupKind::NameCompany => value.replacen('\u{0}', ", ", 1),
        _ => value.to_string(),
    }
}

/// Every key of a listing, each with the contacts that hold it.
pub struct SignalIndex {
    by_key: HashMap<(DupKind, String), Vec<(usize, FieldId)>>,
}

impl SignalIndex {
    pub fn build(contacts: &[Contact], n: &Normaliser) -> SignalIndex {
        let mut by_key: HashMap<(DupKind, String), Vec<(usize, FieldId)>> =
            HashMap::with_capacity(contacts.len() * 2);
        for (i, c) in contacts.iter().enumerate() {
            for s in signals(&c.values, n) {
                by_key
                    .entry((s.kind, s.value))
                    .or_default()
                    .push((i, s.field));
            }
        }
        SignalIndex { by_key }
    }

    /// The contacts holding `kind` `value`, with the field each holds it in.
    pub fn holders(&self, kind: DupKind, value: &str) -> &[(usize, FieldId)] {
        // The tuple key needs an owned String; a miss costs one allocation.
        self.by_key
            .get(&(kind, value.to_string()))
            .map_or(&[], Vec::as_slice)
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
    let index = SignalIndex::build(contacts, n);
    let mut sets = DisjointSets::new(contacts.len());
    let mut links: Vec<Link> = Vec::new();
    for ((kind, value), holders) in index.by_key {
        if holders.len() < 2 {
            continue;
        }
        for w in holders.windows(2) {
            sets.union(w[0].0, w[1].0);
        }
        links.push(Link {
            kind,
            value,
            members: holders,
        });
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

/// What decides which contact of a group to keep, per contact.
#[derive(Clone, Debug, Default)]
pub struct Standing {
    /// The line of the contact's row in the list, when the list has one.
    pub row: Option<u64>,
    /// Error-severity violations of the contact.
    pub errors: usize,
}

/// Which contact of `group` to keep, and why: the one with a row in the list,
/// else the most complete (most fields filled), else the one with fewer problems,
/// else the one that already holds earlier merges, else the first listed.
pub fn keeper(group: &Group, contacts: &[Contact], standing: &[Standing]) -> (usize, String) {
    let filled = |i: usize| {
        contacts[i]
            .values
            .iter()
            .filter(|(f, _)| f.is_writable())
            .count()
    };
    let rank = |i: usize| {
        let s = &standing[i];
        (
            s.row.is_some(),
            filled(i),
            std::cmp::Reverse(s.errors),
            !contacts[i].slave_contacts.is_empty(),
            std::cmp::Reverse(i),
        )
    };
    let mut ranked: Vec<usize> = group.members.clone();
    ranked.sort_by_key(|i| std::cmp::Reverse(rank(*i)));
    let (keep, next) = (ranked[0], ranked[1]);
    let (k, r) = (rank(keep), rank(next));
    let mut why = if k.0 != r.0 {
        // Rows rank first: the next best has none, so neither has any other.
        let line = standing[keep].row.unwrap_or(0);
        format!("it has a row in the list (line {line}); the others have none")
    } else if k.1 != r.1 {
        format!(
            "the most complete: {} fields filled, against {} for the next",
            k.1, r.1
        )
    } else if k.2 != r.2 {
        format!(
            "as complete as the next ({} fields filled), with fewer problems ({} against {})",
            k.1, standing[keep].errors, standing[next].errors
        )
    } else if k.3 != r.3 {
        format!(
            "as complete as the next ({} fields filled), and it already holds contacts merged into it before",
            k.1
        )
    } else {
        format!(
            "the contacts are equally complete ({} fields filled); it is the first CINNOX lists",
            k.1
        )
    };
    let with_rows = group
        .members
        .iter()
        .filter(|i| standing[**i].row.is_some())
        .count();
    if with_rows > 1 {
        why.push_str(&format!(
            ". {with_rows} of them have rows in the list: after the merge, a sync marks the rows of the absorbed contacts as merged"
        ));
    }
    (keep, why)
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
