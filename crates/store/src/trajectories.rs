//! Trajectory rows and worker assignments: metadata only, no dossier content.

use chrono::{DateTime, NaiveDate, Utc};
use zv_domain::{ClientId, TrajectoryId, UserId};

use crate::dialect::{exec, query, query_one};
use crate::rows::{NewTrajectory, TrajectoryRow, get};
use crate::{StoreError, Tx};

pub(crate) const INSERT: &str = "INSERT INTO trajectories (id, client_id, service_type, branch_code, team_code, domestic_violence, opened_on, closed_on, last_change_at, retention_until, created_at) VALUES ";
pub(crate) const PLACEHOLDERS: &str = "(?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?)";

pub(crate) fn values(t: &NewTrajectory) -> Vec<sea_orm::Value> {
    vec![
        t.id.as_uuid().into(),
        t.client_id.as_uuid().into(),
        t.service_type.clone().into(),
        t.branch_code.clone().into(),
        t.team_code.clone().into(),
        t.domestic_violence.into(),
        t.opened_on.into(),
        t.created_at.into(),
        t.created_at.into(),
    ]
}

fn row(r: &sea_orm::QueryResult) -> Result<TrajectoryRow, StoreError> {
    Ok(TrajectoryRow {
        id: TrajectoryId::from_uuid(get(r, "id")?),
        client_id: ClientId::from_uuid(get(r, "client_id")?),
        service_type: get(r, "service_type")?,
        branch_code: get(r, "branch_code")?,
        team_code: get(r, "team_code")?,
        domestic_violence: get(r, "domestic_violence")?,
        opened_on: get(r, "opened_on")?,
        closed_on: get(r, "closed_on")?,
        last_change_at: get(r, "last_change_at")?,
        retention_until: get(r, "retention_until")?,
        created_at: get(r, "created_at")?,
    })
}

pub async fn insert(tx: &Tx, t: &NewTrajectory) -> Result<(), StoreError> {
    exec(tx, &format!("{INSERT}{PLACEHOLDERS}"), values(t)).await?;
    Ok(())
}

pub async fn get_meta(tx: &Tx, id: TrajectoryId) -> Result<Option<TrajectoryRow>, StoreError> {
    query_one(
        tx,
        "SELECT * FROM trajectories WHERE id = ?",
        vec![id.as_uuid().into()],
    )
    .await?
    .as_ref()
    .map(row)
    .transpose()
}

pub async fn of_client(tx: &Tx, client: ClientId) -> Result<Vec<TrajectoryRow>, StoreError> {
    query(
        tx,
        "SELECT * FROM trajectories WHERE client_id = ? ORDER BY opened_on",
        vec![client.as_uuid().into()],
    )
    .await?
    .iter()
    .map(row)
    .collect()
}

pub async fn assign_worker(
    tx: &Tx,
    trajectory: TrajectoryId,
    user: UserId,
    on: NaiveDate,
) -> Result<(), StoreError> {
    exec(tx, "INSERT INTO trajectory_workers (trajectory_id, user_id, assigned_on) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", vec![trajectory.as_uuid().into(), user.as_uuid().into(), on.into()]).await?;
    Ok(())
}

pub async fn is_worker_of_client(
    tx: &Tx,
    user: UserId,
    client: ClientId,
) -> Result<bool, StoreError> {
    Ok(query_one(tx, "SELECT 1 AS one FROM trajectory_workers w JOIN trajectories t ON t.id = w.trajectory_id WHERE w.user_id = ? AND t.client_id = ? LIMIT 1", vec![user.as_uuid().into(), client.as_uuid().into()]).await?.is_some())
}

pub async fn close(tx: &Tx, id: TrajectoryId, on: NaiveDate) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE trajectories SET closed_on = ? WHERE id = ?",
        vec![on.into(), id.as_uuid().into()],
    )
    .await?;
    Ok(())
}

pub async fn set_retention_until(
    tx: &Tx,
    id: TrajectoryId,
    until: Option<NaiveDate>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE trajectories SET retention_until = ? WHERE id = ?",
        vec![until.into(), id.as_uuid().into()],
    )
    .await?;
    Ok(())
}

pub async fn touch_last_change(
    tx: &Tx,
    id: TrajectoryId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE trajectories SET last_change_at = ? WHERE id = ?",
        vec![at.into(), id.as_uuid().into()],
    )
    .await?;
    Ok(())
}
