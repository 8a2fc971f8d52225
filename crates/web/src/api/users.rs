//! Who the token acts as, and the list of staff accounts for administrators.

use axum::extract::State;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Serialize;
use zv_core::Actor;

use super::auth::Caller;
use super::{ApiError, ok};
use crate::state::AppState;

#[derive(Serialize)]
struct Me {
    user_id: uuid::Uuid,
    display_name: String,
    roles: Vec<&'static str>,
    teams: Vec<String>,
    /// ACC-8: without it, the token reaches no client data.
    confidentiality_signed: bool,
    scopes: Vec<&'static str>,
    token_id: uuid::Uuid,
}

pub async fn me(caller: Caller) -> Result<Response, ApiError> {
    let Actor::Staff(s) = caller.actor() else {
        return Err(ApiError::Unauthorized);
    };
    ok(&Me {
        user_id: s.user_id.as_uuid(),
        display_name: s.display_name.clone(),
        roles: s.roles.iter().map(|r| r.code()).collect(),
        teams: s.teams.clone(),
        confidentiality_signed: s.confidentiality_signed,
        scopes: caller.0.scopes.iter().map(|s| s.code()).collect(),
        token_id: caller.0.token_id,
    })
}

#[derive(Serialize)]
struct User {
    id: uuid::Uuid,
    username: String,
    display_name: String,
    roles: Vec<&'static str>,
    teams: Vec<String>,
    confidentiality_signed_on: Option<NaiveDate>,
    disabled: bool,
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let users = state.app.list_users(caller.actor()).await?;
    ok(&users
        .into_iter()
        .map(|u| User {
            id: u.id.as_uuid(),
            username: u.username,
            display_name: u.display_name,
            roles: u.roles.iter().map(|r| r.code()).collect(),
            teams: u.teams,
            confidentiality_signed_on: u.confidentiality_signed_on,
            disabled: u.disabled,
        })
        .collect::<Vec<_>>())
}
