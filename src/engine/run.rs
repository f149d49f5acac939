//! One sync run end to end: read the list and the CINNOX listing (and the staff
//! list, only when an owner name must be filled in), snapshot the state, plan, check
//! the guards, and apply unless it is a dry run. Also `apply_saved` for a plan
//! saved earlier, which re-reads both sides first.

use super::apply::{ApplyError, ApplyReport, Sides, apply};
use super::guards::{self, GuardError};
use super::input::{PlanInput, Policy, Staff, SyncColumns};
use super::plan::{PLAN_VERSION, Plan};
use super::remote::{Remote, RemoteError};
use crate::mapping::{Mapping, MappingError};
use crate::model::{Contact, FieldId};
use crate::sources::{SourceError, Store, Table};
use crate::state::{StateError, StateStore};

#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// Plan only: write nothing anywhere.
    pub dry_run: bool,
    /// Go ahead even when a guard trips.
    pub force: bool,
}

/// What a run planned and, unless it stopped, did.
#[derive(Debug)]
pub struct SyncRun {
    pub plan: Plan,
    /// The guard that stopped the run (not set when forced).
    pub guard: Option<GuardError>,
    /// What applying did; `None` for a dry run or a run a guard stopped.
    pub report: Option<ApplyReport>,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("CINNOX: {0}")]
    Remote(#[from] RemoteError),
    #[error(transparent)]
    Mapping(#[from] MappingError),
    #[error(transparent)]
    State(#[from] StateError),
    #[error("{0}")]
    Plan(String),
}

impl From<ApplyError> for RunError {
    fn from(e: ApplyError) -> Self {
        match e {
            ApplyError::State(s) => RunError::State(s),
            ApplyError::Source(s) => RunError::Source(s),
        }
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

/// Plans and (unless told not to, or a guard trips) applies one sync.
pub async fn sync<S: Store, R: Remote>(
    store: &mut S,
    remote: &mut R,
    state: &mut StateStore,
    run_id: i64,
    mapping: &Mapping,
    policy: &Policy,
    opts: RunOptions,
) -> Result<SyncRun, RunError> {
    let (table, contacts, staff) = read_sides(store, remote, mapping).await?;
    let columns = SyncColumns::resolve(mapping, &table.header, &store.describe())?;
    let snapshot = state.snapshot()?;
    let input = PlanInput {
        table: &table,
        columns: &columns,
        mapping,
        contacts: &contacts,
        staff: &staff,
        state: &snapshot,
        policy,
    };
    let plan = super::plan(&input);
    let guard = guards::check(&input, &plan).err();
    if opts.dry_run || (guard.is_some() && !opts.force) {
        return Ok(SyncRun {
            plan,
            guard: guard.filter(|_| !opts.force),
            report: None,
        });
    }
    let report = apply(
        &plan,
        Sides {
            table: &table,
            store,
            contacts: &contacts,
            remote,
            state,
            run_id,
            mapping,
        },
    )
    .await?;
    Ok(SyncRun {
        plan,
        guard: None,
        report: Some(report),
    })
}

/// Applies a plan saved by `plan --out`, after reading both sides afresh: records
/// whose row or contact changed since are skipped and listed in the report.
pub async fn apply_saved<S: Store, R: Remote>(
    plan: &Plan,
    store: &mut S,
    remote: &mut R,
    state: &mut StateStore,
    run_id: i64,
    mapping: &Mapping,
) -> Result<ApplyReport, RunError> {
    if plan.version != PLAN_VERSION {
        return Err(RunError::Plan(format!(
            "the plan has format version {}, this cinnox-sync applies version {PLAN_VERSION}; make the plan again",
            plan.version
        )));
    }
    let table = store.read().await?;
    let contacts = remote.list_contacts().await?;
    let report = apply(
        plan,
        Sides {
            table: &table,
            store,
            contacts: &contacts,
            remote,
            state,
            run_id,
            mapping,
        },
    )
    .await?;
    Ok(report)
}
