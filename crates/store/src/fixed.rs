//! Queries whose SQL text does not depend on their values: built once per engine.
//!
//! Writing a statement's text with sea-query on every call was 12% of the instructions
//! of a dossier view (session 21, callgrind): the same text, identifiers quoted and
//! joined afresh, for every one of a view's queries on every request. A [`Fixed`] query
//! keeps the text its first call built on each engine; later calls bind their values to
//! it and skip the builder.
//!
//! The caller passes the values in the order of their placeholders in the text. That
//! order, and the text, are checked whenever the statement is built: on the first call
//! per engine in every build, and on every call in debug builds, which the tests run on
//! both engines. A query whose text would depend on its values (a list of varying
//! length, an optional condition) does not belong here, and the check refuses one that
//! was put here by mistake.

use std::sync::OnceLock;

use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryResult, QueryTrait as _, Select,
    Statement, StatementBuilder, Value, Values,
};

use crate::Tx;

/// One query's text, per engine, once built.
pub(crate) struct Fixed {
    sqlite: OnceLock<String>,
    postgres: OnceLock<String>,
}

impl Fixed {
    pub(crate) const fn new() -> Self {
        Self {
            sqlite: OnceLock::new(),
            postgres: OnceLock::new(),
        }
    }

    fn slot(&self, backend: DbBackend) -> &OnceLock<String> {
        match backend {
            DbBackend::Postgres => &self.postgres,
            _ => &self.sqlite,
        }
    }

    /// Whether [`Fixed::statement`] will call its `build` for `backend`: for a caller
    /// whose building can fail, which builds first only when it must.
    pub(crate) fn builds(&self, backend: DbBackend) -> bool {
        cfg!(debug_assertions) || self.slot(backend).get().is_none()
    }

    /// The statement for `backend` with `values` bound, `values` in the order of their
    /// placeholders; `build` makes the same statement with the same values the usual
    /// way, and is called only when the text is not known yet (or, in debug builds, to
    /// check it).
    pub(crate) fn statement<S: StatementBuilder>(
        &self,
        backend: DbBackend,
        values: Vec<Value>,
        build: impl FnOnce() -> S,
    ) -> Statement {
        let slot = self.slot(backend);
        if !cfg!(debug_assertions)
            && let Some(sql) = slot.get()
        {
            return Statement {
                sql: sql.clone(),
                values: Some(Values(values)),
                db_backend: backend,
            };
        }
        let built = build().build(&backend);
        let sql = slot.get_or_init(|| built.sql.clone());
        let built_values = built.values.map(|v| v.0).unwrap_or_default();
        // A broken promise of this module is a programming error, found by the tests:
        // it names the query's text (identifiers and placeholders only, never values).
        assert!(
            *sql == built.sql && built_values == values,
            "a fixed query's text or value order differs from its build: {}",
            built.sql
        );
        Statement {
            sql: built.sql,
            values: Some(Values(values)),
            db_backend: backend,
        }
    }

    /// Every row of this query in `tx`.
    pub(crate) async fn rows<S: StatementBuilder>(
        &self,
        tx: &Tx,
        values: Vec<Value>,
        build: impl FnOnce() -> S,
    ) -> Result<Vec<QueryResult>, DbErr> {
        self.rows_on(&tx.inner, values, build).await
    }

    /// Every row of this query on `conn`: a transaction, or the pool for a single
    /// statement that needs none.
    pub(crate) async fn rows_on<C: ConnectionTrait, S: StatementBuilder>(
        &self,
        conn: &C,
        values: Vec<Value>,
        build: impl FnOnce() -> S,
    ) -> Result<Vec<QueryResult>, DbErr> {
        let stmt = self.statement(conn.get_database_backend(), values, build);
        conn.query_all_raw(stmt).await
    }

    /// The first row of this query in `tx`, if any.
    pub(crate) async fn row<S: StatementBuilder>(
        &self,
        tx: &Tx,
        values: Vec<Value>,
        build: impl FnOnce() -> S,
    ) -> Result<Option<QueryResult>, DbErr> {
        let stmt = self.statement(tx.inner.get_database_backend(), values, build);
        tx.inner.query_one_raw(stmt).await
    }

    /// Runs this statement (an update) in `tx`.
    pub(crate) async fn execute<S: StatementBuilder>(
        &self,
        tx: &Tx,
        values: Vec<Value>,
        build: impl FnOnce() -> S,
    ) -> Result<sea_orm::ExecResult, DbErr> {
        let stmt = self.statement(tx.inner.get_database_backend(), values, build);
        tx.inner.execute_raw(stmt).await
    }

    /// Every model an entity's query finds in `tx`.
    pub(crate) async fn models<E: EntityTrait>(
        &self,
        tx: &Tx,
        values: Vec<Value>,
        build: impl FnOnce() -> Select<E>,
    ) -> Result<Vec<E::Model>, DbErr> {
        let stmt = self.statement(tx.inner.get_database_backend(), values, || {
            build().into_query()
        });
        // Not `E::find().from_raw_sql`: `find` lists every column of the entity again,
        // which is what this module saves.
        <E::Model as sea_orm::FromQueryResult>::find_by_statement(stmt)
            .all(&tx.inner)
            .await
    }
}

/// Queries whose text depends only on the length of a list they take (`IN (...)`): a
/// [`Fixed`] per length up to `N`; a longer list is built on every call.
pub(crate) struct PerLength<const N: usize>([Fixed; N]);

impl<const N: usize> PerLength<N> {
    pub(crate) const fn new() -> Self {
        Self([const { Fixed::new() }; N])
    }

    pub(crate) fn of(&self, len: usize) -> Option<&Fixed> {
        len.checked_sub(1).and_then(|i| self.0.get(i))
    }

    /// [`Fixed::rows`] for a list of `len` items.
    pub(crate) async fn rows<S: StatementBuilder>(
        &self,
        tx: &Tx,
        len: usize,
        values: Vec<Value>,
        build: impl FnOnce() -> S,
    ) -> Result<Vec<QueryResult>, DbErr> {
        match self.of(len) {
            Some(fixed) => fixed.rows(tx, values, build).await,
            None => tx.inner.query_all(&build()).await,
        }
    }

    /// [`Fixed::models`] for a list of `len` items.
    pub(crate) async fn models<E: EntityTrait>(
        &self,
        tx: &Tx,
        len: usize,
        values: Vec<Value>,
        build: impl FnOnce() -> Select<E>,
    ) -> Result<Vec<E::Model>, DbErr> {
        match self.of(len) {
            Some(fixed) => fixed.models(tx, values, build).await,
            None => build().all(&tx.inner).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};

    use super::*;

    fn query(a: i32, b: &str) -> sea_orm::sea_query::SelectStatement {
        Query::select()
            .column(Alias::new("x"))
            .from(Alias::new("t"))
            .and_where(Expr::col(Alias::new("a")).eq(a))
            .and_where(Expr::col(Alias::new("b")).eq(b))
            .to_owned()
    }

    #[test]
    fn keeps_the_text_and_binds_new_values() {
        let fixed = Fixed::new();
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            let first = fixed.statement(backend, vec![1.into(), "one".into()], || query(1, "one"));
            let second = fixed.statement(backend, vec![2.into(), "two".into()], || query(2, "two"));
            assert_eq!(first.sql, second.sql);
            assert_eq!(second.values, Some(Values(vec![2.into(), "two".into()])));
        }
        assert_ne!(
            fixed.sqlite.get().map(String::as_str),
            fixed.postgres.get().map(String::as_str)
        );
    }

    #[test]
    #[should_panic(expected = "value order differs")]
    fn refuses_values_out_of_order() {
        let fixed = Fixed::new();
        fixed.statement(DbBackend::Sqlite, vec!["one".into(), 1.into()], || {
            query(1, "one")
        });
    }

    // Release builds check the first call only, which this mistake passes.
    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "value order differs")]
    fn refuses_a_text_that_depends_on_its_values() {
        let fixed = Fixed::new();
        let list = |n: i32| {
            Query::select()
                .column(Alias::new("x"))
                .from(Alias::new("t"))
                .and_where(Expr::col(Alias::new("a")).is_in(0..n))
                .to_owned()
        };
        fixed.statement(DbBackend::Sqlite, vec![0.into()], || list(1));
        fixed.statement(DbBackend::Sqlite, vec![0.into(), 1.into()], || list(2));
    }
}
