use super::*;
use proptest::prelude::*;
use std::time::Duration;

fn cfg(settle: u64, min_gap: u64, max_delay: u64) -> Coalesce {
    Coalesce {
        settle: Duration::from_millis(settle),
        min_gap: Duration::from_millis(min_gap),
        max_delay: Duration::from_millis(max_delay),
    }
}

#[test]
fn a_burst_is_one_sync_after_the_settle_delay() {
    let t0 = Instant::now();
    let ms = |n: u64| t0 + Duration::from_millis(n);
    let mut d = Debounce::new(cfg(1000, 5000, 10_000));
    assert_eq!(d.due(), None);
    assert!(!d.delivery(1, ms(0)));
    assert!(d.delivery(2, ms(300)), "the second joins the first");
    assert_eq!(d.due(), Some(ms(1300)));
    assert_eq!(d.waiting(), 2);
    d.started(ms(1300));
    assert_eq!(d.due(), None, "never while running");
    // One during the run, before its listing began: covered by it.
    d.delivery(3, ms(1350));
    d.listing_from(3);
    // One after the listing began: the next run's.
    d.delivery(4, ms(1400));
    d.finished(true);
    // Quiet at 2400, but the minimum gap holds it to 6300.
    assert_eq!(d.due(), Some(ms(6300)));
    assert_eq!(d.waiting(), 1);
}

#[test]
fn a_steady_stream_waits_at_most_the_maximum_delay() {
    let t0 = Instant::now();
    let ms = |n: u64| t0 + Duration::from_millis(n);
    let mut d = Debounce::new(cfg(1000, 2000, 4000));
    for i in 0..100 {
        d.delivery(i, ms(i as u64 * 100));
    }
    assert_eq!(d.due(), Some(ms(4000)));
}

#[test]
fn a_failed_run_gives_its_deliveries_back() {
    let t0 = Instant::now();
    let ms = |n: u64| t0 + Duration::from_millis(n);
    let mut d = Debounce::new(cfg(100, 1000, 2000));
    d.delivery(1, ms(0));
    d.started(ms(100));
    d.listing_from(1);
    d.finished(false);
    assert_eq!(d.waiting(), 1);
    assert_eq!(d.due(), Some(ms(1100)), "again, after the minimum gap");
}

#[test]
fn undone_deliveries_at_start_are_due_at_once() {
    let now = Instant::now() + Duration::from_secs(3600);
    let mut d = Debounce::new(cfg(5000, 30_000, 120_000));
    d.undone_at_start(42, 3, now);
    assert!(d.due().is_some_and(|due| due <= now));
    assert_eq!(d.waiting(), 3);
}

/// Runs deliveries (ms after the start, in order) through a `Debounce` as the job
/// loop does, each run lasting `run_ms` and reading CINNOX as it starts. Answers the
/// runs as (start, end, highest sequence covered).
fn simulate(c: Coalesce, arrivals: &[u64], run_ms: u64) -> Vec<(u64, u64, i64)> {
    let t0 = Instant::now();
    let at = |n: u64| t0 + Duration::from_millis(n);
    let since = |i: Instant| i.duration_since(t0).as_millis() as u64;
    let mut d = Debounce::new(c);
    let mut runs = Vec::new();
    let mut next = 0;
    let mut running: Option<u64> = None;
    let mut clock = 0;
    loop {
        let due = d.due().map(since);
        let arrival = arrivals.get(next).copied();
        let end = running.map(|s| s + run_ms);
        let step = [arrival, due, end].into_iter().flatten().min();
        // A run due in the past starts now, as the loop would start it.
        let Some(now) = step.map(|t| t.max(clock)) else {
            break;
        };
        clock = now;
        if end == Some(now) {
            d.finished(true);
            running = None;
        } else if arrival == Some(now) {
            d.delivery(next as i64, at(now));
            next += 1;
        } else {
            d.started(at(now));
            // The listing starts at once: everything arrived so far is covered.
            let up_to = next as i64 - 1;
            d.listing_from(up_to);
            runs.push((now, now + run_ms, up_to));
            running = Some(now);
        }
    }
    runs
}

proptest! {
    /// Whatever the arrivals: runs never overlap and keep the minimum gap; every
    /// delivery is covered by a run that started reading after it arrived, at most
    /// the maximum delay (or one run's length, when a run was going) later; and
    /// runs are few.
    #[test]
    fn every_delivery_is_covered_in_time_by_few_runs(
        mut arrivals in proptest::collection::vec(0u64..20_000, 1..200),
        settle in 1u64..2000, gap in 0u64..3000, extra in 0u64..3000, run_ms in 1u64..4000,
    ) {
        arrivals.sort();
        let max_delay = settle.max(gap) + extra;
        let c = cfg(settle, gap, max_delay);
        let runs = simulate(c, &arrivals, run_ms);
        for w in runs.windows(2) {
            prop_assert!(w[1].0 >= w[0].1, "overlap: {:?}", w);
            prop_assert!(w[1].0 >= w[0].0 + gap, "gap: {:?}", w);
        }
        for (i, a) in arrivals.iter().enumerate() {
            let run = runs.iter().find(|r| r.2 >= i as i64);
            prop_assert!(run.is_some(), "delivery {} at {} never covered", i, a);
            let start = run.map_or(0, |r| r.0);
            prop_assert!(start >= *a);
            prop_assert!(start <= a + max_delay.max(run_ms), "delivery {} at {} covered at {}", i, a, start);
        }
        // Runs start at least max(gap, run) apart, from the first arrival to the
        // last one's deadline, and are no more than the deliveries.
        let span = arrivals[arrivals.len() - 1] - arrivals[0] + max_delay.max(run_ms);
        let bound = (span / gap.max(run_ms) + 1).min(arrivals.len() as u64);
        prop_assert!(runs.len() as u64 <= bound, "{} runs, bound {}", runs.len(), bound);
    }
}
