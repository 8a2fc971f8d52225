//! Backups: the data without the key store, and the key store on its own (see the crate
//! docs for why they are separate). Attachment files are not in the database: copy
//! `data_dir/attachments/` beside the backup (they are encrypted under the client keys).
//!
//! SQLite: `VACUUM INTO` a new file, a consistent copy taken while the system runs.
//! PostgreSQL: `pg_dump --format=custom`, restorable with `pg_restore`. A backup never
//! overwrites an existing file.

use std::path::Path;

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
        Engine::Sqlite => dialect::sqlite_vacuum_into(store.db(), schema, out).await,
        Engine::Postgres => {
            let url = store
                .pg_url()
                .ok_or_else(|| StoreError::Backup("no PostgreSQL URL".into()))?;
            dialect::pg_dump(url, schema, out).await
        }
    }
}
