//! Crash safety of the engine on in-memory sides: a create whose answer is lost, a
//! run stopped by CINNOX midway, and a run that dies after its creates but before
//! the list is written. Each time the next run finds the contacts again through the
//! journal: no duplicate, every id written back. (The SIGKILL test of the real
//! binary is `crash::sigkill`.)

use crate::sync_support;

use cinnox_sync::engine::{Action, RunOptions};
use cinnox_sync::sources::{Edit, SourceError, Store, Table, WriteReport};
use sync_support::{World, row};

/// Rows with no match key (no email, no phone): only the journal can tell a lost
/// create from a row never sent.
fn keyless(n: usize) -> World {
    World::new(
        (0..n)
            .map(|i| row(&[("First Name", &format!("P{i}"))]))
            .collect(),
        vec![],
    )
}

fn assert_converged(w: &World, n: usize) {
    assert_eq!(w.remote.contacts.len(), n, "a duplicate contact was made");
    for r in 0..n {
        let id = w.cell(r, "CINNOX ID");
        assert!(!id.is_empty(), "row {r} has no id");
        assert_eq!(
            w.contact(id)
                .values
                .get(cinnox_sync::model::FieldId::FirstName),
            format!("P{r}")
        );
    }
}

#[test]
fn a_lost_create_answer_is_found_again_not_repeated() {
    let mut w = keyless(3);
    w.remote.lose_create_answers.insert(2);
    let run = w.sync();
    let rep = run.report.unwrap();
    assert_eq!((rep.created, rep.unknown.len()), (2, 1));
    assert_eq!(w.remote.contacts.len(), 3, "the lost create was made");
    assert_eq!(w.cell(1, "CINNOX ID"), "");
    let run = w.sync_settled();
    assert_eq!(run.plan.counts.creates, 0);
    assert!(run.plan.records.iter().any(|r| {
        r.actions
            .iter()
            .any(|a| matches!(a, Action::Link { how, .. } if how.contains("interrupted run")))
    }));
    assert_converged(&w, 3);
}

#[test]
fn a_run_stopped_midway_keeps_what_it_did() {
    for k in 0..5 {
        let mut w = keyless(5);
        w.remote.die_after_writes = Some(k);
        let rep = w.sync().report.unwrap();
        assert!(rep.fatal.is_some());
        assert_eq!(rep.created, k);
        w.remote.die_after_writes = None;
        w.sync_settled();
        assert_converged(&w, 5);
    }
}

/// A store whose writes fail: the process "dies" after the remote writes, before
/// the list is written.
struct Broken<'a>(&'a mut cinnox_sync::sources::memory::MemoryStore);

impl Store for Broken<'_> {
    fn describe(&self) -> String {
        "broken list".into()
    }
    async fn read(&mut self) -> Result<Table, SourceError> {
        self.0.read().await
    }
    async fn write(&mut self, _: &Table, _: &[Edit]) -> Result<WriteReport, SourceError> {
        Err(SourceError::Io {
            what: "broken list".into(),
            cause: std::io::Error::other("disk gone"),
        })
    }
}

#[test]
fn creates_made_before_the_list_was_written_are_linked_next_run() {
    let mut w = keyless(4);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut broken = Broken(&mut w.store);
    let err = rt
        .block_on(cinnox_sync::engine::run::sync(
            &mut broken,
            &mut w.remote,
            &mut w.state,
            1,
            &w.mapping,
            &w.policy,
            RunOptions::default(),
        ))
        .unwrap_err();
    assert!(err.to_string().contains("disk gone"));
    assert_eq!(w.remote.contacts.len(), 4);
    assert_eq!(w.state.pending_creates().unwrap().len(), 4);
    let run = w.sync_settled();
    assert_eq!(run.plan.counts.creates, 0);
    assert_converged(&w, 4);
    assert!(w.state.pending_creates().unwrap().is_empty());
}
