//! Intake: registering a new client with their first trajectory, the registering worker
//! assigned to it. Every field is checked at once and refusals are shown per field.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::clients::NewClientInput;
use zv_core::trajectories::TrajectoryInput;
use zv_domain::{Address, BirthDate, Email, Gender, PersonName, Phone};

use super::forms::{self, FieldErrors};
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

pub const GENDERS: [&str; 4] = ["female", "male", "non_binary", "unknown"];

/// What the intake form held, kept when it is refused.
#[derive(Default, Deserialize)]
pub struct IntakeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    confidential_address: Option<String>,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub service_type: String,
    pub domestic_violence: Option<String>,
    #[serde(default)]
    pub opened_on: String,
    /// The municipality the help is for, where the branch serves several (SHR-5).
    #[serde(default)]
    pub municipality: String,
    /// The privacy statement handed over at intake (ORG-3).
    statement_given: Option<String>,
    privacy_card_given: Option<String>,
    #[serde(default)]
    statement_given_on: String,
}

#[derive(Template)]
#[template(path = "intake.html")]
struct IntakePage {
    l: Layout,
    f: IntakeForm,
    errors: FieldErrors,
    teams: Vec<(String, String)>,
    service_types: Vec<(String, String)>,
    municipalities: MunicipalityChoices,
    genders: Vec<(String, String)>,
    /// The current privacy statement's version, and whether a privacy card goes with it.
    statement_version: String,
    has_card: bool,
    statement_errors: super::statement_receipts::StatementErrors,
}

/// Options of a select: value and label.
pub type Choices = Vec<(String, String)>;

/// The teams and service types of the policy, as choices in the user's language.
pub fn choices(state: &AppState, tr: Tr) -> (Choices, Choices) {
    let policy = state.app.policy();
    let teams = policy
        .teams()
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    let services = policy
        .service_types()
        .iter()
        .map(|s| {
            let name = match tr.lang {
                crate::i18n::Lang::Nl => &s.name_nl,
                crate::i18n::Lang::En => &s.name_en,
            };
            (s.code.clone(), name.clone())
        })
        .collect();
    (teams, services)
}

/// Per branch that serves more than one municipality: its name and its municipalities,
/// for the choice of the municipality a trajectory is for (SHR-5). Empty where every
/// branch serves one, and the field is then not shown.
pub type MunicipalityChoices = Vec<(String, Vec<String>)>;

pub fn municipality_choices(state: &AppState) -> MunicipalityChoices {
    state
        .app
        .policy()
        .branches()
        .iter()
        .filter(|b| b.municipalities.len() > 1)
        .map(|b| (b.name.clone(), b.municipalities.clone()))
        .collect()
}

fn render(
    state: &AppState,
    staff: &CurrentStaff,
    mut f: IntakeForm,
    errors: FieldErrors,
    statement_errors: super::statement_receipts::StatementErrors,
) -> Result<Response, WebError> {
    if f.opened_on.is_empty() {
        f.opened_on = state.app.clock().today().to_string();
    }
    if f.statement_given_on.is_empty() {
        f.statement_given_on = state.app.clock().today().to_string();
    }
    let tr = staff.tr;
    let (teams, service_types) = choices(state, tr);
    let organisation = state.app.policy().organisation();
    let status = if errors.is_empty() && statement_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = html(&IntakePage {
        l: Layout::staff(staff, "title-intake"),
        f,
        errors,
        teams,
        service_types,
        municipalities: municipality_choices(state),
        genders: GENDERS
            .iter()
            .map(|g| {
                (
                    (*g).to_owned(),
                    tr.t(&format!("gender-{}", g.replace('_', "-"))),
                )
            })
            .collect(),
        statement_version: organisation.statement_version.clone(),
        has_card: organisation.privacy_card,
        statement_errors,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn form(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    // What the organisation hands out at intake is ticked (ORG-3); the worker unticks
    // what was not given.
    let fresh = super::statement_receipts::fresh_form(
        &state,
        state.app.policy().organisation().privacy_card,
    );
    render(
        &state,
        &staff,
        IntakeForm {
            statement_given: fresh.statement_given,
            privacy_card_given: fresh.privacy_card_given,
            statement_given_on: fresh.given_on,
            ..IntakeForm::default()
        },
        FieldErrors::new(staff.tr),
        super::statement_receipts::StatementErrors::default(),
    )
}

/// The trajectory part of a form (intake, or a further trajectory on the client page).
pub fn trajectory_input(
    state: &AppState,
    errors: &mut FieldErrors,
    team: &str,
    service_type: &str,
    domestic_violence: &Option<String>,
    opened_on: &str,
    municipality: &str,
) -> Option<TrajectoryInput> {
    let policy = state.app.policy();
    let team = errors.check(
        policy
            .team(team)
            .map(|t| t.code.clone())
            .ok_or_else(|| CoreError::invalid("team", "unknown team")),
    );
    let service = errors.check(
        policy
            .service_type(service_type)
            .map(|s| s.code.clone())
            .ok_or_else(|| CoreError::invalid("service_type", "unknown service type")),
    );
    let opened_on = errors.check(forms::date("opened_on", opened_on));
    Some(TrajectoryInput {
        service_type: service?,
        team: team?,
        domestic_violence: forms::checked(domestic_violence),
        opened_on: opened_on?,
        municipality: Some(municipality.trim().to_owned()).filter(|m| !m.is_empty()),
    })
}

pub async fn register(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<IntakeForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let today = state.app.clock().today();
    let mut errors = FieldErrors::new(staff.tr);
    let name = errors.check(PersonName::parse(&f.name).map_err(CoreError::field("name")));
    let birth_date = errors.check(
        BirthDate::parse(f.birth_date.trim(), today).map_err(CoreError::field("birth_date")),
    );
    let gender = errors.check(Gender::parse(&f.gender).map_err(CoreError::field("gender")));
    let address = errors.check(forms::optional("address", &f.address, Address::parse));
    let phone = errors.check(forms::optional("phone", &f.phone, Phone::parse));
    let email = errors.check(forms::optional("email", &f.email, Email::parse));
    let first = trajectory_input(
        &state,
        &mut errors,
        &f.team,
        &f.service_type,
        &f.domestic_violence,
        &f.opened_on,
        &f.municipality,
    );
    // The statement is checked with everything else, before anything is registered.
    let (receipt, statement_errors) = match super::statement_receipts::parse(
        &state,
        staff.tr,
        &f.statement_given,
        &f.privacy_card_given,
        &f.statement_given_on,
    ) {
        Ok(r) => (r, super::statement_receipts::StatementErrors::default()),
        Err(e) => (None, e),
    };
    let (
        Some(name),
        Some(birth_date),
        Some(gender),
        Some(address),
        Some(phone),
        Some(email),
        Some(first),
    ) = (name, birth_date, gender, address, phone, email, first)
    else {
        return render(&state, &staff, f, errors, statement_errors);
    };
    if !statement_errors.is_empty() {
        return render(&state, &staff, f, errors, statement_errors);
    }
    let branch = state
        .app
        .policy()
        .team(&first.team)
        .map(|t| t.branch.clone())
        .unwrap_or_default();
    let input = NewClientInput {
        branch,
        name,
        birth_date,
        gender,
        address,
        phone,
        email,
        confidential_address: forms::checked(&f.confidential_address),
    };
    match state
        .app
        .register_client_with_receipt(&staff.as_actor(), input, first, receipt)
        .await
    {
        Ok((_, trajectory)) => {
            Ok(Redirect::to(&format!("/trajecten/{trajectory}")).into_response())
        }
        Err(e @ CoreError::Invalid { .. }) => {
            errors.add(&e);
            render(&state, &staff, f, errors, statement_errors)
        }
        Err(e) => Err(e.into()),
    }
}
