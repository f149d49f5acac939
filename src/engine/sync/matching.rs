//! Rows without an id, matched to contacts by the mapping's match keys (one row to
//! one free contact, or left and reported), and the rows left to create that share a
//! key value with each other (held until one is left). Part of `identity`.

use super::identity::RowFate;
use super::input::PlanInput;
use super::keys::{KeyIndex, KeyMatch, shared_keys};
use crate::model::FieldValues;
use std::collections::HashMap;

/// Holds the rows left to create that share a match key value with each other.
pub(super) fn hold_shared(
    input: &PlanInput<'_>,
    fates: &mut [Option<RowFate<'_>>],
    values: &HashMap<usize, FieldValues>,
    line: &dyn Fn(usize) -> usize,
) {
    let mut creates: Vec<(usize, &FieldValues)> = values
        .iter()
        .filter(|(r, _)| fates[**r].is_none())
        .map(|(r, v)| (*r, v))
        .collect();
    if creates.len() < 2 {
        return;
    }
    creates.sort_unstable_by_key(|(r, _)| *r);
    let n = &input.mapping.normaliser;
    for (rows, key) in shared_keys(&input.mapping.match_keys, &creates, n) {
        let lines: Vec<String> = rows.iter().map(|&r| line(r).to_string()).collect();
        for &r in &rows {
            let other = rows.iter().find(|&&o| o != r).map_or(0, |&o| line(o));
            fates[r] = Some(RowFate::Leave {
                reason: format!(
                    "lines {} have no {} and the same {key}: not created until one row is left for the person (or the others hold their {})",
                    lines.join(", "),
                    input.mapping.id_column,
                    input.mapping.id_column
                ),
                status: Some(format!("ambiguous: same {key} as line {other}")),
            });
        }
    }
}

/// Matches the remaining rows by the mapping's match keys, in order: the first key
/// that yields candidates decides; anything but one row ↔ one free contact is left.
/// Returns the contacts left contested, with the rows that match them.
pub(super) fn match_rows(
    input: &PlanInput<'_>,
    claimed: &mut [Option<usize>],
    fates: &mut [Option<RowFate<'_>>],
    values: &HashMap<usize, FieldValues>,
    line: &dyn Fn(usize) -> usize,
) -> HashMap<usize, Vec<usize>> {
    let mut contested: HashMap<usize, Vec<usize>> = HashMap::new();
    let n = &input.mapping.normaliser;
    let mut pending: Vec<usize> = values
        .keys()
        .copied()
        .filter(|r| fates[*r].is_none())
        .collect();
    if pending.is_empty() {
        return contested;
    }
    pending.sort_unstable();
    let index = KeyIndex::build(&input.mapping.match_keys, input.contacts, n);
    let mut tentative: Vec<(usize, usize, String)> = Vec::new();
    for r in pending {
        match index.find(&values[&r], n) {
            KeyMatch::None => {}
            KeyMatch::One(ci, key) => tentative.push((r, ci, key.to_string())),
            KeyMatch::Many(cands, key) => {
                for &ci in &cands {
                    contested.entry(ci).or_default().push(r);
                }
                let m = cands.len();
                let ids: Vec<&str> = cands
                    .iter()
                    .take(5)
                    .map(|&i| input.contacts[i].id.as_str())
                    .collect();
                fates[r] = Some(RowFate::Leave {
                    reason: format!(
                        "matches {m} contacts by {key} ({}); write the right id in the id column",
                        ids.join(", ")
                    ),
                    status: Some(format!("ambiguous: {m} contacts match by {key}")),
                });
            }
        }
    }
    let mut rows_per: HashMap<usize, usize> = HashMap::new();
    for (_, ci, _) in &tentative {
        *rows_per.entry(*ci).or_default() += 1;
    }
    for (r, ci, key) in tentative {
        let id = &input.contacts[ci].id;
        fates[r] = Some(if let Some(other) = claimed[ci] {
            RowFate::Leave {
                reason: format!(
                    "matches contact {id} by {key}, which is linked to line {}",
                    line(other)
                ),
                status: Some(format!("ambiguous: matches {id}, linked to another row")),
            }
        } else if rows_per[&ci] > 1 {
            contested.entry(ci).or_default().push(r);
            RowFate::Leave {
                reason: format!(
                    "{} rows match contact {id} by {key}; keep one or link them by hand",
                    rows_per[&ci]
                ),
                status: Some(format!("ambiguous: several rows match {id}")),
            }
        } else {
            claimed[ci] = Some(r);
            RowFate::Linked {
                contact: ci,
                base_from: None,
                how: Some(format!("matched by {key}")),
                agreed: None,
            }
        });
    }
    contested
}
