//! The inbox through the binary: an accepted delivery survives the process being
//! killed right after its 200 (the restarted service syncs for it at once), and
//! 10,000 deliveries in 10 seconds are all accepted with bounded memory and make
//! at most 3 syncs.

use super::support::{event, serve_table, start_env};
use crate::sync_support::sandbox::{Env, csv_text, person};
use cinnox_sync::state::{StateStore, SystemClock};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn inbox_counts(env: &Env) -> cinnox_sync::state::InboxCounts {
    StateStore::open_to_read(&env.state, Arc::new(SystemClock))
        .unwrap()
        .inbox_counts()
        .unwrap()
}

#[test]
fn a_restart_loses_no_accepted_delivery() {
    let env = Env::new(&csv_text(&[person(1), person(2)]), vec![]);
    env.sync_settled(0);
    // Nothing would sync for an hour: only a restart can pick the deliveries up.
    serve_table(
        &env.job,
        "settle = \"1h\"\nmin_gap = \"1h\"\nmax_delay = \"1h\"\nat_start = false",
    );
    let s = start_env(&env);
    let id = env.rows()[0]["CINNOX ID"].clone();
    // The change happens in CINNOX; its delivery comes with the others.
    env.sb
        .sandbox()
        .edit(
            &id,
            &[(cinnox_sync::model::FieldId::JobTitle, "Restarted".into())],
        )
        .unwrap();
    for i in 0..50 {
        let (code, body) = s.post(&s.only_hook(), &event("edit", &format!("c{i}")));
        assert_eq!(code, 200, "{body}");
    }
    // Killed right after the last 200: no chance to write anything more.
    s.kill();
    let c = inbox_counts(&env);
    assert_eq!(
        (c.undone, c.done),
        (50, 0),
        "every accepted delivery is in the state file"
    );
    assert_ne!(env.row_of(&id).unwrap()["Job Title"], "Restarted");

    let s = start_env(&env);
    s.wait_for(Duration::from_secs(30), "the change in the CSV", || {
        env.row_of(&id)
            .is_some_and(|r| r["Job Title"] == "Restarted")
    });
    s.wait_for(Duration::from_secs(30), "the run to end", || {
        s.finished_runs("job") >= 1 && !s.running("job")
    });
    assert_eq!(s.runs("job")[0]["trigger"], "webhooks");
    let c = inbox_counts(&env);
    assert_eq!((c.undone, c.done), (0, 50), "the sync covered them all");
    assert_eq!(s.status()["jobs"][0]["waiting_deliveries"], 0);
}

#[test]
fn ten_thousand_deliveries_in_ten_seconds_make_at_most_three_syncs_in_bounded_memory() {
    let env = Env::new(&csv_text(&[person(1), person(2), person(3)]), vec![]);
    env.sync_settled(0);
    serve_table(
        &env.job,
        "settle = \"1s\"\nmin_gap = \"5s\"\nmax_delay = \"5s\"\nat_start = false",
    );
    let s = start_env(&env);
    let before = s.peak_rss_kib();
    let url = s.only_hook();
    // 20 senders, 500 each, one every 20 ms: 1,000 a second for 10 seconds.
    let t0 = Instant::now();
    let codes: Vec<u16> = env.rt.block_on(async {
        let http = reqwest::Client::new();
        let tasks: Vec<_> = (0..20)
            .map(|sender| {
                let (http, url) = (http.clone(), url.clone());
                tokio::spawn(async move {
                    let start = tokio::time::Instant::now() + Duration::from_millis(sender);
                    let mut codes = Vec::new();
                    for k in 0..500u64 {
                        tokio::time::sleep_until(start + Duration::from_millis(k * 20)).await;
                        let body = json!({"status": "edit", "name": "Ann", "n": k * 20 + sender});
                        let r = http.post(&url).json(&body).send().await.unwrap();
                        codes.push(r.status().as_u16());
                    }
                    codes
                })
            })
            .collect();
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all
    });
    let sent_in = t0.elapsed();
    assert_eq!(codes.len(), 10_000);
    assert!(codes.iter().all(|c| *c == 200), "every delivery accepted");
    assert!(sent_in < Duration::from_secs(13), "sent in {sent_in:?}");
    s.wait_for(Duration::from_secs(30), "every delivery covered", || {
        let st = s.status();
        st["jobs"][0]["waiting_deliveries"] == 0 && st["jobs"][0]["running"].is_null()
    });
    let syncs = s.finished_runs("job");
    assert!((1..=3).contains(&syncs), "{syncs} syncs for the burst");
    let c = inbox_counts(&env);
    assert_eq!((c.undone, c.done), (0, 10_000));
    let peak = s.peak_rss_kib();
    assert!(
        peak < before + 64 * 1024,
        "peak memory grew from {before} KiB to {peak} KiB"
    );
    let (_, metrics) = s.get("/metrics");
    assert!(
        metrics.contains("cinnox_sync_webhook_deliveries_accepted_total{job=\"job\"} 10000"),
        "{metrics}"
    );
    let coalesced: u64 = metrics
        .lines()
        .find_map(|l| {
            l.strip_prefix("cinnox_sync_webhook_deliveries_coalesced_total{job=\"job\"} ")
        })
        .and_then(|v| v.parse().ok())
        .unwrap();
    assert!(coalesced >= 10_000 - 3, "{coalesced} coalesced");
}
