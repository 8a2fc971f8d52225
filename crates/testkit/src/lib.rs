//! Test infrastructure. Every storage test runs on SQLite, and on PostgreSQL too when
//! `ZV_TEST_DATABASE_URL` names a server (CI sets it); each test gets its own fresh
//! database, dropped afterwards.
//!
//! Panicking is how a test fails, so this crate may unwrap.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod browser;
pub mod smtp;
pub mod web;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, Database};
use zv_core::trajectories::TrajectoryInput;
use zv_core::users::NewUserInput;
use zv_core::{Actor, App, Settings};
use zv_domain::{BirthDate, ClientId, FixedClock, Gender, PersonName, Role, TrajectoryId};

/// Which database engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The engines to run every storage test on: SQLite always, PostgreSQL when configured.
/// `ZV_TEST_ENGINES=postgres` (with PostgreSQL configured) leaves SQLite out: CI runs the
/// suite on SQLite first and then its PostgreSQL suite, which need not repeat SQLite.
#[must_use]
pub fn engines() -> Vec<Engine> {
    let postgres = postgres_admin_url().is_some();
    let only_postgres = std::env::var("ZV_TEST_ENGINES").is_ok_and(|v| v.trim() == "postgres");
    match (postgres, only_postgres) {
        (true, true) => vec![Engine::Postgres],
        (true, false) => vec![Engine::Sqlite, Engine::Postgres],
        (false, _) => vec![Engine::Sqlite],
    }
}

#[must_use]
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("ZV_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// The root of the repository, for the shipped policy files.
#[must_use]
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

#[must_use]
pub fn policy_path(name: &str) -> PathBuf {
    repo_root().join("policies").join(format!("{name}.toml"))
}

#[must_use]
pub fn policy(name: &str) -> zv_policy::Policy {
    let text = std::fs::read_to_string(policy_path(name)).unwrap();
    zv_policy::parse(&text).unwrap_or_else(|e| panic!("{e}"))
}

/// A fresh PostgreSQL database, dropped when this value is dropped.
pub struct PgDatabase {
    admin_url: String,
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    /// An empty database: for the tests of what happens on one (migrations, `init`,
    /// restore into a fresh installation).
    pub async fn create() -> Self {
        Self::create_from(None).await
    }

    /// A database whose schema is already complete, as `App::create` would leave it
    /// before it stores the keys: a copy of a template migrated once per test binary.
    /// Migrating each test's database cost PostgreSQL about 1.4 s, copying one about
    /// 0.15 s, and the application's suite makes one per test.
    pub async fn create_migrated() -> Self {
        let template = migrated_template().await;
        Self::create_from(Some(template)).await
    }

    async fn create_from(template: Option<&str>) -> Self {
        let admin_url = postgres_admin_url().expect("ZV_TEST_DATABASE_URL");
        let name = format!("zv_test_{}", uuid::Uuid::new_v4().simple());
        let admin = Database::connect(&admin_url).await.unwrap();
        let from = template.map_or_else(String::new, |t| format!(" TEMPLATE {t}"));
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}{from}"))
            .await
            .unwrap();
        // A throwaway database need not wait for PostgreSQL's log to reach the disk at
        // every commit: what a test reads back is committed either way, and only a crash
        // of the server itself (which no test causes) could lose it. The suite commits
        // thousands of times; waiting for each sync made it CI's longest step. (A copy
        // does not inherit its template's settings.)
        admin
            .execute_unprepared(&format!(
                "ALTER DATABASE {name} SET synchronous_commit = off"
            ))
            .await
            .unwrap();
        admin.close().await.unwrap();
        Self {
            url: database_url(&admin_url, &name),
            admin_url,
            name,
        }
    }
}

fn database_url(admin_url: &str, name: &str) -> String {
    let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
    format!("{base}/{name}")
}

/// The migrated template of this test binary: `zv_tmpl_<built>_<hash>`, named after the
/// binary's build time and path, so a rebuilt binary (perhaps with a changed migration)
/// never copies an older schema. Made once per process, and by one process when several
/// start at once: each migrates a database of its own and renames it to the shared
/// name, and whoever finds the name taken drops theirs. Templates of binaries built
/// more than a day ago are dropped, so a developer's server does not fill up with them.
async fn migrated_template() -> &'static str {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE.get_or_init(make_template).await
}

async fn make_template() -> String {
    use std::hash::{Hash, Hasher};
    let admin_url = postgres_admin_url().expect("ZV_TEST_DATABASE_URL");
    let exe = std::env::current_exe().unwrap();
    let built = epoch_secs(std::fs::metadata(&exe).and_then(|m| m.modified()).unwrap());
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    exe.hash(&mut hasher);
    let name = format!("zv_tmpl_{built}_{:016x}", hasher.finish());
    let admin = Database::connect(&admin_url).await.unwrap();
    if !database_exists(&admin, &name).await {
        migrate_template(&admin, &admin_url, &name).await;
    }
    drop_stale_templates(&admin, &name).await;
    admin.close().await.unwrap();
    name
}

async fn database_exists(admin: &sea_orm::DatabaseConnection, name: &str) -> bool {
    admin
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
        ))
        .await
        .unwrap()
        .is_some()
}

fn epoch_secs(t: std::time::SystemTime) -> u64 {
    t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// Migrates a database of this process's own and renames it to `name`, unless another
/// process got there first.
async fn migrate_template(admin: &sea_orm::DatabaseConnection, admin_url: &str, name: &str) {
    let own = format!(
        "zv_tmpl_new_{}_{}",
        epoch_secs(std::time::SystemTime::now()),
        uuid::Uuid::new_v4().simple()
    );
    admin
        .execute_unprepared(&format!("CREATE DATABASE {own}"))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = zv_store::Store::open(
        &zv_store::StoreConfig {
            database_url: Some(database_url(admin_url, &own)),
            data_dir: dir.path().to_owned(),
            page_cache: zv_store::PageCache::default(),
        },
        zv_store::OpenMode::CreateIfMissing,
    )
    .await
    .unwrap();
    store.migrate().await.unwrap();
    store.close().await.unwrap();
    admin
        .execute_unprepared(&format!("ALTER DATABASE {own} ALLOW_CONNECTIONS false"))
        .await
        .unwrap();
    // The store's sessions may take a moment to end on the server's side.
    for _ in 0..50 {
        if database_exists(admin, name).await {
            break;
        }
        let renamed = admin
            .execute_unprepared(&format!("ALTER DATABASE {own} RENAME TO {name}"))
            .await;
        if renamed.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {own} WITH (FORCE)"))
        .await
        .unwrap();
    assert!(
        database_exists(admin, name).await,
        "the template {name} was not made"
    );
}

/// Templates of binaries built more than a day ago, and a day's leftovers of runs
/// killed while they migrated.
async fn drop_stale_templates(admin: &sea_orm::DatabaseConnection, keep: &str) {
    let now = epoch_secs(std::time::SystemTime::now());
    let all = admin
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT datname FROM pg_database WHERE datname LIKE 'zv\\_tmpl\\_%'".to_owned(),
        ))
        .await
        .unwrap();
    for row in all {
        let other: String = row.try_get_by_index(0).unwrap();
        let since = other
            .trim_start_matches("zv_tmpl_")
            .trim_start_matches("new_")
            .split('_')
            .next()
            .and_then(|t| t.parse::<u64>().ok());
        if other != keep && since.is_none_or(|t| t + 86_400 < now) {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {other} WITH (FORCE)"))
                .await;
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime; a separate thread with its own runtime
        // can block on the async driver without deadlocking it.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                if let Ok(admin) = Database::connect(&admin_url).await {
                    let _ = admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = admin.close().await;
                }
            });
        })
        .join();
    }
}

/// The password of every test account.
pub const TEST_PASSWORD: &str = "correct horse battery";

/// The application on a fresh database, with a clock that tests can move.
pub struct TestApp {
    pub app: App,
    pub clock: FixedClock,
    pub engine: Engine,
    pub dir: tempfile::TempDir,
    pub pg: Option<PgDatabase>,
    pub settings: Settings,
}

/// 2026-11-22 10:00 UTC: the reference "today" of the tests.
#[must_use]
pub fn reference_now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap()
}

#[must_use]
pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

impl TestApp {
    pub async fn start(engine: Engine, policy_name: &str) -> Self {
        Self::start_with_policy(engine, policy(policy_name)).await
    }

    /// On a policy a test changed (a shipped one with a setting swapped).
    pub async fn start_with_policy(engine: Engine, policy: zv_policy::Policy) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let pg = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(PgDatabase::create_migrated().await),
        };
        let mut settings = Settings::new(dir.path().join("data"));
        settings.database_url = pg.as_ref().map(|p| p.url.clone());
        let clock = FixedClock::at(reference_now());
        let app = App::create(settings.clone(), policy, Arc::new(clock.clone()))
            .await
            .unwrap();
        Self {
            app,
            clock,
            engine,
            dir,
            pg,
            settings,
        }
    }

    /// Opens the same installation again (as a restarted server would).
    pub async fn reopen(&self) -> Result<App, zv_core::CoreError> {
        App::open(
            self.settings.clone(),
            self.app.policy().clone(),
            Arc::new(self.clock.clone()),
        )
        .await
    }

    /// The installation's store opened beside the app, for a test that looks at the
    /// rows themselves or breaks them on purpose.
    pub async fn store(&self) -> zv_store::Store {
        zv_store::Store::open(
            &zv_store::StoreConfig {
                database_url: self.settings.database_url.clone(),
                data_dir: self.settings.data_dir.clone(),
                page_cache: zv_store::PageCache::default(),
            },
            zv_store::OpenMode::MustExist,
        )
        .await
        .expect("the test installation's store opens")
    }

    /// Makes every insert into `table` fail, as a full disk or a broken constraint
    /// would, until [`TestApp::allow_inserts`] lifts it.
    pub async fn refuse_inserts(&self, table: &str) {
        self.execute(&match self.engine {
            Engine::Sqlite => format!(
                "CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} \
                 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            ),
            Engine::Postgres => {
                format!("ALTER TABLE {table} ADD CONSTRAINT refuse_{table} CHECK (false) NOT VALID")
            }
        })
        .await;
    }

    /// Lifts [`TestApp::refuse_inserts`].
    pub async fn allow_inserts(&self, table: &str) {
        self.execute(&match self.engine {
            Engine::Sqlite => format!("DROP TRIGGER refuse_{table}"),
            Engine::Postgres => format!("ALTER TABLE {table} DROP CONSTRAINT refuse_{table}"),
        })
        .await;
    }

    async fn execute(&self, sql: &str) {
        let store = self.store().await;
        store
            .connection_for_tests_only()
            .execute_unprepared(sql)
            .await
            .expect("the test's statement runs");
        store.close().await.expect("the test's store closes");
    }

    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.settings.data_dir
    }

    /// A staff member with a signed confidentiality statement, as an acting identity.
    pub async fn staff(&self, username: &str, role: Role, team: Option<&str>) -> Actor {
        self.staff_with_secret(username, role, team).await.0
    }

    /// As [`TestApp::staff`], with the second-factor secret (base32) to sign in with.
    pub async fn staff_with_secret(
        &self,
        username: &str,
        role: Role,
        team: Option<&str>,
    ) -> (Actor, String) {
        let enrolment = self
            .app
            .add_user(
                &Actor::cli("test"),
                NewUserInput {
                    username: username.to_owned(),
                    display_name: format!("Medewerker {username}"),
                    password: zeroize::Zeroizing::new(TEST_PASSWORD.to_owned()),
                    roles: vec![role],
                    teams: team.iter().map(|t| (*t).to_owned()).collect(),
                    branch: None,
                    confidentiality_signed_on: Some(date("2026-01-05")),
                },
            )
            .await
            .unwrap();
        let secret = zv_core::sign_in::otpauth_secret(&enrolment.otpauth_uri)
            .unwrap()
            .to_owned();
        (
            self.app.staff_actor(username, "test").await.unwrap(),
            secret,
        )
    }

    /// The first team of the policy, and a service type (the first, or one with `pred`).
    #[must_use]
    pub fn first_team(&self) -> String {
        self.app.policy().teams()[0].code.clone()
    }

    /// Intake of a client by `actor`, with a first trajectory of `service`.
    pub async fn intake(
        &self,
        actor: &Actor,
        name: &str,
        birth: &str,
        service: &str,
    ) -> (ClientId, TrajectoryId) {
        let today = self.clock_today();
        self.app
            .register_client(
                actor,
                zv_core::clients::NewClientInput {
                    branch: self.app.policy().branches()[0].code.clone(),
                    name: PersonName::parse(name).unwrap(),
                    birth_date: BirthDate::parse(birth, today).unwrap(),
                    gender: Gender::Unknown,
                    address: None,
                    phone: None,
                    email: None,
                    confidential_address: false,
                },
                TrajectoryInput {
                    service_type: service.to_owned(),
                    team: self.first_team(),
                    domestic_violence: false,
                    opened_on: date("2026-02-01"),
                    municipality: None,
                },
            )
            .await
            .unwrap()
    }

    /// A further trajectory of `service` for a client, in the first team, opened `on`.
    pub async fn open_trajectory(
        &self,
        actor: &Actor,
        client: ClientId,
        service: &str,
        on: &str,
    ) -> TrajectoryId {
        self.app
            .open_trajectory(
                actor,
                client,
                TrajectoryInput {
                    service_type: service.to_owned(),
                    team: self.first_team(),
                    domestic_violence: false,
                    opened_on: date(on),
                    municipality: None,
                },
            )
            .await
            .unwrap()
    }

    #[must_use]
    pub fn clock_today(&self) -> NaiveDate {
        use zv_domain::Clock;
        self.clock.today()
    }
}

/// Every file under `dir`, recursively.
#[must_use]
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if let Ok(entries) = std::fs::read_dir(&d) {
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p);
                }
            }
        }
    }
    out
}

/// Whether `needle` occurs in the bytes of `path`.
#[must_use]
pub fn file_contains(path: &Path, needle: &[u8]) -> bool {
    std::fs::read(path)
        .map(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
        .unwrap_or(false)
}
