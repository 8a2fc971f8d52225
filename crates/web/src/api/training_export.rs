//! The k-anonymous export for training and research through the API (SHR-5, decision
//! 0039): as JSON with its summary and records, and as the same CSV the page offers.
//! Both are exports: recorded before anything leaves.

use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde_json::{Map, Value, json};
use zv_core::reports::training::{Attribute, render_csv};

use super::auth::Caller;
use super::{ApiError, Auth, Endpoint, RequestBody, Success, Verb, ok};
use crate::pages::processing_register::file;
use crate::state::AppState;

const READ: Auth = Auth::Scope(zv_core::api_tokens::Scope::Read);

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/training-export",
            auth: READ,
            operation_id: "trainingExport",
            tag: "reports",
            summary: "The k-anonymous export for training and research (SHR-5): one record per trajectory without id, name, free text or exact date, its quasi-identifiers generalised until every combination is shared by at least the policy's k people, with the summary (k required and achieved, records in, out and left out, the level of each attribute). Recorded as an export",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::Ok("TrainingExport"),
            errors: &[],
            handler: || get(export),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/training-export.csv",
            auth: READ,
            operation_id: "trainingExportCsv",
            tag: "reports",
            summary: "The k-anonymous export for training and research as CSV (text/csv): a header of codes and one line per record, values as codes. Recorded as an export",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::File,
            errors: &[],
            handler: || get(csv),
        },
    ]
}

pub async fn export(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    ok(&state.app.training_export(caller.actor()).await?)
}

pub async fn csv(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let export = state.app.training_export(caller.actor()).await?;
    Ok(file(
        "text/csv; charset=utf-8",
        "training-export.csv",
        render_csv(&export.records)?,
    ))
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let count = json!({"type": "integer", "minimum": 0});
    let attributes: Vec<&str> = Attribute::ALL.iter().map(|a| a.code()).collect();
    let mut level_names: Vec<&str> = Attribute::ALL
        .iter()
        .flat_map(|a| a.levels().iter().copied())
        .collect();
    level_names.sort_unstable();
    level_names.dedup();
    s.insert(
        "TrainingRecord".into(),
        json!({
            "type": "object",
            "description": "One trajectory, generalised: the quasi-identifiers at the summary's levels (`*` where left out, `unknown` where not recorded), and what is studied. No id, name, free text or exact date.",
            "required": ["service_type", "place", "age_band", "gender", "start_period", "duration", "domestic_violence", "goals_set", "goals_reached"],
            "properties": {
                "service_type": {"type": "string", "description": "The policy's code of the service type, or *"},
                "place": {"type": "string", "description": "A municipality, a branch's code, or *"},
                "age_band": {"type": "string", "description": "under_own_access, consultative, independent, adult; or minor, adult; or *; unknown when not recorded"},
                "gender": {"type": "string", "description": "female, male, non_binary, unknown, or *"},
                "start_period": {"type": "string", "description": "A quarter (2025-Q3), a year (2025), or *"},
                "duration": {"type": "string", "description": "<3m, 3-12m, 12m+, ongoing; or closed, ongoing; or *"},
                "domestic_violence": {"type": "boolean"},
                "goals_set": {"type": "string", "description": "0 to 4, or 5+"},
                "goals_reached": {"type": "string", "description": "0 to 4, or 5+: goals with progress recorded at 100%"},
            },
        }),
    );
    s.insert(
        "TrainingExport".into(),
        json!({
            "type": "object",
            "description": "The k-anonymous export for training and research (SHR-5) with what it achieved.",
            "required": ["summary", "records"],
            "properties": {
                "summary": {
                    "type": "object",
                    "required": ["as_of", "k_required", "k_achieved", "records_in", "records_out", "records_suppressed", "suppression_limit", "levels"],
                    "properties": {
                        "as_of": {"type": "string", "format": "date", "description": "The day durations and ongoing trajectories are judged on"},
                        "k_required": count,
                        "k_achieved": {"type": ["integer", "null"], "minimum": 0, "description": "The fewest people sharing a combination of quasi-identifiers in the records; null when there are no records"},
                        "records_in": count,
                        "records_out": count,
                        "records_suppressed": count,
                        "suppression_limit": {"type": "integer", "minimum": 0, "description": "The most records left out rather than generalising further"},
                        "levels": {"type": "array", "items": {
                            "type": "object",
                            "required": ["attribute", "level", "name"],
                            "properties": {
                                "attribute": {"type": "string", "enum": attributes},
                                "level": {"type": "integer", "minimum": 0, "description": "0 is the finest"},
                                "name": {"type": "string", "enum": level_names},
                            },
                        }},
                    },
                },
                "records": {"type": "array", "items": {"$ref": "#/components/schemas/TrainingRecord"}},
            },
        }),
    );
}
