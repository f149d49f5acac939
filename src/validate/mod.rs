//! Validation against CINNOX's field rules. `rules` holds the pure per-value checks
//! shared by the audit, the importer and the sandbox; `row` applies them to a row
//! of a file through its mapping; `duplicates` finds the same email, phone or id on
//! several rows; `audit` streams a whole file through them on every core;
//! `violation` is what they find and `report` writes it as table, JSON, CSV,
//! Markdown or HTML.

pub mod audit;
pub mod duplicates;
pub mod report;
pub mod row;
pub mod rules;
pub mod violation;

pub use audit::{AuditError, AuditOptions, audit_file, audit_reader};
pub use rules::{Finding, Rule, Severity, check_enum, check_required, check_value};
pub use violation::{AuditReport, Subject, Violation};
