//! A plan is data (design rule 3): every change a run will make, each record
//! carrying what it expects to find, so `apply PLAN.json` can re-read both sides and
//! skip (and list) whatever moved since, never clobber. Serialised as JSON.

use crate::mapping::{ConflictPolicy, PolicyFrom};
use crate::model::{FieldId, FieldValues};
use serde::{Deserialize, Serialize};

/// The plan format's version; `apply` refuses plans of another version.
pub const PLAN_VERSION: u32 = 1;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub version: u32,
    /// The header the plan was computed on (after the columns it adds).
    pub header: Vec<String>,
    /// Sync columns the list lacks and the run adds (id, status).
    pub add_columns: Vec<String>,
    pub records: Vec<Record>,
    /// Open creates of the journal and what the listing says became of them.
    pub journal: Vec<JournalOutcome>,
    /// Linked contacts that are gone from both sides' view: links to drop.
    pub unlink: Vec<String>,
    /// Linked contacts CINNOX no longer lists whose rows stay in the list, marked:
    /// remembered as gone, their links kept (the rows' last agreed values, so an
    /// edit typed into such a row later is told, not lost).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept_gone: Vec<String>,
    pub counts: Counts,
    /// The guard that refused this plan when it was made: `apply` refuses it too,
    /// unless forced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guard: Option<GuardError>,
}

/// A row as a saved plan finds it again: by its CINNOX id when it has one, else by
/// a fingerprint of its cells; `line` is for messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowRef {
    pub line: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// FNV-1a of the row's cells at plan time, hex.
    pub fingerprint: String,
}

/// A contact as the plan saw it: its id and `Contact::content_hash`, hex.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRef {
    pub id: String,
    pub expect_hash: String,
}

/// Everything planned about one row and/or one contact.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<RowRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<ContactRef>,
    pub actions: Vec<Action>,
    /// The link (and base values) to save once the record's remote write, if any,
    /// is confirmed. `contact_id` is empty for a create (the new id is used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<NewLink>,
    /// Links of rows merged into this record's contact whose edits this record
    /// carries: saved with `link`, once the record's write is confirmed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_links: Vec<NewLink>,
    /// The link to save when the record's write fails: a row relinked to the
    /// contact its own was merged into gets the new id written whatever happens,
    /// so the base it last agreed on moves to that id, unsettled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_link: Option<NewLink>,
    /// The status cell the row should show when everything succeeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Whether the pair was linked before this run (for the change-share guard).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub was_linked: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewLink {
    pub contact_id: String,
    pub base: FieldValues,
}

/// One planned step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Create a contact from a row; its new id is written back to the row.
    CreateContact { values: FieldValues },
    /// Update a contact: `values` is the full body (its current values with the
    /// changes applied), `changes` what differs.
    UpdateContact {
        values: FieldValues,
        changes: Vec<FieldChange>,
    },
    /// Change cells of an existing row.
    SetCells {
        cells: Vec<CellChange>,
        reason: String,
        /// The row is marked as its contact gone (merged away, deleted in CINNOX).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        marks: bool,
    },
    /// Add a row for a contact new in CINNOX.
    AppendRow { cells: Vec<String> },
    /// Remove the row.
    RemoveRow { reason: String },
    /// Link the row to the contact (a match, a merge survivor, a recovered create).
    Link { contact_id: String, how: String },
    /// A field changed on both sides.
    Conflict(Conflict),
    /// Something the user should know that needs no write (an owner edited in the
    /// list and replaced, a row deleted from the list).
    Note {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<FieldId>,
        message: String,
    },
    /// Nothing done, and why.
    Skip { reason: String },
    /// The row of a linked contact was deleted from the list: remembered, not re-added.
    Forget { contact_id: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: FieldId,
    /// The field's column as the list names it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub column: String,
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellChange {
    /// The header of the column (a saved plan finds the column by it).
    pub column: String,
    pub old: String,
    pub new: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub field: FieldId,
    /// The field's column as the list names it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub column: String,
    pub base: Option<String>,
    pub source: String,
    /// The line the list's value is on when it is not the record's own row: a row
    /// whose contact was merged into this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_line: Option<usize>,
    pub cinnox: String,
    pub policy: ConflictPolicy,
    /// Where `policy` was set (the field's own policy, the job's, the mapping's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_from: Option<PolicyFrom>,
    /// `kept both` for `report`, else which side's value was taken.
    pub resolution: String,
}

impl Conflict {
    /// The column's name for messages (the field id in plans from before names).
    pub fn name(&self) -> &str {
        if self.column.is_empty() {
            self.field.key()
        } else {
            &self.column
        }
    }

    /// `cinnox-wins, from [policy] conflict in the job file`.
    pub fn settled_by(&self) -> String {
        match &self.policy_from {
            Some(from) => format!("{}, from {from}", self.policy),
            None => self.policy.to_string(),
        }
    }
}

/// What became of an open create of the journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalOutcome {
    pub seq: i64,
    /// The contact that create made, found in the listing; `None`: it never happened.
    pub found: Option<String>,
}

/// How many of each thing the plan holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub creates: usize,
    pub updates: usize,
    /// Existing rows with at least one cell changed (status included).
    pub rows_changed: usize,
    pub rows_appended: usize,
    pub rows_removed: usize,
    pub rows_marked: usize,
    pub links: usize,
    pub conflicts: usize,
    /// Conflicts left unresolved (policy `report`).
    pub unresolved: usize,
    /// Rows not sent because a value breaks a CINNOX rule.
    pub invalid: usize,
    pub skips: usize,
    pub notes: usize,
    pub unchanged: usize,
    /// Linked records before this run, and how many of them this run changes.
    pub linked: usize,
    pub linked_changed: usize,
}

impl Plan {
    /// Whether applying the plan would write anything anywhere.
    pub fn writes_nothing(&self) -> bool {
        let c = &self.counts;
        c.creates + c.updates + c.rows_changed + c.rows_appended + c.rows_removed == 0
            && self.add_columns.is_empty()
    }

    /// Recomputes `counts` from the records: the one place a plan is counted, over
    /// the same actions the summary lists (`Action::listed`), so every count equals
    /// the entries listed. `linked`: the live links known before the run.
    pub fn count(&mut self, linked: usize) {
        let mut c = Counts {
            linked,
            ..Counts::default()
        };
        for r in &self.records {
            let mut touched = false;
            let mut cells = false;
            for a in &r.actions {
                match a {
                    Action::CreateContact { .. } => c.creates += 1,
                    Action::UpdateContact { .. } => {
                        c.updates += 1;
                        touched = true;
                    }
                    Action::SetCells { reason, marks, .. } => {
                        cells = true;
                        // The status, a new id or owner columns mirrored from
                        // CINNOX (a bulk transfer) cannot hurt; values and marks can.
                        if !matches!(reason.as_str(), STATUS_REASON | ID_REASON | MIRROR_REASON) {
                            touched = true;
                        }
                        if *marks {
                            c.rows_marked += 1;
                        }
                    }
                    Action::AppendRow { .. } => c.rows_appended += 1,
                    Action::RemoveRow { .. } => {
                        c.rows_removed += 1;
                        touched = true;
                    }
                    Action::Link { .. } => c.links += 1,
                    Action::Conflict(k) => {
                        c.conflicts += 1;
                        if k.policy == ConflictPolicy::Report {
                            c.unresolved += 1;
                        }
                    }
                    Action::Note { .. } => c.notes += 1,
                    // Its row's deletion is told by the note beside it.
                    Action::Forget { .. } => touched = true,
                    Action::Skip { reason } => {
                        if reason.starts_with(INVALID_PREFIX) {
                            c.invalid += 1;
                        } else {
                            c.skips += 1;
                        }
                    }
                }
            }
            if cells {
                c.rows_changed += 1;
            }
            if r.actions.is_empty() {
                c.unchanged += 1;
            }
            if touched && r.was_linked {
                c.linked_changed += 1;
            }
        }
        self.counts = c;
    }
}

/// How a run's summary lists an action.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Listed {
    /// Among the problems (conflicts and skips: counted as `conflicts`, `invalid`
    /// and `skips`).
    Problem,
    /// Among the notes (counted as `notes`).
    Note,
    /// Only in the plan's lines.
    Plan,
}

impl Action {
    /// Where a summary lists this action; `Plan::count` counts the same.
    pub fn listed(&self) -> Listed {
        match self {
            Action::Conflict(_) | Action::Skip { .. } => Listed::Problem,
            Action::Note { .. } => Listed::Note,
            _ => Listed::Plan,
        }
    }
}

/// The reason of a `SetCells` that only writes the status column.
pub const STATUS_REASON: &str = "status";
/// The reason of a `SetCells` that writes a new id back.
pub const ID_REASON: &str = "new CINNOX id";
/// The reason of a `SetCells` that only mirrors columns CINNOX alone sets (the
/// owner): a routine reassignment, not a change that can hurt.
pub const MIRROR_REASON: &str = "owner from CINNOX";
/// How the reason of a skip for invalid values starts.
pub const INVALID_PREFIX: &str = "not sent to CINNOX:";

/// A guard that stopped a run. Saved with a plan (`Plan::guard`), so `apply`
/// refuses a plan a guard refused unless forced.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "name", rename_all = "kebab-case")]
pub enum GuardError {
    #[error(
        "guard empty-cinnox: CINNOX listed no contacts while {links} contacts are linked; nothing was changed"
    )]
    EmptyCinnox { links: usize },
    /// The list has no rows, only blank ones, or none holding an id: as good as
    /// empty to a run, which would forget (or re-create) every linked contact.
    #[error("guard empty-list: {what} while {links} contacts are linked; nothing was changed")]
    EmptyList { links: usize, what: String },
    #[error(
        "guard max-change-share: this run would change {changed} of {linked} linked records ({pct:.0}%), more than the allowed {max:.0}%; nothing was changed"
    )]
    #[serde(rename = "max-change-share")]
    TooManyChanges {
        changed: usize,
        linked: usize,
        pct: f64,
        max: f64,
    },
}

impl GuardError {
    /// The guard's short name, for the JSON summary.
    pub fn name(&self) -> &'static str {
        match self {
            GuardError::EmptyCinnox { .. } => "empty-cinnox",
            GuardError::EmptyList { .. } => "empty-list",
            GuardError::TooManyChanges { .. } => "max-change-share",
        }
    }
}
