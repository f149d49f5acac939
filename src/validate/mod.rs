//! Validation against CINNOX's field rules. `rules` holds the pure per-value checks
//! shared by the audit, the importer and the sandbox.

pub mod rules;

pub use rules::{Finding, Rule, Severity, check_enum, check_required, check_value};
