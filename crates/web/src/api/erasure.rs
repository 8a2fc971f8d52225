//! Erasure requests (RTS-6) through the API: the parts of a request with the
//! assessment's proposals, the privacy officer's decision (the granted trajectories are
//! destroyed and the outcome recorded), and the last step that destroys the client's own
//! record. The same core calls as `pages::erasure`, so the same rules decide and the
//! same events are recorded.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use zv_core::erasure::{
    ErasureInput, ErasurePlan, ErasureSubmit, PartChoice, PartDecision, PartIssue, PartKind,
    PartProblem, ReasonCode,
};
use zv_core::{CoreError, api_tokens::Scope};

use super::auth::Caller;
use super::{
    ApiError, Auth, Endpoint, JsonBody, QueryParam, RequestBody, Success, Verb, no_content, ok,
    path_id,
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
            path: "/requests/{id}/erasure",
            auth: READ,
            operation_id: "erasurePlan",
            tag: "erasure",
            summary: "The parts of an erasure request with the assessment's proposal and reason per part, or once decided the decisions with what is destroyed and what is pending (RTS-6; the privacy officer; a recorded read)",
            id_of: Some("rights request"),
            query: &[QueryParam {
                name: "jeugdwet_request",
                format: "boolean",
                description: "Assess as a destruction request under the Jeugdwet (art. 7.3.9)",
            }],
            body: B::None,
            success: S::Ok("ErasurePlan"),
            errors: &[404],
            handler: || get(plan),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/erasure",
            auth: WRITE,
            operation_id: "decideErasure",
            tag: "erasure",
            summary: "Decide every part (against a proposal only with a reason; never a grant under a legal retention duty or a hold: 422 per part, nothing changed); the granted trajectories are destroyed and the outcome recorded. Submitting again finishes what an interruption left pending",
            id_of: Some("rights request"),
            query: &[],
            body: B::Json("ErasureInput"),
            success: S::Ok("ErasureReport"),
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(decide),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/erasure/client-record",
            auth: WRITE,
            operation_id: "destroyErasedClient",
            tag: "erasure",
            summary: "The last step of a granted erasure of everything: after the answer is recorded as sent, destroy the client's own record; the request remains as proof without personal data",
            id_of: Some("rights request"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(client_record),
        },
    ]
}

#[derive(Deserialize)]
pub struct PlanQuery {
    #[serde(default)]
    jeugdwet_request: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartBody {
    kind: String,
    subject: uuid::Uuid,
    decision: String,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideBody {
    #[serde(default)]
    jeugdwet_request: bool,
    answer_sent_on: chrono::NaiveDate,
    parts: Vec<PartBody>,
}

#[derive(Serialize)]
struct RefusedBody {
    error: &'static str,
    field: &'static str,
    message: &'static str,
    parts: Vec<PartIssue>,
}

pub async fn plan(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Result<Response, ApiError> {
    let p: ErasurePlan = state
        .app
        .erasure_plan(
            caller.actor(),
            path_id(&id)?,
            q.jeugdwet_request.unwrap_or(false),
        )
        .await?;
    ok(&p)
}

pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<DecideBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let parts = b
        .parts
        .into_iter()
        .map(|p| {
            Ok(PartChoice {
                kind: PartKind::from_code(p.kind.trim())
                    .ok_or_else(|| CoreError::invalid("parts", "kind is trajectory or client"))?,
                subject: p.subject,
                decision: PartDecision::from_code(p.decision.trim()),
                reason: p.reason,
            })
        })
        .collect::<Result<Vec<_>, CoreError>>()?;
    let submitted = state
        .app
        .decide_erasure(
            caller.actor(),
            id,
            ErasureInput {
                jeugdwet_request: b.jeugdwet_request,
                parts,
                answer_sent_on: b.answer_sent_on,
            },
        )
        .await?;
    match submitted {
        ErasureSubmit::Done(report) => ok(&report),
        ErasureSubmit::Refused(issues) => {
            let body = serde_json::to_vec(&RefusedBody {
                error: "invalid",
                field: "parts",
                message: "a part's decision was refused; see parts; nothing was changed",
                parts: issues,
            })
            .map_err(|e| CoreError::Internal(format!("erasure refusal: {e}")))?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                body,
            )
                .into_response())
        }
    }
}

pub async fn client_record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .app
        .destroy_erased_client(caller.actor(), path_id(&id)?)
        .await?;
    no_content()
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut serde_json::Map<String, serde_json::Value>) {
    use serde_json::json;
    let uuid = json!({"type": "string", "format": "uuid"});
    let date = json!({"type": "string", "format": "date"});
    let nullable_date = json!({"type": ["string", "null"], "format": "date"});
    let nullable_instant = json!({"type": ["string", "null"], "format": "date-time"});
    let codes = |all: Vec<&'static str>| json!({"type": "string", "enum": all});
    let nullable_codes = |all: Vec<&'static str>| {
        let mut all: Vec<serde_json::Value> = all.into_iter().map(|c| json!(c)).collect();
        all.push(serde_json::Value::Null);
        json!({"type": ["string", "null"], "enum": all})
    };
    let kinds: Vec<&str> = PartKind::ALL.iter().map(|k| k.code()).collect();
    let decisions: Vec<&str> = PartDecision::ALL.iter().map(|d| d.code()).collect();
    let reasons: Vec<&str> = ReasonCode::ALL.iter().map(|r| r.code()).collect();
    let outcomes: Vec<&str> = zv_core::requests::Outcome::ALL
        .iter()
        .map(|o| o.code())
        .collect();
    let problems: Vec<String> = [
        PartProblem::DecisionRequired,
        PartProblem::ReasonRequired,
        PartProblem::ReasonLength,
        PartProblem::GrantForbidden,
    ]
    .iter()
    .filter_map(|p| serde_json::to_value(p).ok())
    .filter_map(|v| v.as_str().map(str::to_owned))
    .collect();
    let proposal = json!({
        "type": "object",
        "properties": {
            "decision": codes(decisions.clone()),
            "reason": codes(reasons.clone()),
            "destroy_by": nullable_date,
            "binding": {"type": "boolean", "description": "A legal retention duty or a hold: the part cannot be granted"},
        },
        "required": ["decision", "reason", "destroy_by", "binding"],
        "additionalProperties": false,
    });
    s.insert(
        "ErasurePlan".into(),
        json!({
            "type": "object",
            "properties": {
                "request": uuid,
                "reference": {"type": "string"},
                "client": {"type": ["string", "null"], "format": "uuid"},
                "received_on": date,
                "jeugdwet_request": {"type": "boolean"},
                "identity_recorded": {"type": "boolean"},
                "decided": {"type": "boolean"},
                "outcome": nullable_codes(outcomes.clone()),
                "parts": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "kind": codes(kinds.clone()),
                        "subject": uuid,
                        "service_type": {"type": ["string", "null"]},
                        "opened_on": nullable_date,
                        "proposal": proposal,
                        "decision": nullable_codes(decisions.clone()),
                        "reason_code": nullable_codes(reasons),
                        "reason": {"type": ["string", "null"]},
                        "destroyed_at": nullable_instant,
                        "pending": {"type": "boolean", "description": "Granted and not yet destroyed"},
                        "destruction": {"type": ["object", "null"], "description": "The destruction record this erasure left (rule, reason, at, rows): no personal data"},
                    },
                    "required": ["kind", "subject", "service_type", "opened_on", "proposal", "decision",
                        "reason_code", "reason", "destroyed_at", "pending", "destruction"],
                    "additionalProperties": false,
                }},
                "client_record_pending": {"type": "boolean"},
                "proof": {"type": ["object", "null"], "description": "What remains once the client's record is destroyed: reference, dates and outcome"},
            },
            "required": ["request", "reference", "client", "received_on", "jeugdwet_request",
                "identity_recorded", "decided", "outcome", "parts", "client_record_pending", "proof"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ErasureInput".into(),
        json!({
            "type": "object",
            "properties": {
                "jeugdwet_request": {"type": "boolean"},
                "answer_sent_on": date,
                "parts": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "kind": codes(kinds.clone()),
                        "subject": uuid,
                        "decision": codes(decisions),
                        "reason": {"type": "string", "description": "Required against the proposal; 10 to 2000 characters, without others' personal data"},
                    },
                    "required": ["kind", "subject", "decision"],
                    "additionalProperties": false,
                }},
            },
            "required": ["answer_sent_on", "parts"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ErasureReport".into(),
        json!({
            "type": "object",
            "properties": {
                "outcome": codes(outcomes),
                "destroyed": {"type": "array", "items": uuid},
                "client_record_pending": {"type": "boolean"},
            },
            "required": ["outcome", "destroyed", "client_record_pending"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ErasureRefusal".into(),
        json!({
            "type": "object",
            "properties": {
                "error": {"type": "string"},
                "field": {"type": "string"},
                "message": {"type": "string"},
                "parts": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "kind": codes(kinds),
                        "subject": uuid,
                        "field": {"type": "string", "enum": ["decision", "reason"]},
                        "problem": {"type": "string", "enum": problems},
                    },
                    "required": ["kind", "subject", "field", "problem"],
                    "additionalProperties": false,
                }},
            },
            "required": ["error", "field", "message", "parts"],
            "additionalProperties": false,
        }),
    );
}
