//! Mapping files: which column holds which CINNOX field (`file`), typed column pairs
//! (`typed`), a mapping applied to a header row (`columns`), and the per-field sync
//! settings and match keys (`policy`).

pub mod columns;
pub mod file;
pub mod policy;
pub mod typed;

pub use columns::{Columns, PairSlot, Role};
pub use file::{Mapping, MappingError, Required};
pub use policy::{ConflictPolicy, Direction, FieldSync, MatchKey, PolicyFrom};
pub use typed::{TypedKind, TypedPair};
