//! Everything engine-specific: connecting, pragmas, placeholders, column types, triggers.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::sqlx::{ConnectOptions as _, Executor};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, QueryResult,
    Statement, Value,
};

use crate::{Engine, OpenMode, StoreConfig, StoreError, Tx};

pub(crate) async fn connect(
    config: &StoreConfig,
    mode: OpenMode,
) -> Result<(DatabaseConnection, Engine), StoreError> {
    match config.database_url.as_deref() {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let mut opts = ConnectOptions::new(url.to_owned());
            opts.max_connections(16)
                .min_connections(1)
                .connect_timeout(Duration::from_secs(10))
                .sqlx_logging(false);
            let db = Database::connect(opts)
                .await
                .map_err(|e| StoreError::Connect(redact(&e.to_string(), url)))?;
            Ok((db, Engine::Postgres))
        }
        Some(url) => {
            let path = url.trim_start_matches("sqlite://");
            sqlite(std::path::Path::new(path), mode).await
        }
        None => sqlite(&config.data_dir.join("zorgvuldig.db"), mode).await,
    }
}

fn redact(message: &str, url: &str) -> String {
    match url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .map(|(userinfo, _)| userinfo)
    {
        Some(userinfo) if userinfo.contains(':') => message.replace(userinfo, "***"),
        _ => message.to_owned(),
    }
}

async fn sqlite(
    path: &std::path::Path,
    mode: OpenMode,
) -> Result<(DatabaseConnection, Engine), StoreError> {
    if mode == OpenMode::MustExist && !path.exists() {
        return Err(StoreError::NotInitialised {
            path: path.display().to_string(),
        });
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let keys = path.with_file_name("keys.db");
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(mode == OpenMode::CreateIfMissing)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .pragma("secure_delete", "ON")
        .busy_timeout(Duration::from_secs(10))
        .disable_statement_logging();
    let keys_path = keys.display().to_string();
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .after_connect(move |conn, _| {
            let keys_path = keys_path.clone();
            Box::pin(async move {
                conn.execute(sea_orm::sqlx::query("ATTACH DATABASE ? AS zv_keys").bind(keys_path)).await?;
                conn.execute("PRAGMA zv_keys.journal_mode = WAL; PRAGMA zv_keys.secure_delete = ON; PRAGMA zv_keys.synchronous = FULL;").await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| StoreError::Connect(e.to_string()))?;
    Ok((
        sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool),
        Engine::Sqlite,
    ))
}

/// Writes `?` placeholders as the engine wants them (`$1, $2, ...` on PostgreSQL).
pub(crate) fn statement(engine: Engine, sql: &str, values: Vec<Value>) -> Statement {
    match engine {
        Engine::Sqlite => Statement::from_sql_and_values(DbBackend::Sqlite, sql, values),
        Engine::Postgres => {
            let mut out = String::with_capacity(sql.len() + 16);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(c);
                }
            }
            Statement::from_sql_and_values(DbBackend::Postgres, out, values)
        }
    }
}

pub(crate) async fn exec(tx: &Tx, sql: &str, values: Vec<Value>) -> Result<u64, StoreError> {
    Ok(tx
        .inner
        .execute_raw(statement(tx.engine, sql, values))
        .await?
        .rows_affected())
}

pub(crate) async fn query(
    tx: &Tx,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, StoreError> {
    Ok(tx
        .inner
        .query_all_raw(statement(tx.engine, sql, values))
        .await?)
}

pub(crate) async fn query_one(
    tx: &Tx,
    sql: &str,
    values: Vec<Value>,
) -> Result<Option<QueryResult>, StoreError> {
    Ok(tx
        .inner
        .query_one_raw(statement(tx.engine, sql, values))
        .await?)
}

/// Column types per engine.
pub(crate) struct Types {
    pub uuid: &'static str,
    pub bytes: &'static str,
    pub time: &'static str,
    pub date: &'static str,
    pub boolean: &'static str,
    pub bigint: &'static str,
}

pub(crate) const fn types(engine: Engine) -> Types {
    match engine {
        Engine::Sqlite => Types {
            uuid: "BLOB",
            bytes: "BLOB",
            time: "TEXT",
            date: "TEXT",
            boolean: "INTEGER",
            bigint: "INTEGER",
        },
        Engine::Postgres => Types {
            uuid: "UUID",
            bytes: "BYTEA",
            time: "TIMESTAMPTZ",
            date: "DATE",
            boolean: "BOOLEAN",
            bigint: "BIGINT",
        },
    }
}

/// The audit log is append-only on both engines (ARCHITECTURE rule 3): a trigger refuses
/// UPDATE and DELETE, which on PostgreSQL stops superusers too; grants are revoked as well.
pub(crate) fn append_only_audit(engine: Engine) -> Vec<&'static str> {
    match engine {
        Engine::Sqlite => vec![
            "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        ],
        Engine::Postgres => vec![
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$",
            "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
            "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC",
        ],
    }
}

/// Whether a database error is a unique-constraint violation.
pub(crate) fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    let s = e.to_string();
    s.contains("UNIQUE constraint failed") || s.contains("duplicate key value")
}
