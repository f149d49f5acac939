//! Benchmark: `engine::plan` over N linked contacts (wide.toml layout) with 1% of the
//! records edited in the list and another 1% edited in CINNOX. Data is generated in
//! memory. Prints the median of several runs per size and checks it against the
//! target (issue 4: 100,000 in <= 1 s, 1,000,000 in <= 10 s, i.e. 1 s per 100,000
//! contacts, the scale other sizes are checked at); exits 1 when a target fails.
//!
//!     cargo bench --bench engine_plan               # 100,000 and 1,000,000
//!     cargo bench --bench engine_plan -- 10000 5    # N, runs

use cinnox_sync::engine::{PlanInput, Policy, Snapshot, SyncColumns, plan};
use cinnox_sync::mapping::Mapping;
use cinnox_sync::model::{Contact, FieldId as F, FieldValues};
use cinnox_sync::sources::Table;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The target: 1 s per 100,000 linked contacts.
const TARGET_PER_100K: Duration = Duration::from_secs(1);

struct Data {
    table: Table,
    contacts: Vec<Contact>,
    snapshot: Snapshot,
}

fn values(i: usize) -> FieldValues {
    [
        (F::FirstName, format!("First{i}")),
        (F::LastName, format!("Last{i}")),
        (F::MobilePhone, format!("+8529123{:04}", i % 10_000)),
        (F::Email, format!("user{i}@example.com")),
        (F::CompanyName, format!("Company {}", i % 1000)),
        (F::JobTitle, "Manager".to_string()),
        (F::Level, "Primary".to_string()),
        (F::CustomerType, "Customer".to_string()),
        (F::City, "Hong Kong".to_string()),
    ]
    .into_iter()
    .collect()
}

fn generate(n: usize, mapping: &Mapping) -> Data {
    let mut header = mapping.headers();
    header.push("Sync Status".into());
    let cols = mapping
        .resolve(&header, "bench")
        .expect("wide mapping resolves");
    let mut table = Table {
        header,
        ..Table::default()
    };
    let mut contacts = Vec::with_capacity(n);
    let mut snapshot = Snapshot::default();
    for i in 0..n {
        let id = format!("c{i:07}");
        let v = values(i);
        let mut cells = cols.new_row(&id, &v);
        if let Some(s) = cols.status_col {
            cells[s] = "ok".into();
        }
        let mut contact_values = v.clone();
        let mut row = cells;
        // 1% edited in the list, another 1% edited in CINNOX.
        if i % 100 == 0 {
            let c = cols.field_col(F::JobTitle).expect("job title column");
            row[c] = "Director".into();
        } else if i % 100 == 50 {
            contact_values.set(F::CompanyName, "Renamed Ltd");
        }
        table.rows.push(row);
        table.row_numbers.push(i + 2);
        snapshot.links.insert(id.clone(), v);
        contacts.push(Contact {
            id,
            values: contact_values,
            ..Contact::default()
        });
    }
    Data {
        table,
        contacts,
        snapshot,
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Plans `runs` times; answers whether the median met the target.
fn bench(n: usize, runs: usize, mapping: &Mapping) -> bool {
    let data = generate(n, mapping);
    let columns = SyncColumns::resolve(mapping, &data.table.header, "bench").expect("columns");
    let policy = Policy::default();
    let input = PlanInput {
        table: &data.table,
        columns: &columns,
        mapping,
        contacts: &data.contacts,
        staff: &[],
        state: &data.snapshot,
        policy: &policy,
    };
    let mut times = Vec::new();
    let mut counts = None;
    for _ in 0..runs {
        let t = Instant::now();
        let p = plan(&input);
        times.push(t.elapsed());
        counts = Some(p.counts);
    }
    let c = counts.expect("at least one run");
    assert_eq!(c.updates, n.div_ceil(100), "one update per list edit");
    assert_eq!(
        c.rows_changed,
        n / 100 + usize::from(n % 100 > 50),
        "one row change per CINNOX edit"
    );
    let median = median(times);
    let target = TARGET_PER_100K.mul_f64(n as f64 / 100_000.0);
    let ok = median <= target;
    println!(
        "plan {n:>9} linked contacts, 1%+1% edits: median {:>8.3} s over {runs} runs (updates {}, rows changed {}); target <= {:.3} s: {}",
        median.as_secs_f64(),
        c.updates,
        c.rows_changed,
        target.as_secs_f64(),
        if ok { "PASS" } else { "FAIL" }
    );
    ok
}

fn main() -> ExitCode {
    let mapping = Mapping::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/mappings/wide.toml"
    )))
    .expect("wide.toml");
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let ok = match args.as_slice() {
        [n, runs, ..] => bench(*n, *runs, &mapping),
        [n] => bench(*n, 5, &mapping),
        [] => {
            let small = bench(100_000, 7, &mapping);
            bench(1_000_000, 3, &mapping) && small
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
