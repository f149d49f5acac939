//! Failures: 429 storms and 5xx are retried with backoff (at least `Retry-After`);
//! an append or removal that may have been applied is checked, never doubled; a
//! run that runs out of patience says it was cut short and what it wrote; a 400 is
//! not retried; writes are paced.

use crate::support::fake_sheets::{Cell, Kind};
use crate::support::{BOOK, World, rows, shown};
use cinnox_sync::sources::sheets::SheetsStore;
use cinnox_sync::sources::{Edit, SourceError, Store, apply_edits};
use std::time::{Duration, Instant};

fn people() -> Vec<Vec<Cell>> {
    rows(&[
        &["First Name", "Mobile"],
        &["Ann", "+85291110000"],
        &["Bob", "+85291110001"],
        &["Cat", "+85291110002"],
    ])
}

fn edits() -> Vec<Edit> {
    vec![
        Edit::Set {
            row: 0,
            col: 1,
            value: "+85290000000".into(),
        },
        Edit::Append {
            cells: vec!["Dan".into(), "+85291110003".into()],
        },
        Edit::Remove { row: 2 },
    ]
}

#[tokio::test]
async fn a_429_storm_is_survived() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", people());
    let mut store = w.store("C").await;
    w.fake.fail_next(12, 429, Some(0));
    let t = store.read().await.expect("read through the storm");
    w.fake.fail_next(12, 429, None);
    store
        .write(&t, &edits())
        .await
        .expect("write through the storm");
    let c = w.fake.counts();
    assert_eq!(c.faults, 24);
    assert_eq!((c.batch_updates, c.appends, c.structural), (1, 1, 1));
    assert_eq!(
        store.read().await.expect("read").rows,
        apply_edits(&t, &edits()).rows
    );
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", people());
    let mut store = w.store("C").await;
    w.fake.fail_next(1, 429, Some(1));
    let start = Instant::now();
    store.read().await.expect("read");
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn server_errors_are_retried() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", people());
    let mut store = w.store("C").await;
    w.fake.fail_next(2, 500, None);
    let t = store.read().await.expect("read");
    w.fake.fail_next_of(3, 503, Kind::BatchUpdate);
    w.fake.fail_next_of(2, 502, Kind::Append);
    store.write(&t, &edits()).await.expect("write");
    let c = w.fake.counts();
    assert_eq!((c.batch_updates, c.appends, c.structural), (1, 1, 1));
    assert_eq!(
        store.read().await.expect("read").rows,
        apply_edits(&t, &edits()).rows
    );
}

#[tokio::test]
async fn an_append_or_removal_applied_before_a_5xx_is_not_repeated() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", people());
    let mut store = w.store("C").await;
    let t = store.read().await.expect("read");
    w.fake.reset_counts();
    w.fake.fail_after_apply(1, 500, Kind::Append);
    w.fake.fail_after_apply(1, 503, Kind::Structural);
    store.write(&t, &edits()).await.expect("write");
    let c = w.fake.counts();
    // Each unclear answer cost one read to look, and nothing was sent twice.
    assert_eq!((c.appends, c.structural, c.reads), (1, 1, 2));
    assert_eq!(
        store.read().await.expect("read").rows,
        apply_edits(&t, &edits()).rows
    );
}

#[tokio::test]
async fn a_run_out_of_patience_is_cut_short_and_says_what_it_wrote() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", people());
    let mut config = w.config("C");
    config.retry.max_wait = Duration::from_millis(100);
    let mut store = SheetsStore::connect(config).await.expect("connect");
    let t = store.read().await.expect("read");
    w.fake.fail_next_of(10_000, 429, Kind::Append);
    let err = store.write(&t, &edits()).await.unwrap_err();
    assert!(matches!(err, SourceError::Remote { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("run cut short while appending new rows"),
        "{msg}"
    );
    assert!(
        msg.contains("Written before it stopped: 1 cells, 0 new rows"),
        "{msg}"
    );
    assert!(
        msg.contains("not written: 1 new rows, 1 row removals"),
        "{msg}"
    );
    // The cell write landed, nothing else did: a state the next run can read.
    assert_eq!(shown(&w, "C")[1][1], "+85290000000");
    assert_eq!(shown(&w, "C").len(), 4);
}

#[tokio::test]
async fn a_bad_request_is_not_retried() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", people());
    let mut store = w.store("C").await;
    w.fake.fail_next(3, 400, None);
    let err = store.read().await.unwrap_err();
    assert!(err.to_string().contains("HTTP 400"), "{err}");
    assert_eq!(w.fake.counts().faults, 1);
}

#[tokio::test]
async fn writes_are_paced() {
    let w = World::new().await;
    w.fake.add_tab(BOOK, "C", people());
    let mut config = w.config("C");
    // 10 per second with no burst: three write requests need two gaps of 100 ms.
    config.retry.per_minute = 600;
    config.retry.burst = 1;
    config.limits.max_request_bytes = 1;
    let mut store = SheetsStore::connect(config).await.expect("connect");
    let t = store.read().await.expect("read");
    let sets: Vec<Edit> = (0..3)
        .map(|r| Edit::Set {
            row: r,
            col: 0,
            value: format!("N{r}"),
        })
        .collect();
    let start = Instant::now();
    store.write(&t, &sets).await.expect("write");
    assert_eq!(w.fake.counts().batch_updates, 3);
    assert!(
        start.elapsed() >= Duration::from_millis(190),
        "{:?}",
        start.elapsed()
    );
}
