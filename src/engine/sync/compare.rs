//! The form in which the engine compares values: the mapping's normalisation (E.164,
//! dd/mm/yyyy, canonical enum spelling, trimmed NFC) with CINNOX's enum defaults
//! filled in, so an empty `Level` and `Primary` (what CINNOX stores for it) agree.
//! Borrows when the value already is in that form: a plan over a million unchanged
//! contacts must not allocate or parse phone numbers for each of them.

use crate::model::normalise;
use crate::model::{FieldId, FieldKind, Normaliser};
use std::borrow::Cow;

/// The compare form of `raw` as a value of `field`.
pub fn form<'a>(n: &Normaliser, field: FieldId, raw: &'a str) -> Cow<'a, str> {
    if raw.is_empty() {
        return Cow::Borrowed(default_of(field));
    }
    match field.kind() {
        FieldKind::Text { .. } | FieldKind::Social | FieldKind::ReadOnly => normalise::text(raw),
        FieldKind::Enum(kind) => {
            // Canonical already: the common case, no allocation.
            if kind.values().contains(&raw) {
                Cow::Borrowed(raw)
            } else {
                let v = n.value(field, raw);
                if v.is_empty() {
                    Cow::Borrowed(default_of(field))
                } else {
                    Cow::Owned(v)
                }
            }
        }
        _ => Cow::Owned(n.value(field, raw)),
    }
}

fn default_of(field: FieldId) -> &'static str {
    match field.kind() {
        FieldKind::Enum(kind) => kind.default_value().unwrap_or(""),
        _ => "",
    }
}

/// Whether two raw values mean the same, normalising only when the texts differ.
pub fn same(n: &Normaliser, field: FieldId, a: &str, b: &str) -> bool {
    a == b || form(n, field, a) == form(n, field, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_differences_compare_equal() {
        let n = Normaliser::default();
        assert!(same(
            &n,
            FieldId::MobilePhone,
            "+852 9123 4567",
            "+85291234567"
        ));
        assert!(same(&n, FieldId::Level, "", "Primary"));
        assert!(same(&n, FieldId::CustomerType, "other", "Others"));
        assert!(same(&n, FieldId::Email, "A@B.hk ", "a@b.hk"));
        assert!(!same(&n, FieldId::FirstName, "Ann", "Anne"));
        assert!(matches!(
            form(&n, FieldId::FirstName, "Ann"),
            Cow::Borrowed(_)
        ));
    }
}
