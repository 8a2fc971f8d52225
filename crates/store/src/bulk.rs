//! Multi-row inserts, chunked so no statement exceeds the engines' bind limits
//! (PostgreSQL: 65,535 per statement; SQLite: 32,766 by default).
//!
//! Built with sea-query straight from the active models, moving each value out once:
//! sea-orm's own `insert_many` does more bookkeeping per row than a bulk load affords.

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ConnectionTrait, DbErr, EntityName, EntityTrait, Iterable,
};

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
    let columns: Vec<<A::Entity as EntityTrait>::Column> =
        <A::Entity as EntityTrait>::Column::iter().collect();
    let per = (MAX_BINDS / columns.len().max(1)).clamp(1, MAX_ROWS);
    let table = A::Entity::default().table_ref();
    let mut inserted = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut insert = Query::insert();
        insert
            .into_table(table.clone())
            .columns(columns.iter().copied());
        for mut row in rows.by_ref().take(per) {
            let mut values = Vec::with_capacity(columns.len());
            for c in &columns {
                match row.take(*c) {
                    ActiveValue::Set(v) | ActiveValue::Unchanged(v) => values.push(Expr::val(v)),
                    ActiveValue::NotSet => {
                        return Err(DbErr::Custom(format!(
                            "bulk insert into {}: a column is not set",
                            table_name::<A>()
                        ))
                        .into());
                    }
                }
            }
            insert
                .values(values)
                .map_err(|e| StoreError::Db(DbErr::Custom(e.to_string())))?;
        }
        inserted += tx.inner.execute(&insert).await?.rows_affected();
    }
    Ok(inserted)
}

fn table_name<A: ActiveModelTrait>() -> String {
    A::Entity::default().table_name().to_owned()
}
