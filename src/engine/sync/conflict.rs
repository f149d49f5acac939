//! Settling a field that differs on both sides with no side unchanged since the base
//! (or with no base at all): by the field's direction first, then, for two-way
//! fields, by the conflict policy (`cinnox-wins`, `source-wins`, `report`).

use crate::engine::plan::Conflict;
use crate::mapping::{ConflictPolicy, Direction};
use crate::model::FieldId;

/// Which side's value a settled field takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settle {
    /// Write CINNOX's value into the row.
    TakeCinnox,
    /// Send the list's value to CINNOX.
    TakeSource,
    /// Leave both; the base stays as it was.
    KeepBoth,
}

/// The outcome for a field: what to do, and the conflict to list, if any.
pub struct Settled {
    pub settle: Settle,
    pub conflict: Option<Conflict>,
}

/// Settles field `f` whose list value `s` and CINNOX value `c` (compare forms)
/// differ, both from the base `b` when there is one.
pub fn settle(
    f: FieldId,
    direction: Direction,
    policy: ConflictPolicy,
    b: Option<&str>,
    s: &str,
    c: &str,
) -> Settled {
    let plain = |settle| Settled {
        settle,
        conflict: None,
    };
    match direction {
        Direction::FromCinnox => return plain(Settle::TakeCinnox),
        Direction::ToCinnox => return plain(Settle::TakeSource),
        Direction::Ignore => return plain(Settle::KeepBoth),
        Direction::Both => {}
    }
    // A first link never erases data: with no base, an empty side is filled from
    // the other rather than called a conflict.
    if b.is_none() {
        if s.is_empty() {
            return plain(Settle::TakeCinnox);
        }
        if c.is_empty() {
            return plain(Settle::TakeSource);
        }
    }
    let (settle, resolution) = match policy {
        ConflictPolicy::CinnoxWins => (Settle::TakeCinnox, "took CINNOX's value"),
        ConflictPolicy::SourceWins => (Settle::TakeSource, "took the list's value"),
        ConflictPolicy::Report => (Settle::KeepBoth, "kept both; fix one side"),
    };
    Settled {
        settle,
        conflict: Some(Conflict {
            field: f,
            column: String::new(),
            base: b.map(str::to_string),
            source: s.to_string(),
            source_line: None,
            cinnox: c.to_string(),
            policy,
            policy_from: None,
            resolution: resolution.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_pick_a_side_or_keep_both() {
        let f = FieldId::JobTitle;
        let d = Direction::Both;
        let s = |p| settle(f, d, p, Some("a"), "b", "c");
        assert_eq!(s(ConflictPolicy::CinnoxWins).settle, Settle::TakeCinnox);
        assert_eq!(s(ConflictPolicy::SourceWins).settle, Settle::TakeSource);
        let r = s(ConflictPolicy::Report);
        assert_eq!(r.settle, Settle::KeepBoth);
        assert_eq!(r.conflict.unwrap().base.as_deref(), Some("a"));
        // No base and one side empty: filled, not a conflict.
        let fill = settle(f, d, ConflictPolicy::Report, None, "", "c");
        assert_eq!(fill.settle, Settle::TakeCinnox);
        assert!(fill.conflict.is_none());
        // Owner columns follow CINNOX whatever the policy.
        let own = settle(
            FieldId::OwnerName,
            Direction::FromCinnox,
            ConflictPolicy::SourceWins,
            None,
            "x",
            "y",
        );
        assert_eq!(own.settle, Settle::TakeCinnox);
    }
}
