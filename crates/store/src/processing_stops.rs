//! Freezes of processing (RTS-7 restriction, RTS-9 upheld objection, RTS-10 withdrawn
//! consent), the privacy officer's objection decisions and the registered withdrawals of
//! consent.
//!
//! The freeze in force is carried on the trajectory row (`frozen_since`, `frozen_kind`),
//! which the gate reads anyway; this module keeps the history of every freeze next to
//! it. Reasons and the objection's balancing are ciphertext sealed with the client's
//! key and are released only with an [`Authorized`] proof; kinds, grounds, dates and
//! ids are not personal content.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait as _, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait as _,
};
use uuid::Uuid;
use zv_domain::{ClientId, RelatedPersonId, TrajectoryId, UserId};

use crate::entity::{trajectories, trajectory_workers};
use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod stops {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "processing_stops")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub trajectory_id: Uuid,
        pub kind: String,
        pub ground: Option<String>,
        pub request_id: Option<Uuid>,
        pub decision_id: Option<Uuid>,
        pub reason_ct: Vec<u8>,
        pub started_by: Uuid,
        pub started_at: DateTimeUtc,
        pub notice_on: Option<Date>,
        pub notice_how: Option<String>,
        pub notice_by: Option<Uuid>,
        pub notice_at: Option<DateTimeUtc>,
        pub lifted_by: Option<Uuid>,
        pub lifted_at: Option<DateTimeUtc>,
        pub lift_reason_ct: Option<Vec<u8>>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod decisions {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "objection_decisions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub trajectory_id: Uuid,
        pub request_id: Option<Uuid>,
        pub legal_basis: String,
        pub situation_ct: Vec<u8>,
        pub grounds_ct: Vec<u8>,
        pub outcome: String,
        pub decided_by: Uuid,
        pub decided_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod withdrawals {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "consent_withdrawals")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub request_id: Option<Uuid>,
        pub withdrawn_on: Date,
        pub trajectories_frozen: i64,
        pub consents_ended: i64,
        pub registered_by: Uuid,
        pub registered_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The young person's consents for parents (MIN-3), as a withdrawal of consent needs
/// them: which are in force. Written only through `minors::withdraw_consent`.
mod youth_consents {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "youth_consents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub related_person_id: Uuid,
        pub withdrawn_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A freeze of one trajectory, as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct StopRow {
    pub id: Uuid,
    pub client_id: ClientId,
    pub trajectory_id: TrajectoryId,
    pub kind: String,
    pub ground: Option<String>,
    pub request_id: Option<Uuid>,
    pub decision_id: Option<Uuid>,
    pub reason_ct: Vec<u8>,
    pub started_by: UserId,
    pub started_at: DateTime<Utc>,
    pub notice_on: Option<NaiveDate>,
    pub notice_how: Option<String>,
    pub notice_by: Option<UserId>,
    pub notice_at: Option<DateTime<Utc>>,
    pub lifted_by: Option<UserId>,
    pub lifted_at: Option<DateTime<Utc>>,
    pub lift_reason_ct: Option<Vec<u8>>,
}

impl std::fmt::Debug for StopRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StopRow({}, {}, ***)", self.id, self.kind)
    }
}

impl From<stops::Model> for StopRow {
    fn from(m: stops::Model) -> Self {
        Self {
            id: m.id,
            client_id: ClientId::from_uuid(m.client_id),
            trajectory_id: TrajectoryId::from_uuid(m.trajectory_id),
            kind: m.kind,
            ground: m.ground,
            request_id: m.request_id,
            decision_id: m.decision_id,
            reason_ct: m.reason_ct,
            started_by: UserId::from_uuid(m.started_by),
            started_at: m.started_at,
            notice_on: m.notice_on,
            notice_how: m.notice_how,
            notice_by: m.notice_by.map(UserId::from_uuid),
            notice_at: m.notice_at,
            lifted_by: m.lifted_by.map(UserId::from_uuid),
            lifted_at: m.lifted_at,
            lift_reason_ct: m.lift_reason_ct,
        }
    }
}

/// The privacy officer's decision on an objection (RTS-9), as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct ObjectionRow {
    pub id: Uuid,
    pub client_id: ClientId,
    pub trajectory_id: TrajectoryId,
    pub request_id: Option<Uuid>,
    pub legal_basis: String,
    pub situation_ct: Vec<u8>,
    pub grounds_ct: Vec<u8>,
    pub outcome: String,
    pub decided_by: UserId,
    pub decided_at: DateTime<Utc>,
}

impl std::fmt::Debug for ObjectionRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ObjectionRow({}, {}, ***)", self.id, self.outcome)
    }
}

impl From<decisions::Model> for ObjectionRow {
    fn from(m: decisions::Model) -> Self {
        Self {
            id: m.id,
            client_id: ClientId::from_uuid(m.client_id),
            trajectory_id: TrajectoryId::from_uuid(m.trajectory_id),
            request_id: m.request_id,
            legal_basis: m.legal_basis,
            situation_ct: m.situation_ct,
            grounds_ct: m.grounds_ct,
            outcome: m.outcome,
            decided_by: UserId::from_uuid(m.decided_by),
            decided_at: m.decided_at,
        }
    }
}

/// A registered withdrawal of consent (RTS-10): no personal content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawalRow {
    pub id: Uuid,
    pub client_id: ClientId,
    pub request_id: Option<Uuid>,
    pub withdrawn_on: NaiveDate,
    pub trajectories_frozen: i64,
    pub consents_ended: i64,
    pub registered_by: UserId,
    pub registered_at: DateTime<Utc>,
}

impl From<withdrawals::Model> for WithdrawalRow {
    fn from(m: withdrawals::Model) -> Self {
        Self {
            id: m.id,
            client_id: ClientId::from_uuid(m.client_id),
            request_id: m.request_id,
            withdrawn_on: m.withdrawn_on,
            trajectories_frozen: m.trajectories_frozen,
            consents_ended: m.consents_ended,
            registered_by: UserId::from_uuid(m.registered_by),
            registered_at: m.registered_at,
        }
    }
}

/// Whether `user` is assigned to the trajectory and whether the trajectory is frozen, in
/// one query: the gate asks both for every access that names a trajectory. `None` when
/// there is no such trajectory.
pub async fn worker_and_frozen(
    tx: &Tx,
    user: UserId,
    trajectory: TrajectoryId,
) -> Result<Option<(bool, bool)>, StoreError> {
    use sea_orm::FromQueryResult as _;
    let assigned = Query::select()
        .expr(Expr::val(1))
        .from(trajectory_workers::Entity)
        .and_where(
            Expr::col((
                trajectory_workers::Entity,
                trajectory_workers::Column::TrajectoryId,
            ))
            .equals((trajectories::Entity, trajectories::Column::Id)),
        )
        .and_where(
            Expr::col((
                trajectory_workers::Entity,
                trajectory_workers::Column::UserId,
            ))
            .eq(user.as_uuid()),
        )
        .to_owned();
    let q = trajectories::Entity::find_by_id(trajectory.as_uuid())
        .expr_as(Expr::exists(assigned), "zv_assigned")
        .into_query();
    let Some(row) = tx.inner.query_one(&q).await? else {
        return Ok(None);
    };
    let t = trajectories::Model::from_query_result(&row, "")?;
    let assigned: bool = row.try_get("", "zv_assigned")?;
    Ok(Some((assigned, t.frozen_kind.is_some())))
}

/// Whether the trajectory is frozen (for a caller that knows the assignment already but
/// not the freeze).
pub async fn is_frozen(tx: &Tx, trajectory: TrajectoryId) -> Result<bool, StoreError> {
    Ok(trajectories::Entity::find_by_id(trajectory.as_uuid())
        .one(&tx.inner)
        .await?
        .is_some_and(|t| t.frozen_kind.is_some()))
}

/// Sets (or clears, with `None`) the freeze in force on a trajectory.
pub async fn set_frozen(
    tx: &Tx,
    trajectory: TrajectoryId,
    frozen: Option<(DateTime<Utc>, &str)>,
) -> Result<(), StoreError> {
    let (since, kind) = match frozen {
        Some((at, kind)) => (Some(micros(at)), Some(kind.to_owned())),
        None => (None, None),
    };
    let n = trajectories::Entity::update_many()
        .col_expr(trajectories::Column::FrozenSince, Expr::value(since))
        .col_expr(trajectories::Column::FrozenKind, Expr::value(kind))
        .filter(trajectories::Column::Id.eq(trajectory.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn insert_stop(tx: &Tx, s: &StopRow) -> Result<(), StoreError> {
    stops::Entity::insert(stops::ActiveModel {
        id: Set(s.id),
        client_id: Set(s.client_id.as_uuid()),
        trajectory_id: Set(s.trajectory_id.as_uuid()),
        kind: Set(s.kind.clone()),
        ground: Set(s.ground.clone()),
        request_id: Set(s.request_id),
        decision_id: Set(s.decision_id),
        reason_ct: Set(s.reason_ct.clone()),
        started_by: Set(s.started_by.as_uuid()),
        started_at: Set(micros(s.started_at)),
        notice_on: Set(s.notice_on),
        notice_how: Set(s.notice_how.clone()),
        notice_by: Set(s.notice_by.map(|u| u.as_uuid())),
        notice_at: Set(s.notice_at.map(micros)),
        lifted_by: Set(s.lifted_by.map(|u| u.as_uuid())),
        lifted_at: Set(s.lifted_at.map(micros)),
        lift_reason_ct: Set(s.lift_reason_ct.clone()),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// A freeze's ids and dates, without its reason: what deciding on it needs.
pub async fn stop_meta(tx: &Tx, id: Uuid) -> Result<Option<StopRow>, StoreError> {
    Ok(stops::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(|m| StopRow {
            reason_ct: Vec::new(),
            lift_reason_ct: None,
            ..StopRow::from(m)
        }))
}

/// The freezes in force on a trajectory, oldest first, without reasons.
pub async fn active_of_trajectory(
    tx: &Tx,
    trajectory: TrajectoryId,
) -> Result<Vec<StopRow>, StoreError> {
    Ok(stops::Entity::find()
        .filter(stops::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .filter(stops::Column::LiftedAt.is_null())
        .order_by_asc(stops::Column::StartedAt)
        .order_by_asc(stops::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| StopRow {
            reason_ct: Vec::new(),
            lift_reason_ct: None,
            ..StopRow::from(m)
        })
        .collect())
}

/// Records that the client was told the freeze will be lifted. True when recorded (a
/// freeze already lifted takes no notice).
pub async fn record_notice(
    tx: &Tx,
    id: Uuid,
    on: NaiveDate,
    how: &str,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = stops::Entity::update_many()
        .col_expr(stops::Column::NoticeOn, Expr::value(Some(on)))
        .col_expr(stops::Column::NoticeHow, Expr::value(Some(how.to_owned())))
        .col_expr(stops::Column::NoticeBy, Expr::value(Some(by.as_uuid())))
        .col_expr(stops::Column::NoticeAt, Expr::value(Some(micros(at))))
        .filter(stops::Column::Id.eq(id))
        .filter(stops::Column::LiftedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

/// Lifts a freeze whose notice is recorded. True when lifted; false when it was lifted
/// already or no notice was recorded (the store keeps the rule too).
pub async fn lift(
    tx: &Tx,
    id: Uuid,
    by: UserId,
    at: DateTime<Utc>,
    reason_ct: Vec<u8>,
) -> Result<bool, StoreError> {
    let n = stops::Entity::update_many()
        .col_expr(stops::Column::LiftedBy, Expr::value(Some(by.as_uuid())))
        .col_expr(stops::Column::LiftedAt, Expr::value(Some(micros(at))))
        .col_expr(stops::Column::LiftReasonCt, Expr::value(Some(reason_ct)))
        .filter(stops::Column::Id.eq(id))
        .filter(stops::Column::LiftedAt.is_null())
        .filter(stops::Column::NoticeOn.is_not_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

/// Every freeze of a client, in force and lifted, newest first.
pub async fn of_client(
    tx: &Tx,
    auth: &Authorized,
    client: ClientId,
) -> Result<Vec<StopRow>, StoreError> {
    auth.check(client)?;
    Ok(stops::Entity::find()
        .filter(stops::Column::ClientId.eq(client.as_uuid()))
        .order_by_desc(stops::Column::StartedAt)
        .order_by_asc(stops::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(StopRow::from)
        .collect())
}

pub async fn insert_objection(tx: &Tx, o: &ObjectionRow) -> Result<(), StoreError> {
    decisions::Entity::insert(decisions::ActiveModel {
        id: Set(o.id),
        client_id: Set(o.client_id.as_uuid()),
        trajectory_id: Set(o.trajectory_id.as_uuid()),
        request_id: Set(o.request_id),
        legal_basis: Set(o.legal_basis.clone()),
        situation_ct: Set(o.situation_ct.clone()),
        grounds_ct: Set(o.grounds_ct.clone()),
        outcome: Set(o.outcome.clone()),
        decided_by: Set(o.decided_by.as_uuid()),
        decided_at: Set(micros(o.decided_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Every objection decision of a client, newest first.
pub async fn objections_of_client(
    tx: &Tx,
    auth: &Authorized,
    client: ClientId,
) -> Result<Vec<ObjectionRow>, StoreError> {
    auth.check(client)?;
    Ok(decisions::Entity::find()
        .filter(decisions::Column::ClientId.eq(client.as_uuid()))
        .order_by_desc(decisions::Column::DecidedAt)
        .order_by_asc(decisions::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ObjectionRow::from)
        .collect())
}

pub async fn insert_withdrawal(tx: &Tx, w: &WithdrawalRow) -> Result<(), StoreError> {
    withdrawals::Entity::insert(withdrawals::ActiveModel {
        id: Set(w.id),
        client_id: Set(w.client_id.as_uuid()),
        request_id: Set(w.request_id),
        withdrawn_on: Set(w.withdrawn_on),
        trajectories_frozen: Set(w.trajectories_frozen),
        consents_ended: Set(w.consents_ended),
        registered_by: Set(w.registered_by.as_uuid()),
        registered_at: Set(micros(w.registered_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Every registered withdrawal of consent of a client, newest first.
pub async fn withdrawals_of_client(
    tx: &Tx,
    client: ClientId,
) -> Result<Vec<WithdrawalRow>, StoreError> {
    Ok(withdrawals::Entity::find()
        .filter(withdrawals::Column::ClientId.eq(client.as_uuid()))
        .order_by_desc(withdrawals::Column::RegisteredAt)
        .order_by_asc(withdrawals::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(WithdrawalRow::from)
        .collect())
}

/// The parents' records whose consent from this young person is in force (MIN-3).
pub async fn consents_in_force(
    tx: &Tx,
    client: ClientId,
) -> Result<Vec<RelatedPersonId>, StoreError> {
    let mut people: Vec<RelatedPersonId> = youth_consents::Entity::find()
        .filter(youth_consents::Column::ClientId.eq(client.as_uuid()))
        .filter(youth_consents::Column::WithdrawnAt.is_null())
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| RelatedPersonId::from_uuid(m.related_person_id))
        .collect();
    people.sort_unstable();
    people.dedup();
    Ok(people)
}

/// Destruction: every freeze, decision and withdrawal of a client.
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    let c = client.as_uuid();
    let a = stops::Entity::delete_many()
        .filter(stops::Column::ClientId.eq(c))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let b = decisions::Entity::delete_many()
        .filter(decisions::Column::ClientId.eq(c))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let w = withdrawals::Entity::delete_many()
        .filter(withdrawals::Column::ClientId.eq(c))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(a + b + w)
}

/// Destruction of one trajectory: its freezes and objection decisions.
pub async fn delete_of_trajectory(tx: &Tx, trajectory: TrajectoryId) -> Result<u64, StoreError> {
    let t = trajectory.as_uuid();
    let a = stops::Entity::delete_many()
        .filter(stops::Column::TrajectoryId.eq(t))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let b = decisions::Entity::delete_many()
        .filter(decisions::Column::TrajectoryId.eq(t))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(a + b)
}
