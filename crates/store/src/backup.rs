//! Backups: the data without the key store, and the key store separately.

use std::path::Path;

use sea_orm::ConnectionTrait;

use crate::{Engine, Store, StoreError};

fn check_out(out: &Path) -> Result<String, StoreError> {
    if out.exists() {
        return Err(StoreError::Backup(format!(
            "{} already exists",
            out.display()
        )));
    }
    let s = out
        .to_str()
        .ok_or_else(|| StoreError::Backup("the path is not valid text".into()))?;
    if s.contains('\'') {
        return Err(StoreError::Backup(
            "the path must not contain a quote".into(),
        ));
    }
    Ok(s.to_owned())
}

async fn sqlite_vacuum(store: &Store, schema: &str, out: &Path) -> Result<(), StoreError> {
    let path = check_out(out)?;
    store
        .db
        .execute_unprepared(&format!("VACUUM {schema} INTO '{path}'"))
        .await?;
    Ok(())
}

async fn pg_dump(store: &Store, args: &[&str], out: &Path) -> Result<(), StoreError> {
    let path = check_out(out)?;
    let url = std::env::var("ZV_DATABASE_URL").ok();
    let url = store
        .pg_url
        .clone()
        .or(url)
        .ok_or_else(|| StoreError::Backup("no database URL".into()))?;
    let status = tokio::process::Command::new("pg_dump")
        .args(args)
        .args(["--format=custom", "--file", &path, "--dbname", &url])
        .status()
        .await
        .map_err(|e| {
            StoreError::Backup(format!(
                "cannot run pg_dump (install postgresql-client): {e}"
            ))
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(StoreError::Backup(format!("pg_dump failed with {status}")))
    }
}

/// A consistent copy of the data (no keys).
pub async fn backup(store: &Store, out: &Path) -> Result<(), StoreError> {
    match store.engine() {
        Engine::Sqlite => sqlite_vacuum(store, "main", out).await,
        Engine::Postgres => pg_dump(store, &["--exclude-schema=zv_keys"], out).await,
    }
}

/// A copy of the key store alone.
pub async fn backup_key_store(store: &Store, out: &Path) -> Result<(), StoreError> {
    match store.engine() {
        Engine::Sqlite => sqlite_vacuum(store, "zv_keys", out).await,
        Engine::Postgres => pg_dump(store, &["--schema=zv_keys"], out).await,
    }
}
