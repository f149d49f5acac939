//! Sync, import, plan and audit on a Google Sheet, end to end: the real binary
//! against the loopback fake Sheets API (driven through the real google-sheets4 hub
//! and a real yup-oauth2 `ServiceAccountAuthenticator` with the throwaway test key)
//! and a CINNOX sandbox on loopback. What only a sheet has (`scenarios`; the
//! scenarios every list shares are in `lists`, run on a sheet too), killing a run at
//! every kind of point (`crash`), 429 storms and runs cut short (`faults`), and the
//! other commands (`commands`). `env` is the sheet world.

mod commands;
mod crash;
pub mod env;
mod faults;
mod scenarios;
