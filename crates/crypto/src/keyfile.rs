//! The key file: the key ring's text (see [`KeyRing::to_file_text`]) in a file that only
//! its owner may read (mode 0600), never overwritten by accident and replaced atomically.
//!
//! Losing the key file means losing every dossier, so `create` refuses to overwrite and
//! `replace` never leaves a half-written file behind: a crash leaves the old ring or the
//! new one. Every error names the file and says what to do, never what the keys are.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::{CryptoError, KeyRing};

/// A key ring of a thousand rotations is about 60 KiB; anything much larger is not a key
/// file, and is refused before it is read into memory.
const MAX_FILE_LEN: u64 = 1 << 20;

fn key_file_error(path: &Path, what: impl std::fmt::Display) -> CryptoError {
    CryptoError::KeyFile(format!("key file {}: {what}", path.display()))
}

/// Reads the key ring from `path`.
///
/// # Errors
/// [`CryptoError::KeyFile`] when the file does not exist, is not a regular file, can be
/// read or written by group or others (unix: mode 0600 or stricter is required, so a key
/// that may have leaked is noticed instead of used), or does not parse.
pub fn read(path: &Path) -> Result<KeyRing, CryptoError> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(CryptoError::KeyFile(format!(
                "key file {} does not exist",
                path.display()
            )));
        }
        Err(e) => return Err(key_file_error(path, format!("cannot open it: {e}"))),
    };
    // Check the file we opened, not the path again: nothing can swap it in between.
    let meta = file
        .metadata()
        .map_err(|e| key_file_error(path, format!("cannot inspect it: {e}")))?;
    if !meta.is_file() {
        return Err(key_file_error(path, "is not a regular file"));
    }
    check_private(path, &meta)?;
    if meta.len() > MAX_FILE_LEN {
        return Err(key_file_error(path, "is far too large to be a key file"));
    }
    // Sized up front so the String never grows and leaves copies of the keys behind.
    let capacity = usize::try_from(meta.len()).unwrap_or(0) + 1;
    let mut text = Zeroizing::new(String::with_capacity(capacity));
    file.read_to_string(&mut text)
        .map_err(|e| key_file_error(path, format!("cannot read it: {e}")))?;
    KeyRing::parse_file_text(&text).map_err(|e| key_file_error(path, e))
}

#[cfg(unix)]
fn check_private(path: &Path, meta: &fs::Metadata) -> Result<(), CryptoError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(CryptoError::KeyFile(format!(
            "key file {p} can be accessed by other users (mode {mode:04o}); the keys in it may \
             have leaked. Run `chmod 600 {p}` and consider rotating the keys",
            p = path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &fs::Metadata) -> Result<(), CryptoError> {
    // No unix modes here; protecting the file is left to the platform's access control.
    Ok(())
}

/// Opens a new file that only its owner may read; fails if anything exists at `path`
/// (a file or a symlink), so nothing is ever overwritten or written through a link.
fn open_new_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Writes the ring into a file just created by [`open_new_private`] and fsyncs it; on
/// failure removes the partial file, which would otherwise block a retry.
fn write_and_sync(mut file: File, path: &Path, ring: &KeyRing) -> Result<(), CryptoError> {
    let result = file
        .write_all(ring.to_file_text().as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = result {
        drop(file);
        let _ = fs::remove_file(path);
        return Err(key_file_error(path, format!("cannot write it: {e}")));
    }
    Ok(())
}

/// Fsyncs the directory holding `path`, so the new directory entry survives a power cut.
#[cfg(unix)]
fn sync_parent(path: &Path) -> Result<(), CryptoError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| key_file_error(path, format!("cannot sync its directory: {e}")))
}

#[cfg(not(unix))]
fn sync_parent(_path: &Path) -> Result<(), CryptoError> {
    // Directories cannot be opened for syncing here; the rename is as durable as it gets.
    Ok(())
}

/// Creates a new key file with mode 0600 and fsyncs it (`zorgvuldig init`).
///
/// # Errors
/// [`CryptoError::KeyFile`] when something already exists at `path` (it may hold the only
/// copy of the keys to existing data, so it is never overwritten) or writing fails.
pub fn create(path: &Path, ring: &KeyRing) -> Result<(), CryptoError> {
    let file = open_new_private(path).map_err(|e| {
        if e.kind() == ErrorKind::AlreadyExists {
            key_file_error(
                path,
                "already exists; it is never overwritten, because it may hold the only copy \
                 of the keys to existing data",
            )
        } else {
            key_file_error(path, format!("cannot create it: {e}"))
        }
    })?;
    write_and_sync(file, path, ring)?;
    sync_parent(path)
}

/// `<path>.tmp`, beside the key file so the rename stays within one file system.
fn tmp_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".tmp");
    PathBuf::from(s)
}

/// Replaces the key file atomically (key rotation): writes `<path>.tmp` with mode 0600,
/// fsyncs it, renames it over `path` and fsyncs the directory. A crash at any point leaves
/// either the old or the new ring in place, never a mix.
///
/// # Errors
/// [`CryptoError::KeyFile`] when a step fails; the old file is then untouched.
pub fn replace(path: &Path, ring: &KeyRing) -> Result<(), CryptoError> {
    let tmp = tmp_path(path);
    // A leftover from an interrupted replace holds nothing the key file lacks.
    match fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {}
        Err(e) => return Err(key_file_error(&tmp, format!("cannot remove it: {e}"))),
    }
    let file = open_new_private(&tmp)
        .map_err(|e| key_file_error(&tmp, format!("cannot create it: {e}")))?;
    write_and_sync(file, &tmp, ring)?;
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(key_file_error(
            path,
            format!("cannot move the new key file into place: {e}"),
        ));
    }
    sync_parent(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn message(r: Result<impl std::fmt::Debug, CryptoError>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    // promise: SEC-1
    #[test]
    fn create_writes_mode_0600_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("zorgvuldig.key");
        let ring = KeyRing::generate();
        create(&path, &ring).unwrap();
        assert_eq!(mode(&path), 0o600);
        let before = fs::read(&path).unwrap();
        let msg = message(create(&path, &KeyRing::generate()));
        assert!(msg.contains("already exists"), "{msg}");
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert_eq!(fs::read(&path).unwrap(), before);
        let read_back = read(&path).unwrap();
        assert_eq!(*read_back.to_file_text(), *ring.to_file_text());
    }

    // promise: SEC-1
    #[test]
    fn read_refuses_a_file_others_can_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("zorgvuldig.key");
        create(&path, &KeyRing::generate()).unwrap();
        for loose in [0o644, 0o640, 0o604, 0o620] {
            fs::set_permissions(&path, fs::Permissions::from_mode(loose)).unwrap();
            let msg = message(read(&path));
            assert!(msg.contains("chmod 600"), "{msg}");
            assert!(msg.contains(&path.display().to_string()), "{msg}");
        }
        fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
        assert!(read(&path).is_ok());
    }

    #[test]
    fn read_refuses_a_missing_file_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing.key");
        assert_eq!(
            message(read(&path)),
            format!("key file {} does not exist", path.display())
        );
        assert!(message(read(dir.path())).contains("not a regular file"));
    }

    #[test]
    fn read_reports_a_broken_file_without_its_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.key");
        let text = KeyRing::generate().to_file_text();
        let broken = text.replace("current = 1", "current = 7");
        fs::write(&path, &broken).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let msg = message(read(&path));
        assert!(msg.contains(&path.display().to_string()), "{msg}");
        assert!(msg.contains("current version 7"), "{msg}");
        let key_line = text.lines().find(|l| l.starts_with("kek ")).unwrap();
        assert!(!msg.contains(&key_line[6..]), "{msg}");
    }

    #[test]
    fn replace_is_atomic_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("zorgvuldig.key");
        let mut ring = KeyRing::generate();
        create(&path, &ring).unwrap();
        ring.rotate();
        // A leftover from an interrupted earlier attempt does not block the replace.
        fs::write(tmp_path(&path), "half").unwrap();
        replace(&path, &ring).unwrap();
        assert_eq!(read(&path).unwrap().versions(), vec![1, 2]);
        assert_eq!(mode(&path), 0o600);
        assert!(!tmp_path(&path).exists());
        ring.retire_old();
        replace(&path, &ring).unwrap();
        assert_eq!(read(&path).unwrap().versions(), vec![2]);
        assert_eq!(
            tmp_path(Path::new("/etc/zorgvuldig/keys")),
            Path::new("/etc/zorgvuldig/keys.tmp")
        );
        // Replacing also works when there was no file yet.
        let fresh = dir.path().join("fresh.key");
        replace(&fresh, &ring).unwrap();
        assert_eq!(mode(&fresh), 0o600);
    }
}
