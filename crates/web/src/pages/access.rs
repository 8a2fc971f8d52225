//! Access beyond one's caseload (ACC-3..6): breaking the glass on a dossier, registering
//! a complaint with its handler's access, a team lead's substitute for an absent worker,
//! a manager's quality review, and the register of grants the privacy officer reviews.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::access::Target;
use zv_core::grants::{ComplaintView, GrantView, ReviewScope};
use zv_domain::{AuditAction, AuditObject, TrajectoryId, UserId};

use super::dossier::local_time;
use super::forms::{CsrfOnly, date, user, uuid_of};
use super::{Layout, field_error, html};
use crate::error::WebError;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// One grant as a line on the page.
struct GrantLine {
    id: String,
    kind: String,
    holder: String,
    about: String,
    trajectory: Option<String>,
    purpose: String,
    period: String,
    active: bool,
    reviewed: bool,
}

#[derive(Template)]
#[template(path = "access.html")]
struct AccessPage {
    l: Layout,
    errors: Vec<String>,
    mine: Vec<GrantLine>,
    /// Each open complaint with its channel's and its term's words.
    complaints: Vec<(ComplaintView, String, String)>,
    may_substitute: bool,
    may_review: bool,
    register: Option<Vec<GrantLine>>,
    staff: Vec<(String, String)>,
    teams: Vec<(String, String)>,
    service_types: Vec<(String, String)>,
}

#[derive(Deserialize)]
pub struct EmergencyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    hours: String,
}

#[derive(Deserialize)]
pub struct ComplaintForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    ends_on: String,
}

#[derive(Deserialize)]
pub struct SubstituteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    absent: String,
    #[serde(default)]
    substitute: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    reason: String,
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reviewer: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    service_type: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    purpose: String,
}

fn lines(
    staff: &CurrentStaff,
    grants: &[GrantView],
    names: &std::collections::HashMap<UserId, String>,
) -> Vec<GrantLine> {
    let tr = staff.tr;
    let name = |u: UserId| names.get(&u).cloned().unwrap_or_default();
    grants
        .iter()
        .map(|g| GrantLine {
            id: g.id.to_string(),
            kind: tr.t(&format!("grant-kind-{}", g.kind.replace('_', "-"))),
            holder: name(g.holder),
            about: match (&g.absent_user, &g.scope_team, &g.scope_service_type) {
                (Some(u), _, _) => format!("{} {}", tr.t("grant-for"), name(*u)),
                (None, t, s) if t.is_some() || s.is_some() => [t.clone(), s.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                _ => String::new(),
            },
            trajectory: g.trajectory.map(|t| t.to_string()),
            purpose: g.purpose.clone(),
            period: format!(
                "{} – {}",
                local_time(g.starts_at),
                local_time(g.ended_at.unwrap_or(g.ends_at))
            ),
            active: g.active,
            reviewed: g.reviewed_at.is_some(),
        })
        .collect()
}

async fn access_page(
    state: &AppState,
    staff: &CurrentStaff,
    errors: Vec<String>,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let app = &state.app;
    let names = app.staff_names().await?;
    let mine = app.my_grants(&actor).await?;
    let complaints = app
        .my_open_complaints(&actor)
        .await?
        .into_iter()
        .map(|c| {
            let channel = staff.tr.t(&format!("channel-{}", c.channel));
            let term = match c.days_left {
                d if d > 0 => staff.tr.t1("cmp-days-left", "days", &d.to_string()),
                0 => staff.tr.t("cmp-due-today"),
                d => staff.tr.t1("cmp-days-overdue", "days", &(-d).to_string()),
            };
            (c, channel, term)
        })
        .collect();
    let is_officer = app.capability(
        &actor,
        AuditAction::Read,
        Target::Organisation(AuditObject::AccessGrant),
    )?;
    let register = if is_officer {
        Some(lines(staff, &app.all_grants(&actor, None).await?, &names))
    } else {
        None
    };
    let mut staff_list: Vec<(String, String)> = names
        .iter()
        .map(|(id, n)| (id.to_string(), n.clone()))
        .collect();
    staff_list.sort_by(|a, b| a.1.cmp(&b.1));
    let policy = app.policy();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = html(&AccessPage {
        l: Layout::staff(staff, "title-access"),
        errors,
        mine: lines(staff, &mine, &names),
        complaints,
        // Offered by role; the rules decide again, on the team, when the form is sent.
        may_substitute: staff.actor.roles.contains(&zv_domain::Role::TeamLead),
        may_review: app.capability(&actor, AuditAction::Create, Target::Review)?,
        register,
        staff: staff_list,
        teams: policy
            .teams()
            .iter()
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
        service_types: policy
            .service_types()
            .iter()
            .map(|s| {
                let name = match staff.tr.lang {
                    crate::i18n::Lang::En => s.name_en.clone(),
                    crate::i18n::Lang::Nl => s.name_nl.clone(),
                };
                (s.code.clone(), name)
            })
            .collect(),
    })?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn page(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    access_page(&state, &staff, Vec::new()).await
}

/// After a form: back to the page on success, the page with the field's error on bad
/// input; anything else is the usual error page.
async fn after(
    state: &AppState,
    staff: &CurrentStaff,
    result: Result<String, CoreError>,
) -> Result<Response, WebError> {
    match result {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(e @ CoreError::Invalid { .. }) => {
            let message = field_error(staff.tr, &e);
            access_page(state, staff, vec![message]).await
        }
        Err(CoreError::NotAllowed(_)) => {
            access_page(state, staff, vec![staff.tr.t("error-not-allowed")]).await
        }
        Err(CoreError::Conflict(_)) => {
            access_page(state, staff, vec![staff.tr.t("error-conflict")]).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn break_the_glass(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<EmergencyForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let trajectory = TrajectoryId::from_uuid(uuid_of(&id)?);
    let result = async {
        let hours: u32 = f
            .hours
            .trim()
            .parse()
            .map_err(|_| CoreError::invalid("hours", "a whole number of hours"))?;
        state
            .app
            .break_the_glass(&staff.as_actor(), trajectory, &f.reason, hours)
            .await?;
        Ok(format!("/trajecten/{trajectory}"))
    }
    .await;
    after(&state, &staff, result).await
}

pub async fn register_complaint(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<ComplaintForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let trajectory = TrajectoryId::from_uuid(uuid_of(&id)?);
    let result = async {
        let received = date("received_on", &f.received_on)?;
        let ends = date("ends_on", &f.ends_on)?;
        state
            .app
            .register_complaint(
                &staff.as_actor(),
                trajectory,
                received,
                f.channel.trim(),
                &f.subject,
                ends,
            )
            .await?;
        Ok(format!("/trajecten/{trajectory}"))
    }
    .await;
    after(&state, &staff, result).await
}

pub async fn close_complaint(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = uuid_of(&id)?;
    let result = state
        .app
        .close_complaint(&staff.as_actor(), id)
        .await
        .map(|()| "/toegang".to_owned());
    after(&state, &staff, result).await
}

pub async fn set_substitute(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<SubstituteForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let absent = user("absent", &f.absent)?;
        let substitute = user("substitute", &f.substitute)?;
        let ends = date("ends_on", &f.ends_on)?;
        state
            .app
            .set_substitute(&staff.as_actor(), absent, substitute, ends, &f.reason)
            .await?;
        Ok("/toegang".to_owned())
    }
    .await;
    after(&state, &staff, result).await
}

pub async fn start_review(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<ReviewForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let reviewer = user("reviewer", &f.reviewer)?;
        let ends = date("ends_on", &f.ends_on)?;
        let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        let scope = ReviewScope {
            team: non_empty(&f.team),
            service_type: non_empty(&f.service_type),
        };
        state
            .app
            .start_quality_review(&staff.as_actor(), reviewer, scope, ends, &f.purpose)
            .await?;
        Ok("/toegang".to_owned())
    }
    .await;
    after(&state, &staff, result).await
}

pub async fn end_grant(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = uuid_of(&id)?;
    let result = state
        .app
        .end_grant(&staff.as_actor(), id)
        .await
        .map(|()| "/toegang".to_owned());
    after(&state, &staff, result).await
}

pub async fn review_grant(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = uuid_of(&id)?;
    let result = state
        .app
        .review_grant(&staff.as_actor(), id)
        .await
        .map(|()| "/toegang".to_owned());
    after(&state, &staff, result).await
}
