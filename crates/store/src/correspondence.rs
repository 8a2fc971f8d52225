//! The correspondence register (RET-3, m0031): letters, contact-form messages, e-mails
//! and calls with their handling status. The writers are not clients, or not as clients:
//! no client's proof covers them, so the core's gate decides and records every read before
//! it calls these functions; the personal fields are sealed with the system key by the
//! core and arrive here as ciphertext.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::UserId;

use crate::rows::micros;
use crate::{StoreError, Tx};

/// The stored status of an item still being handled.
pub const OPEN: &str = "open";
/// The stored status of a handled item, which has a last day.
pub const HANDLED: &str = "handled";

mod rows {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "correspondence")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub kind: String,
        pub direction: String,
        pub received_on: Date,
        pub correspondent_ct: Vec<u8>,
        pub contact_ct: Option<Vec<u8>>,
        pub subject_ct: Vec<u8>,
        pub summary_ct: Option<Vec<u8>>,
        pub team_code: Option<String>,
        pub status: String,
        pub handled_by: Option<Uuid>,
        pub handled_on: Option<Date>,
        pub outcome_ct: Option<Vec<u8>>,
        pub keep_until: Option<Date>,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// An item as stored; the personal fields are ciphertext.
#[derive(Clone, PartialEq, Eq)]
pub struct CorrespondenceRow {
    pub id: Uuid,
    pub kind: String,
    pub direction: String,
    pub received_on: NaiveDate,
    pub correspondent_ct: Vec<u8>,
    pub contact_ct: Option<Vec<u8>>,
    pub subject_ct: Vec<u8>,
    pub summary_ct: Option<Vec<u8>>,
    pub team_code: Option<String>,
    /// [`OPEN`] or [`HANDLED`].
    pub status: String,
    pub handled_by: Option<UserId>,
    pub handled_on: Option<NaiveDate>,
    pub outcome_ct: Option<Vec<u8>>,
    /// The last day it is kept; `None` while open.
    pub keep_until: Option<NaiveDate>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for CorrespondenceRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "CorrespondenceRow({}, {}, {}, ***)",
            self.id, self.kind, self.status
        )
    }
}

impl From<rows::Model> for CorrespondenceRow {
    fn from(m: rows::Model) -> Self {
        Self {
            id: m.id,
            kind: m.kind,
            direction: m.direction,
            received_on: m.received_on,
            correspondent_ct: m.correspondent_ct,
            contact_ct: m.contact_ct,
            subject_ct: m.subject_ct,
            summary_ct: m.summary_ct,
            team_code: m.team_code,
            status: m.status,
            handled_by: m.handled_by.map(UserId::from_uuid),
            handled_on: m.handled_on,
            outcome_ct: m.outcome_ct,
            keep_until: m.keep_until,
            created_by: UserId::from_uuid(m.created_by),
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

/// What registering or changing an open item writes: everything but the handling.
#[derive(Clone, PartialEq, Eq)]
pub struct CorrespondenceFields {
    pub kind: String,
    pub direction: String,
    pub received_on: NaiveDate,
    pub correspondent_ct: Vec<u8>,
    pub contact_ct: Option<Vec<u8>>,
    pub subject_ct: Vec<u8>,
    pub summary_ct: Option<Vec<u8>>,
    pub team_code: Option<String>,
}

impl std::fmt::Debug for CorrespondenceFields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CorrespondenceFields({}, ***)", self.kind)
    }
}

/// A handled item's kind and last day, for the sweep and the destruction schedule: no
/// content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrespondenceTerm {
    pub id: Uuid,
    pub kind: String,
    pub keep_until: NaiveDate,
}

/// Registers an open item.
pub async fn insert(
    tx: &Tx,
    id: Uuid,
    f: &CorrespondenceFields,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    rows::Entity::insert(rows::ActiveModel {
        id: Set(id),
        kind: Set(f.kind.clone()),
        direction: Set(f.direction.clone()),
        received_on: Set(f.received_on),
        correspondent_ct: Set(f.correspondent_ct.clone()),
        contact_ct: Set(f.contact_ct.clone()),
        subject_ct: Set(f.subject_ct.clone()),
        summary_ct: Set(f.summary_ct.clone()),
        team_code: Set(f.team_code.clone()),
        status: Set(OPEN.to_owned()),
        handled_by: Set(None),
        handled_on: Set(None),
        outcome_ct: Set(None),
        keep_until: Set(None),
        created_by: Set(by.as_uuid()),
        created_at: Set(micros(at)),
        updated_at: Set(micros(at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Every item, or those of one status, by the day it came in (oldest first); the core
/// puts the open ones first.
pub async fn list(tx: &Tx, status: Option<&str>) -> Result<Vec<CorrespondenceRow>, StoreError> {
    let mut q = rows::Entity::find();
    if let Some(s) = status {
        q = q.filter(rows::Column::Status.eq(s));
    }
    Ok(q.order_by_asc(rows::Column::ReceivedOn)
        .order_by_asc(rows::Column::CreatedAt)
        .order_by_asc(rows::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(CorrespondenceRow::from)
        .collect())
}

pub async fn find(tx: &Tx, id: Uuid) -> Result<Option<CorrespondenceRow>, StoreError> {
    Ok(rows::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(CorrespondenceRow::from))
}

/// Changes an open item's registration; `false` when it is not open (or gone).
pub async fn update_open(
    tx: &Tx,
    id: Uuid,
    f: &CorrespondenceFields,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(rows::Entity::update_many()
        .col_expr(rows::Column::Kind, Expr::value(f.kind.clone()))
        .col_expr(rows::Column::Direction, Expr::value(f.direction.clone()))
        .col_expr(rows::Column::ReceivedOn, Expr::value(f.received_on))
        .col_expr(
            rows::Column::CorrespondentCt,
            Expr::value(f.correspondent_ct.clone()),
        )
        .col_expr(rows::Column::ContactCt, Expr::value(f.contact_ct.clone()))
        .col_expr(rows::Column::SubjectCt, Expr::value(f.subject_ct.clone()))
        .col_expr(rows::Column::SummaryCt, Expr::value(f.summary_ct.clone()))
        .col_expr(rows::Column::TeamCode, Expr::value(f.team_code.clone()))
        .col_expr(rows::Column::UpdatedAt, Expr::value(micros(at)))
        .filter(rows::Column::Id.eq(id))
        .filter(rows::Column::Status.eq(OPEN))
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

/// Marks an open item handled, with its sealed outcome and its last day; `false` when it
/// is not open (or gone).
pub async fn mark_handled(
    tx: &Tx,
    id: Uuid,
    by: UserId,
    on: NaiveDate,
    outcome_ct: Vec<u8>,
    keep_until: NaiveDate,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(rows::Entity::update_many()
        .col_expr(rows::Column::Status, Expr::value(HANDLED))
        .col_expr(rows::Column::HandledBy, Expr::value(Some(by.as_uuid())))
        .col_expr(rows::Column::HandledOn, Expr::value(Some(on)))
        .col_expr(rows::Column::OutcomeCt, Expr::value(Some(outcome_ct)))
        .col_expr(rows::Column::KeepUntil, Expr::value(Some(keep_until)))
        .col_expr(rows::Column::UpdatedAt, Expr::value(micros(at)))
        .filter(rows::Column::Id.eq(id))
        .filter(rows::Column::Status.eq(OPEN))
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

/// Opens a handled item again: the handling and the last day are cleared, so it is kept
/// until it is handled anew. `false` when it is not handled (or gone).
pub async fn reopen(tx: &Tx, id: Uuid, at: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(rows::Entity::update_many()
        .col_expr(rows::Column::Status, Expr::value(OPEN))
        .col_expr(rows::Column::HandledBy, Expr::value(Option::<Uuid>::None))
        .col_expr(
            rows::Column::HandledOn,
            Expr::value(Option::<NaiveDate>::None),
        )
        .col_expr(
            rows::Column::OutcomeCt,
            Expr::value(Option::<Vec<u8>>::None),
        )
        .col_expr(
            rows::Column::KeepUntil,
            Expr::value(Option::<NaiveDate>::None),
        )
        .col_expr(rows::Column::UpdatedAt, Expr::value(micros(at)))
        .filter(rows::Column::Id.eq(id))
        .filter(rows::Column::Status.eq(HANDLED))
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

/// Handled items whose last day is `until` or earlier, by that day. Open items have no
/// last day and are never among them.
pub async fn handled_until(
    tx: &Tx,
    until: NaiveDate,
) -> Result<Vec<CorrespondenceTerm>, StoreError> {
    Ok(rows::Entity::find()
        .filter(rows::Column::Status.eq(HANDLED))
        .filter(rows::Column::KeepUntil.is_not_null())
        .filter(rows::Column::KeepUntil.lte(until))
        .order_by_asc(rows::Column::KeepUntil)
        .order_by_asc(rows::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .filter_map(|m| {
            m.keep_until.map(|keep_until| CorrespondenceTerm {
                id: m.id,
                kind: m.kind,
                keep_until,
            })
        })
        .collect())
}

/// Removes handled items whose last day is before `today`, in the caller's transaction;
/// the condition is repeated here, so an item reopened meanwhile stays. Rows removed per
/// table.
pub async fn destroy(
    tx: &Tx,
    ids: &[Uuid],
    today: NaiveDate,
) -> Result<BTreeMap<String, u64>, StoreError> {
    let mut n = 0;
    for chunk in ids.chunks(500) {
        n += rows::Entity::delete_many()
            .filter(rows::Column::Id.is_in(chunk.to_vec()))
            .filter(rows::Column::Status.eq(HANDLED))
            .filter(rows::Column::KeepUntil.lt(today))
            .exec(&tx.inner)
            .await?
            .rows_affected;
    }
    let mut counts = BTreeMap::new();
    if n > 0 {
        counts.insert("correspondence".to_owned(), n);
    }
    Ok(counts)
}
