//! The Markdown report, for a ticket: totals, counts by rule and by column, and
//! the first examples of each rule, with the count of those left out and the
//! command that lists them all.

use super::{full_list_hint, plural, thousands};
use crate::validate::violation::AuditReport;
use std::io::{self, Write};

/// Examples shown per rule.
const EXAMPLES: usize = 3;

pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    writeln!(out, "## Contact list audit: {}\n", code(&report.file))?;
    writeln!(
        out,
        "{} checked against the mapping *{}*: **{}** ({}, {}).",
        plural(report.rows as usize, "row"),
        esc(&report.mapping),
        plural(report.violations.len(), "violation"),
        plural(report.errors(), "error"),
        plural(report.warnings(), "warning")
    )?;
    if !report.ignored.is_empty() {
        let cols: Vec<String> = report.ignored.iter().map(|c| esc(c)).collect();
        writeln!(
            out,
            "\nNot checked (not in the mapping): {}.",
            cols.join(", ")
        )?;
    }
    if report.violations.is_empty() {
        writeln!(out, "\nNo problems found.")?;
        return out.flush();
    }
    writeln!(out, "\n| Rule | Severity | Violations |\n|---|---|---:|")?;
    for (rule, n) in report.by_rule().into_iter().filter(|(_, n)| *n > 0) {
        let sev = if rule == crate::validate::Rule::Duplicate {
            "warning"
        } else {
            "error"
        };
        writeln!(
            out,
            "| `{}` | {sev} | {} |",
            rule.code(),
            thousands(n as u64)
        )?;
    }
    writeln!(out, "\n| Column | Violations |\n|---|---:|")?;
    for (col, n) in report.by_column() {
        writeln!(out, "| {} | {} |", esc(&col), thousands(n as u64))?;
    }
    writeln!(
        out,
        "\n### Examples\n\n| Line | Column | Rule | Value | Suggestion | Problem |\n|---:|---|---|---|---|---|"
    )?;
    let mut hidden = 0;
    for (rule, n) in report.by_rule().into_iter().filter(|(_, n)| *n > 0) {
        for v in report
            .violations
            .iter()
            .filter(|v| v.rule == rule)
            .take(EXAMPLES)
        {
            writeln!(
                out,
                "| {} | {} | `{}` | {} | {} | {} |",
                v.line,
                esc(report.column_name(v)),
                rule.code(),
                value(&v.value),
                match (&v.suggestion, &v.guess) {
                    (Some(s), _) => value(s),
                    (None, Some(g)) => format!("maybe {}", value(g)),
                    (None, None) => String::new(),
                },
                esc(&v.message)
            )?;
        }
        hidden += n.saturating_sub(EXAMPLES);
    }
    if hidden > 0 {
        writeln!(
            out,
            "\n{} not shown. Every violation: {}",
            plural(hidden, "more violation"),
            code(&full_list_hint(report))
        )?;
    }
    out.flush()
}

/// Text that renders as itself inside a table cell.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A cell value in a code span, which shows spaces and symbols as they are.
fn value(s: &str) -> String {
    if s.is_empty() {
        return "*(empty)*".into();
    }
    // GFM splits table cells on `|` even inside code spans, unless escaped.
    code(&s.replace('|', "\\|"))
}

/// A code span around `s`, fenced with more backticks than `s` holds in a row.
fn code(s: &str) -> String {
    let s = s.replace(['\r', '\n'], " ");
    let mut run = 0;
    let mut longest = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(super::esc("a|b\n*c*"), "a\\|b \\*c\\*");
        assert_eq!(super::value("x`|y"), "``x`\\|y``");
        assert_eq!(super::value(""), "*(empty)*");
    }
}
