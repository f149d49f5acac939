//! `Sandbox`: the state behind every sandbox endpoint (store, staff, credentials,
//! rate limit, fault dice, stats, webhook notifier) and the operations of the Open
//! API on it: list, create, update, staff, subscriptions. The dashboard-only
//! actions are in `actions`. HTTP lives in `api`, `gate` and `dashboard`; this
//! file knows nothing of it, so the engine's tests can also drive it directly.

use super::db::StoreError;
use super::faults::{FaultDice, Faults};
use super::ratelimit::SlidingWindow;
use super::stats::{Stats, StatsSnapshot};
use super::store::Store;
use super::webhooks::Notifier;
use super::wire::{Event, Staff, Subscription, SubscriptionState, WebhookForm};
use crate::cinnox::Secret;
use crate::model::{Contact, EnumKind, FieldId, FieldValues, Normaliser};
use crate::validate::check_value;
use std::sync::{Arc, Mutex, MutexGuard};

/// Why an operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum OpError {
    /// Answered 6450001 / HTTP 404.
    #[error("{0}")]
    NotFound(String),
    /// Answered 6451000 / HTTP 400.
    #[error("{0}")]
    Invalid(String),
    /// Answered 6451001 / HTTP 500.
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub(crate) const META_DEFAULT_OWNER: &str = "default_owner";

pub struct Sandbox {
    pub(crate) app_id: String,
    pub(crate) token: Secret,
    /// Level and type left empty are stored as CINNOX's defaults (Primary, Lead).
    pub(crate) enum_defaults: bool,
    pub(crate) store: Mutex<Store>,
    pub(crate) default_owner: Mutex<String>,
    pub(crate) limiter: Option<Mutex<SlidingWindow>>,
    pub(crate) dice: Mutex<FaultDice>,
    pub(crate) stats: Stats,
    pub(crate) notifier: Notifier,
    pub(crate) generator_seed: u64,
    /// How webhook deliveries are written.
    pub(crate) webhook_form: Mutex<WebhookForm>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("app_id", &self.app_id)
            .finish()
    }
}

/// Locks a mutex, carrying on after a panic elsewhere (every critical section
/// leaves the data consistent before anything can panic).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// A fresh opaque id: 24 hex digits, like CINNOX's.
pub(crate) fn new_id() -> String {
    format!("{:024x}", rand::random::<u128>() >> 32)
}

/// The audit's rules over every value; the first failure names its field.
pub fn check_values(values: &FieldValues) -> Result<(), String> {
    let n = Normaliser::default();
    for (f, raw) in values.iter() {
        if let Some(finding) = check_value(f, raw, &n) {
            return Err(format!("{}: {}", f.key(), finding.message));
        }
    }
    Ok(())
}

/// Sets the owner fields of `c` from `s`.
pub(crate) fn set_owner(c: &mut Contact, s: &Staff) {
    c.values.set(FieldId::OwnerId, s.id.clone());
    c.values.set(FieldId::OwnerName, s.owner_name());
    c.values.set(FieldId::OwnerDepartment, s.department.clone());
}

impl Sandbox {
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    /// Rendered contacts `offset..offset+limit` and the number of live contacts.
    pub fn list_page(&self, offset: usize, limit: usize) -> (Vec<Arc<str>>, usize) {
        let store = self.store();
        (store.page(offset, limit), store.len())
    }

    /// A contact as listed, if it is live.
    pub fn contact(&self, id: &str) -> Option<Contact> {
        self.store().get(id).cloned()
    }

    /// Every live contact, in creation order.
    pub fn contacts(&self) -> Vec<Contact> {
        self.store().contacts().cloned().collect()
    }

    /// Staff `offset..offset+limit` whose name holds `full_name` (any case), and how
    /// many match.
    pub fn staff_page(&self, offset: usize, limit: usize, full_name: &str) -> (Vec<Staff>, usize) {
        let needle = full_name.trim().to_lowercase();
        let store = self.store();
        let matching: Vec<&Staff> = store
            .all_staff()
            .filter(|s| {
                needle.is_empty()
                    || format!("{} {}", s.first_name, s.last_name)
                        .to_lowercase()
                        .contains(&needle)
                    || s.display_name.to_lowercase().contains(&needle)
            })
            .collect();
        let total = matching.len();
        (
            matching
                .into_iter()
                .skip(offset)
                .take(limit)
                .cloned()
                .collect(),
            total,
        )
    }

    /// Stores CINNOX's defaults for an empty level and type.
    fn with_defaults(&self, values: &mut FieldValues) {
        if !self.enum_defaults {
            return;
        }
        for (f, kind) in [
            (FieldId::Level, EnumKind::Level),
            (FieldId::CustomerType, EnumKind::CustomerType),
        ] {
            if let (false, Some(d)) = (values.has(f), kind.default_value()) {
                values.set(f, d);
            }
        }
    }

    /// Creates a contact from checked writable values; its owner is the default
    /// staff member. Answers the new id.
    pub fn create(&self, mut values: FieldValues) -> Result<String, OpError> {
        values.retain(FieldId::is_writable);
        self.with_defaults(&mut values);
        let mut c = Contact {
            id: new_id(),
            values,
            ..Default::default()
        };
        let mut store = self.store();
        let owner_id = lock(&self.default_owner).clone();
        if let Some(owner) = store.staff(&owner_id) {
            set_owner(&mut c, owner);
        }
        let id = c.id.clone();
        let event = self.event("create", &c);
        store.write(vec![c], &[])?;
        drop(store);
        self.notify_contact(event);
        Ok(id)
    }

    /// Replaces the writable fields of contact `id` with `values` (an omitted field
    /// is cleared); owner, sharing, merges and custom fields are kept.
    pub fn update(&self, id: &str, mut values: FieldValues) -> Result<(), OpError> {
        values.retain(FieldId::is_writable);
        self.with_defaults(&mut values);
        let mut store = self.store();
        let mut c = store
            .get(id)
            .cloned()
            .ok_or_else(|| OpError::NotFound(format!("no external contact with id `{id}`")))?;
        c.values.retain(|f| !f.is_writable());
        for (f, v) in values.iter() {
            c.values.set(f, v);
        }
        let event = self.event("edit", &c);
        store.write(vec![c], &[])?;
        drop(store);
        self.notify_contact(event);
        Ok(())
    }

    /// Turns a subscription on (after the URL passes the challenge) or off.
    pub async fn subscribe(
        &self,
        kind: Subscription,
        enabled: bool,
        url: &str,
    ) -> Result<SubscriptionState, OpError> {
        let url = url.trim();
        if enabled {
            let parsed = url::Url::parse(url)
                .map_err(|e| OpError::Invalid(format!("url: `{url}` is not a URL ({e})")))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(OpError::Invalid("url: must be http:// or https://".into()));
            }
            self.notifier
                .handshake(url)
                .await
                .map_err(|why| OpError::Invalid(format!("url: {why}; subscription not enabled")))?;
        }
        let mut store = self.store();
        let kept_url = match (enabled, store.subscription(kind)) {
            (false, Some(old)) if url.is_empty() => old.url.clone(),
            _ => url.to_string(),
        };
        let state = SubscriptionState {
            enabled,
            url: kept_url,
            updated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        };
        store.set_subscription(kind, state.clone())?;
        Ok(state)
    }

    /// The event CINNOX would send about `c`.
    pub(crate) fn event(&self, status: &str, c: &Contact) -> Event {
        Event {
            status: status.into(),
            id: c.id.clone(),
            full_name: c.full_name(),
            service_id: self.app_id.clone(),
            kind: "contact",
            ..Default::default()
        }
    }

    /// Queues a contact event for the contact and external-contact subscriptions.
    pub(crate) fn notify_contact(&self, event: Event) {
        self.notify(
            &[Subscription::Contact, Subscription::ExternalContact],
            event,
        );
    }

    pub(crate) fn notify(&self, kinds: &[Subscription], event: Event) {
        let urls: Vec<String> = {
            let store = self.store();
            let mut urls: Vec<String> = kinds
                .iter()
                .filter_map(|k| store.subscription(*k))
                .filter(|s| s.enabled && !s.url.is_empty())
                .map(|s| s.url.clone())
                .collect();
            urls.dedup();
            urls
        };
        if !urls.is_empty() {
            let form = *lock(&self.webhook_form);
            self.notifier.send(&urls, &event.to_json(form));
        }
    }

    /// How webhook deliveries are written from now on.
    pub fn webhook_form(&self) -> WebhookForm {
        *lock(&self.webhook_form)
    }

    pub fn set_webhook_form(&self, form: WebhookForm) {
        *lock(&self.webhook_form) = form;
    }

    /// A subscription's state, if it was ever set.
    pub fn subscription(&self, kind: Subscription) -> Option<SubscriptionState> {
        self.store().subscription(kind).cloned()
    }

    /// Request counts, faults injected and webhook deliveries.
    pub fn stats(&self) -> StatsSnapshot {
        self.stats.snapshot(self.notifier.counts())
    }

    pub fn reset_stats(&self) {
        self.stats.reset();
        self.notifier.reset();
    }

    pub fn faults(&self) -> Faults {
        lock(&self.dice).faults
    }

    /// Replaces the faults in force; `seed` re-seeds the dice.
    pub fn set_faults(&self, faults: Faults, seed: Option<u64>) -> Result<(), OpError> {
        faults.check().map_err(OpError::Invalid)?;
        let mut dice = lock(&self.dice);
        dice.faults = faults;
        if let Some(s) = seed {
            dice.reseed(s);
        }
        Ok(())
    }

    /// Waits until no webhook delivery is pending, or `timeout` passes; answers
    /// whether the queue is empty.
    pub async fn webhooks_settled(&self, timeout: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if self.notifier.counts().pending == 0 {
                return true;
            }
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}
