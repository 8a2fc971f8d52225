//! The portal's own session cookie and extractors. The cookie has another name than the
//! staff's and its token is looked up only among portal sessions (and a staff token only
//! among staff sessions), so neither kind of session is ever accepted by the other's
//! pages, whichever cookie a browser sends.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use zv_core::portal::PortalActor;

use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::session::{address, constant_time_eq, cookie, lang_of};
use crate::state::AppState;

const PORTAL_PLAIN: &str = "zv_portal";
const PORTAL_TLS: &str = "__Host-zv_portal";

pub fn cookie_name(tls: bool) -> &'static str {
    if tls { PORTAL_TLS } else { PORTAL_PLAIN }
}

/// The same flags as the staff cookie: HttpOnly, SameSite=Strict, Path=/, and Secure
/// with the `__Host-` prefix over TLS; no Max-Age, the server ends it by the policy.
pub fn session_cookie(tls: bool, token: &str) -> String {
    let secure = if tls { "; Secure" } else { "" };
    format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict{secure}",
        cookie_name(tls)
    )
}

pub fn clear_session_cookie(tls: bool) -> String {
    let secure = if tls { "; Secure" } else { "" };
    format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}",
        cookie_name(tls)
    )
}

pub fn token_of(parts: &Parts, state: &AppState) -> Option<String> {
    cookie(&parts.headers, cookie_name(state.options.tls))
}

fn tr_of(parts: &Parts) -> Tr {
    Tr {
        lang: lang_of(&parts.headers),
    }
}

/// A client signed in to the portal (password and second factor passed, session live).
pub struct CurrentClient {
    pub actor: PortalActor,
    pub csrf: String,
    pub tr: Tr,
    /// The pages offer the quick exit (POR-5): a domestic-violence trajectory.
    pub quick_exit: bool,
}

impl CurrentClient {
    pub fn as_actor(&self) -> zv_core::Actor {
        zv_core::Actor::Portal(self.actor.clone())
    }

    /// Refuses a state-changing request whose form token is not this session's.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), WebError> {
        if constant_time_eq(submitted.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(WebError::Csrf)
        }
    }
}

impl FromRequestParts<AppState> for CurrentClient {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let tr = tr_of(parts);
        let token = token_of(parts, state).ok_or(WebError::PortalSignInFirst)?;
        let access_point = format!("portal {}", address(parts));
        match state.app.portal_session(&token, &access_point).await? {
            Some(zv_core::portal::PortalSessionView {
                actor: Some(actor),
                csrf,
                ..
            }) => {
                // A parent's or representative's account without a dossier of its own
                // gets what the organisation offers before sign-in.
                let quick_exit = match actor.client_id {
                    Some(client) => state.app.portal_quick_exit(client).await?,
                    None => state.app.quick_exit_offered(),
                };
                Ok(Self {
                    actor,
                    csrf,
                    tr,
                    quick_exit,
                })
            }
            _ => Err(WebError::PortalSignInFirst),
        }
    }
}

/// A portal session between password and second factor.
pub struct PendingPortal {
    pub token: String,
    pub csrf: String,
    pub stage: zv_core::sign_in::Stage,
    pub tr: Tr,
    pub address: String,
}

impl FromRequestParts<AppState> for PendingPortal {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let tr = tr_of(parts);
        let token = token_of(parts, state).ok_or(WebError::PortalSignInFirst)?;
        let view = state
            .app
            .portal_session(&token, "portal sign-in")
            .await?
            .ok_or(WebError::PortalSignInFirst)?;
        Ok(Self {
            token,
            csrf: view.csrf,
            stage: view.stage,
            tr,
            address: address(parts),
        })
    }
}

/// The language of a request without a session.
pub struct Language(pub Tr);

impl<S: Send + Sync> FromRequestParts<S> for Language {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Self, std::convert::Infallible> {
        Ok(Self(tr_of(parts)))
    }
}

/// `Lang` of a path segment, for the language switch.
pub fn lang_code(code: &str) -> Result<Lang, WebError> {
    Lang::from_code(code).ok_or(WebError::NotFound)
}
