//! The CSV report: one row per violation, for a spreadsheet. It starts with a
//! UTF-8 BOM, without which Excel shows CJK text as mojibake, and text that Excel
//! would run as a formula (`=`, `+`, `-`, `@` first) gets a leading apostrophe,
//! since the values come from files anyone may have written. A list checked
//! against CINNOX adds a `related` column (the CINNOX ids a finding points at);
//! an audit of CINNOX places each row by `CINNOX ID`, `Name` and `Owner`, so that
//! its rows turn into a fix list that `import` takes back by id.

use crate::validate::violation::{AuditReport, Place};
use std::borrow::Cow;
use std::io::{self, Write};

/// The header of the CSV report of an audit of CINNOX.
pub const CINNOX_HEADER: [&str; 12] = [
    "CINNOX ID",
    "Name",
    "Owner",
    "column",
    "field",
    "rule",
    "severity",
    "value",
    "message",
    "suggestion",
    "guess",
    "related",
];

pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = writer(out)?;
    let related = report.involves_cinnox();
    if report.of_cinnox() {
        w.write_record(CINNOX_HEADER)?;
    } else {
        let mut header = vec![
            "line",
            "column",
            "field",
            "rule",
            "severity",
            "value",
            "message",
            "suggestion",
            "guess",
        ];
        if related {
            header.push("related");
        }
        w.write_record(header)?;
    }
    for v in &report.violations {
        let mut row: Vec<Cow<'_, str>> = match report.place(v) {
            Place::Line(n) => vec![Cow::Owned(n.to_string())],
            Place::Contact(c) => vec![defuse(&c.id), defuse(&c.name), defuse(&c.owner)],
        };
        row.extend([
            defuse(report.column_name(v)),
            Cow::Borrowed(v.subject.key()),
            Cow::Borrowed(v.rule.code()),
            Cow::Borrowed(v.severity.code()),
            defuse(&v.value),
            defuse(&v.message),
            defuse(v.suggestion.as_deref().unwrap_or("")),
            defuse(v.guess.as_deref().unwrap_or("")),
        ]);
        if related {
            row.push(Cow::Owned(v.related.join(" ")));
        }
        w.write_record(row.iter().map(|c| c.as_ref()))?;
    }
    w.flush()
}

/// A CSV writer for Excel: the BOM written, CRLF line ends.
pub fn writer(out: &mut dyn Write) -> io::Result<::csv::Writer<io::BufWriter<&mut dyn Write>>> {
    out.write_all(crate::sources::csv::BOM)?;
    Ok(::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(io::BufWriter::with_capacity(1 << 16, out)))
}

/// Text a spreadsheet would evaluate as a formula, made inert.
pub fn defuse(s: &str) -> Cow<'_, str> {
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
