//! The walk of `audit verify` on PostgreSQL, streamed through the driver without the
//! ORM (decision 0051).
//!
//! The ORM walk reads pages of 1,000 events, each a query of its own, and builds a model
//! that owns every string of every row: about 340,000 events per second, a fifth of what
//! SQLite's scan of its file proves. Here one statement streams the log in sequence
//! order inside one snapshot, and each row is hashed from values borrowed from the
//! driver's buffer.

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt as _;
use sea_orm::sqlx::postgres::{PgPool, PgRow, PgTypeInfo, PgValueFormat};
use sea_orm::sqlx::{self, Column as _, Postgres, Row as _, Type, ValueRef as _};
use uuid::Uuid;

use super::{Half, SPLIT_FROM, Scan, joined, split_at};
use crate::audit::{EventView, Walk};

const SELECT: &str = "SELECT seq, id, at, action, outcome, object, object_id, client_id, \
     user_id, user_name, role, on_behalf_of, purpose, access_point, rule_ids, detail, \
     prev_hash, hash FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq";

/// Walks the log from `walk.expected` up to the head row. A long log is scanned in two
/// halves at once, each a statement on a connection of its own and the second on a task
/// of its own ([`super::split_at`]), so both cores hash.
pub(crate) async fn scan(pool: &PgPool, walk: &mut Walk) -> Scan {
    scan_split(pool, walk, SPLIT_FROM).await
}

async fn scan_split(pool: &PgPool, walk: &mut Walk, split_from: i64) -> Scan {
    let outcome = async {
        // Every row up to the head is committed when it is read, so each statement's own
        // later snapshot holds them all.
        let head: i64 = sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1")
            .fetch_one(pool)
            .await?;
        let Some(mid) = split_at(walk, head, split_from) else {
            return range(pool, walk, head).await;
        };
        let second = tokio::spawn(second_half(pool.clone(), mid + 1, head));
        let first = range(pool, walk, mid).await;
        let second = second.await.ok().and_then(Result::ok).flatten();
        match joined(walk, mid, first?, second) {
            Some(scan) => Ok(scan),
            None => range(pool, walk, head).await,
        }
    };
    match outcome.await {
        Ok(scan) => scan,
        Err(e) => {
            // The error names the driver's condition, never a row's content.
            tracing::warn!(error = %e, "audit scan on PostgreSQL stopped; the ORM walk goes on");
            Scan::Handover
        }
    }
}

/// Walks `walk` on through the rows up to `last`, in one statement.
async fn range(pool: &PgPool, walk: &mut Walk, last: i64) -> Result<Scan, sqlx::Error> {
    let mut rows = sqlx::query(SELECT)
        .bind(walk.expected)
        .bind(last)
        .fetch(pool);
    let mut typed = false;
    while let Some(row) = rows.try_next().await? {
        // Every row of a statement shares its columns' description: one check serves.
        typed = typed || of_written_types(&row);
        let Some(event) = typed.then(|| event(&row)).flatten() else {
            return Ok(Scan::Handover);
        };
        if let Some(broken) = walk.check(&event) {
            return Ok(Scan::Broken(broken));
        }
    }
    Ok(Scan::Intact)
}

/// `None` when row `first` is absent: the join cannot be judged here. Otherwise the rows
/// from `first` on, walked as [`range`] walks them, from the link row `first` names.
async fn second_half(pool: PgPool, first: i64, last: i64) -> Result<Option<Half>, sqlx::Error> {
    let link: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT prev_hash FROM audit_log WHERE seq = $1")
            .bind(first)
            .fetch_optional(&pool)
            .await?;
    let Some(starts_on) = link else {
        return Ok(None);
    };
    let mut walk = Walk::new(&starts_on, first);
    let scan = range(&pool, &mut walk, last).await?;
    Ok(Some(Half {
        starts_on,
        walk,
        scan,
    }))
}

/// Whether the statement's columns are of the types the application writes, sent in
/// binary form: then [`event`] reads their bytes as they are.
fn of_written_types(row: &PgRow) -> bool {
    type Check = fn(&PgTypeInfo) -> bool;
    let (int, uuid, time): (Check, Check, Check) = (
        <i64 as Type<Postgres>>::compatible,
        <Uuid as Type<Postgres>>::compatible,
        <DateTime<Utc> as Type<Postgres>>::compatible,
    );
    let (text, bytes): (Check, Check) = (
        <&str as Type<Postgres>>::compatible,
        <&[u8] as Type<Postgres>>::compatible,
    );
    let expected = [
        int, uuid, time, text, text, text, uuid, uuid, uuid, text, text, uuid, text, text, text,
        text, bytes, bytes,
    ];
    let columns = row.columns();
    columns.len() == expected.len()
        && columns
            .iter()
            .zip(expected)
            .all(|(column, check)| check(column.type_info()))
        && row
            .try_get_raw(0)
            .is_ok_and(|v| v.format() == PgValueFormat::Binary)
}

/// The row as the application wrote it, borrowed from the driver's buffer, or `None` if
/// a value is not one it writes (a NULL where it writes none, a uuid not of 16 bytes).
/// The columns' types were checked once for the statement ([`of_written_types`]).
fn event(row: &PgRow) -> Option<EventView<'_>> {
    let bytes = |i: usize| row.try_get_raw(i).ok()?.as_bytes().ok();
    let text = |i: usize| std::str::from_utf8(bytes(i)?).ok();
    let uuid = |i: usize| -> Option<&[u8; 16]> { bytes(i)?.try_into().ok() };
    Some(EventView {
        seq: i64::from_be_bytes(bytes(0)?.try_into().ok()?),
        id: uuid(1)?,
        // The driver's own decoding, as the ORM's: it refuses what a `DateTime` cannot hold.
        at_micros: row.try_get::<DateTime<Utc>, _>(2).ok()?.timestamp_micros(),
        action: text(3)?,
        outcome: text(4)?,
        object: text(5)?,
        object_id: optional(row, 6, &uuid)?,
        client_id: optional(row, 7, &uuid)?,
        user_id: optional(row, 8, &uuid)?,
        user_name: text(9)?,
        role: text(10)?,
        on_behalf_of: optional(row, 11, &uuid)?,
        purpose: text(12)?,
        access_point: text(13)?,
        rule_ids: text(14)?,
        detail: optional(row, 15, &text)?,
        prev_hash: bytes(16)?,
        hash: bytes(17)?,
    })
}

/// `Some(None)` for NULL, `Some(Some(v))` for a value `read` accepts, `None` otherwise.
fn optional<T>(row: &PgRow, i: usize, read: &dyn Fn(usize) -> Option<T>) -> Option<Option<T>> {
    if row.try_get_raw(i).ok()?.is_null() {
        Some(None)
    } else {
        read(i).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::BreakReason;
    use crate::audit_scan::testing::{start, store_with};
    use sea_orm::{ConnectionTrait as _, Database};

    /// Runs `test` on a database of its own on the server `ZV_TEST_DATABASE_URL` names,
    /// then drops it; nothing without that server (the SQLite suite).
    async fn on_postgres(test: impl AsyncFnOnce(&str)) {
        let Some(admin) = std::env::var("ZV_TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())
        else {
            return;
        };
        let name = format!("zv_scan_{}", Uuid::new_v4().simple());
        let server = Database::connect(admin.as_str()).await.unwrap();
        server
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let base = admin.rsplit_once('/').unwrap().0;
        test(&format!("{base}/{name}")).await;
        server
            .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
            .await
            .unwrap();
        server.close().await.unwrap();
    }

    // The scan must judge the rows the application writes by itself: a silent handover
    // on every row would pass every verify test while leaving the ORM walk to do the work.
    // promise: ACC-7
    #[tokio::test]
    async fn the_scan_reads_what_the_application_writes_and_hands_over_what_it_does_not() {
        on_postgres(async |url| {
            let (_dir, store) = store_with(Some(url.to_owned()), 25).await;
            let pool = store.db().get_postgres_connection_pool().clone();
            let mut walk = start();
            assert!(matches!(scan(&pool, &mut walk).await, Scan::Intact));
            assert_eq!((walk.events, walk.expected), (25, 26));

            // A changed byte is found by the scan itself.
            let db = store.db();
            db.execute_unprepared(&format!(
                "DROP TRIGGER {} ON audit_log",
                crate::dialect::POSTGRES_AUDIT_TRIGGER
            ))
            .await
            .unwrap();
            db.execute_unprepared("UPDATE audit_log SET role = 'team lead' WHERE seq = 7")
                .await
                .unwrap();
            let mut walk = start();
            match scan(&pool, &mut walk).await {
                Scan::Broken(b) => assert_eq!((b.seq, b.reason), (7, BreakReason::HashMismatch)),
                _ => panic!("the scan did not judge the changed row"),
            }

            // A column of another type than the application writes is left to the ORM
            // walk, from the first row on.
            db.execute_unprepared("ALTER TABLE audit_log ALTER COLUMN id TYPE text")
                .await
                .unwrap();
            let mut walk = start();
            assert!(matches!(scan(&pool, &mut walk).await, Scan::Handover));
            assert_eq!(walk.expected, 1);
            store.close().await.unwrap();
        })
        .await;
    }

    // The halves must give the answer of one walk in order, wherever the damage is:
    // inside either half, at the join, or a row missing on either side of it.
    // promise: ACC-7
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_split_scan_answers_as_one_walk_in_order() {
        use crate::audit::BreakReason::{Gap, HashMismatch, PrevHashMismatch};
        on_postgres(async |url| {
            let (_dir, store) = store_with(Some(url.to_owned()), 2_000).await;
            let pool = store.db().get_postgres_connection_pool().clone();
            // Split at any length; the halves are events 1-1000 and 1001-2000.
            let split = async |walk: &mut Walk| scan_split(&pool, walk, 0).await;
            let mut walk = start();
            assert!(matches!(split(&mut walk).await, Scan::Intact));
            assert_eq!((walk.events, walk.expected), (2_000, 2_001));

            let db = store.db();
            let damage = async |sql: &str| db.execute_unprepared(sql).await.unwrap();
            damage(&format!(
                "DROP TRIGGER {} ON audit_log",
                crate::dialect::POSTGRES_AUDIT_TRIGGER
            ))
            .await;
            let broken = async |walk: &mut Walk| match split(walk).await {
                Scan::Broken(b) => (b.seq, b.reason),
                _ => panic!("the split scan did not judge the damage"),
            };
            // A change in the second half, then one in the first: the first one counts.
            damage("UPDATE audit_log SET role = 'x' WHERE seq = 1500").await;
            let mut walk = start();
            assert_eq!(broken(&mut walk).await, (1_500, HashMismatch));
            assert_eq!(walk.events, 1_499);
            damage("UPDATE audit_log SET role = 'x' WHERE seq = 400").await;
            let mut walk = start();
            assert_eq!(broken(&mut walk).await, (400, HashMismatch));
            assert_eq!(walk.events, 399);
            damage("UPDATE audit_log SET role = 'caseworker' WHERE seq IN (400, 1500)").await;

            // The second half's first row links elsewhere: the join is refused and the
            // walk in order names it.
            damage(
                "UPDATE audit_log SET prev_hash = decode(repeat('00', 32), 'hex') WHERE seq = 1001",
            )
            .await;
            assert_eq!(broken(&mut start()).await, (1_001, PrevHashMismatch));
            // The second half's first row is missing: a gap where it was.
            damage("DELETE FROM audit_log WHERE seq = 1001").await;
            assert_eq!(broken(&mut start()).await, (1_001, Gap));
            // The first half's last row is missing: the scan stops before it without a
            // verdict, and the ORM walk names the gap.
            damage("DELETE FROM audit_log WHERE seq = 1000").await;
            let mut walk = start();
            assert!(matches!(split(&mut walk).await, Scan::Intact));
            assert_eq!((walk.events, walk.expected), (999, 1_000));
            store.close().await.unwrap();
        })
        .await;
    }
}
