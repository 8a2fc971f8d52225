//! The audit log (ACC-7, NEN 7513): append-only and hash-chained. Each event's hash covers
//! the previous hash and every column, so altering, removing or reordering a row breaks
//! the chain, and `verify` finds the first broken link.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, AuditOutcome, ClientId, NewAuditEvent, Purpose, UserId};

use crate::dialect::{exec, query, query_one};
use crate::rows::get;
use crate::{Store, StoreError, Tx};

fn field(h: &mut Sha256, bytes: &[u8]) {
    h.update(u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
    h.update(bytes);
}

fn opt_uuid(h: &mut Sha256, u: Option<Uuid>) {
    match u {
        Some(u) => field(h, u.as_bytes()),
        None => field(h, b""),
    }
}

fn hash(prev: &[u8], seq: i64, id: Uuid, at: DateTime<Utc>, e: &NewAuditEvent) -> Vec<u8> {
    let mut h = Sha256::new();
    field(&mut h, prev);
    field(&mut h, &seq.to_be_bytes());
    field(&mut h, id.as_bytes());
    field(&mut h, &at.timestamp_micros().to_be_bytes());
    field(&mut h, e.action.code().as_bytes());
    field(&mut h, e.outcome.code().as_bytes());
    field(&mut h, e.object.code().as_bytes());
    opt_uuid(&mut h, e.object_id);
    opt_uuid(&mut h, e.client_id.map(|c| c.as_uuid()));
    opt_uuid(&mut h, e.user_id.map(|u| u.as_uuid()));
    field(&mut h, e.user_name.as_bytes());
    field(&mut h, e.role.as_bytes());
    opt_uuid(&mut h, e.on_behalf_of.map(|u| u.as_uuid()));
    field(&mut h, e.purpose.code().as_bytes());
    field(&mut h, e.access_point.as_bytes());
    field(&mut h, e.rule_ids.join(",").as_bytes());
    field(&mut h, e.detail.as_deref().unwrap_or("\u{0}").as_bytes());
    h.finalize().to_vec()
}

/// Appends events in order; returns their sequence numbers. The head row is updated
/// first, which locks it: concurrent appenders on PostgreSQL wait here, so the chain
/// never forks.
pub async fn append(
    tx: &Tx,
    events: &[NewAuditEvent],
    at: DateTime<Utc>,
) -> Result<Vec<i64>, StoreError> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let at = at.trunc_subsecs(6);
    let n = i64::try_from(events.len()).unwrap_or(i64::MAX);
    exec(
        tx,
        "UPDATE audit_head SET seq = seq + ? WHERE id = 1",
        vec![n.into()],
    )
    .await?;
    let head = query_one(tx, "SELECT seq, hash FROM audit_head WHERE id = 1", vec![])
        .await?
        .ok_or(StoreError::NotFound)?;
    let last: i64 = get(&head, "seq")?;
    let mut prev: Vec<u8> = get(&head, "hash")?;
    let first = last - n + 1;
    let mut seqs = Vec::with_capacity(events.len());
    for chunk in events.chunks(500).enumerate() {
        let (ci, chunk) = chunk;
        let mut sql = String::from(
            "INSERT INTO audit_log (seq, id, at, action, outcome, object, object_id, client_id, user_id, user_name, role, on_behalf_of, purpose, access_point, rule_ids, detail, prev_hash, hash) VALUES ",
        );
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 18);
        for (i, e) in chunk.iter().enumerate() {
            let seq = first + i64::try_from(ci * 500 + i).unwrap_or(0);
            let id = Uuid::now_v7();
            let h = hash(&prev, seq, id, at, e);
            sql.push_str(if i == 0 {
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            } else {
                ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            });
            values.extend([
                seq.into(),
                id.into(),
                at.into(),
                e.action.code().into(),
                e.outcome.code().into(),
                e.object.code().into(),
                e.object_id.into(),
                e.client_id.map(|c| c.as_uuid()).into(),
                e.user_id.map(|u| u.as_uuid()).into(),
                e.user_name.clone().into(),
                e.role.clone().into(),
                e.on_behalf_of.map(|u| u.as_uuid()).into(),
                e.purpose.code().into(),
                e.access_point.clone().into(),
                e.rule_ids.join(",").into(),
                e.detail.clone().into(),
                prev.clone().into(),
                h.clone().into(),
            ]);
            prev = h;
            seqs.push(seq);
        }
        exec(tx, &sql, values).await?;
    }
    exec(
        tx,
        "UPDATE audit_head SET hash = ? WHERE id = 1",
        vec![prev.into()],
    )
    .await?;
    Ok(seqs)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: u64,
    pub first_broken: Option<BrokenLink>,
}

/// A stored event: sequence, id, time, content, previous hash, own hash.
type StoredEvent = (i64, Uuid, DateTime<Utc>, NewAuditEvent, Vec<u8>, Vec<u8>);

fn event_of(r: &sea_orm::QueryResult) -> Result<StoredEvent, StoreError> {
    let code = |c: &str| -> Result<String, StoreError> { get(r, c) };
    let bad = || StoreError::Backup("unreadable audit code".into());
    let rule_ids: String = get(r, "rule_ids")?;
    let e = NewAuditEvent {
        action: AuditAction::from_code(&code("action")?).ok_or_else(bad)?,
        outcome: AuditOutcome::from_code(&code("outcome")?).ok_or_else(bad)?,
        object: AuditObject::from_code(&code("object")?).ok_or_else(bad)?,
        object_id: get(r, "object_id")?,
        client_id: get::<Option<Uuid>>(r, "client_id")?.map(ClientId::from_uuid),
        user_id: get::<Option<Uuid>>(r, "user_id")?.map(UserId::from_uuid),
        user_name: get(r, "user_name")?,
        role: get(r, "role")?,
        on_behalf_of: get::<Option<Uuid>>(r, "on_behalf_of")?.map(UserId::from_uuid),
        purpose: Purpose::from_code(&code("purpose")?).ok_or_else(bad)?,
        access_point: get(r, "access_point")?,
        rule_ids: if rule_ids.is_empty() {
            Vec::new()
        } else {
            rule_ids.split(',').map(str::to_owned).collect()
        },
        detail: get(r, "detail")?,
    };
    Ok((
        get(r, "seq")?,
        get(r, "id")?,
        get(r, "at")?,
        e,
        get(r, "prev_hash")?,
        get(r, "hash")?,
    ))
}

/// Walks the whole chain in pages (bounded memory) and reports the first broken link.
pub async fn verify(store: &Store) -> Result<VerifyReport, StoreError> {
    let mut prev = vec![0u8; 32];
    let mut expected = 1i64;
    let mut events = 0u64;
    loop {
        let tx = store.begin().await?;
        let rows = query(
            &tx,
            "SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT 5000",
            vec![expected.into()],
        )
        .await?;
        tx.commit().await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let broken = |seq: i64, reason: &str| {
                Ok(VerifyReport {
                    events,
                    first_broken: Some(BrokenLink {
                        seq,
                        reason: reason.to_owned(),
                    }),
                })
            };
            let Ok((seq, id, at, e, prev_hash, stored)) = event_of(r) else {
                return broken(expected, "the row cannot be read (a field was altered)");
            };
            if seq != expected {
                return broken(
                    expected,
                    "event missing: the sequence has a gap (a row was deleted)",
                );
            }
            if prev_hash != prev {
                return broken(seq, "the link to the previous event does not match");
            }
            if hash(&prev, seq, id, at, &e) != stored {
                return broken(
                    seq,
                    "the event's content does not match its hash (the row was altered)",
                );
            }
            prev = stored;
            expected += 1;
            events += 1;
        }
    }
    let tx = store.begin().await?;
    let head = query_one(&tx, "SELECT seq, hash FROM audit_head WHERE id = 1", vec![])
        .await?
        .ok_or(StoreError::NotFound)?;
    tx.commit().await?;
    let head_seq: i64 = get(&head, "seq")?;
    let head_hash: Vec<u8> = get(&head, "hash")?;
    if head_seq != expected - 1 || head_hash != prev {
        return Ok(VerifyReport {
            events,
            first_broken: Some(BrokenLink {
                seq: expected,
                reason: "events missing at the end of the log".into(),
            }),
        });
    }
    Ok(VerifyReport {
        events,
        first_broken: None,
    })
}
