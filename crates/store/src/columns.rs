//! Columns read straight from the driver's row, for the rows a dossier view reads by the
//! hundred.
//!
//! sea-orm's `QueryResult::try_get` cost about 700 instructions a column on SQLite, on
//! top of the driver's own decoding, and it reads a NULL into an `Option` by way of an
//! error whose message it formats first (`err_null_idx_col`): about a thousand more. A
//! dossier view of fifty entries reads about five hundred columns (sessions 34 and 35,
//! `scripts/callgrind`). sqlx decodes the same column by itself, a NULL into `None`; by
//! position it also skips looking the name up.

use std::sync::Arc;

use sea_orm::sqlx::{self, Postgres, Row as _, Sqlite, postgres::PgRow, sqlite::SqliteRow};
use sea_orm::{DbErr, QueryResult, RuntimeErr, TryGetable};

/// A column of a row: its name, or its position in the query's select list.
pub(crate) trait Column:
    Copy + sqlx::ColumnIndex<SqliteRow> + sqlx::ColumnIndex<PgRow>
{
    /// The same column through sea-orm, for a row of neither driver (a mock).
    fn through_sea_orm<T: TryGetable>(self, row: &QueryResult) -> Result<T, DbErr>;
}

impl Column for &str {
    fn through_sea_orm<T: TryGetable>(self, row: &QueryResult) -> Result<T, DbErr> {
        row.try_get("", self)
    }
}

impl Column for usize {
    fn through_sea_orm<T: TryGetable>(self, row: &QueryResult) -> Result<T, DbErr> {
        row.try_get_by_index(self)
    }
}

/// The column `at` of `row`; an `Option<T>` reads a NULL as `None`.
pub(crate) fn column<T>(row: &QueryResult, at: impl Column) -> Result<T, DbErr>
where
    T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
    T: for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
    T: TryGetable,
{
    let decoded = if let Some(r) = row.try_as_sqlite_row() {
        r.try_get::<T, _>(at)
    } else if let Some(r) = row.try_as_pg_row() {
        r.try_get::<T, _>(at)
    } else {
        return at.through_sea_orm(row);
    };
    decoded.map_err(|e| DbErr::Query(RuntimeErr::SqlxError(Arc::new(e))))
}
