//! The dashboard-only actions of cinnox-api.md §6 (delete, merge, ownership
//! transfer, a dashboard edit) and the seeding of staff and contacts. Each action
//! changes the store in one transaction and queues the webhook CINNOX would send.

use super::generate;
use super::state::{META_DEFAULT_OWNER, OpError, Sandbox, lock, new_id, set_owner};
use super::wire::{Event, Staff, Subscription};
use crate::model::{Contact, FieldId, FieldValues};
use std::collections::HashSet;

impl Sandbox {
    fn missing(id: &str) -> OpError {
        OpError::NotFound(format!("no external contact with id `{id}`"))
    }

    /// Deletes a contact (a dashboard action: the API cannot delete).
    pub fn delete(&self, id: &str) -> Result<Contact, OpError> {
        let mut store = self.store();
        let c = store.get(id).cloned().ok_or_else(|| Self::missing(id))?;
        store.write(Vec::new(), &[id.to_string()])?;
        drop(store);
        self.notify_contact(self.event("delete", &c));
        Ok(c)
    }

    /// Merges `absorbed` into `survivor`: the survivor's `slaveContacts` gains the
    /// absorbed ids (and the ids they had absorbed before); a field empty on the
    /// survivor takes the first absorbed contact's value; the survivor keeps its
    /// owner; the absorbed contacts disappear.
    pub fn merge(&self, survivor: &str, absorbed: &[String]) -> Result<Contact, OpError> {
        if absorbed.is_empty() {
            return Err(OpError::Invalid(
                "absorbed: name at least one contact".into(),
            ));
        }
        let mut store = self.store();
        let mut s = store
            .get(survivor)
            .cloned()
            .ok_or_else(|| Self::missing(survivor))?;
        let mut seen = HashSet::new();
        let mut gone = Vec::new();
        for id in absorbed {
            if id == survivor {
                return Err(OpError::Invalid(format!(
                    "absorbed: `{id}` is the survivor"
                )));
            }
            if !seen.insert(id.clone()) {
                continue;
            }
            gone.push(store.get(id).cloned().ok_or_else(|| Self::missing(id))?);
        }
        let mut slaves: Vec<String> = s.slave_contacts.clone();
        for a in &gone {
            for id in std::iter::once(&a.id).chain(&a.slave_contacts) {
                if !slaves.contains(id) {
                    slaves.push(id.clone());
                }
            }
            for (f, v) in a.values.iter() {
                if f.is_writable() && !s.values.has(f) {
                    s.values.set(f, v);
                }
            }
            for staff in &a.shared_with {
                if !s.shared_with.contains(staff) {
                    s.shared_with.push(staff.clone());
                }
            }
            for (k, v) in &a.custom {
                s.custom.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        s.slave_contacts = slaves;
        let ids: Vec<String> = gone.into_iter().map(|a| a.id).collect();
        store.write(vec![s.clone()], &ids)?;
        drop(store);
        let mut event = self.event("merge", &s);
        event.merged_ids = ids;
        self.notify_contact(event);
        Ok(s)
    }

    /// Transfers contacts to staff member `to_owner`; one `transfer` event per
    /// contact whose owner changed. Nothing changes unless every id is known.
    pub fn transfer(&self, ids: &[String], to_owner: &str) -> Result<usize, OpError> {
        let mut store = self.store();
        let owner = store
            .staff(to_owner)
            .cloned()
            .ok_or_else(|| OpError::NotFound(format!("no staff member with id `{to_owner}`")))?;
        let mut changed = Vec::new();
        let mut events = Vec::new();
        for id in ids {
            let mut c = store.get(id).cloned().ok_or_else(|| Self::missing(id))?;
            let from = c.values.get(FieldId::OwnerId).to_string();
            if from == owner.id {
                continue;
            }
            set_owner(&mut c, &owner);
            let mut e = self.event("transfer", &c);
            e.from_owner_id = from;
            e.to_owner_id = owner.id.clone();
            events.push(e);
            changed.push(c);
        }
        store.write(changed, &[])?;
        drop(store);
        let n = events.len();
        events.into_iter().for_each(|e| self.notify_contact(e));
        Ok(n)
    }

    /// A dashboard edit: sets the named fields (an empty value clears), checked with
    /// the same rules as the API. Owner fields change only by transfer.
    pub fn edit(&self, id: &str, changes: &[(FieldId, String)]) -> Result<Contact, OpError> {
        let mut given = FieldValues::new();
        for (f, v) in changes {
            if !f.is_writable() {
                return Err(OpError::Invalid(format!(
                    "{f}: not editable here; owners change by transfer"
                )));
            }
            given.set(*f, v.clone());
        }
        super::state::check_values(&given).map_err(OpError::Invalid)?;
        let mut store = self.store();
        let mut c = store.get(id).cloned().ok_or_else(|| Self::missing(id))?;
        for (f, v) in changes {
            c.values.set(*f, v.clone());
        }
        store.write(vec![c.clone()], &[])?;
        drop(store);
        self.notify_contact(self.event("edit", &c));
        Ok(c)
    }

    /// Adds staff (a missing id is generated, a missing status is `Activated`) or
    /// replaces them by id; contacts they own follow the new name and department.
    pub fn seed_staff(&self, staff: Vec<Staff>) -> Result<Vec<String>, OpError> {
        let staff: Vec<Staff> = staff
            .into_iter()
            .map(|mut s| {
                if s.id.trim().is_empty() {
                    s.id = new_id();
                }
                if s.status.trim().is_empty() {
                    s.status = "Activated".into();
                }
                s
            })
            .collect();
        let mut store = self.store();
        let mut events = Vec::new();
        let mut owned = Vec::new();
        for s in &staff {
            let status = if store.staff(&s.id).is_some() {
                "edit"
            } else {
                "create"
            };
            events.push(Event {
                status: status.into(),
                id: s.id.clone(),
                full_name: s.owner_name(),
                service_id: self.app_id.clone(),
                kind: "staff",
                ..Default::default()
            });
            for c in store
                .contacts()
                .filter(|c| c.values.get(FieldId::OwnerId) == s.id)
            {
                let mut c = c.clone();
                set_owner(&mut c, s);
                owned.push(c);
            }
        }
        store.write_staff(staff.clone())?;
        store.write(owned, &[])?;
        if lock(&self.default_owner).is_empty()
            && let Some(first) = staff.first()
        {
            store.set_meta(META_DEFAULT_OWNER, &first.id)?;
            *lock(&self.default_owner) = first.id.clone();
        }
        drop(store);
        for e in events {
            self.notify(&[Subscription::StaffContact], e);
        }
        Ok(staff.into_iter().map(|s| s.id).collect())
    }

    /// Makes staff member `id` the owner of contacts created through the API.
    pub fn set_default_owner(&self, id: &str) -> Result<(), OpError> {
        let store = self.store();
        if store.staff(id).is_none() {
            return Err(OpError::NotFound(format!("no staff member with id `{id}`")));
        }
        store.set_meta(META_DEFAULT_OWNER, id)?;
        *lock(&self.default_owner) = id.to_string();
        Ok(())
    }

    /// Puts contacts straight into the read model, unchecked (so tests can plant
    /// data that breaks the rules). A missing id is generated; a missing owner is
    /// the default owner; a known owner fills the owner name and department.
    /// `notify`: queue a `create` event for each.
    pub fn seed_contacts(
        &self,
        contacts: Vec<Contact>,
        notify: bool,
    ) -> Result<Vec<String>, OpError> {
        let mut store = self.store();
        let default_owner = lock(&self.default_owner).clone();
        let mut ids = HashSet::new();
        let mut out = Vec::with_capacity(contacts.len());
        for mut c in contacts {
            if c.id.trim().is_empty() {
                c.id = new_id();
            }
            if store.get(&c.id).is_some() || !ids.insert(c.id.clone()) {
                return Err(OpError::Invalid(format!("contact id `{}` is taken", c.id)));
            }
            let owner_id = match c.values.get(FieldId::OwnerId) {
                "" => default_owner.clone(),
                given => given.to_string(),
            };
            if let Some(s) = store.staff(&owner_id) {
                let (name, dept) = (s.owner_name(), s.department.clone());
                c.values.set(FieldId::OwnerId, owner_id);
                if !c.values.has(FieldId::OwnerName) {
                    c.values.set(FieldId::OwnerName, name);
                }
                if !c.values.has(FieldId::OwnerDepartment) {
                    c.values.set(FieldId::OwnerDepartment, dept);
                }
            }
            out.push(c);
        }
        let events: Vec<Event> = if notify {
            out.iter().map(|c| self.event("create", c)).collect()
        } else {
            Vec::new()
        };
        let new_ids = out.iter().map(|c| c.id.clone()).collect();
        store.write(out, &[])?;
        drop(store);
        events.into_iter().for_each(|e| self.notify_contact(e));
        Ok(new_ids)
    }

    /// Seeds `n` generated realistic contacts (see `generate`), owners spread over
    /// the staff.
    pub fn generate_contacts(&self, n: usize, notify: bool) -> Result<Vec<String>, OpError> {
        let (first_index, staff_ids) = {
            let store = self.store();
            let ids: Vec<String> = store.all_staff().map(|s| s.id.clone()).collect();
            (store.len(), ids)
        };
        let mut contacts = generate::contacts(n, self.generator_seed, first_index);
        if !staff_ids.is_empty() {
            for (i, c) in contacts.iter_mut().enumerate() {
                c.values
                    .set(FieldId::OwnerId, staff_ids[i % staff_ids.len()].clone());
            }
        }
        self.seed_contacts(contacts, notify)
    }
}
