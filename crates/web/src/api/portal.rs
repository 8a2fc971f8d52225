//! The client portal's access through the API (POR-1): whether a client has an account
//! or an open invitation, a new invitation code (in the answer this once), and revoking
//! access. The same core calls as the client page in `pages::portal_access`.

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Serialize;
use zv_domain::ClientId;

use super::auth::Caller;
use super::{ApiError, created, no_content, ok, path_id};
use crate::state::AppState;

#[derive(Serialize)]
struct PortalAccount {
    created_at: DateTime<Utc>,
    second_factor_enrolled: bool,
}

#[derive(Serialize)]
struct PortalInvitationState {
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct PortalStatus {
    client_id: uuid::Uuid,
    account: Option<PortalAccount>,
    pending_invitation: Option<PortalInvitationState>,
}

/// A new invitation code, in the answer this once: for a client (here) and for a parent
/// or representative (`api::minors`).
#[derive(Serialize)]
pub(super) struct PortalInvitation {
    id: uuid::Uuid,
    code: String,
    expires_at: DateTime<Utc>,
}

impl From<zv_core::portal::IssuedInvitation> for PortalInvitation {
    fn from(issued: zv_core::portal::IssuedInvitation) -> Self {
        Self {
            id: issued.id.as_uuid(),
            code: issued.code.to_string(),
            expires_at: issued.expires_at,
        }
    }
}

fn client_id(raw: &str) -> Result<ClientId, ApiError> {
    path_id(raw).map(ClientId::from_uuid)
}

pub async fn status(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let s = state
        .app
        .portal_status(caller.actor(), client_id(&id)?)
        .await?;
    ok(&PortalStatus {
        client_id: s.client_id.as_uuid(),
        account: s.account.map(|a| PortalAccount {
            created_at: a.created_at,
            second_factor_enrolled: a.second_factor_enrolled,
        }),
        pending_invitation: s.pending_invitation.map(|i| PortalInvitationState {
            created_at: i.created_at,
            expires_at: i.expires_at,
        }),
    })
}

pub async fn invite(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let issued = state
        .app
        .invite_to_portal(caller.actor(), client_id(&id)?)
        .await?;
    created(&PortalInvitation::from(issued))
}

pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .app
        .revoke_portal_access(caller.actor(), client_id(&id)?)
        .await?;
    no_content()
}
