//! The register of data breaches (TRN-3): any staff member reports a suspected breach on
//! `/datalek-melden`; the privacy officer keeps the register on `/privacy/datalekken`
//! with the 72-hour clock of each breach, completes the facts, decides on notifying the
//! Autoriteit Persoonsgegevens and informing the people concerned, records both, prints
//! the notification's content and closes the breach.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;
use zv_core::CoreError;
use zv_core::breaches::{
    BreachClock, BreachView, ClockState, DecisionInput, FactsInput, NotifiedInput, PEOPLE,
    ReportInput, decision_problems, facts_problems, informed_problems, local_input,
    notified_problems, parse_moment, people_code, report_problems,
};
use zv_policy::{DataCategory, DataSubject};

use super::forms::{self, CsrfOnly, FieldErrors, Fields};
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::session::CurrentStaff;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/datalek-melden", get(report_form).post(report))
        .route("/privacy/datalekken", get(list))
        .route("/privacy/datalekken/{id}", get(item))
        .route("/privacy/datalekken/{id}/feiten", post(facts))
        .route("/privacy/datalekken/{id}/besluit", post(decide))
        .route("/privacy/datalekken/{id}/gemeld", post(notified))
        .route("/privacy/datalekken/{id}/geinformeerd", post(informed))
        .route("/privacy/datalekken/{id}/sluiten", post(close))
        .route("/privacy/datalekken/{id}/melding.pdf", get(pdf))
}

/// A category of data in the user's language.
pub fn data_label(tr: Tr, code: &str) -> String {
    let Some(c) = DataCategory::ALL.iter().find(|c| c.code() == code) else {
        return code.to_owned();
    };
    match c {
        DataCategory::ClientIdentity => tr.t("breach-data-client-identity"),
        DataCategory::Bsn => tr.t("breach-data-bsn"),
        DataCategory::Dossier => tr.t("breach-data-dossier"),
        DataCategory::SpecialCategories => tr.t("breach-data-special-categories"),
        DataCategory::WorkNotes => tr.t("breach-data-work-notes"),
        DataCategory::RelatedPersons => tr.t("breach-data-related-persons"),
        DataCategory::ConsentsAndDisclosures => tr.t("breach-data-consents-and-disclosures"),
        DataCategory::RequestsAndComplaints => tr.t("breach-data-requests-and-complaints"),
        DataCategory::PortalAccounts => tr.t("breach-data-portal-accounts"),
        DataCategory::StaffAccounts => tr.t("breach-data-staff-accounts"),
        DataCategory::AccessLog => tr.t("breach-data-access-log"),
        DataCategory::CameraImages => tr.t("breach-data-camera-images"),
        DataCategory::FinancialRecords => tr.t("breach-data-financial-records"),
        DataCategory::StaffRecords => tr.t("breach-data-staff-records"),
        DataCategory::StaffIdCopies => tr.t("breach-data-staff-id-copies"),
        DataCategory::Applicants => tr.t("breach-data-applicants"),
        DataCategory::Correspondence => tr.t("breach-data-correspondence"),
        DataCategory::GroupParticipants => tr.t("breach-data-group-participants"),
        DataCategory::ActivityMedia => tr.t("breach-data-activity-media"),
        DataCategory::NewsletterContacts => tr.t("breach-data-newsletter-contacts"),
    }
}

/// A category of people in the user's language.
pub fn people_label(tr: Tr, code: &str) -> String {
    let Some(p) = PEOPLE.iter().find(|p| people_code(**p) == code) else {
        return code.to_owned();
    };
    match p {
        DataSubject::Clients => tr.t("breach-people-clients"),
        DataSubject::Relatives => tr.t("breach-people-relatives"),
        DataSubject::Staff => tr.t("breach-people-staff"),
        DataSubject::Applicants => tr.t("breach-people-applicants"),
        DataSubject::Participants => tr.t("breach-people-participants"),
        DataSubject::Visitors => tr.t("breach-people-visitors"),
        DataSubject::Correspondents => tr.t("breach-people-correspondents"),
        DataSubject::PartnerContacts => tr.t("breach-people-partner-contacts"),
        DataSubject::BusinessRelations => tr.t("breach-people-business-relations"),
    }
}

fn status_word(tr: Tr, status: &str) -> String {
    match status {
        "reported" => tr.t("breach-status-reported"),
        "open" => tr.t("breach-status-open"),
        "closed" => tr.t("breach-status-closed"),
        other => other.to_owned(),
    }
}

/// Where the clock stands, in words.
pub fn clock_words(tr: Tr, c: &BreachClock) -> String {
    let hours = c.minutes_left.max(0) / 60;
    match c.state {
        ClockState::Running => tr.t1("breach-clock-running", "count", &hours),
        ClockState::DueSoon => tr.t1("breach-clock-due-soon", "count", &hours),
        ClockState::Overdue => tr.t("breach-clock-overdue"),
        ClockState::NotifiedInTime => tr.t("breach-clock-notified-in-time"),
        ClockState::NotifiedLate => tr.t("breach-clock-notified-late"),
        ClockState::NotNotifying => tr.t("breach-clock-not-notifying"),
    }
}

/// The refusal of a field in the user's language.
fn refusal(tr: Tr, field: &str) -> String {
    match field {
        "noticed_at" => tr.t("breach-invalid-noticed-at"),
        "what_happened" => tr.t("breach-invalid-what-happened"),
        "aware_at" => tr.t("breach-invalid-aware-at"),
        "occurred_from" => tr.t("breach-invalid-occurred-from"),
        "occurred_to" => tr.t("breach-invalid-occurred-to"),
        "discovered" => tr.t("breach-invalid-discovered"),
        "facts" => tr.t("breach-invalid-facts"),
        "data_categories" => tr.t("breach-invalid-data-categories"),
        "people_categories" => tr.t("breach-invalid-people-categories"),
        "people_count" => tr.t("breach-invalid-people-count"),
        "records_count" => tr.t("breach-invalid-records-count"),
        "consequences" => tr.t("breach-invalid-consequences"),
        "measures" => tr.t("breach-invalid-measures"),
        "contact" => tr.t("breach-invalid-contact"),
        "notify" => tr.t("breach-invalid-notify"),
        "notify_reason" => tr.t("breach-invalid-notify-reason"),
        "inform" => tr.t("breach-invalid-inform"),
        "inform_reason" => tr.t("breach-invalid-inform-reason"),
        "notified_at" => tr.t("breach-invalid-notified-at"),
        "ap_reference" => tr.t("breach-invalid-ap-reference"),
        "late_reason" => tr.t("breach-invalid-late-reason"),
        "informed_at" => tr.t("breach-invalid-informed-at"),
        _ => tr.t("invalid-generic"),
    }
}

fn refuse(errors: &mut FieldErrors, tr: Tr, field: &str) {
    errors.set(field, refusal(tr, field));
}

/// A moment typed in Dutch time; a refusal of `field` when it is not one.
fn moment(errors: &mut FieldErrors, tr: Tr, field: &str, raw: &str) -> Option<DateTime<Utc>> {
    let t = parse_moment(raw);
    if t.is_none() {
        refuse(errors, tr, field);
    }
    t
}

// ---------------------------------------------------------------------------------
// Reporting (any staff member)

#[derive(Default, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    noticed_at: String,
    #[serde(default)]
    what_happened: String,
}

#[derive(Deserialize)]
pub struct ReportedQuery {
    #[serde(default)]
    gemeld: String,
}

#[derive(Template)]
#[template(path = "breach_report.html")]
struct ReportPage {
    l: Layout,
    f: ReportForm,
    errors: FieldErrors,
    /// The reference just given, to confirm.
    reported: String,
    /// The actor's own reports: reference and local time.
    mine: Vec<(String, String)>,
}

async fn render_report(
    state: &AppState,
    staff: &CurrentStaff,
    f: ReportForm,
    errors: FieldErrors,
    reported: String,
) -> Result<Response, WebError> {
    let mine = state
        .app
        .my_breach_reports(&staff.as_actor())
        .await?
        .into_iter()
        .map(|r| (r.reference, r.reported_at_local))
        .collect();
    let refused = !errors.is_empty();
    let mut r = html(&ReportPage {
        l: Layout::staff(staff, "breach-report-title"),
        f,
        errors,
        reported,
        mine,
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn report_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(q): Query<ReportedQuery>,
) -> Result<Response, WebError> {
    let f = ReportForm {
        noticed_at: local_input(state.app.clock().now()),
        ..ReportForm::default()
    };
    // Only a reference of the actor's own reports is confirmed; anything else is ignored.
    let mine = state.app.my_breach_reports(&staff.as_actor()).await?;
    let reported = mine
        .iter()
        .find(|r| r.reference == q.gemeld.trim())
        .map(|r| r.reference.clone())
        .unwrap_or_default();
    render_report(&state, &staff, f, FieldErrors::new(staff.tr), reported).await
}

pub async fn report(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<ReportForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let tr = staff.tr;
    let mut errors = FieldErrors::new(tr);
    let now = state.app.clock().now();
    let noticed_at = moment(&mut errors, tr, "noticed_at", &f.noticed_at);
    let input = ReportInput {
        noticed_at: noticed_at.unwrap_or(now),
        what_happened: f.what_happened.clone(),
    };
    for (field, _) in report_problems(&input, now) {
        refuse(&mut errors, tr, field);
    }
    if !errors.is_empty() {
        return render_report(&state, &staff, f, errors, String::new()).await;
    }
    match state.app.report_breach(&staff.as_actor(), &input).await {
        Ok((_, reference)) => {
            Ok(Redirect::to(&format!("/datalek-melden?gemeld={reference}")).into_response())
        }
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_report(&state, &staff, f, errors, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------
// The register (the privacy officer)

struct Line {
    id: String,
    reference: String,
    status: String,
    aware_at: String,
    deadline: String,
    clock: String,
    /// The clock's state code, for the page's style and for tests.
    state: &'static str,
    escalated: bool,
}

#[derive(Template)]
#[template(path = "breaches.html")]
struct ListPage {
    l: Layout,
    lines: Vec<Line>,
}

pub async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let breaches = state.app.breaches(&staff.as_actor()).await?;
    html(&ListPage {
        l: Layout::staff(&staff, "breach-title"),
        lines: breaches
            .iter()
            .map(|v| Line {
                id: v.id.to_string(),
                reference: v.reference.clone(),
                status: status_word(tr, &v.status),
                aware_at: v.aware_at_local.clone(),
                deadline: v.clock.deadline_local.clone(),
                clock: clock_words(tr, &v.clock),
                state: v.clock.state.code(),
                escalated: v.status != "closed" && v.clock.state.escalated(),
            })
            .collect(),
    })
}

/// The facts form as typed (or as stored).
#[derive(Default)]
struct FactsForm {
    aware_at: String,
    occurred_from: String,
    occurred_to: String,
    discovered: String,
    facts: String,
    data_categories: Vec<String>,
    special_categories: bool,
    people_categories: Vec<String>,
    people_count: String,
    records_count: String,
    consequences: String,
    measures: String,
    contact: String,
}

impl FactsForm {
    fn of(v: &BreachView) -> Self {
        Self {
            aware_at: local_input(v.aware_at),
            occurred_from: v.occurred_from.map(|d| d.to_string()).unwrap_or_default(),
            occurred_to: v.occurred_to.map(|d| d.to_string()).unwrap_or_default(),
            discovered: v.discovered.clone().unwrap_or_default(),
            facts: v.facts.clone(),
            data_categories: v.data_categories.clone(),
            special_categories: v.special_categories,
            people_categories: v.people_categories.clone(),
            people_count: v.people_count.map(|n| n.to_string()).unwrap_or_default(),
            records_count: v.records_count.map(|n| n.to_string()).unwrap_or_default(),
            consequences: v.consequences.clone().unwrap_or_default(),
            measures: v.measures.clone().unwrap_or_default(),
            contact: v.contact.clone().unwrap_or_default(),
        }
    }

    fn from_fields(f: &Fields) -> Self {
        Self {
            aware_at: f.one("aware_at").to_owned(),
            occurred_from: f.one("occurred_from").to_owned(),
            occurred_to: f.one("occurred_to").to_owned(),
            discovered: f.one("discovered").to_owned(),
            facts: f.one("facts").to_owned(),
            data_categories: f.all("data_categories"),
            special_categories: !f.one("special_categories").trim().is_empty(),
            people_categories: f.all("people_categories"),
            people_count: f.one("people_count").to_owned(),
            records_count: f.one("records_count").to_owned(),
            consequences: f.one("consequences").to_owned(),
            measures: f.one("measures").to_owned(),
            contact: f.one("contact").to_owned(),
        }
    }
}

#[derive(Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    notify: String,
    #[serde(default)]
    notify_reason: String,
    #[serde(default)]
    inform: String,
    #[serde(default)]
    inform_reason: String,
}

#[derive(Default, Deserialize)]
pub struct NotifiedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    notified_at: String,
    #[serde(default)]
    ap_reference: String,
    #[serde(default)]
    late_reason: String,
}

#[derive(Default, Deserialize)]
pub struct InformedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    informed_at: String,
}

/// A choice of a check-box list: code, words, checked.
type Choice = (String, String, bool);

#[derive(Template)]
#[template(path = "breach.html")]
struct ItemPage {
    l: Layout,
    id: String,
    reference: String,
    status: String,
    closed: bool,
    aware_at: String,
    reported_at: String,
    noticed_at: String,
    deadline: String,
    clock: String,
    state: &'static str,
    escalated: bool,
    occurred: String,
    discovered: String,
    facts_text: String,
    data: Vec<String>,
    special: bool,
    people: Vec<String>,
    people_count: String,
    records_count: String,
    consequences: String,
    measures: String,
    contact: String,
    notify_decision: String,
    notify_reason: String,
    inform_decision: String,
    inform_reason: String,
    notified_at: String,
    ap_reference: String,
    late_reason: String,
    informed_at: String,
    /// The decision to notify is recorded and the notification is not.
    may_record_notified: bool,
    may_record_informed: bool,
    f: FactsForm,
    data_choices: Vec<Choice>,
    people_choices: Vec<Choice>,
    d: DecisionForm,
    n: NotifiedForm,
    i: InformedForm,
    errors: FieldErrors,
}

/// The forms as typed, when one was refused.
#[derive(Default)]
struct Typed {
    facts: Option<FactsForm>,
    decision: Option<DecisionForm>,
    notified: Option<NotifiedForm>,
    informed: Option<InformedForm>,
}

async fn render_item(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    typed: Typed,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let v = state.app.breach(&staff.as_actor(), id).await?;
    let now = state.app.clock().now();
    let mut l = Layout::staff(staff, "breach-title");
    l.title = format!("{} · {}", v.reference, l.title);
    let f = typed.facts.unwrap_or_else(|| FactsForm::of(&v));
    let data_choices = DataCategory::ALL
        .iter()
        .map(|c| {
            let code = c.code().to_owned();
            let on = f.data_categories.contains(&code);
            (code.clone(), data_label(tr, &code), on)
        })
        .collect();
    let people_choices = PEOPLE
        .iter()
        .map(|p| {
            let code = people_code(*p).to_owned();
            let on = f.people_categories.contains(&code);
            (code.clone(), people_label(tr, &code), on)
        })
        .collect();
    let d = typed.decision.unwrap_or_else(|| DecisionForm {
        notify: v.notify_decision.clone().unwrap_or_default(),
        notify_reason: v.notify_reason.clone().unwrap_or_default(),
        inform: v.inform_decision.clone().unwrap_or_default(),
        inform_reason: v.inform_reason.clone().unwrap_or_default(),
        ..DecisionForm::default()
    });
    let n = typed.notified.unwrap_or_else(|| NotifiedForm {
        notified_at: local_input(now),
        ..NotifiedForm::default()
    });
    let i = typed.informed.unwrap_or_else(|| InformedForm {
        informed_at: local_input(now),
        ..InformedForm::default()
    });
    let closed = v.status == "closed";
    let local = |t: Option<DateTime<Utc>>| t.map(zv_core::breaches::local).unwrap_or_default();
    let occurred = match (v.occurred_from, v.occurred_to) {
        (None, None) => String::new(),
        (from, to) => format!(
            "{} – {}",
            from.map_or_else(|| "?".to_owned(), |d| d.to_string()),
            to.map_or_else(|| "?".to_owned(), |d| d.to_string())
        ),
    };
    let decision_word = |code: Option<&str>| match code {
        Some("notify") => tr.t("breach-decision-notify"),
        Some("not_notify") => tr.t("breach-decision-not-notify"),
        Some("inform") => tr.t("breach-decision-inform"),
        Some("not_inform") => tr.t("breach-decision-not-inform"),
        _ => String::new(),
    };
    let mut r = html(&ItemPage {
        l,
        id: id.to_string(),
        reference: v.reference.clone(),
        status: status_word(tr, &v.status),
        closed,
        aware_at: v.aware_at_local.clone(),
        reported_at: zv_core::breaches::local(v.reported_at),
        noticed_at: zv_core::breaches::local(v.noticed_at),
        deadline: v.clock.deadline_local.clone(),
        clock: clock_words(tr, &v.clock),
        state: v.clock.state.code(),
        escalated: !closed && v.clock.state.escalated(),
        occurred,
        discovered: v.discovered.clone().unwrap_or_default(),
        facts_text: v.facts.clone(),
        data: v
            .data_categories
            .iter()
            .map(|c| data_label(tr, c))
            .collect(),
        special: v.special_categories,
        people: v
            .people_categories
            .iter()
            .map(|c| people_label(tr, c))
            .collect(),
        people_count: v.people_count.map(|n| n.to_string()).unwrap_or_default(),
        records_count: v.records_count.map(|n| n.to_string()).unwrap_or_default(),
        consequences: v.consequences.clone().unwrap_or_default(),
        measures: v.measures.clone().unwrap_or_default(),
        contact: v.contact.clone().unwrap_or_default(),
        notify_decision: decision_word(v.notify_decision.as_deref()),
        notify_reason: v.notify_reason.clone().unwrap_or_default(),
        inform_decision: decision_word(v.inform_decision.as_deref()),
        inform_reason: v.inform_reason.clone().unwrap_or_default(),
        notified_at: local(v.notified_at),
        ap_reference: v.ap_reference.clone().unwrap_or_default(),
        late_reason: v.late_reason.clone().unwrap_or_default(),
        informed_at: local(v.informed_at),
        may_record_notified: !closed
            && v.notify_decision.as_deref() == Some("notify")
            && v.notified_at.is_none(),
        may_record_informed: !closed
            && v.inform_decision.as_deref() == Some("inform")
            && v.informed_at.is_none(),
        f,
        data_choices,
        people_choices,
        d,
        n,
        i,
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
    render_item(&state, &staff, id, Typed::default(), errors, StatusCode::OK).await
}

fn back(id: Uuid) -> Response {
    Redirect::to(&format!("/privacy/datalekken/{id}")).into_response()
}

/// A number typed in a form: blank is none.
fn count(errors: &mut FieldErrors, tr: Tr, field: &str, raw: &str) -> Option<i64> {
    let t = raw.trim().replace(['.', ' '], "");
    if t.is_empty() {
        return None;
    }
    let n = t.parse::<i64>().ok();
    if n.is_none() {
        refuse(errors, tr, field);
    }
    n
}

pub async fn facts(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let fields = Fields(fields);
    staff.check_csrf(fields.one("csrf"))?;
    let id = forms::uuid_of(&id)?;
    let tr = staff.tr;
    let f = FactsForm::from_fields(&fields);
    let mut errors = FieldErrors::new(tr);
    let now = state.app.clock().now();
    let aware_at = moment(&mut errors, tr, "aware_at", &f.aware_at);
    let mut date = |field: &'static str, raw: &str| match forms::date_opt(field, raw) {
        Ok(d) => d,
        Err(_) => {
            refuse(&mut errors, tr, field);
            None
        }
    };
    let occurred_from = date("occurred_from", &f.occurred_from);
    let occurred_to = date("occurred_to", &f.occurred_to);
    let people_count = count(&mut errors, tr, "people_count", &f.people_count);
    let records_count = count(&mut errors, tr, "records_count", &f.records_count);
    let input = FactsInput {
        aware_at: aware_at.unwrap_or(now),
        occurred_from,
        occurred_to,
        discovered: f.discovered.clone(),
        facts: f.facts.clone(),
        data_categories: f.data_categories.clone(),
        special_categories: f.special_categories,
        people_categories: f.people_categories.clone(),
        people_count,
        records_count,
        consequences: f.consequences.clone(),
        measures: f.measures.clone(),
        contact: f.contact.clone(),
    };
    // Every field at once; that awareness is not after the report, the core checks.
    for (field, _) in facts_problems(&input, now, now) {
        refuse(&mut errors, tr, field);
    }
    let typed = |f| Typed {
        facts: Some(f),
        ..Typed::default()
    };
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    if !errors.is_empty() {
        return render_item(&state, &staff, id, typed(f), errors, refused).await;
    }
    match state
        .app
        .update_breach_facts(&staff.as_actor(), id, &input)
        .await
    {
        Ok(()) => Ok(back(id)),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_item(&state, &staff, id, typed(f), errors, refused).await
        }
        Err(CoreError::Conflict(_)) => {
            errors.set("facts_general", tr.t("breach-closed-refused"));
            render_item(&state, &staff, id, typed(f), errors, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn decide(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(d): Form<DecisionForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&d.csrf)?;
    let id = forms::uuid_of(&id)?;
    let tr = staff.tr;
    let mut errors = FieldErrors::new(tr);
    let input = DecisionInput {
        notify: d.notify.clone(),
        notify_reason: d.notify_reason.clone(),
        inform: d.inform.clone(),
        inform_reason: d.inform_reason.clone(),
    };
    for (field, _) in decision_problems(&input) {
        refuse(&mut errors, tr, field);
    }
    let typed = |d| Typed {
        decision: Some(d),
        ..Typed::default()
    };
    if !errors.is_empty() {
        let refused = StatusCode::UNPROCESSABLE_ENTITY;
        return render_item(&state, &staff, id, typed(d), errors, refused).await;
    }
    match state.app.decide_breach(&staff.as_actor(), id, &input).await {
        Ok(()) => Ok(back(id)),
        Err(CoreError::Conflict(_)) => {
            errors.set("decision_general", tr.t("breach-decision-refused"));
            render_item(&state, &staff, id, typed(d), errors, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn notified(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(n): Form<NotifiedForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&n.csrf)?;
    let id = forms::uuid_of(&id)?;
    let tr = staff.tr;
    let mut errors = FieldErrors::new(tr);
    let now = state.app.clock().now();
    let notified_at = moment(&mut errors, tr, "notified_at", &n.notified_at);
    let typed = |n| Typed {
        notified: Some(n),
        ..Typed::default()
    };
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    // The checks need the moment of awareness: read (a recorded read) only for that.
    let v = state.app.breach(&staff.as_actor(), id).await?;
    let input = NotifiedInput {
        notified_at: notified_at.unwrap_or(now),
        ap_reference: n.ap_reference.clone(),
        late_reason: n.late_reason.clone(),
    };
    for (field, _) in notified_problems(&input, v.aware_at, now) {
        if notified_at.is_some() || field != "notified_at" {
            refuse(&mut errors, tr, field);
        }
    }
    if !errors.is_empty() {
        return render_item(&state, &staff, id, typed(n), errors, refused).await;
    }
    match state
        .app
        .record_breach_notified(&staff.as_actor(), id, &input)
        .await
    {
        Ok(()) => Ok(back(id)),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_item(&state, &staff, id, typed(n), errors, refused).await
        }
        Err(CoreError::Conflict(_)) => {
            errors.set("notified_general", tr.t("breach-notified-refused"));
            render_item(&state, &staff, id, typed(n), errors, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn informed(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(i): Form<InformedForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&i.csrf)?;
    let id = forms::uuid_of(&id)?;
    let tr = staff.tr;
    let mut errors = FieldErrors::new(tr);
    let typed = |i| Typed {
        informed: Some(i),
        ..Typed::default()
    };
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let Some(at) = moment(&mut errors, tr, "informed_at", &i.informed_at) else {
        return render_item(&state, &staff, id, typed(i), errors, refused).await;
    };
    let v = state.app.breach(&staff.as_actor(), id).await?;
    for (field, _) in informed_problems(at, v.aware_at, state.app.clock().now()) {
        refuse(&mut errors, tr, field);
    }
    if !errors.is_empty() {
        return render_item(&state, &staff, id, typed(i), errors, refused).await;
    }
    match state
        .app
        .record_breach_informed(&staff.as_actor(), id, at)
        .await
    {
        Ok(()) => Ok(back(id)),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_item(&state, &staff, id, typed(i), errors, refused).await
        }
        Err(CoreError::Conflict(_)) => {
            errors.set("informed_general", tr.t("breach-informed-refused"));
            render_item(&state, &staff, id, typed(i), errors, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn close(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    match state.app.close_breach(&staff.as_actor(), id).await {
        Ok(()) => Ok(back(id)),
        Err(CoreError::Conflict(_)) => {
            let mut errors = FieldErrors::new(staff.tr);
            errors.set("close", staff.tr.t("breach-close-refused"));
            render_item(
                &state,
                &staff,
                id,
                Typed::default(),
                errors,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PdfQuery {
    #[serde(default)]
    taal: String,
}

/// The notification's content as a PDF, Dutch by default (`?taal=en` for English).
pub async fn pdf(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Query(q): Query<PdfQuery>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let lang = Lang::from_code(q.taal.trim()).unwrap_or(Lang::Nl);
    let bytes = notice_pdf(&state, &staff.as_actor(), id, lang).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"melding-datalek.pdf\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The notification in `lang`, its categories worded in that language.
pub async fn notice_pdf(
    state: &AppState,
    actor: &zv_core::Actor,
    id: Uuid,
    lang: Lang,
) -> Result<Vec<u8>, CoreError> {
    let tr = Tr { lang };
    let language = match lang {
        Lang::Nl => zv_core::requests::LetterLanguage::Nl,
        Lang::En => zv_core::requests::LetterLanguage::En,
    };
    let data = move |c: &str| data_label(tr, c);
    let people = move |c: &str| people_label(tr, c);
    state
        .app
        .breach_notice_pdf(actor, id, language, &data, &people)
        .await
}
