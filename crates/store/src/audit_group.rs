//! Group commit for audit events that must be durable before a read is released
//! (ARCHITECTURE rule 2). Each caller's events would otherwise cost a transaction and a
//! sync of their own; here, while one caller (the leader) commits, the others queue, and
//! the next leader writes everything queued in one transaction. No event is released
//! before the commit that holds it, and the chain stays one line because only a leader
//! appends.
//!
//! While a long write (a retention sweep's batch) holds SQLite's write turn, the leader
//! makes the group durable in the audit intake instead, which the next write moves into
//! the chain (decision 0056): the readers wait for their own sync, not for the batch.
//!
//! On PostgreSQL the leader keeps the head its last group left, and the next group
//! claims it by a condition in the one statement that inserts the events (decision
//! 0058): one round trip instead of four, as long as no other write appended between.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use sea_orm::DbErr;
use tokio::sync::oneshot;
use zv_domain::NewAuditEvent;

use crate::audit::Head;
use crate::{Engine, Store, StoreError};

type Reply = oneshot::Sender<Result<Vec<i64>, StoreError>>;

struct Request {
    events: Vec<NewAuditEvent>,
    at: DateTime<Utc>,
    reply: Reply,
}

/// The queue and the leader's lock; one per open store.
#[derive(Default)]
pub(crate) struct GroupCommit {
    queue: Mutex<Vec<Request>>,
    /// Held by the leader, with the head its group left on PostgreSQL (`None` when not
    /// known: at the start, on SQLite, after a failure).
    leader: tokio::sync::Mutex<Option<Head>>,
    /// Groups written in one statement on the head the group before left.
    in_one_statement: AtomicU64,
}

/// The most events one group transaction writes; the rest wait for the next leader.
const MAX_GROUP: usize = 1_024;

/// Appends `events` and returns their sequence numbers once they are committed: their
/// places in the chain, or, when they were made durable in the intake, their places
/// there negated (they enter the chain with the next write).
pub async fn append_committed(
    store: &Store,
    events: Vec<NewAuditEvent>,
    at: DateTime<Utc>,
) -> Result<Vec<i64>, StoreError> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let group = &store.group;
    let (reply, mut answer) = oneshot::channel();
    queue(group).push(Request { events, at, reply });
    loop {
        // Whoever commits our events answers us directly. Waiting for the lock as well
        // released a committed group one waiter at a time, each handing the lock to the
        // next (the HTTP views' p99 fell by a fifth when that stopped; decision 0047).
        let mut leading = tokio::select! {
            biased;
            result = &mut answer => {
                return result.unwrap_or_else(|_| {
                    Err(failed("the audit group commit ended without an answer"))
                });
            }
            leading = group.leader.lock() => leading,
        };
        // A previous leader may have committed our events just before we took the lock.
        match answer.try_recv() {
            Ok(result) => return result,
            Err(oneshot::error::TryRecvError::Closed) => {
                return Err(failed("the audit group commit ended without an answer"));
            }
            Err(oneshot::error::TryRecvError::Empty) => {}
        }
        let batch = take_batch(group);
        if batch.is_empty() {
            continue;
        }
        commit_batch(store, batch, &mut leading).await;
    }
}

fn queue(group: &GroupCommit) -> std::sync::MutexGuard<'_, Vec<Request>> {
    // A panic while holding this lock cannot leave the Vec half-changed (push and drain
    // are the only operations), so a poisoned lock is still sound to use.
    group
        .queue
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn take_batch(group: &GroupCommit) -> Vec<Request> {
    let mut q = queue(group);
    let mut n = 0;
    let mut take = 0;
    for r in q.iter() {
        if take > 0 && n + r.events.len() > MAX_GROUP {
            break;
        }
        n += r.events.len();
        take += 1;
    }
    q.drain(..take).collect()
}

/// Runs the leader's transaction without yielding to the runtime's other tasks, on a
/// multi-thread runtime. The transaction waits twice on the database (its BEGIN and its
/// COMMIT with the sync); a task woken from outside the runtime queues behind every ready
/// request, which made each group wait tens of milliseconds while the cores had time to
/// spare, and every reader waits for its group (decision 0013).
async fn undisturbed<F: std::future::Future>(f: F) -> F::Output {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(|| {
                sea_orm::sqlx::sqlite::may_block_here(|| handle.block_on(f))
            })
        }
        _ => f.await,
    }
}

async fn commit_batch(store: &Store, batch: Vec<Request>, head: &mut Option<Head>) {
    let written = undisturbed(async {
        let all = batch
            .iter()
            .flat_map(|r| r.events.iter().map(move |e| (e, r.at)))
            .collect::<Vec<_>>();
        let seqs: Vec<i64> = if let Some(intake) = store.intake_for_reads() {
            intake.append(&all)?.into_iter().map(|s| -s).collect()
        } else {
            append_group(store, &all, head).await?
        };
        let mut seqs = seqs.into_iter();
        Ok::<_, StoreError>(
            batch
                .iter()
                .map(|r| seqs.by_ref().take(r.events.len()).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
        )
    })
    .await;
    match written {
        Ok(seqs) => {
            for (r, s) in batch.into_iter().zip(seqs) {
                let _ = r.reply.send(Ok(s));
            }
        }
        Err(e) => {
            // Every waiter gets the failure as it is: an unavailable database stays
            // "unavailable" for each of them, so their readers answer 503, not 500.
            let unavailable = e.is_unavailable();
            let message = e.to_string();
            for r in batch {
                let error = if unavailable {
                    StoreError::Unavailable(message.clone())
                } else {
                    failed(&message)
                };
                let _ = r.reply.send(Err(error));
            }
        }
    }
}

/// The group's events in the chain: one claim of the head, one insert and one head update
/// for the whole group. On PostgreSQL first as one statement on the head the last group
/// left, which holds unless another write appended in between.
async fn append_group(
    store: &Store,
    all: &[(&NewAuditEvent, DateTime<Utc>)],
    head: &mut Option<Head>,
) -> Result<Vec<i64>, StoreError> {
    // Taken, not read: after any failure the head is unknown until a group's commit.
    if store.engine() == Engine::Postgres
        && let Some(known) = head.take()
        && let Some((seqs, next)) = crate::audit::append_on_head(store.db(), &known, all).await?
    {
        *head = Some(next);
        store.group.in_one_statement.fetch_add(1, Ordering::Relaxed);
        return Ok(seqs);
    }
    let tx = store.begin().await?;
    let (seqs, next) = crate::audit::append_claimed(&tx, all.iter().copied()).await?;
    tx.commit().await?;
    if store.engine() == Engine::Postgres {
        *head = next;
    }
    Ok(seqs)
}

/// How many audit groups were written in one statement on the head the group before
/// left (PostgreSQL; always 0 on SQLite), for the tests that check the path is taken.
pub fn groups_in_one_statement(store: &Store) -> u64 {
    store.group.in_one_statement.load(Ordering::Relaxed)
}

fn failed(message: &str) -> StoreError {
    StoreError::Db(DbErr::Custom(format!("audit group commit: {message}")))
}
