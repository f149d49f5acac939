//! The contact model: every CINNOX external-contact field (`FieldId`), the values of
//! a contact or a row (`FieldValues`), a contact as listed (`Contact`), the canonical
//! enum spellings, and normalisation. Pure data and pure functions; no IO.

pub mod contact;
pub mod e164;
pub mod enums;
pub mod field;
pub mod normalise;
pub mod values;

pub use contact::{Contact, values_hash};
pub use field::{EnumKind, FieldId, FieldKind, Norm, Typed};
pub use normalise::Normaliser;
pub use values::FieldValues;
