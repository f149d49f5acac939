//! Pacing: one rate limiter per CINNOX service account, shared by every client in
//! the process that talks to the same base URL (all Apps of a tenant share the
//! 500/min budget). Requests are spaced evenly: governor's quota alone would let a
//! whole minute's budget through at once, so the burst is kept small.

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex, OnceLock};

/// A shared limiter and the budget it was made for.
#[derive(Clone)]
pub struct Pacer {
    per_minute: u32,
    limiter: Arc<DefaultDirectRateLimiter>,
}

impl std::fmt::Debug for Pacer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pacer({}/min)", self.per_minute)
    }
}

impl Pacer {
    /// A limiter of its own (not registered): `per_minute` spaced requests.
    pub fn new(per_minute: u32) -> Pacer {
        let per_minute = per_minute.max(1);
        let rate = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(burst_for(per_minute)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_minute(rate).allow_burst(burst);
        Pacer {
            per_minute,
            limiter: Arc::new(RateLimiter::direct(quota)),
        }
    }

    /// The budget, in requests per minute.
    pub fn per_minute(&self) -> u32 {
        self.per_minute
    }

    /// Waits for the next slot.
    pub async fn ready(&self) {
        self.limiter.until_ready().await;
    }
}

/// A burst of about one second's worth, at most 5, at least 1: enough to absorb a
/// little scheduling jitter, too little to bunch requests up. Over any span of
/// time a pacer lets through at most the span's share of the budget plus this.
pub fn burst_for(per_minute: u32) -> u32 {
    (per_minute / 60).clamp(1, 5)
}

/// Pacers by service account: clients asking for the same budget of one account
/// share one limiter; a client asking for a different budget replaces it (the newest
/// configuration wins, and later clients share that one). A service keeps one for
/// all its jobs; `shared` uses the process-wide one.
#[derive(Default)]
pub struct Pacers(Mutex<HashMap<String, Pacer>>);

impl Pacers {
    pub fn new() -> Self {
        Self::default()
    }

    /// The pacer of the service account at `base_url`.
    pub fn get(&self, base_url: &str, per_minute: u32) -> Pacer {
        let key = base_url.trim().trim_end_matches('/').to_ascii_lowercase();
        let mut map = match self.0.lock() {
            Ok(m) => m,
            // A panic elsewhere while holding the lock leaves a map that is still sound.
            Err(poisoned) => poisoned.into_inner(),
        };
        match map.get(&key) {
            Some(p) if p.per_minute == per_minute.max(1) => p.clone(),
            _ => {
                let p = Pacer::new(per_minute);
                map.insert(key, p.clone());
                p
            }
        }
    }
}

/// The process-wide pacer of the service account at `base_url` (see `Pacers`).
pub fn shared(base_url: &str, per_minute: u32) -> Pacer {
    static REGISTRY: OnceLock<Pacers> = OnceLock::new();
    REGISTRY.get_or_init(Pacers::new).get(base_url, per_minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_limiter_per_account() {
        let a = shared("http://127.0.0.1:9/", 450);
        let b = shared("HTTP://127.0.0.1:9", 450);
        assert!(Arc::ptr_eq(&a.limiter, &b.limiter));
        let c = shared("http://127.0.0.1:10", 450);
        assert!(!Arc::ptr_eq(&a.limiter, &c.limiter));
        assert_eq!(burst_for(450), 5);
        assert_eq!(burst_for(30), 1);
    }

    #[test]
    fn the_burst_is_small() {
        let p = Pacer::new(6000);
        let let_through = (0..50).filter(|_| p.limiter.check().is_ok()).count();
        assert!(let_through <= 6, "{let_through}");
    }
}
