//! The real CINNOX behind the engine's `Remote` seam (`engine::seams::remote`): the HTTP client's calls, its
//! typed errors sorted into what a run does about them (stop, reject the record,
//! look for the create next run), and its call counters.

use super::{CinnoxClient, ClientError};
use crate::engine::{Calls, Remote, RemoteError, Staff};
use crate::model::{Contact, FieldValues};

/// What a run does about a client error.
pub fn remote_error(e: ClientError) -> RemoteError {
    if e.is_fatal() {
        return RemoteError::Fatal(e.to_string());
    }
    match e {
        ClientError::Rejected { message } => RemoteError::Rejected(message),
        ClientError::NotFound { .. } => RemoteError::Rejected(e.to_string()),
        ClientError::CreateOutcomeUnknown { reason } => RemoteError::OutcomeUnknown(reason),
        other => RemoteError::Failed(other.to_string()),
    }
}

impl Remote for CinnoxClient {
    async fn list_contacts(&mut self) -> Result<Vec<Contact>, RemoteError> {
        // A listing that fails leaves nothing to plan from: the run stops.
        CinnoxClient::list_contacts(self)
            .await
            .map_err(|e| RemoteError::Fatal(e.to_string()))
    }

    async fn list_staff(&mut self) -> Result<Vec<Staff>, RemoteError> {
        let staff = CinnoxClient::list_staff(self)
            .await
            .map_err(|e| RemoteError::Fatal(e.to_string()))?;
        Ok(staff
            .into_iter()
            .map(|s| Staff {
                name: s.owner_name(),
                id: s.id,
            })
            .collect())
    }

    async fn create_contact(&mut self, values: &FieldValues) -> Result<String, RemoteError> {
        CinnoxClient::create_contact(self, values)
            .await
            .map_err(remote_error)
    }

    async fn update_contact(&mut self, id: &str, values: &FieldValues) -> Result<(), RemoteError> {
        CinnoxClient::update_contact(self, id, values)
            .await
            .map_err(remote_error)
    }

    fn calls(&self) -> Calls {
        let c = CinnoxClient::calls(self);
        Calls {
            list: c.list as usize,
            create: c.create as usize,
            update: c.update as usize,
            staff: c.staff as usize,
        }
    }
}
