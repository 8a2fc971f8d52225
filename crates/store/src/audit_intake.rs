//! The audit intake (SQLite, decision 0056): where a read's audit events become durable
//! while a long write holds the database's one write turn.
//!
//! SQLite admits one writer at a time. A retention sweep's batch, or a restarting
//! checkpoint, holds that turn for tens of milliseconds, and a dossier view's audit
//! commit (ARCHITECTURE rule 2: durable before any data leaves) waited for it: that wait
//! was the views' p99 during a sweep. While such a long write holds or awaits the turn,
//! the audit group commit writes its events here instead: a file of its own beside the
//! database, with its own write lock and a full sync at every commit, so the view waits
//! for its own sync only.
//!
//! The events stay in the intake only until the next write transaction of any kind
//! (the sweep's next batch at the latest): that transaction appends them to the
//! hash-chained log, in intake order and each with its own time, and records in the
//! same commit how far the intake is drained (`audit_intake_marks`). So the chain gets
//! every event exactly once, a crash between the two files loses nothing (the mark and
//! the events commit together; the intake keeps its rows until a later append sees the
//! mark), and a second process draining the same intake continues from the mark too.
//!
//! The intake is chained as the log is (the same event hash over its own sequence), so
//! an altered, reordered or removed row is found when it is drained: the drain then
//! refuses, and with it every write, until someone looks. Each intake file has a random
//! generation: a new file (the old one removed) starts its own chain, and the mark names
//! the generation it counts in.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;
use zv_domain::NewAuditEvent;

use crate::audit::{self, GENESIS_HASH};
use crate::entity::audit_log;
use crate::{StoreError, Tx};

/// The intake's file, beside the main database.
pub const INTAKE_FILE: &str = "audit-intake.db";

/// The writes that hold the turn long enough to route reads' audit events to the
/// intake: counted from before they queue for the turn until they end.
#[derive(Debug, Default)]
pub(crate) struct LongWrites(AtomicUsize);

impl LongWrites {
    /// Marks a long write until the guard drops.
    pub(crate) fn mark(self: &Arc<Self>) -> LongWrite {
        self.0.fetch_add(1, Ordering::SeqCst);
        LongWrite(self.clone())
    }

    pub(crate) fn any(&self) -> bool {
        self.0.load(Ordering::SeqCst) > 0
    }
}

/// One long write, from before its turn to its end.
#[derive(Debug)]
pub(crate) struct LongWrite(Arc<LongWrites>);

impl Drop for LongWrite {
    fn drop(&mut self) {
        self.0.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The intake of one open store.
pub(crate) struct Intake {
    path: PathBuf,
    /// Opened at the first use: most installations never need the file.
    conn: Mutex<Option<Connection>>,
    /// The last intake sequence this process appended.
    appended: AtomicI64,
    /// The last intake sequence known drained into the chain by a committed transaction.
    drained: AtomicI64,
    /// Whether the file may hold events no drain of this process has seen: true at open
    /// when the file exists (a crash, another process).
    unseen: AtomicBool,
}

impl Intake {
    pub(crate) fn beside(main: &Path) -> Self {
        let path = main.with_file_name(INTAKE_FILE);
        let unseen = path.exists();
        Self {
            path,
            conn: Mutex::new(None),
            appended: AtomicI64::new(0),
            drained: AtomicI64::new(0),
            unseen: AtomicBool::new(unseen),
        }
    }

    /// Whether a write transaction should drain the intake first.
    pub(crate) fn may_hold_events(&self) -> bool {
        self.unseen.load(Ordering::SeqCst)
            || self.appended.load(Ordering::SeqCst) > self.drained.load(Ordering::SeqCst)
    }

    /// Appends `events`, each with its time, in one transaction of the intake, synced
    /// before it returns. Returns their intake sequence numbers.
    pub(crate) fn append(
        &self,
        events: &[(&NewAuditEvent, DateTime<Utc>)],
    ) -> Result<Vec<i64>, StoreError> {
        let mut guard = self.open()?;
        let conn = guard
            .as_mut()
            .ok_or_else(|| unavailable("the audit intake is not open"))?;
        let drained = self.drained.load(Ordering::SeqCst);
        let seqs = append_rows(conn, events, drained).map_err(sqlite_error)?;
        if let Some(last) = seqs.last() {
            self.appended.fetch_max(*last, Ordering::SeqCst);
        }
        Ok(seqs)
    }

    /// Moves every event of the intake not yet in the chain into it, inside `tx`, and
    /// records the mark in the same transaction. Returns the last intake sequence
    /// drained, for [`Intake::drained_in`] once `tx` has committed; `None` when there
    /// was nothing to drain.
    pub(crate) async fn drain(&self, tx: &Tx) -> Result<Option<i64>, StoreError> {
        if !self.path.exists() {
            self.unseen.store(false, Ordering::SeqCst);
            return Ok(None);
        }
        let mark = read_mark(tx).await?;
        // Before the rows are read: whatever this process appended up to here is among
        // them or already in the chain.
        let appended = self.appended.load(Ordering::SeqCst);
        let (generation, rows) = {
            let mut guard = self.open()?;
            let conn = guard
                .as_mut()
                .ok_or_else(|| unavailable("the audit intake is not open"))?;
            pending_rows(conn, &mark).map_err(sqlite_error)?
        };
        let Some(last) = rows.last().map(|m| m.seq) else {
            self.unseen.store(false, Ordering::SeqCst);
            self.drained.fetch_max(appended, Ordering::SeqCst);
            return Ok(None);
        };
        let events = rows
            .into_iter()
            .map(|m| {
                let at = m.at;
                audit::event_of(m).map(|e| (e.event, at))
            })
            .collect::<Result<Vec<_>, _>>()?;
        audit::append_timed(tx, events.iter().map(|(e, at)| (e, *at))).await?;
        write_mark(tx, &generation, last).await?;
        Ok(Some(last))
    }

    /// After the transaction that drained up to `last` has committed.
    pub(crate) fn drained_in(&self, last: i64) {
        self.drained.fetch_max(last, Ordering::SeqCst);
        self.unseen.store(false, Ordering::SeqCst);
    }

    fn open(&self) -> Result<MutexGuard<'_, Option<Connection>>, StoreError> {
        // A panic while holding the lock leaves at worst a connection mid-transaction,
        // which rusqlite rolls back when its transaction drops: still sound to use.
        let mut guard = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        if guard.is_none() {
            *guard = Some(open_file(&self.path).map_err(sqlite_error)?);
        }
        Ok(guard)
    }
}

/// The mark: the generation of the intake it counts in and its last drained sequence.
struct Mark {
    generation: String,
    seq: i64,
}

fn open_file(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(crate::dialect::BUSY_TIMEOUT)?;
    // Durable at every commit, as the main database is: the read is released on it.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         BEGIN IMMEDIATE;
         CREATE TABLE IF NOT EXISTS intake_generation (
             id INTEGER PRIMARY KEY CHECK (id = 1),
             generation TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS intake (
             seq INTEGER PRIMARY KEY, id BLOB NOT NULL, at INTEGER NOT NULL,
             action TEXT NOT NULL, outcome TEXT NOT NULL, object TEXT NOT NULL,
             object_id BLOB, client_id BLOB, user_id BLOB, user_name TEXT NOT NULL,
             role TEXT NOT NULL, on_behalf_of BLOB, purpose TEXT NOT NULL,
             access_point TEXT NOT NULL, rule_ids TEXT NOT NULL, detail TEXT,
             prev_hash BLOB NOT NULL, hash BLOB NOT NULL);
         COMMIT;",
    )?;
    conn.execute(
        "INSERT OR IGNORE INTO intake_generation (id, generation) VALUES (1, ?1)",
        params![Uuid::new_v4().simple().to_string()],
    )?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        // Audit events name clients by id: as private as the database beside it.
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(conn)
}

fn append_rows(
    conn: &mut Connection,
    events: &[(&NewAuditEvent, DateTime<Utc>)],
    drained: i64,
) -> rusqlite::Result<Vec<i64>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // What this process knows drained goes, but for the last of it: the next row links
    // to that one's hash.
    if drained > 0 {
        tx.execute("DELETE FROM intake WHERE seq < ?1", params![drained])?;
    }
    let tail: Option<(i64, Vec<u8>)> = tx
        .query_row(
            "SELECT seq, hash FROM intake ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (seq, prev) = tail.unwrap_or((0, GENESIS_HASH.to_vec()));
    let mut seqs = Vec::with_capacity(events.len());
    {
        let mut insert = tx.prepare(INSERT)?;
        for m in audit::chain(seq + 1, prev, events.iter().map(|(e, at)| (*e, *at))) {
            insert.execute(params![
                m.seq,
                m.id.as_bytes(),
                m.at.timestamp_micros(),
                m.action,
                m.outcome,
                m.object,
                m.object_id.as_ref().map(Uuid::as_bytes),
                m.client_id.as_ref().map(Uuid::as_bytes),
                m.user_id.as_ref().map(Uuid::as_bytes),
                m.user_name,
                m.role,
                m.on_behalf_of.as_ref().map(Uuid::as_bytes),
                m.purpose,
                m.access_point,
                m.rule_ids,
                m.detail,
                m.prev_hash,
                m.hash,
            ])?;
            seqs.push(m.seq);
        }
    }
    tx.commit()?;
    Ok(seqs)
}

const INSERT: &str = "INSERT INTO intake (seq, id, at, action, outcome, object, object_id, \
     client_id, user_id, user_name, role, on_behalf_of, purpose, access_point, rule_ids, \
     detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, \
     ?13, ?14, ?15, ?16, ?17, ?18)";

const SELECT: &str = "SELECT seq, id, at, action, outcome, object, object_id, client_id, \
     user_id, user_name, role, on_behalf_of, purpose, access_point, rule_ids, detail, \
     prev_hash, hash FROM intake WHERE seq >= ?1 ORDER BY seq";

/// The intake's generation and its rows after the mark, each checked against its hash
/// and its link to the row before it (the mark's own row, kept for this).
fn pending_rows(
    conn: &mut Connection,
    mark: &Mark,
) -> Result<(String, Vec<audit_log::Model>), IntakeError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
    let generation: String = tx.query_row(
        "SELECT generation FROM intake_generation WHERE id = 1",
        [],
        |r| r.get(0),
    )?;
    // In the mark's generation, from the mark's own row (the link to check); in a new
    // one, from the first.
    let from = if generation == mark.generation && mark.seq > 0 {
        mark.seq
    } else {
        1
    };
    let mut rows = Vec::new();
    {
        let mut select = tx.prepare(SELECT)?;
        let mut found = select.query(params![from])?;
        while let Some(r) = found.next()? {
            rows.push(row_model(r)?);
        }
    }
    tx.commit()?;
    let mut prev = GENESIS_HASH.to_vec();
    let mut expected = 1;
    let mut kept = Vec::with_capacity(rows.len());
    for (i, m) in rows.into_iter().enumerate() {
        if i == 0 && from > 1 {
            // The mark's row: already in the chain, here only to link the next one to.
            if m.seq != from || audit::event_hash(&audit::view(&m)).as_slice() != m.hash {
                return Err(IntakeError::Broken(from));
            }
            prev.clone_from(&m.hash);
            expected = from + 1;
            continue;
        }
        if m.seq != expected
            || m.prev_hash != prev
            || audit::event_hash(&audit::view(&m)).as_slice() != m.hash
        {
            return Err(IntakeError::Broken(expected));
        }
        prev.clone_from(&m.hash);
        expected += 1;
        kept.push(m);
    }
    if from > 1 && expected == 1 {
        // The mark's row itself is gone: the intake was cut short.
        return Err(IntakeError::Broken(from));
    }
    Ok((generation, kept))
}

fn row_model(r: &rusqlite::Row<'_>) -> Result<audit_log::Model, IntakeError> {
    fn uuid(b: Option<Vec<u8>>) -> Result<Option<Uuid>, IntakeError> {
        b.map(|b| Uuid::from_slice(&b).map_err(|_| IntakeError::Unreadable))
            .transpose()
    }
    let seq: i64 = r.get(0)?;
    let id: Vec<u8> = r.get(1)?;
    let at: i64 = r.get(2)?;
    Ok(audit_log::Model {
        seq,
        id: Uuid::from_slice(&id).map_err(|_| IntakeError::Unreadable)?,
        at: DateTime::from_timestamp_micros(at).ok_or(IntakeError::Unreadable)?,
        action: r.get(3)?,
        outcome: r.get(4)?,
        object: r.get(5)?,
        object_id: uuid(r.get(6)?)?,
        client_id: uuid(r.get(7)?)?,
        user_id: uuid(r.get(8)?)?,
        user_name: r.get(9)?,
        role: r.get(10)?,
        on_behalf_of: uuid(r.get(11)?)?,
        purpose: r.get(12)?,
        access_point: r.get(13)?,
        rule_ids: r.get(14)?,
        detail: r.get(15)?,
        prev_hash: r.get(16)?,
        hash: r.get(17)?,
    })
}

#[derive(Debug, thiserror::Error)]
enum IntakeError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("a row of the audit intake cannot be read (a column was altered)")]
    Unreadable,
    #[error(
        "the audit intake is broken at its event {0} (a row was altered, removed or \
         reordered): no write goes on until it is looked into"
    )]
    Broken(i64),
}

fn sqlite_error(e: impl Into<IntakeError>) -> StoreError {
    match e.into() {
        // SQLite's condition (busy, full, I/O), never a row's content.
        IntakeError::Sqlite(e) => unavailable(&format!("the audit intake: {e}")),
        broken => StoreError::Db(DbErr::Custom(broken.to_string())),
    }
}

fn unavailable(message: &str) -> StoreError {
    StoreError::Unavailable(message.to_owned())
}

async fn read_mark(tx: &Tx) -> Result<Mark, StoreError> {
    let backend = tx.inner.get_database_backend();
    let row = tx
        .inner
        .query_one_raw(
            backend.build(
                Query::select()
                    .columns(["generation", "seq"])
                    .from(MARKS)
                    .and_where(Expr::col("id").eq(1)),
            ),
        )
        .await?
        .ok_or_else(|| {
            StoreError::Db(DbErr::RecordNotFound(
                "audit_intake_marks (is the database migrated?)".into(),
            ))
        })?;
    Ok(Mark {
        generation: row.try_get("", "generation")?,
        seq: row.try_get("", "seq")?,
    })
}

async fn write_mark(tx: &Tx, generation: &str, seq: i64) -> Result<(), StoreError> {
    let backend = tx.inner.get_database_backend();
    tx.inner
        .execute_raw(
            backend.build(
                Query::update()
                    .table(MARKS)
                    .value("generation", generation)
                    .value("seq", seq)
                    .and_where(Expr::col("id").eq(1)),
            ),
        )
        .await?;
    Ok(())
}

const MARKS: &str = "audit_intake_marks";
