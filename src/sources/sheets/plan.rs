//! Turning a run's `Edit`s into the few Sheets requests that carry them out, with
//! no IO: every cell change (and the header cell of each added column) as one
//! `ValueRange` per run of adjacent cells in a row, all new rows for one append,
//! and removed rows as `deleteDimension` ranges, bottom-up. The meaning of the
//! edits is `sources::apply_edits`: out-of-range cells are dropped, a cell set in a
//! removed row is not written, appended rows are cut or padded to the new width.

use super::range;
use crate::sources::{Edit, Table};
use std::collections::BTreeMap;

/// A run of adjacent cells in one row, written by one `ValueRange`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellRun {
    /// Sheet row (1-based) the run is on.
    pub row: usize,
    /// A1 range, not yet percent-encoded (it goes in a JSON body, not a URL).
    pub range: String,
    pub values: Vec<String>,
}

/// Everything one `write` sends.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WritePlan {
    pub runs: Vec<CellRun>,
    /// Data cells set (header cells of new columns not counted).
    pub cells: usize,
    /// Columns the grid must have (from column A) for the new header cells.
    pub width_needed: usize,
    pub new_columns: usize,
    pub appended: Vec<Vec<String>>,
    /// 0-based, end-exclusive sheet row ranges to delete, lowest last.
    pub removals: Vec<(usize, usize)>,
    pub rows_removed: usize,
}

impl WritePlan {
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty() && self.appended.is_empty() && self.removals.is_empty()
    }
}

/// Where the table sits on the sheet.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Placement<'a> {
    pub tab: &'a str,
    pub header_row: usize,
    /// Sheet column (0-based) of the table's first column.
    pub first_col: usize,
}

/// Plans the requests for `edits` against `table` as read.
pub fn plan(table: &Table, edits: &[Edit], at: Placement<'_>) -> WritePlan {
    let mut out = WritePlan::default();
    let mut width = table.header.len();
    let mut removed = vec![false; table.rows.len()];
    // sheet row -> table column -> text; later edits of a cell win.
    let mut cells: BTreeMap<usize, BTreeMap<usize, String>> = BTreeMap::new();
    for e in edits {
        match e {
            Edit::AddColumn { name } => {
                cells
                    .entry(at.header_row)
                    .or_default()
                    .insert(width, name.clone());
                width += 1;
                out.new_columns += 1;
            }
            Edit::Remove { row } => {
                if let Some(r) = removed.get_mut(*row) {
                    *r = true;
                }
            }
            _ => {}
        }
    }
    let mut set_cells = 0;
    for e in edits {
        match e {
            Edit::Set { row, col, value }
                if *col < width && !removed.get(*row).copied().unwrap_or(true) =>
            {
                if let Some(&n) = table.row_numbers.get(*row)
                    && cells
                        .entry(n)
                        .or_default()
                        .insert(*col, value.clone())
                        .is_none()
                {
                    set_cells += 1;
                }
            }
            Edit::Append { cells } => {
                let mut r = cells.clone();
                r.resize(width, String::new());
                out.appended.push(r);
            }
            _ => {}
        }
    }
    out.cells = set_cells;
    out.width_needed = at.first_col + width;
    for (row, cols) in cells {
        let mut current: Option<(usize, usize, Vec<String>)> = None;
        for (col, value) in cols {
            match &mut current {
                Some((_, last, values)) if *last + 1 == col => {
                    *last = col;
                    values.push(value);
                }
                _ => {
                    if let Some(run) = current.take() {
                        out.runs.push(run_of(at, row, run));
                    }
                    current = Some((col, col, vec![value]));
                }
            }
        }
        if let Some(run) = current {
            out.runs.push(run_of(at, row, run));
        }
    }
    let mut gone: Vec<usize> = removed
        .iter()
        .zip(&table.row_numbers)
        .filter(|(r, _)| **r)
        .map(|(_, n)| *n - 1)
        .collect();
    gone.sort_unstable();
    gone.dedup();
    out.rows_removed = gone.len();
    for i in gone.into_iter().rev() {
        match out.removals.last_mut() {
            Some((start, _)) if *start == i + 1 => *start = i,
            _ => out.removals.push((i, i + 1)),
        }
    }
    out
}

fn run_of(
    at: Placement<'_>,
    row: usize,
    (first, last, values): (usize, usize, Vec<String>),
) -> CellRun {
    CellRun {
        row,
        range: range::row_span(at.tab, row, at.first_col + first, at.first_col + last),
        values,
    }
}

/// Splits items into consecutive groups whose estimated JSON size stays under
/// `limit` bytes; an item larger than the limit goes alone.
pub fn chunks<T>(items: &[T], limit: usize, size: impl Fn(&T) -> usize) -> Vec<&[T]> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        let s = size(item) + 1;
        if i > start && bytes + s > limit {
            out.push(&items[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += s;
    }
    if start < items.len() {
        out.push(&items[start..]);
    }
    out
}

/// The JSON size of a cell run in a `values.batchUpdate` body, closely enough.
pub fn run_size(run: &CellRun) -> usize {
    40 + run.range.len() + run.values.iter().map(|v| v.len() + 8).sum::<usize>()
}

/// The JSON size of one appended row.
pub fn row_size(row: &[String]) -> usize {
    4 + row.iter().map(|v| v.len() + 8).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            header: vec!["Name".into(), "Phone".into(), "Email".into()],
            rows: (0..4)
                .map(|i| vec![format!("n{i}"), String::new(), String::new()])
                .collect(),
            row_numbers: vec![4, 5, 7, 8],
            ..Table::default()
        }
    }

    const AT: Placement<'static> = Placement {
        tab: "T",
        header_row: 3,
        first_col: 0,
    };

    fn set(row: usize, col: usize, v: &str) -> Edit {
        Edit::Set {
            row,
            col,
            value: v.into(),
        }
    }

    #[test]
    fn adjacent_cells_share_a_range_and_rows_use_sheet_numbers() {
        let p = plan(
            &table(),
            &[
                set(0, 1, "a"),
                set(0, 2, "b"),
                set(2, 0, "c"),
                set(2, 2, "d"),
            ],
            AT,
        );
        let ranges: Vec<_> = p.runs.iter().map(|r| r.range.as_str()).collect();
        assert_eq!(ranges, ["'T'!B4:C4", "'T'!A7", "'T'!C7"]);
        assert_eq!(p.runs[0].values, ["a", "b"]);
        assert_eq!(p.cells, 4);
    }

    #[test]
    fn new_columns_write_their_header_and_may_be_set() {
        let p = plan(
            &table(),
            &[
                Edit::AddColumn {
                    name: "CINNOX ID".into(),
                },
                set(1, 3, "c-1"),
                set(1, 4, "dropped"),
            ],
            AT,
        );
        let ranges: Vec<_> = p.runs.iter().map(|r| r.range.as_str()).collect();
        assert_eq!(ranges, ["'T'!D3", "'T'!D5"]);
        assert_eq!((p.width_needed, p.new_columns, p.cells), (4, 1, 1));
    }

    #[test]
    fn removals_merge_bottom_up_and_skip_their_sets() {
        let t = table();
        let edits = [
            Edit::Remove { row: 0 },
            Edit::Remove { row: 1 },
            Edit::Remove { row: 3 },
            set(1, 0, "x"),
        ];
        let p = plan(&t, &edits, AT);
        assert_eq!(p.removals, vec![(7, 8), (3, 5)]);
        assert_eq!(p.rows_removed, 3);
        assert!(p.runs.is_empty());
    }

    #[test]
    fn appended_rows_fit_the_width_and_no_edits_plan_nothing() {
        let p = plan(
            &table(),
            &[Edit::Append {
                cells: vec!["a".into()],
            }],
            AT,
        );
        assert_eq!(p.appended, vec![vec!["a", "", ""]]);
        assert!(plan(&table(), &[], AT).is_empty());
    }

    #[test]
    fn chunks_respect_the_limit() {
        let items = [5usize, 5, 5, 20, 1];
        let got: Vec<Vec<usize>> = chunks(&items, 12, |s| *s)
            .into_iter()
            .map(<[usize]>::to_vec)
            .collect();
        assert_eq!(got, vec![vec![5, 5], vec![5], vec![20], vec![1]]);
    }
}
