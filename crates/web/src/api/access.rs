//! Access beyond one's caseload through the API (ACC-3..6): emergency access, complaints
//! with their handler's access, substitutes, quality reviews, one's own grants, and the
//! privacy officer's register. The same core calls as `pages::access`.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zv_core::CoreError;
use zv_core::grants::{GrantView, ReviewScope};
use zv_domain::{TrajectoryId, UserId};

use super::auth::Caller;
use super::clients::date;
use super::{ApiError, Created, JsonBody, created, no_content, ok, path_id};
use crate::state::AppState;

#[derive(Serialize)]
struct Grant {
    id: uuid::Uuid,
    kind: String,
    holder: uuid::Uuid,
    trajectory: Option<uuid::Uuid>,
    absent_user: Option<uuid::Uuid>,
    scope_team: Option<String>,
    scope_service_type: Option<String>,
    purpose: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
    granted_by: Option<uuid::Uuid>,
    reviewed_at: Option<DateTime<Utc>>,
    active: bool,
}

impl From<&GrantView> for Grant {
    fn from(g: &GrantView) -> Self {
        Self {
            id: g.id,
            kind: g.kind.clone(),
            holder: g.holder.as_uuid(),
            trajectory: g.trajectory.map(|t| t.as_uuid()),
            absent_user: g.absent_user.map(|u| u.as_uuid()),
            scope_team: g.scope_team.clone(),
            scope_service_type: g.scope_service_type.clone(),
            purpose: g.purpose.clone(),
            starts_at: g.starts_at,
            ends_at: g.ends_at,
            ended_at: g.ended_at,
            granted_by: g.granted_by.map(|u| u.as_uuid()),
            reviewed_at: g.reviewed_at,
            active: g.active,
        }
    }
}

fn grants(list: &[GrantView]) -> Vec<Grant> {
    list.iter().map(Grant::from).collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyAccess {
    reason: String,
    hours: u32,
}

pub async fn break_the_glass(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<EmergencyAccess>,
) -> Result<Response, ApiError> {
    let trajectory = path_id(&id).map(TrajectoryId::from_uuid)?;
    let grant = state
        .app
        .break_the_glass(caller.actor(), trajectory, &b.reason, b.hours)
        .await?;
    created(&Created { id: grant })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewComplaint {
    received_on: String,
    channel: String,
    subject: String,
    ends_on: String,
}

pub async fn register_complaint(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewComplaint>,
) -> Result<Response, ApiError> {
    let trajectory = path_id(&id).map(TrajectoryId::from_uuid)?;
    let received = date("received_on", &b.received_on)?;
    let ends = date("ends_on", &b.ends_on)?;
    let complaint = state
        .app
        .register_complaint(
            caller.actor(),
            trajectory,
            received,
            b.channel.trim(),
            &b.subject,
            ends,
        )
        .await?;
    created(&Created { id: complaint })
}

pub async fn close_complaint(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state.app.close_complaint(caller.actor(), id).await?;
    no_content()
}

pub async fn my_grants(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let mine = state.app.my_grants(caller.actor()).await?;
    ok(&grants(&mine))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSubstitute {
    absent: uuid::Uuid,
    substitute: uuid::Uuid,
    ends_on: String,
    reason: String,
}

pub async fn set_substitute(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<NewSubstitute>,
) -> Result<Response, ApiError> {
    let ends = date("ends_on", &b.ends_on)?;
    let grant = state
        .app
        .set_substitute(
            caller.actor(),
            UserId::from_uuid(b.absent),
            UserId::from_uuid(b.substitute),
            ends,
            &b.reason,
        )
        .await?;
    created(&Created { id: grant })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewQualityReview {
    reviewer: uuid::Uuid,
    #[serde(default)]
    team: Option<String>,
    #[serde(default)]
    service_type: Option<String>,
    ends_on: String,
    purpose: String,
}

pub async fn start_review(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<NewQualityReview>,
) -> Result<Response, ApiError> {
    let ends = date("ends_on", &b.ends_on)?;
    let non_empty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let scope = ReviewScope {
        team: non_empty(b.team),
        service_type: non_empty(b.service_type),
    };
    let grant = state
        .app
        .start_quality_review(
            caller.actor(),
            UserId::from_uuid(b.reviewer),
            scope,
            ends,
            &b.purpose,
        )
        .await?;
    created(&Created { id: grant })
}

pub async fn end_grant(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state.app.end_grant(caller.actor(), id).await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterQuery {
    #[serde(default)]
    kind: Option<String>,
}

pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<RegisterQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|_| ApiError::Invalid {
        field: "query",
        message: "the only parameter is kind",
    })?;
    let kind = q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty());
    if let Some(k) = kind
        && !["complaint", "quality_review", "substitute", "emergency"].contains(&k)
    {
        return Err(CoreError::invalid("kind", "unknown kind of grant").into());
    }
    let all = state.app.all_grants(caller.actor(), kind).await?;
    ok(&grants(&all))
}

pub async fn review_grant(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state.app.review_grant(caller.actor(), id).await?;
    no_content()
}
