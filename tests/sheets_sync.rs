//! Sync, import, plan and audit on a Google Sheet, end to end: the real binary
//! against the loopback fake Sheets API (driven through the real google-sheets4 hub
//! and a real yup-oauth2 `ServiceAccountAuthenticator` with the throwaway test key)
//! and a CINNOX sandbox on loopback. The CSV sync scenarios repeated on a sheet
//! (`scenarios`), killing a run at every kind of point (`crash`), 429 storms and
//! runs cut short (`faults`), and the other commands (`commands`). One test binary,
//! to link once.

#[path = "support/mod.rs"]
mod support;
#[path = "sync_support/mod.rs"]
mod sync_support;

#[path = "sheets_sync/commands.rs"]
mod commands;
#[path = "sheets_sync/crash.rs"]
mod crash;
#[path = "sheets_sync/env.rs"]
mod env;
#[path = "sheets_sync/faults.rs"]
mod faults;
#[path = "sheets_sync/scenarios.rs"]
mod scenarios;
