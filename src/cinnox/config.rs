//! Client configuration: where CINNOX is, which App, the token, and the pacing and
//! retry budget. Credentials come from the job file or, for what it leaves out, from
//! the environment (`CINNOX_BASE_URL`, `CINNOX_APP_ID`, `CINNOX_APP_TOKEN`); a
//! missing one is an error naming both places to set it.

use super::names::path::{API_ROOT, APPS_PREFIX};
use super::secret::Secret;
use serde::Deserialize;
use std::time::Duration;

pub const ENV_BASE_URL: &str = "CINNOX_BASE_URL";
pub const ENV_APP_ID: &str = "CINNOX_APP_ID";
pub const ENV_APP_TOKEN: &str = "CINNOX_APP_TOKEN";

/// CINNOX allows 500 requests per minute per service account; the default leaves
/// room for other Apps and people of the same tenant.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 450;

/// The credentials as a job file gives them; each may be left to the environment.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Credentials {
    pub base_url: Option<String>,
    pub app_id: Option<String>,
    pub app_token: Option<Secret>,
}

#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// e.g. `https://example.cinnox.com` (without `/v1/...`).
    pub base_url: String,
    pub app_id: String,
    pub app_token: Secret,
    /// The pacing budget of this service account; `None` turns pacing off.
    pub requests_per_minute: Option<u32>,
    /// Per request, connection included.
    pub timeout: Duration,
    /// Retries after a 5xx, 6451001, timeout or dropped connection (creates excepted).
    pub max_retries: u32,
    /// The first backoff; it doubles on each retry (with jitter), capped at 30 s.
    pub backoff_base: Duration,
    /// How many `6451010` answers one call waits out before giving up.
    pub max_rate_limited_waits: u32,
    /// The first wait after a rate limit that named no `Retry-After`; it doubles on
    /// each further one (with jitter), up to a minute.
    pub rate_limit_backoff: Duration,
}

/// A credential that could not be resolved.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("no CINNOX {what}: set {var} or `{key}` in the job file")]
    Missing {
        what: &'static str,
        var: &'static str,
        key: &'static str,
    },
    #[error("the CINNOX base URL `{url}` is not usable: {reason}")]
    BadBaseUrl { url: String, reason: String },
}

impl ClientConfig {
    /// A configuration with the default pacing (450/min), a 30 s timeout and 5 retries.
    pub fn new(
        base_url: impl Into<String>,
        app_id: impl Into<String>,
        app_token: impl Into<Secret>,
    ) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            app_id: app_id.into(),
            app_token: app_token.into(),
            requests_per_minute: Some(DEFAULT_REQUESTS_PER_MINUTE),
            timeout: Duration::from_secs(30),
            max_retries: 5,
            backoff_base: Duration::from_millis(500),
            max_rate_limited_waits: 20,
            rate_limit_backoff: Duration::from_secs(1),
        }
    }

    /// Everything from the environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::resolve(&Credentials::default())
    }

    /// The job file's credentials, with the environment filling what it leaves out.
    pub fn resolve(job: &Credentials) -> Result<Self, ConfigError> {
        Self::resolve_with(job, |var| std::env::var(var).ok())
    }

    /// As `resolve`, with `lookup` in place of the environment (tests, and callers
    /// that keep their own environment).
    pub fn resolve_with(
        job: &Credentials,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let pick = |given: Option<&str>, var: &'static str| {
            given
                .map(str::to_string)
                .or_else(|| lookup(var))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let base_url = pick(job.base_url.as_deref(), ENV_BASE_URL).ok_or(ConfigError::Missing {
            what: "base URL",
            var: ENV_BASE_URL,
            key: "base_url",
        })?;
        let app_id = pick(job.app_id.as_deref(), ENV_APP_ID).ok_or(ConfigError::Missing {
            what: "App ID",
            var: ENV_APP_ID,
            key: "app_id",
        })?;
        let token = pick(job.app_token.as_ref().map(Secret::expose), ENV_APP_TOKEN).ok_or(
            ConfigError::Missing {
                what: "App Token",
                var: ENV_APP_TOKEN,
                key: "app_token",
            },
        )?;
        let config = ClientConfig::new(base_url, app_id, Secret::new(token));
        config.check()?;
        Ok(config)
    }

    /// Checks the base URL: absolute, http or https, no query.
    pub fn check(&self) -> Result<(), ConfigError> {
        let bad = |reason: &str| ConfigError::BadBaseUrl {
            url: self.base_url.clone(),
            reason: reason.to_string(),
        };
        let url = url::Url::parse(&self.base_url).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad(
                "it must start with https:// (or http:// for a sandbox)",
            ));
        }
        if url.query().is_some() {
            return Err(bad("it must not hold a query (`?...`)"));
        }
        Ok(())
    }

    /// The base URL without a trailing `/`, and without `/v1/api` (or
    /// `/v1/api/apps`) when it was pasted with it; also the key of the pacing
    /// registry.
    pub fn base_url_trimmed(&self) -> &str {
        let url = self.base_url.trim().trim_end_matches('/');
        // ASCII lower-casing keeps byte offsets, so the cut below is on a boundary.
        let lower = url.to_ascii_lowercase();
        for suffix in [APPS_PREFIX.trim_end_matches('/'), API_ROOT] {
            if lower.ends_with(suffix) {
                return url[..url.len() - suffix.len()].trim_end_matches('/');
            }
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn job_values_win_and_the_environment_fills_gaps() {
        let job = Credentials {
            app_id: Some("job-app".into()),
            ..Default::default()
        };
        let c = ClientConfig::resolve_with(
            &job,
            env(&[
                (ENV_BASE_URL, "https://x.cinnox.com/"),
                (ENV_APP_ID, "env-app"),
                (ENV_APP_TOKEN, "t0k"),
            ]),
        )
        .unwrap();
        assert_eq!(c.app_id, "job-app");
        assert_eq!(c.app_token.expose(), "t0k");
        assert_eq!(c.base_url_trimmed(), "https://x.cinnox.com");
        for pasted in [
            "https://x.cinnox.com/v1/api",
            "https://x.cinnox.com/V1/API/",
            "https://x.cinnox.com/v1/api/apps/",
        ] {
            let c = ClientConfig::new(pasted, "a", "t");
            assert_eq!(c.base_url_trimmed(), "https://x.cinnox.com", "{pasted}");
        }
        let proxied = ClientConfig::new("https://proxy.example/cinnox/", "a", "t");
        assert_eq!(proxied.base_url_trimmed(), "https://proxy.example/cinnox");
        assert!(!format!("{c:?}").contains("t0k"));
    }

    #[test]
    fn a_missing_credential_names_its_variable() {
        let e = ClientConfig::resolve_with(
            &Credentials::default(),
            env(&[(ENV_BASE_URL, "https://x"), (ENV_APP_ID, "a")]),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "no CINNOX App Token: set CINNOX_APP_TOKEN or `app_token` in the job file"
        );
        let e = ClientConfig::resolve_with(
            &Credentials::default(),
            env(&[
                (ENV_BASE_URL, "ftp://x"),
                (ENV_APP_ID, "a"),
                (ENV_APP_TOKEN, "t"),
            ]),
        )
        .unwrap_err();
        assert!(matches!(e, ConfigError::BadBaseUrl { .. }), "{e}");
    }
}
