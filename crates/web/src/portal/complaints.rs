//! The client's complaints in the portal (CMP-1): each with its reference, the day it
//! was received, where it stands, and once decided the decision and the answer letter
//! to download (Dutch, or English). A recorded read of the client's own data; the letter
//! download is a recorded export.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;

use super::PortalLayout;
use super::session::CurrentClient;
use crate::error::WebError;
use crate::pages::complaints::{decision_label, state_label};
use crate::pages::{forms, html};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portaal/mijn-klachten", get(list))
        .route("/portaal/mijn-klachten/{id}/brief", get(letter))
}

struct Line {
    id: String,
    reference: String,
    subject: String,
    received_on: String,
    state: String,
    decision: String,
    decided_on: String,
    due_on: String,
    decided: bool,
}

#[derive(Template)]
#[template(path = "portal_complaints.html")]
struct ComplaintsPage {
    l: PortalLayout,
    complaints: Vec<Line>,
}

/// The client's complaints with their state.
pub async fn list(
    State(state): State<AppState>,
    client: CurrentClient,
) -> Result<Response, WebError> {
    let tr = client.tr;
    let mine = state.app.my_complaints(&client.as_actor()).await?;
    html(&ComplaintsPage {
        l: PortalLayout::signed_in(&state, &client, "title-portal-complaints"),
        complaints: mine
            .iter()
            .map(|c| Line {
                id: c.id.to_string(),
                reference: c.reference.clone().unwrap_or_default(),
                subject: c.subject.clone(),
                received_on: c.received_on.to_string(),
                state: state_label(tr, c.state),
                decision: c
                    .decision
                    .map(|d| decision_label(tr, d))
                    .unwrap_or_default(),
                decided_on: c.decided_on.map(|d| d.to_string()).unwrap_or_default(),
                due_on: c.due_on.to_string(),
                decided: c.decision.is_some(),
            })
            .collect(),
    })
}

/// The answer letter of a decided complaint.
pub async fn letter(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
    Query(q): Query<crate::pages::requests::LetterQuery>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let language = crate::pages::requests::letter_language(q.taal())?;
    let letter = state
        .app
        .complaint_letter(&client.as_actor(), id, language)
        .await?;
    Ok(crate::pages::complaints::pdf(letter))
}
