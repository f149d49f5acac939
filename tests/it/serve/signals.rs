//! SIGTERM to `serve` while its sync writes to a slowed sandbox: it tells systemd
//! it is stopping, stops accepting, the sync stops once its write in flight is
//! done (the ids of what it created in the list, the run recorded as
//! interrupted), and the process exits 0. systemd was told READY=1 once it
//! listened. The next run finishes the job without a duplicate.

#![cfg(unix)]

use super::support::{serve_table, start};
use crate::sync_support::sandbox::{Env, csv_text, person};
use cinnox_sync::model::FieldId as F;
use cinnox_sync::sandbox::Faults;
use std::collections::HashSet;
use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

const ROWS: usize = 40;

/// The notifications received so far.
fn notes(sock: &UnixDatagram) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = [0u8; 512];
    while let Ok(n) = sock.recv(&mut buf) {
        out.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    out
}

#[test]
fn sigterm_stops_the_running_sync_safely_and_exits_0() {
    let env = Env::new(
        &csv_text(&(0..ROWS).map(person).collect::<Vec<_>>()),
        vec![],
    );
    env.faults(Faults {
        latency_ms: 150,
        ..Faults::default()
    });
    serve_table(&env.job, "at_start = true");
    let sock_path = env.dir.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).unwrap();
    sock.set_nonblocking(true).unwrap();
    let s = start(
        env.dir.path(),
        env.sb.app_token().expose(),
        &[&env.job],
        &[("NOTIFY_SOCKET", sock_path.display().to_string())],
    );
    let mut seen = Vec::new();
    s.wait_for(Duration::from_secs(30), "READY=1", || {
        seen.extend(notes(&sock));
        seen.iter().any(|n| n.contains("READY=1"))
    });
    s.wait_for(Duration::from_secs(60), "a few creates", || {
        env.writes() >= 5
    });
    s.signal(libc::SIGTERM);
    let t = Instant::now();
    assert_eq!(s.exit_code(Duration::from_secs(60)), 0, "{}", s.log());
    assert!(
        t.elapsed() < Duration::from_secs(10),
        "stopped in {:?}",
        t.elapsed()
    );
    seen.extend(notes(&sock));
    assert!(seen.iter().any(|n| n.contains("STOPPING=1")), "{seen:?}");
    assert!(s.log().contains("SIGTERM: stopping"), "{}", s.log());

    // Stopped safely: fewer than all created, each created one's id in its row.
    let contacts = env.contacts();
    assert!(contacts.len() < ROWS, "the sync was not stopped");
    let rows = env.rows();
    let with_id: Vec<_> = rows.iter().filter(|r| !r["CINNOX ID"].is_empty()).collect();
    assert_eq!(
        with_id.len(),
        contacts.len(),
        "every contact created has its id in the list"
    );
    for r in with_id {
        assert_eq!(
            env.contact(&r["CINNOX ID"]).values.get(F::Email),
            r["Email"]
        );
    }
    let (code, history) = env.json(&["history", "--config", env.job.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(history[0]["outcome"], "interrupted", "{history:#}");
    assert_eq!(history[0]["summary"]["interrupted"]["signal"], "SIGTERM");

    // The next run finishes the job, nothing twice.
    env.faults(Faults::default());
    let (code, v) = env.sync();
    assert_eq!(code, 0, "{v:#}");
    let contacts = env.contacts();
    assert_eq!(contacts.len(), ROWS);
    let emails: HashSet<&str> = contacts.iter().map(|c| c.values.get(F::Email)).collect();
    assert_eq!(emails.len(), ROWS, "a contact was created twice");
}
