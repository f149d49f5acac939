//! Raw HTTP to a sandbox for the API tests: a client that sends the token, and a
//! sandbox started with seeded contacts.

use cinnox_sync::sandbox::{self, RunningSandbox, SandboxConfig, StatsSnapshot};
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub(super) struct Http {
    pub(super) base: String,
    pub(super) app: String,
    pub(super) token: String,
    http: reqwest::Client,
}

impl Http {
    pub(super) fn new(sb: &RunningSandbox) -> Http {
        cinnox_sync::install_crypto_provider();
        Http {
            base: sb.base_url(),
            app: sb.app_id().to_string(),
            token: sb.app_token().expose().to_string(),
            http: reqwest::Client::new(),
        }
    }

    /// An Open API call: status, `Retry-After`, JSON body.
    pub(super) async fn api(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Option<String>, Value) {
        let url = format!("{}/v1/api/apps/{}/{}", self.base, self.app, path);
        self.send(method, &url, Some(&self.token), body).await
    }

    pub(super) async fn send(
        &self,
        method: Method,
        url: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Option<String>, Value) {
        let mut req = self.http.request(method, url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let retry = resp
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_string());
        (status, retry, resp.json().await.unwrap_or(Value::Null))
    }

    pub(super) async fn sandbox(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        let (status, _, body) = self
            .send(method, &format!("{}/sandbox/{path}", self.base), None, body)
            .await;
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    pub(super) async fn stats(&self) -> StatsSnapshot {
        serde_json::from_value(self.sandbox(Method::GET, "stats", None).await).unwrap()
    }
}

pub(super) async fn start(seed: usize) -> RunningSandbox {
    sandbox::start(SandboxConfig {
        rate_limit: None,
        seed_contacts: seed,
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

pub(super) const LIST: &str = "contacts/extcontact-list";
pub(super) const CREATE: &str = "management/create_externalcontact";
