//! Typed column pairs: CINNOX's template has one `Phone Type` + `Phone Number` pair
//! (likewise email and social id) per row, where the type cell says which CINNOX
//! field the value cell fills (`Work` puts the number in `workPhone`).

use crate::model::EnumKind;
use crate::model::FieldId;
use crate::model::enums::{email_field, phone_field, social_field};

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypedKind {
    Phone,
    Email,
    Social,
}

impl TypedKind {
    pub fn parse(s: &str) -> Option<TypedKind> {
        match s {
            "phone" => Some(TypedKind::Phone),
            "email" => Some(TypedKind::Email),
            "social" => Some(TypedKind::Social),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TypedKind::Phone => "phone",
            TypedKind::Email => "email",
            TypedKind::Social => "social",
        }
    }

    /// The enumeration the type cell must hold.
    pub fn enum_kind(self) -> EnumKind {
        match self {
            TypedKind::Phone => EnumKind::PhoneType,
            TypedKind::Email => EnumKind::EmailType,
            TypedKind::Social => EnumKind::SocialType,
        }
    }

    /// The fields the pair can fill, in the order a new row picks from.
    pub fn fields(self) -> &'static [FieldId] {
        match self {
            TypedKind::Phone => &FieldId::PHONES,
            TypedKind::Email => &FieldId::EMAILS,
            TypedKind::Social => &FieldId::SOCIALS,
        }
    }

    /// The field a type cell selects.
    pub fn select(self, type_cell: &str) -> Option<FieldId> {
        match self {
            TypedKind::Phone => phone_field(type_cell),
            TypedKind::Email => email_field(type_cell),
            TypedKind::Social => social_field(type_cell),
        }
    }

    /// The pseudo field id reported for the type column (`phoneType`...).
    pub fn type_field_key(self) -> &'static str {
        match self {
            TypedKind::Phone => "phoneType",
            TypedKind::Email => "emailType",
            TypedKind::Social => "socialType",
        }
    }

    /// The field id reported for a value column whose type cannot be read.
    pub fn value_field_key(self) -> &'static str {
        match self {
            TypedKind::Phone => "phone",
            TypedKind::Email => "email",
            TypedKind::Social => "social",
        }
    }
}

/// One typed pair of a mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypedPair {
    pub kind: TypedKind,
    pub type_column: String,
    pub value_column: String,
    /// The type assumed when the type cell is empty but the value is not.
    pub default_type: Option<&'static str>,
}
