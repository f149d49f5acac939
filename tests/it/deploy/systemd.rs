//! deploy/systemd: `cinnox-sync-serve.service` (Type=notify for serve's readiness,
//! a dedicated user, its state directory, the token from an EnvironmentFile,
//! hardening) and the `cinnox-sync-sync@.timer` / `.service` pair for a plain
//! scheduled sync; their command lines parsed by the binary, and the units checked
//! by `systemd-analyze verify` when it is installed.

use super::{JOB_PATH, STATE_DIR, job_files, parse, read};
use cinnox_sync::cli::Command;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A unit file: section -> key -> values (a key may repeat).
type Unit = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn unit(path: &str) -> Unit {
    let mut out = Unit::new();
    let mut section = None;
    for (n, line) in read(path).lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if let Some(name) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            section = Some(name.to_string());
            continue;
        }
        let (k, v) = t
            .split_once('=')
            .unwrap_or_else(|| panic!("{path}:{}: not key=value", n + 1));
        let s = section
            .clone()
            .unwrap_or_else(|| panic!("{path}:{}: outside a section", n + 1));
        out.entry(s)
            .or_default()
            .entry(k.trim().into())
            .or_default()
            .push(v.trim().into());
    }
    out
}

fn one<'a>(u: &'a Unit, section: &str, key: &str) -> &'a str {
    let v = u.get(section).and_then(|s| s.get(key));
    match v.map(Vec::as_slice) {
        Some([one]) => one,
        other => panic!("[{section}] {key}: want one value, have {other:?}"),
    }
}

/// ExecStart's command line, the binary's path left out, `%i` as `instance`.
fn exec(u: &Unit, instance: &str) -> Vec<String> {
    let line = one(u, "Service", "ExecStart").replace("%i", instance);
    let mut words: Vec<String> = line.split_whitespace().map(String::from).collect();
    let bin = words.remove(0);
    assert!(
        bin.starts_with('/') && bin.ends_with("/cinnox-sync"),
        "ExecStart runs {bin}"
    );
    words
}

/// What both services need: their own user, the state directory, the token kept
/// out of the unit, a safe stop, and the sandboxing.
fn assert_service_basics(u: &Unit, name: &str) {
    let s = &u["Service"];
    assert!(
        s.contains_key("DynamicUser") || s.contains_key("User"),
        "{name}: runs as a user of its own"
    );
    assert_eq!(one(u, "Service", "StateDirectory"), "cinnox-sync", "{name}");
    assert_eq!(one(u, "Service", "WorkingDirectory"), STATE_DIR, "{name}");
    assert!(
        s.contains_key("EnvironmentFile"),
        "{name}: the token from an EnvironmentFile"
    );
    let inline = s.get("Environment").into_iter().flatten();
    assert!(
        !inline.into_iter().any(|e| e.contains("TOKEN")),
        "{name}: the token is not written in the unit"
    );
    assert_eq!(one(u, "Service", "KillSignal"), "SIGTERM", "{name}");
    for key in [
        "NoNewPrivileges",
        "ProtectSystem",
        "ProtectHome",
        "PrivateTmp",
    ] {
        assert!(s.contains_key(key), "{name}: hardening {key}");
    }
    assert_eq!(one(u, "Service", "ProtectSystem"), "strict", "{name}");
}

#[test]
fn the_serve_unit_is_notify_with_its_own_user_state_directory_and_token_file() {
    let name = "cinnox-sync-serve.service";
    let u = unit(&format!("deploy/systemd/{name}"));
    assert_eq!(one(&u, "Service", "Type"), "notify", "serve sends READY=1");
    assert_service_basics(&u, name);
    let args = exec(&u, "");
    let cmd = parse(&args, name);
    let Command::Serve(serve) = &cmd else {
        panic!("{name} runs serve: {args:?}")
    };
    assert_eq!(job_files(&cmd), [PathBuf::from(JOB_PATH)]);
    assert!(
        serve.listen.ip().is_loopback(),
        "behind a reverse proxy: {}",
        serve.listen
    );
    assert_eq!(one(&u, "Install", "WantedBy"), "multi-user.target");
}

#[test]
fn the_sync_timer_starts_a_plain_sync_of_its_instance_job() {
    let service = unit("deploy/systemd/cinnox-sync-sync@.service");
    let timer = unit("deploy/systemd/cinnox-sync-sync@.timer");
    assert_eq!(one(&service, "Service", "Type"), "oneshot");
    assert_service_basics(&service, "cinnox-sync-sync@.service");
    let args = exec(&service, "contacts");
    let cmd = parse(&args, "cinnox-sync-sync@.service");
    assert!(matches!(cmd, Command::Sync(_)), "{args:?}");
    assert_eq!(
        job_files(&cmd),
        [PathBuf::from("/etc/cinnox-sync/contacts.toml")]
    );
    // Exit 1 is a finished run with problems to look at, not a failed unit.
    assert_eq!(one(&service, "Service", "SuccessExitStatus"), "1");
    assert_eq!(one(&timer, "Timer", "Unit"), "cinnox-sync-sync@%i.service");
    assert!(timer["Timer"].contains_key("OnCalendar"));
    assert_eq!(one(&timer, "Install", "WantedBy"), "timers.target");
}

/// `systemd-analyze verify` on copies whose ExecStart is the binary under test
/// (verify wants an executable there): no warning, no error.
#[test]
fn systemd_analyze_verifies_the_units() {
    let Ok(out) = std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
    else {
        eprintln!("SKIPPED: no systemd-analyze (apt-get install systemd)");
        return;
    };
    assert!(out.status.success());
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("cinnox-sync");
    for name in [
        "cinnox-sync-serve.service",
        "cinnox-sync-sync@.service",
        "cinnox-sync-sync@.timer",
    ] {
        let text = read(&format!("deploy/systemd/{name}"))
            .replace("/usr/local/bin/cinnox-sync", &bin.display().to_string());
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = std::process::Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .args([
            "./cinnox-sync-serve.service",
            "./cinnox-sync-sync@contacts.service",
            "./cinnox-sync-sync@contacts.timer",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && said.trim().is_empty(),
        "systemd-analyze verify: {said}"
    );
}
