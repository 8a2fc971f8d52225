//! The consent register through the API (SHR-1 consent ground, RTS-10, MIN-1..3): a
//! client's consents, recording one, and withdrawing one with immediate effect. The same
//! core calls as the staff page in `pages::consents`, so the same rules decide and the
//! same audit events are written.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use zv_core::api_tokens::Scope;
use zv_core::consents::{
    ConsentChannel, ConsentForm, ConsentPerson, ConsentProblem, ConsentPurpose, ConsentView,
};
use zv_domain::ClientId;

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
            path: "/clients/{id}/consents",
            auth: READ,
            operation_id: "consentsOfClient",
            tag: "consents",
            summary: "The client's consents (sharing with a named recipient, photo and video, applicant portfolio, newsletter), in force and withdrawn (a recorded read)",
            id_of: Some("client"),
            query: &[],
            body: B::None,
            success: S::List("Consent"),
            errors: &[404],
            handler: || get(list),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/clients/{id}/consents",
            auth: WRITE,
            operation_id: "recordConsent",
            tag: "consents",
            summary: "Record a consent; who must give it follows the client's age band on the day (under 12 the parents with authority, 12 to 16 the child and the parents, from 16 the client alone)",
            id_of: Some("client"),
            query: &[],
            body: B::Json("NewConsent"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(record),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/consents/{id}/withdraw",
            auth: WRITE,
            operation_id: "withdrawConsent",
            tag: "consents",
            summary: "Record the withdrawal of a consent, in writing or in person; it takes effect at once (RTS-10)",
            id_of: Some("consent"),
            query: &[],
            body: B::Json("ConsentWithdrawalInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(withdraw),
        },
    ]
}

#[derive(Serialize)]
struct Recipient {
    id: uuid::Uuid,
    name: String,
    country: String,
    kind: String,
}

#[derive(Serialize)]
struct Withdrawal {
    at: DateTime<Utc>,
    how: &'static str,
    by: String,
    recorded_in: &'static str,
}

#[derive(Serialize)]
struct Consent {
    id: uuid::Uuid,
    client: uuid::Uuid,
    purpose: &'static str,
    recipient: Option<Recipient>,
    how: &'static str,
    given_on: NaiveDate,
    given_by: Vec<String>,
    description: Option<String>,
    recorded_by: uuid::Uuid,
    recorded_in: &'static str,
    recorded_at: DateTime<Utc>,
    in_force: bool,
    in_force_from: Option<NaiveDate>,
    awaiting: Vec<String>,
    withdrawal: Option<Withdrawal>,
}

impl From<ConsentView> for Consent {
    fn from(c: ConsentView) -> Self {
        let in_force = c.in_force();
        Self {
            id: c.id,
            client: c.client_id.as_uuid(),
            purpose: c.purpose.code(),
            recipient: c.recipient.map(|r| Recipient {
                id: r.id,
                name: r.name,
                country: r.country,
                kind: r.kind,
            }),
            how: c.how.code(),
            given_on: c.given_on,
            given_by: c.given_by.iter().map(|g| g.code()).collect(),
            in_force,
            description: c.description,
            recorded_by: c.recorded_by,
            recorded_in: if c.recorded_in_portal {
                "portal"
            } else {
                "staff"
            },
            recorded_at: c.recorded_at,
            in_force_from: c.in_force_from,
            awaiting: c.awaiting.iter().map(|g| g.code()).collect(),
            withdrawal: c.withdrawal.map(|w| Withdrawal {
                at: w.at,
                how: w.how.code(),
                by: w.by.code(),
                recorded_in: if w.in_portal { "portal" } else { "staff" },
            }),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConsent {
    purpose: String,
    #[serde(default)]
    recipient: Option<String>,
    how: String,
    given_on: String,
    given_by: Vec<String>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalInput {
    how: String,
    by: String,
}

fn invalid(field: &'static str, p: ConsentProblem) -> ApiError {
    ApiError::Invalid {
        field,
        message: p.message(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let client = ClientId::from_uuid(path_id(&id)?);
    let consents = state.app.consents(caller.actor(), client).await?;
    ok(&consents.into_iter().map(Consent::from).collect::<Vec<_>>())
}

pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewConsent>,
) -> Result<Response, ApiError> {
    let client = ClientId::from_uuid(path_id(&id)?);
    let form = ConsentForm {
        purpose: b.purpose,
        recipient: b.recipient.unwrap_or_default(),
        how: b.how,
        given_on: b.given_on,
        given_by: b.given_by,
        description: b.description.unwrap_or_default(),
    };
    let input = state
        .app
        .check_consent_form(&form)
        .map_err(|problems| match problems.first() {
            Some((field, p)) => invalid(field, *p),
            None => invalid("purpose", ConsentProblem::PurposeUnknown),
        })?;
    let id = state
        .app
        .record_consent(caller.actor(), client, input)
        .await?;
    created(&Created { id })
}

pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<WithdrawalInput>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let how = ConsentChannel::parse(b.how.trim())
        .ok_or_else(|| invalid("how", ConsentProblem::ChannelUnknown))?;
    let by =
        ConsentPerson::parse(&b.by).ok_or_else(|| invalid("by", ConsentProblem::GiverUnknown))?;
    state
        .app
        .withdraw_recorded_consent(caller.actor(), id, how, by)
        .await?;
    no_content()
}

/// The schemas of this module's bodies, for the OpenAPI document.
pub(super) fn schemas(s: &mut serde_json::Map<String, serde_json::Value>) {
    use serde_json::json;
    let purposes: Vec<&str> = ConsentPurpose::ALL.iter().map(|p| p.code()).collect();
    let channels: Vec<&str> = ConsentChannel::ALL.iter().map(|c| c.code()).collect();
    let uuid = json!({"type": "string", "format": "uuid"});
    let person = json!({
        "type": "string",
        "description": "`client`, or the id of a related person (a parent with authority, a guardian, or an adult's legal representative within a mandate)",
    });
    s.insert(
        "Consent".into(),
        json!({
            "type": "object",
            "description": "A consent in the consent register (SHR-1, RTS-10)",
            "properties": {
                "id": uuid,
                "client": uuid,
                "purpose": {"type": "string", "enum": purposes},
                "recipient": {"oneOf": [{
                    "type": "object",
                    "properties": {
                        "id": uuid,
                        "name": {"type": "string"},
                        "country": {"type": "string"},
                        "kind": {"type": "string"},
                    },
                    "required": ["id", "name", "country", "kind"],
                    "additionalProperties": false,
                }, {"type": "null"}]},
                "how": {"type": "string", "enum": channels},
                "given_on": {"type": "string", "format": "date"},
                "given_by": {"type": "array", "items": person},
                "description": {"type": ["string", "null"]},
                "recorded_by": {"type": "string", "format": "uuid", "description": "The staff member who recorded it, or the portal account that proposed it"},
                "recorded_in": {"type": "string", "enum": ["staff", "portal"]},
                "recorded_at": {"type": "string", "format": "date-time"},
                "in_force": {"type": "boolean"},
                "in_force_from": {"type": ["string", "null"], "format": "date", "description": "The day it took effect; null while a giver has not yet confirmed it in the portal"},
                "awaiting": {"type": "array", "items": person, "description": "Givers whose confirmation in the portal is still awaited (MIN-1, MIN-2)"},
                "withdrawal": {"oneOf": [{
                    "type": "object",
                    "properties": {
                        "at": {"type": "string", "format": "date-time"},
                        "how": {"type": "string", "enum": channels},
                        "by": person,
                        "recorded_in": {"type": "string", "enum": ["staff", "portal"]},
                    },
                    "required": ["at", "how", "by", "recorded_in"],
                    "additionalProperties": false,
                }, {"type": "null"}]},
            },
            "required": ["id", "client", "purpose", "recipient", "how", "given_on", "given_by",
                "description", "recorded_by", "recorded_in", "recorded_at", "in_force",
                "in_force_from", "awaiting", "withdrawal"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "NewConsent".into(),
        json!({
            "type": "object",
            "properties": {
                "purpose": {"type": "string", "enum": purposes},
                "recipient": {
                    "type": ["string", "null"],
                    "format": "uuid",
                    "description": "A recipient of the register; required for purpose sharing, absent otherwise",
                },
                "how": {"type": "string", "enum": channels},
                "given_on": {"type": "string", "format": "date", "description": "Not after today"},
                "given_by": {
                    "type": "array",
                    "items": person,
                    "description": "Under 12 every parent with authority; 12 to 16 the client and every parent with authority; from 16 the client alone (MIN-1..3); for an adult the client or a legal representative with a whole-dossier mandate running that day (MIN-4)",
                },
                "description": {"type": ["string", "null"], "description": "What the consent covers; at most 2,000 characters"},
            },
            "required": ["purpose", "how", "given_on", "given_by"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ConsentWithdrawalInput".into(),
        json!({
            "type": "object",
            "properties": {
                "how": {"type": "string", "enum": ["written", "in_person"]},
                "by": person,
            },
            "required": ["how", "by"],
            "additionalProperties": false,
        }),
    );
}
