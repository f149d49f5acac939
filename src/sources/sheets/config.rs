//! What a sheet store needs to know: which spreadsheet and tab, where the header
//! is, how to authenticate, and (for tests and the fake) where the API lives.
//! Built from `--sheet SPREADSHEET_ID/TAB` or from the job file's
//! `[source] sheet = { ... }` table ([`SheetJob`]).

use super::retry::RetryPolicy;
use crate::sources::SourceError;
use std::path::PathBuf;

/// How the store gets an access token. The scope is always
/// `https://www.googleapis.com/auth/spreadsheets` and nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SheetsAuth {
    /// A service-account key JSON file; `None` reads the path from
    /// `GOOGLE_APPLICATION_CREDENTIALS`. Share the sheet with the account's e-mail.
    ServiceAccount { key: Option<PathBuf> },
    /// The installed-app flow: a person signs in once in a browser; the tokens are
    /// cached in `token_cache` (created with mode 0600) for the next runs.
    InstalledApp {
        client_secret: PathBuf,
        token_cache: PathBuf,
        /// Loopback port for the browser's redirect; `None` picks a free one.
        redirect_port: Option<u16>,
    },
}

/// Request limits the store splits at. Google documents no hard cap on a
/// `values.batchUpdate`, but recommends payloads of at most 2 MB; 10,000 rows with
/// 100 changed cells are about 5 KB, so a normal run is always one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetsLimits {
    /// Largest JSON body, in bytes, of one `values.batchUpdate` or `values.append`.
    pub max_request_bytes: usize,
}

impl Default for SheetsLimits {
    fn default() -> Self {
        Self {
            max_request_bytes: 2_000_000,
        }
    }
}

/// Everything a `SheetsStore` is built from.
#[derive(Clone, Debug, PartialEq)]
pub struct SheetsConfig {
    pub spreadsheet_id: String,
    pub tab: String,
    /// The sheet row (1-based) holding the header; rows above it are ignored.
    pub header_row: usize,
    pub auth: SheetsAuth,
    /// Where the Sheets API lives, ending in `/`; `None` is Google. Tests point it
    /// at the loopback fake (plain `http://` is then allowed).
    pub api_base_url: Option<String>,
    pub retry: RetryPolicy,
    pub limits: SheetsLimits,
}

impl SheetsConfig {
    pub fn new(
        spreadsheet_id: impl Into<String>,
        tab: impl Into<String>,
        auth: SheetsAuth,
    ) -> Self {
        Self {
            spreadsheet_id: spreadsheet_id.into(),
            tab: tab.into(),
            header_row: 1,
            auth,
            api_base_url: None,
            retry: RetryPolicy::default(),
            limits: SheetsLimits::default(),
        }
    }

    /// Reads `--sheet SPREADSHEET_ID/TAB`. The split is at the first `/`: spreadsheet
    /// ids never hold one, tab names may (`ID/Hong Kong/Kowloon` is tab
    /// `Hong Kong/Kowloon`).
    pub fn from_sheet_arg(arg: &str, auth: SheetsAuth) -> Result<Self, SourceError> {
        let bad = |message: &str| SourceError::Format {
            what: format!("--sheet {arg}"),
            line: None,
            message: format!("{message}; expected SPREADSHEET_ID/TAB"),
        };
        let (id, tab) = arg.split_once('/').ok_or_else(|| bad("no tab name"))?;
        check_id(id).map_err(|m| bad(&m))?;
        if tab.is_empty() {
            return Err(bad("empty tab name"));
        }
        Ok(Self::new(id, tab, auth))
    }

    /// Checks the parts a person typed, so mistakes fail before any request.
    pub fn validate(&self) -> Result<(), SourceError> {
        let bad = |message: String| SourceError::Format {
            what: format!("sheet {}/{}", self.spreadsheet_id, self.tab),
            line: None,
            message,
        };
        check_id(&self.spreadsheet_id).map_err(bad)?;
        if self.tab.is_empty() {
            return Err(bad("empty tab name".into()));
        }
        if self.header_row == 0 {
            return Err(bad("header_row is 1-based; 0 is not a row".into()));
        }
        if let Some(url) = &self.api_base_url
            && !url.ends_with('/')
        {
            return Err(bad(format!("API base URL {url} must end with /")));
        }
        Ok(())
    }
}

/// Spreadsheet ids are what sits between `/d/` and the next `/` of the sheet's URL:
/// letters, digits, `-` and `_`. Checking this also keeps the id safe in a URL path.
fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("empty spreadsheet id".into());
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "spreadsheet id holds {c:?}; copy the id from the sheet's URL, between /d/ and /edit"
        ));
    }
    Ok(())
}

/// The job file's `[source] sheet = { ... }` table.
///
/// ```toml
/// [source]
/// sheet = { id = "1AbC...", tab = "Contacts", header_row = 1, credentials = "sa-key.json" }
/// # or, signing in as a person:
/// sheet = { id = "1AbC...", tab = "Contacts", client_secret = "client_secret.json",
///           token_cache = "~/.config/cinnox-sync/google-token.json" }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetJob {
    pub id: String,
    pub tab: String,
    #[serde(default)]
    pub header_row: Option<usize>,
    /// Service-account key file; without it (and without `client_secret`)
    /// `GOOGLE_APPLICATION_CREDENTIALS` is used.
    #[serde(default)]
    pub credentials: Option<PathBuf>,
    /// OAuth client secret of a "Desktop app" client: the installed-app flow.
    #[serde(default)]
    pub client_secret: Option<PathBuf>,
    #[serde(default)]
    pub token_cache: Option<PathBuf>,
    #[serde(default)]
    pub redirect_port: Option<u16>,
}

impl SheetJob {
    /// The store configuration. `default_token_cache` is where tokens go when the
    /// job names a client secret but no cache (the CLI picks a per-user path).
    pub fn into_config(self, default_token_cache: PathBuf) -> Result<SheetsConfig, SourceError> {
        let auth = match (self.credentials, self.client_secret) {
            (Some(_), Some(_)) => {
                return Err(SourceError::Format {
                    what: format!("sheet {}/{}", self.id, self.tab),
                    line: None,
                    message: "give credentials (service account) or client_secret \
                              (installed app), not both"
                        .into(),
                });
            }
            (key, None) => SheetsAuth::ServiceAccount { key },
            (None, Some(client_secret)) => SheetsAuth::InstalledApp {
                client_secret,
                token_cache: self.token_cache.unwrap_or(default_token_cache),
                redirect_port: self.redirect_port,
            },
        };
        let mut config = SheetsConfig::new(self.id, self.tab, auth);
        config.header_row = self.header_row.unwrap_or(1);
        config.validate()?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sa() -> SheetsAuth {
        SheetsAuth::ServiceAccount { key: None }
    }

    #[test]
    fn sheet_arg_splits_at_the_first_slash() {
        let c = SheetsConfig::from_sheet_arg("1AbC-d_e/聯絡人 #1/香港!", sa()).expect("parses");
        assert_eq!(c.spreadsheet_id, "1AbC-d_e");
        assert_eq!(c.tab, "聯絡人 #1/香港!");
        assert_eq!(c.header_row, 1);
    }

    #[test]
    fn sheet_arg_mistakes_are_named() {
        for bad in ["1AbC", "1AbC/", "/Tab", "https://docs.google.com/x/Tab"] {
            let e = SheetsConfig::from_sheet_arg(bad, sa()).expect_err(bad);
            assert!(e.to_string().contains("SPREADSHEET_ID/TAB"), "{e}");
        }
    }

    #[test]
    fn job_table_picks_the_flow() {
        let job: SheetJob = toml::from_str(
            "id = \"abc\"\ntab = \"T\"\nheader_row = 3\nclient_secret = \"cs.json\"",
        )
        .expect("toml");
        let c = job.into_config("cache.json".into()).expect("config");
        assert_eq!(c.header_row, 3);
        assert_eq!(
            c.auth,
            SheetsAuth::InstalledApp {
                client_secret: "cs.json".into(),
                token_cache: "cache.json".into(),
                redirect_port: None
            }
        );
        let both = SheetJob {
            id: "abc".into(),
            tab: "T".into(),
            credentials: Some("k.json".into()),
            client_secret: Some("cs.json".into()),
            ..SheetJob::default()
        };
        assert!(both.into_config("c".into()).is_err());
    }
}
