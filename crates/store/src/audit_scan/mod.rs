//! The fast walks of `audit verify`: each engine's log read without the ORM, row values
//! borrowed where the driver holds them (decisions 0042 and 0051).
//!
//! They only ever report what the ORM walk would report: a row whose columns are not
//! exactly of the types the application writes stops a scan there, and the ORM walk goes
//! on from that row with its own decoding rules. So does any error of the connection: a
//! scan is a faster road to the same answer, never a second opinion.

pub(crate) mod postgres;
pub(crate) mod sqlite;

use crate::audit::{BrokenLink, Walk};

/// How a scan ended.
pub(crate) enum Scan {
    /// Every event up to the head it read is intact; the walk stands after the last one.
    Intact,
    /// The first broken link.
    Broken(BrokenLink),
    /// The scan stopped before `walk.expected` without judging it (a column of an
    /// unexpected type, or the log could not be read this way): the ORM walk goes on.
    Handover,
}

/// Below this many events one walk covers the whole log: a second connection and thread
/// cost more than they save.
const SPLIT_FROM: i64 = 50_000;

/// Where a log from `walk.expected` to `head` is split in two halves scanned at once, if
/// it is long enough (`split_from` events) to gain from it.
///
/// The second half's chain starts from its first row's `prev_hash`, and the halves are
/// joined only where that equals the hash the first half ended on ([`joined`]).
fn split_at(walk: &Walk, head: i64, split_from: i64) -> Option<i64> {
    (head - walk.expected >= split_from).then(|| walk.expected + (head - walk.expected) / 2)
}

/// The second half of a split scan: a chain of its own from its first row on.
struct Half {
    /// The `prev_hash` of the half's first row, which the first half must end on.
    starts_on: Vec<u8>,
    walk: Walk,
    scan: Scan,
}

/// The answer of a scan split after `mid`, from the first half's and the second's (if it
/// could be walked). `None`: the rest, from `mid + 1`, is to be walked in one piece.
/// Anything less clean at the join than a first half intact to its last row and a
/// second half that links to it (a missing row there, a mismatch) is left to that walk,
/// so the answer is always the one a walk in order gives.
fn joined(walk: &mut Walk, mid: i64, first: Scan, second: Option<Half>) -> Option<Scan> {
    match (first, second) {
        (Scan::Intact, Some(half))
            if walk.expected == mid + 1 && walk.links_to(&half.starts_on) =>
        {
            walk.join(half.walk);
            Some(half.scan)
        }
        (Scan::Intact, _) if walk.expected == mid + 1 => None,
        // A break or a handover in the first half, or a row missing at its end: the
        // first half's answer stands (the ORM walk judges a missing row).
        (first, _) => Some(first),
    }
}

/// What the scans' tests share: a store holding a log the application wrote.
#[cfg(test)]
pub(crate) mod testing {
    use chrono::Utc;
    use zv_domain::{AuditAction, AuditObject, AuditOutcome, NewAuditEvent, Purpose};

    use crate::audit::Walk;
    use crate::{OpenMode, Store, StoreConfig};

    fn event(i: usize) -> NewAuditEvent {
        NewAuditEvent {
            action: AuditAction::Read,
            outcome: AuditOutcome::Success,
            object: AuditObject::Entry,
            object_id: Some(uuid::Uuid::now_v7()),
            client_id: None,
            user_id: None,
            user_name: format!("user {i}"),
            role: "caseworker".into(),
            on_behalf_of: None,
            purpose: Purpose::Care,
            access_point: "127.0.0.1 session".into(),
            rule_ids: vec!["acc1_assigned".into()],
            detail: i.is_multiple_of(2).then(|| "detail".to_owned()),
        }
    }

    /// A migrated store on `database_url` (SQLite in the directory without one) whose
    /// log holds `events` events.
    pub(crate) async fn store_with(
        database_url: Option<String>,
        events: usize,
    ) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(
            &StoreConfig {
                database_url,
                data_dir: dir.path().to_owned(),
                page_cache: crate::PageCache::default(),
            },
            OpenMode::CreateIfMissing,
        )
        .await
        .unwrap();
        store.migrate().await.unwrap();
        let tx = store.begin().await.unwrap();
        let batch: Vec<_> = (0..events).map(event).collect();
        crate::audit::append(&tx, &batch, Utc::now()).await.unwrap();
        tx.commit().await.unwrap();
        (dir, store)
    }

    pub(crate) fn start() -> Walk {
        Walk::new(&crate::audit::GENESIS_HASH, 1)
    }
}
