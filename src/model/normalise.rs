//! Normalisation: the one canonical form of a value, so that two spellings of the
//! same fact compare equal (`+852 9123 4567` and `+85291234567`) and a sync writes
//! only real changes. Pure and idempotent: `n(n(x)) == n(x)` for every field and
//! string. A value that cannot be brought to a canonical form is kept as it was
//! typed (trimmed, NFC) so that validation can report it.

use super::enums::type_name;
use super::field::{FieldId, Norm};
use super::values::FieldValues;
use chrono::NaiveDate;
use phonenumber::country;
use std::borrow::Cow;
use std::str::FromStr;
use unicode_normalization::{UnicodeNormalization, is_nfc_quick, is_nfkc_quick};

/// Normalises values for one mapping: the default phone region is the only setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Normaliser {
    region: Option<country::Id>,
}

/// A region code that `phonenumber` does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown phone region `{0}`: use a two-letter ISO 3166 code such as HK, SG or GB")]
pub struct UnknownRegion(pub String);

impl Normaliser {
    /// A normaliser that reads national numbers as being in `region`.
    pub fn new(region: Option<country::Id>) -> Self {
        Self { region }
    }

    /// A normaliser for a region given by its ISO 3166 code (`HK`), or none.
    pub fn with_region_code(code: Option<&str>) -> Result<Self, UnknownRegion> {
        let region = match code.map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(
                country::Id::from_str(&c.to_ascii_uppercase())
                    .map_err(|_| UnknownRegion(c.to_string()))?,
            ),
        };
        Ok(Self { region })
    }

    /// The default phone region, if any.
    pub fn region(&self) -> Option<country::Id> {
        self.region
    }

    /// The canonical form of `raw` as a value of `field`.
    pub fn value(&self, field: FieldId, raw: &str) -> String {
        let text = text(raw);
        match field.kind().norm() {
            Norm::Phone => phone_e164(&text, self.region).unwrap_or_else(|| text.into_owned()),
            Norm::Email => email(&text),
            Norm::Date => date(&text).unwrap_or_else(|| text.into_owned()),
            Norm::Enum(kind) => match kind.canonical(&text) {
                Some(c) => c.to_string(),
                None => text.into_owned(),
            },
            Norm::Text => text.into_owned(),
        }
    }

    /// Every value of `values` in canonical form (fields left empty are dropped).
    pub fn values(&self, values: &FieldValues) -> FieldValues {
        values.iter().map(|(f, v)| (f, self.value(f, v))).collect()
    }
}

/// `s.trim()`, answered at once for the usual value that starts and ends with an
/// ASCII character that is not white space (it has nothing to trim).
pub fn trimmed(s: &str) -> &str {
    let solid =
        |b: Option<&u8>| b.is_some_and(|b| b.is_ascii() && !matches!(b, 0x09..=0x0D | b' '));
    if solid(s.as_bytes().first()) && solid(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// Whether `s` is empty or white space only (`s.trim().is_empty()`, faster).
pub fn is_blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii() && !matches!(b, 0x09..=0x0D | b' ') => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// Trimmed and in Unicode NFC. Borrows when the input is already so.
pub fn text(raw: &str) -> Cow<'_, str> {
    let t = trimmed(raw);
    if t.is_ascii() || is_nfc_quick(t.chars()) == unicode_normalization::IsNormalized::Yes {
        Cow::Borrowed(t)
    } else {
        // NFC can expose new leading/trailing white space only in pathological input;
        // trim again so the result is a fixed point.
        let n: String = t.nfc().collect();
        Cow::Owned(n.trim().to_string())
    }
}

/// Emails compare case-insensitively: lower case, trimmed, NFC.
pub fn email(raw: &str) -> String {
    let t = text(raw);
    if t.is_ascii() {
        t.to_ascii_lowercase()
    } else {
        let lower = t.to_lowercase();
        text(&lower).into_owned()
    }
}

/// The E.164 form of a phone number written any reasonable way: with spaces, dashes,
/// dots or brackets, a `tel:` prefix, a doubled `+`, full-width digits, or (with a
/// default region) no country code. `None` when it is not a valid number, or when it
/// carries letters or an extension that E.164 cannot hold.
pub fn phone_e164(raw: &str, region: Option<country::Id>) -> Option<String> {
    let folded: Cow<'_, str> = if raw.is_ascii()
        || is_nfkc_quick(raw.chars()) == unicode_normalization::IsNormalized::Yes
    {
        Cow::Borrowed(raw)
    } else {
        Cow::Owned(raw.nfkc().collect())
    };
    let mut s = folded.trim();
    if let Some(rest) = s.strip_prefix("tel:") {
        s = rest;
    }
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || " +-.()/".contains(c))
    {
        return None;
    }
    let plus = s.starts_with('+');
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 || digits.len() > 17 {
        return None;
    }
    // A `+` anywhere but the start (other than a doubled leading one) is not a number.
    if s.trim_start_matches('+').contains('+') {
        return None;
    }
    if plus && is_e164_shape(&format!("+{digits}")) {
        let candidate = format!("+{digits}");
        return valid_e164(&candidate).then_some(candidate);
    }
    let parsed = if plus {
        phonenumber::parse(None, format!("+{digits}"))
    } else {
        phonenumber::parse(region, &digits)
    }
    .ok()?;
    if !phonenumber::is_valid(&parsed) {
        return None;
    }
    Some(parsed.format().mode(phonenumber::Mode::E164).to_string())
}

/// `+` then digits and nothing else: the written shape of E.164. Whether it is a
/// real number (a known country code, a length and pattern that country uses, at
/// most 15 digits) is [`valid_e164`]'s question, so `+85212` is shaped but invalid.
pub fn is_e164_shape(s: &str) -> bool {
    let Some(d) = s.strip_prefix('+') else {
        return false;
    };
    !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())
}

/// Whether an E.164-shaped string is a real number (known country code, a length and
/// pattern that country uses). The common case (8 to 15 digits, no leading 0) takes
/// the fast path of [`super::e164`], which gives the answers of
/// [`valid_e164_reference`] 25 to 70 times faster; the rest asks the library.
pub fn valid_e164(s: &str) -> bool {
    let Some(d) = s.strip_prefix('+') else {
        return false;
    };
    if d.len() > 15 {
        // E.164 numbers have at most 15 digits, whatever a country's patterns allow.
        return false;
    }
    if super::e164::in_fast_domain(s) {
        super::e164::is_valid_e164_shaped(s)
    } else {
        valid_e164_reference(s)
    }
}

/// `valid_e164` as the `phonenumber` crate answers it: the reference the fast path
/// is tested against.
pub fn valid_e164_reference(s: &str) -> bool {
    match phonenumber::parse(None, s) {
        Ok(n) => {
            phonenumber::is_valid(&n) && n.format().mode(phonenumber::Mode::E164).to_string() == s
        }
        Err(_) => false,
    }
}

/// `dd/mm/yyyy` for a real calendar date written as `d/m/yyyy`, `dd-mm-yyyy`,
/// `dd.mm.yyyy` or ISO `yyyy-mm-dd`; `None` otherwise. Never swaps day and month.
pub fn date(raw: &str) -> Option<String> {
    let s = trimmed(raw);
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let num = |p: &str| p.parse::<u32>().ok();
    let (d, m, y) = if parts[0].len() == 4 {
        (num(parts[2])?, num(parts[1])?, parts[0])
    } else if parts[2].len() == 4 && parts[0].len() <= 2 && parts[1].len() <= 2 {
        (num(parts[0])?, num(parts[1])?, parts[2])
    } else {
        return None;
    };
    let year: i32 = y.parse().ok()?;
    NaiveDate::from_ymd_opt(year, m, d)?;
    Some(format!("{d:02}/{m:02}/{year:04}"))
}

/// The label under which a typed field (phone, email, social) is written, or the
/// field key for others; used in messages.
pub fn describe(field: FieldId) -> String {
    match type_name(field) {
        Some(t) => format!("{} ({t})", field.key()),
        None => field.key().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hk() -> Normaliser {
        Normaliser::with_region_code(Some("hk")).unwrap()
    }

    #[test]
    fn phones_written_any_way_become_e164() {
        let n = Normaliser::default();
        for raw in [
            "+852 9123 4567",
            "+85291234567",
            "tel:+852-9123-4567",
            "++852 9123 4567",
            "＋８５２９１２３４５６７",
        ] {
            assert_eq!(n.value(FieldId::MobilePhone, raw), "+85291234567", "{raw}");
        }
        assert_eq!(hk().value(FieldId::WorkPhone, "9123 4567"), "+85291234567");
        assert_eq!(n.value(FieldId::WorkPhone, "9123 4567"), "9123 4567");
    }

    #[test]
    fn phones_with_letters_or_extensions_are_kept() {
        let n = hk();
        assert_eq!(
            n.value(FieldId::MobilePhone, "+852 9123 4567 ext. 12"),
            "+852 9123 4567 ext. 12"
        );
        assert_eq!(
            n.value(FieldId::MobilePhone, "1-800-FLOWERS"),
            "1-800-FLOWERS"
        );
        assert_eq!(phone_e164("+999 1234 5678", None), None);
    }

    #[test]
    fn dates_become_dd_mm_yyyy_only_when_real() {
        assert_eq!(date("1/2/1990").as_deref(), Some("01/02/1990"));
        assert_eq!(date("1990-02-01").as_deref(), Some("01/02/1990"));
        assert_eq!(date("29/02/2024").as_deref(), Some("29/02/2024"));
        assert_eq!(date("29/02/2023"), None);
        assert_eq!(date("31/04/2020"), None);
        assert_eq!(date("1990/1/1/1"), None);
    }

    #[test]
    fn text_is_trimmed_and_composed() {
        assert_eq!(text("  Jose\u{301} "), "Jos\u{e9}");
        assert_eq!(email(" Ann@Example.COM "), "ann@example.com");
        assert_eq!(
            Normaliser::default().value(FieldId::CustomerType, "other"),
            "Others"
        );
    }

    #[test]
    fn trimming_shortcuts_agree_with_trim() {
        let all = [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{3000}陳\u{3000}",
            "\u{85}x",
            "x\u{a0}",
            "\u{b}a\u{c}",
            "\u{1c}a\u{1f}",
            "é",
            " é ",
            "\t\n",
            "+852",
            "\u{2003}",
        ];
        for s in all {
            assert_eq!(trimmed(s), s.trim(), "{s:?}");
            assert_eq!(is_blank(s), s.trim().is_empty(), "{s:?}");
        }
    }

    #[test]
    fn unknown_region_is_a_clear_error() {
        let e = Normaliser::with_region_code(Some("XX")).unwrap_err();
        assert!(e.to_string().contains("XX"));
    }
}
