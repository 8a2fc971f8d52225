//! Nullable columns read straight from the driver's row.
//!
//! sea-orm reads a NULL into an `Option` by way of an error whose message it formats
//! first (`err_null_idx_col`): about a thousand instructions for each NULL, and a dossier
//! view of fifty entries read a hundred of them (session 34, `scripts/callgrind`). sqlx
//! decodes a NULL into `None` by itself.

use std::sync::Arc;

use sea_orm::sqlx::{self, Postgres, Row as _, Sqlite};
use sea_orm::{DbErr, QueryResult, RuntimeErr, TryGetable};

/// The column `name` of `row`, `None` where it is NULL.
pub(crate) fn column<T>(row: &QueryResult, name: &str) -> Result<Option<T>, DbErr>
where
    T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
    T: for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
    Option<T>: TryGetable,
{
    let decoded = if let Some(r) = row.try_as_sqlite_row() {
        r.try_get::<Option<T>, _>(name)
    } else if let Some(r) = row.try_as_pg_row() {
        r.try_get::<Option<T>, _>(name)
    } else {
        return row.try_get::<Option<T>>("", name);
    };
    decoded.map_err(|e| DbErr::Query(RuntimeErr::SqlxError(Arc::new(e))))
}
