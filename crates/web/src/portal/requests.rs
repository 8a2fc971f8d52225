//! Rights requests and complaints from the portal (POR-4): the client files a request
//! (which right, about everything or chosen trajectories, in their own words) or a
//! complaint (subject and text), gets a reference on screen at once, and sees what they
//! filed with its status. A client's account files for its own client: the core takes
//! the client from the signed-in account. A parent's or representative's account chooses
//! among the clients the minors rules let it file for today (RTS-1, MIN-1..4); the core
//! decides that again at the gate, so a forged choice is "not found" and stores nothing.
//! Such an account sees only what it filed itself. A refused form keeps what was typed,
//! names each field in the reader's language, and stores nothing.

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
use zv_domain::{ClientId, TrajectoryId};

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
    /// A parent or representative filed it for the client (shown without a name).
    by_related: bool,
    /// Handled: the decision letter can be asked for.
    closed: bool,
}

/// A client a parent's or representative's account may file for today.
struct ForClient {
    id: String,
    name: String,
    /// A request about everything, and a complaint, may be filed (not only about the
    /// trajectories a mandate names).
    whole: bool,
}

/// What the account filed for one client: references, rights, status, and the letter
/// once closed (released as far as the read rules let the account read).
struct FiledFor {
    name: String,
    requests: Vec<FiledLine>,
    complaints: Vec<FiledLine>,
}

/// What the two forms held, kept when one is refused.
#[derive(Default)]
struct Typed {
    /// For whom: a client id, or empty for the account's own client.
    client: String,
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
    /// The clients a parent's or representative's account may file for today.
    for_clients: Vec<ForClient>,
    /// What this account filed for others, per client.
    filed_for: Vec<FiledFor>,
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
        by_related: f.line.filed_by_related_person,
        closed: f.line.status == FiledStatus::Closed,
    }
}

/// A line of what a parent or representative filed: no text, no reasons (the letter
/// carries them, as far as the read rules let them read).
fn line_filed_for(tr: Tr, f: &zv_core::requests::FiledLine) -> FiledLine {
    FiledLine {
        id: f.id.to_string(),
        reference: f.reference.clone(),
        what: f
            .kind
            .map_or_else(|| tr.t("complaint-portal-kind"), |k| kind_label(tr, k)),
        received_on: f.received_on.to_string(),
        status: status_label(tr, f.status),
        respond_by: None,
        complete_by: None,
        extension: None,
        outcome: None,
        by_related: false,
        closed: f.status == FiledStatus::Closed,
    }
}

/// The service of a trajectory in the reader's language.
fn service_label(state: &AppState, tr: Tr, code: &str) -> String {
    state.app.policy().service_type(code).map_or_else(
        || code.to_owned(),
        |s| match tr.lang {
            Lang::Nl => s.name_nl.clone(),
            Lang::En => s.name_en.clone(),
        },
    )
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
    let own = client.actor.client_id.is_some();
    let zv_core::requests::MyFilingsWithProgress {
        filings: filed,
        progress,
    } = if own {
        state.app.my_filings_with_progress(&actor).await?
    } else {
        zv_core::requests::MyFilingsWithProgress::default()
    };
    let mut trajectories: Vec<(String, String, bool)> = state
        .app
        .portal_trajectories(&actor)
        .await?
        .iter()
        .map(|t| {
            let service = service_label(state, tr, &t.service_type);
            let id = t.id.to_string();
            let chosen = typed.trajectories.contains(&id);
            (id, format!("{service} ({})", t.opened_on), chosen)
        })
        .collect();
    // A parent or representative: the clients they may file for today, with the
    // trajectories they may name (those they also read, so each has a label), and what
    // they filed themselves.
    let linked = state.app.portal_linked_dossiers(&actor).await?;
    let name_of = |c: ClientId| {
        linked
            .iter()
            .find(|d| d.client_id == c)
            .map(|d| d.name.clone())
    };
    let mut for_clients = Vec::new();
    for choice in state.app.filing_choices(&actor).await? {
        let Some(dossier) = linked.iter().find(|d| d.client_id == choice.client) else {
            continue;
        };
        for t in dossier
            .trajectories
            .iter()
            .filter(|t| choice.trajectories.contains(&t.id))
        {
            let id = t.id.to_string();
            let chosen = typed.trajectories.contains(&id);
            let service = service_label(state, tr, &t.service_type);
            trajectories.push((
                id,
                format!("{}: {service} ({})", dossier.name, t.opened_on),
                chosen,
            ));
        }
        for_clients.push(ForClient {
            id: choice.client.to_string(),
            name: dossier.name.clone(),
            whole: choice.whole,
        });
    }
    let filed_for: Vec<FiledFor> = state
        .app
        .filings_of_account(&actor)
        .await?
        .iter()
        .filter_map(|f| {
            Some(FiledFor {
                name: name_of(f.client)?,
                requests: f.requests.iter().map(|l| line_filed_for(tr, l)).collect(),
                complaints: f.complaints.iter().map(|l| line_filed_for(tr, l)).collect(),
            })
        })
        .collect();
    // Only a reference of the account's own filings is acknowledged: the page never
    // echoes what a link says.
    let acknowledged = acknowledged
        .filter(|r| {
            filed
                .requests
                .iter()
                .chain(&filed.complaints)
                .any(|f| f.line.reference == *r)
                || filed_for
                    .iter()
                    .flat_map(|f| f.requests.iter().chain(&f.complaints))
                    .any(|f| f.reference == *r)
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
        for_clients,
        filed_for,
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
                "client" => "request-error-for-client",
                _ => "invalid-generic",
            };
            (*field, tr.t(key))
        }
        _ => ("_form", tr.t("invalid-generic")),
    }
}

/// For whom the form files: empty is the account's own client; otherwise a client id,
/// which the core decides on (a parent or representative through a link). An account
/// without a client of its own must choose.
fn chosen_client(client: &CurrentClient, raw: &str) -> Result<Option<ClientId>, ()> {
    if raw.is_empty() {
        return if client.actor.client_id.is_some() {
            Ok(None)
        } else {
            Err(())
        };
    }
    raw.parse::<uuid::Uuid>()
        .map(|u| Some(ClientId::from_uuid(u)))
        .map_err(|_| ())
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
        client: f.one("client").trim().to_owned(),
        kind: f.one("kind").trim().to_owned(),
        scope: f.one("scope").trim().to_owned(),
        trajectories: f.all("trajectories"),
        text: f.one("text").to_owned(),
        ..Typed::default()
    };
    let mut errors = HashMap::new();
    let for_client = chosen_client(&client, &typed.client);
    if for_client.is_err() {
        errors.insert("client", tr.t("request-error-for-client"));
    }
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
    let (Some(kind), Some(scope), Ok(for_client), true) =
        (kind, scope, for_client, errors.is_empty())
    else {
        return page(&state, &client, None, typed, errors, HashMap::new()).await;
    };
    match state
        .app
        .file_rights_request_for(
            &client.as_actor(),
            for_client,
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
        client: f.one("client").trim().to_owned(),
        scope: "all".to_owned(),
        subject: f.one("subject").to_owned(),
        complaint_text: f.one("text").to_owned(),
        ..Typed::default()
    };
    // The fields named at once; the core checks them again.
    let mut errors = HashMap::new();
    let for_client = chosen_client(&client, &typed.client);
    if for_client.is_err() {
        errors.insert("client", tr.t("request-error-for-client"));
    }
    if typed.subject.trim().is_empty() {
        errors.insert("subject", tr.t("complaint-portal-error-subject"));
    }
    if typed.complaint_text.trim().is_empty() {
        errors.insert("text", tr.t("complaint-portal-error-text"));
    }
    let (Ok(for_client), true) = (for_client, errors.is_empty()) else {
        return page(&state, &client, None, typed, HashMap::new(), errors).await;
    };
    match state
        .app
        .file_portal_complaint_for(
            &client.as_actor(),
            for_client,
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
