//! Purpose-bound access grants and the complaints that manager grants are bound to.
//! Grants hold no client content: which trajectory or worker they concern, a purpose
//! written without naming a client, and the period. A complaint's subject is ciphertext.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::{ClientId, TrajectoryId, UserId};

use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod access_grants {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "access_grants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub kind: String,
        pub holder_id: Uuid,
        pub trajectory_id: Option<Uuid>,
        pub client_id: Option<Uuid>,
        pub absent_user_id: Option<Uuid>,
        pub scope_team: Option<String>,
        pub scope_service_type: Option<String>,
        pub complaint_id: Option<Uuid>,
        pub purpose: String,
        pub starts_at: DateTimeUtc,
        pub ends_at: DateTimeUtc,
        pub ended_at: Option<DateTimeUtc>,
        pub granted_by: Option<Uuid>,
        pub reviewed_at: Option<DateTimeUtc>,
        pub reviewed_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod complaints {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "complaints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub reference: Option<String>,
        pub client_id: Uuid,
        pub trajectory_id: Uuid,
        pub received_on: Date,
        pub channel: String,
        pub subject_ct: Vec<u8>,
        pub handler_id: Uuid,
        pub closed_on: Option<Date>,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A grant as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantRow {
    pub id: Uuid,
    /// `complaint`, `quality_review`, `substitute` or `emergency`.
    pub kind: String,
    pub holder: UserId,
    pub trajectory: Option<TrajectoryId>,
    pub client: Option<ClientId>,
    pub absent_user: Option<UserId>,
    pub scope_team: Option<String>,
    pub scope_service_type: Option<String>,
    pub complaint: Option<Uuid>,
    pub purpose: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub granted_by: Option<UserId>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub reviewed_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

impl GrantRow {
    /// Whether the grant gives access at `now`: started, not past its end, not ended early.
    #[must_use]
    pub fn active_at(&self, now: DateTime<Utc>) -> bool {
        self.starts_at <= now && now < self.ends_at && self.ended_at.is_none()
    }
}

impl From<access_grants::Model> for GrantRow {
    fn from(m: access_grants::Model) -> Self {
        Self {
            id: m.id,
            kind: m.kind,
            holder: UserId::from_uuid(m.holder_id),
            trajectory: m.trajectory_id.map(TrajectoryId::from_uuid),
            client: m.client_id.map(ClientId::from_uuid),
            absent_user: m.absent_user_id.map(UserId::from_uuid),
            scope_team: m.scope_team,
            scope_service_type: m.scope_service_type,
            complaint: m.complaint_id,
            purpose: m.purpose,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            ended_at: m.ended_at,
            granted_by: m.granted_by.map(UserId::from_uuid),
            reviewed_at: m.reviewed_at,
            reviewed_by: m.reviewed_by.map(UserId::from_uuid),
            created_at: m.created_at,
        }
    }
}

pub async fn insert(tx: &Tx, g: &GrantRow) -> Result<(), StoreError> {
    access_grants::Entity::insert(access_grants::ActiveModel {
        id: Set(g.id),
        kind: Set(g.kind.clone()),
        holder_id: Set(g.holder.as_uuid()),
        trajectory_id: Set(g.trajectory.map(|x| x.as_uuid())),
        client_id: Set(g.client.map(|x| x.as_uuid())),
        absent_user_id: Set(g.absent_user.map(|x| x.as_uuid())),
        scope_team: Set(g.scope_team.clone()),
        scope_service_type: Set(g.scope_service_type.clone()),
        complaint_id: Set(g.complaint),
        purpose: Set(g.purpose.clone()),
        starts_at: Set(micros(g.starts_at)),
        ends_at: Set(micros(g.ends_at)),
        ended_at: Set(g.ended_at.map(micros)),
        granted_by: Set(g.granted_by.map(|x| x.as_uuid())),
        reviewed_at: Set(g.reviewed_at.map(micros)),
        reviewed_by: Set(g.reviewed_by.map(|x| x.as_uuid())),
        created_at: Set(micros(g.created_at)),
    })
    .exec(&tx.inner)
    .await?;
    Ok(())
}

/// The grants a user holds that have not ended by `now` (started or still to start).
pub async fn current_of_holder(
    tx: &Tx,
    holder: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<GrantRow>, StoreError> {
    Ok(access_grants::Entity::find()
        .filter(access_grants::Column::HolderId.eq(holder.as_uuid()))
        .filter(access_grants::Column::EndsAt.gt(micros(now)))
        .filter(access_grants::Column::EndedAt.is_null())
        .order_by_asc(access_grants::Column::StartsAt)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(GrantRow::from)
        .collect())
}

/// Every grant, newest first, for the privacy officer's overview (at most `limit`).
pub async fn list(tx: &Tx, kind: Option<&str>, limit: u64) -> Result<Vec<GrantRow>, StoreError> {
    use sea_orm::QuerySelect;
    let mut q = access_grants::Entity::find();
    if let Some(kind) = kind {
        q = q.filter(access_grants::Column::Kind.eq(kind));
    }
    Ok(q.order_by_desc(access_grants::Column::CreatedAt)
        .order_by_desc(access_grants::Column::Id)
        .limit(limit)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(GrantRow::from)
        .collect())
}

pub async fn get(tx: &Tx, id: Uuid) -> Result<Option<GrantRow>, StoreError> {
    Ok(access_grants::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(GrantRow::from))
}

/// Ends a grant early. Returns whether it was still running.
pub async fn end(tx: &Tx, id: Uuid, at: DateTime<Utc>) -> Result<bool, StoreError> {
    let n = access_grants::Entity::update_many()
        .col_expr(access_grants::Column::EndedAt, Expr::value(micros(at)))
        .filter(access_grants::Column::Id.eq(id))
        .filter(access_grants::Column::EndedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

/// Ends every grant bound to a complaint (when it closes, ACC-3).
pub async fn end_of_complaint(
    tx: &Tx,
    complaint: Uuid,
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    Ok(access_grants::Entity::update_many()
        .col_expr(access_grants::Column::EndedAt, Expr::value(micros(at)))
        .filter(access_grants::Column::ComplaintId.eq(complaint))
        .filter(access_grants::Column::EndedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// Marks a grant as reviewed by the privacy officer. Returns whether it was unreviewed.
pub async fn mark_reviewed(
    tx: &Tx,
    id: Uuid,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = access_grants::Entity::update_many()
        .col_expr(access_grants::Column::ReviewedAt, Expr::value(micros(at)))
        .col_expr(access_grants::Column::ReviewedBy, Expr::value(by.as_uuid()))
        .filter(access_grants::Column::Id.eq(id))
        .filter(access_grants::Column::ReviewedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

/// Emergency accesses the privacy officer has not reviewed yet.
pub async fn unreviewed_emergencies(tx: &Tx) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(access_grants::Entity::find()
        .filter(access_grants::Column::Kind.eq("emergency"))
        .filter(access_grants::Column::ReviewedAt.is_null())
        .count(&tx.inner)
        .await?)
}

/// Removes every grant and complaint of a client (destruction).
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    let g = access_grants::Entity::delete_many()
        .filter(access_grants::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let steps = crate::complaints::delete_steps_of_client(tx, client).await?;
    let c = complaints::Entity::delete_many()
        .filter(complaints::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(g + steps + c)
}

/// A complaint as stored; `subject_ct` is sealed with the client's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintRow {
    pub id: Uuid,
    /// The acknowledgement reference (`KL-<year>-<n>`), shared with portal complaints;
    /// `None` for a complaint registered before references were given to staff
    /// registrations.
    pub reference: Option<String>,
    pub client: ClientId,
    pub trajectory: TrajectoryId,
    pub received_on: NaiveDate,
    pub channel: String,
    pub subject_ct: Vec<u8>,
    pub handler: UserId,
    pub closed_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl From<complaints::Model> for ComplaintRow {
    fn from(m: complaints::Model) -> Self {
        Self {
            id: m.id,
            reference: m.reference,
            client: ClientId::from_uuid(m.client_id),
            trajectory: TrajectoryId::from_uuid(m.trajectory_id),
            received_on: m.received_on,
            channel: m.channel,
            subject_ct: m.subject_ct,
            handler: UserId::from_uuid(m.handler_id),
            closed_on: m.closed_on,
            created_at: m.created_at,
        }
    }
}

pub async fn insert_complaint(tx: &Tx, c: &ComplaintRow) -> Result<(), StoreError> {
    complaints::Entity::insert(complaints::ActiveModel {
        id: Set(c.id),
        reference: Set(c.reference.clone()),
        client_id: Set(c.client.as_uuid()),
        trajectory_id: Set(c.trajectory.as_uuid()),
        received_on: Set(c.received_on),
        channel: Set(c.channel.clone()),
        subject_ct: Set(c.subject_ct.clone()),
        handler_id: Set(c.handler.as_uuid()),
        closed_on: Set(c.closed_on),
        created_at: Set(micros(c.created_at)),
    })
    .exec(&tx.inner)
    .await?;
    Ok(())
}

/// The complaint's metadata without its subject (no proof needed).
pub async fn complaint_meta(tx: &Tx, id: Uuid) -> Result<Option<ComplaintRow>, StoreError> {
    Ok(complaints::Entity::find_by_id(id)
        // A complaint from the portal has no handler yet (see `requests`).
        .filter(complaints::Column::HandlerId.is_not_null())
        .one(&tx.inner)
        .await?
        .map(|m| ComplaintRow {
            subject_ct: Vec::new(),
            ..ComplaintRow::from(m)
        }))
}

/// The complaints about a client's trajectories, with their sealed subjects.
pub async fn complaints_of_client(
    tx: &Tx,
    auth: &Authorized,
    client: ClientId,
) -> Result<Vec<ComplaintRow>, StoreError> {
    auth.check(client)?;
    Ok(complaints::Entity::find()
        .filter(complaints::Column::ClientId.eq(client.as_uuid()))
        .filter(complaints::Column::HandlerId.is_not_null())
        .order_by_desc(complaints::Column::ReceivedOn)
        .order_by_asc(complaints::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ComplaintRow::from)
        .collect())
}

/// Open complaints handled by a user, without subjects (for the handler's overview).
pub async fn open_complaints_of_handler(
    tx: &Tx,
    handler: UserId,
) -> Result<Vec<ComplaintRow>, StoreError> {
    Ok(complaints::Entity::find()
        .filter(complaints::Column::HandlerId.eq(handler.as_uuid()))
        .filter(complaints::Column::ClosedOn.is_null())
        .order_by_asc(complaints::Column::ReceivedOn)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| ComplaintRow {
            subject_ct: Vec::new(),
            ..ComplaintRow::from(m)
        })
        .collect())
}

/// Closes a complaint. Returns whether it was open.
pub async fn close_complaint(tx: &Tx, id: Uuid, on: NaiveDate) -> Result<bool, StoreError> {
    let n = complaints::Entity::update_many()
        .col_expr(complaints::Column::ClosedOn, Expr::value(on))
        .filter(complaints::Column::Id.eq(id))
        .filter(complaints::Column::ClosedOn.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}
