//! `CinnoxClient`: the calls the connector makes to the CINNOX Open API (list,
//! create, update, staff, event subscriptions), each paced by the service
//! account's shared limiter and retried as `retry` decides. A create is never
//! re-sent once it may have reached the server. Wire shapes come from `wire`.

use super::calls::{CallCounts, Counters};
use super::config::ClientConfig;
use super::error::{CallKind, ClientError};
use super::names::{path, query};
use super::pacing::{self, Pacer};
use super::retry::{self, Answer, Attempt, Reading, Verdict};
use super::wire::{self, EventSubscription, Staff, SubscriptionState};
use crate::model::{Contact, FieldId, FieldValues};
use reqwest::Method;
use serde_json::Value;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct CinnoxClient {
    http: reqwest::Client,
    config: ClientConfig,
    pacer: Option<Pacer>,
    counters: Arc<Counters>,
}

impl std::fmt::Debug for CinnoxClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CinnoxClient")
            .field("config", &self.config)
            .finish()
    }
}

impl CinnoxClient {
    /// A client for `config`; its pacer is the one shared by every client of the
    /// same base URL in this process.
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        let pacer = config
            .requests_per_minute
            .filter(|n| *n > 0)
            .map(|n| pacing::shared(config.base_url_trimmed(), n));
        Self::with_pacer(config, pacer)
    }

    /// A client paced by `pacer` (none: unpaced), for callers that keep their own
    /// pacers per service account (`pacing::Pacers`).
    pub fn with_pacer(config: ClientConfig, pacer: Option<Pacer>) -> Result<Self, ClientError> {
        config
            .check()
            .map_err(|e| ClientError::Setup(e.to_string()))?;
        crate::install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("cinnox-sync/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ClientError::Setup(e.to_string()))?;
        Ok(CinnoxClient {
            http,
            config,
            pacer,
            counters: Arc::default(),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The requests sent so far, by kind (shared by clones of this client).
    pub fn calls(&self) -> CallCounts {
        self.counters.snapshot()
    }

    /// Creates a contact from every writable field of `values`; answers its id.
    /// Never retried once the request may have reached CINNOX: such a failure is
    /// `CreateOutcomeUnknown`, and the caller re-lists before creating again.
    pub async fn create_contact(&self, values: &FieldValues) -> Result<String, ClientError> {
        let body = wire::write_body(values);
        let answer = self
            .call(
                CallKind::Create,
                Method::POST,
                &segments(path::CREATE_CONTACT),
                &[],
                Some(&body),
                "the create endpoint",
            )
            .await?;
        match answer {
            Answer::Body(b) => {
                wire::answered_id(&b).ok_or_else(|| ClientError::CreateOutcomeUnknown {
                    reason: "CINNOX answered success without the new contact's id".into(),
                })
            }
            Answer::NoRecords | Answer::Contacts(_) | Answer::Raw { .. } => {
                Err(ClientError::CreateOutcomeUnknown {
                    reason: "CINNOX answered a create without the new contact's id".into(),
                })
            }
        }
    }

    /// Replaces contact `id`'s writable fields with `values`: the full set, so a
    /// field left out of `values` is sent empty (read-modify-write: start from the
    /// listed contact's values, see [`CinnoxClient::updated_values`]). Retried on
    /// transient failures: a full body is idempotent.
    pub async fn update_contact(&self, id: &str, values: &FieldValues) -> Result<(), ClientError> {
        let body = wire::write_body(values);
        let path = path::UPDATE_CONTACT
            .split('/')
            .chain([id])
            .collect::<Vec<_>>();
        self.call(
            CallKind::Update,
            Method::PUT,
            &path,
            &[],
            Some(&body),
            &format!("contact {id}"),
        )
        .await?;
        Ok(())
    }

    /// The full field set to send for an update: the contact's current values with
    /// `changes` applied (an empty value clears its field).
    pub fn updated_values(current: &Contact, changes: &[(FieldId, String)]) -> FieldValues {
        let mut values = current.values.clone();
        for (f, v) in changes {
            values.set(*f, v.clone());
        }
        values
    }

    /// Every staff member (the owners a contact's `ownerId` points at).
    pub async fn list_staff(&self) -> Result<Vec<Staff>, ClientError> {
        let mut out: Vec<Staff> = Vec::new();
        let mut seen = HashSet::new();
        let mut offset = 0u64;
        loop {
            let query = [(query::OFFSET, offset), (query::LIMIT, wire::MAX_PAGE)];
            let answer = self
                .call(
                    CallKind::Staff,
                    Method::GET,
                    &segments(path::LIST_STAFF),
                    &query,
                    None,
                    "the staff list",
                )
                .await?;
            let Answer::Body(body) = answer else { break };
            let (items, total) = wire::list_items(&body).map_err(|e| ClientError::Protocol {
                call: CallKind::Staff,
                detail: e.to_string(),
            })?;
            let n = items.len() as u64;
            for s in items.iter().filter_map(wire::staff_from_json) {
                if seen.insert(s.id.clone()) {
                    out.push(s);
                }
            }
            offset += n;
            if n < wire::MAX_PAGE || total.is_some_and(|t| offset >= t) {
                break;
            }
        }
        Ok(out)
    }

    /// Subscribes `url` to every contact event (merge and transfer included). CINNOX
    /// first sends the URL a challenge; the subscription is enabled only if the
    /// receiver echoes it.
    pub async fn subscribe_contact_events(
        &self,
        url: &str,
    ) -> Result<SubscriptionState, ClientError> {
        self.set_subscription(EventSubscription::Contact, true, url)
            .await
    }

    /// Turns the contact-event subscription off.
    pub async fn unsubscribe_contact_events(&self) -> Result<SubscriptionState, ClientError> {
        self.set_subscription(EventSubscription::Contact, false, "")
            .await
    }

    /// Turns any of the three event subscriptions on (with `url`) or off.
    pub async fn set_subscription(
        &self,
        which: EventSubscription,
        enabled: bool,
        url: &str,
    ) -> Result<SubscriptionState, ClientError> {
        let body = wire::subscription_body(enabled, url);
        let target = format!("the {} subscription", which.path());
        let answer = self
            .call(
                CallKind::Subscribe,
                Method::PATCH,
                &segments(which.path()),
                &[],
                Some(&body),
                &target,
            )
            .await;
        let body = match answer {
            Ok(Answer::Body(b)) => b,
            Ok(Answer::NoRecords | Answer::Contacts(_) | Answer::Raw { .. }) => Value::Null,
            Err(ClientError::BadRequest { message, .. }) if enabled => {
                return Err(ClientError::SubscriptionRefused { message });
            }
            Err(e) => return Err(e),
        };
        let state = wire::subscription_from_json(&body).unwrap_or_else(|| SubscriptionState {
            enabled,
            url: url.to_string(),
            updated_at: String::new(),
        });
        if enabled && !state.enabled {
            return Err(ClientError::SubscriptionRefused {
                message: "CINNOX answered `enabled: false`: the URL did not pass the challenge"
                    .into(),
            });
        }
        Ok(state)
    }

    /// Sends one call, pacing each attempt and retrying as `retry::judge` decides.
    pub(super) async fn call(
        &self,
        kind: CallKind,
        method: Method,
        path: &[&str],
        query: &[(&str, u64)],
        body: Option<&Value>,
        target: &str,
    ) -> Result<Answer, ClientError> {
        let reading = match kind {
            CallKind::List => Reading::List,
            _ => Reading::Envelope,
        };
        self.call_reading(kind, reading, method, path, query, body, target)
            .await
    }

    /// `call`, with the answer read as `reading` says.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn call_reading(
        &self,
        kind: CallKind,
        reading: Reading,
        method: Method,
        path: &[&str],
        query: &[(&str, u64)],
        body: Option<&Value>,
        target: &str,
    ) -> Result<Answer, ClientError> {
        let url = self.url(path)?;
        let attempt = Attempt {
            call: kind,
            app_id: &self.config.app_id,
            target,
        };
        let (mut failures, mut waits) = (0u32, 0u32);
        loop {
            if let Some(p) = &self.pacer {
                p.ready().await;
            }
            self.counters.sent(kind);
            let verdict = self
                .attempt(&attempt, reading, method.clone(), url.clone(), query, body)
                .await;
            match verdict {
                Verdict::Done(a) => return Ok(a),
                Verdict::Fail(e) => return Err(e),
                Verdict::WaitAndRetry(told) => {
                    self.counters.rate_limited();
                    waits += 1;
                    if waits > self.config.max_rate_limited_waits {
                        return Err(ClientError::RateLimited {
                            call: kind,
                            waits: waits - 1,
                        });
                    }
                    // Without a `Retry-After`, waiting the same short time again
                    // would only be refused again: back off, growing, jittered.
                    let wait = told.unwrap_or_else(|| {
                        retry::backoff_capped(
                            self.config.rate_limit_backoff,
                            waits,
                            retry::MAX_RATE_LIMIT_BACKOFF,
                        )
                    });
                    tracing::info!(call = %kind, ?wait, "CINNOX rate limit reached; waiting");
                    tokio::time::sleep(wait).await;
                }
                Verdict::Retry {
                    reason,
                    maybe_processed,
                    unreachable,
                } => {
                    if kind == CallKind::Create && maybe_processed {
                        return Err(ClientError::CreateOutcomeUnknown { reason });
                    }
                    failures += 1;
                    if failures > self.config.max_retries {
                        if unreachable {
                            return Err(ClientError::Unreachable {
                                base_url: self.config.base_url_trimmed().to_string(),
                                attempts: failures,
                                reason,
                            });
                        }
                        return Err(ClientError::Server {
                            call: kind,
                            attempts: failures,
                            reason,
                        });
                    }
                    let wait = retry::backoff(self.config.backoff_base, failures);
                    tracing::info!(call = %kind, ?wait, "CINNOX call failed ({reason}); retrying");
                    tokio::time::sleep(wait).await;
                }
            }
            self.counters.retried();
        }
    }

    /// One HTTP request and its verdict.
    async fn attempt(
        &self,
        a: &Attempt<'_>,
        reading: Reading,
        method: Method,
        url: url::Url,
        query: &[(&str, u64)],
        body: Option<&Value>,
    ) -> Verdict {
        let mut req = self
            .http
            .request(method, url)
            .bearer_auth(self.config.app_token.expose())
            .header(reqwest::header::ACCEPT, "application/json");
        if !query.is_empty() {
            req = req.query(query);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => return retry::judge_transport(&e),
        };
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let ra = retry_after.as_deref();
        match resp.bytes().await {
            Ok(bytes) => match reading {
                Reading::List => retry::judge_list(a, status, ra, &bytes),
                Reading::Envelope => retry::judge(a, status, ra, &bytes),
                Reading::Raw => retry::judge_raw(status, ra, &bytes),
            },
            Err(e) => retry::judge_transport(&e),
        }
    }

    /// `{base}/v1/api/apps/{appID}/{segments...}`, each segment percent-encoded
    /// (so an id holding `/` stays one segment).
    fn url(&self, path: &[&str]) -> Result<url::Url, ClientError> {
        let setup = |e: String| ClientError::Setup(e);
        let mut url =
            url::Url::parse(self.config.base_url_trimmed()).map_err(|e| setup(e.to_string()))?;
        url.path_segments_mut()
            .map_err(|_| setup("the base URL cannot hold a path".into()))?
            .pop_if_empty()
            .extend(path::APPS_PREFIX.split('/').filter(|s| !s.is_empty()))
            .push(&self.config.app_id)
            .extend(path);
        Ok(url)
    }
}

/// The segments of a fixed path such as `contacts/extcontact-list`.
pub(super) fn segments(path: &str) -> Vec<&str> {
    path.split('/').collect()
}
