use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;

use futures_channel::oneshot;
use futures_intrusive::sync::{Mutex, MutexGuard};
use sqlx_core::sql_str::SqlStr;
use tracing::span::Span;

use sqlx_core::error::Error;
use sqlx_core::transaction::{
    begin_ansi_transaction_sql, commit_ansi_transaction_sql, rollback_ansi_transaction_sql,
};
use sqlx_core::Either;

use crate::connection::establish::EstablishParams;
use crate::connection::execute;
use crate::connection::ConnectionState;
use crate::{SqliteArguments, SqliteQueryResult, SqliteRow, SqliteStatement};

#[cfg(feature = "deserialize")]
use crate::connection::deserialize::{deserialize, serialize, SchemaName, SqliteOwnedBuf};

// Each SQLite connection has a dedicated thread.

// TODO: Tweak this so that we can use a thread pool per pool of SQLite3 connections to reduce
//       OS resource usage. Low priority because a high concurrent load for SQLite3 is very
//       unlikely.

pub(crate) struct ConnectionWorker {
    command_tx: flume::Sender<(Command, tracing::Span)>,
    /// Mutex for locking access to the database.
    pub(crate) shared: Arc<WorkerSharedState>,
}

pub(crate) struct WorkerSharedState {
    transaction_depth: AtomicUsize,
    cached_statements_size: AtomicUsize,
    pub(crate) conn: Mutex<ConnectionState>,
    // ZORGVULDIG PATCH (docs/decisions/0013): commands sent to the worker thread and not yet
    // finished. A statement runs on the calling thread only when this is zero, so statements
    // keep their order whichever way they go.
    pending: AtomicUsize,
    // ZORGVULDIG PATCH: the open transaction began IMMEDIATE or EXCLUSIVE (holds the write
    // lock), so none of its statements waits on another connection.
    immediate: AtomicBool,
    // ZORGVULDIG PATCH: the open transaction may have written: its COMMIT may sync the disk.
    wrote: AtomicBool,
    // ZORGVULDIG PATCH: moved here from the worker loop, so an inline `start_rollback`
    // honours it too.
    ignore_next_start_rollback: AtomicBool,
}

impl WorkerSharedState {
    pub(crate) fn get_transaction_depth(&self) -> usize {
        self.transaction_depth.load(Ordering::Acquire)
    }

    pub(crate) fn get_cached_statements_size(&self) -> usize {
        self.cached_statements_size.load(Ordering::Acquire)
    }
}

enum Command {
    Prepare {
        query: SqlStr,
        tx: oneshot::Sender<Result<SqliteStatement, Error>>,
    },
    #[cfg(feature = "offline")]
    Describe {
        query: SqlStr,
        tx: oneshot::Sender<Result<sqlx_core::describe::Describe<crate::Sqlite>, Error>>,
    },
    Execute {
        query: SqlStr,
        arguments: Option<SqliteArguments>,
        persistent: bool,
        tx: flume::Sender<Result<Either<SqliteQueryResult, SqliteRow>, Error>>,
        limit: Option<usize>,
    },
    #[cfg(feature = "deserialize")]
    Serialize {
        schema: Option<SchemaName>,
        tx: oneshot::Sender<Result<SqliteOwnedBuf, Error>>,
    },
    #[cfg(feature = "deserialize")]
    Deserialize {
        schema: Option<SchemaName>,
        data: SqliteOwnedBuf,
        read_only: bool,
        tx: oneshot::Sender<Result<(), Error>>,
    },
    Begin {
        tx: rendezvous_oneshot::Sender<Result<(), Error>>,
        statement: Option<SqlStr>,
    },
    Commit {
        tx: rendezvous_oneshot::Sender<Result<(), Error>>,
    },
    Rollback {
        tx: Option<rendezvous_oneshot::Sender<Result<(), Error>>>,
    },
    ClearCache {
        tx: oneshot::Sender<()>,
    },
    Ping {
        tx: oneshot::Sender<()>,
    },
    Shutdown {
        tx: oneshot::Sender<()>,
    },
}

impl ConnectionWorker {
    pub(crate) async fn establish(params: EstablishParams) -> Result<Self, Error> {
        let (establish_tx, establish_rx) = oneshot::channel();

        thread::Builder::new()
            .name(params.thread_name.clone())
            .spawn(move || {
                let (command_tx, command_rx) = flume::bounded(params.command_channel_size);

                let conn = match params.establish() {
                    Ok(conn) => conn,
                    Err(e) => {
                        establish_tx.send(Err(e)).ok();
                        return;
                    }
                };

                let shared = Arc::new(WorkerSharedState {
                    transaction_depth: AtomicUsize::new(0),
                    cached_statements_size: AtomicUsize::new(0),
                    // note: must be fair because in `Command::UnlockDb` we unlock the mutex
                    // and then immediately try to relock it; an unfair mutex would immediately
                    // grant us the lock even if another task is waiting.
                    conn: Mutex::new(conn, true),
                    pending: AtomicUsize::new(0),
                    immediate: AtomicBool::new(false),
                    wrote: AtomicBool::new(false),
                    ignore_next_start_rollback: AtomicBool::new(false),
                });

                if establish_tx
                    .send(Ok(Self {
                        command_tx,
                        shared: Arc::clone(&shared),
                    }))
                    .is_err()
                {
                    return;
                }

                // ZORGVULDIG PATCH: the worker locks the connection per command (it held it for
                // its whole life), so that statements that cannot block may run on the caller's
                // thread in between; see `ConnectionWorker::inline`.
                for (cmd, span) in command_rx {
                    let _guard = span.enter();
                    let mut done = Finished(Some(&shared.pending));
                    let mut conn = futures_executor::block_on(shared.conn.lock());
                    match cmd {
                        Command::Prepare { query, tx } => {
                            let res = prepare(&mut conn, query);

                            // This may issue an unnecessary write on failure,
                            // but it doesn't matter in the grand scheme of things.
                            update_cached_statements_size(
                                &conn,
                                &shared.cached_statements_size,
                            );
                            drop(conn);
                            done.finish();
                            tx.send(res).ok();
                        }
                        #[cfg(feature = "offline")]
                        Command::Describe { query, tx } => {
                            tx.send(crate::connection::describe::describe(&mut conn, query)).ok();
                        }
                        Command::Execute {
                            query,
                            arguments,
                            persistent,
                            tx,
                            limit
                        } => {
                            run_execute(&mut conn, &shared, query, arguments, persistent, limit, &tx);
                            update_cached_statements_size(&conn, &shared.cached_statements_size);
                            // Finished before the stream ends, so the caller's next statement
                            // may run inline.
                            drop(conn);
                            done.finish();
                            drop(tx);
                        }
                        Command::Begin { tx, statement } => {
                            let res = begin_on(&mut conn, &shared, statement);
                            let res_ok = res.is_ok();

                            if tx.blocking_send(res).is_err() && res_ok {
                                // The BEGIN was processed but not acknowledged. This means no
                                // `Transaction` was created and so there is no way to commit /
                                // rollback this transaction. We need to roll it back
                                // immediately otherwise it would remain started forever.
                                let depth = shared.transaction_depth.load(Ordering::Acquire);
                                if let Err(error) = conn
                                    .handle
                                    .exec(rollback_ansi_transaction_sql(depth).as_str())
                                    .map(|_| {
                                        shared.transaction_depth.fetch_sub(1, Ordering::Release);
                                    })
                                {
                                    // The rollback failed. To prevent leaving the connection
                                    // in an inconsistent state we shutdown this worker which
                                    // causes any subsequent operation on the connection to fail.
                                    tracing::error!(%error, "failed to rollback cancelled transaction");
                                    break;
                                }
                            }
                        }
                        Command::Commit { tx } => {
                            let res = commit_on(&mut conn, &shared);
                            let res_ok = res.is_ok();

                            if tx.blocking_send(res).is_err() && res_ok {
                                // The COMMIT was processed but not acknowledged. This means that
                                // the `Transaction` doesn't know it was committed and will try to
                                // rollback on drop. We need to ignore that rollback.
                                shared.ignore_next_start_rollback.store(true, Ordering::Release);
                            }
                        }
                        Command::Rollback { tx } => {
                            if tx.is_none()
                                && shared.ignore_next_start_rollback.swap(false, Ordering::AcqRel)
                            {
                                continue;
                            }

                            let res = rollback_on(&mut conn, &shared);
                            let res_ok = res.is_ok();

                            if let Some(tx) = tx {
                                if tx.blocking_send(res).is_err() && res_ok {
                                    // The ROLLBACK was processed but not acknowledged. This means
                                    // that the `Transaction` doesn't know it was rolled back and
                                    // will try to rollback again on drop. We need to ignore that
                                    // rollback.
                                    shared.ignore_next_start_rollback.store(true, Ordering::Release);
                                }
                            }
                        }
                        #[cfg(feature = "deserialize")]
                        Command::Serialize { schema, tx } => {
                            tx.send(serialize(&mut conn, schema)).ok();
                        }
                        #[cfg(feature = "deserialize")]
                        Command::Deserialize { schema, data, read_only, tx } => {
                            tx.send(deserialize(&mut conn, schema, data, read_only)).ok();
                        }
                        Command::ClearCache { tx } => {
                            conn.statements.clear();
                            update_cached_statements_size(&conn, &shared.cached_statements_size);
                            tx.send(()).ok();
                        }
                        Command::Ping { tx } => {
                            drop(conn);
                            done.finish();
                            tx.send(()).ok();
                        }
                        Command::Shutdown { tx } => {
                            // drop the connection references before sending confirmation
                            // and ending the command loop
                            drop(conn);
                            drop(done);
                            drop(shared);
                            let _ = tx.send(());
                            return;
                        }
                    }
                }
            })?;

        establish_rx.await.map_err(|_| Error::WorkerCrashed)?
    }

    pub(crate) async fn prepare(&mut self, query: SqlStr) -> Result<SqliteStatement, Error> {
        self.oneshot_cmd(|tx| Command::Prepare { query, tx })
            .await?
    }

    #[cfg(feature = "offline")]
    pub(crate) async fn describe(
        &mut self,
        query: SqlStr,
    ) -> Result<sqlx_core::describe::Describe<crate::Sqlite>, Error> {
        self.oneshot_cmd(|tx| Command::Describe { query, tx })
            .await?
    }

    /// ZORGVULDIG PATCH (docs/decisions/0013): the connection, when a statement may run on
    /// the caller's thread: nothing is queued for the worker and nobody holds the lock.
    /// Running inline saves two thread hand-offs per statement (and one per row) for work
    /// that takes microseconds; what may wait on a lock or on the disk (BEGIN IMMEDIATE,
    /// COMMIT of a write, a write outside a write transaction) still goes to the worker.
    fn inline(&self) -> Option<MutexGuard<'_, ConnectionState>> {
        if self.shared.pending.load(Ordering::Acquire) != 0 {
            return None;
        }
        self.shared.conn.try_lock()
    }

    fn send(&self, command: Command) -> Result<(), Error> {
        self.shared.pending.fetch_add(1, Ordering::AcqRel);
        self.command_tx
            .send((command, Span::current()))
            .map_err(|_| {
                self.shared.pending.fetch_sub(1, Ordering::AcqRel);
                Error::WorkerCrashed
            })
    }

    pub(crate) async fn execute(
        &mut self,
        query: SqlStr,
        args: Option<SqliteArguments>,
        chan_size: usize,
        persistent: bool,
        limit: Option<usize>,
    ) -> Result<flume::Receiver<Result<Either<SqliteQueryResult, SqliteRow>, Error>>, Error> {
        // ZORGVULDIG PATCH: a read (or any statement of a transaction that already holds
        // the write lock) runs here, its rows collected at once. Outside a transaction a
        // read is its own deferred transaction: it takes the same read snapshot a DEFERRED
        // BEGIN's first statement takes, and its end syncs nothing.
        let in_transaction = self.shared.get_transaction_depth() > 0;
        let immediate = in_transaction && self.shared.immediate.load(Ordering::Acquire);
        // SQLite calls BEGIN, COMMIT and some PRAGMAs read-only too; outside a transaction
        // only a query may run here.
        let may_inline = in_transaction || is_query(query.as_str());
        if let Some(mut conn) = self.inline().filter(|_| may_inline) {
            let state: &mut ConnectionState = &mut conn;
            let eligible = immediate
                || state
                    .statements
                    .get(query.as_str(), persistent)?
                    .is_single_read_only(&mut state.handle)?;
            if eligible {
                let (tx, rx) = flume::unbounded();
                run_execute(&mut conn, &self.shared, query, args, persistent, limit, &tx);
                update_cached_statements_size(&conn, &self.shared.cached_statements_size);
                return Ok(rx);
            }
        }
        if in_transaction {
            // A statement that may write (or could not be checked), in a transaction begun
            // DEFERRED: from here on the commit may wait on the disk, so it goes to the worker.
            self.shared.wrote.store(true, Ordering::Release);
        }

        let (tx, rx) = flume::bounded(chan_size);

        self.send(Command::Execute {
            query,
            arguments: args,
            persistent,
            tx,
            limit,
        })?;

        Ok(rx)
    }

    pub(crate) async fn begin(&mut self, statement: Option<SqlStr>) -> Result<(), Error> {
        let depth = self.shared.get_transaction_depth();
        let deferred = statement.as_ref().is_none_or(|s| is_deferred_begin(s.as_str()));
        if depth == 0 {
            self.shared.immediate.store(!deferred, Ordering::Release);
            self.shared.wrote.store(!deferred, Ordering::Release);
        }
        // ZORGVULDIG PATCH: a DEFERRED begin or a savepoint takes no lock: run it here;
        // so does any BEGIN on a thread that may block (`may_block_here`).
        if deferred || depth > 0 || BLOCKING_ALLOWED.get() {
            if let Some(mut conn) = self.inline() {
                return begin_on(&mut conn, &self.shared, statement);
            }
        }
        self.oneshot_cmd_with_ack(|tx| Command::Begin { tx, statement })
            .await?
    }

    pub(crate) async fn commit(&mut self) -> Result<(), Error> {
        // ZORGVULDIG PATCH: releasing a savepoint, or ending a transaction that wrote
        // nothing, does not touch the disk: run it here.
        let depth = self.shared.get_transaction_depth();
        if depth > 1 || !self.shared.wrote.load(Ordering::Acquire) || BLOCKING_ALLOWED.get() {
            if let Some(mut conn) = self.inline() {
                return commit_on(&mut conn, &self.shared);
            }
        }
        self.oneshot_cmd_with_ack(|tx| Command::Commit { tx })
            .await?
    }

    pub(crate) async fn rollback(&mut self) -> Result<(), Error> {
        // ZORGVULDIG PATCH: a rollback in WAL mode discards pages and never syncs.
        if let Some(mut conn) = self.inline() {
            return rollback_on(&mut conn, &self.shared);
        }
        self.oneshot_cmd_with_ack(|tx| Command::Rollback { tx: Some(tx) })
            .await?
    }

    pub(crate) fn start_rollback(&mut self) -> Result<(), Error> {
        if let Some(mut conn) = self.inline() {
            if !self
                .shared
                .ignore_next_start_rollback
                .swap(false, Ordering::AcqRel)
            {
                if let Err(error) = rollback_on(&mut conn, &self.shared) {
                    // As the worker would: a connection whose transaction cannot be rolled
                    // back must not be used again.
                    tracing::error!(%error, "failed to rollback cancelled transaction");
                    drop(conn);
                    return self.send(Command::Rollback { tx: None });
                }
            }
            return Ok(());
        }
        self.send(Command::Rollback { tx: None })
    }

    pub(crate) async fn ping(&mut self) -> Result<(), Error> {
        // ZORGVULDIG PATCH: the pool pings every connection it takes back. With nothing
        // queued, the lock free and the worker still listening, the answer is known here;
        // a round trip to the worker thread cost two context switches per transaction and
        // kept the connection out of the pool meanwhile.
        if !self.command_tx.is_disconnected() && self.inline().is_some() {
            return Ok(());
        }
        self.oneshot_cmd(|tx| Command::Ping { tx }).await
    }

    #[cfg(feature = "deserialize")]
    pub(crate) async fn deserialize(
        &mut self,
        schema: Option<SchemaName>,
        data: SqliteOwnedBuf,
        read_only: bool,
    ) -> Result<(), Error> {
        self.oneshot_cmd(|tx| Command::Deserialize {
            schema,
            data,
            read_only,
            tx,
        })
        .await?
    }

    #[cfg(feature = "deserialize")]
    pub(crate) async fn serialize(
        &mut self,
        schema: Option<SchemaName>,
    ) -> Result<SqliteOwnedBuf, Error> {
        self.oneshot_cmd(|tx| Command::Serialize { schema, tx })
            .await?
    }

    async fn oneshot_cmd<F, T>(&mut self, command: F) -> Result<T, Error>
    where
        F: FnOnce(oneshot::Sender<T>) -> Command,
    {
        let (tx, rx) = oneshot::channel();

        self.send(command(tx))?;

        rx.await.map_err(|_| Error::WorkerCrashed)
    }

    async fn oneshot_cmd_with_ack<F, T>(&mut self, command: F) -> Result<T, Error>
    where
        F: FnOnce(rendezvous_oneshot::Sender<T>) -> Command,
    {
        let (tx, rx) = rendezvous_oneshot::channel();

        self.send(command(tx))?;

        rx.recv().await.map_err(|_| Error::WorkerCrashed)
    }

    pub(crate) async fn clear_cache(&mut self) -> Result<(), Error> {
        self.oneshot_cmd(|tx| Command::ClearCache { tx }).await
    }

    pub(crate) async fn unlock_db(&mut self) -> Result<MutexGuard<'_, ConnectionState>, Error> {
        // ZORGVULDIG PATCH: the worker holds the lock only while it runs a command; once
        // every command sent before is done, the lock is the caller's.
        self.oneshot_cmd(|tx| Command::Ping { tx }).await?;
        Ok(self.shared.conn.lock().await)
    }

    /// Send a command to the worker to shut down the processing thread.
    ///
    /// A `WorkerCrashed` error may be returned if the thread has already stopped.
    pub(crate) fn shutdown(&mut self) -> impl Future<Output = Result<(), Error>> {
        let (tx, rx) = oneshot::channel();

        let send_res = self.send(Command::Shutdown { tx });

        async move {
            send_res?;

            // wait for the response
            rx.await.map_err(|_| Error::WorkerCrashed)
        }
    }
}

/// ZORGVULDIG PATCH: marks a worker command finished when dropped (after the connection
/// lock is released), so the caller may run the next statement inline.
struct Finished<'a>(Option<&'a AtomicUsize>);

impl Finished<'_> {
    fn finish(&mut self) {
        if let Some(pending) = self.0.take() {
            pending.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        self.finish();
    }
}

std::thread_local! {
    static BLOCKING_ALLOWED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// ZORGVULDIG PATCH (docs/decisions/0047): runs `f` with this thread marked as one that
/// may block, so a BEGIN IMMEDIATE or a syncing COMMIT polled on it runs here instead of
/// waiting for a round trip to the connection's worker thread. For a caller that already
/// blocks its thread for the transaction (inside `tokio::task::block_in_place`).
pub fn may_block_here<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            BLOCKING_ALLOWED.set(self.0);
        }
    }
    let _reset = Reset(BLOCKING_ALLOWED.replace(true));
    f()
}

/// ZORGVULDIG PATCH: whether a statement is a query (SELECT or WITH), not a transaction
/// control statement or a PRAGMA, which `sqlite3_stmt_readonly` also calls read-only.
fn is_query(statement: &str) -> bool {
    let head = statement.trim_start().get(..6).unwrap_or("");
    head.eq_ignore_ascii_case("SELECT") || head.get(..4).is_some_and(|h| h.eq_ignore_ascii_case("WITH"))
}

/// ZORGVULDIG PATCH: whether a custom BEGIN takes no lock (DEFERRED, SQLite's default).
fn is_deferred_begin(statement: &str) -> bool {
    let upper = statement.trim().to_ascii_uppercase();
    upper.starts_with("BEGIN") && !upper.contains("IMMEDIATE") && !upper.contains("EXCLUSIVE")
}

/// The worker's `Execute`, shared with the inline path: every result into `tx`.
fn run_execute(
    conn: &mut ConnectionState,
    shared: &WorkerSharedState,
    query: SqlStr,
    arguments: Option<SqliteArguments>,
    persistent: bool,
    limit: Option<usize>,
    tx: &flume::Sender<Result<Either<SqliteQueryResult, SqliteRow>, Error>>,
) {
    // ZORGVULDIG PATCH: a statement of a transaction that SQLite has already rolled back
    // would run on its own and commit at once: half a transaction made durable. It fails
    // instead (see `transaction_ended`).
    if shared.transaction_depth.load(Ordering::Acquire) > 0 && !conn.handle.in_transaction() {
        tx.send(Err(transaction_ended())).ok();
        return;
    }
    let iter = match execute::iter(conn, query, arguments, persistent) {
        Ok(iter) => iter,
        Err(e) => {
            tx.send(Err(e)).ok();
            return;
        }
    };

    match limit {
        None => {
            for res in iter {
                let has_error = res.is_err();
                if tx.send(res).is_err() || has_error {
                    break;
                }
            }
        }
        Some(limit) => {
            let mut iter = iter;
            let mut rows_returned = 0;

            while let Some(res) = iter.next() {
                if let Ok(ok) = &res {
                    if ok.is_right() {
                        rows_returned += 1;
                        if rows_returned >= limit {
                            drop(iter);
                            let _ = tx.send(res);
                            break;
                        }
                    }
                }
                let has_error = res.is_err();
                if tx.send(res).is_err() || has_error {
                    break;
                }
            }
        }
    }
}

/// The worker's `Begin`, shared with the inline path.
fn begin_on(
    conn: &mut ConnectionState,
    shared: &WorkerSharedState,
    statement: Option<SqlStr>,
) -> Result<(), Error> {
    let depth = shared.transaction_depth.load(Ordering::Acquire);
    // ZORGVULDIG PATCH: a savepoint in a transaction SQLite has ended would start a
    // transaction of its own, outside the caller's (see `transaction_ended`).
    if depth > 0 && !conn.handle.in_transaction() {
        return Err(transaction_ended());
    }

    let is_custom_statement = statement.is_some();
    let statement = match statement {
        // custom `BEGIN` statements are not allowed if
        // we're already in a transaction (we need to
        // issue a `SAVEPOINT` instead)
        Some(_) if depth > 0 => return Err(Error::InvalidSavePointStatement),
        Some(statement) => statement,
        None => begin_ansi_transaction_sql(depth),
    };
    conn.handle.exec(statement.as_str()).and_then(|res| {
        if is_custom_statement && !conn.handle.in_transaction() {
            return Err(Error::BeginFailed);
        }

        shared.transaction_depth.fetch_add(1, Ordering::Release);

        Ok(res)
    })
}

/// The worker's `Commit`, shared with the inline path.
fn commit_on(conn: &mut ConnectionState, shared: &WorkerSharedState) -> Result<(), Error> {
    let depth = shared.transaction_depth.load(Ordering::Acquire);

    if depth > 0 {
        // ZORGVULDIG PATCH: see `transaction_ended`.
        if !conn.handle.in_transaction() {
            return Err(transaction_ended());
        }
        conn.handle
            .exec(commit_ansi_transaction_sql(depth).as_str())
            .map(|_| {
                shared.transaction_depth.fetch_sub(1, Ordering::Release);
            })
    } else {
        Ok(())
    }
}

/// ZORGVULDIG PATCH: SQLite rolls a whole transaction back by itself when a statement or
/// the COMMIT fails with SQLITE_FULL, SQLITE_IOERR or SQLITE_NOMEM. Upstream went on
/// counting it as open: the next BEGIN on that pooled connection became a SAVEPOINT, a
/// rollback of it (`ROLLBACK TO`) left SQLite's transaction open, and every later
/// "commit" only released a savepoint inside it, acknowledged and never written. Now
/// the depth still counts the caller's open transactions, but inside one that SQLite
/// has ended every statement, savepoint and commit fails with this error, and each
/// rollback only unwinds the count: the caller sees the failure at every step until it
/// has rolled back, and nothing runs outside the transaction it thinks it is in.
fn transaction_ended() -> Error {
    Error::Io(std::io::Error::other(
        "the transaction was rolled back by SQLite after a failed write",
    ))
}

/// The worker's `Rollback`, shared with the inline path.
fn rollback_on(conn: &mut ConnectionState, shared: &WorkerSharedState) -> Result<(), Error> {
    let depth = shared.transaction_depth.load(Ordering::Acquire);

    if depth > 0 {
        // ZORGVULDIG PATCH: see `transaction_ended`; nothing is left to roll back.
        if !conn.handle.in_transaction() {
            shared.transaction_depth.fetch_sub(1, Ordering::Release);
            return Ok(());
        }
        conn.handle
            .exec(rollback_ansi_transaction_sql(depth).as_str())
            .map(|_| {
                shared.transaction_depth.fetch_sub(1, Ordering::Release);
            })
    } else {
        Ok(())
    }
}

fn prepare(conn: &mut ConnectionState, query: SqlStr) -> Result<SqliteStatement, Error> {
    // prepare statement object (or checkout from cache)
    let statement = conn.statements.get(query.as_str(), true)?;

    let mut parameters = 0;
    let mut columns = None;
    let mut column_names = None;

    while let Some(statement) = statement.prepare_next(&mut conn.handle)? {
        parameters += statement.handle.bind_parameter_count();

        // the first non-empty statement is chosen as the statement we pull columns from
        if !statement.columns.is_empty() && columns.is_none() {
            columns = Some(Arc::clone(statement.columns));
            column_names = Some(Arc::clone(statement.column_names));
        }
    }

    Ok(SqliteStatement {
        sql: query,
        columns: columns.unwrap_or_default(),
        column_names: column_names.unwrap_or_default(),
        parameters,
    })
}

fn update_cached_statements_size(conn: &ConnectionState, size: &AtomicUsize) {
    size.store(conn.statements.len(), Ordering::Release);
}

// A oneshot channel where send completes only after the receiver receives the value.
mod rendezvous_oneshot {
    use super::oneshot::{self, Canceled};

    pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
        let (inner_tx, inner_rx) = oneshot::channel();
        (Sender { inner: inner_tx }, Receiver { inner: inner_rx })
    }

    pub struct Sender<T> {
        inner: oneshot::Sender<(T, oneshot::Sender<()>)>,
    }

    impl<T> Sender<T> {
        pub async fn send(self, value: T) -> Result<(), Canceled> {
            let (ack_tx, ack_rx) = oneshot::channel();
            self.inner.send((value, ack_tx)).map_err(|_| Canceled)?;
            ack_rx.await
        }

        pub fn blocking_send(self, value: T) -> Result<(), Canceled> {
            futures_executor::block_on(self.send(value))
        }
    }

    pub struct Receiver<T> {
        inner: oneshot::Receiver<(T, oneshot::Sender<()>)>,
    }

    impl<T> Receiver<T> {
        pub async fn recv(self) -> Result<T, Canceled> {
            let (value, ack_tx) = self.inner.await?;
            ack_tx.send(()).map_err(|_| Canceled)?;
            Ok(value)
        }
    }
}
