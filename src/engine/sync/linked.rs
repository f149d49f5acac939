//! The record of a row linked to a contact: the three-way diff of the pair
//! (`diff`), the edits carried in from rows merged into the contact (`absorbed`),
//! what of the update is held back (`hold`), the cells to write, the status, and
//! the base to save. Messages name fields as the list's header does. Pure, part of
//! `plan`.

use super::absorbed::Carry;
use super::diff::{PairDiff, diff_pair_with};
use super::hold;
use super::input::PlanInput;
use super::rows::{RowEdit, RowView, contact_ref, owner_filled, row_ref};
use crate::engine::plan::*;
use crate::mapping::ConflictPolicy;
use crate::model::{FieldId, FieldValues};

/// Where a linked row's record comes from.
pub struct Pair<'a> {
    pub row: usize,
    /// The contact (an index into the listing).
    pub contact: usize,
    /// The contact id whose base applies (the row's own, or the absorbed one).
    pub base_from: Option<&'a str>,
    /// The base of a row found again through the journal (its create's values).
    pub agreed: Option<&'a FieldValues>,
    /// Why the link is new in this run.
    pub how: Option<&'a str>,
    /// Whether the pair was linked (live) before this run.
    pub was_linked: bool,
    /// The fields every row holds, when the mapping has no typed pairs.
    pub fixed_fields: Option<&'a [FieldId]>,
    /// Edits of rows merged into the contact, carried into this record.
    pub carry: Option<&'a Carry>,
}

/// The bases a pair is judged by, looked up once per pair.
#[derive(Copy, Clone)]
struct Bases<'a> {
    /// What the row last agreed on: its link's base, or its create's values.
    row: Option<&'a FieldValues>,
    /// Relinked to a survivor whose own link is known still (its row went in this
    /// run): CINNOX's side is told by the survivor's own base.
    contact: Option<&'a FieldValues>,
}

fn bases<'a>(input: &PlanInput<'a>, p: &Pair<'a>) -> Bases<'a> {
    let row = p
        .base_from
        .and_then(|b| input.state.links.get(b))
        .or(p.agreed);
    let id = input.contacts[p.contact].id.as_str();
    let contact = row
        .filter(|_| p.base_from != Some(id))
        .and_then(|_| input.state.links.get(id));
    Bases { row, contact }
}

/// The pair's diff, with the carried edits taken in, and what of it is held.
fn outcome(input: &PlanInput<'_>, p: &Pair<'_>, b: Bases<'_>) -> (PairDiff, hold::Checked) {
    let cols = &input.columns.columns;
    let cells = &input.table.rows[p.row];
    let contact = &input.contacts[p.contact];
    let cvals = owner_filled(&contact.values, contact, input.staff);
    let row = RowView { cols, cells };
    let covered;
    let fields = match p.fixed_fields {
        Some(f) => f,
        None => {
            covered = cols.covered(cells, Some(&cvals));
            &covered
        }
    };
    let mut d = diff_pair_with(
        input.mapping,
        input.policy.conflict,
        fields,
        &row,
        &*cvals,
        b.row,
        b.contact,
    );
    if let Some(carry) = p.carry {
        take_in(&mut d, carry, &contact.values, b.row);
    }
    let to_row: Vec<FieldId> = d.to_row.iter().map(|(f, _)| *f).collect();
    let checked = hold::check(
        input,
        &contact.values,
        &row,
        &d.to_cinnox,
        &to_row,
        &d.conflicts,
    );
    (d, checked)
}

/// The carried edits the survivor's record holds back (its update would be
/// refused), with why: the absorbed rows must say their edit went nowhere.
pub fn carried_held(input: &PlanInput<'_>, p: &Pair<'_>) -> (Vec<FieldId>, String) {
    let (_, checked) = outcome(input, p, bases(input, p));
    let carried: Vec<FieldId> = p
        .carry
        .iter()
        .flat_map(|c| c.sends.iter().map(|(f, _)| *f))
        .filter(|f| checked.held.contains(f))
        .collect();
    (carried, checked.problems.join("; "))
}

pub fn linked_record(input: &PlanInput<'_>, p: Pair<'_>) -> Record {
    let cols = &input.columns.columns;
    let cells = &input.table.rows[p.row];
    let contact = &input.contacts[p.contact];
    let b = bases(input, &p);
    let base = b.row;
    let (mut d, mut checked) = outcome(input, &p, b);
    // Carried edits CINNOX would refuse with this contact's update go nowhere this
    // run (their rows say so): the record is this row's own, as if nothing was
    // carried, and the merged rows' bases keep those edits unsettled.
    let mut dropped: Vec<FieldId> = Vec::new();
    let carry = p.carry.filter(|c| {
        dropped = c.sends.iter().map(|(f, _)| *f).collect();
        !dropped.iter().any(|f| checked.held.contains(f))
    });
    if carry.is_some() {
        dropped.clear();
    } else if let Some(c) = p.carry {
        (d, checked) = outcome(input, &Pair { carry: None, ..p }, b);
        d.conflicts.extend(
            c.conflicts
                .iter()
                .filter(|k| !dropped.contains(&k.field))
                .cloned(),
        );
    }
    let name = |f: FieldId| input.columns.name(f).to_string();

    let mut e = RowEdit::new(input, p.row);
    if cols.id(cells) != contact.id {
        e.set_id(&contact.id);
    }
    for (f, v) in &d.to_row {
        e.set_field_via(cols, *f, v);
    }
    for (f, v) in carry.iter().flat_map(|c| &c.sends) {
        e.set_field_via(cols, *f, v);
    }
    let mut actions = Vec::new();
    if let Some(how) = p.how {
        actions.push(Action::Link {
            contact_id: contact.id.clone(),
            how: how.to_string(),
        });
    }
    if let Some(values) = checked.body.clone() {
        let changes = checked
            .send
            .iter()
            .map(|ch| FieldChange {
                column: name(ch.field),
                ..ch.clone()
            })
            .collect();
        actions.push(Action::UpdateContact { values, changes });
    }
    if !checked.problems.is_empty() {
        actions.push(Action::Skip {
            reason: format!("{INVALID_PREFIX} {}", checked.problems.join("; ")),
        });
    }
    // The row's own conflicts; a merged row's is told in that row's status.
    let unresolved: Vec<String> = d
        .conflicts
        .iter()
        .filter(|k| k.policy == ConflictPolicy::Report && k.source_line.is_none())
        .map(|k| name(k.field))
        .collect();
    let mut status = Vec::new();
    if !checked.problems.is_empty() {
        status.push(format!("error: {}", checked.problems.join("; ")));
    }
    if !unresolved.is_empty() {
        status.push(format!("conflict: {}", unresolved.join(", ")));
    }
    e.status(&if status.is_empty() {
        "ok".to_string()
    } else {
        status.join("; ")
    });
    actions.extend(d.conflicts.iter().cloned().map(|mut k| {
        if k.column.is_empty() {
            k.column = name(k.field);
        }
        Action::Conflict(k)
    }));
    actions.extend(d.notes.iter().map(|(f, kind)| Action::Note {
        field: Some(*f),
        message: kind.message(*f, &name(*f)),
    }));
    actions.extend(checked.replaced.iter().map(|(f, message)| Action::Note {
        field: Some(*f),
        message: message.clone(),
    }));

    let mut rec = e.into_record(input, "field values from CINNOX");
    // Cell edits first, so a reader of the plan sees the row change before the notes.
    rec.actions.extend(actions);
    let new_link = p.how.is_some() || p.base_from != Some(contact.id.as_str());
    // The usual pair agrees as it did: its base is neither copied nor compared.
    let settled = settled_base(
        input,
        &d,
        &checked,
        base,
        &contact.values,
        b.contact.is_some(),
    );
    let changed = settled.as_ref().is_some_and(|nb| nb.as_ref() != base);
    if new_link || changed {
        let new_base = settled.unwrap_or_else(|| base.cloned());
        rec.link = Some(NewLink {
            contact_id: contact.id.clone(),
            base: new_base.unwrap_or_default(),
        });
    }
    if let Some(c) = p.carry {
        rec.also_links = c.bases.iter().map(|b| b.link(&dropped)).collect();
    }
    if let (Some(_), Some(b)) = (p.how.filter(|_| rec.link.is_some()), base) {
        rec.held_link = Some(NewLink {
            contact_id: contact.id.clone(),
            base: b.clone(),
        });
    }
    rec.was_linked = p.was_linked;
    if !rec.actions.is_empty() || rec.link.is_some() || !rec.also_links.is_empty() {
        rec.contact = Some(contact_ref(input, p.contact));
        rec.row.get_or_insert_with(|| row_ref(input, p.row));
    }
    rec
}

/// Takes the edits of rows merged into the contact into the pair's diff: each is
/// sent, written into this row, and agreed in the base; their conflicts are listed.
fn take_in(d: &mut PairDiff, carry: &Carry, contact: &FieldValues, base: Option<&FieldValues>) {
    for (f, v) in &carry.sends {
        d.to_row.retain(|(g, _)| g != f);
        d.to_cinnox.retain(|ch| ch.field != *f);
        d.to_cinnox.push(FieldChange {
            field: *f,
            column: String::new(),
            from: contact.get(*f).to_string(),
            to: v.clone(),
        });
        d.new_base
            .get_or_insert_with(|| base.cloned().unwrap_or_default())
            .set(*f, v.clone());
    }
    d.conflicts.extend(carry.conflicts.iter().cloned());
}

/// The base to save: the diff's, with held changes left as they were agreed (or as
/// CINNOX holds them, for a first link or a relink judged by two bases), and
/// stored values replaced by the list's. `None` when it is `base` unchanged; an
/// inner `None` when there is no base at all.
fn settled_base(
    input: &PlanInput<'_>,
    d: &PairDiff,
    checked: &hold::Checked,
    base: Option<&FieldValues>,
    contact: &FieldValues,
    two_bases: bool,
) -> Option<Option<FieldValues>> {
    let n = &input.mapping.normaliser;
    if checked.held.is_empty() && checked.replaced.is_empty() {
        return d.new_base.clone().map(Some);
    }
    let mut out = d.new_base.clone().or_else(|| base.cloned());
    let nb = out.get_or_insert_with(FieldValues::new);
    for f in &checked.held {
        // A held change is the list's only (CINNOX's side unchanged, by the
        // survivor's own base when relinked): kept so the next run sees it again.
        let was = match base {
            Some(b) if !two_bases => b.get(*f).to_string(),
            _ => super::compare::form(n, *f, contact.get(*f)).into_owned(),
        };
        nb.set(*f, was);
    }
    for ch in &checked.send {
        if checked.replaced.iter().any(|(f, _)| *f == ch.field) {
            nb.set(ch.field, ch.to.clone());
        }
    }
    Some(out)
}
