//! An erasure request (RTS-6) in the privacy officer's web app, at
//! `/privacy/verzoeken/{id}/verwijdering`: each part of the request's scope with the
//! assessment's proposal and reason; the officer decides per part (against a proposal
//! only with a reason, never a grant where the law or a hold binds); the granted parts
//! are destroyed and the outcome recorded; the client's own record goes in a last step
//! after the answer was sent. The core decides who may (the privacy officer only; anyone
//! else gets 403) and what; a refused form keeps what was typed and names each field.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;
use zv_core::CoreError;
use zv_core::erasure::{
    ErasureInput, ErasurePlan, ErasureSubmit, PartChoice, PartDecision, PartIssue, PartKind,
    PartView, ReasonCode,
};

use super::dossier::local_time;
use super::{Layout, forms, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// The routes of this module; merged into the app's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/privacy/verzoeken/{id}/verwijdering",
            get(page).post(decide),
        )
        .route(
            "/privacy/verzoeken/{id}/verwijdering/clientgegevens",
            post(client_record),
        )
}

#[derive(Default, Deserialize)]
pub struct PlanQuery {
    #[serde(default)]
    jeugdwet: Option<String>,
}

struct PartLine {
    /// `trajectory-<id>` or `client-<id>`: the names of the part's fields.
    key: String,
    label: String,
    proposal: String,
    proposal_grant: bool,
    binding: bool,
    destroy_by: Option<String>,
    /// The decision as typed (or as proposed on a fresh page).
    decision: String,
    reason: String,
    decided: Option<String>,
    reason_label: String,
    status: String,
    error_decision: Option<String>,
    error_reason: Option<String>,
}

#[derive(Template)]
#[template(path = "erasure.html")]
struct ErasurePage {
    l: Layout,
    id: String,
    reference: String,
    received_on: String,
    jeugdwet: bool,
    identity_recorded: bool,
    decided: bool,
    outcome: Option<String>,
    parts: Vec<PartLine>,
    /// Something granted is not destroyed yet, or the outcome is not recorded.
    unfinished: bool,
    client_record_pending: bool,
    proof: Option<(String, String, String, String)>,
    answer_sent_on: String,
    errors: Vec<String>,
}

fn key_of(kind: PartKind, subject: Uuid) -> String {
    format!("{}-{subject}", kind.code())
}

fn reason_label(tr: Tr, code: ReasonCode) -> String {
    tr.t(&format!("erasure-reason-{}", code.code().replace('_', "-")))
}

fn decision_label(tr: Tr, d: PartDecision) -> String {
    tr.t(&format!("erasure-decision-{}", d.code()))
}

fn part_label(tr: Tr, p: &PartView) -> String {
    match (p.kind, &p.service_type, p.opened_on) {
        (PartKind::Client, _, _) => tr.t("erasure-part-client"),
        (PartKind::Trajectory, Some(service), Some(on)) => format!(
            "{} {service} ({} {on})",
            tr.t("erasure-part-trajectory"),
            tr.t("erasure-opened-on")
        ),
        (PartKind::Trajectory, _, _) => format!(
            "{} {}",
            tr.t("erasure-part-trajectory"),
            &p.subject.to_string()[..8]
        ),
    }
}

/// The refusal of the form as a whole, in the reader's language.
fn general_refusal(tr: Tr, e: &CoreError) -> String {
    match e {
        CoreError::Invalid {
            field: "answer_sent_on",
            ..
        } => tr.t("erasure-error-day"),
        CoreError::Invalid { .. } => tr.t("erasure-error-scope"),
        CoreError::Conflict(why) if why == zv_core::requests::IDENTITY_FIRST => {
            tr.t("erasure-error-identity")
        }
        CoreError::Conflict(why) if why == zv_core::erasure::ANSWER_FIRST => {
            tr.t("erasure-error-answer-first")
        }
        CoreError::Conflict(why) if why == zv_core::erasure::TRAJECTORY_OPENED_SINCE => {
            tr.t("erasure-error-opened-since")
        }
        CoreError::Conflict(_) => tr.t("erasure-error-closed"),
        _ => tr.t("invalid-generic"),
    }
}

fn render(
    staff: &CurrentStaff,
    plan: &ErasurePlan,
    typed: &HashMap<String, String>,
    issues: &[PartIssue],
    errors: Vec<String>,
    today: &str,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let issue = |kind: PartKind, subject: Uuid, field: &str| {
        issues
            .iter()
            .find(|i| i.kind == kind && i.subject == subject && i.field == field)
            .map(|i| {
                tr.t(&format!(
                    "erasure-problem-{}",
                    serde_json::to_value(i.problem)
                        .ok()
                        .and_then(|v| v.as_str().map(|s| s.replace('_', "-")))
                        .unwrap_or_default()
                ))
            })
    };
    let parts: Vec<PartLine> = plan
        .parts
        .iter()
        .map(|p| {
            let key = key_of(p.kind, p.subject);
            let status = match (p.decision, p.destroyed_at, p.pending) {
                (Some(PartDecision::Grant), Some(at), _) => {
                    let mut line = tr.t1("erasure-status-destroyed", "at", &local_time(at));
                    if let Some(d) = &p.destruction {
                        line.push_str(&format!(
                            " · {}: {} · {}",
                            tr.t("erasure-destruction-record"),
                            d.rule,
                            d.reason
                        ));
                    }
                    line
                }
                (Some(PartDecision::Grant), None, _) if p.kind == PartKind::Client => {
                    tr.t("erasure-status-client-pending")
                }
                (Some(PartDecision::Grant), None, _) => tr.t("erasure-status-pending"),
                (Some(PartDecision::Refuse), _, _) => tr.t("erasure-status-kept"),
                (None, _, _) => String::new(),
            };
            PartLine {
                decision: typed
                    .get(&format!("decision-{key}"))
                    .cloned()
                    .unwrap_or_else(|| p.proposal.decision.code().to_owned()),
                reason: typed
                    .get(&format!("reason-{key}"))
                    .cloned()
                    .or_else(|| p.reason.clone())
                    .unwrap_or_default(),
                label: part_label(tr, p),
                proposal: decision_label(tr, p.proposal.decision),
                proposal_grant: p.proposal.decision == PartDecision::Grant,
                binding: p.proposal.binding,
                destroy_by: p.proposal.destroy_by.map(|d| d.to_string()),
                decided: p.decision.map(|d| decision_label(tr, d)),
                reason_label: reason_label(tr, p.reason_code.unwrap_or(p.proposal.reason)),
                status,
                error_decision: issue(p.kind, p.subject, "decision"),
                error_reason: issue(p.kind, p.subject, "reason"),
                key,
            }
        })
        .collect();
    let unfinished = plan.decided
        && plan.proof.is_none()
        && (plan.outcome.is_none()
            || plan
                .parts
                .iter()
                .any(|p| p.pending && p.kind == PartKind::Trajectory));
    let status = if errors.is_empty() && issues.is_empty() {
        StatusCode::OK
    } else if issues.is_empty() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut l = Layout::staff(staff, "title-erasure");
    l.title = format!("{} {}", l.title, plan.reference);
    let mut r = html(&ErasurePage {
        l,
        id: plan.request.to_string(),
        reference: plan.reference.clone(),
        received_on: plan.received_on.to_string(),
        jeugdwet: plan.jeugdwet_request,
        identity_recorded: plan.identity_recorded,
        decided: plan.decided,
        outcome: plan
            .outcome
            .map(|o| tr.t(&format!("erasure-outcome-{}", o.code().replace('_', "-")))),
        parts,
        unfinished,
        client_record_pending: plan.client_record_pending && plan.outcome.is_some(),
        proof: plan.proof.as_ref().map(|p| {
            (
                p.outcome.clone(),
                p.answer_sent_on.to_string(),
                format!("{} / {}", p.parts_granted, p.parts_refused),
                local_time(p.client_destroyed_at),
            )
        }),
        answer_sent_on: typed
            .get("answer_sent_on")
            .cloned()
            .unwrap_or_else(|| today.to_owned()),
        errors,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// The page: the proposal per part, or the decisions and what is pending.
pub async fn page(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let jeugdwet = q.jeugdwet.as_deref() == Some("1");
    let plan = state
        .app
        .erasure_plan(&staff.as_actor(), id, jeugdwet)
        .await?;
    let today = state.app.clock().today().to_string();
    render(&staff, &plan, &HashMap::new(), &[], Vec::new(), &today)
}

/// The decision form: every part's decision and reason, the day the answer is sent.
pub async fn decide(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let typed: HashMap<String, String> = fields.into_iter().collect();
    staff.check_csrf(typed.get("csrf").map_or("", String::as_str))?;
    let id = forms::uuid_of(&id)?;
    let actor = staff.as_actor();
    let jeugdwet = typed.get("jeugdwet").map(String::as_str) == Some("1");
    let answer_sent_on = match forms::date(
        "answer_sent_on",
        typed.get("answer_sent_on").map_or("", String::as_str),
    ) {
        Ok(d) => d,
        Err(e) => return refused(&state, &staff, id, jeugdwet, &typed, e).await,
    };
    let mut parts = Vec::new();
    for (name, value) in &typed {
        let Some(rest) = name.strip_prefix("decision-") else {
            continue;
        };
        let Some((kind, subject)) = rest.split_once('-') else {
            continue;
        };
        let (Some(kind), Ok(subject)) = (PartKind::from_code(kind), subject.parse::<Uuid>()) else {
            continue;
        };
        parts.push(PartChoice {
            kind,
            subject,
            decision: PartDecision::from_code(value.trim()),
            reason: typed
                .get(&format!("reason-{rest}"))
                .cloned()
                .unwrap_or_default(),
        });
    }
    let submitted = state
        .app
        .decide_erasure(
            &actor,
            id,
            ErasureInput {
                jeugdwet_request: jeugdwet,
                parts,
                answer_sent_on,
            },
        )
        .await;
    match submitted {
        Ok(ErasureSubmit::Done(_)) => {
            Ok(Redirect::to(&format!("/privacy/verzoeken/{id}/verwijdering")).into_response())
        }
        Ok(ErasureSubmit::Refused(issues)) => {
            let plan = state.app.erasure_plan(&actor, id, jeugdwet).await?;
            let today = state.app.clock().today().to_string();
            render(&staff, &plan, &typed, &issues, Vec::new(), &today)
        }
        Err(e) => refused(&state, &staff, id, jeugdwet, &typed, e).await,
    }
}

/// The page again with a refusal of the form as a whole, what was typed kept.
async fn refused(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    jeugdwet: bool,
    typed: &HashMap<String, String>,
    e: CoreError,
) -> Result<Response, WebError> {
    match e {
        e @ (CoreError::Invalid { .. } | CoreError::Conflict(_)) => {
            let plan = state
                .app
                .erasure_plan(&staff.as_actor(), id, jeugdwet)
                .await?;
            let today = state.app.clock().today().to_string();
            let mut r = render(
                staff,
                &plan,
                typed,
                &[],
                vec![general_refusal(staff.tr, &e)],
                &today,
            )?;
            if matches!(e, CoreError::Invalid { .. }) {
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Ok(r)
        }
        e => Err(e.into()),
    }
}

#[derive(Default, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// The last step: the client's own record, after the answer was sent.
pub async fn client_record(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let actor = staff.as_actor();
    match state.app.destroy_erased_client(&actor, id).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/privacy/verzoeken/{id}/verwijdering")).into_response())
        }
        Err(e @ CoreError::Conflict(_)) => {
            let plan = state.app.erasure_plan(&actor, id, false).await?;
            let today = state.app.clock().today().to_string();
            render(
                &staff,
                &plan,
                &HashMap::new(),
                &[],
                vec![general_refusal(staff.tr, &e)],
                &today,
            )
        }
        Err(e) => Err(e.into()),
    }
}
