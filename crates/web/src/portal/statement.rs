//! The privacy statement in the portal (ORG-3): the organisation's current version with
//! where it is published (also in the footer of every portal page), and which versions
//! the client was given, and when, as their worker recorded it.
//!
//! Earlier versions are shown by their version and date; their text becomes readable
//! here once the statements are rendered and kept from the policy (frozen per version).

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::PortalLayout;
use super::session::CurrentClient;
use crate::error::WebError;
use crate::pages::html;
use crate::state::AppState;

struct ReceiptLine {
    given_on: String,
    version: String,
    statement: bool,
    card: bool,
    current: bool,
}

#[derive(Template)]
#[template(path = "portal_statement.html")]
struct StatementPage {
    l: PortalLayout,
    receipts: Vec<ReceiptLine>,
    /// The organisation hands out a privacy card (Blijf Groep).
    has_card: bool,
    privacy_officer_email: String,
}

pub async fn page(
    State(state): State<AppState>,
    client: CurrentClient,
) -> Result<Response, WebError> {
    let receipts = state
        .app
        .portal_statement_receipts(&client.as_actor())
        .await?
        .into_iter()
        .rev()
        .map(|r| ReceiptLine {
            given_on: r.given_on.to_string(),
            version: r.statement_version,
            statement: r.statement_given,
            card: r.privacy_card_given,
            current: r.is_current,
        })
        .collect();
    let policy = state.app.policy();
    let mut l = PortalLayout::signed_in(&state, &client, "title-portal-home");
    l.title = client.tr.t("statement-portal-title");
    html(&StatementPage {
        l,
        receipts,
        has_card: policy.organisation().privacy_card,
        privacy_officer_email: policy.privacy_officer().email.clone(),
    })
}
