//! The pure sync planner: values in, a `Plan` out, no IO and no async.
//! `input` (what the planner reads), `compare` (the form values are compared in),
//! `keys` (match keys, and rows sharing one), `identity` (which contact each row
//! is: ids, merges, deletes, journal recovery), `matching` (id-less rows by their
//! match keys), `unlisted` (an id CINNOX
//! does not list: deleted there, or a mistake), `diff` and `conflict` (three-way per
//! field), `linked` (a linked pair's record), `hold` (what of an update CINNOX
//! would refuse), `absorbed` (the edits of rows whose contact is gone), `rows`
//! (cell edits and references), `rowless` (contacts no row stands for), `broken`
//! (rows the list could read only in part: reported, never sent), `planner` (the
//! `plan` function), `guards` (mass-damage checks) and `locate` (where a saved plan
//! lands in the list as read now).

pub mod absorbed;
pub mod broken;
pub mod compare;
pub mod conflict;
pub mod diff;
pub mod guards;
pub mod hold;
pub mod identity;
pub mod input;
pub mod keys;
pub mod linked;
pub mod locate;
pub mod matching;
pub mod planner;
pub mod rowless;
pub mod rows;
pub mod unlisted;

pub use planner::plan;
