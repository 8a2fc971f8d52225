//! Withholdings (POR-2) and the requests and complaints filed from the portal (POR-4)
//! through the API: the same core calls as `pages::withholdings` and `pages::requests`,
//! so the same rules decide and the same audit events are written.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use zv_core::CoreError;
use zv_core::requests::{FiledLine, FiledStatus, RequestKind};
use zv_core::withholdings::{
    Ground, NewWithholding as CoreNewWithholding, OpenWithholding as CoreOpen, ReviewOutcome,
    Scope, WithholdingView,
};
use zv_domain::{EntryId, TrajectoryId};

use super::auth::Caller;
use super::{ApiError, Created, JsonBody, created, no_content, ok, path_id};
use crate::state::AppState;

#[derive(Serialize)]
struct Review {
    outcome: ReviewOutcome,
    note: Option<String>,
    by: uuid::Uuid,
    at: DateTime<Utc>,
}

/// A withholding with everything staff may see of it.
#[derive(Serialize)]
struct Withholding {
    id: uuid::Uuid,
    client: uuid::Uuid,
    trajectory: uuid::Uuid,
    entry: uuid::Uuid,
    scope: Scope,
    passage: Option<String>,
    ground: Ground,
    explanation: String,
    hide_fact: bool,
    created_by: uuid::Uuid,
    created_at: DateTime<Utc>,
    lifted_at: Option<DateTime<Utc>>,
    lifted_by: Option<uuid::Uuid>,
    lift_reason: Option<String>,
    review: Option<Review>,
    passage_found: Option<bool>,
}

impl std::fmt::Debug for Withholding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Withholding({}, ***)", self.id)
    }
}

impl From<&WithholdingView> for Withholding {
    fn from(w: &WithholdingView) -> Self {
        Self {
            id: w.id,
            client: w.client.as_uuid(),
            trajectory: w.trajectory.as_uuid(),
            entry: w.entry.as_uuid(),
            scope: w.scope,
            passage: w.passage.clone(),
            ground: w.ground,
            explanation: w.explanation.clone(),
            hide_fact: w.hide_fact,
            created_by: w.created_by.as_uuid(),
            created_at: w.created_at,
            lifted_at: w.lifted_at,
            lifted_by: w.lifted_by.map(|u| u.as_uuid()),
            lift_reason: w.lift_reason.clone(),
            review: w.review.as_ref().map(|r| Review {
                outcome: r.outcome,
                note: r.note.clone(),
                by: r.by.as_uuid(),
                at: r.at,
            }),
            passage_found: w.passage_found,
        }
    }
}

#[derive(Serialize)]
struct OpenWithholding {
    id: uuid::Uuid,
    client: uuid::Uuid,
    trajectory: uuid::Uuid,
    entry: uuid::Uuid,
    scope: Scope,
    ground: Ground,
    hide_fact: bool,
    created_by: uuid::Uuid,
    created_at: DateTime<Utc>,
    asked_to_lift_at: Option<DateTime<Utc>>,
}

impl From<&CoreOpen> for OpenWithholding {
    fn from(w: &CoreOpen) -> Self {
        Self {
            id: w.id,
            client: w.client.as_uuid(),
            trajectory: w.trajectory.as_uuid(),
            entry: w.entry.as_uuid(),
            scope: w.scope,
            ground: w.ground,
            hide_fact: w.hide_fact,
            created_by: w.created_by.as_uuid(),
            created_at: w.created_at,
            asked_to_lift_at: w.asked_to_lift_at,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewWithholding {
    scope: String,
    #[serde(default)]
    passage: Option<String>,
    ground: String,
    explanation: String,
    #[serde(default)]
    hide_fact: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiftWithholding {
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithholdingReview {
    outcome: String,
    #[serde(default)]
    note: Option<String>,
}

pub async fn of_trajectory(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let trajectory = path_id(&id).map(TrajectoryId::from_uuid)?;
    let list = state
        .app
        .trajectory_withholdings(caller.actor(), trajectory)
        .await?;
    ok(&list.iter().map(Withholding::from).collect::<Vec<_>>())
}

pub async fn withhold(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewWithholding>,
) -> Result<Response, ApiError> {
    let entry = path_id(&id).map(EntryId::from_uuid)?;
    let scope = Scope::from_code(b.scope.trim())
        .ok_or_else(|| CoreError::invalid("scope", "entry or passage"))?;
    let ground = Ground::from_code(b.ground.trim()).ok_or_else(|| {
        CoreError::invalid(
            "ground",
            "others_data, protection_of_others, prevention_of_crime or safety",
        )
    })?;
    let id = state
        .app
        .withhold(
            caller.actor(),
            entry,
            CoreNewWithholding {
                scope,
                passage: b.passage,
                ground,
                explanation: b.explanation,
                hide_fact: b.hide_fact,
            },
        )
        .await?;
    created(&Created { id })
}

pub async fn lift(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<LiftWithholding>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state
        .app
        .lift_withholding(caller.actor(), id, &b.reason)
        .await?;
    no_content()
}

pub async fn to_review(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let open = state.app.withholdings_to_review(caller.actor()).await?;
    ok(&open.iter().map(OpenWithholding::from).collect::<Vec<_>>())
}

pub async fn for_review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let w = state.app.withholding_for_review(caller.actor(), id).await?;
    ok(&Withholding::from(&w))
}

pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<WithholdingReview>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let outcome = ReviewOutcome::from_code(b.outcome.trim())
        .ok_or_else(|| CoreError::invalid("outcome", "agree or ask_to_lift"))?;
    state
        .app
        .review_withholding(
            caller.actor(),
            id,
            outcome,
            b.note.as_deref().unwrap_or_default(),
        )
        .await?;
    no_content()
}

/// A request or complaint filed, without what the client wrote.
#[derive(Debug, Serialize)]
struct Filed {
    id: uuid::Uuid,
    reference: String,
    /// `rights_request` or `complaint`.
    filing: &'static str,
    kind: Option<RequestKind>,
    client: uuid::Uuid,
    channel: String,
    received_on: NaiveDate,
    status: FiledStatus,
    trajectories: Vec<uuid::Uuid>,
    created_at: DateTime<Utc>,
}

impl From<&FiledLine> for Filed {
    fn from(f: &FiledLine) -> Self {
        Self {
            id: f.id,
            reference: f.reference.clone(),
            filing: if f.kind.is_some() {
                "rights_request"
            } else {
                "complaint"
            },
            kind: f.kind,
            client: f.client.as_uuid(),
            channel: f.channel.clone(),
            received_on: f.received_on,
            status: f.status,
            trajectories: f.trajectories.iter().map(|t| t.as_uuid()).collect(),
            created_at: f.created_at,
        }
    }
}

#[derive(Serialize)]
struct FiledDetail {
    filed: Filed,
    /// A parent or legal representative filed it for the client (RTS-1, MIN-1..4).
    filed_by_related_person: bool,
    client_name: String,
    subject: Option<String>,
    text: String,
}

pub async fn requests(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let filed = state.app.filed_requests(caller.actor()).await?;
    ok(&filed.iter().map(Filed::from).collect::<Vec<_>>())
}

pub async fn request(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let f = state.app.filed_request(caller.actor(), id).await?;
    ok(&FiledDetail {
        filed: Filed::from(&f.detail.line),
        filed_by_related_person: f.detail.line.filed_by_related_person,
        client_name: f.client_name,
        subject: f.detail.subject,
        text: f.detail.text,
    })
}
