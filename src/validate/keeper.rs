//! Which contact of a duplicate group to keep, and why, in words an admin can act
//! on in the CINNOX dashboard: the one the list has a row for, else the most
//! complete, else the one with fewer problems, else the one that already holds
//! earlier merges, else the first listed. Pure.

use super::merge::Group;
use crate::model::Contact;

/// What decides which contact of a group to keep, per contact.
#[derive(Clone, Debug, Default)]
pub struct Standing {
    /// The line of the contact's row in the list, when the list has one.
    pub row: Option<u64>,
    /// Error-severity violations of the contact.
    pub errors: usize,
}

/// Which contact of `group` to keep, and why: the one with a row in the list,
/// else the most complete (most fields filled), else the one with fewer problems,
/// else the one that already holds earlier merges, else the first listed.
pub fn keeper(group: &Group, contacts: &[Contact], standing: &[Standing]) -> (usize, String) {
    let filled = |i: usize| {
        contacts[i]
            .values
            .iter()
            .filter(|(f, _)| f.is_writable())
            .count()
    };
    let rank = |i: usize| {
        let s = &standing[i];
        (
            s.row.is_some(),
            filled(i),
            std::cmp::Reverse(s.errors),
            !contacts[i].slave_contacts.is_empty(),
            std::cmp::Reverse(i),
        )
    };
    let mut ranked: Vec<usize> = group.members.clone();
    ranked.sort_by_key(|i| std::cmp::Reverse(rank(*i)));
    let (keep, next) = (ranked[0], ranked[1]);
    let (k, r) = (rank(keep), rank(next));
    let mut why = if k.0 != r.0 {
        // Rows rank first: the next best has none, so neither has any other.
        let line = standing[keep].row.unwrap_or(0);
        format!("it has a row in the list (line {line}); the others have none")
    } else if k.1 != r.1 {
        format!(
            "the most complete: {} fields filled, against {} for the next",
            k.1, r.1
        )
    } else if k.2 != r.2 {
        format!(
            "as complete as the next ({} fields filled), with fewer problems ({} against {})",
            k.1, standing[keep].errors, standing[next].errors
        )
    } else if k.3 != r.3 {
        format!(
            "as complete as the next ({} fields filled), and it already holds contacts merged into it before",
            k.1
        )
    } else {
        format!(
            "the contacts are equally complete ({} fields filled); it is the first CINNOX lists",
            k.1
        )
    };
    let with_rows = group
        .members
        .iter()
        .filter(|i| standing[**i].row.is_some())
        .count();
    if with_rows > 1 {
        why.push_str(&format!(
            ". {with_rows} of them have rows in the list: after the merge, a sync marks the rows of the absorbed contacts as merged"
        ));
    }
    (keep, why)
}
