//! How a tenant writes values: phones, dates and the enumerations, counted by form
//! from the listed contacts. Phones and dates are described by their form only
//! (`+` and digits, `9999-99-99`), never by value: contact data is not printed.

use super::super::wire::{ItemKey, item_key};
use crate::model::{EnumKind, FieldId, FieldKind};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Forms seen, with how many values had each.
pub type Counts = BTreeMap<String, usize>;

/// How the listed contacts write their values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Formats {
    /// `E.164` for `+` and digits; otherwise the form (`JSON number`, `99 9999 9999`).
    pub phones: Counts,
    /// `dd/mm/yyyy` when it has that shape; otherwise the form (`9999-99-99`).
    pub dates: Counts,
    /// The values themselves (an enumeration holds no personal data).
    pub languages: Counts,
    pub levels: Counts,
    pub customer_types: Counts,
}

/// The form of a text: digits as `9`, letters as `a`, other characters kept;
/// long runs shortened so that a form never grows with the value.
pub fn mask(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().take(24) {
        out.push(if c.is_ascii_digit() {
            '9'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        });
    }
    if text.trim().chars().count() > 24 {
        out.push('…');
    }
    out
}

fn phone_form(v: &Value) -> Option<String> {
    match v {
        Value::Number(_) => Some("JSON number (no +)".into()),
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => {
            let t = s.trim();
            let digits = t.strip_prefix('+').unwrap_or("");
            let e164 = (7..=15).contains(&digits.len())
                && digits.chars().all(|c| c.is_ascii_digit())
                && !digits.starts_with('0');
            Some(if e164 { "E.164".into() } else { mask(t) })
        }
        Value::Null => None,
        other => Some(format!("JSON {}", super::shape::json_type(other))),
    }
}

fn date_form(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) if !s.trim().is_empty() => s.trim(),
        Value::Null | Value::String(_) => return None,
        other => return Some(format!("JSON {}", super::shape::json_type(other))),
    };
    let m = mask(s);
    Some(if m == "99/99/9999" {
        "dd/mm/yyyy".into()
    } else {
        m
    })
}

fn enum_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_string()),
        Value::Null => None,
        other => Some(format!("JSON {}", super::shape::json_type(other))),
    }
}

/// Counts the forms of every phone, date and enumeration in `items`.
pub fn formats(items: &[Value]) -> Formats {
    let mut f = Formats::default();
    for item in items.iter().filter_map(Value::as_object) {
        for (k, v) in item {
            let ItemKey::Field(field) = item_key(k) else {
                continue;
            };
            let (counts, form) = match field.kind() {
                FieldKind::Phone => (&mut f.phones, phone_form(v)),
                FieldKind::Date => (&mut f.dates, date_form(v)),
                FieldKind::Enum(EnumKind::Language) => (&mut f.languages, enum_value(v)),
                FieldKind::Enum(EnumKind::Level) => (&mut f.levels, enum_value(v)),
                FieldKind::Enum(EnumKind::CustomerType) => (&mut f.customer_types, enum_value(v)),
                _ => continue,
            };
            if let Some(form) = form {
                *counts.entry(form).or_default() += 1;
            }
        }
    }
    f
}

/// What is wrong with the forms, as sentences: phones not in E.164, dates not
/// `dd/mm/yyyy`, enumeration values outside CINNOX's lists. `tolerated` says
/// whether the client reads the form anyway.
pub fn problems(f: &Formats) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (form, n) in &f.phones {
        if form != "E.164" {
            let tolerated = form.starts_with("JSON number");
            out.push((
                format!("{n} phone numbers are written as `{form}`, not E.164 (`+` and digits)"),
                tolerated,
            ));
        }
    }
    for (form, n) in &f.dates {
        if form != "dd/mm/yyyy" {
            out.push((
                format!("{n} birthdays are written as `{form}`, not dd/mm/yyyy"),
                false,
            ));
        }
    }
    let lists = [
        (&f.languages, EnumKind::Language, FieldId::Language),
        (&f.levels, EnumKind::Level, FieldId::Level),
        (
            &f.customer_types,
            EnumKind::CustomerType,
            FieldId::CustomerType,
        ),
    ];
    for (counts, kind, field) in lists {
        for (value, n) in counts {
            if kind.values().contains(&value.as_str()) {
                continue;
            }
            let tolerated = field == FieldId::Language && value.eq_ignore_ascii_case("zh-ant");
            let read = if tolerated { " (read as zh-hant)" } else { "" };
            out.push((
                format!(
                    "{n} contacts have {} `{value}`{read}, which is not one of {}",
                    kind.name(),
                    kind.values().join(", ")
                ),
                tolerated,
            ));
        }
    }
    out
}
