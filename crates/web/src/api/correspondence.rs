//! The correspondence register through the API (RET-3): list and register, read and
//! change an open item, mark it handled (which sets its last day), reopen it. The same
//! core calls as `pages::correspondence`, so the same rules decide.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::api_tokens::Scope as TokenScope;
use zv_core::correspondence::{CorrespondenceInput, HandlingInput, StatusFilter};

use super::auth::Caller;
use super::clients::date;
use super::{
    ApiError, Auth, Created, Endpoint, JsonBody, QueryParam, RequestBody, Success, Verb, created,
    no_content, ok, path_id,
};
use crate::state::AppState;

const READ: Auth = Auth::Scope(TokenScope::Read);
const WRITE: Auth = Auth::Scope(TokenScope::Write);

const FILTER: &[QueryParam] = &[QueryParam {
    name: "status",
    format: "",
    description: "Only open or only handled items: open or handled; every item when absent (open ones first)",
}];

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/correspondence",
            auth: READ,
            operation_id: "listCorrespondence",
            tag: "correspondence",
            summary: "The correspondence register (RET-3): letters, contact forms, e-mails and calls, open ones first; a recorded read",
            id_of: None,
            query: FILTER,
            body: B::None,
            success: S::List("CorrespondenceItem"),
            errors: &[404, 422],
            handler: || get(list),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/correspondence",
            auth: WRITE,
            operation_id: "registerCorrespondence",
            tag: "correspondence",
            summary: "Register a letter, contact form, e-mail or call, open: it is kept at least until it is handled (RET-3)",
            id_of: None,
            query: &[],
            body: B::Json("CorrespondenceInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(register),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/correspondence/{id}",
            auth: READ,
            operation_id: "getCorrespondence",
            tag: "correspondence",
            summary: "One item of the correspondence register, with its handling and last day; a recorded read",
            id_of: Some("correspondence item"),
            query: &[],
            body: B::None,
            success: S::Ok("CorrespondenceItem"),
            errors: &[404],
            handler: || get(one),
        },
        Endpoint {
            verb: Verb::Put,
            path: "/correspondence/{id}",
            auth: WRITE,
            operation_id: "changeCorrespondence",
            tag: "correspondence",
            summary: "Change the registration of an open item (a handled one is reopened first)",
            id_of: Some("correspondence item"),
            query: &[],
            body: B::Json("CorrespondenceInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || put(change),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/correspondence/{id}/handled",
            auth: WRITE,
            operation_id: "handleCorrespondence",
            tag: "correspondence",
            summary: "Mark an open item handled with its outcome: it is kept for the policy's term from the day it was handled, then destroyed (RET-3, RET-4)",
            id_of: Some("correspondence item"),
            query: &[],
            body: B::Json("CorrespondenceHandling"),
            success: S::Ok("CorrespondenceHandled"),
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(handle),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/correspondence/{id}/reopen",
            auth: WRITE,
            operation_id: "reopenCorrespondence",
            tag: "correspondence",
            summary: "Reopen a handled item for a follow-up while its term runs: its handling and last day are cleared until it is handled again",
            id_of: Some("correspondence item"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(reopen),
        },
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    #[serde(default)]
    status: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = query.map_err(|_| ApiError::Invalid {
        field: "query",
        message: "the only parameter is status",
    })?;
    let filter = StatusFilter::parse(p.status.as_deref().unwrap_or_default())?;
    ok(&state.app.correspondence(caller.actor(), filter).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrespondenceIn {
    kind: String,
    direction: String,
    received_on: String,
    correspondent: String,
    #[serde(default)]
    contact: Option<String>,
    subject: String,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    team: Option<String>,
}

impl std::fmt::Debug for CorrespondenceIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CorrespondenceIn({}, ***)", self.kind)
    }
}

impl CorrespondenceIn {
    fn input(self) -> Result<CorrespondenceInput, ApiError> {
        Ok(CorrespondenceInput {
            received_on: date("received_on", &self.received_on)?,
            kind: self.kind,
            direction: self.direction,
            correspondent: self.correspondent,
            contact: self.contact.unwrap_or_default(),
            subject: self.subject,
            summary: self.summary.unwrap_or_default(),
            team: self.team.unwrap_or_default(),
        })
    }
}

pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<CorrespondenceIn>,
) -> Result<Response, ApiError> {
    let id = state
        .app
        .register_correspondence(caller.actor(), &b.input()?)
        .await?;
    created(&Created { id })
}

pub async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ok(&state
        .app
        .correspondence_item(caller.actor(), path_id(&id)?)
        .await?)
}

pub async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<CorrespondenceIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state
        .app
        .update_correspondence(caller.actor(), id, &b.input()?)
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandledIn {
    /// The day it was handled; today when absent.
    #[serde(default)]
    handled_on: Option<String>,
    outcome: String,
}

#[derive(Serialize)]
struct Handled {
    id: uuid::Uuid,
    keep_until: chrono::NaiveDate,
}

pub async fn handle(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<HandledIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let handled_on = match b.handled_on.as_deref().map(str::trim) {
        None | Some("") => state.app.clock().today(),
        Some(d) => date("handled_on", d)?,
    };
    let keep_until = state
        .app
        .handle_correspondence(
            caller.actor(),
            id,
            &HandlingInput {
                handled_on,
                outcome: b.outcome,
            },
        )
        .await?;
    ok(&Handled { id, keep_until })
}

pub async fn reopen(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .app
        .reopen_correspondence(caller.actor(), path_id(&id)?)
        .await?;
    no_content()
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let string = json!({"type": "string"});
    let uuid = json!({"type": "string", "format": "uuid"});
    let date = json!({"type": "string", "format": "date"});
    let nullable_string = json!({"type": ["string", "null"]});
    let nullable_date = json!({"type": ["string", "null"], "format": "date"});
    let nullable_uuid = json!({"type": ["string", "null"], "format": "uuid"});
    let kind = json!({"type": "string", "enum": ["letter", "contact_form", "email", "call"]});
    let direction = json!({"type": "string", "enum": ["incoming", "outgoing"]});
    s.insert(
        "CorrespondenceItem".into(),
        json!({
            "type": "object",
            "description": "A letter, contact form, e-mail or call with its handling (RET-3).",
            "properties": {
                "id": uuid,
                "reference": {"type": "string", "description": "A short reference without content"},
                "kind": kind,
                "direction": direction,
                "received_on": date,
                "correspondent": string,
                "contact": nullable_string,
                "subject": string,
                "summary": nullable_string,
                "team": nullable_string,
                "status": {"type": "string", "enum": ["open", "handled"]},
                "handled_by": nullable_uuid,
                "handled_on": nullable_date,
                "outcome": nullable_string,
                "keep_until": {"type": ["string", "null"], "format": "date", "description": "The last day it is kept; none while open"},
                "registered_by": uuid,
                "registered_at": {"type": "string", "format": "date-time"},
            },
            "required": ["id", "reference", "kind", "direction", "received_on", "correspondent", "contact", "subject", "summary", "team", "status", "handled_by", "handled_on", "outcome", "keep_until", "registered_by", "registered_at"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "CorrespondenceInput".into(),
        json!({
            "type": "object",
            "properties": {
                "kind": kind,
                "direction": direction,
                "received_on": {"type": "string", "format": "date", "description": "The day it was received or sent, today or earlier"},
                "correspondent": {"type": "string", "description": "The sender or addressee, 2 to 200 characters"},
                "contact": {"type": "string", "description": "What fits the kind: a postal address (letter), an e-mail address (e-mail), an e-mail address or telephone number (contact form), a telephone number or nothing (call)"},
                "subject": {"type": "string", "description": "2 to 200 characters"},
                "summary": {"type": "string", "description": "What it is about, at most 4,000 characters"},
                "team": {"type": "string", "description": "A team code of the policy it is assigned to"},
            },
            "required": ["kind", "direction", "received_on", "correspondent", "subject"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "CorrespondenceHandling".into(),
        json!({
            "type": "object",
            "properties": {
                "handled_on": {"type": "string", "format": "date", "description": "The day it was handled: today (the default) or earlier, not before it was received"},
                "outcome": {"type": "string", "description": "How it was handled, 2 to 4,000 characters"},
            },
            "required": ["outcome"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "CorrespondenceHandled".into(),
        json!({
            "type": "object",
            "properties": {
                "id": uuid,
                "keep_until": {"type": "string", "format": "date", "description": "The last day it is kept; it is destroyed the day after"},
            },
            "required": ["id", "keep_until"],
            "additionalProperties": false,
        }),
    );
}
