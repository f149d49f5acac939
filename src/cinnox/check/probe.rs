//! The calls `check` makes, all reads: the first page of contacts and of staff, a
//! page one over the limit, and the state of each event subscription (a `GET` on
//! its path, which the documents do not promise). Answers are kept as they came;
//! only wrong credentials (and a tenant that cannot be reached) end the probe.

use super::super::client::{CinnoxClient, segments};
use super::super::error::{CallKind, ClientError};
use super::super::names::{path, query};
use super::super::retry::{self, Answer, Attempt, Reading, Verdict};
use super::super::wire::{EventSubscription, MAX_PAGE};
use super::{Probe, Probes};
use reqwest::Method;

impl CinnoxClient {
    /// Makes the read-only calls of `check`. Fails on what stops every call: a
    /// refused App ID or token, or no connection at all.
    pub async fn probe(&self) -> Result<Probes, ClientError> {
        let contacts = self
            .probe_one(CallKind::List, path::LIST_CONTACTS, MAX_PAGE)
            .await?;
        let staff = self
            .probe_one(CallKind::Staff, path::LIST_STAFF, MAX_PAGE)
            .await?;
        let over_limit = self
            .probe_one(CallKind::List, path::LIST_CONTACTS, MAX_PAGE + 1)
            .await?;
        let mut subscriptions = Vec::new();
        for s in EventSubscription::ALL {
            let p = self.probe_get(CallKind::Subscribe, s.path(), &[]).await?;
            subscriptions.push((s, p));
        }
        Ok(Probes {
            contacts,
            staff,
            over_limit,
            subscriptions,
        })
    }

    async fn probe_one(
        &self,
        kind: CallKind,
        path: &str,
        limit: u64,
    ) -> Result<Probe, ClientError> {
        let q = [(query::OFFSET, 0), (query::LIMIT, limit)];
        self.probe_get(kind, path, &q).await
    }

    async fn probe_get(
        &self,
        kind: CallKind,
        path: &str,
        q: &[(&str, u64)],
    ) -> Result<Probe, ClientError> {
        let query_text: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let request = match query_text.is_empty() {
            true => format!("GET {path}"),
            false => format!("GET {path}?{}", query_text.join("&")),
        };
        let answer = self
            .call_reading(
                kind,
                Reading::Raw,
                Method::GET,
                &segments(path),
                q,
                None,
                &request,
            )
            .await?;
        let Answer::Raw { status, body } = answer else {
            return Err(ClientError::Protocol {
                call: kind,
                detail: "a probe got an answer it did not keep".into(),
            });
        };
        let attempt = Attempt {
            call: kind,
            app_id: &self.config().app_id,
            target: &request,
        };
        // Wrong credentials make every other answer meaningless: stop here.
        if let Verdict::Fail(e) = retry::judge(&attempt, status, None, &body)
            && e.is_fatal()
        {
            return Err(e);
        }
        Ok(Probe {
            request,
            status,
            body,
        })
    }
}
