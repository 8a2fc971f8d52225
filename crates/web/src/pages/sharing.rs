//! Sharing in the staff web app (SHR-1..4): the register of outside organisations with
//! the processors' agreements (kept by the privacy officer, read by all staff), a
//! trajectory's disclosures with the form to record one, one disclosure with its package
//! (PDF and JSON), the notice to the client, and the privacy officer's queue and review.
//! Everything goes through the core's gate; refused input is shown field by field with
//! what was typed, and nothing is recorded.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::disclosures::{
    ClientNotice, DisclosureChoices, DisclosureInput, DisclosureLine, DisclosureProblem,
    DisclosureView, Ground, NOTICE_CHANNELS, disclosure_problems,
};
use zv_core::portability::RecipientProblem;
use zv_core::recipients::{
    AgreementInput, AgreementStanding, RecipientInput, RecipientKind, RecipientView,
    RegisterProblem, agreement_input_problems, recipient_input_problems,
};
use zv_domain::{EntryId, Role, TrajectoryId};

use super::{Layout, forms, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register/ontvangers", get(register).post(add_recipient))
        .route(
            "/register/ontvangers/{id}",
            get(recipient_page).post(update_recipient),
        )
        .route("/register/ontvangers/{id}/uit-gebruik", post(retire))
        .route(
            "/register/ontvangers/{id}/verwerkersovereenkomsten",
            post(add_agreement),
        )
        .route(
            "/trajecten/{id}/verstrekkingen",
            get(trajectory_page).post(record),
        )
        .route("/verstrekkingen/{id}", get(disclosure_page))
        .route("/verstrekkingen/{id}/pakket.pdf", get(package_pdf))
        .route("/verstrekkingen/{id}/pakket.json", get(package_json))
        .route("/verstrekkingen/{id}/brief.pdf", get(notice_letter))
        .route("/verstrekkingen/{id}/melding", post(notice))
        .route("/verstrekkingen/{id}/beoordeling", post(review))
        .route("/privacy/verstrekkingen", get(queue))
}

// ---------------------------------------------------------------------------------------
// Labels

pub(crate) fn kind_label(tr: Tr, kind: &str) -> String {
    tr.t(&format!("share-kind-{}", kind.replace('_', "-")))
}

pub(crate) fn ground_label(tr: Tr, g: Ground) -> String {
    tr.t(&format!("share-ground-{}", g.code().replace('_', "-")))
}

fn notice_label(tr: Tr, l: &DisclosureLine) -> String {
    match (l.client_notice, l.safety_review.as_deref()) {
        (ClientNotice::NotNeeded, _) => tr.t("share-notice-not-needed"),
        (ClientNotice::Due, _) => tr.t("share-notice-due"),
        (ClientNotice::Given, _) => tr.t1(
            "share-notice-given",
            "on",
            &l.notice_given_on.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (ClientNotice::WithheldForSafety, Some("upheld")) => tr.t("share-notice-safety-upheld"),
        (ClientNotice::WithheldForSafety, _) => tr.t("share-notice-safety-pending"),
    }
}

fn standing_label(tr: Tr, r: &RecipientView) -> String {
    if !r.in_eea {
        return tr.t("share-standing-outside-eea");
    }
    if r.retired {
        return tr.t("share-standing-retired");
    }
    match r.agreement {
        AgreementStanding::NotNeeded => {
            if r.kind == RecipientKind::ResearchInstitute {
                tr.t("share-standing-research")
            } else {
                tr.t("share-standing-usable")
            }
        }
        AgreementStanding::InForce => tr.t("share-standing-agreement"),
        AgreementStanding::EndingSoon => tr.t1(
            "share-standing-ending",
            "on",
            &r.agreement_ends_on
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
        AgreementStanding::Missing => tr.t("share-standing-no-agreement"),
    }
}

fn register_problem(tr: Tr, p: RegisterProblem) -> String {
    tr.t(match p {
        RegisterProblem::Recipient(RecipientProblem::NameMissing) => "port-error-name-missing",
        RegisterProblem::Recipient(RecipientProblem::NameTooLong) => "port-error-name-too-long",
        RegisterProblem::Recipient(RecipientProblem::CountryMissing) => {
            "port-error-country-missing"
        }
        RegisterProblem::Recipient(RecipientProblem::CountryNotACode) => "port-error-country-code",
        RegisterProblem::Recipient(RecipientProblem::CountryOutsideEea) => "port-error-country-eea",
        RegisterProblem::KindUnknown => "share-error-kind",
        RegisterProblem::ContactTooLong => "share-error-contact",
        RegisterProblem::ReferenceMissing => "share-error-reference-missing",
        RegisterProblem::ReferenceTooLong => "share-error-reference-long",
        RegisterProblem::SignedInFuture => "share-error-signed-future",
        RegisterProblem::EndsBeforeStart => "share-error-ends-before",
    })
}

fn disclosure_problem(tr: Tr, p: DisclosureProblem) -> String {
    tr.t(match p {
        DisclosureProblem::RecipientMissing => "share-error-recipient",
        DisclosureProblem::GroundUnknown => "share-error-ground",
        DisclosureProblem::LawMissing => "share-error-law",
        DisclosureProblem::LawTooLong => "share-error-law-long",
        DisclosureProblem::ReasonMissing => "share-error-reason",
        DisclosureProblem::ReasonTooLong | DisclosureProblem::SafetyReasonTooLong => {
            "share-error-too-long"
        }
        DisclosureProblem::NothingChosen => "share-error-nothing",
        DisclosureProblem::InFuture => "share-error-future",
        DisclosureProblem::SafetyReasonWithConsent => "share-error-safety-consent",
    })
}

/// A refusal of the core after the form's own checks passed: the recipient cannot
/// receive data, there is no consent in force, an entry is not of this trajectory.
fn core_refusal(tr: Tr, e: &CoreError) -> Option<(&'static str, String)> {
    match e {
        CoreError::Invalid { field, .. } => Some((
            field,
            tr.t(match *field {
                "recipient" => "share-error-recipient-unusable",
                "ground" => "share-error-no-consent",
                "disclosed_on" => "share-error-before-opened",
                "entries" => "share-error-entries",
                _ => "invalid-generic",
            }),
        )),
        CoreError::Frozen => Some(("_form", tr.t("share-error-frozen"))),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// The register

struct RecipientRow {
    id: String,
    name: String,
    country: String,
    kind: String,
    standing: String,
    warn: bool,
    retired: bool,
}

fn recipient_row(tr: Tr, r: &RecipientView) -> RecipientRow {
    RecipientRow {
        id: r.id.to_string(),
        name: r.name.clone(),
        country: r.country.clone(),
        kind: kind_label(tr, r.kind.code()),
        standing: standing_label(tr, r),
        warn: !r.usable
            || matches!(
                r.agreement,
                AgreementStanding::EndingSoon | AgreementStanding::Missing
            ),
        retired: r.retired,
    }
}

#[derive(Default, Deserialize)]
pub struct RecipientForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    contact: String,
}

#[derive(Default)]
struct RecipientErrors {
    name: Option<String>,
    country: Option<String>,
    kind: Option<String>,
    contact: Option<String>,
}

impl RecipientErrors {
    fn of(tr: Tr, problems: &[(&'static str, RegisterProblem)]) -> Self {
        let mut e = Self::default();
        for (field, p) in problems {
            let msg = Some(register_problem(tr, *p));
            match *field {
                "name" => e.name = msg,
                "country" => e.country = msg,
                "kind" => e.kind = msg,
                _ => e.contact = msg,
            }
        }
        e
    }

    const fn any(&self) -> bool {
        self.name.is_some()
            || self.country.is_some()
            || self.kind.is_some()
            || self.contact.is_some()
    }
}

struct KindOption {
    code: &'static str,
    label: String,
}

fn kind_options(tr: Tr) -> Vec<KindOption> {
    RecipientKind::ALL
        .iter()
        .map(|k| KindOption {
            code: k.code(),
            label: kind_label(tr, k.code()),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "recipients.html")]
struct RegisterPage {
    l: Layout,
    rows: Vec<RecipientRow>,
    keeper: bool,
    kinds: Vec<KindOption>,
    f: RecipientForm,
    e: RecipientErrors,
}

fn is_privacy_officer(staff: &CurrentStaff) -> bool {
    staff.actor.roles.contains(&Role::PrivacyOfficer)
}

async fn render_register(
    state: &AppState,
    staff: &CurrentStaff,
    f: RecipientForm,
    e: RecipientErrors,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let list = state.app.recipients(&staff.as_actor()).await?;
    let refused = e.any();
    let mut r = html(&RegisterPage {
        l: Layout::staff(staff, "share-register-title"),
        rows: list.iter().map(|v| recipient_row(tr, v)).collect(),
        keeper: is_privacy_officer(staff),
        kinds: kind_options(tr),
        f,
        e,
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn register(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    render_register(
        &state,
        &staff,
        RecipientForm::default(),
        RecipientErrors::default(),
    )
    .await
}

fn recipient_input(f: &RecipientForm) -> RecipientInput {
    RecipientInput {
        name: f.name.clone(),
        country: f.country.clone(),
        kind: f.kind.clone(),
        contact: forms::text_opt(&f.contact).map(str::to_owned),
    }
}

pub async fn add_recipient(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<RecipientForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let input = recipient_input(&f);
    let problems = recipient_input_problems(&input);
    if !problems.is_empty() {
        let e = RecipientErrors::of(staff.tr, &problems);
        return render_register(&state, &staff, f, e).await;
    }
    let id = state.app.add_recipient(&staff.as_actor(), input).await?;
    Ok(Redirect::to(&format!("/register/ontvangers/{id}")).into_response())
}

struct AgreementRowView {
    reference: String,
    signed_on: String,
    period: String,
    in_force: bool,
}

#[derive(Default, Deserialize)]
pub struct AgreementForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    signed_on: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_until: String,
}

#[derive(Default)]
struct AgreementErrors {
    reference: Option<String>,
    signed_on: Option<String>,
    valid_from: Option<String>,
    valid_until: Option<String>,
}

impl AgreementErrors {
    const fn any(&self) -> bool {
        self.reference.is_some()
            || self.signed_on.is_some()
            || self.valid_from.is_some()
            || self.valid_until.is_some()
    }
}

#[derive(Template)]
#[template(path = "recipient.html")]
struct RecipientPage {
    l: Layout,
    id: String,
    row: RecipientRow,
    processor: bool,
    keeper: bool,
    kinds: Vec<KindOption>,
    f: RecipientForm,
    e: RecipientErrors,
    agreements: Vec<AgreementRowView>,
    a: AgreementForm,
    ae: AgreementErrors,
}

async fn render_recipient(
    state: &AppState,
    staff: &CurrentStaff,
    id: uuid::Uuid,
    f: Option<RecipientForm>,
    e: RecipientErrors,
    a: AgreementForm,
    ae: AgreementErrors,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let v = state.app.recipient(&staff.as_actor(), id).await?;
    let refused = e.any() || ae.any();
    let f = f.unwrap_or_else(|| RecipientForm {
        name: v.name.clone(),
        country: v.country.clone(),
        kind: v.kind.code().to_owned(),
        contact: v.contact.clone().unwrap_or_default(),
        ..RecipientForm::default()
    });
    let mut l = Layout::staff(staff, "share-recipient-title");
    l.title = format!("{}: {}", l.title, v.name);
    let mut r = html(&RecipientPage {
        l,
        id: id.to_string(),
        row: recipient_row(tr, &v),
        processor: v.kind == RecipientKind::Processor,
        keeper: is_privacy_officer(staff) && !v.retired,
        kinds: kind_options(tr),
        f,
        e,
        agreements: v
            .agreements
            .iter()
            .map(|a| AgreementRowView {
                reference: a.reference.clone(),
                signed_on: a.signed_on.to_string(),
                period: match a.valid_until {
                    Some(u) => format!("{} – {u}", a.valid_from),
                    None => format!("{} –", a.valid_from),
                },
                in_force: a.in_force,
            })
            .collect(),
        a,
        ae,
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn recipient_page(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    render_recipient(
        &state,
        &staff,
        id,
        None,
        RecipientErrors::default(),
        AgreementForm::default(),
        AgreementErrors::default(),
    )
    .await
}

pub async fn update_recipient(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<RecipientForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let input = recipient_input(&f);
    let problems = recipient_input_problems(&input);
    if !problems.is_empty() {
        let e = RecipientErrors::of(staff.tr, &problems);
        return render_recipient(
            &state,
            &staff,
            id,
            Some(f),
            e,
            AgreementForm::default(),
            AgreementErrors::default(),
        )
        .await;
    }
    state
        .app
        .update_recipient(&staff.as_actor(), id, input)
        .await?;
    Ok(Redirect::to(&format!("/register/ontvangers/{id}")).into_response())
}

pub async fn retire(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    state.app.retire_recipient(&staff.as_actor(), id).await?;
    Ok(Redirect::to(&format!("/register/ontvangers/{id}")).into_response())
}

pub async fn add_agreement(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(a): Form<AgreementForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&a.csrf)?;
    let id = forms::uuid_of(&id)?;
    let tr = staff.tr;
    let mut ae = AgreementErrors::default();
    let signed_on = forms::date("signed_on", &a.signed_on).ok();
    let valid_from = forms::date("valid_from", &a.valid_from).ok();
    let valid_until = forms::date_opt("valid_until", &a.valid_until);
    if signed_on.is_none() {
        ae.signed_on = Some(tr.t("share-error-date"));
    }
    if valid_from.is_none() {
        ae.valid_from = Some(tr.t("share-error-date"));
    }
    if valid_until.is_err() {
        ae.valid_until = Some(tr.t("share-error-date"));
    }
    let input = match (signed_on, valid_from, valid_until) {
        (Some(signed_on), Some(valid_from), Ok(valid_until)) => {
            let input = AgreementInput {
                reference: a.reference.clone(),
                signed_on,
                valid_from,
                valid_until,
            };
            for (field, p) in agreement_input_problems(&input, state.app.clock().today()) {
                let msg = Some(register_problem(tr, p));
                match field {
                    "reference" => ae.reference = msg,
                    "signed_on" => ae.signed_on = msg,
                    _ => ae.valid_until = msg,
                }
            }
            Some(input)
        }
        _ => {
            if a.reference.trim().is_empty() {
                ae.reference = Some(register_problem(tr, RegisterProblem::ReferenceMissing));
            }
            None
        }
    };
    if let (Some(input), false) = (input, ae.any()) {
        state
            .app
            .add_agreement(&staff.as_actor(), id, input)
            .await?;
        return Ok(
            Redirect::to(&format!("/register/ontvangers/{id}#overeenkomsten")).into_response(),
        );
    }
    render_recipient(&state, &staff, id, None, RecipientErrors::default(), a, ae).await
}

// ---------------------------------------------------------------------------------------
// A trajectory's disclosures

struct LineView {
    id: String,
    on: String,
    recipient: String,
    ground: String,
    what: String,
    notice: String,
    notice_due: bool,
}

fn what_label(tr: Tr, l: &DisclosureLine) -> String {
    match (l.entry_count, l.with_summary) {
        (0, _) => tr.t("share-what-summary"),
        (n, false) => tr.t1("share-what-entries", "count", &n),
        (n, true) => tr.t1("share-what-both", "count", &n),
    }
}

fn line_view(tr: Tr, l: &DisclosureLine) -> LineView {
    LineView {
        id: l.id.to_string(),
        on: l.disclosed_on.to_string(),
        recipient: format!("{} ({})", l.recipient_name, l.recipient_country),
        ground: match &l.law {
            Some(law) => format!("{}: {law}", ground_label(tr, l.ground)),
            None => ground_label(tr, l.ground),
        },
        what: what_label(tr, l),
        notice: notice_label(tr, l),
        notice_due: l.client_notice == ClientNotice::Due,
    }
}

/// The disclosure form as typed; the entries are check boxes, so it comes as pairs.
#[derive(Default)]
struct DisclosureForm {
    recipient: String,
    ground: String,
    law: String,
    reason: String,
    entry: Vec<String>,
    summary: bool,
    disclosed_on: String,
    safety_reason: String,
}

impl DisclosureForm {
    fn of(f: &forms::Fields) -> Self {
        Self {
            recipient: f.one("recipient").to_owned(),
            ground: f.one("ground").to_owned(),
            law: f.one("law").to_owned(),
            reason: f.one("reason").to_owned(),
            entry: f.all("entry"),
            summary: !f.one("summary").is_empty(),
            disclosed_on: f.one("disclosed_on").to_owned(),
            safety_reason: f.one("safety_reason").to_owned(),
        }
    }
}

#[derive(Default)]
struct DisclosureErrors {
    recipient: Option<String>,
    ground: Option<String>,
    law: Option<String>,
    reason: Option<String>,
    entries: Option<String>,
    disclosed_on: Option<String>,
    safety_reason: Option<String>,
    general: Option<String>,
}

impl DisclosureErrors {
    fn set(&mut self, field: &str, msg: String) {
        let slot = match field {
            "recipient" => &mut self.recipient,
            "ground" => &mut self.ground,
            "law" => &mut self.law,
            "reason" => &mut self.reason,
            "entries" => &mut self.entries,
            "disclosed_on" => &mut self.disclosed_on,
            "safety_reason" => &mut self.safety_reason,
            _ => &mut self.general,
        };
        if slot.is_none() {
            *slot = Some(msg);
        }
    }

    const fn any(&self) -> bool {
        self.recipient.is_some()
            || self.ground.is_some()
            || self.law.is_some()
            || self.reason.is_some()
            || self.entries.is_some()
            || self.disclosed_on.is_some()
            || self.safety_reason.is_some()
            || self.general.is_some()
    }
}

struct EntryOption {
    id: String,
    label: String,
    checked: bool,
}

struct RecipientOption {
    id: String,
    label: String,
    selected: bool,
}

struct GroundOption {
    code: &'static str,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "disclosures.html")]
struct TrajectoryPage {
    l: Layout,
    trajectory: String,
    frozen: bool,
    lines: Vec<LineView>,
    entries: Vec<EntryOption>,
    recipients: Vec<RecipientOption>,
    grounds: Vec<GroundOption>,
    f: DisclosureForm,
    summary_checked: bool,
    e: DisclosureErrors,
    today: String,
}

fn render_trajectory(
    staff: &CurrentStaff,
    c: &DisclosureChoices,
    f: DisclosureForm,
    e: DisclosureErrors,
    today: &str,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let refused = e.any();
    let mut l = Layout::staff(staff, "share-trajectory-title");
    l.title = format!("{}: {}", l.title, c.service_name);
    let mut r = html(&TrajectoryPage {
        l,
        trajectory: c.trajectory.to_string(),
        frozen: c.frozen,
        lines: c.disclosures.iter().map(|d| line_view(tr, d)).collect(),
        entries: c
            .entries
            .iter()
            .map(|en| EntryOption {
                id: en.id.to_string(),
                label: format!(
                    "{} · {} · {}",
                    en.written_on,
                    tr.t(&format!("kind-{}", en.kind.code().replace('_', "-"))),
                    en.title
                ),
                checked: f.entry.iter().any(|x| *x == en.id.to_string()),
            })
            .collect(),
        recipients: c
            .recipients
            .iter()
            .map(|r| RecipientOption {
                id: r.id.to_string(),
                label: format!(
                    "{} ({}) · {}",
                    r.name,
                    r.country,
                    kind_label(tr, r.kind.code())
                ),
                selected: f.recipient == r.id.to_string(),
            })
            .collect(),
        grounds: Ground::ALL
            .iter()
            .map(|g| GroundOption {
                code: g.code(),
                label: ground_label(tr, *g),
                checked: f.ground == g.code(),
            })
            .collect(),
        summary_checked: f.summary,
        f,
        e,
        today: today.to_owned(),
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn trajectory_page(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = TrajectoryId::from_uuid(forms::uuid_of(&id)?);
    let c = state.app.disclosure_choices(&staff.as_actor(), id).await?;
    let today = state.app.clock().today().to_string();
    render_trajectory(
        &staff,
        &c,
        DisclosureForm::default(),
        DisclosureErrors::default(),
        &today,
    )
}

/// Records a disclosure; every refused field is shown at once, with what was typed.
pub async fn record(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let fields = forms::Fields(pairs);
    staff.check_csrf(fields.one("csrf"))?;
    let f = DisclosureForm::of(&fields);
    let trajectory = TrajectoryId::from_uuid(forms::uuid_of(&id)?);
    let tr = staff.tr;
    let actor = staff.as_actor();
    let today = state.app.clock().today();
    let mut e = DisclosureErrors::default();
    let recipient = forms::text_opt(&f.recipient).and_then(|r| r.parse::<uuid::Uuid>().ok());
    let disclosed_on = match forms::date_opt("disclosed_on", &f.disclosed_on) {
        Ok(d) => d,
        Err(_) => {
            e.set("disclosed_on", tr.t("share-error-date"));
            None
        }
    };
    let mut entries = Vec::with_capacity(f.entry.len());
    for raw in &f.entry {
        match raw.parse::<uuid::Uuid>() {
            Ok(u) => entries.push(EntryId::from_uuid(u)),
            Err(_) => e.set("entries", tr.t("share-error-entries")),
        }
    }
    let input = DisclosureInput {
        recipient,
        ground: f.ground.clone(),
        law: forms::text_opt(&f.law).map(str::to_owned),
        reason: forms::text_opt(&f.reason).map(str::to_owned),
        entries,
        summary: f.summary,
        disclosed_on,
        safety_reason: forms::text_opt(&f.safety_reason).map(str::to_owned),
    };
    for (field, p) in disclosure_problems(&input, today) {
        e.set(field, disclosure_problem(tr, p));
    }
    if !e.any() {
        match state.app.record_disclosure(&actor, trajectory, input).await {
            Ok(id) => return Ok(Redirect::to(&format!("/verstrekkingen/{id}")).into_response()),
            Err(err) => match core_refusal(tr, &err) {
                Some((field, msg)) => e.set(field, msg),
                None => return Err(err.into()),
            },
        }
    }
    let c = state.app.disclosure_choices(&actor, trajectory).await?;
    render_trajectory(&staff, &c, f, e, &today.to_string())
}

// ---------------------------------------------------------------------------------------
// One disclosure

struct PackageEntry {
    heading: String,
    written_on: String,
    body: String,
}

struct ChannelOption {
    code: &'static str,
    label: String,
}

#[derive(Template)]
#[template(path = "disclosure.html")]
struct DisclosurePage {
    l: Layout,
    id: String,
    trajectory: String,
    client_name: String,
    line: LineView,
    reason: Option<String>,
    safety_reason: Option<String>,
    summary: Option<String>,
    goals: Vec<(String, String)>,
    entries: Vec<PackageEntry>,
    may_record_notice: bool,
    may_review: bool,
    channels: Vec<ChannelOption>,
    notice_error: Option<String>,
    today: String,
}

fn render_disclosure(
    state: &AppState,
    staff: &CurrentStaff,
    v: &DisclosureView,
    notice_error: Option<String>,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let p = &v.package;
    let refused = notice_error.is_some();
    let mut r = html(&DisclosurePage {
        l: Layout::staff(staff, "share-disclosure-title"),
        id: v.line.id.to_string(),
        trajectory: v.line.trajectory.to_string(),
        client_name: v.client_name.clone(),
        line: line_view(tr, &v.line),
        reason: v.reason.clone(),
        safety_reason: v.safety_reason.clone(),
        summary: p.summary.as_ref().map(|s| match &s.closed_on {
            Some(c) => format!("{}, {} – {c}", s.service, s.opened_on),
            None => format!("{}, {} –", s.service, s.opened_on),
        }),
        goals: p
            .summary
            .iter()
            .flat_map(|s| s.goals.iter())
            .map(|g| {
                (
                    g.title.clone(),
                    g.progress
                        .map_or_else(|| "–".to_owned(), |p| format!("{p}%")),
                )
            })
            .collect(),
        entries: p
            .entries
            .iter()
            .map(|en| PackageEntry {
                heading: format!(
                    "{}: {}",
                    tr.t(&format!("kind-{}", en.kind.replace('_', "-"))),
                    en.title
                ),
                written_on: en.written_on.clone(),
                body: en.body.clone(),
            })
            .collect(),
        may_record_notice: v.may_record_notice,
        may_review: v.may_review,
        channels: NOTICE_CHANNELS
            .iter()
            .map(|c| ChannelOption {
                code: c,
                label: tr.t(&format!("share-channel-{}", c.replace('_', "-"))),
            })
            .collect(),
        notice_error,
        today: state.app.clock().today().to_string(),
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn disclosure_page(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let v = state.app.disclosure(&staff.as_actor(), id).await?;
    render_disclosure(&state, &staff, &v, None)
}

async fn package(
    state: &AppState,
    staff: &CurrentStaff,
    id: &str,
    pdf: bool,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(id)?;
    let f = state
        .app
        .disclosure_package(&staff.as_actor(), id, pdf)
        .await?;
    Ok(crate::api::sharing::file_response(
        &f.file_name,
        f.media_type,
        f.bytes.to_vec(),
    ))
}

pub async fn package_pdf(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    package(&state, &staff, &id, true).await
}

pub async fn package_json(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    package(&state, &staff, &id, false).await
}

/// The letter telling the client of the disclosure, in Dutch or (`?taal=en`) English.
pub async fn notice_letter(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<crate::pages::requests::LetterQuery>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let language = crate::pages::requests::letter_language(q.taal())?;
    let f = state
        .app
        .disclosure_notice_letter(&staff.as_actor(), id, language)
        .await?;
    Ok(crate::api::sharing::file_response(
        &f.file_name,
        f.media_type,
        f.bytes.to_vec(),
    ))
}

#[derive(Deserialize)]
pub struct NoticeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    given_on: String,
    #[serde(default)]
    channel: String,
}

pub async fn notice(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<NoticeForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let tr = staff.tr;
    let actor = staff.as_actor();
    let error = match forms::date("given_on", &f.given_on) {
        Err(_) => Some(tr.t("share-error-date")),
        Ok(on) => match state
            .app
            .record_disclosure_notice(&actor, id, on, &f.channel)
            .await
        {
            Ok(()) => {
                return Ok(Redirect::to(&format!("/verstrekkingen/{id}")).into_response());
            }
            Err(CoreError::Invalid { field, .. }) => Some(tr.t(if field == "channel" {
                "share-error-channel"
            } else {
                "share-error-future"
            })),
            Err(e) => return Err(e.into()),
        },
    };
    let v = state.app.disclosure(&actor, id).await?;
    render_disclosure(&state, &staff, &v, error)
}

#[derive(Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
}

pub async fn review(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = forms::uuid_of(&id)?;
    let upheld = match f.outcome.as_str() {
        "upheld" => true,
        "overruled" => false,
        _ => {
            let v = state.app.disclosure(&staff.as_actor(), id).await?;
            return render_disclosure(&state, &staff, &v, Some(staff.tr.t("share-error-review")));
        }
    };
    state
        .app
        .review_disclosure_safety(&staff.as_actor(), id, upheld)
        .await?;
    Ok(Redirect::to("/privacy/verstrekkingen").into_response())
}

// ---------------------------------------------------------------------------------------
// The privacy officer's queue

#[derive(Template)]
#[template(path = "disclosure_queue.html")]
struct QueuePage {
    l: Layout,
    /// Anchor, heading and lines: the notices due, then the safety reasons to review.
    sections: Vec<(&'static str, String, Vec<LineView>)>,
    agreements: Vec<RecipientRow>,
}

pub async fn queue(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let actor = staff.as_actor();
    let q = state.app.disclosure_queue(&actor).await?;
    let agreements = state.app.agreements_needing_attention(&actor).await?;
    html(&QueuePage {
        l: Layout::staff(&staff, "share-queue-title"),
        sections: vec![
            (
                "melden",
                tr.t("share-queue-notices"),
                q.notices_due.iter().map(|d| line_view(tr, d)).collect(),
            ),
            (
                "beoordelen",
                tr.t("share-queue-reviews"),
                q.safety_reviews.iter().map(|d| line_view(tr, d)).collect(),
            ),
        ],
        agreements: agreements.iter().map(|r| recipient_row(tr, r)).collect(),
    })
}
