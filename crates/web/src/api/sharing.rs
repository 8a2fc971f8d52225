//! Sharing through the API (SHR-1..4): the register of outside organisations and their
//! processing agreements, disclosures of a trajectory's data with their packages, the
//! notice to the client and the privacy officer's review and queue. The same core calls
//! as `pages::sharing`, so the same rules decide and the same audit events are written.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::api_tokens::Scope as TokenScope;
use zv_core::disclosures::{DisclosureChoices, DisclosureInput, DisclosureLine, DisclosureView};
use zv_core::recipients::{AgreementInput, RecipientInput, RecipientView};
use zv_domain::{EntryId, TrajectoryId};

use super::auth::Caller;
use super::{
    ApiError, Auth, Endpoint, JsonBody, RequestBody, Success, Verb, created, no_content, ok,
    path_id,
};
use crate::state::AppState;

const READ: Auth = Auth::Scope(TokenScope::Read);
const WRITE: Auth = Auth::Scope(TokenScope::Write);
const AUDIT: Auth = Auth::Scope(TokenScope::Audit);

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/recipients",
            auth: READ,
            operation_id: "listRecipients",
            tag: "sharing",
            summary: "The register of outside organisations, each with its country, kind, processing agreements and whether personal data may go to it today (SHR-2, SHR-3)",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("Recipient"),
            errors: &[],
            handler: || get(list_recipients),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/recipients",
            auth: AUDIT,
            operation_id: "addRecipient",
            tag: "sharing",
            summary: "Add an organisation to the register (the privacy officer); a country outside the EEA is refused (SHR-2)",
            id_of: None,
            query: &[],
            body: B::Json("RecipientInput"),
            success: S::Created("Recipient"),
            errors: &[400, 413, 415, 422],
            handler: || post(add_recipient),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/recipients/{id}",
            auth: READ,
            operation_id: "getRecipient",
            tag: "sharing",
            summary: "One organisation of the register",
            id_of: Some("recipient"),
            query: &[],
            body: B::None,
            success: S::Ok("Recipient"),
            errors: &[404],
            handler: || get(get_recipient),
        },
        Endpoint {
            verb: Verb::Put,
            path: "/recipients/{id}",
            auth: AUDIT,
            operation_id: "updateRecipient",
            tag: "sharing",
            summary: "Change an organisation's name, country, kind or contact; the same rules as adding it",
            id_of: Some("recipient"),
            query: &[],
            body: B::Json("RecipientInput"),
            success: S::Ok("Recipient"),
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || put(update_recipient),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/recipients/{id}/retire",
            auth: AUDIT,
            operation_id: "retireRecipient",
            tag: "sharing",
            summary: "Take an organisation out of use; what went to it stays on record",
            id_of: Some("recipient"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(retire_recipient),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/recipients/{id}/agreements",
            auth: AUDIT,
            operation_id: "addProcessingAgreement",
            tag: "sharing",
            summary: "Record a processor's processing agreement with its dates (SHR-3)",
            id_of: Some("recipient"),
            query: &[],
            body: B::Json("AgreementInput"),
            success: S::Created("Recipient"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(add_agreement),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/trajectories/{id}/disclosures",
            auth: READ,
            operation_id: "trajectoryDisclosures",
            tag: "sharing",
            summary: "What of a trajectory was disclosed, the entries that may be chosen and the organisations that may receive data today (SHR-1; a recorded read)",
            id_of: Some("trajectory"),
            query: &[],
            body: B::None,
            success: S::Ok("DisclosureChoices"),
            errors: &[404],
            handler: || get(choices),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/trajectories/{id}/disclosures",
            auth: WRITE,
            operation_id: "recordDisclosure",
            tag: "sharing",
            summary: "Record a disclosure of chosen entries and/or a generated summary to a registered organisation on a ground: a consent in force (checked), a law, or the prevention of a crime or protection of someone with a reason (SHR-1..4; recorded as an export)",
            id_of: Some("trajectory"),
            query: &[],
            body: B::Json("DisclosureInput"),
            success: S::Created("Disclosure"),
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(record),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/disclosures/{id}",
            auth: READ,
            operation_id: "getDisclosure",
            tag: "sharing",
            summary: "One disclosure with its reasons and the package as it left (a recorded read)",
            id_of: Some("disclosure"),
            query: &[],
            body: B::None,
            success: S::Ok("Disclosure"),
            errors: &[404],
            handler: || get(get_disclosure),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/disclosures/{id}/pdf",
            auth: READ,
            operation_id: "disclosurePdf",
            tag: "sharing",
            summary: "The package as it left, as a readable PDF (a recorded read)",
            id_of: Some("disclosure"),
            query: &[],
            body: B::None,
            success: S::File,
            errors: &[404],
            handler: || get(package_pdf),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/disclosures/{id}/json",
            auth: READ,
            operation_id: "disclosureJson",
            tag: "sharing",
            summary: "The package as it left, as JSON (zorgvuldig.disclosure/1; a recorded read)",
            id_of: Some("disclosure"),
            query: &[],
            body: B::None,
            success: S::File,
            errors: &[404],
            handler: || get(package_json),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/disclosures/{id}/letter",
            auth: READ,
            operation_id: "disclosureNoticeLetter",
            tag: "sharing",
            summary: "The letter telling the client of the disclosure (SHR-4) as a PDF: to whom, when, on which ground, which data by title, and the client's rights including the complaint to the Autoriteit Persoonsgegevens (a recorded print; 409 while a safety reason forbids telling the client)",
            id_of: Some("disclosure"),
            query: &[super::QueryParam {
                name: "lang",
                format: "",
                description: "The letter's language: nl (default) or en",
            }],
            body: B::None,
            success: S::File,
            errors: &[404, 409, 422],
            handler: || get(notice_letter),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/disclosures/{id}/notice",
            auth: WRITE,
            operation_id: "recordDisclosureNotice",
            tag: "sharing",
            summary: "Record when and how the client was told of a disclosure not resting on consent (SHR-4)",
            id_of: Some("disclosure"),
            query: &[],
            body: B::Json("DisclosureNoticeInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(notice),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/disclosures/{id}/review",
            auth: AUDIT,
            operation_id: "reviewDisclosureSafetyReason",
            tag: "sharing",
            summary: "The privacy officer's review of a safety reason not to tell the client: upheld, or overruled so the notice becomes due (SHR-4)",
            id_of: Some("disclosure"),
            query: &[],
            body: B::Json("DisclosureReviewInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(review),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/disclosure-queue",
            auth: AUDIT,
            operation_id: "disclosureQueue",
            tag: "sharing",
            summary: "The privacy officer's queue: disclosures whose notice to the client is due and safety reasons awaiting review (SHR-4)",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::Ok("DisclosureQueue"),
            errors: &[],
            handler: || get(queue),
        },
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientBody {
    name: String,
    country: String,
    kind: String,
    #[serde(default)]
    contact: Option<String>,
}

impl From<RecipientBody> for RecipientInput {
    fn from(b: RecipientBody) -> Self {
        Self {
            name: b.name,
            country: b.country,
            kind: b.kind,
            contact: b.contact,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementBody {
    reference: String,
    signed_on: NaiveDate,
    valid_from: NaiveDate,
    #[serde(default)]
    valid_until: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureBody {
    recipient: uuid::Uuid,
    ground: String,
    #[serde(default)]
    law: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    entries: Vec<uuid::Uuid>,
    #[serde(default)]
    summary: bool,
    #[serde(default)]
    disclosed_on: Option<NaiveDate>,
    #[serde(default)]
    safety_reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeBody {
    given_on: NaiveDate,
    channel: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    upheld: bool,
}

#[derive(Serialize)]
struct Queue<'a> {
    notices_due: &'a [DisclosureLine],
    safety_reviews: &'a [DisclosureLine],
}

pub async fn list_recipients(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let list: Vec<RecipientView> = state.app.recipients(caller.actor()).await?;
    ok(&list)
}

pub async fn get_recipient(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    ok(&state.app.recipient(caller.actor(), id).await?)
}

pub async fn add_recipient(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<RecipientBody>,
) -> Result<Response, ApiError> {
    let id = state.app.add_recipient(caller.actor(), b.into()).await?;
    created(&state.app.recipient(caller.actor(), id).await?)
}

pub async fn update_recipient(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<RecipientBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state
        .app
        .update_recipient(caller.actor(), id, b.into())
        .await?;
    ok(&state.app.recipient(caller.actor(), id).await?)
}

pub async fn retire_recipient(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state.app.retire_recipient(caller.actor(), id).await?;
    no_content()
}

pub async fn add_agreement(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<AgreementBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state
        .app
        .add_agreement(
            caller.actor(),
            id,
            AgreementInput {
                reference: b.reference,
                signed_on: b.signed_on,
                valid_from: b.valid_from,
                valid_until: b.valid_until,
            },
        )
        .await?;
    created(&state.app.recipient(caller.actor(), id).await?)
}

pub async fn choices(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = TrajectoryId::from_uuid(path_id(&id)?);
    let c: DisclosureChoices = state.app.disclosure_choices(caller.actor(), id).await?;
    ok(&c)
}

pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<DisclosureBody>,
) -> Result<Response, ApiError> {
    let trajectory = TrajectoryId::from_uuid(path_id(&id)?);
    let id = state
        .app
        .record_disclosure(
            caller.actor(),
            trajectory,
            DisclosureInput {
                recipient: Some(b.recipient),
                ground: b.ground,
                law: b.law,
                reason: b.reason,
                entries: b.entries.into_iter().map(EntryId::from_uuid).collect(),
                summary: b.summary,
                disclosed_on: b.disclosed_on,
                safety_reason: b.safety_reason,
            },
        )
        .await?;
    let v: DisclosureView = state.app.disclosure(caller.actor(), id).await?;
    created(&v)
}

pub async fn get_disclosure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    ok(&state.app.disclosure(caller.actor(), id).await?)
}

async fn package(
    state: &AppState,
    caller: &Caller,
    id: &str,
    pdf: bool,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let f = state
        .app
        .disclosure_package(caller.actor(), id, pdf)
        .await?;
    Ok(file_response(&f.file_name, f.media_type, f.bytes.to_vec()))
}

pub async fn package_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    package(&state, &caller, &id, true).await
}

pub async fn package_json(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    package(&state, &caller, &id, false).await
}

#[derive(Deserialize)]
pub struct LetterQuery {
    #[serde(default)]
    lang: String,
}

pub async fn notice_letter(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<axum::extract::Query<LetterQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let lang = query.map(|q| q.0.lang).unwrap_or_else(|_| "?".to_owned());
    let language = crate::pages::requests::letter_language(&lang)
        .map_err(|_| zv_core::CoreError::invalid("lang", "nl or en"))?;
    let f = state
        .app
        .disclosure_notice_letter(caller.actor(), id, language)
        .await?;
    Ok(file_response(&f.file_name, f.media_type, f.bytes.to_vec()))
}

pub async fn notice(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NoticeBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state
        .app
        .record_disclosure_notice(caller.actor(), id, b.given_on, &b.channel)
        .await?;
    no_content()
}

pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ReviewBody>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state
        .app
        .review_disclosure_safety(caller.actor(), id, b.upheld)
        .await?;
    no_content()
}

pub async fn queue(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let q = state.app.disclosure_queue(caller.actor()).await?;
    ok(&Queue {
        notices_due: &q.notices_due,
        safety_reviews: &q.safety_reviews,
    })
}

/// A package file: never cached, always a download.
pub(crate) fn file_response(name: &str, media_type: &'static str, bytes: Vec<u8>) -> Response {
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    (
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// The schemas of these operations, for the OpenAPI document.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let uuid = json!({"type": "string", "format": "uuid"});
    let date = json!({"type": "string", "format": "date"});
    let nullable_date = json!({"type": ["string", "null"], "format": "date"});
    let instant = json!({"type": "string", "format": "date-time"});
    let integer = json!({"type": "integer"});
    let boolean = json!({"type": "boolean"});
    let string = json!({"type": "string"});
    let nullable_string = json!({"type": ["string", "null"]});
    let kinds = json!({"type": "string", "enum": ["care_partner", "municipality", "veilig_thuis", "processor", "auditor", "research_institute"]});
    let grounds = json!({"type": "string", "enum": ["consent", "legal_obligation", "legal_permission", "prevent_crime", "protect_person"]});
    let notices =
        json!({"type": "string", "enum": ["not_needed", "due", "given", "withheld_for_safety"]});
    let agreement = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "reference": string,
            "signed_on": date,
            "valid_from": date,
            "valid_until": nullable_date,
            "in_force": boolean,
        },
        "required": ["id", "reference", "signed_on", "valid_from", "valid_until", "in_force"],
        "additionalProperties": false,
    });
    s.insert(
        "Recipient".into(),
        json!({
            "type": "object",
            "description": "An outside organisation in the register (SHR-2, SHR-3). `usable`: in the EEA, not retired, not a research institute, and for a processor an agreement in force.",
            "properties": {
                "id": uuid,
                "name": string,
                "country": string,
                "kind": kinds,
                "contact": nullable_string,
                "in_eea": boolean,
                "retired": boolean,
                "agreement": {"type": "string", "enum": ["not_needed", "in_force", "ending_soon", "missing"]},
                "agreement_ends_on": nullable_date,
                "agreements": {"type": "array", "items": agreement},
                "usable": boolean,
            },
            "required": ["id", "name", "country", "kind", "contact", "in_eea", "retired", "agreement", "agreement_ends_on", "agreements", "usable"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "RecipientInput".into(),
        json!({
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "country": {"type": "string", "description": "ISO 3166-1 alpha-2, inside the EEA", "minLength": 2, "maxLength": 2},
                "kind": kinds,
                "contact": {"type": ["string", "null"], "maxLength": 200},
            },
            "required": ["name", "country", "kind"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "AgreementInput".into(),
        json!({
            "type": "object",
            "properties": {
                "reference": {"type": "string", "minLength": 1, "maxLength": 100},
                "signed_on": date,
                "valid_from": date,
                "valid_until": nullable_date,
            },
            "required": ["reference", "signed_on", "valid_from"],
            "additionalProperties": false,
        }),
    );
    let line_props = json!({
        "id": uuid,
        "client": uuid,
        "trajectory": uuid,
        "recipient": uuid,
        "recipient_name": string,
        "recipient_country": string,
        "recipient_kind": string,
        "ground": grounds,
        "law": nullable_string,
        "entry_count": integer,
        "with_summary": boolean,
        "disclosed_on": date,
        "recorded_by": uuid,
        "recorded_at": instant,
        "client_notice": notices,
        "notice_given_on": nullable_date,
        "notice_channel": nullable_string,
        "safety_review": {"type": ["string", "null"], "enum": ["upheld", "overruled", null]},
    });
    let line_required = json!([
        "id",
        "client",
        "trajectory",
        "recipient",
        "recipient_name",
        "recipient_country",
        "recipient_kind",
        "ground",
        "law",
        "entry_count",
        "with_summary",
        "disclosed_on",
        "recorded_by",
        "recorded_at",
        "client_notice",
        "notice_given_on",
        "notice_channel",
        "safety_review"
    ]);
    let line = json!({
        "type": "object",
        "properties": line_props,
        "required": line_required,
        "additionalProperties": false,
    });
    s.insert("DisclosureLine".into(), line.clone());
    let mut view_props = line_props.as_object().cloned().unwrap_or_default();
    view_props.insert("reason".into(), nullable_string.clone());
    view_props.insert("safety_reason".into(), nullable_string.clone());
    view_props.insert("client_name".into(), string.clone());
    view_props.insert(
        "package".into(),
        json!({"type": "object", "description": "The package as it left (zorgvuldig.disclosure/1)"}),
    );
    view_props.insert("may_record_notice".into(), boolean.clone());
    view_props.insert("may_review".into(), boolean.clone());
    let mut view_required = line_required.as_array().cloned().unwrap_or_default();
    for f in [
        "reason",
        "safety_reason",
        "client_name",
        "package",
        "may_record_notice",
        "may_review",
    ] {
        view_required.push(json!(f));
    }
    s.insert(
        "Disclosure".into(),
        json!({
            "type": "object",
            "description": "A disclosure (SHR-1) with its reasons, whether the client was told (SHR-4), and the package as it left.",
            "properties": view_props,
            "required": view_required,
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DisclosureInput".into(),
        json!({
            "type": "object",
            "properties": {
                "recipient": uuid,
                "ground": grounds,
                "law": {"type": ["string", "null"], "description": "For a legal obligation or permission: the law", "maxLength": 200},
                "reason": {"type": ["string", "null"], "description": "To prevent a crime or protect someone: why", "maxLength": 4000},
                "entries": {"type": "array", "items": uuid},
                "summary": boolean,
                "disclosed_on": nullable_date,
                "safety_reason": {"type": ["string", "null"], "description": "Why telling the client would endanger someone (not with consent)", "maxLength": 4000},
            },
            "required": ["recipient", "ground"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DisclosureChoices".into(),
        json!({
            "type": "object",
            "properties": {
                "trajectory": uuid,
                "client": uuid,
                "service_name": string,
                "entries": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"id": uuid, "kind": string, "title": string, "written_on": date},
                    "required": ["id", "kind", "title", "written_on"],
                    "additionalProperties": false,
                }},
                "recipients": {"type": "array", "items": {"$ref": "#/components/schemas/Recipient"}},
                "disclosures": {"type": "array", "items": line},
                "frozen": boolean,
            },
            "required": ["trajectory", "client", "service_name", "entries", "recipients", "disclosures", "frozen"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DisclosureNoticeInput".into(),
        json!({
            "type": "object",
            "properties": {
                "given_on": date,
                "channel": {"type": "string", "enum": ["letter", "portal", "in_person", "phone", "email"]},
            },
            "required": ["given_on", "channel"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DisclosureReviewInput".into(),
        json!({
            "type": "object",
            "properties": {"upheld": boolean},
            "required": ["upheld"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DisclosureQueue".into(),
        json!({
            "type": "object",
            "properties": {
                "notices_due": {"type": "array", "items": {"$ref": "#/components/schemas/DisclosureLine"}},
                "safety_reviews": {"type": "array", "items": {"$ref": "#/components/schemas/DisclosureLine"}},
            },
            "required": ["notices_due", "safety_reviews"],
            "additionalProperties": false,
        }),
    );
}
