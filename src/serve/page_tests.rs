use super::super::page_words as words;
use super::super::status::{JobStatus, NextRun, Problem, RunStatus, Running, Status};
use super::*;
use chrono::TimeZone;
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 13, 5, 0).unwrap()
}

fn job(problems: Vec<Problem>) -> JobStatus {
    JobStatus {
        name: "sales <team>".into(),
        job_file: "/etc/cinnox-sync/sales.toml".into(),
        list: "CSV /data/sales.csv".into(),
        schedule: "every 15m".into(),
        running: None,
        next_run: Some(NextRun {
            at: "2026-12-01T13:19:00Z".into(),
            why: "schedule",
        }),
        waiting_deliveries: 2,
        last_runs: vec![RunStatus {
            id: 7,
            command: "sync".into(),
            trigger: Some("webhooks"),
            started_at: "2026-12-01T13:00:00Z".into(),
            finished_at: Some("2026-12-01T13:00:04Z".into()),
            outcome: "finished_with_problems".into(),
            exit_code: Some(1),
            counts: Some(
                serde_json::json!({"creates": 1, "updates": 3, "rows_marked": 2,
                "unresolved": 1, "unchanged": 40}),
            ),
            rows_written: Some(3),
            error: None,
        }],
        problems_run: Some(7),
        problems,
        error: None,
    }
}

fn status(jobs: Vec<JobStatus>) -> Status {
    Status {
        version: "1.2.3",
        started_at: "2026-12-01T09:00:00Z".into(),
        accepting: true,
        jobs,
    }
}

fn conflict() -> Problem {
    Problem {
        kind: "conflict",
        line: Some(12),
        contact: Some("c-1".into()),
        column: Some("Job Title".into()),
        message: "changed in both: the list has \"<b>Lead</b>\", CINNOX has \"Director\"".into(),
    }
}

#[test]
fn the_page_says_each_fact_in_words_and_escapes_what_the_list_holds() {
    let page = render(&status(vec![job(vec![conflict()])]), now());
    assert!(page.contains("sales &lt;team&gt;"), "the name is escaped");
    assert!(
        !page.contains("<b>Lead</b>"),
        "a cell's value is never markup"
    );
    assert!(page.contains("&lt;b&gt;Lead&lt;/b&gt;"));
    assert!(page.contains("line 12, column “Job Title”"));
    assert!(page.contains("Changed on both sides"));
    assert!(page.contains(
        "1 Dec 2026, 13:19 UTC</time> <span class=\"ago\">(in 14 min)</span>, on schedule"
    ));
    assert!(page.contains("2 changes reported, not synced yet"));
    assert!(page.contains("Synced, with problems to settle"));
    assert!(page.contains("by changes in CINNOX (webhooks) · took 4 s"));
    assert!(page.contains(
        "1 contact created in CINNOX · 3 contacts updated in CINNOX · 2 rows marked (deleted in CINNOX or merged) · 1 conflict to settle"
    ));
    assert!(page.contains("Left by run 7."));
    assert!(
        !page.contains("<link") && !page.contains(" src="),
        "nothing is fetched"
    );
}

#[test]
fn a_running_job_a_stopping_serve_and_a_run_without_problems() {
    let mut j = job(Vec::new());
    j.running = Some(Running {
        since: "2026-12-01T13:04:00Z".into(),
        trigger: "start",
    });
    j.next_run = None;
    j.waiting_deliveries = 0;
    let mut s = status(vec![j]);
    s.accepting = false;
    let page = render(&s, now());
    assert!(page.contains("<strong>Running</strong> since"));
    assert!(page.contains("(1 min ago)</span>, started when serve started"));
    assert!(page.contains("serve is stopping"));
    assert!(page.contains("None: run 7 left nothing to settle."));
    assert!(page.contains("<dd>none planned</dd>"));
}

#[test]
fn only_the_first_problems_are_listed_and_the_rest_are_counted() {
    let many = vec![conflict(); MAX_PROBLEMS + 5];
    let page = render(&status(vec![job(many)]), now());
    assert_eq!(page.matches("<li class=\"problem").count(), MAX_PROBLEMS);
    assert!(page.contains("… and 5 more (status.json lists every one)."));
    assert!(page.contains(&format!("({})", MAX_PROBLEMS + 5)));
}

#[test]
fn times_read_as_a_person_says_them() {
    let t = |s: &str| words::parse_time(s).unwrap();
    assert_eq!(
        words::relative(t("2026-12-01T13:05:20Z"), now()),
        "just now"
    );
    assert_eq!(
        words::relative(t("2026-12-01T13:00:00Z"), now()),
        "5 min ago"
    );
    assert_eq!(words::relative(t("2026-12-01T15:05:00Z"), now()), "in 2 h");
    assert_eq!(
        words::relative(t("2026-12-01T15:10:00Z"), now()),
        "in 2 h 5 min"
    );
    assert_eq!(
        words::relative(t("2026-11-28T13:05:00Z"), now()),
        "3 days ago"
    );
    assert_eq!(
        words::took(t("2026-12-01T13:00:00Z"), t("2026-12-01T13:02:05Z")),
        "2 min 5 s"
    );
    assert_eq!(
        words::counts(Some(&serde_json::json!({"unchanged": 5})), Some(0)),
        ["nothing to change"]
    );
    assert!(words::counts(None, None).is_empty());
}

proptest! {
    #[test]
    fn escaped_text_holds_no_markup_and_reads_back_as_written(text in ".{0,40}") {
        let e = esc(&text);
        prop_assert!(!e.contains(['<', '>', '"', '\'']));
        let back = e.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
            .replace("&#39;", "'").replace("&amp;", "&");
        prop_assert_eq!(back, text);
    }
}
