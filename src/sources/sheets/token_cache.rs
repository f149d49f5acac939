//! The installed-app flow's token cache: a JSON file holding the refresh token that
//! lets later runs act as the person who signed in, so it is readable by its owner
//! only. yup-oauth2's own disk cache asks for 0600 on create but keeps an existing
//! file's mode and writes in place; this one writes a fresh 0600 file (mode set
//! explicitly, whatever the umask), syncs it and renames it over the old one, and
//! tightens a cache it finds readable by others.

use crate::sources::SourceError;
use async_trait::async_trait;
use std::io::Write;
use std::path::{Path, PathBuf};
use yup_oauth2::storage::{TokenInfo, TokenStorage, TokenStorageError};

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Entry {
    scopes: Vec<String>,
    token: TokenInfo,
}

pub struct TokenCache {
    path: PathBuf,
    entries: tokio::sync::Mutex<Vec<Entry>>,
}

impl TokenCache {
    /// Opens the cache at `path`, empty if the file does not exist yet.
    pub fn open(path: &Path) -> Result<Self, SourceError> {
        let what = || format!("token cache {}", path.display());
        let entries = match std::fs::read(path) {
            Ok(bytes) => {
                tighten(path).map_err(|cause| SourceError::Io {
                    what: what(),
                    cause,
                })?;
                serde_json::from_slice(&bytes).map_err(|e| SourceError::Auth {
                    what: what(),
                    message: format!(
                        "not a token cache this tool wrote ({e}); delete it to sign in again"
                    ),
                })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(cause) => {
                return Err(SourceError::Io {
                    what: what(),
                    cause,
                });
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            entries: tokio::sync::Mutex::new(entries),
        })
    }

    fn save(&self, entries: &[Entry]) -> std::io::Result<()> {
        let json = serde_json::to_vec(entries).map_err(std::io::Error::other)?;
        let dir = match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        create_private_dir(&dir)?;
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "token-cache".into());
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        let result = (|| {
            let mut f = private_file(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

#[async_trait]
impl TokenStorage for TokenCache {
    async fn set(&self, scopes: &[&str], token: TokenInfo) -> Result<(), TokenStorageError> {
        let mut entries = self.entries.lock().await;
        match entries.iter_mut().find(|e| e.scopes == scopes) {
            Some(e) => e.token = token,
            None => entries.push(Entry {
                scopes: scopes.iter().map(|s| s.to_string()).collect(),
                token,
            }),
        }
        self.save(&entries)?;
        Ok(())
    }

    async fn get(&self, scopes: &[&str]) -> Option<TokenInfo> {
        // A token granted for more scopes serves any subset of them.
        let entries = self.entries.lock().await;
        entries
            .iter()
            .find(|e| scopes.iter().all(|s| e.scopes.iter().any(|have| have == s)))
            .map(|e| e.token.clone())
    }
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    // The umask can only remove bits, but set it anyway so the mode never depends
    // on how the process was started.
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(f)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Makes an existing cache owner-only if it was readable by others.
#[cfg(unix)]
fn tighten(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        tracing::warn!(
            "token cache {} was readable by others (mode {:o}); set it to 0600",
            path.display(),
            mode & 0o777
        );
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn tighten(_path: &Path) -> std::io::Result<()> {
    Ok(())
}
