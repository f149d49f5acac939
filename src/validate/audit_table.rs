//! The audit of a list already in memory as a `Table`: a tab of a Google Sheet,
//! read in one request, or a sheet of an Excel workbook. The same checks as the streaming CSV audit (`RowChecker`,
//! the duplicate index, the same report), with line numbers being the sheet's row
//! numbers. A table has no structure problems (a store pads its rows), but a
//! spreadsheet has one of its own: phone numbers it turned into numbers, reported
//! as `phone_format` with what to do about it in that program (`numeric`).

use super::audit::{AuditError, resolve};
use super::duplicates::DuplicateIndex;
use super::numeric::{self, Spreadsheet};
use super::row::{RowChecker, RowsOut};
use super::rules::{Controls, Rule};
use super::violation::{AuditReport, Subject, Violation};
use crate::mapping::{Columns, Mapping, PairSlot, Role, TypedKind};
use crate::sources::Table;
use std::borrow::Cow;

/// Audits `table` against `mapping`. `what` names the list in the report (e.g.
/// `sheet ID/TAB`), `app` the program that stored it (its name is shown where a
/// CSV report shows the encoding, and its advice given for number cells).
pub fn audit_table(
    table: &Table,
    what: &str,
    app: Spreadsheet,
    mapping: &Mapping,
) -> Result<AuditReport, AuditError> {
    let columns = resolve(mapping, &table.header, what)?;
    let ignored = columns
        .ignored
        .iter()
        .filter(|(_, h)| !h.trim().is_empty())
        .map(|(_, h)| h.clone())
        .collect();
    let absent = columns.absent.iter().map(|a| a.header.clone()).collect();
    let checker = RowChecker::new(mapping, columns.clone(), &table.header, what)
        .map_err(AuditError::Unusable)?;
    let numbers = numeric::numeric_phones(table, &columns, &mapping.normaliser);
    let mut out = RowsOut::default();
    let mut next = numbers.iter().peekable();
    for (r, row) in table.rows.iter().enumerate() {
        let line = table.row_numbers.get(r).copied().unwrap_or(r + 2) as u64;
        let mut mine = Vec::new();
        while let Some(p) = next.next_if(|p| p.row == r) {
            mine.push(p);
        }
        // A number that certainly stands for a phone is checked as that phone (so
        // it finds its duplicates); its only violation is the one said below.
        let mut cells: Vec<Cow<'_, str>> = row.iter().map(|c| Cow::Borrowed(c.as_str())).collect();
        for p in &mine {
            if let (Some(m), Some(cell)) = (&p.meant, cells.get_mut(p.col)) {
                *cell = Cow::Owned(m.clone());
            }
        }
        let first = out.violations.len();
        checker.check(line, &cells, Controls::Look, &mut out);
        if mine.is_empty() {
            continue;
        }
        let kept: Vec<Violation> = out
            .violations
            .drain(first..)
            .filter(|v| {
                !(mine.iter().any(|p| Some(p.col) == v.column)
                    && matches!(v.rule, Rule::PhoneFormat | Rule::PhoneInvalid))
            })
            .collect();
        out.violations.extend(kept);
        for p in &mine {
            let f = numeric::finding(p.meant.as_deref(), app);
            let header = table.header.get(p.col).map_or("", String::as_str);
            out.violations.push(Violation {
                line,
                column: Some(p.col),
                subject: subject(&columns, p.col, row),
                rule: f.rule,
                severity: f.severity,
                value: p.text.clone(),
                message: format!("{header} {}", f.message),
                suggestion: f.suggestion,
                guess: f.guess,
                related: Vec::new(),
            });
        }
        out.violations[first..].sort_by_key(|v| v.column);
    }
    let mut report = AuditReport {
        file: what.to_string(),
        header: table.header.clone(),
        ignored,
        absent,
        mapping: mapping.name.clone(),
        encoding: app.name().to_string(),
        rows: table.rows.len() as u64,
        blank_rows: out.blank,
        violations: out.violations,
        ..AuditReport::default()
    };
    let mut index = DuplicateIndex::default();
    index.add(out.keys);
    report.violations.extend(index.finish(&report.header));
    report.violations.sort_by_key(|v| v.line);
    Ok(report)
}

/// What a phone cell reports as its field: the column's field, or for a pair the
/// field its type selects (as the row checks report it).
fn subject(columns: &Columns, col: usize, row: &[String]) -> Subject {
    match columns.role(col) {
        Some(Role::Field(f)) => Subject::Field(f),
        Some(Role::PairValue(p)) => match columns.pair_slot(p, row) {
            PairSlot::Field(f) => Subject::Field(f),
            _ => Subject::PairValue(TypedKind::Phone),
        },
        _ => Subject::PairValue(TypedKind::Phone),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping() -> Mapping {
        Mapping::parse(
            "id_column = \"CINNOX ID\"\n[columns]\n\"Name\" = \"firstName\"\n\
             \"Mobile\" = \"mobilePhone\"\n\"Work\" = \"workPhone\"",
            "test",
        )
        .expect("mapping")
    }

    #[test]
    fn numbers_in_phone_columns_are_reported_once_with_sheet_rows() {
        let t = Table {
            header: vec!["Name".into(), "Mobile".into(), "Work".into(), String::new()],
            rows: vec![
                vec![
                    "Ann".into(),
                    "85291234567".into(),
                    String::new(),
                    "x".into(),
                ],
                vec![
                    "Bob".into(),
                    "123".into(),
                    "+85291234567".into(),
                    String::new(),
                ],
            ],
            row_numbers: vec![3, 5],
            numeric_cells: vec![(0, 1), (1, 1)],
            ..Table::default()
        };
        let r = audit_table(&t, "sheet B/T", Spreadsheet::GoogleSheets, &mapping()).expect("audit");
        assert!(r.ignored.is_empty(), "unnamed columns are not listed");
        let got: Vec<(u64, &str, Option<&str>)> = r
            .violations
            .iter()
            .map(|v| (v.line, v.rule.code(), v.suggestion.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, "phone_format", Some("+85291234567")),
                (3, "duplicate", None),
                (5, "phone_format", None),
                (5, "duplicate", None),
            ]
        );
        assert!(
            r.violations[0]
                .message
                .starts_with("Mobile is stored by Google Sheets")
        );
        assert_eq!(r.violations[0].value, "85291234567");
        assert_eq!(r.rows, 2);
    }

    #[test]
    fn a_missing_mapped_column_is_listed_and_a_missing_required_one_refused() {
        let t = Table {
            header: vec!["Name".into(), "Mobile".into()],
            ..Table::default()
        };
        let r = audit_table(&t, "sheet B/T", Spreadsheet::Excel, &mapping()).expect("audit");
        assert_eq!(r.absent, ["Work"]);
        assert_eq!(r.encoding, "Excel");
        let m = Mapping::parse(
            "required = [\"lastName\"]\n[columns]\n\"Name\" = \"firstName\"\n\"Surname\" = \"lastName\"",
            "m.toml",
        )
        .expect("mapping");
        let e = audit_table(&t, "sheet B/T", Spreadsheet::Excel, &m).expect_err("required");
        assert!(e.to_string().contains("`Surname`"), "{e}");
    }
}
