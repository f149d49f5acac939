//! The client under a hostile sandbox: rate limiting, injected 502s, lost create
//! answers, latency past the timeout, and its own pacing. Timing is asserted only
//! as lower bounds (a loaded machine is slower, never faster).

use cinnox_sync::cinnox::{CinnoxClient, ClientConfig, ClientError};
use cinnox_sync::model::{FieldId as F, FieldValues};
use cinnox_sync::sandbox::{self, Faults, RunningSandbox, SandboxConfig};
use std::time::{Duration, Instant};

async fn start(config: SandboxConfig) -> RunningSandbox {
    sandbox::start(config).await.expect("sandbox starts")
}

/// A client without pacing that retries quickly.
fn quick_client(sb: &RunningSandbox) -> CinnoxClient {
    CinnoxClient::new(ClientConfig {
        requests_per_minute: None,
        backoff_base: Duration::from_millis(2),
        max_retries: 30,
        ..sb.client_config()
    })
    .unwrap()
}

fn ann() -> FieldValues {
    [(F::FirstName, "Ann"), (F::Email, "ann@example.hk")]
        .into_iter()
        .collect()
}

#[tokio::test]
async fn waits_out_rate_limiting_and_loses_nothing() {
    let sb = start(SandboxConfig {
        rate_limit: Some(3),
        rate_window: Duration::from_secs(1),
        seed_contacts: 10,
        ..SandboxConfig::default()
    })
    .await;
    let c = quick_client(&sb);
    for _ in 0..6 {
        assert_eq!(c.list_page(0, 5).await.unwrap().items, 5);
    }
    let calls = c.calls();
    let stats = sb.sandbox().stats();
    assert!(calls.rate_limited >= 1, "{calls:?}");
    assert_eq!(stats.count("list", "6451010"), calls.rate_limited);
    assert_eq!(stats.count("list", "0"), 6);
    assert_eq!(calls.list, stats.total("list"));
    assert_eq!(calls.retries, calls.rate_limited);
}

#[tokio::test]
async fn a_rate_limited_create_is_retried_since_it_was_not_processed() {
    let sb = start(SandboxConfig {
        rate_limit: Some(1),
        rate_window: Duration::from_secs(1),
        ..SandboxConfig::default()
    })
    .await;
    let c = quick_client(&sb);
    c.create_contact(&ann()).await.unwrap();
    c.create_contact(&ann()).await.unwrap();
    assert_eq!(sb.sandbox().contacts().len(), 2);
    assert!(c.calls().rate_limited >= 1);
}

#[tokio::test]
async fn retries_502s_on_lists_and_updates() {
    let sb = start(SandboxConfig {
        rate_limit: None,
        seed_contacts: 1200,
        faults: Faults {
            server_error: 0.4,
            ..Faults::default()
        },
        fault_seed: 11,
        ..SandboxConfig::default()
    })
    .await;
    let c = quick_client(&sb);
    let listed = c.list_contacts().await.unwrap();
    assert_eq!(listed.len(), 1200);
    let first = &listed[0];
    let full = CinnoxClient::updated_values(first, &[(F::JobTitle, "Buyer".into())]);
    for _ in 0..5 {
        c.update_contact(&first.id, &full).await.unwrap();
    }
    assert_eq!(
        sb.sandbox()
            .contact(&first.id)
            .unwrap()
            .values
            .get(F::JobTitle),
        "Buyer"
    );
    let stats = sb.sandbox().stats();
    let faulted = stats.count("list", "6451001") + stats.count("update", "6451001");
    assert!(faulted > 0, "{stats:?}");
    assert_eq!(stats.faults.server_error, faulted);
    assert_eq!(c.calls().retries, faulted);
    assert_eq!(stats.count("update", "0"), 5);
}

#[tokio::test]
async fn gives_up_after_max_retries_with_a_server_error() {
    let sb = start(SandboxConfig {
        rate_limit: None,
        seed_contacts: 1,
        faults: Faults {
            server_error: 1.0,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    let c = CinnoxClient::new(ClientConfig {
        max_retries: 2,
        ..quick_client(&sb).config().clone()
    })
    .unwrap();
    let e = c.list_contacts().await.unwrap_err();
    assert!(
        matches!(e, ClientError::Server { attempts: 3, .. }),
        "{e:?}"
    );
    assert_eq!(c.calls().list, 3);
}

#[tokio::test]
async fn a_502_create_is_an_unknown_outcome_and_is_never_resent() {
    let sb = start(SandboxConfig {
        rate_limit: None,
        faults: Faults {
            server_error: 1.0,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    let c = quick_client(&sb);
    let e = c.create_contact(&ann()).await.unwrap_err();
    assert!(
        matches!(e, ClientError::CreateOutcomeUnknown { .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("re-list"), "{e}");
    assert_eq!(c.calls().create, 1);
    // The sandbox decided the 502 before storing: nothing was created.
    assert!(sb.sandbox().contacts().is_empty());
    assert_eq!(sb.sandbox().stats().count("create", "6451001"), 1);
}

#[tokio::test]
async fn a_lost_create_answer_is_an_unknown_outcome_though_the_contact_exists() {
    let sb = start(SandboxConfig {
        rate_limit: None,
        faults: Faults {
            lost_create: 1.0,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    let c = quick_client(&sb);
    let e = c.create_contact(&ann()).await.unwrap_err();
    assert!(
        matches!(e, ClientError::CreateOutcomeUnknown { .. }),
        "{e:?}"
    );
    assert_eq!(c.calls().create, 1);
    let stats = sb.sandbox().stats();
    assert_eq!(stats.count("create", "0"), 1);
    assert_eq!(stats.faults.lost_create, 1);
    // Re-listing finds it: the engine matches before creating again.
    sb.sandbox().set_faults(Faults::default(), None).unwrap();
    let listed = c.list_contacts().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].values.get(F::FirstName), "Ann");
}

#[tokio::test]
async fn timeouts_are_retried_for_reads_and_unknown_for_creates() {
    let sb = start(SandboxConfig {
        rate_limit: None,
        seed_contacts: 1,
        faults: Faults {
            latency_ms: 1_500,
            ..Faults::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    let c = CinnoxClient::new(ClientConfig {
        timeout: Duration::from_millis(300),
        max_retries: 1,
        ..quick_client(&sb).config().clone()
    })
    .unwrap();
    let e = c.list_contacts().await.unwrap_err();
    assert!(
        matches!(&e, ClientError::Server { attempts: 2, reason, .. } if reason.contains("timed out")),
        "{e:?}"
    );
    let e = c.create_contact(&ann()).await.unwrap_err();
    assert!(
        matches!(e, ClientError::CreateOutcomeUnknown { .. }),
        "{e:?}"
    );
    assert_eq!(c.calls().create, 1);
}

#[tokio::test]
async fn latency_is_added_to_answers() {
    let sb = start(SandboxConfig {
        rate_limit: None,
        seed_contacts: 1,
        ..SandboxConfig::default()
    })
    .await;
    sb.sandbox()
        .set_faults(
            Faults {
                latency_ms: 200,
                ..Faults::default()
            },
            None,
        )
        .unwrap();
    let c = quick_client(&sb);
    let t = Instant::now();
    c.list_contacts().await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn the_pacer_spaces_requests() {
    let sb = start(SandboxConfig {
        rate_limit: None,
        seed_contacts: 1,
        ..SandboxConfig::default()
    })
    .await;
    // 600/min is one request per 100 ms after a burst of at most 5.
    let c = CinnoxClient::new(ClientConfig {
        requests_per_minute: Some(600),
        ..sb.client_config()
    })
    .unwrap();
    let t = Instant::now();
    for _ in 0..15 {
        c.list_page(0, 1).await.unwrap();
    }
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
}
