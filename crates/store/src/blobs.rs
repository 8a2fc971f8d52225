//! Attachment content as files under `DATA_DIR/attachments/`, already encrypted by the
//! core under the client's key. Written atomically (temporary file, fsync, rename).

use std::path::PathBuf;

use zv_domain::AttachmentId;

use crate::{Authorized, Store, StoreError};

fn path(store: &Store, id: AttachmentId) -> PathBuf {
    store.data_dir().join("attachments").join(id.to_string())
}

pub async fn put(store: &Store, id: AttachmentId, bytes: &[u8]) -> Result<(), StoreError> {
    let target = path(store, id);
    let bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || -> Result<(), StoreError> {
        use std::io::Write;
        let dir = target.parent().ok_or(StoreError::NotFound)?;
        std::fs::create_dir_all(dir)?;
        let tmp = target.with_extension("tmp");
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)?;
        Ok(())
    })
    .await
    .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?
}

pub async fn get(
    store: &Store,
    auth: &Authorized,
    id: AttachmentId,
) -> Result<Vec<u8>, StoreError> {
    let _ = auth.client_id();
    Ok(tokio::fs::read(path(store, id)).await?)
}

/// Removes a file; a missing file is not an error (destruction is idempotent).
pub async fn delete(store: &Store, id: AttachmentId) -> Result<(), StoreError> {
    match tokio::fs::remove_file(path(store, id)).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.into()),
    }
}
