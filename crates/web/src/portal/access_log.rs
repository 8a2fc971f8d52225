//! "Wie keek in mijn dossier" (POR-3): the client's own view of the access log, with a
//! period filter. The core decides what is shown and whether a staff member is named
//! (the policy's `shown_to_client_as`); this page puts it in plain words. Reading it is
//! itself a recorded read.
//!
//! Portal accounts have no API tokens (the API is for staff and integrations), so this
//! page has no JSON twin.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::portal::access_log::{AccessLogEntry, AccessLogQuery, LogActor};
use zv_domain::{AuditAction, AuditObject, AuditOutcome, ClientId, Purpose, Role};

use super::PortalLayout;
use super::session::CurrentClient;
use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::pages::dossier::local_time;
use crate::pages::html;
use crate::state::AppState;

/// Lines per page.
const PAGE_SIZE: usize = 100;

/// The filter as typed; the names are the query string's (Dutch, like the paths).
#[derive(Default, Deserialize)]
pub struct LogForm {
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
    #[serde(default)]
    eigen: String,
    #[serde(default)]
    voor: String,
}

struct LogLine {
    at: String,
    who: String,
    /// The function (role labels), when a name is shown beside it.
    function: Option<String>,
    action: String,
    object: String,
    ground: String,
    rules: String,
    emergency: bool,
    /// Refused by the access rules, or a sign-in that failed.
    refused: bool,
    failed: bool,
}

#[derive(Template)]
#[template(path = "portal_access_log.html")]
struct LogPage {
    l: PortalLayout,
    /// This page's own address: the client's own log, or a linked client's.
    path: String,
    f: LogForm,
    from_error: Option<String>,
    to_error: Option<String>,
    lines: Vec<LogLine>,
    /// The filter (without the page) as a query string, for the next page's link.
    query_string: String,
    next_before: Option<i64>,
    searched: bool,
}

/// A date of the filter: empty is none; anything else must be a date.
fn date(raw: &str) -> Result<Option<NaiveDate>, ()> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| ())
}

fn query_string(f: &LogForm) -> String {
    // Dates and a flag only: anything else is percent-encoded.
    let encode = |v: &str| -> String {
        v.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b == b'-' {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    [
        ("van", f.van.trim()),
        ("tot", f.tot.trim()),
        ("eigen", &f.eigen),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", encode(v)))
    .collect::<Vec<_>>()
    .join("&")
}

fn role_label(state: &AppState, tr: Tr, role: Role) -> String {
    let label = state.app.policy().role_label(role);
    match tr.lang {
        Lang::Nl => label.label_nl.clone(),
        Lang::En => label.label_en.clone(),
    }
}

fn who(state: &AppState, tr: Tr, actor: &LogActor) -> (String, Option<String>) {
    match actor {
        LogActor::You => (tr.t("portal-log-who-you"), None),
        LogActor::SignInAttempt => (tr.t("portal-log-who-sign-in-attempt"), None),
        LogActor::OtherPortalAccount => (tr.t("portal-log-who-representative"), None),
        LogActor::TheClient => (tr.t("portal-log-who-client"), None),
        LogActor::System => (tr.t("portal-log-who-system"), None),
        LogActor::Staff { name, roles } => {
            let function = roles
                .iter()
                .map(|r| role_label(state, tr, *r))
                .collect::<Vec<_>>()
                .join(", ");
            let function = if function.is_empty() {
                tr.t("portal-log-who-staff")
            } else {
                function
            };
            match name {
                Some(n) => (n.clone(), Some(function)),
                None => (function, None),
            }
        }
    }
}

fn action_words(tr: Tr, action: AuditAction) -> String {
    match action {
        AuditAction::Create => tr.t("portal-log-action-create"),
        AuditAction::Read => tr.t("portal-log-action-read"),
        AuditAction::Update => tr.t("portal-log-action-update"),
        AuditAction::Delete => tr.t("portal-log-action-delete"),
        AuditAction::PrintCopy => tr.t("portal-log-action-print-copy"),
        AuditAction::Export => tr.t("portal-log-action-export"),
        AuditAction::Search => tr.t("portal-log-action-search"),
        AuditAction::EmergencyAccess => tr.t("portal-log-action-emergency-access"),
        AuditAction::SignIn => tr.t("portal-log-action-sign-in"),
        AuditAction::SignOut => tr.t("portal-log-action-sign-out"),
    }
}

fn object_words(tr: Tr, object: AuditObject) -> String {
    // Administration (accounts, keys, backups, searches) and objects added later read
    // as "other data" until they get words of their own. Work notes and withholdings
    // never get here (the core leaves them out).
    match object {
        AuditObject::ClientProfile => tr.t("portal-log-object-client-profile"),
        AuditObject::Bsn => tr.t("portal-log-object-bsn"),
        AuditObject::RelatedPerson => tr.t("portal-log-object-related-person"),
        AuditObject::Trajectory => tr.t("portal-log-object-trajectory"),
        AuditObject::Entry => tr.t("portal-log-object-entry"),
        AuditObject::GoalProgress => tr.t("portal-log-object-goal-progress"),
        AuditObject::Attachment => tr.t("portal-log-object-attachment"),
        AuditObject::ServicesOverview => tr.t("portal-log-object-services-overview"),
        AuditObject::Complaint => tr.t("portal-log-object-complaint"),
        AuditObject::AccessGrant => tr.t("portal-log-object-access-grant"),
        AuditObject::PortalAccount => tr.t("portal-log-object-portal-account"),
        AuditObject::AuditLog => tr.t("portal-log-object-audit-log"),
        AuditObject::Destruction => tr.t("portal-log-object-destruction"),
        AuditObject::StatementReceipt => tr.t("portal-log-object-statement-receipt"),
        AuditObject::RightsRequest => tr.t("portal-log-object-rights-request"),
        AuditObject::Address => tr.t("portal-log-object-address"),
        AuditObject::Mandate => tr.t("portal-log-object-mandate"),
        AuditObject::YouthConsent => tr.t("portal-log-object-youth-consent"),
        AuditObject::Disclosure => tr.t("portal-log-object-disclosure"),
        _ => tr.t("portal-log-object-other"),
    }
}

fn ground_words(tr: Tr, purpose: Purpose) -> String {
    match purpose {
        Purpose::Care => tr.t("portal-log-ground-care"),
        Purpose::RightsRequest => tr.t("portal-log-ground-rights-request"),
        Purpose::Complaint => tr.t("portal-log-ground-complaint"),
        Purpose::QualityReview => tr.t("portal-log-ground-quality-review"),
        Purpose::Emergency => tr.t("portal-log-ground-emergency"),
        Purpose::Substitution => tr.t("portal-log-ground-substitution"),
        Purpose::Administration => tr.t("portal-log-ground-administration"),
        Purpose::Retention => tr.t("portal-log-ground-retention"),
        Purpose::Statistics => tr.t("portal-log-ground-statistics"),
        Purpose::OwnAccess => tr.t("portal-log-ground-own-access"),
        Purpose::RepresentativeAccess => tr.t("portal-log-ground-representative"),
        Purpose::Demo => tr.t("portal-log-ground-demo"),
    }
}

fn line(state: &AppState, tr: Tr, e: &AccessLogEntry) -> LogLine {
    let (who, function) = who(state, tr, &e.who);
    let mut ground = ground_words(tr, e.purpose);
    if e.on_behalf {
        ground = format!("{ground} {}", tr.t("portal-log-on-behalf"));
    }
    LogLine {
        at: local_time(e.at),
        who,
        function,
        action: action_words(tr, e.action),
        object: object_words(tr, e.object),
        ground,
        rules: e.rule_ids.join(", "),
        emergency: e.emergency,
        refused: e.outcome == AuditOutcome::Denied,
        failed: e.outcome == AuditOutcome::Failure,
    }
}

pub async fn page(
    State(state): State<AppState>,
    client: CurrentClient,
    Query(f): Query<LogForm>,
) -> Result<Response, WebError> {
    show(&state, &client, f, None).await
}

/// The log of a client a parent or representative reads for (MIN-1..4).
pub async fn linked(
    State(state): State<AppState>,
    client: CurrentClient,
    Path(id): Path<String>,
    Query(f): Query<LogForm>,
) -> Result<Response, WebError> {
    let id = id
        .parse::<uuid::Uuid>()
        .map(ClientId::from_uuid)
        .map_err(|_| WebError::NotFound)?;
    show(&state, &client, f, Some(id)).await
}

async fn show(
    state: &AppState,
    client: &CurrentClient,
    f: LogForm,
    linked: Option<ClientId>,
) -> Result<Response, WebError> {
    let tr = client.tr;
    let mut l = PortalLayout::signed_in(state, client, "title-portal-home");
    l.title = tr.t(if linked.is_some() {
        "portal-log-title-linked"
    } else {
        "portal-log-title"
    });
    let mut page = LogPage {
        l,
        path: linked.map_or_else(
            || "/portaal/inzage-log".to_owned(),
            |c| format!("/portaal/dossiers/{c}/inzage-log"),
        ),
        query_string: query_string(&f),
        searched: !f.van.trim().is_empty() || !f.tot.trim().is_empty(),
        f,
        from_error: None,
        to_error: None,
        lines: Vec::new(),
        next_before: None,
    };
    let from = date(&page.f.van);
    let to = date(&page.f.tot);
    if from.is_err() {
        page.from_error = Some(tr.t("portal-log-error-from"));
    }
    if to.is_err() {
        page.to_error = Some(tr.t("portal-log-error-to"));
    }
    let (Ok(from), Ok(to)) = (from, to) else {
        return refused(&page);
    };
    let query = AccessLogQuery {
        from,
        to,
        include_own: page.f.eigen == "1",
        before_seq: page.f.voor.trim().parse().ok(),
    };
    let actor = client.as_actor();
    let found = match linked {
        None => state.app.portal_access_log(&actor, &query, PAGE_SIZE).await,
        Some(c) => {
            state
                .app
                .portal_linked_access_log(&actor, c, &query, PAGE_SIZE)
                .await
        }
    };
    match found {
        Ok(found) => {
            page.lines = found.entries.iter().map(|e| line(state, tr, e)).collect();
            page.next_before = found.next_before;
            html(&page)
        }
        Err(CoreError::Invalid { .. }) => {
            page.to_error = Some(tr.t("portal-log-error-order"));
            refused(&page)
        }
        Err(e) => Err(e.into()),
    }
}

fn refused(page: &LogPage) -> Result<Response, WebError> {
    let mut r = html(page)?;
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}
