//! What a [`Tx`](crate::Tx)'s statements run on: a transaction, or, for a read on
//! PostgreSQL, the pool, one statement at a time.
//!
//! At READ COMMITTED, PostgreSQL's default, each statement of a read sees its own snapshot
//! whether or not it runs inside a transaction. The transaction bought a read nothing but
//! its `BEGIN` and `COMMIT`: two round trips, four in a dossier view (decision 0054).
//! Without a transaction the server no longer refuses a write slipped into a read, so
//! this type does, on both engines' tests and in production alike: a read runs queries
//! only, and each must be a `SELECT`.

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, Statement,
};

pub(crate) enum Conn {
    Transaction(DatabaseTransaction),
    /// A PostgreSQL pool: each statement on whichever connection is free.
    Reads(DatabaseConnection),
}

impl Conn {
    /// The transaction, for what needs one by type (the migrator).
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

#[async_trait::async_trait]
impl ConnectionTrait for Conn {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Self::Transaction(t) => t.get_database_backend(),
            Self::Reads(db) => db.get_database_backend(),
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
            Self::Reads(db) => {
                only_select(&stmt.sql)?;
                db.query_one_raw(stmt).await
            }
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            Self::Transaction(t) => t.query_all_raw(stmt).await,
            Self::Reads(db) => {
                only_select(&stmt.sql)?;
                db.query_all_raw(stmt).await
            }
        }
    }

    fn support_returning(&self) -> bool {
        match self {
            Self::Transaction(t) => t.support_returning(),
            Self::Reads(db) => db.support_returning(),
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
