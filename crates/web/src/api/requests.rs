//! Rights requests through the API (RTS-1..3 and the decision; decision 0015): the
//! privacy officer's queue and one request's handling, registering a request received
//! outside the portal, and each step of the handling. The same core calls as the pages
//! in `pages::requests`, so the same rules decide and the same audit events are written.
//!
//! An identity document is never accepted (RTS-2): a body that carries `id_copy` is
//! refused with 422 before anything is stored.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use zv_core::CoreError;
use zv_core::api_tokens::Scope;
use zv_core::requests::{
    Channel, Deadlines, IdentityInput, IdentityMethod, NewRegisteredRequest, Outcome, OutcomeInput,
    QueueLine, RequestHandling, RequestKind, RequestScope,
};
use zv_domain::{ClientId, TrajectoryId};

use super::auth::Caller;
use super::{
    ApiError, Auth, Endpoint, JsonBody, QueryParam, RequestBody, Success, Verb, created,
    no_content, ok, path_id,
};
use crate::state::AppState;

const OFFICER: Auth = Auth::Scope(Scope::Audit);
const WRITE: Auth = Auth::Scope(Scope::Write);

/// The operations of this module, listed in the one table of the API.
#[expect(clippy::too_many_lines, reason = "one table entry per operation")]
pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/request-queue",
            auth: OFFICER,
            operation_id: "requestQueue",
            tag: "requests",
            summary: "The privacy officer's queue: every open rights request with its deadlines, days left, due-soon and overdue flags (RTS-3; reading it is recorded, without content)",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("RequestQueueLine"),
            errors: &[],
            handler: || get(queue),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/requests/{id}/handling",
            auth: OFFICER,
            operation_id: "requestHandling",
            tag: "requests",
            summary: "One rights request with its handling: identity, deadlines, reaction, extension, decision (a recorded read)",
            id_of: Some("request"),
            query: &[],
            body: B::None,
            success: S::Ok("RequestHandling"),
            errors: &[404],
            handler: || get(handling),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/requests",
            auth: WRITE,
            operation_id: "registerRequest",
            tag: "requests",
            summary: "Register a request the client made by letter, e-mail, phone or in conversation (RTS-1): a worker assigned to the client or the privacy officer",
            id_of: Some("client"),
            query: &[],
            body: B::Json("NewRegisteredRequest"),
            success: S::Created("RequestReference"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(register),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/identity",
            auth: OFFICER,
            operation_id: "recordRequestIdentity",
            tag: "requests",
            summary: "Record how the requester's identity was established (RTS-2); a body with an ID copy is refused and nothing is stored",
            id_of: Some("request"),
            query: &[],
            body: B::Json("RequestIdentityInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(identity),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/reaction",
            auth: OFFICER,
            operation_id: "recordRequestReaction",
            tag: "requests",
            summary: "Record the day of the first reaction to the requester (RTS-3)",
            id_of: Some("request"),
            query: &[],
            body: B::Json("RequestReactionInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(reaction),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/extension",
            auth: OFFICER,
            operation_id: "extendRequest",
            tag: "requests",
            summary: "Record the extension announced today with reasons (RTS-3): only where the policy allows one, once, within the notice period (else 409)",
            id_of: Some("request"),
            query: &[],
            body: B::Json("RequestExtensionInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(extension),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/outcome",
            auth: OFFICER,
            operation_id: "decideRequest",
            tag: "requests",
            summary: "Record the decision with reasons and the day the answer was sent, and close the request; granting before identity is recorded is 409",
            id_of: Some("request"),
            query: &[],
            body: B::Json("RequestOutcomeInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(outcome),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/requests/{id}/decision-letter",
            auth: OFFICER,
            operation_id: "decisionLetter",
            tag: "requests",
            summary: "The decision letter of a closed request as a PDF (application/pdf): reference, right, day received, decision with reasons, and the right to complain to the Autoriteit Persoonsgegevens and to go to court; rendered from the stored decision, never stored (a recorded export; an open request is 404)",
            id_of: Some("request"),
            query: &[QueryParam {
                name: "lang",
                format: "",
                description: "The letter's language: nl (default) or en",
            }],
            body: B::None,
            success: S::File,
            errors: &[404, 422],
            handler: || get(decision_letter),
        },
    ]
}

#[derive(Serialize)]
struct DeadlinesOut {
    respond_by: NaiveDate,
    complete_by: NaiveDate,
    extension_notice_by: Option<NaiveDate>,
    next: Option<NaiveDate>,
    days_left: Option<i64>,
    due_soon: bool,
    overdue: bool,
}

fn deadlines(d: &Deadlines) -> DeadlinesOut {
    DeadlinesOut {
        respond_by: d.respond_by,
        complete_by: d.complete_by,
        extension_notice_by: d.extension_notice_by,
        next: d.next,
        days_left: d.days_left,
        due_soon: d.due_soon,
        overdue: d.overdue,
    }
}

#[derive(Serialize)]
struct QueueLineOut {
    id: uuid::Uuid,
    reference: String,
    kind: Option<&'static str>,
    client: uuid::Uuid,
    channel: String,
    received_on: NaiveDate,
    status: &'static str,
    deadlines: DeadlinesOut,
    identity_method: Option<&'static str>,
    responded_on: Option<NaiveDate>,
    extended_on: Option<NaiveDate>,
    escalated_at: Option<DateTime<Utc>>,
}

fn queue_line(q: &QueueLine) -> QueueLineOut {
    QueueLineOut {
        id: q.line.id,
        reference: q.line.reference.clone(),
        kind: q.line.kind.map(RequestKind::code),
        client: q.line.client.as_uuid(),
        channel: q.line.channel.clone(),
        received_on: q.line.received_on,
        status: q.line.status.code(),
        deadlines: deadlines(&q.deadlines),
        identity_method: q.identity.map(IdentityMethod::code),
        responded_on: q.responded_on,
        extended_on: q.extended_on,
        escalated_at: q.escalated_at,
    }
}

#[derive(Serialize)]
struct IdentityOut {
    method: &'static str,
    on: NaiveDate,
    recorded_by: Option<String>,
    recorded_at: Option<DateTime<Utc>>,
    note: Option<String>,
}

#[derive(Serialize)]
struct ExtensionOut {
    on: NaiveDate,
    reasons: String,
    by: Option<String>,
}

#[derive(Serialize)]
struct OutcomeOut {
    outcome: &'static str,
    reasons: Option<String>,
    answer_sent_on: NaiveDate,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

#[derive(Serialize)]
struct HandlingOut {
    line: QueueLineOut,
    client_name: String,
    text: String,
    registered_by: Option<String>,
    identity: Option<IdentityOut>,
    extension: Option<ExtensionOut>,
    outcome: Option<OutcomeOut>,
}

fn handling_out(h: RequestHandling) -> HandlingOut {
    let line = QueueLineOut {
        deadlines: deadlines(&h.deadlines),
        identity_method: h.identity.as_ref().map(|i| i.method.code()),
        responded_on: h.responded_on,
        extended_on: h.extension.as_ref().map(|e| e.on),
        escalated_at: h.escalated_at,
        ..queue_line(&QueueLine {
            line: h.filed.detail.line.clone(),
            deadlines: h.deadlines,
            identity: None,
            responded_on: None,
            extended_on: None,
            escalated_at: None,
        })
    };
    HandlingOut {
        line,
        client_name: h.filed.client_name,
        text: h.filed.detail.text,
        registered_by: h.registered_by,
        identity: h.identity.map(|i| IdentityOut {
            method: i.method.code(),
            on: i.on,
            recorded_by: i.recorded_by,
            recorded_at: i.recorded_at,
            note: i.note,
        }),
        extension: h.extension.map(|e| ExtensionOut {
            on: e.on,
            reasons: e.reasons,
            by: e.by,
        }),
        outcome: h.outcome.map(|o| OutcomeOut {
            outcome: o.outcome.code(),
            reasons: o.reasons,
            answer_sent_on: o.answer_sent_on,
            decided_by: o.decided_by,
            decided_at: o.decided_at,
        }),
    }
}

#[derive(Serialize)]
struct RequestReference {
    id: uuid::Uuid,
    reference: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRegisteredRequestIn {
    kind: String,
    channel: String,
    received_on: String,
    #[serde(default)]
    trajectories: Option<Vec<uuid::Uuid>>,
    #[serde(default)]
    text: String,
    /// The parent's or representative's record in the client's file, when they made the
    /// request; they must read for the client in the portal.
    #[serde(default)]
    filed_by: Option<uuid::Uuid>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityIn {
    method: String,
    on: String,
    #[serde(default)]
    note: String,
    /// Named so that an attempt is refused with its own explanation rather than as an
    /// unknown field; whatever it holds is dropped unread.
    #[serde(default)]
    id_copy: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReactionIn {
    responded_on: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionIn {
    reasons: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeIn {
    outcome: String,
    #[serde(default)]
    reasons: String,
    answer_sent_on: String,
}

fn day(field: &'static str, raw: &str) -> Result<NaiveDate, CoreError> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| CoreError::invalid(field, "not a date (YYYY-MM-DD)"))
}

fn request_id(raw: &str) -> Result<uuid::Uuid, ApiError> {
    path_id(raw)
}

pub async fn queue(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let q = state.app.request_queue(caller.actor()).await?;
    ok(&q.iter().map(queue_line).collect::<Vec<_>>())
}

pub async fn handling(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let h = state
        .app
        .request_handling(caller.actor(), request_id(&id)?)
        .await?;
    ok(&handling_out(h))
}

pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewRegisteredRequestIn>,
) -> Result<Response, ApiError> {
    let client = ClientId::from_uuid(path_id(&id)?);
    let kind = RequestKind::from_code(b.kind.trim())
        .ok_or_else(|| CoreError::invalid("kind", "not a request kind"))?;
    let channel = Channel::from_code(b.channel.trim())
        .ok_or_else(|| CoreError::invalid("channel", "not a channel"))?;
    let received_on = day("received_on", &b.received_on)?;
    let scope = match b.trajectories {
        None => RequestScope::All,
        Some(t) => RequestScope::Trajectories(t.into_iter().map(TrajectoryId::from_uuid).collect()),
    };
    let filed = state
        .app
        .register_rights_request(
            caller.actor(),
            NewRegisteredRequest {
                client,
                kind,
                scope,
                channel,
                received_on,
                text: b.text,
                filed_by: b.filed_by.map(zv_domain::RelatedPersonId::from_uuid),
            },
        )
        .await?;
    created(&RequestReference {
        id: filed.id,
        reference: filed.reference,
    })
}

pub async fn identity(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<IdentityIn>,
) -> Result<Response, ApiError> {
    let id = request_id(&id)?;
    if b.id_copy.is_some() {
        return Err(CoreError::invalid("id_copy", zv_core::requests::NO_ID_COPY).into());
    }
    let method = IdentityMethod::from_code(b.method.trim())
        .ok_or_else(|| CoreError::invalid("method", "not an identity method"))?;
    let on = day("on", &b.on)?;
    state
        .app
        .record_request_identity(
            caller.actor(),
            id,
            IdentityInput {
                method,
                on,
                note: b.note,
                document_offered: false,
            },
        )
        .await?;
    no_content()
}

pub async fn reaction(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ReactionIn>,
) -> Result<Response, ApiError> {
    let id = request_id(&id)?;
    let on = day("responded_on", &b.responded_on)?;
    state
        .app
        .record_request_reaction(caller.actor(), id, on)
        .await?;
    no_content()
}

pub async fn extension(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ExtensionIn>,
) -> Result<Response, ApiError> {
    let id = request_id(&id)?;
    state
        .app
        .extend_request(caller.actor(), id, &b.reasons)
        .await?;
    no_content()
}

pub async fn outcome(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<OutcomeIn>,
) -> Result<Response, ApiError> {
    let id = request_id(&id)?;
    let outcome = Outcome::from_code(b.outcome.trim())
        .ok_or_else(|| CoreError::invalid("outcome", "not an outcome"))?;
    let answer_sent_on = day("answer_sent_on", &b.answer_sent_on)?;
    state
        .app
        .decide_request(
            caller.actor(),
            id,
            OutcomeInput {
                outcome,
                reasons: b.reasons,
                answer_sent_on,
            },
        )
        .await?;
    no_content()
}

#[derive(Deserialize)]
pub struct LetterQuery {
    #[serde(default)]
    lang: String,
}

pub async fn decision_letter(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<axum::extract::Query<LetterQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let id = request_id(&id)?;
    let lang = query.map(|q| q.0.lang).unwrap_or_else(|_| "?".to_owned());
    let language = crate::pages::requests::letter_language(&lang)
        .map_err(|_| CoreError::invalid("lang", "nl or en"))?;
    let letter = state
        .app
        .decision_letter(caller.actor(), id, language)
        .await?;
    Ok(crate::pages::requests::pdf_download(letter))
}

/// The schemas of this module, added to the document's components.
#[expect(
    clippy::too_many_lines,
    reason = "every schema of the module in one place"
)]
pub(super) fn schemas(s: &mut serde_json::Map<String, serde_json::Value>) {
    use serde_json::json;
    let uuid = json!({"type": "string", "format": "uuid"});
    let date = json!({"type": "string", "format": "date"});
    let nullable_date = json!({"type": ["string", "null"], "format": "date"});
    let nullable_instant = json!({"type": ["string", "null"], "format": "date-time"});
    let nullable_string = json!({"type": ["string", "null"]});
    let codes = |all: &[&'static str]| json!(all);
    let kinds: Vec<&str> = RequestKind::ALL.iter().map(|k| k.code()).collect();
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.code()).collect();
    let methods: Vec<&str> = IdentityMethod::ALL.iter().map(|m| m.code()).collect();
    let outcomes: Vec<&str> = Outcome::ALL.iter().map(|o| o.code()).collect();
    let statuses: Vec<&str> = zv_core::requests::FiledStatus::ALL
        .iter()
        .map(|s| s.code())
        .collect();
    s.insert(
        "RequestDeadlines".into(),
        json!({
            "type": "object",
            "description": "The deadlines from the organisation's policy (RTS-3): `next` is the reaction until one is recorded, then the completion (extended or not); none once closed",
            "properties": {
                "respond_by": date,
                "complete_by": date,
                "extension_notice_by": nullable_date,
                "next": nullable_date,
                "days_left": {"type": ["integer", "null"], "description": "Negative when overdue"},
                "due_soon": {"type": "boolean", "description": "The next deadline is within the policy's due_soon (default a week)"},
                "overdue": {"type": "boolean"},
            },
            "required": ["respond_by", "complete_by", "extension_notice_by", "next", "days_left", "due_soon", "overdue"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "RequestQueueLine".into(),
        json!({
            "type": "object",
            "properties": {
                "id": uuid,
                "reference": {"type": "string"},
                "kind": {"type": ["string", "null"], "enum": kinds.iter().map(|k| json!(k)).chain([json!(null)]).collect::<Vec<_>>()},
                "client": uuid,
                "channel": {"type": "string", "enum": codes(&channels)},
                "received_on": date,
                "status": {"type": "string", "enum": codes(&statuses)},
                "deadlines": {"$ref": "#/components/schemas/RequestDeadlines"},
                "identity_method": {"type": ["string", "null"], "enum": methods.iter().map(|m| json!(m)).chain([json!(null)]).collect::<Vec<_>>()},
                "responded_on": nullable_date,
                "extended_on": nullable_date,
                "escalated_at": nullable_instant,
            },
            "required": ["id", "reference", "kind", "client", "channel", "received_on", "status",
                "deadlines", "identity_method", "responded_on", "extended_on", "escalated_at"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "RequestHandling".into(),
        json!({
            "type": "object",
            "properties": {
                "line": {"$ref": "#/components/schemas/RequestQueueLine"},
                "client_name": {"type": "string"},
                "text": {"type": "string"},
                "registered_by": nullable_string,
                "identity": {"oneOf": [{
                    "type": "object",
                    "properties": {
                        "method": {"type": "string", "enum": codes(&methods)},
                        "on": date,
                        "recorded_by": nullable_string,
                        "recorded_at": nullable_instant,
                        "note": nullable_string,
                    },
                    "required": ["method", "on", "recorded_by", "recorded_at", "note"],
                    "additionalProperties": false,
                }, {"type": "null"}]},
                "extension": {"oneOf": [{
                    "type": "object",
                    "properties": {
                        "on": date,
                        "reasons": {"type": "string"},
                        "by": nullable_string,
                    },
                    "required": ["on", "reasons", "by"],
                    "additionalProperties": false,
                }, {"type": "null"}]},
                "outcome": {"oneOf": [{
                    "type": "object",
                    "properties": {
                        "outcome": {"type": "string", "enum": codes(&outcomes)},
                        "reasons": nullable_string,
                        "answer_sent_on": date,
                        "decided_by": nullable_string,
                        "decided_at": nullable_instant,
                    },
                    "required": ["outcome", "reasons", "answer_sent_on", "decided_by", "decided_at"],
                    "additionalProperties": false,
                }, {"type": "null"}]},
            },
            "required": ["line", "client_name", "text", "registered_by", "identity", "extension", "outcome"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "RequestReference".into(),
        json!({
            "type": "object",
            "properties": {"id": uuid, "reference": {"type": "string", "description": "VZ-YYYY-NNNNNN"}},
            "required": ["id", "reference"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "NewRegisteredRequest".into(),
        json!({
            "type": "object",
            "properties": {
                "kind": {"type": "string", "enum": codes(&kinds)},
                "channel": {"type": "string", "enum": ["letter", "email", "phone", "conversation"]},
                "received_on": date,
                "trajectories": {"type": ["array", "null"], "items": uuid, "description": "Chosen trajectories of the client; absent or null is everything"},
                "text": {"type": "string", "description": "What the client asks; at most 5000 characters"},
                "filed_by": {"type": ["string", "null"], "format": "uuid", "description": "The record (related person) of the parent or representative who made the request for the client; they must read for the client in the portal, and the answer goes to their account"},
            },
            "required": ["kind", "channel", "received_on"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "RequestIdentityInput".into(),
        json!({
            "type": "object",
            "properties": {
                "method": {"type": "string", "enum": ["in_person", "known_caseworker", "letter_callback"]},
                "on": date,
                "note": {"type": "string", "description": "Who confirmed it; never a document number"},
                "id_copy": {"description": "Never accepted: any value is refused with 422 and nothing is stored (RTS-2). Show the document in person instead."},
            },
            "required": ["method", "on"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "RequestReactionInput".into(),
        json!({
            "type": "object",
            "properties": {"responded_on": date},
            "required": ["responded_on"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "RequestExtensionInput".into(),
        json!({
            "type": "object",
            "properties": {"reasons": {"type": "string", "description": "At least 10 characters; sent to the client"}},
            "required": ["reasons"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "RequestOutcomeInput".into(),
        json!({
            "type": "object",
            "properties": {
                "outcome": {"type": "string", "enum": codes(&outcomes)},
                "reasons": {"type": "string", "description": "Required (at least 10 characters) for refused and partly_granted"},
                "answer_sent_on": date,
            },
            "required": ["outcome", "answer_sent_on"],
            "additionalProperties": false,
        }),
    );
}
