//! `SheetsStore`: a contact list kept in one tab of a Google Sheet, behind the same
//! `Store` trait as the CSV file. A read is one `values.get` of the whole tab; a
//! write is one `values.batchUpdate` for every changed cell, one `values.append`
//! for every new row and, only when rows go, one `spreadsheets.batchUpdate` of
//! `deleteDimension`s; values are always sent `RAW` so `+852...` stays text.
//!
//! Files: `config` (what to open, `--sheet ID/TAB`, the job-file table), `auth`
//! and `token_cache` (credentials), `range` (A1 notation and URL encoding), `cells`
//! (JSON cells to a `Table`), `plan` (edits to requests, pure), `retry` (backoff,
//! pacing, failure kinds), `requests` (the API calls of a write), `write`
//! (sending a plan, checking unclear outcomes), `kind` (how a job file names a
//! sheet, and opening it), `overrides` (the command line's sheet options over a
//! job's sheet).

pub mod auth;
pub mod cells;
pub mod config;
pub mod kind;
pub mod overrides;
pub mod plan;
pub mod range;
mod requests;
pub mod retry;
pub mod token_cache;
mod write;

pub use config::{SheetJob, SheetsAuth, SheetsConfig, SheetsLimits};
pub use kind::SheetKind;
pub use overrides::{SheetOverrides, default_token_cache};
pub use retry::RetryPolicy;

use crate::sources::{Capabilities, Edit, SourceError, Store, Table, WriteReport};
use cells::Origin;
use google_sheets4::Sheets;
use google_sheets4::api::Scope;
use google_sheets4::hyper_rustls::HttpsConnectorBuilder;
use google_sheets4::hyper_util::client::legacy::Client;
use google_sheets4::hyper_util::rt::TokioExecutor;
use retry::{CallError, Caller, Capture, Fatal, Quota};
use yup_oauth2::authenticator_delegate::InstalledFlowDelegate;

/// A tab of a Google Sheet as a contact list.
pub struct SheetsStore {
    config: SheetsConfig,
    hub: Sheets<auth::Conn>,
    caller: Caller,
    /// Who the requests run as, for "share the sheet with ..." hints.
    user: String,
    /// Where the last read's grid started; writes address cells from it.
    origin: Option<Origin>,
    /// The text of the last read's number cells, `((row, col), text)`: callers may
    /// reinterpret them (a phone number that lost its `+`), but checking whether an
    /// unclear write landed compares with what the tab really holds.
    read_numbers: Vec<((usize, usize), String)>,
}

impl SheetsStore {
    /// Builds the store and its authenticator. Nothing is sent yet: the first
    /// token is fetched (or, for the installed-app flow without a cached sign-in,
    /// the browser sign-in happens) on the first read.
    pub async fn connect(config: SheetsConfig) -> Result<Self, SourceError> {
        Self::connect_with_browser(config, None).await
    }

    /// As `connect`, with `browser` showing the installed-app flow's sign-in URL
    /// instead of printing it on stderr.
    pub async fn connect_with_browser(
        config: SheetsConfig,
        browser: Option<Box<dyn InstalledFlowDelegate>>,
    ) -> Result<Self, SourceError> {
        config.validate()?;
        let conn = connector(&config)?;
        let authorised = auth::authenticator(&config.auth, conn.clone(), browser).await?;
        let mut hub = Sheets::new(
            Client::builder(TokioExecutor::new()).build(conn),
            authorised.auth,
        );
        if let Some(base) = &config.api_base_url {
            hub.base_url(base.clone());
            hub.root_url(base.clone());
        }
        Ok(Self {
            caller: Caller::new(config.retry.clone(), &authorised.quota_key),
            user: authorised.who,
            config,
            hub,
            origin: None,
            read_numbers: Vec::new(),
        })
    }

    /// Who requests run as: a service account's e-mail, to share the sheet with.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// One `values.get` of the whole tab, as a `Table`.
    async fn fetch(&mut self) -> Result<Table, SourceError> {
        let range = range::encode(&range::whole_tab(&self.config.tab));
        let (hub, id) = (&self.hub, self.config.spreadsheet_id.as_str());
        let got = self
            .caller
            .call(Quota::Read, true, || async {
                let mut cap = Capture::default();
                let r = hub
                    .spreadsheets()
                    .values_get(id, &range)
                    .value_render_option("UNFORMATTED_VALUE")
                    .date_time_render_option("FORMATTED_STRING")
                    .major_dimension("ROWS")
                    .add_scope(Scope::Spreadsheet)
                    .delegate(&mut cap)
                    .doit()
                    .await
                    .map(|(_, v)| v);
                (r, cap)
            })
            .await
            .map_err(|e| self.call_error(e, "reading the tab"))?;
        let origin = got.range.as_deref().map_or(Origin { row: 1, col: 0 }, |r| {
            let (row, col) = range::start_of(r);
            Origin { row, col }
        });
        self.origin = Some(origin);
        let grid = got.values.unwrap_or_default();
        let header_row = self.config.header_row;
        cells::grid_to_table(&grid, origin, header_row).ok_or_else(|| SourceError::Format {
            what: self.describe(),
            line: Some(header_row),
            message: format!(
                "no column names on row {header_row}; put the header there or set header_row"
            ),
        })
    }

    /// Words a failed request as a `SourceError`, naming what was being done.
    fn call_error(&self, e: CallError, doing: &str) -> SourceError {
        let what = self.describe();
        match e {
            CallError::Fatal(Fatal::Auth(m)) => SourceError::Auth {
                what,
                message: format!("{m}; {}", auth::hint(&self.config.auth)),
            },
            CallError::Fatal(Fatal::Remote { status, message }) => SourceError::Remote {
                message: self.explain(status, &message, doing),
                what,
            },
            CallError::CutShort {
                tries,
                waited,
                last,
                applied_unknown,
            } => SourceError::Remote {
                what,
                message: format!(
                    "run cut short while {doing}: still failing after {tries} tries and \
                     {:.0}s of waiting ({last}){}",
                    waited.as_secs_f64(),
                    if applied_unknown {
                        "; the last request may or may not have been applied"
                    } else {
                        ""
                    }
                ),
            },
            CallError::Unknown { detail } => SourceError::Remote {
                what,
                message: format!("{doing} failed ({detail}); it may or may not have been applied"),
            },
        }
    }

    /// Google's wording plus what a person can do about it.
    fn explain(&self, status: Option<u16>, message: &str, doing: &str) -> String {
        let tab = &self.config.tab;
        let id = &self.config.spreadsheet_id;
        match status {
            Some(400) if message.contains("Unable to parse range") => {
                format!("no tab named {tab:?} in spreadsheet {id} (tab names must match exactly)")
            }
            Some(403) => format!(
                "no access while {doing} ({message}): share the spreadsheet with {} as an \
                 editor, and check the Sheets API is enabled for the project",
                self.user
            ),
            Some(404) => format!(
                "spreadsheet {id} not found ({message}): check the id, and that it is shared \
                 with {}",
                self.user
            ),
            Some(s) => format!("{doing} failed (HTTP {s}): {message}"),
            None => format!("{doing} failed: {message}"),
        }
    }
}

/// HTTPS with the machine's root certificates; plain HTTP is allowed too, for a
/// loopback fake. With an API override and no root certificates on the machine
/// (a bare CI container), an empty root store still lets `http://` through.
fn connector(config: &SheetsConfig) -> Result<auth::Conn, SourceError> {
    crate::install_crypto_provider();
    let builder = match HttpsConnectorBuilder::new().with_native_roots() {
        Ok(b) => b,
        Err(_) if config.api_base_url.is_some() => HttpsConnectorBuilder::new().with_tls_config(
            rustls::ClientConfig::builder()
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth(),
        ),
        Err(e) => {
            return Err(SourceError::Remote {
                what: "Google Sheets".into(),
                message: format!("no root certificates to check Google's TLS with: {e}"),
            });
        }
    };
    Ok(builder
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .build())
}

impl Store for SheetsStore {
    fn describe(&self) -> String {
        format!("sheet {}/{}", self.config.spreadsheet_id, self.config.tab)
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            columns_on_request: true,
            remote_writes: true,
            typed_cells: Some(super::Spreadsheet::GoogleSheets),
        }
    }

    async fn read(&mut self) -> Result<Table, SourceError> {
        self.caller.reset_budget();
        let table = self.fetch().await?;
        self.read_numbers = table
            .numeric_cells
            .iter()
            .filter_map(|&(r, c)| Some(((r, c), table.rows.get(r)?.get(c)?.clone())))
            .collect();
        tracing::debug!(
            rows = table.rows.len(),
            numeric = table.numeric_cells.len(),
            "read {}",
            self.describe()
        );
        Ok(table)
    }

    async fn write(&mut self, table: &Table, edits: &[Edit]) -> Result<WriteReport, SourceError> {
        self.caller.reset_budget();
        self.send(table, edits).await
    }
}
