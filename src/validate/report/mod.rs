//! Report writers: one small module per format, each writing a whole
//! `AuditReport` to any `Write`. `json` and `csv` hold every violation for
//! programs and spreadsheets; `table` (terminal), `markdown` (a ticket) and `html`
//! (a page to explore) summarise, and where they show only the first examples they
//! say how many are left out and how to see them all. Every writer serves both
//! kinds of audit: a list's rows are placed by line, CINNOX's by contact
//! (`AuditReport::place`), and an audit of CINNOX adds its merge suggestions
//! (`merges` also writes them as a CSV to work through).

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod merges;
pub mod table;

use super::violation::{AuditReport, Place, Violation};
use std::io::{self, Write};

/// A report format, as `--format` names it.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Totals, then each rule with its first examples (for a terminal).
    #[default]
    Table,
    /// Every violation, in the documented, stable JSON layout.
    Json,
    /// One row per violation, with a BOM so Excel shows CJK text.
    Csv,
    /// A summary to paste into a ticket.
    Markdown,
    /// One self-contained page: counts, a chart, a table to filter and sort.
    Html,
}

/// Writes `report` in `format`.
pub fn write(report: &AuditReport, format: Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Table => table::write(report, out),
        Format::Json => json::write(report, out),
        Format::Csv => csv::write(report, out),
        Format::Markdown => markdown::write(report, out),
        Format::Html => html::write(report, out),
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: impl Into<u64>) -> String {
    let s = n.into().to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `n thing` or `n things`, with thousands separators.
pub fn plural(n: usize, thing: &str) -> String {
    format!(
        "{} {thing}{}",
        thousands(n as u64),
        if n == 1 { "" } else { "s" }
    )
}

/// Where `v` is, for one line of text: `line 3, Phone Number`, or for a contact
/// stored in CINNOX `1a2b3c (Ann Lee, owner Ada Wong), Mobile Phone`.
pub fn place_text(report: &AuditReport, v: &Violation) -> String {
    let column = report.column_name(v);
    let at = match report.place(v) {
        Place::Line(n) => format!("line {n}"),
        Place::Contact(c) => c.describe(),
    };
    if column.is_empty() {
        at
    } else {
        format!("{at}, {column}")
    }
}

/// The tool and its version, as pages show it.
pub const TOOL: &str = concat!("cinnox-sync ", env!("CARGO_PKG_VERSION"));

/// The command that lists every violation of the audited file.
pub fn full_list_hint(report: &AuditReport) -> String {
    let list = report
        .list_arg
        .clone()
        .unwrap_or_else(|| shell_word(&report.file));
    format!("cinnox-sync audit {list} --format csv --output violations.csv")
}

pub fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_./:".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_words() {
        assert_eq!(thousands(1234567u64), "1,234,567");
        assert_eq!(thousands(999u64), "999");
        assert_eq!(plural(1, "row"), "1 row");
        assert_eq!(plural(1000, "row"), "1,000 rows");
        assert_eq!(shell_word("my file.csv"), "'my file.csv'");
        assert_eq!(shell_word("data/c.csv"), "data/c.csv");
    }
}
