//! Shared test support: a real headless browser ([`browser`]), the loopback fake
//! Sheets API ([`fake_sheets`]) and helpers
//! to point a real `SheetsStore` (real google-sheets4 hub, real yup-oauth2
//! `ServiceAccountAuthenticator`) at it with a throwaway key.
//!
//! `throwaway-test-key.pem` is an RSA key made with `openssl genrsa 2048` for
//! these tests only; it was never registered anywhere and grants nothing.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

pub mod browser;
pub mod fake_sheets;

use cinnox_sync::sources::sheets::{RetryPolicy, SheetsAuth, SheetsConfig, SheetsStore};
use fake_sheets::{Cell, FakeSheets};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const TEST_KEY_PEM: &str = include_str!("throwaway-test-key.pem");
pub const TEST_ACCOUNT: &str = "cinnox-sync-test@example-project.iam.gserviceaccount.com";

/// Writes a service-account key JSON whose `token_uri` is the fake's.
pub fn service_account_key(dir: &Path, token_uri: &str) -> PathBuf {
    let key = serde_json::json!({
        "type": "service_account",
        "project_id": "example-project",
        "private_key_id": "0000000000000000000000000000000000000000",
        "private_key": TEST_KEY_PEM,
        "client_email": TEST_ACCOUNT,
        "client_id": "100000000000000000000",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
    });
    let path = dir.join("service-account.json");
    std::fs::write(&path, key.to_string()).expect("write key");
    path
}

/// Quick retries so failure tests take milliseconds, and pacing loose enough
/// never to slow a test down.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        first_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
        max_wait: Duration::from_secs(5),
        attempt_timeout: Duration::from_secs(20),
        per_minute: 1_000_000,
        burst: 10_000,
    }
}

/// A test world: the fake, a temp dir holding the key, a config for one tab.
pub struct World {
    pub fake: FakeSheets,
    pub dir: tempfile::TempDir,
    pub key: PathBuf,
}

pub const BOOK: &str = "1TestSpreadsheetId_abc-123";

impl World {
    pub async fn new() -> Self {
        cinnox_sync::install_crypto_provider();
        let fake = FakeSheets::start().await;
        let dir = tempfile::tempdir().expect("tempdir");
        let key = service_account_key(dir.path(), &fake.token_uri());
        Self { fake, dir, key }
    }

    pub fn config(&self, tab: &str) -> SheetsConfig {
        let mut c = SheetsConfig::new(
            BOOK,
            tab,
            SheetsAuth::ServiceAccount {
                key: Some(self.key.clone()),
            },
        );
        c.api_base_url = Some(self.fake.base_url());
        c.retry = fast_retry();
        c
    }

    pub async fn store(&self, tab: &str) -> SheetsStore {
        SheetsStore::connect(self.config(tab))
            .await
            .expect("connect")
    }
}

/// Rows of text cells.
pub fn rows(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|r| r.iter().map(|c| Cell::text(c)).collect())
        .collect()
}

/// The fake's tab as text rows, for comparing with `&[&[&str]]` literals.
pub fn shown(w: &World, tab: &str) -> Vec<Vec<String>> {
    w.fake.shown(BOOK, tab)
}

pub fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// Waits for `child` to end, at most `limit`, and answers its output; past the limit
/// it is killed and the test fails with `what`.
pub fn wait_within(
    mut child: std::process::Child,
    limit: std::time::Duration,
    what: &str,
) -> std::process::Output {
    let deadline = std::time::Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}
