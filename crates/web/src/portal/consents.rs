//! The consent register in the portal (SHR-1, RTS-10, MIN-1..4): the client sees their
//! own consents, a parent with authority those of a child under 16, an adult's legal
//! representative those of the client within the mandate. Each of them gives a consent
//! here (channel `portal`, today), confirms one another giver proposed (a child of 12 to
//! 16 and its parents all give it; both parents of a younger child), and withdraws or
//! declines one with a button; a withdrawal takes effect at once. The core's gate decides
//! who may (`access/shr1_consents.cedar`) and records every read and change; a client
//! the account does not read for is "not found".

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use zv_core::CoreError;
use zv_core::consents::{ConsentPerson, ConsentProblem, ConsentPurpose, ConsentView};
use zv_domain::ClientId;

use super::PortalLayout;
use super::session::CurrentClient;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::pages::consents::{Choice, problem_text};
use crate::pages::dossier::local_time;
use crate::pages::{forms, html};
use crate::state::AppState;

/// This module's routes; merged into the portal's.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portaal/toestemmingen", get(own).post(give_own))
        .route(
            "/portaal/dossiers/{id}/toestemmingen",
            get(linked).post(give_linked),
        )
        .route("/portaal/toestemmingen/{id}/intrekken", post(withdraw))
        .route("/portaal/toestemmingen/{id}/bevestigen", post(confirm))
}

/// One consent as the portal lists it.
struct Line {
    id: String,
    purpose: String,
    recipient: Option<String>,
    how: String,
    given_on: String,
    given_by: String,
    description: Option<String>,
    in_force: bool,
    /// Not withdrawn: it can be withdrawn (or, while awaited, declined).
    open: bool,
    /// Who has yet to confirm it.
    awaiting: Option<String>,
    /// The signed-in person's confirmation is awaited.
    awaits_me: bool,
    withdrawn: Option<String>,
}

/// The give form as typed, and its refusals per field.
#[derive(Default)]
struct GiveForm {
    purpose: String,
    recipient: String,
    description: String,
    errors: Vec<(&'static str, String)>,
}

impl GiveForm {
    fn error(&self, field: &str) -> Option<&String> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e)
    }
}

#[derive(Template)]
#[template(path = "portal_consents.html")]
struct Page {
    l: PortalLayout,
    lines: Vec<Line>,
    /// Where the give form posts.
    action: String,
    purposes: Vec<Choice>,
    recipients: Vec<Choice>,
    f: GiveForm,
    notice: Option<String>,
}

fn line(tr: Tr, c: ConsentView, me: ConsentPerson) -> Line {
    let person = |p: ConsentPerson| {
        if p == me {
            tr.t("consent-person-you")
        } else if p == ConsentPerson::Client {
            tr.t("consent-person-client")
        } else {
            tr.t("consent-person-parent")
        }
    };
    let awaiting = c.awaiting_confirmation().then(|| {
        c.awaiting
            .iter()
            .map(|p| person(*p))
            .collect::<Vec<_>>()
            .join(", ")
    });
    Line {
        id: c.id.to_string(),
        purpose: tr.t(&format!(
            "consent-purpose-{}",
            c.purpose.code().replace('_', "-")
        )),
        recipient: c.recipient.as_ref().map(|r| r.name.clone()),
        how: tr.t(&format!("consent-how-{}", c.how.code().replace('_', "-"))),
        given_on: c.given_on.to_string(),
        given_by: c
            .given_by
            .iter()
            .map(|p| person(*p))
            .collect::<Vec<_>>()
            .join(", "),
        in_force: c.in_force(),
        open: c.withdrawal.is_none(),
        awaits_me: c.awaiting_confirmation() && c.awaiting.contains(&me),
        awaiting,
        withdrawn: c.withdrawal.as_ref().map(|w| {
            format!(
                "{} · {}",
                tr.t1("consents-withdrawn", "at", &local_time(w.at)),
                person(w.by)
            )
        }),
        description: c.description,
    }
}

fn path_of(client: &CurrentClient, of: ClientId) -> String {
    if client.actor.client_id == Some(of) {
        "/portaal/toestemmingen".to_owned()
    } else {
        format!("/portaal/dossiers/{of}/toestemmingen")
    }
}

async fn render(
    state: &AppState,
    client: &CurrentClient,
    of: ClientId,
    f: Option<GiveForm>,
    notice: Option<&str>,
) -> Result<Response, WebError> {
    let actor = client.as_actor();
    // The consents first: an account that may not read them finds no page.
    let consents = state.app.consents(&actor, of).await?;
    let me = state.app.consent_person_in_portal(&actor, of).await?;
    let tr = client.tr;
    let recipients = state
        .app
        .consent_recipients(&actor)
        .await?
        .into_iter()
        .map(|r| Choice {
            value: r.id.to_string(),
            label: format!("{} ({})", r.name, r.country),
        })
        .collect();
    let f = f.unwrap_or_default();
    let refused = !f.errors.is_empty();
    let mut r = html(&Page {
        l: PortalLayout::signed_in(state, client, "consents-portal-title"),
        lines: consents.into_iter().map(|c| line(tr, c, me)).collect(),
        action: path_of(client, of),
        purposes: ConsentPurpose::ALL
            .iter()
            .map(|p| Choice {
                value: p.code().to_owned(),
                label: tr.t(&format!("consent-purpose-{}", p.code().replace('_', "-"))),
            })
            .collect(),
        recipients,
        f,
        notice: notice.map(|k| tr.t(k)),
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// The signed-in client's own consents.
pub async fn own(
    State(state): State<AppState>,
    client: CurrentClient,
) -> Result<Response, WebError> {
    let Some(me) = client.actor.client_id else {
        return Err(WebError::NotFound);
    };
    render(&state, &client, me, None, None).await
}

/// The consents of a client the account reads for (a parent with authority of a child
/// under 16, an adult's representative within the mandate; the rules decide).
pub async fn linked(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let of = ClientId::from_uuid(forms::uuid_of(&id)?);
    render(&state, &client, of, None, None).await
}

#[derive(serde::Deserialize)]
pub struct GiveFields {
    csrf: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    description: String,
}

pub async fn give_own(
    State(state): State<AppState>,
    client: CurrentClient,
    Form(f): Form<GiveFields>,
) -> Result<Response, WebError> {
    let Some(me) = client.actor.client_id else {
        return Err(WebError::NotFound);
    };
    give(&state, &client, me, f).await
}

pub async fn give_linked(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
    Form(f): Form<GiveFields>,
) -> Result<Response, WebError> {
    let of = ClientId::from_uuid(forms::uuid_of(&id)?);
    give(&state, &client, of, f).await
}

/// Gives a consent: the fields checked at once, then who must give it by the client's
/// age band today; a refusal shows the form again with the problem at its field.
async fn give(
    state: &AppState,
    client: &CurrentClient,
    of: ClientId,
    f: GiveFields,
) -> Result<Response, WebError> {
    client.check_csrf(&f.csrf)?;
    let tr = client.tr;
    let mut typed = GiveForm {
        purpose: f.purpose.clone(),
        recipient: f.recipient.clone(),
        description: f.description.clone(),
        errors: Vec::new(),
    };
    let input = match state
        .app
        .check_portal_consent_form(&f.purpose, &f.recipient, &f.description)
    {
        Ok(input) => input,
        Err(problems) => {
            typed.errors = problems
                .into_iter()
                .map(|(field, p)| (field, problem_text(tr, p)))
                .collect();
            return render(state, client, of, Some(typed), None).await;
        }
    };
    match state
        .app
        .give_consent_in_portal(&client.as_actor(), of, &input)
        .await
    {
        Ok(id) => {
            Ok(Redirect::to(&format!("{}#consent-{id}", path_of(client, of))).into_response())
        }
        Err(e @ CoreError::Invalid { .. }) => {
            let field = match &e {
                CoreError::Invalid { field, .. } if *field == "recipient" => "recipient",
                // Who must give it (the age band, the parents, the mandate): the form's
                // own message, above its fields.
                _ => "given_by",
            };
            let text = ConsentProblem::of_error(&e)
                .map_or_else(|| tr.t("error-invalid"), |p| problem_text(tr, p));
            typed.errors = vec![(field, text)];
            render(state, client, of, Some(typed), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Confirms a consent another giver proposed; back to the list it was on.
pub async fn confirm(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    client.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    match state
        .app
        .confirm_consent_in_portal(&client.as_actor(), id)
        .await
    {
        Ok(of) => {
            Ok(Redirect::to(&format!("{}#consent-{id}", path_of(&client, of))).into_response())
        }
        // Confirmed, declined or changed meanwhile: the list says where it stands.
        Err(CoreError::Conflict(_)) => {
            let of = state.app.client_of_consent(&client.as_actor(), id).await?;
            let mut r =
                render(&state, &client, of, None, Some("consents-confirm-conflict")).await?;
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

/// Withdraws a consent at once (RTS-10), or declines one still awaiting confirmation;
/// back to the list it was on.
pub async fn withdraw(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    client.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let of = match state
        .app
        .withdraw_recorded_consent_in_portal(&client.as_actor(), id)
        .await
    {
        Ok(of) => of,
        // Withdrawn already (another tab, a parent): the list shows it so.
        Err(CoreError::Conflict(_)) => state.app.client_of_consent(&client.as_actor(), id).await?,
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("{}#consent-{id}", path_of(&client, of))).into_response())
}
