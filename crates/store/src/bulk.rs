//! Multi-row inserts, chunked so no statement exceeds the engines' bind limits
//! (PostgreSQL: 65,535 per statement; SQLite: 32,766 by default).
//!
//! Built with sea-query straight from the active models, moving each value out once:
//! sea-orm's own `insert_many` does more bookkeeping per row than a bulk load affords.

use sea_orm::sea_query::{
    CommonTableExpression, Expr, InsertStatement, Query, UpdateStatement, WithClause,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ConnectionTrait, DbErr, EntityName, EntityTrait, Iterable, Value,
};

use crate::fixed::{Fixed, PerLength};
use crate::{Engine, StoreError, Tx};

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

/// Up to how many rows [`insert_all_kept_then`] keeps a statement's text.
pub(crate) const KEPT_ROWS: usize = 32;

/// [`insert_all`] for a table written on every request (the audit log), keeping the
/// statement's text for each small number of rows (decision 0046); then `then`, an
/// update whose text does not depend on its values. On PostgreSQL, when the rows fit
/// one statement, both go to the server as one statement (`WITH appended AS (INSERT …)
/// UPDATE …`), a round trip fewer; the insert runs in full whether or not the update
/// reads it. SQLite has no insert in `WITH`, and
/// nothing to gain: its statements are calls, not round trips.
pub(crate) async fn insert_all_kept_then<A, B>(
    tx: &Tx,
    texts: &PerLength<KEPT_ROWS>,
    together: &PerLength<KEPT_ROWS>,
    rows: Vec<A>,
    then: (&Fixed, Vec<Value>, B),
) -> Result<(), StoreError>
where
    A: ActiveModelTrait + Send,
    B: FnOnce() -> UpdateStatement + Send,
{
    let (fixed_then, then_values, build_then) = then;
    let columns = columns_of::<A>();
    let joined = match together.of(rows.len()) {
        Some(fixed) if tx.engine == Engine::Postgres && rows.len() <= per_statement(&columns) => {
            Some(fixed)
        }
        _ => None,
    };
    let Some(fixed) = joined else {
        insert_chunks(tx, Some(texts), rows).await?;
        fixed_then.execute(tx, then_values, build_then).await?;
        return Ok(());
    };
    let n = rows.len();
    let mut values = take_values(&columns, rows)?;
    let backend = tx.inner.get_database_backend();
    let built = if fixed.builds(backend) {
        let insert = build_insert::<A>(&columns, values.clone(), n)?;
        let appended = CommonTableExpression::new()
            .query(insert)
            .table_name("appended")
            .to_owned();
        Some(build_then().with(WithClause::new().cte(appended).to_owned()))
    } else {
        None
    };
    values.extend(then_values);
    // `built` is there whenever the closure is called.
    let statement = fixed.statement(backend, values, || built.unwrap_or_default());
    tx.inner.execute_raw(statement).await?;
    Ok(())
}

fn columns_of<A: ActiveModelTrait>() -> Vec<<A::Entity as EntityTrait>::Column> {
    <A::Entity as EntityTrait>::Column::iter().collect()
}

/// Rows per statement for this many columns.
fn per_statement<C>(columns: &[C]) -> usize {
    (MAX_BINDS / columns.len().max(1)).clamp(1, MAX_ROWS)
}

/// Every value of every row, row by row in the order of `columns`.
pub(crate) fn take_values<A: ActiveModelTrait>(
    columns: &[<A::Entity as EntityTrait>::Column],
    rows: impl IntoIterator<Item = A>,
) -> Result<Vec<Value>, StoreError> {
    let mut values = Vec::new();
    for mut row in rows {
        for c in columns {
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
    }
    Ok(values)
}

fn build_insert<A: ActiveModelTrait>(
    columns: &[<A::Entity as EntityTrait>::Column],
    values: Vec<Value>,
    n: usize,
) -> Result<InsertStatement, StoreError> {
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
}

async fn insert_chunks<A>(
    tx: &Tx,
    texts: Option<&PerLength<KEPT_ROWS>>,
    rows: Vec<A>,
) -> Result<u64, StoreError>
where
    A: ActiveModelTrait + Send,
{
    let columns = columns_of::<A>();
    let per = per_statement(&columns);
    let mut inserted = 0;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per).collect();
        let n = chunk.len();
        let values = take_values(&columns, chunk)?;
        let backend = tx.inner.get_database_backend();
        // Every value is bound, so the text depends on the number of rows alone.
        let statement = match texts.and_then(|t| t.of(n)) {
            Some(fixed) => {
                let built = if fixed.builds(backend) {
                    Some(build_insert::<A>(&columns, values.clone(), n)?)
                } else {
                    None
                };
                // `built` is there whenever the closure is called.
                fixed.statement(backend, values, || built.unwrap_or_default())
            }
            None => backend.build(&build_insert::<A>(&columns, values, n)?),
        };
        inserted += tx.inner.execute_raw(statement).await?.rows_affected();
    }
    Ok(inserted)
}

fn table_name<A: ActiveModelTrait>() -> String {
    A::Entity::default().table_name().to_owned()
}
