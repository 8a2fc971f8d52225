//! Complaints handled end to end (CMP-1, ACC-3): the register with each complaint's term
//! and days left (the privacy officer sees every complaint, a manager those to assign and
//! their own), the assignment to a manager with the trajectories concerned, the case with
//! its steps and decision, and the answer letter. Everything goes through the core's
//! gate; a complaint the reader may not see is "not found".

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::complaints::{
    Assignment, ComplaintCase, ComplaintDecision, ComplaintLetterPdf, ComplaintLine, ComplaintState,
};
use zv_domain::{Role, TrajectoryId};

use super::dossier::local_time;
use super::requests::{LetterQuery, letter_language};
use super::{Layout, forms, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/klachten", get(list))
        .route("/klachten/{id}", get(case))
        .route("/klachten/{id}/toewijzen", get(assign_form).post(assign))
        .route("/klachten/{id}/stappen", post(step))
        .route("/klachten/{id}/besluit", post(decide))
        .route("/klachten/{id}/brief", get(letter))
}

pub(crate) fn state_label(tr: Tr, s: ComplaintState) -> String {
    match s {
        ComplaintState::Received => tr.t("cmp-state-received"),
        ComplaintState::InHandling => tr.t("cmp-state-in-handling"),
        ComplaintState::Decided => tr.t("cmp-state-decided"),
        ComplaintState::Closed => tr.t("cmp-state-closed"),
    }
}

pub(crate) fn decision_label(tr: Tr, d: ComplaintDecision) -> String {
    match d {
        ComplaintDecision::Upheld => tr.t("cmp-decision-upheld"),
        ComplaintDecision::PartlyUpheld => tr.t("cmp-decision-partly-upheld"),
        ComplaintDecision::NotUpheld => tr.t("cmp-decision-not-upheld"),
        ComplaintDecision::Withdrawn => tr.t("cmp-decision-withdrawn"),
    }
}

fn channel_label(tr: Tr, c: &str) -> String {
    let key = format!("channel-{c}");
    let text = tr.t(&key);
    if text == key || text.starts_with("Unknown localization") {
        c.to_owned()
    } else {
        text
    }
}

/// A register line as the page shows it.
struct Row {
    id: String,
    reference: String,
    received_on: String,
    channel: String,
    handler: String,
    state: String,
    decision: String,
    due_on: String,
    /// "12 dagen", "vandaag", "3 dagen te laat".
    term: String,
    overdue: bool,
    /// The reader may assign it (no handler yet).
    assignable: bool,
    /// The reader may open the case.
    readable: bool,
}

fn term_text(tr: Tr, l: &ComplaintLine) -> String {
    match l.state {
        ComplaintState::Decided | ComplaintState::Closed => String::new(),
        ComplaintState::Received | ComplaintState::InHandling => {
            if l.days_left > 0 {
                tr.t1("cmp-days-left", "days", &l.days_left.to_string())
            } else if l.days_left == 0 {
                tr.t("cmp-due-today")
            } else {
                tr.t1("cmp-days-overdue", "days", &(-l.days_left).to_string())
            }
        }
    }
}

fn row(tr: Tr, l: &ComplaintLine, staff: &CurrentStaff, officer: bool) -> Row {
    Row {
        id: l.id.to_string(),
        reference: l.reference.clone().unwrap_or_default(),
        received_on: l.received_on.to_string(),
        channel: channel_label(tr, &l.channel),
        handler: l.handler_name.clone().unwrap_or_default(),
        state: state_label(tr, l.state),
        decision: l
            .decision
            .map(|d| decision_label(tr, d))
            .unwrap_or_default(),
        due_on: l.due_on.to_string(),
        term: term_text(tr, l),
        overdue: l.overdue,
        assignable: l.handler.is_none() && l.closed_on.is_none(),
        readable: officer || l.handler == Some(staff.actor.user_id),
    }
}

#[derive(Template)]
#[template(path = "complaints.html")]
struct ListPage {
    l: Layout,
    rows: Vec<Row>,
    overdue: usize,
}

/// The register: the privacy officer's every complaint, a manager's to assign and own.
pub async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let officer = staff.actor.roles.contains(&Role::PrivacyOfficer);
    let lines = state.app.complaints_overview(&staff.as_actor()).await?;
    let rows: Vec<Row> = lines.iter().map(|l| row(tr, l, &staff, officer)).collect();
    html(&ListPage {
        l: Layout::staff(&staff, "title-complaints"),
        overdue: rows.iter().filter(|r| r.overdue).count(),
        rows,
    })
}

struct TrajectoryLine {
    id: String,
    label: String,
    checked: bool,
}

struct StepLine {
    taken_on: String,
    who: String,
    text: String,
    recorded_at: String,
}

#[derive(Default)]
struct Typed {
    step_taken_on: String,
    step_text: String,
    decision: String,
    reasons: String,
    errors: HashMap<&'static str, String>,
}

#[derive(Template)]
#[template(path = "complaint.html")]
struct CasePage {
    l: Layout,
    id: String,
    row: Row,
    subject: String,
    text: Option<String>,
    trajectories: Vec<TrajectoryLine>,
    steps: Vec<StepLine>,
    reasons: Option<String>,
    is_handler: bool,
    open: bool,
    decided: bool,
    decisions: Vec<(String, String)>,
    typed: Typed,
    today: String,
}

impl CasePage {
    fn error(&self, field: &str) -> Option<&String> {
        self.typed.errors.get(field)
    }
}

fn trajectory_label(t: &zv_core::complaints::ComplaintTrajectory) -> String {
    match t.closed_on {
        Some(c) => format!("{} ({} – {c})", t.service_name, t.opened_on),
        None => format!("{} ({} –)", t.service_name, t.opened_on),
    }
}

fn render_case(
    state: &AppState,
    staff: &CurrentStaff,
    c: &ComplaintCase,
    typed: Typed,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let officer = staff.actor.roles.contains(&Role::PrivacyOfficer);
    let mut l = Layout::staff(staff, "title-complaint");
    let refused = !typed.errors.is_empty();
    l.title = format!(
        "{} {}",
        l.title,
        c.line.reference.clone().unwrap_or_default()
    );
    let mut r = html(&CasePage {
        l,
        id: c.line.id.to_string(),
        row: row(tr, &c.line, staff, officer),
        subject: c.subject.clone(),
        text: c.text.clone(),
        trajectories: c
            .trajectories
            .iter()
            .map(|t| TrajectoryLine {
                id: t.id.to_string(),
                label: trajectory_label(t),
                checked: true,
            })
            .collect(),
        steps: c
            .steps
            .iter()
            .map(|s| StepLine {
                taken_on: s.taken_on.to_string(),
                who: s.recorded_by_name.clone(),
                text: s.text.clone(),
                recorded_at: local_time(s.recorded_at),
            })
            .collect(),
        reasons: c.reasons.clone(),
        is_handler: c.is_handler,
        open: c.line.closed_on.is_none(),
        decided: c.line.decision.is_some(),
        decisions: ComplaintDecision::ALL
            .iter()
            .map(|d| (d.code().to_owned(), decision_label(tr, *d)))
            .collect(),
        typed,
        today: state.app.clock().today().to_string(),
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// One complaint: for its handler while the grant runs, and for the privacy officer.
pub async fn case(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let c = state.app.complaint_case(&staff.as_actor(), id).await?;
    render_case(&state, &staff, &c, Typed::default())
}

/// A refusal in the user's language, by the field the core named.
fn refusal(tr: Tr, e: &CoreError) -> (&'static str, String) {
    match e {
        CoreError::Invalid { field, .. } => {
            let key = format!("cmp-error-{}", field.replace('_', "-"));
            let text = tr.t(&key);
            let text = if text == key || text.starts_with("Unknown localization") {
                tr.t("invalid-generic")
            } else {
                text
            };
            (field, text)
        }
        CoreError::Conflict(_) => ("_form", tr.t("cmp-error-conflict")),
        _ => ("_form", tr.t("invalid-generic")),
    }
}

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    taken_on: String,
    #[serde(default)]
    text: String,
}

/// Records a step; a refusal shows what was typed, field by field, and nothing changes.
pub async fn step(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let actor = staff.as_actor();
    let result = match forms::date("taken_on", &f.taken_on) {
        Ok(day) => state
            .app
            .record_complaint_step(&actor, id, day, &f.text)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    let e = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/klachten/{id}#stappen")).into_response()),
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => e,
        Err(e) => return Err(e.into()),
    };
    let (field, message) = refusal(staff.tr, &e);
    let c = state.app.complaint_case(&actor, id).await?;
    render_case(
        &state,
        &staff,
        &c,
        Typed {
            step_taken_on: f.taken_on,
            step_text: f.text,
            errors: HashMap::from([(field, message)]),
            ..Typed::default()
        },
    )
}

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reasons: String,
}

/// Records the decision with its reasons; a refusal keeps what was typed.
pub async fn decide(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let actor = staff.as_actor();
    let mut errors = HashMap::new();
    if ComplaintDecision::from_code(&f.decision).is_none() {
        errors.insert("decision", staff.tr.t("cmp-error-decision"));
    }
    if f.reasons.trim().is_empty() {
        errors.insert("reasons", staff.tr.t("cmp-error-reasons"));
    }
    if errors.is_empty() {
        match state
            .app
            .decide_complaint(&actor, id, &f.decision, &f.reasons)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!("/klachten/{id}#besluit")).into_response());
            }
            Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
                let (field, message) = refusal(staff.tr, &e);
                errors.insert(field, message);
            }
            Err(e) => return Err(e.into()),
        }
    }
    let c = state.app.complaint_case(&actor, id).await?;
    render_case(
        &state,
        &staff,
        &c,
        Typed {
            decision: f.decision,
            reasons: f.reasons,
            errors,
            ..Typed::default()
        },
    )
}

/// The answer letter as a download: Dutch, or English with `?taal=en`.
pub async fn letter(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Query(q): Query<LetterQuery>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let language = letter_language(q.taal())?;
    let letter = state
        .app
        .complaint_letter(&staff.as_actor(), id, language)
        .await?;
    Ok(pdf(letter))
}

/// A letter as a download: never cached, its name the reference only.
pub(crate) fn pdf(letter: ComplaintLetterPdf) -> Response {
    let name: String = letter
        .file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        letter.bytes,
    )
        .into_response()
}

#[derive(Default)]
struct AssignTyped {
    handler: String,
    trajectories: Vec<String>,
    ends_on: String,
    errors: HashMap<&'static str, String>,
}

#[derive(Template)]
#[template(path = "complaint_assign.html")]
struct AssignPage {
    l: Layout,
    id: String,
    row: Row,
    trajectories: Vec<TrajectoryLine>,
    managers: Vec<(String, String, bool)>,
    ends_on: String,
    typed: AssignTyped,
}

impl AssignPage {
    fn error(&self, field: &str) -> Option<&String> {
        self.typed.errors.get(field)
    }
}

async fn render_assign(
    state: &AppState,
    staff: &CurrentStaff,
    id: uuid::Uuid,
    typed: AssignTyped,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let officer = staff.actor.roles.contains(&Role::PrivacyOfficer);
    let choices = state
        .app
        .complaint_assignment_choices(&staff.as_actor(), id)
        .await?;
    let refused = !typed.errors.is_empty();
    let mut l = Layout::staff(staff, "title-complaint-assign");
    l.title = format!(
        "{} {}",
        l.title,
        choices.line.reference.clone().unwrap_or_default()
    );
    let mut r = html(&AssignPage {
        l,
        id: id.to_string(),
        row: row(tr, &choices.line, staff, officer),
        trajectories: choices
            .trajectories
            .iter()
            .map(|t| TrajectoryLine {
                id: t.id.to_string(),
                label: trajectory_label(t),
                checked: typed.trajectories.contains(&t.id.to_string()),
            })
            .collect(),
        managers: choices
            .managers
            .iter()
            .map(|(u, n)| (u.to_string(), n.clone(), typed.handler == u.to_string()))
            .collect(),
        ends_on: if typed.ends_on.is_empty() {
            choices.line.due_on.to_string()
        } else {
            typed.ends_on.clone()
        },
        typed,
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// The assignment form: a manager, the trajectories concerned, the grant's last day.
pub async fn assign_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    render_assign(&state, &staff, id, AssignTyped::default()).await
}

/// Assigns the complaint; every problem is shown at once, and nothing changes.
pub async fn assign(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = forms::Fields(fields);
    staff.check_csrf(f.one("csrf"))?;
    let id = forms::uuid_of(&id)?;
    let tr = staff.tr;
    let mut typed = AssignTyped {
        handler: f.one("handler").to_owned(),
        trajectories: f.all("trajectories"),
        ends_on: f.one("ends_on").to_owned(),
        errors: HashMap::new(),
    };
    let handler = forms::user("handler", &typed.handler);
    let ends_on = forms::date("ends_on", &typed.ends_on);
    let trajectories: Vec<TrajectoryId> = typed
        .trajectories
        .iter()
        .filter_map(|t| t.parse::<uuid::Uuid>().ok())
        .map(TrajectoryId::from_uuid)
        .collect();
    if handler.is_err() {
        typed.errors.insert("handler", tr.t("cmp-error-handler"));
    }
    if ends_on.is_err() {
        typed.errors.insert("ends_on", tr.t("cmp-error-ends-on"));
    }
    if trajectories.is_empty() {
        typed
            .errors
            .insert("trajectories", tr.t("cmp-error-trajectories"));
    }
    if let (Ok(handler), Ok(ends_on), true) = (handler, ends_on, !trajectories.is_empty()) {
        match state
            .app
            .assign_complaint(
                &staff.as_actor(),
                id,
                Assignment {
                    handler,
                    trajectories,
                    ends_on,
                },
            )
            .await
        {
            Ok(()) => return Ok(Redirect::to("/klachten").into_response()),
            Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
                let (field, message) = refusal(tr, &e);
                typed.errors.insert(field, message);
            }
            Err(e) => return Err(e.into()),
        }
    }
    render_assign(&state, &staff, id, typed).await
}
