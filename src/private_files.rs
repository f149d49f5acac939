//! Files that hold contact data (the state file with its WAL, shared memory and
//! lock, saved plans, rejected rows, the CSV's `.bak` and the temporary copies of an
//! atomic replace) are created readable and writable by their owner only (0600),
//! whatever the umask: the mode is set on the open file, which the umask does not
//! touch. On systems without Unix modes these are plain file operations.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Owner read and write, nothing for anyone else.
#[cfg(unix)]
const PRIVATE: u32 = 0o600;

/// Opens `path` for writing, creating it (or emptying it) as a private file.
pub fn create(path: &Path) -> io::Result<File> {
    open(
        path,
        OpenOptions::new().write(true).create(true).truncate(true),
    )
}

/// Creates `path` as a private file; fails if it exists.
pub fn create_new(path: &Path) -> io::Result<File> {
    open(path, OpenOptions::new().write(true).create_new(true))
}

/// Opens `path` to read and write, creating it as a private file if it is missing;
/// an existing file is made private too.
pub fn open_rw(path: &Path) -> io::Result<File> {
    open(
        path,
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
    )
}

/// Writes `bytes` to `path` as a private file.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = create(path)?;
    f.write_all(bytes)?;
    f.flush()
}

/// Makes an existing file private; a missing one is no error.
pub fn restrict(path: &Path) -> io::Result<()> {
    match File::open(path) {
        Ok(f) => make_private(&f),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

fn open(path: &Path, opts: &mut OpenOptions) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(PRIVATE);
    }
    let f = opts.open(path)?;
    make_private(&f)?;
    Ok(f)
}

fn make_private(f: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if f.metadata()?.permissions().mode() & 0o777 != PRIVATE {
            f.set_permissions(std::fs::Permissions::from_mode(PRIVATE))?;
        }
    }
    #[cfg(not(unix))]
    let _ = f;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn files_are_private_new_or_old() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        write(&a, b"x").unwrap();
        assert_eq!(mode(&a), 0o600);
        let b = dir.path().join("b");
        std::fs::write(&b, b"y").unwrap();
        std::fs::set_permissions(&b, std::fs::Permissions::from_mode(0o644)).unwrap();
        restrict(&b).unwrap();
        assert_eq!(mode(&b), 0o600);
        restrict(&dir.path().join("missing")).unwrap();
    }
}
