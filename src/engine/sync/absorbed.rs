//! Rows whose contact is gone from CINNOX (merged away into a contact that has a
//! row of its own, or deleted), and the edits typed into them: nothing typed is
//! dropped. Such a row's edits are its cells that differ from its link's base (the
//! last agreed values, kept while the row stays marked: `Plan::kept_gone`).
//!
//! - Merged away in this run: each edit is carried to the survivor, as if typed
//!   into the survivor's row: sent when CINNOX still holds what that row last
//!   agreed on, settled as a conflict under the policy when the survivor holds
//!   another value, held when the survivor's own row changed the field too.
//! - Deleted in CINNOX, or already marked merged at an earlier run: the edit goes
//!   nowhere; it is reported (a skip, exit 1, the status cell) at every run until
//!   the row is fixed, and the row is not removed meanwhile.
//!
//! Pure, part of `plan`: worked out once for all such rows before rows are planned.

use super::compare::form;
use super::conflict::{Settle, settle};
use super::identity::{Identity, RowFate};
use super::input::PlanInput;
use super::linked::{Pair, carried_held};
use crate::engine::plan::{Conflict, NewLink};
use crate::mapping::Required;
use crate::model::{FieldId, FieldValues};
use crate::validate::check_value;
use std::collections::{BTreeMap, HashMap};

/// What the rows whose contact is gone give the plan.
#[derive(Default)]
pub struct GoneRows {
    /// Survivor row → what its record carries from the rows merged into its contact.
    pub carry: HashMap<usize, Carry>,
    /// Gone row → what became of its edits (rows with edits only).
    pub edits: HashMap<usize, GoneEdits>,
}

/// The edits a survivor's record takes from rows merged into its contact.
#[derive(Default)]
pub struct Carry {
    /// Values to send to the survivor and to write into its row.
    pub sends: Vec<(FieldId, String)>,
    /// Conflicts between an absorbed row's edit and the survivor's value.
    pub conflicts: Vec<Conflict>,
    /// The absorbed rows' links, to save with the survivor's: each base with the
    /// edits now settled.
    pub bases: Vec<AbsorbedBase>,
}

pub struct AbsorbedBase {
    pub id: String,
    /// The base before this run.
    pub old: FieldValues,
    /// The edits settled by this run (sent, already there, or settled by policy).
    pub settled: Vec<(FieldId, String)>,
}

impl AbsorbedBase {
    /// The link to save, leaving out the edits of `held` fields (not sent after all).
    pub fn link(&self, held: &[FieldId]) -> NewLink {
        let mut base = self.old.clone();
        for (f, v) in self.settled.iter().filter(|(f, _)| !held.contains(f)) {
            base.set(*f, v.clone());
        }
        NewLink {
            contact_id: self.id.clone(),
            base,
        }
    }
}

/// What became of the edits of one gone row.
#[derive(Debug, Default)]
pub struct GoneEdits {
    /// Carried to the survivor's record.
    pub carried: Vec<FieldId>,
    /// Not synced anywhere: reported (`reason`), and the row is kept.
    pub not_synced: Vec<FieldId>,
    pub reason: String,
}

/// The edits typed into a row since its link's base: cells of fields that flow to
/// CINNOX whose value differs from the base (an emptied level or type is unset, not
/// an edit).
pub fn row_edits(input: &PlanInput<'_>, r: usize, base: &FieldValues) -> Vec<(FieldId, String)> {
    let n = &input.mapping.normaliser;
    let cols = &input.columns.columns;
    let cells = &input.table.rows[r];
    let values = cols.values(cells);
    cols.covered(cells, Some(base))
        .into_iter()
        .filter(|f| f.is_writable() && input.mapping.field_sync(*f).direction.to_cinnox())
        .filter_map(|f| {
            let v = form(n, f, values.get(f)).into_owned();
            let unset = v.is_empty() && f.cinnox_default().is_some();
            (!unset && v != form(n, f, base.get(f))).then_some((f, v))
        })
        .collect()
}

/// Rows merged into one survivor: (absorbed row, its id, its base, its edits).
type Absorbed<'b> = Vec<(usize, &'b str, &'b FieldValues, Vec<(FieldId, String)>)>;

/// Works out what becomes of the edits typed into every row whose contact is gone.
/// `fixed`: the fields every row holds, when the mapping has no typed pairs.
pub fn gone_rows(input: &PlanInput<'_>, id: &Identity<'_>, fixed: Option<&[FieldId]>) -> GoneRows {
    let mut out = GoneRows::default();
    let line = |r: usize| input.table.row_numbers.get(r).copied().unwrap_or(r + 2);
    let cols = &input.columns.columns;
    // (survivor row, survivor) → the rows merged into it.
    let mut groups: BTreeMap<(usize, usize), Absorbed<'_>> = BTreeMap::new();
    for (r, fate) in id.rows.iter().enumerate() {
        let RowFate::Gone { merged_into, .. } = fate else {
            continue;
        };
        let gid = cols.id(&input.table.rows[r]);
        let base = input.state.links.get(gid);
        // Never agreed (its first link's write failed): nothing tells an edit from a
        // value, so what the row holds that its contact does not is told, never sent.
        // (A row marked deleted with no base, e.g. by an older version, holds
        // values, not edits: nothing to tell.)
        let edits = match (base, merged_into) {
            (Some(b), _) => row_edits(input, r, b),
            (None, Some(si)) => row_edits(input, r, &input.contacts[*si].values),
            (None, None) => continue,
        };
        if edits.is_empty() {
            continue;
        }
        let fresh = !input.state.marked.contains(gid);
        let survivor = merged_into.and_then(|si| id.claimed[si].map(|a| (si, a)));
        match (survivor, base) {
            (Some((si, a)), Some(base)) if fresh => groups
                .entry((a, si))
                .or_default()
                .push((r, gid, base, edits)),
            _ => {
                let names = names(input, edits.iter().map(|(f, _)| *f));
                let reason = match survivor {
                    Some((si, a)) if base.is_none() => format!(
                        "line {} was merged into {} in CINNOX before it was ever synced: its {names} here is not synced; type it in line {}",
                        line(r),
                        input.contacts[si].id,
                        line(a)
                    ),
                    Some((si, a)) => format!(
                        "line {} was merged into {} in CINNOX: the edit of {names} here is not synced; type it in line {}",
                        line(r),
                        input.contacts[si].id,
                        line(a)
                    ),
                    None => format!(
                        "its contact {gid} was deleted in CINNOX: the edit of {names} here is not synced; to add the person to CINNOX again, clear its {}",
                        input.mapping.id_column
                    ),
                };
                out.edits.insert(
                    r,
                    GoneEdits {
                        carried: Vec::new(),
                        not_synced: edits.into_iter().map(|(f, _)| f).collect(),
                        reason,
                    },
                );
            }
        }
    }
    for ((a, si), absorbed) in groups {
        let rows: Vec<usize> = absorbed.iter().map(|x| x.0).collect();
        carry_into(input, a, si, absorbed, &mut out);
        // What the survivor's update holds back went nowhere: its rows say so.
        let RowFate::Linked {
            base_from,
            how,
            agreed,
            ..
        } = &id.rows[a]
        else {
            continue;
        };
        let pair = Pair {
            row: a,
            contact: si,
            base_from: *base_from,
            agreed: *agreed,
            how: how.as_deref(),
            was_linked: false,
            fixed_fields: fixed,
            carry: out.carry.get(&a),
        };
        let (held, why) = carried_held(input, &pair);
        for r in rows.iter().filter(|_| !held.is_empty()) {
            let Some(e) = out.edits.get_mut(r) else {
                continue;
            };
            let stuck: Vec<FieldId> = e
                .carried
                .iter()
                .copied()
                .filter(|f| held.contains(f))
                .collect();
            if stuck.is_empty() {
                continue;
            }
            e.carried.retain(|f| !stuck.contains(f));
            let told = format!(
                "line {} was merged into {}; its edit of {} cannot go to line {} now: {why}",
                line(*r),
                input.contacts[si].id,
                names(input, stuck.iter().copied()),
                line(a)
            );
            e.reason = if e.reason.is_empty() {
                told
            } else {
                format!("{}; {told}", e.reason)
            };
            e.not_synced.extend(stuck);
        }
    }
    out
}

/// Carries the edits of the rows merged into survivor `si`, whose row is `a` (by its
/// id, or found again through the journal: its id cell may be empty still).
fn carry_into(
    input: &PlanInput<'_>,
    a: usize,
    si: usize,
    absorbed: Absorbed<'_>,
    out: &mut GoneRows,
) {
    let n = &input.mapping.normaliser;
    let cols = &input.columns.columns;
    let line = |r: usize| input.table.row_numbers.get(r).copied().unwrap_or(r + 2);
    let a_cells = &input.table.rows[a];
    let a_id = input.contacts[si].id.as_str();
    let contact = &input.contacts[si].values;
    let a_values = cols.values(a_cells);
    // The survivor's row's own base: none for a row linked in this run.
    let a_base = input
        .state
        .links
        .get(a_id)
        .filter(|_| cols.id(a_cells) == a_id);
    // Two absorbed rows that edited a field differently: neither value is carried.
    let mut wanted: HashMap<FieldId, Vec<&str>> = HashMap::new();
    for (_, _, _, edits) in &absorbed {
        for (f, v) in edits {
            let e = wanted.entry(*f).or_default();
            if !e.contains(&v.as_str()) {
                e.push(v);
            }
        }
    }
    let mut carry = Carry::default();
    for (r, gid, base, edits) in &absorbed {
        let mut done = GoneEdits::default();
        let mut settled = Vec::new();
        let mut why: Vec<String> = Vec::new();
        for (f, v) in edits {
            let f = *f;
            let name = input.columns.name(f);
            let c = form(n, f, contact.get(f));
            let mine = form(n, f, a_values.get(f));
            let a_edited = match a_base {
                Some(b) => mine != form(n, f, b.get(f)),
                None => mine != c,
            };
            if let Some(problem) = breaks_a_rule(input, f, v) {
                done.not_synced.push(f);
                why.push(format!("{name} {problem}"));
                continue;
            }
            if wanted[&f].len() > 1 {
                done.not_synced.push(f);
                why.push(format!(
                    "{name} was edited differently in rows merged into the same contact; type the one you want in line {}",
                    line(a)
                ));
                continue;
            }
            if a_edited && *mine != **v {
                done.not_synced.push(f);
                why.push(format!(
                    "{name} was edited in line {} too ({mine:?}); type the one you want there",
                    line(a)
                ));
                continue;
            }
            if a_edited || *c == **v {
                settled.push((f, v.clone())); // the survivor has it, or its row sends it
                continue;
            }
            // As if typed into the survivor's row: against what it last agreed on.
            let agreed = a_base.map(|b| form(n, f, b.get(f)));
            if agreed.as_deref() == Some(&*c) {
                carry.sends.push((f, v.clone()));
                done.carried.push(f);
                settled.push((f, v.clone()));
                continue;
            }
            let sync = input.mapping.field_sync(f);
            let (policy, from) = input.mapping.conflict_policy(f, input.policy.conflict);
            let s = settle(f, sync.direction, policy, agreed.as_deref(), v, &c);
            if let Some(mut k) = s.conflict {
                k.column = name.to_string();
                k.source_line = Some(line(*r));
                k.policy_from = Some(from);
                carry.conflicts.push(k);
            }
            match s.settle {
                Settle::TakeSource => {
                    carry.sends.push((f, v.clone()));
                    done.carried.push(f);
                    settled.push((f, v.clone()));
                }
                Settle::TakeCinnox => settled.push((f, v.clone())),
                Settle::KeepBoth => {
                    done.not_synced.push(f);
                    why.push(format!(
                        "{name} is in conflict with what CINNOX holds for {a_id} (see line {})",
                        line(a)
                    ));
                }
            }
        }
        if !why.is_empty() {
            done.reason = format!(
                "line {} was merged into {a_id} in CINNOX; not synced: {}",
                line(*r),
                why.join("; ")
            );
        }
        carry.bases.push(AbsorbedBase {
            id: gid.to_string(),
            old: (*base).clone(),
            settled,
        });
        out.edits.insert(*r, done);
    }
    out.carry.insert(a, carry);
}

/// Why `value` cannot go to CINNOX for `f`: a field rule, or a required field.
fn breaks_a_rule(input: &PlanInput<'_>, f: FieldId, value: &str) -> Option<String> {
    if let Some(x) = check_value(f, value, &input.mapping.normaliser) {
        return Some(x.message);
    }
    let required = input.mapping.required.contains(&Required::Field(f));
    (value.is_empty() && required).then(|| "is required but empty".to_string())
}

/// `First Name, Job Title`: fields as the list names them.
pub fn names(input: &PlanInput<'_>, fields: impl Iterator<Item = FieldId>) -> String {
    fields
        .map(|f| input.columns.name(f))
        .collect::<Vec<_>>()
        .join(", ")
}
