//! The session cookie and the extractors built on it. The cookie holds only a random
//! token; the core keeps the session (stage, CSRF token, expiry) server-side.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use zv_core::StaffActor;

use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;

const SESSION_PLAIN: &str = "zv_session";
const SESSION_TLS: &str = "__Host-zv_session";
pub const LANG_COOKIE: &str = "zv_lang";

pub fn cookie_name(tls: bool) -> &'static str {
    if tls { SESSION_TLS } else { SESSION_PLAIN }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The `Set-Cookie` value for a session token: HttpOnly, SameSite=Strict, Path=/, and
/// Secure with the `__Host-` prefix over TLS. No Max-Age: it ends with the browser, and
/// the server ends it sooner by the policy's idle and absolute limits.
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

pub fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(|c| Lang::from_code(&c))
        .unwrap_or_default()
}

/// Where a request comes from, for the audit log's access point and the sign-in backoff.
pub fn address(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// A signed-in staff member (password and second factor passed, session live).
pub struct CurrentStaff {
    pub actor: StaffActor,
    pub csrf: String,
    pub tr: Tr,
    /// The organisation sends newsletters (the policy names one, NWS-1).
    pub sends_newsletters: bool,
    /// The organisation registers camera images (CAM-1).
    pub records_camera_images: bool,
    /// The organisation runs group activities and this staff member runs them for a team
    /// or reviews them as privacy officer (GRP-1..3).
    pub runs_activities: bool,
    /// The organisation keeps a correspondence register (RET-3).
    pub keeps_correspondence: bool,
    /// HR's and finance's records this staff member reaches by the policy (RET-2).
    pub personnel: zv_core::personnel::PersonnelCapabilities,
}

impl CurrentStaff {
    pub fn as_actor(&self) -> zv_core::Actor {
        zv_core::Actor::Staff(self.actor.clone())
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

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let tr = Tr {
            lang: lang_of(&parts.headers),
        };
        let Some(token) = cookie(&parts.headers, cookie_name(state.options.tls)) else {
            return Err(WebError::SignInFirst);
        };
        let access_point = format!("web {}", address(parts));
        match state.app.session(&token, &access_point).await? {
            Some(view) => match view.actor {
                Some(actor) => {
                    let runs_activities = state.app.runs_group_activities()
                        && (actor.roles.contains(&zv_domain::Role::PrivacyOfficer)
                            || state
                                .app
                                .may_run_activities(&zv_core::Actor::Staff(actor.clone()))?);
                    Ok(Self {
                        csrf: view.csrf,
                        tr,
                        sends_newsletters: state.app.sends_newsletters(),
                        records_camera_images: state.app.records_camera_images(),
                        runs_activities,
                        keeps_correspondence: state.app.keeps_correspondence(),
                        personnel: state
                            .app
                            .personnel_capabilities(&zv_core::Actor::Staff(actor.clone()))?,
                        actor,
                    })
                }
                None => Err(WebError::SignInFirst),
            },
            None => Err(WebError::SignInFirst),
        }
    }
}

/// A session between password and second factor: the token and its CSRF value.
pub struct PendingSession {
    pub token: String,
    pub csrf: String,
    pub stage: zv_core::sign_in::Stage,
    pub tr: Tr,
    pub address: String,
}

impl FromRequestParts<AppState> for PendingSession {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let tr = Tr {
            lang: lang_of(&parts.headers),
        };
        let token =
            cookie(&parts.headers, cookie_name(state.options.tls)).ok_or(WebError::SignInFirst)?;
        let view = state
            .app
            .session(&token, "sign-in")
            .await?
            .ok_or(WebError::SignInFirst)?;
        Ok(Self {
            token,
            csrf: view.csrf,
            stage: view.stage,
            tr,
            address: address(parts),
        })
    }
}

/// The address a request comes from (for the backoff and the audit access point).
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, std::convert::Infallible> {
        Ok(Self(address(parts)))
    }
}
