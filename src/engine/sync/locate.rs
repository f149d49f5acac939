//! Where a plan lands in the list as read now: its columns found by header (a saved
//! plan survives columns being moved), and its rows by id or by a fingerprint of
//! their cells. Pure: `apply` reads the list and hands it here.

use super::rows::fingerprint;
use crate::sources::{Table, header_key};
use std::collections::HashMap;

/// The list's columns as this run writes them: its header plus the plan's added
/// columns it still lacks; columns are found by header, so a saved plan survives
/// columns being moved.
pub struct Grid {
    header: Vec<String>,
    pub missing: Vec<String>,
    pub id_col: Option<usize>,
    pub status_col: Option<usize>,
}

impl Grid {
    pub fn new(
        table: &Table,
        add: &[String],
        id_column: &str,
        status_column: Option<&str>,
    ) -> Grid {
        let mut header = table.header.clone();
        let missing: Vec<String> = add
            .iter()
            .filter(|a| table.column(a).is_none())
            .cloned()
            .collect();
        header.extend(missing.iter().cloned());
        let find = |h: &[String], name: &str| {
            let k = header_key(name);
            h.iter().position(|x| header_key(x) == k)
        };
        Grid {
            id_col: find(&header, id_column),
            status_col: status_column.and_then(|s| find(&header, s)),
            header,
            missing,
        }
    }

    pub fn col(&self, name: &str) -> Option<usize> {
        let k = header_key(name);
        self.header.iter().position(|h| header_key(h) == k)
    }

    /// A row laid out for `from` (the plan's header), laid out for this header.
    pub fn remap(&self, from: &[String], cells: &[String]) -> Vec<String> {
        if from == self.header.as_slice() {
            return cells.to_vec();
        }
        self.header
            .iter()
            .map(|h| {
                let k = header_key(h);
                from.iter()
                    .position(|f| header_key(f) == k)
                    .and_then(|i| cells.get(i).cloned())
                    .unwrap_or_default()
            })
            .collect()
    }
}

/// Finds the rows a plan refers to in the list as read now.
pub struct RowIndex<'a> {
    table: &'a Table,
    /// Rows by id cell; several when rows share an id (each is told by its cells).
    by_id: HashMap<&'a str, Vec<usize>>,
    by_fp: Option<HashMap<String, Vec<usize>>>,
}

impl<'a> RowIndex<'a> {
    pub fn new(table: &'a Table, id_col: Option<usize>) -> Self {
        let mut by_id = HashMap::new();
        if let Some(c) = id_col {
            for (i, r) in table.rows.iter().enumerate() {
                if let Some(id) = r.get(c).map(|s| s.trim()).filter(|s| !s.is_empty()) {
                    by_id.entry(id).or_insert_with(Vec::new).push(i);
                }
            }
        }
        RowIndex {
            table,
            by_id,
            by_fp: None,
        }
    }

    /// The line of the first row holding `id` in its id cell.
    pub fn line_holding(&self, id: &str) -> Option<usize> {
        let r = *self.by_id.get(id)?.first()?;
        Some(self.table.row_numbers.get(r).copied().unwrap_or(r + 2))
    }

    /// The row `r` refers to, if it is still there with the same cells.
    pub fn find(&mut self, r: &crate::engine::plan::RowRef) -> Option<usize> {
        let table = self.table;
        if let Some(id) = &r.id {
            return self
                .by_id
                .get(id.as_str())?
                .iter()
                .copied()
                .find(|&i| fingerprint(&table.rows[i]) == r.fingerprint);
        }
        let fp = self.by_fp.get_or_insert_with(|| {
            let mut m: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, row) in table.rows.iter().enumerate() {
                m.entry(fingerprint(row)).or_default().push(i);
            }
            m
        });
        // Identical rows: each record takes the next one.
        let v = fp.get_mut(&r.fingerprint)?;
        (!v.is_empty()).then(|| v.remove(0))
    }
}
