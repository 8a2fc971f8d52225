//! Database access for SQLite and PostgreSQL through one code path (sea-orm on sqlx).
//!
//! The store knows nothing of keys or plaintext: personal fields arrive and leave as
//! ciphertext. Functions that return a client's ciphertext take an [`Authorized`] proof,
//! which only the core's gate mints after the read's audit event is committed.
//!
//! Data keys live in a separate key store (schema `zv_keys`: an attached `keys.db` on
//! SQLite, a schema on PostgreSQL), so that backups of the data never contain them and
//! destroying a client's key makes its data in old backups unreadable
//! (docs/decisions/0001).
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod attachments;
pub mod audit;
pub mod backup;
pub mod blobs;
pub mod clients;
pub mod demo;
pub mod destruction;
mod dialect;
pub mod entries;
pub mod keys;
pub mod organisation;
pub mod related_persons;
mod rows;
mod schema;
pub mod search;
pub mod staff;
pub mod trajectories;
pub mod work_notes;

use std::path::{Path, PathBuf};

use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};
use zv_domain::ClientId;

pub use demo::{DemoBatch, TrajectoryClosing};
pub use destruction::{DestroyOutcome, NewDestructionRecord};
pub use rows::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct StoreConfig {
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Refuse a missing SQLite database: never silently create an empty one elsewhere.
    MustExist,
    CreateIfMissing,
}

/// Messages never contain row contents or passwords.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no database at {path}")]
    NotInitialised { path: String },
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("the access proof was minted for another client")]
    WrongAuthorization,
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    Conflict,
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("backup failed: {0}")]
    Backup(String),
}

/// Proof that the gate authorized a read of one client's data and committed its audit
/// event (ARCHITECTURE rule 1, STYLE "authorization carried in types").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorized {
    client_id: ClientId,
    audit_seq: i64,
}

impl Authorized {
    /// Only zv-core's gate calls this, after the read's audit event is durably committed.
    /// The web crate cannot reach it: it never depends on the store.
    #[must_use]
    pub const fn minted_by_gate_after_audit(client_id: ClientId, audit_seq: i64) -> Self {
        Self {
            client_id,
            audit_seq,
        }
    }

    #[must_use]
    pub const fn client_id(&self) -> ClientId {
        self.client_id
    }

    #[must_use]
    pub const fn audit_seq(&self) -> i64 {
        self.audit_seq
    }

    pub(crate) fn check(&self, client: ClientId) -> Result<(), StoreError> {
        if self.client_id == client {
            Ok(())
        } else {
            Err(StoreError::WrongAuthorization)
        }
    }
}

#[derive(Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    engine: Engine,
    data_dir: PathBuf,
    pub(crate) pg_url: Option<String>,
}

/// A transaction: data writes and their audit events commit together or not at all.
pub struct Tx {
    pub(crate) inner: DatabaseTransaction,
    pub(crate) engine: Engine,
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.inner.commit().await?)
    }
}

impl Store {
    pub async fn open(config: &StoreConfig, mode: OpenMode) -> Result<Self, StoreError> {
        let (db, engine) = dialect::connect(config, mode).await?;
        let pg_url = config
            .database_url
            .clone()
            .filter(|_| engine == Engine::Postgres);
        Ok(Self {
            db,
            engine,
            data_dir: config.data_dir.clone(),
            pg_url,
        })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        schema::migrate(self).await
    }

    pub async fn is_initialised(&self) -> Result<bool, StoreError> {
        let tx = self.begin().await?;
        let found = keys::get_system_key(&tx, "blind_index").await?.is_some();
        tx.commit().await?;
        Ok(found)
    }

    #[must_use]
    pub const fn engine(&self) -> Engine {
        self.engine
    }

    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(Tx {
            inner: self.db.begin().await?,
            engine: self.engine,
        })
    }

    /// Raw access for the test suite's scans (marker test, tamper test). Not for use by
    /// the application: it bypasses the gate, hence the name.
    #[must_use]
    pub fn connection_for_tests_only(&self) -> &DatabaseConnection {
        &self.db
    }
}
