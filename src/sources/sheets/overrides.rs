//! The command line's Google Sheets options (`--sheet`, `--header-row`,
//! `--credentials`, `--client-secret`, `--token-cache`, `--redirect-port`) over the
//! sheet a job names: which sheet a command works on, signed in how. The flags
//! themselves are the CLI's (clap); this is what they mean, without clap.

use super::{SheetsAuth, SheetsConfig};
use crate::sources::{ListSource, SourceError};
use std::path::PathBuf;

/// The sheet options as given (each `None` when not given).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetOverrides {
    pub sheet: Option<String>,
    pub header_row: Option<usize>,
    pub credentials: Option<PathBuf>,
    pub client_secret: Option<PathBuf>,
    pub token_cache: Option<PathBuf>,
    pub redirect_port: Option<u16>,
}

fn refuse(message: impl Into<String>) -> SourceError {
    SourceError::Setup(message.into())
}

impl SheetOverrides {
    /// The sheet to use: `--sheet`, else the job's; the credential options replace
    /// the job's. `None` when neither names a sheet.
    pub fn sheet_config(
        &self,
        job: Option<&ListSource>,
    ) -> Result<Option<SheetsConfig>, SourceError> {
        let from_job = job.and_then(|j| j.get::<SheetsConfig>());
        let mut config = match (&self.sheet, from_job) {
            (Some(arg), job) => {
                let auth = job.map_or(SheetsAuth::ServiceAccount { key: None }, |j| j.auth.clone());
                SheetsConfig::from_sheet_arg(arg, auth)?
            }
            (None, Some(j)) => j.clone(),
            (None, None) => {
                if let Some(flag) = self.sheet_only_flag() {
                    return Err(refuse(format!(
                        "{flag} is an option for a Google Sheet: name the sheet with --sheet SPREADSHEET_ID/TAB (or in the job file)"
                    )));
                }
                return Ok(None);
            }
        };
        if let Some(row) = self.header_row {
            config.header_row = row;
        }
        if let Some(key) = &self.credentials {
            config.auth = SheetsAuth::ServiceAccount {
                key: Some(key.clone()),
            };
        }
        if let Some(secret) = &self.client_secret {
            let (cache, port) = match &config.auth {
                SheetsAuth::InstalledApp {
                    token_cache,
                    redirect_port,
                    ..
                } => (token_cache.clone(), *redirect_port),
                SheetsAuth::ServiceAccount { .. } => (default_token_cache(), None),
            };
            config.auth = SheetsAuth::InstalledApp {
                client_secret: secret.clone(),
                token_cache: cache,
                redirect_port: port,
            };
        }
        match &mut config.auth {
            SheetsAuth::InstalledApp {
                token_cache,
                redirect_port,
                ..
            } => {
                if let Some(c) = &self.token_cache {
                    token_cache.clone_from(c);
                }
                if self.redirect_port.is_some() {
                    *redirect_port = self.redirect_port;
                }
            }
            SheetsAuth::ServiceAccount { .. } => {
                if self.token_cache.is_some() || self.redirect_port.is_some() {
                    return Err(refuse(
                        "--token-cache and --redirect-port belong to signing in as a person: give --client-secret too",
                    ));
                }
            }
        }
        config.validate()?;
        Ok(Some(config))
    }

    /// The first sheet-only option given, by its flag: `--sheet` itself included.
    pub fn any_flag(&self) -> Option<&'static str> {
        self.sheet
            .as_ref()
            .map(|_| "--sheet")
            .or(self.sheet_only_flag())
    }

    fn sheet_only_flag(&self) -> Option<&'static str> {
        [
            (self.header_row.is_some(), "--header-row"),
            (self.credentials.is_some(), "--credentials"),
            (self.client_secret.is_some(), "--client-secret"),
            (self.token_cache.is_some(), "--token-cache"),
            (self.redirect_port.is_some(), "--redirect-port"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }
}

/// Where the installed-app flow keeps its sign-in unless told otherwise.
pub fn default_token_cache() -> PathBuf {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = var("XDG_CONFIG_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| var("HOME").map(|h| h.join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("cinnox-sync").join("google-token.json")
}
