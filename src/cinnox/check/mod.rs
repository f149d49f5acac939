//! `check`: whether a tenant answers the way the client expects, found out
//! read-only. `probe` makes the calls and keeps the answers as they came; the rest
//! is pure, so every judgement is unit-tested without a server: `shape` reads
//! envelopes and members, `formats` how values are written, and `analyse` turns it
//! all into a report whose findings say what differs from the contract
//! (docs/cinnox-api.md), whether the client reads it anyway, and where a
//! correction goes (`cinnox::names`, the one table of wire names).

mod findings;
mod formats;
mod probe;
mod shape;

pub use formats::Formats;
pub use shape::{ListShape, MemberSeen};

use super::wire::{
    EventSubscription, ItemKey, MAX_PAGE, codes, envelope_code, envelope_message, item_key,
    subscription_from_json,
};
use findings::{
    contact_member_findings, contact_reads_as, envelope_findings, staff_member_findings,
    staff_reads_as,
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
pub(crate) struct Judged {
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
