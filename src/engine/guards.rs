//! Guards against mass damage (design rule 7): a side that comes back empty while
//! links exist, or a run that would change more than a set share of the linked
//! records, stops the run with a named error unless `--force` is given.

use super::input::PlanInput;
use super::plan::Plan;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GuardError {
    #[error(
        "guard empty-cinnox: CINNOX listed no contacts while {links} contacts are linked; nothing was changed. If CINNOX really is empty now, run again with --force"
    )]
    EmptyCinnox { links: usize },
    #[error(
        "guard empty-list: the list has no rows while {links} contacts are linked; nothing was changed. If the list really should be empty, run again with --force"
    )]
    EmptyList { links: usize },
    #[error(
        "guard max-change-share: this run would change {changed} of {linked} linked records ({pct:.0}%), more than the allowed {max:.0}%; nothing was changed. Review it with `cinnox-sync plan`, then run again with --force (or raise policy.max_change_share)"
    )]
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

/// Checks the guards; `Ok` when the run may go ahead.
pub fn check(input: &PlanInput<'_>, plan: &Plan) -> Result<(), GuardError> {
    let links = input.state.links.len();
    if links > 0 && input.contacts.is_empty() {
        return Err(GuardError::EmptyCinnox { links });
    }
    if links > 0 && input.table.rows.is_empty() {
        return Err(GuardError::EmptyList { links });
    }
    let c = &plan.counts;
    let max = input.policy.max_change_share;
    if c.linked > 0
        && c.linked_changed >= input.policy.guard_min_changes.max(1)
        && c.linked_changed as f64 > max * c.linked as f64
    {
        return Err(GuardError::TooManyChanges {
            changed: c.linked_changed,
            linked: c.linked,
            pct: 100.0 * c.linked_changed as f64 / c.linked as f64,
            max: 100.0 * max,
        });
    }
    Ok(())
}
