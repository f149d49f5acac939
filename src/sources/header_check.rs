//! The list side of `check`: a list's header row against the columns a job
//! expects, matched the way the mapping matches them (case and spacing ignored).
//! Pure: it takes the header as read and a plain list of expected columns, so it
//! knows nothing of mapping files.

use super::{Table, header_key};
use serde::Serialize;

/// A column a job expects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedColumn {
    /// As the mapping writes it.
    pub name: String,
    /// What it holds, for messages (`firstName`, `the type of Phone Number`...).
    pub holds: String,
    /// A sync cannot run without it (the id and status columns can be added).
    pub required: bool,
}

/// What became of one expected column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ColumnSeen {
    pub column: String,
    pub holds: String,
    pub required: bool,
    /// The header as written in the list, when it is there.
    pub found: Option<String>,
}

/// The list side of a check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ListCheck {
    /// How the list is named (a path, or `sheet ID/TAB`).
    pub list: String,
    /// Data rows read.
    pub rows: usize,
    /// The header row, as written.
    pub header: Vec<String>,
    pub columns: Vec<ColumnSeen>,
    /// Columns no expected column names: kept, never touched.
    pub ignored: Vec<String>,
    /// What stops a sync, each naming the column as written in the job.
    pub problems: Vec<String>,
    pub notes: Vec<String>,
}

/// Checks `table`'s header against `expected`.
pub fn check_header(list: &str, table: &Table, expected: &[ExpectedColumn]) -> ListCheck {
    let mut c = ListCheck {
        list: list.into(),
        rows: table.rows.len(),
        header: table.header.clone(),
        ..ListCheck::default()
    };
    if table.header.iter().all(|h| h.trim().is_empty()) {
        c.problems
            .push("no header row: its first line must name the columns".to_string());
    }
    let keys: Vec<String> = table.header.iter().map(|h| header_key(h)).collect();
    for e in expected {
        let want = header_key(&e.name);
        let at: Vec<usize> = (0..keys.len()).filter(|i| keys[*i] == want).collect();
        if at.len() > 1 {
            c.problems.push(format!(
                "the column `{}` is there {} times; rename or remove all but one",
                e.name,
                at.len()
            ));
        }
        let found = at.first().map(|i| table.header[*i].clone());
        match (&found, e.required) {
            (None, true) => c.problems.push(format!(
                "no column `{}` (it holds {}): add it, or map the job without it",
                e.name, e.holds
            )),
            (None, false) => c.notes.push(format!(
                "no column `{}` ({}): a sync adds it to a CSV file; a sheet needs --add-id-column",
                e.name, e.holds
            )),
            (Some(_), _) => {}
        }
        c.columns.push(ColumnSeen {
            column: e.name.clone(),
            holds: e.holds.clone(),
            required: e.required,
            found,
        });
    }
    let named: Vec<String> = expected.iter().map(|e| header_key(&e.name)).collect();
    c.ignored = table
        .header
        .iter()
        .zip(&keys)
        .filter(|(h, k)| !h.trim().is_empty() && !named.contains(k))
        .map(|(h, _)| h.clone())
        .collect();
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: vec![vec![String::new(); header.len()]; 2],
            row_numbers: vec![2, 3],
            ..Table::default()
        }
    }

    fn expect(name: &str, required: bool) -> ExpectedColumn {
        ExpectedColumn {
            name: name.into(),
            holds: "x".into(),
            required,
        }
    }

    #[test]
    fn columns_match_ignoring_case_and_spacing_and_the_rest_are_listed() {
        let t = table(&["first  name", "EMAIL", "Notes"]);
        let c = check_header(
            "a.csv",
            &t,
            &[
                expect("First Name", true),
                expect("Email", true),
                expect("CINNOX ID", false),
            ],
        );
        assert_eq!(c.problems, Vec::<String>::new());
        assert_eq!(c.columns[0].found.as_deref(), Some("first  name"));
        assert_eq!(c.ignored, ["Notes"]);
        assert_eq!(c.rows, 2);
        assert!(
            c.notes[0].contains("no column `CINNOX ID`"),
            "{:?}",
            c.notes
        );
    }

    #[test]
    fn a_missing_or_doubled_column_is_a_problem_naming_it() {
        let t = table(&["Email", "email"]);
        let c = check_header(
            "a.csv",
            &t,
            &[expect("First Name", true), expect("Email", true)],
        );
        assert_eq!(c.problems.len(), 2, "{:?}", c.problems);
        assert!(c.problems[0].contains("no column `First Name`"));
        assert!(c.problems[1].contains("`Email` is there 2 times"));
        let empty = check_header("b.csv", &table(&[]), &[]);
        assert!(empty.problems[0].contains("no header row"));
    }
}
