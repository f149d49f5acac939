//! `/status.json`, the data a status page shows: each job's schedule, next run and
//! why, its last runs with outcome and counts, and the open problems of the last
//! run with their line and the column as the list writes it (an unresolved
//! conflict, an ambiguous match); never the webhook secret.

use super::support::{serve_table, start_env};
use crate::sync_support::sandbox::{Env, csv_text, person};
use cinnox_sync::model::{Contact, FieldId as F};
use std::time::Duration;

fn twin(first: &str) -> Contact {
    let mut c = Contact::default();
    c.values.set(F::FirstName, first);
    c.values.set(F::Email, "twin@example.com");
    c
}

#[test]
fn the_status_holds_last_runs_next_run_and_open_problems_with_their_lines() {
    let mut twin_row = person(9);
    twin_row.retain(|(k, _)| *k != "Email");
    twin_row.push(("Email", "twin@example.com".into()));
    let env = Env::new(
        &csv_text(&[person(1), person(2), twin_row]),
        vec![twin("Tom"), twin("Tim")],
    );
    let (code, _) = env.sync();
    assert_eq!(code, 1, "the twin row is ambiguous");
    // Changed on both sides, differently: a conflict the policy reports.
    let id = env
        .rows()
        .into_iter()
        .find(|r| r["Email"] == "person1@example.com")
        .map(|r| r["CINNOX ID"].clone())
        .unwrap();
    env.edit_csv(|rows| {
        for r in rows.iter_mut().filter(|r| r["CINNOX ID"] == id) {
            r.insert("Job Title".into(), "Lead".into());
        }
    });
    env.sb
        .sandbox()
        .edit(&id, &[(F::JobTitle, "Director".into())])
        .unwrap();
    serve_table(&env.job, "every = \"1h\"\njitter = \"0s\"\nat_start = true");
    let s = start_env(&env);
    s.wait_for(Duration::from_secs(30), "the start run", || {
        s.finished_runs("job") == 1 && !s.running("job")
    });
    let status = s.status();
    let text = status.to_string();
    let secret = s.paths["job"].rsplit('/').next().unwrap().to_string();
    assert!(!text.contains(&secret), "the secret is not in the status");
    let job = &status["jobs"][0];
    assert_eq!(job["schedule"], "every 1h");
    assert_eq!(job["next_run"]["why"], "schedule");
    let runs = job["last_runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "the first sync and serve's");
    assert_eq!(runs[0]["trigger"], "start");
    assert_eq!(runs[0]["outcome"], "finished_with_problems");
    assert_eq!(runs[0]["counts"]["unresolved"], 1);
    assert!(runs[1]["trigger"].is_null(), "not a run of this service");
    assert_eq!(job["problems_run"], runs[0]["id"]);
    let problems = job["problems"].as_array().unwrap();
    let conflict = problems.iter().find(|p| p["kind"] == "conflict").unwrap();
    assert_eq!(conflict["line"], 2, "{problems:#?}");
    assert_eq!(conflict["column"], "Job Title");
    assert_eq!(conflict["contact"], id.as_str());
    assert!(conflict["message"].as_str().unwrap().contains("Director"));
    let ambiguous = problems
        .iter()
        .find(|p| p["kind"] == "ambiguous")
        .unwrap_or_else(|| panic!("{problems:#?}"));
    assert_eq!(ambiguous["line"], 4, "{problems:#?}");
    assert!(
        ambiguous["message"]
            .as_str()
            .unwrap()
            .contains("2 contacts")
    );
}
