//! The privacy officer's page for a portability request (RTS-8, AVG art. 20): which
//! trajectories are in the file (consent or contract) and which are excluded with their
//! legal basis, where the file goes (the client's portal, or an organisation the client
//! chose, inside the EEA: SHR-2), the files prepared before with the one download to
//! send a file to its organisation, and the decision the eligibility leads to. Everything
//! goes through the core's gate; for anyone but the privacy officer the page is refused.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::portability::{
    Destination, DestinationInput, PortabilityPreview, RecipientProblem, recipient_problems,
};
use zv_core::requests::Outcome;

use super::dossier::local_time;
use super::{Layout, forms, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/privacy/verzoeken/{id}/overdracht",
            get(page).post(prepare),
        )
        .route(
            "/privacy/verzoeken/{id}/overdracht/{export}/bestand",
            post(download),
        )
        .route("/privacy/verzoeken/{id}/overdracht/besluit", post(decide))
}

struct Line {
    service: String,
    basis: String,
    period: String,
    goals: usize,
}

struct ExportLine {
    id: String,
    prepared: String,
    destination: String,
    state: String,
    /// A file for an organisation, still held: the officer downloads it to send it.
    sendable: bool,
}

#[derive(Default)]
struct Typed {
    destination: String,
    recipient_name: String,
    recipient_country: String,
    name_error: Option<String>,
    country_error: Option<String>,
    destination_error: Option<String>,
    reasons: Option<String>,
    decide_error: Option<String>,
}

#[derive(Template)]
#[template(path = "portability.html")]
struct PortabilityPage {
    l: Layout,
    request_id: String,
    reference: String,
    received_on: String,
    client_name: String,
    open: bool,
    eligible: Vec<Line>,
    excluded: Vec<Line>,
    client_portal_account: bool,
    exports: Vec<ExportLine>,
    to_organisation: bool,
    typed: Typed,
    outcome: String,
    reasons: String,
    today: String,
}

pub(crate) fn basis_label(tr: Tr, code: &str) -> String {
    match code {
        "consent" => tr.t("port-basis-consent"),
        "contract" => tr.t("port-basis-contract"),
        "legal_obligation" => tr.t("port-basis-legal-obligation"),
        "legitimate_interest" => tr.t("port-basis-legitimate-interest"),
        _ => tr.t("port-basis-public-task"),
    }
}

fn problem_label(tr: Tr, p: RecipientProblem) -> String {
    match p {
        RecipientProblem::NameMissing => tr.t("port-error-name-missing"),
        RecipientProblem::NameTooLong => tr.t("port-error-name-too-long"),
        RecipientProblem::CountryMissing => tr.t("port-error-country-missing"),
        RecipientProblem::CountryNotACode => tr.t("port-error-country-code"),
        RecipientProblem::CountryOutsideEea => tr.t("port-error-country-eea"),
    }
}

fn outcome_label(tr: Tr, o: Outcome) -> String {
    match o {
        Outcome::Granted => tr.t("port-outcome-granted"),
        Outcome::PartlyGranted => tr.t("port-outcome-partly"),
        Outcome::Refused => tr.t("port-outcome-refused"),
    }
}

fn render(
    staff: &CurrentStaff,
    p: &PortabilityPreview,
    typed: Typed,
    today: &str,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let mut l = Layout::staff(staff, "title-portability");
    l.title = format!("{} {}", l.title, p.reference);
    let refused = typed.name_error.is_some()
        || typed.country_error.is_some()
        || typed.destination_error.is_some()
        || typed.decide_error.is_some();
    let line = |t: &zv_core::portability::TrajectoryLine| Line {
        service: t.service_name.clone(),
        basis: basis_label(tr, t.legal_basis),
        period: match t.closed_on {
            Some(c) => format!("{} – {c}", t.opened_on),
            None => format!("{} –", t.opened_on),
        },
        goals: t.goals,
    };
    let mut r = html(&PortabilityPage {
        l,
        request_id: p.request.to_string(),
        reference: p.reference.clone(),
        received_on: p.received_on.to_string(),
        client_name: p.client_name.clone(),
        open: p.status != "closed",
        eligible: p.eligible.iter().map(line).collect(),
        excluded: p.excluded.iter().map(line).collect(),
        client_portal_account: p.client_portal_account,
        exports: p
            .exports
            .iter()
            .map(|e| ExportLine {
                id: e.id.to_string(),
                prepared: local_time(e.prepared_at),
                destination: match e.destination {
                    Destination::Client => tr.t("port-destination-client"),
                    Destination::Organisation => format!(
                        "{} ({})",
                        e.recipient_name.clone().unwrap_or_default(),
                        e.recipient_country.clone().unwrap_or_default()
                    ),
                },
                state: match (e.downloaded_at, e.available) {
                    (Some(at), _) => tr.t1("port-state-downloaded", "at", &local_time(at)),
                    (None, true) => tr.t1(
                        "port-state-available",
                        "until",
                        &local_time(e.available_until),
                    ),
                    (None, false) => tr.t("port-state-expired"),
                },
                sendable: e.destination == Destination::Organisation && e.available,
            })
            .collect(),
        to_organisation: typed.destination == "organisation",
        outcome: outcome_label(tr, p.outcome()),
        reasons: typed.reasons.clone().unwrap_or_else(|| p.reasons_nl()),
        typed,
        today: today.to_owned(),
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// What the file will hold, where it may go, and the decision.
pub async fn page(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let preview = state.app.portability_preview(&staff.as_actor(), id).await?;
    let today = state.app.clock().today().to_string();
    render(&staff, &preview, Typed::default(), &today)
}

#[derive(Deserialize)]
pub struct PrepareForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    destination: String,
    #[serde(default)]
    recipient_name: String,
    #[serde(default)]
    recipient_country: String,
}

/// Prepares the file for the client or for an organisation; a refused recipient is shown
/// field by field with what was typed, and nothing is prepared.
pub async fn prepare(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<PrepareForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let actor = staff.as_actor();
    let tr = staff.tr;
    let mut typed = Typed {
        destination: f.destination.clone(),
        recipient_name: f.recipient_name.clone(),
        recipient_country: f.recipient_country.clone(),
        ..Typed::default()
    };
    let destination = match f.destination.as_str() {
        "client" => Some(DestinationInput::Client),
        "organisation" => {
            let problems = recipient_problems(&f.recipient_name, &f.recipient_country);
            for (field, p) in &problems {
                let label = Some(problem_label(tr, *p));
                if *field == "recipient_name" {
                    typed.name_error = label;
                } else {
                    typed.country_error = label;
                }
            }
            problems.is_empty().then(|| DestinationInput::Organisation {
                name: f.recipient_name.clone(),
                country: f.recipient_country.clone(),
            })
        }
        _ => {
            typed.destination_error = Some(tr.t("port-error-destination"));
            None
        }
    };
    let outcome = match destination {
        Some(d) => match state.app.prepare_portability(&actor, id, d).await {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/privacy/verzoeken/{id}/overdracht#bestanden"))
                        .into_response(),
                );
            }
            Err(CoreError::Invalid { .. }) => {
                typed.destination_error = Some(tr.t("port-error-no-portal"));
                Ok(())
            }
            Err(CoreError::Conflict(_)) => {
                typed.destination_error = Some(tr.t("port-error-nothing-portable"));
                Ok(())
            }
            Err(e) => Err(e),
        },
        None => Ok(()),
    };
    outcome?;
    let preview = state.app.portability_preview(&actor, id).await?;
    let today = state.app.clock().today().to_string();
    render(&staff, &preview, typed, &today)
}

/// Downloads a file for its organisation, once, to send it: the recorded transfer.
pub async fn download(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path((id, export)): Path<(String, String)>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let export = forms::uuid_of(&export)?;
    let file = state
        .app
        .download_portability_transfer(&staff.as_actor(), id, export)
        .await?;
    Ok(json_file(&file.file_name, file.bytes.to_vec()))
}

/// A JSON file as a download, never cached: it exists once.
pub(crate) fn json_file(name: &str, bytes: Vec<u8>) -> Response {
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
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

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reasons: String,
    #[serde(default)]
    answer_sent_on: String,
}

/// Records the outcome the eligibility leads to, with the reasons.
pub async fn decide(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<DecideForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let actor = staff.as_actor();
    let tr = staff.tr;
    let result = match forms::date("answer_sent_on", &f.answer_sent_on) {
        Ok(day) => {
            state
                .app
                .decide_portability(&actor, id, &f.reasons, day)
                .await
        }
        Err(e) => Err(e),
    };
    let problem = match result {
        Ok(_) => {
            return Ok(Redirect::to(&format!("/privacy/verzoeken/{id}")).into_response());
        }
        Err(CoreError::Invalid {
            field: "answer_sent_on",
            ..
        }) => tr.t("port-error-answer-day"),
        Err(CoreError::Invalid { .. }) => tr.t("port-error-reasons"),
        Err(CoreError::Conflict(_)) => tr.t("port-error-decide-conflict"),
        Err(e) => return Err(e.into()),
    };
    let preview = state.app.portability_preview(&actor, id).await?;
    let today = state.app.clock().today().to_string();
    render(
        &staff,
        &preview,
        Typed {
            reasons: Some(f.reasons),
            decide_error: Some(problem),
            ..Typed::default()
        },
        &today,
    )
}
