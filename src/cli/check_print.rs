//! The text form of `check`'s output: what each call answered (envelope, members
//! and their JSON types, value forms), the subscriptions, the list's columns, then
//! every finding and what to do about it. The App Token is never printed.

use super::check::{CheckOutput, CinnoxSeen};
use crate::cinnox::check::{ListShape, OverLimit};
use crate::sources::header_check::ListCheck;
use std::collections::BTreeMap;

pub fn print(out: &CheckOutput) {
    println!("check of {}", out.job);
    if let Some(c) = &out.cinnox {
        cinnox(c);
    }
    if let Some(l) = &out.list {
        list(l);
    }
    if !out.notes.is_empty() {
        println!("\nNotes:");
        for n in &out.notes {
            println!("  - {}: {}", n.about, n.message);
        }
    }
    if out.error.is_some() {
        println!("\nThe check could not finish (see the error below).");
        return;
    }
    if out.findings.is_empty() {
        println!("\nNo findings: CINNOX and the list answer the way cinnox-sync expects.");
        return;
    }
    println!("\nFindings ({}):", out.findings.len());
    for f in &out.findings {
        let read = if f.tolerated { " [read anyway]" } else { "" };
        println!("  - {}: {}{read}", f.about, f.message);
    }
    println!(
        "\nA finding on the CINNOX side is corrected in src/cinnox/names.rs (one table of \
         wire names) or reported to the project; one on the list, in the list or its mapping."
    );
}

fn cinnox(c: &CinnoxSeen) {
    let r = &c.report;
    println!("\nCINNOX {} (App ID {}): signed in", c.base_url, c.app_id);
    shape("contacts", &r.contacts);
    let f = &r.formats;
    for (what, counts) in [
        ("phones", &f.phones),
        ("birthdays", &f.dates),
        ("languages", &f.languages),
        ("levels", &f.levels),
        ("contact types", &f.customer_types),
    ] {
        if !counts.is_empty() {
            println!("    {what}: {}", counted(counts));
        }
    }
    shape("staff", &r.staff);
    over_limit(&r.over_limit);
    println!("  webhook subscriptions:");
    for s in &r.subscriptions {
        let mut line = format!("    {}: {}", s.path, s.state);
        if let Some(u) = &s.url {
            line.push_str(&format!(", {u}"));
        }
        if let Some(t) = &s.updated_at {
            line.push_str(&format!(" (since {t})"));
        }
        if let Some(d) = &s.detail {
            line.push_str(&format!(": {d}"));
        }
        println!("{line}");
    }
}

fn shape(what: &str, s: &ListShape) {
    let code = s
        .code
        .as_ref()
        .map_or("no code".to_string(), |c| format!("code {c}"));
    let total = s
        .total
        .as_ref()
        .map_or("no total".to_string(), |t| format!("total {t}"));
    let under = s
        .items_under
        .as_deref()
        .map_or("no items".to_string(), |u| {
            format!("{} items under `{u}`", s.items)
        });
    println!(
        "  {what}: {} -> HTTP {}, {code}, {under}, {total}",
        s.request, s.status
    );
    if !s.envelope.is_empty() {
        println!("    envelope: {}", s.envelope.join(", "));
    }
    if s.members.is_empty() {
        return;
    }
    println!("    members (JSON types, how many items hold it, what the client reads):");
    let width = s.members.iter().map(|m| m.name.len()).max().unwrap_or(0);
    for m in &s.members {
        let types: Vec<String> = m.types.iter().map(|(t, n)| format!("{t} ×{n}")).collect();
        let reads = m.reads_as.as_deref().unwrap_or("NOT READ");
        println!(
            "      {:width$}  {:<24} {:>5} of {:<5}  {reads}",
            m.name,
            types.join(", "),
            m.count,
            s.items
        );
    }
}

fn over_limit(o: &OverLimit) {
    let code = o.code.map_or("no code".into(), |c| format!("code {c}"));
    let message = o
        .message
        .as_deref()
        .map(|m| format!(" \"{m}\""))
        .unwrap_or_default();
    let verdict = if o.as_expected {
        "refused, as expected"
    } else {
        "not refused as the contract says"
    };
    println!(
        "  over-limit page: {} -> HTTP {}, {code}{message}: {verdict}",
        o.request, o.status
    );
}

fn list(l: &ListCheck) {
    println!("\nList {}: {} rows", l.list, l.rows);
    let there = l.columns.iter().filter(|c| c.found.is_some()).count();
    println!(
        "  columns the job maps: {there} of {} there",
        l.columns.len()
    );
    for c in &l.columns {
        let seen = match &c.found {
            Some(h) if *h == c.column => "there".to_string(),
            Some(h) => format!("there, written `{h}`"),
            None if c.required => "MISSING".to_string(),
            None => "missing (optional)".to_string(),
        };
        println!("    {:<28} {:<40} {seen}", c.column, c.holds);
    }
    if !l.ignored.is_empty() {
        println!("  not mapped (kept as they are): {}", l.ignored.join(", "));
    }
}

fn counted(counts: &BTreeMap<String, usize>) -> String {
    counts
        .iter()
        .map(|(k, n)| format!("{k} ×{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
