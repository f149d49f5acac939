//! Cell values as Sheets sends them (JSON, read with `UNFORMATTED_VALUE` so a number
//! stays a number) turned into the text cells a `Table` holds, and the whole-tab
//! grid turned into a `Table`: rows above the header ignored, blank rows skipped
//! (their numbers kept), ragged rows padded, number cells recorded.

use crate::sources::Table;
use serde_json::Value;

/// The text of one cell, and whether Sheets held it as a number.
///
/// Numbers are written out in full, the way a person would type them: integers
/// without `.0`, large ones exactly and without an exponent (a phone number such as
/// 85291234567 must come back digit for digit). Booleans read as Sheets shows them.
pub fn cell_text(v: &Value) -> (String, bool) {
    match v {
        Value::String(s) => (s.clone(), false),
        Value::Number(n) => (number_text(n), true),
        Value::Bool(b) => ((if *b { "TRUE" } else { "FALSE" }).to_string(), false),
        Value::Null => (String::new(), false),
        // Sheets never sends these in a values grid; keep them visible, not lost.
        Value::Array(_) | Value::Object(_) => (v.to_string(), false),
    }
}

fn number_text(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_u64() {
        return i.to_string();
    }
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    // Rust prints an f64 in its shortest exact form and never with an exponent:
    // 8.5291234567e10 prints as 85291234567 and 12.0 as 12.
    n.as_f64().map(|f| f.to_string()).unwrap_or_default()
}

/// Where a grid read from a tab starts on the sheet.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Sheet row (1-based) of `grid[0]`.
    pub row: usize,
    /// Sheet column (0-based) of `grid[_][0]`.
    pub col: usize,
}

/// Builds the `Table` of a tab from its grid. `header_row` is the 1-based sheet row
/// of the header. Returns `None` when the tab has no cells on the header row.
///
/// Cells right of the last header cell are kept as columns with an empty name: the
/// mapping ignores them and a write never touches them, but the table stays
/// rectangular as the `Table` contract asks.
pub fn grid_to_table(grid: &[Vec<Value>], origin: Origin, header_row: usize) -> Option<Table> {
    let header_at = header_row.checked_sub(origin.row)?;
    let header_cells = grid.get(header_at)?;
    let mut header: Vec<String> = header_cells.iter().map(|v| cell_text(v).0).collect();
    if header.iter().all(|h| h.trim().is_empty()) {
        return None;
    }
    let body = &grid[header_at + 1..];
    let width = body
        .iter()
        .map(|r| last_filled(r).map_or(0, |i| i + 1))
        .chain([header.len()])
        .max()
        .unwrap_or(0);
    header.resize(width, String::new());
    let mut table = Table {
        header,
        ..Table::default()
    };
    for (i, raw) in body.iter().enumerate() {
        if last_filled(raw).is_none() {
            continue;
        }
        let index = table.rows.len();
        let mut cells = Vec::with_capacity(width);
        for (c, v) in raw.iter().enumerate() {
            let (text, numeric) = cell_text(v);
            if numeric {
                table.numeric_cells.push((index, c));
            }
            cells.push(text);
        }
        cells.resize(width, String::new());
        table.rows.push(cells);
        table.row_numbers.push(header_row + 1 + i);
    }
    Some(table)
}

/// The index of the last cell that is not empty text.
fn last_filled(row: &[Value]) -> Option<usize> {
    row.iter().rposition(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(
            cell_text(&json!(85291234567u64)),
            ("85291234567".into(), true)
        );
        assert_eq!(
            cell_text(&json!(85291234567.0)),
            ("85291234567".into(), true)
        );
        assert_eq!(
            cell_text(&json!(1e21)),
            ("1000000000000000000000".into(), true)
        );
        assert_eq!(cell_text(&json!(12.5)), ("12.5".into(), true));
        assert_eq!(cell_text(&json!(-3)), ("-3".into(), true));
        assert_eq!(cell_text(&json!(true)), ("TRUE".into(), false));
        assert_eq!(cell_text(&json!("+852")), ("+852".into(), false));
    }

    #[test]
    fn header_below_notes_blank_rows_skipped_ragged_rows_padded() {
        let grid = vec![
            vec![json!("Contacts, kept by Ann")],
            vec![],
            vec![json!("Name"), json!("Phone")],
            vec![json!("Ann"), json!(85291234567u64)],
            vec![],
            vec![json!("Bob")],
            vec![json!(""), json!(""), json!("note")],
        ];
        let t = grid_to_table(&grid, Origin { row: 1, col: 0 }, 3).expect("header");
        assert_eq!(t.header, vec!["Name", "Phone", ""]);
        assert_eq!(
            t.rows,
            vec![
                vec!["Ann", "85291234567", ""],
                vec!["Bob", "", ""],
                vec!["", "", "note"]
            ]
        );
        assert_eq!(t.row_numbers, vec![4, 6, 7]);
        assert_eq!(t.numeric_cells, vec![(0, 1)]);
    }

    #[test]
    fn no_header_row_is_none() {
        assert!(grid_to_table(&[], Origin { row: 1, col: 0 }, 1).is_none());
        let grid = vec![vec![json!("x")], vec![json!("")]];
        assert!(grid_to_table(&grid, Origin { row: 1, col: 0 }, 2).is_none());
        assert!(grid_to_table(&grid, Origin { row: 3, col: 0 }, 1).is_none());
    }
}
