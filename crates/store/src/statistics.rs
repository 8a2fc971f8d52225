//! The query planner's statistics.
//!
//! PostgreSQL plans from the statistics `ANALYZE` gathers. After a bulk load (the demo,
//! a restore) it has none until autovacuum gets round to the tables, and none at all
//! when the server runs without autovacuum: it then guesses, and a lookup of 50 clients'
//! trajectories by an indexed column became a scan of the whole table (15 ms instead of
//! 0.1 at 100,000 clients, `docs/performance.md`). So the product gathers them itself
//! after a bulk load, and nightly tidies the tables as autovacuum would when the server
//! runs without it.
//!
//! SQLite plans from the shape of its indexes without statistics, under the planner's
//! stability guarantee (decision 0043), and every query of the product was measured that
//! way: it is left as it is.

use sea_orm::{ConnectionTrait, DbBackend, Statement, TryGetable};

use crate::{Engine, Store, StoreError};

/// Gathers fresh statistics for every table (PostgreSQL); returns whether it did.
pub async fn refresh(store: &Store) -> Result<bool, StoreError> {
    on_postgres(store, "ANALYZE").await
}

/// Removes the rows that deletes and updates left behind and gathers fresh statistics
/// (PostgreSQL's `VACUUM (ANALYZE)`): the work autovacuum does, for a server that runs
/// without it. Returns whether it did anything.
pub async fn tidy(store: &Store) -> Result<bool, StoreError> {
    on_postgres(store, "VACUUM (ANALYZE)").await
}

/// Runs a maintenance statement outside any transaction (`VACUUM` refuses to run in
/// one) on PostgreSQL; SQLite has nothing to do.
async fn on_postgres(store: &Store, sql: &str) -> Result<bool, StoreError> {
    match store.engine() {
        Engine::Sqlite => Ok(false),
        Engine::Postgres => {
            store
                .db()
                .execute_raw(Statement::from_string(DbBackend::Postgres, sql))
                .await?;
            Ok(true)
        }
    }
}

/// Whether the database server keeps the statistics itself: PostgreSQL's autovacuum is
/// on (it also removes the rows that deletes leave behind). Always true for SQLite,
/// which needs neither.
pub async fn kept_by_server(store: &Store) -> Result<bool, StoreError> {
    match store.engine() {
        Engine::Sqlite => Ok(true),
        Engine::Postgres => {
            let row = store
                .db()
                .query_one_raw(Statement::from_string(
                    DbBackend::Postgres,
                    "SELECT current_setting('autovacuum')",
                ))
                .await?
                .ok_or(StoreError::NotFound)?;
            let setting = String::try_get_by_index(&row, 0).map_err(sea_orm::DbErr::from)?;
            Ok(setting == "on")
        }
    }
}
