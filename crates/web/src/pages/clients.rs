//! Finding a client and the client page: the profile, the BSN (masked, shown on request
//! with its own audit event, DOS-4) and the services the client uses.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::clients::ClientProfile;
use zv_core::trajectories::TrajectorySummary;
use zv_domain::{BirthDate, ClientId};

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
    results: Vec<ClientProfile>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "client.html")]
struct ClientPage {
    l: Layout,
    profile: ClientProfile,
    bsn: Option<String>,
    trajectories: Vec<TrajectorySummary>,
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
    let profile = state.app.client_profile(&actor, id).await?;
    let trajectories = state.app.trajectories_of(&actor, id).await?;
    let mut l = Layout::staff(staff, "title-client");
    l.title = profile.name.clone();
    html(&ClientPage {
        l,
        profile,
        bsn,
        trajectories,
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
