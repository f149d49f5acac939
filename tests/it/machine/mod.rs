//! A state-machine property test of the whole engine on its in-memory seams, the
//! way vdirsyncer's `SyncMachine` tests its sync: random sequences of steps on
//! both sides (edits, rows added for new or known people, rows deleted and sorted,
//! contacts added, deleted, merged and transferred) and runs, some with a failure
//! injected in CINNOX (a refused write, a 5xx after retries, a lost create answer,
//! a run stopped by CINNOX, a crash between the journal and the settle). After
//! every run the oracle (`oracle`) checks: no doomed write, no required field
//! blanked, no person twice, no lost edit; a sync right after a clean sync plans
//! nothing; and once failures stop, both sides converge.

mod layout;
mod oracle;
mod world;

use cinnox_sync::engine::Policy;
use cinnox_sync::mapping::ConflictPolicy;
use oracle::Made;
use proptest::prelude::*;
use world::World;

/// A failure injected into a run, at its k-th write (1-based).
#[derive(Clone, Debug)]
enum Fault {
    /// CINNOX refuses the write (6451000).
    Refuse(usize),
    /// The write fails without reaching CINNOX (5xx, retries exhausted).
    Fail(usize),
    /// The create is made but its answer is lost.
    LoseCreate(usize),
    /// CINNOX stops the run (authentication, a broken server) after k writes.
    Stop(usize),
    /// The process dies right after journalling the k-th write: `reached` says
    /// whether that write reached CINNOX before it died. The list is not written.
    Crash(usize, bool),
}

#[derive(Clone, Debug)]
enum Op {
    EditRow(usize, usize, usize),
    EditContact(usize, usize, usize),
    /// A new row: a new person, or the email of a row (`true`) or a contact.
    AddRow(Option<(bool, usize)>),
    AddContact(usize),
    DeleteRow(usize),
    DeleteContact(usize),
    Merge(usize, usize),
    Transfer(usize, usize),
    Sort(usize),
    Run(Option<Fault>),
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        (1usize..4).prop_map(Fault::Refuse),
        (1usize..4).prop_map(Fault::Fail),
        (1usize..3).prop_map(Fault::LoseCreate),
        (0usize..3).prop_map(Fault::Stop),
        (1usize..4, any::<bool>()).prop_map(|(k, r)| Fault::Crash(k, r)),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let i = || 0usize..16;
    prop_oneof![
        4 => (i(), i(), i()).prop_map(|(a, b, c)| Op::EditRow(a, b, c)),
        3 => (i(), i(), i()).prop_map(|(a, b, c)| Op::EditContact(a, b, c)),
        2 => prop::option::of((any::<bool>(), i())).prop_map(Op::AddRow),
        1 => i().prop_map(Op::AddContact),
        1 => i().prop_map(Op::DeleteRow),
        1 => i().prop_map(Op::DeleteContact),
        1 => (i(), i()).prop_map(|(a, b)| Op::Merge(a, b)),
        1 => (i(), i()).prop_map(|(a, b)| Op::Transfer(a, b)),
        1 => i().prop_map(Op::Sort),
        4 => prop::option::weighted(0.4, fault()).prop_map(Op::Run),
    ]
}

const POLICIES: [ConflictPolicy; 3] = [
    ConflictPolicy::Report,
    ConflictPolicy::CinnoxWins,
    ConflictPolicy::SourceWins,
];

/// Runs one sync, with `fault` injected, and checks what must hold after it.
fn step_run(w: &mut World, made: &mut Made, fault: Option<Fault>) -> Result<(), String> {
    let before = w.store.table.clone();
    let calls = w.remote.calls;
    let writes = calls.create + calls.update;
    match &fault {
        Some(Fault::Refuse(k)) => {
            w.remote.refuse_writes.insert(writes + k);
        }
        Some(Fault::Fail(k)) => {
            w.remote.fail_writes.insert(writes + k);
        }
        Some(Fault::LoseCreate(k)) => {
            w.remote.lose_create_answers.insert(calls.create + k);
        }
        Some(Fault::Stop(k)) => w.remote.die_after_writes = Some(writes + k),
        Some(Fault::Crash(k, reached)) => {
            w.state.crash_after(*k);
            w.remote.die_after_writes = Some(writes + k - usize::from(!reached));
        }
        None => {}
    }
    let run = w.sync();
    w.remote.refuse_writes.clear();
    w.remote.fail_writes.clear();
    w.remote.lose_create_answers.clear();
    w.remote.die_after_writes = None;
    w.state.crash_after_sends = None;
    let crashed = match w.state.crashed.take() {
        Some(then) => {
            // What the killed process left: the state as journalled, the list unwritten.
            w.state = *then;
            w.store.table = before.clone();
            true
        }
        None => false,
    };
    oracle::invariants(w, made)?;
    oracle::edits(w, &before, &run, crashed)?;
    w.agree();
    if fault.is_none() {
        // A sync right after a clean sync plans nothing and writes nothing.
        let (before, was) = (w.store.table.clone(), w.writes());
        let again = w.sync();
        if !again.plan.writes_nothing() || w.writes() != was {
            return Err(format!(
                "a sync after a sync planned writes: {:#?}",
                again.plan.records
            ));
        }
        oracle::edits(w, &before, &again, false)?;
        w.agree();
    }
    Ok(())
}

fn play(policy: usize, ops: Vec<Op>) -> Result<(), String> {
    let mut w = World::new(Policy {
        conflict: Some(POLICIES[policy]),
        ..Policy::default()
    });
    let mut made = Made::default();
    w.add_row(None);
    w.add_contact(0);
    w.agree();
    for op in ops {
        match op {
            Op::EditRow(r, f, v) => w.edit_row(r, f, v),
            Op::EditContact(c, f, v) => w.edit_contact(c, f, v),
            Op::AddRow(of) => w.add_row(of),
            Op::AddContact(o) => w.add_contact(o),
            Op::DeleteRow(r) => w.delete_row(r),
            Op::DeleteContact(c) => w.delete_contact(c),
            Op::Merge(a, b) => w.merge(a, b),
            Op::Transfer(c, o) => w.transfer(c, o),
            Op::Sort(by) => w.sort(by),
            Op::Run(fault) => step_run(&mut w, &mut made, fault)?,
        }
    }
    // Failures stop: the sides settle within a few runs, then rest.
    let mut last = None;
    for _ in 0..4 {
        let before = w.store.table.clone();
        let run = w.sync();
        oracle::invariants(&w, &mut made)?;
        oracle::edits(&mut w, &before, &run, false)?;
        w.agree();
        let quiet = run.plan.writes_nothing();
        last = Some(run);
        if quiet {
            break;
        }
    }
    let last = last.unwrap();
    if !last.plan.writes_nothing() {
        return Err(format!("no rest after four runs: {:#?}", last.plan.records));
    }
    oracle::converged(&w, &last)
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

proptest! {
    // 256 cases run in a few seconds; PROPTEST_CASES=5000 searches harder. Found
    // failures are kept in tests/proptest-regressions/machine/mod.txt and replayed.
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn the_engine_keeps_its_promises_under_any_sequence(
        policy in 0usize..3,
        ops in prop::collection::vec(op(), 1..30),
    ) {
        let verdict = play(policy, ops);
        prop_assert!(verdict.is_ok(), "{}", verdict.unwrap_err());
    }
}
