use super::*;
use crate::engine::detail::{Entry, EntryKind};
use crate::engine::{JournalState, WriteKind};
use crate::model::FieldId;
use chrono::DateTime;

fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock(DateTime::UNIX_EPOCH))
}

fn values(name: &str) -> FieldValues {
    [(FieldId::FirstName, name)].into_iter().collect()
}

#[test]
fn links_deletions_and_journal_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.state.db");
    {
        let mut s = StateStore::open_for_run(&path, clock()).unwrap();
        s.save_links(
            &[("c1".into(), values("Ann")), ("c2".into(), values("Bo"))],
            &[],
        )
        .unwrap();
        s.remember_deleted_rows(&["c2".into()]).unwrap();
        let run = s.begin_run("sync").unwrap();
        let seq = s
            .journal_send(run, WriteKind::Create, None, Some(3), &values("Cy"))
            .unwrap();
        s.journal_settle(seq, JournalState::Created, Some("c3"), None)
            .unwrap();
        s.journal_send(run, WriteKind::Update, Some("c1"), Some(2), &values("Ann"))
            .unwrap();
    }
    let mut s = StateStore::open_for_run(&path, clock()).unwrap();
    let snap = s.snapshot().unwrap();
    assert_eq!(snap.links.len(), 1, "c2's row was deleted: its link went");
    assert_eq!(snap.links["c1"].get(FieldId::FirstName), "Ann");
    assert!(snap.deleted_rows.contains("c2"));
    assert_eq!(snap.pending_creates.len(), 1);
    assert_eq!(snap.pending_creates[0].contact_id.as_deref(), Some("c3"));
    assert_eq!(snap.pending_creates[0].values, values("Cy"));
    assert_eq!(s.supersede_open_updates().unwrap(), 1);
    // Linking a remembered deletion again forgets the deletion.
    s.save_links(&[("c2".into(), values("Bo"))], &["c1".into()])
        .unwrap();
    let snap = s.snapshot().unwrap();
    assert!(snap.deleted_rows.is_empty());
    assert!(snap.links.contains_key("c2") && !snap.links.contains_key("c1"));
}

fn entry(kind: EntryKind, line: usize, message: &str) -> Entry {
    Entry::new(kind, Some(line), Some("c1"), message)
}

#[test]
fn runs_are_recorded_and_an_unfinished_one_shows_as_interrupted() {
    let mut s = StateStore::in_memory(clock()).unwrap();
    let a = s.begin_run("sync").unwrap();
    let detail = [
        entry(EntryKind::Created, 2, "new contact (firstName)"),
        entry(
            EntryKind::Rejected,
            3,
            "CINNOX refused it: firstName too long",
        ),
    ];
    s.finish_run(
        a,
        "applied",
        0,
        &serde_json::json!({"counts": {"creates": 2}}),
        &detail,
    )
    .unwrap();
    let b = s.begin_run("sync").unwrap();
    let seq = s
        .journal_send(b, WriteKind::Create, None, Some(4), &values("Dee"))
        .unwrap();
    s.journal_settle(seq, JournalState::Created, Some("c9"), None)
        .unwrap();
    s.journal_send(b, WriteKind::Update, Some("c1"), Some(2), &values("Ann"))
        .unwrap();
    let runs = s.recent_runs(10).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].outcome, "interrupted");
    assert!(
        runs[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("never finished")
    );
    // A killed run's calls come from its journal, not zero.
    let j = runs[0].journal.clone().unwrap();
    assert_eq!((j.creates, j.created, j.updates, j.updated), (1, 1, 1, 0));
    assert_eq!(runs[1].outcome, "applied");
    assert_eq!(runs[1].summary.as_ref().unwrap()["counts"]["creates"], 2);
    assert_eq!(runs[1].started_at, "1970-01-01T00:00:00Z");
    assert_eq!(runs[1].duration_seconds, Some(0));
    assert_eq!(runs[1].detail_entries, 2);
    assert_eq!(s.run_detail(a).unwrap().unwrap().detail, detail);
    let killed = s.run_detail(b).unwrap().unwrap().detail;
    assert_eq!(killed.len(), 2);
    assert_eq!(
        (
            killed[0].kind,
            killed[0].line,
            killed[0].contact_id.as_deref()
        ),
        (EntryKind::Created, Some(4), Some("c9"))
    );
    assert_eq!(killed[1].kind, EntryKind::Unanswered);
    assert!(s.run_detail(99).unwrap().is_none());
}

#[test]
fn old_runs_and_old_detail_are_pruned_by_the_rule() {
    use super::run_detail::{KEEP_DETAIL_ENTRIES, KEEP_DETAIL_RUNS, KEEP_RUNS};
    let mut s = StateStore::in_memory(clock()).unwrap();
    let one = [entry(EntryKind::Updated, 2, "jobTitle")];
    let json = serde_json::json!({});
    let mut first = 0;
    for i in 0..KEEP_RUNS + 5 {
        let id = s.begin_run("sync").unwrap();
        if i == 0 {
            first = id;
        }
        s.finish_run(id, "applied", 0, &json, &one).unwrap();
    }
    let runs = s.recent_runs(usize::MAX).unwrap();
    assert_eq!(runs.len() as i64, KEEP_RUNS, "the oldest runs went");
    assert!(s.run_detail(first).unwrap().is_none());
    let with_detail = runs.iter().filter(|r| !r.detail_pruned).count() as i64;
    assert_eq!(with_detail, KEEP_DETAIL_RUNS);
    let oldest = runs.last().unwrap();
    assert!(oldest.detail_pruned);
    assert!(s.run_detail(oldest.id).unwrap().unwrap().detail.is_empty());
    let newest = &runs[0];
    assert_eq!(s.run_detail(newest.id).unwrap().unwrap().detail, one);
    let stored: i64 = s
        .conn
        .query_row("SELECT count(*) FROM run_detail", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, KEEP_DETAIL_RUNS, "pruned detail is deleted");

    // A big run pushes older detail out once the total passes the cap; the newest
    // run keeps its own, however big.
    let big: Vec<Entry> = (0..KEEP_DETAIL_ENTRIES as usize)
        .map(|i| entry(EntryKind::Created, i + 2, "new contact"))
        .collect();
    let id = s.begin_run("sync").unwrap();
    s.finish_run(id, "applied", 0, &json, &big).unwrap();
    let runs = s.recent_runs(3).unwrap();
    assert!(!runs[0].detail_pruned && runs[1].detail_pruned);
    assert_eq!(runs[0].detail_entries, big.len());
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(StateStore::open_to_read(&path, clock()).unwrap());
    let c = rusqlite::Connection::open(&path).unwrap();
    c.pragma_update(None, "user_version", 99).unwrap();
    drop(c);
    let e = StateStore::open_to_read(&path, clock())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("newer cinnox-sync"), "{e}");
}

#[test]
fn many_links_save_in_one_transaction() {
    // Not a timing assert: checks the batch path works at scale (the benchmark times it).
    let mut s = StateStore::in_memory(clock()).unwrap();
    let links: Vec<(String, FieldValues)> = (0..20_000)
        .map(|i| (format!("c{i}"), values("X")))
        .collect();
    s.save_links(&links, &[]).unwrap();
    assert_eq!(s.link_count().unwrap(), 20_000);
}

#[test]
fn the_file_is_wal_and_synced_on_every_commit() {
    let dir = tempfile::tempdir().unwrap();
    let s = StateStore::open_for_run(&dir.path().join("s.state.db"), clock()).unwrap();
    let mode: String = s
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    // 2 = FULL: a journalled write survives a power cut, not only a kill.
    let sync: i64 = s
        .conn
        .pragma_query_value(None, "synchronous", |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), sync), ("wal", 2));
}

#[test]
fn ids_gone_from_cinnox_and_ids_created_here_are_known() {
    let mut s = StateStore::in_memory(clock()).unwrap();
    s.remember_gone(&["g1".into()]).unwrap();
    let run = s.begin_run("sync").unwrap();
    let seq = s
        .journal_send(run, WriteKind::Create, None, Some(2), &values("Ann"))
        .unwrap();
    s.journal_settle(seq, JournalState::Done, Some("m7"), None)
        .unwrap();
    let ask: Vec<String> = ["g1", "m7", "typo"].map(String::from).to_vec();
    let known = s.known_ids(&ask).unwrap();
    assert!(known.contains("g1") && known.contains("m7"), "{known:?}");
    assert!(!known.contains("typo"));
}

#[cfg(unix)]
#[test]
fn the_state_file_and_its_companions_are_private_to_the_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.state.db");
    // A file an older version left readable by all is made private too.
    std::fs::write(&path, b"").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut s = StateStore::open_for_run(&path, clock()).unwrap();
    s.save_links(&[("c1".into(), values("Ann"))], &[]).unwrap();
    for suffix in ["", "-wal", "-shm", ".lock", ".lock.gate"] {
        let p = dir.path().join(format!("s.state.db{suffix}"));
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", p.display());
    }
}
