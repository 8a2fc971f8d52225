//! The privacy officer's audit log through the API (ACC-7): the same filter as the audit
//! screen, a page at a time. The core decides who may read it and records the reading.

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zv_core::CoreError;
use zv_core::audit_log::AuditQuery;
use zv_core::audit_retention::term_code;
use zv_domain::audit::AuditEvent;
use zv_domain::{AuditAction, ClientId, UserId};

use super::auth::Caller;
use super::clients::date;
use super::{ApiError, ok};
use crate::state::AppState;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    #[serde(default)]
    client: Option<String>,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    emergency: Option<String>,
    #[serde(default)]
    before: Option<String>,
    #[serde(default)]
    limit: Option<String>,
}

/// One event as stored: clients and users by id, never by name of a client.
#[derive(Serialize)]
struct Event {
    seq: i64,
    at: DateTime<Utc>,
    action: &'static str,
    outcome: &'static str,
    object: &'static str,
    object_id: Option<uuid::Uuid>,
    client_id: Option<uuid::Uuid>,
    user_id: Option<uuid::Uuid>,
    user_name: String,
    role: String,
    on_behalf_of: Option<uuid::Uuid>,
    purpose: &'static str,
    access_point: String,
    rule_ids: Vec<String>,
    detail: Option<String>,
}

impl From<&AuditEvent> for Event {
    fn from(e: &AuditEvent) -> Self {
        let v = &e.event;
        Self {
            seq: e.seq,
            at: e.at,
            action: v.action.code(),
            outcome: v.outcome.code(),
            object: v.object.code(),
            object_id: v.object_id,
            client_id: v.client_id.map(|c| c.as_uuid()),
            user_id: v.user_id.map(|u| u.as_uuid()),
            user_name: v.user_name.clone(),
            role: v.role.clone(),
            on_behalf_of: v.on_behalf_of.map(|u| u.as_uuid()),
            purpose: v.purpose.code(),
            access_point: v.access_point.clone(),
            rule_ids: v.rule_ids.clone(),
            detail: v.detail.clone(),
        }
    }
}

#[derive(Serialize)]
struct AuditPage {
    events: Vec<Event>,
    /// Pass as `before` for the next page; null on the last.
    next_before: Option<i64>,
    retention: Retention,
}

/// How long the log keeps events and what was removed under that term (ACC-7): the
/// latest signed checkpoint, if any (decision 0028).
#[derive(Serialize)]
struct Retention {
    /// The policy's term, ISO 8601 (`P5Y`).
    term: String,
    /// Every event up to this sequence number was removed; null if none was.
    pruned_through: Option<i64>,
    /// Events from before this date were removed.
    removed_before: Option<chrono::NaiveDate>,
    /// The term the latest removal applied (ISO 8601).
    removed_under_term: Option<String>,
    checkpoint_at: Option<DateTime<Utc>>,
    checkpoint_key_id: Option<String>,
}

fn present(raw: Option<&String>) -> Option<&str> {
    raw.map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn parse(p: &AuditParams) -> Result<(AuditQuery, u64), CoreError> {
    let id = |raw: Option<&String>, field: &'static str| -> Result<Option<uuid::Uuid>, CoreError> {
        present(raw)
            .map(|s| {
                s.parse()
                    .map_err(|_| CoreError::invalid(field, "not an id"))
            })
            .transpose()
    };
    let emergency_only = match present(p.emergency.as_ref()) {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(_) => return Err(CoreError::invalid("emergency", "true or false")),
    };
    let number = |raw: Option<&String>, field: &'static str| -> Result<Option<i64>, CoreError> {
        present(raw)
            .map(|s| {
                s.parse::<i64>()
                    .map_err(|_| CoreError::invalid(field, "a whole number"))
            })
            .transpose()
    };
    let limit = match number(p.limit.as_ref(), "limit")? {
        None => 100,
        Some(n) if (1..=500).contains(&n) => n.unsigned_abs(),
        Some(_) => return Err(CoreError::invalid("limit", "from 1 to 500")),
    };
    Ok((
        AuditQuery {
            client: id(p.client.as_ref(), "client")?.map(ClientId::from_uuid),
            user: id(p.user.as_ref(), "user")?.map(UserId::from_uuid),
            from: present(p.from.as_ref())
                .map(|d| date("from", d))
                .transpose()?,
            to: present(p.to.as_ref()).map(|d| date("to", d)).transpose()?,
            action: present(p.action.as_ref())
                .map(|a| {
                    AuditAction::from_code(a)
                        .ok_or_else(|| CoreError::invalid("action", "unknown action"))
                })
                .transpose()?,
            emergency_only,
            before_seq: number(p.before.as_ref(), "before")?,
        },
        limit,
    ))
}

pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<AuditParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = query.map_err(|_| ApiError::Invalid {
        field: "query",
        message: "the parameters are client, user, from, to, action, emergency, before and limit",
    })?;
    let (query, limit) = parse(&p)?;
    let page = state
        .app
        .audit_events(caller.actor(), &query, limit)
        .await?;
    let (term, latest) = state.app.audit_retention_status(caller.actor()).await?;
    ok(&AuditPage {
        events: page.events.iter().map(Event::from).collect(),
        next_before: page.next_before,
        retention: Retention {
            term: term_code(&term),
            pruned_through: latest.as_ref().map(|c| c.last_seq),
            removed_before: latest.as_ref().map(|c| c.kept_from),
            removed_under_term: latest.as_ref().and_then(|c| c.term.as_ref()).map(term_code),
            checkpoint_at: latest.as_ref().map(|c| c.created_at),
            checkpoint_key_id: latest.as_ref().map(|c| c.key_id.clone()),
        },
    })
}
