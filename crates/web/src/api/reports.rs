//! Anonymous reports to municipalities through the API (SHR-5): a report as it would be
//! released (published numbers only, each suppressed cell with its reason), releasing one
//! to a recipient, the register of releases, and a released report as CSV or PDF worded
//! in Dutch or English as the page words it. The same core calls as `pages::reports`.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::CoreError;
use zv_core::api_tokens::Scope as TokenScope;
use zv_core::reports::{ReportQuery, Scope};

use super::auth::Caller;
use super::clients::date;
use super::processing_register::{Params as LangParam, language};
use super::{
    ApiError, Auth, Endpoint, JsonBody, QueryParam, RequestBody, Success, Verb, created, ok,
    path_id,
};
use crate::pages::processing_register::file;
use crate::pages::reports::{csv_bytes, pdf_bytes};
use crate::state::AppState;

const READ: Auth = Auth::Scope(TokenScope::Read);
const WRITE: Auth = Auth::Scope(TokenScope::Write);

const LANG: &[QueryParam] = &[QueryParam {
    name: "lang",
    format: "",
    description: "The document's language: nl (default) or en",
}];

const REPORT: &[QueryParam] = &[
    QueryParam {
        name: "area",
        format: "",
        description: "municipality:<name> or branch:<code>",
    },
    QueryParam {
        name: "service_type",
        format: "",
        description: "One service type's code; all when absent",
    },
    QueryParam {
        name: "from",
        format: "date",
        description: "The first day of the period",
    },
    QueryParam {
        name: "to",
        format: "date",
        description: "The last day of the period",
    },
];

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/reports",
            auth: READ,
            operation_id: "municipalityReport",
            tag: "reports",
            summary: "An anonymous report for a municipality or branch, a service type and a period (SHR-5), as it would be released now: clients and trajectories started, in care and ended, goals set and reached, clients in care by age band and gender. Only published numbers: small counts, a second cell where a total would reveal one, and cells whose difference with a released report would single out a person are suppressed, with the reason; the rest rounded as the policy says. Nothing is handed over",
            id_of: None,
            query: REPORT,
            body: B::None,
            success: S::Ok("MunicipalityReport"),
            errors: &[404, 422],
            handler: || get(report),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/reports/releases",
            auth: READ,
            operation_id: "reportReleases",
            tag: "reports",
            summary: "The register of reports released to municipalities, newest first, each as it was handed over",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("ReportRelease"),
            errors: &[404],
            handler: || get(releases),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/reports/releases",
            auth: WRITE,
            operation_id: "releaseReport",
            tag: "reports",
            summary: "Releases a report to a recipient: computed now under the disclosure rules, frozen and registered with who released it and when",
            id_of: None,
            query: &[],
            body: B::Json("ReportReleaseInput"),
            success: S::Created("ReportReleased"),
            errors: &[404, 422],
            handler: || post(release),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/reports/releases/{id}",
            auth: READ,
            operation_id: "reportRelease",
            tag: "reports",
            summary: "One released report, as it was handed over",
            id_of: Some("released report"),
            query: &[],
            body: B::None,
            success: S::Ok("ReportRelease"),
            errors: &[404],
            handler: || get(one),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/reports/releases/{id}/csv",
            auth: READ,
            operation_id: "reportReleaseCsv",
            tag: "reports",
            summary: "A released report as CSV (text/csv), one line per cell, worded in Dutch or English; a suppressed cell shows its mark",
            id_of: Some("released report"),
            query: LANG,
            body: B::None,
            success: S::File,
            errors: &[404, 422],
            handler: || get(csv),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/reports/releases/{id}/pdf",
            auth: READ,
            operation_id: "reportReleasePdf",
            tag: "reports",
            summary: "A released report as a PDF (application/pdf) with its tables and charts, in Dutch or English",
            id_of: Some("released report"),
            query: LANG,
            body: B::None,
            success: S::File,
            errors: &[404, 422],
            handler: || get(pdf),
        },
    ]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    #[serde(default)]
    area: String,
    #[serde(default)]
    service_type: Option<String>,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

fn scope(area: &str) -> Result<Scope, CoreError> {
    match area.trim().split_once(':') {
        Some(("municipality", m)) if !m.trim().is_empty() => {
            Ok(Scope::Municipality(m.trim().to_owned()))
        }
        Some(("branch", b)) if !b.trim().is_empty() => Ok(Scope::Branch(b.trim().to_owned())),
        _ => Err(CoreError::invalid(
            "area",
            "municipality:<name> or branch:<code>",
        )),
    }
}

fn query_of(
    area: &str,
    service_type: Option<&str>,
    from: &str,
    to: &str,
) -> Result<ReportQuery, ApiError> {
    Ok(ReportQuery {
        scope: scope(area)?,
        service_type: service_type
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        from: date("from", from)?,
        to: date("to", to)?,
    })
}

pub async fn report(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<ReportParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = query.map_err(|_| ApiError::Invalid {
        field: "query",
        message: "the parameters are area, service_type, from and to",
    })?;
    let q = query_of(&p.area, p.service_type.as_deref(), &p.from, &p.to)?;
    ok(&state.app.municipality_report(caller.actor(), &q).await?)
}

pub async fn releases(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    ok(&state.app.report_releases(caller.actor()).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseIn {
    area: String,
    #[serde(default)]
    service_type: Option<String>,
    from: String,
    to: String,
    recipient: String,
}

#[derive(Serialize)]
struct Released {
    id: uuid::Uuid,
}

pub async fn release(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<ReleaseIn>,
) -> Result<Response, ApiError> {
    let q = query_of(&b.area, b.service_type.as_deref(), &b.from, &b.to)?;
    let id = state
        .app
        .release_report(caller.actor(), &q, &b.recipient)
        .await?;
    created(&Released { id })
}

pub async fn one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ok(&state
        .app
        .report_release(caller.actor(), path_id(&id)?, false)
        .await?)
}

pub async fn csv(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<LangParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let lang = language(query)?;
    let r = state
        .app
        .report_release(caller.actor(), path_id(&id)?, true)
        .await?;
    Ok(file(
        "text/csv; charset=utf-8",
        "report.csv",
        csv_bytes(&state, lang, &r)?,
    ))
}

pub async fn pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<LangParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let lang = language(query)?;
    let r = state
        .app
        .report_release(caller.actor(), path_id(&id)?, true)
        .await?;
    Ok(file(
        "application/pdf",
        "report.pdf",
        pdf_bytes(&state, lang, &r).await?,
    ))
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let string = json!({"type": "string"});
    let day = json!({"type": "string", "format": "date"});
    let strings = json!({"type": "array", "items": {"type": "string"}});
    let query = json!({
        "type": "object",
        "required": ["scope", "service_type", "from", "to"],
        "properties": {
            "scope": {
                "type": "object",
                "required": ["kind", "code"],
                "properties": {
                    "kind": {"type": "string", "enum": ["municipality", "branch"]},
                    "code": string,
                },
            },
            "service_type": {"type": ["string", "null"]},
            "from": day,
            "to": day,
        },
    });
    let cell = json!({
        "type": "object",
        "required": ["value", "suppressed"],
        "properties": {
            "value": {"type": ["integer", "null"], "minimum": 0},
            "suppressed": {"type": ["string", "null"], "enum": ["small", "difference", "secondary", null]},
        },
    });
    let report = json!({
        "type": "object",
        "description": "Published numbers only. A cell's key is measure|service|age_band|gender, with * for all; measures: clients_started, clients_in_care, clients_ended, trajectories_started, trajectories_in_care, trajectories_ended, goals_set, goals_reached; age bands: under_own_access, consultative, independent, adult, unknown (on the day the trajectory opened); genders: female, male, non_binary, unknown.",
        "required": ["query", "municipalities", "services", "with_total", "cells", "threshold", "rounding", "secondary_suppression", "computed_at"],
        "properties": {
            "query": query,
            "municipalities": strings,
            "services": strings,
            "with_total": {"type": "boolean"},
            "cells": {"type": "object", "additionalProperties": cell},
            "threshold": {"type": "integer", "minimum": 2},
            "rounding": {"type": "integer", "minimum": 1},
            "secondary_suppression": {"type": "boolean"},
            "computed_at": {"type": "string", "format": "date-time"},
        },
    });
    s.insert("MunicipalityReport".into(), report);
    s.insert(
        "ReportRelease".into(),
        json!({
            "type": "object",
            "required": ["id", "recipient", "released_by", "released_at", "report"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "recipient": string,
                "released_by": string,
                "released_at": {"type": "string", "format": "date-time"},
                "report": {"$ref": "#/components/schemas/MunicipalityReport"},
            },
        }),
    );
    s.insert(
        "ReportReleaseInput".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["area", "from", "to", "recipient"],
            "properties": {
                "area": {"type": "string", "description": "municipality:<name> or branch:<code>"},
                "service_type": {"type": ["string", "null"]},
                "from": day,
                "to": day,
                "recipient": {"type": "string", "minLength": 2, "maxLength": 200},
            },
        }),
    );
    s.insert(
        "ReportReleased".into(),
        json!({
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string", "format": "uuid"}},
        }),
    );
}
