//! The status page at `/` in a real headless browser, as a person sees it: a real
//! `serve` against the sandbox, with a conflict and an ambiguous match planted in
//! the list; the page as serve answers it, read at 400 px (a phone) and at desktop
//! width: the job's name, the outcome of its last run, the next run, the planted
//! conflict's line and column, nothing cut off or wider than the screen, no
//! horizontal scroll, no request anywhere, the secret nowhere; and its script
//! refreshing it from serve.

use super::support::{event, serve_table, start_env};
use crate::support::browser::Browser;
use crate::sync_support::sandbox::{Env, csv_text, person};
use cinnox_sync::model::{Contact, FieldId as F};
use serde_json::Value;
use std::time::Duration;

/// What a person sees, read by the browser: the facts, and whatever sticks out.
const READ_PAGE: &str = r#"
var fact = function (term) {
  var dt = $$("dl.facts dt").find(function (d) { return text(d) === term; });
  return dt ? text(dt.nextElementSibling) : null;
};
var vw = win.innerWidth;
var wide = $$("body *").filter(function (el) {
  var r = el.getBoundingClientRect();
  return r.width > 0 && (r.left < -0.5 || r.right > vw + 0.5);
}).map(function (el) { return el.tagName + "." + el.className + ": " + text(el).slice(0, 60); });
var cut = $$("body *").filter(function (el) {
  var cs = win.getComputedStyle(el);
  return cs.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1;
}).map(function (el) { return el.tagName + "." + el.className; });
var small = $$("main *").filter(function (el) {
  return el.childNodes.length && parseFloat(win.getComputedStyle(el).fontSize) < 12;
}).map(function (el) { return el.tagName + "." + el.className; });
var conflict = $(".problem.kind-conflict");
var facts = $$("dl.facts > div").map(function (d) { return Math.round(d.getBoundingClientRect().top); });
var seen = {
  width: vw,
  scroll_width: doc.documentElement.scrollWidth,
  wide: wide, cut: cut, small: small,
  jobs: $$("section.job h2").map(text),
  last_outcome: text($("ol.runs li .outcome")),
  last_run: text($("ol.runs li")),
  next_run: fact("Next run"),
  schedule: fact("Schedule"),
  waiting: fact("From CINNOX's webhooks"),
  conflict: conflict && text(conflict),
  conflict_box: conflict && conflict.getBoundingClientRect().toJSON(),
  ambiguous: $(".problem.kind-ambiguous") && text($(".problem.kind-ambiguous")),
  fact_rows: facts.filter(function (t, i) { return facts.indexOf(t) === i; }).length,
  requests: win.performance.getEntriesByType("resource").map(function (e) { return e.name; }),
  body: text(doc.body)
};
"#;

fn twin(first: &str) -> Contact {
    let mut c = Contact::default();
    c.values.set(F::FirstName, first);
    c.values.set(F::Email, "twin@example.com");
    c
}

#[test]
fn the_status_page_shows_a_person_the_jobs_runs_next_run_and_problems_at_phone_and_desktop_width() {
    let Some(browser) = Browser::find() else {
        return;
    };
    let browser = browser.calling_back();
    let mut twin_row = person(9);
    twin_row.retain(|(k, _)| *k != "Email");
    twin_row.push(("Email", "twin@example.com".into()));
    let env = Env::new(
        &csv_text(&[person(1), person(2), twin_row]),
        vec![twin("Tom"), twin("Tim")],
    );
    assert_eq!(env.sync().0, 1, "the twin row is ambiguous");
    let id = env
        .rows()
        .into_iter()
        .find(|r| r["Email"] == "person1@example.com")
        .map(|r| r["CINNOX ID"].clone())
        .unwrap();
    env.edit_csv(|rows| {
        for r in rows.iter_mut().filter(|r| r["CINNOX ID"] == id) {
            r.insert(
                "Job Title".into(),
                "Team lead of the north-east region".into(),
            );
        }
    });
    env.sb
        .sandbox()
        .edit(&id, &[(F::JobTitle, "Director".into())])
        .unwrap();
    // Deliveries wait an hour, so one posted below is still waiting when the page
    // refreshes.
    serve_table(
        &env.job,
        "name = \"sales-team\"\nevery = \"1h\"\njitter = \"0s\"\nat_start = true\n\
         settle = \"1h\"\nmax_delay = \"1h\"",
    );
    let s = start_env(&env);
    s.wait_for(Duration::from_secs(30), "the start run", || {
        s.finished_runs("sales-team") == 1 && !s.running("sales-team")
    });
    let (code, html) = s.get("/");
    assert_eq!(code, 200, "{html}");
    let (code, body) = s.post(&format!("{}/", s.base), &serde_json::json!({}));
    assert_eq!(
        (code, body.as_str()),
        (404, ""),
        "read-only: nothing to post to"
    );
    assert!(
        html.contains("line 2, column “Job Title”") && html.contains("Synced, with problems"),
        "the facts are in the page serve sends, not made by a script"
    );
    let secret = s.paths["sales-team"].rsplit('/').next().unwrap();
    assert!(
        !html.contains(secret),
        "the webhook secret is not on the page"
    );
    // The page as a file; its script asks serve itself, as it would at serve's URL.
    let page = env.dir.path().join("status.html");
    let based = html.replacen("<head>", &format!("<head><base href=\"{}/\">", s.base), 1);
    std::fs::write(&page, based).unwrap();
    let (code, _) = s.post(&s.hook("sales-team"), &event("update", &id));
    assert_eq!(code, 200);

    let phone = browser.drive(
        &page,
        400,
        800,
        &format!(
            "{READ_PAGE}
             seen.waiting_before = seen.waiting;
             await win.cinnoxSyncRefresh();
             seen.waiting_after = fact(\"From CINNOX's webhooks\");
             seen.note = text($(\"#refresh-note\"));
             return seen;"
        ),
    );
    assert_reads_well(&phone, 400, &id);
    assert_eq!(phone["fact_rows"], 4, "one fact a line on a phone");
    assert_eq!(phone["waiting_before"], "none");
    assert_eq!(
        phone["waiting_after"], "1 change reported, not synced yet",
        "the script brought the delivery in: {phone:#}"
    );
    assert_eq!(
        phone["note"],
        "This page refreshes itself every 30 seconds."
    );

    let desktop = browser.drive(&page, 1280, 900, &format!("{READ_PAGE} return seen;"));
    assert_reads_well(&desktop, 1280, &id);
    assert_eq!(
        desktop["fact_rows"], 1,
        "the facts side by side: {desktop:#}"
    );
}

/// What must be true at any width.
fn assert_reads_well(seen: &Value, width: u64, id: &str) {
    let ctx = format!("at {width} px: {seen:#}");
    assert_eq!(seen["width"], width, "{ctx}");
    assert_eq!(seen["scroll_width"], width, "no horizontal scroll {ctx}");
    assert_eq!(
        seen["wide"],
        serde_json::json!([]),
        "nothing wider than the screen {ctx}"
    );
    assert_eq!(seen["cut"], serde_json::json!([]), "nothing cut off {ctx}");
    assert_eq!(
        seen["small"],
        serde_json::json!([]),
        "no text under 12 px {ctx}"
    );
    assert_eq!(
        seen["requests"],
        serde_json::json!([]),
        "nothing fetched {ctx}"
    );
    assert_eq!(seen["jobs"], serde_json::json!(["sales-team"]), "{ctx}");
    assert_eq!(seen["schedule"], "every 1h", "{ctx}");
    assert_eq!(
        seen["last_outcome"], "Synced, with problems to settle",
        "{ctx}"
    );
    let last = seen["last_run"].as_str().unwrap();
    assert!(last.contains("when serve started"), "{ctx}");
    assert!(last.contains("1 conflict to settle"), "{ctx}");
    let next = seen["next_run"].as_str().unwrap();
    assert!(
        next.contains(" UTC (in ") && next.ends_with(", on schedule"),
        "{ctx}"
    );
    let conflict = seen["conflict"]
        .as_str()
        .unwrap_or_else(|| panic!("no conflict {ctx}"));
    assert!(conflict.contains("Changed on both sides"), "{ctx}");
    assert!(conflict.contains("line 2, column “Job Title”"), "{ctx}");
    assert!(
        conflict.contains("Team lead of the north-east region"),
        "{ctx}"
    );
    assert!(conflict.contains("Director"), "{ctx}");
    assert!(conflict.contains(id), "{ctx}");
    let b = &seen["conflict_box"];
    assert!(
        b["height"].as_f64().unwrap() > 0.0,
        "the conflict is shown {ctx}"
    );
    assert!(b["right"].as_f64().unwrap() <= width as f64, "{ctx}");
    let ambiguous = seen["ambiguous"]
        .as_str()
        .unwrap_or_else(|| panic!("{ctx}"));
    assert!(
        ambiguous.contains("Ambiguous match") && ambiguous.contains("line 4"),
        "{ctx}"
    );
}
