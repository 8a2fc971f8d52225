//! Administration of staff accounts (ACC-5): the list, a new account, roles and teams,
//! the date the confidentiality statement was signed (ACC-8), blocking and unblocking, and
//! a reset of the second factor (ACC-9). Administrators see accounts here, never a
//! dossier; the core decides every action and records it in the audit log.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use zv_core::CoreError;
use zv_core::users::{NewUserInput, UserSummary};
use zv_domain::{Role, UserId};

use super::forms::FieldErrors;
use super::{Layout, forms, html};
use crate::error::WebError;
use crate::i18n::Lang;
use crate::session::CurrentStaff;
use crate::state::AppState;

use super::forms::Fields;

const CREATE_FIELDS: [&str; 7] = [
    "username",
    "display_name",
    "password",
    "roles",
    "teams",
    "branch",
    "signed_on",
];
const EDIT_FIELDS: [&str; 3] = ["roles", "teams", "signed_on"];

/// A check box or an option: value, label, and whether it is chosen.
struct Choice {
    code: String,
    label: String,
    checked: bool,
}

/// An account as a line of the list.
struct UserLine {
    id: String,
    username: String,
    display_name: String,
    roles: String,
    teams: String,
    branch: String,
    signed_on: Option<String>,
    disabled: bool,
    enrolled: bool,
}

/// What the new-account form held, kept when it is refused (never the password).
#[derive(Default)]
struct NewUserForm {
    username: String,
    display_name: String,
    signed_on: String,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<UserLine>,
    form: NewUserForm,
    roles: Vec<Choice>,
    teams: Vec<Choice>,
    branches: Vec<Choice>,
    errors: FieldErrors,
    other_errors: Vec<String>,
    min_password: usize,
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    l: Layout,
    user: UserLine,
    roles: Vec<Choice>,
    teams: Vec<Choice>,
    signed_on: String,
    errors: FieldErrors,
    other_errors: Vec<String>,
    own_account: bool,
}

fn role_label(state: &AppState, lang: Lang, role: Role) -> String {
    state
        .app
        .policy()
        .roles()
        .iter()
        .find(|r| r.role == role.code())
        .map_or_else(
            || role.code().to_owned(),
            |r| match lang {
                Lang::Nl => r.label_nl.clone(),
                Lang::En => r.label_en.clone(),
            },
        )
}

fn team_label(state: &AppState, code: &str) -> String {
    state
        .app
        .policy()
        .team(code)
        .map_or_else(|| code.to_owned(), |t| t.name.clone())
}

fn role_choices(state: &AppState, lang: Lang, chosen: &[String]) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice {
            code: r.code().to_owned(),
            label: role_label(state, lang, *r),
            checked: chosen.iter().any(|c| c == r.code()),
        })
        .collect()
}

fn team_choices(state: &AppState, chosen: &[String]) -> Vec<Choice> {
    state
        .app
        .policy()
        .teams()
        .iter()
        .map(|t| Choice {
            code: t.code.clone(),
            label: t.name.clone(),
            checked: chosen.contains(&t.code),
        })
        .collect()
}

fn line(state: &AppState, lang: Lang, u: &UserSummary) -> UserLine {
    UserLine {
        id: u.id.to_string(),
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        roles: u
            .roles
            .iter()
            .map(|r| role_label(state, lang, *r))
            .collect::<Vec<_>>()
            .join(", "),
        teams: u
            .teams
            .iter()
            .map(|t| team_label(state, t))
            .collect::<Vec<_>>()
            .join(", "),
        branch: u
            .branch
            .as_deref()
            .map(|b| {
                state
                    .app
                    .policy()
                    .branch(b)
                    .map_or_else(|| b.to_owned(), |x| x.name.clone())
            })
            .unwrap_or_default(),
        signed_on: u.confidentiality_signed_on.map(|d| d.to_string()),
        disabled: u.disabled,
        enrolled: u.second_factor_enrolled,
    }
}

fn roles_of(codes: &[String]) -> Result<Vec<Role>, CoreError> {
    codes
        .iter()
        .map(|c| {
            c.parse::<Role>()
                .map_err(|_| CoreError::invalid("roles", "not a role"))
        })
        .collect()
}

fn user_id(raw: &str) -> Result<UserId, WebError> {
    forms::uuid_of(raw).map(UserId::from_uuid)
}

fn with_status(mut r: Response, errors: &FieldErrors) -> Response {
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// Whether a refusal is one to show on the form (422) rather than as an error page.
fn on_form(e: &CoreError) -> bool {
    matches!(e, CoreError::Invalid { .. })
}

async fn users_page(
    state: &AppState,
    staff: &CurrentStaff,
    form: NewUserForm,
    chosen_roles: &[String],
    chosen_teams: &[String],
    chosen_branch: &str,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let lang = staff.tr.lang;
    let users = state.app.list_users(&staff.as_actor()).await?;
    let other_errors = errors
        .other(&CREATE_FIELDS)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let page = UsersPage {
        l: Layout::staff(staff, "title-admin-users"),
        users: users.iter().map(|u| line(state, lang, u)).collect(),
        form,
        roles: role_choices(state, lang, chosen_roles),
        teams: team_choices(state, chosen_teams),
        branches: state
            .app
            .policy()
            .branches()
            .iter()
            .map(|b| Choice {
                code: b.code.clone(),
                label: b.name.clone(),
                checked: b.code == chosen_branch,
            })
            .collect(),
        other_errors,
        errors,
        min_password: zv_core::users::MIN_PASSWORD_CHARS,
    };
    Ok(with_status(html(&page)?, &page.errors))
}

/// The list of accounts and the form for a new one.
pub async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    users_page(
        &state,
        &staff,
        NewUserForm::default(),
        &[],
        &[],
        "",
        FieldErrors::default(),
    )
    .await
}

/// Creates an account; the new user sets up the second factor at first sign-in.
pub async fn create(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(fields);
    staff.check_csrf(f.one("csrf"))?;
    let roles = f.all("roles");
    let teams = f.all("teams");
    let branch = f.one("branch").trim().to_owned();
    let result = async {
        let input = NewUserInput {
            username: f.one("username").trim().to_owned(),
            display_name: f.one("display_name").to_owned(),
            password: zeroize::Zeroizing::new(f.one("password").to_owned()),
            roles: roles_of(&roles)?,
            teams: teams.clone(),
            branch: forms::text_opt(&branch).map(str::to_owned),
            confidentiality_signed_on: forms::date_opt("signed_on", f.one("signed_on"))?,
        };
        state.app.create_user(&staff.as_actor(), input).await
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/beheer/gebruikers/{id}")).into_response()),
        Err(e) if on_form(&e) => {
            let form = NewUserForm {
                username: f.one("username").to_owned(),
                display_name: f.one("display_name").to_owned(),
                signed_on: f.one("signed_on").to_owned(),
            };
            let errors = FieldErrors::of_core(staff.tr, &e);
            users_page(&state, &staff, form, &roles, &teams, &branch, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What the account page shows besides the account: the choices as sent when a form was
/// refused, else as stored.
struct Typed {
    roles: Option<Vec<String>>,
    teams: Option<Vec<String>>,
    signed_on: Option<String>,
}

const AS_STORED: Typed = Typed {
    roles: None,
    teams: None,
    signed_on: None,
};

async fn user_page(
    state: &AppState,
    staff: &CurrentStaff,
    id: UserId,
    typed: Typed,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let lang = staff.tr.lang;
    let user = state.app.user(&staff.as_actor(), id).await?;
    let roles = typed
        .roles
        .unwrap_or_else(|| user.roles.iter().map(|r| r.code().to_owned()).collect());
    let teams = typed.teams.unwrap_or_else(|| user.teams.clone());
    let signed_on = typed.signed_on.unwrap_or_else(|| {
        user.confidentiality_signed_on
            .map(|d| d.to_string())
            .unwrap_or_default()
    });
    let other_errors = errors
        .other(&EDIT_FIELDS)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let page = UserPage {
        l: Layout::staff(staff, "title-admin-user"),
        user: line(state, lang, &user),
        roles: role_choices(state, lang, &roles),
        teams: team_choices(state, &teams),
        signed_on,
        other_errors,
        errors,
        own_account: staff.actor.user_id == id,
    };
    Ok(with_status(html(&page)?, &page.errors))
}

/// One account, with its forms.
pub async fn detail(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = user_id(&id)?;
    user_page(&state, &staff, id, AS_STORED, FieldErrors::default()).await
}

/// After a form on the account page: back to the page on success, the page with the
/// refusal (422) on bad input; anything else is the usual error page.
async fn after(
    state: &AppState,
    staff: &CurrentStaff,
    id: UserId,
    typed: Typed,
    result: Result<(), CoreError>,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/beheer/gebruikers/{id}")).into_response()),
        Err(e) if on_form(&e) => {
            let errors = FieldErrors::of_core(staff.tr, &e);
            user_page(state, staff, id, typed, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Replaces the account's roles and teams.
pub async fn set_roles_and_teams(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(fields);
    staff.check_csrf(f.one("csrf"))?;
    let id = user_id(&id)?;
    let roles = f.all("roles");
    let teams = f.all("teams");
    let result = async {
        state
            .app
            .set_roles_and_teams(&staff.as_actor(), id, roles_of(&roles)?, teams.clone())
            .await
    }
    .await;
    let typed = Typed {
        roles: Some(roles),
        teams: Some(teams),
        signed_on: None,
    };
    after(&state, &staff, id, typed, result).await
}

#[derive(serde::Deserialize)]
pub struct SignedOnForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    signed_on: String,
}

/// Records the date the confidentiality statement was signed (ACC-8).
pub async fn record_confidentiality(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<SignedOnForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = user_id(&id)?;
    let result = async {
        let on = forms::date("signed_on", &f.signed_on)?;
        state
            .app
            .record_confidentiality_by_id(&staff.as_actor(), id, on)
            .await
    }
    .await;
    let typed = Typed {
        signed_on: Some(f.signed_on.clone()),
        ..AS_STORED
    };
    after(&state, &staff, id, typed, result).await
}

/// Blocks the account: its sessions end and it reaches nothing.
pub async fn disable(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = user_id(&id)?;
    let result = state.app.disable_user_by_id(&staff.as_actor(), id).await;
    after(&state, &staff, id, AS_STORED, result).await
}

/// Unblocks the account.
pub async fn enable(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = user_id(&id)?;
    let result = state.app.enable_user(&staff.as_actor(), id).await;
    after(&state, &staff, id, AS_STORED, result).await
}

/// Resets the second factor: the user enrols again at the next sign-in.
pub async fn reset_second_factor(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<forms::CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = user_id(&id)?;
    let result = state.app.reset_second_factor(&staff.as_actor(), id).await;
    after(&state, &staff, id, AS_STORED, result).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Tr;
    use crate::pages::field_error;

    /// Every field the administration forms can be refused on has its own words in both
    /// languages (the keys are spelled out here so the i18n test checks them too).
    #[test]
    fn every_refused_field_has_its_own_words() {
        for lang in [Lang::Nl, Lang::En] {
            let tr = Tr { lang };
            let expected = [
                ("username", tr.t("invalid-username")),
                ("display_name", tr.t("invalid-display-name")),
                ("password", tr.t("invalid-password")),
                ("roles", tr.t("invalid-roles")),
                ("teams", tr.t("invalid-teams")),
                ("branch", tr.t("invalid-branch")),
                ("signed_on", tr.t("invalid-signed-on")),
                ("own_account", tr.t("invalid-own-account")),
            ];
            let generic = tr.t("invalid-generic");
            for (field, own) in expected {
                let shown = field_error(tr, &CoreError::invalid(field, "x"));
                assert_ne!(shown, generic, "{field} in {}", lang.code());
                assert_eq!(shown, own, "{field} in {}", lang.code());
            }
        }
    }
}
