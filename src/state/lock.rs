//! One run per state file: an exclusive OS lock on `STATE.lock`, held for the whole
//! run. The OS drops the lock when the process ends, however it ends (a SIGKILL
//! included), so a crashed run never blocks the next one. The file holds the
//! holder's pid, so a refused run names it; the pid is always there to read: taking
//! the lock and writing the pid happen under a second, brief lock (`STATE.lock.gate`)
//! that a refused run takes too before it reads, so it never reads between the two
//! (an empty file, or the pid of a holder gone since).

use crate::private_files;
use std::fs::{File, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A held run lock; dropping it releases the lock.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
}

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another cinnox-sync run is using {state} (pid {pid}); wait for it to finish, or use another state file"
    )]
    Busy { state: String, pid: u32 },
    #[error("cannot lock {path}: {cause}")]
    Io { path: String, cause: std::io::Error },
}

/// How long a refused run waits for a pid that a holder from before the gate (an
/// older cinnox-sync) has not written yet.
const PID_WAIT: Duration = Duration::from_secs(5);

impl RunLock {
    /// Takes the lock that guards the state file `state`, or says who holds it.
    pub fn acquire(state: &Path) -> Result<RunLock, LockError> {
        let path = lock_path(state);
        let io = |cause| LockError::Io {
            path: path.display().to_string(),
            cause,
        };
        let deadline = Instant::now() + PID_WAIT;
        loop {
            let gate = private_files::open_rw(&gate_path(state)).map_err(io)?;
            // Held only while a run takes the lock and writes its pid (microseconds).
            gate.lock().map_err(io)?;
            let mut file = private_files::open_rw(&path).map_err(io)?;
            match file.try_lock() {
                Ok(()) => {
                    file.set_len(0).map_err(io)?;
                    file.seek(SeekFrom::Start(0)).map_err(io)?;
                    write!(file, "{}", std::process::id()).map_err(io)?;
                    file.flush().map_err(io)?;
                    return Ok(RunLock { _file: file });
                }
                Err(TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let _ = file.read_to_string(&mut text);
                    if let Ok(pid) = text.trim().parse() {
                        return Err(LockError::Busy {
                            state: state.display().to_string(),
                            pid,
                        });
                    }
                }
                Err(TryLockError::Error(e)) => return Err(io(e)),
            }
            drop(gate);
            if Instant::now() > deadline {
                return Err(io(std::io::Error::other(
                    "another run holds it but has not written its pid; if no cinnox-sync is running, remove the file",
                )));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// `contacts.state.db` → `contacts.state.db.lock`.
pub fn lock_path(state: &Path) -> PathBuf {
    with_suffix(state, ".lock")
}

/// `contacts.state.db` → `contacts.state.db.lock.gate`.
pub fn gate_path(state: &Path) -> PathBuf {
    with_suffix(state, ".lock.gate")
}

fn with_suffix(state: &Path, suffix: &str) -> PathBuf {
    let mut name = state.as_os_str().to_owned();
    name.push(suffix);
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
        assert!(e.contains(&format!("(pid {})", std::process::id())), "{e}");
        drop(held);
        RunLock::acquire(&state).unwrap();
    }

    #[test]
    fn racing_runs_always_name_the_holder() {
        // Threads take and drop the lock as fast as they can: a refusal that read
        // the file between another's taking the lock and writing its pid would
        // find it empty (or naming a holder gone since).
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("s.db");
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..300 {
                        match RunLock::acquire(&state) {
                            Ok(held) => drop(held),
                            Err(LockError::Busy { pid, .. }) => {
                                assert_eq!(pid, std::process::id())
                            }
                            Err(e) => panic!("{e}"),
                        }
                    }
                });
            }
        });
    }
}
