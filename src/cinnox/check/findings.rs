//! The findings about one list answer: its envelope against the contract's
//! `{"code":0,"result":[...],"total":N}`, and each member of its items against the
//! table of wire names (known, spelt as the table spells it, of the JSON type the
//! contract gives it).

use super::super::names::{self, ReadName, contact as member, envelope};
use super::super::wire::{ItemKey, codes, envelope_code, item_key, staff_member};
use super::{Judged, ListShape, MemberSeen};
use serde_json::Value;

/// What the client reads a contact member as, or `None` when it ignores it.
pub(super) fn contact_reads_as(key: &str) -> Option<String> {
    match item_key(key) {
        ItemKey::Id => Some("id".into()),
        ItemKey::SharedWith => Some("sharedWith".into()),
        ItemKey::SlaveContacts => Some("slaveContacts".into()),
        ItemKey::Address => Some("address".into()),
        ItemKey::Custom => Some("custom field".into()),
        ItemKey::Field(f) | ItemKey::Member(f) => Some(f.key().into()),
        ItemKey::Ignore => None,
    }
}

/// The name the table gives what `key` reads as, when it names one.
fn table_name(key: &str) -> Option<String> {
    Some(match item_key(key) {
        ItemKey::Id => member::ID.into(),
        ItemKey::SharedWith => member::SHARED_WITH.into(),
        ItemKey::SlaveContacts => member::SLAVE_CONTACTS.into(),
        ItemKey::Address => member::ADDRESS.into(),
        ItemKey::Field(f) | ItemKey::Member(f) => match names::read_name(f) {
            ReadName::Top(n) => n.into(),
            ReadName::Address(n) => format!("{}.{n}", member::ADDRESS),
        },
        ItemKey::Custom | ItemKey::Ignore => return None,
    })
}

/// The JSON types the contract gives what `key` reads as.
fn expected_types(key: &str) -> &'static [&'static str] {
    match item_key(key) {
        ItemKey::Address => &["object"],
        ItemKey::SharedWith | ItemKey::SlaveContacts => &["array"],
        ItemKey::Custom | ItemKey::Ignore => &[],
        ItemKey::Id | ItemKey::Field(_) | ItemKey::Member(_) => &["string"],
    }
}

pub(super) fn staff_reads_as(key: &str) -> Option<String> {
    staff_member(key).map(str::to_string)
}

pub(super) fn envelope_findings(s: &ListShape, about: &str, out: &mut Judged) {
    if !s.json {
        out.finding(
            about,
            format!(
                "{} answered HTTP {} without a JSON body",
                s.request, s.status
            ),
            false,
        );
        return;
    }
    let code = s
        .code
        .as_ref()
        .and_then(|c| envelope_code(&serde_json::json!({ "code": c })));
    match (&s.code, code) {
        (None, _) => out.finding(about, "the answer has no `code` member".into(), true),
        (Some(written), Some(c)) if !written.is_number() => out.finding(
            about,
            format!("`code` is written as the string {written}, not the number {c}"),
            true,
        ),
        (Some(written), None) => {
            out.finding(about, format!("`code` is {written}, not a number"), false)
        }
        _ => {}
    }
    match code {
        Some(codes::NO_RECORDS) => {
            out.note(
                about,
                "no records (6451011): nothing to check the members against".into(),
            );
            return;
        }
        Some(200) => out.finding(
            about,
            "success is written as code 200; the contract says 0".into(),
            true,
        ),
        Some(c) if c != codes::OK => {
            let m = s.message.as_deref().unwrap_or("");
            out.finding(
                about,
                format!("{} answered code {c}: {m}", s.request),
                false,
            );
            return;
        }
        _ => {}
    }
    match s.items_under.as_deref() {
        None => out.finding(
            about,
            format!(
                "no list of items (looked under {})",
                envelope::ITEMS.join(", ")
            ),
            false,
        ),
        Some(envelope::RESULT) => {}
        Some(other) => out.finding(
            about,
            format!(
                "the items are under `{other}`; the contract says `{}`",
                envelope::RESULT
            ),
            true,
        ),
    }
    match &s.total {
        None => out.finding(
            about,
            "the answer has no `total` (the client then reads until a short page)".into(),
            true,
        ),
        Some(Value::Number(_)) => {}
        Some(other) => out.finding(
            about,
            format!("`total` is written as {other}, not a number"),
            other
                .as_str()
                .is_some_and(|t| t.trim().parse::<u64>().is_ok()),
        ),
    }
    let top = s.items_under.as_deref().and_then(|u| u.split('.').next());
    for m in &s.envelope {
        let known = [envelope::CODE, envelope::MESSAGE, envelope::TOTAL];
        if !known.contains(&m.as_str()) && Some(m.as_str()) != top {
            out.finding(
                about,
                format!("unknown envelope member `{m}` (ignored)"),
                true,
            );
        }
    }
}

pub(super) fn contact_member_findings(s: &ListShape, out: &mut Judged) {
    let of = |m: &MemberSeen| format!("in {} of {} contacts", m.count, s.items);
    for m in &s.members {
        if m.reads_as.is_none() {
            out.finding(
                "contacts",
                format!(
                    "unknown member `{}` {}: the client ignores it; if it holds a contact field, correct its name in src/cinnox/names.rs",
                    m.name,
                    of(m)
                ),
                false,
            );
            continue;
        }
        if let Some(table) = table_name(&m.name).filter(|t| *t != m.name) {
            out.finding(
                "contacts",
                format!(
                    "`{}` {} is written `{table}` in the table (read anyway; correct src/cinnox/names.rs to match the tenant)",
                    m.name,
                    of(m)
                ),
                true,
            );
        }
        type_findings("contacts", m, expected_types(&m.name), &of(m), out);
    }
}

fn type_findings(about: &str, m: &MemberSeen, expected: &[&str], of: &str, out: &mut Judged) {
    if expected.is_empty() {
        return;
    }
    let phone = matches!(item_key(&m.name), ItemKey::Field(f) if f.kind() == crate::model::FieldKind::Phone);
    for (t, n) in &m.types {
        // Phones written as numbers are counted among the formats.
        if expected.contains(t) || (phone && *t == "number") {
            continue;
        }
        let tolerated =
            matches!(*t, "null" | "number") || (*t == "string" && expected == ["array"]);
        out.finding(
            about,
            format!(
                "`{}` is a JSON {t} {n} times ({of}); the contract says {}{}",
                m.name,
                expected.join(" or "),
                if tolerated { " (read anyway)" } else { "" }
            ),
            tolerated,
        );
    }
}

pub(super) fn staff_member_findings(s: &ListShape, out: &mut Judged) {
    let of = |m: &MemberSeen| format!("in {} of {} staff records", m.count, s.items);
    for m in s.members.iter().filter(|m| !m.name.contains('.')) {
        if m.reads_as.is_none() {
            out.finding(
                "staff",
                format!("unknown member `{}` {} (ignored)", m.name, of(m)),
                true,
            );
            continue;
        }
        if let Some(table) = staff_member(&m.name).filter(|t| *t != m.name) {
            out.finding(
                "staff",
                format!(
                    "`{}` {} is written `{table}` in the table (read anyway)",
                    m.name,
                    of(m)
                ),
                true,
            );
        }
        type_findings("staff", m, &["string"], &of(m), out);
    }
}
