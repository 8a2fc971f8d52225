//! Complaint handling (CMP-1, ACC-3): assignment to a manager, the steps taken and the
//! decision. A complaint's subject, body, steps and the decision's reasons are ciphertext
//! sealed with the client's key; reference, dates, channel, outcome and who acted are not
//! personal content. The trajectories a complaint concerns are the complaint grants bound
//! to it (see [`crate::grants`]).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;
use zv_domain::{ClientId, PortalAccountId, TrajectoryId, UserId};

use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod complaint_rows {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "complaints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub trajectory_id: Option<Uuid>,
        pub received_on: Date,
        pub channel: String,
        pub subject_ct: Vec<u8>,
        pub handler_id: Option<Uuid>,
        pub closed_on: Option<Date>,
        pub created_at: DateTimeUtc,
        pub reference: Option<String>,
        pub body_ct: Option<Vec<u8>>,
        pub portal_account_id: Option<Uuid>,
        pub assigned_by: Option<Uuid>,
        pub assigned_at: Option<DateTimeUtc>,
        pub decision: Option<String>,
        pub decision_reasons_ct: Option<Vec<u8>>,
        pub decided_on: Option<Date>,
        pub decided_by: Option<Uuid>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod complaint_steps {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "complaint_steps")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub complaint_id: Uuid,
        pub client_id: Uuid,
        pub taken_on: Date,
        pub recorded_by: Uuid,
        pub text_ct: Vec<u8>,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod complaint_grants {
    use sea_orm::entity::prelude::*;

    /// The columns of `access_grants` a complaint's trajectories are read from.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "access_grants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub kind: String,
        pub trajectory_id: Option<Uuid>,
        pub complaint_id: Option<Uuid>,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A complaint as stored. Read without a proof, the ciphertext fields are empty.
#[derive(Clone, PartialEq, Eq)]
pub struct ComplaintRecord {
    pub id: Uuid,
    pub reference: Option<String>,
    pub client_id: ClientId,
    /// The first trajectory concerned (the others are in the grants).
    pub trajectory_id: Option<TrajectoryId>,
    pub received_on: NaiveDate,
    pub channel: String,
    pub handler: Option<UserId>,
    pub assigned_by: Option<UserId>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub closed_on: Option<NaiveDate>,
    /// `upheld`, `partly_upheld`, `not_upheld` or `withdrawn`.
    pub decision: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub decided_by: Option<UserId>,
    pub portal_account: Option<PortalAccountId>,
    pub created_at: DateTime<Utc>,
    pub subject_ct: Vec<u8>,
    pub body_ct: Option<Vec<u8>>,
    pub decision_reasons_ct: Option<Vec<u8>>,
}

impl std::fmt::Debug for ComplaintRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ComplaintRecord({}, ***)", self.id)
    }
}

impl From<complaint_rows::Model> for ComplaintRecord {
    fn from(m: complaint_rows::Model) -> Self {
        Self {
            id: m.id,
            reference: m.reference,
            client_id: ClientId::from_uuid(m.client_id),
            trajectory_id: m.trajectory_id.map(TrajectoryId::from_uuid),
            received_on: m.received_on,
            channel: m.channel,
            handler: m.handler_id.map(UserId::from_uuid),
            assigned_by: m.assigned_by.map(UserId::from_uuid),
            assigned_at: m.assigned_at,
            closed_on: m.closed_on,
            decision: m.decision,
            decided_on: m.decided_on,
            decided_by: m.decided_by.map(UserId::from_uuid),
            portal_account: m.portal_account_id.map(PortalAccountId::from_uuid),
            created_at: m.created_at,
            subject_ct: m.subject_ct,
            body_ct: m.body_ct,
            decision_reasons_ct: m.decision_reasons_ct,
        }
    }
}

fn without_content(m: complaint_rows::Model) -> ComplaintRecord {
    ComplaintRecord {
        subject_ct: Vec::new(),
        body_ct: None,
        decision_reasons_ct: None,
        ..ComplaintRecord::from(m)
    }
}

/// A step taken in handling a complaint; `text_ct` is sealed with the client's key.
#[derive(Clone, PartialEq, Eq)]
pub struct StepRow {
    pub id: Uuid,
    pub complaint_id: Uuid,
    pub client_id: ClientId,
    pub taken_on: NaiveDate,
    pub recorded_by: UserId,
    pub text_ct: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for StepRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StepRow({}, ***)", self.id)
    }
}

/// A complaint's metadata, without content (no proof needed: for the gate and lists).
pub async fn meta(tx: &Tx, id: Uuid) -> Result<Option<ComplaintRecord>, StoreError> {
    Ok(complaint_rows::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(without_content))
}

/// A complaint with its sealed subject, body and reasons, if it is the proof's client's.
pub async fn get(
    tx: &Tx,
    auth: &Authorized,
    id: Uuid,
) -> Result<Option<ComplaintRecord>, StoreError> {
    let Some(m) = complaint_rows::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
    else {
        return Ok(None);
    };
    auth.check(ClientId::from_uuid(m.client_id))?;
    Ok(Some(m.into()))
}

/// Every complaint, open ones first and then newest first, without content (at most
/// `limit`): the privacy officer's and the managers' overview.
pub async fn list(
    tx: &Tx,
    open_only: bool,
    limit: u64,
) -> Result<Vec<ComplaintRecord>, StoreError> {
    let mut q = complaint_rows::Entity::find();
    if open_only {
        q = q.filter(complaint_rows::Column::ClosedOn.is_null());
    }
    Ok(q.order_by_asc(complaint_rows::Column::ReceivedOn)
        .order_by_asc(complaint_rows::Column::Id)
        .limit(limit)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(without_content)
        .collect())
}

/// The open complaints a manager handles, without content.
pub async fn open_of_handler(tx: &Tx, handler: UserId) -> Result<Vec<ComplaintRecord>, StoreError> {
    Ok(complaint_rows::Entity::find()
        .filter(complaint_rows::Column::HandlerId.eq(handler.as_uuid()))
        .filter(complaint_rows::Column::ClosedOn.is_null())
        .order_by_asc(complaint_rows::Column::ReceivedOn)
        .order_by_asc(complaint_rows::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(without_content)
        .collect())
}

/// The complaints about the proof's client, newest first, with their sealed content.
pub async fn of_client(tx: &Tx, auth: &Authorized) -> Result<Vec<ComplaintRecord>, StoreError> {
    Ok(complaint_rows::Entity::find()
        .filter(complaint_rows::Column::ClientId.eq(auth.client_id().as_uuid()))
        .order_by_desc(complaint_rows::Column::ReceivedOn)
        .order_by_desc(complaint_rows::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ComplaintRecord::from)
        .collect())
}

/// Sets the handler of a complaint that has none and is open, with the first trajectory
/// it concerns. Returns whether it was unassigned.
pub async fn assign(
    tx: &Tx,
    id: Uuid,
    handler: UserId,
    trajectory: TrajectoryId,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = complaint_rows::Entity::update_many()
        .col_expr(
            complaint_rows::Column::HandlerId,
            Expr::value(handler.as_uuid()),
        )
        .col_expr(
            complaint_rows::Column::TrajectoryId,
            Expr::value(trajectory.as_uuid()),
        )
        .col_expr(
            complaint_rows::Column::AssignedBy,
            Expr::value(by.as_uuid()),
        )
        .col_expr(complaint_rows::Column::AssignedAt, Expr::value(micros(at)))
        .filter(complaint_rows::Column::Id.eq(id))
        .filter(complaint_rows::Column::HandlerId.is_null())
        .filter(complaint_rows::Column::ClosedOn.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

/// Records the decision on an open complaint without one. Returns whether it had none.
pub async fn decide(
    tx: &Tx,
    id: Uuid,
    decision: &str,
    reasons_ct: Vec<u8>,
    on: NaiveDate,
    by: UserId,
) -> Result<bool, StoreError> {
    let n = complaint_rows::Entity::update_many()
        .col_expr(complaint_rows::Column::Decision, Expr::value(decision))
        .col_expr(
            complaint_rows::Column::DecisionReasonsCt,
            Expr::value(reasons_ct),
        )
        .col_expr(complaint_rows::Column::DecidedOn, Expr::value(on))
        .col_expr(complaint_rows::Column::DecidedBy, Expr::value(by.as_uuid()))
        .filter(complaint_rows::Column::Id.eq(id))
        .filter(complaint_rows::Column::Decision.is_null())
        .filter(complaint_rows::Column::ClosedOn.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

pub async fn insert_step(tx: &Tx, s: &StepRow) -> Result<(), StoreError> {
    complaint_steps::Entity::insert(complaint_steps::ActiveModel {
        id: Set(s.id),
        complaint_id: Set(s.complaint_id),
        client_id: Set(s.client_id.as_uuid()),
        taken_on: Set(s.taken_on),
        recorded_by: Set(s.recorded_by.as_uuid()),
        text_ct: Set(s.text_ct.clone()),
        created_at: Set(micros(s.created_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The steps of a complaint of the proof's client, in the order they were taken.
pub async fn steps(
    tx: &Tx,
    auth: &Authorized,
    complaint: Uuid,
) -> Result<Vec<StepRow>, StoreError> {
    Ok(complaint_steps::Entity::find()
        .filter(complaint_steps::Column::ComplaintId.eq(complaint))
        .filter(complaint_steps::Column::ClientId.eq(auth.client_id().as_uuid()))
        .order_by_asc(complaint_steps::Column::TakenOn)
        .order_by_asc(complaint_steps::Column::CreatedAt)
        .order_by_asc(complaint_steps::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| StepRow {
            id: m.id,
            complaint_id: m.complaint_id,
            client_id: ClientId::from_uuid(m.client_id),
            taken_on: m.taken_on,
            recorded_by: UserId::from_uuid(m.recorded_by),
            text_ct: m.text_ct,
            created_at: m.created_at,
        })
        .collect())
}

/// The trajectories a complaint concerns: those of the complaint grants bound to it, in
/// the order they were granted, each once.
pub async fn trajectories(tx: &Tx, complaint: Uuid) -> Result<Vec<TrajectoryId>, StoreError> {
    let rows: Vec<Option<Uuid>> = complaint_grants::Entity::find()
        .select_only()
        .column(complaint_grants::Column::TrajectoryId)
        .filter(complaint_grants::Column::ComplaintId.eq(complaint))
        .filter(complaint_grants::Column::Kind.eq("complaint"))
        .order_by_asc(complaint_grants::Column::CreatedAt)
        .order_by_asc(complaint_grants::Column::Id)
        .into_tuple()
        .all(&tx.inner)
        .await?;
    let mut out: Vec<TrajectoryId> = Vec::with_capacity(rows.len());
    for t in rows.into_iter().flatten().map(TrajectoryId::from_uuid) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

/// Removes the steps of a client's complaints (destruction; the complaints themselves go
/// in [`crate::grants::delete_of_client`]).
pub async fn delete_steps_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    Ok(complaint_steps::Entity::delete_many()
        .filter(complaint_steps::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}
