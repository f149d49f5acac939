//! Row-side helpers of the planner: editing a row's cells through the mapping
//! (typed pairs included), the status column, and the references a saved plan uses
//! to find a row or a contact again.

use super::input::{PlanInput, Staff};
use crate::engine::plan::{
    Action, CellChange, ContactRef, ID_REASON, MIRROR_REASON, Record, RowRef, STATUS_REASON,
};
use crate::mapping::{Columns, PairSlot};
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
pub fn owner_filled<'a>(
    values: &'a FieldValues,
    c: &Contact,
    staff: &[Staff],
) -> Cow<'a, FieldValues> {
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

/// A row's values read straight from its cells through the mapping (as
/// `Columns::values` would give them), without copying the row.
pub struct RowView<'a> {
    pub cols: &'a Columns,
    pub cells: &'a [String],
}

impl FieldSource for RowView<'_> {
    fn value(&self, f: FieldId) -> &str {
        let cell = |c: usize| self.cells.get(c).map_or("", |s| s.trim());
        if let Some(c) = self.cols.field_col(f) {
            return cell(c);
        }
        for (p, rp) in self.cols.pairs.iter().enumerate() {
            if rp.pair.kind.fields().contains(&f) {
                return match self.cols.pair_slot(p, self.cells) {
                    PairSlot::Field(g) if g == f => cell(rp.value_col),
                    _ => "",
                };
            }
        }
        ""
    }
}

/// Something that holds a value per field: a contact's values, or a row.
pub trait FieldSource {
    fn value(&self, f: FieldId) -> &str;
}

impl FieldSource for FieldValues {
    fn value(&self, f: FieldId) -> &str {
        self.get(f)
    }
}

/// Pending cell edits of one row; the row is copied only once something changes.
pub struct RowEdit<'a> {
    before: &'a [String],
    width: usize,
    after: Option<Vec<String>>,
    id_col: Option<usize>,
    status_col: Option<usize>,
    /// A writable field's cell changed.
    fields: bool,
    /// A cell of a field only CINNOX sets (the owner) changed.
    mirrored: bool,
    /// The row is marked as its contact gone, with this reason.
    mark: Option<String>,
}

impl<'a> RowEdit<'a> {
    pub fn new(input: &PlanInput<'a>, r: usize) -> Self {
        let cols = &input.columns.columns;
        RowEdit {
            before: &input.table.rows[r],
            width: input.columns.header.len(),
            after: None,
            id_col: cols.id_col,
            status_col: cols.status_col,
            fields: false,
            mirrored: false,
            mark: None,
        }
    }

    fn cells(&self) -> &[String] {
        self.after.as_deref().unwrap_or(self.before)
    }

    fn put(&mut self, c: usize, v: &str) -> bool {
        if self.cells().get(c).map_or("", String::as_str) == v {
            return false;
        }
        let (before, width) = (self.before, self.width);
        let after = self.after.get_or_insert_with(|| {
            let mut a = before.to_vec();
            a.resize(width.max(before.len()), String::new());
            a
        });
        after[c] = v.to_string();
        true
    }

    pub fn set_id(&mut self, id: &str) {
        if let Some(c) = self.id_col {
            self.put(c, id);
        }
    }

    pub fn status(&mut self, status: &str) {
        if let Some(c) = self.status_col {
            self.put(c, status);
        }
    }

    /// Marks the row as its contact gone: `status` in the status column, and the
    /// reason its cell change gives (`merged into ID`, `deleted in CINNOX`).
    pub fn mark(&mut self, status: &str, reason: &str) {
        self.status(status);
        self.mark = Some(reason.to_string());
    }

    /// Makes the row hold `value` for `field`, through the mapping.
    pub fn set_field_via(&mut self, cols: &Columns, field: FieldId, value: &str) {
        for (c, v) in cols.cell_edits(self.cells(), field, value) {
            if self.put(c, &v) {
                if field.is_writable() {
                    self.fields = true;
                } else {
                    self.mirrored = true;
                }
            }
        }
    }

    /// The record holding this row's cell changes (no actions when nothing changed).
    pub fn into_record(self, input: &PlanInput<'_>, fields_reason: &str) -> Record {
        let Some(after) = self.after else {
            return Record::default();
        };
        let before = |c: usize| self.before.get(c).map_or("", String::as_str);
        let changed: Vec<usize> = (0..after.len())
            .filter(|&c| before(c) != after[c])
            .collect();
        if changed.is_empty() {
            return Record::default();
        }
        let only = |c: Option<usize>| changed.iter().all(|x| Some(*x) == c);
        let status_only = only(self.status_col);
        let marks = status_only && self.mark.is_some();
        let reason = if self.fields {
            fields_reason
        } else if self.mirrored {
            MIRROR_REASON
        } else if status_only {
            self.mark.as_deref().unwrap_or(STATUS_REASON)
        } else {
            ID_REASON
        };
        let header = &input.columns.header;
        let cells = changed
            .into_iter()
            .map(|c| CellChange {
                column: header[c].clone(),
                old: before(c).to_string(),
                new: after[c].clone(),
            })
            .collect();
        Record {
            actions: vec![Action::SetCells {
                cells,
                reason: reason.to_string(),
                marks,
            }],
            ..Record::default()
        }
    }
}
