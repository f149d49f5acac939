//! The terminal report: what was read, the totals, then each broken rule with its
//! first examples (line, value, fix, message). Every rule with violations is
//! listed; examples beyond the first few are counted, with the command that lists
//! them all.

use super::{full_list_hint, plural, thousands};
use crate::validate::rules::{Rule, Severity};
use crate::validate::violation::AuditReport;
use std::io::{self, Write};

/// Examples shown per rule.
pub const EXAMPLES: usize = 5;

pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    writeln!(
        out,
        "{}: {} checked (mapping \"{}\", {})",
        report.file,
        plural(report.rows as usize, "row"),
        report.mapping,
        report.encoding
    )?;
    if report.blank_rows > 0 {
        writeln!(
            out,
            "  {} skipped",
            plural(report.blank_rows as usize, "empty row")
        )?;
    }
    if !report.ignored.is_empty() {
        writeln!(
            out,
            "  not checked (not in the mapping): {}",
            report.ignored.join(", ")
        )?;
    }
    if !report.absent.is_empty() {
        writeln!(
            out,
            "  not in this list (mapped, nothing to check): {}",
            report.absent.join(", ")
        )?;
    }
    if report.violations.is_empty() {
        writeln!(out, "\nNo problems found.")?;
        return out.flush();
    }
    writeln!(
        out,
        "\n{}: {}, {}",
        plural(report.violations.len(), "violation"),
        plural(report.errors(), "error"),
        plural(report.warnings(), "warning"),
    )?;
    let mut hidden = 0;
    for (rule, count) in report.by_rule() {
        if count == 0 {
            continue;
        }
        let severity = if rule == Rule::Duplicate {
            "warning"
        } else {
            "error"
        };
        writeln!(
            out,
            "\n{} ({severity}): {}",
            rule.code(),
            thousands(count as u64)
        )?;
        let examples = report.violations.iter().filter(|v| v.rule == rule);
        for v in examples.take(EXAMPLES) {
            let column = report.column_name(v);
            let place = if column.is_empty() {
                format!("line {}", v.line)
            } else {
                format!("line {}, {column}", v.line)
            };
            let fix = match (&v.suggestion, &v.guess) {
                (Some(s), _) => format!(" -> {}", shown(s)),
                (None, Some(g)) => format!(" -> maybe {}", shown(g)),
                (None, None) => String::new(),
            };
            let value = if v.value.is_empty() {
                String::new()
            } else {
                format!(": {}", shown(&v.value))
            };
            writeln!(out, "  {place}{value}{fix}")?;
            writeln!(out, "      {}", v.message)?;
        }
        if count > EXAMPLES {
            hidden += count - EXAMPLES;
            writeln!(
                out,
                "  ... and {} more",
                thousands((count - EXAMPLES) as u64)
            )?;
        }
    }
    if hidden > 0 {
        writeln!(
            out,
            "\n{} not shown above. Every violation: {} (or --format json / html)",
            plural(hidden, "violation"),
            full_list_hint(report)
        )?;
    }
    let errors = report
        .violations
        .iter()
        .any(|v| v.severity == Severity::Error);
    if errors {
        writeln!(
            out,
            "\nCINNOX would refuse or misfile the rows with errors; fix them and run again."
        )?;
    }
    out.flush()
}

/// A value quoted for one terminal line: control characters escaped, very long
/// values shortened (the JSON and CSV reports keep them whole).
fn shown(s: &str) -> String {
    const MAX: usize = 60;
    let quoted = format!("{s:?}");
    if quoted.chars().count() <= MAX {
        return quoted;
    }
    let cut: String = quoted.chars().take(MAX - 4).collect();
    format!("{cut}...\" ({} characters)", s.chars().count())
}
