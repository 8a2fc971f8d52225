//! The consent register in the portal (SHR-1, RTS-10, MIN-1..3): the client sees their
//! own consents, and a parent with authority those of a child under 16, and withdraws
//! one with a button; the withdrawal takes effect at once (channel `portal`). The core's
//! gate decides who may (`access/shr1_consents.cedar`) and records every read and
//! withdrawal; a client the account does not read for is "not found".

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use zv_core::consents::{ConsentPerson, ConsentView};
use zv_domain::ClientId;

use super::PortalLayout;
use super::session::CurrentClient;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::pages::dossier::local_time;
use crate::pages::{forms, html};
use crate::state::AppState;

/// This module's routes; merged into the portal's.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portaal/toestemmingen", get(own))
        .route("/portaal/dossiers/{id}/toestemmingen", get(linked))
        .route("/portaal/toestemmingen/{id}/intrekken", post(withdraw))
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
    withdrawn: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_consents.html")]
struct Page {
    l: PortalLayout,
    lines: Vec<Line>,
}

fn line(tr: Tr, c: ConsentView, own: bool) -> Line {
    let person = |p: ConsentPerson| match (p, own) {
        (ConsentPerson::Client, true) => tr.t("consent-person-you"),
        (ConsentPerson::Client, false) => tr.t("consent-person-client"),
        (ConsentPerson::Related(_), _) => tr.t("consent-person-parent"),
    };
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

async fn render(
    state: &AppState,
    client: &CurrentClient,
    of: ClientId,
) -> Result<Response, WebError> {
    let own = client.actor.client_id == Some(of);
    let consents = state.app.consents(&client.as_actor(), of).await?;
    let tr = client.tr;
    html(&Page {
        l: PortalLayout::signed_in(state, client, "consents-portal-title"),
        lines: consents.into_iter().map(|c| line(tr, c, own)).collect(),
    })
}

/// The signed-in client's own consents.
pub async fn own(
    State(state): State<AppState>,
    client: CurrentClient,
) -> Result<Response, WebError> {
    let Some(me) = client.actor.client_id else {
        return Err(WebError::NotFound);
    };
    render(&state, &client, me).await
}

/// The consents of a client the account reads for (a parent with authority of a child
/// under 16; the rules decide).
pub async fn linked(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let of = ClientId::from_uuid(forms::uuid_of(&id)?);
    render(&state, &client, of).await
}

/// Withdraws a consent at once (RTS-10), back to the list it was on.
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
        Err(zv_core::CoreError::Conflict(_)) => {
            state.app.client_of_consent(&client.as_actor(), id).await?
        }
        Err(e) => return Err(e.into()),
    };
    let to = if client.actor.client_id == Some(of) {
        "/portaal/toestemmingen".to_owned()
    } else {
        format!("/portaal/dossiers/{of}/toestemmingen")
    };
    Ok(Redirect::to(&format!("{to}#consent-{id}")).into_response())
}
