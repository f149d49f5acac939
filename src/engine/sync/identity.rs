//! Which contact each row stands for. By the id column first; an id CINNOX no longer
//! lists is a merge (some survivor lists it in `slaveContacts`: relink, never
//! re-create), a delete (only for an id this job knows: linked, created here, or
//! gone before), or else a mistake in the list: reported and left alone, and no
//! linked contact is forgotten meanwhile (it may be that row's). Rows without an id
//! are first checked against the journal (a create an interrupted run sent), then
//! matched once by the mapping's match keys; a match that is not one-to-one is
//! reported and left alone, never guessed. Rows left to create that share a match
//! key value with each other are one person typed twice: held and reported the
//! same way, and created once only one of them is left.

use super::compare::form;
use super::input::{PlanInput, RowPolicy};
use super::matching::{hold_shared, match_rows};
use super::unlisted::{GONE_STATUS, UNKNOWN_STATUS, explain_unknown, known, marked_gone};
use crate::engine::plan::JournalOutcome;
use crate::model::{Contact, FieldValues, Normaliser};
use std::collections::HashMap;

/// What a row is, for this run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowFate<'a> {
    /// Linked to `contact` (an index into the listing).
    Linked {
        contact: usize,
        /// The contact id whose base applies (the row's own, or the absorbed one).
        base_from: Option<&'a str>,
        /// Why the link is new in this run (`None`: linked by its id as before).
        how: Option<String>,
        /// A row found again through the journal: the values its create sent, what
        /// both sides agreed on (the interrupted run saved no link, so no base).
        agreed: Option<&'a FieldValues>,
    },
    /// No contact: create one.
    Create,
    /// Its contact is gone from CINNOX: mark the row with `status`, or remove it.
    /// `merged_into`: the survivor (an index into the listing), for a merge.
    Gone {
        status: String,
        remove: bool,
        merged_into: Option<usize>,
    },
    /// Left alone, with the reason (and the status to show, if any).
    Leave {
        reason: String,
        status: Option<String>,
    },
    /// Nothing in it.
    Empty,
}

pub struct Identity<'a> {
    pub rows: Vec<RowFate<'a>>,
    /// For each contact, the row linked to it this run.
    pub claimed: Vec<Option<usize>>,
    pub journal: Vec<JournalOutcome>,
    /// Rows holding an id nobody knows, each with the linked contact (no row of its
    /// own this run) its values match, if exactly one does. While there are such
    /// rows, no linked contact is forgotten.
    pub unknown: Vec<(usize, Option<usize>)>,
    /// Contacts that rows match by key but not one-to-one (a row matching several
    /// contacts, or several rows one contact), each with those rows: such a contact
    /// is not appended as a new row, which would put the person in the list twice.
    pub contested: HashMap<usize, Vec<usize>>,
}

pub fn resolve<'a>(
    input: &PlanInput<'a>,
    row_values: &dyn Fn(usize) -> FieldValues,
) -> Identity<'a> {
    let cols = &input.columns.columns;
    let contacts = input.contacts;
    let table = input.table;
    let by_id: HashMap<&str, usize> = contacts
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut survivor: HashMap<&str, usize> = HashMap::new();
    for (i, c) in contacts.iter().enumerate() {
        for s in &c.slave_contacts {
            if !by_id.contains_key(s.as_str()) {
                survivor.insert(s.as_str(), i);
            }
        }
    }
    let line = |r: usize| table.row_numbers.get(r).copied().unwrap_or(r + 2);
    let mut fates: Vec<Option<RowFate<'a>>> = vec![None; table.rows.len()];
    let mut claimed: Vec<Option<usize>> = vec![None; contacts.len()];
    let mut merged = Vec::new();
    let mut unknown = Vec::new();

    for (r, cells) in table.rows.iter().enumerate() {
        let id = cols.id(cells);
        if id.is_empty() {
            continue;
        }
        fates[r] = Some(if let Some(&ci) = by_id.get(id) {
            match claimed[ci] {
                Some(other) => RowFate::Leave {
                    reason: format!(
                        "line {} has the same CINNOX ID {id}; keep the id in one row only",
                        line(other)
                    ),
                    status: Some("duplicate CINNOX ID".into()),
                },
                None => {
                    claimed[ci] = Some(r);
                    RowFate::Linked {
                        contact: ci,
                        base_from: Some(id),
                        how: None,
                        agreed: None,
                    }
                }
            }
        } else if let Some(&si) = survivor.get(id) {
            merged.push((r, si));
            continue;
        } else if known(input.state, id) || marked_gone(cols, cells) {
            RowFate::Gone {
                status: GONE_STATUS.into(),
                remove: input.policy.deleted_contacts == RowPolicy::Remove,
                merged_into: None,
            }
        } else {
            // Never a delete: a mistyped id must not make the row, or the contact it
            // belongs to, go. The reason is completed once every row is settled.
            unknown.push(r);
            RowFate::Leave {
                reason: String::new(),
                status: Some(UNKNOWN_STATUS.into()),
            }
        });
    }
    let mut values: HashMap<usize, FieldValues> = HashMap::new();
    let merged_rows: std::collections::HashSet<usize> = merged.iter().map(|(r, _)| *r).collect();
    for (r, fate) in fates.iter_mut().enumerate() {
        if fate.is_none() && !merged_rows.contains(&r) {
            let v = row_values(r);
            if v.is_empty() {
                *fate = Some(RowFate::Empty);
            } else {
                values.insert(r, v);
            }
        }
    }
    let journal = recover_creates(input, &by_id, &survivor, &mut claimed, &mut fates, &values);
    // Merges after direct ids and the journal, so a survivor that has its own row
    // keeps it, even a row whose id an interrupted run never wrote back.
    for (r, si) in merged {
        let old = cols.id(&table.rows[r]);
        let sid = &contacts[si].id;
        fates[r] = Some(match claimed[si] {
            None => {
                claimed[si] = Some(r);
                RowFate::Linked {
                    contact: si,
                    how: Some(format!("{old} was merged into {sid} in CINNOX: relinked")),
                    base_from: Some(old),
                    agreed: None,
                }
            }
            Some(_) => RowFate::Gone {
                status: format!("merged into {sid}"),
                remove: input.policy.merged_rows == RowPolicy::Remove,
                merged_into: Some(si),
            },
        });
    }

    let contested = match_rows(input, &mut claimed, &mut fates, &values, &line);
    hold_shared(input, &mut fates, &values, &line);
    let unknown = explain_unknown(input, &claimed, &mut fates, unknown, row_values);
    Identity {
        rows: fates
            .into_iter()
            .map(|f| f.unwrap_or(RowFate::Create))
            .collect(),
        claimed,
        journal,
        unknown,
        contested,
    }
}

/// The values a create for this row sends, in compare form.
pub fn create_values(input: &PlanInput<'_>, cells: &[String], values: &FieldValues) -> FieldValues {
    let n = &input.mapping.normaliser;
    input
        .columns
        .columns
        .covered(cells, None)
        .into_iter()
        .filter(|f| {
            f.is_writable()
                && input.mapping.field_sync(*f).direction != crate::mapping::Direction::Ignore
        })
        .map(|f| (f, form(n, f, values.get(f)).into_owned()))
        .collect()
}

/// Whether `contact` holds every value of `sent` (both in compare form): CINNOX
/// may add defaults, never drop what was sent.
pub(crate) fn holds(n: &Normaliser, contact: &Contact, sent: &FieldValues) -> bool {
    sent.iter()
        .all(|(f, v)| form(n, f, contact.values.get(f)) == v)
}

/// Links rows to the contacts that creates of an interrupted run made, and says what
/// became of every open create.
fn recover_creates<'a>(
    input: &PlanInput<'a>,
    by_id: &HashMap<&str, usize>,
    survivor: &HashMap<&str, usize>,
    claimed: &mut [Option<usize>],
    fates: &mut [Option<RowFate<'a>>],
    values: &HashMap<usize, FieldValues>,
) -> Vec<JournalOutcome> {
    let n = &input.mapping.normaliser;
    let mut out = Vec::new();
    let mut unlinked: Vec<usize> = values.keys().copied().collect();
    unlinked.sort_unstable();
    for p in &input.state.pending_creates {
        let contact = match &p.contact_id {
            // Made, and merged away since: its survivor stands for it.
            Some(id) => by_id
                .get(id.as_str())
                .or_else(|| survivor.get(id.as_str()))
                .copied(),
            // The contact holding what was sent; else the one holding its match key
            // (edited in CINNOX since: it is still the one this job made).
            None => {
                let free = |i: usize, c: &Contact| {
                    claimed[i].is_none() && !input.state.links.contains_key(&c.id)
                };
                let find = |ok: &dyn Fn(&Contact) -> bool| {
                    let mut all = input.contacts.iter().enumerate();
                    all.position(|(i, c)| free(i, c) && ok(c))
                };
                find(&|c| holds(n, c, &p.values)).or_else(|| {
                    find(&|c| {
                        let keyed = input.mapping.match_keys.iter().flat_map(|k| k.fields());
                        keyed.into_iter().any(|f| {
                            p.values.has(f) && form(n, f, c.values.get(f)) == p.values.get(f)
                        })
                    })
                })
            }
        };
        let Some(ci) = contact else {
            out.push(JournalOutcome {
                seq: p.seq,
                found: None,
            });
            continue;
        };
        out.push(JournalOutcome {
            seq: p.seq,
            found: Some(input.contacts[ci].id.clone()),
        });
        if claimed[ci].is_some() {
            continue; // its id was written back after all
        }
        let row = unlinked.iter().position(|&r| {
            fates[r].is_none()
                && create_values(input, &input.table.rows[r], &values[&r]) == p.values
        });
        if let Some(k) = row {
            let r = unlinked.remove(k);
            claimed[ci] = Some(r);
            fates[r] = Some(RowFate::Linked {
                contact: ci,
                base_from: None,
                how: Some(format!(
                    "created by an interrupted run (journal #{}), found again",
                    p.seq
                )),
                agreed: Some(&p.values),
            });
        }
    }
    out
}
