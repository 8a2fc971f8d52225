//! HR's and finance's records (RET-2, decision 0034): vacancies with their applicants (CV,
//! letter, the consent to be kept in portfolio), staff records (documents, the copy of the
//! identity document, the day of leaving) and financial records. Pages answer "not found"
//! where the policy keeps no such records, and "not allowed" to roles the policy does not
//! name for them; the menu shows them only to those it names.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use uuid::Uuid;
use zv_core::CoreError;
use zv_core::personnel::{
    ApplicantInput, FileInput, FileView, FinancialInput, Owner, PortfolioInput, StaffInput,
    VacancyInput, applicant_problems, financial_problems, staff_problems, vacancy_problems,
};

use super::forms::{self, FieldErrors};
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

pub fn routes(upload_limit: usize) -> Router<AppState> {
    let limit = || DefaultBodyLimit::max(upload_limit);
    Router::new()
        .route("/personeel", get(overview))
        .route("/personeel/vacatures", post(create_vacancy))
        .route("/personeel/vacatures/{id}", get(vacancy))
        .route(
            "/personeel/vacatures/{id}/sollicitanten",
            post(add_applicant),
        )
        .route("/personeel/vacatures/{id}/afgerond", post(end_procedure))
        .route("/personeel/sollicitanten/{id}", get(applicant))
        .route(
            "/personeel/sollicitanten/{id}/bestanden",
            post(upload_applicant_file).layer(limit()),
        )
        .route(
            "/personeel/sollicitanten/{id}/portefeuille",
            post(portfolio),
        )
        .route(
            "/personeel/sollicitanten/{id}/portefeuille/intrekken",
            post(withdraw_portfolio),
        )
        .route("/personeel/medewerkers", post(create_staff))
        .route("/personeel/medewerkers/{id}", get(staff_record))
        .route(
            "/personeel/medewerkers/{id}/bestanden",
            post(upload_staff_file).layer(limit()),
        )
        .route("/personeel/medewerkers/{id}/uit-dienst", post(leaving))
        .route("/personeel/bestanden/{id}", get(download))
        .route("/financien", get(finance).post(create_financial))
        .route("/financien/{id}", get(financial_record))
        .route(
            "/financien/{id}/bestanden",
            post(upload_financial_file).layer(limit()),
        )
        .route("/financien/bestanden/{id}", get(download))
}

/// What a form sent, by field name; the page shows it back after a refusal.
#[derive(Default)]
pub struct Typed(HashMap<String, String>);

impl Typed {
    /// The value of a field, or empty.
    pub fn v(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.insert(name.to_owned(), value.into());
        self
    }
}

/// The refusal of a field in the user's language.
fn refuse(errors: &mut FieldErrors, tr: Tr, field: &str) {
    errors.set(
        field,
        tr.t(&format!("personnel-invalid-{}", field.replace('_', "-"))),
    );
}

/// A date of the form, refused on its field when it does not parse.
fn date_of(
    t: &Typed,
    field: &'static str,
    errors: &mut FieldErrors,
    tr: Tr,
) -> Option<chrono::NaiveDate> {
    let d = forms::date(field, t.v(field)).ok();
    if d.is_none() {
        refuse(errors, tr, field);
    }
    d
}

/// A page shown again after a refusal answers 422.
fn refused(mut r: Response, bad: bool) -> Response {
    if bad {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// A document on a page.
pub struct FileLine {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub size: String,
}

fn file_kind_word(tr: Tr, kind: &str) -> String {
    tr.t(&format!("personnel-file-{}", kind.replace('_', "-")))
}

fn file_lines(tr: Tr, files: &[FileView]) -> Vec<FileLine> {
    files
        .iter()
        .map(|f| FileLine {
            id: f.id.to_string(),
            kind: file_kind_word(tr, &f.kind),
            name: f.file_name.clone(),
            size: format!(
                "{} kB",
                u64::try_from(f.size_bytes).unwrap_or(0).div_ceil(1024)
            ),
        })
        .collect()
}

fn kind_choices(tr: Tr, owner: Owner) -> Vec<(String, String)> {
    owner
        .file_kinds()
        .iter()
        .map(|k| ((*k).to_owned(), file_kind_word(tr, k)))
        .collect()
}

fn opt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

// --- the overview: vacancies and staff records ------------------------------------

pub struct VacancyLine {
    pub id: String,
    pub title: String,
    pub closing_on: String,
    pub ended_on: String,
    pub applicants: u64,
}

pub struct StaffLine {
    pub id: String,
    pub reference: String,
    pub name: String,
    pub job_title: String,
    pub started_on: String,
    pub left_on: String,
}

#[derive(Template)]
#[template(path = "personnel.html")]
struct OverviewPage {
    l: Layout,
    keeps_applicants: bool,
    keeps_staff: bool,
    vacancies: Vec<VacancyLine>,
    staff: Vec<StaffLine>,
    t: Typed,
    errors: FieldErrors,
}

async fn render_overview(
    state: &AppState,
    staff: &CurrentStaff,
    t: Typed,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let app = &state.app;
    let (keeps_applicants, keeps_staff) = (app.keeps_applicants(), app.keeps_staff_records());
    if !keeps_applicants && !keeps_staff {
        return Err(WebError::NotFound);
    }
    let actor = staff.as_actor();
    let vacancies = if keeps_applicants {
        app.vacancies(&actor).await?
    } else {
        Vec::new()
    };
    let records = if keeps_staff {
        app.staff_records(&actor).await?
    } else {
        Vec::new()
    };
    let bad = !errors.is_empty();
    let r = html(&OverviewPage {
        l: Layout::staff(staff, "personnel-title"),
        keeps_applicants,
        keeps_staff,
        vacancies: vacancies
            .iter()
            .map(|v| VacancyLine {
                id: v.id.to_string(),
                title: v.title.clone(),
                closing_on: v.closing_on.to_string(),
                ended_on: opt_date(v.procedure_ended_on),
                applicants: v.applicants,
            })
            .collect(),
        staff: records
            .iter()
            .map(|s| StaffLine {
                id: s.id.to_string(),
                reference: s.reference.clone(),
                name: s.name.clone(),
                job_title: s.job_title.clone().unwrap_or_default(),
                started_on: s.started_on.to_string(),
                left_on: opt_date(s.left_on),
            })
            .collect(),
        t,
        errors,
    })?;
    Ok(refused(r, bad))
}

pub async fn overview(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let today = state.app.clock().today().to_string();
    let t = Typed::default()
        .with("closing_on", today.clone())
        .with("started_on", today);
    let errors = FieldErrors::new(staff.tr);
    render_overview(&state, &staff, t, errors).await
}

pub async fn create_vacancy(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let t = Typed(f);
    staff.check_csrf(t.v("csrf"))?;
    let tr = staff.tr;
    let mut errors = FieldErrors::new(tr);
    let closing_on = date_of(&t, "closing_on", &mut errors, tr);
    let input = VacancyInput {
        title: t.v("title").to_owned(),
        closing_on: closing_on.unwrap_or_default(),
    };
    for (field, _) in vacancy_problems(&input) {
        refuse(&mut errors, tr, field);
    }
    if !errors.is_empty() {
        return render_overview(&state, &staff, t, errors).await;
    }
    match state.app.create_vacancy(&staff.as_actor(), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/personeel/vacatures/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_overview(&state, &staff, t, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create_staff(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let t = Typed(f);
    staff.check_csrf(t.v("csrf"))?;
    let tr = staff.tr;
    let today = state.app.clock().today();
    let mut errors = FieldErrors::new(tr);
    let started_on = date_of(&t, "started_on", &mut errors, tr);
    let input = StaffInput {
        name: t.v("name").to_owned(),
        job_title: t.v("job_title").to_owned(),
        started_on: started_on.unwrap_or(today),
    };
    for (field, _) in staff_problems(&input, today) {
        refuse(&mut errors, tr, field);
    }
    if !errors.is_empty() {
        return render_overview(&state, &staff, t, errors).await;
    }
    match state
        .app
        .create_staff_record(&staff.as_actor(), &input)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/personeel/medewerkers/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_overview(&state, &staff, t, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

// --- a vacancy and its applicants ---------------------------------------------------

pub struct ApplicantLine {
    pub id: String,
    pub reference: String,
    pub name: String,
    pub applied_on: String,
    pub files: usize,
    pub portfolio_until: String,
    pub keep_until: String,
}

#[derive(Template)]
#[template(path = "personnel_vacancy.html")]
struct VacancyPage {
    l: Layout,
    id: String,
    title: String,
    closing_on: String,
    ended_on: String,
    applicants: Vec<ApplicantLine>,
    t: Typed,
    errors: FieldErrors,
}

async fn render_vacancy(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    t: Typed,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let d = state.app.vacancy(&staff.as_actor(), id).await?;
    let mut l = Layout::staff(staff, "personnel-vacancy");
    l.title = format!("{} · {}", d.vacancy.title, l.title);
    let bad = !errors.is_empty();
    let r = html(&VacancyPage {
        l,
        id: id.to_string(),
        title: d.vacancy.title.clone(),
        closing_on: d.vacancy.closing_on.to_string(),
        ended_on: opt_date(d.vacancy.procedure_ended_on),
        applicants: d
            .applicant_list
            .iter()
            .map(|a| ApplicantLine {
                id: a.id.to_string(),
                reference: a.reference.clone(),
                name: a.name.clone(),
                applied_on: a.applied_on.to_string(),
                files: a.files.len(),
                portfolio_until: opt_date(a.portfolio_until),
                keep_until: opt_date(a.keep_until),
            })
            .collect(),
        t,
        errors,
    })?;
    Ok(refused(r, bad))
}

pub async fn vacancy(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let today = state.app.clock().today().to_string();
    let t = Typed::default()
        .with("applied_on", today.clone())
        .with("ended_on", today);
    let errors = FieldErrors::new(staff.tr);
    render_vacancy(&state, &staff, id, t, errors).await
}

pub async fn add_applicant(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let t = Typed(f);
    staff.check_csrf(t.v("csrf"))?;
    let tr = staff.tr;
    let today = state.app.clock().today();
    let mut errors = FieldErrors::new(tr);
    let applied_on = date_of(&t, "applied_on", &mut errors, tr);
    let input = ApplicantInput {
        name: t.v("name").to_owned(),
        email: t.v("email").to_owned(),
        phone: t.v("phone").to_owned(),
        applied_on: applied_on.unwrap_or(today),
    };
    for (field, _) in applicant_problems(&input, today) {
        refuse(&mut errors, tr, field);
    }
    if !errors.is_empty() {
        return render_vacancy(&state, &staff, id, t, errors).await;
    }
    match state.app.add_applicant(&staff.as_actor(), id, &input).await {
        Ok(a) => Ok(Redirect::to(&format!("/personeel/sollicitanten/{a}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_vacancy(&state, &staff, id, t, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn end_procedure(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let t = Typed(f);
    staff.check_csrf(t.v("csrf"))?;
    let tr = staff.tr;
    let mut errors = FieldErrors::new(tr);
    let Some(ended_on) = date_of(&t, "ended_on", &mut errors, tr) else {
        return render_vacancy(&state, &staff, id, t, errors).await;
    };
    match state
        .app
        .end_vacancy_procedure(&staff.as_actor(), id, ended_on)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/personeel/vacatures/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_vacancy(&state, &staff, id, t, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

// --- an applicant -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "personnel_applicant.html")]
struct ApplicantPage {
    l: Layout,
    id: String,
    vacancy_id: String,
    reference: String,
    name: String,
    email: String,
    phone: String,
    applied_on: String,
    consent_on: String,
    portfolio_until: String,
    keep_until: String,
    /// The range the portfolio's last day may lie in, counted from the closing day.
    portfolio_from: String,
    portfolio_to: String,
    files: Vec<FileLine>,
    kinds: Vec<(String, String)>,
    download_base: &'static str,
    upload_action: String,
    t: Typed,
    errors: FieldErrors,
}

async fn render_applicant(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    t: Typed,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let a = state.app.applicant(&actor, id).await?;
    let tr = staff.tr;
    let mut l = Layout::staff(staff, "personnel-applicant");
    l.title = format!("{} · {}", a.reference, l.title);
    let bad = !errors.is_empty();
    let r = html(&ApplicantPage {
        l,
        id: id.to_string(),
        vacancy_id: a.vacancy_id.to_string(),
        reference: a.reference.clone(),
        name: a.name.clone(),
        email: a.email.clone().unwrap_or_default(),
        phone: a.phone.clone().unwrap_or_default(),
        applied_on: a.applied_on.to_string(),
        consent_on: opt_date(a.consent_on),
        portfolio_until: opt_date(a.portfolio_until),
        keep_until: opt_date(a.keep_until),
        portfolio_from: opt_date(a.portfolio_from),
        portfolio_to: opt_date(a.portfolio_to),
        files: file_lines(tr, &a.files),
        kinds: kind_choices(tr, Owner::Applicant),
        download_base: "/personeel/bestanden",
        upload_action: format!("/personeel/sollicitanten/{id}/bestanden"),
        t,
        errors,
    })?;
    Ok(refused(r, bad))
}

pub async fn applicant(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let t = Typed::default().with("consent_on", state.app.clock().today().to_string());
    let errors = FieldErrors::new(staff.tr);
    render_applicant(&state, &staff, id, t, errors).await
}

pub async fn portfolio(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let t = Typed(f);
    staff.check_csrf(t.v("csrf"))?;
    let tr = staff.tr;
    let mut errors = FieldErrors::new(tr);
    let consent_on = date_of(&t, "consent_on", &mut errors, tr);
    let until = date_of(&t, "until", &mut errors, tr);
    if t.v("explicit").is_empty() {
        refuse(&mut errors, tr, "explicit");
    }
    let (Some(consent_on), Some(until), true) = (consent_on, until, errors.is_empty()) else {
        return render_applicant(&state, &staff, id, t, errors).await;
    };
    match state
        .app
        .record_portfolio_consent(&staff.as_actor(), id, &PortfolioInput { consent_on, until })
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/personeel/sollicitanten/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_applicant(&state, &staff, id, t, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn withdraw_portfolio(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    state
        .app
        .withdraw_portfolio_consent(&staff.as_actor(), id)
        .await?;
    Ok(Redirect::to(&format!("/personeel/sollicitanten/{id}")).into_response())
}

/// Reads an upload form: its CSRF token, the kind of document and the file.
async fn read_upload(mut multipart: Multipart) -> Result<(String, FileInput), WebError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge
        } else {
            WebError::Core(CoreError::invalid("file", "the upload could not be read"))
        }
    };
    let mut csrf = String::new();
    let mut input = FileInput::default();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("kind") => input.kind = field.text().await.map_err(unreadable)?,
            Some("file") => {
                input.file_name = field.file_name().unwrap_or_default().to_owned();
                input.media_type = field
                    .content_type()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                input.bytes = field.bytes().await.map_err(unreadable)?.to_vec();
            }
            _ => {}
        }
    }
    Ok((csrf, input))
}

pub async fn upload_applicant_file(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let (csrf, input) = read_upload(multipart).await?;
    staff.check_csrf(&csrf)?;
    match state
        .app
        .add_record_file(&staff.as_actor(), Owner::Applicant, id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/personeel/sollicitanten/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            let mut errors = FieldErrors::new(staff.tr);
            refuse(&mut errors, staff.tr, field);
            let t = Typed::default().with("kind", input.kind);
            render_applicant(&state, &staff, id, t, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

// --- a staff record -----------------------------------------------------------------

#[derive(Template)]
#[template(path = "personnel_staff.html")]
struct StaffPage {
    l: Layout,
    id: String,
    reference: String,
    name: String,
    job_title: String,
    started_on: String,
    left_on: String,
    keep_until: String,
    id_copy_until: String,
    files: Vec<FileLine>,
    kinds: Vec<(String, String)>,
    download_base: &'static str,
    upload_action: String,
    t: Typed,
    errors: FieldErrors,
}

async fn render_staff(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    t: Typed,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let r = state.app.staff_record(&staff.as_actor(), id).await?;
    let tr = staff.tr;
    let mut l = Layout::staff(staff, "personnel-staff-record");
    l.title = format!("{} · {}", r.reference, l.title);
    let bad = !errors.is_empty();
    let page = html(&StaffPage {
        l,
        id: id.to_string(),
        reference: r.reference.clone(),
        name: r.name.clone(),
        job_title: r.job_title.clone().unwrap_or_default(),
        started_on: r.started_on.to_string(),
        left_on: opt_date(r.left_on),
        keep_until: opt_date(r.keep_until),
        id_copy_until: opt_date(r.id_copy_until),
        files: file_lines(tr, &r.files),
        kinds: kind_choices(tr, Owner::StaffRecord),
        download_base: "/personeel/bestanden",
        upload_action: format!("/personeel/medewerkers/{id}/bestanden"),
        t,
        errors,
    })?;
    Ok(refused(page, bad))
}

pub async fn staff_record(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let t = Typed::default().with("left_on", state.app.clock().today().to_string());
    let errors = FieldErrors::new(staff.tr);
    render_staff(&state, &staff, id, t, errors).await
}

pub async fn leaving(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let t = Typed(f);
    staff.check_csrf(t.v("csrf"))?;
    let tr = staff.tr;
    let mut errors = FieldErrors::new(tr);
    let Some(left_on) = date_of(&t, "left_on", &mut errors, tr) else {
        return render_staff(&state, &staff, id, t, errors).await;
    };
    match state
        .app
        .record_leaving(&staff.as_actor(), id, left_on)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/personeel/medewerkers/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_staff(&state, &staff, id, t, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn upload_staff_file(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let (csrf, input) = read_upload(multipart).await?;
    staff.check_csrf(&csrf)?;
    match state
        .app
        .add_record_file(&staff.as_actor(), Owner::StaffRecord, id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/personeel/medewerkers/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            let mut errors = FieldErrors::new(staff.tr);
            refuse(&mut errors, staff.tr, field);
            let t = Typed::default().with("kind", input.kind);
            render_staff(&state, &staff, id, t, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A document: a recorded export (RET-2).
pub async fn download(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let file = state.app.record_file(&staff.as_actor(), id).await?;
    Ok(crate::disposition::record_file(file))
}

// --- financial records --------------------------------------------------------------

pub struct FinancialLine {
    pub id: String,
    pub reference: String,
    pub booked_on: String,
    pub description: String,
    pub party: String,
    pub amount: String,
    pub keep_until: String,
}

#[derive(Template)]
#[template(path = "finance.html")]
struct FinancePage {
    l: Layout,
    records: Vec<FinancialLine>,
    t: Typed,
    errors: FieldErrors,
}

async fn render_finance(
    state: &AppState,
    staff: &CurrentStaff,
    t: Typed,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let records = state.app.financial_records(&staff.as_actor()).await?;
    let bad = !errors.is_empty();
    let r = html(&FinancePage {
        l: Layout::staff(staff, "finance-title"),
        records: records
            .iter()
            .map(|r| FinancialLine {
                id: r.id.to_string(),
                reference: r.reference.clone(),
                booked_on: r.booked_on.to_string(),
                description: r.description.clone(),
                party: r.party.clone().unwrap_or_default(),
                amount: r.amount.clone().unwrap_or_default(),
                keep_until: r.keep_until.to_string(),
            })
            .collect(),
        t,
        errors,
    })?;
    Ok(refused(r, bad))
}

pub async fn finance(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let t = Typed::default().with("booked_on", state.app.clock().today().to_string());
    let errors = FieldErrors::new(staff.tr);
    render_finance(&state, &staff, t, errors).await
}

pub async fn create_financial(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let t = Typed(f);
    staff.check_csrf(t.v("csrf"))?;
    let tr = staff.tr;
    let today = state.app.clock().today();
    let mut errors = FieldErrors::new(tr);
    let booked_on = date_of(&t, "booked_on", &mut errors, tr);
    let input = FinancialInput {
        booked_on: booked_on.unwrap_or(today),
        description: t.v("description").to_owned(),
        party: t.v("party").to_owned(),
        amount: t.v("amount").to_owned(),
    };
    for (field, _) in financial_problems(&input, today) {
        refuse(&mut errors, tr, field);
    }
    if !errors.is_empty() {
        return render_finance(&state, &staff, t, errors).await;
    }
    match state
        .app
        .create_financial_record(&staff.as_actor(), &input)
        .await
    {
        Ok((id, _)) => Ok(Redirect::to(&format!("/financien/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            refuse(&mut errors, tr, field);
            render_finance(&state, &staff, t, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "finance_record.html")]
struct FinancialPage {
    l: Layout,
    reference: String,
    booked_on: String,
    description: String,
    party: String,
    amount: String,
    keep_until: String,
    files: Vec<FileLine>,
    kinds: Vec<(String, String)>,
    download_base: &'static str,
    upload_action: String,
    t: Typed,
    errors: FieldErrors,
}

async fn render_financial(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    t: Typed,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let r = state.app.financial_record(&staff.as_actor(), id).await?;
    let tr = staff.tr;
    let mut l = Layout::staff(staff, "finance-record");
    l.title = format!("{} · {}", r.reference, l.title);
    let bad = !errors.is_empty();
    let page = html(&FinancialPage {
        l,
        reference: r.reference.clone(),
        booked_on: r.booked_on.to_string(),
        description: r.description.clone(),
        party: r.party.clone().unwrap_or_default(),
        amount: r.amount.clone().unwrap_or_default(),
        keep_until: r.keep_until.to_string(),
        files: file_lines(tr, &r.files),
        kinds: kind_choices(tr, Owner::FinancialRecord),
        download_base: "/financien/bestanden",
        upload_action: format!("/financien/{id}/bestanden"),
        t,
        errors,
    })?;
    Ok(refused(page, bad))
}

pub async fn financial_record(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let errors = FieldErrors::new(staff.tr);
    render_financial(&state, &staff, id, Typed::default(), errors).await
}

pub async fn upload_financial_file(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let (csrf, input) = read_upload(multipart).await?;
    staff.check_csrf(&csrf)?;
    match state
        .app
        .add_record_file(&staff.as_actor(), Owner::FinancialRecord, id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/financien/{id}")).into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            let mut errors = FieldErrors::new(staff.tr);
            refuse(&mut errors, staff.tr, field);
            render_financial(&state, &staff, id, Typed::default(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}
