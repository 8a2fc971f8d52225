//! The key file: the key ring's text, mode 0600, written atomically.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use crate::{CryptoError, KeyRing};

pub fn read(path: &Path) -> Result<KeyRing, CryptoError> {
    let meta = fs::metadata(path).map_err(|_| {
        CryptoError::KeyFile(format!(
            "key file {} does not exist (or cannot be read)",
            path.display()
        ))
    })?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(CryptoError::KeyFile(format!(
            "key file {} can be read by other users; run `chmod 600 {}`",
            path.display(),
            path.display()
        )));
    }
    let text = zeroize::Zeroizing::new(fs::read_to_string(path).map_err(|e| {
        CryptoError::KeyFile(format!("cannot read key file {}: {e}", path.display()))
    })?);
    KeyRing::parse_file_text(&text)
        .map_err(|e| CryptoError::KeyFile(format!("key file {}: {e}", path.display())))
}

fn write_new(path: &Path, ring: &KeyRing) -> Result<(), CryptoError> {
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| {
            CryptoError::KeyFile(format!("cannot create key file {}: {e}", path.display()))
        })?;
    f.write_all(ring.to_file_text().as_bytes())?;
    f.sync_all()?;
    Ok(())
}

fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// Creates a new key file; refuses to overwrite one.
pub fn create(path: &Path, ring: &KeyRing) -> Result<(), CryptoError> {
    if path.exists() {
        return Err(CryptoError::KeyFile(format!(
            "key file {} already exists; it is never overwritten",
            path.display()
        )));
    }
    write_new(path, ring)?;
    sync_dir(path);
    Ok(())
}

/// Replaces the key file atomically (write beside it, fsync, rename).
pub fn replace(path: &Path, ring: &KeyRing) -> Result<(), CryptoError> {
    let tmp = path.with_extension("key.tmp");
    let _ = fs::remove_file(&tmp);
    write_new(&tmp, ring)?;
    fs::rename(&tmp, path)?;
    sync_dir(path);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_read_replace_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("zorgvuldig.key");
        assert!(
            read(&path)
                .unwrap_err()
                .to_string()
                .contains("does not exist")
        );
        let mut ring = KeyRing::generate();
        create(&path, &ring).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(
            create(&path, &ring)
                .unwrap_err()
                .to_string()
                .contains("already exists")
        );
        ring.rotate();
        replace(&path, &ring).unwrap();
        assert_eq!(read(&path).unwrap().current_version(), 2);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(read(&path).unwrap_err().to_string().contains("chmod 600"));
    }
}
