//! Replacing a file so that a crash at any moment leaves either the old content
//! or the new, never a mix: the new content goes to a temporary file in the same
//! directory (a rename across file systems would not be atomic), is fsynced, the
//! old content is kept as `<name>.bak` (one generation), and a rename puts the new
//! file in place; the directory is fsynced so the renames survive a power cut.
//!
//! The temporary copies and the `.bak` hold the whole list (personal data): they
//! are created readable by the owner only (the new file takes the old one's mode
//! just before it replaces it), and a process killed between writing and renaming
//! leaves hidden `.<name>.<pid>-<n>.tmp` files that `remove_leftovers` deletes at
//! the next run.

use crate::private_files;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Replaces `path` with `new`: temp file in the same directory, fsync, the old
/// content kept as `<name>.bak`, rename over, fsync the directory.
pub fn replace(path: &Path, old: &[u8], new: &[u8]) -> std::io::Result<()> {
    let (dir, name) = place(path);
    let perms = fs::metadata(path)?.permissions();
    let tmp = write_temp(&dir, &name, new)?;
    let mut bak_tmp = None;
    let result = (|| {
        let bak = bak_tmp.insert(write_temp(&dir, &format!("{name}.bak"), old)?);
        fs::rename(&*bak, dir.join(format!("{name}.bak")))?;
        fs::set_permissions(&tmp, perms)?;
        fs::rename(&tmp, path)
    })();
    if result.is_ok() {
        // Make the renames durable. The new file is in place either way, and some
        // file systems cannot sync a directory: not a failure of the write.
        let _ = fs::File::open(&dir).and_then(|d| d.sync_all());
    }
    if result.is_err() {
        // Whatever step failed, `path` still holds the old content; leave no
        // temporary file behind (a renamed one is simply not found).
        let _ = fs::remove_file(&tmp);
        if let Some(b) = bak_tmp {
            let _ = fs::remove_file(b);
        }
    }
    result
}

/// Deletes the temporary copies of `path` (and of its `.bak`) that a process
/// killed during `replace` left behind; one of a process still running is kept.
/// Answers the files removed.
pub fn remove_leftovers(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let (dir, name) = place(path);
    let mut removed = Vec::new();
    let entries = match fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(removed),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let file = entry.file_name();
        let Some(pid) = file.to_str().and_then(|f| leftover_pid(f, &name)) else {
            continue;
        };
        if pid == std::process::id() || running(pid) {
            continue;
        }
        let p = entry.path();
        match fs::remove_file(&p) {
            Ok(()) => removed.push(p),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    removed.sort();
    Ok(removed)
}

/// The pid in `file` when it is a temporary copy `write_temp` makes for `name`
/// (`.<name>.<pid>-<n>.tmp`, or the same for `<name>.bak`).
fn leftover_pid(file: &str, name: &str) -> Option<u32> {
    let rest = file
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix('.')?;
    let rest = rest.strip_prefix("bak.").unwrap_or(rest);
    let (pid, n) = rest.strip_suffix(".tmp")?.split_once('-')?;
    n.parse::<u32>().ok()?;
    pid.parse().ok()
}

/// Whether process `pid` is running, where the system says (`/proc`); elsewhere a
/// temporary copy of another process is taken for a leftover.
fn running(pid: u32) -> bool {
    Path::new("/proc/self").exists() && Path::new(&format!("/proc/{pid}")).exists()
}

fn place(path: &Path) -> (PathBuf, String) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "contacts.csv".into());
    (dir, name)
}

/// A new, fsynced, private hidden file `.<name>.<pid>-<n>.tmp` in `dir` holding
/// `bytes`.
fn write_temp(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    for n in 0..100 {
        let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        let mut f = match private_files::create_new(&tmp) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        let written = f.write_all(bytes).and_then(|_| f.sync_all());
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        return Ok(tmp);
    }
    Err(std::io::Error::other(format!(
        "could not create a temporary file next to {name}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_are_told_by_name_and_pid() {
        assert_eq!(leftover_pid(".c.csv.123-0.tmp", "c.csv"), Some(123));
        assert_eq!(leftover_pid(".c.csv.bak.123-4.tmp", "c.csv"), Some(123));
        assert_eq!(leftover_pid(".other.csv.123-0.tmp", "c.csv"), None);
        assert_eq!(leftover_pid(".c.csv.bak", "c.csv"), None);
        assert_eq!(leftover_pid(".c.csv.x-0.tmp", "c.csv"), None);
    }
}
