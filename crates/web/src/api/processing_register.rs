//! The register of processing activities through the API (TRN-2, DOS-5): as JSON with
//! codes, for an integration or an audit tool, and as CSV and PDF worded in Dutch or
//! English exactly as the page words it.

use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use zv_core::CoreError;

use super::auth::Caller;
use super::{ApiError, Auth, Endpoint, QueryParam, RequestBody, Success, Verb, ok};
use crate::i18n::Lang;
use crate::pages::processing_register::{csv_bytes, file, pdf_bytes};
use crate::state::AppState;

const READ: Auth = Auth::Scope(zv_core::api_tokens::Scope::Read);

const LANG: &[QueryParam] = &[QueryParam {
    name: "lang",
    format: "",
    description: "The document's language: nl (default) or en",
}];

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/processing-register",
            auth: READ,
            operation_id: "processingRegister",
            tag: "transparency",
            summary: "The register of processing activities (GDPR art. 30, TRN-2), generated from the policy: per purpose its legal basis, categories of data, data subjects, recipients and transfers; per category of data its purposes and terms (DOS-5); the security figures. No personal data",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::Ok("ProcessingRegister"),
            errors: &[404],
            handler: || get(register),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/processing-register.csv",
            auth: READ,
            operation_id: "processingRegisterCsv",
            tag: "transparency",
            summary: "The register of processing activities as CSV (text/csv), one row per purpose and category of data, worded in Dutch or English",
            id_of: None,
            query: LANG,
            body: B::None,
            success: S::File,
            errors: &[404, 422],
            handler: || get(csv),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/processing-register.pdf",
            auth: READ,
            operation_id: "processingRegisterPdf",
            tag: "transparency",
            summary: "The register of processing activities as a PDF (application/pdf), in Dutch or English",
            id_of: None,
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
pub struct Params {
    #[serde(default)]
    lang: Option<String>,
}

pub(super) fn language(
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Result<Lang, ApiError> {
    let Query(p) = query.map_err(|_| ApiError::Invalid {
        field: "query",
        message: "the only parameter is lang",
    })?;
    match p.lang.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Lang::Nl),
        Some(code) => {
            Ok(Lang::from_code(code).ok_or_else(|| CoreError::invalid("lang", "nl or en"))?)
        }
    }
}

pub async fn register(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    ok(&state.app.processing_register(caller.actor()).await?)
}

pub async fn csv(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let lang = language(query)?;
    let register = state.app.processing_register(caller.actor()).await?;
    Ok(file(
        "text/csv; charset=utf-8",
        "processing-register.csv",
        csv_bytes(lang, &register)?,
    ))
}

pub async fn pdf(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let lang = language(query)?;
    let register = state.app.processing_register(caller.actor()).await?;
    Ok(file(
        "application/pdf",
        "processing-register.pdf",
        pdf_bytes(lang, &register).await?,
    ))
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let string = json!({"type": "string"});
    let strings = json!({"type": "array", "items": {"type": "string"}});
    let count = json!({"type": "integer", "minimum": 0});
    let term = json!({
        "type": "object",
        "properties": {"years": count, "months": count, "weeks": count, "days": count},
    });
    let categories: Vec<&str> = zv_policy::DataCategory::ALL
        .iter()
        .map(|c| c.code())
        .collect();
    let category = json!({"type": "string", "enum": categories});
    let subject = json!({"type": "string", "enum": zv_policy::DataSubject::ALL.iter().map(|s| s.code()).collect::<Vec<_>>()});
    let recipient_kind = json!({"type": "string", "enum": zv_domain::RecipientKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>()});
    s.insert(
        "ProcessingActivity".into(),
        json!({
            "type": "object",
            "description": "One purpose of processing with what is processed for it (art. 30(1)(b)-(e)).",
            "required": ["code", "name_nl", "name_en", "statement", "legal_basis", "categories", "subjects", "recipients", "recipients_receive_anonymised_only", "transfers_outside_eea"],
            "properties": {
                "code": string, "name_nl": string, "name_en": string,
                "statement": {"type": "string", "description": "The privacy statement's words for this purpose"},
                "legal_basis": {"type": "string", "enum": ["consent", "contract", "legal_obligation", "public_task", "legitimate_interest"]},
                "categories": {"type": "array", "items": category},
                "subjects": {"type": "array", "items": subject},
                "recipients": {"type": "array", "items": {
                    "type": "object",
                    "required": ["kind", "organisations"],
                    "properties": {
                        "kind": recipient_kind,
                        "organisations": {"type": "array", "items": {
                            "type": "object",
                            "required": ["name", "country"],
                            "properties": {"name": string, "country": string},
                        }},
                    },
                }},
                "recipients_receive_anonymised_only": {"type": "boolean"},
                "transfers_outside_eea": {"type": "boolean"},
            },
        }),
    );
    s.insert(
        "ProcessingCategory".into(),
        json!({
            "type": "object",
            "description": "A category of personal data held, with its purposes and how long it is kept (DOS-5, art. 30(1)(f)).",
            "required": ["category", "subjects", "purposes", "kept"],
            "properties": {
                "category": category,
                "subjects": {"type": "array", "items": subject},
                "purposes": strings,
                "kept": {"type": "array", "items": {
                    "type": "object",
                    "required": ["kind"],
                    "description": "rule: a retention rule of the policy (for dossier data per service type); until_trajectory_closes; while_subscribed; while_account_in_use; access_log: the log's own term",
                    "properties": {
                        "kind": {"type": "string", "enum": ["rule", "until_trajectory_closes", "while_subscribed", "while_account_in_use", "access_log"]},
                        "service": {"type": ["object", "null"]},
                        "rule": {"type": "object"},
                        "term": term,
                    },
                }},
            },
        }),
    );
    s.insert(
        "ProcessingRegister".into(),
        json!({
            "type": "object",
            "description": "The register of processing activities (GDPR art. 30), generated from the policy file and the register of recipients.",
            "required": ["generated_on", "controller", "privacy_officer", "statement_version", "statement_url", "activities", "categories", "security"],
            "properties": {
                "generated_on": {"type": "string", "format": "date"},
                "controller": {"type": "object", "required": ["name", "legal_name", "address", "website"]},
                "privacy_officer": {"type": "object", "required": ["name", "email"]},
                "statement_version": string,
                "statement_url": string,
                "activities": {"type": "array", "items": {"$ref": "#/components/schemas/ProcessingActivity"}},
                "categories": {"type": "array", "items": {"$ref": "#/components/schemas/ProcessingCategory"}},
                "security": {"type": "object"},
            },
        }),
    );
}
