//! Which contact list a command works on, and opening it: a CSV file (a FILE
//! argument or the job's `source.csv`), a sheet of an Excel workbook (a FILE
//! ending in `.xlsx`, read only, with `--tab NAME`) or a tab of a Google Sheet
//! (`--sheet SPREADSHEET_ID/TAB` or the job's `source.sheet`), with the Google
//! options every command shares. Command-line options win over the job file. Two environment
//! variables exist for tests against a fake Sheets API (they are read here, in
//! one place, whatever the command): `CINNOX_SYNC_SHEETS_API_URL` and
//! `CINNOX_SYNC_SHEETS_RETRY`.

use super::job::Job;
use crate::sources::sheets::{RetryPolicy, SheetsAuth, SheetsConfig, SheetsStore};
use crate::sources::xlsx::XlsxStore;
use crate::sources::{AnyStore, CsvStore};
use anyhow::{Context, bail};
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the Sheets API lives, for tests against a fake (`http://127.0.0.1:PORT/`).
pub const API_URL_ENV: &str = "CINNOX_SYNC_SHEETS_API_URL";
/// Retry timings for tests: `first_ms=5,max_ms=50,wait_ms=2000,per_minute=100000,burst=1000`.
pub const RETRY_ENV: &str = "CINNOX_SYNC_SHEETS_RETRY";

/// A contact list: a CSV file or a tab of a Google Sheet.
#[derive(Clone, Debug)]
pub enum ListSource {
    Csv {
        path: PathBuf,
        /// Copied to `path` when it does not exist yet (the demo's first run).
        template: Option<PathBuf>,
        /// The file's text encoding (`utf-8` when not given).
        encoding: Option<String>,
    },
    Sheet(SheetsConfig),
    /// A sheet of an Excel workbook: `tab`, or the first.
    Xlsx {
        path: PathBuf,
        tab: Option<String>,
    },
}

impl ListSource {
    /// How the list is named in summaries: the path, or `sheet ID/TAB`.
    pub fn describe(&self) -> String {
        match self {
            ListSource::Csv { path, .. } => path.display().to_string(),
            ListSource::Sheet(c) => format!("sheet {}/{}", c.spreadsheet_id, c.tab),
            ListSource::Xlsx { path, tab: None } => path.display().to_string(),
            ListSource::Xlsx { path, tab: Some(t) } => format!("{} (sheet {t})", path.display()),
        }
    }

    /// A file that belongs to the list (a state file, rejected rows): beside a CSV,
    /// with `ext` for its extension; for a sheet, `sheet-ID-TAB.ext` in `dir`.
    pub fn companion(&self, dir: &Path, ext: &str) -> PathBuf {
        match self {
            // Beside a workbook, rejected rows are a CSV file like any other.
            ListSource::Csv { path, .. } | ListSource::Xlsx { path, .. } => {
                path.with_extension(ext)
            }
            ListSource::Sheet(c) => {
                let tab: String = c
                    .tab
                    .chars()
                    .map(|ch| {
                        if ch.is_alphanumeric() || ch == '-' {
                            ch
                        } else {
                            '_'
                        }
                    })
                    .collect();
                dir.join(format!("sheet-{}-{tab}.{ext}", c.spreadsheet_id))
            }
        }
    }
}

/// The Google Sheets options of `audit`, `import`, `plan` and `sync`.
#[derive(Debug, Clone, Default, Args)]
pub struct SheetArgs {
    /// Use a tab of a Google Sheet as the list: SPREADSHEET_ID/TAB. The id is the
    /// part of the sheet's address between /d/ and /edit; everything after the
    /// first / is the tab name, exactly as shown (spaces, CJK, #, / and ! are fine).
    #[arg(
        long,
        value_name = "SPREADSHEET_ID/TAB",
        help_heading = "Google Sheets"
    )]
    pub sheet: Option<String>,
    /// The sheet row holding the column names; rows above it are ignored
    /// [default: 1, or the job's header_row].
    #[arg(long, value_name = "ROW", help_heading = "Google Sheets")]
    pub header_row: Option<usize>,
    /// A service-account key (JSON) to act as; share the sheet with the account's
    /// e-mail [default: the job's, else $GOOGLE_APPLICATION_CREDENTIALS].
    #[arg(long, value_name = "KEY.json", help_heading = "Google Sheets")]
    pub credentials: Option<PathBuf>,
    /// Sign in as a person instead (installed-app flow): the OAuth client JSON of
    /// a "Desktop app" client. The first run prints an address to open in a browser.
    #[arg(
        long,
        value_name = "CLIENT_SECRET.json",
        conflicts_with = "credentials",
        help_heading = "Google Sheets"
    )]
    pub client_secret: Option<PathBuf>,
    /// Where the sign-in is kept between runs, readable by you only (mode 0600)
    /// [default: $XDG_CONFIG_HOME/cinnox-sync/google-token.json or
    /// ~/.config/cinnox-sync/google-token.json].
    #[arg(long, value_name = "FILE", help_heading = "Google Sheets")]
    pub token_cache: Option<PathBuf>,
    /// The local port the browser returns to after signing in [default: any free one].
    #[arg(long, value_name = "PORT", help_heading = "Google Sheets")]
    pub redirect_port: Option<u16>,
}

impl SheetArgs {
    /// The sheet to use: `--sheet`, else the job's; the credential options replace
    /// the job's. `None` when neither names a sheet.
    pub fn sheet_config(&self, job: Option<&ListSource>) -> anyhow::Result<Option<SheetsConfig>> {
        let from_job = match job {
            Some(ListSource::Sheet(c)) => Some(c),
            _ => None,
        };
        let mut config = match (&self.sheet, from_job) {
            (Some(arg), job) => {
                let auth = job.map_or(SheetsAuth::ServiceAccount { key: None }, |j| j.auth.clone());
                SheetsConfig::from_sheet_arg(arg, auth)?
            }
            (None, Some(j)) => j.clone(),
            (None, None) => {
                if let Some(flag) = self.sheet_only_flag() {
                    bail!(
                        "{flag} is an option for a Google Sheet: name the sheet with --sheet SPREADSHEET_ID/TAB (or in the job file)"
                    );
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
                    bail!(
                        "--token-cache and --redirect-port belong to signing in as a person: give --client-secret too"
                    );
                }
            }
        }
        config.validate()?;
        Ok(Some(config))
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

/// The list a command works on: `file` (a CSV, or an Excel workbook by its
/// `.xlsx` extension), else the sheet `--sheet` or the job names, else the job's CSV.
pub fn resolve_list(
    file: Option<&Path>,
    sheet: &SheetArgs,
    job: Option<&Job>,
) -> anyhow::Result<ListSource> {
    if let Some(path) = file {
        if let Some(flag) = sheet
            .sheet
            .as_ref()
            .map(|_| "--sheet")
            .or(sheet.sheet_only_flag())
        {
            bail!(
                "{flag} is an option for a Google Sheet, but a CSV file was named: give one list"
            );
        }
        return file_source(path);
    }
    if let Some(config) = sheet.sheet_config(job.map(|j| &j.source))? {
        return Ok(ListSource::Sheet(config));
    }
    match job {
        Some(j) => Ok(j.source.clone()),
        None => {
            bail!("name the list: a CSV file, --sheet SPREADSHEET_ID/TAB, or --config JOB.toml")
        }
    }
}

/// A list named by its file: by extension, an Excel workbook or a CSV file. Other
/// spreadsheet formats are refused with what to save them as, rather than read
/// as garbled CSV.
fn file_source(path: &Path) -> anyhow::Result<ListSource> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xlsx" | "xlsm") => Ok(ListSource::Xlsx {
            path: path.to_path_buf(),
            tab: None,
        }),
        Some(e @ ("xls" | "xlsb" | "ods" | "numbers")) => bail!(
            "{} is a .{e} spreadsheet, which cinnox-sync does not read: save it as \"Excel Workbook (.xlsx)\" or as \"CSV UTF-8\"",
            path.display()
        ),
        _ => Ok(ListSource::Csv {
            path: path.to_path_buf(),
            template: None,
            encoding: None,
        }),
    }
}

/// `source` with the sheet `--tab` names: only an Excel workbook has sheets so.
pub fn with_tab(source: ListSource, tab: Option<&str>) -> anyhow::Result<ListSource> {
    let Some(tab) = tab else {
        return Ok(source);
    };
    match source {
        ListSource::Xlsx { path, .. } => Ok(ListSource::Xlsx {
            path,
            tab: Some(tab.to_string()),
        }),
        ListSource::Sheet(_) => bail!(
            "--tab names a sheet of an Excel workbook (.xlsx); for a Google Sheet the tab goes in --sheet SPREADSHEET_ID/TAB"
        ),
        ListSource::Csv { .. } => {
            bail!("--tab names a sheet of an Excel workbook (.xlsx); a CSV file has no sheets")
        }
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

/// Opens the list. A CSV that does not exist yet is first copied from the job's
/// template (said on stderr); `origin` is the job file, for messages. Must run
/// inside a tokio runtime (a sheet's HTTP client lives on it).
pub async fn open_list(source: &ListSource, origin: Option<&Path>) -> anyhow::Result<AnyStore> {
    match source {
        ListSource::Csv {
            path,
            template,
            encoding,
        } => {
            // A job's source.csv naming a workbook would be read as garbled CSV.
            if let ListSource::Xlsx { .. } = file_source(path)? {
                bail!(
                    "{} is an Excel workbook: a sync job's list is a CSV file or a Google Sheet (save the sheet as \"CSV UTF-8\"); a workbook can be audited and imported as it is",
                    path.display()
                );
            }
            if !path.exists() {
                copy_template(path, template.as_deref(), origin)?;
            }
            let encoding = match encoding {
                Some(e) => e
                    .parse()
                    .map_err(|e: String| anyhow::anyhow!("source.encoding: {e}"))?,
                None => Default::default(),
            };
            Ok(CsvStore::open(path, encoding)?.into())
        }
        ListSource::Sheet(config) => {
            let mut config = config.clone();
            test_overrides(&mut config)?;
            Ok(SheetsStore::connect(config).await?.into())
        }
        ListSource::Xlsx { path, tab } => Ok(XlsxStore::open(path, tab.clone())?.into()),
    }
}

fn copy_template(
    path: &Path,
    template: Option<&Path>,
    origin: Option<&Path>,
) -> anyhow::Result<()> {
    let Some(t) = template else {
        match origin {
            Some(job) => bail!(
                "{} does not exist; check source.csv in {}",
                path.display(),
                job.display()
            ),
            None => bail!("{} does not exist", path.display()),
        }
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::copy(t, path)
        .with_context(|| format!("cannot copy {} to {}", t.display(), path.display()))?;
    eprintln!(
        "{} did not exist: copied it from {} (the job's source.template)",
        path.display(),
        t.display()
    );
    Ok(())
}

/// Applies `CINNOX_SYNC_SHEETS_API_URL` and `CINNOX_SYNC_SHEETS_RETRY`.
fn test_overrides(config: &mut SheetsConfig) -> anyhow::Result<()> {
    if let Some(url) = std::env::var(API_URL_ENV).ok().filter(|u| !u.is_empty()) {
        config.api_base_url = Some(if url.ends_with('/') { url } else { url + "/" });
    }
    if let Some(spec) = std::env::var(RETRY_ENV).ok().filter(|s| !s.is_empty()) {
        config.retry = retry_policy(&spec, config.retry.clone())
            .with_context(|| format!("{RETRY_ENV}={spec}"))?;
    }
    Ok(())
}

/// Reads `key=value,...` over `base`: `first_ms`, `max_ms`, `wait_ms`,
/// `timeout_ms`, `per_minute`, `burst`.
fn retry_policy(spec: &str, mut p: RetryPolicy) -> anyhow::Result<RetryPolicy> {
    for part in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (k, v) = part.split_once('=').context("write KEY=VALUE pairs")?;
        let n: u64 = v
            .trim()
            .parse()
            .with_context(|| format!("{v} is not a number"))?;
        let ms = Duration::from_millis(n);
        match k.trim() {
            "first_ms" => p.first_delay = ms,
            "max_ms" => p.max_delay = ms,
            "wait_ms" => p.max_wait = ms,
            "timeout_ms" => p.attempt_timeout = ms,
            "per_minute" => p.per_minute = u32::try_from(n)?,
            "burst" => p.burst = u32::try_from(n)?,
            other => bail!("unknown key {other}"),
        }
    }
    Ok(p)
}

#[cfg(test)]
#[path = "source_tests.rs"]
mod tests;
