//! Google saying no: a 429 storm on every kind of request is waited out (backoff,
//! within the budget) and the sync ends as it would have; a run whose writes keep
//! failing past the budget stops, says it was cut short (exit 2) with what CINNOX
//! was sent, and the next run finishes the job with nothing lost or doubled.

use super::env::{FAST_RETRY, SheetEnv};
use crate::support::fake_sheets::{Cell, Kind};
use crate::sync_support::sandbox::{cinnox_person, person};
use cinnox_sync::model::FieldId as F;

fn world() -> SheetEnv {
    let rows: Vec<_> = (0..6).map(person).collect();
    SheetEnv::new(&rows, vec![cinnox_person(1)])
}

#[test]
fn a_429_storm_during_a_sync_is_survived() {
    let env = world();
    env.fake.fail_next_of(6, 429, Kind::Read);
    env.fake.fail_next_of(6, 429, Kind::BatchUpdate);
    env.fake.fail_next_of(4, 429, Kind::Append);
    env.fake.reset_counts();
    let (code, v) = env.sync();
    assert_eq!((code, v["outcome"].as_str()), (0, Some("applied")), "{v:#}");
    let c = env.fake.counts();
    assert_eq!(c.faults, 16, "the storm happened: {c:?}");
    assert_eq!((c.reads, c.batch_updates, c.appends), (1, 1, 1), "{c:?}");
    env.assert_quiet_sync();
    assert_eq!(env.contacts().len(), 7);
    assert_eq!(env.rows().len(), 7);
    assert!(env.rows().iter().all(|r| !r["CINNOX ID"].is_empty()));
}

/// Both ways a write can be cut short: the cells (nothing of the sheet written),
/// or the new rows (the cells written, the append not).
#[test]
fn a_run_cut_short_says_so_and_the_next_run_finishes_it() {
    for kind in [Kind::BatchUpdate, Kind::Append] {
        let mut env = world();
        env.sync_settled(0);
        let ids: Vec<String> = env.rows().iter().map(|r| r["CINNOX ID"].clone()).collect();
        env.type_at(0, "Job Title", Cell::text("Director"));
        env.sb
            .sandbox()
            .edit(&ids[1], &[(F::JobTitle, "Buyer".into())])
            .unwrap();
        let header = env.header();
        env.edit_rows(|rows| {
            let p = person(40);
            rows.push(
                header
                    .iter()
                    .map(|h| Cell::text(p.iter().find(|(k, _)| k == h).map_or("", |(_, v)| v)))
                    .collect(),
            );
        });
        env.sb
            .sandbox()
            .seed_contacts(vec![cinnox_person(7)], false)
            .unwrap();
        // Google keeps failing for longer than this run may wait.
        env.retry = FAST_RETRY.replace("wait_ms=5000", "wait_ms=150");
        env.fake.fail_next_of(100_000, 503, kind);
        let (code, v) = env.sync();
        assert_eq!(
            (code, v["outcome"].as_str()),
            (2, Some("failed")),
            "{kind:?}: {v:#}"
        );
        let e = v["error"].as_str().unwrap();
        assert!(
            e.contains("cut short") && e.contains("next run"),
            "{kind:?}: {e}"
        );
        assert_eq!(
            (
                v["applied"]["created"].as_u64(),
                v["applied"]["updated"].as_u64()
            ),
            (Some(1), Some(1)),
            "{kind:?}: what CINNOX was sent is reported: {v:#}"
        );
        env.fake.clear_faults();
        env.retry = FAST_RETRY.into();
        let (code, v) = env.sync();
        assert_eq!(code, 0, "{kind:?}: {v:#}");
        assert_eq!(
            v["calls"]["create"], 0,
            "{kind:?}: nothing created twice: {v:#}"
        );
        env.assert_quiet_sync();
        assert_eq!(env.contacts().len(), 9, "{kind:?}");
        let rows = env.rows();
        assert_eq!(rows.len(), 9, "{kind:?}: {rows:?}");
        assert!(
            rows.iter()
                .all(|r| !r["CINNOX ID"].is_empty() && r["Sync Status"] == "ok")
        );
        assert_eq!(env.contact(&ids[0]).values.get(F::JobTitle), "Director");
        assert_eq!(env.row_of(&ids[1]).unwrap()["Job Title"], "Buyer");
    }
}
