//! What the receiver refuses, through the binary: a wrong path or secret (404, no
//! detail), a body over 64 KiB with or without a length (413), bad JSON and JSON
//! that is no event (400), garbage on the connection; and it keeps serving:
//! a good delivery after all that is still accepted, health is still ok. What it
//! accepts: both event forms, unknown statuses, the challenge handshake.

use super::support::{event, serve_table, start_env};
use crate::sync_support::sandbox::{Env, csv_text, person};
use rand::{Rng, SeedableRng};
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;

/// Sends raw bytes on a fresh connection; answers the status line's code (0 when
/// the server closed the connection without answering).
fn raw(base: &str, request: &[u8]) -> u16 {
    let addr = base.trim_start_matches("http://");
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    // The server may answer (and close) before reading everything.
    let _ = c.write_all(request);
    let mut answer = Vec::new();
    let _ = c.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    text.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

#[test]
fn malformed_oversized_and_wrong_path_requests_are_refused_and_never_crash_it() {
    let env = Env::new(&csv_text(&[person(1)]), vec![]);
    serve_table(&env.job, "at_start = false");
    let s = start_env(&env);
    let hook = s.only_hook();
    let secret = hook.rsplit('/').next().unwrap().to_string();

    // Wrong paths: 404 and nothing else.
    let wrong = format!("{}/webhooks/cinnox/{}", s.base, "0".repeat(secret.len()));
    for url in [
        wrong.clone(),
        format!("{}/webhooks/cinnox/", s.base),
        format!("{}/webhooks/cinnox/{secret}x", s.base),
        format!("{hook}/more"),
        format!("{}/", s.base),
        format!("{}/webhooks", s.base),
    ] {
        let (code, body) = s.post(&url, &event("edit", "c1"));
        assert_eq!((code, body.as_str()), (404, ""), "{url}");
    }
    let (code, body) = s.get(&format!("/webhooks/cinnox/{secret}"));
    assert_eq!((code, body.as_str()), (404, ""), "a GET on the path");

    // Too large: by its length, and streamed without one.
    // A declared length over the limit is refused from the headers alone; the body
    // is not sent, so the answer never races the server closing on unread bytes.
    let path = hook.trim_start_matches(&s.base);
    let declared = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        64 * 1024 + 1
    );
    assert_eq!(raw(&s.base, declared.as_bytes()), 413);
    let mut chunked = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for _ in 0..20 {
        chunked.extend_from_slice(format!("{:x}\r\n{}\r\n", 8192, "y".repeat(8192)).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(raw(&s.base, &chunked), 413);
    // Just under the limit is read.
    let pad = 64 * 1024 - 40;
    let fits = json!({"status": "edit", "pad": "z".repeat(pad)}).to_string();
    assert!(fits.len() <= 64 * 1024);
    assert_eq!(s.post_raw(&hook, fits.into_bytes()).0, 200);

    // Not JSON, or JSON that is no event: 400.
    for bad in [
        &b"{"[..],
        b"",
        b"not json",
        b"\xff\xfe\x00",
        b"[]",
        b"\"edit\"",
        b"{}",
        b"{\"message\": 3}",
        b"null",
    ] {
        let (code, _) = s.post_raw(&hook, bad.to_vec());
        assert_eq!(code, 400, "{:?}", String::from_utf8_lossy(bad));
    }
    // Garbage on the wire.
    let _ = raw(&s.base, b"GARBAGE\r\n\r\n");
    let _ = raw(&s.base, &[0u8; 4096]);
    // Random bodies never get a 5xx.
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    for _ in 0..200 {
        let n = rng.random_range(0..300);
        let body: Vec<u8> = (0..n).map(|_| rng.random()).collect();
        let (code, _) = s.post_raw(&hook, body);
        assert!(code < 500, "{code}");
    }

    // Still serving: the flat form, an unknown status, the handshake.
    assert_eq!(
        s.post(
            &hook,
            &json!({"status": "transfer", "name": "Ann", "fromOwnerID": "s1", "toOwnerID": "s2"})
        )
        .0,
        200
    );
    assert_eq!(
        s.post(&hook, &json!({"status": "archive", "id": "c9"})).0,
        200
    );
    let (code, body) = s.post(&hook, &json!({"challenge": "abc123"}));
    assert_eq!(code, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v, json!({"code": 0, "result": {"challenge": "abc123"}}));
    let (code, body) = s.post(&hook, &event("edit", "c1"));
    assert_eq!((code, body.as_str()), (200, r#"{"code":0,"result":{}}"#));
    assert_eq!(s.get("/healthz"), (200, "ok\n".into()));
    assert_eq!(s.get("/readyz"), (200, "ready\n".into()));
    assert!(s.exited().is_none());

    let (_, metrics) = s.get("/metrics");
    let counter = |reason: &str| -> u64 {
        let prefix =
            format!("cinnox_sync_webhook_deliveries_rejected_total{{reason=\"{reason}\"}} ");
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .and_then(|v| v.parse().ok())
            .unwrap()
    };
    assert!(counter("not_found") >= 2, "{metrics}");
    assert_eq!(counter("too_large"), 2, "{metrics}");
    assert!(counter("bad_json") >= 4);
    assert!(counter("not_an_event") >= 4);
    assert!(!s.log().contains("panicked"), "{}", s.log());
}
