//! `SheetsStore` end to end against the loopback fake Sheets API, through the real
//! google-sheets4 hub and real yup-oauth2 authenticators with a throwaway key:
//! reading (`read`), writing (`write`), failures and retries (`faults`), and
//! credentials (`auth`). One test binary, to link once.

mod auth;
mod faults;
mod read;
mod write;
