//! The meldcode workflow (MLD-1) through the API: the same core calls as
//! `pages::meldcode`, so the same rules decide, the same order of steps holds (an answer
//! out of order is refused) and the same audit events are written.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use zv_core::meldcode::{
    AnswerInput, CaseView, ConsultationInput, ConversationInput, DecisionInput, MeldcodeView, Next,
    SignalsInput, StepRecord, When,
};
use zv_domain::TrajectoryId;

use super::auth::Caller;
use super::{ApiError, Auth, Endpoint, JsonBody, RequestBody, Success, Verb, created, ok, path_id};
use crate::state::AppState;

const READ: Auth = Auth::Scope(zv_core::api_tokens::Scope::Read);
const WRITE: Auth = Auth::Scope(zv_core::api_tokens::Scope::Write);

pub(super) fn endpoints() -> Vec<Endpoint> {
    use RequestBody as B;
    use Success as S;
    let step = |path, operation_id, summary, body| Endpoint {
        verb: Verb::Post,
        path,
        auth: WRITE,
        operation_id,
        tag: "meldcode",
        summary,
        id_of: Some("trajectory"),
        query: &[],
        body: B::Json(body),
        success: S::Created("MeldcodeStepCreated"),
        errors: &[400, 404, 409, 413, 415, 422],
        handler: || post(signals),
    };
    vec![
        Endpoint {
            verb: Verb::Get,
            path: "/trajectories/{id}/meldcode",
            auth: READ,
            operation_id: "meldcode",
            tag: "meldcode",
            summary: "The meldcode of a trajectory: every case with its recorded steps, and where the open one stands (the next question of the assessment framework, or its outcome) (MLD-1; a recorded read)",
            id_of: Some("trajectory"),
            query: &[],
            body: B::None,
            success: S::Ok("Meldcode"),
            errors: &[404],
            handler: || get(view),
        },
        step(
            "/trajectories/{id}/meldcode/signals",
            "meldcodeSignals",
            "Step 1: record signals (each fact apart from opinions) and the child check, with date and place; starts a meldcode when none is open (MLD-1)",
            "MeldcodeSignals",
        ),
        Endpoint {
            handler: || post(consultation),
            ..step(
                "/trajectories/{id}/meldcode/consultations",
                "meldcodeConsultation",
                "Step 2: record a consultation with a colleague, Veilig Thuis or an expert, with date, place and the advice (MLD-1)",
                "MeldcodeConsultation",
            )
        },
        Endpoint {
            handler: || post(conversation),
            ..step(
                "/trajectories/{id}/meldcode/conversation",
                "meldcodeConversation",
                "Step 3: record the conversation with those involved, or the reason it was skipped for safety (MLD-1)",
                "MeldcodeConversation",
            )
        },
        Endpoint {
            handler: || post(answer),
            success: S::Created("MeldcodeAnswered"),
            ..step(
                "/trajectories/{id}/meldcode/answers",
                "meldcodeAnswer",
                "Steps 4 and 5: answer the assessment framework's question that is asked now; an answer out of order, or before the signals, a consultation and the conversation are recorded, is refused (422) (MLD-1)",
                "MeldcodeAnswer",
            )
        },
        Endpoint {
            handler: || post(decide),
            ..step(
                "/trajectories/{id}/meldcode/decision",
                "meldcodeDecision",
                "The decision once the framework reached its outcome: close, help (with follow-up agreements) or report to Veilig Thuis, recorded as a disclosure on the reporting right (Wmo 2015 art. 5.2.6); a decision departing from the outcome needs a reason (MLD-1, SHR-1, SHR-4)",
                "MeldcodeDecision",
            )
        },
    ]
}

#[derive(Serialize)]
struct Step {
    id: uuid::Uuid,
    entry: uuid::Uuid,
    kind: &'static str,
    shielded: bool,
    created_by: uuid::Uuid,
    created_at: DateTime<Utc>,
    record: StepRecord,
}

#[derive(Serialize)]
struct Answer {
    question: &'static str,
    answer: bool,
}

#[derive(Serialize)]
struct Case {
    id: uuid::Uuid,
    started_by: uuid::Uuid,
    started_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
    steps: Vec<Step>,
    veilig_thuis_required: bool,
    before_assessment: Vec<&'static str>,
    answers: Vec<Answer>,
    next_question: Option<&'static str>,
    outcome: Option<&'static str>,
    decision: Option<&'static str>,
}

impl From<&CaseView> for Case {
    fn from(c: &CaseView) -> Self {
        let (next_question, outcome) = match c.state.next {
            Next::Ask(q) => (Some(q.code()), None),
            Next::Outcome(o) => (None, Some(o.code())),
        };
        Self {
            id: c.id,
            started_by: c.started_by.as_uuid(),
            started_at: c.started_at,
            decided_at: c.decided_at,
            steps: c
                .steps
                .iter()
                .map(|s| Step {
                    id: s.id,
                    entry: s.entry.as_uuid(),
                    kind: s.kind.code(),
                    shielded: s.shielded,
                    created_by: s.created_by.as_uuid(),
                    created_at: s.created_at,
                    record: s.record.clone(),
                })
                .collect(),
            veilig_thuis_required: c.state.veilig_thuis_required,
            before_assessment: c.state.before_assessment.clone(),
            answers: c
                .state
                .answers
                .iter()
                .map(|(q, a)| Answer {
                    question: q.code(),
                    answer: *a,
                })
                .collect(),
            next_question,
            outcome,
            decision: c.state.decision.map(|d| d.code()),
        }
    }
}

#[derive(Serialize)]
struct Meldcode {
    trajectory: uuid::Uuid,
    may_record: bool,
    cases: Vec<Case>,
}

impl From<&MeldcodeView> for Meldcode {
    fn from(v: &MeldcodeView) -> Self {
        Self {
            trajectory: v.trajectory.id.as_uuid(),
            may_record: v.may_record,
            cases: v.cases.iter().map(Case::from).collect(),
        }
    }
}

#[derive(Serialize)]
struct StepCreated {
    id: uuid::Uuid,
}

#[derive(Serialize)]
struct Answered {
    id: uuid::Uuid,
    next_question: Option<&'static str>,
    outcome: Option<&'static str>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSignal {
    #[serde(default)]
    kind: Option<String>,
    fact: String,
    #[serde(default)]
    opinion: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSignals {
    occurred_on: NaiveDate,
    place: String,
    signals: Vec<NewSignal>,
    children: String,
    #[serde(default)]
    children_ages: Vec<u8>,
    #[serde(default)]
    shielded: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConsultation {
    occurred_on: NaiveDate,
    place: String,
    consulted: String,
    with_whom: String,
    advice: String,
    #[serde(default)]
    shielded: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewConversation {
    occurred_on: NaiveDate,
    place: String,
    held: bool,
    #[serde(default)]
    with_whom: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    skipped_reason: Option<String>,
    #[serde(default)]
    shielded: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAnswer {
    question: String,
    answer: bool,
    #[serde(default)]
    explanation: Option<String>,
    #[serde(default)]
    shielded: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    decision: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    agreements: Option<String>,
    #[serde(default)]
    recipient: Option<uuid::Uuid>,
    #[serde(default)]
    client_informed: Option<bool>,
    #[serde(default)]
    no_notice_reason: Option<String>,
    #[serde(default)]
    shielded: bool,
}

fn trajectory_of(id: &str) -> Result<TrajectoryId, ApiError> {
    path_id(id).map(TrajectoryId::from_uuid)
}

fn when(occurred_on: NaiveDate, place: String, shielded: bool) -> When {
    When {
        occurred_on: Some(occurred_on),
        place,
        shielded,
    }
}

pub async fn view(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let v = state
        .app
        .meldcode(caller.actor(), trajectory_of(&id)?)
        .await?;
    ok(&Meldcode::from(&v))
}

pub async fn signals(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewSignals>,
) -> Result<Response, ApiError> {
    let input = SignalsInput {
        when: when(b.occurred_on, b.place, b.shielded),
        signals: b
            .signals
            .into_iter()
            .map(|s| {
                (
                    s.kind.unwrap_or_default(),
                    s.fact,
                    s.opinion.unwrap_or_default(),
                )
            })
            .collect(),
        children: b.children,
        children_ages: b
            .children_ages
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(","),
    };
    let id = state
        .app
        .record_meldcode_signals(caller.actor(), trajectory_of(&id)?, &input)
        .await?;
    created(&StepCreated { id })
}

pub async fn consultation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewConsultation>,
) -> Result<Response, ApiError> {
    let input = ConsultationInput {
        when: when(b.occurred_on, b.place, b.shielded),
        consulted: b.consulted,
        with_whom: b.with_whom,
        advice: b.advice,
    };
    let id = state
        .app
        .record_meldcode_consultation(caller.actor(), trajectory_of(&id)?, &input)
        .await?;
    created(&StepCreated { id })
}

pub async fn conversation(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewConversation>,
) -> Result<Response, ApiError> {
    let input = ConversationInput {
        when: when(b.occurred_on, b.place, b.shielded),
        held: b.held,
        with_whom: b.with_whom.unwrap_or_default(),
        summary: b.summary.unwrap_or_default(),
        skipped_reason: b.skipped_reason.unwrap_or_default(),
    };
    let id = state
        .app
        .record_meldcode_conversation(caller.actor(), trajectory_of(&id)?, &input)
        .await?;
    created(&StepCreated { id })
}

pub async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewAnswer>,
) -> Result<Response, ApiError> {
    let input = AnswerInput {
        shielded: b.shielded,
        question: b.question,
        answer: if b.answer { "yes" } else { "no" }.to_owned(),
        explanation: b.explanation.unwrap_or_default(),
    };
    let (id, next) = state
        .app
        .answer_meldcode_question(caller.actor(), trajectory_of(&id)?, &input)
        .await?;
    let (next_question, outcome) = match next {
        Next::Ask(q) => (Some(q.code()), None),
        Next::Outcome(o) => (None, Some(o.code())),
    };
    created(&Answered {
        id,
        next_question,
        outcome,
    })
}

pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<NewDecision>,
) -> Result<Response, ApiError> {
    let input = DecisionInput {
        shielded: b.shielded,
        decision: b.decision,
        reason: b.reason.unwrap_or_default(),
        agreements: b.agreements.unwrap_or_default(),
        recipient: b.recipient,
        client_informed: b.client_informed.unwrap_or(false),
        no_notice_reason: b.no_notice_reason.unwrap_or_default(),
    };
    let id = state
        .app
        .decide_meldcode(caller.actor(), trajectory_of(&id)?, &input)
        .await?;
    created(&StepCreated { id })
}

pub(super) fn schemas(s: &mut Map<String, Value>) {
    let uuid = json!({"type": "string", "format": "uuid"});
    let instant = json!({"type": "string", "format": "date-time"});
    let nullable_instant = json!({"type": ["string", "null"], "format": "date-time"});
    let date = json!({"type": "string", "format": "date"});
    let boolean = json!({"type": "boolean"});
    let string = json!({"type": "string"});
    let nullable_string = json!({"type": ["string", "null"]});
    let questions = json!({"type": "string", "enum": ["suspicion", "acute_unsafety", "effective_help", "accepts_help", "safety_in_time"]});
    let nullable_question = json!({"type": ["string", "null"], "enum": ["suspicion", "acute_unsafety", "effective_help", "accepts_help", "safety_in_time", null]});
    let outcomes = json!({"type": "string", "enum": ["close", "help", "report"]});
    let nullable_outcome =
        json!({"type": ["string", "null"], "enum": ["close", "help", "report", null]});
    let step_kinds = json!({"type": "string", "enum": ["signals", "consultation", "conversation", "answer", "decision"]});
    let record = json!({
        "type": "object",
        "description": "The step's record: `step` names the kind, the other fields are those of that kind (signals with facts apart from opinions and the child check; consultation; conversation or its skipped reason; answer; decision).",
    });
    let step = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "entry": uuid,
            "kind": step_kinds,
            "shielded": boolean,
            "created_by": uuid,
            "created_at": instant,
            "record": record,
        },
        "required": ["id", "entry", "kind", "shielded", "created_by", "created_at", "record"],
        "additionalProperties": false,
    });
    let case = json!({
        "type": "object",
        "properties": {
            "id": uuid,
            "started_by": uuid,
            "started_at": instant,
            "decided_at": nullable_instant,
            "steps": {"type": "array", "items": step},
            "veilig_thuis_required": boolean,
            "before_assessment": {"type": "array", "items": {"type": "string", "enum": ["signals", "consultation", "veilig_thuis", "conversation"]}},
            "answers": {"type": "array", "items": {
                "type": "object",
                "properties": {"question": questions, "answer": boolean},
                "required": ["question", "answer"],
                "additionalProperties": false,
            }},
            "next_question": nullable_question,
            "outcome": nullable_outcome,
            "decision": nullable_outcome,
        },
        "required": ["id", "started_by", "started_at", "decided_at", "steps", "veilig_thuis_required", "before_assessment", "answers", "next_question", "outcome", "decision"],
        "additionalProperties": false,
    });
    s.insert(
        "Meldcode".into(),
        json!({
            "type": "object",
            "description": "The meldcode of a trajectory (MLD-1).",
            "properties": {
                "trajectory": uuid,
                "may_record": boolean,
                "cases": {"type": "array", "items": case},
            },
            "required": ["trajectory", "may_record", "cases"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "MeldcodeStepCreated".into(),
        json!({
            "type": "object",
            "properties": {"id": uuid},
            "required": ["id"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "MeldcodeAnswered".into(),
        json!({
            "type": "object",
            "description": "The answer recorded, and what the framework asks next or the outcome it leads to.",
            "properties": {"id": uuid, "next_question": nullable_question, "outcome": nullable_outcome},
            "required": ["id", "next_question", "outcome"],
            "additionalProperties": false,
        }),
    );
    let signal = json!({
        "type": "object",
        "properties": {
            "kind": {"type": ["string", "null"], "enum": ["general", "honour_related", "forced_marriage", "fgm", null], "description": "honour_related, forced_marriage and fgm are consulted directly with Veilig Thuis"},
            "fact": {"type": "string", "minLength": 1, "description": "What was seen or heard"},
            "opinion": {"type": ["string", "null"], "description": "Interpretation or opinion, kept apart from the fact"},
        },
        "required": ["fact"],
        "additionalProperties": false,
    });
    s.insert(
        "MeldcodeSignals".into(),
        json!({
            "type": "object",
            "properties": {
                "occurred_on": date,
                "place": string,
                "signals": {"type": "array", "items": signal, "minItems": 1},
                "children": {"type": "string", "enum": ["yes", "no", "unknown"]},
                "children_ages": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 17}},
                "shielded": boolean,
            },
            "required": ["occurred_on", "place", "signals", "children"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "MeldcodeConsultation".into(),
        json!({
            "type": "object",
            "properties": {
                "occurred_on": date,
                "place": string,
                "consulted": {"type": "string", "enum": ["colleague", "veilig_thuis", "expert"]},
                "with_whom": string,
                "advice": string,
                "shielded": boolean,
            },
            "required": ["occurred_on", "place", "consulted", "with_whom", "advice"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "MeldcodeConversation".into(),
        json!({
            "type": "object",
            "properties": {
                "occurred_on": date,
                "place": string,
                "held": boolean,
                "with_whom": nullable_string,
                "summary": nullable_string,
                "skipped_reason": {"type": ["string", "null"], "description": "When not held: why, for safety"},
                "shielded": boolean,
            },
            "required": ["occurred_on", "place", "held"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "MeldcodeAnswer".into(),
        json!({
            "type": "object",
            "properties": {
                "question": questions,
                "answer": boolean,
                "explanation": nullable_string,
                "shielded": boolean,
            },
            "required": ["question", "answer"],
            "additionalProperties": false,
        }),
    );
    s.insert(
        "MeldcodeDecision".into(),
        json!({
            "type": "object",
            "properties": {
                "decision": outcomes,
                "reason": {"type": ["string", "null"], "description": "Required when the decision departs from the framework's outcome"},
                "agreements": {"type": ["string", "null"], "description": "Required for help: the follow-up agreements"},
                "recipient": {"type": ["string", "null"], "format": "uuid", "description": "For a report: the Veilig Thuis in the register of recipients"},
                "client_informed": {"type": ["boolean", "null"], "description": "For a report: the client is informed (SHR-4)"},
                "no_notice_reason": {"type": ["string", "null"], "description": "For a report the client is not told of: the safety reason"},
                "shielded": boolean,
            },
            "required": ["decision"],
            "additionalProperties": false,
        }),
    );
}
