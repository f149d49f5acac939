//! Getting access tokens for the Sheets API with yup-oauth2: a service-account key
//! (a path, or `GOOGLE_APPLICATION_CREDENTIALS`), or the installed-app flow with a
//! 0600 token cache. The only scope ever asked for is `spreadsheets`. Errors say
//! which credential to check; tokens and key material are never logged or shown.

use super::config::SheetsAuth;
use super::retry::{Failure, Fatal};
use super::token_cache::TokenCache;
use crate::sources::SourceError;
use google_sheets4::hyper_rustls::HttpsConnector;
use google_sheets4::hyper_util::client::legacy::Client;
use google_sheets4::hyper_util::client::legacy::connect::HttpConnector;
use google_sheets4::hyper_util::rt::TokioExecutor;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use yup_oauth2::authenticator::Authenticator;
use yup_oauth2::authenticator_delegate::InstalledFlowDelegate;
use yup_oauth2::{
    ConsoleApplicationSecret, CustomHyperClientBuilder, InstalledFlowAuthenticator,
    InstalledFlowReturnMethod, ServiceAccountAuthenticator, ServiceAccountKey,
};

/// The one scope asked for: read and write spreadsheets, nothing in Drive.
pub const SCOPE: &str = "https://www.googleapis.com/auth/spreadsheets";

/// The environment variable Google's tools read a service-account key path from.
pub const CREDENTIALS_ENV: &str = "GOOGLE_APPLICATION_CREDENTIALS";

pub type Conn = HttpsConnector<HttpConnector>;

/// An authenticator and the Google identity it acts as.
pub struct Authorised {
    pub auth: Authenticator<Conn>,
    /// Names the user whose per-user quota the requests spend, for pacing.
    pub quota_key: String,
    /// Who to share the spreadsheet with, for messages.
    pub who: String,
}

/// Builds the authenticator `auth` describes. `browser` replaces the default way
/// of showing the sign-in URL of the installed-app flow (printing it on stderr).
pub async fn authenticator(
    auth: &SheetsAuth,
    conn: Conn,
    browser: Option<Box<dyn InstalledFlowDelegate>>,
) -> Result<Authorised, SourceError> {
    let http = CustomHyperClientBuilder::from(
        Client::builder(TokioExecutor::new()).build::<_, String>(conn),
    );
    match auth {
        SheetsAuth::ServiceAccount { key } => {
            let path = match key {
                Some(p) => p.clone(),
                None => std::env::var_os(CREDENTIALS_ENV)
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
                    .ok_or_else(|| {
                        auth_error(format!(
                            "no credentials: give a service-account key file, set \
                             {CREDENTIALS_ENV} to one, or use an OAuth client secret \
                             (installed-app flow)"
                        ))
                    })?,
            };
            let key: ServiceAccountKey = read_json(&path, "service-account key")?;
            if key
                .key_type
                .as_deref()
                .is_some_and(|t| t != "service_account")
            {
                return Err(auth_error(format!(
                    "{} is not a service-account key (its type is {:?})",
                    path.display(),
                    key.key_type.as_deref().unwrap_or_default()
                )));
            }
            let who = key.client_email.clone();
            let auth = ServiceAccountAuthenticator::with_client(key, http)
                .build()
                .await
                .map_err(|e| {
                    auth_error(format!(
                        "the private key in {} cannot be used ({e}); download a new key",
                        path.display()
                    ))
                })?;
            Ok(Authorised {
                auth,
                quota_key: who.clone(),
                who,
            })
        }
        SheetsAuth::InstalledApp {
            client_secret,
            token_cache,
            redirect_port,
        } => {
            let console: ConsoleApplicationSecret =
                read_json(client_secret, "OAuth client secret")?;
            let secret = console.installed.or(console.web).ok_or_else(|| {
                auth_error(format!(
                    "{} holds no \"installed\" client; create an OAuth client of type \
                     Desktop app and download its JSON",
                    client_secret.display()
                ))
            })?;
            // Whoever signs in; the token cache stands for them.
            let quota_key = format!("{} {}", secret.client_id, token_cache.display());
            let who = format!(
                "the Google account signed in through {}",
                token_cache.display()
            );
            let method = match redirect_port {
                Some(p) => InstalledFlowReturnMethod::HTTPPortRedirect(*p),
                None => InstalledFlowReturnMethod::HTTPRedirect,
            };
            let cache = TokenCache::open(token_cache)?;
            let auth = InstalledFlowAuthenticator::with_client(secret, method, http)
                .with_storage(Box::new(cache))
                .flow_delegate(browser.unwrap_or_else(|| Box::new(StderrBrowser)))
                .build()
                .await
                .map_err(|e| auth_error(format!("cannot start the sign-in flow: {e}")))?;
            Ok(Authorised {
                auth,
                quota_key,
                who,
            })
        }
    }
}

/// What to check when the token endpoint refuses, per kind of credential.
pub fn hint(auth: &SheetsAuth) -> String {
    match auth {
        SheetsAuth::ServiceAccount { key: Some(p) } => format!(
            "check the service-account key {} (deleted or disabled keys are refused)",
            p.display()
        ),
        SheetsAuth::ServiceAccount { key: None } => format!(
            "check the service-account key that {CREDENTIALS_ENV} points to (deleted or \
             disabled keys are refused)"
        ),
        SheetsAuth::InstalledApp { token_cache, .. } => format!(
            "the saved sign-in was refused (revoked or expired): delete {} and sign in again",
            token_cache.display()
        ),
    }
}

/// Sorts a failure to get a token: refused credentials are final, an unreachable
/// or confused token endpoint is worth another try (nothing was sent to Sheets).
pub fn classify_token_error(e: &(dyn std::error::Error + Send + Sync + 'static)) -> Failure {
    use yup_oauth2::Error as Y;
    match e.downcast_ref::<Y>() {
        Some(Y::AuthError(a)) => Failure::Fatal(Fatal::Auth(format!(
            "the token endpoint refused the credentials ({a})"
        ))),
        Some(Y::HttpError(_) | Y::HttpClientError(_) | Y::JSONError(_)) => Failure::NotApplied {
            detail: format!("no access token yet ({e})"),
            retry_after: None,
        },
        Some(Y::UserError(m)) => Failure::Fatal(Fatal::Auth(format!("sign-in failed: {m}"))),
        _ => Failure::Fatal(Fatal::Auth(format!("no access token: {e}"))),
    }
}

fn auth_error(message: String) -> SourceError {
    SourceError::Auth {
        what: "Google credentials".into(),
        message,
    }
}

/// Reads a credential file. Errors name the file and the problem, never the
/// content: serde's messages give only a position.
fn read_json<T: serde::de::DeserializeOwned>(path: &Path, kind: &str) -> Result<T, SourceError> {
    let bytes = std::fs::read(path).map_err(|e| {
        auth_error(match e.kind() {
            std::io::ErrorKind::NotFound => format!("{kind} file {} not found", path.display()),
            _ => format!("cannot read {kind} file {}: {e}", path.display()),
        })
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        auth_error(format!(
            "{} is not a {kind} JSON file as Google Cloud console downloads it ({e})",
            path.display()
        ))
    })
}

/// Shows the sign-in URL on stderr (stdout may carry a report).
pub struct StderrBrowser;

impl InstalledFlowDelegate for StderrBrowser {
    fn present_user_url<'a>(
        &'a self,
        url: &'a str,
        _need_code: bool,
    ) -> Pin<Box<dyn Future<Output = Result<String, String>> + Send + 'a>> {
        Box::pin(async move {
            eprintln!(
                "To let cinnox-sync edit your Google Sheets, open this address in a browser \
                 on this machine and sign in:\n\n  {url}\n\nWaiting for the browser..."
            );
            Ok(String::new())
        })
    }
}
