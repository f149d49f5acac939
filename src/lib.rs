//! cinnox-sync keeps CINNOX external contacts in agreement with contact lists kept in
//! Google Sheets and CSV files, audits such lists (and Excel workbooks) against
//! CINNOX's field rules, and ships a local CINNOX (`sandbox`) to try it all without
//! an account.
//!
//! Map of the modules (IO at the edges, a pure core):
//! - [`model`]: every CINNOX contact field, values, normalisation, content hash. Pure.
//! - [`mapping`]: mapping files: column <-> field, typed pairs, sync policies, match
//!   keys; the shipped mappings built in by name; a mapping guessed from a header.
//! - [`cinnox`]: the CINNOX Open API: wire types (the one place for wire details),
//!   the client (pacing, retries, errors typed by CINNOX code), the token as a secret.
//! - [`sandbox`]: a local CINNOX (axum + SQLite) implementing the same contract, with
//!   the dashboard-only actions, stats and fault injection.
//! - [`validate`]: CINNOX field rules as pure checks (pure), with the advice for
//!   values spreadsheets mangle; the streaming audit of a CSV file on every core,
//!   the audit of a table, duplicate detection, and the report writers.
//! - [`sources`]: the `Store` trait over contact lists, its in-memory version, CSV
//!   files (exact record reading, encodings, `CsvStore` with atomic rewrites),
//!   Google Sheets (`SheetsStore`) and Excel workbooks (`XlsxStore`, read only).
//! - [`engine`]: the sync engine: a pure planner (identity, three-way diff, conflicts,
//!   guards) producing a `Plan` as data, and its IO modules (`apply*`, `run`).
//! - [`state`]: SQLite checkpoints: links, base values, journal, run history, run lock.
//! - [`cli`]: argument parsing, logging set-up, and one file per command.

pub mod cinnox;
pub mod cli;
pub mod engine;
pub mod mapping;
pub mod model;
pub mod sandbox;
pub mod sources;
pub mod state;
pub mod validate;

/// Installs ring as the process-wide rustls crypto provider. reqwest is built without
/// a provider of its own (one crypto library in the tree, shared with google-sheets4),
/// so this must run before the first client is built. Safe to call more than once.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
