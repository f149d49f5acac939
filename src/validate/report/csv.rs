//! The CSV report: one row per violation, for a spreadsheet. It starts with a
//! UTF-8 BOM, without which Excel shows CJK text as mojibake, and text that Excel
//! would run as a formula (`=`, `+`, `-`, `@` first) gets a leading apostrophe,
//! since the values come from files anyone may have written.

use crate::validate::rules::Severity;
use crate::validate::violation::AuditReport;
use std::borrow::Cow;
use std::io::{self, Write};

pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(crate::sources::csv::BOM)?;
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(io::BufWriter::with_capacity(1 << 16, out));
    w.write_record([
        "line",
        "column",
        "field",
        "rule",
        "severity",
        "value",
        "message",
        "suggestion",
        "guess",
    ])?;
    for v in &report.violations {
        let line = v.line.to_string();
        w.write_record([
            line.as_str(),
            &defuse(report.column_name(v)),
            v.subject.key(),
            v.rule.code(),
            match v.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            &defuse(&v.value),
            &defuse(&v.message),
            &defuse(v.suggestion.as_deref().unwrap_or("")),
            &defuse(v.guess.as_deref().unwrap_or("")),
        ])?;
    }
    w.flush()
}

/// Text a spreadsheet would evaluate as a formula, made inert.
fn defuse(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_defused() {
        assert_eq!(super::defuse("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(super::defuse("+85291234567"), "'+85291234567");
        assert_eq!(super::defuse("Ann"), "Ann");
    }
}
