//! The privacy statement through the API (TRN-2, ORG-3): its published versions, one
//! version's documents, the comparison of two, public as the statement is; and publishing
//! the statement as the policy now gives it, by the privacy officer.

use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::CoreError;
use zv_core::statement::{DiffLine, StatementDoc, diff};

use super::auth::Caller;
use super::{
    ApiError, Auth, Endpoint, JsonBody, QueryParam, RequestBody, Success, Verb, created, ok,
};
use crate::i18n::Lang;
use crate::pages::statement::documents;
use crate::state::AppState;

const WRITE: Auth = Auth::Scope(zv_core::api_tokens::Scope::Write);

const ONE: &[QueryParam] = &[QueryParam {
    name: "number",
    format: "int64",
    description: "The version's number (from 1); without it, the newest published version",
}];

const TWO: &[QueryParam] = &[
    QueryParam {
        name: "from",
        format: "int64",
        description: "The earlier version's number",
    },
    QueryParam {
        name: "to",
        format: "",
        description: "The later version's number, or draft for the statement as the policy gives it now",
    },
    QueryParam {
        name: "lang",
        format: "",
        description: "The language compared: nl (default) or en",
    },
];

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/statements",
            auth: Auth::Public,
            operation_id: "statementVersions",
            tag: "transparency",
            summary: "The published versions of the privacy statement (TRN-2), newest first. Public",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::Ok("StatementVersionList"),
            errors: &[],
            handler: || get(list),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/statements",
            auth: WRITE,
            operation_id: "publishStatement",
            tag: "transparency",
            summary: "Publishes the privacy statement and card as the policy gives them now, in Dutch and English, under a name (privacy officer only). Refused when nothing changed since the newest version or the name was used",
            id_of: None,
            query: &[],
            body: B::Json("StatementPublish"),
            success: S::Created("StatementVersion"),
            errors: &[404, 422],
            handler: || post(publish),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/statement",
            auth: Auth::Public,
            operation_id: "statementVersion",
            tag: "transparency",
            summary: "One published version of the privacy statement with its documents (statement and card, Dutch and English). Public",
            id_of: None,
            query: ONE,
            body: B::None,
            success: S::Ok("StatementVersion"),
            errors: &[404, 422],
            handler: || get(one),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/statements/diff",
            auth: Auth::Public,
            operation_id: "statementDiff",
            tag: "transparency",
            summary: "The statement of two versions (or a version and the draft) compared line by line. Public",
            id_of: None,
            query: TWO,
            body: B::None,
            success: S::Ok("StatementDiff"),
            errors: &[404, 422],
            handler: || get(compare),
        },
    ]
}

#[derive(Serialize)]
struct Full {
    number: i64,
    label: String,
    published_at: chrono::DateTime<chrono::Utc>,
    statement_nl: StatementDoc,
    statement_en: StatementDoc,
    card_nl: Option<StatementDoc>,
    card_en: Option<StatementDoc>,
}

fn full(v: zv_core::statement::Version) -> Full {
    Full {
        number: v.number,
        label: v.label,
        published_at: v.published_at,
        statement_nl: v.documents.statement_nl,
        statement_en: v.documents.statement_en,
        card_nl: v.documents.card_nl,
        card_en: v.documents.card_en,
    }
}

pub async fn list(State(state): State<AppState>) -> Result<Response, ApiError> {
    ok(&state.app.statement_versions().await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    label: String,
}

pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(b): JsonBody<PublishBody>,
) -> Result<Response, ApiError> {
    let number = state
        .app
        .publish_statement(caller.actor(), &b.label, &documents(state.app.policy()))
        .await?;
    created(&full(state.app.statement_version(number).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneParams {
    #[serde(default)]
    number: Option<String>,
}

fn number(field: &'static str, raw: &str) -> Result<i64, ApiError> {
    Ok(raw
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| CoreError::invalid(field, "a version number from 1"))?)
}

pub async fn one(
    State(state): State<AppState>,
    query: Result<Query<OneParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = query.map_err(|_| ApiError::Invalid {
        field: "query",
        message: "the only parameter is number",
    })?;
    let v = match p.number.as_deref() {
        Some(raw) => state.app.statement_version(number("number", raw)?).await?,
        None => state
            .app
            .latest_statement()
            .await?
            .ok_or(CoreError::NotFound)?,
    };
    ok(&full(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwoParams {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Serialize)]
struct Compared {
    from: i64,
    /// A version's number, or null for the draft.
    to: Option<i64>,
    lines: Vec<DiffLine>,
}

pub async fn compare(
    State(state): State<AppState>,
    query: Result<Query<TwoParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = query.map_err(|_| ApiError::Invalid {
        field: "query",
        message: "the parameters are from, to and lang",
    })?;
    let lang = match p.lang.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Lang::Nl,
        Some(code) => {
            Lang::from_code(code).ok_or_else(|| CoreError::invalid("lang", "nl or en"))?
        }
    };
    let pick = |d: &zv_core::statement::Documents| match lang {
        Lang::Nl => d.statement_nl.lines(),
        Lang::En => d.statement_en.lines(),
    };
    let from = number(
        "from",
        p.from
            .as_deref()
            .ok_or_else(|| CoreError::invalid("from", "the earlier version's number"))?,
    )?;
    let before = pick(&state.app.statement_version(from).await?.documents);
    let (to, after) = match p.to.as_deref().map(str::trim) {
        Some("draft") => (None, pick(&documents(state.app.policy()))),
        Some(raw) => {
            let n = number("to", raw)?;
            (
                Some(n),
                pick(&state.app.statement_version(n).await?.documents),
            )
        }
        None => return Err(CoreError::invalid("to", "a version's number or draft").into()),
    };
    ok(&Compared {
        from,
        to,
        lines: diff(&before, &after),
    })
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let string = json!({"type": "string"});
    let strings = json!({"type": "array", "items": {"type": "string"}});
    let doc = json!({
        "type": "object",
        "required": ["title", "subtitle", "sections"],
        "properties": {
            "title": string, "subtitle": string,
            "sections": {"type": "array", "items": {
                "type": "object",
                "required": ["heading", "paragraphs", "items"],
                "properties": {"heading": string, "paragraphs": strings, "items": strings},
            }},
        },
    });
    let nullable_doc = json!({"oneOf": [doc, {"type": "null"}]});
    let line = json!({
        "type": "object",
        "required": ["number", "label", "published_at"],
        "properties": {
            "number": {"type": "integer", "minimum": 1},
            "label": string,
            "published_at": {"type": "string", "format": "date-time"},
        },
    });
    s.insert(
        "StatementVersionList".into(),
        json!({"type": "array", "items": line}),
    );
    s.insert(
        "StatementPublish".into(),
        json!({
            "type": "object",
            "required": ["label"],
            "additionalProperties": false,
            "properties": {"label": {"type": "string", "maxLength": 60, "description": "The version's name, e.g. the month it takes effect"}},
        }),
    );
    s.insert(
        "StatementVersion".into(),
        json!({
            "type": "object",
            "description": "A published version of the privacy statement and card, frozen (TRN-2, ORG-3).",
            "required": ["number", "label", "published_at", "statement_nl", "statement_en", "card_nl", "card_en"],
            "properties": {
                "number": {"type": "integer", "minimum": 1},
                "label": string,
                "published_at": {"type": "string", "format": "date-time"},
                "statement_nl": doc, "statement_en": doc,
                "card_nl": nullable_doc, "card_en": nullable_doc,
            },
        }),
    );
    s.insert(
        "StatementDiff".into(),
        json!({
            "type": "object",
            "required": ["from", "to", "lines"],
            "properties": {
                "from": {"type": "integer"},
                "to": {"type": ["integer", "null"]},
                "lines": {"type": "array", "items": {
                    "type": "object",
                    "required": ["change", "text"],
                    "properties": {
                        "change": {"type": "string", "enum": ["same", "removed", "added"]},
                        "text": string,
                    },
                }},
            },
        }),
    );
}
