//! The audit log (ACC-7, NEN 7513): append-only and hash-chained.
//!
//! Each event's hash is `SHA-256(prev_hash || canonical(event))`, where the canonical
//! form is a fixed encoding of every stored column, the sequence number and the time
//! included (see [`event_hash`]). So altering a row breaks its own hash, deleting one
//! leaves a gap in the sequence, reordering breaks the links, and removing events at the
//! end no longer matches the head row. [`verify`] walks the whole chain in pages with
//! bounded memory and reports the first broken link.
//!
//! The database refuses UPDATE and DELETE on the log (triggers on both engines, revoked
//! grants on PostgreSQL; see `dialect`). The chain catches whoever goes around that.
//!
//! After the retention term the oldest events are pruned (decision 0028): the log then
//! starts after a signed checkpoint ([`crate::audit_checkpoints`]), and [`verify_from`]
//! walks the chain from the checkpoint's hash instead of the genesis.
//!
//! Times are stored truncated to whole microseconds, the precision both engines keep, so
//! an event re-read from either engine hashes exactly as it was written.

use std::sync::OnceLock;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait as _, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    IdenStatic as _, Iterable as _, QueryFilter, QueryOrder, QuerySelect, QueryTrait as _,
    Statement, Value,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zv_domain::audit::AuditEvent;
use zv_domain::{AuditAction, AuditObject, AuditOutcome, ClientId, NewAuditEvent, Purpose, UserId};

use crate::entity::{audit_head, audit_log};
use crate::fixed::{Fixed, PerLength};
use crate::{Store, StoreError, Tx, bulk};

/// The hash before the first event.
pub const GENESIS_HASH: [u8; 32] = [0; 32];

/// Names the encoding, so a future change of it cannot be confused with this one.
const DOMAIN: &[u8] = b"zorgvuldig/audit-event/v1";

/// Events read per page by [`verify`]: memory stays bounded however long the log. Most of
/// the walk is the driver copying values; pages of 5,000 rows spent more time in the
/// allocator than pages of 1,000 (60,054 events: 0.66 s against 0.60 s for the command).
const VERIFY_PAGE: u64 = 1_000;

/// Appends events in the given order, in the caller's transaction, and returns their
/// sequence numbers.
///
/// The head row is updated first (`UPDATE ... RETURNING`), which takes its row lock: a
/// concurrent appender on PostgreSQL waits there until this transaction ends, then
/// continues from the committed head, so the chain never forks. On SQLite the write
/// transaction (`BEGIN IMMEDIATE`) already serialises writers.
pub async fn append(
    tx: &Tx,
    events: &[NewAuditEvent],
    at: DateTime<Utc>,
) -> Result<Vec<i64>, StoreError> {
    append_timed(tx, events.iter().map(|e| (e, at))).await
}

/// Like [`append`], each event with its own time: the group commit writes the events of
/// many callers, who each decided at their own moment, with one claim of the head.
pub(crate) async fn append_timed<'a>(
    tx: &Tx,
    events: impl ExactSizeIterator<Item = (&'a NewAuditEvent, DateTime<Utc>)>,
) -> Result<Vec<i64>, StoreError> {
    Ok(append_claimed(tx, events).await?.0)
}

/// The end of the chain after an append: the last event's place and hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Head {
    pub seq: i64,
    pub hash: Vec<u8>,
}

/// [`append_timed`], also returning the head it leaves (`None` for no events).
pub(crate) async fn append_claimed<'a>(
    tx: &Tx,
    events: impl ExactSizeIterator<Item = (&'a NewAuditEvent, DateTime<Utc>)>,
) -> Result<(Vec<i64>, Option<Head>), StoreError> {
    if events.len() == 0 {
        return Ok((Vec::new(), None));
    }
    let n = i64::try_from(events.len())
        .map_err(|_| StoreError::Db(DbErr::Custom("too many audit events".into())))?;
    static CLAIM: Fixed = Fixed::new();
    let head = CLAIM
        .row(tx, vec![n.into(), 1_i32.into()], || {
            Query::update()
                .table(audit_head::Entity)
                .value(
                    audit_head::Column::Seq,
                    Expr::col(audit_head::Column::Seq).add(n),
                )
                .and_where(Expr::col(audit_head::Column::Id).eq(1))
                .returning(
                    Query::returning().columns([audit_head::Column::Seq, audit_head::Column::Hash]),
                )
                .to_owned()
        })
        .await?
        .ok_or_else(missing_head)?;
    let last: i64 = head.try_get("", "seq")?;
    let (rows, seqs, hash) = chained(last - n + 1, head.try_get("", "hash")?, events);
    static INSERT: PerLength<{ bulk::KEPT_ROWS }> = PerLength::new();
    static INSERT_AND_HEAD: PerLength<{ bulk::KEPT_ROWS }> = PerLength::new();
    static HEAD: Fixed = Fixed::new();
    let values = vec![hash.clone().into(), 1_i32.into()];
    let head_hash = hash.clone();
    bulk::insert_all_kept_then(
        tx,
        &INSERT,
        &INSERT_AND_HEAD,
        rows,
        (&HEAD, values, || {
            audit_head::Entity::update_many()
                .col_expr(audit_head::Column::Hash, Expr::value(head_hash))
                .filter(audit_head::Column::Id.eq(1))
                .into_query()
        }),
    )
    .await?;
    Ok((seqs, Some(Head { seq: last, hash })))
}

/// The events as rows of the chain from place `first` on, the first linked to `prev`,
/// each hashed: what every append writes, to the log or to the intake.
pub(crate) fn chain<'a>(
    first: i64,
    mut prev: Vec<u8>,
    events: impl Iterator<Item = (&'a NewAuditEvent, DateTime<Utc>)>,
) -> Vec<audit_log::Model> {
    let mut rows = Vec::with_capacity(events.size_hint().0);
    for (seq, (e, at)) in (first..).zip(events) {
        let mut m = model(seq, at.trunc_subsecs(6), e, std::mem::take(&mut prev));
        m.hash = event_hash(&view(&m)).to_vec();
        prev.clone_from(&m.hash);
        rows.push(m);
    }
    rows
}

/// [`chain`] ready to insert: the rows, their places, and the last one's hash (`prev`
/// for no events).
fn chained<'a>(
    first: i64,
    prev: Vec<u8>,
    events: impl Iterator<Item = (&'a NewAuditEvent, DateTime<Utc>)>,
) -> (Vec<audit_log::ActiveModel>, Vec<i64>, Vec<u8>) {
    let rows = chain(first, prev.clone(), events);
    let seqs = rows.iter().map(|m| m.seq).collect();
    let last = rows.last().map_or(prev, |m| m.hash.clone());
    (rows.into_iter().map(active).collect(), seqs, last)
}

/// Appends `events` after `head` in one statement outside a transaction, if the chain
/// still ends there (PostgreSQL only). The statement claims the head on the condition
/// that it is still `head`, and inserts the rows only if that claim took: a statement
/// commits alone, so both happen or neither. Returns `None`, having written nothing,
/// when another append has moved the head since. One round trip, where `BEGIN`, the
/// claim, the insert and `COMMIT` are four.
pub(crate) async fn append_on_head(
    db: &DatabaseConnection,
    head: &Head,
    events: &[(&NewAuditEvent, DateTime<Utc>)],
) -> Result<Option<(Vec<i64>, Head)>, StoreError> {
    let n = events.len();
    let (rows, seqs, hash) = chained(head.seq + 1, head.hash.clone(), events.iter().copied());
    let Some(&last) = seqs.last() else {
        return Ok(Some((seqs, head.clone())));
    };
    let columns: Vec<audit_log::Column> = audit_log::Column::iter().collect();
    let mut values: Vec<Value> = vec![
        last.into(),
        hash.clone().into(),
        head.seq.into(),
        head.hash.clone().into(),
    ];
    values.extend(bulk::take_values(&columns, rows)?);
    let statement =
        Statement::from_sql_and_values(DbBackend::Postgres, on_head_text(&columns, n), values);
    match db.execute_raw(statement).await?.rows_affected() {
        0 => Ok(None),
        written if written == n as u64 => Ok(Some((seqs, Head { seq: last, hash }))),
        written => Err(StoreError::Db(DbErr::Custom(format!(
            "audit append: {written} of {n} events written in one statement"
        )))),
    }
}

/// The text of [`append_on_head`]'s statement for `n` events: kept for the small groups
/// every view makes, built for larger ones.
fn on_head_text(columns: &[audit_log::Column], n: usize) -> String {
    static KEPT: [OnceLock<String>; bulk::KEPT_ROWS] = [const { OnceLock::new() }; bulk::KEPT_ROWS];
    let build = || {
        let names = columns
            .iter()
            .map(|c| format!("\"{}\"", c.as_str()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut sql = format!(
            "WITH \"claimed\" AS (UPDATE \"audit_head\" SET \"seq\" = $1, \"hash\" = $2 \
             WHERE \"id\" = 1 AND \"seq\" = $3 AND \"hash\" = $4 RETURNING 1) \
             INSERT INTO \"audit_log\" ({names}) SELECT * FROM (VALUES "
        );
        let mut placeholder = 4;
        for row in 0..n {
            sql.push_str(if row == 0 { "(" } else { "), (" });
            for column in 0..columns.len() {
                placeholder += 1;
                if column > 0 {
                    sql.push_str(", ");
                }
                sql.push('$');
                sql.push_str(&placeholder.to_string());
            }
        }
        sql.push_str(&format!(
            ")) AS \"appended\" ({names}) WHERE EXISTS (SELECT 1 FROM \"claimed\")"
        ));
        sql
    };
    match n.checked_sub(1).and_then(|i| KEPT.get(i)) {
        Some(kept) => kept.get_or_init(build).clone(),
        None => build(),
    }
}

fn missing_head() -> StoreError {
    StoreError::Db(DbErr::RecordNotFound(
        "audit_head (is the database migrated?)".into(),
    ))
}

pub(crate) fn model(
    seq: i64,
    at: DateTime<Utc>,
    e: &NewAuditEvent,
    prev_hash: Vec<u8>,
) -> audit_log::Model {
    audit_log::Model {
        seq,
        id: Uuid::now_v7(),
        at,
        action: e.action.code().to_owned(),
        outcome: e.outcome.code().to_owned(),
        object: e.object.code().to_owned(),
        object_id: e.object_id,
        client_id: e.client_id.map(|c| c.as_uuid()),
        user_id: e.user_id.map(|u| u.as_uuid()),
        user_name: e.user_name.clone(),
        role: e.role.clone(),
        on_behalf_of: e.on_behalf_of.map(|u| u.as_uuid()),
        purpose: e.purpose.code().to_owned(),
        access_point: e.access_point.clone(),
        // A JSON array: unambiguous whatever characters a rule id holds.
        rule_ids: serde_json::to_string(&e.rule_ids).unwrap_or_else(|_| "[]".to_owned()),
        detail: e.detail.clone(),
        prev_hash,
        hash: Vec::new(),
    }
}

fn active(m: audit_log::Model) -> audit_log::ActiveModel {
    audit_log::ActiveModel {
        seq: Set(m.seq),
        id: Set(m.id),
        at: Set(m.at),
        action: Set(m.action),
        outcome: Set(m.outcome),
        object: Set(m.object),
        object_id: Set(m.object_id),
        client_id: Set(m.client_id),
        user_id: Set(m.user_id),
        user_name: Set(m.user_name),
        role: Set(m.role),
        on_behalf_of: Set(m.on_behalf_of),
        purpose: Set(m.purpose),
        access_point: Set(m.access_point),
        rule_ids: Set(m.rule_ids),
        detail: Set(m.detail),
        prev_hash: Set(m.prev_hash),
        hash: Set(m.hash),
    }
}

/// The columns of a stored event, borrowed from wherever the row was read: the ORM's
/// model, or the SQLite file directly ([`crate::audit_scan`]). One hash function and one
/// link check serve both, so the two walks cannot disagree about what is intact.
pub(crate) struct EventView<'a> {
    pub seq: i64,
    pub id: &'a [u8; 16],
    pub at_micros: i64,
    pub action: &'a str,
    pub outcome: &'a str,
    pub object: &'a str,
    pub object_id: Option<&'a [u8; 16]>,
    pub client_id: Option<&'a [u8; 16]>,
    pub user_id: Option<&'a [u8; 16]>,
    pub user_name: &'a str,
    pub role: &'a str,
    pub on_behalf_of: Option<&'a [u8; 16]>,
    pub purpose: &'a str,
    pub access_point: &'a str,
    pub rule_ids: &'a str,
    pub detail: Option<&'a str>,
    pub prev_hash: &'a [u8],
    pub hash: &'a [u8],
}

pub(crate) fn view(m: &audit_log::Model) -> EventView<'_> {
    EventView {
        seq: m.seq,
        id: m.id.as_bytes(),
        at_micros: m.at.timestamp_micros(),
        action: &m.action,
        outcome: &m.outcome,
        object: &m.object,
        object_id: m.object_id.as_ref().map(Uuid::as_bytes),
        client_id: m.client_id.as_ref().map(Uuid::as_bytes),
        user_id: m.user_id.as_ref().map(Uuid::as_bytes),
        user_name: &m.user_name,
        role: &m.role,
        on_behalf_of: m.on_behalf_of.as_ref().map(Uuid::as_bytes),
        purpose: &m.purpose,
        access_point: &m.access_point,
        rule_ids: &m.rule_ids,
        detail: m.detail.as_deref(),
        prev_hash: &m.prev_hash,
        hash: &m.hash,
    }
}

/// The hash of a stored event: SHA-256 over the domain tag, then `prev_hash`, `seq`, `id`,
/// `at` (microseconds since the epoch) and every other column in table order. Integers
/// are big-endian and fixed width, uuids their 16 bytes, text and bytes are prefixed with
/// their length (u64, big-endian), and an optional value is a 0 byte when absent or a 1
/// byte followed by the value. No two different rows encode alike.
#[must_use]
pub(crate) fn event_hash(m: &EventView<'_>) -> [u8; 32] {
    fn bytes(h: &mut Sha256, b: &[u8]) {
        h.update(u64::try_from(b.len()).unwrap_or(u64::MAX).to_be_bytes());
        h.update(b);
    }
    fn opt_uuid(h: &mut Sha256, u: Option<&[u8; 16]>) {
        match u {
            None => h.update([0]),
            Some(u) => {
                h.update([1]);
                h.update(u);
            }
        }
    }
    let mut h = Sha256::new();
    bytes(&mut h, DOMAIN);
    bytes(&mut h, m.prev_hash);
    h.update(m.seq.to_be_bytes());
    h.update(m.id);
    h.update(m.at_micros.to_be_bytes());
    bytes(&mut h, m.action.as_bytes());
    bytes(&mut h, m.outcome.as_bytes());
    bytes(&mut h, m.object.as_bytes());
    opt_uuid(&mut h, m.object_id);
    opt_uuid(&mut h, m.client_id);
    opt_uuid(&mut h, m.user_id);
    bytes(&mut h, m.user_name.as_bytes());
    bytes(&mut h, m.role.as_bytes());
    opt_uuid(&mut h, m.on_behalf_of);
    bytes(&mut h, m.purpose.as_bytes());
    bytes(&mut h, m.access_point.as_bytes());
    bytes(&mut h, m.rule_ids.as_bytes());
    match m.detail {
        None => h.update([0]),
        Some(d) => {
            h.update([1]);
            bytes(&mut h, d.as_bytes());
        }
    }
    h.finalize().into()
}

/// Why the chain is broken at an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakReason {
    /// The event's content does not match its hash: the row was altered.
    HashMismatch,
    /// The event does not link to the one before it: a row was altered or replaced.
    PrevHashMismatch,
    /// The event is missing from the sequence: a row was deleted.
    Gap,
    /// Events are missing at the end: the log no longer reaches the head row.
    HeadMismatch,
    /// The row cannot be read back at all (a column holds a value of the wrong type).
    Unreadable,
    /// The first events are missing and no signed checkpoint accounts for them.
    MissingAtStart,
    /// The event lies at or before the latest checkpoint: it was pruned and put back.
    PrunedEventPresent,
    /// A checkpoint's signature does not match its content: it was forged or altered.
    CheckpointForged,
    /// A checkpoint does not follow the one before it: a checkpoint was removed or altered.
    CheckpointUnlinked,
    /// A checkpoint names a signing key this installation does not hold.
    CheckpointUnknownKey,
}

impl std::fmt::Display for BreakReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::HashMismatch => {
                "the event's content does not match its hash (the row was altered)"
            }
            Self::PrevHashMismatch => {
                "the event does not link to the event before it (a row was altered or replaced)"
            }
            Self::Gap => "the event is missing from the sequence (a row was deleted)",
            Self::HeadMismatch => "events are missing at the end of the log (rows were removed)",
            Self::Unreadable => "the event cannot be read (a column was altered)",
            Self::MissingAtStart => {
                "events are missing at the start of the log and no signed checkpoint accounts \
                 for them (events or a checkpoint were deleted)"
            }
            Self::PrunedEventPresent => {
                "the event lies before the latest signed checkpoint: it was pruned under the \
                 retention term and has been put back"
            }
            Self::CheckpointForged => {
                "the checkpoint's signature does not match its content (it was forged or altered)"
            }
            Self::CheckpointUnlinked => {
                "the checkpoint does not follow the checkpoint before it (a checkpoint was \
                 removed or altered)"
            }
            Self::CheckpointUnknownKey => {
                "the checkpoint was signed by a key this installation does not hold"
            }
        })
    }
}

/// The first broken link: the sequence number where the chain stops being provable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: BreakReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyReport {
    /// Events proven intact (up to the first broken link, if any).
    pub events: u64,
    pub first_broken: Option<BrokenLink>,
}

/// The head: the last sequence number and hash, as recorded with every append. Worth
/// copying somewhere else now and then: with it, even a rewrite of the whole log and its
/// head row is detectable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: Vec<u8>,
}

pub async fn head(tx: &Tx) -> Result<AuditHead, StoreError> {
    let h = audit_head::Entity::find_by_id(1)
        .one(&tx.inner)
        .await?
        .ok_or_else(missing_head)?;
    Ok(AuditHead {
        seq: h.seq,
        hash: h.hash,
    })
}

/// Where a pruned log starts: the last pruned event's sequence number and chain hash,
/// from a checkpoint whose signature the caller has checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: Vec<u8>,
}

pub(crate) struct Walk {
    prev: Vec<u8>,
    pub(crate) expected: i64,
    pub(crate) events: u64,
}

impl Walk {
    /// A walk that expects `expected` next, linked to `prev`.
    pub(crate) fn new(prev: &[u8], expected: i64) -> Self {
        Self {
            prev: prev.to_vec(),
            expected,
            events: 0,
        }
    }

    /// Checks the next event of the walk; on success it becomes the link for the one after.
    pub(crate) fn check(&mut self, m: &EventView<'_>) -> Option<BrokenLink> {
        let broken = |seq, reason| Some(BrokenLink { seq, reason });
        if m.seq != self.expected {
            // Nothing before the first remaining event vouches for it: events (or the
            // checkpoint that accounted for them) were deleted.
            let reason = if self.events == 0 {
                BreakReason::MissingAtStart
            } else {
                BreakReason::Gap
            };
            return broken(self.expected, reason);
        }
        if m.prev_hash != self.prev.as_slice() {
            return broken(m.seq, BreakReason::PrevHashMismatch);
        }
        if event_hash(m).as_slice() != m.hash {
            return broken(m.seq, BreakReason::HashMismatch);
        }
        self.prev.clear();
        self.prev.extend_from_slice(m.hash);
        self.expected += 1;
        self.events += 1;
        None
    }

    /// Whether the next event, linking to `prev_hash`, follows this walk's last one.
    pub(crate) fn links_to(&self, prev_hash: &[u8]) -> bool {
        self.prev == prev_hash
    }

    /// Goes on as `next`, a walk of the events that follow this one's last, whose first
    /// event's link to it has been checked ([`Walk::links_to`]).
    pub(crate) fn join(&mut self, next: Self) {
        self.prev = next.prev;
        self.expected = next.expected;
        self.events += next.events;
    }
}

/// Recomputes the whole chain, page by page in sequence order, and reports the first
/// broken link. Events appended while it runs are not part of the check: it proves the
/// log up to the head it read first. Events waiting in the audit intake are moved into
/// the chain first, so the check covers every event made durable before it began.
pub async fn verify(store: &Store) -> Result<VerifyReport, StoreError> {
    verify_from(store, None).await
}

/// As [`verify`], for a log pruned up to `anchor` (a checkpoint the caller has verified):
/// no event at or before the anchor may exist, the first remaining event must follow it
/// and link to its hash, and the rest as [`verify`].
pub async fn verify_from(
    store: &Store,
    anchor: Option<&Anchor>,
) -> Result<VerifyReport, StoreError> {
    store.settle_audit_intake().await?;
    let mut walk = match anchor {
        None => Walk::new(&GENESIS_HASH, 1),
        Some(a) => {
            if let Some(seq) = crate::audit_checkpoints::first_at_or_before(store, a.seq).await? {
                return Ok(VerifyReport {
                    events: 0,
                    first_broken: Some(BrokenLink {
                        seq,
                        reason: BreakReason::PrunedEventPresent,
                    }),
                });
            }
            Walk::new(&a.hash, a.seq + 1)
        }
    };
    // A scan without the ORM covers the log; the ORM walk below then reads a head at
    // least as new and goes on from where the scan stopped (usually nothing).
    let scan = match store.sqlite_file.clone() {
        Some(file) => {
            let (scanned, scan) = tokio::task::spawn_blocking(move || {
                let scan = crate::audit_scan::sqlite::scan(&file, &mut walk);
                (walk, scan)
            })
            .await
            .map_err(|e| StoreError::Db(DbErr::Custom(format!("audit scan: {e}"))))?;
            walk = scanned;
            scan
        }
        None => {
            let pool = store.db.get_postgres_connection_pool();
            crate::audit_scan::postgres::scan(pool, &mut walk).await
        }
    };
    if let crate::audit_scan::Scan::Broken(b) = scan {
        return Ok(VerifyReport {
            events: walk.events,
            first_broken: Some(b),
        });
    }
    // One read transaction for the rest of the walk: one snapshot of the log, and on
    // SQLite its rows are read on this thread in one go instead of handed over row by row.
    let tx = store.read_tx().await?;
    let db = &tx.inner;
    let head = audit_head::Entity::find_by_id(1)
        .one(db)
        .await?
        .ok_or_else(missing_head)?;
    let report = |walk: &Walk, broken| {
        Ok(VerifyReport {
            events: walk.events,
            first_broken: broken,
        })
    };
    while walk.expected <= head.seq {
        let page = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gte(walk.expected))
            .filter(audit_log::Column::Seq.lte(head.seq))
            .order_by_asc(audit_log::Column::Seq)
            .limit(VERIFY_PAGE)
            .all(db)
            .await;
        match page {
            Ok(rows) if rows.is_empty() => break,
            Ok(rows) => {
                for m in &rows {
                    if let Some(b) = walk.check(&view(m)) {
                        return report(&walk, Some(b));
                    }
                }
            }
            // Some row of the page cannot be decoded: go through it one row at a time
            // to name the first one.
            Err(_) => {
                let seqs: Vec<i64> = audit_log::Entity::find()
                    .select_only()
                    .column(audit_log::Column::Seq)
                    .filter(audit_log::Column::Seq.gte(walk.expected))
                    .filter(audit_log::Column::Seq.lte(head.seq))
                    .order_by_asc(audit_log::Column::Seq)
                    .limit(VERIFY_PAGE)
                    .into_tuple()
                    .all(db)
                    .await?;
                if seqs.is_empty() {
                    break;
                }
                for seq in seqs {
                    if seq != walk.expected {
                        let reason = if walk.events == 0 {
                            BreakReason::MissingAtStart
                        } else {
                            BreakReason::Gap
                        };
                        return report(
                            &walk,
                            Some(BrokenLink {
                                seq: walk.expected,
                                reason,
                            }),
                        );
                    }
                    match audit_log::Entity::find_by_id(seq).one(db).await {
                        Ok(Some(m)) => {
                            if let Some(b) = walk.check(&view(&m)) {
                                return report(&walk, Some(b));
                            }
                        }
                        Ok(None) => {
                            return report(
                                &walk,
                                Some(BrokenLink {
                                    seq,
                                    reason: BreakReason::Gap,
                                }),
                            );
                        }
                        Err(_) => {
                            return report(
                                &walk,
                                Some(BrokenLink {
                                    seq,
                                    reason: BreakReason::Unreadable,
                                }),
                            );
                        }
                    }
                }
            }
        }
    }
    if walk.expected <= head.seq || walk.prev != head.hash {
        let seq = std::cmp::min(walk.expected, std::cmp::max(head.seq, 1));
        return report(
            &walk,
            Some(BrokenLink {
                seq,
                reason: BreakReason::HeadMismatch,
            }),
        );
    }
    report(&walk, None)
}

/// Events about a client in `[from, to)`, in sequence order, at most `limit` (for the
/// client's view of who looked at their file, POR-3, and for rights requests). The
/// events hold ids and codes only, no personal data.
pub async fn list_for_client(
    tx: &Tx,
    client: ClientId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<AuditEvent>, StoreError> {
    audit_log::Entity::find()
        .filter(audit_log::Column::ClientId.eq(client.as_uuid()))
        .filter(audit_log::Column::At.gte(from.trunc_subsecs(6)))
        .filter(audit_log::Column::At.lt(to.trunc_subsecs(6)))
        .order_by_asc(audit_log::Column::Seq)
        .limit(limit)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(event_of)
        .collect()
}

/// What the privacy officer's audit screen filters on; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub client: Option<ClientId>,
    pub user: Option<UserId>,
    /// `[from, to)`.
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub action: Option<AuditAction>,
    /// Only events of emergency access (the access itself, or what it enabled).
    pub emergency_only: bool,
    /// Only events with a sequence number below this (the next page, newest first).
    pub before_seq: Option<i64>,
}

/// Events matching the filter, newest first, at most `limit`.
pub async fn search(
    tx: &Tx,
    filter: &AuditFilter,
    limit: u64,
) -> Result<Vec<AuditEvent>, StoreError> {
    let mut q = audit_log::Entity::find();
    if let Some(c) = filter.client {
        q = q.filter(audit_log::Column::ClientId.eq(c.as_uuid()));
    }
    if let Some(u) = filter.user {
        q = q.filter(audit_log::Column::UserId.eq(u.as_uuid()));
    }
    if let Some(from) = filter.from {
        q = q.filter(audit_log::Column::At.gte(from.trunc_subsecs(6)));
    }
    if let Some(to) = filter.to {
        q = q.filter(audit_log::Column::At.lt(to.trunc_subsecs(6)));
    }
    if let Some(a) = filter.action {
        q = q.filter(audit_log::Column::Action.eq(a.code()));
    }
    if filter.emergency_only {
        q = q.filter(is_emergency());
    }
    if let Some(before) = filter.before_seq {
        q = q.filter(audit_log::Column::Seq.lt(before));
    }
    q.order_by_desc(audit_log::Column::Seq)
        .limit(limit)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(event_of)
        .collect()
}

/// An emergency access, or what it enabled: the codes written into the statement's
/// text rather than bound, since an engine plans a statement before its values are bound
/// and only literals let it see that the partial index of these events
/// (`audit_log_emergency`, m0042) covers the rows asked for. The codes are the program's
/// own, never input.
pub(crate) fn is_emergency() -> sea_orm::sea_query::SimpleExpr {
    let literal = |code: &str| Expr::cust(format!("'{code}'"));
    Expr::col(audit_log::Column::Action)
        .eq(literal(AuditAction::EmergencyAccess.code()))
        .or(Expr::col(audit_log::Column::Purpose).eq(literal(Purpose::Emergency.code())))
}

/// Events by sequence number, `after` exclusive, at most `limit` (exports, reports).
pub async fn page(tx: &Tx, after: i64, limit: u64) -> Result<Vec<AuditEvent>, StoreError> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Seq.gt(after))
        .order_by_asc(audit_log::Column::Seq)
        .limit(limit)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(event_of)
        .collect()
}

/// The number of events appended (the head's sequence number: no table scan).
pub async fn count(tx: &Tx) -> Result<u64, StoreError> {
    Ok(u64::try_from(head(tx).await?.seq).unwrap_or(0))
}

pub(crate) fn event_of(m: audit_log::Model) -> Result<AuditEvent, StoreError> {
    fn code<T>(parsed: Option<T>, column: &str) -> Result<T, StoreError> {
        parsed.ok_or_else(|| {
            StoreError::Db(DbErr::Type(format!("unknown code in audit_log.{column}")))
        })
    }
    let rule_ids: Vec<String> = serde_json::from_str(&m.rule_ids)
        .map_err(|_| StoreError::Db(DbErr::Type("unreadable audit_log.rule_ids".into())))?;
    Ok(AuditEvent {
        seq: m.seq,
        at: m.at,
        event: NewAuditEvent {
            action: code(AuditAction::from_code(&m.action), "action")?,
            outcome: code(AuditOutcome::from_code(&m.outcome), "outcome")?,
            object: code(AuditObject::from_code(&m.object), "object")?,
            object_id: m.object_id,
            client_id: m.client_id.map(ClientId::from_uuid),
            user_id: m.user_id.map(UserId::from_uuid),
            user_name: m.user_name,
            role: m.role,
            on_behalf_of: m.on_behalf_of.map(UserId::from_uuid),
            purpose: code(Purpose::from_code(&m.purpose), "purpose")?,
            access_point: m.access_point,
            rule_ids,
            detail: m.detail,
        },
        prev_hash: m.prev_hash,
        hash: m.hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> audit_log::Model {
        let e = NewAuditEvent {
            action: AuditAction::Read,
            outcome: AuditOutcome::Success,
            object: AuditObject::Entry,
            object_id: Some(Uuid::nil()),
            client_id: None,
            user_id: None,
            user_name: "a".into(),
            role: "b".into(),
            on_behalf_of: None,
            purpose: Purpose::Care,
            access_point: "cli".into(),
            rule_ids: vec!["r1".into(), "r,2".into()],
            detail: None,
        };
        model(7, DateTime::<Utc>::UNIX_EPOCH, &e, GENESIS_HASH.to_vec())
    }

    #[test]
    fn every_column_counts_and_fields_do_not_run_together() {
        let base = sample();
        let h = event_hash(&view(&base));
        let variants: Vec<fn(&mut audit_log::Model)> = vec![
            |m| m.seq = 8,
            |m| m.id = Uuid::max(),
            |m| m.at += chrono::Duration::microseconds(1),
            |m| m.user_name = "ab".into(),
            // Moving a character from one field to the next changes the hash.
            |m| {
                m.user_name = "ab".into();
                m.role = String::new();
            },
            |m| m.detail = Some(String::new()),
            |m| m.client_id = Some(Uuid::nil()),
            |m| m.rule_ids = "[\"r1\",\"r\",\"2\"]".into(),
            |m| m.prev_hash = vec![1; 32],
        ];
        for change in variants {
            let mut m = base.clone();
            change(&mut m);
            assert_ne!(event_hash(&view(&m)), h);
        }
        assert_eq!(event_hash(&view(&base.clone())), h);
    }
}
