//! The portability files a client downloads in the portal (RTS-8, AVG art. 20), listed
//! next to the access copies: each downloadable once through a one-time link (a random
//! token, kept by the core as a hash only, valid for the policy's minutes). The link
//! answers "not found" after its one use, when it expired, and to any other session.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::session::CurrentClient;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::pages::dossier::local_time;
use crate::pages::forms;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portaal/overdracht/{id}/link", post(link))
        .route("/portaal/overdracht/{token}", get(download))
}

/// One file as the portal's copies page lists it.
pub struct FileLine {
    pub id: String,
    pub reference: String,
    pub prepared: String,
    pub state: String,
    pub available: bool,
}

/// The files of the signed-in client, for the copies page.
pub async fn lines(
    state: &AppState,
    client: &CurrentClient,
    tr: Tr,
) -> Result<Vec<FileLine>, WebError> {
    let files = state.app.my_portability_exports(&client.as_actor()).await?;
    Ok(files
        .iter()
        .map(|f| FileLine {
            id: f.id.to_string(),
            reference: f.reference.clone(),
            prepared: local_time(f.prepared_at),
            state: match (f.downloaded_at, f.available) {
                (Some(at), _) => tr.t1("port-state-downloaded", "at", &local_time(at)),
                (None, true) => tr.t1(
                    "port-state-available",
                    "until",
                    &local_time(f.available_until),
                ),
                (None, false) => tr.t("port-state-expired"),
            },
            available: f.available,
        })
        .collect())
}

/// Issues the one-time link and follows it: the download starts at once.
pub async fn link(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    client.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let issued = state
        .app
        .issue_portability_link(&client.as_actor(), id)
        .await?;
    Ok(Redirect::to(&format!("/portaal/overdracht/{}", issued.token)).into_response())
}

/// The download through a one-time link: the JSON file (`zorgvuldig.portability/1`).
pub async fn download(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let file = state
        .app
        .download_portability(&client.as_actor(), &token)
        .await?;
    Ok(crate::pages::portability::json_file(
        &file.file_name,
        file.bytes.to_vec(),
    ))
}
