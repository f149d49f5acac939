//! Validation against CINNOX's field rules. `rules` holds the pure per-value checks
//! shared by the audit, the importer and the sandbox (`rule_codes`, the codes and
//! severities they report; `controls`, the look for control characters); `row` applies them to a row of a file through its
//! mapping; `duplicates` finds the same email, phone or id on several rows; `audit`
//! streams a whole file through them on every core;
//! `audit_table` runs them over a list in memory (a Google Sheet tab), where
//! `numeric` recognises phone numbers Sheets and Excel turned into numbers;
//! `mangled` words the advice for values a spreadsheet mangled (a dropped `+`,
//! scientific notation, a month-first date);
//! `cinnox` audits the contacts stored in CINNOX with the same rules, and `merge`
//! groups the duplicates among them into merge suggestions; `against` checks a
//! list's rows against those contacts;
//! `violation` is what they find and `report` writes it as table, JSON, CSV,
//! Markdown or HTML.

pub mod against;
pub mod audit;
pub mod audit_table;
pub mod cinnox;
pub mod controls;
pub mod duplicates;
pub mod keeper;
pub mod mangled;
pub mod merge;
pub mod numeric;
pub mod report;
pub mod row;
pub mod rule_codes;
pub mod rules;
pub mod violation;

pub use audit::{AuditError, AuditOptions, audit_file, audit_reader};
pub use audit_table::audit_table;
pub use cinnox::audit_contacts;
pub use rules::{Finding, Rule, Severity, check_enum, check_required, check_value};
pub use violation::{AuditReport, Audited, ContactRef, MergeSuggestion, Place, Subject, Violation};
