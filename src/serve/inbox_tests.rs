use super::*;
use rusqlite::Connection;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn concurrent_deliveries_are_committed_together_and_all_kept() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("s.db");
    let opened = Inbox::open(&state, 4096).unwrap();
    assert_eq!((opened.undone, opened.last_seq), (0, 0));
    let inbox = Arc::new(opened.inbox);
    let rt = runtime();
    let seqs: Vec<i64> = rt.block_on(async {
        let tasks: Vec<_> = (0..500)
            .map(|i| {
                let inbox = inbox.clone();
                tokio::spawn(async move {
                    inbox
                        .submit("edit", &format!("c{i}"), "{}".into())
                        .await
                        .unwrap()
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap());
        }
        out
    });
    let mut sorted = seqs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 500, "every delivery has its own number");
    // Answered means committed: another connection sees them all.
    let c = Connection::open(&state).unwrap();
    let n: i64 = c
        .query_row(
            "SELECT count(*) FROM inbox WHERE done_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 500);
    let up_to = inbox.covered("run-1");
    assert_eq!(up_to, 500);
    inbox.stop();
    let reopened = Inbox::open(&state, 16).unwrap();
    assert_eq!(reopened.secret, opened.secret);
    assert_eq!((reopened.undone, reopened.last_seq), (0, 500));
    reopened.inbox.stop();
}

#[test]
fn a_full_queue_refuses_at_once_and_what_it_took_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("s.db");
    let opened = Inbox::open(&state, 2).unwrap();
    let inbox = Arc::new(opened.inbox);
    // Another writer holds the state file: the inbox writer waits on its commit.
    let blocker = Connection::open(&state).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let rt = runtime();
    rt.block_on(async {
        let submit = |i: usize| {
            let inbox = inbox.clone();
            tokio::spawn(async move { inbox.submit("edit", &format!("c{i}"), "{}".into()).await })
        };
        let first = submit(0);
        // The writer takes the first and is held in its commit; two more fill the queue.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let queued = [submit(1), submit(2)];
        tokio::time::sleep(Duration::from_millis(100)).await;
        let refused = inbox.submit("edit", "c3", "{}".into()).await;
        assert_eq!(refused, Err(Refused::Busy));
        blocker.execute_batch("COMMIT").unwrap();
        assert!(first.await.unwrap().is_ok());
        for q in queued {
            assert!(q.await.unwrap().is_ok());
        }
    });
    inbox.stop();
    let c = Connection::open(&state).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM inbox", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3, "the refused one was not stored, the others were");
}
