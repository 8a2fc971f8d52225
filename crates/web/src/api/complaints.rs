//! Complaints through the API (CMP-1, ACC-3): the complaints a caller handles with their
//! terms, the register (the privacy officer: every complaint; a manager: those to assign
//! and their own), one complaint with its steps and decision, assignment to a manager
//! (which opens the manager's grant on the trajectories named), steps, the decision, and
//! the answer letter. The same core calls as `pages::complaints`, so the same rules
//! decide and the same audit events are written.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::CoreError;
use zv_core::complaints::{
    Assignment, ComplaintCase, ComplaintDecision, ComplaintLine, ComplaintState,
    ComplaintTrajectory,
};
use zv_domain::{TrajectoryId, UserId};

use super::auth::Caller;
use super::clients::date;
use super::{
    ApiError, Auth, Endpoint, JsonBody, QueryParam, RequestBody, Success, Verb, created, ok,
    path_id,
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
            path: "/complaints",
            auth: READ,
            operation_id: "myComplaints",
            tag: "complaints",
            summary: "The open complaints I handle, with their subjects, state and term: the last day to answer (the policy's handling term), the days left, and whether it is overdue (CMP-1)",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("Complaint"),
            errors: &[],
            handler: || get(my_complaints),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/complaints/overview",
            auth: READ,
            operation_id: "complaintsOverview",
            tag: "complaints",
            summary: "The complaints register without content: for the privacy officer every complaint (a recorded read), for a manager the open complaints without a handler and their own; each with its state, term, days left and overdue flag (CMP-1)",
            id_of: None,
            query: &[],
            body: B::None,
            success: S::List("ComplaintLine"),
            errors: &[],
            handler: || get(overview),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/complaints/{id}",
            auth: READ,
            operation_id: "getComplaint",
            tag: "complaints",
            summary: "One complaint with what the client wrote, the trajectories it concerns, the steps taken and the decision: for its handler while the grant runs (ACC-3) and for the privacy officer (a recorded read)",
            id_of: Some("complaint"),
            query: &[],
            body: B::None,
            success: S::Ok("ComplaintCase"),
            errors: &[404],
            handler: || get(case),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/complaints/{id}/assign",
            auth: WRITE,
            operation_id: "assignComplaint",
            tag: "complaints",
            summary: "Assign a complaint without a handler to a manager (the privacy officer or a manager), naming the trajectories it concerns: opens the manager's grant on each, bound to the complaint, until it closes or the end date (ACC-3, CMP-1)",
            id_of: Some("complaint"),
            query: &[],
            body: B::Json("ComplaintAssignment"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(assign),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/complaints/{id}/steps",
            auth: WRITE,
            operation_id: "recordComplaintStep",
            tag: "complaints",
            summary: "Record a step taken in handling a complaint I handle: the day and what was done (CMP-1)",
            id_of: Some("complaint"),
            query: &[],
            body: B::Json("NewComplaintStep"),
            success: S::Created("Created"),
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(step),
        },
        Endpoint {
            verb: Verb::Post,
            path: "/complaints/{id}/decision",
            auth: WRITE,
            operation_id: "decideComplaint",
            tag: "complaints",
            summary: "Record the decision on a complaint I handle: upheld, partly upheld, not upheld or withdrawn, with the reasons (CMP-1); close it afterwards to end my access",
            id_of: Some("complaint"),
            query: &[],
            body: B::Json("ComplaintDecisionInput"),
            success: S::NoContent,
            errors: &[400, 404, 409, 413, 415, 422],
            handler: || post(decide),
        },
        Endpoint {
            verb: Verb::Get,
            path: "/complaints/{id}/letter",
            auth: READ,
            operation_id: "complaintLetter",
            tag: "complaints",
            summary: "The answer letter of a decided complaint as a PDF (application/pdf): the decision, its reasons and the right to complain to the Autoriteit Persoonsgegevens with its website, phone and postal address; rendered from the stored decision (a recorded export; undecided is 404)",
            id_of: Some("complaint"),
            query: &[QueryParam {
                name: "lang",
                format: "",
                description: "The letter's language: nl (default) or en",
            }],
            body: B::None,
            success: S::File,
            errors: &[404, 422],
            handler: || get(letter),
        },
    ]
}

#[derive(Serialize)]
struct Line {
    id: uuid::Uuid,
    reference: Option<String>,
    client: uuid::Uuid,
    channel: String,
    received_on: NaiveDate,
    handler: Option<uuid::Uuid>,
    handler_name: Option<String>,
    state: ComplaintState,
    decision: Option<ComplaintDecision>,
    decided_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    due_on: NaiveDate,
    days_left: i64,
    overdue: bool,
}

impl From<&ComplaintLine> for Line {
    fn from(l: &ComplaintLine) -> Self {
        Self {
            id: l.id,
            reference: l.reference.clone(),
            client: l.client.as_uuid(),
            channel: l.channel.clone(),
            received_on: l.received_on,
            handler: l.handler.map(|u| u.as_uuid()),
            handler_name: l.handler_name.clone(),
            state: l.state,
            decision: l.decision,
            decided_on: l.decided_on,
            closed_on: l.closed_on,
            due_on: l.due_on,
            days_left: l.days_left,
            overdue: l.overdue,
        }
    }
}

/// The handler's list item: the existing `Complaint` with its term added.
#[derive(Serialize)]
struct Handled {
    id: uuid::Uuid,
    reference: Option<String>,
    trajectory: uuid::Uuid,
    received_on: NaiveDate,
    channel: String,
    subject: String,
    handler: uuid::Uuid,
    closed_on: Option<NaiveDate>,
    state: ComplaintState,
    decision: Option<ComplaintDecision>,
    due_on: NaiveDate,
    days_left: i64,
    overdue: bool,
}

pub async fn my_complaints(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let open = state.app.my_open_complaints(caller.actor()).await?;
    let lines = state.app.complaints_overview(caller.actor()).await?;
    let today = state.app.clock().today();
    ok(&open
        .into_iter()
        .map(|c| {
            let line = lines.iter().find(|l| l.id == c.id);
            let due_on = state.app.complaint_due_on(c.received_on);
            Handled {
                id: c.id,
                reference: c.reference,
                trajectory: c.trajectory.as_uuid(),
                received_on: c.received_on,
                channel: c.channel,
                subject: c.subject,
                handler: c.handler.as_uuid(),
                closed_on: c.closed_on,
                state: line.map_or(ComplaintState::InHandling, |l| l.state),
                decision: line.and_then(|l| l.decision),
                due_on,
                days_left: (due_on - today).num_days(),
                overdue: line.is_some_and(|l| l.overdue),
            }
        })
        .collect::<Vec<_>>())
}

pub async fn overview(State(state): State<AppState>, caller: Caller) -> Result<Response, ApiError> {
    let lines = state.app.complaints_overview(caller.actor()).await?;
    ok(&lines.iter().map(Line::from).collect::<Vec<_>>())
}

#[derive(Serialize)]
struct Trajectory {
    id: uuid::Uuid,
    service: String,
    service_name: String,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
}

impl From<&ComplaintTrajectory> for Trajectory {
    fn from(t: &ComplaintTrajectory) -> Self {
        Self {
            id: t.id.as_uuid(),
            service: t.service.clone(),
            service_name: t.service_name.clone(),
            opened_on: t.opened_on,
            closed_on: t.closed_on,
        }
    }
}

#[derive(Serialize)]
struct Step {
    id: uuid::Uuid,
    taken_on: NaiveDate,
    recorded_by: uuid::Uuid,
    recorded_by_name: String,
    text: String,
}

#[derive(Serialize)]
struct Case {
    #[serde(flatten)]
    line: Line,
    subject: String,
    text: Option<String>,
    trajectories: Vec<Trajectory>,
    steps: Vec<Step>,
    reasons: Option<String>,
}

impl From<&ComplaintCase> for Case {
    fn from(c: &ComplaintCase) -> Self {
        Self {
            line: Line::from(&c.line),
            subject: c.subject.clone(),
            text: c.text.clone(),
            trajectories: c.trajectories.iter().map(Trajectory::from).collect(),
            steps: c
                .steps
                .iter()
                .map(|s| Step {
                    id: s.id,
                    taken_on: s.taken_on,
                    recorded_by: s.recorded_by.as_uuid(),
                    recorded_by_name: s.recorded_by_name.clone(),
                    text: s.text.clone(),
                })
                .collect(),
            reasons: c.reasons.clone(),
        }
    }
}

pub async fn case(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let c = state.app.complaint_case(caller.actor(), id).await?;
    ok(&Case::from(&c))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentIn {
    handler: uuid::Uuid,
    trajectories: Vec<uuid::Uuid>,
    ends_on: String,
}

pub async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<AssignmentIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let ends_on = date("ends_on", &b.ends_on)?;
    state
        .app
        .assign_complaint(
            caller.actor(),
            id,
            Assignment {
                handler: UserId::from_uuid(b.handler),
                trajectories: b
                    .trajectories
                    .into_iter()
                    .map(TrajectoryId::from_uuid)
                    .collect(),
                ends_on,
            },
        )
        .await?;
    super::no_content()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepIn {
    taken_on: String,
    text: String,
}

pub async fn step(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<StepIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let taken_on = date("taken_on", &b.taken_on)?;
    let step = state
        .app
        .record_complaint_step(caller.actor(), id, taken_on, &b.text)
        .await?;
    created(&super::Created { id: step })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionIn {
    decision: String,
    reasons: String,
}

pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<DecisionIn>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    state
        .app
        .decide_complaint(caller.actor(), id, &b.decision, &b.reasons)
        .await?;
    super::no_content()
}

#[derive(Deserialize)]
pub struct LetterQuery {
    #[serde(default)]
    lang: String,
}

pub async fn letter(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<axum::extract::Query<LetterQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(&id)?;
    let lang = query.map(|q| q.0.lang).unwrap_or_else(|_| "?".to_owned());
    let language = crate::pages::requests::letter_language(&lang)
        .map_err(|_| CoreError::invalid("lang", "nl or en"))?;
    let letter = state
        .app
        .complaint_letter(caller.actor(), id, language)
        .await?;
    Ok(crate::pages::complaints::pdf(letter))
}

/// The schemas of this module, added to the document's components.
pub(super) fn schemas(s: &mut Map<String, Value>) {
    let uuid = json!({"type": "string", "format": "uuid"});
    let nullable_uuid = json!({"type": ["string", "null"], "format": "uuid"});
    let date = json!({"type": "string", "format": "date"});
    let nullable_date = json!({"type": ["string", "null"], "format": "date"});
    let string = json!({"type": "string"});
    let nullable_string = json!({"type": ["string", "null"]});
    let states: Vec<&str> = ComplaintState::ALL.iter().map(|s| s.code()).collect();
    let decisions: Vec<&str> = ComplaintDecision::ALL.iter().map(|d| d.code()).collect();
    let state = json!({"type": "string", "enum": states});
    let decision = json!({"type": ["string", "null"], "enum": decisions.iter().map(|d| json!(d)).chain([Value::Null]).collect::<Vec<_>>()});
    let channels = json!({"type": "string", "enum": zv_core::grants::COMPLAINT_CHANNELS});
    let term = [
        ("state", state.clone()),
        ("decision", decision.clone()),
        ("due_on", date.clone()),
        (
            "days_left",
            json!({"type": "integer", "description": "Days from today to due_on; negative when past"}),
        ),
        (
            "overdue",
            json!({"type": "boolean", "description": "Not decided and past the policy's handling term"}),
        ),
    ];
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
    let mut handled = vec![
        ("id", uuid.clone()),
        ("reference", nullable_string.clone()),
        ("trajectory", uuid.clone()),
        ("received_on", date.clone()),
        ("channel", channels.clone()),
        ("subject", string.clone()),
        ("handler", uuid.clone()),
        ("closed_on", nullable_date.clone()),
    ];
    handled.extend(term.iter().cloned());
    s.insert("Complaint".into(), object(&handled));
    let mut line = vec![
        ("id", uuid.clone()),
        ("reference", nullable_string.clone()),
        ("client", uuid.clone()),
        ("channel", channels),
        ("received_on", date.clone()),
        ("handler", nullable_uuid),
        ("handler_name", nullable_string.clone()),
        ("decided_on", nullable_date.clone()),
        ("closed_on", nullable_date.clone()),
    ];
    line.extend(term.iter().cloned());
    s.insert("ComplaintLine".into(), object(&line));
    let trajectory = object(&[
        ("id", uuid.clone()),
        ("service", string.clone()),
        ("service_name", string.clone()),
        ("opened_on", date.clone()),
        ("closed_on", nullable_date.clone()),
    ]);
    let step = object(&[
        ("id", uuid.clone()),
        ("taken_on", date.clone()),
        ("recorded_by", uuid.clone()),
        ("recorded_by_name", string.clone()),
        ("text", string.clone()),
    ]);
    let mut case = line.clone();
    case.extend([
        ("subject", string.clone()),
        ("text", nullable_string.clone()),
        (
            "trajectories",
            json!({"type": "array", "items": trajectory}),
        ),
        ("steps", json!({"type": "array", "items": step})),
        ("reasons", nullable_string),
    ]);
    s.insert("ComplaintCase".into(), object(&case));
    s.insert(
        "ComplaintAssignment".into(),
        object(&[
            ("handler", json!({"type": "string", "format": "uuid", "description": "A manager"})),
            (
                "trajectories",
                json!({"type": "array", "items": uuid, "minItems": 1, "description": "The client's trajectories the complaint concerns"}),
            ),
            (
                "ends_on",
                json!({"type": "string", "format": "date", "description": "The grant's last day, at most the policy's longest grant; it ends earlier when the complaint closes"}),
            ),
        ]),
    );
    s.insert(
        "NewComplaintStep".into(),
        object(&[("taken_on", date), ("text", string.clone())]),
    );
    s.insert(
        "ComplaintDecisionInput".into(),
        object(&[
            ("decision", json!({"type": "string", "enum": decisions})),
            ("reasons", string),
        ]),
    );
}
