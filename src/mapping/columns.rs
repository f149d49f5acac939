//! `Columns`: a mapping applied to one header row. It knows which column holds which
//! field, which columns are ignored, and how to read a row into field values and
//! write a field back into a row's cells, including through typed pairs.

use super::file::{Mapping, MappingError};
use super::typed::{TypedKind, TypedPair};
use crate::model::{FieldId, FieldValues};
use crate::sources::header_key;

/// What one column of a file holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Role {
    Field(FieldId),
    /// The type cell of the typed pair with this index in `Columns::pairs`.
    PairType(usize),
    /// The value cell of the typed pair with this index.
    PairValue(usize),
    Id,
    Status,
}

/// A typed pair located in the header. A list may lack the type column when the
/// pair has a default type: every value is then of that type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedPair {
    pub pair: TypedPair,
    pub type_col: Option<usize>,
    pub value_col: usize,
}

/// What a typed pair of one row selects.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PairSlot {
    /// Both cells empty.
    Empty,
    /// The field the type cell (or the default type) selects.
    Field(FieldId),
    /// A value whose type cell is not a known type (or empty with no default).
    Unplaced,
}

/// A column the mapping names that the list does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Absent {
    /// The header as the mapping writes it.
    pub header: String,
    /// The fields it would hold (a pair's value column: every field of its group).
    pub fields: Vec<FieldId>,
}

#[derive(Clone, Debug)]
pub struct Columns {
    roles: Vec<Option<Role>>,
    field_col: Vec<Option<usize>>,
    pub pairs: Vec<ResolvedPair>,
    pub id_col: Option<usize>,
    pub status_col: Option<usize>,
    /// Columns the mapping does not name, `(index, header)`: kept, never touched.
    pub ignored: Vec<(usize, String)>,
    /// Data columns and pair columns the mapping names and the list lacks, in the
    /// mapping's order. `resolve` refuses a list with any; `resolve_present` leaves
    /// the decision to its caller.
    pub absent: Vec<Absent>,
}

impl Mapping {
    /// Applies the mapping to a header row. `what` names the file or sheet in
    /// messages. Every data column and pair the mapping names must be present; the
    /// id and status columns may be missing (`id_col`/`status_col` are then `None`).
    pub fn resolve(&self, header: &[String], what: &str) -> Result<Columns, MappingError> {
        let columns = self.resolve_present(header, what)?;
        if !columns.absent.is_empty() {
            return Err(MappingError::MissingColumns {
                what: what.to_string(),
                origin: self.origin.clone(),
                names: columns.absent.into_iter().map(|a| a.header).collect(),
            });
        }
        Ok(columns)
    }

    /// Applies the mapping to whatever columns the header has: a column the list
    /// lacks is listed in `absent` (the caller decides whether it matters, e.g. a
    /// required field), and a pair without its type column reads every value as
    /// the pair's default type (a pair with no default type needs its type column,
    /// and is absent without it). Only a column named twice is an error here.
    pub fn resolve_present(&self, header: &[String], what: &str) -> Result<Columns, MappingError> {
        let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
        for (i, k) in keys.iter().enumerate() {
            if !k.is_empty() && keys[..i].contains(k) && self.names_header(k) {
                return Err(MappingError::DuplicateColumn {
                    what: what.to_string(),
                    name: header[i].clone(),
                });
            }
        }
        let find = |name: &str| {
            let k = header_key(name);
            keys.iter().position(|h| *h == k)
        };
        let mut absent = Vec::new();
        let mut roles = vec![None; header.len()];
        let mut field_col = vec![None; FieldId::COUNT];
        for (name, f) in &self.columns {
            match find(name) {
                Some(c) => {
                    roles[c] = Some(Role::Field(*f));
                    field_col[f.index()] = Some(c);
                }
                None => absent.push(Absent {
                    header: name.clone(),
                    fields: vec![*f],
                }),
            }
        }
        let mut pairs = Vec::new();
        let mut orphans = Vec::new();
        for pair in &self.typed {
            let (t, v) = (find(&pair.type_column), find(&pair.value_column));
            let fields = pair.kind.fields().to_vec();
            if t.is_none() {
                absent.push(Absent {
                    header: pair.type_column.clone(),
                    fields: fields.clone(),
                });
            }
            match v {
                Some(value_col) if t.is_some() || pair.default_type.is_some() => {
                    if let Some(type_col) = t {
                        roles[type_col] = Some(Role::PairType(pairs.len()));
                    }
                    roles[value_col] = Some(Role::PairValue(pairs.len()));
                    pairs.push(ResolvedPair {
                        pair: pair.clone(),
                        type_col: t,
                        value_col,
                    });
                }
                Some(_) => {}
                None => {
                    // A type column without its values has nothing to read: it is
                    // neither used nor a column the mapping does not know.
                    orphans.extend(t);
                    absent.push(Absent {
                        header: pair.value_column.clone(),
                        fields,
                    });
                }
            }
        }
        let id_col = find(&self.id_column);
        if let Some(c) = id_col {
            roles[c] = Some(Role::Id);
        }
        let status_col = self.status_column.as_deref().and_then(find);
        if let Some(c) = status_col {
            roles[c] = Some(Role::Status);
        }
        let ignored = roles
            .iter()
            .enumerate()
            .filter(|(i, r)| r.is_none() && !orphans.contains(i))
            .map(|(i, _)| (i, header[i].clone()))
            .collect();
        Ok(Columns {
            roles,
            field_col,
            pairs,
            id_col,
            status_col,
            ignored,
            absent,
        })
    }

    fn names_header(&self, key: &str) -> bool {
        let same = |h: &str| header_key(h) == key;
        same(&self.id_column)
            || self.status_column.as_deref().is_some_and(same)
            || self.columns.iter().any(|(h, _)| same(h))
            || self
                .typed
                .iter()
                .any(|t| same(&t.type_column) || same(&t.value_column))
    }
}

impl Columns {
    /// What column `col` holds, if the mapping names it.
    pub fn role(&self, col: usize) -> Option<Role> {
        self.roles.get(col).copied().flatten()
    }

    /// How many columns the header has.
    pub fn width(&self) -> usize {
        self.roles.len()
    }

    /// The column that holds `field` directly (not through a pair).
    pub fn field_col(&self, field: FieldId) -> Option<usize> {
        self.field_col[field.index()]
    }

    /// The column a person reads `field` in: its own column, or the value column of
    /// the pair that can hold it.
    pub fn column_of(&self, field: FieldId) -> Option<usize> {
        self.field_col(field).or_else(|| {
            self.pairs
                .iter()
                .find(|rp| rp.pair.kind.fields().contains(&field))
                .map(|rp| rp.value_col)
        })
    }

    /// The row's id cell, trimmed (empty when there is no id column).
    pub fn id<'a>(&self, cells: &'a [String]) -> &'a str {
        self.id_col
            .and_then(|c| cells.get(c))
            .map_or("", |s| s.trim())
    }

    /// What the typed pair `p` of this row selects.
    pub fn pair_slot(&self, p: usize, cells: &[String]) -> PairSlot {
        let rp = &self.pairs[p];
        let cell = |c: usize| cells.get(c).map_or("", |s| s.trim());
        let (t, v) = (rp.type_col.map_or("", cell), cell(rp.value_col));
        if t.is_empty() && v.is_empty() {
            return PairSlot::Empty;
        }
        let chosen = if t.is_empty() {
            rp.pair.default_type
        } else {
            Some(t)
        };
        match chosen.and_then(|t| rp.pair.kind.select(t)) {
            Some(f) => PairSlot::Field(f),
            None => PairSlot::Unplaced,
        }
    }

    /// The field values of a row, as typed (not normalised); pairs whose type cannot
    /// be read contribute nothing.
    pub fn values(&self, cells: &[String]) -> FieldValues {
        let mut out = FieldValues::new();
        for (c, role) in self.roles.iter().enumerate() {
            if let Some(Role::Field(f)) = role {
                out.set(*f, cells.get(c).map_or("", |s| s.trim()));
            }
        }
        for (p, rp) in self.pairs.iter().enumerate() {
            if let PairSlot::Field(f) = self.pair_slot(p, cells) {
                out.set(f, cells.get(rp.value_col).map_or("", |s| s.trim()));
            }
        }
        out
    }

    /// The fields this row holds. A pair holds the field its type selects; an empty
    /// pair holds the first field of its group that `contact` fills (so a phone added
    /// in CINNOX can flow into an empty pair), or nothing.
    pub fn covered(&self, cells: &[String], contact: Option<&FieldValues>) -> Vec<FieldId> {
        let mut out: Vec<FieldId> = self
            .roles
            .iter()
            .filter_map(|r| match r {
                Some(Role::Field(f)) => Some(*f),
                _ => None,
            })
            .collect();
        for (p, rp) in self.pairs.iter().enumerate() {
            match self.pair_slot(p, cells) {
                PairSlot::Field(f) => out.push(f),
                PairSlot::Empty => {
                    // Without a type column, the pair can hold its default type only.
                    let fixed = rp
                        .type_col
                        .is_none()
                        .then(|| rp.pair.default_type.and_then(|t| rp.pair.kind.select(t)))
                        .flatten();
                    let held = contact.and_then(|c| {
                        rp.pair
                            .kind
                            .fields()
                            .iter()
                            .copied()
                            .filter(|f| fixed.is_none_or(|d| d == *f))
                            .find(|f| c.has(*f))
                    });
                    if let Some(f) = held {
                        out.push(f);
                    }
                }
                PairSlot::Unplaced => {}
            }
        }
        out.sort();
        out
    }

    /// The cell changes that make this row hold `value` for `field`: `(column, text)`.
    /// Empty when the row cannot hold the field (its pair holds another type).
    pub fn cell_edits(
        &self,
        cells: &[String],
        field: FieldId,
        value: &str,
    ) -> Vec<(usize, String)> {
        if let Some(c) = self.field_col(field) {
            return vec![(c, value.to_string())];
        }
        for (p, rp) in self.pairs.iter().enumerate() {
            if !rp.pair.kind.fields().contains(&field) {
                continue;
            }
            return match self.pair_slot(p, cells) {
                PairSlot::Field(f) if f == field => vec![(rp.value_col, value.to_string())],
                PairSlot::Empty if !value.is_empty() => match rp.type_col {
                    Some(type_col) => vec![
                        (
                            type_col,
                            crate::model::enums::type_name(field)
                                .unwrap_or_default()
                                .to_string(),
                        ),
                        (rp.value_col, value.to_string()),
                    ],
                    // Without a type column the pair holds its default type only.
                    None if rp.pair.default_type.and_then(|t| rp.pair.kind.select(t))
                        == Some(field) =>
                    {
                        vec![(rp.value_col, value.to_string())]
                    }
                    None => Vec::new(),
                },
                _ => Vec::new(),
            };
        }
        Vec::new()
    }

    /// A new row holding `values` and `id`, in this header's column order; each pair
    /// takes the first field of its group that `values` fills.
    pub fn new_row(&self, id: &str, values: &FieldValues) -> Vec<String> {
        let mut cells = vec![String::new(); self.width()];
        if let Some(c) = self.id_col {
            cells[c] = id.to_string();
        }
        for (f, v) in values.iter() {
            for (c, text) in self.cell_edits(&cells, f, v) {
                cells[c] = text;
            }
        }
        cells
    }

    /// The pair kinds of this header and where their columns are.
    pub fn pair_kinds(&self) -> impl Iterator<Item = (usize, TypedKind)> + '_ {
        self.pairs.iter().enumerate().map(|(i, p)| (i, p.pair.kind))
    }
}

#[cfg(test)]
#[path = "columns_tests.rs"]
mod tests;
