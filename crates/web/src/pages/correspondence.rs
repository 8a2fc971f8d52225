//! The correspondence register (RET-3): letters, contact-form messages, e-mails and calls
//! with their handling status; registered, changed while open, handled with an outcome
//! (from then on kept for the policy's term), reopened for a follow-up.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use uuid::Uuid;
use zv_core::CoreError;
use zv_core::correspondence::{
    CorrespondenceInput, CorrespondenceView, DIRECTIONS, HandlingInput, KINDS, StatusFilter,
    correspondence_problems, handling_problems,
};

use super::forms::{self, CsrfOnly, FieldErrors};
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/correspondentie", get(list).post(register))
        .route("/correspondentie/{id}", get(item))
        .route("/correspondentie/{id}/wijzigen", post(update))
        .route("/correspondentie/{id}/afhandelen", post(handle))
        .route("/correspondentie/{id}/heropenen", post(reopen))
}

/// The refusal of a field in the user's language, in this register's own words (some
/// field names mean something else elsewhere: a complaint's subject, a hold's outcome).
fn refusal(tr: Tr, field: &str) -> String {
    match field {
        "kind" => tr.t("correspondence-invalid-kind"),
        "direction" => tr.t("correspondence-invalid-direction"),
        "received_on" => tr.t("correspondence-invalid-received-on"),
        "correspondent" => tr.t("correspondence-invalid-correspondent"),
        "contact" => tr.t("correspondence-invalid-contact"),
        "subject" => tr.t("correspondence-invalid-subject"),
        "summary" => tr.t("correspondence-invalid-summary"),
        "team" => tr.t("correspondence-invalid-team"),
        "handled_on" => tr.t("correspondence-invalid-handled-on"),
        "outcome" => tr.t("correspondence-invalid-outcome"),
        _ => tr.t("invalid-generic"),
    }
}

fn refuse(errors: &mut FieldErrors, tr: Tr, field: &str) {
    errors.set(field, refusal(tr, field));
}

fn kind_word(tr: Tr, kind: &str) -> String {
    match kind {
        "letter" => tr.t("correspondence-kind-letter"),
        "contact_form" => tr.t("correspondence-kind-contact-form"),
        "email" => tr.t("correspondence-kind-email"),
        "call" => tr.t("correspondence-kind-call"),
        other => other.to_owned(),
    }
}

fn direction_word(tr: Tr, direction: &str) -> String {
    match direction {
        "incoming" => tr.t("correspondence-incoming"),
        "outgoing" => tr.t("correspondence-outgoing"),
        other => other.to_owned(),
    }
}

fn team_name(state: &AppState, code: Option<&str>) -> String {
    code.map(|c| {
        state
            .app
            .policy()
            .team(c)
            .map_or_else(|| c.to_owned(), |t| t.name.clone())
    })
    .unwrap_or_default()
}

/// The registration form as typed.
#[derive(Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    correspondent: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    team: String,
}

impl ItemForm {
    fn of(v: &CorrespondenceView) -> Self {
        Self {
            csrf: String::new(),
            kind: v.kind.clone(),
            direction: v.direction.clone(),
            received_on: v.received_on.to_string(),
            correspondent: v.correspondent.clone(),
            contact: v.contact.clone().unwrap_or_default(),
            subject: v.subject.clone(),
            summary: v.summary.clone().unwrap_or_default(),
            team: v.team.clone().unwrap_or_default(),
        }
    }
}

/// The form's input, with every refused field in `errors` (all at once).
fn checked_input(
    state: &AppState,
    tr: Tr,
    f: &ItemForm,
    errors: &mut FieldErrors,
) -> CorrespondenceInput {
    let today = state.app.clock().today();
    let received_on = forms::date("received_on", &f.received_on).ok();
    if received_on.is_none() {
        refuse(errors, tr, "received_on");
    }
    let input = CorrespondenceInput {
        kind: f.kind.clone(),
        direction: f.direction.clone(),
        received_on: received_on.unwrap_or(today),
        correspondent: f.correspondent.clone(),
        contact: f.contact.clone(),
        subject: f.subject.clone(),
        summary: f.summary.clone(),
        team: f.team.clone(),
    };
    for (field, _) in correspondence_problems(&input, state.app.policy().teams(), today) {
        refuse(errors, tr, field);
    }
    input
}

/// The choices of the form: kinds, directions and teams (code, words).
struct Choices {
    kinds: Vec<(String, String)>,
    directions: Vec<(String, String)>,
    teams: Vec<(String, String)>,
}

fn choices(state: &AppState, tr: Tr) -> Choices {
    Choices {
        kinds: KINDS
            .iter()
            .map(|k| ((*k).to_owned(), kind_word(tr, k)))
            .collect(),
        directions: DIRECTIONS
            .iter()
            .map(|d| ((*d).to_owned(), direction_word(tr, d)))
            .collect(),
        teams: state
            .app
            .policy()
            .teams()
            .iter()
            .map(|t| (t.code.clone(), t.name.clone()))
            .collect(),
    }
}

struct Line {
    id: String,
    reference: String,
    received_on: String,
    kind: String,
    direction: String,
    correspondent: String,
    subject: String,
    team: String,
    open: bool,
    keep_until: String,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "correspondence.html")]
struct ListPage {
    l: Layout,
    lines: Vec<Line>,
    /// The filter shown: empty, `open` or `handled`.
    status: String,
    may_handle: bool,
    c: Choices,
    f: ItemForm,
    errors: FieldErrors,
}

async fn render_list(
    state: &AppState,
    staff: &CurrentStaff,
    filter: StatusFilter,
    f: ItemForm,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let items = state.app.correspondence(&actor, filter).await?;
    let may_handle = state.app.correspondence_capabilities(&actor)?.handle;
    let tr = staff.tr;
    let refused = !errors.is_empty();
    let mut r = html(&ListPage {
        l: Layout::staff(staff, "correspondence-title"),
        lines: items
            .iter()
            .map(|v| Line {
                id: v.id.to_string(),
                reference: v.reference.clone(),
                received_on: v.received_on.to_string(),
                kind: kind_word(tr, &v.kind),
                direction: direction_word(tr, &v.direction),
                correspondent: v.correspondent.clone(),
                subject: v.subject.clone(),
                team: team_name(state, v.team.as_deref()),
                open: v.status == "open",
                keep_until: v.keep_until.map(|d| d.to_string()).unwrap_or_default(),
            })
            .collect(),
        status: filter.code().to_owned(),
        may_handle,
        c: choices(state, tr),
        f,
        errors,
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let filter = StatusFilter::parse(&q.status).unwrap_or_default();
    let f = ItemForm {
        received_on: state.app.clock().today().to_string(),
        kind: "email".to_owned(),
        direction: "incoming".to_owned(),
        ..ItemForm::default()
    };
    let errors = FieldErrors::new(staff.tr);
    render_list(&state, &staff, filter, f, errors).await
}

pub async fn register(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<ItemForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let mut errors = FieldErrors::new(staff.tr);
    let input = checked_input(&state, staff.tr, &f, &mut errors);
    if !errors.is_empty() {
        return render_list(&state, &staff, StatusFilter::All, f, errors).await;
    }
    match state
        .app
        .register_correspondence(&staff.as_actor(), &input)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/correspondentie/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, staff.tr, field);
            render_list(&state, &staff, StatusFilter::All, f, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The handling form as typed.
#[derive(Default, Deserialize)]
pub struct HandleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    handled_on: String,
    #[serde(default)]
    outcome: String,
}

#[derive(Template)]
#[template(path = "correspondence_item.html")]
struct ItemPage {
    l: Layout,
    id: String,
    kind: String,
    direction: String,
    received_on: String,
    correspondent: String,
    contact: String,
    subject: String,
    summary: String,
    team: String,
    open: bool,
    handled_on: String,
    outcome: String,
    keep_until: String,
    may_handle: bool,
    /// A handled item may be reopened while its term runs.
    may_reopen: bool,
    c: Choices,
    f: ItemForm,
    h: HandleForm,
    errors: FieldErrors,
}

async fn render_item(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    edit: Option<ItemForm>,
    h: HandleForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let v = state.app.correspondence_item(&actor, id).await?;
    let may_handle = state.app.correspondence_capabilities(&actor)?.handle;
    let today = state.app.clock().today();
    let tr = staff.tr;
    let open = v.status == "open";
    let mut l = Layout::staff(staff, "correspondence-title");
    l.title = format!("{} · {}", v.reference, l.title);
    let h = if h.handled_on.is_empty() {
        HandleForm {
            handled_on: today.to_string(),
            ..h
        }
    } else {
        h
    };
    let mut r = html(&ItemPage {
        l,
        id: id.to_string(),
        kind: kind_word(tr, &v.kind),
        direction: direction_word(tr, &v.direction),
        received_on: v.received_on.to_string(),
        correspondent: v.correspondent.clone(),
        contact: v.contact.clone().unwrap_or_default(),
        subject: v.subject.clone(),
        summary: v.summary.clone().unwrap_or_default(),
        team: team_name(state, v.team.as_deref()),
        open,
        handled_on: v.handled_on.map(|d| d.to_string()).unwrap_or_default(),
        outcome: v.outcome.clone().unwrap_or_default(),
        keep_until: v.keep_until.map(|d| d.to_string()).unwrap_or_default(),
        may_handle,
        may_reopen: may_handle && !open && v.keep_until.is_some_and(|d| d >= today),
        c: choices(state, tr),
        f: edit.unwrap_or_else(|| ItemForm::of(&v)),
        h,
        errors,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn item(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let errors = FieldErrors::new(staff.tr);
    render_item(
        &state,
        &staff,
        id,
        None,
        HandleForm::default(),
        errors,
        StatusCode::OK,
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<ItemForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let mut errors = FieldErrors::new(staff.tr);
    let input = checked_input(&state, staff.tr, &f, &mut errors);
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    if !errors.is_empty() {
        let h = HandleForm::default();
        return render_item(&state, &staff, id, Some(f), h, errors, refused).await;
    }
    match state
        .app
        .update_correspondence(&staff.as_actor(), id, &input)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/correspondentie/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, staff.tr, field);
            let h = HandleForm::default();
            render_item(&state, &staff, id, Some(f), h, errors, refused).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn handle(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(h): Form<HandleForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&h.csrf)?;
    let id = forms::uuid_of(&id)?;
    let tr = staff.tr;
    let today = state.app.clock().today();
    let mut errors = FieldErrors::new(tr);
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let handled_on = forms::date("handled_on", &h.handled_on).ok();
    if handled_on.is_none() {
        refuse(&mut errors, tr, "handled_on");
    }
    let input = HandlingInput {
        handled_on: handled_on.unwrap_or(today),
        outcome: h.outcome.clone(),
    };
    // Every field at once; that the day is not before the item came in, the core checks.
    for (field, _) in handling_problems(&input, chrono::NaiveDate::MIN, today) {
        refuse(&mut errors, tr, field);
    }
    if !errors.is_empty() {
        return render_item(&state, &staff, id, None, h, errors, refused).await;
    }
    match state
        .app
        .handle_correspondence(&staff.as_actor(), id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/correspondentie/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_item(&state, &staff, id, None, h, errors, refused).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn reopen(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    match state.app.reopen_correspondence(&staff.as_actor(), id).await {
        Ok(()) => Ok(Redirect::to(&format!("/correspondentie/{id}")).into_response()),
        Err(CoreError::Conflict(_)) => {
            let mut errors = FieldErrors::new(staff.tr);
            errors.set("reopen", staff.tr.t("correspondence-reopen-refused"));
            render_item(
                &state,
                &staff,
                id,
                None,
                HandleForm::default(),
                errors,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
