//! Restore (`zorgvuldig restore`): the checks and engine steps the core composes into a
//! restore of a backup into a fresh installation. Nothing here overwrites data: the
//! core refuses a target that holds any, and these functions only look, copy into a
//! staging place, or (PostgreSQL) restore into a database found empty.
//!
//! SQLite: a data backup is a database file made by `VACUUM INTO`; it is checked
//! ([`check_sqlite_copy`]: `PRAGMA integrity_check`, the tables a backup of this kind
//! holds, and migrations this version knows) on a staged copy, never on the original.
//! PostgreSQL: a `pg_dump` custom-format archive, read first with `pg_restore --list`
//! and then restored in one transaction ([`restore_postgres`]).
//!
//! The files of attachments, activity media and record files live under the data
//! directory ([`FILE_DIRS`]); a backup copies them into a directory beside the database
//! backup ([`crate::backup::files_dir_of`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use sea_orm::sea_query::Query;
use sea_orm::sqlx::sqlite::SqliteConnectOptions;
use sea_orm::sqlx::{ConnectOptions as _, Connection as _};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Statement,
    TryGetable,
};
use sea_orm_migration::MigratorTrait;
use zv_domain::ClientId;

use crate::dialect::{self, Location};
use crate::entity::{client_keys, clients};
use crate::{Store, StoreConfig, StoreError};

/// The directories under the data directory that hold files (each already encrypted):
/// attachments, photos and video of group activities, and the documents of applicants,
/// staff and financial records.
pub const FILE_DIRS: [&str; 3] = ["attachments", "activity-media", "record-files"];

/// The SQLite files of a configuration (the main database and the key store), or `None`
/// for PostgreSQL.
pub fn sqlite_files(config: &StoreConfig) -> Result<Option<(PathBuf, PathBuf)>, StoreError> {
    Ok(match dialect::locate(config)? {
        Location::Sqlite { main, keys } => Some((main, keys)),
        Location::Postgres { .. } => None,
    })
}

/// What a backup file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    /// `zorgvuldig backup --out`: everything except the key store.
    Data,
    /// `zorgvuldig backup --key-store-out`: the key store alone.
    KeyStore,
}

impl BackupKind {
    const fn describe(self) -> &'static str {
        match self {
            Self::Data => "data backup",
            Self::KeyStore => "key-store backup",
        }
    }
}

/// The names of the migrations this version knows, oldest first.
#[must_use]
pub fn known_migrations() -> Vec<String> {
    crate::migration::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

/// Migrations a database records as applied that this version does not know: it was
/// made by a newer version, whose schema this one cannot promise to read.
fn unknown(applied: &[String]) -> Vec<String> {
    let known: BTreeSet<String> = known_migrations().into_iter().collect();
    applied
        .iter()
        .filter(|m| !known.contains(*m))
        .cloned()
        .collect()
}

fn refuse(kind: BackupKind, problem: impl std::fmt::Display) -> StoreError {
    StoreError::Backup(format!("the {} is not usable: {problem}", kind.describe()))
}

/// SQLite: checks a staged copy of a backup file: `PRAGMA integrity_check` says `ok`, it
/// holds the tables of its kind (and not those of the other kind), and a data backup's
/// migrations are all known to this version (an older backup is migrated when opened).
/// Returns the number of migrations a data backup has applied.
pub async fn check_sqlite_copy(path: &Path, kind: BackupKind) -> Result<usize, StoreError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .disable_statement_logging();
    let mut conn = options
        .connect()
        .await
        .map_err(|e| refuse(kind, format!("it is not an SQLite database ({e})")))?;
    let result = check_sqlite_connection(&mut conn, kind).await;
    let _ = conn.close().await;
    result
}

async fn check_sqlite_connection(
    conn: &mut sea_orm::sqlx::SqliteConnection,
    kind: BackupKind,
) -> Result<usize, StoreError> {
    use sea_orm::sqlx::Row as _;
    let problems: Vec<String> = sea_orm::sqlx::query("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| refuse(kind, format!("it cannot be read ({e})")))?
        .iter()
        .map(|r| r.try_get::<String, _>(0).unwrap_or_default())
        .collect();
    if problems != ["ok"] {
        let first = problems.first().cloned().unwrap_or_default();
        return Err(refuse(
            kind,
            format!("PRAGMA integrity_check found damage ({first})"),
        ));
    }
    let tables: BTreeSet<String> =
        sea_orm::sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| refuse(kind, format!("it cannot be read ({e})")))?
            .iter()
            .filter_map(|r| r.try_get::<String, _>(0).ok())
            .collect();
    let (needed, foreign): (&[&str], &[&str]) = match kind {
        BackupKind::Data => (
            &["seaql_migrations", "audit_log", "clients"],
            &["client_keys", "system_keys"],
        ),
        BackupKind::KeyStore => (&["client_keys", "system_keys"], &["clients", "audit_log"]),
    };
    if let Some(missing) = needed.iter().find(|t| !tables.contains(**t)) {
        return Err(refuse(
            kind,
            format!(
                "it has no table {missing}; is it a Zorgvuldig {}?",
                kind.describe()
            ),
        ));
    }
    if foreign.iter().any(|t| tables.contains(*t)) {
        return Err(refuse(
            kind,
            match kind {
                BackupKind::Data => "it holds a key store (give it with --key-store-from)",
                BackupKind::KeyStore => "it holds the data, not the key store",
            },
        ));
    }
    if kind == BackupKind::KeyStore {
        return Ok(0);
    }
    let applied: Vec<String> = sea_orm::sqlx::query("SELECT version FROM seaql_migrations")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| refuse(kind, format!("its schema version cannot be read ({e})")))?
        .iter()
        .filter_map(|r| r.try_get::<String, _>(0).ok())
        .collect();
    check_migrations(kind, &applied)?;
    Ok(applied.len())
}

fn check_migrations(kind: BackupKind, applied: &[String]) -> Result<(), StoreError> {
    if applied.is_empty() {
        return Err(refuse(kind, "it records no schema version"));
    }
    if let Some(newer) = unknown(applied).first() {
        return Err(refuse(
            kind,
            format!(
                "it was made by a newer version of Zorgvuldig (schema migration {newer} is \
                 unknown to this one); restore it with that version"
            ),
        ));
    }
    Ok(())
}

/// What a PostgreSQL database already holds, before a restore into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostgresTarget {
    /// Tables, views, sequences and functions in schema `public`.
    pub data_objects: u64,
    /// Whether schema `zv_keys` (the key store) exists.
    pub key_schema: bool,
    /// Tables in schema `zv_keys`.
    pub key_tables: u64,
}

async fn count(store: &Store, sql: &str) -> Result<u64, StoreError> {
    let row = store
        .db()
        .query_one_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await?
        .ok_or(StoreError::NotFound)?;
    let n = i64::try_get_by_index(&row, 0).map_err(sea_orm::DbErr::from)?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// PostgreSQL: what the database holds, so the core can refuse a database with data in it.
pub async fn postgres_target(store: &Store) -> Result<PostgresTarget, StoreError> {
    Ok(PostgresTarget {
        data_objects: count(
            store,
            "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
               WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')) \
             + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
               WHERE n.nspname = 'public')",
        )
        .await?,
        key_schema: count(
            store,
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'zv_keys'",
        )
        .await?
            > 0,
        key_tables: count(
            store,
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'zv_keys'",
        )
        .await?,
    })
}

/// PostgreSQL: checks that `archive` is a custom-format archive of its kind (its table of
/// contents names schema `zv_keys` for a key store, and `audit_log` for data), before
/// anything is written.
pub async fn check_postgres_archive(archive: &Path, kind: BackupKind) -> Result<(), StoreError> {
    let list = dialect::pg_restore_list(archive)
        .await
        .map_err(|e| match e {
            StoreError::Backup(m) if m.contains("not found") => StoreError::Backup(m),
            StoreError::Backup(m) => refuse(kind, m),
            other => other,
        })?;
    let names_keys = list.lines().any(|l| l.contains(" zv_keys "));
    let names_audit = list.lines().any(|l| l.contains(" audit_log "));
    let fits = match kind {
        BackupKind::Data => names_audit && !names_keys,
        BackupKind::KeyStore => names_keys && !names_audit,
    };
    if fits {
        Ok(())
    } else {
        Err(refuse(
            kind,
            format!("it is not a Zorgvuldig {}", kind.describe()),
        ))
    }
}

/// PostgreSQL: restores an archive into the store's database in one transaction.
pub async fn restore_postgres(store: &Store, archive: &Path) -> Result<(), StoreError> {
    let url = store
        .pg_url()
        .ok_or_else(|| StoreError::Backup("no PostgreSQL URL".into()))?;
    dialect::pg_restore(url, archive).await
}

/// PostgreSQL: the schema version of a restored database is one this version knows.
pub async fn check_postgres_schema(store: &Store) -> Result<usize, StoreError> {
    let rows = store
        .db()
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT version FROM seaql_migrations",
        ))
        .await?;
    let mut applied = Vec::with_capacity(rows.len());
    for row in rows {
        applied.push(String::try_get_by_index(&row, 0).map_err(sea_orm::DbErr::from)?);
    }
    check_migrations(BackupKind::Data, &applied)?;
    Ok(applied.len())
}

/// PostgreSQL: removes what a failed restore put into a database that was empty before:
/// every table, view, sequence and function of schema `public`, and schema `zv_keys` when
/// the restore created it (`drop_key_schema`). Only for a database [`postgres_target`]
/// found empty: it drops everything there.
pub async fn undo_postgres(store: &Store, drop_key_schema: bool) -> Result<(), StoreError> {
    let tx = store.begin().await?;
    let statements = [
        "SELECT format('DROP TABLE IF EXISTS public.%I CASCADE', tablename) FROM pg_tables \
         WHERE schemaname = 'public'",
        "SELECT format('DROP VIEW IF EXISTS public.%I CASCADE', viewname) FROM pg_views \
         WHERE schemaname = 'public'",
        "SELECT format('DROP SEQUENCE IF EXISTS public.%I CASCADE', sequencename) \
         FROM pg_sequences WHERE schemaname = 'public'",
        "SELECT format('DROP FUNCTION IF EXISTS %s CASCADE', p.oid::regprocedure) FROM pg_proc p \
         JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'",
    ];
    for select in statements {
        let rows = tx
            .inner
            .query_all_raw(Statement::from_string(DbBackend::Postgres, select))
            .await?;
        for row in rows {
            let drop = String::try_get_by_index(&row, 0).map_err(sea_orm::DbErr::from)?;
            tx.inner.execute_unprepared(&drop).await?;
        }
    }
    if drop_key_schema {
        tx.inner
            .execute_unprepared("DROP SCHEMA IF EXISTS zv_keys CASCADE")
            .await?;
    }
    tx.commit().await
}

/// Clients without a data key in the key store. After a restore with the current key
/// store these are the clients destroyed after the backup was taken: their key is gone,
/// so their rows can never be read again (crypto-shredding, RET-4). Ids only.
pub async fn keyless_clients(store: &Store) -> Result<Vec<ClientId>, StoreError> {
    let with_key = Query::select()
        .column(client_keys::Column::ClientId)
        // Named with its schema: the key store is schema `zv_keys` on both engines.
        .from(("zv_keys", "client_keys"))
        .to_owned();
    let ids: Vec<uuid::Uuid> = clients::Entity::find()
        .select_only()
        .column(clients::Column::Id)
        .filter(clients::Column::Id.not_in_subquery(with_key))
        .into_tuple()
        .all(store.db())
        .await?;
    Ok(ids.into_iter().map(ClientId::from_uuid).collect())
}

/// Copies the file directories ([`FILE_DIRS`]) from under `from` to under `to`, each file
/// synced; returns how many files were copied. A directory missing under `from` is
/// skipped (nothing of that kind was stored). `to`'s directories must not exist yet.
pub fn copy_file_dirs(from: &Path, to: &Path) -> Result<u64, StoreError> {
    let mut files = 0;
    for name in FILE_DIRS {
        let source = from.join(name);
        if source.is_dir() {
            files += copy_tree(&source, &to.join(name))?;
        }
    }
    Ok(files)
}

fn copy_tree(from: &Path, to: &Path) -> Result<u64, StoreError> {
    std::fs::create_dir_all(to)?;
    set_owner_only(to)?;
    let mut files = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            files += copy_tree(&path, &target)?;
        } else if kind.is_file() {
            std::fs::copy(&path, &target)?;
            std::fs::File::open(&target)?.sync_all()?;
            files += 1;
        }
    }
    std::fs::File::open(to)?.sync_all()?;
    Ok(files)
}

/// The copied directories are readable by the owner only, as the originals (the files
/// keep their own mode through `std::fs::copy`).
fn set_owner_only(dir: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}
