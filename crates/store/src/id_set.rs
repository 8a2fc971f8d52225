//! The ids a set destruction works on (`destruction`): the sweep's batch of trajectories,
//! their entries, the clients that leave with them.
//!
//! On SQLite the set is a temporary table of the writing connection, filled once per
//! batch, and each statement names it (`x IN (SELECT id FROM zv_set_…)`). SQLite reads
//! such a table through its own key, where a list of ids in the statement is bound value
//! by value and built into a temporary index every time, even for a table with no rows.
//! A batch of 500 names its ids in some sixty statements: the binding alone was 8% of a
//! sweep (docs/performance.md, session 39). The table lives in the connection's memory,
//! not in the database file, and is emptied before each use; its rows are ids, never
//! personal data, and a rollback takes them back with the rest.
//!
//! On PostgreSQL each statement names the ids (padded, `in_list`): a temporary table
//! there writes to the catalog and has no statistics for the planner.

use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use uuid::Uuid;

use crate::in_list::padded;
use crate::{Engine, StoreError, Tx};

/// Ids per statement where a set is named in a list (PostgreSQL), and per insert into a
/// table (SQLite): within both engines' limits on parameters.
const CHUNK: usize = 1000;

/// What a set holds, and so which temporary table holds it on SQLite.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Of {
    Trajectories,
    Entries,
    Clients,
}

impl Of {
    /// The temporary table, the statement that makes it and the one that empties it:
    /// fixed texts (decision 0046), parsed once per connection.
    const fn table(self) -> [&'static str; 3] {
        match self {
            Self::Trajectories => [
                "zv_set_trajectories",
                "CREATE TEMP TABLE IF NOT EXISTS zv_set_trajectories (id BLOB PRIMARY KEY) WITHOUT ROWID",
                "DELETE FROM zv_set_trajectories",
            ],
            Self::Entries => [
                "zv_set_entries",
                "CREATE TEMP TABLE IF NOT EXISTS zv_set_entries (id BLOB PRIMARY KEY) WITHOUT ROWID",
                "DELETE FROM zv_set_entries",
            ],
            Self::Clients => [
                "zv_set_clients",
                "CREATE TEMP TABLE IF NOT EXISTS zv_set_clients (id BLOB PRIMARY KEY) WITHOUT ROWID",
                "DELETE FROM zv_set_clients",
            ],
        }
    }
}

/// A set of ids, for conditions on a column.
#[derive(Debug)]
pub(crate) enum IdSet {
    /// Named in each statement.
    Listed(Vec<Uuid>),
    /// In a temporary table of the transaction's connection.
    Table(&'static str),
}

impl IdSet {
    /// `ids`, as the transaction's engine names them.
    pub(crate) async fn of(tx: &Tx, of: Of, ids: &[Uuid]) -> Result<Self, StoreError> {
        if tx.engine() != Engine::Sqlite {
            return Ok(Self::Listed(ids.to_vec()));
        }
        let table = empty_table(tx, of).await?;
        for chunk in ids.chunks(CHUNK) {
            // Padded, so the insert's text repeats from batch to batch; `REPLACE` folds
            // the repeats into one row.
            let mut insert = Query::insert();
            insert.replace().into_table(table).columns(["id"]);
            for id in padded(chunk.iter().copied()) {
                insert.values_panic([id.into()]);
            }
            tx.inner.execute(&insert).await?;
        }
        Ok(Self::Table(table))
    }

    /// The ids `select` finds (one column of ids).
    pub(crate) async fn select(
        tx: &Tx,
        of: Of,
        select: SelectStatement,
    ) -> Result<Self, StoreError> {
        use sea_orm::TryGetable;
        if tx.engine() != Engine::Sqlite {
            let mut ids = Vec::new();
            for row in tx.inner.query_all(&select).await? {
                ids.push(Uuid::try_get_by_index(&row, 0).map_err(sea_orm::DbErr::from)?);
            }
            return Ok(Self::Listed(ids));
        }
        let table = empty_table(tx, of).await?;
        let insert = Query::insert()
            .replace()
            .into_table(table)
            .columns(["id"])
            .select_from(select)
            .map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?
            .to_owned();
        tx.inner.execute(&insert).await?;
        Ok(Self::Table(table))
    }

    /// `column IN (the set)`.
    pub(crate) fn cond(&self, column: &'static str) -> Condition {
        Condition::all().add(self.expr(column))
    }

    /// The same as an expression, to combine with others.
    pub(crate) fn expr(&self, column: &'static str) -> Expr {
        match self {
            Self::Listed(ids) => Expr::col(column).is_in(padded(ids.iter().copied())),
            Self::Table(table) => {
                Expr::col(column).in_subquery(Query::select().column("id").from(*table).to_owned())
            }
        }
    }

    /// As [`Self::cond`], in parts of at most a thousand ids where the set is a list: for
    /// a set as large as a batch's entries.
    pub(crate) fn conds(&self, column: &'static str) -> Vec<Condition> {
        match self {
            Self::Listed(ids) => ids
                .chunks(CHUNK)
                .map(|chunk| {
                    Condition::all().add(Expr::col(column).is_in(padded(chunk.iter().copied())))
                })
                .collect(),
            Self::Table(_) => vec![self.cond(column)],
        }
    }
}

/// The temporary table for `of`, made if this connection has none yet, and emptied.
async fn empty_table(tx: &Tx, of: Of) -> Result<&'static str, StoreError> {
    let [table, create, clear] = of.table();
    for sql in [create, clear] {
        tx.inner
            .execute_raw(Statement::from_string(DbBackend::Sqlite, sql))
            .await?;
    }
    Ok(table)
}
