//! What an audit finds: one `Violation` per broken rule per cell (or per row, for
//! structure), and the `AuditReport` that holds them all with the counts every
//! report format shows. Plain data; the writers live in `report`.

use super::rules::{Rule, Severity};
use crate::mapping::TypedKind;
use crate::model::FieldId;

/// What a violation is about, printed as the report's `field`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    /// A CINNOX field (a value column of a typed pair reports the field its type
    /// selects, e.g. `workPhone`).
    Field(FieldId),
    /// The type column of a typed pair (`phoneType`...).
    PairType(TypedKind),
    /// The value column of a pair whose type cannot be read (`phone`...).
    PairValue(TypedKind),
    /// The id column.
    Id,
    /// The row as a whole (structure).
    Row,
}

impl Subject {
    /// The field id printed in reports.
    pub fn key(self) -> &'static str {
        match self {
            Subject::Field(f) => f.key(),
            Subject::PairType(k) => k.type_field_key(),
            Subject::PairValue(k) => k.value_field_key(),
            Subject::Id => "id",
            Subject::Row => "",
        }
    }
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The line of the record in the file; the header is line 1.
    pub line: u64,
    /// The column, as an index into the header; `None` for a whole row.
    pub column: Option<usize>,
    pub subject: Subject,
    pub rule: Rule,
    pub severity: Severity,
    /// The cell as written.
    pub value: String,
    /// A whole sentence: what is wrong and, where it helps, how to fix it.
    pub message: String,
    /// The fixed value, when one is certain.
    pub suggestion: Option<String>,
    /// The value it most likely should be, when that is not certain; the message
    /// says why (a day and month that could be either way round).
    pub guess: Option<String>,
}

/// Everything one audit found, in line order.
#[derive(Clone, Debug, Default)]
pub struct AuditReport {
    /// The file as named on the command line (`sheet ID/TAB` for a sheet).
    pub file: String,
    /// How to name the list to `cinnox-sync audit` again, for hints (`--sheet
    /// ID/TAB`); `None`: the file, as `file` says.
    pub list_arg: Option<String>,
    /// Data rows read (the header excluded, blank rows included).
    pub rows: u64,
    /// Rows whose cells are all empty: skipped, like blank lines.
    pub blank_rows: u64,
    /// The header as written in the file.
    pub header: Vec<String>,
    /// Columns the mapping does not name: kept, not checked.
    pub ignored: Vec<String>,
    /// Columns the mapping names that the list does not have (as the mapping
    /// writes them): nothing to check there.
    pub absent: Vec<String>,
    /// The mapping's name.
    pub mapping: String,
    pub encoding: String,
    pub violations: Vec<Violation>,
}

impl AuditReport {
    /// The header of the violation's column as written in the file, or `""`.
    pub fn column_name(&self, v: &Violation) -> &str {
        v.column
            .and_then(|c| self.header.get(c))
            .map_or("", String::as_str)
    }

    pub fn errors(&self) -> usize {
        self.violations
            .iter()
            .filter(|v| v.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.violations.len() - self.errors()
    }

    /// How many violations each rule has, for every rule (zeros included), in the
    /// order of `Rule::ALL`.
    pub fn by_rule(&self) -> Vec<(Rule, usize)> {
        let mut counts = [0usize; Rule::ALL.len()];
        for v in &self.violations {
            counts[rule_index(v.rule)] += 1;
        }
        Rule::ALL.iter().copied().zip(counts).collect()
    }

    /// How many violations each column has, most first (ties in header order);
    /// whole-row violations are counted under `(row)`.
    pub fn by_column(&self) -> Vec<(String, usize)> {
        let mut counts = vec![0usize; self.header.len() + 1];
        for v in &self.violations {
            counts[v
                .column
                .map_or(self.header.len(), |c| c.min(self.header.len()))] += 1;
        }
        let mut out: Vec<(String, usize)> = counts
            .into_iter()
            .enumerate()
            .filter(|(_, n)| *n > 0)
            .map(|(i, n)| {
                let name = self
                    .header
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| "(row)".into());
                (name, n)
            })
            .collect();
        out.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        out
    }
}

/// The position of `rule` in `Rule::ALL`.
pub fn rule_index(rule: Rule) -> usize {
    Rule::ALL.iter().position(|r| *r == rule).unwrap_or(0)
}
