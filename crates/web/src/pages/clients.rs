//! Finding a client and the client page: the profile, the BSN (masked, shown on request
//! with its own audit event, DOS-4) and the services the client uses.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::access::Target;
use zv_core::clients::{ClientProfile, ServicesOverview};
use zv_domain::{AuditAction, BirthDate, ClientId};

use super::{Layout, field_error, html};
use crate::error::WebError;
use crate::session::CurrentStaff;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    name: String,
    birth_date: String,
    searched: bool,
    results: Vec<ServicesOverview>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "client.html")]
struct ClientPage {
    l: Layout,
    overview: ServicesOverview,
    /// Only for readers of the dossier; a colleague of another team sees the overview.
    profile: Option<ClientProfile>,
    bsn: Option<String>,
    /// The reader may break the glass (ACC-5) on a service they cannot open.
    may_break_glass: bool,
    /// The reader handles complaints (ACC-3).
    may_register_complaint: bool,
    max_hours: u32,
    today: String,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    naam: String,
    #[serde(default)]
    geboortedatum: String,
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn search(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(q): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let searched = !q.naam.trim().is_empty() || !q.geboortedatum.trim().is_empty();
    let mut results = Vec::new();
    let mut error = None;
    if searched {
        let birth = if q.geboortedatum.trim().is_empty() {
            Ok(None)
        } else {
            BirthDate::parse(q.geboortedatum.trim(), state.app.clock().today())
                .map(Some)
                .map_err(|_| CoreError::invalid("birth_date", "not a date"))
        };
        let found = match birth {
            Ok(b) => {
                state
                    .app
                    .search_clients(&staff.as_actor(), &q.naam, b)
                    .await
            }
            Err(e) => Err(e),
        };
        match found {
            Ok(r) => results = r,
            Err(e @ CoreError::Invalid { .. }) => error = Some(field_error(staff.tr, &e)),
            Err(e) => return Err(e.into()),
        }
    }
    html(&SearchPage {
        l: Layout::staff(&staff, "title-search"),
        name: q.naam,
        birth_date: q.geboortedatum,
        searched,
        results,
        error,
    })
}

fn client_id(raw: &str) -> Result<ClientId, WebError> {
    raw.parse::<uuid::Uuid>()
        .map(ClientId::from_uuid)
        .map_err(|_| WebError::NotFound)
}

async fn page(
    state: &AppState,
    staff: &CurrentStaff,
    id: ClientId,
    bsn: Option<String>,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let overview = state.app.services_overview(&actor, id).await?;
    let profile = if state.app.may_read_profile(&actor, id).await? {
        Some(state.app.client_profile(&actor, id).await?)
    } else {
        None
    };
    let mut l = Layout::staff(staff, "title-client");
    l.title = overview.name.clone();
    html(&ClientPage {
        l,
        overview,
        profile,
        bsn,
        may_break_glass: state.app.capability(
            &actor,
            AuditAction::EmergencyAccess,
            Target::Dossier,
        )?,
        may_register_complaint: state.app.capability(
            &actor,
            AuditAction::Create,
            Target::Complaint,
        )?,
        max_hours: state.app.policy().security().emergency_access_max_hours,
        today: state.app.clock().today().to_string(),
    })
}

pub async fn profile(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = client_id(&id)?;
    page(&state, &staff, id, None).await
}

pub async fn reveal_bsn(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = client_id(&id)?;
    let bsn = state.app.reveal_bsn(&staff.as_actor(), id).await?;
    page(&state, &staff, id, bsn).await
}
