//! Everything engine-specific lives here and only here: connecting (pragmas, the attached
//! key store), transaction modes, the key schema, the append-only triggers, the migration
//! lock and backups (`VACUUM INTO`, `pg_dump`). Every other module speaks sea-orm and
//! sea-query, which write each engine's SQL themselves. Each function here is tested on
//! its engine in `tests/`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::sqlx::{ConnectOptions as _, Executor as _};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, SqlxSqliteConnector, Statement, TransactionOptions,
    TransactionTrait as _,
};

use crate::{Engine, OpenMode, PageCache, StoreConfig, StoreError, Tx, wal_checkpoints};

/// The main database file in the data directory.
pub(crate) const SQLITE_FILE: &str = "zorgvuldig.db";
/// The key store file, next to the main database file.
pub(crate) const SQLITE_KEYS_FILE: &str = "keys.db";

/// Where the data lives, decided from the configuration before anything is opened.
pub(crate) enum Location {
    Sqlite { main: PathBuf, keys: PathBuf },
    Postgres { url: String },
}

pub(crate) fn locate(config: &StoreConfig) -> Result<Location, StoreError> {
    let sqlite = |main: PathBuf| {
        let keys = main.with_file_name(SQLITE_KEYS_FILE);
        Location::Sqlite { main, keys }
    };
    match config.database_url.as_deref().map(str::trim) {
        None | Some("") => Ok(sqlite(config.data_dir.join(SQLITE_FILE))),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Location::Postgres {
                url: url.to_owned(),
            })
        }
        Some(url) if url.starts_with("sqlite:") => {
            let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() || path.starts_with(':') {
                return Err(StoreError::Connect(
                    "a sqlite URL must name a database file (sqlite://path/to/zorgvuldig.db)"
                        .into(),
                ));
            }
            Ok(sqlite(PathBuf::from(path)))
        }
        // Never echo the URL: it may hold a password.
        Some(url) => Err(StoreError::Connect(format!(
            "unsupported database URL scheme '{}' (use postgres:// or sqlite://)",
            url.split(':').next().unwrap_or_default()
        ))),
    }
}

/// The connections of an open database: on SQLite a pool of readers and one connection
/// of its own for every write transaction (decision 0050); on PostgreSQL one pool for both.
pub(crate) struct Connections {
    pub(crate) db: DatabaseConnection,
    pub(crate) writer: Option<DatabaseConnection>,
    pub(crate) engine: Engine,
}

pub(crate) async fn connect(
    location: &Location,
    mode: OpenMode,
    page_cache: PageCache,
) -> Result<Connections, StoreError> {
    match location {
        Location::Sqlite { main, keys } => {
            let db = sqlite(main, keys, mode, READERS, page_cache.pragma()).await?;
            // The readers' pool has created the files if it was allowed to.
            let writer = sqlite(main, keys, OpenMode::MustExist, 1, WRITER_CACHE).await;
            let writer = match writer {
                Ok(w) => w,
                Err(e) => {
                    db.close().await?;
                    return Err(e);
                }
            };
            Ok(Connections {
                db,
                writer: Some(writer),
                engine: Engine::Sqlite,
            })
        }
        Location::Postgres { url } => Ok(Connections {
            db: postgres(url).await?,
            writer: None,
            engine: Engine::Postgres,
        }),
    }
}

/// SQLite readers proceed beside the writer under WAL; a few are enough for two cores.
const READERS: u32 = 6;

/// The writer's page cache (`PRAGMA cache_size`, negative: KiB). Only another process's
/// commit empties it (every write of this process goes through it), so unlike a reader's
/// it keeps the pages its writes return to: the tails of the audit log and the register,
/// and the inner pages of the indexes a sweep deletes from. It fills only as far as the
/// writes reach.
const WRITER_CACHE: &str = "-32768";

/// How long a connection waits for another's lock before it gives up (SQLite).
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// SQLite: WAL, `synchronous=FULL` (a committed audit event survives a power cut),
/// `secure_delete=ON` (deleted rows are overwritten with zeros, so destroyed data does not
/// linger in free pages), foreign keys on, and a 10 s busy timeout, on every connection
/// and for both files. The key store is attached as schema `zv_keys`.
async fn sqlite(
    main: &Path,
    keys: &Path,
    mode: OpenMode,
    connections: u32,
    cache_size: &'static str,
) -> Result<DatabaseConnection, StoreError> {
    if mode == OpenMode::MustExist {
        // Refuse rather than create an empty database (or an empty key store, which would
        // make every client's data unreadable) in the wrong place.
        for file in [main, keys] {
            if !file.is_file() {
                return Err(StoreError::NotInitialised {
                    path: file.display().to_string(),
                });
            }
        }
    } else if let Some(dir) = main.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let options = SqliteConnectOptions::new()
        .filename(main)
        .create_if_missing(mode == OpenMode::CreateIfMissing)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .pragma("secure_delete", "ON")
        // Readers' by the workload (`PageCache`), the writer's its own (`WRITER_CACHE`).
        .pragma("cache_size", cache_size)
        .busy_timeout(BUSY_TIMEOUT)
        // The store's own task checkpoints (`wal_checkpoints`); SQLite's stays as a
        // backstop.
        .pragma("wal_autocheckpoint", wal_checkpoints::BACKSTOP.to_string())
        .disable_statement_logging();
    let keys_path = keys.to_string_lossy().into_owned();
    let pool = SqlitePoolOptions::new()
        .max_connections(connections)
        .min_connections(1)
        // A connection to a local file does not go stale; a ping per checkout would cost a
        // round trip to the connection's thread for every transaction.
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            let keys_path = keys_path.clone();
            Box::pin(async move {
                conn.execute(sea_orm::sqlx::query("ATTACH DATABASE ? AS zv_keys").bind(keys_path))
                    .await?;
                conn.execute(
                    "PRAGMA zv_keys.journal_mode = WAL; \
                     PRAGMA zv_keys.synchronous = FULL; \
                     PRAGMA zv_keys.secure_delete = ON;",
                )
                .await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| {
            StoreError::Connect(format!(
                "cannot open the SQLite database {}: {e}",
                main.display()
            ))
        })?;
    Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// Prepared statements kept per PostgreSQL connection (as pgJDBC keeps 256).
const STATEMENT_CACHE: usize = 256;

/// How long a pooled PostgreSQL connection may have been idle and still be handed out
/// without a ping first.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

async fn postgres(url: &str) -> Result<DatabaseConnection, StoreError> {
    let target = describe_postgres(url);
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(16)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        // sqlx pings a connection on every checkout by default: a round trip to the
        // server before each transaction, three in a dossier view. A connection in use
        // moments ago is as alive as a ping could show; one idle for a second is
        // pinged, as a server restart or a firewall may have closed it (decision 0053).
        .test_before_acquire_if_idle_for(PING_AFTER_IDLE)
        .sqlx_logging(false);
    // A statement not in a connection's cache costs PostgreSQL a parse and a round trip
    // of its own before it runs. sqlx keeps 100 per connection; one batch of the sweep
    // alone uses about 70 texts besides a view's, and the whole application several
    // hundred (docs/performance.md, session 32). A URL that sets its own keeps it.
    if !url.contains("statement-cache-capacity") {
        options.map_sqlx_postgres_opts(|o| o.statement_cache_capacity(STATEMENT_CACHE));
    }
    // PostgreSQL compiles a statement planned above `jit_above_cost` to machine code
    // before it runs, which costs 20-140 ms each time: more than the statement itself
    // for the sweep's work list (0.7 ms), and about 30% of a municipality report
    // (decision 0057). A URL whose options set `jit` (`?options=-c%20jit%3Don`) keeps it.
    if !sets_jit(url) {
        options.map_sqlx_postgres_opts(|o| o.options([("jit", "off")]));
    }
    Database::connect(options).await.map_err(|e| {
        StoreError::Connect(format!(
            "cannot connect to PostgreSQL {target}: {}",
            redact(&e.to_string(), url)
        ))
    })
}

/// Whether the URL's connection options set `jit` themselves, written out or
/// percent-encoded.
fn sets_jit(url: &str) -> bool {
    url.to_ascii_lowercase()
        .replace("%3d", "=")
        .contains("jit=")
}

/// "database `db` at host:port" for messages: never the password.
pub(crate) fn describe_postgres(url: &str) -> String {
    match url.parse::<sea_orm::sqlx::postgres::PgConnectOptions>() {
        Ok(o) => format!(
            "database '{}' at {}:{}",
            o.get_database().unwrap_or(o.get_username()),
            o.get_host(),
            o.get_port()
        ),
        Err(_) => "(the URL could not be read)".to_owned(),
    }
}

/// The URL split into one without its password and the password itself (decoded), so a
/// child process gets the password through its environment, not its command line.
pub(crate) fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_owned(), None);
    };
    match userinfo.split_once(':') {
        Some((user, password)) => (
            format!("{scheme}://{user}@{host}{tail}"),
            Some(percent_decode(password)),
        ),
        None => (url.to_owned(), None),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes the password (raw and decoded) from a message.
pub(crate) fn redact(message: &str, url: &str) -> String {
    let Some((_, rest)) = url.split_once("://") else {
        return message.to_owned();
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    match authority
        .rsplit_once('@')
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
    {
        Some((_, password)) if !password.is_empty() => message
            .replace(password, "***")
            .replace(&percent_decode(password), "***"),
        _ => message.to_owned(),
    }
}

/// A write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken at the
/// start, so a transaction that reads and then writes cannot fail halfway with
/// `SQLITE_BUSY` when another writer got in between (a deferred transaction cannot wait
/// to upgrade its read snapshot). PostgreSQL uses its default, READ COMMITTED.
pub(crate) const fn write_options(engine: Engine) -> TransactionOptions {
    match engine {
        Engine::Sqlite => TransactionOptions {
            isolation_level: None,
            access_mode: None,
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        },
        Engine::Postgres => TransactionOptions {
            isolation_level: None,
            access_mode: None,
            sqlite_transaction_mode: None,
        },
    }
}

/// Begins a transaction. On SQLite straight through the pool's own `begin`: the ORM's
/// engine-neutral entry point boxes a future sized for every engine it supports and
/// moves it twice, which was 8% of a dossier view's instructions in `memcpy` (session
/// 22, callgrind; four transactions per view).
pub(crate) async fn begin(
    db: &DatabaseConnection,
    options: TransactionOptions,
) -> Result<DatabaseTransaction, DbErr> {
    match &db.inner {
        sea_orm::DatabaseConnectionType::SqlxSqlitePoolConnection(pool) => {
            pool.begin(
                options.isolation_level,
                options.access_mode,
                options.sqlite_transaction_mode,
            )
            .await
        }
        _ => db.begin_with_options(options).await,
    }
}

/// A read on SQLite: a deferred transaction (readers never block under WAL). PostgreSQL
/// reads run without one (decision 0054).
pub(crate) const SQLITE_READ_OPTIONS: TransactionOptions = TransactionOptions {
    isolation_level: None,
    access_mode: None,
    sqlite_transaction_mode: Some(SqliteTransactionMode::Deferred),
};

/// Serialises migrations of several processes starting at once. On PostgreSQL a
/// transaction-scoped advisory lock (released at commit or rollback); on SQLite the
/// `BEGIN IMMEDIATE` of the migration transaction already does it.
pub(crate) async fn lock_for_migration(tx: &Tx) -> Result<(), StoreError> {
    if tx.engine == Engine::Postgres {
        // An arbitrary constant of this application ("zvmg" as ASCII).
        tx.inner
            .execute_unprepared("SELECT pg_advisory_xact_lock(2054581607)")
            .await?;
    }
    Ok(())
}

/// The key store's schema. On SQLite it is the attached `keys.db`, which exists as soon
/// as a connection is open.
pub(crate) fn create_key_schema(backend: DbBackend) -> Vec<&'static str> {
    match backend {
        DbBackend::Postgres => vec!["CREATE SCHEMA IF NOT EXISTS zv_keys"],
        _ => vec![],
    }
}

/// Names of the triggers that keep the audit log append-only (tests drop them to prove
/// that `verify` catches what the triggers would have refused).
pub const SQLITE_AUDIT_TRIGGERS: [&str; 2] = ["audit_log_no_update", "audit_log_no_delete"];
pub const POSTGRES_AUDIT_TRIGGER: &str = "audit_log_no_change";

/// The audit log is append-only (ARCHITECTURE rule 3). SQLite: triggers that abort any
/// UPDATE or DELETE. PostgreSQL: a statement trigger that raises on UPDATE, DELETE and
/// TRUNCATE, which stops the table owner and superusers too (grants do not bind them),
/// plus the revoked grants for everyone else.
pub(crate) fn append_only_audit(backend: DbBackend) -> Vec<&'static str> {
    match backend {
        DbBackend::Postgres => vec![
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$",
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log \
             FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
            "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC",
        ],
        _ => vec![
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        ],
    }
}

/// Names of the triggers that keep the audit checkpoints append-only (decision 0028;
/// tests drop them as someone with database access would).
pub const SQLITE_CHECKPOINT_TRIGGERS: [&str; 2] =
    ["audit_checkpoints_no_update", "audit_checkpoints_no_delete"];
pub const POSTGRES_CHECKPOINT_TRIGGER: &str = "audit_checkpoints_no_change";

/// Audit-log retention (decision 0028): the audit log stays append-only except that events
/// a signed checkpoint covers (`seq <= MAX(audit_checkpoints.last_seq)`) may be deleted,
/// and the checkpoints themselves are append-only. The triggers keep their names
/// (`audit_log_no_delete`, `audit_log_no_change`), so dropping them still opens the log.
/// PostgreSQL: a row trigger now, which can look at the row; TRUNCATE keeps a statement
/// trigger of its own. The lookup is the checkpoints' primary key, so it costs one index
/// probe per deleted row.
pub(crate) fn audit_retention(backend: DbBackend) -> Vec<&'static str> {
    match backend {
        DbBackend::Postgres => vec![
            "DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log",
            "CREATE OR REPLACE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN \
               IF TG_OP = 'DELETE' AND OLD.seq <= (SELECT COALESCE(MAX(last_seq), 0) FROM audit_checkpoints) THEN \
                 RETURN OLD; \
               END IF; \
               RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege'; \
             END $$",
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log \
             FOR EACH ROW EXECUTE FUNCTION audit_log_guard()",
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log \
             FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
            "CREATE OR REPLACE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'the audit checkpoints are append-only' USING ERRCODE = 'insufficient_privilege'; END $$",
            "CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_checkpoints \
             FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only()",
            "REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoints FROM PUBLIC",
        ],
        _ => vec![
            "DROP TRIGGER IF EXISTS audit_log_no_delete",
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log \
             WHEN OLD.seq > (SELECT COALESCE(MAX(last_seq), 0) FROM audit_checkpoints) \
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            "CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints \
             BEGIN SELECT RAISE(ABORT, 'the audit checkpoints are append-only'); END",
            "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints \
             BEGIN SELECT RAISE(ABORT, 'the audit checkpoints are append-only'); END",
        ],
    }
}

/// Serialises audit-log prunes (decision 0028). PostgreSQL: a transaction-scoped advisory
/// lock; SQLite: the write transaction's `BEGIN IMMEDIATE` already does it.
pub(crate) async fn lock_for_audit_prune(tx: &Tx) -> Result<(), StoreError> {
    if tx.engine == Engine::Postgres {
        // An arbitrary constant of this application ("zvap" as ASCII).
        tx.inner
            .execute_unprepared("SELECT pg_advisory_xact_lock(2054578544)")
            .await?;
    }
    Ok(())
}

/// SQLite: a consistent copy of one schema (`main` or `zv_keys`) into a new file, written
/// beside the target and renamed into place when complete. The path is a bound parameter
/// (`VACUUM INTO` takes an expression), so it needs no quoting.
pub(crate) async fn sqlite_vacuum_into(
    db: &DatabaseConnection,
    schema: Schema,
    out: &Path,
) -> Result<(), StoreError> {
    let tmp = partial_path(out)?;
    let path = tmp
        .to_str()
        .ok_or_else(|| StoreError::Backup("the backup path is not valid UTF-8".into()))?;
    let sql = match schema {
        Schema::Data => "VACUUM main INTO ?",
        Schema::Keys => "VACUUM zv_keys INTO ?",
    };
    let result = db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            sql,
            [path.into()],
        ))
        .await;
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(StoreError::Backup(format!("VACUUM INTO failed: {e}")));
    }
    finish(&tmp, out)
}

/// Which part of the database a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Schema {
    /// Everything except the key store.
    Data,
    /// The key store alone.
    Keys,
}

/// PostgreSQL: `pg_dump --format=custom`, the data without schema `zv_keys`, or that
/// schema alone. The password goes through `PGPASSWORD`, not the command line.
pub(crate) async fn pg_dump(url: &str, schema: Schema, out: &Path) -> Result<(), StoreError> {
    let program = std::env::var_os("ZV_PG_DUMP").unwrap_or_else(|| "pg_dump".into());
    run_pg_dump(&program, url, schema, out).await
}

async fn run_pg_dump(
    program: &std::ffi::OsStr,
    url: &str,
    schema: Schema,
    out: &Path,
) -> Result<(), StoreError> {
    let tmp = partial_path(out)?;
    let (url_without_password, password) = split_password(url);
    let mut command = tokio::process::Command::new(program);
    command
        .arg("--format=custom")
        .arg(match schema {
            Schema::Data => "--exclude-schema=zv_keys",
            Schema::Keys => "--schema=zv_keys",
        })
        .arg("--no-password")
        .arg("--file")
        .arg(&tmp)
        .arg("--dbname")
        .arg(&url_without_password)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    if let Some(p) = password {
        command.env("PGPASSWORD", p);
    }
    let output = command.output().await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            StoreError::Backup(
                "pg_dump was not found: install the PostgreSQL client tools (Debian: postgresql-client) \
                 or set ZV_PG_DUMP to its path"
                    .into(),
            )
        } else {
            StoreError::Backup(format!("cannot run pg_dump: {e}"))
        }
    })?;
    if !output.status.success() {
        let _ = std::fs::remove_file(&tmp);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        return Err(StoreError::Backup(format!(
            "pg_dump failed ({}): {}",
            output.status,
            redact(last, url)
        )));
    }
    finish(&tmp, out)
}

/// PostgreSQL: the program `pg_restore` (or `ZV_PG_RESTORE`).
fn pg_restore_program() -> std::ffi::OsString {
    std::env::var_os("ZV_PG_RESTORE").unwrap_or_else(|| "pg_restore".into())
}

/// PostgreSQL: reads an archive's table of contents (`pg_restore --list`), which proves it
/// is a `pg_dump` custom-format archive before anything is written; returns the listing.
pub(crate) async fn pg_restore_list(archive: &Path) -> Result<String, StoreError> {
    let mut command = tokio::process::Command::new(pg_restore_program());
    command
        .arg("--list")
        .arg(archive)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let output = run_pg_restore(command).await?;
    Ok(String::from_utf8_lossy(&output).into_owned())
}

/// PostgreSQL: `pg_restore --single-transaction` of a custom-format archive into the
/// database `url` names: all of it or, on any error, nothing (PostgreSQL's DDL is
/// transactional). `--no-owner`: the objects belong to the role that restores, which may
/// differ from the one that made the backup. The password goes through `PGPASSWORD`.
pub(crate) async fn pg_restore(url: &str, archive: &Path) -> Result<(), StoreError> {
    let (url_without_password, password) = split_password(url);
    let mut command = tokio::process::Command::new(pg_restore_program());
    command
        .arg("--single-transaction")
        .arg("--exit-on-error")
        .arg("--no-owner")
        .arg("--no-password")
        .arg("--dbname")
        .arg(&url_without_password)
        .arg(archive)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    if let Some(p) = password {
        command.env("PGPASSWORD", p);
    }
    run_pg_restore(command)
        .await
        .map(|_| ())
        .map_err(|e| match e {
            StoreError::Backup(m) => StoreError::Backup(redact(&m, url)),
            other => other,
        })
}

async fn run_pg_restore(mut command: tokio::process::Command) -> Result<Vec<u8>, StoreError> {
    let output = command.output().await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            StoreError::Backup(
                "pg_restore was not found: install the PostgreSQL client tools (Debian: \
                 postgresql-client) or set ZV_PG_RESTORE to its path"
                    .into(),
            )
        } else {
            StoreError::Backup(format!("cannot run pg_restore: {e}"))
        }
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .find(|l| l.contains("error"))
            .or_else(|| stderr.lines().rev().find(|l| !l.trim().is_empty()))
            .unwrap_or_default();
        return Err(StoreError::Backup(format!(
            "pg_restore failed ({}): {last}",
            output.status
        )));
    }
    Ok(output.stdout)
}

/// `out` must not exist: a backup never overwrites anything.
fn partial_path(out: &Path) -> Result<PathBuf, StoreError> {
    if out.exists() {
        return Err(StoreError::Backup(format!(
            "{} already exists; a backup never overwrites a file",
            out.display()
        )));
    }
    let mut name = out
        .file_name()
        .ok_or_else(|| StoreError::Backup("the backup path names no file".into()))?
        .to_os_string();
    name.push(".partial");
    let tmp = out.with_file_name(name);
    if tmp.exists() {
        std::fs::remove_file(&tmp)?;
    }
    Ok(tmp)
}

fn finish(tmp: &Path, out: &Path) -> Result<(), StoreError> {
    std::fs::File::open(tmp)?.sync_all()?;
    if out.exists() {
        let _ = std::fs::remove_file(tmp);
        return Err(StoreError::Backup(format!(
            "{} appeared while the backup was written",
            out.display()
        )));
    }
    std::fs::rename(tmp, out)?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Make the rename itself durable. Not every platform can open a directory.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_survives_in_messages_or_arguments() {
        let url = "postgres://zv:s%40cret@db.example:5433/zorg?sslmode=require";
        let (clean, password) = split_password(url);
        assert_eq!(clean, "postgres://zv@db.example:5433/zorg?sslmode=require");
        assert_eq!(password.as_deref(), Some("s@cret"));
        assert_eq!(
            redact("failed for s@cret and s%40cret", url),
            "failed for *** and ***"
        );
        assert_eq!(describe_postgres(url), "database 'zorg' at db.example:5433");
        assert_eq!(
            split_password("postgres://root@localhost/db"),
            ("postgres://root@localhost/db".into(), None)
        );
    }

    #[tokio::test]
    async fn a_missing_pg_dump_is_named_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x.dump");
        let program = std::ffi::OsStr::new("/nonexistent/pg_dump");
        match run_pg_dump(program, "postgres://u:pw@127.0.0.1/db", Schema::Data, &out).await {
            Err(StoreError::Backup(m)) => assert!(m.contains("pg_dump was not found"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    /// Polls a future once: whether it finished on the caller's thread.
    fn ready_now<F: std::future::Future>(f: F) -> Option<F::Output> {
        let mut f = std::pin::pin!(f);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match f.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => Some(v),
            std::task::Poll::Pending => None,
        }
    }

    /// Decision 0050: every write transaction on SQLite uses the one writer connection,
    /// and one that ended on the caller's thread (as the audit group's do) is back in its
    /// pool at once: nothing here awaits, so a task spawned to return it could not have
    /// run before the assertion.
    #[tokio::test(flavor = "current_thread")]
    async fn the_writer_is_one_connection_back_in_its_pool_when_a_transaction_ends() {
        let dir = tempfile::tempdir().unwrap();
        let location = Location::Sqlite {
            main: dir.path().join("zorgvuldig.db"),
            keys: dir.path().join("keys.db"),
        };
        let connections = connect(&location, OpenMode::CreateIfMissing, PageCache::Online)
            .await
            .unwrap();
        let writer = connections.writer.unwrap();
        let pool = writer.get_sqlite_connection_pool().clone();
        assert_eq!(pool.options().get_max_connections(), 1);
        for commit in [true, false, true] {
            sea_orm::sqlx::sqlite::may_block_here(|| {
                let tx = ready_now(begin(&writer, write_options(Engine::Sqlite)))
                    .expect("BEGIN runs on the caller's thread here")
                    .unwrap();
                let ended = if commit {
                    ready_now(tx.commit())
                } else {
                    ready_now(tx.rollback())
                };
                ended.expect("the end runs on the caller's thread").unwrap();
            });
            assert_eq!(pool.num_idle(), 1);
        }
        writer.close().await.unwrap();
        connections.db.close().await.unwrap();
    }

    #[test]
    fn jit_is_left_to_a_url_that_sets_it() {
        assert!(!sets_jit("postgres://u@h/jitter?sslmode=require"));
        assert!(sets_jit("postgres://u@h/db?options=-c%20jit%3Don"));
        assert!(sets_jit("postgres://u@h/db?options=-c jit=on"));
    }

    #[test]
    fn urls_select_the_engine() {
        let config = |url: Option<&str>| StoreConfig {
            database_url: url.map(str::to_owned),
            data_dir: "/d".into(),
            page_cache: crate::PageCache::default(),
        };
        assert!(
            matches!(locate(&config(None)), Ok(Location::Sqlite { main, keys }) if main == Path::new("/d/zorgvuldig.db") && keys == Path::new("/d/keys.db"))
        );
        assert!(
            matches!(locate(&config(Some("sqlite:///x/y.db?mode=rwc"))), Ok(Location::Sqlite { main, keys }) if main == Path::new("/x/y.db") && keys == Path::new("/x/keys.db"))
        );
        assert!(matches!(
            locate(&config(Some("postgres://u:p@h/db"))),
            Ok(Location::Postgres { .. })
        ));
        assert!(matches!(
            locate(&config(Some("sqlite::memory:"))),
            Err(StoreError::Connect(_))
        ));
        match locate(&config(Some("mysql://u:secret@h/db"))) {
            Err(StoreError::Connect(m)) => assert!(!m.contains("secret")),
            _ => panic!("mysql is refused"),
        }
    }
}
