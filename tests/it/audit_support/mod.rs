//! Helpers shared by the audit integration tests: run the real binary from the
//! fixture directory, so reports name files as the user typed them.

// Each test crate includes this module and uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit")
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `cinnox-sync audit ARGS...` in `dir`.
pub fn audit_in(dir: &Path, args: &[&str]) -> Run {
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_cinnox-sync"))
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .arg("audit")
        .args(args)
        .output()
        .expect("run cinnox-sync");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `cinnox-sync audit ARGS...` in the fixture directory.
pub fn audit(args: &[&str]) -> Run {
    audit_in(&fixtures(), args)
}

/// The `(line, column, rule)` of each violation of a JSON report.
pub fn triples(json: &str) -> Vec<(u64, String, String)> {
    let v: serde_json::Value = serde_json::from_str(json).expect("the report is JSON");
    v["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .map(|v| {
            (
                v["line"].as_u64().unwrap_or(0),
                v["column"].as_str().unwrap_or("").to_string(),
                v["rule"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}
