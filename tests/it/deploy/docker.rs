//! deploy/Dockerfile: two stages on one Debian release (a Rust builder building
//! with `--locked`, a slim runtime), a non-root user, the state on a volume, a
//! health check on /healthz, and a command line the binary accepts; every path it
//! copies exists and is in the build context .dockerignore leaves. Docker itself
//! cannot run here (no engine): what can be checked without it is.

use super::{JOB_PATH, STATE_DIR, job_files, parse, read, repo};
use crate::serve::support::start_env;
use cinnox_sync::cli::Command;

/// The instructions, continuation lines joined, comments and the parser
/// directive left out: (keyword, the rest).
fn instructions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let t = line.trim();
        if pending.is_empty() && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        if let Some(head) = t.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(t);
        let (kw, rest) = pending.split_once(' ').unwrap_or((&pending, ""));
        out.push((kw.to_ascii_uppercase(), rest.trim().to_string()));
        pending.clear();
    }
    assert!(pending.is_empty(), "a continuation line ends the file");
    out
}

/// The JSON (exec) form of CMD, ENTRYPOINT or HEALTHCHECK's CMD.
fn exec_form(rest: &str, what: &str) -> Vec<String> {
    serde_json::from_str(rest).unwrap_or_else(|e| panic!("{what} is not in the exec form: {e}"))
}

/// Whether .dockerignore leaves `path` in the build context (its patterns here are
/// `*` and plain paths; the last that matches wins, and a path matches its
/// folders' patterns).
fn in_context(ignore: &str, path: &str) -> bool {
    let mut kept = true;
    for p in ignore
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (keep, pat) = match p.strip_prefix('!') {
            Some(pat) => (true, pat),
            None => (false, p),
        };
        assert!(
            pat == "*" || !pat.contains(['*', '?', '[']),
            "this test reads only `*` and plain paths in .dockerignore, not {pat:?}"
        );
        let pat = pat.trim_end_matches('/');
        if pat == "*" || path == pat || path.starts_with(&format!("{pat}/")) {
            kept = keep;
        }
    }
    kept
}

#[test]
fn the_dockerfile_builds_locked_in_a_builder_and_runs_serve_as_non_root_with_the_state_on_a_volume()
{
    let text = read("deploy/Dockerfile");
    let ignore = read(".dockerignore");
    let ins = instructions(&text);
    let known = [
        "FROM",
        "WORKDIR",
        "COPY",
        "RUN",
        "USER",
        "VOLUME",
        "EXPOSE",
        "HEALTHCHECK",
        "ENTRYPOINT",
        "CMD",
        "ENV",
        "ARG",
        "LABEL",
    ];
    for (kw, _) in &ins {
        assert!(known.contains(&kw.as_str()), "unknown instruction {kw}");
    }
    let froms: Vec<&String> = ins
        .iter()
        .filter(|(k, _)| k == "FROM")
        .map(|(_, r)| r)
        .collect();
    assert_eq!(froms.len(), 2, "a builder and a runtime stage: {froms:?}");
    // rust:1.95-slim-bookworm AS build, then debian:bookworm-slim.
    let (builder, alias) = froms[0].split_once(" AS ").expect("the builder is named");
    let rust_version = builder
        .strip_prefix("rust:")
        .and_then(|t| t.split('-').next())
        .expect("the builder is the rust image");
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let wanted = manifest["package"]["rust-version"].as_str().unwrap();
    assert_eq!(
        rust_version, wanted,
        "the builder's Rust is the manifest's rust-version"
    );
    let suite = builder.rsplit('-').next().unwrap();
    assert_eq!(
        froms[1].as_str(),
        format!("debian:{suite}-slim"),
        "the runtime is a slim image of the builder's Debian release, so the binary finds the C library it was linked against"
    );
    let runtime_at = ins
        .iter()
        .position(|(k, r)| k == "FROM" && r == froms[1])
        .unwrap();
    let (build, runtime) = ins.split_at(runtime_at);
    assert!(
        build
            .iter()
            .any(|(k, r)| k == "RUN" && r.contains("cargo build --release --locked")),
        "the build uses Cargo.lock"
    );
    // The rust slim image has a C compiler but no make; jemalloc's build needs it.
    let cargo_build = build
        .iter()
        .position(|(k, r)| k == "RUN" && r.contains("cargo build"))
        .unwrap();
    if read("Cargo.lock").contains("name = \"tikv-jemalloc-sys\"") {
        assert!(
            build[..cargo_build]
                .iter()
                .any(|(k, r)| k == "RUN" && r.contains("apt-get install") && r.contains(" make")),
            "the builder installs make before cargo build: jemalloc is built from C with it"
        );
    }
    // Every path copied from the context exists and is in it.
    for (_, rest) in build.iter().chain(runtime).filter(|(k, _)| k == "COPY") {
        if rest.starts_with("--from=") {
            assert_eq!(
                rest.split_whitespace().next().unwrap(),
                format!("--from={alias}")
            );
            continue;
        }
        let parts: Vec<&str> = rest.split_whitespace().collect();
        for src in &parts[..parts.len() - 1] {
            assert!(
                repo(src).exists(),
                "COPY {src}: no such path in the repository"
            );
            assert!(
                in_context(&ignore, src),
                "COPY {src}: .dockerignore leaves it out"
            );
        }
    }
    assert!(
        !in_context(&ignore, "target"),
        "target/ stays out of the context"
    );
    assert!(
        !in_context(&ignore, ".git"),
        ".git stays out of the context"
    );
    let last = |kw: &str| {
        runtime
            .iter()
            .rev()
            .find(|(k, _)| k == kw)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("the runtime stage has no {kw}"))
    };
    assert!(
        runtime
            .iter()
            .any(|(k, r)| k == "RUN" && r.contains("ca-certificates")),
        "CINNOX and Google are checked against the system's roots: the image needs them"
    );
    let user = last("USER");
    let uid = user.split(':').next().unwrap();
    assert!(uid != "0" && uid != "root", "a non-root user: {user}");
    assert_eq!(exec_form(&last("VOLUME"), "VOLUME"), [STATE_DIR]);
    let mut argv = exec_form(&last("ENTRYPOINT"), "ENTRYPOINT");
    assert_eq!(argv.remove(0), "cinnox-sync");
    argv.extend(exec_form(&last("CMD"), "CMD"));
    let cmd = parse(&argv, "the image's command");
    let Command::Serve(serve) = &cmd else {
        panic!("the image runs serve: {argv:?}")
    };
    assert_eq!(job_files(&cmd), [std::path::PathBuf::from(JOB_PATH)]);
    assert!(
        serve.listen.ip().is_unspecified(),
        "serve listens outside the container"
    );
    let port = serve.listen.port();
    assert_eq!(last("EXPOSE"), port.to_string());
    let health = last("HEALTHCHECK");
    let check = health.split_once("CMD ").expect("HEALTHCHECK ... CMD").1;
    let check = exec_form(check, "HEALTHCHECK's CMD");
    assert!(
        check
            .join(" ")
            .contains(&format!("/dev/tcp/127.0.0.1/{port}"))
    );
    assert!(check.join(" ").contains("GET /healthz"));
}

/// The health check's command, run against a real serve (its port put in) and
/// against a port nothing listens on.
#[test]
fn the_dockerfile_health_check_passes_on_a_healthy_serve_and_fails_without_one() {
    let ins = instructions(&read("deploy/Dockerfile"));
    let health = &ins.iter().find(|(k, _)| k == "HEALTHCHECK").unwrap().1;
    let check: Vec<String> = exec_form(health.split_once("CMD ").unwrap().1, "HEALTHCHECK");
    let env = crate::sync_support::sandbox::Env::new(
        &crate::sync_support::sandbox::csv_text(&[crate::sync_support::sandbox::person(1)]),
        Vec::new(),
    );
    crate::serve::support::serve_table(&env.job, "at_start = false");
    let s = start_env(&env);
    let port = s.base.rsplit(':').next().unwrap().to_string();
    let run = |port: &str| {
        let args: Vec<String> = check.iter().map(|a| a.replace("8080", port)).collect();
        std::process::Command::new(&args[0])
            .args(&args[1..])
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap()
            .success()
    };
    assert!(run(&port), "healthy: {}", s.log());
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let free = closed.local_addr().unwrap().port().to_string();
    drop(closed);
    assert!(!run(&free), "nothing listens there");
}

/// The libraries the binary links to are the C library's and libgcc's, which
/// every Debian image has (slim included): no OpenSSL, no SQLite of the system.
#[test]
fn the_binary_needs_only_what_a_slim_debian_image_has() {
    let bin = assert_cmd::cargo::cargo_bin("cinnox-sync");
    let Ok(out) = std::process::Command::new("ldd").arg(&bin).output() else {
        eprintln!("SKIPPED: no ldd");
        return;
    };
    assert!(out.status.success(), "ldd failed");
    let slim = [
        "linux-vdso.so.1",
        "libc.so.6",
        "libm.so.6",
        "libgcc_s.so.1",
        "libdl.so.2",
        "libpthread.so.0",
        "librt.so.1",
    ];
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let lib = line.split_whitespace().next().unwrap_or_default();
        let lib = lib.rsplit('/').next().unwrap();
        assert!(
            slim.contains(&lib) || lib.starts_with("ld-linux"),
            "the binary needs {lib}, which debian-slim does not have: {line}"
        );
    }
}
