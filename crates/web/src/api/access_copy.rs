//! The access copy of a rights request (RTS-4, TRN-1) through the API: the same core
//! calls as `pages::access_copy`, so the same rules decide and the same audit events are
//! written. The privacy officer's token (scope `audit`) previews a copy, releases or
//! withdraws work notes, and prepares it; the requester downloads it in the portal.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::access_copy::{CopyLine, CopyPreview, PreparedCopy, Requester};
use zv_core::api_tokens::Scope as TokenScope;
use zv_core::requests::RequestKind;
use zv_core::withholdings::{Ground, Scope};
use zv_domain::WorkNoteId;

use super::auth::Caller;
use super::{
    ApiError, Auth, Endpoint, JsonBody, RequestBody, Success, Verb, created, no_content, ok,
    path_id,
};
use crate::state::AppState;

const AUDIT: Auth = Auth::Scope(TokenScope::Audit);

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/requests/{id}/access-copy",
            auth: AUDIT,
            operation_id: "accessCopyPreview",
            tag: "access-copy",
            summary: "What the access copy of an access or copy request will hold: trajectories in scope, what is withheld and why, the work notes to decide on, and the copies before (RTS-4; a recorded read)",
            id_of: Some("request"),
            query: &[],
            body: B::None,
            success: S::Ok("AccessCopyPreview"),
            errors: &[404],
            handler: || get(preview),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/access-copy",
            auth: AUDIT,
            operation_id: "prepareAccessCopy",
            tag: "access-copy",
            summary: "Prepare the access copy (PDF, JSON and attachments in one ZIP), held encrypted for the requester's one download in the portal (RTS-4, TRN-1; recorded as an export)",
            id_of: Some("request"),
            query: &[],
            body: B::None,
            success: S::Created("PreparedAccessCopy"),
            errors: &[404],
            handler: || post(prepare),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/access-copy/releases",
            auth: AUDIT,
            operation_id: "releaseWorkNote",
            tag: "access-copy",
            summary: "Release one personal work note of the client into the copy, with a reason (DOS-2 gives way where no one else's rights oppose)",
            id_of: Some("request"),
            query: &[],
            body: B::Json("WorkNoteRelease"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || post(release),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/requests/{id}/access-copy/withdrawals",
            auth: AUDIT,
            operation_id: "withdrawWorkNoteRelease",
            tag: "access-copy",
            summary: "Take a work note's release back: it stays out of copies prepared from now on",
            id_of: Some("request"),
            query: &[],
            body: B::Json("WorkNoteWithdrawal"),
            success: S::NoContent,
            errors: &[400, 404, 413, 415, 422],
            handler: || post(withdraw),
        },
    ]
}

#[derive(Serialize)]
struct Trajectory {
    id: uuid::Uuid,
    service: String,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    entries: usize,
    withheld_entries: usize,
    attachments: usize,
}

#[derive(Serialize)]
struct Withheld {
    trajectory: uuid::Uuid,
    entry: uuid::Uuid,
    scope: Scope,
    ground: Ground,
}

#[derive(Serialize)]
struct Release {
    reason: String,
    by: uuid::Uuid,
    at: DateTime<Utc>,
}

#[derive(Serialize)]
struct Note {
    id: uuid::Uuid,
    trajectory: uuid::Uuid,
    author: uuid::Uuid,
    author_name: String,
    created_at: DateTime<Utc>,
    release: Option<Release>,
}

#[derive(Serialize)]
struct CopyItem {
    id: uuid::Uuid,
    copy_number: i64,
    prepared_at: DateTime<Utc>,
    available_until: DateTime<Utc>,
    downloaded_at: Option<DateTime<Utc>>,
    available: bool,
    size_bytes: i64,
}

impl From<&CopyLine> for CopyItem {
    fn from(c: &CopyLine) -> Self {
        Self {
            id: c.id,
            copy_number: c.copy_number,
            prepared_at: c.prepared_at,
            available_until: c.available_until,
            downloaded_at: c.downloaded_at,
            available: c.available,
            size_bytes: c.size_bytes,
        }
    }
}

#[derive(Serialize)]
struct Preview {
    request: uuid::Uuid,
    reference: String,
    kind: RequestKind,
    received_on: NaiveDate,
    client: uuid::Uuid,
    client_name: String,
    requester: Requester,
    address_left_out: bool,
    trajectories: Vec<Trajectory>,
    withheld: Vec<Withheld>,
    work_notes: Vec<Note>,
    prepared_for_client: u64,
    delivered_to_client: u64,
    further_copy: bool,
    copies: Vec<CopyItem>,
}

impl std::fmt::Debug for Preview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Preview({}, ***)", self.reference)
    }
}

impl From<&CopyPreview> for Preview {
    fn from(p: &CopyPreview) -> Self {
        Self {
            request: p.request,
            reference: p.reference.clone(),
            kind: p.kind,
            received_on: p.received_on,
            client: p.client.as_uuid(),
            client_name: p.client_name.clone(),
            requester: p.requester,
            address_left_out: p.address_left_out,
            trajectories: p
                .trajectories
                .iter()
                .map(|t| Trajectory {
                    id: t.id.as_uuid(),
                    service: t.service.clone(),
                    opened_on: t.opened_on,
                    closed_on: t.closed_on,
                    entries: t.entries,
                    withheld_entries: t.withheld_entries,
                    attachments: t.attachments,
                })
                .collect(),
            withheld: p
                .withheld
                .iter()
                .map(|w| Withheld {
                    trajectory: w.trajectory.as_uuid(),
                    entry: w.entry.as_uuid(),
                    scope: w.scope,
                    ground: w.ground,
                })
                .collect(),
            work_notes: p
                .notes
                .iter()
                .map(|n| Note {
                    id: n.id.as_uuid(),
                    trajectory: n.trajectory.as_uuid(),
                    author: n.author.as_uuid(),
                    author_name: n.author_name.clone(),
                    created_at: n.created_at,
                    release: n.release.as_ref().map(|r| Release {
                        reason: r.reason.clone(),
                        by: r.by.as_uuid(),
                        at: r.at,
                    }),
                })
                .collect(),
            prepared_for_client: p.prepared_for_client,
            delivered_to_client: p.delivered_to_client,
            further_copy: p.further_copy(),
            copies: p.copies.iter().map(CopyItem::from).collect(),
        }
    }
}

#[derive(Serialize)]
struct Prepared {
    id: uuid::Uuid,
    copy_number: i64,
    available_until: DateTime<Utc>,
    size_bytes: i64,
}

impl From<&PreparedCopy> for Prepared {
    fn from(p: &PreparedCopy) -> Self {
        Self {
            id: p.id,
            copy_number: p.copy_number,
            available_until: p.available_until,
            size_bytes: p.size_bytes,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkNoteRelease {
    work_note: uuid::Uuid,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkNoteWithdrawal {
    work_note: uuid::Uuid,
}

pub async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let p = state.app.access_copy_preview(caller.actor(), id).await?;
    ok(&Preview::from(&p))
}

pub async fn prepare(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let p = state.app.prepare_access_copy(caller.actor(), id).await?;
    created(&Prepared::from(&p))
}

pub async fn release(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<WorkNoteRelease>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state
        .app
        .release_work_note(
            caller.actor(),
            id,
            WorkNoteId::from_uuid(b.work_note),
            &b.reason,
        )
        .await?;
    no_content()
}

pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<WorkNoteWithdrawal>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state
        .app
        .withdraw_work_note_release(caller.actor(), id, WorkNoteId::from_uuid(b.work_note))
        .await?;
    no_content()
}

/// The schemas of these operations, for the OpenAPI document.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let uuid = json!({"type": "string", "format": "uuid"});
    let instant = json!({"type": "string", "format": "date-time"});
    let nullable_instant = json!({"type": ["string", "null"], "format": "date-time"});
    let date = json!({"type": "string", "format": "date"});
    let integer = json!({"type": "integer"});
    let boolean = json!({"type": "boolean"});
    let string = json!({"type": "string"});
    let grounds: Vec<&str> = Ground::ALL.iter().map(|g| g.code()).collect();
    let scopes: Vec<&str> = Scope::ALL.iter().map(|g| g.code()).collect();
    let kinds: Vec<&str> = RequestKind::ALL.iter().map(|k| k.code()).collect();
    let copy = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "copy_number": integer,
            "prepared_at": instant,
            "available_until": instant,
            "downloaded_at": nullable_instant,
            "available": boolean,
            "size_bytes": integer,
        },
        "required": ["id", "copy_number", "prepared_at", "available_until", "downloaded_at", "available", "size_bytes"],
        "additionalProperties": false,
    });
    s.insert(
        "AccessCopyPreview".into(),
        json!({
            "type": "object",
            "description": "What the access copy of a request will hold (RTS-4). Work notes are listed without their text (DOS-2).",
            "properties": {
                "request": uuid,
                "reference": string,
                "kind": {"type": "string", "enum": kinds},
                "received_on": date,
                "client": uuid,
                "client_name": string,
                "requester": {"type": "string", "enum": ["client", "representative", "no_portal_account"]},
                "address_left_out": boolean,
                "trajectories": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "id": uuid,
                        "service": string,
                        "opened_on": date,
                        "closed_on": {"type": ["string", "null"], "format": "date"},
                        "entries": integer,
                        "withheld_entries": integer,
                        "attachments": integer,
                    },
                    "required": ["id", "service", "opened_on", "closed_on", "entries", "withheld_entries", "attachments"],
                    "additionalProperties": false,
                }},
                "withheld": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "trajectory": uuid,
                        "entry": uuid,
                        "scope": {"type": "string", "enum": scopes},
                        "ground": {"type": "string", "enum": grounds},
                    },
                    "required": ["trajectory", "entry", "scope", "ground"],
                    "additionalProperties": false,
                }},
                "work_notes": {"type": "array", "items": {
                    "type": "object",
                    "properties": {
                        "id": uuid,
                        "trajectory": uuid,
                        "author": uuid,
                        "author_name": string,
                        "created_at": instant,
                        "release": {"oneOf": [{
                            "type": "object",
                            "properties": {"reason": string, "by": uuid, "at": instant},
                            "required": ["reason", "by", "at"],
                            "additionalProperties": false,
                        }, {"type": "null"}]},
                    },
                    "required": ["id", "trajectory", "author", "author_name", "created_at", "release"],
                    "additionalProperties": false,
                }},
                "prepared_for_client": integer,
                "delivered_to_client": integer,
                "further_copy": boolean,
                "copies": {"type": "array", "items": copy},
            },
            "required": ["request", "reference", "kind", "received_on", "client", "client_name", "requester", "address_left_out", "trajectories", "withheld", "work_notes", "prepared_for_client", "delivered_to_client", "further_copy", "copies"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "PreparedAccessCopy".into(),
        json!({
            "type": "object",
            "properties": {
                "id": uuid,
                "copy_number": integer,
                "available_until": instant,
                "size_bytes": integer,
            },
            "required": ["id", "copy_number", "available_until", "size_bytes"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "WorkNoteRelease".into(),
        json!({
            "type": "object",
            "properties": {
                "work_note": uuid,
                "reason": {"type": "string", "minLength": 10, "maxLength": 2000},
            },
            "required": ["work_note", "reason"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "WorkNoteWithdrawal".into(),
        json!({
            "type": "object",
            "properties": {"work_note": uuid},
            "required": ["work_note"],
            "additionalProperties": false,
        }),
    );
}
