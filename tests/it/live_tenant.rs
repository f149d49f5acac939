//! Read-only checks against a real CINNOX tenant, switched on by three variables:
//!
//! ```sh
//! CINNOX_LIVE_BASE_URL=https://... CINNOX_LIVE_APP_ID=... CINNOX_LIVE_APP_TOKEN=... \
//!   cargo test --locked --test it live_tenant -- --include-ignored
//! ```
//!
//! Without `--include-ignored` the live test is reported `ignored` with the names
//! of the variables; with it but without the variables it fails, naming them
//! (never a pass that ran nothing). So that the checks are not dead code, the
//! suite also runs them every time against a sandbox it starts, handed over
//! through the same three variables. Nothing here writes to the tenant, and the
//! token is never printed: each check asserts that it is not in any output.

use assert_cmd::Command;
use cinnox_sync::cinnox::{CinnoxClient, ClientConfig, ClientError};
use cinnox_sync::mapping::Mapping;
use cinnox_sync::model::{Contact, FieldId as F};
use cinnox_sync::sandbox::{self, SandboxConfig};
use serde_json::Value;
use std::collections::HashMap;

const BASE_URL: &str = "CINNOX_LIVE_BASE_URL";
const APP_ID: &str = "CINNOX_LIVE_APP_ID";
const APP_TOKEN: &str = "CINNOX_LIVE_APP_TOKEN";

/// The tenant the variables name.
struct Live {
    base_url: String,
    app_id: String,
    token: String,
}

fn live_from(lookup: impl Fn(&str) -> Option<String>) -> Result<Live, String> {
    let get = |k: &str| {
        lookup(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    match (get(BASE_URL), get(APP_ID), get(APP_TOKEN)) {
        (Some(base_url), Some(app_id), Some(token)) => Ok(Live {
            base_url,
            app_id,
            token,
        }),
        _ => Err(format!(
            "set {BASE_URL}, {APP_ID} and {APP_TOKEN} to run the live checks"
        )),
    }
}

/// The checks: through the client, then through `cinnox-sync check`. Reads only.
fn read_only_checks(live: &Live) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = CinnoxClient::new(ClientConfig::new(
        live.base_url.clone(),
        live.app_id.clone(),
        live.token.clone(),
    ))
    .unwrap();
    rt.block_on(async {
        let page = client.list_page(0, 500).await;
        let page = page.unwrap_or_else(|e| panic!("the first page of contacts: {e}"));
        assert!(
            page.items <= 500,
            "a page of 500 answered {} items",
            page.items
        );
        client
            .list_staff()
            .await
            .unwrap_or_else(|e| panic!("the staff list: {e}"));
        let over = client.list_page(0, 501).await;
        assert!(
            matches!(&over, Err(ClientError::BadRequest { .. })),
            "a page of 501 should be refused with 6451000: {over:?}"
        );
    });
    assert!(!format!("{client:?}").contains(&live.token));

    let dir = tempfile::tempdir().unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(Mapping::builtin().headers()).unwrap();
    std::fs::write(dir.path().join("list.csv"), w.into_inner().unwrap()).unwrap();
    // The token stays in the environment: the job file names the variable only.
    let job = format!(
        "state = \"s.db\"\n[source]\ncsv = \"list.csv\"\n[cinnox]\nbase_url = {:?}\napp_id = {:?}\napp_token_env = {APP_TOKEN:?}\n",
        live.base_url, live.app_id
    );
    std::fs::write(dir.path().join("job.toml"), job).unwrap();
    for extra in [&[][..], &["--json"][..]] {
        let out = Command::cargo_bin("cinnox-sync")
            .unwrap()
            .env_remove("CINNOX_BASE_URL")
            .env_remove("CINNOX_APP_ID")
            .env_remove("CINNOX_APP_TOKEN")
            .env(APP_TOKEN, &live.token)
            .current_dir(dir.path())
            .args(["check", "--config", "job.toml"])
            .args(extra)
            .output()
            .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(
            !stdout.contains(&live.token) && !stderr.contains(&live.token),
            "the token was printed"
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "check found what differs from the contract:\n{stdout}\n{stderr}"
        );
        if !extra.is_empty() {
            let v: Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(v["exit_code"], 0);
        }
    }
    // This client sent reads only.
    let calls = client.calls();
    assert_eq!((calls.create, calls.update, calls.subscribe), (0, 0, 0));
}

#[test]
#[ignore = "needs CINNOX_LIVE_BASE_URL, CINNOX_LIVE_APP_ID and CINNOX_LIVE_APP_TOKEN; run: cargo test --test it live_tenant -- --include-ignored"]
fn a_live_tenant_answers_the_way_the_client_expects() {
    let live = live_from(|k| std::env::var(k).ok()).unwrap_or_else(|e| panic!("{e}"));
    read_only_checks(&live);
}

#[test]
fn the_live_checks_pass_against_a_sandbox_through_the_same_variables() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sb = rt
        .block_on(sandbox::start(SandboxConfig {
            rate_limit: None,
            ..SandboxConfig::default()
        }))
        .unwrap();
    let mut c = Contact::default();
    c.values.set(F::FirstName, "Ann");
    c.values.set(F::Email, "ann@example.hk");
    sb.sandbox().seed_contacts(vec![c], false).unwrap();
    let vars: HashMap<&str, String> = [
        (BASE_URL, sb.base_url()),
        (APP_ID, sb.app_id().to_string()),
        (APP_TOKEN, sb.app_token().expose().to_string()),
    ]
    .into_iter()
    .collect();
    let live = live_from(|k| vars.get(k).cloned()).unwrap();
    read_only_checks(&live);
    let stats = sb.sandbox().stats();
    assert_eq!(
        stats.total("create") + stats.total("update"),
        0,
        "{stats:?}"
    );
    assert!(stats.total("list") >= 4, "{stats:?}");
}

#[test]
fn missing_variables_are_named() {
    let e = live_from(|_| None).err().unwrap();
    assert!(
        e.contains(BASE_URL) && e.contains(APP_ID) && e.contains(APP_TOKEN),
        "{e}"
    );
}
