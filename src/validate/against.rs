//! A list checked against the contacts CINNOX holds (`audit FILE --against-cinnox`):
//! per row, what an import or a sync would do with it that deserves a look before
//! it runs. A CINNOX ID that CINNOX does not know (`unknown_id`); a row without an
//! id that the mapping's match keys tie to several contacts, which is never
//! guessed between (`ambiguous_match`); a row that would be created although
//! CINNOX already holds the same person by email, phone, or name and company
//! (`would_duplicate`). Rows are matched exactly as import and sync match them,
//! through the engine's match-key index. Pure.

use super::merge::{SignalIndex, signals};
use super::rules::Rule;
use super::violation::{Against, ContactRef, Subject, Violation};
use crate::engine::sync::keys::{KeyIndex, KeyMatch};
use crate::mapping::{Columns, Mapping, PairSlot};
use crate::model::{Contact, FieldId};
use crate::sources::Table;
use std::collections::{HashMap, HashSet};

/// The findings on `table`'s rows (read through `columns`) against `contacts`,
/// in line order, and how many rows match a contact or would be created.
pub fn check_against(
    table: &Table,
    columns: &Columns,
    mapping: &Mapping,
    contacts: &[Contact],
) -> (Vec<Violation>, Against) {
    let n = &mapping.normaliser;
    let known: HashSet<&str> = contacts
        .iter()
        .flat_map(|c| std::iter::once(&c.id).chain(&c.slave_contacts))
        .map(String::as_str)
        .collect();
    let keys = KeyIndex::build(&mapping.match_keys, contacts, n);
    let people = SignalIndex::build(contacts, n);
    let header = |c: usize| table.header.get(c).map_or("", String::as_str);
    let id_name = columns
        .id_col
        .map_or(mapping.id_column.as_str(), |c| header(c))
        .to_string();
    let mut found = Vec::new();
    let mut counts = Against {
        contacts: contacts.len(),
        ..Against::default()
    };
    for (r, cells) in table.rows.iter().enumerate() {
        let line = table.row_numbers.get(r).copied().unwrap_or(r + 2) as u64;
        let id = columns.id(cells);
        let values = columns.values(cells);
        if id.is_empty() && values.is_empty() {
            continue;
        }
        let mut push = |col: usize, rule: Rule, message: String, related: Vec<String>| {
            found.push(Violation {
                line,
                column: Some(col),
                subject: subject_of(columns, col, cells),
                rule,
                severity: rule.severity(),
                value: cells.get(col).cloned().unwrap_or_default(),
                message,
                suggestion: None,
                guess: None,
                related,
            })
        };
        if !id.is_empty() {
            if known.contains(id) {
                counts.matched += 1;
            } else if let Some(col) = columns.id_col {
                push(
                    col,
                    Rule::UnknownId,
                    format!(
                        "{} is not the id of any contact in CINNOX (mistyped, or the contact was deleted there): correct it, or clear it so that an import creates the contact",
                        header(col)
                    ),
                    Vec::new(),
                );
            }
            continue;
        }
        match keys.find(&values, n) {
            KeyMatch::One(..) => counts.matched += 1,
            KeyMatch::Many(cands, key) => {
                let col = key
                    .fields()
                    .into_iter()
                    .filter(|f| values.has(*f))
                    .find_map(|f| column_of(columns, f, cells))
                    .or(columns.id_col)
                    .unwrap_or(0);
                let named: Vec<String> = cands
                    .iter()
                    .map(|i| ContactRef::of(&contacts[*i]).describe())
                    .collect();
                push(
                    col,
                    Rule::AmbiguousMatch,
                    format!(
                        "{} matches {} CINNOX contacts by {key} ({}); import and sync never guess between them: put the right one's id in {id_name}",
                        header(col),
                        cands.len(),
                        named.join("; ")
                    ),
                    cands.iter().map(|i| contacts[*i].id.clone()).collect(),
                );
            }
            KeyMatch::None => {
                counts.new += 1;
                let mut same: Vec<(usize, &'static str, FieldId)> = Vec::new();
                for s in signals(&values, n) {
                    for (ci, _) in people.holders(s.kind, &s.value) {
                        if !same.iter().any(|(c, _, _)| *c == ci) {
                            same.push((ci, s.kind.noun(), s.field));
                        }
                    }
                }
                let Some(&(_, noun, field)) = same.first() else {
                    continue;
                };
                let col = column_of(columns, field, cells)
                    .or_else(|| name_column(columns))
                    .unwrap_or(0);
                let named: Vec<String> = same
                    .iter()
                    .map(|(i, _, _)| ContactRef::of(&contacts[*i]).describe())
                    .collect();
                let (has, which) = match named.len() {
                    1 => (named[0].clone(), "its id"),
                    n => (
                        format!("{n} contacts ({})", named.join("; ")),
                        "the right one's id",
                    ),
                };
                push(
                    col,
                    Rule::WouldDuplicate,
                    format!(
                        "{}: this row matches no contact by the mapping's match keys, so an import would create one, but CINNOX already has {has} with the same {noun}: put {which} in {id_name} to update it instead (or leave the row if they are two people)",
                        header(col),
                    ),
                    same.iter()
                        .map(|(i, _, _)| contacts[*i].id.clone())
                        .collect(),
                );
            }
        }
    }
    (found, counts)
}

/// The column holding `field` in this row: its own column, or a pair whose type
/// selects it.
fn column_of(columns: &Columns, field: FieldId, cells: &[String]) -> Option<usize> {
    columns.field_col(field).or_else(|| {
        (0..columns.pairs.len())
            .find(|p| columns.pair_slot(*p, cells) == PairSlot::Field(field))
            .map(|p| columns.pairs[p].value_col)
    })
}

/// Where a name-and-company finding goes: the first or last name column.
fn name_column(columns: &Columns) -> Option<usize> {
    columns
        .field_col(FieldId::FirstName)
        .or_else(|| columns.field_col(FieldId::LastName))
}

/// What a cell of the row reports as its field.
fn subject_of(columns: &Columns, col: usize, cells: &[String]) -> Subject {
    use crate::mapping::Role;
    match columns.role(col) {
        Some(Role::Field(f)) => Subject::Field(f),
        Some(Role::PairValue(p)) => match columns.pair_slot(p, cells) {
            PairSlot::Field(f) => Subject::Field(f),
            _ => Subject::PairValue(columns.pairs[p].pair.kind),
        },
        Some(Role::PairType(p)) => Subject::PairType(columns.pairs[p].pair.kind),
        _ => Subject::Id,
    }
}

/// The ids of the contacts the list has rows for, with their lines: the rows'
/// CINNOX IDs, and for rows without one, the contact their match keys select.
pub fn rows_by_contact(
    table: &Table,
    columns: &Columns,
    mapping: &Mapping,
    contacts: &[Contact],
) -> HashMap<String, u64> {
    let n = &mapping.normaliser;
    // Built only when a row has no id: indexing a big listing is not free.
    let mut keys = None;
    let mut out = HashMap::new();
    for (r, cells) in table.rows.iter().enumerate() {
        let line = table.row_numbers.get(r).copied().unwrap_or(r + 2) as u64;
        let id = columns.id(cells);
        let id = if id.is_empty() {
            let keys =
                keys.get_or_insert_with(|| KeyIndex::build(&mapping.match_keys, contacts, n));
            match keys.find(&columns.values(cells), n) {
                KeyMatch::One(i, _) => contacts[i].id.as_str(),
                _ => continue,
            }
        } else {
            id
        };
        out.entry(id.to_string()).or_insert(line);
    }
    out
}

#[cfg(test)]
#[path = "against_tests.rs"]
mod tests;
