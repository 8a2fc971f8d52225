//! Retention through the API (RET-1, RET-2, RET-5): a trajectory's term with its
//! extension and holds, extending and holding, releasing a hold, correcting a child's
//! birth date (which moves the youngest-child term), and the privacy officer's
//! destruction schedule. The same core calls as `pages::retention`.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post, put};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::retention::{
    ExtensionInput, ExtensionView, HoldInput, HoldKind, HoldView, RetentionStatus, RetentionView,
    Schedule, ScheduleLine,
};
use zv_domain::{BirthDate, RelatedPersonId, TrajectoryId};

use super::auth::Caller;
use super::clients::date;
use super::{
    ApiError, Auth, Created, Endpoint, JsonBody, RequestBody, Success, Verb, created, no_content,
    ok, path_id,
};
use crate::state::AppState;

const READ: Auth = Auth::Scope(zv_core::api_tokens::Scope::Read);
const WRITE: Auth = Auth::Scope(zv_core::api_tokens::Scope::Write);

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/retention/schedule",
            auth: READ,
            operation_id: "retentionSchedule",
            tag: "retention",
            summary: "The destruction schedule (the privacy officer's, a recorded read): every trajectory whose term ends within the policy's horizon or has ended, with its service type, team, rule, date and status (held and why, extended until, due); no names, no content",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::Ok("RetentionSchedule"),
            errors: &[],
            handler: || get(schedule),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/trajectories/{id}/retention",
            auth: READ,
            operation_id: "trajectoryRetention",
            tag: "retention",
            summary: "A trajectory's term (a recorded read): the rule, the date, the extension in force and earlier ones, holds by hand, whether an open rights request or complaint holds it, the client's own date, and whether the caller may decide (RET-1, RET-2, RET-5)",
            id_of: Some("trajectory"),
            query: &[],
            body: B::None,
            success: S::Ok("Retention"),
            errors: &[404],
            handler: || get(of_trajectory),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/trajectories/{id}/retention/extensions",
            auth: WRITE,
            operation_id: "extendRetention",
            tag: "retention",
            summary: "Keep a closed trajectory's dossier until a later date, with a reason that does not name the client (RET-5): the privacy officer or the team's lead, only where the rule allows it and within its bounds; a later extension supersedes the one in force",
            id_of: Some("trajectory"),
            query: &[],
            body: B::Json("RetentionExtensionInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(extend),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/trajectories/{id}/retention/holds",
            auth: WRITE,
            operation_id: "placeRetentionHold",
            tag: "retention",
            summary: "Place a hold (a legal claim or an incident) on a trajectory, or on every trajectory of its client, with a reason that does not name the client: nothing it covers is destroyed while it is open (RET-5)",
            id_of: Some("trajectory"),
            query: &[],
            body: B::Json("RetentionHoldInput"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || post(hold),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/retention/holds/{id}/release",
            auth: WRITE,
            operation_id: "releaseRetentionHold",
            tag: "retention",
            summary: "Release an open hold: what it held falls due again on its own dates (RET-5)",
            id_of: Some("hold"),
            query: &[],
            body: B::None,
            success: S::NoContent,
            errors: &[404, 409],
            handler: || post(release),
        },
        Endpoint {
            verb: Verb::Put,
            path: "/related-persons/{id}/birth-date",
            auth: WRITE,
            operation_id: "correctChildBirthDate",
            tag: "retention",
            summary: "Correct the birth date of a child recorded with a client, with a reason kept in the client's rectification history (RTS-5); the terms of the client's closed trajectories move with it in the same transaction (RET-2: kept until the youngest child is 18)",
            id_of: Some("related person"),
            query: &[],
            body: B::Json("BirthDateCorrection"),
            success: S::Created("Created"),
            errors: &[400, 404, 413, 415, 422],
            handler: || put(correct_birth_date),
        },
    ]
}

#[derive(Serialize)]
struct Extension {
    id: uuid::Uuid,
    until: NaiveDate,
    reason: String,
    decided_by: uuid::Uuid,
    decided_by_name: String,
    decided_at: DateTime<Utc>,
    superseded_at: Option<DateTime<Utc>>,
}

impl From<&ExtensionView> for Extension {
    fn from(e: &ExtensionView) -> Self {
        Self {
            id: e.id,
            until: e.until,
            reason: e.reason.clone(),
            decided_by: e.decided_by.as_uuid(),
            decided_by_name: e.decided_by_name.clone(),
            decided_at: e.decided_at,
            superseded_at: e.superseded_at,
        }
    }
}

#[derive(Serialize)]
struct Hold {
    id: uuid::Uuid,
    kind: String,
    reason: String,
    whole_client: bool,
    placed_by: uuid::Uuid,
    placed_by_name: String,
    placed_at: DateTime<Utc>,
    released_by: Option<uuid::Uuid>,
    released_by_name: Option<String>,
    released_at: Option<DateTime<Utc>>,
}

impl From<&HoldView> for Hold {
    fn from(h: &HoldView) -> Self {
        Self {
            id: h.id,
            kind: h.kind.clone(),
            reason: h.reason.clone(),
            whole_client: h.whole_client,
            placed_by: h.placed_by.as_uuid(),
            placed_by_name: h.placed_by_name.clone(),
            placed_at: h.placed_at,
            released_by: h.released_by.map(|u| u.as_uuid()),
            released_by_name: h.released_by_name.clone(),
            released_at: h.released_at,
        }
    }
}

#[derive(Serialize)]
struct Retention {
    trajectory: uuid::Uuid,
    client: uuid::Uuid,
    service_type: String,
    team: String,
    rule: String,
    rule_note: Option<String>,
    closed_on: Option<NaiveDate>,
    retention_until: Option<NaiveDate>,
    keep_until: Option<NaiveDate>,
    extension: Option<Extension>,
    earlier_extensions: Vec<Extension>,
    extension_from: Option<NaiveDate>,
    extension_to: Option<NaiveDate>,
    holds: Vec<Hold>,
    open_request: bool,
    open_complaint: bool,
    held: bool,
    status: &'static str,
    client_keep_until: Option<NaiveDate>,
    may_decide: bool,
}

impl From<&RetentionView> for Retention {
    fn from(v: &RetentionView) -> Self {
        Self {
            trajectory: v.trajectory.as_uuid(),
            client: v.client.as_uuid(),
            service_type: v.service_type.clone(),
            team: v.team.clone(),
            rule: v.rule.clone(),
            rule_note: v.rule_note.clone(),
            closed_on: v.closed_on,
            retention_until: v.retention_until,
            keep_until: v.keep_until,
            extension: v.extension.as_ref().map(Extension::from),
            earlier_extensions: v.earlier_extensions.iter().map(Extension::from).collect(),
            extension_from: v.extension_from,
            extension_to: v.extension_to,
            holds: v.holds.iter().map(Hold::from).collect(),
            open_request: v.open_request,
            open_complaint: v.open_complaint,
            held: v.held(),
            status: v.status.code(),
            client_keep_until: v.client_keep_until,
            may_decide: v.may_decide,
        }
    }
}

#[derive(Serialize)]
struct Line {
    trajectory: uuid::Uuid,
    service_type: String,
    team: String,
    rule: String,
    retention_until: NaiveDate,
    extended_until: Option<NaiveDate>,
    status: &'static str,
    held_by: Vec<String>,
    hold_reasons: Vec<String>,
}

impl From<&ScheduleLine> for Line {
    fn from(l: &ScheduleLine) -> Self {
        Self {
            trajectory: l.trajectory.as_uuid(),
            service_type: l.service_type.clone(),
            team: l.team.clone(),
            rule: l.rule.clone(),
            retention_until: l.retention_until,
            extended_until: l.extended_until,
            status: l.status.code(),
            held_by: l.held_by.clone(),
            hold_reasons: l.hold_reasons.clone(),
        }
    }
}

#[derive(Serialize)]
struct ScheduleOut {
    today: NaiveDate,
    until: NaiveDate,
    truncated: bool,
    lines: Vec<Line>,
}

impl From<&Schedule> for ScheduleOut {
    fn from(s: &Schedule) -> Self {
        Self {
            today: s.today,
            until: s.until,
            truncated: s.truncated,
            lines: s.lines.iter().map(Line::from).collect(),
        }
    }
}

fn trajectory_id(raw: &str) -> Result<TrajectoryId, ApiError> {
    path_id(raw).map(TrajectoryId::from_uuid)
}

pub async fn schedule(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let s = state.app.retention_schedule(caller.actor()).await?;
    ok(&ScheduleOut::from(&s))
}

pub async fn of_trajectory(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let v = state
        .app
        .retention_of(caller.actor(), trajectory_id(&id)?)
        .await?;
    ok(&Retention::from(&v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionIn {
    until: String,
    reason: String,
}

pub async fn extend(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ExtensionIn>,
) -> Result<Response, ApiError> {
    let trajectory = trajectory_id(&id)?;
    let until = date("until", &b.until)?;
    let id = state
        .app
        .extend_retention(
            caller.actor(),
            trajectory,
            ExtensionInput {
                until,
                reason: b.reason,
            },
        )
        .await?;
    created(&Created { id })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldIn {
    kind: String,
    reason: String,
    #[serde(default)]
    whole_client: bool,
}

pub async fn hold(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<HoldIn>,
) -> Result<Response, ApiError> {
    let trajectory = trajectory_id(&id)?;
    let id = state
        .app
        .place_retention_hold(
            caller.actor(),
            trajectory,
            HoldInput {
                kind: b.kind,
                reason: b.reason,
                whole_client: b.whole_client,
            },
        )
        .await?;
    created(&Created { id })
}

pub async fn release(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    state
        .app
        .release_retention_hold(caller.actor(), path_id(&id)?)
        .await?;
    no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BirthDateIn {
    birth_date: String,
    reason: String,
}

pub async fn correct_birth_date(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<BirthDateIn>,
) -> Result<Response, ApiError> {
    let person = path_id(&id).map(RelatedPersonId::from_uuid)?;
    let birth_date = BirthDate::parse(&b.birth_date, state.app.clock().today())
        .map_err(zv_core::CoreError::field("birth_date"))?;
    let id = state
        .app
        .correct_child_birth_date(caller.actor(), person, birth_date, &b.reason)
        .await?;
    created(&Created { id })
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let uuid = json!({"type": "string", "format": "uuid"});
    let nullable_uuid = json!({"type": ["string", "null"], "format": "uuid"});
    let date = json!({"type": "string", "format": "date"});
    let nullable_date = json!({"type": ["string", "null"], "format": "date"});
    let time = json!({"type": "string", "format": "date-time"});
    let nullable_time = json!({"type": ["string", "null"], "format": "date-time"});
    let string = json!({"type": "string"});
    let nullable_string = json!({"type": ["string", "null"]});
    let boolean = json!({"type": "boolean"});
    let statuses: Vec<&str> = RetentionStatus::ALL.iter().map(|s| s.code()).collect();
    let status = json!({"type": "string", "enum": statuses, "description": "open: no term yet; kept: the term runs; extended: kept longer by an extension; held: past its term but held; due: the sweep destroys or anonymises it"});
    let kinds: Vec<&str> = HoldKind::ALL.iter().map(|k| k.code()).collect();
    let object = |props: &[(&str, Value)]| {
        let properties: Map<String, Value> = props
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect();
        let required: Vec<&str> = props.iter().map(|(k, _)| *k).collect();
        json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        })
    };
    let extension = object(&[
        ("id", uuid.clone()),
        ("until", date.clone()),
        ("reason", string.clone()),
        ("decided_by", uuid.clone()),
        ("decided_by_name", string.clone()),
        ("decided_at", time.clone()),
        ("superseded_at", nullable_time.clone()),
    ]);
    let hold = object(&[
        ("id", uuid.clone()),
        ("kind", json!({"type": "string", "enum": kinds.clone()})),
        ("reason", string.clone()),
        ("whole_client", boolean.clone()),
        ("placed_by", uuid.clone()),
        ("placed_by_name", string.clone()),
        ("placed_at", time),
        ("released_by", nullable_uuid),
        ("released_by_name", nullable_string.clone()),
        ("released_at", nullable_time),
    ]);
    s.insert(
        "Retention".into(),
        object(&[
            ("trajectory", uuid.clone()),
            ("client", uuid.clone()),
            ("service_type", string.clone()),
            ("team", string.clone()),
            ("rule", string.clone()),
            ("rule_note", nullable_string),
            ("closed_on", nullable_date.clone()),
            ("retention_until", nullable_date.clone()),
            ("keep_until", nullable_date.clone()),
            (
                "extension",
                json!({"oneOf": [extension.clone(), {"type": "null"}]}),
            ),
            (
                "earlier_extensions",
                json!({"type": "array", "items": extension}),
            ),
            ("extension_from", nullable_date.clone()),
            ("extension_to", nullable_date.clone()),
            ("holds", json!({"type": "array", "items": hold})),
            ("open_request", boolean.clone()),
            ("open_complaint", boolean.clone()),
            ("held", boolean.clone()),
            ("status", status.clone()),
            ("client_keep_until", nullable_date.clone()),
            ("may_decide", boolean.clone()),
        ]),
    );
    let line = object(&[
        ("trajectory", uuid),
        ("service_type", string.clone()),
        ("team", string.clone()),
        ("rule", string.clone()),
        ("retention_until", date.clone()),
        ("extended_until", nullable_date),
        ("status", status),
        (
            "held_by",
            json!({"type": "array", "items": {"type": "string", "enum": ["legal_claim", "incident", "rights_request", "complaint"]}}),
        ),
        (
            "hold_reasons",
            json!({"type": "array", "items": string.clone()}),
        ),
    ]);
    s.insert(
        "RetentionSchedule".into(),
        object(&[
            ("today", date.clone()),
            ("until", date.clone()),
            ("truncated", boolean.clone()),
            ("lines", json!({"type": "array", "items": line})),
        ]),
    );
    s.insert(
        "RetentionExtensionInput".into(),
        object(&[
            ("until", json!({"type": "string", "format": "date", "description": "The new last day; after the term, within the rule's bounds"})),
            ("reason", json!({"type": "string", "description": "Why, in at least 10 characters, without naming the client"})),
        ]),
    );
    let mut hold_input = object(&[
        ("kind", json!({"type": "string", "enum": kinds})),
        (
            "reason",
            json!({"type": "string", "description": "Why, in at least 10 characters, without naming the client"}),
        ),
        (
            "whole_client",
            json!({"type": "boolean", "description": "Hold every trajectory of the client (default: this one)"}),
        ),
    ]);
    hold_input["required"] = json!(["kind", "reason"]);
    s.insert("RetentionHoldInput".into(), hold_input);
    let mut correction = object(&[
        ("birth_date", date),
        (
            "reason",
            json!({"type": "string", "description": "Why the recorded date was wrong, in at least 10 characters; kept in the client's rectification history (RTS-5)"}),
        ),
    ]);
    correction["required"] = json!(["birth_date", "reason"]);
    s.insert("BirthDateCorrection".into(), correction);
}
