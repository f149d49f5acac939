//! `cinnox-sync check` through the real binary: against the sandbox it exits 0 and
//! prints the shape; against a loopback server answering another envelope and
//! members the client does not know it exits 1 and names them; a list missing a
//! mapped column is a finding naming the column; a refused token exits 2. The
//! token never appears in what it prints.

use assert_cmd::Command;
use axum::Router;
use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use cinnox_sync::mapping::Mapping;
use cinnox_sync::model::{Contact, FieldId as F};
use cinnox_sync::sandbox::{self, RunningSandbox, SandboxConfig};
use serde_json::{Value, json};
use std::path::PathBuf;

const TOKEN_ENV: &str = "CINNOX_SYNC_CHECK_TOKEN";
const TOKEN: &str = "tok-check-3f9a";

struct Env {
    /// Serves the sandbox or the fake tenant while the binary runs.
    _rt: tokio::runtime::Runtime,
    dir: tempfile::TempDir,
    job: PathBuf,
}

impl Env {
    /// A job for CINNOX at `base_url` and a CSV with `header`.
    fn new(rt: tokio::runtime::Runtime, base_url: &str, app_id: &str, header: &[String]) -> Env {
        let dir = tempfile::tempdir().unwrap();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).unwrap();
        w.write_record(header.iter().map(|_| "")).unwrap();
        std::fs::write(dir.path().join("contacts.csv"), w.into_inner().unwrap()).unwrap();
        let job = dir.path().join("job.toml");
        std::fs::write(
            &job,
            format!(
                "state = \"s.db\"\n[source]\ncsv = \"contacts.csv\"\n[cinnox]\nbase_url = {base_url:?}\napp_id = {app_id:?}\napp_token_env = {TOKEN_ENV:?}\nrequests_per_minute = 0\n"
            ),
        )
        .unwrap();
        Env { _rt: rt, dir, job }
    }

    /// `check --config JOB [extra]` with `token`: (exit code, stdout, stderr).
    fn check(&self, token: &str, extra: &[&str]) -> (i32, String, String) {
        let out = Command::cargo_bin("cinnox-sync")
            .unwrap()
            .env_remove("CINNOX_BASE_URL")
            .env_remove("CINNOX_APP_ID")
            .env_remove("CINNOX_APP_TOKEN")
            .env(TOKEN_ENV, token)
            .env("RUST_LOG", "error")
            .current_dir(self.dir.path())
            .args(["check", "--config", self.job.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (
            out.status.code().unwrap_or(-1),
            text(&out.stdout),
            text(&out.stderr),
        )
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// The built-in mapping's columns: the list a default job expects.
fn template_header() -> Vec<String> {
    Mapping::builtin().headers()
}

fn sandbox_env(header: &[String]) -> (Env, RunningSandbox) {
    let rt = runtime();
    let sb = rt
        .block_on(sandbox::start(SandboxConfig {
            rate_limit: None,
            app_token: Some(TOKEN.into()),
            ..SandboxConfig::default()
        }))
        .unwrap();
    let mut c = Contact::default();
    c.values.set(F::FirstName, "Ann");
    c.values.set(F::MobilePhone, "+85291234567");
    c.values.set(F::Birthday, "01/02/1990");
    sb.sandbox().seed_contacts(vec![c], false).unwrap();
    let env = Env::new(rt, &sb.base_url(), sb.app_id(), header);
    (env, sb)
}

#[test]
fn against_the_sandbox_it_exits_0_and_prints_the_shape() {
    let (env, _sb) = sandbox_env(&template_header());
    let (code, out, err) = env.check(TOKEN, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    for needle in [
        "signed in",
        "contacts: GET contacts/extcontact-list?offset=0&limit=500 -> HTTP 200, code 0, 1 items under `result`, total 1",
        "envelope: code, result, total",
        "phones: E.164 ×1",
        "birthdays: dd/mm/yyyy ×1",
        "limit=501 -> HTTP 400, code 6451000 \"exceed maximum limit 500\": refused, as expected",
        "contact-event-sub: disabled",
        "columns the job maps: 22 of 22 there",
        "No findings",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    assert!(
        out.lines()
            .any(|l| l.trim_start().starts_with("firstName") && l.contains("string ×1")),
        "{out}"
    );
    assert!(!out.contains(TOKEN) && !err.contains(TOKEN));

    let (code, json, _) = env.check(TOKEN, &["--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["exit_code"], 0);
    assert_eq!(v["cinnox"]["contacts"]["items_under"], "result");
    assert_eq!(v["cinnox"]["over_limit"]["as_expected"], true);
    assert_eq!(v["list"]["columns"].as_array().unwrap().len(), 22);
    assert_eq!(v["findings"], json!([]));
    assert!(!json.contains(TOKEN));
}

#[test]
fn a_list_missing_a_mapped_column_is_a_finding_naming_the_column() {
    let header: Vec<String> = template_header()
        .into_iter()
        .filter(|h| h != "Phone Number")
        .chain(["Notes".to_string()])
        .collect();
    let (env, _sb) = sandbox_env(&header);
    let (code, out, err) = env.check(TOKEN, &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("no column `Phone Number`"), "{out}");
    assert!(
        out.contains("not mapped (kept as they are): Notes"),
        "{out}"
    );
}

#[test]
fn a_refused_token_exits_2_naming_the_credential() {
    let (env, _sb) = sandbox_env(&template_header());
    let (code, out, err) = env.check("wrong-token", &[]);
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("refused the App Token"), "{err}");
    let (code, json, _) = env.check("wrong-token", &["--json"]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert!(
        v["error"].as_str().unwrap().contains("CINNOX_APP_TOKEN"),
        "{v:#}"
    );
}

/// A tenant that answers another envelope (`code` "200", items under
/// `data.contacts`, no total) with members the client does not know.
fn another_tenant() -> Router {
    async fn contacts(RawQuery(q): RawQuery) -> Response {
        if q.unwrap_or_default().contains("limit=501") {
            let body = json!({"code": 6451000, "message": "exceed maximum limit 500"});
            return (StatusCode::BAD_REQUEST, axum::Json(body)).into_response();
        }
        axum::Json(
            json!({"code": "200", "requestId": "r-1", "data": {"contacts": [
                {"id": "c1", "firstName": "Ann", "nickname": "Annie", "mobilePhone": 85291234567u64,
                 "birthday": "1990-02-01", "address": {"city": "HK", "district": "Central"}}
            ]}}),
        )
        .into_response()
    }
    async fn staff() -> Response {
        axum::Json(
            json!({"code": 0, "total": 1, "result": [{"id": "s1", "firstName": "Ada",
            "lastName": "Wong", "email": "", "displayName": "", "status": "Activated"}]}),
        )
        .into_response()
    }
    async fn no_such_method() -> Response {
        let body = json!({"code": 6450001, "message": "Method cannot be found"});
        (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
    }
    let app = "/v1/api/apps/app";
    Router::new()
        .route(&format!("{app}/contacts/extcontact-list"), get(contacts))
        .route(&format!("{app}/contacts/staffcontact-list"), get(staff))
        .route(
            &format!("{app}/{{sub}}"),
            get(no_such_method).merge(patch(no_such_method)),
        )
}

#[test]
fn against_another_envelope_and_unknown_members_it_exits_1_and_names_them() {
    let rt = runtime();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    rt.spawn(async move { axum::serve(listener, another_tenant()).await });
    let env = Env::new(rt, &base, "app", &template_header());
    let (code, out, err) = env.check(TOKEN, &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    for needle in [
        "the items are under `data.contacts`; the contract says `result`",
        "`code` is written as the string \"200\"",
        "no `total`",
        "unknown envelope member `requestId`",
        "unknown member `nickname` in 1 of 1 contacts",
        "unknown member `address.district` in 1 of 1 contacts",
        "phone numbers are written as `JSON number (no +)`",
        "birthdays are written as `9999-99-99`",
        "contact-event-sub: not readable",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    let (code, json, _) = env.check(TOKEN, &["--json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&json).unwrap();
    let unknown: Vec<&Value> = v["cinnox"]["contacts"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["reads_as"].is_null())
        .collect();
    assert_eq!(unknown.len(), 2, "{unknown:?}");
    assert_eq!(v["exit_code"], 1);
}
