//! The JSON report: every violation, in a layout that is documented and kept
//! stable (`docs/audit.md`): `rows`, `violations` (in line order) and `summary`
//! (a count for every rule code, zeros included). One violation per line, so the
//! file diffs and greps well. `suggestion` is a certain fix, `guess` a likely one.

use crate::validate::rules::Severity;
use crate::validate::violation::AuditReport;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Item<'a> {
    line: u64,
    column: &'a str,
    field: &'a str,
    rule: &'a str,
    severity: &'a str,
    value: &'a str,
    message: &'a str,
    suggestion: Option<&'a str>,
    guess: Option<&'a str>,
}

pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    write!(out, "{{\n  \"rows\": {},\n  \"violations\": [", report.rows)?;
    for (i, v) in report.violations.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        let item = Item {
            line: v.line,
            column: report.column_name(v),
            field: v.subject.key(),
            rule: v.rule.code(),
            severity: match v.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            value: &v.value,
            message: &v.message,
            suggestion: v.suggestion.as_deref(),
            guess: v.guess.as_deref(),
        };
        serde_json::to_writer(&mut out, &item)?;
    }
    if !report.violations.is_empty() {
        out.write_all(b"\n  ")?;
    }
    out.write_all(b"],\n  \"summary\": {")?;
    for (i, (rule, n)) in report.by_rule().into_iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        write!(out, "{sep}\n    \"{}\": {n}", rule.code())?;
    }
    out.write_all(b"\n  }\n}\n")?;
    out.flush()
}
