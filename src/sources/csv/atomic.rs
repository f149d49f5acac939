//! Replacing a file so that a crash at any moment leaves either the old content
//! or the new, never a mix: the new content goes to a temporary file in the same
//! directory (a rename across file systems would not be atomic), is fsynced, the
//! old content is kept as `<name>.bak` (one generation), and a rename puts the new
//! file in place; the directory is fsynced so the renames survive a power cut.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Replaces `path` with `new`: temp file in the same directory, fsync, the old
/// content kept as `<name>.bak`, rename over, fsync the directory.
pub fn replace(path: &Path, old: &[u8], new: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "contacts.csv".into());
    let perms = fs::metadata(path)?.permissions();
    let tmp = write_temp(&dir, &name, new)?;
    let mut bak_tmp = None;
    let result = (|| {
        fs::set_permissions(&tmp, perms.clone())?;
        let bak = bak_tmp.insert(write_temp(&dir, &format!("{name}.bak"), old)?);
        fs::set_permissions(&*bak, perms)?;
        fs::rename(&*bak, dir.join(format!("{name}.bak")))?;
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

/// A new, fsynced hidden file `.<name>.<pid>-<n>.tmp` in `dir` holding `bytes`.
fn write_temp(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    for n in 0..100 {
        let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        let mut f = match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
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
