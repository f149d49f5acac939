//! Mapping files: which column holds which CINNOX field (`file`), the shipped
//! mappings by name (`builtin`), typed column pairs (`typed`), a mapping applied to
//! a header row (`columns`), the per-field sync settings and match keys
//! (`policy`), where the required fields are (`required`), and a mapping guessed from a list's header (`guess`, `synonyms`).

pub mod builtin;
pub mod columns;
pub mod file;
pub mod guess;
pub mod policy;
pub mod required;
pub mod synonyms;
pub mod typed;

pub use columns::{Columns, PairSlot, Role};
pub use file::{Mapping, MappingError, Required};
pub use policy::{ConflictPolicy, Direction, FieldSync, MatchKey, PolicyFrom};
pub use typed::{TypedKind, TypedPair};
