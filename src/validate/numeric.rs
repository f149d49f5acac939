//! Phone numbers Google Sheets or Excel turned into numbers. Someone types
//! `+85291234567` into a cell formatted as *Automatic* (Sheets) or *General*
//! (Excel); the spreadsheet stores the number 85291234567 and the `+` is gone (a
//! leading 0 of a national number too). A `Table` read from a sheet or a workbook
//! lists such cells (`numeric_cells`); here they are recognised in phone columns,
//! read back as the number the person meant when that is certain, and worded for
//! the audit (a `phone_format` violation, with what to do in that spreadsheet)
//! and for sync and import (a note: the value is read as E.164 so the run does not
//! see a changed number, and the cell itself is left alone).

use super::rules::{Finding, Rule, Severity};
use crate::mapping::{Columns, Role, TypedKind};
use crate::model::Norm;
use crate::model::normalise::{self, Normaliser};
use crate::sources::Table;

pub use crate::sources::Spreadsheet;

/// How to make the program keep what is typed.
fn plain_text(app: Spreadsheet) -> &'static str {
    match app {
        Spreadsheet::GoogleSheets => {
            "Format the column as plain text (Format > Number > Plain text) so Sheets keeps what is typed"
        }
        Spreadsheet::Excel => {
            "Format the column as Text (Home > Number Format > Text) so Excel keeps what is typed"
        }
    }
}

/// The program's short name, and its name for a text column.
fn short_and_text(app: Spreadsheet) -> (&'static str, &'static str) {
    match app {
        Spreadsheet::GoogleSheets => ("Sheets", "plain text"),
        Spreadsheet::Excel => ("Excel", "Text"),
    }
}

/// A phone cell a spreadsheet holds as a number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumericPhone {
    /// Row index into the table, and column.
    pub row: usize,
    pub col: usize,
    /// The number as read (digits, no `+`).
    pub text: String,
    /// The E.164 number it stands for, when certain.
    pub meant: Option<String>,
}

/// Whether column `col` holds phone numbers: a field normalised as a phone (a phone,
/// a WhatsApp id), or the value column of a phone pair (whatever its type cell
/// says, its value is a phone number).
pub fn is_phone_column(columns: &Columns, col: usize) -> bool {
    match columns.role(col) {
        Some(Role::Field(f)) => f.kind().norm() == Norm::Phone,
        Some(Role::PairValue(p)) => columns.pairs[p].pair.kind == TypedKind::Phone,
        _ => false,
    }
}

/// The E.164 number a phone cell Sheets stored as `text` stands for: with the
/// mapping's default region, a valid national number of that region (Sheets drops
/// its leading 0 too, so that is tried as well); else `+` and the digits, when that
/// is a real number. `None` when neither is certain (or the cell is no integer).
pub fn meant(text: &str, n: &Normaliser) -> Option<String> {
    let digits = text.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if n.region().is_some() {
        let national = normalise::phone_e164(digits, n.region())
            .or_else(|| normalise::phone_e164(&format!("0{digits}"), n.region()));
        if national.is_some() {
            return national;
        }
    }
    let plus = format!("+{digits}");
    (normalise::is_e164_shape(&plus) && normalise::valid_e164(&plus)).then_some(plus)
}

/// The table's number cells that sit in phone columns, in table order.
pub fn numeric_phones(table: &Table, columns: &Columns, n: &Normaliser) -> Vec<NumericPhone> {
    table
        .numeric_cells
        .iter()
        .filter(|(_, c)| is_phone_column(columns, *c))
        .filter_map(|&(row, col)| {
            let text = table.rows.get(row)?.get(col)?.clone();
            Some(NumericPhone {
                row,
                col,
                meant: meant(&text, n),
                text,
            })
        })
        .collect()
}

/// The audit's finding for such a cell: always a `phone_format` error (CINNOX needs
/// the `+`), with the number it stands for as the fix when certain.
pub fn finding(meant: Option<&str>, app: Spreadsheet) -> Finding {
    let message = format!(
        "is stored by {} as a number, which dropped the leading + (and any leading 0){}. \
         {}, then type the number again with + and its country code",
        app.name(),
        if meant.is_some() {
            "; the suggestion is the number it stands for"
        } else {
            "; read with a + it is not a valid number either"
        },
        plain_text(app)
    );
    Finding {
        rule: Rule::PhoneFormat,
        severity: Severity::Error,
        message,
        suggestion: meant.map(str::to_string),
        guess: None,
    }
}

/// `restore_from` a Google Sheet.
pub fn restore(table: &mut Table, columns: &Columns, n: &Normaliser) -> Vec<String> {
    restore_from(table, columns, n, Spreadsheet::GoogleSheets)
}

/// Reads the table's numeric phone cells as the numbers they stand for, in place,
/// and returns one note per cell for the run's summary. Cells whose number is not
/// certain are left as read: the run then sees what the spreadsheet holds, and
/// reports it as invalid.
pub fn restore_from(
    table: &mut Table,
    columns: &Columns,
    n: &Normaliser,
    app: Spreadsheet,
) -> Vec<String> {
    let (short, text) = short_and_text(app);
    let mut notes = Vec::new();
    for p in numeric_phones(table, columns, n) {
        let line = table.row_numbers.get(p.row).copied().unwrap_or(p.row + 2);
        let header = table.header.get(p.col).cloned().unwrap_or_default();
        match &p.meant {
            Some(e164) => {
                notes.push(format!(
                    "line {line}, {header}: {short} holds {} as a number (the + dropped); read as \
                     {e164}. Format the column as {text} so {short} keeps the +",
                    p.text
                ));
                if let Some(cell) = table.rows.get_mut(p.row).and_then(|r| r.get_mut(p.col)) {
                    cell.clone_from(e164);
                }
            }
            None => notes.push(format!(
                "line {line}, {header}: {short} holds {} as a number, and it is not a valid \
                 phone number with a + either; format the column as {text} and type \
                 the number with + and its country code",
                p.text
            )),
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::Mapping;

    #[test]
    fn the_plus_comes_back_only_when_certain() {
        let none = Normaliser::new(None);
        assert_eq!(meant("85291234567", &none).as_deref(), Some("+85291234567"));
        assert_eq!(meant("12345", &none), None);
        assert_eq!(meant("8529123.5", &none), None);
        assert_eq!(meant("-85291234567", &none), None);
        let hk = Normaliser::with_region_code(Some("HK")).expect("HK");
        assert_eq!(meant("91234567", &hk).as_deref(), Some("+85291234567"));
        assert_eq!(meant("85291234567", &hk).as_deref(), Some("+85291234567"));
        let gb = Normaliser::with_region_code(Some("GB")).expect("GB");
        // 07400 123456 typed, Sheets kept 7400123456.
        assert_eq!(meant("7400123456", &gb).as_deref(), Some("+447400123456"));
    }

    #[test]
    fn only_phone_columns_are_restored_and_noted() {
        let m = Mapping::parse(
            "id_column = \"ID\"\n[columns]\n\"Name\" = \"firstName\"\n\"Mobile\" = \"mobilePhone\"\n\
             \"Zip\" = \"address.zipcode\"",
            "t",
        )
        .expect("mapping");
        let mut t = Table {
            header: vec!["Name".into(), "Mobile".into(), "Zip".into()],
            rows: vec![
                vec!["Ann".into(), "85291234567".into(), "12345".into()],
                vec!["Bob".into(), "123".into(), String::new()],
            ],
            row_numbers: vec![2, 4],
            numeric_cells: vec![(0, 1), (0, 2), (1, 1)],
            ..Table::default()
        };
        let cols = m.resolve(&t.header, "t").expect("columns");
        assert!(is_phone_column(&cols, 1) && !is_phone_column(&cols, 2));
        let notes = restore(&mut t, &cols, &m.normaliser);
        assert_eq!(t.rows[0], ["Ann", "+85291234567", "12345"]);
        assert_eq!(t.rows[1][1], "123");
        assert_eq!(notes.len(), 2);
        assert!(notes[0].starts_with("line 2, Mobile:"), "{}", notes[0]);
        assert!(notes[1].contains("not a valid"), "{}", notes[1]);
        let f = finding(Some("+85291234567"), Spreadsheet::GoogleSheets);
        assert_eq!(f.rule, Rule::PhoneFormat);
        assert!(f.message.contains("plain text") && f.message.contains("number"));
        let f = finding(None, Spreadsheet::Excel);
        assert!(
            f.message.starts_with("is stored by Excel")
                && f.message.contains("Number Format > Text"),
            "{}",
            f.message
        );
    }
}
