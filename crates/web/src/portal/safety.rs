//! Help and safety in the portal (POR-5): the organisation's help and emergency numbers
//! on every portal page (in the portal's base layout), and the quick exit of a
//! domestic-violence service.
//!
//! The quick exit is a link to `/portaal/snel-weg`, which ends the portal session (when
//! there is one), clears its cookie, and sends the browser on to a neutral page: the
//! policy's `help.quick_exit_url`, or this app's own neutral page, which shows nothing
//! of the portal or the organisation. With JavaScript (`static/quick-exit.js`) the link
//! and Escape pressed twice use `location.replace`, so the portal leaves nothing in the
//! tab's back history; without it, the link still ends the session and leaves.
//!
//! Ending the session on a plain GET is safe here: the cookie is `SameSite=Strict`, so
//! another site cannot make a browser send it along, and signing out is all it does.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::session::{Language, clear_session_cookie, cookie_name};
use super::with_cookie;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::pages::html;
use crate::session::ClientAddress;
use crate::state::AppState;

/// Where the quick exit goes when the policy names no neutral site: a page of this app
/// that shows nothing of the portal.
pub const NEUTRAL_PAGE: &str = "/start";

/// The script of the quick exit; the only script the app serves.
const QUICK_EXIT_JS: &str = include_str!("../../static/quick-exit.js");

/// The organisation's help and emergency contacts, from the policy's `[help]`.
pub struct HelpLine {
    pub phone: String,
    /// The number as a `tel:` address, so a phone calls it with one tap.
    pub phone_tel: String,
    pub emergency_phone: String,
    pub emergency_tel: String,
    pub chat_url: Option<String>,
    pub website: Option<String>,
}

impl HelpLine {
    pub fn of(state: &AppState) -> Self {
        let h = state.app.policy().help();
        Self {
            phone: h.help_phone.clone(),
            phone_tel: tel(&h.help_phone),
            emergency_phone: h.emergency_phone.clone(),
            emergency_tel: tel(&h.emergency_phone),
            chat_url: h.chat_url.clone(),
            website: h.website.clone(),
        }
    }
}

/// A number as a `tel:` address: digits and a leading plus only.
fn tel(number: &str) -> String {
    number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

#[derive(Template)]
#[template(path = "portal_neutral.html")]
struct NeutralPage {
    tr: Tr,
}

/// Ends the portal session, if any, and leaves for the neutral page.
pub async fn quick_exit(
    State(state): State<AppState>,
    ClientAddress(from): ClientAddress,
    headers: HeaderMap,
) -> Response {
    // Leaving comes first: should the sign-out fail, the person still gets away (the
    // cookie is cleared below and the session ends by the policy's idle limit).
    if let Some(token) = crate::session::cookie(&headers, cookie_name(state.options.tls))
        && let Err(e) = state.app.portal_sign_out(&token, &from).await
    {
        tracing::error!(error = %e, "quick exit: the portal session could not be ended");
    }
    let neutral = state
        .app
        .policy()
        .help()
        .quick_exit_url
        .clone()
        .unwrap_or_else(|| NEUTRAL_PAGE.to_owned());
    with_cookie(
        Redirect::to(&neutral).into_response(),
        &clear_session_cookie(state.options.tls),
    )
}

/// The app's own neutral page: a blank new tab, nothing of the portal.
pub async fn neutral(Language(tr): Language) -> Result<Response, WebError> {
    html(&NeutralPage { tr })
}

pub async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        QUICK_EXIT_JS,
    )
}
