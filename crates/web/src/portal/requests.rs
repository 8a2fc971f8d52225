//! Rights requests and complaints from the portal (POR-4): the client files a request
//! (which right, about everything or chosen trajectories, in their own words) or a
//! complaint (subject and text), gets a reference on screen at once, and sees what they
//! filed with its status. The account files for its own client only: the core takes the
//! client from the signed-in account, never from the form. A refused form keeps what was
//! typed, names each field in the reader's language, and stores nothing.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::requests::{
    FiledDetail, FiledStatus, NewPortalComplaint, NewRightsRequest, PortalProgress, RequestKind,
    RequestScope,
};
use zv_domain::TrajectoryId;

use super::PortalLayout;
use super::session::CurrentClient;
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::pages::html;
use crate::state::AppState;

/// A right in the reader's language.
pub(crate) fn kind_label(tr: Tr, k: RequestKind) -> String {
    match k {
        RequestKind::Access => tr.t("request-kind-access"),
        RequestKind::Copy => tr.t("request-kind-copy"),
        RequestKind::Rectification => tr.t("request-kind-rectification"),
        RequestKind::Erasure => tr.t("request-kind-erasure"),
        RequestKind::Restriction => tr.t("request-kind-restriction"),
        RequestKind::Portability => tr.t("request-kind-portability"),
        RequestKind::Objection => tr.t("request-kind-objection"),
        RequestKind::WithdrawalOfConsent => tr.t("request-kind-withdrawal-of-consent"),
    }
}

/// What a right means, in one line for the form.
fn kind_help(tr: Tr, k: RequestKind) -> String {
    match k {
        RequestKind::Access => tr.t("request-help-access"),
        RequestKind::Copy => tr.t("request-help-copy"),
        RequestKind::Rectification => tr.t("request-help-rectification"),
        RequestKind::Erasure => tr.t("request-help-erasure"),
        RequestKind::Restriction => tr.t("request-help-restriction"),
        RequestKind::Portability => tr.t("request-help-portability"),
        RequestKind::Objection => tr.t("request-help-objection"),
        RequestKind::WithdrawalOfConsent => tr.t("request-help-withdrawal-of-consent"),
    }
}

pub(crate) fn status_label(tr: Tr, s: FiledStatus) -> String {
    match s {
        FiledStatus::Received => tr.t("request-status-received"),
        FiledStatus::InProgress => tr.t("request-status-in-progress"),
        FiledStatus::Closed => tr.t("request-status-closed"),
    }
}

/// A filed request or complaint as a line of the client's list.
struct FiledLine {
    id: String,
    reference: String,
    what: String,
    received_on: String,
    status: String,
    /// A request's deadlines (RTS-3): the reaction, and the answer (extended or not).
    respond_by: Option<String>,
    complete_by: Option<String>,
    /// The extension: announced on, and why.
    extension: Option<(String, String)>,
    /// The decision: what, why, and when the answer was sent.
    outcome: Option<(String, Option<String>, String)>,
}

/// What the two forms held, kept when one is refused.
#[derive(Default)]
struct Typed {
    kind: String,
    scope: String,
    trajectories: Vec<String>,
    text: String,
    subject: String,
    complaint_text: String,
}

#[derive(Template)]
#[template(path = "portal_requests.html")]
struct RequestsPage {
    l: PortalLayout,
    /// The account is a client's own: it files for that client.
    own: bool,
    /// The reference just given, to acknowledge the filing.
    acknowledged: Option<String>,
    requests: Vec<FiledLine>,
    complaints: Vec<FiledLine>,
    /// Code, label and explanation of every right.
    kinds: Vec<(String, String, String)>,
    /// The client's trajectories: id, service, and whether the form has it chosen.
    trajectories: Vec<(String, String, bool)>,
    typed: Typed,
    request_errors: HashMap<&'static str, String>,
    complaint_errors: HashMap<&'static str, String>,
}

#[derive(Deserialize)]
pub struct Acknowledged {
    #[serde(default)]
    kenmerk: String,
}

/// Form fields by name, repeated ones kept (checkboxes).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn one(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    }
}

fn line(tr: Tr, f: &FiledDetail, progress: Option<&PortalProgress>) -> FiledLine {
    let open = progress.filter(|p| p.outcome.is_none());
    FiledLine {
        respond_by: open.map(|p| p.deadlines.respond_by.to_string()),
        complete_by: open.map(|p| p.deadlines.complete_by.to_string()),
        extension: progress
            .and_then(|p| p.extension.as_ref())
            .map(|e| (e.on.to_string(), e.reasons.clone())),
        outcome: progress.and_then(|p| p.outcome.as_ref()).map(|o| {
            (
                crate::pages::requests::outcome_label(tr, o.outcome),
                o.reasons.clone(),
                o.answer_sent_on.to_string(),
            )
        }),
        id: f.line.id.to_string(),
        reference: f.line.reference.clone(),
        what: match (f.line.kind, &f.subject) {
            (Some(k), _) => kind_label(tr, k),
            (None, Some(subject)) => subject.clone(),
            (None, None) => tr.t("complaint-portal-kind"),
        },
        received_on: f.line.received_on.to_string(),
        status: status_label(tr, f.line.status),
    }
}

async fn page(
    state: &AppState,
    client: &CurrentClient,
    acknowledged: Option<&str>,
    typed: Typed,
    request_errors: HashMap<&'static str, String>,
    complaint_errors: HashMap<&'static str, String>,
) -> Result<Response, WebError> {
    let tr = client.tr;
    let actor = client.as_actor();
    // A parent's or representative's own account files for nobody yet (that comes with
    // the request workflow and the minors rules): the page says so.
    let own = client.actor.client_id.is_some();
    let zv_core::requests::MyFilingsWithProgress {
        filings: filed,
        progress,
    } = if own {
        state.app.my_filings_with_progress(&actor).await?
    } else {
        zv_core::requests::MyFilingsWithProgress::default()
    };
    let trajectories = state
        .app
        .portal_trajectories(&actor)
        .await?
        .iter()
        .map(|t| {
            let service = state
                .app
                .policy()
                .service_type(&t.service_type)
                .map_or_else(
                    || t.service_type.clone(),
                    |s| match tr.lang {
                        Lang::Nl => s.name_nl.clone(),
                        Lang::En => s.name_en.clone(),
                    },
                );
            let id = t.id.to_string();
            let chosen = typed.trajectories.contains(&id);
            (id, format!("{service} ({})", t.opened_on), chosen)
        })
        .collect();
    // Only a reference of the client's own filings is acknowledged: the page never
    // echoes what a link says.
    let acknowledged = acknowledged
        .filter(|r| {
            filed
                .requests
                .iter()
                .chain(&filed.complaints)
                .any(|f| f.line.reference == *r)
        })
        .map(str::to_owned);
    let status = if request_errors.is_empty() && complaint_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = html(&RequestsPage {
        l: PortalLayout::signed_in(state, client, "title-request-portal"),
        own,
        acknowledged,
        requests: filed
            .requests
            .iter()
            .map(|f| line(tr, f, progress.get(&f.line.id)))
            .collect(),
        complaints: filed.complaints.iter().map(|f| line(tr, f, None)).collect(),
        kinds: RequestKind::ALL
            .iter()
            .map(|k| (k.code().to_owned(), kind_label(tr, *k), kind_help(tr, *k)))
            .collect(),
        trajectories,
        typed,
        request_errors,
        complaint_errors,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

/// The client's requests and complaints, and the forms to file one.
pub async fn list(
    State(state): State<AppState>,
    client: CurrentClient,
    Query(q): Query<Acknowledged>,
) -> Result<Response, WebError> {
    let ack = (!q.kenmerk.is_empty()).then_some(q.kenmerk.as_str());
    page(
        &state,
        &client,
        ack,
        Typed {
            scope: "all".to_owned(),
            ..Typed::default()
        },
        HashMap::new(),
        HashMap::new(),
    )
    .await
}

fn request_refusal(tr: Tr, e: &CoreError) -> (&'static str, String) {
    match e {
        CoreError::Invalid { field, .. } => {
            let key = match *field {
                "kind" => "request-error-kind",
                "scope" | "trajectories" => "request-error-trajectories",
                "text" => "request-error-text",
                _ => "invalid-generic",
            };
            (*field, tr.t(key))
        }
        _ => ("_form", tr.t("invalid-generic")),
    }
}

/// Files a rights request; acknowledged on the list with its reference.
pub async fn file_request(
    State(state): State<AppState>,
    client: CurrentClient,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(fields);
    client.check_csrf(f.one("csrf"))?;
    let tr = client.tr;
    let typed = Typed {
        kind: f.one("kind").trim().to_owned(),
        scope: f.one("scope").trim().to_owned(),
        trajectories: f.all("trajectories"),
        text: f.one("text").to_owned(),
        ..Typed::default()
    };
    let mut errors = HashMap::new();
    let kind = RequestKind::from_code(&typed.kind);
    if kind.is_none() {
        errors.insert("kind", tr.t("request-error-kind"));
    }
    let scope = match typed.scope.as_str() {
        "all" => Some(RequestScope::All),
        "trajectories" => {
            let chosen: Option<Vec<TrajectoryId>> = typed
                .trajectories
                .iter()
                .map(|t| t.parse::<uuid::Uuid>().ok().map(TrajectoryId::from_uuid))
                .collect();
            match chosen {
                Some(c) if !c.is_empty() => Some(RequestScope::Trajectories(c)),
                _ => None,
            }
        }
        _ => None,
    };
    if scope.is_none() {
        errors.insert("trajectories", tr.t("request-error-trajectories"));
    }
    let (Some(kind), Some(scope), true) = (kind, scope, errors.is_empty()) else {
        return page(&state, &client, None, typed, errors, HashMap::new()).await;
    };
    match state
        .app
        .file_rights_request(
            &client.as_actor(),
            NewRightsRequest {
                kind,
                scope,
                text: typed.text.clone(),
            },
        )
        .await
    {
        Ok(filed) => Ok(Redirect::to(&format!(
            "/portaal/verzoeken?kenmerk={}#ontvangen",
            filed.reference
        ))
        .into_response()),
        Err(e @ CoreError::Invalid { .. }) => {
            let (field, message) = request_refusal(tr, &e);
            errors.insert(field, message);
            page(&state, &client, None, typed, errors, HashMap::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Files a complaint; acknowledged on the list with its reference.
pub async fn file_complaint(
    State(state): State<AppState>,
    client: CurrentClient,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = Fields(fields);
    client.check_csrf(f.one("csrf"))?;
    let tr = client.tr;
    let typed = Typed {
        scope: "all".to_owned(),
        subject: f.one("subject").to_owned(),
        complaint_text: f.one("text").to_owned(),
        ..Typed::default()
    };
    // Both fields named at once; the core checks them again.
    let mut errors = HashMap::new();
    if typed.subject.trim().is_empty() {
        errors.insert("subject", tr.t("complaint-portal-error-subject"));
    }
    if typed.complaint_text.trim().is_empty() {
        errors.insert("text", tr.t("complaint-portal-error-text"));
    }
    if !errors.is_empty() {
        return page(&state, &client, None, typed, HashMap::new(), errors).await;
    }
    match state
        .app
        .file_portal_complaint(
            &client.as_actor(),
            NewPortalComplaint {
                subject: typed.subject.clone(),
                text: typed.complaint_text.clone(),
            },
        )
        .await
    {
        Ok(filed) => Ok(Redirect::to(&format!(
            "/portaal/verzoeken?kenmerk={}#ontvangen",
            filed.reference
        ))
        .into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            let message = match field {
                "subject" => tr.t("complaint-portal-error-subject"),
                _ => tr.t("complaint-portal-error-text"),
            };
            errors.insert(
                if field == "subject" {
                    "subject"
                } else {
                    "text"
                },
                message,
            );
            page(&state, &client, None, typed, HashMap::new(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The decision letter of a request this account filed or that is about its own client
/// (a recorded export); anyone else's is "not found".
pub async fn letter(
    State(state): State<AppState>,
    client: CurrentClient,
    axum::extract::Path(id): axum::extract::Path<String>,
    Query(q): Query<crate::pages::requests::LetterQuery>,
) -> Result<Response, WebError> {
    let id = crate::pages::forms::uuid_of(&id)?;
    let language = crate::pages::requests::letter_language(q.taal())?;
    let letter = state
        .app
        .decision_letter(&client.as_actor(), id, language)
        .await?;
    Ok(crate::pages::requests::pdf_download(letter))
}
