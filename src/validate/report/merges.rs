//! The merge suggestions of an audit of CINNOX as a CSV to work through in the
//! CINNOX dashboard (`audit --cinnox --merges FILE`): one row per contact of each
//! suggestion, the one to keep first, then those to merge into it, with what they
//! share and why that one is kept. A BOM for Excel, formulas made inert, as the
//! CSV report.

use super::csv::{defuse, writer};
use crate::validate::violation::AuditReport;
use std::io::{self, Write};

pub const HEADER: [&str; 8] = [
    "suggestion",
    "action",
    "CINNOX ID",
    "Name",
    "Owner",
    "absorbs",
    "shared",
    "why",
];

pub fn write(report: &AuditReport, out: &mut dyn Write) -> io::Result<()> {
    let mut w = writer(out)?;
    w.write_record(HEADER)?;
    for (k, m) in report.merges.iter().enumerate() {
        let number = (k + 1).to_string();
        let keep = &report.contacts[m.keep];
        let merge_into = format!("merge into {}", keep.id);
        for &c in std::iter::once(&m.keep).chain(&m.absorb) {
            let who = &report.contacts[c];
            let shared: Vec<String> = m
                .shared
                .iter()
                .filter(|(_, _, ids)| ids.contains(&c))
                .map(|(what, value, _)| format!("{what} {value}"))
                .collect();
            let is_keep = c == m.keep;
            let absorbs = if is_keep {
                m.absorb.len().to_string()
            } else {
                String::new()
            };
            w.write_record([
                number.as_str(),
                if is_keep { "keep" } else { merge_into.as_str() },
                &defuse(&who.id),
                &defuse(&who.name),
                &defuse(&who.owner),
                &absorbs,
                &defuse(&shared.join("; ")),
                if is_keep { &m.why } else { "" },
            ])?;
        }
    }
    w.flush()
}
