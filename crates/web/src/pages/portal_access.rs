//! The worker's side of the client portal (POR-1), on the client page: whether the client
//! has an account or an open invitation, a new invitation code (shown this once, to hand
//! over), and revoking access. Decided at the gate like every other action, and audited.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use zv_core::{Actor, CoreError};
use zv_domain::ClientId;

use super::clients::{Forms, client_id, page_with};
use super::dossier::local_time;
use super::forms::CsrfOnly;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// What the client page shows about the portal.
pub(crate) struct PortalSection {
    pub(crate) state: String,
    pub(crate) not_enrolled: bool,
    pub(crate) may_invite: bool,
    pub(crate) may_revoke: bool,
    /// An invitation code just made, and until when it is valid: shown this once.
    pub(crate) issued: Option<(String, String)>,
    pub(crate) error: Option<String>,
}

/// What an action on the portal left to show on the page.
#[derive(Default)]
pub(crate) struct PortalNotice {
    pub(crate) issued: Option<(String, String)>,
    pub(crate) error: Option<String>,
}

/// The section, for a reader who may manage the client's portal access; `None` for
/// anyone else (the page then says nothing about the portal).
pub(crate) async fn section(
    state: &AppState,
    actor: &Actor,
    tr: Tr,
    client: ClientId,
    notice: PortalNotice,
) -> Result<Option<PortalSection>, WebError> {
    if !state.app.may_manage_portal(actor, client).await? {
        return Ok(None);
    }
    let status = state.app.portal_status(actor, client).await?;
    let (text, not_enrolled) = match (&status.account, &status.pending_invitation) {
        (Some(a), _) => (
            tr.t1("portal-state-account", "date", &local_time(a.created_at)),
            !a.second_factor_enrolled,
        ),
        (None, Some(i)) => (
            tr.t1("portal-state-invited", "date", &local_time(i.expires_at)),
            false,
        ),
        (None, None) => (tr.t("portal-state-none"), false),
    };
    Ok(Some(PortalSection {
        state: text,
        not_enrolled,
        may_invite: status.account.is_none(),
        may_revoke: status.account.is_some() || status.pending_invitation.is_some(),
        issued: notice.issued,
        error: notice.error,
    }))
}

async fn page_with_notice(
    state: &AppState,
    staff: &CurrentStaff,
    id: ClientId,
    notice: PortalNotice,
) -> Result<Response, WebError> {
    let refused = notice.error.is_some();
    let mut r = page_with(state, staff, id, None, Forms::with_portal(notice)).await?;
    if refused && r.status() == StatusCode::OK {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// A new invitation code, shown on the client page this once.
pub async fn invite(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = client_id(&id)?;
    let tr = staff.tr;
    let notice = match state.app.invite_to_portal(&staff.as_actor(), id).await {
        Ok(issued) => PortalNotice {
            issued: Some((issued.code.to_string(), local_time(issued.expires_at))),
            error: None,
        },
        // MIN-1: the rules refuse a child under 12 an account of its own.
        Err(e @ CoreError::Invalid { .. }) => PortalNotice {
            error: Some(super::minors::invite_refusal(tr, &e)),
            ..PortalNotice::default()
        },
        Err(CoreError::Conflict(_)) => PortalNotice {
            error: Some(tr.t("portal-invite-has-account")),
            ..PortalNotice::default()
        },
        Err(e) => return Err(e.into()),
    };
    page_with_notice(&state, &staff, id, notice).await
}

/// Ends the client's portal access: account, sessions and open invitations.
pub async fn revoke(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = client_id(&id)?;
    match state.app.revoke_portal_access(&staff.as_actor(), id).await {
        Ok(()) => Ok(Redirect::to(&format!("/clienten/{id}#portal")).into_response()),
        Err(CoreError::Conflict(_)) => {
            let notice = PortalNotice {
                error: Some(staff.tr.t("portal-nothing-to-revoke")),
                ..PortalNotice::default()
            };
            page_with_notice(&state, &staff, id, notice).await
        }
        Err(e) => Err(e.into()),
    }
}
