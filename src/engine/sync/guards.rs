//! Guards against mass damage (design rule 7): a side that comes back empty while
//! links exist (for the list: no rows, blank rows only, or no row holding an id),
//! or a run that would change more than a set share of the linked records, stops
//! the run with a named error (`GuardError`, in `plan`) unless the run is forced.
//! The empty-side guards hold whatever the list's size; the share guard only from
//! `guard_min_changes` on. Links are the live ones known before the run (not rows
//! kept marked for a contact gone earlier), and a change is one that can hurt: the
//! plan's counts leave out status cells, new ids and owner columns mirrored from
//! CINNOX (`Plan::count`).

use super::input::PlanInput;
use crate::engine::plan::{GuardError, Plan};

/// Checks the guards; `Ok` when the run may go ahead.
pub fn check(input: &PlanInput<'_>, plan: &Plan) -> Result<(), GuardError> {
    let links = input.state.live_links();
    if links > 0 && input.contacts.is_empty() {
        return Err(GuardError::EmptyCinnox { links });
    }
    if links > 0
        && let Some(what) = empty_list(input)
    {
        return Err(GuardError::EmptyList { links, what });
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

/// Why the list is as good as empty, if it is: no rows; rows with nothing in them
/// (what clearing the cells leaves); or rows of which none holds an id (the id
/// column cleared or removed: every row would be matched anew or created again).
fn empty_list(input: &PlanInput<'_>) -> Option<String> {
    let rows = &input.table.rows;
    let valued = rows
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .count();
    if rows.is_empty() {
        return Some("the list has no rows".into());
    }
    if valued == 0 {
        return Some(format!("the list's {} rows are all blank", rows.len()));
    }
    let cols = &input.columns.columns;
    if rows.iter().all(|r| cols.id(r).is_empty()) {
        return Some(format!(
            "none of the list's {valued} rows holds a {} (was the column cleared or removed?)",
            input.mapping.id_column
        ));
    }
    None
}
