//! The access copies the requester downloads in the portal (RTS-4, TRN-1): the copies of
//! the requests this account filed, each downloadable once. Asking for the download
//! issues a one-time link (a random token, kept by the core as a hash only, valid for
//! the policy's minutes) and follows it at once; the link answers "not found" after its
//! one use, when it expired, and to any other session.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::PortalLayout;
use super::session::CurrentClient;
use crate::error::WebError;
use crate::pages::dossier::local_time;
use crate::pages::{forms, html};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portaal/kopieen", get(list))
        .route("/portaal/kopieen/{id}/link", post(link))
        .route("/portaal/kopie/{token}", get(download))
}

struct CopyLine {
    id: String,
    reference: String,
    number: i64,
    prepared: String,
    state: String,
    available: bool,
}

#[derive(Template)]
#[template(path = "portal_copies.html")]
struct CopiesPage {
    l: PortalLayout,
    copies: Vec<CopyLine>,
    /// RTS-8: the portability files, next to the copies.
    files: Vec<super::portability::FileLine>,
}

/// The copies this account may download.
pub async fn list(
    State(state): State<AppState>,
    client: CurrentClient,
) -> Result<Response, WebError> {
    let tr = client.tr;
    let copies = state.app.my_access_copies(&client.as_actor()).await?;
    let files = super::portability::lines(&state, &client, tr).await?;
    html(&CopiesPage {
        files,
        l: PortalLayout::signed_in(&state, &client, "title-portal-copies"),
        copies: copies
            .iter()
            .map(|c| CopyLine {
                id: c.id.to_string(),
                reference: c.reference.clone(),
                number: c.copy_number,
                prepared: local_time(c.prepared_at),
                state: match (c.downloaded_at, c.available) {
                    (Some(at), _) => tr.t1("copy-state-downloaded", "at", &local_time(at)),
                    (None, true) => tr.t1(
                        "copy-state-available",
                        "until",
                        &local_time(c.available_until),
                    ),
                    (None, false) => tr.t("copy-state-expired"),
                },
                available: c.available,
            })
            .collect(),
    })
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
        .issue_access_copy_link(&client.as_actor(), id)
        .await?;
    Ok(Redirect::to(&format!("/portaal/kopie/{}", issued.token)).into_response())
}

/// The download through a one-time link: the ZIP with the PDF, the JSON file and the
/// attachments. Never cached: the copy exists once.
pub async fn download(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let file = state
        .app
        .download_access_copy(&client.as_actor(), &token)
        .await?;
    let name: String = file
        .file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        file.bytes.to_vec(),
    )
        .into_response())
}
