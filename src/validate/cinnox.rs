//! The audit of the contacts stored in CINNOX (`audit --cinnox`): every contact of
//! the listing checked by the rules a list is checked by (contacts typed in the
//! dashboard or made by older integrations break them too), and the duplicate
//! groups inside CINNOX turned into merge suggestions (`merge`). A report row is a
//! contact, a report column a CINNOX field under the name CINNOX shows it by.
//! Pure: the listing in, the report out.

use super::merge::{self, DupKind, Group, Link, Signal, SignalIndex, Standing};
use super::rules::{Rule, Severity, check_value};
use super::violation::{AuditReport, Audited, ContactRef, MergeSuggestion, Subject, Violation};
use crate::mapping::{Mapping, Required, TypedKind};
use crate::model::normalise;
use crate::model::{Contact, FieldId};
use std::borrow::Cow;
use std::collections::HashMap;

/// Audits `contacts` (a whole listing, in its order) with the rules, default phone
/// region and required fields of `mapping`. `rows` maps the id of each contact the
/// list has a row for to that row's line: such a contact is the one to keep in a
/// merge. `what` names CINNOX in the report.
pub fn audit_contacts(
    contacts: &[Contact],
    mapping: &Mapping,
    rows: &HashMap<String, u64>,
    what: &str,
) -> AuditReport {
    // Until the end, a violation's `line` is its contact's listing position + 1.
    let checked = check_all(contacts, mapping);
    let mut violations = Vec::new();
    let mut standing = Vec::with_capacity(contacts.len());
    let mut signals = Vec::with_capacity(contacts.len());
    for (part, c) in checked.into_iter().zip(contacts.chunks(CHUNK)) {
        violations.extend(part.violations);
        for ((errors, sig), contact) in part.errors.into_iter().zip(part.signals).zip(c) {
            standing.push(Standing {
                row: rows.get(&contact.id).copied(),
                errors,
            });
            signals.push(sig);
        }
    }
    let groups = merge::groups_of(contacts.len(), SignalIndex::of(signals));
    let mut merges = Vec::new();
    for (k, g) in groups.iter().enumerate() {
        let (keep, why) = merge::keeper(g, contacts, &standing);
        duplicates(k + 1, g, keep, contacts, &mut violations);
        merges.push(MergeSuggestion {
            keep,
            absorb: g.members.iter().copied().filter(|m| *m != keep).collect(),
            why,
            shared: g
                .links
                .iter()
                .map(|l| {
                    let who = l.members.iter().map(|(i, _)| *i).collect();
                    (
                        l.kind.noun().to_string(),
                        merge::shown(l.kind, &l.value),
                        who,
                    )
                })
                .collect(),
        });
    }
    // A contact's own violations keep their field order; duplicates follow.
    violations.sort_by_key(|v| v.line);

    // Keep only the contacts the report names; renumber everything to them.
    let mut named: Vec<usize> = violations.iter().map(|v| v.line as usize - 1).collect();
    named.dedup();
    let mut slot = vec![usize::MAX; contacts.len()];
    for (k, i) in named.iter().enumerate() {
        slot[*i] = k;
    }
    for v in &mut violations {
        v.line = slot[v.line as usize - 1] as u64 + 1;
    }
    for m in &mut merges {
        m.keep = slot[m.keep];
        m.absorb.iter_mut().for_each(|a| *a = slot[*a]);
        for (_, _, who) in &mut m.shared {
            who.iter_mut().for_each(|w| *w = slot[*w]);
        }
    }
    AuditReport {
        file: what.to_string(),
        rows: contacts.len() as u64,
        header: FieldId::ALL.iter().map(|f| f.label().to_string()).collect(),
        mapping: mapping.name.clone(),
        encoding: String::new(),
        violations,
        audited: Audited::Cinnox,
        contacts: named
            .iter()
            .map(|i| ContactRef::of(&contacts[*i]))
            .collect(),
        merges,
        ..AuditReport::default()
    }
}

/// Contacts checked per thread at a time.
const CHUNK: usize = 4096;

/// What checking one chunk of contacts found.
#[derive(Default)]
struct Checked {
    violations: Vec<Violation>,
    /// Per contact: its error-severity violations, and its duplicate keys.
    errors: Vec<usize>,
    signals: Vec<Vec<Signal>>,
}

/// Checks every contact, in chunks on every core (a listing of 100,000 is
/// checked while a person waits).
fn check_all(contacts: &[Contact], mapping: &Mapping) -> Vec<Checked> {
    let chunks: Vec<(usize, &[Contact])> = contacts.chunks(CHUNK).enumerate().collect();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut out: Vec<Checked> = (0..chunks.len()).map(|_| Checked::default()).collect();
    let done = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..workers.min(chunks.len()) {
            s.spawn(|| {
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&(ci, part)) = chunks.get(k) else {
                        break;
                    };
                    let mut found = Checked::default();
                    for (j, c) in part.iter().enumerate() {
                        let first = found.violations.len();
                        let sig = check_contact(ci * CHUNK + j, c, mapping, &mut found.violations);
                        found.errors.push(
                            found.violations[first..]
                                .iter()
                                .filter(|v| v.severity == Severity::Error)
                                .count(),
                        );
                        found.signals.push(sig);
                    }
                    if let Ok(mut d) = done.lock() {
                        d.push((ci, found));
                    }
                }
            });
        }
    });
    for (ci, found) in done.into_inner().unwrap_or_default() {
        out[ci] = found;
    }
    out
}

/// The field rules and required fields, on contact `i`; answers its duplicate
/// keys, read from what the rules found.
fn check_contact(
    i: usize,
    c: &Contact,
    mapping: &Mapping,
    out: &mut Vec<Violation>,
) -> Vec<Signal> {
    let line = i as u64 + 1;
    // What each email and phone counts as for duplicates: itself, its fix, or
    // nothing; by position in `FieldId::EMAILS` then `FieldId::PHONES`.
    let mut accepted: [Option<Cow<'_, str>>; 7] = Default::default();
    for (f, v) in c.values.iter() {
        let finding = check_value(f, v, &mapping.normaliser);
        if let Some(slot) = key_slot(f) {
            accepted[slot] = match &finding {
                None => Some(normalise::text(v)),
                Some(x) => x.suggestion.clone().map(Cow::Owned),
            };
        }
        if let Some(finding) = finding {
            out.push(Violation {
                line,
                column: Some(f.index()),
                subject: Subject::Field(f),
                rule: finding.rule,
                severity: finding.severity,
                value: v.to_string(),
                message: format!("{} {}", f.label(), finding.message),
                suggestion: finding.suggestion,
                guess: finding.guess,
                related: Vec::new(),
            });
        }
    }
    for r in &mapping.required {
        let (filled, field, subject, what) = match r {
            Required::Field(f) => (c.values.has(*f), *f, Subject::Field(*f), None),
            Required::AnyPhone => (
                FieldId::PHONES.iter().any(|f| c.values.has(*f)),
                FieldId::MobilePhone,
                Subject::PairValue(TypedKind::Phone),
                Some("a phone number"),
            ),
            Required::AnyEmail => (
                FieldId::EMAILS.iter().any(|f| c.values.has(*f)),
                FieldId::Email,
                Subject::PairValue(TypedKind::Email),
                Some("an email"),
            ),
        };
        if filled {
            continue;
        }
        let message = match what {
            None => format!("{} is required but empty", field.label()),
            Some(w) => format!(
                "{}: the mapping requires {w}, and this contact has none",
                field.label()
            ),
        };
        out.push(Violation {
            line,
            column: Some(field.index()),
            subject,
            rule: Rule::Required,
            severity: Severity::Error,
            value: String::new(),
            message,
            suggestion: None,
            guess: None,
            related: Vec::new(),
        });
    }
    merge::signals_with(&c.values, |f, _| {
        key_slot(f).and_then(|i| accepted[i].clone())
    })
}

/// Where an email or phone field's duplicate key is kept while a contact is checked.
fn key_slot(f: FieldId) -> Option<usize> {
    FieldId::EMAILS
        .iter()
        .chain(&FieldId::PHONES)
        .position(|g| *g == f)
}

/// One `duplicate` warning per contact and shared key of group number `k`.
fn duplicates(k: usize, g: &Group, keep: usize, contacts: &[Contact], out: &mut Vec<Violation>) {
    let short = |i: usize| {
        let c = &contacts[i];
        match c.full_name() {
            n if n.is_empty() => c.id.clone(),
            n => format!("{} ({n})", c.id),
        }
    };
    let absorbed: Vec<String> = g
        .members
        .iter()
        .filter(|m| **m != keep)
        .map(|m| contacts[*m].id.clone())
        .collect();
    for Link { kind, members, .. } in &g.links {
        for (m, field) in members {
            let others: Vec<String> = members
                .iter()
                .filter(|(o, _)| o != m)
                .map(|(o, _)| short(*o))
                .collect();
            let what = match kind {
                DupKind::NameCompany => "Name and Company are the same".to_string(),
                _ => format!("{} is the same {}", field.label(), kind.noun()),
            };
            let (action, related) = if *m == keep {
                (
                    format!(
                        "keep this contact and merge {} into it",
                        match absorbed.len() {
                            1 => "the other one".to_string(),
                            n => format!("the {n} others"),
                        }
                    ),
                    absorbed.clone(),
                )
            } else {
                (
                    format!("merge this contact into {}", short(keep)),
                    vec![contacts[keep].id.clone()],
                )
            };
            let c = &contacts[*m];
            let shown = match kind {
                DupKind::NameCompany => {
                    format!("{}, {}", c.full_name(), c.values.get(FieldId::CompanyName))
                }
                _ => c.values.get(*field).to_string(),
            };
            out.push(Violation {
                line: *m as u64 + 1,
                column: Some(field.index()),
                subject: Subject::Field(*field),
                rule: Rule::Duplicate,
                severity: Severity::Warning,
                value: shown,
                message: format!(
                    "{what} as on {}; merge suggestion {k}: {action}",
                    list(&others)
                ),
                suggestion: None,
                guess: None,
                related,
            });
        }
    }
}

/// `a`, `a and b`, `a, b and c`, `a, b, c and 4 more`.
fn list(items: &[String]) -> String {
    const SHOWN: usize = 3;
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n if n <= SHOWN => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
        n => format!("{} and {} more", items[..SHOWN].join(", "), n - SHOWN),
    }
}

#[cfg(test)]
#[path = "cinnox_tests.rs"]
mod tests;
