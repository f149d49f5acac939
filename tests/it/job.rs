//! `job::run` called in process, as a long-running service will call it: no command
//! line, no progress shown, two jobs on one account sharing one pacer set. The
//! summary comes back as data; the list, CINNOX and the state file change as the
//! command line's runs change them.

use crate::sync_support::sandbox::{Env, cinnox_person, csv_text, person, wide};
use cinnox_sync::cinnox::pacing::Pacers;
use cinnox_sync::job::{self, Context, ListChoice, Mode, Outcome, Request, Silent};

/// A job file for `env` with the token written in it (a service reads no
/// environment variable of this test process).
fn inline_job(env: &Env) -> std::path::PathBuf {
    let path = env.dir.path().join("service-job.toml");
    std::fs::write(
        &path,
        format!(
            "mapping = {:?}\nstate = \"contacts.state.db\"\n[source]\ncsv = \"contacts.csv\"\n[cinnox]\nbase_url = {:?}\napp_id = {:?}\napp_token = {:?}\nrequests_per_minute = 6000\n",
            wide().display().to_string(),
            env.sb.base_url(),
            env.sb.app_id(),
            env.sb.app_token().expose()
        ),
    )
    .unwrap();
    path
}

#[test]
fn a_caller_without_the_command_line_runs_plan_then_sync_then_nothing() {
    let env = Env::new(&csv_text(&[person(1), person(2)]), vec![cinnox_person(1)]);
    let job = inline_job(&env);
    let pacers = Pacers::new();
    let ctx = Context::new(&Silent, &pacers);
    let run = |mode: Mode| {
        let req = Request {
            job: Some(job.clone()),
            list: ListChoice::default(),
            mode,
        };
        env.rt.block_on(job::run(&ctx, &req))
    };
    let plan = run(Mode::Plan {
        add_id_column: false,
    });
    let s = &plan.summary;
    assert_eq!((s.outcome, s.error.as_deref()), (Outcome::Planned, None));
    assert_eq!((s.counts.creates, s.counts.rows_appended), (2, 1));
    assert!(
        plan.plan.is_some(),
        "the plan comes back for the caller to show"
    );
    assert_eq!(env.writes(), 0, "planning wrote nothing");
    assert!(!env.state.exists(), "nor made the state file");

    let synced = run(Mode::Sync {
        dry_run: false,
        force: false,
        add_id_column: false,
    });
    let s = &synced.summary;
    assert_eq!(s.outcome, Outcome::Applied, "{:?}", s.error);
    assert_eq!(s.calls.create, 2);
    assert!(s.run_id.is_some());
    assert_eq!(env.rows().len(), 3);
    assert!(env.rows().iter().all(|r| !r["CINNOX ID"].is_empty()));

    let again = run(Mode::Sync {
        dry_run: false,
        force: false,
        add_id_column: false,
    });
    let s = &again.summary;
    assert_eq!(
        (s.outcome, s.calls.create, s.calls.update),
        (Outcome::Applied, 0, 0)
    );
    assert_eq!(s.rows_written, 0);
}

#[test]
fn a_failure_comes_back_in_the_summary_not_as_a_panic_or_an_exit() {
    let pacers = Pacers::new();
    let ctx = Context::new(&Silent, &pacers);
    let dir = tempfile::tempdir().unwrap();
    let req = Request {
        job: Some(dir.path().join("missing.toml")),
        list: ListChoice::default(),
        mode: Mode::Plan {
            add_id_column: false,
        },
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let done = rt.block_on(job::run(&ctx, &req));
    assert_eq!(done.summary.outcome, Outcome::Failed);
    assert_eq!(done.summary.exit_code, 2);
    let e = done.summary.error.unwrap_or_default();
    assert!(e.contains("missing.toml"), "{e}");
}
