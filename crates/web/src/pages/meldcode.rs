//! The meldcode workflow (MLD-1) in the staff web app: one page per trajectory that
//! shows every recorded step and offers the next ones. The assessment framework's next
//! question is shown only once the previous answer leads there, and the decision only
//! once the framework reached its outcome; the core checks the same order again (the API
//! refuses answers out of order). Each form names every refused field in the reader's
//! language and stores nothing when refused.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zv_core::CoreError;
use zv_core::meldcode::{
    AnswerInput, CaseView, Children, ConsultationInput, Consulted, ConversationInput,
    DecisionInput, MeldcodeView, Next, Outcome, Question, SignalKind, SignalsInput, StepKind,
    StepRecord, When,
};
use zv_domain::{TrajectoryId, UserId};

use super::dossier::local_time;
use super::{Layout, forms, html};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::session::CurrentStaff;
use crate::state::AppState;

/// The signal rows one form offers.
const SIGNAL_ROWS: usize = 3;

fn question_label(tr: Tr, q: Question) -> String {
    match q {
        Question::Suspicion => tr.t("meldcode-q-suspicion"),
        Question::AcuteUnsafety => tr.t("meldcode-q-acute-unsafety"),
        Question::EffectiveHelp => tr.t("meldcode-q-effective-help"),
        Question::AcceptsHelp => tr.t("meldcode-q-accepts-help"),
        Question::SafetyInTime => tr.t("meldcode-q-safety-in-time"),
    }
}

fn outcome_label(tr: Tr, o: Outcome) -> String {
    match o {
        Outcome::Close => tr.t("meldcode-outcome-close"),
        Outcome::Help => tr.t("meldcode-outcome-help"),
        Outcome::Report => tr.t("meldcode-outcome-report"),
    }
}

fn step_label(tr: Tr, k: StepKind) -> String {
    match k {
        StepKind::Signals => tr.t("meldcode-step-signals"),
        StepKind::Consultation => tr.t("meldcode-step-consultation"),
        StepKind::Conversation => tr.t("meldcode-step-conversation"),
        StepKind::Answer => tr.t("meldcode-step-answer"),
        StepKind::Decision => tr.t("meldcode-step-decision"),
    }
}

fn signal_kind_label(tr: Tr, k: SignalKind) -> String {
    match k {
        SignalKind::General => tr.t("meldcode-signal-general"),
        SignalKind::HonourRelated => tr.t("meldcode-signal-honour-related"),
        SignalKind::ForcedMarriage => tr.t("meldcode-signal-forced-marriage"),
        SignalKind::Fgm => tr.t("meldcode-signal-fgm"),
    }
}

fn children_label(tr: Tr, c: Children) -> String {
    match c {
        Children::Yes => tr.t("meldcode-children-yes"),
        Children::No => tr.t("meldcode-children-no"),
        Children::Unknown => tr.t("meldcode-children-unknown"),
    }
}

fn consulted_label(tr: Tr, c: Consulted) -> String {
    match c {
        Consulted::Colleague => tr.t("meldcode-consulted-colleague"),
        Consulted::VeiligThuis => tr.t("meldcode-consulted-veilig-thuis"),
        Consulted::Expert => tr.t("meldcode-consulted-expert"),
    }
}

fn yes_no(tr: Tr, b: bool) -> String {
    if b {
        tr.t("meldcode-yes")
    } else {
        tr.t("meldcode-no")
    }
}

/// A refused field in the reader's language.
fn field_message(tr: Tr, field: &str) -> String {
    match field {
        "occurred_on" => tr.t("meldcode-error-occurred-on"),
        "place" => tr.t("meldcode-error-place"),
        "fact" => tr.t("meldcode-error-fact"),
        "opinion" => tr.t("meldcode-error-opinion"),
        "signal_kind" => tr.t("meldcode-error-signal-kind"),
        "children" => tr.t("meldcode-error-children"),
        "children_ages" => tr.t("meldcode-error-children-ages"),
        "consulted" => tr.t("meldcode-error-consulted"),
        "with_whom" => tr.t("meldcode-error-with-whom"),
        "advice" => tr.t("meldcode-error-advice"),
        "summary" => tr.t("meldcode-error-summary"),
        "skipped_reason" => tr.t("meldcode-error-skipped-reason"),
        "question" => tr.t("meldcode-error-question"),
        "answer" => tr.t("meldcode-error-answer"),
        "explanation" => tr.t("meldcode-error-explanation"),
        "decision" => tr.t("meldcode-error-decision"),
        "reason" => tr.t("meldcode-error-reason"),
        "agreements" => tr.t("meldcode-error-agreements"),
        "recipient" => tr.t("meldcode-error-recipient"),
        "no_notice_reason" => tr.t("meldcode-error-no-notice-reason"),
        _ => tr.t("invalid-generic"),
    }
}

/// Every refusal of one form by field. The core names the first refused field; the
/// page checks the others itself so that one submit names every problem.
fn refusals(tr: Tr, e: &CoreError, also: &[&'static str]) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = also
        .iter()
        .map(|f| ((*f).to_owned(), field_message(tr, f)))
        .collect();
    match e {
        CoreError::Invalid { field, .. } => {
            out.insert((*field).to_owned(), field_message(tr, field));
        }
        CoreError::Conflict(_) => {
            out.insert("_form".to_owned(), tr.t("meldcode-error-conflict"));
        }
        _ => {
            out.insert("_form".to_owned(), tr.t("invalid-generic"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Forms

#[derive(Default, Deserialize)]
pub struct SignalsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    occurred_on: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    kind1: String,
    #[serde(default)]
    fact1: String,
    #[serde(default)]
    opinion1: String,
    #[serde(default)]
    kind2: String,
    #[serde(default)]
    fact2: String,
    #[serde(default)]
    opinion2: String,
    #[serde(default)]
    kind3: String,
    #[serde(default)]
    fact3: String,
    #[serde(default)]
    opinion3: String,
    #[serde(default)]
    children: String,
    #[serde(default)]
    children_ages: String,
    #[serde(default)]
    shielded: Option<String>,
}

#[derive(Default, Deserialize)]
pub struct ConsultationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    occurred_on: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    consulted: String,
    #[serde(default)]
    with_whom: String,
    #[serde(default)]
    advice: String,
    #[serde(default)]
    shielded: Option<String>,
}

#[derive(Default, Deserialize)]
pub struct ConversationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    occurred_on: String,
    #[serde(default)]
    place: String,
    /// `yes` (held) or `no` (skipped for safety).
    #[serde(default)]
    held: String,
    #[serde(default)]
    with_whom: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    skipped_reason: String,
    #[serde(default)]
    shielded: Option<String>,
}

#[derive(Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    shielded: Option<String>,
}

#[derive(Default, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    agreements: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    client_informed: Option<String>,
    #[serde(default)]
    no_notice_reason: String,
    #[serde(default)]
    shielded: Option<String>,
}

/// Which form was refused, with what it held and why.
#[derive(Default)]
enum Refused {
    #[default]
    None,
    Signals(SignalsForm),
    Consultation(ConsultationForm),
    Conversation(ConversationForm),
    Answer(AnswerForm),
    Decision(DecisionForm),
}

// ---------------------------------------------------------------------------------------
// The page

struct StepLine {
    id: String,
    entry: String,
    label: String,
    author: String,
    at: String,
    shielded: bool,
    /// Label and value, in order.
    lines: Vec<(String, String)>,
}

struct CaseLine {
    started: String,
    decided: Option<String>,
    steps: Vec<StepLine>,
}

/// One signal row of the form.
struct SignalRow {
    n: usize,
    kind: String,
    fact: String,
    opinion: String,
}

#[derive(Template)]
#[template(path = "meldcode.html")]
struct MeldcodePage {
    l: Layout,
    trajectory_id: String,
    cases: Vec<CaseLine>,
    may_record: bool,
    open: bool,
    today: String,
    /// For the open case.
    veilig_thuis_required: bool,
    veilig_thuis_missing: bool,
    before_assessment: Vec<String>,
    answers: Vec<(String, String)>,
    next_question: Option<(String, String)>,
    outcome: Option<(String, String)>,
    // Choices.
    signal_kinds: Vec<(String, String)>,
    children_choices: Vec<(String, String)>,
    consulted_choices: Vec<(String, String)>,
    decisions: Vec<(String, String)>,
    recipients: Vec<(String, String)>,
    // Forms, with what a refused one held.
    signal_rows: Vec<SignalRow>,
    signals: SignalsForm,
    consultation: ConsultationForm,
    conversation: ConversationForm,
    answer: AnswerForm,
    decision: DecisionForm,
    /// Which form the errors belong to.
    failed: &'static str,
    errors: HashMap<String, String>,
}

fn step_lines(tr: Tr, record: &StepRecord) -> Vec<(String, String)> {
    let mut l = Vec::new();
    match record {
        StepRecord::Signals {
            occurred_on,
            place,
            signals,
            children,
            children_ages,
        } => {
            l.push((tr.t("meldcode-date"), occurred_on.to_string()));
            l.push((tr.t("meldcode-place"), place.clone()));
            for (i, s) in signals.iter().enumerate() {
                let kind = SignalKind::from_code(&s.kind).unwrap_or(SignalKind::General);
                l.push((
                    format!("{} {}", tr.t("meldcode-signal"), i + 1),
                    signal_kind_label(tr, kind),
                ));
                l.push((tr.t("meldcode-fact"), s.fact.clone()));
                if !s.opinion.is_empty() {
                    l.push((tr.t("meldcode-opinion"), s.opinion.clone()));
                }
            }
            let c = Children::from_code(children).unwrap_or(Children::Unknown);
            let mut v = children_label(tr, c);
            if !children_ages.is_empty() {
                let ages: Vec<String> = children_ages.iter().map(u8::to_string).collect();
                v = format!("{v} ({}: {})", tr.t("meldcode-ages"), ages.join(", "));
            }
            l.push((tr.t("meldcode-child-check"), v));
        }
        StepRecord::Consultation {
            occurred_on,
            place,
            consulted,
            with_whom,
            advice,
        } => {
            l.push((tr.t("meldcode-date"), occurred_on.to_string()));
            l.push((tr.t("meldcode-place"), place.clone()));
            let c = Consulted::from_code(consulted).unwrap_or(Consulted::Colleague);
            l.push((
                tr.t("meldcode-consulted"),
                format!("{} · {with_whom}", consulted_label(tr, c)),
            ));
            l.push((tr.t("meldcode-advice"), advice.clone()));
        }
        StepRecord::Conversation {
            occurred_on,
            place,
            held,
            with_whom,
            summary,
            skipped_reason,
        } => {
            l.push((tr.t("meldcode-date"), occurred_on.to_string()));
            l.push((tr.t("meldcode-place"), place.clone()));
            if *held {
                l.push((tr.t("meldcode-with-whom"), with_whom.clone()));
                l.push((tr.t("meldcode-summary"), summary.clone()));
            } else {
                l.push((tr.t("meldcode-skipped"), skipped_reason.clone()));
            }
        }
        StepRecord::Answer {
            occurred_on,
            question,
            answer,
            explanation,
        } => {
            l.push((tr.t("meldcode-date"), occurred_on.to_string()));
            let q = Question::from_code(question).unwrap_or(Question::Suspicion);
            l.push((question_label(tr, q), yes_no(tr, *answer)));
            if !explanation.is_empty() {
                l.push((tr.t("meldcode-explanation"), explanation.clone()));
            }
        }
        StepRecord::Decision {
            occurred_on,
            decision,
            outcome,
            reason,
            agreements,
            client_informed,
            no_notice_reason,
            disclosure,
            ..
        } => {
            l.push((tr.t("meldcode-date"), occurred_on.to_string()));
            if let Some(o) = Outcome::from_code(outcome) {
                l.push((tr.t("meldcode-framework-outcome"), outcome_label(tr, o)));
            }
            if let Some(d) = Outcome::from_code(decision) {
                l.push((tr.t("meldcode-decision"), outcome_label(tr, d)));
            }
            if !reason.is_empty() {
                l.push((tr.t("meldcode-reason"), reason.clone()));
            }
            if !agreements.is_empty() {
                l.push((tr.t("meldcode-agreements"), agreements.clone()));
            }
            if let Some(d) = disclosure {
                l.push((tr.t("meldcode-disclosure"), d.to_string()));
            }
            match client_informed {
                Some(true) => l.push((
                    tr.t("meldcode-client-notice"),
                    tr.t("meldcode-client-informed"),
                )),
                Some(false) => l.push((tr.t("meldcode-client-notice"), no_notice_reason.clone())),
                None => {}
            }
        }
    }
    l
}

fn case_line(tr: Tr, c: &CaseView, names: &HashMap<UserId, String>) -> CaseLine {
    CaseLine {
        started: local_time(c.started_at),
        decided: c.decided_at.map(local_time),
        steps: c
            .steps
            .iter()
            .map(|s| StepLine {
                id: s.id.to_string(),
                entry: s.entry.to_string(),
                label: step_label(tr, s.kind),
                author: names.get(&s.created_by).cloned().unwrap_or_default(),
                at: local_time(s.created_at),
                shielded: s.shielded,
                lines: step_lines(tr, &s.record),
            })
            .collect(),
    }
}

/// The Veilig Thuis organisations of the register a report may go to today.
async fn veilig_thuis(state: &AppState, staff: &CurrentStaff) -> Vec<(String, String)> {
    state
        .app
        .veilig_thuis_recipients(&staff.as_actor())
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect()
}

#[expect(
    clippy::too_many_lines,
    reason = "one page with every form of the workflow"
)]
async fn render(
    state: &AppState,
    staff: &CurrentStaff,
    trajectory: TrajectoryId,
    refused: Refused,
    errors: HashMap<String, String>,
) -> Result<Response, WebError> {
    let tr = staff.tr;
    let view: MeldcodeView = state.app.meldcode(&staff.as_actor(), trajectory).await?;
    let today = state.app.clock().today().to_string();
    let open = view.open_case();
    let (veilig_thuis_required, veilig_thuis_missing, before, answers, next_question, outcome) =
        match open {
            None => (false, false, Vec::new(), Vec::new(), None, None),
            Some(c) => {
                let s = &c.state;
                let before = s
                    .before_assessment
                    .iter()
                    .map(|m| match *m {
                        "signals" => tr.t("meldcode-missing-signals"),
                        "consultation" => tr.t("meldcode-missing-consultation"),
                        "veilig_thuis" => tr.t("meldcode-missing-veilig-thuis"),
                        _ => tr.t("meldcode-missing-conversation"),
                    })
                    .collect();
                let answers = s
                    .answers
                    .iter()
                    .map(|(q, a)| (question_label(tr, *q), yes_no(tr, *a)))
                    .collect();
                let (nq, oc) = match s.next {
                    Next::Ask(q) => (Some((q.code().to_owned(), question_label(tr, q))), None),
                    Next::Outcome(o) => (None, Some((o.code().to_owned(), outcome_label(tr, o)))),
                };
                (
                    s.veilig_thuis_required,
                    s.veilig_thuis_required && !s.consulted_veilig_thuis,
                    before,
                    answers,
                    nq,
                    oc,
                )
            }
        };
    let is_open = open.is_some();
    let recipients = if outcome.is_some() && view.may_record {
        veilig_thuis(state, staff).await
    } else {
        Vec::new()
    };
    let (mut signals, mut consultation, mut conversation, mut answer, mut decision) = (
        SignalsForm::default(),
        ConsultationForm::default(),
        ConversationForm::default(),
        AnswerForm::default(),
        DecisionForm::default(),
    );
    let failed = match refused {
        Refused::None => "",
        Refused::Signals(f) => {
            signals = f;
            "signals"
        }
        Refused::Consultation(f) => {
            consultation = f;
            "consultation"
        }
        Refused::Conversation(f) => {
            conversation = f;
            "conversation"
        }
        Refused::Answer(f) => {
            answer = f;
            "answer"
        }
        Refused::Decision(f) => {
            decision = f;
            "decision"
        }
    };
    for d in [
        &mut signals.occurred_on,
        &mut consultation.occurred_on,
        &mut conversation.occurred_on,
    ] {
        if d.is_empty() {
            d.clone_from(&today);
        }
    }
    if decision.decision.is_empty()
        && let Some((code, _)) = &outcome
    {
        decision.decision.clone_from(code);
    }
    let signal_rows = [
        (&signals.kind1, &signals.fact1, &signals.opinion1),
        (&signals.kind2, &signals.fact2, &signals.opinion2),
        (&signals.kind3, &signals.fact3, &signals.opinion3),
    ]
    .into_iter()
    .take(SIGNAL_ROWS)
    .enumerate()
    .map(|(i, (k, f, o))| SignalRow {
        n: i + 1,
        kind: k.clone(),
        fact: f.clone(),
        opinion: o.clone(),
    })
    .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut l = Layout::staff(staff, "title-meldcode");
    l.title = format!(
        "{} · {}",
        tr.t("title-meldcode"),
        view.trajectory.service_type
    );
    let mut r = html(&MeldcodePage {
        l,
        trajectory_id: trajectory.to_string(),
        cases: view
            .cases
            .iter()
            .map(|c| case_line(tr, c, &view.names))
            .collect(),
        may_record: view.may_record,
        open: is_open,
        today,
        veilig_thuis_required,
        veilig_thuis_missing,
        before_assessment: before,
        answers,
        next_question,
        outcome,
        signal_kinds: SignalKind::ALL
            .iter()
            .map(|k| (k.code().to_owned(), signal_kind_label(tr, *k)))
            .collect(),
        children_choices: Children::ALL
            .iter()
            .map(|c| (c.code().to_owned(), children_label(tr, *c)))
            .collect(),
        consulted_choices: Consulted::ALL
            .iter()
            .map(|c| (c.code().to_owned(), consulted_label(tr, *c)))
            .collect(),
        decisions: Outcome::ALL
            .iter()
            .map(|o| (o.code().to_owned(), outcome_label(tr, *o)))
            .collect(),
        recipients,
        signal_rows,
        signals,
        consultation,
        conversation,
        answer,
        decision,
        failed,
        errors,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

fn trajectory_of(raw: &str) -> Result<TrajectoryId, WebError> {
    forms::uuid_of(raw).map(TrajectoryId::from_uuid)
}

/// Back to the page, at the step just recorded (each its own address, so a browser
/// sees a new page every time).
fn done(trajectory: TrajectoryId, step: uuid::Uuid) -> Response {
    Redirect::to(&format!("/trajecten/{trajectory}/meldcode#step-{step}")).into_response()
}

/// The meldcode page of a trajectory.
pub async fn page(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let trajectory = trajectory_of(&id)?;
    render(&state, &staff, trajectory, Refused::None, HashMap::new()).await
}

/// A refusal the user can act on re-renders the form; anything else is an error page.
async fn outcome_of(
    state: &AppState,
    staff: &CurrentStaff,
    trajectory: TrajectoryId,
    result: Result<Option<uuid::Uuid>, CoreError>,
    also: &[&'static str],
    refused: Refused,
) -> Result<Response, WebError> {
    match result {
        Ok(Some(step)) if also.is_empty() => Ok(done(trajectory, step)),
        Ok(_) => {
            let errors = also
                .iter()
                .map(|f| ((*f).to_owned(), field_message(staff.tr, f)))
                .collect();
            render(state, staff, trajectory, refused, errors).await
        }
        Err(e @ (CoreError::Invalid { .. } | CoreError::Conflict(_))) => {
            let errors = refusals(staff.tr, &e, also);
            render(state, staff, trajectory, refused, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

fn when_of(
    occurred_on: &str,
    place: &str,
    shielded: &Option<String>,
    also: &mut Vec<&'static str>,
) -> When {
    let occurred_on = forms::date("occurred_on", occurred_on).ok();
    if occurred_on.is_none() {
        also.push("occurred_on");
    }
    When {
        occurred_on,
        place: place.to_owned(),
        shielded: forms::checked(shielded),
    }
}

/// Step 1: signals and the child check.
pub async fn signals(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<SignalsForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let trajectory = trajectory_of(&id)?;
    let mut also = Vec::new();
    let input = SignalsInput {
        when: when_of(&f.occurred_on, &f.place, &f.shielded, &mut also),
        signals: vec![
            (f.kind1.clone(), f.fact1.clone(), f.opinion1.clone()),
            (f.kind2.clone(), f.fact2.clone(), f.opinion2.clone()),
            (f.kind3.clone(), f.fact3.clone(), f.opinion3.clone()),
        ],
        children: f.children.clone(),
        children_ages: f.children_ages.clone(),
    };
    // One submit names every field: the core stops at the first, so the page checks
    // the plain ones itself.
    if f.place.trim().is_empty() {
        also.push("place");
    }
    if Children::from_code(f.children.trim()).is_none() {
        also.push("children");
    }
    let result = if also.is_empty() {
        state
            .app
            .record_meldcode_signals(&staff.as_actor(), trajectory, &input)
            .await
            .map(Some)
    } else {
        Ok(None)
    };
    outcome_of(
        &state,
        &staff,
        trajectory,
        result,
        &also,
        Refused::Signals(f),
    )
    .await
}

/// Step 2: a consultation.
pub async fn consultation(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<ConsultationForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let trajectory = trajectory_of(&id)?;
    let mut also = Vec::new();
    let input = ConsultationInput {
        when: when_of(&f.occurred_on, &f.place, &f.shielded, &mut also),
        consulted: f.consulted.clone(),
        with_whom: f.with_whom.clone(),
        advice: f.advice.clone(),
    };
    for (field, value) in [
        ("place", &f.place),
        ("consulted", &f.consulted),
        ("with_whom", &f.with_whom),
        ("advice", &f.advice),
    ] {
        if value.trim().is_empty() {
            also.push(field);
        }
    }
    let result = if also.is_empty() {
        state
            .app
            .record_meldcode_consultation(&staff.as_actor(), trajectory, &input)
            .await
            .map(Some)
    } else {
        Ok(None)
    };
    outcome_of(
        &state,
        &staff,
        trajectory,
        result,
        &also,
        Refused::Consultation(f),
    )
    .await
}

/// Step 3: the conversation, or why it was skipped for safety.
pub async fn conversation(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<ConversationForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let trajectory = trajectory_of(&id)?;
    let mut also = Vec::new();
    let held = match f.held.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let input = ConversationInput {
        when: when_of(&f.occurred_on, &f.place, &f.shielded, &mut also),
        held: held == Some(true),
        with_whom: f.with_whom.clone(),
        summary: f.summary.clone(),
        skipped_reason: if held == Some(false) {
            f.skipped_reason.clone()
        } else {
            String::new()
        },
    };
    if held.is_none() {
        also.push("summary");
    }
    if f.place.trim().is_empty() {
        also.push("place");
    }
    let result = if also.is_empty() {
        state
            .app
            .record_meldcode_conversation(&staff.as_actor(), trajectory, &input)
            .await
            .map(Some)
    } else {
        Ok(None)
    };
    outcome_of(
        &state,
        &staff,
        trajectory,
        result,
        &also,
        Refused::Conversation(f),
    )
    .await
}

/// Steps 4 and 5: the answer to the question asked now.
pub async fn answer(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<AnswerForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let trajectory = trajectory_of(&id)?;
    let input = AnswerInput {
        shielded: forms::checked(&f.shielded),
        question: f.question.clone(),
        answer: f.answer.clone(),
        explanation: f.explanation.clone(),
    };
    let result = state
        .app
        .answer_meldcode_question(&staff.as_actor(), trajectory, &input)
        .await
        .map(|(id, _)| Some(id));
    outcome_of(&state, &staff, trajectory, result, &[], Refused::Answer(f)).await
}

/// The decision.
pub async fn decide(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, WebError> {
    staff.check_csrf(&f.csrf)?;
    let trajectory = trajectory_of(&id)?;
    let mut also = Vec::new();
    let recipient = match forms::uuid_opt("recipient", "choose", &f.recipient) {
        Ok(r) => r,
        Err(_) => {
            also.push("recipient");
            None
        }
    };
    let input = DecisionInput {
        shielded: forms::checked(&f.shielded),
        decision: f.decision.clone(),
        reason: f.reason.clone(),
        agreements: f.agreements.clone(),
        recipient,
        client_informed: forms::checked(&f.client_informed),
        no_notice_reason: f.no_notice_reason.clone(),
    };
    let result = if also.is_empty() {
        state
            .app
            .decide_meldcode(&staff.as_actor(), trajectory, &input)
            .await
            .map(Some)
    } else {
        Ok(None)
    };
    outcome_of(
        &state,
        &staff,
        trajectory,
        result,
        &also,
        Refused::Decision(f),
    )
    .await
}
