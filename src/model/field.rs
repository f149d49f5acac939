//! `FieldId`: every CINNOX external-contact field the connector knows, with the facts
//! each layer needs about it: its field id (used in reports and mapping files), the
//! rule family that validates it, how its values are normalised (`Norm`, declared
//! once per kind, so every field of a kind is compared and keyed alike), the type
//! value it is filed under when it belongs to a typed group (a phone of type
//! `Mobile`...), and whether the API lets us write it. The names CINNOX gives the
//! field on the wire are not here: they live in `cinnox::names`, the one table of
//! wire names.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The rule family of a field; validation and normalisation dispatch on it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Free text with a character limit (counted in Unicode scalar values after NFC).
    Text { max: usize },
    /// A phone number that must be written in E.164.
    Phone,
    /// An email address.
    Email,
    /// A social messaging id or name (at most 100 characters). `phone`: the id is a
    /// phone number (WhatsApp), normalised as one.
    Social { phone: bool },
    /// `dd/mm/yyyy`, a real calendar date.
    Date,
    /// One of a fixed list of canonical spellings.
    Enum(EnumKind),
    /// Set only inside CINNOX (owner fields): never written through the API.
    ReadOnly,
}

/// How the values of a field are brought to one form before they are compared,
/// keyed (match keys, duplicates) or sent: one rule per kind of value.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Norm {
    /// Trimmed, Unicode NFC.
    Text,
    /// E.164 when the text is a real phone number, else as text.
    Phone,
    /// Lower case, trimmed, NFC.
    Email,
    /// `dd/mm/yyyy` when it is a real date written another way, else as text.
    Date,
    /// The canonical spelling of the enumeration, else as text.
    Enum(EnumKind),
}

impl FieldKind {
    /// The normalisation of every field of this kind.
    pub fn norm(self) -> Norm {
        match self {
            FieldKind::Text { .. } | FieldKind::ReadOnly => Norm::Text,
            FieldKind::Social { phone: false } => Norm::Text,
            FieldKind::Phone | FieldKind::Social { phone: true } => Norm::Phone,
            FieldKind::Email => Norm::Email,
            FieldKind::Date => Norm::Date,
            FieldKind::Enum(kind) => Norm::Enum(kind),
        }
    }
}

/// The enumerations of the CINNOX field rules (cinnox-api.md §3).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumKind {
    Level,
    CustomerType,
    Language,
    PhoneType,
    EmailType,
    SocialType,
}

/// The typed group a field belongs to: one of the phones, emails or social
/// messaging ids, filed under a type value (`Mobile`, `Personal`, `LINE`...), as both
/// CINNOX's contact form and the type columns of a list do.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Typed {
    /// A field of its own.
    No,
    /// A phone of this `Phone Type`.
    Phone(&'static str),
    /// An email of this `Email Type`.
    Email(&'static str),
    /// A social messaging id of this `Social Messaging Type`.
    Social(&'static str),
}

macro_rules! fields {
    ($( $variant:ident => $key:literal, $kind:expr, $typed:expr; )*) => {
        /// Every external-contact field. The order is the display order of reports.
        #[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FieldId { $( $variant, )* }

        impl FieldId {
            /// Every field, in declaration order.
            pub const ALL: &'static [FieldId] = &[ $( FieldId::$variant, )* ];
            /// How many fields there are.
            pub const COUNT: usize = [$( FieldId::$variant, )*].len();

            /// The field id used in reports and mapping files (`address.*` for the
            /// members of the address).
            pub fn key(self) -> &'static str {
                match self { $( FieldId::$variant => $key, )* }
            }

            /// The rule family of this field.
            pub fn kind(self) -> FieldKind {
                match self { $( FieldId::$variant => $kind, )* }
            }

            /// The typed group this field belongs to, and its type value there.
            pub fn typed(self) -> Typed {
                match self { $( FieldId::$variant => $typed, )* }
            }
        }
    };
}

use FieldKind::{Email, Enum, Phone, ReadOnly, Text};
use Typed as T;

/// A social messaging id that is a phone number (WhatsApp, WhatsApp Cloud).
const SOCIAL_PHONE: FieldKind = FieldKind::Social { phone: true };
/// A social messaging id or name.
const SOCIAL: FieldKind = FieldKind::Social { phone: false };

fields! {
    FirstName => "firstName", Text { max: 50 }, T::No;
    LastName => "lastName", Text { max: 50 }, T::No;
    MobilePhone => "mobilePhone", Phone, T::Phone("Mobile");
    WorkPhone => "workPhone", Phone, T::Phone("Work");
    HomePhone => "homePhone", Phone, T::Phone("Home");
    OtherPhone => "otherPhone", Phone, T::Phone("Other");
    Email => "email", Email, T::Email("Work");
    PersonalEmail => "personalEmail", Email, T::Email("Personal");
    OtherEmail => "otherEmail", Email, T::Email("Other");
    Facebook => "facebook", SOCIAL, T::Social("Messenger");
    WhatsApp => "whatsApp", SOCIAL_PHONE, T::Social("WhatsApp");
    WeChat => "weChat", SOCIAL, T::Social("WeChat");
    Line => "line", SOCIAL, T::Social("LINE");
    Twitter => "twitter", SOCIAL, T::Social("Twitter");
    Linkedin => "linkedin", SOCIAL, T::Social("LinkedIn");
    WoztellWhatsApp => "woztellWhatsApp", SOCIAL_PHONE, T::Social("WOZTELL (WhatsApp Cloud)");
    WoztellFacebook => "woztellFacebook", SOCIAL, T::Social("WOZTELL (Facebook)");
    WoztellInstagram => "woztellInstagram", SOCIAL, T::Social("WOZTELL (Instagram)");
    CompanyName => "companyName", Text { max: 100 }, T::No;
    Department => "department", Text { max: 100 }, T::No;
    JobTitle => "jobTitle", Text { max: 100 }, T::No;
    Group => "group", Text { max: 100 }, T::No;
    Birthday => "birthday", FieldKind::Date, T::No;
    Language => "language", Enum(EnumKind::Language), T::No;
    CustomerType => "customerType", Enum(EnumKind::CustomerType), T::No;
    Level => "level", Enum(EnumKind::Level), T::No;
    Street => "address.street", Text { max: 50 }, T::No;
    City => "address.city", Text { max: 50 }, T::No;
    State => "address.state", Text { max: 50 }, T::No;
    Zipcode => "address.zipcode", Text { max: 10 }, T::No;
    Country => "address.country", Text { max: 50 }, T::No;
    OwnerId => "ownerId", ReadOnly, T::No;
    OwnerName => "ownerName", ReadOnly, T::No;
    OwnerDepartment => "ownerDepartment", ReadOnly, T::No;
}

impl FieldId {
    /// Position of the field in [`FieldId::ALL`]; stable within one build.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the API lets a client write this field (owner fields are set only
    /// inside CINNOX).
    pub fn is_writable(self) -> bool {
        self.kind() != FieldKind::ReadOnly
    }

    /// The value CINNOX stores when this field is left empty (level, type): such a
    /// field is never empty in CINNOX, so an empty cell means "not set".
    pub fn cinnox_default(self) -> Option<&'static str> {
        match self.kind() {
            FieldKind::Enum(kind) => kind.default_value(),
            _ => None,
        }
    }

    /// Looks a field up by its key, case-insensitively; also accepts the bare address
    /// member names (`zipcode`, `city`, ...).
    pub fn parse(key: &str) -> Option<FieldId> {
        let key = key.trim();
        FieldId::ALL.iter().copied().find(|f| {
            let k = f.key();
            k.eq_ignore_ascii_case(key)
                || k.strip_prefix("address.")
                    .is_some_and(|m| m.eq_ignore_ascii_case(key))
        })
    }

    /// The field's name as CINNOX's dashboard and contact template show it (and as
    /// the `wide` and `cinnox-fields` mappings name their columns): what a report
    /// about contacts stored in CINNOX calls the field.
    pub fn label(self) -> &'static str {
        use FieldId as F;
        match self {
            F::FirstName => "First Name",
            F::LastName => "Last Name",
            F::MobilePhone => "Mobile Phone",
            F::WorkPhone => "Work Phone",
            F::HomePhone => "Home Phone",
            F::OtherPhone => "Other Phone",
            F::Email => "Email",
            F::PersonalEmail => "Personal Email",
            F::OtherEmail => "Other Email",
            F::Facebook => "Messenger",
            F::WhatsApp => "WhatsApp",
            F::WeChat => "WeChat",
            F::Line => "LINE",
            F::Twitter => "Twitter",
            F::Linkedin => "LinkedIn",
            F::WoztellWhatsApp => "WOZTELL (WhatsApp Cloud)",
            F::WoztellFacebook => "WOZTELL (Facebook)",
            F::WoztellInstagram => "WOZTELL (Instagram)",
            F::CompanyName => "Company",
            F::Department => "Team",
            F::JobTitle => "Job Title",
            F::Group => "Group",
            F::Birthday => "Birth Date",
            F::Language => "Language",
            F::CustomerType => "Type",
            F::Level => "Level",
            F::Street => "Street",
            F::City => "City",
            F::State => "State",
            F::Zipcode => "Zip Code",
            F::Country => "Country",
            F::OwnerId => "Owner ID",
            F::OwnerName => "Owner",
            F::OwnerDepartment => "Owner Department",
        }
    }

    /// The phone fields, in the order a single phone column picks from.
    pub const PHONES: [FieldId; 4] = [
        FieldId::MobilePhone,
        FieldId::WorkPhone,
        FieldId::HomePhone,
        FieldId::OtherPhone,
    ];
    /// The email fields, in the order a single email column picks from.
    pub const EMAILS: [FieldId; 3] = [FieldId::Email, FieldId::PersonalEmail, FieldId::OtherEmail];
    /// The social messaging fields, in the order a single social column picks from.
    pub const SOCIALS: [FieldId; 9] = [
        FieldId::Facebook,
        FieldId::WhatsApp,
        FieldId::WeChat,
        FieldId::Line,
        FieldId::Twitter,
        FieldId::Linkedin,
        FieldId::WoztellWhatsApp,
        FieldId::WoztellFacebook,
        FieldId::WoztellInstagram,
    ];
}

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl Serialize for FieldId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for FieldId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        FieldId::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown field `{s}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_parses_back_to_its_field() {
        for f in FieldId::ALL {
            assert_eq!(FieldId::parse(f.key()), Some(*f));
            assert_eq!(FieldId::ALL[f.index()], *f);
        }
        assert_eq!(FieldId::parse("ZIPCODE"), Some(FieldId::Zipcode));
        assert_eq!(FieldId::parse("nope"), None);
    }

    #[test]
    fn every_field_of_a_kind_is_normalised_alike() {
        // WhatsApp ids are phone numbers; other social ids are names.
        assert_eq!(FieldId::WhatsApp.kind().norm(), Norm::Phone);
        assert_eq!(FieldId::WoztellWhatsApp.kind().norm(), Norm::Phone);
        assert_eq!(FieldId::Line.kind().norm(), Norm::Text);
        for f in FieldId::PHONES {
            assert_eq!(f.kind().norm(), Norm::Phone);
        }
        for f in FieldId::EMAILS {
            assert_eq!(f.kind().norm(), Norm::Email);
        }
        assert_eq!(FieldId::Level.cinnox_default(), Some("Primary"));
        assert_eq!(FieldId::Language.cinnox_default(), None);
    }

    #[test]
    fn owner_fields_are_read_only() {
        assert!(!FieldId::OwnerId.is_writable());
        assert!(FieldId::FirstName.is_writable());
        assert_eq!(FieldId::COUNT, FieldId::ALL.len());
    }
}
