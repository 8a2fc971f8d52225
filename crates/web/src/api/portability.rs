//! Data portability (RTS-8, AVG art. 20) through the API: the same core calls as
//! `pages::portability`, so the same rules decide and the same audit events are written.
//! The privacy officer's token (scope `audit`) sees what the file will hold and what is
//! excluded, prepares it for the client or an organisation inside the EEA (SHR-2),
//! downloads a file for an organisation to send it (the recorded transfer), and records
//! the outcome the eligibility leads to.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::api_tokens::Scope as TokenScope;
use zv_core::portability::{
    Destination, DestinationInput, ExportLine, PortabilityPreview, PreparedExport, TrajectoryLine,
};
use zv_core::requests::Outcome;

use super::auth::Caller;
use super::{ApiError, Auth, Endpoint, JsonBody, RequestBody, Success, Verb, created, ok, path_id};
use crate::state::AppState;

const AUDIT: Auth = Auth::Scope(TokenScope::Audit);

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/requests/{id}/portability",
            auth: AUDIT,
            operation_id: "portabilityPreview",
            tag: "portability",
            summary: "What the portability file of a portability request will hold: the trajectories on consent or contract, those excluded with their legal basis, the files prepared before, and the outcome this leads to (RTS-8; a recorded read)",
            id_of: Some("request"),
            query: &[],
            body: B::None,
            success: S::Ok("PortabilityPreview"),
            errors: &[404],
            handler: || get(preview),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/portability",
            auth: AUDIT,
            operation_id: "preparePortability",
            tag: "portability",
            summary: "Prepare the portability file (JSON, zorgvuldig.portability/1) for the client's one download in the portal, or for an organisation the client chose inside the EEA (SHR-2), held encrypted (RTS-8; recorded as an export)",
            id_of: Some("request"),
            query: &[],
            body: B::Json("PortabilityDestination"),
            success: S::Created("PreparedPortability"),
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(prepare),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/portability/transfers",
            auth: AUDIT,
            operation_id: "transferPortability",
            tag: "portability",
            summary: "Download a file prepared for an organisation, once, to send it (application/json): the recorded transfer, who, when and to whom (RTS-8; recorded as an export)",
            id_of: Some("request"),
            query: &[],
            body: B::Json("PortabilityTransfer"),
            success: S::File,
            errors: &[400, 404, 413, 415, 422],
            handler: || post(transfer),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/portability/decision",
            auth: AUDIT,
            operation_id: "decidePortability",
            tag: "portability",
            summary: "Record the outcome the legal bases lead to (granted, partly granted, refused) with the reasons; without reasons, the standard ones naming each excluded trajectory's basis (RTS-8, RTS-1)",
            id_of: Some("request"),
            query: &[],
            body: B::Json("PortabilityDecisionInput"),
            success: S::Ok("PortabilityDecision"),
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(decide),
        },
    ]
}

#[derive(Serialize)]
struct Trajectory {
    id: uuid::Uuid,
    service: String,
    service_name: String,
    legal_basis: &'static str,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    goals: usize,
}

impl From<&TrajectoryLine> for Trajectory {
    fn from(t: &TrajectoryLine) -> Self {
        Self {
            id: t.id.as_uuid(),
            service: t.service.clone(),
            service_name: t.service_name.clone(),
            legal_basis: t.legal_basis,
            opened_on: t.opened_on,
            closed_on: t.closed_on,
            goals: t.goals,
        }
    }
}

#[derive(Serialize)]
struct File {
    id: uuid::Uuid,
    destination: Destination,
    recipient_name: Option<String>,
    recipient_country: Option<String>,
    prepared_at: DateTime<Utc>,
    available_until: DateTime<Utc>,
    downloaded_at: Option<DateTime<Utc>>,
    downloaded_by: Option<uuid::Uuid>,
    available: bool,
    size_bytes: i64,
}

impl From<&ExportLine> for File {
    fn from(e: &ExportLine) -> Self {
        Self {
            id: e.id,
            destination: e.destination,
            recipient_name: e.recipient_name.clone(),
            recipient_country: e.recipient_country.clone(),
            prepared_at: e.prepared_at,
            available_until: e.available_until,
            downloaded_at: e.downloaded_at,
            downloaded_by: e.downloaded_by.map(|u| u.as_uuid()),
            available: e.available,
            size_bytes: e.size_bytes,
        }
    }
}

#[derive(Serialize)]
struct Preview {
    request: uuid::Uuid,
    reference: String,
    received_on: NaiveDate,
    client: uuid::Uuid,
    client_name: String,
    eligible: Vec<Trajectory>,
    excluded: Vec<Trajectory>,
    client_portal_account: bool,
    outcome: Outcome,
    reasons: String,
    files: Vec<File>,
}

impl std::fmt::Debug for Preview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Preview({}, ***)", self.reference)
    }
}

impl From<&PortabilityPreview> for Preview {
    fn from(p: &PortabilityPreview) -> Self {
        Self {
            request: p.request,
            reference: p.reference.clone(),
            received_on: p.received_on,
            client: p.client.as_uuid(),
            client_name: p.client_name.clone(),
            eligible: p.eligible.iter().map(Trajectory::from).collect(),
            excluded: p.excluded.iter().map(Trajectory::from).collect(),
            client_portal_account: p.client_portal_account,
            outcome: p.outcome(),
            reasons: p.reasons_nl(),
            files: p.exports.iter().map(File::from).collect(),
        }
    }
}

#[derive(Serialize)]
struct Prepared {
    id: uuid::Uuid,
    destination: Destination,
    available_until: DateTime<Utc>,
    size_bytes: i64,
}

impl From<&PreparedExport> for Prepared {
    fn from(p: &PreparedExport) -> Self {
        Self {
            id: p.id,
            destination: p.destination,
            available_until: p.available_until,
            size_bytes: p.size_bytes,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    name: String,
    country: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationBody {
    destination: Destination2,
    #[serde(default)]
    recipient: Option<Recipient>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Destination2 {
    Client,
    Organisation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    file: uuid::Uuid,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    #[serde(default)]
    reasons: String,
    answer_sent_on: NaiveDate,
}

#[derive(Serialize)]
struct Decision {
    outcome: Outcome,
}

pub async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let p = state.app.portability_preview(caller.actor(), id).await?;
    ok(&Preview::from(&p))
}

pub async fn prepare(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<DestinationBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let destination = match (b.destination, b.recipient) {
        (Destination2::Client, None) => DestinationInput::Client,
        (Destination2::Client, Some(_)) => {
            return Err(ApiError::Invalid {
                field: "recipient",
                message: "a file for the client has no recipient organisation",
            });
        }
        (Destination2::Organisation, Some(r)) => DestinationInput::Organisation {
            name: r.name,
            country: r.country,
        },
        (Destination2::Organisation, None) => {
            return Err(ApiError::Invalid {
                field: "recipient",
                message: "name the receiving organisation and its country",
            });
        }
    };
    let p = state
        .app
        .prepare_portability(caller.actor(), id, destination)
        .await?;
    created(&Prepared::from(&p))
}

pub async fn transfer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<TransferBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let file = state
        .app
        .download_portability_transfer(caller.actor(), id, b.file)
        .await?;
    Ok(crate::pages::portability::json_file(
        &file.file_name,
        file.bytes.to_vec(),
    ))
}

pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<DecisionBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let outcome = state
        .app
        .decide_portability(caller.actor(), id, &b.reasons, b.answer_sent_on)
        .await?;
    ok(&Decision { outcome })
}

/// The schemas of these operations, for the OpenAPI document.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let uuid = json!({"type": "string", "format": "uuid"});
    let nullable_uuid = json!({"type": ["string", "null"], "format": "uuid"});
    let instant = json!({"type": "string", "format": "date-time"});
    let nullable_instant = json!({"type": ["string", "null"], "format": "date-time"});
    let date = json!({"type": "string", "format": "date"});
    let integer = json!({"type": "integer"});
    let boolean = json!({"type": "boolean"});
    let string = json!({"type": "string"});
    let nullable_string = json!({"type": ["string", "null"]});
    let outcomes = json!({"type": "string", "enum": ["granted", "partly_granted", "refused"]});
    let destinations = json!({"type": "string", "enum": ["client", "organisation"]});
    let trajectory = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "service": string,
            "service_name": string,
            "legal_basis": {"type": "string", "enum": ["consent", "contract", "legal_obligation", "public_task", "legitimate_interest"]},
            "opened_on": date,
            "closed_on": {"type": ["string", "null"], "format": "date"},
            "goals": integer,
        },
        "required": ["id", "service", "service_name", "legal_basis", "opened_on", "closed_on", "goals"],
        "additionalProperties": false,
    });
    let file = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "destination": destinations,
            "recipient_name": nullable_string,
            "recipient_country": nullable_string,
            "prepared_at": instant,
            "available_until": instant,
            "downloaded_at": nullable_instant,
            "downloaded_by": nullable_uuid,
            "available": boolean,
            "size_bytes": integer,
        },
        "required": ["id", "destination", "recipient_name", "recipient_country", "prepared_at", "available_until", "downloaded_at", "downloaded_by", "available", "size_bytes"],
        "additionalProperties": false,
    });
    s.insert(
        "PortabilityPreview".into(),
        json!({
            "type": "object",
            "description": "What the portability file of a request will hold (RTS-8): only trajectories on consent or contract; the others excluded with their legal basis.",
            "properties": {
                "request": uuid,
                "reference": string,
                "received_on": date,
                "client": uuid,
                "client_name": string,
                "eligible": {"type": "array", "items": trajectory},
                "excluded": {"type": "array", "items": trajectory},
                "client_portal_account": boolean,
                "outcome": outcomes,
                "reasons": string,
                "files": {"type": "array", "items": file},
            },
            "required": ["request", "reference", "received_on", "client", "client_name", "eligible", "excluded", "client_portal_account", "outcome", "reasons", "files"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "PortabilityDestination".into(),
        json!({
            "type": "object",
            "properties": {
                "destination": destinations,
                "recipient": {
                    "type": "object",
                    "description": "For an organisation: its name and its country (ISO 3166-1 alpha-2, inside the EEA)",
                    "properties": {
                        "name": {"type": "string", "minLength": 1, "maxLength": 200},
                        "country": {"type": "string", "minLength": 2, "maxLength": 2},
                    },
                    "required": ["name", "country"],
                    "additionalProperties": false,
                },
            },
            "required": ["destination"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "PreparedPortability".into(),
        json!({
            "type": "object",
            "properties": {
                "id": uuid,
                "destination": destinations,
                "available_until": instant,
                "size_bytes": integer,
            },
            "required": ["id", "destination", "available_until", "size_bytes"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "PortabilityTransfer".into(),
        json!({
            "type": "object",
            "properties": {"file": uuid},
            "required": ["file"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "PortabilityDecisionInput".into(),
        json!({
            "type": "object",
            "properties": {
                "reasons": {"type": "string", "maxLength": 5000},
                "answer_sent_on": date,
            },
            "required": ["answer_sent_on"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "PortabilityDecision".into(),
        json!({
            "type": "object",
            "properties": {"outcome": outcomes},
            "required": ["outcome"],
            "additionalProperties": false,
        }),
    );
}
