//! What a run did to each record, as data: one `Entry` per create, update, row
//! change, append, removal, link, conflict, rejection (with CINNOX's message), note
//! and skip, in the order the run met them. `apply` and the import's `send` fill
//! them as they go, so an entry says what happened, not what was planned (a write
//! CINNOX refused is a `rejected` entry; a write a stopped run did not send is
//! `not_sent`). The state file keeps them with the run (`history --run N`).

use super::plan::{Action, INVALID_PREFIX, Record};
use serde::{Deserialize, Serialize};

/// One thing a run did (or found) about one record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub kind: EntryKind,
    /// The record's line in the list (header = 1), when it has a row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The CINNOX contact, when one is concerned (a new contact's new id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<String>,
    pub message: String,
}

/// What kind of thing an entry records.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Created,
    Updated,
    /// Cells of an existing row written.
    Row,
    Appended,
    Removed,
    Linked,
    Conflict,
    /// CINNOX refused the write (its message), or the write failed.
    Rejected,
    /// A create whose answer was lost; the next run looks for it.
    Unanswered,
    /// Not sent: a value breaks a CINNOX rule, or the row is broken.
    Invalid,
    /// Left alone for a reason to settle (an ambiguous match, an id in two rows).
    Skipped,
    Note,
    /// The row or the contact changed since a saved plan.
    Stale,
    /// A write the run did not send because it was asked to stop.
    NotSent,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Created => "created",
            EntryKind::Updated => "updated",
            EntryKind::Row => "row",
            EntryKind::Appended => "appended",
            EntryKind::Removed => "removed",
            EntryKind::Linked => "linked",
            EntryKind::Conflict => "conflict",
            EntryKind::Rejected => "rejected",
            EntryKind::Unanswered => "unanswered",
            EntryKind::Invalid => "invalid",
            EntryKind::Skipped => "skipped",
            EntryKind::Note => "note",
            EntryKind::Stale => "stale",
            EntryKind::NotSent => "not_sent",
        }
    }

    pub fn parse(s: &str) -> Option<EntryKind> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }
}

impl Entry {
    pub fn new(
        kind: EntryKind,
        line: Option<usize>,
        contact_id: Option<&str>,
        message: impl Into<String>,
    ) -> Entry {
        Entry {
            kind,
            line,
            contact_id: contact_id.map(str::to_string),
            message: message.into(),
        }
    }
}

/// The entry of one action of `rec` that needs no remote write, as applied (the
/// remote writes are logged with their outcome by whoever sends them). `None` for
/// what is not worth an entry of its own (a forgotten contact has its note).
pub fn local_entry(rec: &Record, a: &Action) -> Option<Entry> {
    let line = rec.row.as_ref().map(|r| r.line);
    let id = rec.contact.as_ref().map(|c| c.id.as_str());
    let (kind, message) = match a {
        Action::SetCells { cells, reason, .. } => {
            let changed: Vec<String> = cells
                .iter()
                .map(|c| format!("{} {:?} -> {:?}", c.column, c.old, c.new))
                .collect();
            (EntryKind::Row, format!("{} ({reason})", changed.join(", ")))
        }
        Action::AppendRow { .. } => (
            EntryKind::Appended,
            "new in CINNOX, added to the list".into(),
        ),
        Action::RemoveRow { reason } => (EntryKind::Removed, reason.clone()),
        Action::Link { contact_id, how } => {
            return Some(Entry::new(
                EntryKind::Linked,
                line,
                Some(contact_id),
                how.clone(),
            ));
        }
        Action::Conflict(k) => (
            EntryKind::Conflict,
            format!(
                "{}: list {:?}, CINNOX {:?} ({}: {})",
                k.field, k.source, k.cinnox, k.policy, k.resolution
            ),
        ),
        Action::Note { message, .. } => (EntryKind::Note, message.clone()),
        Action::Skip { reason } if reason.starts_with(INVALID_PREFIX) => {
            (EntryKind::Invalid, reason.clone())
        }
        Action::Skip { reason } => (EntryKind::Skipped, reason.clone()),
        Action::CreateContact { .. } | Action::UpdateContact { .. } | Action::Forget { .. } => {
            return None;
        }
    };
    Some(Entry::new(kind, line, id, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in [EntryKind::Created, EntryKind::NotSent, EntryKind::Row] {
            assert_eq!(EntryKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(EntryKind::parse("nonsense"), None);
    }
}
