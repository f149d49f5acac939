//! Saved plans through the real binary on a sandbox: `plan --out` then `apply`
//! skips what changed since, adds no row twice (applied twice, or after a sync), and
//! is refused when a guard refuses it, unless forced.

use crate::sync_support;

use sync_support::sandbox::{Env, cinnox_person, csv_text, person};

#[test]
fn a_saved_plan_skips_what_changed_since() {
    let env = Env::new(&csv_text(&[person(1), person(2)]), vec![]);
    env.sync_settled(0);
    env.edit_csv(|rows| {
        rows[0].insert("Job Title".into(), "A".into());
        rows[1].insert("Job Title".into(), "B".into());
    });
    let plan = env.dir.path().join("plan.json");
    let (code, v) = env.json(&[
        "plan",
        "--config",
        env.job.to_str().unwrap(),
        "--out",
        plan.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["plan"]["counts"]["updates"], 2);
    assert_eq!(
        env.writes(),
        2,
        "plan writes nothing (2 creates from the first sync)"
    );
    // Row 2 changes again after the plan: its action is stale.
    env.edit_csv(|rows| {
        rows[1].insert("Job Title".into(), "C".into());
    });
    let (code, v) = env.json(&["apply", plan.to_str().unwrap()]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(
        (
            v["applied"]["updated"].as_u64(),
            v["applied"]["stale"].as_u64()
        ),
        (Some(1), Some(1)),
        "{v:#}"
    );
    let (_, h) = env.json(&["history", "--config", env.job.to_str().unwrap()]);
    assert_eq!(h[0]["command"], "apply");
    assert_eq!(h[0]["exit_code"], 1);
}

#[test]
fn a_saved_plan_applied_twice_or_after_a_sync_adds_no_row_twice() {
    let env = Env::new(&csv_text(&[person(1)]), vec![cinnox_person(1)]);
    let job = env.job.to_str().unwrap();
    let plan = env.dir.path().join("plan.json");
    let plan = plan.to_str().unwrap();
    let (code, v) = env.json(&["plan", "--config", job, "--out", plan]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["plan"]["counts"]["rows_appended"], 1, "{v:#}");
    let (code, v) = env.json(&["apply", plan]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(env.rows().len(), 2);
    // The same plan again: its create and its append are done already.
    let (code, v) = env.json(&["apply", plan]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["applied"]["stale"], 2, "{v:#}");
    assert!(
        v["problems"].to_string().contains("already in the list"),
        "{v:#}"
    );
    assert_eq!(env.rows().len(), 2, "no row appended twice");
    assert_eq!(env.contacts().len(), 2, "no contact created twice");
    // A plan made before a sync, applied after it.
    env.sb
        .sandbox()
        .seed_contacts(vec![cinnox_person(2)], false)
        .unwrap();
    let (code, v) = env.json(&["plan", "--config", job, "--out", plan]);
    assert_eq!(
        (code, v["plan"]["counts"]["rows_appended"].as_u64()),
        (0, Some(1)),
        "{v:#}"
    );
    env.sync_settled(0);
    assert_eq!(env.rows().len(), 3);
    let (code, v) = env.json(&["apply", plan]);
    assert_eq!(
        (code, v["applied"]["stale"].as_u64()),
        (1, Some(1)),
        "{v:#}"
    );
    assert_eq!(env.rows().len(), 3, "no row appended twice");
}

#[test]
fn apply_refuses_a_plan_a_guard_refuses_unless_forced() {
    let env = Env::new(&csv_text(&(0..20).map(person).collect::<Vec<_>>()), vec![]);
    env.sync_settled(0);
    let job = env.job.to_str().unwrap();
    let plan = env.dir.path().join("plan.json");
    let plan = plan.to_str().unwrap();
    env.edit_csv(|rows| {
        for r in rows.iter_mut().take(12) {
            r.insert("Job Title".into(), "Temp".into());
        }
    });
    // The plan is refused when made, and saved with that verdict.
    let (code, v) = env.json(&["plan", "--config", job, "--out", plan]);
    assert_eq!(
        (code, v["guard"]["name"].as_str()),
        (2, Some("max-change-share")),
        "{v:#}"
    );
    let (code, v) = env.json(&["apply", plan]);
    assert_eq!(
        (code, v["outcome"].as_str(), v["guard"]["name"].as_str()),
        (2, Some("refused"), Some("max-change-share")),
        "{v:#}"
    );
    assert_eq!(
        env.stats().total("update"),
        0,
        "a refused apply sends nothing"
    );
    let (code, v) = env.json(&["apply", plan, "--force"]);
    assert_eq!(
        (code, v["applied"]["updated"].as_u64()),
        (0, Some(12)),
        "{v:#}"
    );
    // A plan that was fine when made, applied to a list emptied since: the guards
    // are checked again on what apply reads.
    env.edit_csv(|rows| {
        rows[0].insert("Job Title".into(), "Lead".into());
    });
    let (code, v) = env.json(&["plan", "--config", job, "--out", plan]);
    assert_eq!(code, 0, "{v:#}");
    let full = std::fs::read_to_string(&env.csv).unwrap();
    let header = full.lines().next().unwrap();
    std::fs::write(&env.csv, format!("{header}\n")).unwrap();
    let (code, v) = env.json(&["apply", plan]);
    assert_eq!(
        (code, v["guard"]["name"].as_str()),
        (2, Some("empty-list")),
        "{v:#}"
    );
    assert_eq!(
        std::fs::read_to_string(&env.csv).unwrap(),
        format!("{header}\n")
    );
    assert_eq!(env.stats().total("update"), 12);
}
