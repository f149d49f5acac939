//! The sync settings a mapping gives each field: which way changes flow
//! (`Direction`), who wins a conflict (`ConflictPolicy`, and where the policy that
//! settled one was set: `PolicyFrom`), and how unlinked rows are matched to
//! contacts (`MatchKey`).

use crate::model::FieldId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which way a field's changes flow.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Edits on either side reach the other.
    #[default]
    Both,
    /// The list is the source of truth; CINNOX edits are overwritten.
    ToCinnox,
    /// CINNOX is the source of truth; edits in the list are reported and overwritten.
    FromCinnox,
    /// Never compared or written.
    Ignore,
}

impl Direction {
    pub fn to_cinnox(self) -> bool {
        matches!(self, Direction::Both | Direction::ToCinnox)
    }
    pub fn from_cinnox(self) -> bool {
        matches!(self, Direction::Both | Direction::FromCinnox)
    }
}

/// Who wins when a field changed on both sides to different values.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictPolicy {
    CinnoxWins,
    SourceWins,
    /// Leave both sides as they are and list the conflict.
    #[default]
    Report,
}

impl fmt::Display for ConflictPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConflictPolicy::CinnoxWins => "cinnox-wins",
            ConflictPolicy::SourceWins => "source-wins",
            ConflictPolicy::Report => "report",
        })
    }
}

/// Where the policy that settles a field's conflict was set. The precedence, most
/// specific first: a policy the mapping sets for that field, then the job's
/// `[policy] conflict` (for every other field), then the mapping's `[sync]
/// conflict` (whose own default is `report`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "set_by", content = "field", rename_all = "kebab-case")]
pub enum PolicyFrom {
    /// `[sync.fields.FIELD] conflict` in the mapping.
    MappingField(FieldId),
    /// `[policy] conflict` in the job file.
    Job,
    /// `[sync] conflict` in the mapping, or its default.
    Mapping,
}

impl fmt::Display for PolicyFrom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyFrom::MappingField(field) => {
                write!(f, "sync.fields.{}.conflict in the mapping", field.key())
            }
            PolicyFrom::Job => f.write_str("[policy] conflict in the job file"),
            PolicyFrom::Mapping => f.write_str("[sync] conflict in the mapping"),
        }
    }
}

/// One way of matching an unlinked row to a contact.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum MatchKey {
    /// Any email field of the row equals any email field of the contact.
    AnyEmail,
    /// Any phone field of the row equals any phone field of the contact.
    AnyPhone,
    /// This one field is equal on both.
    Field(FieldId),
}

impl MatchKey {
    /// Reads `email`, `phone`, or a field id.
    pub fn parse(s: &str) -> Option<MatchKey> {
        match s.trim() {
            "email" => Some(MatchKey::AnyEmail),
            "phone" => Some(MatchKey::AnyPhone),
            other => FieldId::parse(other).map(MatchKey::Field),
        }
    }

    /// The fields whose values this key compares.
    pub fn fields(self) -> Vec<FieldId> {
        match self {
            MatchKey::AnyEmail => FieldId::EMAILS.to_vec(),
            MatchKey::AnyPhone => FieldId::PHONES.to_vec(),
            MatchKey::Field(f) => vec![f],
        }
    }
}

impl fmt::Display for MatchKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MatchKey::AnyEmail => f.write_str("email"),
            MatchKey::AnyPhone => f.write_str("phone"),
            MatchKey::Field(field) => f.write_str(field.key()),
        }
    }
}

/// The sync settings of one field.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FieldSync {
    pub direction: Direction,
    pub conflict: ConflictPolicy,
}
