//! The privacy officer's rights requests (POR-4, RTS-1..3; decision 0015): the queue of
//! open requests with their deadlines (due within the policy's `due_soon`, overdue,
//! escalated), every request and complaint filed, one request with its handling
//! (identity, reaction, extension, decision), and the registration of a request received
//! by letter, e-mail, phone or in conversation, by the privacy officer or a worker on
//! the client's case. The rules (`access/por4_requests.cedar`, `access/rts1_requests.cedar`)
//! decide who may do what; every read and change is recorded at the gate.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use zv_core::CoreError;
use zv_core::requests::ExtensionRefused;
use zv_core::requests::{
    Channel, Deadlines, DecisionLetterPdf, FiledLine, IdentityInput, IdentityMethod,
    LetterLanguage, NewRegisteredRequest, Outcome, OutcomeInput, QueueLine, RequestHandling,
    RequestKind, RequestScope,
};
use zv_domain::{ClientId, TrajectoryId};

use super::dossier::local_time;
use super::forms::Fields;
use super::{Layout, forms, html};
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::portal::requests::{kind_label, status_label};
use crate::session::CurrentStaff;
use crate::state::AppState;

struct Line {
    id: String,
    reference: String,
    what: String,
    client: String,
    channel: String,
    received_on: String,
    status: String,
    scope: String,
    filed_at: String,
}

pub(crate) fn channel_label(tr: Tr, channel: &str) -> String {
    match Channel::from_code(channel) {
        Some(Channel::Portal) => tr.t("request-channel-portal"),
        Some(Channel::Letter) => tr.t("request-channel-letter"),
        Some(Channel::Email) => tr.t("request-channel-email"),
        Some(Channel::Phone) => tr.t("request-channel-phone"),
        Some(Channel::Conversation) => tr.t("request-channel-conversation"),
        None => channel.to_owned(),
    }
}

pub(crate) fn identity_label(tr: Tr, m: IdentityMethod) -> String {
    match m {
        IdentityMethod::PortalSecondFactor => tr.t("request-identity-portal-second-factor"),
        IdentityMethod::InPerson => tr.t("request-identity-in-person"),
        IdentityMethod::KnownCaseworker => tr.t("request-identity-known-caseworker"),
        IdentityMethod::LetterCallback => tr.t("request-identity-letter-callback"),
    }
}

pub(crate) fn outcome_label(tr: Tr, o: Outcome) -> String {
    match o {
        Outcome::Granted => tr.t("request-outcome-granted"),
        Outcome::PartlyGranted => tr.t("request-outcome-partly-granted"),
        Outcome::Refused => tr.t("request-outcome-refused"),
    }
}

/// "nog 5 dagen", "vandaag", "3 dagen te laat".
pub(crate) fn days_left_label(tr: Tr, d: &Deadlines) -> String {
    match d.days_left {
        None => String::new(),
        Some(0) => tr.t("request-due-today"),
        Some(n) if n > 0 => tr.t1("request-days-left", "days", &n),
        Some(n) => tr.t1("request-days-late", "days", &(-n)),
    }
}

fn line(tr: Tr, f: &FiledLine) -> Line {
    Line {
        id: f.id.to_string(),
        reference: f.reference.clone(),
        what: f
            .kind
            .map_or_else(|| tr.t("complaint-portal-kind"), |k| kind_label(tr, k)),
        client: f.client.to_string(),
        channel: channel_label(tr, &f.channel),
        received_on: f.received_on.to_string(),
        status: status_label(tr, f.status),
        scope: if f.trajectories.is_empty() {
            tr.t("request-scope-all")
        } else {
            f.trajectories
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        },
        filed_at: local_time(f.created_at),
    }
}

/// One open request in the queue.
struct QueueRow {
    l: Line,
    next: String,
    days_left: String,
    due_soon: bool,
    overdue: bool,
    identity: bool,
    responded: bool,
    extended: bool,
}

/// The in-app notice of an escalated request, shown until it is closed.
struct Notice {
    id: String,
    reference: String,
    since: String,
}

#[derive(Template)]
#[template(path = "privacy_requests.html")]
struct ListPage {
    l: Layout,
    notices: Vec<Notice>,
    queue: Vec<QueueRow>,
    lines: Vec<Line>,
}

/// The privacy officer's queue and every request and complaint filed.
pub async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let queue = state.app.request_queue(&actor).await?;
    let filed = state.app.filed_requests(&actor).await?;
    let tr = staff.tr;
    html(&ListPage {
        l: Layout::staff(&staff, "title-request-officer-list"),
        notices: queue
            .iter()
            .filter_map(|q| {
                q.escalated_at.map(|at| Notice {
                    id: q.line.id.to_string(),
                    reference: q.line.reference.clone(),
                    since: local_time(at),
                })
            })
            .collect(),
        queue: queue.iter().map(|q| queue_row(tr, q)).collect(),
        lines: filed.iter().map(|f| line(tr, f)).collect(),
    })
}

fn queue_row(tr: Tr, q: &QueueLine) -> QueueRow {
    QueueRow {
        l: line(tr, &q.line),
        next: q.deadlines.next.map(|d| d.to_string()).unwrap_or_default(),
        days_left: days_left_label(tr, &q.deadlines),
        due_soon: q.deadlines.due_soon,
        overdue: q.deadlines.overdue,
        identity: q.identity.is_some(),
        responded: q.responded_on.is_some(),
        extended: q.extended_on.is_some(),
    }
}

#[derive(Template)]
#[template(path = "privacy_request.html")]
struct DetailPage {
    l: Layout,
    r: Line,
    client_name: String,
    subject: Option<String>,
    text: String,
    handling: Option<Handling>,
}

/// A request's handling as the detail page shows it, with its forms.
struct Handling {
    /// Where the request is carried out, by its kind: the address and its label.
    carry_out: Option<(String, String)>,
    registered_by: Option<String>,
    respond_by: String,
    complete_by: String,
    next: String,
    days_left: String,
    due_soon: bool,
    overdue: bool,
    escalated: Option<String>,
    identity: Option<(String, String, String, Option<String>)>,
    responded_on: Option<String>,
    extension: Option<(String, String, String)>,
    /// Why no extension can be recorded now, if none can.
    extension_closed: Option<String>,
    extension_notice_by: Option<String>,
    outcome: Option<(String, Option<String>, String, String)>,
    methods: Vec<(String, String)>,
    outcomes: Vec<(String, String)>,
    typed: Typed,
    errors: HashMap<&'static str, String>,
}

/// What the handling forms held, kept when one is refused.
#[derive(Default, Clone)]
struct Typed {
    method: String,
    identity_on: String,
    note: String,
    responded_on: String,
    reasons: String,
    outcome: String,
    outcome_reasons: String,
    answer_sent_on: String,
}

fn handling_of(
    tr: Tr,
    h: &RequestHandling,
    typed: Typed,
    errors: HashMap<&'static str, String>,
) -> Handling {
    let d = &h.deadlines;
    let nobody = || tr.t("request-by-portal");
    Handling {
        carry_out: h
            .filed
            .detail
            .line
            .kind
            .map(|k| carry_out(tr, k, &h.filed.detail.line)),
        registered_by: h.registered_by.clone(),
        respond_by: d.respond_by.to_string(),
        complete_by: d.complete_by.to_string(),
        next: d.next.map(|n| n.to_string()).unwrap_or_default(),
        days_left: days_left_label(tr, d),
        due_soon: d.due_soon,
        overdue: d.overdue,
        escalated: h.escalated_at.map(local_time),
        identity: h.identity.as_ref().map(|i| {
            (
                identity_label(tr, i.method),
                i.on.to_string(),
                i.recorded_by.clone().unwrap_or_else(nobody),
                i.note.clone(),
            )
        }),
        responded_on: h.responded_on.map(|d| d.to_string()),
        extension: h.extension.as_ref().map(|e| {
            (
                e.on.to_string(),
                e.reasons.clone(),
                e.by.clone().unwrap_or_default(),
            )
        }),
        extension_closed: match h.may_extend {
            Ok(()) => None,
            Err(ExtensionRefused::NotAllowed) => Some(tr.t("request-error-extension-not-allowed")),
            Err(ExtensionRefused::AlreadyExtended) => Some(tr.t("request-error-extension-twice")),
            Err(ExtensionRefused::TooLate) => Some(tr.t("request-error-extension-too-late")),
        },
        extension_notice_by: d.extension_notice_by.map(|n| n.to_string()),
        outcome: h.outcome.as_ref().map(|o| {
            (
                outcome_label(tr, o.outcome),
                o.reasons.clone(),
                o.answer_sent_on.to_string(),
                o.decided_by.clone().unwrap_or_default(),
            )
        }),
        methods: IdentityMethod::ALL
            .iter()
            .filter(|m| **m != IdentityMethod::PortalSecondFactor)
            .map(|m| (m.code().to_owned(), identity_label(tr, *m)))
            .collect(),
        outcomes: Outcome::ALL
            .iter()
            .map(|o| (o.code().to_owned(), outcome_label(tr, *o)))
            .collect(),
        typed,
        errors,
    }
}

/// The page where a request of this kind is carried out (the request page is the hub):
/// the copy for access, the client's rights page for what takes effect on the dossier
/// (with the request's id, which its forms record), erasure and portability on pages of
/// their own.
fn carry_out(tr: Tr, kind: RequestKind, line: &FiledLine) -> (String, String) {
    let id = line.id;
    let client = line.client;
    match kind {
        RequestKind::Access | RequestKind::Copy => (
            format!("/privacy/verzoeken/{id}/kopie"),
            tr.t("request-copy-link"),
        ),
        RequestKind::Rectification => (
            format!("/clienten/{client}/rechten?verzoek={id}#rectify"),
            tr.t("letter-hub-rectification"),
        ),
        RequestKind::Restriction => (
            format!("/clienten/{client}/rechten?verzoek={id}#restrict"),
            tr.t("letter-hub-restriction"),
        ),
        RequestKind::Objection => (
            format!("/clienten/{client}/rechten?verzoek={id}#objection"),
            tr.t("letter-hub-objection"),
        ),
        RequestKind::WithdrawalOfConsent => (
            format!("/clienten/{client}/rechten?verzoek={id}#withdraw"),
            tr.t("letter-hub-withdrawal"),
        ),
        RequestKind::Erasure => (
            format!("/privacy/verzoeken/{id}/verwijdering"),
            tr.t("letter-hub-erasure"),
        ),
        RequestKind::Portability => (
            format!("/privacy/verzoeken/{id}/overdracht"),
            tr.t("letter-hub-portability"),
        ),
    }
}

/// The language a letter is asked in: Dutch unless `taal=en`.
#[derive(serde::Deserialize)]
pub struct LetterQuery {
    #[serde(default)]
    taal: String,
}

impl LetterQuery {
    pub(crate) fn taal(&self) -> &str {
        &self.taal
    }
}

pub(crate) fn letter_language(raw: &str) -> Result<LetterLanguage, CoreError> {
    match raw.trim() {
        "" | "nl" => Ok(LetterLanguage::Nl),
        "en" => Ok(LetterLanguage::En),
        _ => Err(CoreError::invalid("taal", "nl or en")),
    }
}

/// A letter as a download: never cached, its name the reference only.
pub(crate) fn pdf_download(letter: DecisionLetterPdf) -> Response {
    let name: String = letter
        .file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        letter.bytes,
    )
        .into_response()
}

/// The decision letter of a closed request (a recorded export), in Dutch or English.
pub async fn letter(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<LetterQuery>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let language = letter_language(&q.taal)?;
    let letter = state
        .app
        .decision_letter(&staff.as_actor(), id, language)
        .await?;
    Ok(pdf_download(letter))
}

async fn detail_page(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    typed: Typed,
    errors: HashMap<&'static str, String>,
) -> Result<Response, WebError> {
    let actor = staff.as_actor();
    let tr = staff.tr;
    // A complaint has no handling here; a request has.
    let filed = state.app.filed_request(&actor, id).await?;
    let (filed, handling) = if filed.detail.line.kind.is_some() {
        let h = state.app.request_handling_of(&actor, filed).await?;
        let handling = handling_of(tr, &h, typed, errors.clone());
        (h.filed, Some(handling))
    } else {
        (filed, None)
    };
    let mut l = Layout::staff(staff, "title-request-officer");
    l.title = format!("{} {}", l.title, filed.detail.line.reference);
    let mut r = html(&DetailPage {
        l,
        r: line(tr, &filed.detail.line),
        client_name: filed.client_name,
        subject: filed.detail.subject,
        text: filed.detail.text,
        handling,
    })?;
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// One request or complaint with what the client wrote, and a request's handling.
pub async fn detail(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    detail_page(&state, &staff, id, Typed::default(), HashMap::new()).await
}

/// The refusal of a handling form, under the field to show it at.
fn refusal(tr: Tr, e: &CoreError, form: &'static str) -> (&'static str, String) {
    match e {
        CoreError::Invalid { field, .. } => {
            let key = match *field {
                "id_copy" => "request-error-id-copy",
                "method" => "request-error-method",
                "on" | "responded_on" | "answer_sent_on" => "request-error-day",
                "note" => "request-error-note",
                "reasons" => "request-error-reasons",
                "outcome" => "request-error-outcome",
                _ => "invalid-generic",
            };
            let field = match (*field, form) {
                ("reasons", "outcome") => "outcome_reasons",
                (f, _) => f,
            };
            (field, tr.t(key))
        }
        CoreError::Conflict(m) => {
            let key = match m.as_str() {
                zv_core::requests::IDENTITY_FIRST => "request-error-identity-first",
                zv_core::requests::EXTENSION_NOT_ALLOWED => "request-error-extension-not-allowed",
                zv_core::requests::EXTENSION_TWICE => "request-error-extension-twice",
                zv_core::requests::EXTENSION_TOO_LATE => "request-error-extension-too-late",
                zv_core::requests::ALREADY_CLOSED => "request-error-closed",
                _ => "invalid-generic",
            };
            (form, tr.t(key))
        }
        _ => (form, tr.t("invalid-generic")),
    }
}

/// After a step: back to the request, or the page again with the refusal.
async fn after(
    state: &AppState,
    staff: &CurrentStaff,
    id: Uuid,
    result: Result<(), CoreError>,
    typed: Typed,
    form: &'static str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/privacy/verzoeken/{id}")).into_response()),
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
            let (field, message) = refusal(staff.tr, &e, form);
            let errors = HashMap::from([(field, message)]);
            detail_page(state, staff, id, typed, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The identity form's fields, and whether a file came with it. The form is sent as
/// multipart or urlencoded; a file in any field is an ID copy offered (RTS-2), and is
/// read only to be dropped.
async fn identity_fields(req: Request) -> Result<(Fields, bool), WebError> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(fields) = Form::<Vec<(String, String)>>::from_request(req, &())
            .await
            .map_err(|_| WebError::Core(CoreError::invalid("_form", "unreadable form")))?;
        return Ok((Fields(fields), false));
    }
    let mut m = axum::extract::Multipart::from_request(req, &())
        .await
        .map_err(|_| WebError::Core(CoreError::invalid("_form", "unreadable form")))?;
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge
        } else {
            WebError::Core(CoreError::invalid("_form", "unreadable form"))
        }
    };
    let mut fields = Vec::new();
    let mut document = false;
    while let Some(field) = m.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some();
        // Read and dropped: nothing of a document is kept, not even in a log.
        let bytes = field.bytes().await.map_err(unreadable)?;
        if is_file {
            document |= !bytes.is_empty();
        } else {
            fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Ok((Fields(fields), document))
}

/// Records how identity was established (RTS-2); an ID copy is refused.
pub async fn identity(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    req: Request,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let (f, document) = identity_fields(req).await?;
    staff.check_csrf(f.one("csrf"))?;
    let typed = Typed {
        method: f.one("method").trim().to_owned(),
        identity_on: f.one("on").trim().to_owned(),
        note: f.one("note").to_owned(),
        ..Typed::default()
    };
    let result = async {
        if document {
            return Err(CoreError::invalid("id_copy", zv_core::requests::NO_ID_COPY));
        }
        let method = IdentityMethod::from_code(&typed.method)
            .ok_or_else(|| CoreError::invalid("method", "choose how identity was established"))?;
        let on = forms::date("on", &typed.identity_on)?;
        state
            .app
            .record_request_identity(
                &staff.as_actor(),
                id,
                IdentityInput {
                    method,
                    on,
                    note: typed.note.clone(),
                    document_offered: false,
                },
            )
            .await
    }
    .await;
    after(&state, &staff, id, result, typed, "identity").await
}

/// Records the first reaction (RTS-3).
pub async fn reaction(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let f = Fields(fields);
    staff.check_csrf(f.one("csrf"))?;
    let typed = Typed {
        responded_on: f.one("responded_on").trim().to_owned(),
        ..Typed::default()
    };
    let result = async {
        let on = forms::date("responded_on", &typed.responded_on)?;
        state
            .app
            .record_request_reaction(&staff.as_actor(), id, on)
            .await
    }
    .await;
    after(&state, &staff, id, result, typed, "reaction").await
}

/// Records the extension, announced today with reasons (RTS-3).
pub async fn extension(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let f = Fields(fields);
    staff.check_csrf(f.one("csrf"))?;
    let typed = Typed {
        reasons: f.one("reasons").to_owned(),
        ..Typed::default()
    };
    let result = state
        .app
        .extend_request(&staff.as_actor(), id, &typed.reasons)
        .await;
    after(&state, &staff, id, result, typed, "extension").await
}

/// Records the decision and closes the request.
pub async fn decide(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = forms::uuid_of(&id)?;
    let f = Fields(fields);
    staff.check_csrf(f.one("csrf"))?;
    let typed = Typed {
        outcome: f.one("outcome").trim().to_owned(),
        outcome_reasons: f.one("reasons").to_owned(),
        answer_sent_on: f.one("answer_sent_on").trim().to_owned(),
        ..Typed::default()
    };
    let result = async {
        let outcome = Outcome::from_code(&typed.outcome)
            .ok_or_else(|| CoreError::invalid("outcome", "choose the decision"))?;
        let answer_sent_on = forms::date("answer_sent_on", &typed.answer_sent_on)?;
        state
            .app
            .decide_request(
                &staff.as_actor(),
                id,
                OutcomeInput {
                    outcome,
                    reasons: typed.outcome_reasons.clone(),
                    answer_sent_on,
                },
            )
            .await
    }
    .await;
    after(&state, &staff, id, result, typed, "outcome").await
}

/// What the registration form held.
#[derive(Default)]
struct Registration {
    client: String,
    kind: String,
    channel: String,
    received_on: String,
    scope: String,
    trajectories: Vec<String>,
    text: String,
    /// The related person who filed it for the client; empty for the client.
    filed_by: String,
}

#[derive(Template)]
#[template(path = "privacy_request_new.html")]
struct RegisterPage {
    l: Layout,
    /// The form's address: the client's own, or the privacy officer's with a client field.
    action: String,
    client_fixed: bool,
    /// The reference of the request just registered.
    acknowledged: Option<String>,
    kinds: Vec<(String, String)>,
    channels: Vec<(String, String)>,
    /// Id, service and opening day, and whether chosen.
    trajectories: Vec<(String, String, bool)>,
    /// The parents and representatives who read for the client in the portal: id and
    /// label (relation, with the name where the reader may see it).
    filers: Vec<(String, String)>,
    typed: Registration,
    errors: HashMap<&'static str, String>,
}

async fn register_page(
    state: &AppState,
    staff: &CurrentStaff,
    client: Option<ClientId>,
    acknowledged: Option<String>,
    typed: Registration,
    errors: HashMap<&'static str, String>,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let trajectories = match client {
        Some(c) => state
            .app
            .request_scope_options(&staff.as_actor(), c)
            .await?
            .into_iter()
            .map(|(id, service, opened)| {
                let name = state.app.policy().service_type(&service).map_or_else(
                    || service.clone(),
                    |s| match tr.lang {
                        Lang::Nl => s.name_nl.clone(),
                        Lang::En => s.name_en.clone(),
                    },
                );
                let id = id.to_string();
                let chosen = typed.trajectories.contains(&id);
                (id, format!("{name} ({opened})"), chosen)
            })
            .collect(),
        None => Vec::new(),
    };
    let filers = match client {
        Some(c) => state
            .app
            .request_filer_options(&staff.as_actor(), c)
            .await?
            .into_iter()
            .map(|(id, relation, name)| {
                let relation = tr.t(&format!("relation-{}", relation.code().replace('_', "-")));
                let label = name.map_or_else(|| relation.clone(), |n| format!("{n} ({relation})"));
                (id.to_string(), label)
            })
            .collect(),
        None => Vec::new(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = html(&RegisterPage {
        l: Layout::staff(staff, "title-request-register"),
        action: client.map_or_else(
            || "/privacy/verzoeken/nieuw".to_owned(),
            |c| format!("/clienten/{c}/verzoeken/nieuw"),
        ),
        client_fixed: client.is_some(),
        acknowledged,
        kinds: RequestKind::ALL
            .iter()
            .map(|k| (k.code().to_owned(), kind_label(tr, *k)))
            .collect(),
        channels: Channel::ALL
            .iter()
            .filter(|c| **c != Channel::Portal)
            .map(|c| (c.code().to_owned(), channel_label(tr, c.code())))
            .collect(),
        trajectories,
        filers,
        typed,
        errors,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

fn fresh(state: &AppState, client: Option<ClientId>) -> Registration {
    Registration {
        client: client.map(|c| c.to_string()).unwrap_or_default(),
        scope: "all".to_owned(),
        received_on: state.app.clock().today().to_string(),
        ..Registration::default()
    }
}

/// A reference as the registration acknowledges it: `VZ-2026-000001`, nothing else.
fn reference_shape(r: &str) -> bool {
    let mut parts = r.split('-');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("VZ"), Some(y), Some(n), None)
            if y.len() == 4
                && y.chars().all(|c| c.is_ascii_digit())
                && !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
    )
}

#[derive(serde::Deserialize)]
pub struct Acknowledged {
    #[serde(default)]
    kenmerk: String,
}

/// The privacy officer's registration form (a client id to fill in).
pub async fn register_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> Result<Response, WebError> {
    let typed = fresh(&state, None);
    register_page(&state, &staff, None, None, typed, HashMap::new()).await
}

/// The registration form on the client's behalf, from the client's page.
pub async fn register_form_for_client(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<Acknowledged>,
) -> Result<Response, WebError> {
    let client = ClientId::from_uuid(forms::uuid_of(&id)?);
    let typed = fresh(&state, Some(client));
    let ack = reference_shape(&q.kenmerk).then_some(q.kenmerk);
    register_page(&state, &staff, Some(client), ack, typed, HashMap::new()).await
}

/// Registers a request from the privacy officer's form.
pub async fn register(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    register_posted(&state, &staff, None, Fields(fields)).await
}

/// Registers a request from the client's page.
pub async fn register_for_client(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let client = ClientId::from_uuid(forms::uuid_of(&id)?);
    register_posted(&state, &staff, Some(client), Fields(fields)).await
}

async fn register_posted(
    state: &AppState,
    staff: &CurrentStaff,
    fixed: Option<ClientId>,
    f: Fields,
) -> Result<Response, WebError> {
    staff.check_csrf(f.one("csrf"))?;
    let tr = staff.tr;
    let typed = Registration {
        client: fixed.map_or_else(|| f.one("client").trim().to_owned(), |c| c.to_string()),
        kind: f.one("kind").trim().to_owned(),
        channel: f.one("channel").trim().to_owned(),
        received_on: f.one("received_on").trim().to_owned(),
        scope: f.one("scope").trim().to_owned(),
        trajectories: f.all("trajectories"),
        text: f.one("text").to_owned(),
        filed_by: f.one("filed_by").trim().to_owned(),
    };
    let mut errors: HashMap<&'static str, String> = HashMap::new();
    // Empty: the client made the request. Anything else must be a related person's id;
    // whether they read for this client the core decides.
    let filed_by = if typed.filed_by.is_empty() {
        Some(None)
    } else {
        typed
            .filed_by
            .parse::<Uuid>()
            .ok()
            .map(|u| Some(zv_domain::RelatedPersonId::from_uuid(u)))
    };
    if filed_by.is_none() {
        errors.insert("filed_by", tr.t("request-error-filed-by"));
    }
    let client = typed.client.parse::<Uuid>().ok().map(ClientId::from_uuid);
    if client.is_none() {
        errors.insert("client", tr.t("request-error-client"));
    }
    let kind = RequestKind::from_code(&typed.kind);
    if kind.is_none() {
        errors.insert("kind", tr.t("request-error-kind-staff"));
    }
    let channel = Channel::from_code(&typed.channel).filter(|c| *c != Channel::Portal);
    if channel.is_none() {
        errors.insert("channel", tr.t("request-error-channel"));
    }
    let today = state.app.clock().today();
    let received_on = forms::date("received_on", &typed.received_on)
        .ok()
        .filter(|d| *d <= today);
    if received_on.is_none() {
        errors.insert("received_on", tr.t("request-error-received-on"));
    }
    let scope = match typed.scope.as_str() {
        "all" => Some(RequestScope::All),
        "trajectories" => {
            let chosen: Option<Vec<TrajectoryId>> = typed
                .trajectories
                .iter()
                .map(|t| t.parse::<Uuid>().ok().map(TrajectoryId::from_uuid))
                .collect();
            match chosen {
                Some(c) if !c.is_empty() => Some(RequestScope::Trajectories(c)),
                _ => None,
            }
        }
        _ => None,
    };
    if scope.is_none() {
        errors.insert("trajectories", tr.t("request-error-trajectories-staff"));
    }
    let (
        Some(client),
        Some(kind),
        Some(channel),
        Some(received_on),
        Some(scope),
        Some(filed_by),
        true,
    ) = (
        client,
        kind,
        channel,
        received_on,
        scope,
        filed_by,
        errors.is_empty(),
    )
    else {
        return register_page(state, staff, fixed, None, typed, errors).await;
    };
    match state
        .app
        .register_rights_request(
            &staff.as_actor(),
            NewRegisteredRequest {
                client,
                kind,
                scope,
                channel,
                received_on,
                text: typed.text.clone(),
                filed_by,
            },
        )
        .await
    {
        // The worker on the case cannot read the request back: the answer names the
        // reference on the client's page; the privacy officer goes to the request.
        Ok(filed) => Ok(match fixed {
            Some(c) if !staff.actor.roles.contains(&zv_domain::Role::PrivacyOfficer) => {
                Redirect::to(&format!(
                    "/clienten/{c}/verzoeken/nieuw?kenmerk={}",
                    filed.reference
                ))
            }
            _ => Redirect::to(&format!("/privacy/verzoeken/{}", filed.id)),
        }
        .into_response()),
        Err(CoreError::Invalid { field, .. }) => {
            let (field, key) = match field {
                "channel" => ("channel", "request-error-channel"),
                "received_on" => ("received_on", "request-error-received-on"),
                "text" => ("text", "request-error-text"),
                "filed_by" => ("filed_by", "request-error-filed-by"),
                _ => ("trajectories", "request-error-trajectories-staff"),
            };
            errors.insert(field, tr.t(key));
            register_page(state, staff, fixed, None, typed, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
