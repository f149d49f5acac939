//! `cinnox-sync sandbox` as a user runs it: the help, usage errors, the banner with
//! the address and credentials, and a restart (after a kill) that keeps the data.

use assert_cmd::Command as AssertCommand;
use cinnox_sync::cinnox::{CinnoxClient, ClientConfig};
use cinnox_sync::model::{FieldId as F, FieldValues};
use predicates::str::contains;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cinnox-sync");

/// A running sandbox process, killed when dropped.
struct Running {
    child: Child,
    banner: String,
    vars: HashMap<String, String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = Command::new(BIN)
            .arg("sandbox")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let (mut banner, mut vars) = (String::new(), HashMap::new());
        loop {
            let mut line = String::new();
            let n = out.read_line(&mut line).expect("reading the banner");
            assert!(
                n > 0,
                "the sandbox stopped before printing its banner: {banner}"
            );
            banner.push_str(&line);
            if let Some((k, v)) = line
                .trim()
                .strip_prefix("export ")
                .and_then(|l| l.split_once('='))
            {
                vars.insert(k.to_string(), v.to_string());
            }
            if line.starts_with("Press Ctrl-C") {
                break;
            }
        }
        Running {
            child,
            banner,
            vars,
        }
    }

    fn client(&self) -> CinnoxClient {
        let lookup = |k: &str| self.vars.get(k).cloned();
        let config = ClientConfig::resolve_with(&Default::default(), lookup)
            .expect("the banner has every credential");
        CinnoxClient::new(ClientConfig {
            requests_per_minute: None,
            ..config
        })
        .unwrap()
    }
}

#[test]
fn the_help_teaches_with_examples() {
    AssertCommand::new(BIN)
        .args(["sandbox", "--help"])
        .assert()
        .success()
        .stdout(contains("Examples:"))
        .stdout(contains("--fault 5xx=0.2"))
        .stdout(contains("--seed-contacts"));
}

#[test]
fn a_bad_fault_is_a_usage_error() {
    AssertCommand::new(BIN)
        .args(["sandbox", "--fault", "gremlins=1"])
        .assert()
        .code(2)
        .stderr(contains("unknown fault `gremlins`"));
}

#[test]
fn an_unusable_database_path_exits_2_with_a_message() {
    AssertCommand::new(BIN)
        .args([
            "sandbox",
            "--listen",
            "127.0.0.1:0",
            "--db",
            "/nonexistent-dir/x/sandbox.db",
        ])
        .assert()
        .code(2)
        .stderr(contains("error:"));
}

#[test]
fn serves_what_it_prints_and_a_restart_after_a_kill_keeps_every_contact() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sandbox.db");
    let db = db.to_str().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();

    let first = Running::start(&[
        "--listen",
        "127.0.0.1:0",
        "--db",
        db,
        "--seed-contacts",
        "5",
        "--app-id",
        "demo",
        "--app-token",
        "tok-123",
        "--rate-limit",
        "0",
    ]);
    assert!(
        first
            .banner
            .contains("CINNOX sandbox listening on http://127.0.0.1:"),
        "{}",
        first.banner
    );
    assert_eq!(first.vars["CINNOX_APP_ID"], "demo");
    assert_eq!(first.vars["CINNOX_APP_TOKEN"], "tok-123");
    let c = first.client();
    let created = rt.block_on(async {
        assert_eq!(c.list_contacts().await.unwrap().len(), 5);
        let v: FieldValues = [(F::FirstName, "Persisted")].into_iter().collect();
        c.create_contact(&v).await.unwrap()
    });
    drop(first); // SIGKILL: nothing gets a chance to flush.

    let second = Running::start(&[
        "--listen",
        "127.0.0.1:0",
        "--db",
        db,
        "--seed-contacts",
        "5",
    ]);
    assert_eq!(
        second.vars["CINNOX_APP_ID"], "demo",
        "credentials come back from the file"
    );
    assert!(second.banner.contains("(6 contacts)"), "{}", second.banner);
    let listed = rt.block_on(second.client().list_contacts()).unwrap();
    assert_eq!(listed.len(), 6);
    assert_eq!(listed[5].id, created);
}
