//! A sync "world" in memory for the engine's tests: a list (`MemoryStore`), CINNOX
//! (`MemoryRemote`), an in-memory state file, a mapping and policies.
#![allow(dead_code)]

use cinnox_sync::engine::{MemoryRemote, Policy, RunOptions, SyncRun};
use cinnox_sync::mapping::Mapping;
use cinnox_sync::model::{Contact, FieldId, FieldValues};
use cinnox_sync::sources::Table;
use cinnox_sync::sources::memory::MemoryStore;
use cinnox_sync::state::{FixedClock, StateStore};
use std::sync::Arc;

pub const MAPPING: &str = r#"
id_column = "CINNOX ID"
status_column = "Sync Status"
match_keys = ["email", "phone"]
required = ["firstName"]
[columns]
"First Name" = "firstName"
"Last Name" = "lastName"
"Email" = "email"
"Mobile" = "mobilePhone"
"Company" = "companyName"
"Job Title" = "jobTitle"
"Owner" = "ownerName"
"Owner ID" = "ownerId"
[sync]
conflict = "report"
[sync.fields.ownerName]
direction = "from-cinnox"
[sync.fields.ownerId]
direction = "from-cinnox"
"#;

pub const HEADER: [&str; 10] = [
    "First Name",
    "Last Name",
    "Email",
    "Mobile",
    "Company",
    "Job Title",
    "Owner",
    "Owner ID",
    "CINNOX ID",
    "Sync Status",
];

pub struct World {
    pub store: MemoryStore,
    pub remote: MemoryRemote,
    pub state: StateStore,
    pub mapping: Mapping,
    pub policy: Policy,
    rt: tokio::runtime::Runtime,
    run: i64,
}

pub fn contact(id: &str, fields: &[(FieldId, &str)]) -> Contact {
    Contact {
        id: id.into(),
        values: fields
            .iter()
            .map(|(f, v)| (*f, *v))
            .collect::<FieldValues>(),
        ..Default::default()
    }
}

/// A row in `HEADER` order from `(header, value)` pairs.
pub fn row(cells: &[(&str, &str)]) -> Vec<String> {
    HEADER
        .iter()
        .map(|h| {
            cells
                .iter()
                .find(|(k, _)| k == h)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        })
        .collect()
}

impl World {
    pub fn new(rows: Vec<Vec<String>>, contacts: Vec<Contact>) -> World {
        Self::with_mapping(MAPPING, &HEADER, rows, contacts)
    }

    /// A world with another mapping and header.
    pub fn with_mapping(
        mapping: &str,
        header: &[&str],
        rows: Vec<Vec<String>>,
        contacts: Vec<Contact>,
    ) -> World {
        let n = rows.len();
        let table = Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows,
            row_numbers: (2..n + 2).collect(),
            ..Table::default()
        };
        let clock = Arc::new(FixedClock(chrono::DateTime::UNIX_EPOCH));
        World {
            store: MemoryStore::new(table),
            remote: MemoryRemote::new(contacts),
            state: StateStore::in_memory(clock).unwrap(),
            mapping: Mapping::parse(mapping, "test").unwrap(),
            policy: Policy::default(),
            rt: tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap(),
            run: 0,
        }
    }

    pub fn sync(&mut self) -> SyncRun {
        self.sync_with(RunOptions::default())
    }

    pub fn sync_with(&mut self, opts: RunOptions) -> SyncRun {
        self.run += 1;
        let run = self.run;
        let World {
            store,
            remote,
            state,
            mapping,
            policy,
            rt,
            ..
        } = self;
        rt.block_on(cinnox_sync::engine::run::sync(
            store, remote, state, run, mapping, policy, opts,
        ))
        .expect("sync run")
    }

    /// Syncs, then checks that a second sync right after writes nothing anywhere.
    pub fn sync_settled(&mut self) -> SyncRun {
        let first = self.sync_with(RunOptions {
            force: true,
            ..Default::default()
        });
        let (writes, calls) = (self.store.writes, self.remote.calls);
        let second = self.sync();
        assert!(second.guard.is_none(), "{:?}", second.guard);
        assert!(
            second.plan.writes_nothing(),
            "a sync after a sync must plan nothing: {:#?}",
            second.plan.records
        );
        assert_eq!(self.store.writes, writes, "second sync wrote the list");
        assert_eq!(self.remote.calls.create, calls.create);
        assert_eq!(self.remote.calls.update, calls.update);
        first
    }

    pub fn table(&self) -> &Table {
        &self.store.table
    }

    pub fn col(&self, name: &str) -> usize {
        self.table()
            .column(name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }

    pub fn cell(&self, r: usize, name: &str) -> &str {
        let c = self.col(name);
        self.table().rows[r]
            .get(c)
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn set_cell(&mut self, r: usize, name: &str, v: &str) {
        let c = self.col(name);
        let row = &mut self.store.table.rows[r];
        row.resize(row.len().max(c + 1), String::new());
        row[c] = v.to_string();
    }

    /// The index of the row whose id cell is `id`.
    pub fn row_of(&self, id: &str) -> Option<usize> {
        let c = self.col("CINNOX ID");
        self.table()
            .rows
            .iter()
            .position(|r| r.get(c).map(String::as_str) == Some(id))
    }

    pub fn contact(&self, id: &str) -> &Contact {
        self.remote
            .get(id)
            .unwrap_or_else(|| panic!("no contact {id}"))
    }

    pub fn set_contact(&mut self, id: &str, f: FieldId, v: &str) {
        let c = self
            .remote
            .contacts
            .iter_mut()
            .find(|c| c.id == id)
            .unwrap();
        c.values.set(f, v);
    }
}
pub mod sandbox;
