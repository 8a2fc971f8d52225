//! The register of data breaches through the API (TRN-3): any staff member reports a
//! suspected breach and lists the references of their own reports; the privacy officer
//! lists and reads the register with each breach's 72-hour clock, completes the facts,
//! records the decisions, the notification and the informing, closes a breach, and gets
//! the notification's content as a PDF. The same core calls as `pages::breaches`, so the
//! same rules decide.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::CoreError;
use zv_core::api_tokens::Scope as TokenScope;
use zv_core::breaches::{DecisionInput, FactsInput, NotifiedInput, ReportInput, parse_moment};

use super::auth::Caller;
use super::clients::date;
use super::{
    ApiError, Auth, Endpoint, JsonBody, QueryParam, RequestBody, Success, Verb, created,
    no_content, ok, path_id,
};
use crate::i18n::Lang;
use crate::state::AppState;

const READ: Auth = Auth::Scope(TokenScope::Read);
const WRITE: Auth = Auth::Scope(TokenScope::Write);

const LANG: &[QueryParam] = &[QueryParam {
    name: "lang",
    format: "",
    description: "The document's language: nl (the default) or en",
}];

#[expect(
    clippy::too_many_lines,
    reason = "the table of this register's operations"
)]
pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/breaches",
            auth: READ,
            operation_id: "listDataBreaches",
            tag: "breaches",
            summary: "The register of data breaches (TRN-3), for the privacy officer: open ones first by deadline, each with its 72-hour clock; a recorded read",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("DataBreach"),
            errors: &[404],
            handler: || get(list),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/breaches",
            auth: WRITE,
            operation_id: "reportDataBreach",
            tag: "breaches",
            summary: "Report a suspected data breach (any staff member, at once: art. 33(2)); the 72-hour clock starts now. Answers the reference",
            id_of: None,
            query: &[],
            body: B::Json("DataBreachReportInput"),
            success: S::Created("DataBreachReported"),
            errors: &[400, 413, 415, 422],
            handler: || post(report),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/breach-reports",
            auth: READ,
            operation_id: "myDataBreachReports",
            tag: "breaches",
            summary: "The references of the breaches the caller reported, without content",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("DataBreachReport"),
            errors: &[404],
            handler: || get(mine),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/breaches/{id}",
            auth: READ,
            operation_id: "getDataBreach",
            tag: "breaches",
            summary: "One data breach with its facts, decisions, notification and clock; a recorded read",
            id_of: Some("data breach"),
            query: &[],
            body: B::None,
            success: S::Ok("DataBreach"),
            errors: &[404],
            handler: || get(one),
        },
        Endpoint {
            verb: Verb::Put,
            path: "/breaches/{id}",
            auth: WRITE,
            operation_id: "changeDataBreachFacts",
            tag: "breaches",
            summary: "Complete or correct the facts of a breach that is not closed (a reported one is taken up)",
            id_of: Some("data breach"),
            query: &[],
            body: B::Json("DataBreachFacts"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || put(facts),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/breaches/{id}/decision",
            auth: WRITE,
            operation_id: "decideDataBreach",
            tag: "breaches",
            summary: "Decide whether to notify the Autoriteit Persoonsgegevens and whether to inform the people concerned; each no needs its reason",
            id_of: Some("data breach"),
            query: &[],
            body: B::Json("DataBreachDecision"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(decide),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/breaches/{id}/notified",
            auth: WRITE,
            operation_id: "recordDataBreachNotified",
            tag: "breaches",
            summary: "Record the notification to the Autoriteit Persoonsgegevens, once, after the decision to notify; later than 72 hours needs the reason for the delay",
            id_of: Some("data breach"),
            query: &[],
            body: B::Json("DataBreachNotified"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(notified),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/breaches/{id}/informed",
            auth: WRITE,
            operation_id: "recordDataBreachInformed",
            tag: "breaches",
            summary: "Record when the people concerned were informed (art. 34), once, after the decision to inform them",
            id_of: Some("data breach"),
            query: &[],
            body: B::Json("DataBreachInformed"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(informed),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/breaches/{id}/close",
            auth: WRITE,
            operation_id: "closeDataBreach",
            tag: "breaches",
            summary: "Close a breach whose facts are recorded and whose decisions are made and carried out; it stays in the register",
            id_of: Some("data breach"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(close),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/breaches/{id}/notification.pdf",
            auth: READ,
            operation_id: "dataBreachNotificationPdf",
            tag: "breaches",
            summary: "The content of the notification to the Autoriteit Persoonsgegevens as a PDF (art. 33(3)), in Dutch or English; a recorded export",
            id_of: Some("data breach"),
            query: LANG,
            body: B::None,
            success: S::File,
            errors: &[404, 422],
            handler: || get(pdf),
        },
    ]
}

/// A moment in a body: RFC 3339 with its offset, or a local time in Europe/Amsterdam.
fn moment(field: &'static str, raw: &str) -> Result<chrono::DateTime<chrono::Utc>, ApiError> {
    parse_moment(raw).ok_or_else(|| {
        ApiError::Core(CoreError::invalid(
            field,
            "a moment: RFC 3339 with its offset, or YYYY-MM-DDTHH:MM in Netherlands time",
        ))
    })
}

fn moment_or_now(
    state: &AppState,
    field: &'static str,
    raw: Option<&str>,
) -> Result<chrono::DateTime<chrono::Utc>, ApiError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(state.app.clock().now()),
        Some(t) => moment(field, t),
    }
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    ok(&state.app.breaches(caller.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportIn {
    /// When the reporter noticed it; now when absent.
    #[serde(default)]
    noticed_at: Option<String>,
    what_happened: String,
}

impl std::fmt::Debug for ReportIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReportIn(***)")
    }
}

#[derive(Serialize)]
struct Reported {
    id: uuid::Uuid,
    reference: String,
}

pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<ReportIn>,
) -> Result<Response, ApiError> {
    let input = ReportInput {
        noticed_at: moment_or_now(&state, "noticed_at", b.noticed_at.as_deref())?,
        what_happened: b.what_happened,
    };
    let (id, reference) = state.app.report_breach(caller.actor(), &input).await?;
    created(&Reported { id, reference })
}

pub async fn mine(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    ok(&state.app.my_breach_reports(caller.actor()).await?)
}

pub async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ok(&state.app.breach(caller.actor(), path_id(&id)?).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactsIn {
    aware_at: String,
    #[serde(default)]
    occurred_from: Option<String>,
    #[serde(default)]
    occurred_to: Option<String>,
    #[serde(default)]
    discovered: Option<String>,
    facts: String,
    data_categories: Vec<String>,
    #[serde(default)]
    special_categories: bool,
    people_categories: Vec<String>,
    #[serde(default)]
    people_count: Option<i64>,
    #[serde(default)]
    records_count: Option<i64>,
    #[serde(default)]
    consequences: Option<String>,
    #[serde(default)]
    measures: Option<String>,
    #[serde(default)]
    contact: Option<String>,
}

impl std::fmt::Debug for FactsIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FactsIn(***)")
    }
}

fn date_opt(field: &'static str, raw: Option<&str>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => Ok(Some(date(field, d)?)),
    }
}

pub async fn facts(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<FactsIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = FactsInput {
        aware_at: moment("aware_at", &b.aware_at)?,
        occurred_from: date_opt("occurred_from", b.occurred_from.as_deref())?,
        occurred_to: date_opt("occurred_to", b.occurred_to.as_deref())?,
        discovered: b.discovered.unwrap_or_default(),
        facts: b.facts,
        data_categories: b.data_categories,
        special_categories: b.special_categories,
        people_categories: b.people_categories,
        people_count: b.people_count,
        records_count: b.records_count,
        consequences: b.consequences.unwrap_or_default(),
        measures: b.measures.unwrap_or_default(),
        contact: b.contact.unwrap_or_default(),
    };
    state
        .app
        .update_breach_facts(caller.actor(), id, &input)
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    notify: String,
    #[serde(default)]
    notify_reason: Option<String>,
    inform: String,
    #[serde(default)]
    inform_reason: Option<String>,
}

pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<DecisionIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = DecisionInput {
        notify: b.notify,
        notify_reason: b.notify_reason.unwrap_or_default(),
        inform: b.inform,
        inform_reason: b.inform_reason.unwrap_or_default(),
    };
    state.app.decide_breach(caller.actor(), id, &input).await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifiedIn {
    /// Now when absent.
    #[serde(default)]
    notified_at: Option<String>,
    ap_reference: String,
    #[serde(default)]
    late_reason: Option<String>,
}

pub async fn notified(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NotifiedIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let input = NotifiedInput {
        notified_at: moment_or_now(&state, "notified_at", b.notified_at.as_deref())?,
        ap_reference: b.ap_reference,
        late_reason: b.late_reason.unwrap_or_default(),
    };
    state
        .app
        .record_breach_notified(caller.actor(), id, &input)
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InformedIn {
    /// Now when absent.
    #[serde(default)]
    informed_at: Option<String>,
}

pub async fn informed(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<InformedIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let at = moment_or_now(&state, "informed_at", b.informed_at.as_deref())?;
    state
        .app
        .record_breach_informed(caller.actor(), id, at)
        .await?;
    no_content()
}

pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .app
        .close_breach(caller.actor(), path_id(&id)?)
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfParams {
    #[serde(default)]
    lang: Option<String>,
}

pub async fn pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<PdfParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let Query(p) = query.map_err(|_| ApiError::Invalid {
        field: "query",
        message: "the only parameter is lang",
    })?;
    let lang = match p.lang.as_deref().map(str::trim) {
        None | Some("") => Lang::Nl,
        Some(code) => {
            Lang::from_code(code).ok_or_else(|| CoreError::invalid("lang", "nl or en"))?
        }
    };
    let bytes = crate::pages::breaches::notice_pdf(&state, caller.actor(), id, lang).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"data-breach-notification.pdf\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The schemas of this module, added to the document's components.
#[expect(
    clippy::too_many_lines,
    reason = "every schema of the register, field by field"
)]
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let string = json!({"type": "string"});
    let uuid = json!({"type": "string", "format": "uuid"});
    let instant = json!({"type": "string", "format": "date-time"});
    let nullable_string = json!({"type": ["string", "null"]});
    let nullable_date = json!({"type": ["string", "null"], "format": "date"});
    let nullable_instant = json!({"type": ["string", "null"], "format": "date-time"});
    let nullable_uuid = json!({"type": ["string", "null"], "format": "uuid"});
    let nullable_count = json!({"type": ["integer", "null"], "minimum": 0});
    let data_codes: Vec<&str> = zv_policy::DataCategory::ALL
        .iter()
        .map(|c| c.code())
        .collect();
    let people_codes: Vec<&str> = zv_core::breaches::PEOPLE
        .iter()
        .map(|p| zv_core::breaches::people_code(*p))
        .collect();
    let data_list = json!({"type": "array", "items": {"type": "string", "enum": data_codes}});
    let people_list = json!({"type": "array", "items": {"type": "string", "enum": people_codes}});
    let moment_in = "RFC 3339 with its offset, or YYYY-MM-DDTHH:MM in Netherlands time";
    s.insert(
        "DataBreach".into(),
        json!({
            "type": "object",
            "description": "A data breach in the register (TRN-3), with its 72-hour clock.",
            "properties": {
                "id": uuid,
                "reference": {"type": "string", "description": "DL-YYYY-NNNN"},
                "status": {"type": "string", "enum": ["reported", "open", "closed"]},
                "aware_at": {"type": "string", "format": "date-time", "description": "When the organisation became aware: the 72 hours run from here"},
                "aware_at_local": {"type": "string", "description": "The same moment in Netherlands time, with the zone"},
                "clock": {
                    "type": "object",
                    "properties": {
                        "deadline": {"type": "string", "format": "date-time", "description": "aware_at plus 72 real hours"},
                        "deadline_local": {"type": "string", "description": "The deadline in Netherlands time, with the zone (CET or CEST)"},
                        "state": {"type": "string", "enum": ["running", "due_soon", "overdue", "notified_in_time", "notified_late", "not_notifying"]},
                        "minutes_left": {"type": "integer", "description": "Until the deadline; negative once past"},
                    },
                    "required": ["deadline", "deadline_local", "state", "minutes_left"],
                    "additionalProperties": false,
                },
                "reported_by": uuid,
                "reported_at": instant,
                "noticed_at": instant,
                "occurred_from": nullable_date,
                "occurred_to": nullable_date,
                "discovered": nullable_string,
                "facts": string,
                "data_categories": data_list,
                "special_categories": {"type": "boolean"},
                "people_categories": people_list,
                "people_count": nullable_count,
                "records_count": nullable_count,
                "consequences": nullable_string,
                "measures": nullable_string,
                "contact": nullable_string,
                "notify_decision": {"type": ["string", "null"], "enum": ["notify", "not_notify"]},
                "notify_reason": nullable_string,
                "inform_decision": {"type": ["string", "null"], "enum": ["inform", "not_inform"]},
                "inform_reason": nullable_string,
                "decided_by": nullable_uuid,
                "decided_at": nullable_instant,
                "notified_at": nullable_instant,
                "ap_reference": nullable_string,
                "late_reason": nullable_string,
                "informed_at": nullable_instant,
                "escalation": {"type": ["string", "null"], "enum": ["due_soon", "overdue"], "description": "The last stage the privacy officer was mailed about"},
                "closed_at": nullable_instant,
            },
            "required": ["id", "reference", "status", "aware_at", "aware_at_local", "clock", "reported_by", "reported_at", "noticed_at", "occurred_from", "occurred_to", "discovered", "facts", "data_categories", "special_categories", "people_categories", "people_count", "records_count", "consequences", "measures", "contact", "notify_decision", "notify_reason", "inform_decision", "inform_reason", "decided_by", "decided_at", "notified_at", "ap_reference", "late_reason", "informed_at", "escalation", "closed_at"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DataBreachReportInput".into(),
        json!({
            "type": "object",
            "properties": {
                "noticed_at": {"type": "string", "description": format!("When the reporter noticed it, not in the future; now when absent. {moment_in}")},
                "what_happened": {"type": "string", "description": "10 to 4,000 characters"},
            },
            "required": ["what_happened"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DataBreachReported".into(),
        json!({
            "type": "object",
            "properties": {"id": uuid, "reference": string},
            "required": ["id", "reference"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DataBreachReport".into(),
        json!({
            "type": "object",
            "description": "One of the caller's own reports: its reference and when, no content.",
            "properties": {
                "id": uuid,
                "reference": string,
                "reported_at": instant,
                "reported_at_local": string,
            },
            "required": ["id", "reference", "reported_at", "reported_at_local"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DataBreachFacts".into(),
        json!({
            "type": "object",
            "properties": {
                "aware_at": {"type": "string", "description": format!("When the organisation became aware: not in the future, not after the report. {moment_in}")},
                "occurred_from": {"type": "string", "format": "date"},
                "occurred_to": {"type": "string", "format": "date"},
                "discovered": {"type": "string", "description": "How it was discovered, at most 1,000 characters"},
                "facts": {"type": "string", "description": "What happened, 10 to 8,000 characters"},
                "data_categories": data_list,
                "special_categories": {"type": "boolean"},
                "people_categories": people_list,
                "people_count": {"type": "integer", "minimum": 0},
                "records_count": {"type": "integer", "minimum": 0},
                "consequences": {"type": "string", "description": "At most 4,000 characters"},
                "measures": {"type": "string", "description": "At most 4,000 characters"},
                "contact": {"type": "string", "description": "A contact point besides the privacy officer, at most 1,000 characters"},
            },
            "required": ["aware_at", "facts", "data_categories", "people_categories"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DataBreachDecision".into(),
        json!({
            "type": "object",
            "properties": {
                "notify": {"type": "string", "enum": ["notify", "not_notify"]},
                "notify_reason": {"type": "string", "description": "Required for not_notify: why the breach is unlikely to result in a risk"},
                "inform": {"type": "string", "enum": ["inform", "not_inform"]},
                "inform_reason": {"type": "string", "description": "Required for not_inform: why there is no high risk (art. 34)"},
            },
            "required": ["notify", "inform"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DataBreachNotified".into(),
        json!({
            "type": "object",
            "properties": {
                "notified_at": {"type": "string", "description": format!("Not in the future, not before aware_at; now when absent. {moment_in}")},
                "ap_reference": {"type": "string", "description": "The authority's reference, 2 to 100 characters"},
                "late_reason": {"type": "string", "description": "Required when notified later than 72 hours after aware_at"},
            },
            "required": ["ap_reference"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DataBreachInformed".into(),
        json!({
            "type": "object",
            "properties": {
                "informed_at": {"type": "string", "description": format!("Not in the future, not before aware_at; now when absent. {moment_in}")},
            },
            "additionalProperties": false,
        }),
    );
}
