//! A Google Sheet is polled on the job's schedule, against the fake Sheets API:
//! each tick reads the tab once and writes nothing when nothing changed; an edit
//! typed into the sheet reaches CINNOX at the next tick.

use super::support::{serve_table, start};
use crate::sheets_sync::env::SheetEnv;
use crate::support::fake_sheets::Cell;
use crate::sync_support::sandbox::person;
use cinnox_sync::model::FieldId as F;
use std::time::Duration;

#[test]
fn a_sheet_is_polled_with_one_read_a_tick_and_no_write_when_nothing_changed() {
    let env = SheetEnv::new(&[person(1), person(2)], vec![]);
    env.sync_settled(0);
    serve_table(
        &env.job,
        "every = \"1s\"\njitter = \"0s\"\nat_start = false",
    );
    env.fake.reset_counts();
    let extra: Vec<(&str, String)> = env
        .env()
        .into_iter()
        .filter(|(k, _)| *k != "RUST_LOG")
        .collect();
    let s = start(
        env.dir.path(),
        env.sb.app_token().expose(),
        &[&env.job],
        &extra,
    );
    s.wait_for(Duration::from_secs(30), "three ticks", || {
        s.finished_runs("job") >= 3 && !s.running("job")
    });
    let runs = s.runs("job");
    let ticks = s.finished_runs("job");
    let c = env.fake.counts();
    // A tick may be reading right now: at most one read more than the runs.
    assert!(
        c.reads >= ticks && c.reads <= ticks + 1,
        "{ticks} ticks, {c:?}"
    );
    assert_eq!(c.writes(), 0, "nothing changed, nothing written: {c:?}");
    let served: Vec<_> = runs.iter().filter(|r| !r["trigger"].is_null()).collect();
    assert!(
        served.iter().all(|r| r["trigger"] == "schedule"),
        "{runs:#?}"
    );
    assert!(
        served
            .iter()
            .all(|r| r["rows_written"] == 0 || r["finished_at"].is_null())
    );

    // Typed in the sheet: in CINNOX at the next tick.
    let id = env.rows()[0]["CINNOX ID"].clone();
    env.type_at(env.index_of(&id), "Job Title", Cell::text("Polled"));
    s.wait_for(Duration::from_secs(30), "the edit in CINNOX", || {
        env.contact(&id).values.get(F::JobTitle) == "Polled"
    });
}
