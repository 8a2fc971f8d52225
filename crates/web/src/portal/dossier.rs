//! The client's own dossier (POR-1): the list of their trajectories, each trajectory
//! with everything of DOS-1, attachments to download. Every page is a read through the
//! core's gate, recorded in the audit log under the portal account; another client's
//! trajectory or attachment is "not found". Work notes (DOS-2) are not read at all.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use zv_core::withholdings::{ClientEntry, ClientText};
use zv_domain::{AttachmentId, EntryKind, TrajectoryId};

use super::PortalLayout;
use super::session::CurrentClient;
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::pages::dossier::{category_label, kind_label, local_time};
use crate::pages::withholdings;
use crate::pages::{forms, html};
use crate::state::AppState;

/// A trajectory as a line of the list.
struct TrajectoryLine {
    id: TrajectoryId,
    service: String,
    opened_on: String,
    closed_on: Option<String>,
    /// The freeze in force (RTS-7): the client sees it too.
    frozen: Option<zv_core::processing_stops::Frozen>,
}

/// An entry as the client's page shows it.
struct EntryLine {
    id: String,
    kind_label: &'static str,
    special: Option<&'static str>,
    necessity: Option<String>,
    title: String,
    body: String,
    progress: Option<u8>,
    author: String,
    updated_at: String,
    is_goal: bool,
    /// Progress updates of a goal: percentage, note, author, when.
    updates: Vec<(u8, String, String, String)>,
    /// Attachments: id and file name.
    attachments: Vec<(String, String)>,
    /// The entry is withheld as a whole (POR-2): the notice naming the ground, and
    /// nothing else of it.
    withheld: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_home.html")]
struct HomePage {
    l: PortalLayout,
    trajectories: Vec<TrajectoryLine>,
    /// The clients a parent or representative reads for (MIN-1..4).
    minors: super::minors::HomeSection,
}

#[derive(Template)]
#[template(path = "portal_dossier.html")]
struct DossierPage {
    l: PortalLayout,
    opened_on: String,
    closed_on: Option<String>,
    /// The freeze in force (RTS-7): the client sees it too.
    frozen: Option<zv_core::processing_stops::Frozen>,
    entries: Vec<EntryLine>,
}

/// The name of a service in the reader's language, from the policy; its code if the
/// policy no longer has it.
fn service_name(state: &AppState, tr: Tr, code: &str) -> String {
    state.app.policy().service_type(code).map_or_else(
        || code.to_owned(),
        |s| match tr.lang {
            Lang::Nl => s.name_nl.clone(),
            Lang::En => s.name_en.clone(),
        },
    )
}

pub async fn home(
    State(state): State<AppState>,
    client: CurrentClient,
) -> Result<Response, WebError> {
    let tr = client.tr;
    let trajectories = state
        .app
        .portal_trajectories(&client.as_actor())
        .await?
        .iter()
        .map(|t| TrajectoryLine {
            id: t.id,
            service: service_name(&state, tr, &t.service_type),
            opened_on: t.opened_on.to_string(),
            closed_on: t.closed_on.map(|d| d.to_string()),
            frozen: t.frozen,
        })
        .collect();
    let minors = super::minors::home_section(&state, &client).await?;
    html(&HomePage {
        l: PortalLayout::signed_in(&state, &client, "title-portal-home"),
        trajectories,
        minors,
    })
}

pub async fn trajectory(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = TrajectoryId::from_uuid(forms::uuid_of(&id)?);
    let tr = client.tr;
    let dossier = state.app.portal_dossier(&client.as_actor(), id).await?;
    let names = &dossier.names;
    let name_of = |u| names.get(u).cloned().unwrap_or_default();
    // POR-2: the core has taken out what is withheld; a withheld passage is a marker
    // naming its ground.
    let text = |t: &ClientText| t.render(|g| withholdings::marker(tr, g));
    let entries = dossier
        .entries
        .iter()
        .map(|entry| match entry {
            ClientEntry::Entry(e) => EntryLine {
                id: e.id.to_string(),
                kind_label: kind_label(tr, e.kind),
                special: e.special_category.map(|c| category_label(tr, c)),
                necessity: e.necessity.as_ref().map(text),
                title: text(&e.title),
                body: text(&e.body),
                progress: e.progress,
                author: name_of(&e.created_by),
                updated_at: local_time(e.updated_at),
                is_goal: e.kind == EntryKind::Goal,
                updates: e
                    .progress_updates
                    .iter()
                    .map(|p| {
                        (
                            p.progress,
                            text(&p.note),
                            name_of(&p.author),
                            local_time(p.at),
                        )
                    })
                    .collect(),
                attachments: e
                    .attachments
                    .iter()
                    .map(|a| (a.id.to_string(), a.filename.clone()))
                    .collect(),
                withheld: None,
            },
            ClientEntry::Withheld(n) => EntryLine {
                id: n.id.to_string(),
                kind_label: kind_label(tr, n.kind),
                special: None,
                necessity: None,
                title: String::new(),
                body: String::new(),
                progress: None,
                author: String::new(),
                updated_at: local_time(n.created_at),
                is_goal: false,
                updates: Vec::new(),
                attachments: Vec::new(),
                withheld: Some(withholdings::withheld_notice(tr, n.ground)),
            },
        })
        .collect();
    let service = service_name(&state, tr, &dossier.trajectory.service_type);
    // The page is named after the service.
    let mut l = PortalLayout::signed_in(&state, &client, "title-portal-dossier");
    l.title = service;
    html(&DossierPage {
        l,
        opened_on: dossier.trajectory.opened_on.to_string(),
        closed_on: dossier.trajectory.closed_on.map(|d| d.to_string()),
        frozen: dossier.trajectory.frozen,
        entries,
    })
}

/// An attachment of the client's own dossier (a recorded copy, like a staff download).
pub async fn download(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = AttachmentId::from_uuid(forms::uuid_of(&id)?);
    let file = state
        .app
        .download_attachment(&client.as_actor(), id)
        .await?;
    Ok(crate::disposition::attachment(file))
}
