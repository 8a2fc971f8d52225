//! Multi-row inserts, chunked so no statement exceeds the engines' bind limits
//! (PostgreSQL: 65,535 per statement; SQLite: 32,766 by default).
//!
//! Built with sea-query straight from the active models, moving each value out once:
//! sea-orm's own `insert_many` does more bookkeeping per row than a bulk load affords.

use sea_orm::sea_query::{Expr, InsertStatement, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ConnectionTrait, DbErr, EntityName, EntityTrait, Iterable, Value,
};

use crate::fixed::PerLength;
use crate::{StoreError, Tx};

/// Bound values per statement, under both engines' limits.
const MAX_BINDS: usize = 30_000;
/// Rows per statement: more gains little and makes statements unwieldy.
const MAX_ROWS: usize = 2_000;

/// Inserts all rows with as few statements as the bind limit allows. Every column of
/// every row must be set. Returns the number of rows inserted.
pub(crate) async fn insert_all<A>(tx: &Tx, rows: Vec<A>) -> Result<u64, StoreError>
where
    A: ActiveModelTrait + Send,
{
    insert_chunks(tx, None, rows).await
}

/// [`insert_all`] for a table written on every request (the audit log): the statement's
/// text for each small number of rows is kept (decision 0046).
pub(crate) async fn insert_all_kept<A>(
    tx: &Tx,
    texts: &PerLength<KEPT_ROWS>,
    rows: Vec<A>,
) -> Result<u64, StoreError>
where
    A: ActiveModelTrait + Send,
{
    insert_chunks(tx, Some(texts), rows).await
}

/// Up to how many rows [`insert_all_kept`] keeps a statement's text.
pub(crate) const KEPT_ROWS: usize = 32;

async fn insert_chunks<A>(
    tx: &Tx,
    texts: Option<&PerLength<KEPT_ROWS>>,
    rows: Vec<A>,
) -> Result<u64, StoreError>
where
    A: ActiveModelTrait + Send,
{
    let columns: Vec<<A::Entity as EntityTrait>::Column> =
        <A::Entity as EntityTrait>::Column::iter().collect();
    let per = (MAX_BINDS / columns.len().max(1)).clamp(1, MAX_ROWS);
    let mut inserted = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut values = Vec::with_capacity(columns.len() * per.min(KEPT_ROWS));
        let mut n = 0;
        for mut row in rows.by_ref().take(per) {
            for c in &columns {
                match row.take(*c) {
                    ActiveValue::Set(v) | ActiveValue::Unchanged(v) => values.push(v),
                    ActiveValue::NotSet => {
                        return Err(DbErr::Custom(format!(
                            "bulk insert into {}: a column is not set",
                            table_name::<A>()
                        ))
                        .into());
                    }
                }
            }
            n += 1;
        }
        let build = |values: Vec<Value>| -> Result<InsertStatement, StoreError> {
            let mut insert = Query::insert();
            insert
                .into_table(A::Entity::default().table_ref())
                .columns(columns.iter().copied());
            let mut values = values.into_iter();
            for _ in 0..n {
                insert
                    .values(values.by_ref().take(columns.len()).map(Expr::val))
                    .map_err(|e| StoreError::Db(DbErr::Custom(e.to_string())))?;
            }
            Ok(insert)
        };
        let backend = tx.inner.get_database_backend();
        // Every value is bound, so the text depends on the number of rows alone.
        let statement = match texts.and_then(|t| t.of(n)) {
            Some(fixed) => {
                let built = if fixed.builds(backend) {
                    Some(build(values.clone())?)
                } else {
                    None
                };
                // `built` is there whenever the closure is called.
                fixed.statement(backend, values, || built.unwrap_or_default())
            }
            None => backend.build(&build(values)?),
        };
        inserted += tx.inner.execute_raw(statement).await?.rows_affected();
    }
    Ok(inserted)
}

fn table_name<A: ActiveModelTrait>() -> String {
    A::Entity::default().table_name().to_owned()
}
