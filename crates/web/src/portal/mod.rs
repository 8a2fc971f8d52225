//! The client portal ("Mijn dossier", POR-1) under `/portaal`: its own sign-in with an
//! invitation code, password and TOTP, and the client's own dossier. Plain HTML that
//! works on a phone, no inline script (the strict CSP of [`crate::security`] holds here
//! too; the one script, the quick exit of [`safety`], comes from the app itself),
//! Dutch by default with English complete. Every page shows the organisation's help
//! numbers and its current privacy statement.
//!
//! A portal session lives in its own cookie and table; the staff extractor never looks
//! at it and this module's extractor never looks at a staff session.

mod access_log;
mod complaints;
mod consents;
mod copies;
mod disclosures;
mod dossier;
mod minors;
mod portability;
pub(crate) mod requests;
pub(crate) mod safety;
pub mod session;
mod sign_in;
mod statement;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};

use crate::i18n::Tr;
use crate::state::AppState;

/// The portal's routes; merged into the app's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(minors::routes())
        .merge(copies::routes())
        .merge(complaints::routes())
        .merge(portability::routes())
        .merge(consents::routes())
        .route("/portaal", get(dossier::home))
        .route("/portaal/trajecten/{id}", get(dossier::trajectory))
        .route("/portaal/bijlagen/{id}", get(dossier::download))
        .route(
            "/portaal/verzoeken",
            get(requests::list).post(requests::file_request),
        )
        .route(
            "/portaal/verzoeken/{id}/besluitbrief",
            get(requests::letter),
        )
        .route("/portaal/klachten", post(requests::file_complaint))
        .route(
            "/portaal/aanmelden",
            get(sign_in::form).post(sign_in::password),
        )
        .route(
            "/portaal/uitnodiging",
            get(sign_in::redeem_form).post(sign_in::redeem),
        )
        .route(
            "/portaal/aanmelden/code",
            get(sign_in::code_form).post(sign_in::code),
        )
        .route(
            "/portaal/aanmelden/koppelen",
            get(sign_in::enrol_form).post(sign_in::enrol),
        )
        .route("/portaal/afmelden", post(sign_in::sign_out))
        .route("/portaal/taal/{lang}", post(sign_in::switch_language))
        .route("/portaal/inzage-log", get(access_log::page))
        .route("/portaal/dossiers/{id}/inzage-log", get(access_log::linked))
        .route("/portaal/verstrekkingen", get(disclosures::page))
        .route("/portaal/privacyverklaring", get(statement::page))
        .route("/portaal/snel-weg", get(safety::quick_exit))
        .route(safety::NEUTRAL_PAGE, get(safety::neutral))
        .route("/static/quick-exit.js", get(safety::script))
}

/// What the portal's base layout needs.
pub struct PortalLayout {
    pub tr: Tr,
    pub title: String,
    /// The session's CSRF token, for the sign-out form; empty before sign-in.
    pub csrf: String,
    pub signed_in: bool,
    /// The organisation's name, from the policy.
    pub organisation: String,
    /// The organisation's help and emergency numbers, on every page (POR-5).
    pub help: safety::HelpLine,
    /// The quick exit is offered on this page (POR-5): a domestic-violence service.
    pub quick_exit: bool,
    /// The current privacy statement's version and address, on every page (ORG-3).
    pub statement_version: String,
    pub statement_url: String,
    /// The account is a client's own: it has an access log and statements of its own. A
    /// parent's or representative's account reads for someone else and has neither.
    pub own_dossier: bool,
}

impl PortalLayout {
    pub fn new(state: &AppState, tr: Tr, title_key: &str) -> Self {
        Self {
            tr,
            title: tr.t(title_key),
            csrf: String::new(),
            signed_in: false,
            organisation: state.app.policy().organisation().name.clone(),
            help: safety::HelpLine::of(state),
            // Before sign-in the client is unknown: offered when the organisation has a
            // domestic-violence service.
            quick_exit: state.app.quick_exit_offered(),
            statement_version: state.app.policy().organisation().statement_version.clone(),
            statement_url: state
                .app
                .policy()
                .organisation()
                .privacy_statement_url
                .clone(),
            own_dossier: false,
        }
    }

    pub fn signed_in(state: &AppState, client: &session::CurrentClient, title_key: &str) -> Self {
        Self {
            csrf: client.csrf.clone(),
            signed_in: true,
            quick_exit: client.quick_exit,
            own_dossier: client.actor.client_id.is_some(),
            ..Self::new(state, client.tr, title_key)
        }
    }
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
