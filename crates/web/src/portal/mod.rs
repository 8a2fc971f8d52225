//! The client portal ("Mijn dossier", POR-1) under `/portaal`: its own sign-in with an
//! invitation code, password and TOTP, and the client's own dossier. Plain HTML that
//! works on a phone, no script (the strict CSP of [`crate::security`] holds here too),
//! Dutch by default with English complete.
//!
//! A portal session lives in its own cookie and table; the staff extractor never looks
//! at it and this module's extractor never looks at a staff session.

mod dossier;
pub mod session;
mod sign_in;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};

use crate::i18n::Tr;
use crate::state::AppState;

/// The portal's routes; merged into the app's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portaal", get(dossier::home))
        .route("/portaal/trajecten/{id}", get(dossier::trajectory))
        .route("/portaal/bijlagen/{id}", get(dossier::download))
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
}

impl PortalLayout {
    pub fn new(state: &AppState, tr: Tr, title_key: &str) -> Self {
        Self {
            tr,
            title: tr.t(title_key),
            csrf: String::new(),
            signed_in: false,
            organisation: state.app.policy().organisation().name.clone(),
        }
    }

    pub fn signed_in(state: &AppState, client: &session::CurrentClient, title_key: &str) -> Self {
        Self {
            csrf: client.csrf.clone(),
            signed_in: true,
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
