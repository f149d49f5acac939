//! The sandbox's data: contacts in creation order with an id index and each
//! contact's read-model JSON rendered once (so a page of 500 is a concatenation,
//! not 500 serialisations), staff, and event subscriptions. Changes go to the
//! SQLite file first (when there is one), then to memory, so memory never holds
//! what the file does not.

use super::db::{Db, StoreError};
use super::wire::{self, Staff, Subscription, SubscriptionState};
use crate::model::Contact;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// A stored contact and its rendering.
#[derive(Debug)]
pub struct Record {
    pub contact: Contact,
    pub json: Arc<str>,
}

impl Record {
    fn new(contact: Contact) -> Record {
        let json: Arc<str> = wire::contact_json(&contact).to_string().into();
        Record { contact, json }
    }
}

#[derive(Debug, Default)]
pub struct Store {
    db: Option<Db>,
    order: Vec<String>,
    contacts: HashMap<String, Record>,
    staff_order: Vec<String>,
    staff: HashMap<String, Staff>,
    subs: BTreeMap<Subscription, SubscriptionState>,
}

impl Store {
    /// An empty store in memory.
    pub fn in_memory() -> Store {
        Store::default()
    }

    /// The store kept in the SQLite file at `path`, loaded into memory.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let db = Db::open(path)?;
        let unusable = |reason: String| StoreError::Unusable {
            path: path.display().to_string(),
            reason,
        };
        let mut store = Store::default();
        for (i, body) in db.contacts()?.into_iter().enumerate() {
            let value: serde_json::Value = serde_json::from_str(&body)
                .map_err(|e| unusable(format!("contact row {i}: {e}")))?;
            let contact = wire::contact_from_json(&value)
                .map_err(|e| unusable(format!("contact row {i}: {e}")))?;
            store.order.push(contact.id.clone());
            let json: Arc<str> = body.into();
            store
                .contacts
                .insert(contact.id.clone(), Record { contact, json });
        }
        for body in db.staff()? {
            let value: serde_json::Value =
                serde_json::from_str(&body).map_err(|e| unusable(format!("staff row: {e}")))?;
            let s =
                wire::staff_from_json(&value).map_err(|e| unusable(format!("staff row: {e}")))?;
            store.staff_order.push(s.id.clone());
            store.staff.insert(s.id.clone(), s);
        }
        for (kind, enabled, url, updated_at) in db.subscriptions()? {
            if let Some(k) = Subscription::from_path(&kind) {
                store.subs.insert(
                    k,
                    SubscriptionState {
                        enabled,
                        url,
                        updated_at,
                    },
                );
            }
        }
        store.db = Some(db);
        Ok(store)
    }

    pub fn is_persistent(&self) -> bool {
        self.db.is_some()
    }

    /// A saved setting (always `None` in memory).
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        match &self.db {
            Some(db) => db.meta(key),
            None => Ok(None),
        }
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        match &self.db {
            Some(db) => db.set_meta(key, value),
            None => Ok(()),
        }
    }

    /// Live contacts.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The rendered contacts `offset..offset+limit`, in creation order.
    pub fn page(&self, offset: usize, limit: usize) -> Vec<Arc<str>> {
        self.order
            .iter()
            .skip(offset)
            .take(limit)
            .filter_map(|id| self.contacts.get(id).map(|r| r.json.clone()))
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<&Contact> {
        self.contacts.get(id).map(|r| &r.contact)
    }

    /// Every live contact, in creation order.
    pub fn contacts(&self) -> impl Iterator<Item = &Contact> {
        self.order.iter().filter_map(|id| self.get(id))
    }

    /// Adds new contacts at the end, or replaces existing ones in place, and
    /// removes `remove`, all in one transaction.
    pub fn write(&mut self, upserts: Vec<Contact>, remove: &[String]) -> Result<(), StoreError> {
        let records: Vec<Record> = upserts.into_iter().map(Record::new).collect();
        if let Some(db) = &mut self.db {
            let rows: Vec<(&str, &str)> = records
                .iter()
                .map(|r| (r.contact.id.as_str(), r.json.as_ref()))
                .collect();
            let dels: Vec<&str> = remove.iter().map(String::as_str).collect();
            db.write_contacts(&rows, &dels)?;
        }
        for r in records {
            let id = r.contact.id.clone();
            if self.contacts.insert(id.clone(), r).is_none() {
                self.order.push(id);
            }
        }
        if !remove.is_empty() {
            for id in remove {
                self.contacts.remove(id);
            }
            self.order.retain(|id| self.contacts.contains_key(id));
        }
        Ok(())
    }

    pub fn staff(&self, id: &str) -> Option<&Staff> {
        self.staff.get(id)
    }

    /// Every staff member, in creation order.
    pub fn all_staff(&self) -> impl Iterator<Item = &Staff> {
        self.staff_order.iter().filter_map(|id| self.staff.get(id))
    }

    /// Adds staff, or replaces them by id.
    pub fn write_staff(&mut self, staff: Vec<Staff>) -> Result<(), StoreError> {
        if let Some(db) = &mut self.db {
            let bodies: Vec<(String, String)> = staff
                .iter()
                .map(|s| (s.id.clone(), wire::staff_json(s).to_string()))
                .collect();
            let rows: Vec<(&str, &str)> = bodies
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            db.write_staff(&rows)?;
        }
        for s in staff {
            if self.staff.insert(s.id.clone(), s.clone()).is_none() {
                self.staff_order.push(s.id);
            }
        }
        Ok(())
    }

    pub fn subscription(&self, kind: Subscription) -> Option<&SubscriptionState> {
        self.subs.get(&kind)
    }

    pub fn subscriptions(&self) -> &BTreeMap<Subscription, SubscriptionState> {
        &self.subs
    }

    pub fn set_subscription(
        &mut self,
        kind: Subscription,
        state: SubscriptionState,
    ) -> Result<(), StoreError> {
        if let Some(db) = &self.db {
            db.save_subscription(&(
                kind.path().to_string(),
                state.enabled,
                state.url.clone(),
                state.updated_at.clone(),
            ))?;
        }
        self.subs.insert(kind, state);
        Ok(())
    }
}
