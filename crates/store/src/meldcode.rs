//! The meldcode workflow (MLD-1): a case on a trajectory and its recorded steps. The
//! structured record of a step is ciphertext sealed with the client's key and leaves
//! only with an [`Authorized`] proof; the rest (step kind, order, shielding, who, when)
//! is not personal content and is what the workflow checks its order on.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::{ClientId, EntryId, TrajectoryId, UserId};

use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod cases {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meldcode_cases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub trajectory_id: Uuid,
        pub started_by: Uuid,
        pub started_at: DateTimeUtc,
        pub decided_at: Option<DateTimeUtc>,
        pub decided_by: Option<Uuid>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod steps {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meldcode_steps")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub case_id: Uuid,
        pub client_id: Uuid,
        pub trajectory_id: Uuid,
        pub entry_id: Uuid,
        pub step: String,
        pub position: i64,
        pub record_ct: Vec<u8>,
        pub shielded: bool,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A meldcode case as stored: no personal content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: Uuid,
    pub client_id: ClientId,
    pub trajectory_id: TrajectoryId,
    pub started_by: UserId,
    pub started_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<UserId>,
}

impl From<cases::Model> for CaseRow {
    fn from(m: cases::Model) -> Self {
        Self {
            id: m.id,
            client_id: ClientId::from_uuid(m.client_id),
            trajectory_id: TrajectoryId::from_uuid(m.trajectory_id),
            started_by: UserId::from_uuid(m.started_by),
            started_at: m.started_at,
            decided_at: m.decided_at,
            decided_by: m.decided_by.map(UserId::from_uuid),
        }
    }
}

/// A recorded step. Read without a proof, `record_ct` is empty.
#[derive(Clone, PartialEq, Eq)]
pub struct StepRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub client_id: ClientId,
    pub trajectory_id: TrajectoryId,
    pub entry_id: EntryId,
    /// `signals`, `consultation`, `conversation`, `answer` or `decision`.
    pub step: String,
    pub position: i64,
    pub record_ct: Vec<u8>,
    pub shielded: bool,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for StepRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StepRow({}, {}, ***)", self.id, self.step)
    }
}

impl From<steps::Model> for StepRow {
    fn from(m: steps::Model) -> Self {
        Self {
            id: m.id,
            case_id: m.case_id,
            client_id: ClientId::from_uuid(m.client_id),
            trajectory_id: TrajectoryId::from_uuid(m.trajectory_id),
            entry_id: EntryId::from_uuid(m.entry_id),
            step: m.step,
            position: m.position,
            record_ct: m.record_ct,
            shielded: m.shielded,
            created_by: UserId::from_uuid(m.created_by),
            created_at: m.created_at,
        }
    }
}

/// The cases of a trajectory, oldest first. No personal content: readable without a
/// proof, to find the open case and decide the order of steps.
pub async fn cases_of_trajectory(
    tx: &Tx,
    trajectory: TrajectoryId,
) -> Result<Vec<CaseRow>, StoreError> {
    Ok(cases::Entity::find()
        .filter(cases::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .order_by_asc(cases::Column::StartedAt)
        .order_by_asc(cases::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(CaseRow::from)
        .collect())
}

pub async fn insert_case(tx: &Tx, c: &CaseRow) -> Result<(), StoreError> {
    cases::Entity::insert(cases::ActiveModel {
        id: Set(c.id),
        client_id: Set(c.client_id.as_uuid()),
        trajectory_id: Set(c.trajectory_id.as_uuid()),
        started_by: Set(c.started_by.as_uuid()),
        started_at: Set(micros(c.started_at)),
        decided_at: Set(c.decided_at.map(micros)),
        decided_by: Set(c.decided_by.map(|u| u.as_uuid())),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Marks a case decided. Returns whether it was still open (a decision races nothing).
pub async fn mark_decided(
    tx: &Tx,
    case: Uuid,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let n = cases::Entity::update_many()
        .col_expr(cases::Column::DecidedAt, Expr::value(micros(at)))
        .col_expr(cases::Column::DecidedBy, Expr::value(by.as_uuid()))
        .filter(cases::Column::Id.eq(case))
        .filter(cases::Column::DecidedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

pub async fn insert_step(tx: &Tx, s: &StepRow) -> Result<(), StoreError> {
    steps::Entity::insert(steps::ActiveModel {
        id: Set(s.id),
        case_id: Set(s.case_id),
        client_id: Set(s.client_id.as_uuid()),
        trajectory_id: Set(s.trajectory_id.as_uuid()),
        entry_id: Set(s.entry_id.as_uuid()),
        step: Set(s.step.clone()),
        position: Set(s.position),
        record_ct: Set(s.record_ct.clone()),
        shielded: Set(s.shielded),
        created_by: Set(s.created_by.as_uuid()),
        created_at: Set(micros(s.created_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

fn ordered_steps() -> sea_orm::Select<steps::Entity> {
    steps::Entity::find()
        .order_by_asc(steps::Column::Position)
        .order_by_asc(steps::Column::Id)
}

/// The steps of a case without their records: what the workflow checks its order on.
pub async fn step_kinds_of_case(tx: &Tx, case: Uuid) -> Result<Vec<StepRow>, StoreError> {
    Ok(ordered_steps()
        .filter(steps::Column::CaseId.eq(case))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| StepRow {
            record_ct: Vec::new(),
            ..StepRow::from(m)
        })
        .collect())
}

/// Every step of a trajectory's cases with its sealed record, in order.
pub async fn steps_of_trajectory(
    tx: &Tx,
    auth: &Authorized,
    trajectory: TrajectoryId,
) -> Result<Vec<StepRow>, StoreError> {
    Ok(ordered_steps()
        .filter(steps::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .filter(steps::Column::ClientId.eq(auth.client_id().as_uuid()))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(StepRow::from)
        .collect())
}

/// Removes a client's cases and steps (its destruction).
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    let a = steps::Entity::delete_many()
        .filter(steps::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let b = cases::Entity::delete_many()
        .filter(cases::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(a + b)
}

/// Removes one trajectory's cases and steps (its destruction).
pub async fn delete_of_trajectory(tx: &Tx, trajectory: TrajectoryId) -> Result<u64, StoreError> {
    let a = steps::Entity::delete_many()
        .filter(steps::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let b = cases::Entity::delete_many()
        .filter(cases::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(a + b)
}

/// Removes the step recorded as one entry (the entry's destruction).
pub async fn delete_of_entry(tx: &Tx, entry: EntryId) -> Result<u64, StoreError> {
    Ok(steps::Entity::delete_many()
        .filter(steps::Column::EntryId.eq(entry.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}
