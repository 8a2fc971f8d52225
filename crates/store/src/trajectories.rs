//! Trajectories ("trajecten") and their assigned workers: metadata only, no dossier
//! content, so nothing here needs a proof.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use zv_domain::{ClientId, TrajectoryId, UserId};

use crate::entity::{trajectories, trajectory_workers};
use crate::fixed::Fixed;
use crate::rows::micros;
use crate::rows::{NewTrajectory, TrajectoryRow, WorkerRow};
use crate::{StoreError, Tx, bulk};

pub(crate) fn active(t: &NewTrajectory) -> trajectories::ActiveModel {
    trajectories::ActiveModel {
        id: Set(t.id.as_uuid()),
        client_id: Set(t.client_id.as_uuid()),
        service_type: Set(t.service_type.clone()),
        branch_code: Set(t.branch_code.clone()),
        team_code: Set(t.team_code.clone()),
        domestic_violence: Set(t.domestic_violence),
        opened_on: Set(t.opened_on),
        closed_on: Set(None),
        last_change_at: Set(micros(t.created_at)),
        retention_until: Set(None),
        created_at: Set(micros(t.created_at)),
        frozen_since: Set(None),
        frozen_kind: Set(None),
        municipality: Set(t.facts.municipality.clone()),
        age_band: Set(t.facts.age_band.clone()),
        gender: Set(t.facts.gender.clone()),
    }
}

pub(crate) fn worker_active(
    trajectory: TrajectoryId,
    user: UserId,
    on: NaiveDate,
) -> trajectory_workers::ActiveModel {
    trajectory_workers::ActiveModel {
        trajectory_id: Set(trajectory.as_uuid()),
        user_id: Set(user.as_uuid()),
        assigned_on: Set(on),
    }
}

pub async fn insert(tx: &Tx, t: &NewTrajectory) -> Result<(), StoreError> {
    trajectories::Entity::insert(active(t))
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

pub async fn insert_many(tx: &Tx, rows: &[NewTrajectory]) -> Result<u64, StoreError> {
    bulk::insert_all(tx, rows.iter().map(active).collect()).await
}

pub async fn get_meta(tx: &Tx, id: TrajectoryId) -> Result<Option<TrajectoryRow>, StoreError> {
    Ok(trajectories::Entity::find_by_id(id.as_uuid())
        .one(&tx.inner)
        .await?
        .map(TrajectoryRow::from))
}

/// A trajectory and whether `user` is assigned to it, in one query (every dossier view
/// asks both).
pub async fn get_meta_with_worker(
    tx: &Tx,
    id: TrajectoryId,
    user: Option<UserId>,
) -> Result<Option<(TrajectoryRow, bool)>, StoreError> {
    use sea_orm::{FromQueryResult as _, QueryTrait as _};
    let user = user.map_or(uuid::Uuid::nil(), |u| u.as_uuid());
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
            .eq(user),
        )
        .to_owned();
    let id = id.as_uuid();
    static Q: Fixed = Fixed::new();
    let Some(row) = Q
        .row(tx, vec![1_i32.into(), user.into(), id.into()], || {
            trajectories::Entity::find_by_id(id)
                .expr_as(Expr::exists(assigned), "zv_assigned")
                .into_query()
        })
        .await?
    else {
        return Ok(None);
    };
    let t = trajectories::Model::from_query_result(&row, "")?;
    let assigned: bool = row.try_get("", "zv_assigned")?;
    Ok(Some((TrajectoryRow::from(t), assigned)))
}

/// A client's trajectories, oldest first.
pub async fn of_client(tx: &Tx, client: ClientId) -> Result<Vec<TrajectoryRow>, StoreError> {
    static Q: Fixed = Fixed::new();
    let client = client.as_uuid();
    Ok(Q.models(tx, vec![client.into()], || {
        trajectories::Entity::find()
            .filter(trajectories::Column::ClientId.eq(client))
            .order_by_asc(trajectories::Column::OpenedOn)
            .order_by_asc(trajectories::Column::Id)
    })
    .await?
    .into_iter()
    .map(TrajectoryRow::from)
    .collect())
}

/// The trajectories of several clients (a search's results), each client's oldest first
/// as [`of_client`] gives them.
pub async fn of_clients(tx: &Tx, clients: &[ClientId]) -> Result<Vec<TrajectoryRow>, StoreError> {
    if clients.is_empty() {
        return Ok(Vec::new());
    }
    Ok(trajectories::Entity::find()
        .filter(trajectories::Column::ClientId.is_in(clients.iter().map(|c| c.as_uuid())))
        .order_by_asc(trajectories::Column::ClientId)
        .order_by_asc(trajectories::Column::OpenedOn)
        .order_by_asc(trajectories::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(TrajectoryRow::from)
        .collect())
}

/// Assigns a worker; assigning an assigned worker again changes nothing.
pub async fn assign_worker(
    tx: &Tx,
    trajectory: TrajectoryId,
    user: UserId,
    on: NaiveDate,
) -> Result<(), StoreError> {
    trajectory_workers::Entity::insert(worker_active(trajectory, user, on))
        .on_conflict(
            OnConflict::columns([
                trajectory_workers::Column::TrajectoryId,
                trajectory_workers::Column::UserId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

pub async fn assign_workers_many(
    tx: &Tx,
    rows: &[(TrajectoryId, UserId, NaiveDate)],
) -> Result<u64, StoreError> {
    bulk::insert_all(
        tx,
        rows.iter()
            .map(|(t, u, d)| worker_active(*t, *u, *d))
            .collect(),
    )
    .await
}

/// Removes a worker's assignment. Returns whether there was one.
pub async fn unassign_worker(
    tx: &Tx,
    trajectory: TrajectoryId,
    user: UserId,
) -> Result<bool, StoreError> {
    let n = trajectory_workers::Entity::delete_many()
        .filter(trajectory_workers::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .filter(trajectory_workers::Column::UserId.eq(user.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(n > 0)
}

pub async fn workers_of(tx: &Tx, trajectory: TrajectoryId) -> Result<Vec<WorkerRow>, StoreError> {
    static Q: Fixed = Fixed::new();
    let trajectory = trajectory.as_uuid();
    Ok(Q.models(tx, vec![trajectory.into()], || {
        trajectory_workers::Entity::find()
            .filter(trajectory_workers::Column::TrajectoryId.eq(trajectory))
            .order_by_asc(trajectory_workers::Column::AssignedOn)
            .order_by_asc(trajectory_workers::Column::UserId)
    })
    .await?
    .into_iter()
    .map(WorkerRow::from)
    .collect())
}

/// The trajectories a worker is assigned to (caseload), newest opened first.
pub async fn of_worker(tx: &Tx, user: UserId) -> Result<Vec<TrajectoryRow>, StoreError> {
    let assigned = Query::select()
        .column(trajectory_workers::Column::TrajectoryId)
        .from(trajectory_workers::Entity)
        .and_where(Expr::col(trajectory_workers::Column::UserId).eq(user.as_uuid()))
        .to_owned();
    Ok(trajectories::Entity::find()
        .filter(trajectories::Column::Id.in_subquery(assigned))
        .order_by_desc(trajectories::Column::OpenedOn)
        .order_by_asc(trajectories::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(TrajectoryRow::from)
        .collect())
}

/// Every (trajectory, worker) pair of a client's trajectories, for the access facts.
pub async fn worker_pairs_of_client(
    tx: &Tx,
    client: ClientId,
) -> Result<Vec<(TrajectoryId, UserId)>, StoreError> {
    worker_pairs_of_clients(tx, &[client]).await
}

/// [`worker_pairs_of_client`] for several clients at once (a search's results).
pub async fn worker_pairs_of_clients(
    tx: &Tx,
    clients: &[ClientId],
) -> Result<Vec<(TrajectoryId, UserId)>, StoreError> {
    if clients.is_empty() {
        return Ok(Vec::new());
    }
    let of_clients = Query::select()
        .column(trajectories::Column::Id)
        .from(trajectories::Entity)
        .and_where(
            Expr::col(trajectories::Column::ClientId).is_in(clients.iter().map(|c| c.as_uuid())),
        )
        .to_owned();
    Ok(trajectory_workers::Entity::find()
        .filter(trajectory_workers::Column::TrajectoryId.in_subquery(of_clients))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|w| {
            (
                TrajectoryId::from_uuid(w.trajectory_id),
                UserId::from_uuid(w.user_id),
            )
        })
        .collect())
}

/// Trajectories of a team and/or service type (a quality review's scope), at most
/// `limit`, newest opened first.
pub async fn in_scope(
    tx: &Tx,
    team: Option<&str>,
    service_type: Option<&str>,
    limit: u64,
) -> Result<Vec<TrajectoryRow>, StoreError> {
    let mut q = trajectories::Entity::find();
    if let Some(team) = team {
        q = q.filter(trajectories::Column::TeamCode.eq(team));
    }
    if let Some(st) = service_type {
        q = q.filter(trajectories::Column::ServiceType.eq(st));
    }
    Ok(q.order_by_desc(trajectories::Column::OpenedOn)
        .order_by_asc(trajectories::Column::Id)
        .limit(limit)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(TrajectoryRow::from)
        .collect())
}

/// Whether the user is assigned to the trajectory.
pub async fn is_worker_of_trajectory(
    tx: &Tx,
    user: UserId,
    trajectory: TrajectoryId,
) -> Result<bool, StoreError> {
    let n = trajectory_workers::Entity::find()
        .filter(trajectory_workers::Column::UserId.eq(user.as_uuid()))
        .filter(trajectory_workers::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .limit(1)
        .count(&tx.inner)
        .await?;
    Ok(n > 0)
}

/// Whether the user is assigned to any trajectory of the client.
pub async fn is_worker_of_client(
    tx: &Tx,
    user: UserId,
    client: ClientId,
) -> Result<bool, StoreError> {
    let of_client = Query::select()
        .column(trajectories::Column::Id)
        .from(trajectories::Entity)
        .and_where(Expr::col(trajectories::Column::ClientId).eq(client.as_uuid()))
        .to_owned();
    let n = trajectory_workers::Entity::find()
        .filter(trajectory_workers::Column::UserId.eq(user.as_uuid()))
        .filter(trajectory_workers::Column::TrajectoryId.in_subquery(of_client))
        .limit(1)
        .count(&tx.inner)
        .await?;
    Ok(n > 0)
}

/// Closes a trajectory on a date. [`StoreError::NotFound`] if there is none.
pub async fn close(tx: &Tx, id: TrajectoryId, on: NaiveDate) -> Result<(), StoreError> {
    update(tx, id, trajectories::Column::ClosedOn, Some(on).into()).await
}

/// Records the time of the latest change to the trajectory's dossier (retention terms
/// may run from it).
pub async fn touch_last_change(
    tx: &Tx,
    id: TrajectoryId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    update(
        tx,
        id,
        trajectories::Column::LastChangeAt,
        micros(at).into(),
    )
    .await
}

/// Sets (or clears) the date until which the trajectory's dossier is kept.
pub async fn set_retention_until(
    tx: &Tx,
    id: TrajectoryId,
    until: Option<NaiveDate>,
) -> Result<(), StoreError> {
    update(tx, id, trajectories::Column::RetentionUntil, until.into()).await
}

/// Sets closing date, last change and retention date at once (imports, demo load).
pub async fn set_closing(
    tx: &Tx,
    id: TrajectoryId,
    closed_on: NaiveDate,
    last_change_at: DateTime<Utc>,
    retention_until: Option<NaiveDate>,
) -> Result<(), StoreError> {
    let n = trajectories::Entity::update_many()
        .col_expr(trajectories::Column::ClosedOn, Expr::value(Some(closed_on)))
        .col_expr(
            trajectories::Column::LastChangeAt,
            Expr::value(micros(last_change_at)),
        )
        .col_expr(
            trajectories::Column::RetentionUntil,
            Expr::value(retention_until),
        )
        .filter(trajectories::Column::Id.eq(id.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Trajectories whose retention date is on or before `on`, in date order after the
/// given position: the retention job's work list (ids only).
pub async fn due_for_destruction(
    tx: &Tx,
    on: NaiveDate,
    limit: u64,
) -> Result<Vec<(TrajectoryId, ClientId, NaiveDate)>, StoreError> {
    let rows = trajectories::Entity::find()
        .select_only()
        .column(trajectories::Column::Id)
        .column(trajectories::Column::ClientId)
        .column(trajectories::Column::RetentionUntil)
        .filter(trajectories::Column::RetentionUntil.lte(on))
        .order_by_asc(trajectories::Column::RetentionUntil)
        .order_by_asc(trajectories::Column::Id)
        .limit(limit)
        .into_tuple::<(uuid::Uuid, uuid::Uuid, NaiveDate)>()
        .all(&tx.inner)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(t, c, d)| (TrajectoryId::from_uuid(t), ClientId::from_uuid(c), d))
        .collect())
}

async fn update(
    tx: &Tx,
    id: TrajectoryId,
    column: trajectories::Column,
    value: sea_orm::Value,
) -> Result<(), StoreError> {
    let n = trajectories::Entity::update_many()
        .col_expr(column, Expr::value(value))
        .filter(trajectories::Column::Id.eq(id.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Of the given clients, those with a trajectory the user is assigned to (one query for a
/// whole list of search candidates, instead of one per candidate).
pub async fn clients_with_worker(
    tx: &Tx,
    user: UserId,
    clients: &[ClientId],
) -> Result<std::collections::HashSet<ClientId>, StoreError> {
    if clients.is_empty() {
        return Ok(std::collections::HashSet::new());
    }
    let assigned = Query::select()
        .column(trajectory_workers::Column::TrajectoryId)
        .from(trajectory_workers::Entity)
        .and_where(Expr::col(trajectory_workers::Column::UserId).eq(user.as_uuid()))
        .to_owned();
    // Only the client ids: the search asks this for every candidate, and the rows
    // themselves are not needed.
    Ok(trajectories::Entity::find()
        .select_only()
        .column(trajectories::Column::ClientId)
        .filter(trajectories::Column::Id.in_subquery(assigned))
        .filter(trajectories::Column::ClientId.is_in(clients.iter().map(|c| c.as_uuid())))
        .into_tuple::<uuid::Uuid>()
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ClientId::from_uuid)
        .collect())
}

/// Of the given trajectories, those the user is assigned to (one query for all the
/// trajectories a search's results show).
pub async fn with_worker(
    tx: &Tx,
    user: UserId,
    trajectories: &[TrajectoryId],
) -> Result<std::collections::HashSet<TrajectoryId>, StoreError> {
    if trajectories.is_empty() {
        return Ok(std::collections::HashSet::new());
    }
    Ok(trajectory_workers::Entity::find()
        .filter(trajectory_workers::Column::UserId.eq(user.as_uuid()))
        .filter(
            trajectory_workers::Column::TrajectoryId
                .is_in(trajectories.iter().map(|t| t.as_uuid())),
        )
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|w| TrajectoryId::from_uuid(w.trajectory_id))
        .collect())
}
