//! Reading an event subscription's state: a `GET` on its path. Not in CINNOX's
//! documents (they show only the `PATCH` that sets it; docs/cinnox-api.md §5): the
//! sandbox answers it, `check` probes it on a real tenant, and `subscriptions`
//! says plainly when a tenant does not answer it. Setting one is in `client`.

use super::client::{CinnoxClient, segments};
use super::error::{CallKind, ClientError};
use super::retry::Answer;
use super::wire::{self, EventSubscription, SubscriptionState};
use reqwest::Method;
use serde_json::Value;

impl CinnoxClient {
    /// The state of a subscription (`None`: the answer holds none).
    pub async fn subscription(
        &self,
        which: EventSubscription,
    ) -> Result<Option<SubscriptionState>, ClientError> {
        let target = format!("the {} subscription", which.path());
        let answer = self
            .call(
                CallKind::Subscribe,
                Method::GET,
                &segments(which.path()),
                &[],
                None,
                &target,
            )
            .await?;
        Ok(match answer {
            Answer::Body(b) => wire::subscription_from_json(&b),
            _ => wire::subscription_from_json(&Value::Null),
        })
    }
}
