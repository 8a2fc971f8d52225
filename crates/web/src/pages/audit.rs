//! The privacy officer's audit screen (ACC-7): filter by client, user, period, action and
//! emergency access; page through; export CSV. The core decides who may and records it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use zv_core::CoreError;
use zv_core::audit_log::AuditQuery;
use zv_domain::{AuditAction, ClientId, Purpose, UserId};

use super::dossier::local_time;
use super::{Layout, field_error, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

#[derive(Default, Deserialize, Serialize)]
pub struct AuditForm {
    #[serde(default)]
    client: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    van: String,
    #[serde(default)]
    tot: String,
    #[serde(default)]
    actie: String,
    #[serde(default)]
    noodtoegang: String,
    #[serde(default, skip_serializing)]
    voor: String,
}

struct EventLine {
    seq: i64,
    at: String,
    who: String,
    action: String,
    object: String,
    client: String,
    purpose: String,
    outcome: String,
    rules: String,
    emergency: bool,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Layout,
    q: AuditForm,
    query_string: String,
    actions: Vec<String>,
    events: Vec<EventLine>,
    next_before: Option<i64>,
    errors: Vec<String>,
    /// What the retention term removed, from the latest signed checkpoint (ACC-7).
    retention: String,
}

/// "5 jaar", "1 jaar en 6 maanden": a term in the reader's language.
pub(crate) fn term_words(tr: Tr, t: &zv_policy::Term) -> String {
    let parts: Vec<String> = [
        (t.years, "audit-term-year", "audit-term-years"),
        (t.months, "audit-term-month", "audit-term-months"),
        (t.weeks, "audit-term-week", "audit-term-weeks"),
        (t.days, "audit-term-day", "audit-term-days"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n != 0)
    .map(|(n, one, many)| tr.t1(if n == 1 { one } else { many }, "count", &n))
    .collect();
    match parts.as_slice() {
        [] => tr.t1("audit-term-days", "count", &0),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), tr.t("audit-term-and")),
    }
}

/// The line above the log: what was removed under the retention term and when, or that
/// nothing was yet.
fn retention_line(
    tr: Tr,
    term: &zv_policy::Term,
    latest: Option<&zv_core::audit_retention::CheckpointSummary>,
) -> String {
    match latest {
        None => format!("{} {}.", tr.t("audit-retention-none"), term_words(tr, term)),
        Some(c) => format!(
            "{} {} {}{}",
            tr.t1("audit-retention-removed-before", "date", &c.kept_from),
            tr.t("audit-retention-under-term"),
            term_words(tr, c.term.as_ref().unwrap_or(term)),
            tr.t("audit-retention-proof"),
        ),
    }
}

fn parse(f: &AuditForm) -> Result<AuditQuery, CoreError> {
    let id = |raw: &str, field: &'static str| -> Result<Option<uuid::Uuid>, CoreError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse()
            .map(Some)
            .map_err(|_| CoreError::invalid(field, "not an id"))
    };
    let date = |raw: &str, field: &'static str| -> Result<Option<chrono::NaiveDate>, CoreError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| CoreError::invalid(field, "not a date"))
    };
    Ok(AuditQuery {
        client: id(&f.client, "client")?.map(ClientId::from_uuid),
        user: id(&f.user, "user")?.map(UserId::from_uuid),
        from: date(&f.van, "from")?,
        to: date(&f.tot, "to")?,
        action: if f.actie.is_empty() {
            None
        } else {
            Some(
                AuditAction::from_code(&f.actie)
                    .ok_or_else(|| CoreError::invalid("action", "unknown action"))?,
            )
        },
        emergency_only: f.noodtoegang == "1",
        before_seq: f.voor.trim().parse().ok(),
    })
}

fn query_string(f: &AuditForm) -> String {
    serde_urlencoded_lite(&[
        ("client", &f.client),
        ("user", &f.user),
        ("van", &f.van),
        ("tot", &f.tot),
        ("actie", &f.actie),
        ("noodtoegang", &f.noodtoegang),
    ])
}

/// The filter as a query string (the values are ids, dates and codes; anything else is
/// percent-encoded).
fn serde_urlencoded_lite(pairs: &[(&str, &String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| {
            let encoded: String = v
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            format!("{k}={encoded}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn screen(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(f): Query<AuditForm>,
) -> Result<Response, WebError> {
    let l = Layout::staff(&staff, "title-audit");
    let actions = AuditAction::ALL
        .iter()
        .map(|a| a.code().to_owned())
        .collect();
    let refused = |l: Layout, f: AuditForm, actions: Vec<String>, e: &CoreError| {
        let errors = vec![field_error(staff.tr, e)];
        let mut r = html(&AuditPage {
            l,
            query_string: query_string(&f),
            q: f,
            actions,
            events: Vec::new(),
            next_before: None,
            errors,
            retention: String::new(),
        })?;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        Ok(r)
    };
    let query = match parse(&f) {
        Ok(q) => q,
        Err(e) => return refused(l, f, actions, &e),
    };
    let page = match state.app.audit_events(&staff.as_actor(), &query, 100).await {
        Ok(p) => p,
        Err(e @ CoreError::Invalid { .. }) => return refused(l, f, actions, &e),
        Err(e) => return Err(e.into()),
    };
    let (term, latest) = state.app.audit_retention_status(&staff.as_actor()).await?;
    let retention = retention_line(staff.tr, &term, latest.as_ref());
    let events = page
        .events
        .iter()
        .map(|e| {
            let v = &e.event;
            EventLine {
                seq: e.seq,
                at: local_time(e.at),
                who: if v.user_name.is_empty() {
                    v.user_id.map(|u| u.to_string()).unwrap_or_default()
                } else {
                    v.user_name.clone()
                },
                action: v.action.code().to_owned(),
                object: v.object.code().to_owned(),
                client: v.client_id.map(|c| c.to_string()).unwrap_or_default(),
                purpose: v.purpose.code().to_owned(),
                outcome: v.outcome.code().to_owned(),
                rules: v.rule_ids.join(" "),
                emergency: v.action == AuditAction::EmergencyAccess
                    || v.purpose == Purpose::Emergency,
            }
        })
        .collect();
    html(&AuditPage {
        l,
        query_string: query_string(&f),
        q: f,
        actions,
        events,
        next_before: page.next_before,
        errors: Vec::new(),
        retention,
    })
}

pub async fn export(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(f): Query<AuditForm>,
) -> Result<Response, WebError> {
    let query = parse(&f)?;
    let csv = state.app.audit_csv(&staff.as_actor(), &query).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"auditlog.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}
