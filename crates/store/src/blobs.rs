//! Attachment content as files under `data_dir/attachments/<id>`, already encrypted by the
//! core under the client's key (so a file outlives neither its key nor its meaning).
//! Written atomically: a temporary file in the same directory, fsync, rename, fsync of
//! the directory. Files are created readable by the owner only.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use zv_domain::AttachmentId;

use crate::{Authorized, Store, StoreError};

const DIR: &str = "attachments";

fn dir(store: &Store) -> PathBuf {
    store.data_dir().join(DIR)
}

fn path(store: &Store, id: AttachmentId) -> PathBuf {
    dir(store).join(id.to_string())
}

/// Writes the content of an attachment. Call before committing its row: a file without
/// a row is harmless (the retention sweep removes it), a row without a file is not.
pub async fn put(store: &Store, id: AttachmentId, bytes: &[u8]) -> Result<(), StoreError> {
    put_path(&dir(store), &path(store, id), bytes).await
}

/// Writes `bytes` to `target` in `dir` atomically, as [`put`] does for attachments.
pub(crate) async fn put_path(dir: &Path, target: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = dir.to_path_buf();
    let target = target.to_path_buf();
    let bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || write_atomically(&dir, &target, &bytes))
        .await
        .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?
}

/// Writes many attachments' content (a bulk load): each file atomically as in [`put`],
/// with one directory sync for all of them instead of one per file.
pub async fn put_many(
    store: &Store,
    files: Vec<(AttachmentId, Vec<u8>)>,
) -> Result<(), StoreError> {
    if files.is_empty() {
        return Ok(());
    }
    let dir = dir(store);
    let targets: Vec<(PathBuf, Vec<u8>)> = files
        .into_iter()
        .map(|(id, bytes)| (path(store, id), bytes))
        .collect();
    tokio::task::spawn_blocking(move || {
        std::fs::create_dir_all(&dir)?;
        for (target, bytes) in &targets {
            write_file(target, bytes)?;
        }
        std::fs::File::open(&dir)?.sync_all()?;
        Ok(())
    })
    .await
    .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?
}

fn write_atomically(dir: &Path, target: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    std::fs::create_dir_all(dir)?;
    write_file(target, bytes)?;
    if let Ok(d) = std::fs::File::open(dir) {
        d.sync_all()?;
    }
    Ok(())
}

/// Writes a file under a temporary name, syncs it and renames it into place; the caller
/// syncs the directory.
fn write_file(target: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let tmp = target.with_extension(format!("tmp-{}", uuid::Uuid::new_v4().simple()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| -> std::io::Result<()> {
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    Ok(result?)
}

/// Reads the content of an attachment of the proof's client. The row is checked first:
/// an attachment of another client is refused ([`StoreError::WrongAuthorization`]), a
/// destroyed one is [`StoreError::NotFound`].
pub async fn get(
    store: &Store,
    auth: &Authorized,
    id: AttachmentId,
) -> Result<Vec<u8>, StoreError> {
    let tx = store.read_tx().await?;
    let owner = crate::attachments::client_of(&tx, id).await?;
    tx.commit().await?;
    auth.check(owner.ok_or(StoreError::NotFound)?)?;
    match tokio::fs::read(path(store, id)).await {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Removes a file; a missing file is not an error (destruction is idempotent).
pub async fn delete(store: &Store, id: AttachmentId) -> Result<(), StoreError> {
    match tokio::fs::remove_file(path(store, id)).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The ids of all attachment files present. Temporary files of writes in progress (or
/// interrupted) are skipped.
pub async fn list(store: &Store) -> Result<Vec<AttachmentId>, StoreError> {
    list_settled(store, std::time::Duration::ZERO).await
}

/// The ids of the attachment files last written at least `settled` ago: the candidates of
/// the purge of files without a row. A younger file may belong to an upload whose row is
/// about to commit ([`put`] runs before the commit), so it is left for a later purge.
pub async fn list_settled(
    store: &Store,
    settled: std::time::Duration,
) -> Result<Vec<AttachmentId>, StoreError> {
    let dir = dir(store);
    let now = std::time::SystemTime::now();
    let mut out = Vec::new();
    let mut entries = match tokio::fs::read_dir(&dir).await {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e.into()),
    };
    while let Some(entry) = entries.next_entry().await? {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(id) = name.parse::<AttachmentId>() else {
            continue;
        };
        if !settled.is_zero() {
            let modified = entry.metadata().await?.modified()?;
            let age = now.duration_since(modified).unwrap_or_default();
            if age < settled {
                continue;
            }
        }
        out.push(id);
    }
    out.sort();
    Ok(out)
}
