//! Newsletters through the API (NWS-1): the contacts on the mailing lists, adding one,
//! unsubscribing one at its request, and a newsletter's mailing list with each contact's
//! own link to unsubscribe. The same core calls as `pages::newsletters`.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use zv_core::api_tokens::Scope as TokenScope;
use zv_core::newsletters::{ContactInput, mailing_csv};

use super::auth::Caller;
use super::{
    ApiError, Auth, Created, Endpoint, JsonBody, QueryParam, RequestBody, Success, Verb, created,
    no_content, ok, path_id,
};
use crate::state::AppState;

const READ: Auth = Auth::Scope(TokenScope::Read);
const WRITE: Auth = Auth::Scope(TokenScope::Write);

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/newsletter-contacts",
            auth: READ,
            operation_id: "listNewsletterContacts",
            tag: "newsletters",
            summary: "The contacts of partner organisations on the newsletters' mailing lists, each with the newsletters it receives (NWS-1); a recorded read",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("NewsletterContact"),
            errors: &[404],
            handler: || get(list),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/newsletter-contacts",
            auth: WRITE,
            operation_id: "addNewsletterContact",
            tag: "newsletters",
            summary: "Add a contact who asked for newsletters: name, organisation, e-mail address and nothing else; an address that unsubscribed before is refused for good (NWS-1)",
            id_of: None,
            query: &[],
            body: B::Json("NewsletterContactInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(add),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/newsletter-contacts/{id}/unsubscribe",
            auth: WRITE,
            operation_id: "unsubscribeNewsletterContact",
            tag: "newsletters",
            summary: "Unsubscribe a contact at its request, at once: its record goes, the objection of its address stays (NWS-1)",
            id_of: Some("newsletter contact"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404],
            handler: || post(unsubscribe),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/newsletter-mailing.csv",
            auth: WRITE,
            operation_id: "newsletterMailingCsv",
            tag: "newsletters",
            summary: "A newsletter's mailing list as CSV (text/csv): its subscribers now, each with its own link to unsubscribe; a recorded export (NWS-1)",
            id_of: None,
            query: &[QueryParam {
                name: "newsletter",
                format: "",
                description: "The newsletter's code in the policy",
            }],
            body: B::None,
            success: S::File,
            errors: &[404, 422],
            handler: || get(mailing),
        },
    ]
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    ok(&state.app.newsletter_contacts(caller.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactIn {
    name: String,
    organisation: String,
    email: String,
    newsletters: Vec<String>,
}

pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<ContactIn>,
) -> Result<Response, ApiError> {
    let id = state
        .app
        .add_newsletter_contact(
            caller.actor(),
            &ContactInput {
                name: b.name,
                organisation: b.organisation,
                email: b.email,
                newsletters: b.newsletters,
            },
        )
        .await?;
    created(&Created { id })
}

pub async fn unsubscribe(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .app
        .unsubscribe_newsletter_contact(caller.actor(), path_id(&id)?)
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailingParams {
    newsletter: String,
}

pub async fn mailing(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<MailingParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = query.map_err(|_| ApiError::Invalid {
        field: "newsletter",
        message: "name the newsletter by its code: ?newsletter=...",
    })?;
    let lines = state
        .app
        .newsletter_mailing(caller.actor(), p.newsletter.trim())
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mailing.csv\"",
            ),
        ],
        mailing_csv(&lines)?,
    )
        .into_response())
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let string = json!({"type": "string"});
    let instant = json!({"type": "string", "format": "date-time"});
    s.insert(
        "NewsletterContact".into(),
        json!({
            "type": "object",
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "name": string,
                "organisation": string,
                "email": string,
                "newsletters": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"newsletter": string, "since": instant},
                    "required": ["newsletter", "since"],
                    "additionalProperties": false,
                }},
                "added_by": {"type": "string", "format": "uuid"},
                "added_at": instant,
            },
            "required": ["id", "name", "organisation", "email", "newsletters", "added_by", "added_at"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "NewsletterContactInput".into(),
        json!({
            "type": "object",
            "description": "Exactly what a mailing needs; any other field is refused.",
            "properties": {
                "name": string,
                "organisation": {"type": "string", "description": "2 to 200 characters"},
                "email": string,
                "newsletters": {"type": "array", "items": string, "minItems": 1, "description": "Codes of the policy's newsletters"},
            },
            "required": ["name", "organisation", "email", "newsletters"],
            "additionalProperties": false,
        }),
    );
}
