//! The portal of parents and representatives, and the young person's consent
//! (MIN-1..4): the clients an account reads for (on the home page), each one's page
//! with the trajectories the rules let them read today, their own record in the
//! client's file, a further invitation code for a signed-in account, the client's own
//! details, and the young person's consent per parent. Every page is a read through the
//! core's gate; a client the account is not linked to is "not found".

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::minors::AgeBand;
use zv_domain::{ClientId, RelatedPersonId, RelationKind};

use super::PortalLayout;
use super::session::CurrentClient;
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::pages::dossier::local_time;
use crate::pages::{forms, html};
use crate::session::ClientAddress;
use crate::state::AppState;

/// This module's routes; merged into the portal's.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portaal/dossiers/{id}", get(linked))
        .route("/portaal/dossiers/{id}/mijn-gegevens", get(own_record))
        .route("/portaal/mijn-gegevens", get(own_profile))
        .route("/portaal/toestemming", get(consents))
        .route("/portaal/toestemming/{id}/geven", post(give))
        .route("/portaal/toestemming/{id}/intrekken", post(withdraw))
        .route("/portaal/code-toevoegen", get(link_form).post(link))
}

/// A trajectory as a line: id, service name, opened on, closed on.
pub(crate) struct TrajectoryLine {
    pub(crate) id: String,
    pub(crate) service: String,
    pub(crate) opened_on: String,
    pub(crate) closed_on: Option<String>,
}

/// A client the account reads for, on the home page.
pub(crate) struct LinkedLine {
    pub(crate) client_id: String,
    pub(crate) name: String,
    pub(crate) relation: String,
    pub(crate) trajectories: Vec<TrajectoryLine>,
}

/// The home page's part for parents and representatives (MIN-1..4).
pub(crate) struct HomeSection {
    /// The account has a dossier of its own (a client).
    pub(crate) own_client: bool,
    pub(crate) linked: Vec<LinkedLine>,
}

fn service_name(state: &AppState, tr: Tr, code: &str) -> String {
    state.app.policy().service_type(code).map_or_else(
        || code.to_owned(),
        |s| match tr.lang {
            Lang::Nl => s.name_nl.clone(),
            Lang::En => s.name_en.clone(),
        },
    )
}

fn relation_of(tr: Tr, code: &str) -> String {
    tr.t(match code {
        "parent" => "minors-relation-parent",
        "representative" => "minors-relation-representative",
        _ => "minors-relation-other",
    })
}

fn lines(
    state: &AppState,
    tr: Tr,
    trajectories: &[zv_core::trajectories::TrajectorySummary],
) -> Vec<TrajectoryLine> {
    trajectories
        .iter()
        .map(|t| TrajectoryLine {
            id: t.id.to_string(),
            service: service_name(state, tr, &t.service_type),
            opened_on: t.opened_on.to_string(),
            closed_on: t.closed_on.map(|d| d.to_string()),
        })
        .collect()
}

/// The home page's part: the clients the account reads for, each with what the rules
/// let it read today.
pub(crate) async fn home_section(
    state: &AppState,
    client: &CurrentClient,
) -> Result<HomeSection, WebError> {
    let tr = client.tr;
    let linked = state
        .app
        .portal_linked_dossiers(&client.as_actor())
        .await?
        .into_iter()
        .map(|d| LinkedLine {
            client_id: d.client_id.to_string(),
            name: d.name,
            relation: relation_of(tr, d.relation),
            trajectories: lines(state, tr, &d.trajectories),
        })
        .collect();
    Ok(HomeSection {
        own_client: client.actor.client_id.is_some(),
        linked,
    })
}

#[derive(Template)]
#[template(path = "portal_minors_dossier.html")]
struct LinkedPage {
    l: PortalLayout,
    client_id: String,
    relation: String,
    address: Option<String>,
    trajectories: Vec<TrajectoryLine>,
}

fn client_id(raw: &str) -> Result<ClientId, WebError> {
    forms::uuid_of(raw).map(ClientId::from_uuid)
}

/// A client the account reads for: the trajectories the rules let it read today, the
/// address where they let it (never a confidential one), and a link to the holder's
/// own record.
pub async fn linked(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = client_id(&id)?;
    let tr = client.tr;
    let d = state
        .app
        .portal_linked_dossier(&client.as_actor(), id)
        .await?;
    let mut l = PortalLayout::signed_in(&state, &client, "minors-title-dossier");
    l.title = d.name.clone();
    html(&LinkedPage {
        l,
        client_id: d.client_id.to_string(),
        relation: relation_of(tr, d.relation),
        address: d.address,
        trajectories: lines(&state, tr, &d.trajectories),
    })
}

#[derive(Template)]
#[template(path = "portal_minors_record.html")]
struct RecordPage {
    l: PortalLayout,
    client_id: String,
    relation: String,
    name: String,
    birth_date: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    address: Option<String>,
    authority_since: Option<String>,
    mandate_text: Option<String>,
    mandate: Option<String>,
}

fn relation_label(tr: Tr, r: RelationKind) -> String {
    tr.t(&format!("relation-{}", r.code().replace('_', "-")))
}

/// The holder's own record in a client's file: always theirs to read.
pub async fn own_record(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = client_id(&id)?;
    let tr = client.tr;
    let r = state.app.portal_own_record(&client.as_actor(), id).await?;
    let mandate = r.mandate.as_ref().map(|m| {
        let scope = if m.whole_dossier {
            tr.t("minors-mandate-whole")
        } else {
            tr.t("minors-mandate-some")
        };
        format!(
            "{scope} — {}",
            tr.t1("minors-mandate-until", "date", &m.ends_on)
        )
    });
    html(&RecordPage {
        l: PortalLayout::signed_in(&state, &client, "minors-title-record"),
        client_id: r.client_id.to_string(),
        relation: relation_label(tr, r.relation),
        name: r.name,
        birth_date: r.birth_date.map(|d| d.to_string()),
        phone: r.phone,
        email: r.email,
        address: r.address,
        authority_since: r.authority_since.map(|d| d.to_string()),
        mandate_text: r.mandate_text,
        mandate,
    })
}

#[derive(Template)]
#[template(path = "portal_minors_profile.html")]
struct ProfilePage {
    l: PortalLayout,
    name: String,
    birth_date: String,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

/// The client's own details, their own address included.
pub async fn own_profile(
    State(state): State<AppState>,
    client: CurrentClient,
) -> Result<Response, WebError> {
    let p = state.app.portal_own_profile(&client.as_actor()).await?;
    html(&ProfilePage {
        l: PortalLayout::signed_in(&state, &client, "minors-title-own-profile"),
        name: p.name,
        birth_date: p.birth_date.to_string(),
        address: p.address,
        phone: p.phone,
        email: p.email,
    })
}

/// A parent and their consent, as the young person's page shows it.
struct ConsentLine {
    id: String,
    name: String,
    relation: String,
    given: Option<String>,
}

#[derive(Template)]
#[template(path = "portal_minors_consent.html")]
struct ConsentPage {
    l: PortalLayout,
    /// 16 or 17: the page lists the parents; otherwise it says why not.
    independent: bool,
    note: String,
    parents: Vec<ConsentLine>,
    error: Option<String>,
}

async fn consent_page(
    state: &AppState,
    client: &CurrentClient,
    error: Option<String>,
) -> Result<Response, WebError> {
    let tr = client.tr;
    let page = state.app.portal_consents(&client.as_actor()).await?;
    let note = tr.t(match page.age_band {
        AgeBand::UnderOwnAccess | AgeBand::Consultative => "minors-consent-not-yet",
        AgeBand::Independent => "minors-consent-help",
        AgeBand::Adult => "minors-consent-adult",
    });
    html(&ConsentPage {
        l: PortalLayout::signed_in(state, client, "minors-title-consent"),
        independent: page.age_band == AgeBand::Independent,
        note,
        parents: page
            .parents
            .into_iter()
            .map(|p| ConsentLine {
                id: p.related_person_id.to_string(),
                name: p.name,
                relation: relation_label(tr, p.relation),
                given: p
                    .given_at
                    .map(|d| tr.t1("minors-consent-given-since", "date", &local_time(d))),
            })
            .collect(),
        error,
    })
}

/// MIN-3: the young person's parents and whether each may read.
pub async fn consents(
    State(state): State<AppState>,
    client: CurrentClient,
) -> Result<Response, WebError> {
    consent_page(&state, &client, None).await
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn set_consent(
    state: &AppState,
    client: &CurrentClient,
    raw: &str,
    f: &CsrfForm,
    give: bool,
) -> Result<Response, WebError> {
    client.check_csrf(&f.csrf)?;
    let person = RelatedPersonId::from_uuid(forms::uuid_of(raw)?);
    match state
        .app
        .set_youth_consent(&client.as_actor(), person, give)
        .await
    {
        Ok(()) => Ok(Redirect::to("/portaal/toestemming").into_response()),
        Err(CoreError::Conflict(_)) => {
            let mut r =
                consent_page(state, client, Some(client.tr.t("minors-consent-unchanged"))).await?;
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

/// MIN-3: the young person lets this parent read.
pub async fn give(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    set_consent(&state, &client, &id, &f, true).await
}

/// MIN-3: the young person withdraws it; the parent's next page is decided on that.
pub async fn withdraw(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    set_consent(&state, &client, &id, &f, false).await
}

#[derive(Template)]
#[template(path = "portal_minors_link.html")]
struct LinkPage {
    l: PortalLayout,
    code: String,
    code_error: Option<String>,
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

/// A further invitation code for a signed-in account (a second child).
pub async fn link_form(
    State(state): State<AppState>,
    client: CurrentClient,
) -> Result<Response, WebError> {
    html(&LinkPage {
        l: PortalLayout::signed_in(&state, &client, "minors-title-link"),
        code: String::new(),
        code_error: None,
    })
}

pub async fn link(
    State(state): State<AppState>,
    client: CurrentClient,
    ClientAddress(from): ClientAddress,
    Form(f): Form<LinkForm>,
) -> Result<Response, WebError> {
    client.check_csrf(&f.csrf)?;
    let tr = client.tr;
    let error = match state
        .app
        .link_portal_invitation(&client.as_actor(), &f.code, &from)
        .await
    {
        Ok(()) => return Ok(Redirect::to("/portaal").into_response()),
        Err(CoreError::Invalid { problem, .. }) => tr.t(match problem.as_str() {
            zv_core::portal::CODE_EXPIRED => "portal-code-expired",
            zv_core::portal::CODE_USED => "portal-code-used",
            zv_core::portal::accounts::CODE_LINKED => "minors-code-linked",
            _ => "portal-code-unknown",
        }),
        Err(e) => match crate::pages::sign_in::refusal(tr, &e) {
            Some((_, message)) => message,
            None => return Err(e.into()),
        },
    };
    let mut r = html(&LinkPage {
        l: PortalLayout::signed_in(&state, &client, "minors-title-link"),
        code: f.code.trim().to_owned(),
        code_error: Some(error),
    })?;
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}
