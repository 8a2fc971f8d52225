//! The consent register on the staff's side (SHR-1 consent ground, RTS-10, MIN-1..3):
//! per client a page with the consents in force and withdrawn, a form to record one and a
//! withdrawal per consent in force. Every read and change goes through the core's gate:
//! the assigned workers record, read and withdraw; anyone else finds no such page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use zv_core::CoreError;
use zv_core::consents::{
    ConsentChannel, ConsentForm, ConsentPerson, ConsentProblem, ConsentPurpose, ConsentView,
};
use zv_domain::{ClientId, RelationKind};

use super::dossier::local_time;
use super::{Layout, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// This module's routes; merged into the app's.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/clienten/{id}/toestemmingen", get(page).post(record))
        .route("/toestemmingen/{id}/intrekken", post(withdraw))
}

/// A choice in a select or a set of check boxes: value and label.
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
}

/// One consent as a line of the list.
pub(crate) struct Line {
    pub(crate) id: String,
    pub(crate) purpose: String,
    pub(crate) recipient: Option<String>,
    pub(crate) how: String,
    pub(crate) given_on: String,
    pub(crate) given_by: String,
    pub(crate) description: Option<String>,
    pub(crate) recorded: String,
    pub(crate) in_force: bool,
    /// Not withdrawn: in force, or proposed in the portal and awaiting a confirmation.
    pub(crate) open: bool,
    /// Who has yet to confirm it in the portal.
    pub(crate) awaiting: Option<String>,
    pub(crate) withdrawn: Option<String>,
    pub(crate) withdrawn_by: Option<String>,
    pub(crate) error: Option<String>,
}

/// The record form as typed, and its refusals per field.
#[derive(Default)]
pub(crate) struct FormState {
    pub(crate) purpose: String,
    pub(crate) recipient: String,
    pub(crate) how: String,
    pub(crate) given_on: String,
    pub(crate) given_by: Vec<String>,
    pub(crate) description: String,
    pub(crate) errors: Vec<(&'static str, String)>,
}

impl FormState {
    pub(crate) fn error(&self, field: &str) -> Option<&String> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e)
    }

    pub(crate) fn gives(&self, value: &str) -> bool {
        self.given_by.iter().any(|g| g == value)
    }
}

#[derive(Template)]
#[template(path = "consents.html")]
struct Page {
    l: Layout,
    client_id: String,
    lines: Vec<Line>,
    purposes: Vec<Choice>,
    channels: Vec<Choice>,
    withdraw_channels: Vec<Choice>,
    recipients: Vec<Choice>,
    givers: Vec<Choice>,
    f: FormState,
}

fn purpose_label(tr: Tr, p: ConsentPurpose) -> String {
    tr.t(&format!("consent-purpose-{}", p.code().replace('_', "-")))
}

fn channel_label(tr: Tr, c: ConsentChannel) -> String {
    tr.t(&format!("consent-how-{}", c.code().replace('_', "-")))
}

/// A refusal in the person's language: the core names the rule, the page words it.
pub(crate) fn problem_text(tr: Tr, p: ConsentProblem) -> String {
    tr.t(&format!("consent-problem-{}", p.code()))
}

fn person_label(tr: Tr, p: ConsentPerson, names: &[(String, String)]) -> String {
    match p {
        ConsentPerson::Client => tr.t("consent-person-client"),
        ConsentPerson::Related(id) => {
            let id = id.to_string();
            names
                .iter()
                .find(|(v, _)| *v == id)
                .map_or_else(|| tr.t("consent-person-parent"), |(_, n)| n.clone())
        }
    }
}

fn line(tr: Tr, c: ConsentView, names: &[(String, String)], error: Option<String>) -> Line {
    Line {
        id: c.id.to_string(),
        purpose: purpose_label(tr, c.purpose),
        recipient: c.recipient.as_ref().map(|r| {
            if r.retired {
                format!("{} {}", r.name, tr.t("consents-recipient-retired"))
            } else {
                format!("{} ({})", r.name, r.country)
            }
        }),
        how: channel_label(tr, c.how),
        given_on: c.given_on.to_string(),
        given_by: c
            .given_by
            .iter()
            .map(|g| person_label(tr, *g, names))
            .collect::<Vec<_>>()
            .join(", "),
        in_force: c.in_force(),
        open: c.withdrawal.is_none(),
        awaiting: c.awaiting_confirmation().then(|| {
            c.awaiting
                .iter()
                .map(|g| person_label(tr, *g, names))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        withdrawn: c.withdrawal.as_ref().map(|w| {
            let mut s = format!(
                "{} · {}",
                tr.t1("consents-withdrawn", "at", &local_time(w.at)),
                channel_label(tr, w.how)
            );
            if w.in_portal {
                s.push_str(&format!(" ({})", tr.t("consents-withdrawn-in-portal")));
            }
            s
        }),
        withdrawn_by: c.withdrawal.as_ref().map(|w| person_label(tr, w.by, names)),
        description: c.description,
        recorded: if c.recorded_in_portal {
            tr.t1(
                "consents-proposed-in-portal",
                "at",
                &local_time(c.recorded_at),
            )
        } else {
            tr.t1("consents-recorded", "at", &local_time(c.recorded_at))
        },
        error,
    }
}

/// The page, with the form as typed (or fresh) and a notice or a refusal at one line.
async fn render(
    state: &AppState,
    staff: &CurrentStaff,
    client: ClientId,
    f: Option<FormState>,
    line_error: Option<(String, String)>,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let tr = staff.tr;
    // The consents first: someone who may not read them finds no page (ACC-2).
    let consents = state.app.consents(&actor, client).await?;
    let related = state.app.related_persons(&actor, client).await?;
    let parents: Vec<(String, String)> = related
        .iter()
        .filter(|p| {
            matches!(
                p.relation,
                RelationKind::ParentWithAuthority
                    | RelationKind::Guardian
                    | RelationKind::LegalRepresentative
            )
        })
        .map(|p| {
            (
                p.id.to_string(),
                format!(
                    "{} ({})",
                    p.name,
                    tr.t(&format!("relation-{}", p.relation.code().replace('_', "-")))
                ),
            )
        })
        .collect();
    let recipients = state
        .app
        .consent_recipients(&actor)
        .await?
        .into_iter()
        .map(|r| Choice {
            value: r.id.to_string(),
            label: format!("{} ({})", r.name, r.country),
        })
        .collect();
    let lines = consents
        .into_iter()
        .map(|c| {
            let error = line_error
                .as_ref()
                .filter(|(id, _)| *id == c.id.to_string())
                .map(|(_, e)| e.clone());
            line(tr, c, &parents, error)
        })
        .collect();
    let mut givers = vec![Choice {
        value: "client".to_owned(),
        label: tr.t("consent-person-client"),
    }];
    givers.extend(parents.iter().map(|(v, n)| Choice {
        value: v.clone(),
        label: n.clone(),
    }));
    let f = f.unwrap_or_else(|| FormState {
        given_on: state.app.clock().today().to_string(),
        ..FormState::default()
    });
    let refused = !f.errors.is_empty();
    let mut r = html(&Page {
        l: Layout::staff(staff, "title-consents"),
        client_id: client.to_string(),
        lines,
        purposes: ConsentPurpose::ALL
            .iter()
            .map(|p| Choice {
                value: p.code().to_owned(),
                label: purpose_label(tr, *p),
            })
            .collect(),
        channels: ConsentChannel::ALL
            .iter()
            .map(|c| Choice {
                value: c.code().to_owned(),
                label: channel_label(tr, *c),
            })
            .collect(),
        withdraw_channels: [ConsentChannel::Written, ConsentChannel::InPerson]
            .iter()
            .map(|c| Choice {
                value: c.code().to_owned(),
                label: channel_label(tr, *c),
            })
            .collect(),
        recipients,
        givers,
        f,
    })?;
    if refused || line_error.is_some() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

fn client_id(raw: &str) -> Result<ClientId, WebError> {
    super::forms::uuid_of(raw).map(ClientId::from_uuid)
}

fn one<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn csrf_of(fields: &[(String, String)]) -> &str {
    one(fields, "csrf")
}

/// The client's consents.
pub async fn page(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    render(&state, &staff, client_id(&id)?, None, None).await
}

/// Records a consent: every field checked at once, then who gave it by the client's age
/// band on the day; a refusal shows the form again with each problem at its field.
pub async fn record(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.check_csrf(csrf_of(&fields))?;
    let client = client_id(&id)?;
    let tr = staff.tr;
    let form = ConsentForm {
        purpose: one(&fields, "purpose").to_owned(),
        recipient: one(&fields, "recipient").to_owned(),
        how: one(&fields, "how").to_owned(),
        given_on: one(&fields, "given_on").to_owned(),
        given_by: fields
            .iter()
            .filter(|(k, v)| k == "given_by" && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect(),
        description: one(&fields, "description").to_owned(),
    };
    let mut typed = FormState {
        purpose: form.purpose.clone(),
        recipient: form.recipient.clone(),
        how: form.how.clone(),
        given_on: form.given_on.clone(),
        given_by: form.given_by.clone(),
        description: form.description.clone(),
        errors: Vec::new(),
    };
    let outcome = match state.app.check_consent_form(&form) {
        Ok(input) => {
            state
                .app
                .record_consent(&staff.as_actor(), client, input)
                .await
        }
        Err(problems) => {
            typed.errors = problems
                .into_iter()
                .map(|(field, p)| (field, problem_text(tr, p)))
                .collect();
            return render(&state, &staff, client, Some(typed), None).await;
        }
    };
    match outcome {
        Ok(_) => {
            Ok(Redirect::to(&format!("/clienten/{client}/toestemmingen#consents")).into_response())
        }
        Err(e @ CoreError::Invalid { field, .. }) => {
            let text = ConsentProblem::of_error(&e)
                .map_or_else(|| super::field_error(tr, &e), |p| problem_text(tr, p));
            typed.errors = vec![(field, text)];
            render(&state, &staff, client, Some(typed), None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Records a withdrawal made in writing or in person: it takes effect at once.
pub async fn withdraw(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.check_csrf(csrf_of(&fields))?;
    let consent = super::forms::uuid_of(&id)?;
    let tr = staff.tr;
    let actor = staff.as_actor();
    let how = ConsentChannel::parse(one(&fields, "how").trim());
    let by = ConsentPerson::parse(one(&fields, "by"));
    let outcome = match (how, by) {
        (Some(how), Some(by)) => {
            state
                .app
                .withdraw_recorded_consent(&actor, consent, how, by)
                .await
        }
        (None, _) => Err(CoreError::invalid(
            "how",
            ConsentProblem::ChannelUnknown.message(),
        )),
        (_, None) => Err(CoreError::invalid(
            "by",
            ConsentProblem::GiverUnknown.message(),
        )),
    };
    match outcome {
        Ok(client) => Ok(Redirect::to(&format!(
            "/clienten/{client}/toestemmingen#consent-{consent}"
        ))
        .into_response()),
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
            // The consent's own client, as the page to show the refusal on; a consent
            // the person may not see is not found, whatever was typed.
            let client = state.app.client_of_consent(&actor, consent).await?;
            let text = match ConsentProblem::of_error(&e) {
                Some(p) => problem_text(tr, p),
                None if matches!(e, CoreError::Conflict(_)) => tr.t("consents-already-withdrawn"),
                None => super::field_error(tr, &e),
            };
            render(
                &state,
                &staff,
                client,
                None,
                Some((consent.to_string(), text)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
