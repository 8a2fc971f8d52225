//! Signed checkpoints of the audit log (ACC-7, decision 0028): how the log is pruned after
//! its retention term while `audit verify` still proves what remains.
//!
//! Pruning removes a prefix of the hash chain. Each batch writes, in the transaction that
//! deletes it, a checkpoint: the sequence number and chain hash of the last event removed
//! (so the first remaining event's `prev_hash`), how many were removed, the run's
//! cutoff, the term, the time, the link to the checkpoint before it, and an Ed25519
//! signature over all of that by a key from the key store (the core signs and verifies;
//! this module only stores and encodes). The checkpoints form a chain of their own, so
//! removing any of them, not just the latest, is noticed.
//!
//! The database lets a DELETE of audit events through only for events at or before the
//! latest checkpoint, and refuses UPDATE and DELETE of checkpoints (see `dialect`). A
//! checkpoint written around the signature does not verify; events deleted around the
//! triggers leave a gap no checkpoint accounts for; an event put back lies before the
//! latest checkpoint. [`crate::audit::verify_from`] and the core's verification catch each.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use sha2::{Digest, Sha256};

use crate::entity::audit_log;
use crate::rows::micros;
use crate::{Store, StoreError, Tx};

/// Names the signed encoding, so a future change of it cannot be confused with this one.
const DOMAIN: &[u8] = b"zorgvuldig/audit-checkpoint/v1";
/// Names the link from one checkpoint to the next.
const LINK_DOMAIN: &[u8] = b"zorgvuldig/audit-checkpoint-link/v1";

/// The link the first checkpoint points back to.
pub const FIRST_LINK: [u8; 32] = [0; 32];

pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_checkpoints")]
    pub struct Model {
        /// The sequence number of the last event removed; increases with each checkpoint.
        #[sea_orm(primary_key, auto_increment = false)]
        pub last_seq: i64,
        pub last_hash: Vec<u8>,
        pub last_at: DateTimeUtc,
        pub pruned: i64,
        pub kept_from: Date,
        pub term: String,
        pub created_at: DateTimeUtc,
        pub prev_link: Vec<u8>,
        pub key_id: String,
        pub signature: Vec<u8>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A checkpoint, signed or about to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The last event removed under this checkpoint: the remaining log starts after it.
    pub last_seq: i64,
    /// That event's chain hash: the `prev_hash` of the first remaining event.
    pub last_hash: Vec<u8>,
    /// That event's time.
    pub last_at: DateTime<Utc>,
    /// Events removed under this checkpoint (`last_seq - pruned` is the previous one's).
    pub pruned: i64,
    /// The run's cutoff: events from before this local date were due for removal.
    pub kept_from: NaiveDate,
    /// The retention term applied, as the policy states it (`5 years`).
    pub term: String,
    pub created_at: DateTime<Utc>,
    /// [`Checkpoint::link`] of the checkpoint before, or [`FIRST_LINK`].
    pub prev_link: Vec<u8>,
    /// Which key signed it (`zv_crypto::VerifyingKey::key_id`).
    pub key_id: String,
    pub signature: Vec<u8>,
}

impl Checkpoint {
    /// The bytes the signature covers: every field but the signature, each integer
    /// big-endian and fixed width, each text or byte string prefixed with its length, so
    /// no two checkpoints encode alike.
    #[must_use]
    pub fn signed_bytes(&self) -> Vec<u8> {
        fn bytes(out: &mut Vec<u8>, b: &[u8]) {
            out.extend_from_slice(&u64::try_from(b.len()).unwrap_or(u64::MAX).to_be_bytes());
            out.extend_from_slice(b);
        }
        let mut out = Vec::with_capacity(256);
        bytes(&mut out, DOMAIN);
        out.extend_from_slice(&self.last_seq.to_be_bytes());
        bytes(&mut out, &self.last_hash);
        out.extend_from_slice(&self.last_at.timestamp_micros().to_be_bytes());
        out.extend_from_slice(&self.pruned.to_be_bytes());
        bytes(
            &mut out,
            self.kept_from.format("%Y-%m-%d").to_string().as_bytes(),
        );
        bytes(&mut out, self.term.as_bytes());
        out.extend_from_slice(&self.created_at.timestamp_micros().to_be_bytes());
        bytes(&mut out, &self.prev_link);
        bytes(&mut out, self.key_id.as_bytes());
        out
    }

    /// What the next checkpoint points back to: a hash over this one, signature included.
    #[must_use]
    pub fn link(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(LINK_DOMAIN);
        h.update(self.signed_bytes());
        h.update(&self.signature);
        h.finalize().into()
    }

    /// Both times truncated to the microseconds the engines keep, so what is signed is
    /// what reads back.
    #[must_use]
    pub fn normalised(mut self) -> Self {
        self.last_at = micros(self.last_at);
        self.created_at = micros(self.created_at);
        self
    }
}

impl From<entity::Model> for Checkpoint {
    fn from(m: entity::Model) -> Self {
        Self {
            last_seq: m.last_seq,
            last_hash: m.last_hash,
            last_at: m.last_at,
            pruned: m.pruned,
            kept_from: m.kept_from,
            term: m.term,
            created_at: m.created_at,
            prev_link: m.prev_link,
            key_id: m.key_id,
            signature: m.signature,
        }
    }
}

/// Stores a signed checkpoint, in the transaction that then deletes the events it covers.
/// Two checkpoints can never point back to the same one (a unique index), so concurrent
/// prunes cannot fork the checkpoint chain.
pub async fn insert(tx: &Tx, c: &Checkpoint) -> Result<(), StoreError> {
    entity::Entity::insert(entity::ActiveModel {
        last_seq: Set(c.last_seq),
        last_hash: Set(c.last_hash.clone()),
        last_at: Set(micros(c.last_at)),
        pruned: Set(c.pruned),
        kept_from: Set(c.kept_from),
        term: Set(c.term.clone()),
        created_at: Set(micros(c.created_at)),
        prev_link: Set(c.prev_link.clone()),
        key_id: Set(c.key_id.clone()),
        signature: Set(c.signature.clone()),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The latest checkpoint (the one the remaining log starts after), if the log was ever
/// pruned.
pub async fn latest(tx: &Tx) -> Result<Option<Checkpoint>, StoreError> {
    Ok(entity::Entity::find()
        .order_by_desc(entity::Column::LastSeq)
        .one(&tx.inner)
        .await?
        .map(Checkpoint::from))
}

/// Checkpoints in order, `after` exclusive (by `last_seq`), at most `limit`: the verifier
/// walks them all in pages.
pub async fn page(store: &Store, after: i64, limit: u64) -> Result<Vec<Checkpoint>, StoreError> {
    Ok(entity::Entity::find()
        .filter(entity::Column::LastSeq.gt(after))
        .order_by_asc(entity::Column::LastSeq)
        .limit(limit)
        .all(store.db())
        .await?
        .into_iter()
        .map(Checkpoint::from)
        .collect())
}

/// How many checkpoints there are.
pub async fn count(tx: &Tx) -> Result<u64, StoreError> {
    Ok(entity::Entity::find().count(&tx.inner).await?)
}

/// The next stretch of events that may be pruned: from the first event after `after`, in
/// sequence order, up to `limit` events, stopping before the first one at or after
/// `cutoff` (pruning removes a prefix, so one event younger than the term keeps every
/// event after it too). The last event of the stretch, and how many there are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prunable {
    pub first_seq: i64,
    pub last_seq: i64,
    pub last_hash: Vec<u8>,
    pub last_at: DateTime<Utc>,
    pub count: i64,
}

pub async fn prunable(
    tx: &Tx,
    after: i64,
    cutoff: DateTime<Utc>,
    limit: u64,
) -> Result<Option<Prunable>, StoreError> {
    let rows: Vec<(i64, DateTime<Utc>)> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Seq)
        .column(audit_log::Column::At)
        .filter(audit_log::Column::Seq.gt(after))
        .order_by_asc(audit_log::Column::Seq)
        .limit(limit)
        .into_tuple()
        .all(&tx.inner)
        .await?;
    let cutoff = micros(cutoff);
    let due: Vec<&(i64, DateTime<Utc>)> = rows.iter().take_while(|(_, at)| *at < cutoff).collect();
    let (Some(first), Some(last)) = (due.first(), due.last()) else {
        return Ok(None);
    };
    let last_hash: Vec<u8> = audit_log::Entity::find_by_id(last.0)
        .select_only()
        .column(audit_log::Column::Hash)
        .into_tuple()
        .one(&tx.inner)
        .await?
        .ok_or_else(|| StoreError::Db(sea_orm::DbErr::RecordNotFound("audit event".into())))?;
    Ok(Some(Prunable {
        first_seq: first.0,
        last_seq: last.0,
        last_hash,
        last_at: last.1,
        count: i64::try_from(due.len()).unwrap_or(i64::MAX),
    }))
}

/// Deletes the events up to `last_seq`. The database allows it only for events a
/// checkpoint already covers: write the checkpoint first, in the same transaction.
pub async fn delete_through(tx: &Tx, last_seq: i64) -> Result<u64, StoreError> {
    Ok(audit_log::Entity::delete_many()
        .filter(audit_log::Column::Seq.lte(last_seq))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// Serialises prunes: a second one waits for the first and then continues from its
/// checkpoint, instead of failing on the unique link.
pub async fn lock_for_prune(tx: &Tx) -> Result<(), StoreError> {
    crate::dialect::lock_for_audit_prune(tx).await
}

/// Any event at or before `last_seq` (the first), which must not exist once a checkpoint
/// covers it: an event put back after pruning.
pub async fn first_at_or_before(store: &Store, last_seq: i64) -> Result<Option<i64>, StoreError> {
    let db = store.db();
    Ok(audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Seq)
        .filter(audit_log::Column::Seq.lte(last_seq))
        .order_by_asc(audit_log::Column::Seq)
        .into_tuple()
        .one(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Checkpoint {
        Checkpoint {
            last_seq: 10,
            last_hash: vec![1; 32],
            last_at: DateTime::<Utc>::UNIX_EPOCH,
            pruned: 10,
            kept_from: NaiveDate::from_ymd_opt(2031, 1, 1).unwrap_or_default(),
            term: "5 years".into(),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            prev_link: FIRST_LINK.to_vec(),
            key_id: "0011223344556677".into(),
            signature: vec![9; 64],
        }
    }

    #[test]
    fn every_field_is_signed_and_fields_do_not_run_together() {
        let base = sample();
        let signed = base.signed_bytes();
        let variants: Vec<fn(&mut Checkpoint)> = vec![
            |c| c.last_seq = 11,
            |c| c.last_hash = vec![2; 32],
            |c| c.last_at += chrono::Duration::microseconds(1),
            |c| c.pruned = 9,
            |c| c.kept_from = c.kept_from.succ_opt().unwrap_or_default(),
            |c| c.term = "6 years".into(),
            |c| c.created_at += chrono::Duration::microseconds(1),
            |c| c.prev_link = vec![3; 32],
            |c| c.key_id = "0011223344556678".into(),
            |c| {
                c.term = "5 years0".into();
                c.key_id = "011223344556677".into();
            },
        ];
        for change in variants {
            let mut c = base.clone();
            change(&mut c);
            assert_ne!(c.signed_bytes(), signed);
            assert_ne!(c.link(), base.link());
        }
        // The signature is not signed, but it is part of the link to the next checkpoint.
        let mut resigned = base.clone();
        resigned.signature = vec![8; 64];
        assert_eq!(resigned.signed_bytes(), signed);
        assert_ne!(resigned.link(), base.link());
    }
}
