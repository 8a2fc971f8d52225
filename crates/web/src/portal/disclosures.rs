//! "Aan wie is iets verstrekt" (SHR-4): the client's own list of what left the
//! organisation about them, to whom, when and on which ground, except what a recorded
//! safety reason keeps from them. Reading it is itself a recorded read. Like the access
//! log, it is the client's own: a parent's or representative's account has none here.

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::PortalLayout;
use super::session::CurrentClient;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::pages::html;
use crate::pages::sharing::{ground_label, kind_label};
use crate::state::AppState;

struct Line {
    on: String,
    recipient: String,
    kind: String,
    ground: String,
    what: String,
}

#[derive(Template)]
#[template(path = "portal_disclosures.html")]
struct DisclosuresPage {
    l: PortalLayout,
    lines: Vec<Line>,
}

fn what(tr: Tr, entries: i64, summary: bool) -> String {
    match (entries, summary) {
        (0, _) => tr.t("share-portal-what-summary"),
        (n, false) => tr.t1("share-portal-what-entries", "count", &n),
        (n, true) => tr.t1("share-portal-what-both", "count", &n),
    }
}

pub async fn page(
    State(state): State<AppState>,
    client: CurrentClient,
) -> Result<Response, WebError> {
    let tr = client.tr;
    let list = state.app.portal_disclosures(&client.as_actor()).await?;
    let mut l = PortalLayout::signed_in(&state, &client, "title-portal-home");
    l.title = tr.t("share-portal-title");
    html(&DisclosuresPage {
        l,
        lines: list
            .iter()
            .map(|d| Line {
                on: d.disclosed_on.to_string(),
                recipient: format!("{} ({})", d.recipient_name, d.recipient_country),
                kind: kind_label(tr, &d.recipient_kind),
                ground: match &d.law {
                    Some(law) => format!("{}: {law}", ground_label(tr, d.ground)),
                    None => ground_label(tr, d.ground),
                },
                what: what(tr, d.entry_count, d.with_summary),
            })
            .collect(),
    })
}
