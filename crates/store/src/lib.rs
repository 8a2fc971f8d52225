//! Database access for SQLite and PostgreSQL through one code path: one sea-orm entity
//! model, one sea-orm-migration set, one query path. What differs between the engines
//! lives in one module, `dialect`.
//!
//! The store knows nothing of keys or plaintext: personal fields arrive and leave as
//! ciphertext (`*_ct` columns), encrypted and decrypted by the core. What the store does:
//! the connection, the migrations, the rows, the hash-chained audit log ([`audit`]),
//! destruction ([`destruction`]), backups ([`backup`]), attachment files ([`blobs`]) and
//! the mail outbox ([`outbox`]).
//!
//! # Who may read what
//! Every function that returns a client's personal data (its ciphertext) takes an
//! [`Authorized`] proof, which only the core's gate mints, after the read's audit event is
//! committed (ARCHITECTURE rules 1 and 2). The reads of a dossier page also accept a
//! [`Decided`] proof, minted once the rules allowed the read, so the page's ciphertext is
//! fetched while its audit event is being made durable (decision 0059); the key that opens
//! it still needs [`Authorized`]. The proof names one client; a function refuses
//! a proof minted for another with [`StoreError::WrongAuthorization`]. Functions that only
//! write, or return ids, counts or metadata without content, need no proof. All functions
//! take a [`Tx`], so the core composes a write and its audit event in one transaction.
//!
//! # Where the keys live, and why there
//! Each client's data key, wrapped by the key-encryption key, is kept in a separate key
//! store, schema `zv_keys`: with SQLite a second file `keys.db` next to `zorgvuldig.db`,
//! attached to every connection; with PostgreSQL a schema of the same database. A backup
//! of the data ([`backup::backup`]) never contains that schema, and the key store is
//! backed up on its own ([`backup::backup_key_store`]). So destroying a client's key
//! makes its data unreadable in every older data backup too ("crypto-shredding", RET-4),
//! as long as old key store backups are kept for a shorter time than data backups or not
//! at all (docs/operations).
//!
//! One consequence on SQLite: a transaction that writes both files (a new client and its
//! key, a destruction) commits atomically per file but, in WAL mode, not across the two
//! files. A crash exactly during such a commit can leave a key without its client (an
//! unused key) or rows without their key (unreadable rows); destruction is idempotent, so
//! an interrupted run is finished by running it again.
//!
//! # Errors
//! This crate returns [`StoreError`] (thiserror) and never logs: the caller logs once, at
//! its boundary, with ids only. No message carries row contents or a password: database
//! errors are passed on as the driver words them (these name constraints and columns, not
//! values), unique violations become [`StoreError::Conflict`], and connection errors name
//! host and database only.

pub mod access_copies;
pub mod activities;
pub mod api_tokens;
pub mod attachments;
pub mod audit;
pub mod audit_checkpoints;
pub mod audit_group;
mod audit_intake;
pub use audit_intake::INTAKE_FILE as AUDIT_INTAKE_FILE;
mod audit_scan;
pub mod backup;
pub mod blobs;
pub mod breaches;
mod bulk;
pub mod cameras;
pub mod clients;
mod columns;
pub mod complaints;
mod conn;
pub mod consents;
pub mod correspondence;
pub mod demo;
pub mod destruction;
pub mod dialect;
pub mod disclosures;
pub mod downloads;
mod entity;
pub mod entries;
pub mod erasures;
mod fixed;
pub mod grants;
mod id_set;
mod in_list;
pub mod keys;
pub mod meldcode;
mod migration;
pub mod minors;
pub mod newsletters;
pub mod organisation;
pub mod outbox;
pub mod personnel;
pub mod portability;
pub mod portal;
pub mod processing_stops;
pub mod recipients;
pub mod recordings;
pub mod rectifications;
pub mod related_persons;
pub mod reports;
pub mod requests;
pub mod restore;
pub mod retention;
mod rows;
pub mod search;
pub mod sign_in;
pub mod staff;
pub mod statement_receipts;
pub mod statements;
pub mod statistics;
pub mod sweep;
pub mod trajectories;
mod wal_checkpoints;
pub mod withholdings;
pub mod work_notes;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait, SqlErr,
    TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use zv_domain::ClientId;

pub use audit::{AuditFilter, BreakReason, BrokenLink, VerifyReport};
pub use demo::{DemoBatch, TrajectoryClosing};
pub use destruction::{DestroyOutcome, NewDestructionRecord, SubjectKind};
pub use rows::*;

/// The database engine in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// The embedded default: a file next to the binary.
    Sqlite,
    /// The scale-out engine, selected by a `postgres://` URL.
    Postgres,
}

/// Where the data is. With no URL: SQLite files `data_dir/zorgvuldig.db` and
/// `data_dir/keys.db`. A `sqlite://path` URL names the main file (the key store is
/// `keys.db` beside it); a `postgres://` URL selects PostgreSQL. Attachment files live
/// under `data_dir/attachments/` on both engines.
#[derive(Clone)]
pub struct StoreConfig {
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    /// SQLite's page cache per reading connection (the writer has its own, decision
    /// 0050); PostgreSQL ignores it.
    pub page_cache: PageCache,
}

/// How much each reading SQLite connection keeps of the database's pages. The one writing
/// connection keeps 32 MiB whatever the workload: nothing else in the process commits, so
/// its cache is not emptied between its transactions (decision 0050).
///
/// Under WAL, a read transaction that begins after any other connection's commit empties
/// its connection's whole page cache first. A server commits an audit event with nearly
/// every request, so its readers never find a page from before; and emptying a cache
/// costs in proportion to the largest it has ever been (SQLite scans its hash table, which
/// never shrinks): 16% of the server's instructions per dossier view with 32 MB. Bulk
/// work (checking, the sweep's work lists, restoring) reads long runs with few commits
/// between, and does keep its pages. See decision 0045.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageCache {
    /// 2 MiB, SQLite's own default: for `serve`, many short reads between commits.
    Online,
    /// 32 MiB: for commands that load, sweep or check in bulk.
    #[default]
    Bulk,
}

impl PageCache {
    /// The value of `PRAGMA cache_size` (negative: KiB).
    pub(crate) const fn pragma(self) -> &'static str {
        match self {
            Self::Online => "-2048",
            Self::Bulk => "-32768",
        }
    }
}

impl fmt::Debug for StoreConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may hold a password.
        f.debug_struct("StoreConfig")
            .field("database_url", &self.database_url.as_ref().map(|_| "***"))
            .field("data_dir", &self.data_dir)
            .field("page_cache", &self.page_cache)
            .finish()
    }
}

/// Whether [`Store::open`] may create a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Refuse a missing SQLite database or key store: never silently create an empty one
    /// elsewhere (a wrong working directory must not look like an empty installation).
    MustExist,
    /// Create the SQLite files (and the data directory) if missing: `init` and tests.
    CreateIfMissing,
}

/// Errors of the store. Messages never contain row contents or passwords.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no database at {path}: run `zorgvuldig init` first, or check the data directory")]
    NotInitialised { path: String },
    #[error("{0}")]
    Connect(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("database error: {0}")]
    Db(DbErr),
    #[error("the access proof was minted for another client")]
    WrongAuthorization,
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    Conflict,
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("backup failed: {0}")]
    Backup(String),
    /// The database cannot be reached or cannot write right now: a lost or refused
    /// connection (PostgreSQL restarting or refusing connections, the pool exhausted), a
    /// busy SQLite file, or a disk that is full or failing. The transaction did not
    /// commit, so nothing changed, and the same request may succeed later: the boundary
    /// answers "unavailable" (503), not "internal error".
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
}

impl StoreError {
    /// Whether this is [`StoreError::Unavailable`]: a condition of the database or its
    /// disk, not of the request.
    #[must_use]
    pub fn is_unavailable(&self) -> bool {
        match self {
            Self::Unavailable(_) => true,
            // A file (an attachment) that cannot be written for lack of space.
            Self::Io(e) => matches!(
                e.kind(),
                std::io::ErrorKind::StorageFull
                    | std::io::ErrorKind::FileTooLarge
                    | std::io::ErrorKind::QuotaExceeded
            ),
            _ => false,
        }
    }
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        // A unique violation is an expected outcome (a username taken), and its driver
        // message may quote the duplicate value: map it before it can travel anywhere.
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::Conflict,
            _ if unavailable(&e) => Self::Unavailable(e.to_string()),
            _ => Self::Db(e),
        }
    }
}

/// Whether a database error says the database is out of reach or cannot write, rather
/// than that a statement or its data is wrong.
fn unavailable(e: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match e {
        // Checking out or opening a connection failed: PostgreSQL is down, refuses
        // connections, or the pool timed out.
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(s)) | DbErr::Query(RuntimeErr::SqlxError(s)) => {
            sqlx_unavailable(s)
        }
        _ => false,
    }
}

fn sqlx_unavailable(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error;
    match e {
        // The connection broke under a statement (a terminated backend, a reset socket).
        Error::Io(_)
        | Error::Tls(_)
        | Error::PoolTimedOut
        | Error::PoolClosed
        | Error::WorkerCrashed => true,
        Error::Database(d) => {
            let code = d.code().unwrap_or_default();
            if d.try_downcast_ref::<sea_orm::sqlx::postgres::PgDatabaseError>()
                .is_some()
            {
                // Class 08: connection exception; 57P01..57P03: the server shuts down
                // or is starting; class 53: insufficient resources (disk full, out of
                // memory, too many connections); 58030: an I/O error on the server.
                code.starts_with("08")
                    || code.starts_with("53")
                    || matches!(&*code, "57P01" | "57P02" | "57P03" | "58030")
            } else if d
                .try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
                .is_some()
            {
                // The primary code is the low byte of the extended one: SQLITE_BUSY (5)
                // after the busy timeout, SQLITE_IOERR (10, a failed write or sync, as
                // when a file may not grow), SQLITE_FULL (13), SQLITE_CANTOPEN (14).
                code.parse::<i32>()
                    .is_ok_and(|c| matches!(c & 0xff, 5 | 10 | 13 | 14))
            } else {
                false
            }
        }
        _ => false,
    }
}

/// Proof that the gate authorized a read of one client's data and committed the read's
/// audit event (ARCHITECTURE rules 1 and 2; STYLE "authorization carried in types"). Store
/// functions that return personal data require it, and refuse one minted for another
/// client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorized {
    client_id: ClientId,
    audit_seq: i64,
}

impl Authorized {
    /// Only zv-core's gate may call this, and only after the read's audit event (at
    /// `audit_seq`) is durably committed. The web crate cannot reach it: it never depends
    /// on the store. Anywhere else, a call is a bug that bypasses the access rules.
    #[must_use]
    pub const fn minted_by_gate_after_audit(client_id: ClientId, audit_seq: i64) -> Self {
        Self {
            client_id,
            audit_seq,
        }
    }

    /// The client whose data this proof releases.
    #[must_use]
    pub const fn client_id(&self) -> ClientId {
        self.client_id
    }

    /// The audit event that recorded the read: its place in the chain, or, negated, its
    /// place in the audit intake until the next write moves it into the chain
    /// ([`audit_group::append_committed`]).
    #[must_use]
    pub const fn audit_seq(&self) -> i64 {
        self.audit_seq
    }

    pub(crate) fn check(&self, client: ClientId) -> Result<(), StoreError> {
        if self.client_id == client {
            Ok(())
        } else {
            Err(StoreError::WrongAuthorization)
        }
    }
}

/// Proof that the gate's access rules allowed a read of one client's data, minted before
/// the read's audit event is durable (decision 0059). The few store functions a dossier
/// page reads with accept it beside [`Authorized`], so the page's rows are fetched while
/// the event is on its way to disk. What they return stays sealed: the client's key that
/// opens it is unwrapped only under the [`Authorized`] proof the gate mints once the event
/// is durable, and the core releases nothing before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decided {
    client_id: ClientId,
}

impl Decided {
    /// Only zv-core's gate may call this, and only after the access rules allowed the
    /// read and its audit event was handed to the group commit.
    #[must_use]
    pub const fn minted_by_gate_after_decision(client_id: ClientId) -> Self {
        Self { client_id }
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Authorized {}
    impl Sealed for super::Decided {}
}

/// A gate's proof naming the one client whose rows a read may return: [`Authorized`]
/// everywhere, [`Decided`] where a function says so. Sealed: no other crate can add one.
pub trait ReadProof: sealed::Sealed + Copy + Send + Sync {
    /// The client whose rows the proof covers.
    fn client_id(&self) -> ClientId;
}

impl ReadProof for Authorized {
    fn client_id(&self) -> ClientId {
        self.client_id
    }
}

impl ReadProof for Decided {
    fn client_id(&self) -> ClientId {
        self.client_id
    }
}

/// An open database. Cheap to clone (a pool handle and a few small shared values).
#[derive(Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// SQLite: the one connection every write transaction uses (decision 0050). Its page
    /// cache survives from one write to the next, where a pooled connection's was emptied
    /// by whichever other connection had committed in between. `None` on PostgreSQL.
    writer: Option<DatabaseConnection>,
    engine: Engine,
    data_dir: Arc<Path>,
    /// The PostgreSQL URL, for `pg_dump`. May hold a password: never printed.
    pg_url: Option<Arc<str>>,
    /// The SQLite database file, for the audit scan that reads it directly.
    sqlite_file: Option<Arc<Path>>,
    group: Arc<audit_group::GroupCommit>,
    /// SQLite admits one writer at a time, and a writer that finds the file locked polls
    /// with growing sleeps (up to 100 ms) in its busy handler: behind a long stream of
    /// writes (the retention sweep's batches) a dossier view's audit commit could lose
    /// every race and wait hundreds of milliseconds. Inside one process the writers
    /// queue here instead, first come first served, and each starts the moment the one
    /// before it ends. Other processes (a CLI run beside `serve`) still meet the busy
    /// handler.
    writers: Arc<tokio::sync::Mutex<()>>,
    /// The writes in or awaiting that turn that hold it long (a sweep's batch, a
    /// restarting checkpoint): while there is one, reads' audit events go to the intake.
    long_writes: Arc<audit_intake::LongWrites>,
    /// SQLite: the audit intake beside the database (decision 0056); `None` on PostgreSQL.
    intake: Option<Arc<audit_intake::Intake>>,
    /// SQLite: the task that checkpoints the logs outside the commits; it stops with the
    /// last clone of the store.
    _checkpoints: Option<Arc<wal_checkpoints::Task>>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("engine", &self.engine)
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

/// How long a write waits for its turn behind this process's other writers: as long as
/// SQLite's busy timeout (`dialect`) lets it wait for another process.
const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// A transaction: data writes and their audit events commit together or not at all.
/// Dropped without [`Tx::commit`], it rolls back.
pub struct Tx {
    pub(crate) inner: conn::Conn,
    pub(crate) engine: Engine,
    /// This process's turn to write (SQLite): held until the transaction has ended, so
    /// the next writer starts only when the file is free. Declared after `inner`, so a
    /// dropped transaction rolls back first.
    turn: Option<tokio::sync::OwnedMutexGuard<()>>,
    /// A long write's mark, held as long as its turn.
    _long: Option<audit_intake::LongWrite>,
    /// The intake events this transaction moved into the chain: known drained once it
    /// has committed.
    drained: Option<(Arc<audit_intake::Intake>, i64)>,
}

impl fmt::Debug for Tx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tx")
            .field("engine", &self.engine)
            .finish_non_exhaustive()
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        let Self {
            inner,
            turn,
            _long,
            drained,
            ..
        } = self;
        let done = match inner {
            conn::Conn::Transaction(t) => t.commit().await,
            conn::Conn::Reads(_) => Ok(()),
        };
        if done.is_ok()
            && let Some((intake, last)) = drained
        {
            intake.drained_in(last);
        }
        drop(turn);
        Ok(done?)
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        let Self { inner, turn, .. } = self;
        let done = match inner {
            conn::Conn::Transaction(t) => t.rollback().await,
            conn::Conn::Reads(_) => Ok(()),
        };
        drop(turn);
        Ok(done?)
    }

    #[must_use]
    pub const fn engine(&self) -> Engine {
        self.engine
    }

    /// A savepoint, for a statement whose failure is an expected outcome (a conflict):
    /// on PostgreSQL a failed statement would otherwise abort the whole transaction.
    pub(crate) async fn savepoint(&self) -> Result<DatabaseTransaction, StoreError> {
        Ok(self.inner.transaction()?.begin().await?)
    }
}

/// Ends a savepoint: released when the statement succeeded, rolled back to when it
/// failed, so the enclosing transaction goes on either way.
pub(crate) async fn release<T>(
    savepoint: DatabaseTransaction,
    result: Result<T, DbErr>,
) -> Result<(), StoreError> {
    match result {
        Ok(_) => Ok(savepoint.commit().await?),
        Err(e) => {
            savepoint.rollback().await?;
            Err(e.into())
        }
    }
}

impl Store {
    /// Opens the database the configuration names. With [`OpenMode::MustExist`] a missing
    /// SQLite database or key store is refused with [`StoreError::NotInitialised`] and
    /// nothing is created. An unreachable PostgreSQL gives [`StoreError::Connect`], naming
    /// host and database but never the password. Call [`Store::migrate`] next.
    pub async fn open(config: &StoreConfig, mode: OpenMode) -> Result<Self, StoreError> {
        let location = dialect::locate(config)?;
        let dialect::Connections { db, writer, engine } =
            dialect::connect(&location, mode, config.page_cache).await?;
        let writers = Arc::<tokio::sync::Mutex<()>>::default();
        let long_writes = Arc::<audit_intake::LongWrites>::default();
        let (pg_url, sqlite_file, checkpoints, intake) = match location {
            dialect::Location::Postgres { url } => (Some(Arc::from(url)), None, None, None),
            dialect::Location::Sqlite { main, keys } => {
                let task = wal_checkpoints::start(
                    db.get_sqlite_connection_pool().clone(),
                    (writers.clone(), long_writes.clone()),
                    &main,
                    &keys,
                );
                let intake = Arc::new(audit_intake::Intake::beside(&main));
                (
                    None,
                    Some(Arc::from(main.as_path())),
                    Some(Arc::new(task)),
                    Some(intake),
                )
            }
        };
        Ok(Self {
            db,
            writer,
            engine,
            data_dir: Arc::from(config.data_dir.as_path()),
            pg_url,
            sqlite_file,
            group: Arc::default(),
            writers,
            long_writes,
            intake,
            _checkpoints: checkpoints,
        })
    }

    /// Applies all migrations not yet applied, in one transaction (SQLite and PostgreSQL
    /// both have transactional DDL), under a lock so that two processes starting together
    /// do not both migrate. Idempotent.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        // Without draining the intake: the schema that records the drain may not be
        // there yet.
        let tx = self.begin_turn(None, false).await?;
        dialect::lock_for_migration(&tx).await?;
        migration::Migrator::up(tx.inner.transaction()?, None)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        tx.commit().await
    }

    /// Whether every migration of this version has been applied.
    pub async fn has_schema(&self) -> Result<bool, StoreError> {
        let pending = migration::Migrator::get_pending_migrations_read_only(&self.db)
            .await
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(pending.is_empty())
    }

    /// Whether the installation is set up: the schema is complete and `init` has stored
    /// the system keys.
    pub async fn is_initialised(&self) -> Result<bool, StoreError> {
        if !self.has_schema().await? {
            return Ok(false);
        }
        Ok(entity::system_keys::Entity::find().count(&self.db).await? > 0)
    }

    #[must_use]
    pub const fn engine(&self) -> Engine {
        self.engine
    }

    /// The data directory (attachment files live under it).
    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Starts a write transaction (on SQLite `BEGIN IMMEDIATE`, see `dialect`). On
    /// SQLite it first moves any audit events waiting in the intake into the chain.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        self.begin_turn(None, true).await
    }

    /// [`Store::begin`] for a write that holds the turn long, a retention sweep's
    /// batch: from now until it ends, reads' audit events are made durable in the
    /// intake instead of waiting for it (decision 0056).
    pub async fn begin_long(&self) -> Result<Tx, StoreError> {
        let long = self.long_writes.mark();
        self.begin_turn(Some(long), true).await
    }

    async fn begin_turn(
        &self,
        long: Option<audit_intake::LongWrite>,
        drain: bool,
    ) -> Result<Tx, StoreError> {
        let turn = match self.engine {
            Engine::Sqlite => Some(
                tokio::time::timeout(WRITER_WAIT, self.writers.clone().lock_owned())
                    .await
                    .map_err(|_| {
                        StoreError::Unavailable(
                            "another write has held the database too long".into(),
                        )
                    })?,
            ),
            Engine::Postgres => None,
        };
        let db = self.writer.as_ref().unwrap_or(&self.db);
        let inner = dialect::begin(db, dialect::write_options(self.engine)).await?;
        let mut tx = Tx {
            inner: conn::Conn::Transaction(inner),
            engine: self.engine,
            turn,
            _long: long,
            drained: None,
        };
        if drain
            && let Some(intake) = &self.intake
            && intake.may_hold_events()
            && let Some(last) = intake.drain(&tx).await?
        {
            tx.drained = Some((intake.clone(), last));
        }
        Ok(tx)
    }

    /// Moves any events waiting in the audit intake into the chain now, rather than with
    /// the next write (before a backup or a check of the chain).
    pub async fn settle_audit_intake(&self) -> Result<(), StoreError> {
        if self.intake.as_ref().is_some_and(|i| i.may_hold_events()) {
            self.begin().await?.commit().await?;
        }
        Ok(())
    }

    /// The intake, while a long write holds or awaits the turn: where the audit group
    /// commit makes reads' events durable meanwhile.
    pub(crate) fn intake_for_reads(&self) -> Option<&audit_intake::Intake> {
        self.intake.as_deref().filter(|_| self.long_writes.any())
    }

    /// Starts a read: it never waits for writers, and a write inside it fails. On SQLite
    /// a deferred transaction, one snapshot for all its statements; on PostgreSQL its
    /// statements on one pooled connection without a transaction, each with its own
    /// snapshot, as at READ COMMITTED inside one (decision 0054).
    pub async fn read_tx(&self) -> Result<Tx, StoreError> {
        let inner = match self.engine {
            Engine::Sqlite => conn::Conn::Transaction(
                dialect::begin(&self.db, dialect::SQLITE_READ_OPTIONS).await?,
            ),
            Engine::Postgres => conn::Conn::Reads(tokio::sync::Mutex::new(
                self.db
                    .get_postgres_connection_pool()
                    .acquire()
                    .await
                    .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(Arc::new(e))))?,
            )),
        };
        Ok(Tx {
            inner,
            engine: self.engine,
            turn: None,
            _long: None,
            drained: None,
        })
    }

    /// Closes the connections, so the files can be removed or copied (tests, restore).
    pub async fn close(self) -> Result<(), StoreError> {
        if let Some(writer) = self.writer {
            writer.close().await?;
        }
        Ok(self.db.close().await?)
    }

    /// Raw access for test suites that must go around the store on purpose (tampering
    /// with the audit log, scanning for planted markers). It bypasses the gate and the
    /// append-only rules' callers, hence the name: never use it in application code.
    #[must_use]
    pub fn connection_for_tests_only(&self) -> &DatabaseConnection {
        &self.db
    }

    pub(crate) fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub(crate) fn pg_url(&self) -> Option<&str> {
        self.pg_url.as_deref()
    }
}
