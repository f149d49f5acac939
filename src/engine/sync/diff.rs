//! The three-way comparison of one linked (row, contact) pair, field by field,
//! against the base (the last agreed value): unchanged on both sides → nothing;
//! changed on one side → copied to the other if the field's direction allows;
//! changed on both → `conflict::settle`, under the policy the mapping sets for the
//! field, else the job's, else the mapping's default. An empty cell of a field
//! CINNOX never holds empty (level, type: it stores its default) is unset: filled
//! from CINNOX, never sent, never a conflict. The result says what to send, what to
//! write into the row, what to list, and the base to save once both sides agree.

use super::compare::form;
use super::conflict::{Settle, settle};
use super::rows::FieldSource;
use crate::engine::plan::{Conflict, FieldChange};
use crate::mapping::{ConflictPolicy, Direction, Mapping};
use crate::model::{FieldId, FieldKind, FieldValues};

#[derive(Debug, Default)]
pub struct PairDiff {
    /// Fields to send to CINNOX: `from` CINNOX's current value, `to` the list's.
    pub to_cinnox: Vec<FieldChange>,
    /// Fields to write into the row, with the value to write.
    pub to_row: Vec<(FieldId, String)>,
    pub conflicts: Vec<Conflict>,
    pub notes: Vec<(FieldId, NoteKind)>,
    /// The base once everything planned here is done; `None` when it equals the old.
    pub new_base: Option<FieldValues>,
}

impl PairDiff {
    pub fn is_quiet(&self) -> bool {
        self.to_cinnox.is_empty()
            && self.to_row.is_empty()
            && self.conflicts.is_empty()
            && self.notes.is_empty()
    }
}

/// Something a field's direction made of an edit, for the notes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NoteKind {
    /// The field flows from CINNOX only: the edit in the list was replaced.
    ReplacedInList,
    /// The field flows from the list only: the change made in CINNOX was overwritten.
    OverwrittenInCinnox,
}

impl NoteKind {
    /// The note, naming the field as the list does (`column`).
    pub fn message(self, f: FieldId, column: &str) -> String {
        match self {
            NoteKind::ReplacedInList if f.kind() == FieldKind::ReadOnly => {
                "the owner is set in CINNOX (by an ownership transfer); the edit in the list was replaced"
                    .to_string()
            }
            NoteKind::ReplacedInList => {
                format!("{column} flows from CINNOX only; the edit in the list was replaced")
            }
            NoteKind::OverwrittenInCinnox => format!(
                "{column} flows from the list only; the change made in CINNOX was overwritten"
            ),
        }
    }
}

/// Compares the `fields` a row holds between the row's values, the contact's values
/// and the base (`None`: never agreed, e.g. a row linked by a match in this run).
pub fn diff_pair(
    mapping: &Mapping,
    job_conflict: Option<ConflictPolicy>,
    fields: &[FieldId],
    row: &dyn FieldSource,
    contact: &dyn FieldSource,
    base: Option<&FieldValues>,
) -> PairDiff {
    diff_pair_with(mapping, job_conflict, fields, row, contact, base, None)
}

/// `diff_pair`, where the contact's side has a base of its own (`contact_base`):
/// a row relinked to a survivor it was not linked to, while the survivor's own
/// link is still known. The row's edits are told by `base` (what the row last
/// agreed on), CINNOX's by `contact_base` (what the survivor last agreed on), so
/// an edit made to the survivor is not taken for no change because it happens to
/// equal what the absorbed contact held.
pub fn diff_pair_with(
    mapping: &Mapping,
    job_conflict: Option<ConflictPolicy>,
    fields: &[FieldId],
    row: &dyn FieldSource,
    contact: &dyn FieldSource,
    base: Option<&FieldValues>,
    contact_base: Option<&FieldValues>,
) -> PairDiff {
    let n = &mapping.normaliser;
    let mut out = PairDiff::default();
    // Built lazily: most pairs agree with their base and must not copy it.
    let mut new_base: Option<FieldValues> = match base {
        None => Some(FieldValues::new()),
        Some(_) => None,
    };
    let mut set_base = |f: FieldId, v: &str| {
        if let Some(nb) = new_base.as_mut() {
            nb.set(f, v);
        } else if base.is_some_and(|b| b.get(f) != v) {
            let mut nb = base.cloned().unwrap_or_default();
            nb.set(f, v);
            new_base = Some(nb);
        }
    };
    for &f in fields {
        let sync = mapping.field_sync(f);
        if sync.direction == Direction::Ignore {
            continue;
        }
        let (s_raw, c_raw) = (row.value(f), contact.value(f));
        let b_raw = base.map(|b| b.get(f));
        if s_raw == c_raw && b_raw == Some(s_raw) {
            continue;
        }
        let s = form(n, f, s_raw);
        let c = form(n, f, c_raw);
        if s == c {
            set_base(f, &s);
            continue;
        }
        if s.is_empty() && f.cinnox_default().is_some() {
            // Unset in the list; CINNOX cannot hold it empty. Its value is the one.
            if sync.direction.from_cinnox() {
                out.to_row.push((f, c.to_string()));
            }
            set_base(f, &c);
            continue;
        }
        let b = b_raw.map(|b| form(n, f, b));
        let b = b.as_deref();
        let take_cinnox = |out: &mut PairDiff, set_base: &mut dyn FnMut(FieldId, &str)| {
            out.to_row.push((f, c.to_string()));
            set_base(f, &c);
        };
        let take_source = |out: &mut PairDiff, set_base: &mut dyn FnMut(FieldId, &str)| {
            out.to_cinnox.push(FieldChange {
                field: f,
                column: String::new(),
                from: c_raw.to_string(),
                to: s.to_string(),
            });
            set_base(f, &s);
        };
        let row_changed = b != Some(&*s);
        let cinnox_changed = match contact_base {
            Some(cb) => form(n, f, cb.get(f)) != c,
            None => b != Some(&*c),
        };
        if !row_changed {
            // Changed in CINNOX only.
            if sync.direction.from_cinnox() {
                take_cinnox(&mut out, &mut set_base);
            } else {
                out.notes.push((f, NoteKind::OverwrittenInCinnox));
                take_source(&mut out, &mut set_base);
            }
            continue;
        }
        if !cinnox_changed {
            // Changed in the list only.
            if sync.direction.to_cinnox() {
                take_source(&mut out, &mut set_base);
            } else {
                out.notes.push((f, NoteKind::ReplacedInList));
                take_cinnox(&mut out, &mut set_base);
            }
            continue;
        }
        let (policy, from) = mapping.conflict_policy(f, job_conflict);
        let settled = settle(f, sync.direction, policy, b, &s, &c);
        match settled.settle {
            Settle::TakeCinnox => {
                if sync.direction == Direction::FromCinnox && !s.is_empty() {
                    out.notes.push((f, NoteKind::ReplacedInList));
                }
                take_cinnox(&mut out, &mut set_base);
            }
            Settle::TakeSource => {
                if sync.direction == Direction::ToCinnox && !c.is_empty() {
                    out.notes.push((f, NoteKind::OverwrittenInCinnox));
                }
                take_source(&mut out, &mut set_base);
            }
            Settle::KeepBoth => {
                // Kept for a person: the saved base must leave both sides changed,
                // or the next run would take the row's base, equal to CINNOX's
                // value, for no change there and overwrite it.
                if let Some(cb) = contact_base.filter(|_| b == Some(&*c)) {
                    set_base(f, &form(n, f, cb.get(f)));
                }
            }
        }
        out.conflicts.extend(settled.conflict.map(|mut k| {
            k.policy_from = Some(from);
            k
        }));
    }
    out.new_base = new_base;
    out
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
