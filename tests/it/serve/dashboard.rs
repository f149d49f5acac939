//! Each dashboard action of the sandbox (edit, transfer, merge, delete) sends the
//! webhook CINNOX would send to the URL `subscribe` registered (after the real
//! challenge handshake with `serve`); `serve` stores it, coalesces, and one sync
//! later the CSV shows the change, within the settle delay plus that sync. The job
//! has no schedule and does not sync at start: only the webhook path can bring the
//! change.

use super::support::{Served, serve_table, start_env};
use crate::sync_support::sandbox::{Env, cinnox_person, csv_text, person};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const SETTLE: Duration = Duration::from_millis(300);

fn dashboard(env: &Env, path: &str, body: Value) -> Value {
    env.rt.block_on(async {
        let r = reqwest::Client::new()
            .post(format!("{}/sandbox/{path}", env.sb.base_url()))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.unwrap()
    })
}

fn id_of(env: &Env, email: &str) -> String {
    env.rows()
        .into_iter()
        .find(|r| r["Email"] == email)
        .map(|r| r["CINNOX ID"].clone())
        .unwrap()
}

/// Does `action`, then waits for `seen` in the CSV; asserts it took one sync,
/// started by the webhooks, within the settle delay plus that sync.
fn reaches_the_csv(s: &Served, what: &str, action: impl FnOnce(), mut seen: impl FnMut() -> bool) {
    let before = s.finished_runs("job");
    let t0 = Instant::now();
    action();
    s.wait_for(Duration::from_secs(30), what, &mut seen);
    let took = t0.elapsed();
    s.wait_for(Duration::from_secs(30), "the run to be recorded", || {
        s.finished_runs("job") == before + 1 && !s.running("job")
    });
    let runs = s.runs("job");
    let run = &runs[0];
    assert_eq!(run["trigger"], "webhooks", "{what}: {run:#}");
    assert_eq!(run["exit_code"], 0, "{what}: {run:#}");
    // One sync of a few rows on loopback takes well under three seconds here.
    assert!(
        took < SETTLE + Duration::from_secs(3),
        "{what}: {took:?} from the action to the CSV"
    );
    std::thread::sleep(SETTLE * 2);
    assert_eq!(
        s.finished_runs("job"),
        before + 1,
        "{what}: one delivery, one sync"
    );
}

#[test]
fn each_dashboard_action_reaches_the_csv_through_the_webhook_path() {
    let env = Env::new(
        &csv_text(&[person(1), person(2), person(3), person(4)]),
        vec![cinnox_person(1)],
    );
    env.sync_settled(0);
    serve_table(
        &env.job,
        "settle = \"300ms\"\nmin_gap = \"300ms\"\nmax_delay = \"10s\"\nat_start = false",
    );
    let s = start_env(&env);
    let job = env.job.to_str().unwrap();

    // The handshake really happens: the sandbox posts a challenge to serve.
    let out = env
        .cmd()
        .args(["subscribe", "--config", job, "--url", &s.base, "--json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (v["enabled"].as_bool(), v["this_job"].as_bool()),
        (Some(true), Some(true))
    );
    let secret = s.paths["job"].rsplit('/').next().unwrap().to_string();
    assert!(
        !text.contains(&secret),
        "the secret is never printed: {text}"
    );
    assert!(
        v["url"]
            .as_str()
            .unwrap()
            .ends_with("/webhooks/cinnox/<secret>")
    );
    let registered = env
        .sb
        .sandbox()
        .subscription(cinnox_sync::sandbox::Subscription::Contact);
    assert_eq!(registered.map(|r| r.url), Some(s.hook("job")));
    let out = env
        .cmd()
        .args(["subscriptions", "--config", job])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("contact events: on") && shown.contains("(this job's)"),
        "{shown}"
    );

    let p2 = id_of(&env, "person2@example.com");
    reaches_the_csv(
        &s,
        "an edit",
        || {
            dashboard(
                &env,
                &format!("contacts/{p2}/edit"),
                json!({"jobTitle": "Chief Tester"}),
            );
        },
        || {
            env.row_of(&p2)
                .is_some_and(|r| r["Job Title"] == "Chief Tester")
        },
    );

    let staff = dashboard_get(&env, "staff");
    let owner_now = env.row_of(&p2).unwrap()["Owner ID"].clone();
    let to = staff["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .find(|id| *id != owner_now)
        .unwrap();
    reaches_the_csv(
        &s,
        "an ownership transfer",
        || {
            dashboard(
                &env,
                "transfer",
                json!({"contactIds": [p2], "toOwnerId": to}),
            );
        },
        || env.row_of(&p2).is_some_and(|r| r["Owner ID"] == to),
    );

    let p3 = id_of(&env, "person3@example.com");
    reaches_the_csv(
        &s,
        "a merge",
        || {
            dashboard(&env, "merge", json!({"survivor": p2, "absorbed": [p3]}));
        },
        || {
            env.rows()
                .iter()
                .any(|r| r["Sync Status"] == format!("merged into {p2}"))
        },
    );

    let p4 = id_of(&env, "person4@example.com");
    reaches_the_csv(
        &s,
        "a delete",
        || {
            dashboard(&env, &format!("contacts/{p4}/delete"), json!({}));
        },
        || {
            env.row_of(&p4)
                .is_some_and(|r| r["Sync Status"] == "deleted in CINNOX")
        },
    );

    // Unsubscribed, CINNOX sends nothing more: an edit stays in CINNOX only.
    let out = env
        .cmd()
        .args(["unsubscribe", "--config", job, "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["enabled"], false);
    let runs = s.finished_runs("job");
    dashboard(
        &env,
        &format!("contacts/{p2}/edit"),
        json!({"jobTitle": "Unheard"}),
    );
    std::thread::sleep(SETTLE * 4);
    assert_eq!(s.finished_runs("job"), runs);
}

fn dashboard_get(env: &Env, path: &str) -> Value {
    env.rt.block_on(async {
        reqwest::get(format!("{}/sandbox/{path}", env.sb.base_url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    })
}

#[test]
fn subscribing_a_url_where_serve_is_not_is_refused_with_what_to_check() {
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    let job = env.job.to_str().unwrap();
    // A port nothing listens on.
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    let out = env
        .cmd()
        .args(["subscribe", "--config", job, "--url", &url])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("Is `cinnox-sync serve") && e.contains("reachable"),
        "{e}"
    );
    let out = env
        .cmd()
        .args(["subscribe", "--config", job, "--url", "not a url"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a URL"));
}
