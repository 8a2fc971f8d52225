//! Restore (`zorgvuldig restore`): a data backup, its files and a key store put back as a
//! fresh installation. The counterpart of [`App::backup`](crate::App::backup).
//!
//! Rules it keeps:
//! - **Never over live data.** The target must be fresh: no database (SQLite: no
//!   `zorgvuldig.db`; PostgreSQL: nothing in schema `public`) and no stored files. A key
//!   store may be there: it is the *current* one, and the one to use (below).
//! - **All or nothing.** SQLite: everything is built in a staging directory inside the
//!   data directory, checked and opened there, and renamed into place at the end.
//!   PostgreSQL: `pg_restore` runs in one transaction; a failure after it drops what the
//!   restore created. Either way a failed restore leaves the target as it was.
//! - **The audit chain continues.** The restored audit log is verified (ACC-7) before
//!   anything is written; a broken chain refuses the backup. Then the restore records its
//!   own event (actor `cli:restore`), so the chain goes on from the backup's head.
//! - **Destroyed stays destroyed** (RET-4, crypto-shredding). A destroyed client's data
//!   key is gone from the current key store, so a backup from before the destruction,
//!   restored with that key store, holds rows nobody can decrypt. The restore destroys
//!   those rows too (each client with no data key), with a destruction record (RET-6)
//!   under rule [`RESTORE_RULE`], so no ciphertext without a key lingers either.
//!
//! A key store given with `--key-store-from` is put in place instead of the current one;
//! normally that is wrong: an old key-store copy still holds the keys of clients destroyed
//! since, and would make their data readable again (docs/operations/backup-and-keys.md).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use zv_domain::{AuditAction, AuditObject, Clock};
use zv_policy::Policy;
use zv_store::restore::{self as store_restore, BackupKind, FILE_DIRS};
use zv_store::{OpenMode, Store};

use crate::app::{App, Settings};
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::KeySource;
use crate::maintenance::VerifyReport;

pub use zv_store::backup::files_dir_of;

/// The rule named in the destruction record of a client whose data key was absent at a
/// restore.
pub const RESTORE_RULE: &str = "restore: data key absent";
const RESTORE_REASON: &str = "the data key is not in the key store used for the restore: the client was destroyed after the backup was made";

/// What to restore from.
#[derive(Debug, Clone)]
pub struct RestoreSource {
    /// The data backup (`zorgvuldig backup --out`).
    pub data: PathBuf,
    /// The backup's files; by default the directory `DATA.files` beside it.
    pub files: Option<PathBuf>,
    /// A key-store copy to put in place. `None`: the target's current key store is used.
    pub key_store: Option<PathBuf>,
}

/// Which key store the restored installation uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStoreUsed {
    /// The one already at the target (the current key store).
    Current,
    /// A copy given with `--key-store-from`, now in place.
    Restored,
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    /// Schema migrations the backup had applied.
    pub migrations: usize,
    /// The audit chain of the backup, verified before the restore wrote anything.
    pub audit: VerifyReport,
    /// Files (attachments, activity media, record files) put back.
    pub files: u64,
    pub key_store: KeyStoreUsed,
    /// Clients with no data key in that key store, destroyed again by the restore.
    pub destroyed_clients: u64,
    /// Audit events in the restored log, the restore's own events included.
    pub audit_events: u64,
}

fn refuse(message: impl Into<String>) -> CoreError {
    CoreError::Conflict(message.into())
}

fn io(e: std::io::Error) -> CoreError {
    zv_store::StoreError::Io(e).into()
}

/// The store words a failed check or `pg_restore` as a backup error; here it is a restore
/// that was refused or failed, so the message stands on its own.
fn restore_error(e: zv_store::StoreError) -> CoreError {
    match e {
        zv_store::StoreError::Backup(m) => CoreError::Conflict(m),
        other => other.into(),
    }
}

/// Restores a backup into the fresh installation `settings` names (see the module docs).
pub async fn restore(
    settings: Settings,
    policy: Policy,
    clock: Arc<dyn Clock>,
    source: RestoreSource,
) -> CoreResult<RestoreReport> {
    let files_from = source
        .files
        .clone()
        .unwrap_or_else(|| files_dir_of(&source.data));
    if !source.data.is_file() {
        return Err(refuse(format!(
            "no backup file at {}",
            source.data.display()
        )));
    }
    if !files_from.is_dir() {
        return Err(refuse(format!(
            "no files directory at {}: a backup keeps its attachments, activity media and \
             record files there; give their copy with --files-from DIR",
            files_from.display()
        )));
    }
    if let Some(k) = source.key_store.as_ref().filter(|k| !k.is_file()) {
        return Err(refuse(format!("no key-store backup at {}", k.display())));
    }
    if let KeySource::File(path) = &settings.key_source
        && !path.is_file()
    {
        return Err(refuse(format!(
            "no key file at {}: put this installation's key file there (or set \
             ZV_MASTER_KEY) before restoring; without it nothing can be read",
            path.display()
        )));
    }
    for name in FILE_DIRS {
        let dir = settings.data_dir.join(name);
        if dir.is_dir() && std::fs::read_dir(&dir).map_err(io)?.next().is_some() {
            return Err(refuse(format!(
                "{} holds files: restore only into a fresh installation; it never \
                 overwrites data",
                dir.display()
            )));
        }
    }
    match store_restore::sqlite_files(&settings.store_config())? {
        Some((main, keys)) => {
            restore_sqlite(settings, policy, clock, &source, &files_from, &main, &keys).await
        }
        None => restore_postgres(settings, policy, clock, &source, &files_from).await,
    }
}

/// A directory inside the data directory where the restore builds what it puts in place;
/// removed when dropped, so a failure anywhere leaves nothing of it behind.
struct Staging(PathBuf);

impl Staging {
    fn new(data_dir: &Path) -> CoreResult<Self> {
        std::fs::create_dir_all(data_dir).map_err(io)?;
        let path = data_dir.join(format!(".restore-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir(&path).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
        }
        Ok(Self(path))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Copies `from` to `to` and syncs the copy.
fn copy_synced(from: &Path, to: &Path) -> CoreResult<()> {
    std::fs::copy(from, to).map_err(io)?;
    std::fs::File::open(to)
        .map_err(io)?
        .sync_all()
        .map_err(io)?;
    Ok(())
}

async fn restore_sqlite(
    settings: Settings,
    policy: Policy,
    clock: Arc<dyn Clock>,
    source: &RestoreSource,
    files_from: &Path,
    main: &Path,
    keys: &Path,
) -> CoreResult<RestoreReport> {
    // An audit intake left beside a database moved away belongs to that database: its
    // reads would enter the restored log (decision 0056).
    let intake = main.with_file_name(zv_store::AUDIT_INTAKE_FILE);
    for f in [
        main.to_path_buf(),
        with_suffix(main, "-wal"),
        with_suffix(main, "-shm"),
        with_suffix(&intake, "-wal"),
        intake,
    ] {
        if f.exists() {
            return Err(refuse(format!(
                "there is a database at {}: restore only into a fresh installation; it \
                 never overwrites data (move the old one away first if you mean to replace it)",
                f.display()
            )));
        }
    }
    match &source.key_store {
        Some(_) if keys.exists() || with_suffix(keys, "-wal").exists() => {
            return Err(refuse(format!(
                "there is a key store at {}; a restore never overwrites one. Leave out \
                 --key-store-from to use it (normally right: it is the current one), or move \
                 it away",
                keys.display()
            )));
        }
        None if !keys.is_file() => {
            return Err(refuse(format!(
                "no key store at {}: put the current key store there, or give the newest \
                 key-store copy with --key-store-from",
                keys.display()
            )));
        }
        _ => {}
    }
    let stage = Staging::new(&settings.data_dir)?;
    let staged_main = stage.0.join("zorgvuldig.db");
    let staged_keys = stage.0.join("keys.db");
    copy_synced(&source.data, &staged_main)?;
    let migrations = store_restore::check_sqlite_copy(&staged_main, BackupKind::Data)
        .await
        .map_err(restore_error)?;
    let key_store = match &source.key_store {
        Some(k) => {
            copy_synced(k, &staged_keys)?;
            store_restore::check_sqlite_copy(&staged_keys, BackupKind::KeyStore)
                .await
                .map_err(restore_error)?;
            KeyStoreUsed::Restored
        }
        None => {
            // A copy of the current key store, to open the staged database with; the
            // restore only reads it (a keyless client has no key to delete), and the
            // original stays where it is.
            copy_synced(keys, &staged_keys)?;
            let wal = with_suffix(keys, "-wal");
            if wal.is_file() {
                copy_synced(&wal, &with_suffix(&staged_keys, "-wal"))?;
            }
            KeyStoreUsed::Current
        }
    };
    let files = store_restore::copy_file_dirs(files_from, &stage.0)?;
    let mut staged = settings.clone();
    staged.data_dir = stage.0.clone();
    staged.database_url = None;
    let (audit, destroyed_clients, audit_events) =
        recover(staged, policy.clone(), clock.clone()).await?;

    // Everything checked: put it in place. The target was fresh, so undoing is removing
    // what was put there.
    let mut placed: Vec<PathBuf> = Vec::new();
    let placing = (|| -> CoreResult<()> {
        if main.exists() {
            return Err(refuse(format!(
                "a database appeared at {} during the restore; nothing was put in place",
                main.display()
            )));
        }
        if let Some(dir) = main.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        std::fs::rename(&staged_main, main).map_err(io)?;
        placed.push(main.to_path_buf());
        if key_store == KeyStoreUsed::Restored {
            std::fs::rename(&staged_keys, keys).map_err(io)?;
            placed.push(keys.to_path_buf());
        }
        place_file_dirs(&stage.0, &settings.data_dir, &mut placed)?;
        for dir in [
            main.parent(),
            keys.parent(),
            Some(settings.data_dir.as_path()),
        ]
        .into_iter()
        .flatten()
        {
            sync_dir(dir);
        }
        Ok(())
    })();
    if let Err(e) = placing {
        unplace(&placed);
        return Err(e);
    }
    drop(stage);
    // The installation opens where it now is.
    if let Err(e) = App::open(settings, policy, clock).await {
        unplace(&placed);
        return Err(e);
    }
    Ok(RestoreReport {
        migrations,
        audit,
        files,
        key_store,
        destroyed_clients,
        audit_events,
    })
}

/// Moves the staged file directories into the data directory (an empty one there goes
/// first; a non-empty one was refused before).
fn place_file_dirs(stage: &Path, data_dir: &Path, placed: &mut Vec<PathBuf>) -> CoreResult<()> {
    for name in FILE_DIRS {
        let from = stage.join(name);
        if !from.is_dir() {
            continue;
        }
        let to = data_dir.join(name);
        if to.is_dir() {
            std::fs::remove_dir(&to).map_err(io)?;
        }
        std::fs::rename(&from, &to).map_err(io)?;
        placed.push(to);
    }
    Ok(())
}

fn unplace(placed: &[PathBuf]) {
    for p in placed {
        if p.is_dir() {
            let _ = std::fs::remove_dir_all(p);
        } else {
            let _ = std::fs::remove_file(p);
            let _ = std::fs::remove_file(with_suffix(p, "-wal"));
            let _ = std::fs::remove_file(with_suffix(p, "-shm"));
        }
    }
}

async fn restore_postgres(
    settings: Settings,
    policy: Policy,
    clock: Arc<dyn Clock>,
    source: &RestoreSource,
    files_from: &Path,
) -> CoreResult<RestoreReport> {
    let label = settings.database_label();
    let store = Store::open(&settings.store_config(), OpenMode::MustExist).await?;
    let target = store_restore::postgres_target(&store).await?;
    if target.data_objects > 0 {
        return Err(refuse(format!(
            "the database {label} is not empty ({} tables, sequences or functions in schema \
             public): restore only into an empty database; it never overwrites data",
            target.data_objects
        )));
    }
    match &source.key_store {
        Some(_) if target.key_schema => {
            return Err(refuse(format!(
                "the database {label} already has a key store (schema zv_keys); a restore \
                 never overwrites one. Leave out --key-store-from to use it (normally right: it \
                 is the current one), or drop that schema first"
            )));
        }
        None if target.key_tables == 0 => {
            return Err(refuse(format!(
                "the database {label} has no key store (schema zv_keys): give the newest \
                 key-store copy with --key-store-from"
            )));
        }
        _ => {}
    }
    store_restore::check_postgres_archive(&source.data, BackupKind::Data)
        .await
        .map_err(restore_error)?;
    if let Some(k) = &source.key_store {
        store_restore::check_postgres_archive(k, BackupKind::KeyStore)
            .await
            .map_err(restore_error)?;
    }
    let stage = Staging::new(&settings.data_dir)?;
    let files = store_restore::copy_file_dirs(files_from, &stage.0)?;

    // One transaction: on failure it created nothing.
    store_restore::restore_postgres(&store, &source.data)
        .await
        .map_err(restore_error)?;
    let drop_key_schema = source.key_store.is_some();
    let restored = async {
        if let Some(k) = &source.key_store {
            store_restore::restore_postgres(&store, k)
                .await
                .map_err(restore_error)?;
        }
        let migrations = store_restore::check_postgres_schema(&store)
            .await
            .map_err(restore_error)?;
        let mut staged = settings.clone();
        staged.data_dir = stage.0.clone();
        let (audit, destroyed_clients, audit_events) =
            recover(staged, policy.clone(), clock.clone()).await?;
        let mut placed = Vec::new();
        if let Err(e) = place_file_dirs(&stage.0, &settings.data_dir, &mut placed) {
            unplace(&placed);
            return Err(e);
        }
        sync_dir(&settings.data_dir);
        Ok::<_, CoreError>((migrations, audit, destroyed_clients, audit_events))
    }
    .await;
    match restored {
        Ok((migrations, audit, destroyed_clients, audit_events)) => {
            // The planner has no statistics for what was just loaded; without them a
            // server without autovacuum scans tables for indexed lookups.
            if let Err(e) = zv_store::statistics::refresh(&store).await {
                tracing::warn!(error = %e, "statistics not gathered after the restore; the nightly jobs or autovacuum will");
            }
            let _ = store.close().await;
            Ok(RestoreReport {
                migrations,
                audit,
                files,
                key_store: match &source.key_store {
                    Some(_) => KeyStoreUsed::Restored,
                    None => KeyStoreUsed::Current,
                },
                destroyed_clients,
                audit_events,
            })
        }
        Err(e) => {
            let undone = store_restore::undo_postgres(&store, drop_key_schema).await;
            let _ = store.close().await;
            match undone {
                Ok(()) => Err(e),
                Err(undo) => Err(refuse(format!(
                    "{e}; and removing what the restore created failed too ({undo}): drop \
                     every table and function of schema public in {label} (and schema zv_keys \
                     if --key-store-from was given) before trying again"
                ))),
            }
        }
    }
}

/// Opens the restored installation (in its staging place), verifies the audit chain,
/// records the restore and destroys the clients without a data key; then closes it.
/// Returns the verification, the number of clients destroyed and the events now in the log.
async fn recover(
    settings: Settings,
    policy: Policy,
    clock: Arc<dyn Clock>,
) -> CoreResult<(VerifyReport, u64, u64)> {
    let app = App::open(settings, policy, clock).await?;
    let result = async {
        let audit = app.verify_audit().await?;
        if let Some(broken) = &audit.first_broken {
            return Err(refuse(format!(
                "the audit log in the backup is broken at event {}: {} ({} events intact \
                 before it); a backup whose audit chain does not verify is not restored",
                broken.seq, broken.reason, audit.events
            )));
        }
        let actor = Actor::cli("restore");
        app.record_restore(&actor, &audit).await?;
        let mut destroyed = 0;
        for client in zv_store::restore::keyless_clients(&app.store).await? {
            app.destroy_client(&actor, client, RESTORE_RULE, RESTORE_REASON)
                .await?;
            destroyed += 1;
        }
        let events = app.audit_event_count().await?;
        Ok((audit, destroyed, events))
    }
    .await;
    // Closed in every case: SQLite checkpoints its WAL into the files before they move.
    let closed = app.store.clone().close().await;
    let done = result?;
    closed?;
    Ok(done)
}

impl App {
    /// The restore's own audit event, after the restored chain was verified.
    async fn record_restore(&self, actor: &Actor, audit: &VerifyReport) -> CoreResult<()> {
        let tx = self.store.begin().await?;
        self.record(
            &tx,
            actor,
            Access::new(AuditAction::Create, AuditObject::Backup, None).detail(format!(
                "restore of a data backup; its audit chain of {} events verified",
                audit.events
            )),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
