//! The canonical spellings of every CINNOX enumeration and the forms people type
//! instead (`other` for `Others`, `English` for `en`, `Messenger` for Facebook...).
//! Matching is case-insensitive and ignores surrounding spaces.

use super::field::{EnumKind, FieldId, Typed};

impl EnumKind {
    /// The canonical values, as CINNOX spells them.
    pub fn values(self) -> &'static [&'static str] {
        match self {
            EnumKind::Level => &["Primary", "Secondary", "Tertiary"],
            EnumKind::CustomerType => &["Lead", "Prospect", "Customer", "Others"],
            EnumKind::Language => &["en", "it", "th", "ja", "zh-hant", "zh-hans"],
            EnumKind::PhoneType => &["Mobile", "Work", "Home", "Other"],
            EnumKind::EmailType => &["Work", "Personal", "Other"],
            EnumKind::SocialType => &[
                "Messenger",
                "WhatsApp",
                "WeChat",
                "LINE",
                "Twitter",
                "LinkedIn",
                "WOZTELL (WhatsApp Cloud)",
                "WOZTELL (Facebook)",
                "WOZTELL (Instagram)",
            ],
        }
    }

    /// Other spellings accepted as meaning a canonical value: `(alias, canonical)`.
    fn aliases(self) -> &'static [(&'static str, &'static str)] {
        match self {
            EnumKind::CustomerType => &[("Other", "Others")],
            EnumKind::Language => &[
                ("English", "en"),
                ("Italian", "it"),
                ("Thai", "th"),
                ("Japanese", "ja"),
                ("zh-tw", "zh-hant"),
                // CINNOX's own create/update action reference spells it so.
                ("zh-ant", "zh-hant"),
                ("zh-hk", "zh-hant"),
                ("Traditional Chinese", "zh-hant"),
                ("zh-cn", "zh-hans"),
                ("Simplified Chinese", "zh-hans"),
            ],
            EnumKind::EmailType => &[("Business", "Work")],
            EnumKind::SocialType => &[("Facebook", "Messenger"), ("Line", "LINE")],
            _ => &[],
        }
    }

    /// The default value CINNOX assumes when the field is left empty, if any.
    pub fn default_value(self) -> Option<&'static str> {
        match self {
            EnumKind::Level => Some("Primary"),
            EnumKind::CustomerType => Some("Lead"),
            _ => None,
        }
    }

    /// The canonical spelling `raw` stands for, if any. `Some(v)` with `v == raw`
    /// means `raw` is already canonical.
    pub fn canonical(self, raw: &str) -> Option<&'static str> {
        let raw = raw.trim();
        if let Some(v) = self.values().iter().find(|v| **v == raw) {
            return Some(v);
        }
        let folded = |s: &str| s.replace('_', "-");
        let raw_f = folded(raw);
        self.values()
            .iter()
            .copied()
            .find(|v| v.eq_ignore_ascii_case(&raw_f))
            .or_else(|| {
                self.aliases()
                    .iter()
                    .find(|(alias, _)| alias.eq_ignore_ascii_case(&raw_f))
                    .map(|(_, canon)| *canon)
            })
    }

    /// The name used in messages and reports.
    pub fn name(self) -> &'static str {
        match self {
            EnumKind::Level => "level",
            EnumKind::CustomerType => "contact type",
            EnumKind::Language => "language",
            EnumKind::PhoneType => "phone type",
            EnumKind::EmailType => "email type",
            EnumKind::SocialType => "social messaging type",
        }
    }
}

/// The phone field a `Phone Type` value selects.
pub fn phone_field(phone_type: &str) -> Option<FieldId> {
    let canon = EnumKind::PhoneType.canonical(phone_type)?;
    FieldId::PHONES
        .into_iter()
        .find(|f| matches!(f.typed(), Typed::Phone(t) if t == canon))
}

/// The email field an `Email Type` value selects.
pub fn email_field(email_type: &str) -> Option<FieldId> {
    let canon = EnumKind::EmailType.canonical(email_type)?;
    FieldId::EMAILS
        .into_iter()
        .find(|f| matches!(f.typed(), Typed::Email(t) if t == canon))
}

/// The social field a `Social Messaging Type` value selects.
pub fn social_field(social_type: &str) -> Option<FieldId> {
    let canon = EnumKind::SocialType.canonical(social_type)?;
    FieldId::SOCIALS
        .into_iter()
        .find(|f| matches!(f.typed(), Typed::Social(t) if t == canon))
}

/// The type name (`Mobile`, `Work`, `Messenger`...) under which a phone, email or
/// social field is written; `None` for other fields.
pub fn type_name(field: FieldId) -> Option<&'static str> {
    match field.typed() {
        Typed::Phone(t) | Typed::Email(t) | Typed::Social(t) => Some(t),
        Typed::No => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_matches_case_insensitively_and_by_alias() {
        assert_eq!(EnumKind::Level.canonical("primary"), Some("Primary"));
        assert_eq!(EnumKind::CustomerType.canonical("Other"), Some("Others"));
        assert_eq!(EnumKind::CustomerType.canonical(" others "), Some("Others"));
        assert_eq!(EnumKind::Language.canonical("ZH_Hant"), Some("zh-hant"));
        assert_eq!(EnumKind::Language.canonical("English"), Some("en"));
        assert_eq!(EnumKind::Language.canonical("zh-ant"), Some("zh-hant"));
        assert_eq!(EnumKind::Level.canonical("Quaternary"), None);
        assert_eq!(
            EnumKind::SocialType.canonical("woztell (facebook)"),
            Some("WOZTELL (Facebook)")
        );
    }

    #[test]
    fn type_columns_select_fields() {
        assert_eq!(phone_field("mobile"), Some(FieldId::MobilePhone));
        assert_eq!(email_field("Personal"), Some(FieldId::PersonalEmail));
        assert_eq!(social_field("Line"), Some(FieldId::Line));
        assert_eq!(phone_field("Fax"), None);
        assert_eq!(type_name(FieldId::WorkPhone), Some("Work"));
    }
}
