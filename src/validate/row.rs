//! `RowChecker`: every CINNOX rule applied to one row of a file, given the mapping
//! resolved against the file's header. It returns violations and the row's
//! duplicate keys (normalised emails, phones, ids); the duplicates themselves are
//! found once all rows are in (`duplicates`). Pure and `Sync`: worker threads
//! share one.

use super::duplicates::{KeyKind, Keys};
use super::rules::{
    Controls, Finding, Rule, Severity, check_cleared_value, check_enum, check_value,
};
use super::violation::{Subject, Violation};
use crate::mapping::{Columns, Mapping, Required, Role, TypedKind};
use crate::model::normalise;
use crate::model::{FieldId, FieldKind, Norm, Normaliser};
use std::borrow::Cow;

/// The row being checked: its line, and whether its cells still need a look for
/// control characters.
#[derive(Copy, Clone)]
struct At {
    line: u64,
    controls: Controls,
}

/// What the checker does with one column.
#[derive(Copy, Clone, Debug)]
enum Plan {
    Field(FieldId),
    Id,
    /// Pair cells, the id-less status column and ignored columns: pairs are checked
    /// pair by pair; the others are not CINNOX data.
    Skip,
}

pub struct RowChecker {
    plan: Vec<Plan>,
    columns: Columns,
    header: Vec<String>,
    normaliser: Normaliser,
    /// Required fields with where to report them when empty.
    required: Vec<(Required, usize)>,
}

/// What the checks of some rows produced.
#[derive(Debug, Default)]
pub struct RowsOut {
    pub violations: Vec<Violation>,
    pub keys: Keys,
    /// Rows read, and of those, rows with no value at all (skipped).
    pub rows: u64,
    pub blank: u64,
}

impl RowChecker {
    /// A checker for a file whose header is `header`; fails when the mapping
    /// requires a field no column of the file can hold.
    pub fn new(
        mapping: &Mapping,
        columns: Columns,
        header: &[String],
        what: &str,
    ) -> Result<Self, String> {
        let plan = (0..header.len())
            .map(|c| match columns.role(c) {
                Some(Role::Field(f)) => Plan::Field(f),
                Some(Role::Id) => Plan::Id,
                _ => Plan::Skip,
            })
            .collect();
        let required = columns
            .required_columns(mapping, what)
            .map_err(|e| e.to_string())?;
        Ok(RowChecker {
            plan,
            columns,
            header: header.to_vec(),
            normaliser: mapping.normaliser,
            required,
        })
    }

    /// The header of column `col`, as written in the file.
    pub fn header(&self, col: usize) -> Option<&str> {
        self.header.get(col).map(String::as_str)
    }

    fn name(&self, col: usize) -> &str {
        self.header(col).unwrap_or("")
    }

    fn push(
        &self,
        out: &mut RowsOut,
        line: u64,
        col: usize,
        subject: Subject,
        f: Finding,
        value: &str,
    ) {
        out.violations.push(Violation {
            line,
            column: Some(col),
            subject,
            rule: f.rule,
            severity: f.severity,
            value: value.to_string(),
            message: format!("{} {}", self.name(col), f.message),
            suggestion: f.suggestion,
            guess: f.guess,
            related: Vec::new(),
        });
    }

    /// Checks one row of exactly `header.len()` cells (pad short rows first).
    /// `controls` says whether its cells still need a look for control characters.
    pub fn check(&self, line: u64, cells: &[Cow<'_, str>], controls: Controls, out: &mut RowsOut) {
        if cells.iter().all(|c| normalise::is_blank(c)) {
            out.blank += 1;
            return;
        }
        let first = out.violations.len();
        let at = At { line, controls };
        let cell = |c: usize| cells.get(c).map_or("", |s| s.as_ref());
        for (c, plan) in self.plan.iter().enumerate() {
            let v = cell(c);
            match *plan {
                Plan::Field(f) => self.check_cell(at, c, f, Subject::Field(f), v, out),
                Plan::Id => {
                    let id = v.trim();
                    if !id.is_empty() {
                        out.keys.push(KeyKind::Id, line, c, Subject::Id, id, v);
                    }
                }
                Plan::Skip => {}
            }
        }
        for p in 0..self.columns.pairs.len() {
            self.check_pair(at, p, &cell, out);
        }
        for (r, col) in &self.required {
            self.check_required(line, *r, *col, &cell, out);
        }
        // Pairs and required fields are checked apart; report in column order.
        out.violations[first..].sort_by_key(|v| v.column);
    }

    /// Checks a value of `field` (reported as `subject`) and records its key.
    fn check_cell(
        &self,
        At { line, controls }: At,
        c: usize,
        field: FieldId,
        subject: Subject,
        v: &str,
        out: &mut RowsOut,
    ) {
        let finding = match controls {
            Controls::Look => check_value(field, v, &self.normaliser),
            Controls::Cleared => check_cleared_value(field, v, &self.normaliser),
        };
        // Keyed by the field's normalisation, as sync matches and compares it.
        let kind = match field.kind().norm() {
            Norm::Phone => Some(KeyKind::Phone),
            Norm::Email => Some(KeyKind::Email),
            _ => None,
        };
        if let Some(kind) = kind.filter(|_| !normalise::is_blank(v)) {
            // The key is the normalised value: the cell when it passed, the fix when
            // it only needs one; a value that cannot be fixed has no key. A WhatsApp
            // id passes as any text: its key is its phone form, when it has one.
            let fixed = match &finding {
                None => Some(normalise::trimmed(v)),
                Some(f) => f.suggestion.as_deref(),
            };
            if let Some(fixed) = fixed {
                let key = match (kind, field.kind()) {
                    (KeyKind::Email, _) => Cow::Owned(normalise::email(fixed)),
                    (_, FieldKind::Phone) => Cow::Borrowed(fixed),
                    _ => Cow::Owned(self.normaliser.value(field, fixed)),
                };
                out.keys.push(kind, line, c, subject, &key, v);
            }
        }
        if let Some(f) = finding {
            self.push(out, line, c, subject, f, v);
        }
    }

    fn check_pair<'a>(
        &self,
        at: At,
        p: usize,
        cell: &impl Fn(usize) -> &'a str,
        out: &mut RowsOut,
    ) {
        let line = at.line;
        let rp = &self.columns.pairs[p];
        let kind = rp.pair.kind;
        let (t, v) = (rp.type_col.map_or("", cell), cell(rp.value_col));
        let (tt, vt) = (normalise::trimmed(t), normalise::trimmed(v));
        if let Some(type_col) = rp.type_col
            && !tt.is_empty()
            && let Some(f) = check_enum(kind.enum_kind(), t)
        {
            self.push(out, line, type_col, Subject::PairType(kind), f, t);
        }
        if vt.is_empty() {
            return;
        }
        let chosen = if tt.is_empty() {
            rp.pair.default_type
        } else {
            Some(tt)
        };
        let field = chosen.and_then(|t| kind.select(t));
        // A pair without a type column always has a default type (else it is absent).
        if let Some(type_col) = rp.type_col
            && tt.is_empty()
            && rp.pair.default_type.is_none()
        {
            let values = kind.enum_kind().values().join(", ");
            out.violations.push(Violation {
                line,
                column: Some(type_col),
                subject: Subject::PairType(kind),
                rule: Rule::Enum,
                severity: Severity::Error,
                value: t.to_string(),
                message: format!(
                    "{} is empty, but {} holds a value: say which kind it is, one of {values}",
                    self.name(type_col),
                    self.name(rp.value_col)
                ),
                suggestion: None,
                guess: None,
                related: Vec::new(),
            });
        }
        // The value is checked by its kind even when its type cannot be read.
        let (rule_field, subject) = match field {
            Some(f) => (f, Subject::Field(f)),
            None => (kind.fields()[0], Subject::PairValue(kind)),
        };
        self.check_cell(at, rp.value_col, rule_field, subject, v, out);
    }

    fn check_required<'a>(
        &self,
        line: u64,
        r: Required,
        col: usize,
        cell: &impl Fn(usize) -> &'a str,
        out: &mut RowsOut,
    ) {
        let filled = |c: usize| !normalise::is_blank(cell(c));
        let (ok, subject, what) = match r {
            Required::Field(f) => match self.columns.field_col(f) {
                Some(c) => (filled(c), Subject::Field(f), None),
                None => {
                    // Held by a pair: its type must select `f` and its value be filled.
                    let ok = self.columns.pairs.iter().any(|rp| {
                        let t = rp.type_col.map_or("", cell).trim();
                        let chosen = if t.is_empty() {
                            rp.pair.default_type
                        } else {
                            Some(t)
                        };
                        filled(rp.value_col)
                            && chosen.and_then(|t| rp.pair.kind.select(t)) == Some(f)
                    });
                    (ok, Subject::Field(f), Some(f.key().to_string()))
                }
            },
            Required::AnyPhone => (
                self.any_filled(TypedKind::Phone, &filled),
                Subject::PairValue(TypedKind::Phone),
                Some("a phone number".to_string()),
            ),
            Required::AnyEmail => (
                self.any_filled(TypedKind::Email, &filled),
                Subject::PairValue(TypedKind::Email),
                Some("an email".to_string()),
            ),
        };
        if ok {
            return;
        }
        let message = match what {
            None => format!("{} is required but empty", self.name(col)),
            Some(w) => format!(
                "{}: the mapping requires {w}, and this row has none",
                self.name(col)
            ),
        };
        out.violations.push(Violation {
            line,
            column: Some(col),
            subject,
            rule: Rule::Required,
            severity: Severity::Error,
            value: cell(col).to_string(),
            message,
            suggestion: None,
            guess: None,
            related: Vec::new(),
        });
    }

    fn any_filled(&self, kind: TypedKind, filled: &impl Fn(usize) -> bool) -> bool {
        kind.fields()
            .iter()
            .filter_map(|f| self.columns.field_col(*f))
            .chain(
                self.columns
                    .pairs
                    .iter()
                    .filter(|p| p.pair.kind == kind)
                    .map(|p| p.value_col),
            )
            .any(filled)
    }
}

#[cfg(test)]
#[path = "row_tests.rs"]
mod tests;
