//! What an interrupted write leaves is cleaned up: a run killed during the atomic
//! replace of the CSV leaves hidden temporary copies of the whole list
//! (`.contacts.csv.<pid>-<n>.tmp`, and the same for its `.bak`); the next run that
//! writes the list removes those of its own list, and says so. A copy of another
//! list, or of a process still running, stays; `plan`, which writes nothing, leaves
//! them all.

use crate::sync_support::sandbox::{Env, csv_text, person};

/// The pid of a process that has ended (as a killed run's is).
fn dead_pid() -> u32 {
    let mut c = std::process::Command::new("true").spawn().unwrap();
    let pid = c.id();
    c.wait().unwrap();
    pid
}

#[test]
fn the_next_run_removes_the_temporary_copies_a_killed_run_left() {
    let env = Env::new(&csv_text(&[person(1), person(2)]), vec![]);
    env.sync_settled(0);
    let d = env.dir.path();
    let list = std::fs::read(&env.csv).unwrap();
    let pid = dead_pid();
    let ours = [
        d.join(format!(".contacts.csv.{pid}-0.tmp")),
        d.join(format!(".contacts.csv.bak.{pid}-0.tmp")),
    ];
    let kept = [
        d.join(format!(".other.csv.{pid}-0.tmp")),
        d.join(format!(".contacts.csv.{}-0.tmp", std::process::id())),
    ];
    for p in ours.iter().chain(&kept) {
        std::fs::write(p, &list).unwrap();
    }
    let job = env.job.to_str().unwrap();
    let (code, v) = env.json(&["plan", "--config", job]);
    assert_eq!(code, 0, "{v:#}");
    assert!(
        ours.iter().all(|p| p.exists()),
        "plan writes (and removes) nothing"
    );

    let (code, v) = env.sync();
    assert_eq!(code, 0, "{v:#}");
    for p in &ours {
        assert!(!p.exists(), "{} is still there", p.display());
    }
    for p in &kept {
        assert!(
            p.exists(),
            "{} is not this list's, or its run is alive",
            p.display()
        );
    }
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("removed 2 temporary copies of the list"),
        "said so: {v:#}"
    );
    assert_eq!(v["rows_written"], 0, "a no-op run cleans up too: {v:#}");
}
