//! Backups: the data without the key store, and the key store on its own (see the crate
//! docs for why they are separate). The files of attachments, activity media and record
//! files are not in the database: [`backup_files`] copies them into a directory beside the
//! database backup, `OUT.files/` ([`files_dir_of`]); they are already encrypted (under the
//! client keys, or the system key), so that copy holds no plaintext either.
//!
//! SQLite: `VACUUM INTO` a new file, a consistent copy taken while the system runs.
//! PostgreSQL: `pg_dump --format=custom`, restorable with `pg_restore`. A backup never
//! overwrites an existing file.

use std::path::{Path, PathBuf};

use crate::dialect::{self, Schema};
use crate::{Engine, Store, StoreError};

/// A consistent copy of the data, without the key store.
pub async fn backup(store: &Store, out: &Path) -> Result<(), StoreError> {
    run(store, Schema::Data, out).await
}

/// A copy of the key store alone. Keep it apart from the data backups, and for a shorter
/// time: a destroyed client's key lives on in every key store backup that has it.
pub async fn backup_key_store(store: &Store, out: &Path) -> Result<(), StoreError> {
    run(store, Schema::Keys, out).await
}

async fn run(store: &Store, schema: Schema, out: &Path) -> Result<(), StoreError> {
    match store.engine() {
        Engine::Sqlite => {
            // Reads audited in the intake belong in the copy's log.
            store.settle_audit_intake().await?;
            dialect::sqlite_vacuum_into(store.db(), schema, out).await
        }
        Engine::Postgres => {
            let url = store
                .pg_url()
                .ok_or_else(|| StoreError::Backup("no PostgreSQL URL".into()))?;
            dialect::pg_dump(url, schema, out).await
        }
    }
}

/// The directory beside a database backup `out` that holds its files: `OUT.files`.
#[must_use]
pub fn files_dir_of(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_os_string();
    name.push(".files");
    PathBuf::from(name)
}

/// Copies the file directories of the data directory (attachments, activity media,
/// record files) into `dir`, which must not exist: written as `dir.partial` and renamed
/// when complete, as the database backup is. Call after the database backup: a file
/// stored in between is copied without its row, which is harmless (the retention sweep
/// removes such a file); the other order could leave a row without its file.
pub async fn backup_files(store: &Store, dir: &Path) -> Result<u64, StoreError> {
    let data_dir = store.data_dir().to_path_buf();
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        if dir.exists() {
            return Err(StoreError::Backup(format!(
                "{} already exists; a backup never overwrites anything",
                dir.display()
            )));
        }
        let mut name = dir
            .file_name()
            .ok_or_else(|| StoreError::Backup("the backup path names no file".into()))?
            .to_os_string();
        name.push(".partial");
        let tmp = dir.with_file_name(name);
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir_all(&tmp)?;
        let copied = match crate::restore::copy_file_dirs(&data_dir, &tmp) {
            Ok(n) => n,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&tmp);
                return Err(e);
            }
        };
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, &dir)?;
        if let Some(parent) = dir.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = std::fs::File::open(parent)
        {
            let _ = d.sync_all();
        }
        Ok(copied)
    })
    .await
    .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?
}
