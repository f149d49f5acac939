//! The service's HTTP routes: the webhook receiver (`receiver`), `/healthz` (the
//! process and every inbox writer work), `/readyz` (and it accepts deliveries: not
//! once it is stopping), `/metrics` (Prometheus text), `/status.json` (the status
//! as data, `status`) and `/` (the same status as a page, `page`). Anything else is
//! 404 with an empty body.

use super::App;
use super::metrics::{self, Gauges};
use super::page;
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
        // Another method on a known path is a path with nothing there, as
        // anywhere else (axum would answer 405 and list the methods).
        .route("/healthz", get(healthz).fallback(not_found))
        .route("/readyz", get(readyz).fallback(not_found))
        .route("/metrics", get(metrics).fallback(not_found))
        .route("/status.json", get(status_json).fallback(not_found))
        .route("/", get(status_page).fallback(not_found))
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

/// The status now; `None` if gathering it failed.
async fn gather(app: &App) -> Option<Status> {
    let jobs = app.jobs.clone();
    // Reading the state files' history is blocking work.
    let gathered = tokio::task::spawn_blocking(move || {
        jobs.iter()
            .map(|j| status::job_status(j))
            .collect::<Vec<_>>()
    })
    .await;
    gathered.ok().map(|jobs| Status {
        version: env!("CARGO_PKG_VERSION"),
        started_at: app.started_at.clone(),
        accepting: app.accepting.load(Ordering::SeqCst),
        jobs,
    })
}

async fn status_json(State(app): State<Arc<App>>) -> Response {
    match gather(&app).await {
        Some(status) => axum::Json(status).into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// The page may use only what it holds (its inline style and script) and ask
/// only serve itself (its refresh): the browser then refuses any other request.
const PAGE_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
    script-src 'unsafe-inline'; connect-src 'self'; base-uri 'self'; form-action 'none'";

async fn status_page(State(app): State<Arc<App>>) -> Response {
    match gather(&app).await {
        Some(status) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
                (header::CONTENT_SECURITY_POLICY, PAGE_POLICY),
            ],
            page::render(&status, chrono::Utc::now()),
        )
            .into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
