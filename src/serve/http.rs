//! The service's HTTP routes: the webhook receiver (`receiver`), `/healthz` (the
//! process and every inbox writer work), `/readyz` (and it accepts deliveries: not
//! once it is stopping), `/metrics` (Prometheus text), `/status.json` (the status
//! as data, `status`). Anything else is 404 with an empty body.

use super::App;
use super::metrics::{self, Gauges};
use super::receiver;
use super::status::{self, Status};
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::Arc;
use std::sync::atomic::Ordering;

pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "/webhooks/cinnox/{secret}",
            post(receiver::deliver).fallback(not_found),
        )
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/status.json", get(status_json))
        .fallback(not_found)
        .with_state(app)
}

async fn not_found() -> StatusCode {
    StatusCode::NOT_FOUND
}

/// The first job whose inbox cannot store deliveries, if any.
fn unhealthy(app: &App) -> Option<String> {
    app.jobs
        .iter()
        .find(|j| !j.inbox.healthy())
        .map(|j| format!("the inbox of job {} cannot store deliveries\n", j.name))
}

fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn healthz(State(app): State<Arc<App>>) -> Response {
    match unhealthy(&app) {
        Some(why) => text(StatusCode::SERVICE_UNAVAILABLE, why),
        None => text(StatusCode::OK, "ok\n".into()),
    }
}

async fn readyz(State(app): State<Arc<App>>) -> Response {
    if !app.accepting.load(Ordering::SeqCst) {
        return text(StatusCode::SERVICE_UNAVAILABLE, "stopping\n".into());
    }
    match unhealthy(&app) {
        Some(why) => text(StatusCode::SERVICE_UNAVAILABLE, why),
        None => text(StatusCode::OK, "ready\n".into()),
    }
}

async fn metrics(State(app): State<Arc<App>>) -> Response {
    let gauges: Vec<Gauges> = app
        .jobs
        .iter()
        .map(|j| {
            let live = j.live();
            Gauges {
                running: live.running.is_some(),
                waiting: j.debounce().waiting(),
                next_run: live.next.map(|(at, _)| at.timestamp()),
            }
        })
        .collect();
    let jobs: Vec<_> = app
        .jobs
        .iter()
        .zip(gauges)
        .map(|(j, g)| (j.name.as_str(), &j.metrics, g))
        .collect();
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        metrics::render(&app.metrics, &jobs),
    )
        .into_response()
}

async fn status_json(State(app): State<Arc<App>>) -> Response {
    let jobs = app.jobs.clone();
    // Reading the state files' history is blocking work.
    let gathered = tokio::task::spawn_blocking(move || {
        jobs.iter()
            .map(|j| status::job_status(j))
            .collect::<Vec<_>>()
    })
    .await;
    match gathered {
        Ok(jobs) => axum::Json(Status {
            version: env!("CARGO_PKG_VERSION"),
            started_at: app.started_at.clone(),
            accepting: app.accepting.load(Ordering::SeqCst),
            jobs,
        })
        .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
