//! Bearer tokens (RFC 6750): the check in front of every operation but the document.
//! The core resolves the token to its owner, built as a web session builds its actor,
//! so what the caller may see is decided at the gate exactly as for the web app. The
//! token's scopes then narrow which operations it may call at all.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use zv_core::Actor;
use zv_core::api_tokens::ApiCaller;

use super::{ApiError, Auth};
use crate::state::AppState;

/// What the check of one operation needs.
#[derive(Clone)]
pub struct Guard {
    pub state: AppState,
    pub auth: Auth,
}

/// The token of an `Authorization: Bearer` header.
fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty()).then(|| token.to_owned())
}

/// Refuses a request without a live token (401) or without the operation's scope
/// (403); otherwise hands the caller to the handler.
pub async fn guard(State(g): State<Guard>, mut req: Request, next: Next) -> Response {
    let Some(token) = bearer(req.headers()) else {
        return ApiError::Unauthorized.into_response();
    };
    let address = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
    let caller = match g
        .state
        .app
        .api_actor(&token, &format!("api {address}"))
        .await
    {
        Ok(Some(caller)) => caller,
        Ok(None) => return ApiError::Unauthorized.into_response(),
        Err(e) => return ApiError::from(e).into_response(),
    };
    if let Auth::Scope(scope) = g.auth
        && !caller.has(scope)
    {
        return ApiError::MissingScope(scope).into_response();
    }
    req.extensions_mut().insert(caller);
    next.run(req).await
}

/// The caller of an operation, as the token check let it through.
pub struct Caller(pub ApiCaller);

impl Caller {
    pub fn actor(&self) -> &Actor {
        &self.0.actor
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<ApiCaller>()
            .cloned()
            .map(Self)
            .ok_or(ApiError::Unauthorized)
    }
}
