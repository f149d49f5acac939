//! `MemoryRemote`: CINNOX in memory, for the engine's tests. Writes are checked
//! with CINNOX's field rules, as the real service (and the sandbox) check them: a
//! body breaking one is refused, and counted (`refused_by_rules`), so a test can
//! tell a doomed write from an injected refusal. Creates fill CINNOX's enum
//! defaults (as a real tenant does), updates replace the writable fields, and
//! faults can be switched on by write number: a refused write, a failed one (what
//! retries exhausted on 5xx answers give), a lost create answer, and a fatal error
//! after a number of writes (a stand-in for a killed process).

use super::remote::{Calls, Remote, RemoteError};
use crate::engine::sync::input::Staff;
use crate::model::{Contact, FieldId, FieldValues};
use std::collections::HashSet;

#[derive(Clone, Debug, Default)]
pub struct MemoryRemote {
    pub contacts: Vec<Contact>,
    pub staff: Vec<Staff>,
    pub calls: Calls,
    next_id: u64,
    /// Creates whose answer is lost (by 1-based create number): made, but reported
    /// as `OutcomeUnknown`.
    pub lose_create_answers: HashSet<usize>,
    /// Writes (creates and updates, by 1-based number) CINNOX refuses.
    pub refuse_writes: HashSet<usize>,
    /// Writes (by 1-based number) that fail without reaching CINNOX, as a 5xx answer
    /// after the client's retries does: nothing is made.
    pub fail_writes: HashSet<usize>,
    /// Contacts with this first name are refused.
    pub reject_first_name: Option<String>,
    /// After this many writes, every write fails fatally.
    pub die_after_writes: Option<usize>,
    /// Writes refused because their body broke a field rule (not injected).
    pub refused_by_rules: usize,
}

impl MemoryRemote {
    pub fn new(contacts: Vec<Contact>) -> Self {
        MemoryRemote {
            next_id: contacts.len() as u64 + 1,
            contacts,
            ..Default::default()
        }
    }

    pub fn get(&self, id: &str) -> Option<&Contact> {
        self.contacts.iter().find(|c| c.id == id)
    }

    /// A dashboard merge: `absorbed` disappears, `survivor` lists it.
    pub fn merge(&mut self, survivor: &str, absorbed: &str) {
        self.contacts.retain(|c| c.id != absorbed);
        if let Some(s) = self.contacts.iter_mut().find(|c| c.id == survivor) {
            s.slave_contacts.push(absorbed.to_string());
        }
    }

    fn writes(&self) -> usize {
        self.calls.create + self.calls.update
    }

    fn check_alive(&self) -> Result<(), RemoteError> {
        match self.die_after_writes {
            Some(k) if self.writes() >= k => Err(RemoteError::Fatal("sandbox stopped".into())),
            _ => Ok(()),
        }
    }

    /// CINNOX's field rules over the whole body; the first broken one refuses it.
    fn check_rules(&mut self, values: &FieldValues) -> Result<(), RemoteError> {
        let n = crate::model::Normaliser::default();
        for (f, v) in values.iter() {
            if let Some(x) = crate::validate::check_value(f, v, &n) {
                self.refused_by_rules += 1;
                return Err(RemoteError::Rejected(format!("{}: {}", f.key(), x.message)));
            }
        }
        Ok(())
    }

    /// The injected fault, if any, of the write just counted.
    fn injected(&self, values: &FieldValues) -> Result<(), RemoteError> {
        let n = self.writes();
        if self.fail_writes.contains(&n) {
            return Err(RemoteError::Failed(format!(
                "HTTP 503 for write {n} (injected by the test)"
            )));
        }
        if self.refuse_writes.contains(&n)
            || self.reject_first_name.as_deref() == Some(values.get(FieldId::FirstName))
        {
            return Err(RemoteError::Rejected(
                "firstName: refused by the test".into(),
            ));
        }
        Ok(())
    }

    fn store(values: &FieldValues, keep: Option<&FieldValues>) -> FieldValues {
        let mut v: FieldValues = values.iter().filter(|(f, _)| f.is_writable()).collect();
        for f in [FieldId::Level, FieldId::CustomerType] {
            if let (false, crate::model::FieldKind::Enum(k)) = (v.has(f), f.kind()) {
                v.set(f, k.default_value().unwrap_or_default());
            }
        }
        if let Some(old) = keep {
            for (f, x) in old.iter().filter(|(f, _)| !f.is_writable()) {
                v.set(f, x);
            }
        }
        v
    }
}

impl Remote for MemoryRemote {
    async fn list_contacts(&mut self) -> Result<Vec<Contact>, RemoteError> {
        self.calls.list += 1;
        Ok(self.contacts.clone())
    }

    async fn list_staff(&mut self) -> Result<Vec<Staff>, RemoteError> {
        self.calls.staff += 1;
        Ok(self.staff.clone())
    }

    async fn create_contact(&mut self, values: &FieldValues) -> Result<String, RemoteError> {
        self.check_alive()?;
        self.calls.create += 1;
        self.injected(values)?;
        self.check_rules(values)?;
        let id = format!("m{}", self.next_id);
        self.next_id += 1;
        self.contacts.push(Contact {
            id: id.clone(),
            values: Self::store(values, None),
            ..Default::default()
        });
        if self.lose_create_answers.contains(&self.calls.create) {
            return Err(RemoteError::OutcomeUnknown("answer lost".into()));
        }
        Ok(id)
    }

    async fn update_contact(&mut self, id: &str, values: &FieldValues) -> Result<(), RemoteError> {
        self.check_alive()?;
        self.calls.update += 1;
        self.injected(values)?;
        self.check_rules(values)?;
        let c = self
            .contacts
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or_else(|| RemoteError::Rejected(format!("unknown contact {id}")))?;
        c.values = Self::store(values, Some(&c.values));
        Ok(())
    }

    fn calls(&self) -> Calls {
        self.calls
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block<T>(f: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    fn named(n: &str) -> FieldValues {
        [(FieldId::FirstName, n)].into_iter().collect()
    }

    #[test]
    fn injected_faults_hit_the_writes_they_name() {
        let mut r = MemoryRemote::new(Vec::new());
        r.refuse_writes.insert(1);
        r.fail_writes.insert(2);
        r.lose_create_answers.insert(3);
        block(async {
            assert!(matches!(
                r.create_contact(&named("A")).await,
                Err(RemoteError::Rejected(_))
            ));
            assert!(matches!(
                r.create_contact(&named("B")).await,
                Err(RemoteError::Failed(_))
            ));
            assert!(matches!(
                r.create_contact(&named("C")).await,
                Err(RemoteError::OutcomeUnknown(_))
            ));
            let id = r.create_contact(&named("D")).await.unwrap();
            r.update_contact(&id, &named("E")).await.unwrap();
        });
        // Refused and failed writes made nothing; a lost answer made the contact.
        let names: Vec<&str> = r
            .contacts
            .iter()
            .map(|c| c.values.get(FieldId::FirstName))
            .collect();
        assert_eq!(names, ["C", "E"]);
        assert_eq!((r.calls.create, r.calls.update), (4, 1));
    }
}
