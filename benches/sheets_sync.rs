//! Benchmark: a sync of 10,000 linked rows of a Google Sheet with 100 records
//! changed (40 cells edited in the sheet, 40 contacts edited in CINNOX, 10 new rows
//! in the sheet, 10 new contacts in CINNOX), then a no-op sync, in process: the
//! real `SheetsStore` (google-sheets4 hub, yup-oauth2 `ServiceAccountAuthenticator`
//! with the throwaway test key) against the loopback fake, and the CINNOX client
//! against a sandbox on loopback (pacing off). It asserts what the issue asks:
//! the changed sync makes exactly one read, one batchUpdate and at most one
//! append; the no-op sync makes zero write requests. Medians of several rounds.
//!
//!     cargo bench --bench sheets_sync             # 10,000 rows, 5 rounds
//!     cargo bench --bench sheets_sync -- 2000 3   # N, rounds

#[path = "../tests/it/support/mod.rs"]
mod support;

use cinnox_sync::cinnox::CinnoxClient;
use cinnox_sync::engine::Policy;
use cinnox_sync::engine::run::{RunOptions, SyncRun, sync};
use cinnox_sync::mapping::Mapping;
use cinnox_sync::model::{Contact, FieldId};
use cinnox_sync::sandbox::{self, SandboxConfig};
use cinnox_sync::sources::sheets::SheetsStore;
use cinnox_sync::state::{StateStore, SystemClock};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::fake_sheets::{Cell, Counts};
use support::{BOOK, World};

const TAB: &str = "Contacts #1";

struct Bench {
    sb: sandbox::RunningSandbox,
    world: World,
    store: SheetsStore,
    client: CinnoxClient,
    state: StateStore,
    mapping: Mapping,
    header: Vec<String>,
}

impl Bench {
    /// One sync, timed, with the fake's counts of it.
    async fn sync(&mut self) -> (SyncRun, Counts, Duration) {
        self.world.fake.reset_counts();
        let run_id = self.state.begin_run("sync").expect("run");
        let opts = RunOptions {
            force: true,
            ..RunOptions::default()
        };
        let t = Instant::now();
        let run = sync(
            &mut self.store,
            &mut self.client,
            &mut self.state,
            run_id,
            &self.mapping,
            &Policy::default(),
            opts,
        )
        .await
        .expect("sync");
        let took = t.elapsed();
        (run, self.world.fake.counts(), took)
    }

    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).expect("column")
    }

    /// The id in the sheet's data row `i` (0-based).
    fn id_at(&self, i: usize) -> String {
        let c = self.col("CINNOX ID");
        self.world.fake.with_tab(BOOK, TAB, |t| {
            t.rows[i + 1].get(c).map(Cell::shown).unwrap_or_default()
        })
    }

    /// 100 changed records, on rows no earlier round touched.
    fn change(&self, round: usize) {
        let sb_edit = |id: &str, v: String| {
            self.sb
                .sandbox()
                .edit(id, &[(FieldId::CompanyName, v)])
                .expect("edit");
        };
        let base = round * 100;
        let job_title = self.col("Job Title");
        for i in 0..40 {
            let cell = Cell::text(&format!("Lead {round}-{i}"));
            self.world
                .fake
                .type_cell(BOOK, TAB, base + i + 1, job_title, cell);
        }
        for i in 40..80 {
            sb_edit(&self.id_at(base + i), format!("Edited {round}-{i}"));
        }
        let (first, email) = (self.col("First Name"), self.col("Email"));
        let width = self.header.len();
        self.world.fake.with_tab(BOOK, TAB, |t| {
            for i in 0..10 {
                let mut row = vec![Cell::text(""); width];
                row[first] = Cell::text(&format!("New{round}x{i}"));
                row[email] = Cell::text(&format!("new{round}x{i}@bench.example"));
                t.rows.push(row);
            }
        });
        let fresh = (0..10)
            .map(|i| {
                let mut c = Contact::default();
                c.values.set(FieldId::FirstName, format!("Cin{round}x{i}"));
                c.values
                    .set(FieldId::Email, format!("cin{round}x{i}@bench.example"));
                c
            })
            .collect();
        self.sb.sandbox().seed_contacts(fresh, false).expect("seed");
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(10_000);
    let rounds = args.get(1).copied().unwrap_or(5);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(n, rounds));
}

async fn run(n: usize, rounds: usize) {
    let running = sandbox::start(SandboxConfig {
        rate_limit: None,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    running.sandbox().generate_contacts(n, false).expect("seed");
    let mut config = running.client_config();
    config.requests_per_minute = None;
    let client = CinnoxClient::new(config).expect("client");

    let world = World::new().await;
    let wide = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/wide.toml");
    let mapping = Mapping::load(Path::new(wide)).expect("wide.toml");
    let mut header = mapping.headers();
    header.push("Sync Status".into());
    world.fake.add_tab(
        BOOK,
        TAB,
        vec![header.iter().map(|h| Cell::text(h)).collect()],
    );
    let store = SheetsStore::connect(world.config(TAB))
        .await
        .expect("store");
    let state = StateStore::open_for_run(
        &world.dir.path().join("bench.state.db"),
        Arc::new(SystemClock),
    )
    .expect("state");
    let mut b = Bench {
        sb: running,
        world,
        store,
        client,
        state,
        mapping,
        header,
    };
    assert!(
        rounds * 100 + 100 <= n,
        "{n} rows are too few for {rounds} rounds"
    );

    // Setup: the first sync appends every contact as a row and links it.
    let (first, c, took) = b.sync().await;
    assert_eq!(
        first.plan.counts.rows_appended, n,
        "{:?}",
        first.plan.counts
    );
    println!(
        "setup: first sync of {n} contacts into an empty tab in {:.2} s ({} appends: \
         requests are split above 2 MB)",
        took.as_secs_f64(),
        c.appends
    );

    let (mut changed, mut quiet) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        b.change(round);
        let (run, c, took) = b.sync().await;
        let report = run.report.as_ref().expect("applied");
        assert_eq!(
            (report.created, report.updated),
            (10, 40),
            "round {round}: {:?}",
            run.plan.counts
        );
        assert_eq!(
            (
                c.reads,
                c.batch_updates,
                c.meta_reads,
                c.structural,
                c.updates
            ),
            (1, 1, 0, 0, 0),
            "round {round}: exactly one read and one batchUpdate: {c:?}"
        );
        assert!(c.appends <= 1, "round {round}: at most one append: {c:?}");
        println!(
            "round {round}: 100 changed records -> {} read, {} batchUpdate, {} append; \
             {} CINNOX creates, {} updates; {} rows written; {:.3} s",
            c.reads,
            c.batch_updates,
            c.appends,
            report.created,
            report.updated,
            report.rows_written,
            took.as_secs_f64()
        );
        changed.push(took);
        let (run, c, took) = b.sync().await;
        assert!(
            run.plan.writes_nothing(),
            "round {round}: {:?}",
            run.plan.counts
        );
        assert_eq!(
            (c.reads, c.writes()),
            (1, 0),
            "round {round}: a no-op sync makes zero write requests: {c:?}"
        );
        println!(
            "round {round}: no-op sync -> {} read, {} write requests; {:.3} s",
            c.reads,
            c.writes(),
            took.as_secs_f64()
        );
        quiet.push(took);
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "sheet of {n} linked rows <-> sandbox, in process, {rounds} rounds: \
         sync with 100 changes median {:.3} s; no-op sync median {:.3} s (load average {})",
        median(changed).as_secs_f64(),
        median(quiet).as_secs_f64(),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}
