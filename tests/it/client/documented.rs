//! The client against loopback servers answering the way CINNOX's own documents
//! say a tenant may answer (docs/cinnox-api.md "tolerate"): 6451013 over the
//! per-service limit, 6451014 app name conflict, 6451010 without `Retry-After`,
//! `zh-ant` for Traditional Chinese, a base URL pasted with `/v1/api`, and a base
//! URL nobody answers at. (Flat webhook deliveries: tests/it/sandbox/webhooks.rs.)

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cinnox_sync::cinnox::{CinnoxClient, ClientConfig, ClientError};
use cinnox_sync::engine::RemoteError;
use cinnox_sync::model::FieldId as F;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
enum Answer {
    /// 6451013 (HTTP 429, no `Retry-After`) to the first two requests, then a list.
    OverLimitTwice,
    /// Always 6451014.
    AppNameConflict,
    /// Always 6451010 without `Retry-After`.
    RateLimitedForever,
    /// One contact whose language is written `zh-ant`, as the documents write it.
    ZhAnt,
}

#[derive(Clone)]
struct Fake {
    answer: Answer,
    /// When each request came, and its path.
    seen: Arc<Mutex<Vec<(Instant, String)>>>,
}

async fn list(State(f): State<Fake>, uri: Uri) -> Response {
    let n = {
        let mut seen = f.seen.lock().unwrap();
        seen.push((Instant::now(), uri.path().to_string()));
        seen.len()
    };
    let refuse = |status: StatusCode, code: i64, message: &str| {
        (
            status,
            axum::Json(json!({"code": code, "message": message})),
        )
            .into_response()
    };
    match f.answer {
        Answer::OverLimitTwice if n <= 2 => refuse(
            StatusCode::TOO_MANY_REQUESTS,
            6451013,
            "Requested chat logs over the limit",
        ),
        Answer::AppNameConflict => refuse(StatusCode::BAD_REQUEST, 6451014, "App name is conflict"),
        Answer::RateLimitedForever => {
            refuse(StatusCode::TOO_MANY_REQUESTS, 6451010, "Too many requests")
        }
        Answer::ZhAnt => axum::Json(json!({"code": 0, "total": 1,
            "result": [{"id": "c1", "firstName": "Mei", "language": "zh-ant"}]}))
        .into_response(),
        Answer::OverLimitTwice => {
            axum::Json(json!({"code": 0, "total": 1, "result": [{"id": "c1"}]})).into_response()
        }
    }
}

/// A fake tenant; answers its address (`http://127.0.0.1:PORT`) and what it saw.
async fn serve(answer: Answer) -> (String, Arc<Mutex<Vec<(Instant, String)>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app = Router::new()
        .route("/v1/api/apps/app/contacts/extcontact-list", get(list))
        .with_state(Fake {
            answer,
            seen: seen.clone(),
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, seen)
}

fn client(base: &str) -> CinnoxClient {
    CinnoxClient::new(ClientConfig {
        requests_per_minute: None,
        backoff_base: Duration::from_millis(1),
        rate_limit_backoff: Duration::from_millis(5),
        max_retries: 2,
        ..ClientConfig::new(base, "app", "token")
    })
    .unwrap()
}

#[tokio::test]
async fn over_the_per_service_limit_6451013_is_waited_out_like_the_rate_limit() {
    let (base, seen) = serve(Answer::OverLimitTwice).await;
    let c = client(&base);
    assert_eq!(c.list_contacts().await.unwrap().len(), 1);
    assert_eq!(seen.lock().unwrap().len(), 3);
    let calls = c.calls();
    assert_eq!((calls.rate_limited, calls.retries), (2, 2));
}

#[tokio::test]
async fn app_name_conflict_6451014_stops_with_a_clear_message_and_no_retry() {
    let (base, seen) = serve(Answer::AppNameConflict).await;
    let e = client(&base).list_contacts().await.unwrap_err();
    assert!(matches!(e, ClientError::AppNameConflict { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.contains("6451014") && text.contains("same name"),
        "{text}"
    );
    assert!(text.contains("Service Integration"), "{text}");
    assert!(e.is_fatal());
    assert_eq!(seen.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_rate_limit_without_retry_after_backs_off_growing_then_stops_the_run() {
    let (base, seen) = serve(Answer::RateLimitedForever).await;
    let c = CinnoxClient::new(ClientConfig {
        rate_limit_backoff: Duration::from_millis(20),
        max_rate_limited_waits: 5,
        ..client(&base).config().clone()
    })
    .unwrap();
    let e = c.list_contacts().await.unwrap_err();
    assert!(
        matches!(e, ClientError::RateLimited { waits: 5, .. }),
        "{e:?}"
    );
    assert!(e.to_string().contains("the run stopped"), "{e}");
    // The engine stops the run on it rather than going on with other records.
    assert!(matches!(
        cinnox_sync::cinnox::remote::remote_error(e),
        RemoteError::Fatal(_)
    ));
    let times: Vec<Instant> = seen.lock().unwrap().iter().map(|(t, _)| *t).collect();
    assert_eq!(times.len(), 6, "one request and five retries");
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    // Wait n is jittered within [20 ms * 2^(n-1) / 2, 20 ms * 2^(n-1)]: lower
    // bounds only (a loaded machine is slower, never faster).
    for (n, gap) in gaps.iter().enumerate() {
        let least = Duration::from_millis(10) * (1 << n);
        assert!(*gap >= least, "wait {}: {gap:?} < {least:?}", n + 1);
    }
    assert!(gaps[4] >= Duration::from_millis(160), "{gaps:?}");
}

#[tokio::test]
async fn zh_ant_as_the_documents_write_it_is_read_as_zh_hant() {
    let (base, _) = serve(Answer::ZhAnt).await;
    let listed = client(&base).list_contacts().await.unwrap();
    assert_eq!(listed[0].values.get(F::Language), "zh-hant");
}

#[tokio::test]
async fn a_base_url_with_a_trailing_slash_or_already_ending_in_v1_api_works() {
    let (base, seen) = serve(Answer::ZhAnt).await;
    for pasted in [
        format!("{base}/"),
        format!("{base}/v1/api"),
        format!("{base}/v1/api/"),
        format!("{base}/v1/api/apps"),
    ] {
        let listed = client(&pasted).list_contacts().await;
        assert_eq!(listed.map(|l| l.len()).ok(), Some(1), "{pasted}");
    }
    for (_, path) in seen.lock().unwrap().iter() {
        assert_eq!(path, "/v1/api/apps/app/contacts/extcontact-list");
    }
}

#[tokio::test]
async fn a_refused_connection_names_the_base_url_to_check() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let e = client(&format!("{base}/"))
        .list_contacts()
        .await
        .unwrap_err();
    assert!(
        matches!(&e, ClientError::Unreachable { attempts: 3, .. }),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(
        text.contains(&format!("cannot reach CINNOX at {base} ")),
        "{text}"
    );
    assert!(text.contains("CINNOX_BASE_URL"), "{text}");
    assert!(e.is_fatal());
}

#[tokio::test]
async fn a_name_that_does_not_resolve_names_the_base_url_to_check() {
    // `.invalid` is reserved: it never resolves (RFC 2606).
    let base = "http://cinnox-sync-test.invalid";
    let e = client(base).list_contacts().await.unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, ClientError::Unreachable { .. }), "{e:?}");
    assert!(text.contains(base) && text.contains("base URL"), "{text}");
}
