//! The status page at `/`: the same `Status` that `/status.json` serves, as one
//! self-contained HTML page for the admin (inline CSS and a little inline script,
//! nothing fetched from anywhere else): each job with its schedule, whether it runs,
//! the next run, the changes CINNOX reported that wait for a sync, the open problems
//! of its last run with the line of the list and the column as the list writes it,
//! and its last runs with outcome and counts.
//!
//! The facts are rendered here, on the server, so the page says everything with
//! scripts off, in a text browser, or fetched by `curl`, and there is one renderer
//! to keep true (no second one in JavaScript to drift from this one). The script
//! only fetches `/` again every 30 seconds while the page is visible and swaps the
//! new facts in, so the reader keeps their place (a `<meta refresh>` would reload
//! and jump to the top). Read-only: no form, no action. The webhook secret is not
//! in `Status`, so it cannot appear here.

use super::page_words as words;
use super::status::{JobStatus, Problem, RunStatus, Status};
use chrono::{DateTime, Utc};
use std::fmt::Write;

const CSS: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// Problems listed per job; `/status.json` has all of them.
pub const MAX_PROBLEMS: usize = 100;

/// The whole page, as of `now`.
pub fn render(status: &Status, now: DateTime<Utc>) -> String {
    let mut h = String::with_capacity(16 * 1024);
    h.push_str(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>cinnox-sync: status</title>\n<style>\n",
    );
    h.push_str(CSS);
    h.push_str("</style>\n</head>\n<body>\n<div id=\"live\">\n");
    live(&mut h, status, now);
    h.push_str(
        "</div>\n<footer>\n<p><span id=\"refresh-note\">This page refreshes itself every 30 \
         seconds.</span> The same facts as data: <a href=\"status.json\">status.json</a>.</p>\n\
         </footer>\n<script>\n",
    );
    h.push_str(SCRIPT);
    h.push_str("</script>\n</body>\n</html>\n");
    h
}

/// What the script swaps in on each refresh: the header and the jobs.
fn live(h: &mut String, status: &Status, now: DateTime<Utc>) {
    let started = time_or_raw(&status.started_at, now);
    let _ = write!(
        h,
        "<header>\n<h1>cinnox-sync status</h1>\n<p class=\"meta\">serve {} · running since {} · \
         <span id=\"updated\" data-at=\"{}\">as of {}</span></p>\n",
        esc(status.version),
        started,
        esc(&crate::state::clock::stamp(now)),
        now.format("%H:%M:%S UTC"),
    );
    if !status.accepting {
        h.push_str(
            "<p class=\"banner\">serve is stopping: it accepts no more webhooks and starts no \
             new run.</p>\n",
        );
    }
    h.push_str("</header>\n<main id=\"jobs\">\n");
    if status.jobs.is_empty() {
        h.push_str("<p>No jobs.</p>\n");
    }
    for (i, job) in status.jobs.iter().enumerate() {
        job_section(h, i, job, now);
    }
    h.push_str("</main>\n");
}

fn job_section(h: &mut String, i: usize, j: &JobStatus, now: DateTime<Utc>) {
    let _ = write!(
        h,
        "<section class=\"job\" aria-labelledby=\"job-{i}\">\n<h2 id=\"job-{i}\">{}</h2>\n\
         <p class=\"list\">{}</p>\n<dl class=\"facts\">\n",
        esc(&j.name),
        esc(&j.list),
    );
    fact(h, "Schedule", &esc(&j.schedule));
    let now_doing = match &j.running {
        Some(r) => format!(
            "<strong>Running</strong> since {}, started {}",
            time_or_raw(&r.since, now),
            words::trigger(Some(r.trigger))
        ),
        None => "Idle".into(),
    };
    fact(h, "Now", &now_doing);
    let next = match &j.next_run {
        Some(n) => format!("{}, {}", time_or_raw(&n.at, now), words::next_why(n.why)),
        None => "none planned".into(),
    };
    fact(h, "Next run", &next);
    let waiting = match j.waiting_deliveries {
        0 => "none".to_string(),
        n => words::plural(
            n,
            "change reported, not synced yet",
            "changes reported, not synced yet",
        ),
    };
    fact(h, "From CINNOX's webhooks", &waiting);
    h.push_str("</dl>\n");
    if let Some(e) = &j.error {
        let _ = writeln!(
            h,
            "<p class=\"error\">The job's state file could not be read, so its runs are missing \
             here: {}</p>",
            esc(e)
        );
    }
    problems(h, j);
    runs(h, &j.last_runs, now);
    h.push_str("</section>\n");
}

fn fact(h: &mut String, term: &str, value: &str) {
    let _ = writeln!(h, "<div><dt>{term}</dt><dd>{value}</dd></div>");
}

fn problems(h: &mut String, j: &JobStatus) {
    let n = j.problems.len();
    let _ = writeln!(
        h,
        "<h3>Open problems <span class=\"count\">({n})</span></h3>"
    );
    let Some(run) = j.problems_run else {
        h.push_str("<p class=\"none\">No run has planned yet since serve started.</p>\n");
        return;
    };
    if n == 0 {
        let _ = writeln!(
            h,
            "<p class=\"none\">None: run {run} left nothing to settle.</p>"
        );
        return;
    }
    let _ = writeln!(
        h,
        "<p class=\"from\">Left by run {run}.</p>\n<ul class=\"problems\">"
    );
    for p in j.problems.iter().take(MAX_PROBLEMS) {
        problem(h, p);
    }
    h.push_str("</ul>\n");
    if n > MAX_PROBLEMS {
        let _ = writeln!(
            h,
            "<p class=\"more\">… and {} more (status.json lists every one).</p>",
            n - MAX_PROBLEMS
        );
    }
}

fn problem(h: &mut String, p: &Problem) {
    let mut place = Vec::new();
    if let Some(l) = p.line {
        place.push(format!("line {l}"));
    }
    if let Some(c) = &p.column {
        place.push(format!("column “{}”", esc(c)));
    }
    let _ = write!(
        h,
        "<li class=\"problem kind-{}\"><p class=\"what\"><span class=\"kind\">{}</span>",
        esc(p.kind),
        esc(words::problem_kind(p.kind)),
    );
    if !place.is_empty() {
        let _ = write!(h, " <span class=\"where\">{}</span>", place.join(", "));
    }
    let _ = write!(h, "</p><p class=\"msg\">{}</p>", esc(&p.message));
    if let Some(c) = &p.contact {
        let _ = write!(h, "<p class=\"contact\">CINNOX contact {}</p>", esc(c));
    }
    h.push_str("</li>\n");
}

fn runs(h: &mut String, runs: &[RunStatus], now: DateTime<Utc>) {
    h.push_str("<h3>Last runs</h3>\n");
    if runs.is_empty() {
        h.push_str("<p class=\"none\">No run yet.</p>\n");
        return;
    }
    h.push_str("<ol class=\"runs\">\n");
    for r in runs {
        run(h, r, now);
    }
    h.push_str("</ol>\n");
}

fn run(h: &mut String, r: &RunStatus, now: DateTime<Utc>) {
    let outcome = if r.finished_at.is_none() {
        "running"
    } else {
        r.outcome.as_str()
    };
    let _ = write!(
        h,
        "<li class=\"run outcome-{}\"><p class=\"what\"><span class=\"outcome\">{}</span> {}</p>",
        esc(outcome),
        esc(words::outcome(outcome)),
        time_or_raw(&r.started_at, now),
    );
    let mut detail = vec![
        format!("run {}", r.id),
        esc(&r.command),
        esc(words::trigger(r.trigger)),
    ];
    let span = r
        .finished_at
        .as_deref()
        .and_then(words::parse_time)
        .zip(words::parse_time(&r.started_at));
    if let Some((end, start)) = span {
        detail.push(format!("took {}", words::took(start, end)));
    }
    let _ = write!(h, "<p class=\"detail\">{}</p>", detail.join(" · "));
    let counts = words::counts(r.counts.as_ref(), r.rows_written);
    if !counts.is_empty() {
        let _ = write!(h, "<p class=\"counts\">{}</p>", esc(&counts.join(" · ")));
    }
    if let Some(e) = &r.error {
        let _ = write!(h, "<p class=\"error\">{}</p>", esc(e));
    }
    h.push_str("</li>\n");
}

/// A `<time>` for a stamp, with how long ago or ahead it is; the stamp itself when it
/// is not one.
fn time_or_raw(stamp: &str, now: DateTime<Utc>) -> String {
    match words::parse_time(stamp) {
        Some(t) => format!(
            "<time datetime=\"{}\">{}</time> <span class=\"ago\">({})</span>",
            esc(stamp),
            words::when(t),
            words::relative(t, now)
        ),
        None => esc(stamp),
    }
}

/// Text made safe inside HTML elements and quoted attributes: the audit report's
/// escaping, one for every page.
pub use crate::validate::report::html::esc;

#[cfg(test)]
#[path = "page_tests.rs"]
mod tests;
