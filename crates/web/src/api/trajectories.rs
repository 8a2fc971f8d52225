//! Trajectories through the API: opening a further one for a client, assigning a worker,
//! closing (work notes destroyed, DOS-2; retention date fixed, RET-1/RET-2).

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use zv_domain::{ClientId, TrajectoryId, UserId};

use super::auth::Caller;
use super::clients::{NewTrajectory, date};
use super::{ApiError, Created, JsonBody, created, no_content, ok, path_id};
use crate::state::AppState;

pub async fn open(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewTrajectory>,
) -> Result<Response, ApiError> {
    let client = path_id(&id).map(ClientId::from_uuid)?;
    let input = b.input()?;
    let trajectory = state
        .app
        .open_trajectory(caller.actor(), client, input)
        .await?;
    created(&Created {
        id: trajectory.as_uuid(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseTrajectory {
    closed_on: String,
}

#[derive(Serialize)]
struct ClosedTrajectory {
    retention_until: NaiveDate,
}

pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<CloseTrajectory>,
) -> Result<Response, ApiError> {
    let trajectory = path_id(&id).map(TrajectoryId::from_uuid)?;
    let closed_on = date("closed_on", &b.closed_on)?;
    let until = state
        .app
        .close_trajectory(caller.actor(), trajectory, closed_on)
        .await?;
    ok(&ClosedTrajectory {
        retention_until: until,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignWorker {
    user_id: uuid::Uuid,
}

pub async fn assign_worker(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<AssignWorker>,
) -> Result<Response, ApiError> {
    let trajectory = path_id(&id).map(TrajectoryId::from_uuid)?;
    state
        .app
        .assign_worker(caller.actor(), trajectory, UserId::from_uuid(b.user_id))
        .await?;
    no_content()
}

pub async fn unassign_worker(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<AssignWorker>,
) -> Result<Response, ApiError> {
    let trajectory = path_id(&id).map(TrajectoryId::from_uuid)?;
    state
        .app
        .unassign_worker(caller.actor(), trajectory, UserId::from_uuid(b.user_id))
        .await?;
    no_content()
}
