//! The machine's world: a list (`MemoryStore`), CINNOX (`MemoryRemote`) and the
//! state (`MemoryCheckpoints`), all in memory, and the steps a person and CINNOX
//! take on them: edits on both sides, rows added (new, or for a person already in
//! the list or in CINNOX), rows deleted and sorted, contacts added, deleted, merged
//! and transferred in the dashboard. Every row and contact carries a token of its
//! own in `Last Name`, which nobody edits: it tells which row a contact was made
//! from. Each edit is remembered as pending, for the oracle.

use cinnox_sync::engine::sync::compare::form;
use cinnox_sync::engine::{MemoryCheckpoints, MemoryRemote, Policy, RunOptions, Staff, SyncRun};
use cinnox_sync::mapping::Mapping;
use cinnox_sync::model::{Contact, FieldId as F, FieldId, FieldValues};
use cinnox_sync::sources::Table;
use cinnox_sync::sources::memory::MemoryStore;
use std::collections::{BTreeMap, HashMap};

pub use super::layout::{FIELDS, HEADER, MAPPING, col};

pub struct World {
    pub store: MemoryStore,
    pub remote: MemoryRemote,
    pub state: MemoryCheckpoints,
    pub mapping: Mapping,
    pub policy: Policy,
    rt: tokio::runtime::Runtime,
    run: i64,
    next: usize,
    /// List edits not yet seen through: (row token, field) → value (compare form).
    pub pending_list: BTreeMap<(String, FieldId), String>,
    /// CINNOX edits not yet seen through: (contact id, field) → value.
    pub pending_cinnox: BTreeMap<(String, FieldId), String>,
    /// Each row (by token) and contact as the last run left it (or as it was made
    /// since): for a pair not linked, an edit is a value that differs from it
    /// (typing it back undoes it); for a linked pair, one that differs from the
    /// link's base, what both sides last agreed on.
    agreed_rows: HashMap<String, Vec<String>>,
    agreed_contacts: HashMap<String, FieldValues>,
}

impl World {
    pub fn new(policy: Policy) -> World {
        let mut remote = MemoryRemote::new(Vec::new());
        remote.staff = (1..=2)
            .map(|i| Staff {
                id: format!("s{i}"),
                name: format!("Staff {i}"),
            })
            .collect();
        World {
            store: MemoryStore::new(Table {
                header: HEADER.iter().map(|s| s.to_string()).collect(),
                ..Table::default()
            }),
            remote,
            state: MemoryCheckpoints::new(),
            mapping: Mapping::parse(MAPPING, "machine").unwrap(),
            policy,
            rt: tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap(),
            run: 0,
            next: 0,
            pending_list: BTreeMap::new(),
            pending_cinnox: BTreeMap::new(),
            agreed_rows: HashMap::new(),
            agreed_contacts: HashMap::new(),
        }
    }

    /// Takes both sides as they are now as the reference edits are told by.
    pub fn agree(&mut self) {
        self.agreed_rows = self
            .rows()
            .iter()
            .map(|r| (r[col("Last Name")].clone(), r.clone()))
            .collect();
        self.agreed_contacts = self
            .remote
            .contacts
            .iter()
            .map(|c| (c.id.clone(), c.values.clone()))
            .collect();
    }

    fn token(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    pub fn rows(&self) -> &[Vec<String>] {
        &self.store.table.rows
    }

    fn renumber(&mut self) {
        let n = self.store.table.rows.len();
        self.store.table.row_numbers = (2..n + 2).collect();
    }

    /// A new row: a new person, or the email of a row or of a contact (a person
    /// typed again, or one CINNOX already has).
    pub fn add_row(&mut self, email_of: Option<(bool, usize)>) {
        let t = self.token("T");
        let email = match email_of {
            Some((true, i)) if !self.rows().is_empty() => {
                self.rows()[i % self.rows().len()][col("Email")].clone()
            }
            Some((false, i)) if !self.remote.contacts.is_empty() => {
                let c = &self.remote.contacts[i % self.remote.contacts.len()];
                c.values.get(F::Email).to_string()
            }
            _ => format!("{}@x.hk", t.to_lowercase()),
        };
        let mut cells = vec![String::new(); HEADER.len()];
        cells[col("First Name")] = "Ann".into();
        cells[col("Last Name")] = t.clone();
        cells[col("Email")] = email;
        self.agreed_rows.insert(t.clone(), cells.clone());
        self.store.table.rows.push(cells);
        self.renumber();
    }

    /// A contact made in CINNOX's dashboard: CINNOX stores its default level.
    pub fn add_contact(&mut self, owner: usize) {
        let t = self.token("K");
        let mut values = FieldValues::new();
        values.set(F::FirstName, "Kay");
        values.set(F::LastName, t.clone());
        values.set(F::Email, format!("{}@x.hk", t.to_lowercase()));
        values.set(F::Level, "Primary");
        values.set(F::CustomerType, "Lead");
        let id = format!("k{}", self.next);
        self.agreed_contacts.insert(id.clone(), values.clone());
        self.remote.contacts.push(Contact {
            id,
            values,
            ..Contact::default()
        });
        self.transfer(self.remote.contacts.len() - 1, owner);
    }

    pub fn edit_row(&mut self, r: usize, field: usize, value: usize) {
        if self.rows().is_empty() {
            return;
        }
        let r = r % self.rows().len();
        let (f, name, list, _) = FIELDS[field % FIELDS.len()];
        let v = list[value % list.len()];
        let n = &self.mapping.normaliser;
        let token = self.rows()[r][col("Last Name")].clone();
        let id = self.rows()[r][col("CINNOX ID")].clone();
        // What both sides last agreed on: the link's base, else the row as it was.
        let agreed = match self.state.links.get(&id) {
            Some(base) => base.get(f),
            None => self
                .agreed_rows
                .get(&token)
                .map_or("", |a| a[col(name)].as_str()),
        };
        let old = form(n, f, agreed).into_owned();
        let new = form(n, f, v).into_owned();
        self.store.table.rows[r][col(name)] = v.to_string();
        // An emptied level is unset, not an edit: CINNOX cannot hold it empty. And a
        // row never agreed with CINNOX (no link, whatever its id cell) has no edits
        // yet, only values: an empty cell there is filled on its first link.
        let linked = self.state.links.contains_key(&id);
        let unset = new.is_empty() && (f.cinnox_default().is_some() || !linked);
        if unset || old == new {
            self.pending_list.remove(&(token, f));
        } else {
            self.pending_list.insert((token, f), new);
        }
    }

    pub fn edit_contact(&mut self, c: usize, field: usize, value: usize) {
        if self.remote.contacts.is_empty() {
            return;
        }
        let c = c % self.remote.contacts.len();
        let (f, _, _, cinnox) = FIELDS[field % FIELDS.len()];
        let v = cinnox[value % cinnox.len()];
        let n = self.mapping.normaliser;
        let agreed = match self.base_of(c) {
            Some(base) => base.get(f).to_string(),
            None => {
                let id = &self.remote.contacts[c].id;
                self.agreed_contacts
                    .get(id)
                    .map_or("", |a| a.get(f))
                    .to_string()
            }
        };
        let contact = &mut self.remote.contacts[c];
        let (old, new) = (form(&n, f, &agreed), form(&n, f, v));
        contact.values.set(f, v);
        let key = (contact.id.clone(), f);
        if old == new {
            self.pending_cinnox.remove(&key);
        } else {
            self.pending_cinnox.insert(key, new.into_owned());
        }
    }

    pub fn delete_row(&mut self, r: usize) {
        if self.rows().is_empty() {
            return;
        }
        let r = r % self.rows().len();
        let row = self.store.table.rows.remove(r);
        // Its edits go with it: a person deleting a row drops what it held.
        self.pending_list
            .retain(|(t, _), _| *t != row[col("Last Name")]);
        self.renumber();
    }

    pub fn delete_contact(&mut self, c: usize) {
        if self.remote.contacts.is_empty() {
            return;
        }
        let c = c % self.remote.contacts.len();
        let gone = self.remote.contacts.remove(c);
        self.pending_cinnox.retain(|(id, _), _| *id != gone.id);
    }

    pub fn merge(&mut self, a: usize, b: usize) {
        let n = self.remote.contacts.len();
        if n < 2 || a % n == b % n {
            return;
        }
        let (s, x) = (
            self.remote.contacts[a % n].id.clone(),
            self.remote.contacts[b % n].id.clone(),
        );
        self.remote.merge(&s, &x);
        self.pending_cinnox.retain(|(id, _), _| *id != x);
        // A survivor never linked takes the base of the row relinked to it: what it
        // holds equal to that base is no edit any more.
        let si = self.remote.contacts.iter().position(|c| c.id == s).unwrap();
        if !self.state.links.contains_key(&s)
            && let Some(base) = self.base_of(si).cloned()
        {
            let n = self.mapping.normaliser;
            self.pending_cinnox
                .retain(|(id, f), v| *id != s || *v != form(&n, *f, base.get(*f)));
        }
    }

    /// What the engine will take as contact `c`'s last agreed values: its link's
    /// base, or, for a survivor never linked, the base of the first row holding one
    /// of the ids merged into it (the engine relinks that row to it, with that base).
    fn base_of(&self, c: usize) -> Option<&FieldValues> {
        let contact = &self.remote.contacts[c];
        if let Some(base) = self.state.links.get(&contact.id) {
            return Some(base);
        }
        self.rows().iter().find_map(|r| {
            let id = r[col("CINNOX ID")].trim();
            contact
                .slave_contacts
                .iter()
                .any(|s| s == id)
                .then(|| self.state.links.get(id))
                .flatten()
        })
    }

    pub fn transfer(&mut self, c: usize, owner: usize) {
        if self.remote.contacts.is_empty() {
            return;
        }
        let n = self.remote.contacts.len();
        let s = self.remote.staff[owner % self.remote.staff.len()].clone();
        let v = &mut self.remote.contacts[c % n].values;
        v.set(F::OwnerId, s.id);
        v.set(F::OwnerName, s.name);
    }

    /// Sorts the rows as a person might: reversed, or rotated.
    pub fn sort(&mut self, by: usize) {
        let rows = &mut self.store.table.rows;
        if rows.is_empty() {
            return;
        }
        if by.is_multiple_of(2) {
            rows.reverse();
        } else {
            let k = by % rows.len();
            rows.rotate_left(k);
        }
    }

    /// One sync, forced past the guards (they are not what this machine tests).
    pub fn sync(&mut self) -> SyncRun {
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
        let opts = RunOptions {
            force: true,
            ..RunOptions::default()
        };
        rt.block_on(cinnox_sync::engine::run::sync(
            store, remote, state, run, mapping, policy, opts,
        ))
        .expect("sync run")
    }

    pub fn writes(&self) -> (usize, usize, usize) {
        let c = self.remote.calls;
        (c.create, c.update, self.store.writes)
    }
}
