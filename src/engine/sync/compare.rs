//! The form in which the engine compares values: the mapping's normalisation, by the
//! field's kind (`Norm`: E.164 for phones and WhatsApp ids, dd/mm/yyyy, canonical
//! enum spelling, lower-case email, trimmed NFC). An empty value stays empty: an
//! empty `Level` is not `Primary` (what CINNOX stores for it), it is unset, which
//! the three-way diff treats as such (`diff`). Borrows when the value already is in
//! that form: a plan over a million unchanged contacts must not allocate or parse
//! phone numbers for each of them.

use crate::model::normalise;
use crate::model::{FieldId, Norm, Normaliser};
use std::borrow::Cow;

/// The compare form of `raw` as a value of `field`.
pub fn form<'a>(n: &Normaliser, field: FieldId, raw: &'a str) -> Cow<'a, str> {
    if raw.is_empty() {
        return Cow::Borrowed("");
    }
    match field.kind().norm() {
        Norm::Text => normalise::text(raw),
        // Canonical already: the common case, no allocation.
        Norm::Enum(kind) if kind.values().contains(&raw) => Cow::Borrowed(raw),
        _ => Cow::Owned(n.value(field, raw)),
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
        // A WhatsApp id is a phone number, compared as one.
        assert!(same(
            &n,
            FieldId::WhatsApp,
            "+852 6419 2136",
            "+85264192136"
        ));
        assert!(!same(&n, FieldId::Line, "ann chan", "annchan"));
        assert!(same(&n, FieldId::CustomerType, "other", "Others"));
        assert!(same(&n, FieldId::Email, "A@B.hk ", "a@b.hk"));
        assert!(!same(&n, FieldId::FirstName, "Ann", "Anne"));
        assert!(matches!(
            form(&n, FieldId::FirstName, "Ann"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn an_empty_enum_is_empty_not_its_default() {
        let n = Normaliser::default();
        assert_eq!(form(&n, FieldId::Level, ""), "");
        assert!(!same(&n, FieldId::Level, "", "Primary"));
    }
}
