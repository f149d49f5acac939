//! The crash test: a sync of 100 records (50 edited rows to update, 50 new rows to
//! create) is killed with SIGKILL right after its k-th remote write, for many k; the
//! next run must leave no duplicate contact, no lost edit, and every id written back.

#![cfg(unix)]

use crate::sync_support;

use cinnox_sync::model::FieldId as F;
use cinnox_sync::sandbox::Faults;
use std::collections::HashSet;
use std::time::Duration;
use sync_support::sandbox::{Env, csv_text, person};

fn crash_at(k: u64) {
    let env = Env::new(&csv_text(&(0..50).map(person).collect::<Vec<_>>()), vec![]);
    env.sync_settled(0);
    // 50 edits in the list, 50 new rows, and 10 edits in CINNOX.
    env.edit_csv(|rows| {
        for (i, r) in rows.iter_mut().enumerate() {
            r.insert("Job Title".into(), format!("Lead {i}"));
        }
        for i in 100..150 {
            rows.push(
                person(i)
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            );
        }
    });
    let linked: Vec<String> = env
        .rows()
        .iter()
        .take(10)
        .map(|r| r["CINNOX ID"].clone())
        .collect();
    for id in &linked {
        env.sb
            .sandbox()
            .edit(id, &[(F::CompanyName, "Edited in CINNOX".into())])
            .unwrap();
    }
    // A little latency so the kill lands right after the k-th write.
    env.faults(Faults {
        latency_ms: 4,
        ..Faults::default()
    });
    let base = env.writes();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cinnox-sync"))
        .args([
            "-q",
            "sync",
            "--force",
            "--config",
            env.job.to_str().unwrap(),
        ])
        .env(
            sync_support::sandbox::TOKEN_ENV,
            env.sb.app_token().expose(),
        )
        .env_remove("CINNOX_APP_TOKEN")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    loop {
        if env.writes() - base >= k {
            let _ = child.kill(); // SIGKILL
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break; // finished before the k-th write (k past the end)
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    let status = child.wait().unwrap();
    if k <= 90 {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.signal(),
            Some(9),
            "k={k}: the run was not killed midway"
        );
    }
    env.faults(Faults::default());

    // The interrupted mass change is still pending: the guard wants --force.
    let (code, v) = env.json(&["sync", "--force", "--config", env.job.to_str().unwrap()]);
    assert_eq!(code, 0, "k={k}: {v:#}");
    let v = env.sync_settled(0);
    let contacts = env.contacts();
    assert_eq!(
        contacts.len(),
        100,
        "k={k}: duplicate or missing contacts: {v:#}"
    );
    let emails: HashSet<&str> = contacts.iter().map(|c| c.values.get(F::Email)).collect();
    assert_eq!(emails.len(), 100, "k={k}: a contact was created twice");
    let rows = env.rows();
    assert_eq!(rows.len(), 100);
    for (i, r) in rows.iter().enumerate() {
        let id = &r["CINNOX ID"];
        assert!(!id.is_empty(), "k={k}: row {i} has no id");
        let c = env.contact(id);
        assert_eq!(
            c.values.get(F::Email),
            r["Email"],
            "k={k}: row {i} linked to the wrong contact"
        );
        if i < 50 {
            assert_eq!(
                c.values.get(F::JobTitle),
                format!("Lead {i}"),
                "k={k}: list edit lost"
            );
        }
        if linked.contains(id) {
            assert_eq!(r["Company"], "Edited in CINNOX", "k={k}: CINNOX edit lost");
        }
        assert_eq!(r["Sync Status"], "ok");
    }
}

#[cfg(unix)]
#[test]
fn killed_after_the_kth_write_the_next_run_repairs_everything() {
    for k in [1, 2, 7, 25, 49, 50, 51, 63, 88, 99, 100] {
        crash_at(k);
    }
}
