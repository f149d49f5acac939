//! No doomed writes: what of a planned update is held back because CINNOX would
//! refuse it for a rule we know. An update carries the whole contact (read-modify-
//! write), so both what the list changes and what CINNOX already stores are checked.
//!
//! - A change that breaks a field rule, or that empties a required field (or the
//!   last phone or email when the mapping requires one), is held: not sent, its
//!   base kept, so it stays reported until it is fixed; the row's other changes go.
//! - A value CINNOX stores against its own rules (a 60-character first name typed
//!   in the dashboard) would get every update of the contact refused: the list's
//!   valid value is sent in its place when the list has one of its own; otherwise
//!   no request is spent and the stored field is reported, with how to fix it.
//!
//! Pure, part of `plan`.

use super::compare::form;
use super::input::PlanInput;
use super::rows::FieldSource;
use crate::engine::plan::{Conflict, FieldChange};
use crate::mapping::{ConflictPolicy, Required};
use crate::model::{FieldId, FieldValues};
use crate::validate::check_value;

/// A planned update, checked.
#[derive(Debug, Default)]
pub struct Checked {
    /// The changes that go, with the list's values sent in place of invalid stored
    /// ones; empty when nothing is sent.
    pub send: Vec<FieldChange>,
    /// The full body to send (CINNOX's values, normalised, with `send` applied).
    pub body: Option<FieldValues>,
    /// Changes held back.
    pub held: Vec<FieldId>,
    /// Why, one entry per problem, in the list's words.
    pub problems: Vec<String>,
    /// Invalid stored values the list's value replaces: (field, note).
    pub replaced: Vec<(FieldId, String)>,
}

/// Checks the changes `to_cinnox` planned for `contact` (its values as listed),
/// given the row, the fields CINNOX's values flow into the row for (`to_row`) and
/// the pair's conflicts.
pub fn check(
    input: &PlanInput<'_>,
    contact: &FieldValues,
    row: &dyn FieldSource,
    to_cinnox: &[FieldChange],
    to_row: &[FieldId],
    conflicts: &[Conflict],
) -> Checked {
    // Nothing planned for CINNOX: nothing to hold, no body to check (and no value
    // of every linked contact normalised again on a sync that changes nothing).
    if to_cinnox.is_empty() {
        return Checked::default();
    }
    let n = &input.mapping.normaliser;
    let name = |f: FieldId| input.columns.name(f);
    let mut out = Checked::default();
    let mut send: Vec<FieldChange> = Vec::new();
    // The changes' problems by field, told in field order.
    let mut problems: Vec<(FieldId, String)> = Vec::new();
    for ch in to_cinnox {
        match check_value(ch.field, &ch.to, n) {
            Some(x) => {
                out.held.push(ch.field);
                problems.push((ch.field, format!("{} {}", name(ch.field), x.message)));
            }
            None => send.push(ch.clone()),
        }
    }
    let mut body: FieldValues = contact
        .iter()
        .map(|(f, v)| (f, form(n, f, v).into_owned()))
        .collect();
    for ch in &send {
        body.set(ch.field, ch.to.clone());
    }
    for req in &input.mapping.required {
        let (group, what): (&[FieldId], String) = match req {
            Required::Field(f) => (std::slice::from_ref(f), format!("{} is required", name(*f))),
            Required::AnyPhone => (&FieldId::PHONES, "a phone number is required".into()),
            Required::AnyEmail => (&FieldId::EMAILS, "an email address is required".into()),
        };
        if group.iter().any(|f| body.has(*f)) {
            continue;
        }
        // Emptied by this change: held, and CINNOX keeps its value.
        let cleared: Vec<FieldId> = send
            .iter()
            .filter(|ch| group.contains(&ch.field) && ch.to.is_empty())
            .map(|ch| ch.field)
            .collect();
        if cleared.is_empty() {
            continue;
        }
        for f in &cleared {
            body.set(*f, form(n, *f, contact.get(*f)).into_owned());
        }
        send.retain(|ch| !cleared.contains(&ch.field));
        out.held.extend(&cleared);
        problems.push((
            cleared[0],
            match req {
                Required::Field(_) => format!("{what} but empty"),
                _ => format!("{what}; {} was emptied", names(input, &cleared)),
            },
        ));
    }
    problems.sort_by_key(|(f, _)| *f);
    out.problems = problems.into_iter().map(|(_, p)| p).collect();
    if send.is_empty() {
        return out;
    }
    let mut stored = Vec::new();
    let fields: Vec<FieldId> = body.iter().map(|(f, _)| f).collect();
    for f in fields {
        if !f.is_writable() || send.iter().any(|ch| ch.field == f) {
            continue;
        }
        let Some(x) = check_value(f, body.get(f), n) else {
            continue;
        };
        match list_value(input, f, row, to_row, conflicts) {
            Some(v) => {
                out.replaced.push((
                    f,
                    format!(
                        "{} stored in CINNOX {}; the list's value is sent in its place",
                        name(f),
                        x.message
                    ),
                ));
                send.push(FieldChange {
                    field: f,
                    column: name(f).to_string(),
                    from: contact.get(f).to_string(),
                    to: v.clone(),
                });
                body.set(f, v);
            }
            None => stored.push(format!(
                "{} stored in CINNOX {}: correct it in CINNOX, or type a valid value in the list",
                name(f),
                x.message
            )),
        }
    }
    if !stored.is_empty() {
        // CINNOX would refuse the whole body: nothing goes, every change is held.
        out.held.extend(send.iter().map(|ch| ch.field));
        out.problems.extend(stored);
        out.replaced.clear();
        return out;
    }
    out.send = send;
    out.body = Some(body);
    out
}

/// The list's own valid value of `f`, to send in place of an invalid stored one:
/// the row holds one, the field flows to CINNOX, and neither CINNOX's value is on
/// its way into the row nor an unsettled conflict leaves the choice to a person.
fn list_value(
    input: &PlanInput<'_>,
    f: FieldId,
    row: &dyn FieldSource,
    to_row: &[FieldId],
    conflicts: &[Conflict],
) -> Option<String> {
    let n = &input.mapping.normaliser;
    let unsettled = conflicts
        .iter()
        .any(|k| k.field == f && k.policy == ConflictPolicy::Report);
    if to_row.contains(&f) || unsettled || !input.mapping.field_sync(f).direction.to_cinnox() {
        return None;
    }
    let v = form(n, f, row.value(f)).into_owned();
    (!v.is_empty() && check_value(f, &v, n).is_none()).then_some(v)
}

fn names(input: &PlanInput<'_>, fields: &[FieldId]) -> String {
    fields
        .iter()
        .map(|f| input.columns.name(*f))
        .collect::<Vec<_>>()
        .join(", ")
}
