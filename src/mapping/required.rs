//! Where a list holds each field the mapping requires, and why a list lacking every
//! column of a required field cannot be used. One rule for every command: a mapped
//! column a list lacks is skipped (`audit`, `import` and `sync` work on the columns
//! that are there), unless its field is required.

use super::columns::Columns;
use super::file::{Mapping, MappingError, Required};
use super::typed::TypedKind;
use crate::model::FieldId;

impl Columns {
    /// The column of each required field (for a phone or email group, its first
    /// column); an error naming the columns the list would need when a required
    /// field has none. `what` names the list.
    pub fn required_columns(
        &self,
        mapping: &Mapping,
        what: &str,
    ) -> Result<Vec<(Required, usize)>, MappingError> {
        mapping
            .required
            .iter()
            .map(|r| {
                let col = match r {
                    Required::Field(f) => self.field_col(*f).or_else(|| {
                        self.pairs
                            .iter()
                            .find(|p| p.pair.kind.fields().contains(f))
                            .map(|p| p.value_col)
                    }),
                    Required::AnyPhone => self.first_col(TypedKind::Phone),
                    Required::AnyEmail => self.first_col(TypedKind::Email),
                };
                col.map(|c| (*r, c))
                    .ok_or_else(|| missing_required(mapping, *r, what))
            })
            .collect()
    }

    /// Where a missing phone or email is reported: its first column.
    fn first_col(&self, kind: TypedKind) -> Option<usize> {
        let direct = kind
            .fields()
            .iter()
            .filter_map(|f| self.field_col(*f))
            .min();
        let pair = self
            .pairs
            .iter()
            .filter(|p| p.pair.kind == kind)
            .map(|p| p.value_col)
            .min();
        match (direct, pair) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

impl Mapping {
    /// Applies the mapping to the columns `header` has, refusing only a list that
    /// lacks every column of a required field.
    pub fn resolve_usable(&self, header: &[String], what: &str) -> Result<Columns, MappingError> {
        let columns = self.resolve_present(header, what)?;
        columns.required_columns(self, what)?;
        Ok(columns)
    }
}

/// The error for a required field without a column, in the words of the mapping:
/// the columns it would need.
fn missing_required(mapping: &Mapping, r: Required, what: &str) -> MappingError {
    let holds = |fields: &[FieldId]| -> Vec<String> {
        let direct = mapping
            .columns
            .iter()
            .filter(|(_, f)| fields.contains(f))
            .map(|(h, _)| format!("`{h}`"));
        let pairs = mapping
            .typed
            .iter()
            .filter(|t| t.kind.fields().iter().any(|f| fields.contains(f)))
            .map(|t| format!("`{}`", t.value_column));
        direct.chain(pairs).collect()
    };
    let (field, key, columns) = match r {
        Required::Field(f) => (f.key().to_string(), f.key().to_string(), holds(&[f])),
        Required::AnyPhone => (
            "a phone number".into(),
            "phone".into(),
            holds(&FieldId::PHONES),
        ),
        Required::AnyEmail => ("an email".into(), "email".into(), holds(&FieldId::EMAILS)),
    };
    let columns = if columns.is_empty() {
        "it maps no column to it".to_string()
    } else {
        format!("{what} has none of its columns: {}", columns.join(", "))
    };
    MappingError::MissingRequired {
        message: format!(
            "mapping {} requires {field} in every row, but {columns}. Add the column, or remove \"{key}\" from `required` in the mapping (`cinnox-sync init LIST` writes a mapping from the list's own header)",
            mapping.origin
        ),
    }
}
