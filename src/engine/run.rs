//! One sync run end to end: read the list and the CINNOX listing (and the staff
//! list, only when an owner name must be filled in), snapshot the state, plan, check
//! the guards, and apply unless it is a dry run. Also `apply_saved` for a plan
//! saved earlier, which re-reads both sides and re-checks the guards first. Phone
//! numbers a Google Sheet holds as numbers are read as the numbers they stand for
//! before planning (`validate::numeric`), so a lost `+` is never taken for an edit.
//! A run asked to stop (`RunOptions::cancel`) before its first write applies
//! nothing; once applying, it stops between writes (see `apply`).

use super::apply::{ApplyError, ApplyReport, Sides, apply};
use super::plan::GuardError;
use super::plan::{PLAN_VERSION, Plan};
use super::seams::{Cancel, CheckpointError, Checkpoints, Remote, RemoteError};
use super::sync::guards;
use super::sync::input::{PlanInput, Policy, Snapshot, Staff, SyncColumns};
use super::sync::unlisted::{unknown_ids, unlisted_links};
use crate::mapping::{Mapping, MappingError};
use crate::model::{Contact, FieldId};
use crate::sources::{SourceError, Store, Table};
use crate::validate::numeric;

#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Plan only: write nothing anywhere.
    pub dry_run: bool,
    /// Go ahead even when a guard trips.
    pub force: bool,
    /// Refuse to run when the list lacks the id column (or the mapping's status
    /// column) instead of adding it: a list whose layout is only changed when asked
    /// (a Google Sheet).
    pub require_sync_columns: bool,
    /// Set by the caller to stop the run safely (checked before each write).
    pub cancel: Cancel,
}

/// What a run planned and, unless it stopped, did.
#[derive(Debug)]
pub struct SyncRun {
    pub plan: Plan,
    /// The guard that stopped the run (not set when forced).
    pub guard: Option<GuardError>,
    /// What applying did; `None` for a dry run, a run a guard stopped, or one asked
    /// to stop before it applied anything.
    pub report: Option<ApplyReport>,
    /// What the user should know about how the list was read (phone numbers a
    /// sheet holds as numbers).
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The message names the remote error, which is therefore not also its source.
    #[error("CINNOX: {0}")]
    Remote(RemoteError),
    #[error(transparent)]
    Mapping(#[from] MappingError),
    #[error(transparent)]
    State(#[from] CheckpointError),
    #[error("{0}")]
    Plan(String),
    /// The list lacks a sync column and the run was told not to add it (the caller
    /// says how to let it).
    #[error(
        "{what} has no {} column",
        names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(" or ")
    )]
    MissingSyncColumns { what: String, names: Vec<String> },
    /// Applying stopped at the list write: what was done before, for the summary.
    #[error("{error}")]
    ListNotWritten {
        error: SourceError,
        plan: Box<Plan>,
        done: Box<ApplyReport>,
        notes: Vec<String>,
    },
}

impl From<RemoteError> for RunError {
    fn from(e: RemoteError) -> Self {
        RunError::Remote(e)
    }
}

impl RunError {
    fn from_apply(e: ApplyError, plan: &Plan, notes: Vec<String>) -> Self {
        match e {
            ApplyError::State(s) => RunError::State(s),
            ApplyError::List { error, done } => RunError::ListNotWritten {
                error,
                plan: Box::new(plan.clone()),
                done,
                notes,
            },
        }
    }
}

/// Reads phone cells the list holds as numbers as the numbers they stand for
/// (only a sheet has such cells); returns what to tell the user.
fn restore_numbers(table: &mut Table, mapping: &Mapping, what: &str) -> Vec<String> {
    if table.numeric_cells.is_empty() {
        return Vec::new();
    }
    match mapping.resolve_present(&table.header, what) {
        Ok(columns) => numeric::restore(table, &columns, &mapping.normaliser),
        Err(_) => Vec::new(),
    }
}

/// Reads both sides: the list, CINNOX's contacts, and the staff when needed.
pub async fn read_sides<S: Store, R: Remote>(
    store: &mut S,
    remote: &mut R,
    mapping: &Mapping,
) -> Result<(Table, Vec<Contact>, Vec<Staff>), RunError> {
    let table = store.read().await?;
    let contacts = remote.list_contacts().await?;
    let wants_names = mapping.fields().contains(&FieldId::OwnerName);
    let staff = if wants_names
        && contacts
            .iter()
            .any(|c| c.values.has(FieldId::OwnerId) && !c.values.has(FieldId::OwnerName))
    {
        remote.list_staff().await?
    } else {
        Vec::new()
    };
    Ok((table, contacts, staff))
}

/// The state the planner reads, with what the state file knows about the ids the
/// list holds that CINNOX does not list (gone since, or a mistake), and which of
/// the links CINNOX does not list were found gone at an earlier run (rows kept
/// marked).
fn snapshot<C: Checkpoints>(
    state: &C,
    table: &Table,
    columns: &SyncColumns,
    contacts: &[Contact],
) -> Result<Snapshot, CheckpointError> {
    let mut snap = state.snapshot()?;
    let ids = unknown_ids(table, &columns.columns, contacts, &snap);
    snap.gone = state.known_ids(&ids)?;
    snap.marked = state.remembered_gone(&unlisted_links(contacts, &snap))?;
    Ok(snap)
}

/// The sides as this run read them.
struct Read<'a> {
    table: &'a Table,
    contacts: &'a [Contact],
    snapshot: &'a Snapshot,
    /// What the run tells about how the list was read.
    notes: &'a [String],
    cancel: &'a Cancel,
}

impl Read<'_> {
    /// Applies `plan` to the sides as read; a failure keeps what the summary needs
    /// (the plan, the notes).
    async fn apply<S: Store, R: Remote, C: Checkpoints>(
        &self,
        plan: &Plan,
        store: &mut S,
        remote: &mut R,
        state: &mut C,
        run_id: i64,
        mapping: &Mapping,
    ) -> Result<ApplyReport, RunError> {
        let sides = Sides {
            table: self.table,
            store,
            contacts: self.contacts,
            remote,
            state,
            links: &self.snapshot.links,
            run_id,
            mapping,
            cancel: self.cancel,
        };
        apply(plan, sides)
            .await
            .map_err(|e| RunError::from_apply(e, plan, self.notes.to_vec()))
    }
}

/// Plans and (unless told not to, or a guard trips) applies one sync.
pub async fn sync<S: Store, R: Remote, C: Checkpoints>(
    store: &mut S,
    remote: &mut R,
    state: &mut C,
    run_id: i64,
    mapping: &Mapping,
    policy: &Policy,
    opts: RunOptions,
) -> Result<SyncRun, RunError> {
    let (mut table, contacts, staff) = read_sides(store, remote, mapping).await?;
    let what = store.describe();
    let columns = SyncColumns::resolve(mapping, &table.header, &what)?;
    if opts.require_sync_columns && !columns.added.is_empty() {
        return Err(RunError::MissingSyncColumns {
            what,
            names: columns.added,
        });
    }
    let notes = restore_numbers(&mut table, mapping, &what);
    let snapshot = snapshot(state, &table, &columns, &contacts)?;
    let input = PlanInput {
        table: &table,
        columns: &columns,
        mapping,
        contacts: &contacts,
        staff: &staff,
        state: &snapshot,
        policy,
    };
    let mut plan = super::sync::plan(&input);
    let guard = guards::check(&input, &plan).err();
    plan.guard = guard.clone();
    let stopped = opts.cancel.stopped().is_some();
    if opts.dry_run || stopped || (guard.is_some() && !opts.force) {
        return Ok(SyncRun {
            plan,
            guard: guard.filter(|_| !opts.force),
            report: None,
            notes,
        });
    }
    let read = Read {
        table: &table,
        contacts: &contacts,
        snapshot: &snapshot,
        notes: &notes,
        cancel: &opts.cancel,
    };
    let report = read
        .apply(&plan, store, remote, state, run_id, mapping)
        .await?;
    Ok(SyncRun {
        plan,
        guard: None,
        report: Some(report),
        notes,
    })
}

/// What applying a saved plan did.
#[derive(Debug)]
pub struct SavedRun {
    /// The guard that refused the plan (when it was made, or on the fresh read);
    /// not set when forced.
    pub guard: Option<GuardError>,
    /// What applying did; `None` when a guard refused it.
    pub report: Option<ApplyReport>,
    pub notes: Vec<String>,
}

/// Applies a plan saved by `plan --out`, after reading both sides afresh: records
/// whose row or contact changed since are skipped and listed in the report. A plan
/// a guard refused when it was made, or that the guards refuse on the fresh read
/// (a side empty now; more changes than the job's policy allows now), is applied
/// only with `force` (design rule 7). `cancel` stops it between writes.
#[allow(clippy::too_many_arguments)]
pub async fn apply_saved<S: Store, R: Remote, C: Checkpoints>(
    plan: &Plan,
    force: bool,
    store: &mut S,
    remote: &mut R,
    state: &mut C,
    run_id: i64,
    mapping: &Mapping,
    policy: &Policy,
    cancel: &Cancel,
) -> Result<SavedRun, RunError> {
    if plan.version != PLAN_VERSION {
        return Err(RunError::Plan(format!(
            "the plan has format version {}, this cinnox-sync applies version {PLAN_VERSION}; make the plan again",
            plan.version
        )));
    }
    let mut table = store.read().await?;
    let what = store.describe();
    let notes = restore_numbers(&mut table, mapping, &what);
    let contacts = remote.list_contacts().await?;
    let columns = SyncColumns::resolve(mapping, &table.header, &what)?;
    let snapshot = snapshot(state, &table, &columns, &contacts)?;
    let input = PlanInput {
        table: &table,
        columns: &columns,
        mapping,
        contacts: &contacts,
        staff: &[],
        state: &snapshot,
        policy,
    };
    // The saved plan's counts against the sides as they are now.
    let guard = plan
        .guard
        .clone()
        .or_else(|| guards::check(&input, plan).err());
    if (guard.is_some() && !force) || cancel.stopped().is_some() {
        return Ok(SavedRun {
            guard: guard.filter(|_| !force),
            report: None,
            notes,
        });
    }
    let read = Read {
        table: &table,
        contacts: &contacts,
        snapshot: &snapshot,
        notes: &notes,
        cancel,
    };
    let report = read
        .apply(plan, store, remote, state, run_id, mapping)
        .await?;
    Ok(SavedRun {
        guard: None,
        report: Some(report),
        notes,
    })
}
