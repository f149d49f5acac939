//! One run per state file: an exclusive OS lock on `STATE.lock`, held for the whole
//! run. The OS drops the lock when the process ends, however it ends (a SIGKILL
//! included), so a crashed run never blocks the next one; the file also holds the
//! holder's pid so a refused run can say who holds it.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A held run lock; dropping it releases the lock.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another cinnox-sync run is using {state}{}; wait for it to finish, or use another state file",
        pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    Busy { state: String, pid: Option<u32> },
    #[error("cannot lock {path}: {cause}")]
    Io { path: String, cause: std::io::Error },
}

impl RunLock {
    /// Takes the lock that guards the state file `state`, or says who holds it.
    pub fn acquire(state: &Path) -> Result<RunLock, LockError> {
        let path = lock_path(state);
        let io = |cause| LockError::Io {
            path: path.display().to_string(),
            cause,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                return Err(LockError::Busy {
                    state: state.display().to_string(),
                    pid: text.trim().parse().ok(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        write!(file, "{}", std::process::id()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(RunLock { _file: file })
    }
}

/// `contacts.state.db` → `contacts.state.db.lock`.
pub fn lock_path(state: &Path) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_with_the_pid() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("s.db");
        let held = RunLock::acquire(&state).unwrap();
        let e = RunLock::acquire(&state).unwrap_err().to_string();
        assert!(e.contains("another cinnox-sync run"), "{e}");
        assert!(e.contains(&format!("pid {}", std::process::id())), "{e}");
        drop(held);
        RunLock::acquire(&state).unwrap();
    }
}
