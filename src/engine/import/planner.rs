//! One-way import (upsert) of a list into CINNOX, the list's values winning. Pure
//! planning here, as for sync: each row is validated (the values as they would be
//! sent), identified (id column, then match keys one-to-one, then what an earlier
//! import of the same row made, then an interrupted create found again), and turned
//! into a create, an update of the fields that differ, nothing, or a rejection with
//! its reason. Rows to create that share a match key value (one person typed twice)
//! are rejected together, as sync holds them; identical rows are created once.
//! Empty cells never clear a CINNOX value; a row the list could read only in part
//! (`Table::broken`) is rejected, nothing of it sent. Reasons name columns as the
//! list does. No IO: `send` sends the plan.

use crate::engine::plan::JournalOutcome;
use crate::engine::sync::compare::form;
use crate::engine::sync::identity::{create_values, holds};
use crate::engine::sync::input::PlanInput;
use crate::engine::sync::keys::{KeyIndex, KeyMatch, shared_keys};
use crate::mapping::file::Required;
use crate::model::{FieldId, FieldValues, Normaliser};
use crate::validate::check_value;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ImportAction {
    Create {
        values: FieldValues,
    },
    Update {
        contact_id: String,
        values: FieldValues,
        changed: Vec<FieldId>,
    },
    Unchanged {
        contact_id: String,
    },
    Reject {
        message: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportRow {
    /// Index into the table's rows.
    pub row: usize,
    pub line: usize,
    pub action: ImportAction,
    /// The values this row stands for (remembered once done).
    #[serde(skip)]
    pub sent: FieldValues,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ImportPlan {
    pub rows: Vec<ImportRow>,
    pub journal: Vec<JournalOutcome>,
}

impl ImportPlan {
    pub fn count(&self, pick: fn(&ImportAction) -> bool) -> usize {
        self.rows.iter().filter(|r| pick(&r.action)).count()
    }
}

/// Plans an import. `input.state` holds what earlier imports of this file made.
pub fn plan_import(input: &PlanInput<'_>) -> ImportPlan {
    let n = &input.mapping.normaliser;
    let cols = &input.columns.columns;
    let contacts = input.contacts;
    let by_id: HashMap<&str, usize> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let survivor: HashMap<&str, usize> = contacts
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.slave_contacts.iter().map(move |s| (s.as_str(), i)))
        .collect();
    // Contact → the values an earlier import sent for it.
    let remembered: HashMap<&FieldValues, &str> = input
        .state
        .links
        .iter()
        .map(|(id, v)| (v, id.as_str()))
        .collect();
    let index = KeyIndex::build(&input.mapping.match_keys, contacts, n);
    let mut claimed: HashMap<usize, usize> = HashMap::new();
    let mut to_create: HashMap<FieldValues, usize> = HashMap::new();
    // Creates planned: (index into `plan.rows`, the row's values as typed).
    let mut creates: Vec<(usize, FieldValues)> = Vec::new();
    let mut plan = ImportPlan::default();
    let mut pending: Vec<(i64, &FieldValues, Option<usize>)> = input
        .state
        .pending_creates
        .iter()
        .map(|p| {
            let found = match &p.contact_id {
                Some(id) => by_id.get(id.as_str()).copied(),
                None => contacts.iter().position(|c| holds(n, c, &p.values)),
            };
            (p.seq, &p.values, found)
        })
        .collect();
    for p in &pending {
        plan.journal.push(JournalOutcome {
            seq: p.0,
            found: p.2.map(|i| contacts[i].id.clone()),
        });
    }
    for (r, cells) in input.table.rows.iter().enumerate() {
        let line = input.table.row_numbers.get(r).copied().unwrap_or(r + 2);
        // Read only in part: its cells are not what was meant, nothing is sent.
        if let Some(why) = input.table.broken_row(r) {
            plan.rows.push(ImportRow {
                row: r,
                line,
                action: ImportAction::Reject {
                    message: format!("the row {why}"),
                },
                sent: FieldValues::default(),
            });
            continue;
        }
        let values = cols.values(cells);
        if values.is_empty() {
            continue;
        }
        let sent = create_values(input, cells, &values);
        let mut push = |action| {
            plan.rows.push(ImportRow {
                row: r,
                line,
                action,
                sent: sent.clone(),
            })
        };
        if let Some(message) = problems(input, &sent) {
            push(ImportAction::Reject { message });
            continue;
        }
        let id = cols.id(cells);
        let found: Result<Option<usize>, String> = if !id.is_empty() {
            match by_id.get(id).or_else(|| survivor.get(id)) {
                Some(&i) => Ok(Some(i)),
                None => Err(format!(
                    "no contact with CINNOX ID {id} (deleted in CINNOX?); clear the id to create it anew"
                )),
            }
        } else {
            match_keys(&index, &values, n)
        };
        let found = match found {
            Ok(Some(i)) => Some(i),
            Ok(None) => remembered
                .get(&sent)
                .and_then(|id| by_id.get(id).copied())
                .or_else(|| {
                    let k = pending.iter().position(|p| p.1 == &sent && p.2.is_some())?;
                    pending.remove(k).2
                }),
            Err(message) => {
                push(ImportAction::Reject { message });
                continue;
            }
        };
        let Some(ci) = found else {
            if let Some(other) = to_create.insert(sent.clone(), line) {
                push(ImportAction::Reject {
                    message: format!("the same contact as line {other}"),
                });
            } else {
                push(ImportAction::Create {
                    values: sent.clone(),
                });
                creates.push((plan.rows.len() - 1, values));
            }
            continue;
        };
        if let Some(other) = claimed.insert(ci, line) {
            push(ImportAction::Reject {
                message: format!(
                    "line {other} is for the same CINNOX contact {}",
                    contacts[ci].id
                ),
            });
            continue;
        }
        let c = &contacts[ci];
        let changed: Vec<FieldId> = sent
            .iter()
            .filter(|(f, v)| !v.is_empty() && differs(n, *f, c.values.get(*f), v))
            .map(|(f, _)| f)
            .collect();
        if changed.is_empty() {
            push(ImportAction::Unchanged {
                contact_id: c.id.clone(),
            });
        } else {
            let mut body: FieldValues = c
                .values
                .iter()
                .map(|(f, v)| (f, form(n, f, v).into_owned()))
                .collect();
            for f in &changed {
                body.set(*f, sent.get(*f));
            }
            push(ImportAction::Update {
                contact_id: c.id.clone(),
                values: body,
                changed,
            });
        }
    }
    reject_shared_keys(input, &mut plan, &creates);
    plan
}

/// Rows to create that share a match key value are one person typed twice (or
/// two people CINNOX could not tell apart): none is created until one is left.
fn reject_shared_keys(
    input: &PlanInput<'_>,
    plan: &mut ImportPlan,
    creates: &[(usize, FieldValues)],
) {
    let rows: Vec<(usize, &FieldValues)> = creates.iter().map(|(i, v)| (*i, v)).collect();
    let n = &input.mapping.normaliser;
    for (group, key) in shared_keys(&input.mapping.match_keys, &rows, n) {
        let lines: Vec<String> = group
            .iter()
            .map(|&i| plan.rows[i].line.to_string())
            .collect();
        for &i in &group {
            plan.rows[i].action = ImportAction::Reject {
                message: format!(
                    "lines {} have no {} and the same {key}: keep one row for the person (or give the others their {})",
                    lines.join(", "),
                    input.mapping.id_column,
                    input.mapping.id_column
                ),
            };
        }
    }
}

/// Whether the row's value `sent` (normalised) must be written over CINNOX's
/// `stored`: they mean different things, or they mean the same but what CINNOX
/// stores breaks its rules (`+852 9123 4567`, `primary`, typed in the dashboard),
/// which a fix list from `audit --cinnox` exists to repair.
fn differs(n: &Normaliser, f: FieldId, stored: &str, sent: &str) -> bool {
    form(n, f, stored) != sent || (stored != sent && check_value(f, stored, n).is_some())
}

/// The CINNOX rules the values to send break, and missing required fields.
fn problems(input: &PlanInput<'_>, sent: &FieldValues) -> Option<String> {
    let n = &input.mapping.normaliser;
    let name = |f: FieldId| input.columns.name(f);
    let mut out: Vec<String> = sent
        .iter()
        .filter_map(|(f, v)| check_value(f, v, n).map(|x| format!("{} {}", name(f), x.message)))
        .collect();
    for req in &input.mapping.required {
        let ok = match req {
            Required::Field(f) => sent.has(*f),
            Required::AnyPhone => FieldId::PHONES.iter().any(|f| sent.has(*f)),
            Required::AnyEmail => FieldId::EMAILS.iter().any(|f| sent.has(*f)),
        };
        if !ok {
            out.push(match req {
                Required::Field(f) => format!("{} is required but empty", name(*f)),
                Required::AnyPhone => "a phone number is required".into(),
                Required::AnyEmail => "an email address is required".into(),
            });
        }
    }
    (!out.is_empty()).then(|| out.join("; "))
}

/// The contact the row's match keys select: `Ok(None)` when none does, an error when
/// several do.
fn match_keys(
    index: &KeyIndex<'_>,
    values: &FieldValues,
    n: &Normaliser,
) -> Result<Option<usize>, String> {
    match index.find(values, n) {
        KeyMatch::None => Ok(None),
        KeyMatch::One(ci, _) => Ok(Some(ci)),
        KeyMatch::Many(cands, key) => Err(format!(
            "matches {} CINNOX contacts by {key}; give the CINNOX ID of the right one",
            cands.len()
        )),
    }
}
