//! The sandbox's rate limit: a sliding window (60 s unless a test shortens it)
//! counting the requests of the service account; over the limit, the answer is
//! `429 {"code":6451010}` with `Retry-After` saying when a slot frees up. Refused
//! requests do not take a slot, so a client that waits as told gets through.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct SlidingWindow {
    limit: usize,
    window: Duration,
    accepted: VecDeque<Instant>,
}

impl SlidingWindow {
    pub fn new(limit: u32, window: Duration) -> Self {
        SlidingWindow {
            limit: limit as usize,
            window,
            accepted: VecDeque::new(),
        }
    }

    /// Takes a slot at `now`, or answers how long until one frees up.
    pub fn admit(&mut self, now: Instant) -> Result<(), Duration> {
        while let Some(first) = self.accepted.front() {
            if now.duration_since(*first) >= self.window {
                self.accepted.pop_front();
            } else {
                break;
            }
        }
        if self.accepted.len() < self.limit {
            self.accepted.push_back(now);
            return Ok(());
        }
        let oldest = self.accepted.front().copied().unwrap_or(now);
        Err(self.window.saturating_sub(now.duration_since(oldest)))
    }
}

/// `Retry-After` in whole seconds, rounded up, at least 1.
pub fn retry_after_secs(wait: Duration) -> u64 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    secs.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_over_the_limit_until_the_window_slides() {
        let mut w = SlidingWindow::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(w.admit(t0 + Duration::from_secs(i)).is_ok());
        }
        let wait = w.admit(t0 + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert_eq!(retry_after_secs(wait), 50);
        assert!(w.admit(t0 + Duration::from_secs(60)).is_ok());
        assert!(w.admit(t0 + Duration::from_secs(60)).is_err());
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
    }
}
