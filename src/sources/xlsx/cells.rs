//! Cells of an Excel sheet, as calamine reads them with their stored types, turned
//! into the text cells of a `Table`: numbers written out in full (a phone stored as
//! the number 85291234567 comes back digit for digit, and is recorded as a number
//! cell so the audit can say the `+` was dropped), dates as dd/mm/yyyy (the day
//! Excel stored, whatever the cell's display format), errors as Excel shows them.

use crate::sources::Table;
use calamine::{Data, Range};

/// The text of one cell, and whether Excel holds it as a number.
pub fn cell_text(d: &Data) -> (String, bool) {
    match d {
        Data::Empty => (String::new(), false),
        Data::String(s) => (s.clone(), false),
        Data::Int(i) => (i.to_string(), true),
        // Rust prints an f64 in its shortest exact form and never with an exponent:
        // 85291234567.0 prints as 85291234567.
        Data::Float(f) => (f.to_string(), true),
        Data::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).to_string(), false),
        Data::DateTime(dt) if dt.is_duration() => (dt.as_f64().to_string(), true),
        Data::DateTime(dt) => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            let text = if (hh, mm, ss) == (0, 0, 0) {
                format!("{d:02}/{m:02}/{y:04}")
            } else {
                format!("{d:02}/{m:02}/{y:04} {hh:02}:{mm:02}:{ss:02}")
            };
            (text, false)
        }
        Data::DateTimeIso(s) => (iso_date(s).unwrap_or_else(|| s.clone()), false),
        Data::DurationIso(s) => (s.clone(), false),
        Data::Error(e) => (e.to_string(), false),
    }
}

/// `1988-03-12` or `1988-03-12T00:00:00` as `12/03/1988`.
fn iso_date(s: &str) -> Option<String> {
    let day = s.strip_suffix("T00:00:00").unwrap_or(s);
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .ok()
        .map(|d| d.format("%d/%m/%Y").to_string())
}

/// Builds the `Table` of a sheet from its used range: the first row with a value
/// is the header, blank rows are skipped (their numbers kept), and each row's
/// number is the sheet's row number, as Excel shows it. `None`: the sheet is empty.
pub fn range_to_table(range: &Range<Data>) -> Option<Table> {
    let (start_row, _) = range.start()?;
    let mut rows = range
        .rows()
        .enumerate()
        .filter(|(_, r)| r.iter().any(|d| !is_blank(d)));
    let (_, header_cells) = rows.next()?;
    let width = range.width();
    let mut header: Vec<String> = header_cells.iter().map(|d| cell_text(d).0).collect();
    header.resize(width, String::new());
    let mut table = Table {
        header,
        ..Table::default()
    };
    for (i, raw) in rows {
        let index = table.rows.len();
        let mut cells = Vec::with_capacity(width);
        for (c, d) in raw.iter().enumerate() {
            let (text, numeric) = cell_text(d);
            if numeric {
                table.numeric_cells.push((index, c));
            }
            cells.push(text);
        }
        cells.resize(width, String::new());
        table.rows.push(cells);
        table.row_numbers.push(start_row as usize + i + 1);
    }
    Some(table)
}

fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn cells_read_as_excel_stored_them() {
        assert_eq!(
            cell_text(&Data::Float(85291234567.0)),
            ("85291234567".into(), true)
        );
        assert_eq!(cell_text(&Data::Int(42)), ("42".into(), true));
        assert_eq!(cell_text(&Data::Float(12.5)), ("12.5".into(), true));
        assert_eq!(
            cell_text(&Data::String("+85291234567".into())),
            ("+85291234567".into(), false)
        );
        let date = ExcelDateTime::new(32214.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(
            cell_text(&Data::DateTime(date)),
            ("12/03/1988".into(), false)
        );
        let noon = ExcelDateTime::new(32214.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(noon)).0, "12/03/1988 12:00:00");
        assert_eq!(
            cell_text(&Data::DateTimeIso("1988-03-12".into())).0,
            "12/03/1988"
        );
        assert_eq!(
            cell_text(&Data::Error(calamine::CellErrorType::NA)).0,
            "#N/A"
        );
        assert_eq!(cell_text(&Data::Bool(true)).0, "TRUE");
    }

    #[test]
    fn the_first_row_with_a_value_is_the_header_and_rows_keep_sheet_numbers() {
        // Used range from row 3 (0-based 2): header on sheet row 3, a blank row 5.
        let mut r: Range<Data> = Range::new((2, 0), (5, 1));
        r.set_value((2, 0), Data::String("Name".into()));
        r.set_value((2, 1), Data::String("Mobile".into()));
        r.set_value((3, 0), Data::String("Ann".into()));
        r.set_value((3, 1), Data::Float(85291234567.0));
        r.set_value((5, 0), Data::String("Bob".into()));
        let t = range_to_table(&r).unwrap();
        assert_eq!(t.header, ["Name", "Mobile"]);
        assert_eq!(t.rows, [["Ann", "85291234567"], ["Bob", ""]]);
        assert_eq!(t.row_numbers, [4, 6]);
        assert_eq!(t.numeric_cells, [(0, 1)]);
        assert!(range_to_table(&Range::<Data>::empty()).is_none());
    }
}
