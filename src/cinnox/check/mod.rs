//! `check`: whether a tenant answers the way the client expects, found out
//! read-only. `probe` makes the calls and keeps the answers as they came; the rest
//! is pure, so every judgement is unit-tested without a server: `shape` reads
//! envelopes and members, `formats` how values are written, and `analyse` turns it
//! all into a report whose findings say what differs from the contract
//! (docs/cinnox-api.md), whether the client reads it anyway, and where a
//! correction goes (`cinnox::names`, the one table of wire names).

mod formats;
mod probe;
mod shape;

pub use formats::Formats;
pub use shape::{ListShape, MemberSeen};

use super::names::{self, ReadName, contact as member, envelope};
use super::wire::{
    EventSubscription, ItemKey, MAX_PAGE, codes, envelope_code, envelope_message, item_key,
    staff_member, subscription_from_json,
};
use serde::Serialize;
use serde_json::Value;

/// One call's answer, as it came.
#[derive(Clone, Debug)]
pub struct Probe {
    /// e.g. `GET contacts/extcontact-list?offset=0&limit=500`.
    pub request: String,
    pub status: u16,
    pub body: Vec<u8>,
}

/// Everything `check` asked.
#[derive(Clone, Debug)]
pub struct Probes {
    pub contacts: Probe,
    pub staff: Probe,
    /// The contact list with `limit` one over the maximum.
    pub over_limit: Probe,
    pub subscriptions: Vec<(EventSubscription, Probe)>,
}

/// Something that differs from what the client expects (or, among the notes,
/// something worth knowing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `contacts`, `staff`, `over-limit page`, `subscriptions`, or the list.
    pub about: String,
    pub message: String,
    /// The client reads it anyway; still worth correcting the table to match.
    pub tolerated: bool,
}

/// The answer to a page one over the limit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OverLimit {
    pub request: String,
    pub status: u16,
    pub code: Option<i64>,
    pub message: Option<String>,
    /// Refused with 6451000, as the contract says.
    pub as_expected: bool,
}

/// An event subscription's state, as far as the API tells.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SubscriptionSeen {
    pub path: String,
    /// `enabled`, `disabled` or `not readable`.
    pub state: String,
    pub url: Option<String>,
    pub updated_at: Option<String>,
    /// Why it is not readable.
    pub detail: Option<String>,
}

/// What `check` found on the CINNOX side.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TenantReport {
    pub contacts: ListShape,
    /// How the listed contacts write phones, dates and enumerations.
    pub formats: Formats,
    pub staff: ListShape,
    pub over_limit: OverLimit,
    pub subscriptions: Vec<SubscriptionSeen>,
    pub findings: Vec<Finding>,
    pub notes: Vec<Finding>,
}

/// Judges the answers.
pub fn analyse(p: &Probes) -> TenantReport {
    let mut r = TenantReport::default();
    let (contacts, items) = shape::shape(&p.contacts, contact_reads_as, |k| {
        item_key(k) == ItemKey::Custom
    });
    let staff = shape::shape(&p.staff, staff_reads_as, |_| true).0;
    r.formats = formats::formats(&items);
    let mut out = Judged::default();
    envelope_findings(&contacts, "contacts", &mut out);
    contact_member_findings(&contacts, &mut out);
    for (message, tolerated) in formats::problems(&r.formats) {
        out.finding("contacts", message, tolerated);
    }
    envelope_findings(&staff, "staff", &mut out);
    staff_member_findings(&staff, &mut out);
    r.over_limit = over_limit(&p.over_limit, &mut out);
    r.subscriptions = p
        .subscriptions
        .iter()
        .map(|(s, probe)| subscription(*s, probe))
        .collect();
    r.contacts = contacts;
    r.staff = staff;
    r.findings = out.findings;
    r.notes = out.notes;
    r
}

#[derive(Default)]
struct Judged {
    findings: Vec<Finding>,
    notes: Vec<Finding>,
}

impl Judged {
    fn finding(&mut self, about: &str, message: String, tolerated: bool) {
        self.findings.push(Finding {
            about: about.into(),
            message,
            tolerated,
        });
    }

    fn note(&mut self, about: &str, message: String) {
        self.notes.push(Finding {
            about: about.into(),
            message,
            tolerated: true,
        });
    }
}

/// What the client reads a contact member as, or `None` when it ignores it.
fn contact_reads_as(key: &str) -> Option<String> {
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

fn staff_reads_as(key: &str) -> Option<String> {
    staff_member(key).map(str::to_string)
}

fn envelope_findings(s: &ListShape, about: &str, out: &mut Judged) {
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

fn contact_member_findings(s: &ListShape, out: &mut Judged) {
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

fn staff_member_findings(s: &ListShape, out: &mut Judged) {
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

fn over_limit(p: &Probe, out: &mut Judged) -> OverLimit {
    let body: Option<Value> = serde_json::from_slice(&p.body).ok();
    let code = body.as_ref().and_then(envelope_code);
    let message = body.as_ref().and_then(envelope_message).map(str::to_string);
    let as_expected = code == Some(codes::BAD_PARAMETER);
    let about = "over-limit page";
    if !as_expected {
        let what = match code {
            Some(c) if super::wire::is_success_code(c) => format!(
                "limit={} was accepted: the largest page is not {MAX_PAGE} as the contract says",
                MAX_PAGE + 1
            ),
            Some(c) => format!("limit={} answered code {c}, not 6451000", MAX_PAGE + 1),
            None => format!(
                "limit={} answered HTTP {} without a code",
                MAX_PAGE + 1,
                p.status
            ),
        };
        // The client asks for 500 at most, so nothing is lost either way.
        out.finding(about, what, true);
    }
    OverLimit {
        request: p.request.clone(),
        status: p.status,
        code,
        message,
        as_expected,
    }
}

fn subscription(which: EventSubscription, p: &Probe) -> SubscriptionSeen {
    let mut s = SubscriptionSeen {
        path: which.path().into(),
        ..Default::default()
    };
    let body: Option<Value> = serde_json::from_slice(&p.body).ok();
    let code = body.as_ref().and_then(envelope_code);
    let state = body
        .as_ref()
        .filter(|_| code.is_none_or(super::wire::is_success_code))
        .and_then(subscription_from_json);
    match state {
        Some(st) => {
            s.state = if st.enabled { "enabled" } else { "disabled" }.into();
            s.url = Some(st.url).filter(|u| !u.is_empty());
            s.updated_at = Some(st.updated_at).filter(|u| !u.is_empty());
        }
        None => {
            s.state = "not readable".into();
            s.detail = Some(match code {
                Some(c) => format!(
                    "GET answered code {c}; the documents offer no read of a subscription, see the CINNOX dashboard"
                ),
                None => format!("GET answered HTTP {}", p.status),
            });
        }
    }
    s
}

#[cfg(test)]
mod tests;
