//! Row-side helpers of the planner: editing a row's cells through the mapping
//! (typed pairs included), the status column, and the references a saved plan uses
//! to find a row or a contact again.

use super::input::{PlanInput, Staff};
use super::plan::{Action, CellChange, ContactRef, ID_REASON, MARK_REASON, Record, RowRef, STATUS_REASON};
use crate::model::{Contact, FieldId, FieldValues};
use std::borrow::Cow;

/// FNV-1a of a row's cells, hex: how a saved plan recognises a row without an id,
/// and notices that a row changed since the plan.
pub fn fingerprint(cells: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in cells {
        for b in c.as_bytes().iter().chain(&[0x1f]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

pub fn row_ref(input: &PlanInput<'_>, r: usize) -> RowRef {
    let cells = &input.table.rows[r];
    let id = input.columns.columns.id(cells);
    RowRef {
        line: input.table.row_numbers.get(r).copied().unwrap_or(r + 2),
        id: (!id.is_empty()).then(|| id.to_string()),
        fingerprint: fingerprint(cells),
    }
}

pub fn contact_ref(input: &PlanInput<'_>, ci: usize) -> ContactRef {
    let c = &input.contacts[ci];
    ContactRef {
        id: c.id.clone(),
        expect_hash: format!("{:016x}", c.content_hash(&input.mapping.normaliser)),
    }
}

/// The contact's values with `ownerName` filled in from the staff list when the
/// listing leaves it empty.
pub fn owner_filled<'a>(values: &'a FieldValues, c: &Contact, staff: &[Staff]) -> Cow<'a, FieldValues> {
    let owner = c.values.get(FieldId::OwnerId);
    if owner.is_empty() || values.has(FieldId::OwnerName) {
        return Cow::Borrowed(values);
    }
    match staff.iter().find(|s| s.id == owner && !s.name.is_empty()) {
        Some(s) => {
            let mut v = values.clone();
            v.set(FieldId::OwnerName, s.name.clone());
            Cow::Owned(v)
        }
        None => Cow::Borrowed(values),
    }
}

/// Pending cell edits of one row.
pub struct RowEdit {
    before: Vec<String>,
    after: Vec<String>,
    id_col: Option<usize>,
    status_col: Option<usize>,
    fields: bool,
}

impl RowEdit {
    pub fn new(input: &PlanInput<'_>, r: usize) -> Self {
        let mut before = input.table.rows[r].clone();
        before.resize(input.columns.header.len(), String::new());
        let cols = &input.columns.columns;
        RowEdit {
            after: before.clone(),
            before,
            id_col: cols.id_col,
            status_col: cols.status_col,
            fields: false,
        }
    }

    pub fn set_id(&mut self, id: &str) {
        if let Some(c) = self.id_col {
            self.after[c] = id.to_string();
        }
    }

    pub fn status(&mut self, status: &str) {
        if let Some(c) = self.status_col {
            self.after[c] = status.to_string();
        }
    }

    pub fn set_field_with(&mut self, edits: Vec<(usize, String)>) {
        for (c, v) in edits {
            if self.after[c] != v {
                self.after[c] = v;
                self.fields = true;
            }
        }
    }

    /// The record holding this row's cell changes (no actions when nothing changed).
    pub fn into_record(self, input: &PlanInput<'_>, r: usize, fields_reason: &str) -> Record {
        let changed: Vec<usize> = (0..self.after.len())
            .filter(|&c| self.before[c] != self.after[c])
            .collect();
        if changed.is_empty() {
            return Record::default();
        }
        let only = |c: Option<usize>| changed.iter().all(|x| Some(*x) == c);
        let reason = if self.fields {
            fields_reason
        } else if only(self.status_col) {
            if fields_reason == MARK_REASON { MARK_REASON } else { STATUS_REASON }
        } else {
            ID_REASON
        };
        let header = &input.columns.header;
        let cells = changed
            .into_iter()
            .map(|c| CellChange {
                column: header[c].clone(),
                old: self.before[c].clone(),
                new: self.after[c].clone(),
            })
            .collect();
        let _ = r;
        Record {
            actions: vec![Action::SetCells {
                cells,
                reason: reason.to_string(),
            }],
            ..Record::default()
        }
    }
}

impl RowEdit {
    /// Makes the row hold `value` for `field`, through the mapping.
    pub fn set_field_via(&mut self, cols: &crate::mapping::Columns, field: FieldId, value: &str) {
        let edits = cols.cell_edits(&self.after, field, value);
        self.set_field_with(edits);
    }
}
