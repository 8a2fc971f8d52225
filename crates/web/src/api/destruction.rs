//! The destruction register through the API (RET-6): what was destroyed or anonymised,
//! when, under which rule and by whom, without personal data; as JSON a page at a time,
//! and as CSV and PDF. The same core calls as `pages::destruction`, so the same rules
//! decide.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::CoreError;
use zv_core::destruction::{RegisterLine, RegisterQuery};

use super::auth::Caller;
use super::clients::date;
use super::{ApiError, Auth, Endpoint, QueryParam, RequestBody, Success, Verb, ok};
use crate::i18n::{Lang, Tr};
use crate::state::AppState;

const AUDIT: Auth = Auth::Scope(zv_core::api_tokens::Scope::Audit);

const FILTER: &[QueryParam] = &[
    QueryParam {
        name: "from",
        format: "date",
        description: "Destroyed on or after this local date, YYYY-MM-DD",
    },
    QueryParam {
        name: "to",
        format: "date",
        description: "Destroyed on or before this local date, YYYY-MM-DD",
    },
    QueryParam {
        name: "category",
        format: "",
        description: "Only this category: client, trajectory, entry, newsletter_contact, camera_images, group_activity, activity_media, correspondence, applicant, staff_record, staff_id_copy or financial_record",
    },
    QueryParam {
        name: "rule",
        format: "",
        description: "Only under this retention rule (its code in the policy)",
    },
];

const PAGED: &[QueryParam] = &[
    FILTER[0],
    FILTER[1],
    FILTER[2],
    FILTER[3],
    QueryParam {
        name: "page",
        format: "int64",
        description: "The page, from 1 (50 lines a page, newest first)",
    },
];

const PDF: &[QueryParam] = &[
    FILTER[0],
    FILTER[1],
    FILTER[2],
    FILTER[3],
    QueryParam {
        name: "lang",
        format: "",
        description: "The document's language: nl (default) or en",
    },
];

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/destructions",
            auth: AUDIT,
            operation_id: "destructionRegister",
            tag: "audit",
            summary: "The destruction register (RET-6): per destroyed or anonymised item its category, the rule, the day its term ended, the day it went, who or which job and how many rows; no personal data. Newest first, a page at a time",
            id_of: None,
            query: PAGED,
            body: B::None,
            success: S::Ok("DestructionRegisterPage"),
            errors: &[404, 422],
            handler: || get(register),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/destructions.csv",
            auth: AUDIT,
            operation_id: "destructionRegisterCsv",
            tag: "audit",
            summary: "The destruction register as CSV (text/csv), every line of the filter",
            id_of: None,
            query: FILTER,
            body: B::None,
            success: S::File,
            errors: &[404, 422],
            handler: || get(csv),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/destructions.pdf",
            auth: AUDIT,
            operation_id: "destructionRegisterPdf",
            tag: "audit",
            summary: "The destruction register as a PDF (application/pdf), every line of the filter, in Dutch or English",
            id_of: None,
            query: PDF,
            body: B::None,
            success: S::File,
            errors: &[404, 422],
            handler: || get(pdf),
        },
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    page: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

fn present(raw: Option<&String>) -> Option<String> {
    raw.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn parse(
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Result<(RegisterQuery, Params), ApiError> {
    let Query(p) = query.map_err(|_| ApiError::Invalid {
        field: "query",
        message: "the parameters are from, to, category, rule, page and lang",
    })?;
    let q = RegisterQuery {
        from: present(p.from.as_ref())
            .map(|d| date("from", &d))
            .transpose()?,
        to: present(p.to.as_ref()).map(|d| date("to", &d)).transpose()?,
        category: present(p.category.as_ref()),
        rule: present(p.rule.as_ref()),
        page: match present(p.page.as_ref()) {
            None => 1,
            Some(n) => n
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| CoreError::invalid("page", "a page number from 1"))?,
        },
    };
    q.check()?;
    Ok((q, p))
}

#[derive(Serialize)]
struct Page {
    lines: Vec<RegisterLine>,
    total: u64,
    page: u64,
    pages: u64,
}

pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let (q, _) = parse(query)?;
    let page = state.app.destruction_register(caller.actor(), &q).await?;
    ok(&Page {
        lines: page.lines,
        total: page.total,
        page: page.page,
        pages: page.pages,
    })
}

pub async fn csv(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let (q, _) = parse(query)?;
    let bytes = state
        .app
        .destruction_register_csv(caller.actor(), &q)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"destruction-register.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn pdf(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let (q, p) = parse(query)?;
    let lang = match present(p.lang.as_ref()) {
        None => Lang::Nl,
        Some(code) => {
            Lang::from_code(&code).ok_or_else(|| CoreError::invalid("lang", "nl or en"))?
        }
    };
    let (selection, language) = crate::pages::destruction::selection_words(Tr { lang }, &q);
    let bytes = state
        .app
        .destruction_register_pdf(caller.actor(), &q, selection, language)
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"destruction-register.pdf\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let date = json!({"type": "string", "format": "date"});
    let nullable_date = json!({"type": ["string", "null"], "format": "date"});
    let string = json!({"type": "string"});
    let count = json!({"type": "integer", "format": "int64", "minimum": 0});
    s.insert(
        "DestructionRegisterLine".into(),
        json!({
            "type": "object",
            "description": "One destroyed or anonymised item, without personal data (RET-6).",
            "properties": {
                "destroyed_on": date,
                "category": {"type": "string", "enum": ["client", "trajectory", "entry", "newsletter_contact", "camera_images", "group_activity", "activity_media", "correspondence", "applicant", "staff_record", "staff_id_copy", "financial_record"]},
                "outcome": {"type": "string", "enum": ["destroyed", "anonymised"]},
                "rule": string,
                "term_ended_on": nullable_date,
                "by": {"type": "string", "description": "The job (retention-sweep) or the staff member who decided"},
                "rows": count,
            },
            "required": ["destroyed_on", "category", "outcome", "rule", "term_ended_on", "by", "rows"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "DestructionRegisterPage".into(),
        json!({
            "type": "object",
            "properties": {
                "lines": {"type": "array", "items": {"$ref": "#/components/schemas/DestructionRegisterLine"}},
                "total": count,
                "page": count,
                "pages": count,
            },
            "required": ["lines", "total", "page", "pages"],
            "additionalProperties": false,
        }),
    );
}
