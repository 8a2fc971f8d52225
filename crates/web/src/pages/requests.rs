//! The privacy officer's list of rights requests and complaints filed from the portal
//! (POR-4), and each one with what the client wrote. Reading either is a recorded read;
//! the rules (`access/por4_requests.cedar`) keep both to the privacy officer.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use zv_core::requests::FiledLine;

use super::dossier::local_time;
use super::{Layout, forms, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::portal::requests::{kind_label, status_label};
use crate::session::CurrentStaff;
use crate::state::AppState;

struct Line {
    id: String,
    reference: String,
    what: String,
    client: String,
    channel: String,
    received_on: String,
    status: String,
    scope: String,
    filed_at: String,
}

fn channel_label(tr: Tr, channel: &str) -> String {
    match channel {
        "portal" => tr.t("request-channel-portal"),
        other => other.to_owned(),
    }
}

fn line(tr: Tr, f: &FiledLine) -> Line {
    Line {
        id: f.id.to_string(),
        reference: f.reference.clone(),
        what: f
            .kind
            .map_or_else(|| tr.t("complaint-portal-kind"), |k| kind_label(tr, k)),
        client: f.client.to_string(),
        channel: channel_label(tr, &f.channel),
        received_on: f.received_on.to_string(),
        status: status_label(tr, f.status),
        scope: if f.trajectories.is_empty() {
            tr.t("request-scope-all")
        } else {
            f.trajectories
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        },
        filed_at: local_time(f.created_at),
    }
}

#[derive(Template)]
#[template(path = "privacy_requests.html")]
struct ListPage {
    l: Layout,
    lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "privacy_request.html")]
struct DetailPage {
    l: Layout,
    r: Line,
    client_name: String,
    subject: Option<String>,
    text: String,
}

/// Every request and complaint filed, newest first.
pub async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let filed = state.app.filed_requests(&staff.as_actor()).await?;
    html(&ListPage {
        l: Layout::staff(&staff, "title-request-officer-list"),
        lines: filed.iter().map(|f| line(staff.tr, f)).collect(),
    })
}

/// One request or complaint with what the client wrote.
pub async fn detail(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let filed = state.app.filed_request(&staff.as_actor(), id).await?;
    let mut l = Layout::staff(&staff, "title-request-officer");
    l.title = format!("{} {}", l.title, filed.detail.line.reference);
    html(&DetailPage {
        l,
        r: line(staff.tr, &filed.detail.line),
        client_name: filed.client_name,
        subject: filed.detail.subject,
        text: filed.detail.text,
    })
}
