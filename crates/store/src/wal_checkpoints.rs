//! SQLite's checkpoints, moved out of the commits (decision 0048).
//!
//! With SQLite's own setting, the commit that takes the write-ahead log past 1,000 pages
//! copies them back into the database file and syncs it before it returns, and every
//! writer of this process waits in the queue behind it: a dossier view's audit commit
//! as well (16% of the retention sweep's time, `docs/performance.md`). Here a task of the
//! store's own does that work:
//! - a passive checkpoint whenever a log has changed, beside the writers and readers,
//!   which moves the bulk of the pages without anyone waiting;
//! - once the main log holds [`RESTART_AT`] pages, a checkpoint in the writers' queue
//!   that copies what came in meanwhile and waits (briefly) for the readers still using
//!   the log, so that the next writer starts the log over from its beginning. Without
//!   that wait a steady stream of dossier views always has a reader in the log, and it
//!   grows without bound.
//!
//! The restarting checkpoint counts as a long write (`audit_intake`): while it waits
//! for and holds the turn, reads' audit events go to the intake rather than wait.
//!
//! SQLite's own checkpoint stays on at a higher mark ([`BACKSTOP`], `dialect`), for a
//! process whose task cannot keep up or has stopped.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use sea_orm::sqlx::{self, SqlitePool};

use crate::audit_intake::LongWrites;

/// How often the task looks at the logs.
const EVERY: Duration = Duration::from_millis(100);

/// Pages in the main log after which the task restarts it (16 MB with 4 KB pages).
const RESTART_AT: i64 = 4096;

/// SQLite's own checkpoint (`wal_autocheckpoint`), set on every connection: four times the
/// task's mark, so it only acts when the task does not.
pub(crate) const BACKSTOP: i64 = 4 * RESTART_AT;

/// `dialect`'s busy timeout, set back after a restarting checkpoint.
const RESTORE_BUSY_TIMEOUT: &str = "PRAGMA busy_timeout = 10000";

/// The running task; dropping the last handle (with the last clone of the store) stops it.
#[derive(Debug)]
pub(crate) struct Task(tokio::task::JoinHandle<()>);

impl Drop for Task {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One database file of a connection: its log, and the checkpoint statements naming its
/// schema (fixed text, decision 0046).
struct File {
    log: PathBuf,
    passive: &'static str,
    restart: &'static str,
    seen: Option<(u64, SystemTime)>,
}

/// Starts the task for the database at `main` with its key store at `keys`.
pub(crate) fn start(pool: SqlitePool, writers: Writers, main: &Path, keys: &Path) -> Task {
    let files = [
        File {
            log: log_of(main),
            passive: "PRAGMA main.wal_checkpoint(PASSIVE)",
            restart: "PRAGMA main.wal_checkpoint(RESTART)",
            seen: None,
        },
        File {
            log: log_of(keys),
            passive: "PRAGMA zv_keys.wal_checkpoint(PASSIVE)",
            restart: "PRAGMA zv_keys.wal_checkpoint(RESTART)",
            seen: None,
        },
    ];
    Task(tokio::spawn(run(pool, writers, files)))
}

/// The writers' turn, and the count of long writes to join while holding it long.
type Writers = (Arc<tokio::sync::Mutex<()>>, Arc<LongWrites>);

async fn run(pool: SqlitePool, (writers, long): Writers, mut files: [File; 2]) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if pool.is_closed() {
            return;
        }
        for file in &mut files {
            if stamp(&file.log) == file.seen {
                continue;
            }
            // An error (the pool closing, a disk error) leaves the work to the next round
            // or to SQLite's own checkpoint; the next writer meets a disk error itself.
            let Ok(pages) = checkpoint(&pool, file.passive, false).await else {
                continue;
            };
            if pages >= RESTART_AT {
                let _long = long.mark();
                let _turn = writers.lock().await;
                let _ = checkpoint(&pool, file.restart, true).await;
            }
            // Read after the checkpoint: what it wrote itself (the log's header) is not
            // news.
            file.seen = stamp(&file.log);
        }
    }
}

/// Runs a checkpoint statement and answers the number of pages in the file's log. A
/// restarting one (`restart`, the caller holding this process's writers' queue) copies
/// all and then waits 200 ms at most for the readers still in the log: a reader that
/// begins after the copy reads the database file only, so those are the few that began
/// before it, each a few milliseconds at most.
async fn checkpoint(
    pool: &SqlitePool,
    statement: &'static str,
    restart: bool,
) -> sqlx::Result<i64> {
    let mut conn = pool.acquire().await?;
    if restart {
        // The connection's busy timeout bounds the wait; `dialect`'s is restored after.
        sqlx::query("PRAGMA busy_timeout = 200")
            .execute(&mut *conn)
            .await?;
    }
    let row: sqlx::Result<(i64, i64, i64)> = sqlx::query_as(statement).fetch_one(&mut *conn).await;
    if restart && let Err(e) = sqlx::query(RESTORE_BUSY_TIMEOUT).execute(&mut *conn).await {
        // Not back to the pool with the short timeout: closed, and replaced.
        conn.close_on_drop();
        return Err(e);
    }
    let (_busy, log, _copied) = row?;
    Ok(log)
}

fn log_of(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// A log's size and time of last change, or `None` while there is none.
fn stamp(log: &Path) -> Option<(u64, SystemTime)> {
    let meta = std::fs::metadata(log).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_restored_busy_timeout_is_the_connections_own() {
        assert_eq!(
            RESTORE_BUSY_TIMEOUT,
            format!(
                "PRAGMA busy_timeout = {}",
                crate::dialect::BUSY_TIMEOUT.as_millis()
            )
        );
    }

    #[test]
    fn the_log_is_the_file_name_with_wal_appended() {
        assert_eq!(
            log_of(Path::new("/data/zorgvuldig.db")),
            PathBuf::from("/data/zorgvuldig.db-wal")
        );
    }
}
