//! `SheetsStore` end to end against the loopback fake Sheets API, through the real
//! google-sheets4 hub and real yup-oauth2 authenticators with a throwaway key:
//! reading (`read`), writing (`write`), failures and retries (`faults`), and
//! credentials (`auth`). One test binary, to link once.

#[path = "support/mod.rs"]
mod support;

#[path = "sheets/auth.rs"]
mod auth;
#[path = "sheets/faults.rs"]
mod faults;
#[path = "sheets/read.rs"]
mod read;
#[path = "sheets/write.rs"]
mod write;
