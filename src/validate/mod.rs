//! Validation against CINNOX's field rules. `rules` holds the pure per-value checks
//! shared by the audit, the importer and the sandbox; `row` applies them to a row
//! of a file through its mapping; `duplicates` finds the same email, phone or id on
//! several rows; `audit` streams a whole file through them on every core;
//! `audit_table` runs them over a list in memory (a Google Sheet tab), where
//! `numeric` recognises phone numbers Sheets and Excel turned into numbers;
//! `mangled` words the advice for values a spreadsheet mangled (a dropped `+`,
//! scientific notation, a month-first date);
//! `violation` is what they find and `report` writes it as table, JSON, CSV,
//! Markdown or HTML.

pub mod audit;
pub mod audit_table;
pub mod duplicates;
pub mod mangled;
pub mod numeric;
pub mod report;
pub mod row;
pub mod rules;
pub mod violation;

pub use audit::{AuditError, AuditOptions, audit_file, audit_reader};
pub use audit_table::audit_table;
pub use rules::{Finding, Rule, Severity, check_enum, check_required, check_value};
pub use violation::{AuditReport, Subject, Violation};
