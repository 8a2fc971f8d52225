//! What a granted rights request does, through the API: rectification (RTS-5),
//! restriction with the notice before lifting (RTS-7), the objection's balancing (RTS-9)
//! and the withdrawal of consent (RTS-10). The same core calls as
//! `pages::rights_effects`, so the same rules decide and the same events are recorded.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use zv_core::CoreError;
use zv_core::api_tokens::Scope;
use zv_core::processing_stops::{
    ClientStops, NoticeChannel, ObjectionInput, ObjectionOutcome, RestrictionGround,
    RestrictionInput, WithdrawalInput,
};
use zv_core::rectification::{RectificationInput, Rectifications, RectifiedField};
use zv_domain::{ClientId, TrajectoryId};

use super::auth::Caller;
use super::{
    ApiError, Auth, Created, Endpoint, JsonBody, RequestBody, Success, Verb, created, no_content,
    ok, path_id,
};
use crate::state::AppState;

const READ: Auth = Auth::Scope(Scope::Read);
const WRITE: Auth = Auth::Scope(Scope::Write);

/// The operations of this module, listed in the one table of the API.
pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/clients/{id}/rectifications",
            auth: READ,
            operation_id: "rectificationsOfClient",
            tag: "rights_effects",
            summary: "The corrections of the client's factual data: field, old and new value, reason, who and when (RTS-5; a recorded read), and the earlier recipients to tell",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::Ok("Rectifications"),
            errors: &[404],
            handler: || get(rectifications),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/rectifications",
            auth: WRITE,
            operation_id: "rectify",
            tag: "rights_effects",
            summary: "Correct the client's name, address or birth date with a reason (RTS-5): the old value is kept, search and age rules follow at once",
            id_of: Some("client"),
            query: &[],
            body: B::Json("RectificationInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(rectify),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/clients/{id}/processing-stops",
            auth: READ,
            operation_id: "processingStopsOfClient",
            tag: "rights_effects",
            summary: "Every freeze of the client's trajectories (restriction, upheld objection, withdrawn consent) with notice and lift, every objection decision and withdrawal of consent (a recorded read)",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::Ok("ProcessingStops"),
            errors: &[404],
            handler: || get(stops),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/restrictions",
            auth: WRITE,
            operation_id: "restrictProcessing",
            tag: "rights_effects",
            summary: "Freeze some or all of the client's trajectories on a ground of art. 18 (RTS-7; the privacy officer): readable, not changed, not exported",
            id_of: Some("client"),
            query: &[],
            body: B::Json("RestrictionInput"),
            success: S::Created("CreatedMany"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(restrict),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/processing-stops/{id}/notice",
            auth: WRITE,
            operation_id: "recordStopNotice",
            tag: "rights_effects",
            summary: "Record that the client was told, on a date and how, that the freeze will be lifted (art. 18(3)); the condition for lifting",
            id_of: Some("processing stop"),
            query: &[],
            body: B::Json("StopNoticeInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(notice),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/processing-stops/{id}/lift",
            auth: WRITE,
            operation_id: "liftStop",
            tag: "rights_effects",
            summary: "Lift a freeze with a reason, only after the notice to the client is recorded (409 before)",
            id_of: Some("processing stop"),
            query: &[],
            body: B::Json("LiftStopInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(lift),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/trajectories/{id}/objection-decisions",
            auth: WRITE,
            operation_id: "decideObjection",
            tag: "rights_effects",
            summary: "Record the balancing of an objection (RTS-9; the privacy officer): only against public task or legitimate interest (422 otherwise); upheld freezes the trajectory",
            id_of: Some("trajectory"),
            query: &[],
            body: B::Json("ObjectionInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(objection),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/consent-withdrawals",
            auth: WRITE,
            operation_id: "withdrawConsent",
            tag: "rights_effects",
            summary: "Register a withdrawal of consent (RTS-10): at once every consent-based trajectory is frozen and the parents' consents the young person gave end",
            id_of: Some("client"),
            query: &[],
            body: B::Json("WithdrawalInput"),
            success: S::Created("WithdrawalOutcome"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(withdraw),
        },
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RectifyBody {
    field: String,
    value: String,
    reason: String,
    #[serde(default)]
    request: Option<uuid::Uuid>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestrictBody {
    #[serde(default)]
    trajectories: Vec<uuid::Uuid>,
    ground: String,
    reason: String,
    #[serde(default)]
    request: Option<uuid::Uuid>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeBody {
    notice_on: chrono::NaiveDate,
    how: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiftBody {
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectionBody {
    situation: String,
    grounds: String,
    outcome: String,
    #[serde(default)]
    request: Option<uuid::Uuid>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawBody {
    withdrawn_on: chrono::NaiveDate,
    #[serde(default)]
    request: Option<uuid::Uuid>,
}

#[derive(Serialize)]
struct CreatedMany {
    ids: Vec<uuid::Uuid>,
}

fn client_of(raw: &str) -> Result<ClientId, ApiError> {
    path_id(raw).map(ClientId::from_uuid)
}

pub async fn rectifications(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let r: Rectifications = state
        .app
        .rectifications(caller.actor(), client_of(&id)?)
        .await?;
    ok(&r)
}

pub async fn rectify(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<RectifyBody>,
) -> Result<Response, ApiError> {
    let client = client_of(&id)?;
    let field = RectifiedField::from_code(b.field.trim())
        .ok_or_else(|| CoreError::invalid("field", "name, address or birth_date"))?;
    let id = state
        .app
        .rectify(
            caller.actor(),
            client,
            RectificationInput {
                field,
                value: b.value,
                reason: b.reason,
                request: b.request,
            },
        )
        .await?;
    created(&Created { id })
}

pub async fn stops(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let s: ClientStops = state
        .app
        .processing_stops_of_client(caller.actor(), client_of(&id)?)
        .await?;
    ok(&s)
}

pub async fn restrict(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<RestrictBody>,
) -> Result<Response, ApiError> {
    let client = client_of(&id)?;
    let ground = RestrictionGround::from_code(b.ground.trim()).ok_or_else(|| {
        CoreError::invalid(
            "ground",
            "contested_accuracy, unlawful_processing, legal_claims or pending_objection",
        )
    })?;
    let ids = state
        .app
        .restrict_processing(
            caller.actor(),
            client,
            RestrictionInput {
                trajectories: b
                    .trajectories
                    .into_iter()
                    .map(TrajectoryId::from_uuid)
                    .collect(),
                ground,
                reason: b.reason,
                request: b.request,
            },
        )
        .await?;
    created(&CreatedMany { ids })
}

pub async fn notice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NoticeBody>,
) -> Result<Response, ApiError> {
    let stop = path_id(&id)?;
    let how = NoticeChannel::from_code(b.how.trim())
        .ok_or_else(|| CoreError::invalid("how", "letter, email, phone, in_person or portal"))?;
    state
        .app
        .record_stop_notice(caller.actor(), stop, b.notice_on, how)
        .await?;
    no_content()
}

pub async fn lift(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<LiftBody>,
) -> Result<Response, ApiError> {
    let stop = path_id(&id)?;
    state.app.lift_stop(caller.actor(), stop, &b.reason).await?;
    no_content()
}

pub async fn objection(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ObjectionBody>,
) -> Result<Response, ApiError> {
    let trajectory = path_id(&id).map(TrajectoryId::from_uuid)?;
    let outcome = ObjectionOutcome::from_code(b.outcome.trim())
        .ok_or_else(|| CoreError::invalid("outcome", "upheld or rejected"))?;
    let id = state
        .app
        .decide_objection(
            caller.actor(),
            trajectory,
            ObjectionInput {
                situation: b.situation,
                grounds: b.grounds,
                outcome,
                request: b.request,
            },
        )
        .await?;
    created(&Created { id })
}

pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<WithdrawBody>,
) -> Result<Response, ApiError> {
    let client = client_of(&id)?;
    let outcome = state
        .app
        .withdraw_consent(
            caller.actor(),
            client,
            WithdrawalInput {
                withdrawn_on: b.withdrawn_on,
                request: b.request,
            },
        )
        .await?;
    created(&outcome)
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut serde_json::Map<String, serde_json::Value>) {
    use serde_json::json;
    let uuid = json!({"type": "string", "format": "uuid"});
    let nullable_uuid = json!({"type": ["string", "null"], "format": "uuid"});
    let instant = json!({"type": "string", "format": "date-time"});
    let nullable_instant = json!({"type": ["string", "null"], "format": "date-time"});
    let date = json!({"type": "string", "format": "date"});
    let nullable_date = json!({"type": ["string", "null"], "format": "date"});
    let codes = |all: Vec<&'static str>| json!({"type": "string", "enum": all});
    let nullable_codes = |all: Vec<&'static str>| {
        let mut all: Vec<serde_json::Value> = all.into_iter().map(|c| json!(c)).collect();
        all.push(serde_json::Value::Null);
        json!({"type": ["string", "null"], "enum": all})
    };
    let fields: Vec<&str> = RectifiedField::ALL.iter().map(|f| f.code()).collect();
    let grounds: Vec<&str> = RestrictionGround::ALL.iter().map(|g| g.code()).collect();
    let channels: Vec<&str> = NoticeChannel::ALL.iter().map(|c| c.code()).collect();
    let outcomes: Vec<&str> = ObjectionOutcome::ALL.iter().map(|o| o.code()).collect();
    let kinds: Vec<&str> = zv_core::processing_stops::StopKind::ALL
        .iter()
        .map(|k| k.code())
        .collect();
    let text = |d: &str| json!({"type": "string", "description": d});
    s.insert(
        "Rectifications".into(),
        json!({
            "type": "object",
            "properties": {
                "history": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "id": uuid,
                        "field": codes(RectifiedField::IN_HISTORY.iter().map(|f| f.code()).collect()),
                        "related_person": {"type": ["string", "null"], "format": "uuid", "description": "The child whose birth date was corrected (field child_birth_date)"},
                        "old_value": {"type": ["string", "null"]},
                        "new_value": {"type": ["string", "null"]},
                        "values_withheld": {"type": "boolean", "description": "A confidential address this caller may not see"},
                        "reason": {"type": "string"},
                        "request": nullable_uuid,
                        "corrected_by": uuid,
                        "corrected_by_name": {"type": "string"},
                        "corrected_at": instant,
                    },
                    "required": ["id", "field", "related_person", "old_value", "new_value", "values_withheld", "reason",
                        "request", "corrected_by", "corrected_by_name", "corrected_at"],
                    "additionalProperties": false,
                }},
                "may_rectify": {"type": "boolean"},
                "recipients": {"type": "array", "items": {"type": "string"}, "description": "Earlier recipients of the data, to be told of the correction (art. 19)"},
                "recipients_recorded": {"type": "boolean", "description": "False while nothing records disclosures: the empty list then means no record, not no recipients"},
            },
            "required": ["history", "may_rectify", "recipients", "recipients_recorded"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "RectificationInput".into(),
        json!({
            "type": "object",
            "properties": {
                "field": codes(fields),
                "value": text("The correct value; a birth date as YYYY-MM-DD"),
                "reason": text("Why the recorded value was wrong; at least 10 characters"),
                "request": nullable_uuid,
            },
            "required": ["field", "value", "reason"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ProcessingStops".into(),
        json!({
            "type": "object",
            "properties": {
                "trajectories": {"type": "array", "items": {"type": "object", "description": "A trajectory without content, with its freeze in force"}},
                "stops": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "id": uuid,
                        "trajectory": uuid,
                        "kind": codes(kinds.clone()),
                        "ground": nullable_codes(grounds.clone()),
                        "request": nullable_uuid,
                        "objection": nullable_uuid,
                        "reason": {"type": "string"},
                        "started_by": uuid,
                        "started_at": instant,
                        "notice_on": nullable_date,
                        "notice_how": nullable_codes(channels.clone()),
                        "notice_by": nullable_uuid,
                        "lifted_by": nullable_uuid,
                        "lifted_at": nullable_instant,
                        "lift_reason": {"type": ["string", "null"]},
                    },
                    "required": ["id", "trajectory", "kind", "ground", "request", "objection", "reason",
                        "started_by", "started_at", "notice_on", "notice_how", "notice_by",
                        "lifted_by", "lifted_at", "lift_reason"],
                    "additionalProperties": false,
                }},
                "objections": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "id": uuid,
                        "trajectory": uuid,
                        "request": nullable_uuid,
                        "legal_basis": {"type": "string"},
                        "situation": {"type": "string"},
                        "grounds": {"type": "string"},
                        "outcome": codes(outcomes.clone()),
                        "decided_by": uuid,
                        "decided_at": instant,
                    },
                    "required": ["id", "trajectory", "request", "legal_basis", "situation", "grounds",
                        "outcome", "decided_by", "decided_at"],
                    "additionalProperties": false,
                }},
                "withdrawals": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "id": uuid,
                        "request": nullable_uuid,
                        "withdrawn_on": date,
                        "trajectories_frozen": {"type": "integer"},
                        "consents_ended": {"type": "integer"},
                        "registered_by": uuid,
                        "registered_at": instant,
                    },
                    "required": ["id", "request", "withdrawn_on", "trajectories_frozen",
                        "consents_ended", "registered_by", "registered_at"],
                    "additionalProperties": false,
                }},
                "names": {"type": "object", "additionalProperties": {"type": "string"}},
                "may_freeze": {"type": "boolean"},
                "may_withdraw": {"type": "boolean"},
            },
            "required": ["trajectories", "stops", "objections", "withdrawals", "names",
                "may_freeze", "may_withdraw"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "RestrictionInput".into(),
        json!({
            "type": "object",
            "properties": {
                "trajectories": {"type": "array", "items": uuid, "description": "The trajectories to freeze; empty or absent is all of the client's"},
                "ground": codes(grounds),
                "reason": text("At least 10 characters"),
                "request": nullable_uuid,
            },
            "required": ["ground", "reason"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "StopNoticeInput".into(),
        json!({
            "type": "object",
            "properties": {"notice_on": date, "how": codes(channels)},
            "required": ["notice_on", "how"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "LiftStopInput".into(),
        json!({
            "type": "object",
            "properties": {"reason": text("At least 10 characters")},
            "required": ["reason"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ObjectionInput".into(),
        json!({
            "type": "object",
            "properties": {
                "situation": text("The client's particular situation; at least 10 characters"),
                "grounds": text("The organisation's grounds weighed against it; at least 10 characters"),
                "outcome": codes(outcomes),
                "request": nullable_uuid,
            },
            "required": ["situation", "grounds", "outcome"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "WithdrawalInput".into(),
        json!({
            "type": "object",
            "properties": {"withdrawn_on": date, "request": nullable_uuid},
            "required": ["withdrawn_on"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "WithdrawalOutcome".into(),
        json!({
            "type": "object",
            "properties": {
                "id": uuid,
                "frozen": {"type": "array", "items": uuid},
                "consents_ended": {"type": "integer"},
            },
            "required": ["id", "frozen", "consents_ended"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "CreatedMany".into(),
        json!({
            "type": "object",
            "properties": {"ids": {"type": "array", "items": uuid}},
            "required": ["ids"],
            "additionalProperties": false,
        }),
    );
}
