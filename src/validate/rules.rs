//! The CINNOX field rules (cinnox-api.md §3) as pure functions on one value: each
//! answers `None` when the value is fine, or a `Finding` with the rule broken, a
//! message and, where a fixed value is certain, a suggestion. Messages never repeat
//! the value itself (it is personal data); reports print it in its own column.
//! Shared by `audit`, `import` and the sandbox's server-side checks.

use crate::model::field::{EnumKind, FieldId, FieldKind};
use crate::model::normalise::{self, Normaliser};
use validator::ValidateEmail;

pub use super::controls::{Controls, check_controls};
pub use super::rule_codes::{Rule, Severity};

/// One broken rule on one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    /// The fixed value, when it is certain.
    pub suggestion: Option<String>,
    /// The value it most likely should be, when that is not certain (a day and
    /// month that could be either way round); the message says why.
    pub guess: Option<String>,
}

impl Finding {
    pub(super) fn error(
        rule: Rule,
        message: impl Into<String>,
        suggestion: Option<String>,
    ) -> Self {
        Finding {
            rule,
            severity: Severity::Error,
            message: message.into(),
            suggestion,
            guess: None,
        }
    }
}

/// Checks one value of `field`. Empty values pass (see [`check_required`]).
pub fn check_value(field: FieldId, raw: &str, n: &Normaliser) -> Option<Finding> {
    if field.kind() != FieldKind::ReadOnly
        && !normalise::is_blank(raw)
        && let Some(f) = check_controls(raw)
    {
        return Some(f);
    }
    check_cleared_value(field, raw, n)
}

/// [`check_value`] for a value whose bytes are known to hold no control character
/// (the audit clears a whole row of a file at once).
pub fn check_cleared_value(field: FieldId, raw: &str, n: &Normaliser) -> Option<Finding> {
    if normalise::is_blank(raw) {
        return None;
    }
    match field.kind() {
        FieldKind::Text { max } => check_length(raw, max),
        FieldKind::Social { .. } => check_length(raw, 100),
        FieldKind::Phone => check_phone(raw, n),
        FieldKind::Email => check_email(raw),
        FieldKind::Date => check_date(raw),
        FieldKind::Enum(kind) => check_enum(kind, raw),
        FieldKind::ReadOnly => None,
    }
}

/// A required field left empty (white space counts as empty).
pub fn check_required(raw: &str) -> Option<Finding> {
    normalise::is_blank(raw).then(|| Finding::error(Rule::Required, "is required but empty", None))
}

/// The most characters one character decomposes into (canonically).
const NFD_MAX: usize = 4;

/// At most `max` characters, counted as Unicode scalar values after trimming and NFC
/// (so a decomposed accent counts once, and 50 Chinese characters fit a 50 limit).
pub fn check_length(raw: &str, max: usize) -> Option<Finding> {
    // The common cases, made cheap. A value already in NFC (all ASCII text is)
    // keeps its characters, and has no more characters than bytes. And NFC never
    // turns one character into more than `NFD_MAX` (decomposing gives at most that
    // many, a test checks every character, and composing only merges).
    if raw.len() <= max && raw.is_ascii() {
        return None;
    }
    if raw.chars().count() * NFD_MAX <= max {
        return None;
    }
    if raw.len() <= max
        && unicode_normalization::is_nfc_quick(raw.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        return None;
    }
    let t = normalise::text(raw);
    if t.len() <= max || t.as_ref().validate_length(None, Some(max as u64), None) {
        return None;
    }
    let count = t.chars().count();
    Some(Finding::error(
        Rule::MaxLength,
        format!("is {count} characters long; CINNOX allows at most {max}"),
        None,
    ))
}

use validator::ValidateLength;

/// E.164: `+`, country code and number, nothing else, and a real number.
pub fn check_phone(raw: &str, n: &Normaliser) -> Option<Finding> {
    let t = normalise::trimmed(raw);
    if normalise::is_e164_shape(t) {
        return (!normalise::valid_e164(t)).then(|| {
            Finding::error(
                Rule::PhoneInvalid,
                "is written as E.164 but is not a real number (unknown country code, or the wrong length for its country)",
                None,
            )
        });
    }
    let suggestion = normalise::phone_e164(t, n.region());
    if suggestion.is_none()
        && let Some(f) = super::mangled::phone(t, n)
    {
        return Some(f);
    }
    let message = if suggestion.is_some() {
        "is not written as E.164 (+ country code and number, no spaces or separators)"
    } else if t.chars().any(|c| c.is_alphabetic()) {
        if has_extension(t) {
            "has an extension, which an E.164 number cannot hold"
        } else {
            "contains letters; a phone number is + country code and digits"
        }
    } else if !t.starts_with('+') && !t.starts_with("＋") {
        if n.region().is_some() {
            "has no country code and is not a valid number in the mapping's default region"
        } else {
            "has no country code: write + and the country code, or set `default_region` in the mapping"
        }
    } else {
        "is not written as E.164, and is not a real number either"
    };
    Some(Finding::error(Rule::PhoneFormat, message, suggestion))
}

fn has_extension(t: &str) -> bool {
    let lower = t.to_lowercase();
    lower.contains("ext") || lower.contains('x') || lower.contains('#')
}

/// An email address, checked by `validator`; a suggestion when only stray white space
/// or a trailing dot is wrong.
pub fn check_email(raw: &str) -> Option<Finding> {
    let t = normalise::text(raw);
    if is_deliverable_email(&t) {
        return None;
    }
    let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let squeezed = squeezed.trim_end_matches(['.', ',', ';']).to_string();
    let suggestion = is_deliverable_email(&squeezed).then_some(squeezed);
    let message = if t.as_ref().validate_email() {
        // `validator` follows the RFC, which allows `ann@example`; in a contact list a
        // domain without a dot is a typo (a missing `.com`), not an intranet address.
        "has no top-level domain after the @ (such as .com or .hk)"
    } else {
        "is not a valid email address"
    };
    Some(Finding::error(Rule::Email, message, suggestion))
}

/// Valid by `validator`, and a domain with a dot that neither starts nor ends it.
fn is_deliverable_email(s: &str) -> bool {
    // The domain is looked at as bytes: `@`, `.` and brackets are ASCII.
    s.validate_email()
        && s.bytes().rposition(|b| b == b'@').is_some_and(|at| {
            let d = &s.as_bytes()[at + 1..];
            let d = &d[d.iter().take_while(|&&b| b == b'[').count()..];
            let d = &d[..d.len() - d.iter().rev().take_while(|&&b| b == b']').count()];
            d.contains(&b'.') && d.first() != Some(&b'.') && d.last() != Some(&b'.')
        })
}

/// `dd/mm/yyyy`, and a date that exists (29/02 only in leap years).
/// The message says what is wrong with the date (no such month, too many days).
pub fn check_date(raw: &str) -> Option<Finding> {
    let t = normalise::trimmed(raw);
    let b = t.as_bytes();
    let shaped = b.len() == 10
        && b[2] == b'/'
        && b[5] == b'/'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit());
    if shaped {
        // What `normalise::date` decides for this shape, without building its
        // answer: whether the day exists.
        let num = |r: std::ops::Range<usize>| t[r].parse::<u32>().unwrap_or(0);
        let (d, m, y) = (num(0..2), num(3..5), num(6..10));
        if chrono::NaiveDate::from_ymd_opt(y as i32, m, d).is_some() {
            return None;
        }
        return Some(Finding::error(
            Rule::DateInvalid,
            date_problem(d, m, y),
            None,
        ));
    }
    Some(super::mangled::date(t))
}

/// Why `d/m/y` (shaped dd/mm/yyyy) is no real date, in words.
fn date_problem(d: u32, m: u32, y: u32) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let days = match m {
        2 if d == 29 => {
            return format!(
                "is not a real calendar date: {y} is not a leap year, so February has 28 days"
            );
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => {
            return format!(
                "is not a real calendar date: there is no month {m:02} (dd/mm/yyyy: the day comes first)"
            );
        }
    };
    if d == 0 {
        return "is not a real calendar date: there is no day 00".into();
    }
    format!(
        "is not a real calendar date: {} has {days} days",
        MONTHS[(m - 1) as usize]
    )
}

/// One of the canonical values of `kind`, spelled exactly so.
pub fn check_enum(kind: EnumKind, raw: &str) -> Option<Finding> {
    let t = normalise::trimmed(raw);
    match kind.canonical(t) {
        Some(c) if c == t => None,
        Some(c) => Some(Finding::error(
            Rule::Enum,
            format!(
                "is not spelled as CINNOX spells this {}: use `{c}`",
                kind.name()
            ),
            Some(c.to_string()),
        )),
        None => Some(Finding::error(
            Rule::Enum,
            format!(
                "is not a {} CINNOX knows; use one of: {}",
                kind.name(),
                kind.values().join(", ")
            ),
            None,
        )),
    }
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
