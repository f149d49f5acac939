//! The terminal report: what was read, the totals, then each broken rule with its
//! first examples (where, value, fix, message). Every rule with violations is
//! listed; examples beyond the first few are counted, with the command that lists
//! them all. An audit of CINNOX ends with its merge suggestions.

use super::{full_list_hint, place_text, plural, thousands};
use crate::validate::rules::Severity;
use crate::validate::violation::{AuditReport, Audited};
use std::io::{self, Write};

/// Examples shown per rule.
pub const EXAMPLES: usize = 5;
/// Merge suggestions shown in full.
pub const MERGES: usize = 10;

pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    if report.of_cinnox() {
        writeln!(
            out,
            "{}: {} checked (rules of mapping \"{}\")",
            report.file,
            plural(report.rows as usize, "contact"),
            report.mapping,
        )?;
    } else {
        writeln!(
            out,
            "{}: {} checked (mapping \"{}\", {})",
            report.file,
            plural(report.rows as usize, "row"),
            report.mapping,
            report.encoding
        )?;
    }
    if let Audited::ListAgainstCinnox(a) = &report.audited {
        writeln!(
            out,
            "  against CINNOX ({}): rows that match a contact (an import updates them): {}; that match none (an import creates them): {}",
            plural(a.contacts, "contact"),
            thousands(a.matched as u64),
            thousands(a.new as u64),
        )?;
    }
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
        writeln!(
            out,
            "\n{} ({}): {}",
            rule.code(),
            rule.severity().code(),
            thousands(count as u64)
        )?;
        let examples = report.violations.iter().filter(|v| v.rule == rule);
        for v in examples.take(EXAMPLES) {
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
            writeln!(out, "  {}{value}{fix}", place_text(report, v))?;
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
    merges(report, &mut out)?;
    let errors = report
        .violations
        .iter()
        .any(|v| v.severity == Severity::Error);
    if errors && report.of_cinnox() {
        writeln!(
            out,
            "\nThese contacts break CINNOX's rules: fix them in the CINNOX dashboard, or import a fix list by CINNOX ID (docs/audit.md)."
        )?;
    } else if errors {
        writeln!(
            out,
            "\nCINNOX would refuse or misfile the rows with errors; fix them and run again."
        )?;
    }
    out.flush()
}

/// The merge suggestions of an audit of CINNOX: the first ones in full.
fn merges(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    if report.merges.is_empty() {
        return Ok(());
    }
    let absorbed: usize = report.merges.iter().map(|m| m.absorb.len()).sum();
    writeln!(
        out,
        "\n{} (merge in the CINNOX dashboard; the API cannot merge), absorbing {}:",
        plural(report.merges.len(), "merge suggestion"),
        plural(absorbed, "contact"),
    )?;
    for (k, m) in report.merges.iter().take(MERGES).enumerate() {
        let ids: Vec<String> = m
            .absorb
            .iter()
            .map(|a| report.contacts[*a].describe())
            .collect();
        writeln!(
            out,
            "  {}. keep {}\n     merge into it ({}): {}",
            k + 1,
            report.contacts[m.keep].describe(),
            m.absorb.len(),
            ids.join("; ")
        )?;
        writeln!(out, "     why: {}", m.why)?;
        let shared: Vec<String> = m
            .shared
            .iter()
            .map(|(what, value, _)| format!("{what} {}", shown(value)))
            .collect();
        writeln!(out, "     shared: {}", shared.join("; "))?;
    }
    if report.merges.len() > MERGES {
        writeln!(
            out,
            "  ... and {} more; every one, to work through: add --merges merges.csv",
            thousands((report.merges.len() - MERGES) as u64)
        )?;
    }
    Ok(())
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
