//! What an operator or a packager meets, through the real binary: log lines with
//! no colour codes in a file or pipe, colour on a terminal (a pseudo-terminal from
//! util-linux `script`) unless `NO_COLOR` or `--color never`, `--log-format json`
//! one object a line; shell completions that load in bash, the manual page; the
//! LICENSE matching Cargo.toml, and the changelog.

use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cinnox-sync");
const ESC: &str = "\u{1b}[";

/// A small list whose audit logs one debug line with `-v`.
fn list(dir: &Path) {
    std::fs::write(
        dir.join("list.csv"),
        "First Name,Phone Number\nAnn,+85291234567\n",
    )
    .unwrap();
}

/// `cinnox-sync ARGS` with stderr captured (not a terminal): (code, stderr).
fn piped(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let out = Command::new(BIN)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .env_remove("CINNOX_SYNC_LOG_FORMAT")
        .envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `cinnox-sync ARGS` on a pseudo-terminal: everything the terminal showed.
fn on_terminal(dir: &Path, args: &[&str], no_color: bool) -> String {
    let line: Vec<String> = std::iter::once(BIN)
        .chain(args.iter().copied())
        .map(|s| format!("'{}'", s.replace('\'', r"'\''")))
        .collect();
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line.join(" "), "/dev/null"])
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .stdin(Stdio::null());
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    // A missing `script` fails the test: a test that passes without running shows nothing.
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("cannot run `script` (util-linux, e.g. `apt install bsdutils`): {e}")
    });
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn log_lines_have_colour_only_on_a_terminal_or_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    list(dir.path());
    let (code, err) = piped(dir.path(), &["audit", "list.csv", "-v"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("DEBUG audited list.csv"), "{err}");
    assert!(!err.contains(ESC), "no colour codes into a pipe: {err:?}");
    let (_, err) = piped(
        dir.path(),
        &["audit", "list.csv", "-v", "--color", "always"],
        &[],
    );
    assert!(err.contains(ESC), "{err:?}");

    let shown = on_terminal(dir.path(), &["audit", "list.csv", "-v"], false);
    assert!(
        shown.contains("audited list.csv") && shown.contains(ESC),
        "{shown:?}"
    );
    let shown = on_terminal(dir.path(), &["audit", "list.csv", "-v"], true);
    assert!(
        shown.contains("audited list.csv") && !shown.contains(ESC),
        "NO_COLOR: {shown:?}"
    );
    let shown = on_terminal(
        dir.path(),
        &["audit", "list.csv", "-v", "--color", "never"],
        false,
    );
    assert!(
        shown.contains("audited list.csv") && !shown.contains(ESC),
        "{shown:?}"
    );
}

#[test]
fn json_logs_are_one_object_a_line_failures_included() {
    let dir = tempfile::tempdir().unwrap();
    list(dir.path());
    let lines = |err: &str| -> Vec<serde_json::Value> {
        err.lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    };
    let (code, err) = piped(
        dir.path(),
        &["audit", "list.csv", "-v", "--log-format", "json"],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let logs = lines(&err);
    let audited = logs
        .iter()
        .find(|l| {
            l["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("audited list.csv"))
        })
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(audited["level"], "DEBUG");
    assert_eq!(audited["rows"], 1);
    assert!(
        audited["timestamp"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z'))
    );
    // The environment variable does the same, and a failure's reason is a line too.
    let (code, err) = piped(
        dir.path(),
        &["audit", "missing.csv"],
        &[("CINNOX_SYNC_LOG_FORMAT", "json")],
    );
    assert_eq!(code, 2);
    let logs = lines(&err);
    let last = logs.last().unwrap();
    assert_eq!(last["level"], "ERROR");
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .contains("cannot read missing.csv"),
        "{err}"
    );
    let (code, err) = piped(
        dir.path(),
        &["audit", "list.csv", "--log-format", "xml"],
        &[],
    );
    assert_eq!(code, 2);
    assert!(err.contains("text") && err.contains("json"), "{err}");
}

fn stdout(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn completions_for_every_shell_know_the_commands() {
    for (shell, marker) in [
        ("bash", "_cinnox__sync()"),
        ("zsh", "#compdef cinnox-sync"),
        ("fish", "complete -c cinnox-sync"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[cinnox-sync]"),
    ] {
        let script = stdout(&["completions", shell]);
        assert!(script.contains(marker), "{shell}: {script}");
        for word in ["audit", "init", "completions", "log-format"] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    // The bash script loads, and registers the completion.
    let script = stdout(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.bash");
    std::fs::write(&file, script).unwrap();
    let out = Command::new("bash")
        .args([
            "-c",
            &format!("source {} && complete -p cinnox-sync", file.display()),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("cinnox-sync"));
    assert!(stdout(&["completions", "--help"]).contains("Examples:"));
}

#[test]
fn the_manual_page_is_generated_for_every_command() {
    let page = stdout(&["man"]);
    assert!(page.contains(".TH cinnox-sync 1"), "{page}");
    assert!(
        page.contains("audit") && page.contains("completions"),
        "{page}"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["man", "--dir"])
        .arg(dir.path().join("man1"))
        .output()
        .unwrap();
    assert!(out.status.success());
    for name in [
        "cinnox-sync.1",
        "cinnox-sync-audit.1",
        "cinnox-sync-init.1",
        "cinnox-sync-sync.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join("man1").join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(text.contains(".TH"), "{name}");
    }
    let audit = std::fs::read_to_string(dir.path().join("man1/cinnox-sync-audit.1")).unwrap();
    assert!(
        audit.contains("\\-\\-tab"),
        "the audit page lists its options"
    );
}

#[test]
fn license_matches_cargo_toml_and_the_changelog_keeps_its_shape() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(
        cargo.contains("\nlicense = \"MIT\"\n"),
        "Cargo.toml says MIT"
    );
    let license = std::fs::read_to_string(root.join("LICENSE")).unwrap();
    assert!(license.starts_with("MIT License\n"));
    assert!(license.contains("Copyright (c) 2026 the cinnox-sync developers"));
    assert!(license.contains("THE SOFTWARE IS PROVIDED \"AS IS\""));
    let log = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap();
    assert!(log.contains("Keep a Changelog"));
    assert!(log.contains("## [Unreleased]"));
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        log.contains(&format!("## [{version}] - ")),
        "the current version has its entry"
    );
}
