//! The Google Sheets kind of list: `source.sheet = { id = "...", tab = "..." }` in a
//! job file (`SheetJob`), or `--sheet ID/TAB` on the command line (`overrides`).
//! Two environment variables exist for tests against a fake Sheets API, read here
//! whatever the command: `CINNOX_SYNC_SHEETS_API_URL` and `CINNOX_SYNC_SHEETS_RETRY`.

use super::{RetryPolicy, SheetJob, SheetsConfig, SheetsStore, default_token_cache};
use crate::sources::kinds::{ListKind, ListSource, ListSpec, Opening, Tell};
use crate::sources::{AnyStore, SourceError};
use std::any::Any;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the Sheets API lives, for tests against a fake (`http://127.0.0.1:PORT/`).
pub const API_URL_ENV: &str = "CINNOX_SYNC_SHEETS_API_URL";
/// Retry timings for tests: `first_ms=5,max_ms=50,wait_ms=2000,per_minute=100000,burst=1000`.
pub const RETRY_ENV: &str = "CINNOX_SYNC_SHEETS_RETRY";

pub struct SheetKind;

impl ListKind for SheetKind {
    fn job_key(&self) -> &'static str {
        "sheet"
    }

    fn job_options(&self) -> &'static [&'static str] {
        &[]
    }

    fn job_example(&self) -> &'static str {
        "source.sheet = { id = \"...\", tab = \"...\" }"
    }

    fn read_job(
        &self,
        source: &toml::Table,
        at: &dyn Fn(&Path) -> PathBuf,
    ) -> Result<ListSource, String> {
        if source.contains_key("template") || source.contains_key("encoding") {
            return Err(
                "source.template and source.encoding are for a CSV file, not a sheet".into(),
            );
        }
        let value = source
            .get("sheet")
            .cloned()
            .unwrap_or(toml::Value::Boolean(false));
        let mut sheet: SheetJob = value
            .try_into()
            .map_err(|e: toml::de::Error| format!("source.sheet: {}", e.message()))?;
        for p in [
            &mut sheet.credentials,
            &mut sheet.client_secret,
            &mut sheet.token_cache,
        ]
        .into_iter()
        .flatten()
        {
            *p = at(p);
        }
        let config = sheet
            .into_config(default_token_cache())
            .map_err(|e| format!("source.sheet: {e}"))?;
        Ok(ListSource::new(config))
    }

    /// A sheet is never a file.
    fn take_file(&self, _path: &Path) -> Option<ListSource> {
        None
    }
}

impl ListSpec for SheetsConfig {
    fn describe(&self) -> String {
        format!("sheet {}/{}", self.spreadsheet_id, self.tab)
    }

    /// `sheet-ID-TAB.ext` in `dir`.
    fn companion(&self, dir: &Path, ext: &str) -> PathBuf {
        let tab: String = self
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
        dir.join(format!("sheet-{}-{tab}.{ext}", self.spreadsheet_id))
    }

    /// Beside the job file, named after it.
    fn default_state(&self, job: &Path) -> PathBuf {
        job.with_extension("state.db")
    }

    fn open<'a>(&'a self, _origin: Option<&'a Path>, _tell: Tell<'a>) -> Opening<'a> {
        Box::pin(async move {
            let mut config = self.clone();
            test_overrides(&mut config)?;
            Ok(AnyStore::new(SheetsStore::connect(config).await?))
        })
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Applies `CINNOX_SYNC_SHEETS_API_URL` and `CINNOX_SYNC_SHEETS_RETRY`.
fn test_overrides(config: &mut SheetsConfig) -> Result<(), SourceError> {
    if let Some(url) = std::env::var(API_URL_ENV).ok().filter(|u| !u.is_empty()) {
        config.api_base_url = Some(if url.ends_with('/') { url } else { url + "/" });
    }
    if let Some(spec) = std::env::var(RETRY_ENV).ok().filter(|s| !s.is_empty()) {
        config.retry = retry_policy(&spec, config.retry.clone())
            .map_err(|e| SourceError::Setup(format!("{RETRY_ENV}={spec}: {e}")))?;
    }
    Ok(())
}

/// Reads `key=value,...` over `base`: `first_ms`, `max_ms`, `wait_ms`,
/// `timeout_ms`, `per_minute`, `burst`.
fn retry_policy(spec: &str, mut p: RetryPolicy) -> Result<RetryPolicy, String> {
    for part in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let (k, v) = part.split_once('=').ok_or("write KEY=VALUE pairs")?;
        let n: u64 = v
            .trim()
            .parse()
            .map_err(|_| format!("{v} is not a number"))?;
        let ms = Duration::from_millis(n);
        let count = || u32::try_from(n).map_err(|e| e.to_string());
        match k.trim() {
            "first_ms" => p.first_delay = ms,
            "max_ms" => p.max_delay = ms,
            "wait_ms" => p.max_wait = ms,
            "timeout_ms" => p.attempt_timeout = ms,
            "per_minute" => p.per_minute = count()?,
            "burst" => p.burst = count()?,
            other => return Err(format!("unknown key {other}")),
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_specs_set_what_they_name() {
        let p = retry_policy(
            "first_ms=5, wait_ms=2000,per_minute=1000",
            RetryPolicy::default(),
        )
        .unwrap();
        assert_eq!(
            (p.first_delay, p.max_wait, p.per_minute),
            (Duration::from_millis(5), Duration::from_secs(2), 1000)
        );
        assert!(retry_policy("speed=3", RetryPolicy::default()).is_err());
    }
}
