//! The job file (TOML): where CINNOX is (credentials, or an embedded sandbox), the
//! list (a CSV path, or a tab of a Google Sheet), the mapping, the state file and
//! the policies. Relative paths are relative to the job file, so a job can be run
//! from anywhere; `~/` is the home folder. The App Token is read from the
//! environment by default and never printed.

use crate::engine::Policy;
use crate::sources::{ListSource, kinds};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A checked job file, its paths made absolute.
#[derive(Clone, Debug)]
pub struct Job {
    /// Where the job file is, for messages.
    pub origin: PathBuf,
    pub cinnox: CinnoxSide,
    /// The list: `source.csv` or `source.sheet`.
    pub source: ListSource,
    /// `None`: the built-in mapping.
    pub mapping: Option<PathBuf>,
    pub state: PathBuf,
    pub policy: Policy,
}

/// Which CINNOX a job talks to.
#[derive(Clone, Debug)]
pub enum CinnoxSide {
    /// A real tenant; what is not given comes from the environment.
    Remote {
        base_url: Option<String>,
        app_id: Option<String>,
        /// The environment variable holding the token (default `CINNOX_APP_TOKEN`).
        app_token_env: String,
        /// A token written in the job file itself (discouraged).
        app_token: Option<String>,
        requests_per_minute: Option<u32>,
    },
    /// A sandbox started inside this process, its data in `data`.
    Sandbox {
        data: PathBuf,
        /// A JSON file of contacts (and staff) loaded when `data` is new.
        seed: Option<PathBuf>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("cannot read the job file {path}: {cause}")]
    Read { path: String, cause: std::io::Error },
    #[error("job file {path} is not valid: {message}")]
    Invalid { path: String, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJob {
    mapping: Option<PathBuf>,
    state: Option<PathBuf>,
    #[serde(default)]
    cinnox: RawCinnox,
    /// Read by the kind of list it names (`sources::kinds`).
    source: toml::Table,
    #[serde(default)]
    policy: Policy,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCinnox {
    base_url: Option<String>,
    app_id: Option<String>,
    app_token_env: Option<String>,
    app_token: Option<String>,
    requests_per_minute: Option<u32>,
    sandbox: Option<RawSandbox>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSandbox {
    data: PathBuf,
    seed: Option<PathBuf>,
}

/// The default name of the token's environment variable.
pub const DEFAULT_TOKEN_ENV: &str = "CINNOX_APP_TOKEN";

impl Job {
    pub fn load(path: &Path) -> Result<Job, JobError> {
        let text = std::fs::read_to_string(path).map_err(|cause| JobError::Read {
            path: path.display().to_string(),
            cause,
        })?;
        Job::parse(&text, path)
    }

    /// Checks a job given as text; `path` is where it lives (paths are relative to
    /// its folder).
    pub fn parse(text: &str, path: &Path) -> Result<Job, JobError> {
        let invalid = |message: String| JobError::Invalid {
            path: path.display().to_string(),
            message,
        };
        let raw: RawJob = toml::from_str(text).map_err(|e| invalid(toml_error(&e, text)))?;
        let dir = path.parent().unwrap_or(Path::new(""));
        let at = |p: &Path| resolve_path(dir, p);
        let p = &raw.policy;
        if !(0.0..=1.0).contains(&p.max_change_share) {
            return Err(invalid(format!(
                "policy.max_change_share is {}; give a share between 0 and 1 (e.g. 0.3)",
                p.max_change_share
            )));
        }
        let c = raw.cinnox;
        let cinnox = match c.sandbox {
            Some(sb) => {
                if c.base_url.is_some() || c.app_id.is_some() || c.app_token.is_some() {
                    return Err(invalid(
                        "cinnox.sandbox cannot be combined with base_url, app_id or app_token: a job talks to one CINNOX".into(),
                    ));
                }
                CinnoxSide::Sandbox {
                    data: at(&sb.data),
                    seed: sb.seed.as_deref().map(at),
                }
            }
            None => CinnoxSide::Remote {
                base_url: c.base_url,
                app_id: c.app_id,
                app_token_env: c
                    .app_token_env
                    .unwrap_or_else(|| DEFAULT_TOKEN_ENV.to_string()),
                app_token: c.app_token,
                requests_per_minute: c.requests_per_minute,
            },
        };
        let source = kinds::from_job(&raw.source, &at).map_err(invalid)?;
        let state = raw.state.as_deref().map(at).unwrap_or_else(|| {
            source.default_state(&at(Path::new(path.file_name().unwrap_or(path.as_os_str()))))
        });
        Ok(Job {
            origin: path.to_path_buf(),
            cinnox,
            source,
            // A built-in mapping's name (`mapping = "wide"`) is no path.
            mapping: raw.mapping.as_deref().map(|m| {
                if crate::mapping::Mapping::is_builtin_name(m) {
                    m.to_path_buf()
                } else {
                    at(m)
                }
            }),
            state,
            policy: raw.policy,
        })
    }
}

/// A TOML error in words that never quote the job file: toml's own text shows the
/// line it stopped at, which may be the App Token's, so only the place, the key on
/// that line and the parser's message are told, with any secret value written in
/// the file masked out of that message too (a type error quotes the value).
fn toml_error(e: &toml::de::Error, text: &str) -> String {
    let mut out = String::new();
    if let Some(span) = e.span() {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        out.push_str(&format!("line {line}, column {column}"));
        let key = text
            .lines()
            .nth(line - 1)
            .and_then(|l| l.split_once('='))
            .map(|(k, _)| k.trim())
            .filter(|k| !k.is_empty() && !k.starts_with('#'));
        if let Some(k) = key {
            out.push_str(&format!(" (`{k}`)"));
        }
        out.push_str(": ");
    }
    let mut message = e.message().trim().to_string();
    for secret in secret_values(text) {
        message = message.replace(&secret, "***");
    }
    out.push_str(&message);
    out
}

/// The values written for keys that hold secrets (`app_token`, any `*token*`,
/// `*secret*`, `*password*`), as written and in the pieces a message may quote.
fn secret_values(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        if !["token", "secret", "password"]
            .iter()
            .any(|w| key.contains(w))
        {
            continue;
        }
        let value = value.trim();
        out.push(value.to_string());
        out.extend(
            value
                .split(|c: char| c == '"' || c == '\'' || c.is_whitespace())
                .filter(|p| p.len() >= 4)
                .map(str::to_string),
        );
    }
    // Longest first, so a piece never leaves part of a longer secret shown.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.retain(|s| !s.is_empty());
    out
}

/// `p` relative to the job's folder `dir`; `~/...` in the home folder.
fn resolve_path(dir: &Path, p: &Path) -> PathBuf {
    if let Ok(rest) = p.strip_prefix("~")
        && let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
    {
        return PathBuf::from(home).join(rest);
    }
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        dir.join(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_job_and_defaults_apply() {
        let job = Job::parse(
            "[source]\ncsv = \"data/contacts.csv\"\n[cinnox]\nbase_url = \"https://x.cinnox.com\"\n[policy]\nconflict = \"cinnox-wins\"",
            Path::new("/jobs/a.toml"),
        )
        .unwrap();
        assert_eq!(
            job.source
                .get::<crate::sources::CsvSource>()
                .map(|c| c.path.as_path()),
            Some(Path::new("/jobs/data/contacts.csv"))
        );
        assert_eq!(job.state, Path::new("/jobs/data/contacts.state.db"));
        assert!(
            matches!(job.cinnox, CinnoxSide::Remote { ref app_token_env, .. } if app_token_env == "CINNOX_APP_TOKEN")
        );
        assert_eq!(job.policy.max_change_share, 0.3);
        assert_eq!(
            job.policy.conflict,
            Some(crate::mapping::ConflictPolicy::CinnoxWins)
        );
    }

    #[test]
    fn a_sheet_source_with_paths_from_the_job() {
        let job = Job::parse(
            "[source]\nsheet = { id = \"1AbC\", tab = \"聯絡人 #1/香港!\", header_row = 2, credentials = \"keys/sa.json\" }",
            Path::new("/jobs/team.toml"),
        )
        .unwrap();
        let Some(c) = job.source.get::<crate::sources::sheets::SheetsConfig>() else {
            panic!("not a sheet: {:?}", job.source);
        };
        assert_eq!((c.tab.as_str(), c.header_row), ("聯絡人 #1/香港!", 2));
        assert_eq!(
            c.auth,
            crate::sources::sheets::SheetsAuth::ServiceAccount {
                key: Some("/jobs/keys/sa.json".into())
            }
        );
        assert_eq!(job.state, Path::new("/jobs/team.state.db"));
    }

    #[test]
    fn a_toml_error_never_quotes_a_secret() {
        let err = |t: &str| Job::parse(t, Path::new("j.toml")).unwrap_err().to_string();
        let e = err("[source]\ncsv = \"a.csv\"\n[cinnox]\napp_token = \"tok-SECRET-123\" x\n");
        assert!(!e.contains("SECRET"), "{e}");
        assert!(e.contains("line 4") && e.contains("`app_token`"), "{e}");
        let e = err("[source]\ncsv = \"a.csv\"\n[cinnox]\napp_token = 12345678\n");
        assert!(!e.contains("12345678"), "{e}");
        assert!(e.contains("app_token"), "{e}");
    }

    #[test]
    fn mistakes_name_the_key() {
        let err = |t: &str| Job::parse(t, Path::new("j.toml")).unwrap_err().to_string();
        assert!(err("[source]\ncsv = \"a.csv\"\n[policy]\nmax_change = 1").contains("max_change"));
        assert!(
            err("[source]\ncsv = \"a.csv\"\n[policy]\nmax_change_share = 3.0")
                .contains("between 0 and 1")
        );
        assert!(err("[cinnox]\nbase_url = \"x\"").contains("source"));
        assert!(err("[source]\n").contains("source names no list"));
        assert!(
            err("[source]\ncsv = \"a.csv\"\nsheet = { id = \"a\", tab = \"T\" }")
                .contains("one list")
        );
        assert!(
            err("[source]\nsheet = { id = \"a\", tab = \"T\", colour = 1 }").contains("colour")
        );
        assert!(
            err(
                "[source]\ncsv = \"a.csv\"\n[cinnox]\napp_id = \"a\"\nsandbox = { data = \"s.db\" }"
            )
            .contains("one CINNOX")
        );
    }
}
