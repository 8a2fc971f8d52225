//! Erasure requests (RTS-6): the privacy officer's decision per part, which granted
//! parts were destroyed, the holds an erasure must wait for, and the proof that remains
//! once the client's record is destroyed.
//!
//! A part's reason in the officer's words, and a trajectory part's service and opening
//! day, are ciphertext sealed with the client's key and released only with an
//! [`Authorized`] proof; kinds, codes, ids and dates of the decision are not personal
//! content. When the client's record is destroyed, its key goes and the sealed
//! reasons are removed in the same transaction ([`forget_reasons`]), so only the codes
//! and the proof stay.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::{ClientId, UserId};

use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod parts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "erasure_parts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub request_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub part_kind: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub subject_id: Uuid,
        pub client_id: Uuid,
        pub proposal: String,
        pub decision: String,
        pub reason_code: String,
        pub reason_ct: Option<Vec<u8>>,
        pub subject_ct: Option<Vec<u8>>,
        pub destroy_by: Option<Date>,
        pub decided_by: Uuid,
        pub decided_at: DateTimeUtc,
        pub destroyed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod proofs {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "erasure_proofs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub request_id: Uuid,
        pub reference: String,
        pub kind: String,
        pub received_on: Date,
        pub outcome: String,
        pub answer_sent_on: Date,
        pub parts_granted: i64,
        pub parts_refused: i64,
        pub client_destroyed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The columns of `rights_requests` a hold needs: no content.
mod requests_meta {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "rights_requests")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub status: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The columns of `complaints` a hold needs: no content.
mod complaints_meta {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "complaints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub closed_on: Option<Date>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// One part of an erasure request as decided. Read without a proof, `reason_ct` is
/// `Some(empty)` where a reason is recorded.
#[derive(Clone, PartialEq, Eq)]
pub struct ErasurePartRow {
    pub request_id: Uuid,
    /// `trajectory` or `client`.
    pub part_kind: String,
    /// The trajectory's id, or the client's for the client's own record.
    pub subject_id: Uuid,
    pub client_id: ClientId,
    /// `grant` or `refuse`, as the assessment proposed and as decided.
    pub proposal: String,
    pub decision: String,
    pub reason_code: String,
    pub reason_ct: Option<Vec<u8>>,
    /// A trajectory part's service type and opening day, sealed (m0017): the decision
    /// letter names the trajectory by them after it is destroyed. `None` for the
    /// client's record and for parts decided before they were kept.
    pub subject_ct: Option<Vec<u8>>,
    /// A Jeugdwet destruction request: destroyed by this day.
    pub destroy_by: Option<NaiveDate>,
    pub decided_by: UserId,
    pub decided_at: DateTime<Utc>,
    pub destroyed_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for ErasurePartRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ErasurePartRow({}, {}, {}, ***)",
            self.request_id, self.part_kind, self.decision
        )
    }
}

fn part_of(m: parts::Model) -> ErasurePartRow {
    ErasurePartRow {
        request_id: m.request_id,
        part_kind: m.part_kind,
        subject_id: m.subject_id,
        client_id: ClientId::from_uuid(m.client_id),
        proposal: m.proposal,
        decision: m.decision,
        reason_code: m.reason_code,
        reason_ct: m.reason_ct,
        subject_ct: m.subject_ct,
        destroy_by: m.destroy_by,
        decided_by: UserId::from_uuid(m.decided_by),
        decided_at: m.decided_at,
        destroyed_at: m.destroyed_at,
    }
}

/// Records the decided parts of a request. The primary key refuses a second decision
/// on the same part, so two officers submitting at once record one.
pub async fn insert_parts(tx: &Tx, rows: &[ErasurePartRow]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    parts::Entity::insert_many(rows.iter().map(|r| parts::ActiveModel {
        request_id: Set(r.request_id),
        part_kind: Set(r.part_kind.clone()),
        subject_id: Set(r.subject_id),
        client_id: Set(r.client_id.as_uuid()),
        proposal: Set(r.proposal.clone()),
        decision: Set(r.decision.clone()),
        reason_code: Set(r.reason_code.clone()),
        reason_ct: Set(r.reason_ct.clone()),
        subject_ct: Set(r.subject_ct.clone()),
        destroy_by: Set(r.destroy_by),
        decided_by: Set(r.decided_by.as_uuid()),
        decided_at: Set(micros(r.decided_at)),
        destroyed_at: Set(r.destroyed_at.map(micros)),
    }))
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

async fn parts_rows(tx: &Tx, request: Uuid) -> Result<Vec<ErasurePartRow>, StoreError> {
    Ok(parts::Entity::find()
        .filter(parts::Column::RequestId.eq(request))
        .order_by_desc(parts::Column::PartKind)
        .order_by_asc(parts::Column::SubjectId)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(part_of)
        .collect())
}

/// The decided parts of a request without the sealed reasons and subjects: trajectories
/// first, the client's record last.
pub async fn parts_meta(tx: &Tx, request: Uuid) -> Result<Vec<ErasurePartRow>, StoreError> {
    Ok(parts_rows(tx, request)
        .await?
        .into_iter()
        .map(|mut r| {
            r.reason_ct = r.reason_ct.map(|_| Vec::new());
            r.subject_ct = r.subject_ct.map(|_| Vec::new());
            r
        })
        .collect())
}

/// The decided parts of a request with the sealed reasons, if they are the proof's
/// client's.
pub async fn parts_of_request(
    tx: &Tx,
    auth: &Authorized,
    request: Uuid,
) -> Result<Vec<ErasurePartRow>, StoreError> {
    let rows = parts_rows(tx, request).await?;
    for r in &rows {
        auth.check(r.client_id)?;
    }
    Ok(rows)
}

/// Marks a granted part destroyed, unless it was already: whether this call did.
pub async fn mark_destroyed(
    tx: &Tx,
    request: Uuid,
    part_kind: &str,
    subject: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let changed = parts::Entity::update_many()
        .col_expr(
            parts::Column::DestroyedAt,
            sea_orm::sea_query::Expr::value(Some(micros(at))),
        )
        .filter(parts::Column::RequestId.eq(request))
        .filter(parts::Column::PartKind.eq(part_kind))
        .filter(parts::Column::SubjectId.eq(subject))
        .filter(parts::Column::Decision.eq("grant"))
        .filter(parts::Column::DestroyedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(changed == 1)
}

/// Removes the sealed reasons and subjects of a client's erasure parts (the client's key
/// is being destroyed); the codes and decisions stay as proof.
pub async fn forget_reasons(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    let none = || sea_orm::sea_query::Expr::value(Option::<Vec<u8>>::None);
    Ok(parts::Entity::update_many()
        .col_expr(parts::Column::ReasonCt, none())
        .col_expr(parts::Column::SubjectCt, none())
        .filter(parts::Column::ClientId.eq(client.as_uuid()))
        .filter(
            sea_orm::Condition::any()
                .add(parts::Column::ReasonCt.is_not_null())
                .add(parts::Column::SubjectCt.is_not_null()),
        )
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// What may hold an erasure back, as stored: the client's other rights requests not
/// yet closed and complaints not yet closed (the freezes are on the trajectory rows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HoldCounts {
    pub other_open_requests: u64,
    pub open_complaints: u64,
}

pub async fn hold_counts(
    tx: &Tx,
    client: ClientId,
    request: Uuid,
) -> Result<HoldCounts, StoreError> {
    let other_open_requests = requests_meta::Entity::find()
        .filter(requests_meta::Column::ClientId.eq(client.as_uuid()))
        .filter(requests_meta::Column::Id.ne(request))
        .filter(requests_meta::Column::Status.ne("closed"))
        .count(&tx.inner)
        .await?;
    let open_complaints = complaints_meta::Entity::find()
        .filter(complaints_meta::Column::ClientId.eq(client.as_uuid()))
        .filter(complaints_meta::Column::ClosedOn.is_null())
        .count(&tx.inner)
        .await?;
    Ok(HoldCounts {
        other_open_requests,
        open_complaints,
    })
}

/// What remains of an erasure request once the client's record is destroyed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureProofRow {
    pub request_id: Uuid,
    pub reference: String,
    pub kind: String,
    pub received_on: NaiveDate,
    pub outcome: String,
    pub answer_sent_on: NaiveDate,
    pub parts_granted: i64,
    pub parts_refused: i64,
    pub client_destroyed_at: DateTime<Utc>,
}

pub async fn insert_proof(tx: &Tx, p: &ErasureProofRow) -> Result<(), StoreError> {
    proofs::Entity::insert(proofs::ActiveModel {
        request_id: Set(p.request_id),
        reference: Set(p.reference.clone()),
        kind: Set(p.kind.clone()),
        received_on: Set(p.received_on),
        outcome: Set(p.outcome.clone()),
        answer_sent_on: Set(p.answer_sent_on),
        parts_granted: Set(p.parts_granted),
        parts_refused: Set(p.parts_refused),
        client_destroyed_at: Set(micros(p.client_destroyed_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

pub async fn proof_of(tx: &Tx, request: Uuid) -> Result<Option<ErasureProofRow>, StoreError> {
    Ok(proofs::Entity::find_by_id(request)
        .one(&tx.inner)
        .await?
        .map(|m| ErasureProofRow {
            request_id: m.request_id,
            reference: m.reference,
            kind: m.kind,
            received_on: m.received_on,
            outcome: m.outcome,
            answer_sent_on: m.answer_sent_on,
            parts_granted: m.parts_granted,
            parts_refused: m.parts_refused,
            client_destroyed_at: m.client_destroyed_at,
        }))
}
