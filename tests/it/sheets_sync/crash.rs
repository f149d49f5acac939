//! The crash test on a sheet: a sync of 30 edited rows, 20 new rows, 5 edits in
//! CINNOX and 3 contacts new in CINNOX is killed with SIGKILL at a known point:
//! after its k-th CINNOX write, after the sheet's batchUpdate landed (new ids in
//! the tab, the appends not sent), or after the append landed (before the state
//! was saved). The next runs must leave no duplicate contact, no duplicate row, no
//! lost edit, and every id written back.

#![cfg(unix)]

use super::env::SheetEnv;
use crate::support::fake_sheets::{Cell, Kind};
use crate::sync_support::sandbox::{cinnox_person, person};
use cinnox_sync::model::FieldId as F;
use cinnox_sync::sandbox::Faults;
use std::collections::HashSet;
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

#[derive(Copy, Clone, Debug)]
enum Point {
    /// Right after the k-th CINNOX create or update.
    Cinnox(u64),
    /// With the request of this kind applied, its answer held back.
    Sheet(Kind),
}

fn crash_at(point: Point) {
    let env = SheetEnv::new(&(0..30).map(person).collect::<Vec<_>>(), vec![]);
    env.sync_settled(0);
    let linked: Vec<String> = env
        .rows()
        .iter()
        .take(5)
        .map(|r| r["CINNOX ID"].clone())
        .collect();
    for i in 0..30 {
        env.type_at(i, "Job Title", Cell::text(&format!("Lead {i}")));
    }
    let header = env.header();
    env.edit_rows(|rows| {
        for i in 100..120 {
            let p = person(i);
            rows.push(
                header
                    .iter()
                    .map(|h| Cell::text(p.iter().find(|(k, _)| k == h).map_or("", |(_, v)| v)))
                    .collect(),
            );
        }
    });
    for id in &linked {
        env.sb
            .sandbox()
            .edit(id, &[(F::CompanyName, "Edited in CINNOX".into())])
            .unwrap();
    }
    env.sb
        .sandbox()
        .seed_contacts((1..=3).map(cinnox_person).collect(), false)
        .unwrap();
    match point {
        // A little latency so the kill lands right after the k-th write.
        Point::Cinnox(_) => env.faults(Faults {
            latency_ms: 4,
            ..Faults::default()
        }),
        Point::Sheet(kind) => env.fake.stall_after_apply(kind, Duration::from_secs(60)),
    }
    env.fake.reset_counts();
    let base = env.writes();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("cinnox-sync"));
    cmd.args(["-q", "sync", "--force", "--config", env.job_arg()])
        .current_dir(env.dir.path())
        .env_remove("CINNOX_APP_TOKEN")
        .stdout(std::process::Stdio::null());
    for (k, v) in env.env() {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let reached = match point {
            Point::Cinnox(k) => env.writes() - base >= k,
            Point::Sheet(Kind::BatchUpdate) => env.fake.counts().batch_updates >= 1,
            Point::Sheet(_) => env.fake.counts().appends >= 1,
        };
        if reached {
            let _ = child.kill(); // SIGKILL
            break;
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "{point:?}: not killed midway");
    env.faults(Faults::default());
    env.fake.clear_faults();

    // The interrupted mass change is still pending: the guard wants --force.
    let (code, v) = env.json(&["sync", "--force", "--config", env.job_arg()]);
    assert_eq!(code, 0, "{point:?}: {v:#}");
    let v = env.sync_settled(0).v;
    let contacts = env.contacts();
    assert_eq!(
        contacts.len(),
        53,
        "{point:?}: duplicate or missing contacts: {v:#}"
    );
    let emails: HashSet<&str> = contacts.iter().map(|c| c.values.get(F::Email)).collect();
    assert_eq!(emails.len(), 53, "{point:?}: a contact was created twice");
    let rows = env.rows();
    assert_eq!(rows.len(), 53, "{point:?}: a duplicate or missing row");
    let ids: HashSet<&str> = rows.iter().map(|r| r["CINNOX ID"].as_str()).collect();
    assert_eq!(
        ids.len(),
        53,
        "{point:?}: an id in two rows, or a row without id"
    );
    for (i, r) in rows.iter().enumerate() {
        let id = &r["CINNOX ID"];
        assert!(!id.is_empty(), "{point:?}: row {i} has no id");
        let c = env.contact(id);
        assert_eq!(
            c.values.get(F::Email),
            r["Email"],
            "{point:?}: row {i} linked to the wrong contact"
        );
        if i < 30 {
            assert_eq!(
                c.values.get(F::JobTitle),
                format!("Lead {i}"),
                "{point:?}: edit lost"
            );
        }
        if linked.contains(id) {
            assert_eq!(
                r["Company"], "Edited in CINNOX",
                "{point:?}: CINNOX edit lost"
            );
        }
        assert_eq!(r["Sync Status"], "ok", "{point:?}: {r:?}");
    }
}

#[test]
fn killed_at_any_point_the_next_run_repairs_everything() {
    for point in [
        Point::Cinnox(1),
        Point::Cinnox(26),
        Point::Cinnox(49),
        Point::Sheet(Kind::BatchUpdate),
        Point::Sheet(Kind::Append),
    ] {
        crash_at(point);
    }
}
