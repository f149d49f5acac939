//! The codes of the rules the audit reports (`Rule`: `max_length`, `unknown_id`...),
//! the sets of them each kind of audit applies, and how serious each is
//! (`Severity`). The checks themselves are in `rules`.

use serde::{Deserialize, Serialize};

/// A rule code, as printed in reports (`max_length`, `phone_format`...).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    MaxLength,
    PhoneFormat,
    PhoneInvalid,
    DateFormat,
    DateInvalid,
    Enum,
    Email,
    Required,
    Duplicate,
    Structure,
    /// A value holding NUL or another control character.
    ControlCharacter,
    /// A row's CINNOX ID is not a contact CINNOX lists (`--against-cinnox`).
    UnknownId,
    /// A row without an id whose match keys find several contacts.
    AmbiguousMatch,
    /// A row that would be created although CINNOX holds the same person.
    WouldDuplicate,
}

impl Rule {
    /// Every rule, in report order.
    pub const ALL: [Rule; 14] = [
        Rule::MaxLength,
        Rule::PhoneFormat,
        Rule::PhoneInvalid,
        Rule::DateFormat,
        Rule::DateInvalid,
        Rule::Enum,
        Rule::Email,
        Rule::Required,
        Rule::Duplicate,
        Rule::Structure,
        Rule::ControlCharacter,
        Rule::UnknownId,
        Rule::AmbiguousMatch,
        Rule::WouldDuplicate,
    ];

    /// The rules an audit of a list applies (its report counts these).
    pub const LIST: [Rule; 11] = [
        Rule::MaxLength,
        Rule::PhoneFormat,
        Rule::PhoneInvalid,
        Rule::DateFormat,
        Rule::DateInvalid,
        Rule::Enum,
        Rule::Email,
        Rule::Required,
        Rule::Duplicate,
        Rule::Structure,
        Rule::ControlCharacter,
    ];

    /// The rules an audit of the contacts stored in CINNOX applies: the field rules
    /// and duplicates (a listing has no structure of its own to break).
    pub const CINNOX: [Rule; 10] = [
        Rule::MaxLength,
        Rule::PhoneFormat,
        Rule::PhoneInvalid,
        Rule::DateFormat,
        Rule::DateInvalid,
        Rule::Enum,
        Rule::Email,
        Rule::Required,
        Rule::Duplicate,
        Rule::ControlCharacter,
    ];

    /// The code used in reports.
    pub fn code(self) -> &'static str {
        match self {
            Rule::MaxLength => "max_length",
            Rule::PhoneFormat => "phone_format",
            Rule::PhoneInvalid => "phone_invalid",
            Rule::DateFormat => "date_format",
            Rule::DateInvalid => "date_invalid",
            Rule::Enum => "enum",
            Rule::Email => "email",
            Rule::Required => "required",
            Rule::Duplicate => "duplicate",
            Rule::Structure => "structure",
            Rule::ControlCharacter => "control_character",
            Rule::UnknownId => "unknown_id",
            Rule::AmbiguousMatch => "ambiguous_match",
            Rule::WouldDuplicate => "would_duplicate",
        }
    }

    /// The severity of the rule's findings: a duplicate, existing or to come, is
    /// worth a look but CINNOX accepts it; everything else CINNOX would refuse, or
    /// an import or sync would leave the row alone.
    pub fn severity(self) -> Severity {
        match self {
            Rule::Duplicate | Rule::WouldDuplicate => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// `error`: CINNOX would refuse the value or store it wrong. `warning`: worth a look
/// (a duplicate contact), but CINNOX would accept it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The word used in reports.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}
