//! API tokens ("API-sleutels") of the signed-in staff member: the list, a form to make
//! one (shown once, right after it is made), and revoking. A token acts as its owner in
//! the JSON API under `/api/v1`, narrowed to its scopes, until it expires or is revoked.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::api_tokens::{ApiTokenView, Scope};

use super::dossier::local_time;
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// One token as a line of the list.
struct TokenLine {
    id: String,
    name: String,
    scopes: String,
    created: String,
    expires: String,
    last_used: String,
    status: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "tokens.html")]
struct TokensPage {
    l: Layout,
    errors: Vec<String>,
    tokens: Vec<TokenLine>,
    /// The token just made: shown this once.
    issued: Option<String>,
    scopes: Vec<(String, String, bool)>,
    name: String,
    expires_on: String,
    today: String,
    latest: String,
    max_days: u32,
}

#[derive(Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    expires_on: String,
    #[serde(default)]
    scope_read: String,
    #[serde(default)]
    scope_write: String,
    #[serde(default)]
    scope_audit: String,
    #[serde(default)]
    scope_admin: String,
}

impl TokenForm {
    fn chosen(&self) -> Vec<Scope> {
        [
            (Scope::Read, &self.scope_read),
            (Scope::Write, &self.scope_write),
            (Scope::Audit, &self.scope_audit),
            (Scope::Admin, &self.scope_admin),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(s, _)| s)
        .collect()
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

fn scope_label(tr: Tr, s: Scope) -> String {
    tr.t(&format!("token-scope-{}", s.code()))
}

fn line(tr: Tr, t: &ApiTokenView) -> TokenLine {
    let status = if t.revoked_at.is_some() {
        tr.t("token-revoked")
    } else if t.active {
        tr.t("token-active")
    } else {
        tr.t("token-expired")
    };
    TokenLine {
        id: t.id.to_string(),
        name: t.name.clone(),
        scopes: t
            .scopes
            .iter()
            .map(|s| scope_label(tr, *s))
            .collect::<Vec<_>>()
            .join(", "),
        created: local_time(t.created_at),
        // The last moment it works: the end of its last day, local time.
        expires: local_time(t.expires_at - Duration::minutes(1)),
        last_used: t
            .last_used_at
            .map_or_else(|| tr.t("token-never"), local_time),
        status,
        active: t.active,
    }
}

/// The words for a refused field of the form.
fn refusal(tr: Tr, e: &CoreError) -> String {
    match e {
        CoreError::Invalid { field, .. } => match *field {
            "name" => tr.t("token-invalid-name"),
            "scopes" => tr.t("token-invalid-scopes"),
            "expires_on" => tr.t("token-invalid-expires-on"),
            _ => tr.t("invalid-generic"),
        },
        _ => tr.t("invalid-generic"),
    }
}

async fn tokens_page(
    state: &AppState,
    staff: &CurrentStaff,
    form: &TokenForm,
    issued: Option<String>,
    errors: Vec<String>,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let mine = state.app.my_api_tokens(&staff.as_actor()).await?;
    let today = state.app.clock().today();
    let max_days = state.app.policy().security().api_token_max_days;
    let latest = today + Duration::days(i64::from(max_days));
    let chosen = form.chosen();
    // A new form starts with reading only, for the shortest of a month and the policy's
    // longest term.
    let fresh = issued.is_none() && errors.is_empty();
    let scopes = Scope::ALL
        .iter()
        .map(|s| {
            let checked = if fresh {
                *s == Scope::Read
            } else {
                chosen.contains(s)
            };
            (s.code().to_owned(), scope_label(tr, *s), checked)
        })
        .collect();
    let expires_on = if fresh || form.expires_on.trim().is_empty() {
        (today + Duration::days(30)).min(latest).to_string()
    } else {
        form.expires_on.trim().to_owned()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = html(&TokensPage {
        l: Layout::staff(staff, "title-tokens"),
        errors,
        tokens: mine.iter().map(|t| line(tr, t)).collect(),
        issued,
        scopes,
        name: if fresh {
            String::new()
        } else {
            form.name.clone()
        },
        expires_on,
        today: today.to_string(),
        latest: latest.to_string(),
        max_days,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn page(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    tokens_page(&state, &staff, &TokenForm::default(), None, Vec::new()).await
}

/// Makes a token and shows it, this once; only its hash is kept.
pub async fn create(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<TokenForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let expires_on = NaiveDate::parse_from_str(f.expires_on.trim(), "%Y-%m-%d")
            .map_err(|_| CoreError::invalid("expires_on", "not a date"))?;
        state
            .app
            .create_api_token(&staff.as_actor(), &f.name, &f.chosen(), expires_on)
            .await
    }
    .await;
    match result {
        Ok(issued) => {
            tokens_page(
                &state,
                &staff,
                &f,
                Some(issued.token.to_string()),
                Vec::new(),
            )
            .await
        }
        Err(e @ CoreError::Invalid { .. }) => {
            let message = refusal(staff.tr, &e);
            tokens_page(&state, &staff, &f, None, vec![message]).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = id.parse::<uuid::Uuid>().map_err(|_| WebError::NotFound)?;
    match state.app.revoke_api_token(&staff.as_actor(), id).await {
        // Revoked already: the list shows it so.
        Ok(()) | Err(CoreError::Conflict(_)) => Ok(Redirect::to("/api-sleutels").into_response()),
        Err(e) => Err(e.into()),
    }
}
