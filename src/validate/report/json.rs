//! The JSON report: every violation, in a layout that is documented and kept
//! stable (`docs/audit.md`): `rows`, `violations` (in line order) and `summary`
//! (a count for every rule code of the audit, zeros included). One violation per
//! line, so the file diffs and greps well. A list checked against CINNOX adds
//! `related` to each violation and a `cinnox` object; an audit of CINNOX places
//! each violation by contact (`id`, `name`, `owner` instead of `line`), counts
//! `contacts` instead of `rows`, and adds `merges`.
//! `suggestion` is a certain fix, `guess` a likely one.

use crate::validate::violation::{AuditReport, Audited, ContactRef, Place};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Item<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    column: &'a str,
    field: &'a str,
    rule: &'a str,
    severity: &'a str,
    value: &'a str,
    message: &'a str,
    suggestion: Option<&'a str>,
    guess: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    related: Option<&'a [String]>,
}

#[derive(Serialize)]
struct Who<'a> {
    id: &'a str,
    name: &'a str,
    owner: &'a str,
}

impl<'a> From<&'a ContactRef> for Who<'a> {
    fn from(c: &'a ContactRef) -> Self {
        Who {
            id: &c.id,
            name: &c.name,
            owner: &c.owner,
        }
    }
}

#[derive(Serialize)]
struct Shared<'a> {
    what: &'a str,
    value: &'a str,
    ids: Vec<&'a str>,
}

#[derive(Serialize)]
struct Merge<'a> {
    keep: Who<'a>,
    absorb: Vec<Who<'a>>,
    absorbs: usize,
    why: &'a str,
    shared: Vec<Shared<'a>>,
}

pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    if report.of_cinnox() {
        write!(
            out,
            "{{\n  \"source\": \"cinnox\",\n  \"contacts\": {},\n  \"violations\": [",
            report.rows
        )?;
    } else {
        write!(out, "{{\n  \"rows\": {},\n  \"violations\": [", report.rows)?;
    }
    for (i, v) in report.violations.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        let (line, who) = match report.place(v) {
            Place::Line(n) => (Some(n), None),
            Place::Contact(c) => (None, Some(c)),
        };
        let item = Item {
            line,
            id: who.map(|c| c.id.as_str()),
            name: who.map(|c| c.name.as_str()),
            owner: who.map(|c| c.owner.as_str()),
            column: report.column_name(v),
            field: v.subject.key(),
            rule: v.rule.code(),
            severity: v.severity.code(),
            value: &v.value,
            message: &v.message,
            suggestion: v.suggestion.as_deref(),
            guess: v.guess.as_deref(),
            related: report.involves_cinnox().then_some(v.related.as_slice()),
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
    out.write_all(b"\n  }")?;
    if let Audited::ListAgainstCinnox(a) = &report.audited {
        write!(
            out,
            ",\n  \"cinnox\": {{\"contacts\": {}, \"matched\": {}, \"new\": {}}}",
            a.contacts, a.matched, a.new
        )?;
    }
    if report.of_cinnox() {
        out.write_all(b",\n  \"merges\": [")?;
        let who = |i: usize| Who::from(&report.contacts[i]);
        for (i, m) in report.merges.iter().enumerate() {
            out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            let merge = Merge {
                keep: who(m.keep),
                absorb: m.absorb.iter().map(|a| who(*a)).collect(),
                absorbs: m.absorb.len(),
                why: &m.why,
                shared: m
                    .shared
                    .iter()
                    .map(|(what, value, ids)| Shared {
                        what,
                        value,
                        ids: ids
                            .iter()
                            .map(|i| report.contacts[*i].id.as_str())
                            .collect(),
                    })
                    .collect(),
            };
            serde_json::to_writer(&mut out, &merge)?;
        }
        if !report.merges.is_empty() {
            out.write_all(b"\n  ")?;
        }
        out.write_all(b"]")?;
    }
    out.write_all(b"\n}\n")?;
    out.flush()
}
