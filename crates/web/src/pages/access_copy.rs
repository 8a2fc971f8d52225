//! The privacy officer's page for the access copy of a rights request (RTS-4, TRN-1):
//! what the copy will hold (trajectories in scope, what is withheld and why), the
//! personal work notes in scope with the decision per note (DOS-2: out unless released,
//! with a reason), how many copies the client had (the first is free), and the button
//! that prepares the copy. Everything goes through the core's gate
//! (`access/rts4_access_copy.cedar`): for anyone but the privacy officer the page does
//! not exist.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::access_copy::{CopyPreview, Requester};
use zv_core::withholdings::{Ground, Scope};
use zv_domain::WorkNoteId;

use super::dossier::local_time;
use super::{Layout, forms, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::portal::requests::kind_label;
use crate::session::CurrentStaff;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/privacy/verzoeken/{id}/kopie", get(page).post(prepare))
        .route(
            "/privacy/verzoeken/{id}/kopie/notities/{note}",
            post(release),
        )
        .route(
            "/privacy/verzoeken/{id}/kopie/notities/{note}/intrekken",
            post(withdraw),
        )
}

pub(crate) fn ground_label(tr: Tr, g: Ground) -> String {
    match g {
        Ground::OthersData => tr.t("copy-ground-others-data"),
        Ground::ProtectionOfOthers => tr.t("copy-ground-protection-of-others"),
        Ground::PreventionOfCrime => tr.t("copy-ground-prevention-of-crime"),
        Ground::Safety => tr.t("copy-ground-safety"),
    }
}

struct TrajectoryLine {
    service: String,
    period: String,
    entries: usize,
    withheld: usize,
    attachments: usize,
}

struct WithheldLine {
    service: String,
    what: String,
    ground: String,
}

struct NoteLine {
    id: String,
    service: String,
    author: String,
    written: String,
    /// Released: the reason and when.
    released: Option<(String, String)>,
    /// The reason as typed, kept when refused.
    typed: String,
    error: Option<String>,
}

struct CopyLine {
    number: i64,
    prepared: String,
    state: String,
}

#[derive(Template)]
#[template(path = "access_copy.html")]
struct CopyPage {
    l: Layout,
    request_id: String,
    reference: String,
    kind: String,
    received_on: String,
    client_name: String,
    requester: String,
    address_left_out: bool,
    trajectories: Vec<TrajectoryLine>,
    withheld: Vec<WithheldLine>,
    notes: Vec<NoteLine>,
    further_copy: bool,
    prepared_for_client: u64,
    delivered_to_client: u64,
    copies: Vec<CopyLine>,
    /// A copy was just prepared: its number.
    prepared_now: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct Shown {
    #[serde(default)]
    klaar: String,
}

fn requester_label(tr: Tr, r: Requester) -> String {
    match r {
        Requester::Client => tr.t("copy-requester-client"),
        Requester::Representative => tr.t("copy-requester-representative"),
        Requester::NoPortalAccount => tr.t("copy-requester-none"),
    }
}

fn render(
    staff: &CurrentStaff,
    p: &CopyPreview,
    typed: &HashMap<String, (String, String)>,
    prepared_now: Option<String>,
    error: Option<String>,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let mut l = Layout::staff(staff, "title-access-copy");
    l.title = format!("{} {}", l.title, p.reference);
    let status = if typed.values().any(|(_, e)| !e.is_empty()) || error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut r = html(&CopyPage {
        l,
        request_id: p.request.to_string(),
        reference: p.reference.clone(),
        kind: kind_label(tr, p.kind),
        received_on: p.received_on.to_string(),
        client_name: p.client_name.clone(),
        requester: requester_label(tr, p.requester),
        address_left_out: p.address_left_out,
        trajectories: p
            .trajectories
            .iter()
            .map(|t| TrajectoryLine {
                service: t.service.clone(),
                period: match t.closed_on {
                    Some(c) => format!("{} – {c}", t.opened_on),
                    None => format!("{} –", t.opened_on),
                },
                entries: t.entries,
                withheld: t.withheld_entries,
                attachments: t.attachments,
            })
            .collect(),
        withheld: p
            .withheld
            .iter()
            .map(|w| WithheldLine {
                service: w.service.clone(),
                what: match w.scope {
                    Scope::Entry => tr.t("copy-withheld-entry"),
                    Scope::Passage => tr.t("copy-withheld-passage"),
                },
                ground: ground_label(tr, w.ground),
            })
            .collect(),
        notes: p
            .notes
            .iter()
            .map(|n| {
                let id = n.id.to_string();
                let (typed_reason, error) = typed.get(&id).cloned().unwrap_or_default();
                NoteLine {
                    service: n.service.clone(),
                    author: n.author_name.clone(),
                    written: local_time(n.created_at),
                    released: n
                        .release
                        .as_ref()
                        .map(|r| (r.reason.clone(), local_time(r.at))),
                    typed: typed_reason,
                    error: (!error.is_empty()).then_some(error),
                    id,
                }
            })
            .collect(),
        further_copy: p.further_copy(),
        prepared_for_client: p.prepared_for_client,
        delivered_to_client: p.delivered_to_client,
        copies: p
            .copies
            .iter()
            .map(|c| CopyLine {
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
            })
            .collect(),
        prepared_now,
        error,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// What the copy will hold, the work notes to decide on, and the button to prepare it.
pub async fn page(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Query(q): Query<Shown>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let preview = state.app.access_copy_preview(&staff.as_actor(), id).await?;
    // Only a number of a copy of this request is acknowledged: the page never echoes
    // what a link says.
    let prepared_now = preview
        .copies
        .iter()
        .find(|c| c.copy_number.to_string() == q.klaar)
        .map(|c| c.copy_number.to_string());
    render(&staff, &preview, &HashMap::new(), prepared_now, None)
}

/// Prepares the copy; back on the page with the copy's number acknowledged.
pub async fn prepare(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let prepared = state.app.prepare_access_copy(&staff.as_actor(), id).await?;
    Ok(Redirect::to(&format!(
        "/privacy/verzoeken/{id}/kopie?klaar={}#kopieen",
        prepared.copy_number
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct ReleaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// Releases one work note into the copy, with a reason; a refusal keeps what was typed.
pub async fn release(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path((id, note)): Path<(String, String)>,
    Form(f): Form<ReleaseForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let note_id = WorkNoteId::from_uuid(forms::uuid_of(&note)?);
    let actor = staff.as_actor();
    match state
        .app
        .release_work_note(&actor, id, note_id, &f.reason)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to(&format!("/privacy/verzoeken/{id}/kopie#notities")).into_response())
        }
        Err(CoreError::Invalid { .. }) => {
            let preview = state.app.access_copy_preview(&actor, id).await?;
            let typed = HashMap::from([(
                note_id.to_string(),
                (f.reason, staff.tr.t("copy-error-reason")),
            )]);
            render(&staff, &preview, &typed, None, None)
        }
        Err(e) => Err(e.into()),
    }
}

/// Takes a release back.
pub async fn withdraw(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path((id, note)): Path<(String, String)>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let note = WorkNoteId::from_uuid(forms::uuid_of(&note)?);
    state
        .app
        .withdraw_work_note_release(&staff.as_actor(), id, note)
        .await?;
    Ok(Redirect::to(&format!("/privacy/verzoeken/{id}/kopie#notities")).into_response())
}
