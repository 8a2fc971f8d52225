//! What a [`Tx`](crate::Tx)'s statements run on: a transaction, or, for a read on
//! PostgreSQL, one pooled connection without a transaction.
//!
//! At READ COMMITTED, PostgreSQL's default, each statement of a read sees its own snapshot
//! whether or not it runs inside a transaction. The transaction bought a read nothing but
//! its `BEGIN` and `COMMIT`: two round trips, four in a dossier view (decision 0054).
//! The read still holds one connection from its first statement to its end, as the
//! transaction did: taking one from the pool for every statement would cost each
//! statement sqlx's ping on the connection's return. Without a transaction the server no
//! longer refuses a write slipped into a read, so this type does, in the tests and in
//! production alike: a read runs queries only, and each must be a `SELECT`.

use std::sync::Arc;

use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{self, Postgres};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr,
    Statement, Values,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Mutex;

pub(crate) enum Conn {
    Transaction(DatabaseTransaction),
    /// A PostgreSQL read's connection, returned to the pool when the read ends.
    Reads(Mutex<PoolConnection<Postgres>>),
}

impl Conn {
    /// The transaction, for what needs one by type (the migrator, a savepoint).
    pub(crate) fn transaction(&self) -> Result<&DatabaseTransaction, DbErr> {
        match self {
            Self::Transaction(t) => Ok(t),
            Self::Reads(_) => Err(write_in_read()),
        }
    }
}

fn write_in_read() -> DbErr {
    DbErr::Custom("a write inside a read: begin a write transaction for it".into())
}

fn query_err(e: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(Arc::new(e)))
}

/// A statement a read may run: one that starts with `SELECT` (or a parenthesised one, as
/// a union does). It names the statement's first word only, never its values.
fn only_select(sql: &str) -> Result<(), DbErr> {
    let start = sql.trim_start().trim_start_matches('(').trim_start();
    let word = start.get(..6).unwrap_or(start);
    if word.eq_ignore_ascii_case("SELECT") {
        Ok(())
    } else {
        Err(write_in_read())
    }
}

/// A read's statement, once it is known to be a `SELECT`: its text, and its values moved
/// into sqlx's binding (sqlx prepares and caches the text per connection, as it does the
/// ORM's own statements).
fn select(stmt: Statement) -> Result<(String, SqlxValues), DbErr> {
    only_select(&stmt.sql)?;
    let values = stmt.values.unwrap_or(Values(Vec::new()));
    Ok((stmt.sql, SqlxValues(values)))
}

#[async_trait::async_trait]
impl ConnectionTrait for Conn {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Self::Transaction(t) => t.get_database_backend(),
            Self::Reads(_) => DbBackend::Postgres,
        }
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        match self {
            Self::Transaction(t) => t.execute_raw(stmt).await,
            Self::Reads(_) => Err(write_in_read()),
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match self {
            Self::Transaction(t) => t.execute_unprepared(sql).await,
            Self::Reads(_) => Err(write_in_read()),
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self {
            Self::Transaction(t) => t.query_one_raw(stmt).await,
            Self::Reads(conn) => {
                let (sql, values) = select(stmt)?;
                let mut conn = conn.lock().await;
                let row = sqlx::query_with(sqlx::AssertSqlSafe(sql.as_str()), values)
                    .fetch_optional(&mut **conn)
                    .await
                    .map_err(query_err)?;
                Ok(row.map(QueryResult::from))
            }
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            Self::Transaction(t) => t.query_all_raw(stmt).await,
            Self::Reads(conn) => {
                let (sql, values) = select(stmt)?;
                let mut conn = conn.lock().await;
                let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql.as_str()), values)
                    .fetch_all(&mut **conn)
                    .await
                    .map_err(query_err)?;
                Ok(rows.into_iter().map(QueryResult::from).collect())
            }
        }
    }

    fn support_returning(&self) -> bool {
        match self {
            Self::Transaction(t) => t.support_returning(),
            Self::Reads(_) => DbBackend::Postgres.support_returning(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::only_select;

    #[test]
    fn a_read_runs_selects_only() {
        for sql in [
            "SELECT 1",
            "  select \"a\" FROM \"t\"",
            "(SELECT 1) UNION (SELECT 2)",
        ] {
            assert!(only_select(sql).is_ok(), "{sql}");
        }
        for sql in [
            "UPDATE \"t\" SET \"a\" = $1 RETURNING \"a\"",
            "INSERT INTO \"t\" VALUES ($1) RETURNING \"a\"",
            "DELETE FROM \"t\" RETURNING \"a\"",
            "WITH d AS (DELETE FROM \"t\" RETURNING *) SELECT * FROM d",
            "SELEC",
            "",
        ] {
            assert!(only_select(sql).is_err(), "{sql}");
        }
    }
}
