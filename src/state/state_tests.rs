use super::*;
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

#[test]
fn runs_are_recorded_and_an_unfinished_one_shows_as_interrupted() {
    let mut s = StateStore::in_memory(clock()).unwrap();
    let a = s.begin_run("sync").unwrap();
    s.finish_run(
        a,
        "applied",
        0,
        &serde_json::json!({"counts": {"creates": 2}}),
    )
    .unwrap();
    s.begin_run("sync").unwrap();
    let runs = s.recent_runs(10).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].outcome, "interrupted");
    assert_eq!(runs[1].outcome, "applied");
    assert_eq!(runs[1].summary.as_ref().unwrap()["counts"]["creates"], 2);
    assert_eq!(runs[1].started_at, "1970-01-01T00:00:00Z");
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
