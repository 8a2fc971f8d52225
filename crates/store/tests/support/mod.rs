//! Test support: a fresh, migrated store on SQLite (always) or PostgreSQL (when
//! `ZV_TEST_DATABASE_URL` is set), and the `both_engines!` macro that writes a test once
//! and runs it on each engine.
//!
//! The PostgreSQL helper creates a database `zv_test_<random>` from the given URL and
//! drops it afterwards (also when the test panics).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use sea_orm::{ConnectionTrait, Database};
use tempfile::TempDir;
use zv_store::{Engine, OpenMode, Store, StoreConfig};

/// The environment variable naming a PostgreSQL server for tests, e.g.
/// `postgres://postgres@127.0.0.1:5432/postgres`.
pub const PG_ENV: &str = "ZV_TEST_DATABASE_URL";

/// A PostgreSQL database made for one test and dropped after it.
pub struct PgTestDb {
    admin_url: String,
    pub name: String,
    pub url: String,
    dropped: bool,
}

impl PgTestDb {
    /// Creates `zv_test_<random>` on the server of `ZV_TEST_DATABASE_URL`; `None` when
    /// the variable is not set.
    pub async fn create() -> Option<Self> {
        let admin_url = std::env::var(PG_ENV)
            .ok()
            .filter(|u| !u.trim().is_empty())?;
        let name = format!("zv_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(admin_url.as_str())
            .await
            .expect("connect to ZV_TEST_DATABASE_URL");
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create test database");
        // As in `zv_testkit::PgDatabase`: a throwaway database's commits need not wait
        // for the server's log to reach the disk.
        admin
            .execute_unprepared(&format!(
                "ALTER DATABASE {name} SET synchronous_commit = off"
            ))
            .await
            .expect("set up test database");
        admin.close().await.ok();
        let url = with_database(&admin_url, &name);
        Some(Self {
            admin_url,
            name,
            url,
            dropped: false,
        })
    }

    pub async fn drop_database(mut self) {
        drop_database(&self.admin_url, &self.name).await;
        self.dropped = true;
    }
}

impl Drop for PgTestDb {
    fn drop(&mut self) {
        if self.dropped {
            return;
        }
        // A panicking test: drop the database from a thread of its own (no async drop).
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(drop_database(&admin_url, &name));
            }
        })
        .join();
    }
}

async fn drop_database(admin_url: &str, name: &str) {
    if let Ok(admin) = Database::connect(admin_url).await {
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
        let _ = admin.close().await;
    }
}

/// The URL with its database name replaced.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// A migrated store on one engine, with its own data directory.
pub struct TestDb {
    pub store: Store,
    pub dir: TempDir,
    pub config: StoreConfig,
    pg: Option<PgTestDb>,
}

impl TestDb {
    pub async fn sqlite() -> Self {
        Self::sqlite_unmigrated().await.migrated().await
    }

    /// `None` when no PostgreSQL server is configured.
    pub async fn postgres() -> Option<Self> {
        Some(Self::postgres_unmigrated().await?.migrated().await)
    }

    /// An empty database on the same engine as `self`, not yet migrated.
    pub async fn fresh_like(&self) -> Self {
        match self.engine() {
            Engine::Sqlite => Self::sqlite_unmigrated().await,
            Engine::Postgres => Self::postgres_unmigrated()
                .await
                .expect("PostgreSQL is configured"),
        }
    }

    pub async fn sqlite_unmigrated() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = StoreConfig {
            database_url: None,
            data_dir: dir.path().join("data"),
            page_cache: zv_store::PageCache::default(),
        };
        let store = Store::open(&config, OpenMode::CreateIfMissing)
            .await
            .unwrap();
        Self {
            store,
            dir,
            config,
            pg: None,
        }
    }

    pub async fn postgres_unmigrated() -> Option<Self> {
        let pg = PgTestDb::create().await?;
        let dir = tempfile::tempdir().unwrap();
        let config = StoreConfig {
            database_url: Some(pg.url.clone()),
            data_dir: dir.path().join("data"),
            page_cache: zv_store::PageCache::default(),
        };
        let store = Store::open(&config, OpenMode::CreateIfMissing)
            .await
            .unwrap();
        Some(Self {
            store,
            dir,
            config,
            pg: Some(pg),
        })
    }

    async fn migrated(self) -> Self {
        self.store.migrate().await.unwrap();
        self
    }

    pub fn engine(&self) -> Engine {
        self.store.engine()
    }

    /// Another pool on the same database (as a second process would have).
    pub async fn reopen(&self) -> Store {
        Store::open(&self.config, OpenMode::MustExist)
            .await
            .unwrap()
    }

    pub async fn finish(self) {
        let Self { store, dir, pg, .. } = self;
        store.close().await.unwrap();
        if let Some(pg) = pg {
            pg.drop_database().await;
        }
        drop(dir);
    }
}

/// Writes each test once and runs it on SQLite and, when configured, PostgreSQL:
///
/// ```ignore
/// both_engines! {
///     async fn round_trip(db) { ... }
/// }
/// ```
/// makes `round_trip::sqlite` and `round_trip::postgres`.
#[macro_export]
macro_rules! both_engines {
    ($($(#[$meta:meta])* async fn $name:ident($db:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                $(#[$meta])*
                async fn run($db: &$crate::support::TestDb) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = $crate::support::TestDb::sqlite().await;
                    run(&db).await;
                    db.finish().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let Some(db) = $crate::support::TestDb::postgres().await else {
                        eprintln!("skipped: set {} to run on PostgreSQL", $crate::support::PG_ENV);
                        return;
                    };
                    run(&db).await;
                    db.finish().await;
                }
            }
        )*
    };
}
