//! `ClientError`: what a CINNOX call can end in, typed by CINNOX result code
//! (cinnox-api.md §2) so that callers decide on the kind, never on message text.
//! Credential errors stop a run; a rejection belongs to one record; an unknown
//! create outcome means "re-list and match before creating again". No variant ever
//! holds the App Token.

use serde::Serialize;
use std::fmt;

/// The kinds of call the client makes; also the keys of the call counters and of
/// the sandbox's stats.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CallKind {
    List,
    Create,
    Update,
    Staff,
    Subscribe,
}

impl CallKind {
    pub const ALL: [CallKind; 5] = [
        CallKind::List,
        CallKind::Create,
        CallKind::Update,
        CallKind::Staff,
        CallKind::Subscribe,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallKind::List => "list",
            CallKind::Create => "create",
            CallKind::Update => "update",
            CallKind::Staff => "staff",
            CallKind::Subscribe => "subscribe",
        }
    }
}

impl fmt::Display for CallKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// 6452000: stop the run.
    #[error("CINNOX refused the App Token: check CINNOX_APP_TOKEN / `app_token` in the job file")]
    BadToken,
    /// 6452001: stop the run.
    #[error("CINNOX refused the App ID `{app_id}`: check CINNOX_APP_ID / `app_id` in the job file")]
    BadAppId { app_id: String },
    /// HTTP 401/403 without a CINNOX code: one of the two credentials is wrong.
    #[error(
        "CINNOX refused the credentials (HTTP {status}): check CINNOX_APP_ID and CINNOX_APP_TOKEN / `app_id` and `app_token` in the job file"
    )]
    Unauthorized { status: u16 },
    /// 6451000 on a write: this record was refused; the message is the server's.
    #[error("CINNOX rejected the record: {message}")]
    Rejected { message: String },
    /// 6451000 on a read or a subscription: our request was wrong.
    #[error("CINNOX refused the {call} request: {message}")]
    BadRequest { call: CallKind, message: String },
    /// 6450001: an unknown contact id or path.
    #[error("CINNOX found nothing for {target} ({call}): {message}")]
    NotFound {
        call: CallKind,
        target: String,
        message: String,
    },
    /// A create sent, whose answer never came (timeout, dropped connection, 5xx):
    /// it may have been stored. Re-list and match before creating again.
    #[error(
        "the create's outcome is unknown ({reason}): the contact may exist; re-list and match before creating again"
    )]
    CreateOutcomeUnknown { reason: String },
    /// 5xx / 6451001 / timeouts that outlasted every retry.
    #[error("CINNOX kept failing on {call} after {attempts} attempts: {reason}")]
    Server {
        call: CallKind,
        attempts: u32,
        reason: String,
    },
    /// 6451010 / 6451013 that outlasted every wait: the run stops rather than
    /// hammer a service account that other Apps share.
    #[error(
        "CINNOX kept rate limiting {call} after {waits} waits, so the run stopped: run it again later, or lower `requests_per_minute` in the job file if other Apps share this service account"
    )]
    RateLimited { call: CallKind, waits: u32 },
    /// 6451014: every call of this App will be refused until it is renamed.
    #[error(
        "CINNOX refused {call} with 6451014 ({message}): two Apps of this service account have the same name; give this connector's App a name of its own in the CINNOX dashboard (Administration > Service Integration) and run again"
    )]
    AppNameConflict { call: CallKind, message: String },
    /// No connection could be made (refused, a name that does not resolve, a
    /// connect timeout) on every attempt.
    #[error(
        "cannot reach CINNOX at {base_url} after {attempts} attempts ({reason}): check the base URL (`base_url` in the job file or CINNOX_BASE_URL) and the network"
    )]
    Unreachable {
        base_url: String,
        attempts: u32,
        reason: String,
    },
    /// A subscription whose URL failed the challenge handshake.
    #[error("CINNOX did not enable the webhook subscription: {message}")]
    SubscriptionRefused { message: String },
    /// Any other CINNOX code.
    #[error("CINNOX answered code {code} to {call}: {message}")]
    Api {
        call: CallKind,
        code: i64,
        message: String,
    },
    /// An answer that does not have the promised shape.
    #[error("unexpected answer from CINNOX to {call}: {detail}")]
    Protocol { call: CallKind, detail: String },
    /// The HTTP client could not be built.
    #[error("could not set up the HTTP client: {0}")]
    Setup(String),
}

impl ClientError {
    /// The CINNOX result code this error stands for, when there is one.
    pub fn code(&self) -> Option<i64> {
        use super::wire::codes;
        match self {
            ClientError::BadToken => Some(codes::INVALID_TOKEN),
            ClientError::BadAppId { .. } => Some(codes::INVALID_APP_ID),
            ClientError::Rejected { .. } | ClientError::BadRequest { .. } => {
                Some(codes::BAD_PARAMETER)
            }
            ClientError::NotFound { .. } => Some(codes::NOT_FOUND),
            ClientError::RateLimited { .. } => Some(codes::RATE_LIMITED),
            ClientError::AppNameConflict { .. } => Some(codes::APP_NAME_CONFLICT),
            ClientError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Whether the run must stop: the credentials or the base URL are wrong, or
    /// CINNOX keeps refusing, so every further call would fail too.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            ClientError::BadToken
                | ClientError::BadAppId { .. }
                | ClientError::Unauthorized { .. }
                | ClientError::AppNameConflict { .. }
                | ClientError::Unreachable { .. }
                | ClientError::RateLimited { .. }
                | ClientError::Setup(_)
        )
    }

    /// Whether the error belongs to one record (the run goes on with the others).
    pub fn is_record_level(&self) -> bool {
        matches!(
            self,
            ClientError::Rejected { .. } | ClientError::NotFound { .. }
        )
    }
}
