//! What the planner reads: the list (`Table` + its resolved `Columns`), the mapping,
//! the CINNOX listing and staff, a snapshot of the state file and the run's policies.
//! All borrowed and all in memory, so planning is a pure function.

use crate::mapping::{Columns, ConflictPolicy, Mapping, MappingError};
use crate::model::{Contact, FieldId, FieldValues};
use crate::sources::Table;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The state the planner needs, read from the state file before planning.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// Linked contact id → base: the last agreed value of each synced field, in the
    /// form the engine compares (normalised, enum defaults filled in).
    pub links: HashMap<String, FieldValues>,
    /// Contacts whose row was deleted from the list: not appended again.
    pub deleted_rows: HashSet<String>,
    /// Creates journalled but not settled (a crash, or an answer that was lost).
    pub pending_creates: Vec<PendingCreate>,
    /// Ids that rows hold, that CINNOX does not list and that are not linked, but
    /// that this state knows (once linked and gone since, or made by a create of this
    /// job): such a row stands for a contact deleted in CINNOX. Any other unlisted id
    /// is a mistake in the list. Filled for the ids the list holds (`unknown_ids`).
    pub gone: HashSet<String>,
    /// Linked contacts CINNOX stopped listing at an earlier run, whose rows the list
    /// keeps, marked (merged away or deleted): their links are not live any more but
    /// hold the rows' last agreed values, so an edit typed into such a row is told.
    /// Filled for the links CINNOX does not list (`unlisted_links`).
    pub marked: HashSet<String>,
}

impl Snapshot {
    /// The links known before the run that still stand for a contact (not rows
    /// kept marked): what the change-share guard measures against.
    pub fn live_links(&self) -> usize {
        self.links.len() - self.marked.len()
    }
}

/// An open create of the journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingCreate {
    pub seq: i64,
    /// The values the create sent.
    pub values: FieldValues,
    /// The id CINNOX answered, when the answer came but the id was not written back.
    pub contact_id: Option<String>,
}

/// A staff member, for owner names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: String,
    pub name: String,
}

/// What to do with a row whose contact is gone (deleted, or merged into a contact
/// that already has a row).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowPolicy {
    /// Keep the row and say what happened in the status column.
    #[default]
    Mark,
    /// Remove the row from the list.
    Remove,
}

/// The run's policies (job file `[policy]` and flags).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// The conflict policy of every field the mapping sets none for (a policy in
    /// the mapping's `[sync.fields.F]` beats it; it beats the mapping's `[sync]`).
    pub conflict: Option<ConflictPolicy>,
    pub merged_rows: RowPolicy,
    pub deleted_contacts: RowPolicy,
    /// The share of linked records a run may change before it stops (guard).
    pub max_change_share: f64,
    /// Below this many changed records the share guard never trips: a handful of
    /// edits in a small list is not a mass change.
    pub guard_min_changes: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            conflict: None,
            merged_rows: RowPolicy::Mark,
            deleted_contacts: RowPolicy::Mark,
            max_change_share: 0.3,
            guard_min_changes: 10,
        }
    }
}

/// Everything `plan` reads.
#[derive(Clone, Copy)]
pub struct PlanInput<'a> {
    pub table: &'a Table,
    pub columns: &'a SyncColumns,
    pub mapping: &'a Mapping,
    pub contacts: &'a [Contact],
    pub staff: &'a [Staff],
    pub state: &'a Snapshot,
    pub policy: &'a Policy,
}

/// The mapping resolved against the list's header, plus the sync columns (id,
/// status) the list lacks and the run adds at the end of the header.
#[derive(Clone, Debug)]
pub struct SyncColumns {
    pub columns: Columns,
    /// The header the plan's column indices refer to (the list's, plus additions).
    pub header: Vec<String>,
    pub added: Vec<String>,
}

impl SyncColumns {
    /// How the list names `field`: its column's header as written (`Mobile Phone`),
    /// else the field id, for a field the list has no column for.
    pub fn name(&self, field: FieldId) -> &str {
        self.columns
            .column_of(field)
            .and_then(|c| self.header.get(c))
            .map_or(field.key(), String::as_str)
    }

    /// Resolves `mapping` against the columns `header` has (a mapped column the list
    /// lacks is left alone: its field is neither read nor written; only a required
    /// field without a column is refused), adding the id column (sync writes ids)
    /// and the mapping's status column when the list does not have them yet.
    pub fn resolve(mapping: &Mapping, header: &[String], what: &str) -> Result<Self, MappingError> {
        let mut header = header.to_vec();
        let first = mapping.resolve_usable(&header, what)?;
        let mut added = Vec::new();
        if first.id_col.is_none() {
            added.push(mapping.id_column.clone());
        }
        if let (Some(s), None) = (&mapping.status_column, first.status_col) {
            added.push(s.clone());
        }
        if added.is_empty() {
            return Ok(SyncColumns {
                columns: first,
                header,
                added,
            });
        }
        header.extend(added.iter().cloned());
        let columns = mapping.resolve_usable(&header, what)?;
        Ok(SyncColumns {
            columns,
            header,
            added,
        })
    }
}
