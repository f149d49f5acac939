//! With the sandbox's faults on (20% of answers 502, 20% of creates stored but
//! their answer lost), repeated syncs converge to the same end state as without
//! faults: the same contacts (no duplicate), the same list, the edits of both sides.

use crate::sync_support;

use cinnox_sync::model::FieldId as F;
use cinnox_sync::sandbox::Faults;
use std::collections::BTreeSet;
use sync_support::sandbox::{Env, cinnox_person, csv_text, person};

fn world() -> Env {
    let rows: Vec<_> = (0..20).map(person).collect();
    Env::new(&csv_text(&rows), (0..5).map(cinnox_person).collect())
}

/// Syncs until a run has nothing left to do (at most `max` runs); returns how many.
fn converge(env: &Env, max: usize) -> usize {
    for n in 1..=max {
        let (code, v) = env.json(&["sync", "--config", env.job.to_str().unwrap(), "--force"]);
        let quiet =
            v["calls"]["create"] == 0 && v["calls"]["update"] == 0 && v["rows_written"] == 0;
        if code == 0 && quiet {
            return n;
        }
    }
    panic!("no convergence after {max} runs");
}

/// Both sides, without ids (they differ between sandboxes).
fn end_state(env: &Env) -> (BTreeSet<String>, BTreeSet<String>) {
    let contacts = env
        .contacts()
        .iter()
        .map(|c| {
            [F::FirstName, F::Email, F::JobTitle, F::CompanyName]
                .map(|f| c.values.get(f).to_string())
                .join("|")
        })
        .collect();
    let rows = env
        .rows()
        .iter()
        .map(|r| {
            ["First Name", "Email", "Job Title", "Company", "Sync Status"]
                .map(|c| r[c].clone())
                .join("|")
        })
        .collect();
    (contacts, rows)
}

fn scenario(env: &Env) {
    converge(env, 30);
    // Edits on both sides, then converge again.
    env.edit_csv(|rows| {
        for r in rows.iter_mut().take(6) {
            r.insert("Job Title".into(), "Lead".into());
        }
        rows.push(
            person(50)
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        );
    });
    for c in env.contacts().iter().take(3) {
        env.sb
            .sandbox()
            .edit(&c.id, &[(F::CompanyName, "Renamed".into())])
            .unwrap();
    }
    converge(env, 30);
}

#[test]
fn faults_do_not_change_where_a_sync_ends() {
    let calm = world();
    scenario(&calm);
    let rough = world();
    rough.faults(Faults {
        server_error: 0.2,
        lost_create: 0.2,
        latency_ms: 0,
    });
    scenario(&rough);
    let stats = rough.stats();
    assert!(
        stats.faults.server_error > 0 && stats.faults.lost_create > 0,
        "faults were injected: {stats:?}"
    );
    assert_eq!(
        rough.contacts().len(),
        calm.contacts().len(),
        "no duplicate contact"
    );
    assert_eq!(end_state(&rough), end_state(&calm));
    for r in rough.rows() {
        assert!(!r["CINNOX ID"].is_empty());
    }
}
