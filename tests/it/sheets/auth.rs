//! Credentials: a service-account key (path or GOOGLE_APPLICATION_CREDENTIALS) and
//! the installed-app flow driven through the fake consent page, its 0600 token
//! cache, and clear errors for missing, unreadable or refused credentials.

use crate::support::{BOOK, World, rows};
use cinnox_sync::sources::sheets::auth::CREDENTIALS_ENV;
use cinnox_sync::sources::sheets::{SheetsAuth, SheetsStore};
use cinnox_sync::sources::{SourceError, Store};
use std::future::Future;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::pin::Pin;
use yup_oauth2::authenticator_delegate::InstalledFlowDelegate;

async fn connect_err(w: &World, auth: SheetsAuth) -> String {
    let mut c = w.config("C");
    c.auth = auth;
    match SheetsStore::connect(c).await {
        Ok(_) => panic!("connected"),
        Err(e) => {
            assert!(matches!(e, SourceError::Auth { .. }), "{e:?}");
            e.to_string()
        }
    }
}

#[tokio::test]
async fn unusable_key_files_are_named() {
    let w = World::new().await;
    let missing = w.dir.path().join("nope.json");
    let msg = connect_err(&w, SheetsAuth::ServiceAccount { key: Some(missing) }).await;
    assert!(msg.contains("nope.json not found"), "{msg}");

    let garbled = w.dir.path().join("garbled.json");
    std::fs::write(&garbled, "{\"type\": \"service_account\", ").expect("write");
    let msg = connect_err(&w, SheetsAuth::ServiceAccount { key: Some(garbled) }).await;
    assert!(
        msg.contains("garbled.json is not a service-account key JSON"),
        "{msg}"
    );

    let bad_pem = w.dir.path().join("bad-pem.json");
    let key = serde_json::json!({"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "client_email": "x@example.com", "token_uri": w.fake.token_uri()});
    std::fs::write(&bad_pem, key.to_string()).expect("write");
    let msg = connect_err(&w, SheetsAuth::ServiceAccount { key: Some(bad_pem) }).await;
    assert!(
        msg.contains("private key in") && !msg.contains("AAAA"),
        "{msg}"
    );
}

#[tokio::test]
async fn the_key_path_can_come_from_the_environment() {
    let w = World::new().await;
    w.fake
        .add_tab(BOOK, "C", rows(&[&["First Name"], &["Ann"]]));
    // SAFETY: no other test in this binary reads or writes this variable.
    unsafe { std::env::remove_var(CREDENTIALS_ENV) };
    let msg = connect_err(&w, SheetsAuth::ServiceAccount { key: None }).await;
    assert!(msg.contains(CREDENTIALS_ENV), "{msg}");
    // SAFETY: as above.
    unsafe { std::env::set_var(CREDENTIALS_ENV, &w.key) };
    let mut c = w.config("C");
    c.auth = SheetsAuth::ServiceAccount { key: None };
    let mut store = SheetsStore::connect(c).await.expect("connect");
    assert_eq!(store.read().await.expect("read").rows, vec![vec!["Ann"]]);
    // SAFETY: as above.
    unsafe { std::env::remove_var(CREDENTIALS_ENV) };
}

#[tokio::test]
async fn a_refused_service_account_says_which_key_to_check() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", rows(&[&["First Name"]]));
    w.fake.refuse_tokens(true);
    let err = w.store("C").await.read().await.unwrap_err();
    assert!(matches!(err, SourceError::Auth { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("invalid_grant"), "{msg}");
    assert!(msg.contains(&w.key.display().to_string()), "{msg}");
    assert_eq!(w.fake.counts().reads, 0);
}

/// Plays the person at the browser: opens the sign-in URL, which the fake's
/// consent page redirects to the flow's loopback listener with a code.
struct TestBrowser {
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl InstalledFlowDelegate for TestBrowser {
    fn present_user_url<'a>(
        &'a self,
        url: &'a str,
        _need_code: bool,
    ) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send + 'a>> {
        self.seen.lock().expect("lock").push(url.to_string());
        let url = url.to_string();
        tokio::spawn(async move {
            let resp = reqwest::Client::new()
                .get(&url)
                .send()
                .await
                .expect("browser GET");
            assert!(resp.status().is_success(), "{}", resp.status());
        });
        Box::pin(async { Ok(String::new()) })
    }
}

/// A browser that must not be needed.
struct NoBrowser;

impl InstalledFlowDelegate for NoBrowser {
    fn present_user_url<'a>(
        &'a self,
        _url: &'a str,
        _need_code: bool,
    ) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send + 'a>> {
        Box::pin(async { Err("the cached sign-in should have been used".to_string()) })
    }
}

fn client_secret(dir: &Path, w: &World) -> std::path::PathBuf {
    w.fake.register_client(
        "test-client.apps.googleusercontent.com",
        "test-client-secret",
    );
    let secret = serde_json::json!({"installed": {
        "client_id": "test-client.apps.googleusercontent.com",
        "client_secret": "test-client-secret",
        "auth_uri": w.fake.auth_uri(),
        "token_uri": w.fake.token_uri(),
        "redirect_uris": ["http://localhost"],
    }});
    let path = dir.join("client_secret.json");
    std::fs::write(&path, secret.to_string()).expect("write");
    path
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

#[tokio::test]
async fn installed_app_flow_signs_in_once_and_caches_privately() {
    let w = World::new().await;
    w.fake
        .add_tab(BOOK, "C", rows(&[&["First Name"], &["Ann"]]));
    let cache = w
        .dir
        .path()
        .join("config")
        .join("cinnox-sync")
        .join("google-token.json");
    let auth = SheetsAuth::InstalledApp {
        client_secret: client_secret(w.dir.path(), &w),
        token_cache: cache.clone(),
        redirect_port: None,
    };
    let mut c = w.config("C");
    c.auth = auth;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let browser = TestBrowser { seen: seen.clone() };
    let mut store = SheetsStore::connect_with_browser(c.clone(), Some(Box::new(browser)))
        .await
        .expect("connect");
    assert_eq!(store.read().await.expect("read").rows, vec![vec!["Ann"]]);
    let urls = seen.lock().expect("lock").clone();
    assert_eq!(urls.len(), 1);
    assert!(
        urls[0].contains("scope=https://www.googleapis.com/auth/spreadsheets&"),
        "{}",
        urls[0]
    );
    assert_eq!(mode(&cache), 0o600);
    assert_eq!(mode(cache.parent().expect("dir")), 0o700);
    let text = std::fs::read_to_string(&cache).expect("cache");
    assert!(
        text.contains("fake-refresh-"),
        "the cache keeps the refresh token"
    );

    // The next run uses the cache: no browser, no new token.
    let tokens = w.fake.counts().tokens;
    let mut again = SheetsStore::connect_with_browser(c, Some(Box::new(NoBrowser)))
        .await
        .expect("connect");
    again.read().await.expect("read with the cached sign-in");
    assert_eq!(w.fake.counts().tokens, tokens);
}

#[tokio::test]
async fn a_token_cache_readable_by_others_is_tightened() {
    let w = World::new().await;
    let cache = w.dir.path().join("token.json");
    std::fs::write(&cache, "[]").expect("write");
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let mut c = w.config("C");
    c.auth = SheetsAuth::InstalledApp {
        client_secret: client_secret(w.dir.path(), &w),
        token_cache: cache.clone(),
        redirect_port: None,
    };
    SheetsStore::connect(c).await.expect("connect");
    assert_eq!(mode(&cache), 0o600);

    std::fs::write(&cache, "not json").expect("write");
    let msg = connect_err(
        &w,
        SheetsAuth::InstalledApp {
            client_secret: client_secret(w.dir.path(), &w),
            token_cache: cache,
            redirect_port: None,
        },
    )
    .await;
    assert!(msg.contains("delete it to sign in again"), "{msg}");
}
