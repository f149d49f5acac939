//! What an audit finds: one `Violation` per broken rule per cell (or per row, for
//! structure), and the `AuditReport` that holds them all with the counts every
//! report format shows. Plain data; the writers live in `report`.
//!
//! An audit reads either a list, whose rows are placed by line and whose columns
//! are its header, or the contacts stored in CINNOX, whose rows are contacts (id,
//! full name, owner) and whose columns are CINNOX fields. `AuditReport::place`
//! says which, so that one set of writers serves both.

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
    /// The CINNOX contacts the finding points at, by id: the contact a row would
    /// duplicate or the ones it matches ambiguously; for a duplicate inside
    /// CINNOX, the contact to merge into. Empty for most findings.
    pub related: Vec<String>,
}

/// What an audit read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Audited {
    /// A list (a file or a sheet tab): violations are placed by line.
    #[default]
    List,
    /// A list whose rows were also checked against the contacts CINNOX holds.
    ListAgainstCinnox(Against),
    /// The contacts stored in CINNOX: violations are placed by contact, in
    /// `AuditReport::contacts`.
    Cinnox,
}

/// What checking a list against CINNOX found besides its violations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Against {
    /// Contacts CINNOX listed.
    pub contacts: usize,
    /// Rows that name a contact CINNOX holds, by id or by one match: an import
    /// updates them.
    pub matched: usize,
    /// Rows that match no contact: an import creates them.
    pub new: usize,
}

/// A contact as a person recognises it in a report about CINNOX.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactRef {
    pub id: String,
    /// `First Last`, or `""`.
    pub name: String,
    /// The owner's name (else the owner id), or `""`.
    pub owner: String,
}

impl ContactRef {
    pub fn of(c: &crate::model::Contact) -> ContactRef {
        let owner = match c.values.get(FieldId::OwnerName) {
            "" => c.values.get(FieldId::OwnerId),
            name => name,
        };
        ContactRef {
            id: c.id.clone(),
            name: c.full_name(),
            owner: owner.to_string(),
        }
    }

    /// `1a2b3c (Ann Lee, owner Ada Wong)`, for messages.
    pub fn describe(&self) -> String {
        let name = if self.name.is_empty() {
            "no name"
        } else {
            &self.name
        };
        if self.owner.is_empty() {
            format!("{} ({name})", self.id)
        } else {
            format!("{} ({name}, owner {})", self.id, self.owner)
        }
    }
}

/// Where a violation is, as the writers show it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Place<'a> {
    /// A line of a file (a row of a sheet).
    Line(u64),
    /// A contact stored in CINNOX.
    Contact(&'a ContactRef),
}

/// A group of contacts stored in CINNOX that are one person: which to keep, why,
/// and which to merge into it (in the CINNOX dashboard; the API cannot merge).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeSuggestion {
    /// The contact to keep, as an index into `AuditReport::contacts`.
    pub keep: usize,
    /// The contacts to merge into it, in listing order (indices, as `keep`).
    pub absorb: Vec<usize>,
    /// Why this one is kept, in a sentence.
    pub why: String,
    /// What the contacts share: `(what, value, contacts holding it)`, e.g.
    /// `("email", "ann@example.com", [0, 3])`.
    pub shared: Vec<(String, String, Vec<usize>)>,
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
    /// A list, a list checked against CINNOX, or CINNOX itself.
    pub audited: Audited,
    /// For an audit of CINNOX: the contacts that violations name, in listing
    /// order; a violation's `line` is its contact's position here, from 1.
    pub contacts: Vec<ContactRef>,
    /// For an audit of CINNOX: the duplicate groups, as merge suggestions.
    pub merges: Vec<MergeSuggestion>,
    /// When the report was made (RFC 3339), for the pages that show it.
    pub generated_at: Option<String>,
}

impl AuditReport {
    /// Where `v` is: its line, or the contact it is about.
    pub fn place(&self, v: &Violation) -> Place<'_> {
        match self.audited {
            Audited::Cinnox => {
                let i = usize::try_from(v.line).unwrap_or(0).saturating_sub(1);
                match self.contacts.get(i) {
                    Some(c) => Place::Contact(c),
                    None => Place::Line(v.line),
                }
            }
            _ => Place::Line(v.line),
        }
    }

    /// Whether the rows of this report are contacts stored in CINNOX.
    pub fn of_cinnox(&self) -> bool {
        self.audited == Audited::Cinnox
    }

    /// Whether the report holds findings that point at CINNOX contacts (and so
    /// has a place for `related`).
    pub fn involves_cinnox(&self) -> bool {
        self.audited != Audited::List
    }

    /// The rules this kind of audit applies, in report order: the counts of every
    /// report cover exactly these.
    pub fn rules(&self) -> &'static [Rule] {
        match self.audited {
            Audited::List => &Rule::LIST,
            Audited::ListAgainstCinnox(_) => &Rule::ALL,
            Audited::Cinnox => &Rule::CINNOX,
        }
    }

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

    /// How many violations each rule of this kind of audit has (zeros included),
    /// in the order of `rules()`.
    pub fn by_rule(&self) -> Vec<(Rule, usize)> {
        let mut counts = [0usize; Rule::ALL.len()];
        for v in &self.violations {
            counts[rule_index(v.rule)] += 1;
        }
        self.rules()
            .iter()
            .map(|r| (*r, counts[rule_index(*r)]))
            .collect()
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
