//! Newsletters (NWS-1): the mailing lists of contacts at partner organisations, kept by
//! managers and team leads; and the public page behind the link in every newsletter,
//! where a contact unsubscribes in one step without an account.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::newsletters::{
    ContactInput, KNOWN, OBJECTED, Unsubscribed, contact_problems, mailing_csv,
};

use super::forms::{FieldErrors, Fields};
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::session::{CurrentStaff, lang_of};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/relaties/nieuwsbrieven", get(page).post(add))
        .route("/relaties/nieuwsbrieven/{id}/afmelden", post(unsubscribe))
        .route(
            "/relaties/nieuwsbrieven/{code}/verzendlijst.csv",
            get(mailing),
        )
        .route(
            "/nieuwsbrief/afmelden/{id}/{key}",
            get(link_page).post(link_unsubscribe),
        )
}

struct ContactLine {
    id: String,
    name: String,
    organisation: String,
    email: String,
    newsletters: String,
}

/// The add form as typed.
#[derive(Default)]
struct ContactForm {
    name: String,
    organisation: String,
    email: String,
    /// Checked boxes: one `newsletters` field per newsletter.
    newsletters: Vec<String>,
}

#[derive(Template)]
#[template(path = "newsletters.html")]
struct NewslettersPage {
    l: Layout,
    contacts: Vec<ContactLine>,
    /// Code, name, and whether the form has it checked.
    newsletters: Vec<(String, String, bool)>,
    keeper: bool,
    f: ContactForm,
    errors: FieldErrors,
}

fn newsletter_name(tr: Tr, n: &zv_policy::Newsletter) -> String {
    match tr.lang {
        Lang::Nl => n.name_nl.clone(),
        Lang::En => n.name_en.clone(),
    }
}

async fn render(
    state: &AppState,
    staff: &CurrentStaff,
    f: ContactForm,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let actor = staff.as_actor();
    let policy = state.app.policy();
    let contacts = state
        .app
        .newsletter_contacts(&actor)
        .await?
        .into_iter()
        .map(|c| ContactLine {
            id: c.id.to_string(),
            name: c.name,
            organisation: c.organisation,
            email: c.email,
            newsletters: c
                .newsletters
                .iter()
                .filter_map(|s| policy.newsletter(&s.newsletter))
                .map(|n| newsletter_name(tr, n))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let newsletters = policy
        .newsletters()
        .iter()
        .map(|n| {
            (
                n.code.clone(),
                newsletter_name(tr, n),
                f.newsletters.contains(&n.code),
            )
        })
        .collect();
    let refused = !errors.is_empty();
    let mut r = html(&NewslettersPage {
        l: Layout::staff(staff, "newsletter-title"),
        contacts,
        newsletters,
        keeper: state.app.may_keep_newsletters(&actor)?,
        f,
        errors,
    })?;
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn page(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let errors = FieldErrors::new(staff.tr);
    render(&state, &staff, ContactForm::default(), errors).await
}

pub async fn add(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let fields = Fields(fields);
    staff.check_csrf(fields.one("csrf"))?;
    let f = ContactForm {
        name: fields.one("name").to_owned(),
        organisation: fields.one("organisation").to_owned(),
        email: fields.one("email").to_owned(),
        newsletters: fields.all("newsletters"),
    };
    let input = ContactInput {
        name: f.name.clone(),
        organisation: f.organisation.clone(),
        email: f.email.clone(),
        newsletters: f.newsletters.clone(),
    };
    let mut errors = FieldErrors::new(staff.tr);
    for (field, rule) in contact_problems(&input, state.app.policy().newsletters()) {
        errors.add(&CoreError::invalid(field, rule));
    }
    if !errors.is_empty() {
        return render(&state, &staff, f, errors).await;
    }
    match state
        .app
        .add_newsletter_contact(&staff.as_actor(), &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/relaties/nieuwsbrieven#contacten").into_response()),
        Err(CoreError::Invalid { field, problem }) if field == "email" && problem == OBJECTED => {
            errors.set("email", staff.tr.t("newsletter-email-objected"));
            render(&state, &staff, f, errors).await
        }
        Err(CoreError::Invalid { field, problem }) if field == "email" && problem == KNOWN => {
            errors.set("email", staff.tr.t("newsletter-email-known"));
            render(&state, &staff, f, errors).await
        }
        Err(e @ CoreError::Invalid { .. }) => {
            errors.add(&e);
            render(&state, &staff, f, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn unsubscribe(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let id = super::forms::uuid_of(&id)?;
    state
        .app
        .unsubscribe_newsletter_contact(&staff.as_actor(), id)
        .await?;
    Ok(Redirect::to("/relaties/nieuwsbrieven#contacten").into_response())
}

pub async fn mailing(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let lines = state
        .app
        .newsletter_mailing(&staff.as_actor(), &code)
        .await?;
    let csv = mailing_csv(&lines)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"verzendlijst.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "newsletter_unsubscribe.html")]
struct UnsubscribePage {
    l: Layout,
    action: String,
    /// `None` before the step, else what it did.
    done: Option<bool>,
}

fn link_parts(state: &AppState, id: &str, key: &str) -> Result<(uuid::Uuid, String), WebError> {
    let id = super::forms::uuid_of(id)?;
    if !state.app.sends_newsletters() || !state.app.unsubscribe_link_valid(id, key) {
        return Err(WebError::NotFound);
    }
    Ok((id, key.to_owned()))
}

/// The page the link opens: one button. A link is opened by mail scanners too, so
/// opening it changes nothing; the button (or a mail program's one-click request, RFC
/// 8058, which is a POST to the same address) unsubscribes.
pub async fn link_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, key)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, key) = link_parts(&state, &id, &key)?;
    let tr = Tr {
        lang: lang_of(&headers),
    };
    html(&UnsubscribePage {
        l: Layout::anonymous(tr, "newsletter-unsubscribe-title", String::new()),
        action: format!("/nieuwsbrief/afmelden/{id}/{key}"),
        done: None,
    })
}

pub async fn link_unsubscribe(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, key)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (id, key) = link_parts(&state, &id, &key)?;
    let outcome = state.app.unsubscribe_by_link(id, &key).await?;
    let tr = Tr {
        lang: lang_of(&headers),
    };
    html(&UnsubscribePage {
        l: Layout::anonymous(tr, "newsletter-unsubscribe-title", String::new()),
        action: String::new(),
        done: Some(outcome == Unsubscribed::Now),
    })
}
