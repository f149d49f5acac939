//! The engine's in-memory checkpoints behave as this SQLite store does: the same
//! random sequence of checkpoint calls leaves both with the same snapshot and the
//! same known ids, so engine tests on `MemoryCheckpoints` say something about runs
//! on a state file.

use super::*;
use crate::engine::{Checkpoints, JournalState, MemoryCheckpoints, WriteKind};
use crate::model::FieldId;
use proptest::prelude::*;

const IDS: [&str; 4] = ["a", "b", "c", "d"];
const STATES: [JournalState; 9] = [
    JournalState::Sent,
    JournalState::Unknown,
    JournalState::Created,
    JournalState::Done,
    JournalState::Rejected,
    JournalState::Failed,
    JournalState::Found,
    JournalState::NotFound,
    JournalState::Superseded,
];

#[derive(Clone, Debug)]
enum Op {
    SaveLinks(Vec<(usize, usize)>, Vec<usize>),
    Gone(Vec<usize>),
    Deleted(Vec<usize>),
    Send(bool, Option<usize>, usize),
    Settle(usize, usize, Option<usize>),
    Supersede,
}

fn id(i: usize) -> String {
    IDS[i % IDS.len()].to_string()
}

fn values(i: usize) -> FieldValues {
    [(FieldId::FirstName, IDS[i % IDS.len()])]
        .into_iter()
        .collect()
}

fn op() -> impl Strategy<Value = Op> {
    let ids = || proptest::collection::vec(0..4usize, 0..3);
    prop_oneof![
        (
            proptest::collection::vec((0..4usize, 0..4usize), 0..3),
            ids()
        )
            .prop_map(|(u, r)| Op::SaveLinks(u, r)),
        ids().prop_map(Op::Gone),
        ids().prop_map(Op::Deleted),
        (any::<bool>(), proptest::option::of(0..4usize), 0..4usize)
            .prop_map(|(c, id, v)| Op::Send(c, id, v)),
        (0..8usize, 0..9usize, proptest::option::of(0..4usize))
            .prop_map(|(s, st, id)| Op::Settle(s, st, id)),
        Just(Op::Supersede),
    ]
}

fn run(c: &mut impl Checkpoints, op: &Op, sent: &mut Vec<i64>) {
    match op {
        Op::SaveLinks(up, rm) => {
            let up: Vec<_> = up.iter().map(|(i, v)| (id(*i), values(*v))).collect();
            let rm: Vec<_> = rm.iter().map(|i| id(*i)).collect();
            c.save_links(&up, &rm).unwrap();
        }
        Op::Gone(ids) => c
            .remember_gone(&ids.iter().map(|i| id(*i)).collect::<Vec<_>>())
            .unwrap(),
        Op::Deleted(ids) => c
            .remember_deleted_rows(&ids.iter().map(|i| id(*i)).collect::<Vec<_>>())
            .unwrap(),
        Op::Send(create, contact, v) => {
            let kind = if *create {
                WriteKind::Create
            } else {
                WriteKind::Update
            };
            let contact = contact.map(id);
            let seq = c
                .journal_send(1, kind, contact.as_deref(), Some(2), &values(*v))
                .unwrap();
            sent.push(seq);
        }
        Op::Settle(s, st, result) => {
            if let Some(seq) = sent.get(*s) {
                let result = result.map(id);
                c.journal_settle(*seq, STATES[*st], result.as_deref(), Some("m"))
                    .unwrap();
            }
        }
        Op::Supersede => {
            c.supersede_open_updates().unwrap();
        }
    }
}

proptest! {
    #[test]
    fn memory_checkpoints_match_the_state_file(ops in proptest::collection::vec(op(), 0..30)) {
        let clock: Arc<dyn Clock> = Arc::new(FixedClock(chrono::DateTime::UNIX_EPOCH));
        let mut sql = StateStore::in_memory(clock).unwrap();
        let mut mem = MemoryCheckpoints::new();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let all: Vec<String> = IDS.iter().map(|s| s.to_string()).collect();
        for op in &ops {
            run(&mut sql, op, &mut a);
            run(&mut mem, op, &mut b);
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(Checkpoints::snapshot(&sql).unwrap(), mem.snapshot().unwrap());
            prop_assert_eq!(
                Checkpoints::known_ids(&sql, &all).unwrap(),
                mem.known_ids(&all).unwrap()
            );
            prop_assert_eq!(
                Checkpoints::remembered_gone(&sql, &all).unwrap(),
                mem.remembered_gone(&all).unwrap()
            );
        }
    }
}

#[test]
fn a_crash_after_a_send_keeps_the_store_as_it_was_then() {
    let mut mem = MemoryCheckpoints::new();
    mem.crash_after_sends = Some(1);
    let seq = mem
        .journal_send(1, WriteKind::Create, None, Some(2), &values(0))
        .unwrap();
    mem.journal_settle(seq, JournalState::Done, Some("a"), None)
        .unwrap();
    let crashed = mem.crashed.as_deref().unwrap();
    assert_eq!(crashed.snapshot().unwrap().pending_creates.len(), 1);
    assert!(mem.snapshot().unwrap().pending_creates.is_empty());
}
