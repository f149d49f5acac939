//! The Markdown report, for a ticket: totals, counts by rule and by column, and
//! the first examples of each rule, with the count of those left out and the
//! command that lists them all; for an audit of CINNOX, the merge suggestions.

use super::{full_list_hint, plural, thousands};
use crate::validate::violation::{AuditReport, Audited, Place};
use std::io::{self, Write};

/// Examples shown per rule.
const EXAMPLES: usize = 3;

pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    let (title, unit) = if report.of_cinnox() {
        ("CINNOX contacts audit", "contact")
    } else {
        ("Contact list audit", "row")
    };
    writeln!(out, "## {title}: {}\n", code(&report.file))?;
    writeln!(
        out,
        "{} checked against the mapping *{}*: **{}** ({}, {}).",
        plural(report.rows as usize, unit),
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
    if let Audited::ListAgainstCinnox(a) = &report.audited {
        writeln!(
            out,
            "\nAgainst CINNOX ({}): rows that match a contact (an import updates them): {}; that match none (an import creates them): {}.",
            plural(a.contacts, "contact"),
            thousands(a.matched as u64),
            thousands(a.new as u64)
        )?;
    }
    if report.violations.is_empty() {
        writeln!(out, "\nNo problems found.")?;
        return out.flush();
    }
    writeln!(out, "\n| Rule | Severity | Violations |\n|---|---|---:|")?;
    for (rule, n) in report.by_rule().into_iter().filter(|(_, n)| *n > 0) {
        writeln!(
            out,
            "| `{}` | {} | {} |",
            rule.code(),
            rule.severity().code(),
            thousands(n as u64)
        )?;
    }
    writeln!(out, "\n| Column | Violations |\n|---|---:|")?;
    for (col, n) in report.by_column() {
        writeln!(out, "| {} | {} |", esc(&col), thousands(n as u64))?;
    }
    let place = if report.of_cinnox() {
        "| Contact | Column | Rule | Value | Suggestion | Problem |\n|---|---|---|---|---|---|"
    } else {
        "| Line | Column | Rule | Value | Suggestion | Problem |\n|---:|---|---|---|---|---|"
    };
    writeln!(out, "\n### Examples\n\n{place}")?;
    let mut hidden = 0;
    for (rule, n) in report.by_rule().into_iter().filter(|(_, n)| *n > 0) {
        for v in report
            .violations
            .iter()
            .filter(|v| v.rule == rule)
            .take(EXAMPLES)
        {
            let at = match report.place(v) {
                Place::Line(n) => n.to_string(),
                Place::Contact(c) => esc(&c.describe()),
            };
            writeln!(
                out,
                "| {at} | {} | `{}` | {} | {} | {} |",
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
    merges(report, &mut out)?;
    out.flush()
}

/// Every merge suggestion: a ticket is where an admin works them through.
fn merges(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    if report.merges.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n### Merge suggestions\n\nMerge in the CINNOX dashboard (the API cannot merge).\n\n| # | Keep | Merge into it | Absorbs | Shared | Why |\n|---:|---|---|---:|---|---|"
    )?;
    for (k, m) in report.merges.iter().enumerate() {
        let absorb: Vec<String> = m
            .absorb
            .iter()
            .map(|a| esc(&report.contacts[*a].describe()))
            .collect();
        let shared: Vec<String> = m
            .shared
            .iter()
            .map(|(what, v, _)| format!("{what} {}", value(v)))
            .collect();
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            k + 1,
            esc(&report.contacts[m.keep].describe()),
            absorb.join("<br>"),
            m.absorb.len(),
            shared.join("; "),
            esc(&m.why)
        )?;
    }
    Ok(())
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
