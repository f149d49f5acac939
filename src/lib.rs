//! cinnox-sync keeps CINNOX external contacts in agreement with contact lists kept in
//! Google Sheets and CSV files, audits such lists (and Excel workbooks) against
//! CINNOX's field rules, and ships a local CINNOX (`sandbox`) to try it all without
//! an account.
//!
//! Map of the modules (IO at the edges, a pure core; dependencies point inward):
//! - [`model`]: every CINNOX contact field, values, normalisation, content hash. Pure.
//! - [`mapping`]: mapping files: column <-> field, typed pairs, sync policies, match
//!   keys; the shipped mappings built in by name; a mapping guessed from a header.
//! - [`cinnox`]: the CINNOX Open API: the one table of wire names (`names`), the
//!   reading and writing of bodies (`wire`), the client (pacing per service account,
//!   retries, errors typed by CINNOX code), the token as a secret, `check` (a tenant
//!   probed read-only and judged against the contract, pure analysis apart from the
//!   calls), and the client as the engine's `Remote` (`cinnox::remote`).
//! - [`sandbox`]: a local CINNOX (axum + SQLite) implementing the same contract with
//!   its own spelling of it (strict request bodies), with the dashboard-only actions,
//!   webhooks in both forms, stats and fault injection.
//! - [`validate`]: CINNOX field rules as pure checks (pure), with the advice for
//!   values spreadsheets mangle; the streaming audit of a CSV file on every core,
//!   the audit of a table, duplicate detection, the audit of the contacts stored
//!   in CINNOX with their duplicate groups as merge suggestions, a list's rows
//!   checked against CINNOX (through the engine's match-key index), and the report
//!   writers, one set for both kinds of audit.
//! - [`sources`]: the `Store` trait over contact lists and the capabilities a store
//!   states; one folder per kind of list (`csv/`, `sheets/`, `xlsx/` read only),
//!   registered in `sources::kinds`; the in-memory store for tests; the header
//!   check of `check`.
//! - [`engine`]: the sync engine by pipeline: `sync/` (the pure planner), `plan` (the
//!   plan as data), `import/`, `apply/`, `run` (one run end to end), and `seams/`
//!   (`Remote`, `Checkpoints`, with in-memory twins). It names neither `state` nor
//!   `cinnox`.
//! - [`state`]: SQLite checkpoints (links, base values, journal, run history, run
//!   lock), the engine's `Checkpoints`.
//! - [`job`]: running a job without clap: the job file, opening its list, CINNOX and
//!   state, the summary, and `job::run` (plan, sync, apply a saved plan, import), the
//!   one entry point every command (and a service, later) calls.
//! - [`serve`]: `cinnox-sync serve`: jobs on their schedules and on CINNOX's contact
//!   webhooks (receiver, inbox with group commit, coalescing, each job's loop),
//!   health, readiness, metrics and the status as data; it calls `job::run`.
//! - [`cli`]: argument parsing, logging set-up (`cli::logging`), and one file per
//!   command: parse, call `job::run`, print.
//! - [`private_files`]: files holding contact data are created readable by their owner
//!   only (0600), whatever the umask.

pub mod cinnox;
pub mod cli;
pub mod engine;
pub mod job;
pub mod mapping;
pub mod model;
pub mod private_files;
pub mod sandbox;
pub mod serve;
pub mod sources;
pub mod state;
pub mod validate;

/// Installs ring as the process-wide rustls crypto provider. reqwest is built without
/// a provider of its own (one crypto library in the tree, shared with google-sheets4),
/// so this must run before the first client is built. Safe to call more than once.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// jemalloc, the allocator of every program built on this crate (the binary, the
/// benches, the tests). glibc's malloc merged the many small blocks one sync frees
/// during the next sync's sheet read, which slowed the syncs a service runs one
/// after another in one process (`benches/sheets_sync`); jemalloc keeps freed
/// blocks in per-size runs and does no such merge. (mimalloc, tried too, held twice
/// the memory in the audit, whose workers allocate what the merging thread frees.)
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
