//! HR's and finance's records through the API (RET-2, decision 0034): vacancies and
//! applicants (with the consent to be kept in portfolio), staff records (the day of
//! leaving), financial records, and their documents. The same core calls as
//! `pages::personnel`, so the same rules decide. A document is uploaded as the body
//! itself, its media type as `Content-Type`, its name in `Content-Disposition` (a file
//! name can name a person, so it never goes in the URL); the kind of document travels in
//! the query.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::api_tokens::Scope as TokenScope;
use zv_core::personnel::{
    ApplicantInput, FileInput, FinancialInput, Owner, PortfolioInput, StaffInput, VacancyInput,
};

use super::auth::Caller;
use super::clients::date;
use super::{
    ApiError, Auth, Created, Endpoint, JsonBody, QueryParam, RequestBody, Success, Verb, created,
    ok, path_id,
};
use crate::state::AppState;

const READ: Auth = Auth::Scope(TokenScope::Read);
const WRITE: Auth = Auth::Scope(TokenScope::Write);

const KIND: &[QueryParam] = &[QueryParam {
    name: "kind",
    format: "",
    description: "The kind of document: cv or letter (applicant), id_copy or document (staff record), document (financial record)",
}];

#[expect(
    clippy::too_many_arguments,
    reason = "one call per operation, every field named"
)]
fn endpoint(
    verb: Verb,
    path: &'static str,
    auth: Auth,
    operation_id: &'static str,
    summary: &'static str,
    id_of: Option<&'static str>,
    body: RequestBody,
    success: Success,
    errors: &'static [u16],
    handler: fn() -> axum::routing::MethodRouter<AppState>,
) -> Endpoint {
    Endpoint {
        verb,
        path,
        auth,
        operation_id,
        tag: "personnel",
        summary,
        id_of,
        query: if matches!(body, RequestBody::Document) {
            KIND
        } else {
            &[]
        },
        body,
        success,
        errors,
        handler,
    }
}

#[expect(clippy::too_many_lines, reason = "one entry per operation")]
pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    use Verb::{Get, Post};
    const JSON_ERRORS: &[u16] = &[400, 404, 409, 413, 415, 422];
    const FILE_ERRORS: &[u16] = &[404, 409, 413, 422];
    vec![
        endpoint(
            Get,
            "/vacancies",
            READ,
            "listVacancies",
            "The vacancies with their closing date, the end of their procedure and how many applicants are kept (RET-2); a recorded read",
            None,
            B::None,
            S::List("Vacancy"),
            &[404],
            || get(vacancies),
        ),
        endpoint(
            Post,
            "/vacancies",
            WRITE,
            "createVacancy",
            "Register a vacancy with its closing date",
            None,
            B::Json("VacancyInput"),
            S::Created("Created"),
            JSON_ERRORS,
            || post(create_vacancy),
        ),
        endpoint(
            Get,
            "/vacancies/{id}",
            READ,
            "getVacancy",
            "A vacancy with its applicants and their documents; a recorded read of the applicants",
            Some("vacancy"),
            B::None,
            S::Ok("VacancyDetail"),
            &[404],
            || get(vacancy),
        ),
        endpoint(
            Post,
            "/vacancies/{id}/procedure-ended",
            WRITE,
            "endVacancyProcedure",
            "Record the day the procedure ended (not before the closing date): from then on each applicant is kept for the policy's term, or until their portfolio day (RET-2)",
            Some("vacancy"),
            B::Json("ProcedureEnd"),
            S::Ok("ProcedureEnded"),
            JSON_ERRORS,
            || post(end_procedure),
        ),
        endpoint(
            Post,
            "/vacancies/{id}/applicants",
            WRITE,
            "addApplicant",
            "Register an applicant for a vacancy whose procedure runs; add the CV and letter with /applicants/{id}/files",
            Some("vacancy"),
            B::Json("ApplicantInput"),
            S::Created("Created"),
            JSON_ERRORS,
            || post(add_applicant),
        ),
        endpoint(
            Get,
            "/applicants/{id}",
            READ,
            "getApplicant",
            "An applicant with their documents, portfolio consent and last day; a recorded read",
            Some("applicant"),
            B::None,
            S::Ok("Applicant"),
            &[404],
            || get(applicant),
        ),
        endpoint(
            Post,
            "/applicants/{id}/portfolio",
            WRITE,
            "keepApplicantInPortfolio",
            "Record the applicant's explicit written consent to be kept in portfolio until a chosen day within the policy's bounds counted from the closing date (RET-2)",
            Some("applicant"),
            B::Json("PortfolioConsent"),
            S::Ok("ApplicantTerm"),
            JSON_ERRORS,
            || post(portfolio),
        ),
        endpoint(
            Post,
            "/applicants/{id}/portfolio/withdraw",
            WRITE,
            "withdrawApplicantPortfolio",
            "The applicant withdrew the consent: they are kept only for the policy's term after the procedure ended (RTS-10)",
            Some("applicant"),
            B::None,
            S::Ok("ApplicantTerm"),
            &[404, 409],
            || post(withdraw_portfolio),
        ),
        endpoint(
            Post,
            "/applicants/{id}/files",
            WRITE,
            "addApplicantDocument",
            "Add a CV or letter: the body is the file, its media type the Content-Type, its name in Content-Disposition",
            Some("applicant"),
            B::Document,
            S::Created("Created"),
            FILE_ERRORS,
            || post(upload_applicant),
        ),
        endpoint(
            Get,
            "/staff-records",
            READ,
            "listStaffRecords",
            "The staff records, those still employed first; a recorded read",
            None,
            B::None,
            S::List("StaffRecord"),
            &[404],
            || get(staff_records),
        ),
        endpoint(
            Post,
            "/staff-records",
            WRITE,
            "createStaffRecord",
            "Register a staff record",
            None,
            B::Json("StaffRecordInput"),
            S::Created("Created"),
            JSON_ERRORS,
            || post(create_staff),
        ),
        endpoint(
            Get,
            "/staff-records/{id}",
            READ,
            "getStaffRecord",
            "A staff record with its documents and last days; a recorded read",
            Some("staff record"),
            B::None,
            S::Ok("StaffRecord"),
            &[404],
            || get(staff_record),
        ),
        endpoint(
            Post,
            "/staff-records/{id}/leaving",
            WRITE,
            "recordLeaving",
            "Record the day the staff member left: the record is kept for the policy's term after it, the copy of the identity document until 31 December of the fifth year after (RET-2)",
            Some("staff record"),
            B::Json("Leaving"),
            S::Ok("StaffTerms"),
            JSON_ERRORS,
            || post(leaving),
        ),
        endpoint(
            Post,
            "/staff-records/{id}/files",
            WRITE,
            "addStaffDocument",
            "Add a copy of the identity document or another document: the body is the file, its media type the Content-Type, its name in Content-Disposition",
            Some("staff record"),
            B::Document,
            S::Created("Created"),
            FILE_ERRORS,
            || post(upload_staff),
        ),
        endpoint(
            Get,
            "/financial-records",
            READ,
            "listFinancialRecords",
            "The financial records, the latest booking first; a recorded read",
            None,
            B::None,
            S::List("FinancialRecord"),
            &[404],
            || get(financial_records),
        ),
        endpoint(
            Post,
            "/financial-records",
            WRITE,
            "createFinancialRecord",
            "Register a financial record: it is kept for the policy's term from the end of its financial year (RET-2)",
            None,
            B::Json("FinancialRecordInput"),
            S::Created("FinancialRecordCreated"),
            JSON_ERRORS,
            || post(create_financial),
        ),
        endpoint(
            Get,
            "/financial-records/{id}",
            READ,
            "getFinancialRecord",
            "A financial record with its documents; a recorded read",
            Some("financial record"),
            B::None,
            S::Ok("FinancialRecord"),
            &[404],
            || get(financial_record),
        ),
        endpoint(
            Post,
            "/financial-records/{id}/files",
            WRITE,
            "addFinancialDocument",
            "Add a document to a financial record: the body is the file, its media type the Content-Type, its name in Content-Disposition",
            Some("financial record"),
            B::Document,
            S::Created("Created"),
            FILE_ERRORS,
            || post(upload_financial),
        ),
        endpoint(
            Get,
            "/record-files/{id}/content",
            READ,
            "downloadRecordDocument",
            "A document of an applicant, a staff record or a financial record (a recorded export)",
            Some("document"),
            B::None,
            S::File,
            &[404],
            || get(download),
        ),
    ]
}

pub async fn vacancies(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    ok(&state.app.vacancies(caller.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VacancyIn {
    title: String,
    closing_on: String,
}

pub async fn create_vacancy(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<VacancyIn>,
) -> Result<Response, ApiError> {
    let input = VacancyInput {
        closing_on: date("closing_on", &b.closing_on)?,
        title: b.title,
    };
    created(&Created {
        id: state.app.create_vacancy(caller.actor(), &input).await?,
    })
}

pub async fn vacancy(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ok(&state.app.vacancy(caller.actor(), path_id(&id)?).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcedureEndIn {
    /// Today when absent.
    #[serde(default)]
    ended_on: Option<String>,
}

#[derive(Serialize)]
struct ProcedureEnded {
    id: uuid::Uuid,
    ended_on: chrono::NaiveDate,
    applicants: u64,
}

fn day_or_today(
    state: &AppState,
    field: &'static str,
    raw: Option<&str>,
) -> Result<chrono::NaiveDate, ApiError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(state.app.clock().today()),
        Some(d) => Ok(date(field, d)?),
    }
}

pub async fn end_procedure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ProcedureEndIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let ended_on = day_or_today(&state, "ended_on", b.ended_on.as_deref())?;
    let applicants = state
        .app
        .end_vacancy_procedure(caller.actor(), id, ended_on)
        .await?;
    ok(&ProcedureEnded {
        id,
        ended_on,
        applicants,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicantIn {
    name: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    applied_on: String,
}

impl std::fmt::Debug for ApplicantIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApplicantIn(***)")
    }
}

pub async fn add_applicant(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ApplicantIn>,
) -> Result<Response, ApiError> {
    let vacancy = path_id(&id)?;
    let input = ApplicantInput {
        applied_on: date("applied_on", &b.applied_on)?,
        name: b.name,
        email: b.email.unwrap_or_default(),
        phone: b.phone.unwrap_or_default(),
    };
    created(&Created {
        id: state
            .app
            .add_applicant(caller.actor(), vacancy, &input)
            .await?,
    })
}

pub async fn applicant(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ok(&state.app.applicant(caller.actor(), path_id(&id)?).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortfolioIn {
    /// The applicant's consent is explicit and written; anything but `true` is refused.
    explicit_written_consent: bool,
    /// Today when absent.
    #[serde(default)]
    consent_on: Option<String>,
    until: String,
}

#[derive(Serialize)]
struct ApplicantTerm {
    id: uuid::Uuid,
    keep_until: Option<chrono::NaiveDate>,
}

pub async fn portfolio(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<PortfolioIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    if !b.explicit_written_consent {
        return Err(ApiError::Invalid {
            field: "explicit_written_consent",
            message: "an applicant is kept in portfolio only with explicit written consent",
        });
    }
    let input = PortfolioInput {
        consent_on: day_or_today(&state, "consent_on", b.consent_on.as_deref())?,
        until: date("until", &b.until)?,
    };
    let keep_until = state
        .app
        .record_portfolio_consent(caller.actor(), id, &input)
        .await?;
    ok(&ApplicantTerm { id, keep_until })
}

pub async fn withdraw_portfolio(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let keep_until = state
        .app
        .withdraw_portfolio_consent(caller.actor(), id)
        .await?;
    ok(&ApplicantTerm { id, keep_until })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindParams {
    #[serde(default)]
    kind: String,
}

async fn upload(
    state: &AppState,
    caller: &Caller,
    owner: Owner,
    id: &str,
    query: Result<Query<KindParams>, QueryRejection>,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let owner_id = path_id(id)?;
    let Query(p) = query.map_err(|_| ApiError::Invalid {
        field: "kind",
        message: "give the kind of document in the query, and nothing else",
    })?;
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::Malformed
        }
    })?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let input = FileInput {
        kind: p.kind,
        file_name: crate::disposition::filename_of(headers).unwrap_or_default(),
        media_type,
        bytes: bytes.to_vec(),
    };
    let id = state
        .app
        .add_record_file(caller.actor(), owner, owner_id, &input)
        .await?;
    created(&Created { id })
}

pub async fn upload_applicant(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<KindParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    upload(
        &state,
        &caller,
        Owner::Applicant,
        &id,
        query,
        &headers,
        body,
    )
    .await
}

pub async fn upload_staff(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<KindParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    upload(
        &state,
        &caller,
        Owner::StaffRecord,
        &id,
        query,
        &headers,
        body,
    )
    .await
}

pub async fn upload_financial(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<KindParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    upload(
        &state,
        &caller,
        Owner::FinancialRecord,
        &id,
        query,
        &headers,
        body,
    )
    .await
}

pub async fn staff_records(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    ok(&state.app.staff_records(caller.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffIn {
    name: String,
    #[serde(default)]
    job_title: Option<String>,
    started_on: String,
}

impl std::fmt::Debug for StaffIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaffIn(***)")
    }
}

pub async fn create_staff(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<StaffIn>,
) -> Result<Response, ApiError> {
    let input = StaffInput {
        started_on: date("started_on", &b.started_on)?,
        name: b.name,
        job_title: b.job_title.unwrap_or_default(),
    };
    created(&Created {
        id: state
            .app
            .create_staff_record(caller.actor(), &input)
            .await?,
    })
}

pub async fn staff_record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ok(&state
        .app
        .staff_record(caller.actor(), path_id(&id)?)
        .await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeavingIn {
    left_on: String,
}

#[derive(Serialize)]
struct StaffTerms {
    id: uuid::Uuid,
    keep_until: chrono::NaiveDate,
    id_copy_until: chrono::NaiveDate,
}

pub async fn leaving(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<LeavingIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let left_on = date("left_on", &b.left_on)?;
    let (keep_until, id_copy_until) = state
        .app
        .record_leaving(caller.actor(), id, left_on)
        .await?;
    ok(&StaffTerms {
        id,
        keep_until,
        id_copy_until,
    })
}

pub async fn financial_records(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    ok(&state.app.financial_records(caller.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinancialIn {
    booked_on: String,
    description: String,
    #[serde(default)]
    party: Option<String>,
    #[serde(default)]
    amount: Option<String>,
}

impl std::fmt::Debug for FinancialIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FinancialIn(***)")
    }
}

#[derive(Serialize)]
struct FinancialCreated {
    id: uuid::Uuid,
    keep_until: chrono::NaiveDate,
}

pub async fn create_financial(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<FinancialIn>,
) -> Result<Response, ApiError> {
    let input = FinancialInput {
        booked_on: date("booked_on", &b.booked_on)?,
        description: b.description,
        party: b.party.unwrap_or_default(),
        amount: b.amount.unwrap_or_default(),
    };
    let (id, keep_until) = state
        .app
        .create_financial_record(caller.actor(), &input)
        .await?;
    created(&FinancialCreated { id, keep_until })
}

pub async fn financial_record(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ok(&state
        .app
        .financial_record(caller.actor(), path_id(&id)?)
        .await?)
}

pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let file = state.app.record_file(caller.actor(), path_id(&id)?).await?;
    Ok(crate::disposition::record_file(file))
}

/// The schemas of this module, added to the document's components.
#[expect(clippy::too_many_lines, reason = "one schema per shape")]
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let string = json!({"type": "string"});
    let uuid = json!({"type": "string", "format": "uuid"});
    let date = json!({"type": "string", "format": "date"});
    let nullable_string = json!({"type": ["string", "null"]});
    let nullable_date = json!({"type": ["string", "null"], "format": "date"});
    let file = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "kind": {"type": "string", "enum": ["cv", "letter", "id_copy", "document"]},
            "file_name": string,
            "media_type": string,
            "size_bytes": {"type": "integer"},
            "added_at": {"type": "string", "format": "date-time"},
        },
        "required": ["id", "kind", "file_name", "media_type", "size_bytes", "added_at"],
        "additionalProperties": false,
    });
    let vacancy_props = json!({
        "id": uuid,
        "title": string,
        "closing_on": date,
        "procedure_ended_on": {"type": ["string", "null"], "format": "date", "description": "The day the procedure ended; none while it runs"},
        "applicants": {"type": "integer", "description": "How many applicants are still kept"},
    });
    let vacancy_required = json!([
        "id",
        "title",
        "closing_on",
        "procedure_ended_on",
        "applicants"
    ]);
    s.insert(
        "Vacancy".into(),
        json!({
            "type": "object",
            "description": "A vacancy (RET-2); no personal data.",
            "properties": vacancy_props,
            "required": vacancy_required,
            "additionalProperties": false,
        }),
    );
    let applicant = json!({
        "type": "object",
        "description": "An applicant with their documents (RET-2).",
        "properties": {
            "id": uuid,
            "reference": {"type": "string", "description": "A short reference without content"},
            "vacancy_id": uuid,
            "name": string,
            "email": nullable_string,
            "phone": nullable_string,
            "applied_on": date,
            "consent_on": nullable_date,
            "portfolio_until": nullable_date,
            "keep_until": {"type": ["string", "null"], "format": "date", "description": "The last day they are kept; none while the procedure runs"},
            "portfolio_from": {"type": ["string", "null"], "format": "date", "description": "The earliest last day a portfolio consent may choose, counted from the closing date"},
            "portfolio_to": {"type": ["string", "null"], "format": "date", "description": "The latest last day a portfolio consent may choose"},
            "files": {"type": "array", "items": file},
        },
        "required": ["id", "reference", "vacancy_id", "name", "email", "phone", "applied_on", "consent_on", "portfolio_until", "keep_until", "portfolio_from", "portfolio_to", "files"],
        "additionalProperties": false,
    });
    s.insert("Applicant".into(), applicant.clone());
    let mut detail_props = vacancy_props.as_object().cloned().unwrap_or_default();
    detail_props.insert(
        "applicant_list".into(),
        json!({"type": "array", "items": applicant}),
    );
    s.insert(
        "VacancyDetail".into(),
        json!({
            "type": "object",
            "description": "A vacancy with its applicants (RET-2).",
            "properties": detail_props,
            "required": ["id", "title", "closing_on", "procedure_ended_on", "applicants", "applicant_list"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "VacancyInput".into(),
        json!({
            "type": "object",
            "properties": {
                "title": {"type": "string", "description": "The position, 2 to 200 characters"},
                "closing_on": {"type": "string", "format": "date", "description": "The closing date"},
            },
            "required": ["title", "closing_on"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ProcedureEnd".into(),
        json!({
            "type": "object",
            "properties": {
                "ended_on": {"type": "string", "format": "date", "description": "Today (the default) or earlier, not before the closing date"},
            },
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ProcedureEnded".into(),
        json!({
            "type": "object",
            "properties": {"id": uuid, "ended_on": date, "applicants": {"type": "integer"}},
            "required": ["id", "ended_on", "applicants"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ApplicantInput".into(),
        json!({
            "type": "object",
            "properties": {
                "name": {"type": "string", "description": "2 to 200 characters"},
                "email": string,
                "phone": string,
                "applied_on": {"type": "string", "format": "date", "description": "Today or earlier"},
            },
            "required": ["name", "applied_on"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "PortfolioConsent".into(),
        json!({
            "type": "object",
            "properties": {
                "explicit_written_consent": {"type": "boolean", "description": "Must be true: the applicant gave explicit written consent"},
                "consent_on": {"type": "string", "format": "date", "description": "The day of the consent: today (the default) or earlier, not before the application"},
                "until": {"type": "string", "format": "date", "description": "The last day, within the policy's bounds counted from the closing date (Blijf Groep: 1 to 3 years)"},
            },
            "required": ["explicit_written_consent", "until"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "ApplicantTerm".into(),
        json!({
            "type": "object",
            "properties": {"id": uuid, "keep_until": nullable_date},
            "required": ["id", "keep_until"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "StaffRecord".into(),
        json!({
            "type": "object",
            "description": "A staff record with its documents and last days (RET-2).",
            "properties": {
                "id": uuid,
                "reference": string,
                "name": string,
                "job_title": nullable_string,
                "started_on": date,
                "left_on": nullable_date,
                "keep_until": nullable_date,
                "id_copy_until": nullable_date,
                "files": {"type": "array", "items": file},
            },
            "required": ["id", "reference", "name", "job_title", "started_on", "left_on", "keep_until", "id_copy_until", "files"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "StaffRecordInput".into(),
        json!({
            "type": "object",
            "properties": {
                "name": {"type": "string", "description": "2 to 200 characters"},
                "job_title": {"type": "string", "description": "At most 200 characters"},
                "started_on": {"type": "string", "format": "date", "description": "Today or earlier"},
            },
            "required": ["name", "started_on"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "Leaving".into(),
        json!({
            "type": "object",
            "properties": {
                "left_on": {"type": "string", "format": "date", "description": "Today or earlier, not before the first day"},
            },
            "required": ["left_on"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "StaffTerms".into(),
        json!({
            "type": "object",
            "properties": {"id": uuid, "keep_until": date, "id_copy_until": date},
            "required": ["id", "keep_until", "id_copy_until"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "FinancialRecord".into(),
        json!({
            "type": "object",
            "description": "A financial record with its documents (RET-2).",
            "properties": {
                "id": uuid,
                "reference": string,
                "booked_on": date,
                "description": string,
                "party": nullable_string,
                "amount": nullable_string,
                "keep_until": date,
                "files": {"type": "array", "items": file},
            },
            "required": ["id", "reference", "booked_on", "description", "party", "amount", "keep_until", "files"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "FinancialRecordInput".into(),
        json!({
            "type": "object",
            "properties": {
                "booked_on": {"type": "string", "format": "date", "description": "Today or earlier; its financial year starts the term"},
                "description": {"type": "string", "description": "2 to 1,000 characters"},
                "party": {"type": "string", "description": "The counterparty, at most 200 characters"},
                "amount": {"type": "string", "description": "An amount in euros such as 1.250,00"},
            },
            "required": ["booked_on", "description"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "FinancialRecordCreated".into(),
        json!({
            "type": "object",
            "properties": {"id": uuid, "keep_until": date},
            "required": ["id", "keep_until"],
            "additionalProperties": false,
        }),
    );
}
