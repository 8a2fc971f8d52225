//! The reporting code for domestic violence and child abuse ("meldcode", MLD-1): a
//! workflow on a trajectory that walks the worker on the case through its steps and
//! records each, with date, who and place:
//!
//! 1. the signals, each a fact kept apart from opinions, and the child check (are there
//!    children in the household, and their ages);
//! 2. consultations: with a colleague and, when needed, Veilig Thuis; for
//!    honour-related violence, forced marriage or FGM directly with Veilig Thuis, which
//!    the framework's questions then wait for;
//! 3. the conversation with those involved, or the recorded reason it was skipped for
//!    safety;
//! 4. and 5. the assessment framework's questions, asked in order ([`next_step`]), each
//!    answer recorded, leading to an outcome;
//! 6. the decision: close, help (with follow-up agreements) or report to Veilig Thuis;
//!    a decision that departs from the framework's outcome states why.
//!
//! Each step is an entry of the dossier (kind `meldcode`), so the workers on the case
//! see it where they see everything else, and the client sees it in the portal and the
//! access copy exactly as any entry, through [`crate::withholdings::client_version`]. A
//! step "shielded for safety" is withheld from the client as a whole on the ground
//! `safety`, with even the fact of withholding hidden (the entry's kind would tell a
//! suspected abuser that a meldcode runs); the privacy officer reviews it as any
//! withholding. The structured record the workflow reasons on is kept beside the entry,
//! sealed with the client's key. Every read and write passes the gate
//! (`access/mld1_meldcode.cedar`), and a step's entry and withholding are decided and
//! recorded in the step's transaction.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zv_domain::{
    AuditAction, AuditObject, AuditOutcome, EntryContent, EntryId, EntryKind, TrajectoryId, UserId,
};
use zv_store::meldcode::{CaseRow, StepRow};
use zv_store::{NewEntry, Tx};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor, event};
use crate::keys::Sealer;
use crate::trajectories::TrajectorySummary;
use crate::withholdings::{Ground, Scope, code_enum};

const T_STEPS: &str = "meldcode_steps";
const T_WITHHOLDINGS: &str = "withholdings";
const PLACE_MAX: usize = 200;
const NAME_MAX: usize = 200;
const TEXT_MAX: usize = 10_000;
const REASON_MIN: usize = 10;
/// At most this many signals in one record (a form shows a few rows at a time).
pub const SIGNALS_MAX: usize = 20;

code_enum!(
    /// The kinds of recorded step.
    StepKind {
        /// Step 1: the signals and the child check.
        Signals = "signals",
        /// Step 2: a consultation.
        Consultation = "consultation",
        /// Step 3: the conversation with those involved, or why it was skipped.
        Conversation = "conversation",
        /// Steps 4 and 5: one answer to a question of the assessment framework.
        Answer = "answer",
        /// The decision: close, help or report.
        Decision = "decision",
    }
);

code_enum!(
    /// What a signal is about. The last three are consulted directly with Veilig Thuis.
    SignalKind {
        General = "general",
        /// Honour-related violence ("eergerelateerd geweld").
        HonourRelated = "honour_related",
        /// Forced marriage ("huwelijksdwang").
        ForcedMarriage = "forced_marriage",
        /// Female genital mutilation ("vrouwelijke genitale verminking").
        Fgm = "fgm",
    }
);

impl SignalKind {
    /// Whether the meldcode asks to consult Veilig Thuis directly.
    #[must_use]
    pub const fn directly_to_veilig_thuis(self) -> bool {
        !matches!(self, Self::General)
    }
}

code_enum!(
    /// Whether there are children in the household (the child check).
    Children {
        Yes = "yes",
        No = "no",
        Unknown = "unknown",
    }
);

code_enum!(
    /// With whom a consultation was held.
    Consulted {
        /// A colleague (the aandachtsfunctionaris, for instance).
        Colleague = "colleague",
        /// Veilig Thuis, for advice.
        VeiligThuis = "veilig_thuis",
        /// Another expert.
        Expert = "expert",
    }
);

code_enum!(
    /// The assessment framework's questions, in the order they are asked.
    Question {
        /// Is there a suspicion of domestic violence or child abuse?
        Suspicion = "suspicion",
        /// Is there acute or structural unsafety?
        AcuteUnsafety = "acute_unsafety",
        /// Can I give (or organise) effective help?
        EffectiveHelp = "effective_help",
        /// Do those involved accept that help?
        AcceptsHelp = "accepts_help",
        /// Does the help achieve safety in time?
        SafetyInTime = "safety_in_time",
    }
);

code_enum!(
    /// Where the framework leads, and what the worker decides.
    Outcome {
        /// No suspicion: close the meldcode, recorded.
        Close = "close",
        /// Help with follow-up agreements; the meldcode closes.
        Help = "help",
        /// Report to Veilig Thuis.
        Report = "report",
    }
);

/// What comes next in the framework, given the answers so far in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Next {
    Ask(Question),
    Outcome(Outcome),
}

/// The assessment framework (afwegingskader): suspicion? (no: close) → acute or
/// structural unsafety? (yes: report) → can I give effective help? (no: report) → do they
/// accept help? (no: report) → does help achieve safety in time? (no: report; yes: help
/// with follow-up agreements). `answers` are the answers given, in order; an answer to
/// any other question than the one asked is not part of the path and is never stored.
#[must_use]
pub fn next_step(answers: &[(Question, bool)]) -> Next {
    let mut next = Next::Ask(Question::Suspicion);
    for &(q, yes) in answers {
        let Next::Ask(asked) = next else { break };
        if asked != q {
            break;
        }
        next = match (q, yes) {
            (Question::Suspicion, false) => Next::Outcome(Outcome::Close),
            (Question::Suspicion, true) => Next::Ask(Question::AcuteUnsafety),
            (Question::AcuteUnsafety, true)
            | (Question::EffectiveHelp | Question::AcceptsHelp | Question::SafetyInTime, false) => {
                Next::Outcome(Outcome::Report)
            }
            (Question::AcuteUnsafety, false) => Next::Ask(Question::EffectiveHelp),
            (Question::EffectiveHelp, true) => Next::Ask(Question::AcceptsHelp),
            (Question::AcceptsHelp, true) => Next::Ask(Question::SafetyInTime),
            (Question::SafetyInTime, true) => Next::Outcome(Outcome::Help),
        };
    }
    next
}

// ---------------------------------------------------------------------------------------
// Records as stored (sealed as one JSON value per step)

/// One signal: what was seen or heard (the fact), apart from what anyone thinks of it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signal {
    /// The [`SignalKind`] code.
    pub kind: String,
    pub fact: String,
    pub opinion: String,
}

/// What the worker records, common to every step: when, where, and whether the step is
/// shielded from the client for safety.
#[derive(Clone, Default)]
pub struct When {
    pub occurred_on: Option<NaiveDate>,
    pub place: String,
    pub shielded: bool,
}

/// The record of one step, as stored and shown.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum StepRecord {
    Signals {
        occurred_on: NaiveDate,
        place: String,
        signals: Vec<Signal>,
        children: String,
        /// The children's ages in years, when there are children.
        children_ages: Vec<u8>,
    },
    Consultation {
        occurred_on: NaiveDate,
        place: String,
        consulted: String,
        /// Name or function of whom was consulted.
        with_whom: String,
        advice: String,
    },
    Conversation {
        occurred_on: NaiveDate,
        place: String,
        held: bool,
        /// With whom, when held.
        with_whom: String,
        /// What was discussed, when held.
        summary: String,
        /// Why it was skipped for safety, when not held.
        skipped_reason: String,
    },
    Answer {
        occurred_on: NaiveDate,
        question: String,
        answer: bool,
        explanation: String,
    },
    Decision {
        occurred_on: NaiveDate,
        decision: String,
        /// Where the framework led.
        outcome: String,
        /// Why the decision departs from the outcome (required then).
        reason: String,
        /// For help: the follow-up agreements.
        agreements: String,
        /// For a report: to whom (the recipient register) and the disclosure recorded.
        recipient: Option<Uuid>,
        disclosure: Option<Uuid>,
        /// For a report: whether the client is informed, or the safety reason that
        /// forbids it (SHR-4).
        client_informed: Option<bool>,
        no_notice_reason: String,
    },
}

impl std::fmt::Debug for StepRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StepRecord(***)")
    }
}

impl StepRecord {
    #[must_use]
    pub const fn kind(&self) -> StepKind {
        match self {
            Self::Signals { .. } => StepKind::Signals,
            Self::Consultation { .. } => StepKind::Consultation,
            Self::Conversation { .. } => StepKind::Conversation,
            Self::Answer { .. } => StepKind::Answer,
            Self::Decision { .. } => StepKind::Decision,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Input

/// Step 1 as entered.
#[derive(Clone, Default)]
pub struct SignalsInput {
    pub when: When,
    /// (kind code, fact, opinion) per signal; rows without fact or opinion are skipped.
    pub signals: Vec<(String, String, String)>,
    pub children: String,
    /// The ages, as typed: numbers separated by commas or spaces.
    pub children_ages: String,
}

/// Step 2 as entered.
#[derive(Clone, Default)]
pub struct ConsultationInput {
    pub when: When,
    pub consulted: String,
    pub with_whom: String,
    pub advice: String,
}

/// Step 3 as entered.
#[derive(Clone, Default)]
pub struct ConversationInput {
    pub when: When,
    pub held: bool,
    pub with_whom: String,
    pub summary: String,
    pub skipped_reason: String,
}

/// One answer of the framework as entered.
#[derive(Clone, Default)]
pub struct AnswerInput {
    pub shielded: bool,
    pub question: String,
    /// `yes` or `no`.
    pub answer: String,
    pub explanation: String,
}

/// The decision as entered.
#[derive(Clone, Default)]
pub struct DecisionInput {
    pub shielded: bool,
    pub decision: String,
    pub reason: String,
    pub agreements: String,
    /// For a report: the Veilig Thuis recipient from the register.
    pub recipient: Option<Uuid>,
    /// For a report: the client is informed of it (SHR-4)...
    pub client_informed: bool,
    /// ...or the safety reason that forbids informing them.
    pub no_notice_reason: String,
}

/// Every refusal of a form at once, field by field; nothing is stored.
fn refuse_all(errors: Vec<(&'static str, String)>) -> CoreResult<()> {
    match errors.into_iter().next() {
        None => Ok(()),
        Some((field, problem)) => Err(CoreError::invalid(field, problem)),
    }
}

fn clean(text: &str) -> String {
    text.trim().replace("\r\n", "\n")
}

fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// A text of at most `max` characters, at least `min` (0: optional).
fn text(
    errors: &mut Vec<(&'static str, String)>,
    field: &'static str,
    raw: &str,
    min: usize,
    max: usize,
) -> String {
    let t = clean(raw);
    let n = t.chars().count();
    if n < min {
        errors.push((
            field,
            if min <= 1 {
                "required".to_owned()
            } else {
                format!("state it in at least {min} characters")
            },
        ));
    } else if n > max {
        errors.push((field, format!("at most {max} characters")));
    } else if has_control(&t) {
        errors.push((field, "contains control characters".to_owned()));
    }
    t
}

/// The date a step took place: given, not after today (a step is recorded after it).
fn date(
    errors: &mut Vec<(&'static str, String)>,
    given: Option<NaiveDate>,
    today: NaiveDate,
) -> NaiveDate {
    match given {
        None => {
            errors.push(("occurred_on", "required".to_owned()));
            today
        }
        Some(d) if d > today => {
            errors.push((
                "occurred_on",
                "a step is recorded after it took place, not before".to_owned(),
            ));
            today
        }
        Some(d) => d,
    }
}

fn ages(errors: &mut Vec<(&'static str, String)>, raw: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for part in raw
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
    {
        match part.parse::<u8>() {
            Ok(a) if a < 18 => out.push(a),
            _ => {
                errors.push((
                    "children_ages",
                    "each age is a whole number of years under 18".to_owned(),
                ));
                return Vec::new();
            }
        }
    }
    out
}

impl SignalsInput {
    fn parse(&self, today: NaiveDate) -> CoreResult<StepRecord> {
        let mut errors = Vec::new();
        let occurred_on = date(&mut errors, self.when.occurred_on, today);
        let place = text(&mut errors, "place", &self.when.place, 1, PLACE_MAX);
        let mut signals = Vec::new();
        let mut bad_kind = false;
        for (kind, fact, opinion) in &self.signals {
            // A row left without text is no signal, whatever kind its menu shows.
            if fact.trim().is_empty() && opinion.trim().is_empty() {
                continue;
            }
            let kind = if kind.trim().is_empty() {
                SignalKind::General
            } else if let Some(k) = SignalKind::from_code(kind.trim()) {
                k
            } else {
                bad_kind = true;
                SignalKind::General
            };
            signals.push(Signal {
                kind: kind.code().to_owned(),
                fact: text(&mut errors, "fact", fact, 1, TEXT_MAX),
                opinion: text(&mut errors, "opinion", opinion, 0, TEXT_MAX),
            });
        }
        if bad_kind {
            errors.push((
                "signal_kind",
                "general, honour_related, forced_marriage or fgm".to_owned(),
            ));
        }
        if signals.is_empty() {
            errors.push(("fact", "record at least one signal as a fact".to_owned()));
        } else if signals.len() > SIGNALS_MAX {
            errors.push((
                "fact",
                format!("at most {SIGNALS_MAX} signals in one record"),
            ));
        }
        let children = Children::from_code(self.children.trim());
        if children.is_none() {
            errors.push((
                "children",
                "say whether there are children in the household: yes, no or unknown".to_owned(),
            ));
        }
        let children_ages = ages(&mut errors, &self.children_ages);
        if children == Some(Children::Yes) && children_ages.is_empty() {
            errors.push(("children_ages", "give the children's ages".to_owned()));
        }
        if children != Some(Children::Yes) && !children_ages.is_empty() {
            errors.push((
                "children_ages",
                "ages are given only when there are children".to_owned(),
            ));
        }
        refuse_all(errors)?;
        Ok(StepRecord::Signals {
            occurred_on,
            place,
            signals,
            children: children.map_or("unknown", Children::code).to_owned(),
            children_ages,
        })
    }
}

impl ConsultationInput {
    fn parse(&self, today: NaiveDate) -> CoreResult<StepRecord> {
        let mut errors = Vec::new();
        let occurred_on = date(&mut errors, self.when.occurred_on, today);
        let place = text(&mut errors, "place", &self.when.place, 1, PLACE_MAX);
        let consulted = Consulted::from_code(self.consulted.trim());
        if consulted.is_none() {
            errors.push(("consulted", "colleague, veilig_thuis or expert".to_owned()));
        }
        let with_whom = text(&mut errors, "with_whom", &self.with_whom, 1, NAME_MAX);
        let advice = text(&mut errors, "advice", &self.advice, 1, TEXT_MAX);
        refuse_all(errors)?;
        Ok(StepRecord::Consultation {
            occurred_on,
            place,
            consulted: consulted.map_or("colleague", Consulted::code).to_owned(),
            with_whom,
            advice,
        })
    }
}

impl ConversationInput {
    fn parse(&self, today: NaiveDate) -> CoreResult<StepRecord> {
        let mut errors = Vec::new();
        let occurred_on = date(&mut errors, self.when.occurred_on, today);
        let place = text(&mut errors, "place", &self.when.place, 1, PLACE_MAX);
        let (with_whom, summary, skipped_reason) = if self.held {
            let w = text(&mut errors, "with_whom", &self.with_whom, 1, NAME_MAX);
            let s = text(&mut errors, "summary", &self.summary, 1, TEXT_MAX);
            if !self.skipped_reason.trim().is_empty() {
                errors.push((
                    "skipped_reason",
                    "a reason for skipping is given only when the conversation was not held"
                        .to_owned(),
                ));
            }
            (w, s, String::new())
        } else {
            let r = text(
                &mut errors,
                "skipped_reason",
                &self.skipped_reason,
                REASON_MIN,
                TEXT_MAX,
            );
            (String::new(), String::new(), r)
        };
        refuse_all(errors)?;
        Ok(StepRecord::Conversation {
            occurred_on,
            place,
            held: self.held,
            with_whom,
            summary,
            skipped_reason,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Views

/// One recorded step as the workers on the case see it.
#[derive(Clone, Serialize)]
pub struct StepView {
    pub id: Uuid,
    pub case: Uuid,
    pub entry: EntryId,
    pub kind: StepKind,
    pub shielded: bool,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub record: StepRecord,
}

impl std::fmt::Debug for StepView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StepView({}, {}, ***)", self.id, self.kind.code())
    }
}

/// Where a case stands.
#[derive(Debug, Clone, Serialize)]
pub struct CaseState {
    pub has_signals: bool,
    pub consultations: usize,
    pub consulted_veilig_thuis: bool,
    /// A signal of honour-related violence, forced marriage or FGM: consult Veilig
    /// Thuis directly; the framework waits for it.
    pub veilig_thuis_required: bool,
    pub conversation_recorded: bool,
    /// What is still to be recorded before the framework's questions, by field name
    /// (`signals`, `consultation`, `veilig_thuis`, `conversation`).
    pub before_assessment: Vec<&'static str>,
    /// The answers so far, in order.
    pub answers: Vec<(Question, bool)>,
    pub next: Next,
    /// The decision, once taken.
    pub decision: Option<Outcome>,
}

/// A meldcode case with its steps.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub id: Uuid,
    pub started_by: UserId,
    pub started_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub steps: Vec<StepView>,
    pub state: CaseState,
}

/// The meldcode of a trajectory: its cases, oldest first (the last may be open).
#[derive(Debug, Clone, Serialize)]
pub struct MeldcodeView {
    pub trajectory: TrajectorySummaryLite,
    pub cases: Vec<CaseView>,
    /// The reader may record steps (the workers on the case, on an open trajectory).
    pub may_record: bool,
    /// Staff names for the authors shown.
    pub names: HashMap<UserId, String>,
}

/// What the meldcode page needs of its trajectory.
#[derive(Debug, Clone, Serialize)]
pub struct TrajectorySummaryLite {
    pub id: TrajectoryId,
    pub service_type: String,
    pub closed: bool,
}

impl From<&TrajectorySummary> for TrajectorySummaryLite {
    fn from(t: &TrajectorySummary) -> Self {
        Self {
            id: t.id,
            service_type: t.service_type.clone(),
            closed: t.closed_on.is_some(),
        }
    }
}

impl MeldcodeView {
    /// The case still open, if any.
    #[must_use]
    pub fn open_case(&self) -> Option<&CaseView> {
        self.cases.last().filter(|c| c.decided_at.is_none())
    }
}

fn state_of(steps: &[StepView]) -> CaseState {
    let mut s = CaseState {
        has_signals: false,
        consultations: 0,
        consulted_veilig_thuis: false,
        veilig_thuis_required: false,
        conversation_recorded: false,
        before_assessment: Vec::new(),
        answers: Vec::new(),
        next: Next::Ask(Question::Suspicion),
        decision: None,
    };
    for step in steps {
        match &step.record {
            StepRecord::Signals { signals, .. } => {
                s.has_signals = true;
                s.veilig_thuis_required |= signals.iter().any(|g| {
                    SignalKind::from_code(&g.kind).is_some_and(SignalKind::directly_to_veilig_thuis)
                });
            }
            StepRecord::Consultation { consulted, .. } => {
                s.consultations += 1;
                s.consulted_veilig_thuis |= consulted == Consulted::VeiligThuis.code();
            }
            StepRecord::Conversation { .. } => s.conversation_recorded = true,
            StepRecord::Answer {
                question, answer, ..
            } => {
                if let Some(q) = Question::from_code(question) {
                    s.answers.push((q, *answer));
                }
            }
            StepRecord::Decision { decision, .. } => s.decision = Outcome::from_code(decision),
        }
    }
    if !s.has_signals {
        s.before_assessment.push("signals");
    }
    if s.consultations == 0 {
        s.before_assessment.push("consultation");
    }
    if s.veilig_thuis_required && !s.consulted_veilig_thuis {
        s.before_assessment.push("veilig_thuis");
    }
    if !s.conversation_recorded {
        s.before_assessment.push("conversation");
    }
    s.next = next_step(&s.answers);
    s
}

// ---------------------------------------------------------------------------------------
// The readable record in the dossier (Dutch, the organisation's language of record)

fn yes_no(b: bool) -> &'static str {
    if b { "ja" } else { "nee" }
}

fn signal_kind_nl(code: &str) -> &'static str {
    match SignalKind::from_code(code) {
        Some(SignalKind::HonourRelated) => "eergerelateerd geweld",
        Some(SignalKind::ForcedMarriage) => "huwelijksdwang",
        Some(SignalKind::Fgm) => "vrouwelijke genitale verminking",
        _ => "algemeen",
    }
}

fn question_nl(q: Question) -> &'static str {
    match q {
        Question::Suspicion => "Is er een vermoeden van huiselijk geweld of kindermishandeling?",
        Question::AcuteUnsafety => "Is er sprake van acute of structurele onveiligheid?",
        Question::EffectiveHelp => "Kan ik effectieve hulp bieden of organiseren?",
        Question::AcceptsHelp => "Aanvaarden de betrokkenen die hulp?",
        Question::SafetyInTime => "Leidt de hulp binnen de gewenste termijn tot veiligheid?",
    }
}

fn outcome_nl(code: &str) -> &'static str {
    match Outcome::from_code(code) {
        Some(Outcome::Close) => "afsluiten",
        Some(Outcome::Help) => "hulp bieden met vervolgafspraken",
        Some(Outcome::Report) => "melden bij Veilig Thuis",
        None => "-",
    }
}

/// The entry's title and body for a step: the record in readable form.
fn entry_text(record: &StepRecord, author: &str) -> (String, String) {
    use std::fmt::Write as _;
    let mut b = String::new();
    let title;
    match record {
        StepRecord::Signals {
            occurred_on,
            place,
            signals,
            children,
            children_ages,
        } => {
            title = "Meldcode stap 1: signalen in kaart".to_owned();
            let _ = writeln!(b, "Datum: {occurred_on}\nPlaats: {place}\nDoor: {author}\n");
            for (i, s) in signals.iter().enumerate() {
                let _ = writeln!(b, "Signaal {} ({})", i + 1, signal_kind_nl(&s.kind));
                let _ = writeln!(b, "Feit: {}", s.fact);
                if !s.opinion.is_empty() {
                    let _ = writeln!(b, "Mening/interpretatie: {}", s.opinion);
                }
                b.push('\n');
            }
            let c = match Children::from_code(children) {
                Some(Children::Yes) => "ja",
                Some(Children::No) => "nee",
                _ => "onbekend",
            };
            let _ = write!(b, "Kindcheck: kinderen in het gezin: {c}");
            if !children_ages.is_empty() {
                let a: Vec<String> = children_ages.iter().map(u8::to_string).collect();
                let _ = write!(b, " (leeftijden: {})", a.join(", "));
            }
        }
        StepRecord::Consultation {
            occurred_on,
            place,
            consulted,
            with_whom,
            advice,
        } => {
            title = "Meldcode stap 2: collegiale consultatie".to_owned();
            let with = match Consulted::from_code(consulted) {
                Some(Consulted::VeiligThuis) => "Veilig Thuis",
                Some(Consulted::Expert) => "deskundige",
                _ => "collega",
            };
            let _ = write!(
                b,
                "Datum: {occurred_on}\nPlaats: {place}\nDoor: {author}\nMet: {with}, {with_whom}\n\nAdvies: {advice}"
            );
        }
        StepRecord::Conversation {
            occurred_on,
            place,
            held,
            with_whom,
            summary,
            skipped_reason,
        } => {
            title = "Meldcode stap 3: gesprek met betrokkenen".to_owned();
            let _ = writeln!(b, "Datum: {occurred_on}\nPlaats: {place}\nDoor: {author}");
            if *held {
                let _ = write!(b, "Gesprek gevoerd met: {with_whom}\n\n{summary}");
            } else {
                let _ = write!(
                    b,
                    "Gesprek niet gevoerd vanwege de veiligheid.\nReden: {skipped_reason}"
                );
            }
        }
        StepRecord::Answer {
            occurred_on,
            question,
            answer,
            explanation,
        } => {
            let q = Question::from_code(question).unwrap_or(Question::Suspicion);
            title = "Meldcode stap 4/5: afwegingskader".to_owned();
            let _ = write!(
                b,
                "Datum: {occurred_on}\nDoor: {author}\n{}\nAntwoord: {}",
                question_nl(q),
                yes_no(*answer)
            );
            if !explanation.is_empty() {
                let _ = write!(b, "\nToelichting: {explanation}");
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
            ..
        } => {
            title = "Meldcode: besluit".to_owned();
            let _ = write!(
                b,
                "Datum: {occurred_on}\nDoor: {author}\nUitkomst afwegingskader: {}\nBesluit: {}",
                outcome_nl(outcome),
                outcome_nl(decision)
            );
            if !reason.is_empty() {
                let _ = write!(b, "\nReden voor afwijken van het afwegingskader: {reason}");
            }
            if !agreements.is_empty() {
                let _ = write!(b, "\nVervolgafspraken: {agreements}");
            }
            match client_informed {
                Some(true) => b.push_str("\nDe cliënt wordt over de melding geïnformeerd."),
                Some(false) => {
                    let _ = write!(
                        b,
                        "\nDe cliënt wordt niet geïnformeerd vanwege de veiligheid: {no_notice_reason}"
                    );
                }
                None => {}
            }
        }
    }
    (title, b)
}

// ---------------------------------------------------------------------------------------
// Use cases

/// Why the framework refuses a question now, in words for the API and the logs.
fn out_of_order(next: Next) -> CoreError {
    match next {
        Next::Ask(q) => CoreError::invalid(
            "question",
            format!(
                "answers are given in order: the question now is `{}`",
                q.code()
            ),
        ),
        Next::Outcome(_) => CoreError::invalid(
            "question",
            "the framework has reached its outcome: no further question is asked",
        ),
    }
}

/// A step about to be written: the trajectory and the open case it goes to.
struct StepTarget {
    meta: zv_store::TrajectoryRow,
    case: Option<CaseRow>,
    steps: Vec<StepRow>,
}

impl App {
    fn meldcode_access(action: AuditAction, meta: &zv_store::TrajectoryRow, id: Uuid) -> Access {
        Access::new(action, AuditObject::Meldcode, Some(meta.client_id))
            .in_trajectory(meta.id)
            .target(Target::Meldcode)
            .object_id(id)
    }

    /// Decides a further access of a write and records it in the write's transaction;
    /// a refusal refuses the whole write (nothing of it is committed).
    async fn also_authorize(&self, tx: &Tx, actor: &Actor, access: Access) -> CoreResult<()> {
        let decision = self.decide(actor, &access).await?;
        if !decision.allowed {
            return Err(self.refuse(actor, &access, decision).await);
        }
        zv_store::audit::append(
            tx,
            &[event(actor, &access, AuditOutcome::Success, &decision)],
            self.now(),
        )
        .await?;
        Ok(())
    }

    /// The trajectory and its open case, without personal content; the trajectory must
    /// be open.
    async fn meldcode_target(&self, trajectory: TrajectoryId) -> CoreResult<StepTarget> {
        let meta = self.trajectory_meta(trajectory).await?;
        let tx = self.store.read_tx().await?;
        let case = zv_store::meldcode::cases_of_trajectory(&tx, trajectory)
            .await?
            .pop()
            .filter(|c| c.decided_at.is_none());
        let steps = match &case {
            Some(c) => zv_store::meldcode::step_kinds_of_case(&tx, c.id).await?,
            None => Vec::new(),
        };
        tx.commit().await?;
        Ok(StepTarget { meta, case, steps })
    }

    /// The open case's steps, opened: what the order of the framework is checked on. A
    /// recorded read of the meldcode (the gate decides it as any other).
    async fn open_case_state(
        &self,
        actor: &Actor,
        meta: &zv_store::TrajectoryRow,
        case: &CaseRow,
    ) -> CoreResult<CaseState> {
        let auth = self
            .authorize_read(
                actor,
                Self::meldcode_access(AuditAction::Read, meta, case.id).detail("order"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let rows = zv_store::meldcode::steps_of_trajectory(&tx, &auth, meta.id).await?;
        tx.commit().await?;
        let steps = rows
            .iter()
            .filter(|r| r.case_id == case.id)
            .map(|r| open_step(&key, r))
            .collect::<CoreResult<Vec<_>>>()?;
        Ok(state_of(&steps))
    }

    /// Writes one step in one transaction: the step, its entry in the dossier, and (when
    /// shielded) its withholding from the client, each decided and recorded.
    async fn write_step(
        &self,
        actor: &Actor,
        t: &StepTarget,
        record: &StepRecord,
        shielded: bool,
        decided: bool,
        report: Option<&Report>,
    ) -> CoreResult<Uuid> {
        let author = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("meldcode steps are written by staff".into()))?;
        if t.meta.closed_on.is_some() {
            return Err(CoreError::Conflict(
                "this trajectory is closed; its dossier no longer changes".into(),
            ));
        }
        let kind = record.kind();
        let id = Uuid::now_v7();
        let entry = EntryId::new();
        let tx = self
            .authorize_write(
                actor,
                Self::meldcode_access(AuditAction::Create, &t.meta, id)
                    .detail(format!("step={} shielded={shielded}", kind.code())),
            )
            .await?;
        self.also_authorize(
            &tx,
            actor,
            Access::new(
                AuditAction::Create,
                AuditObject::Entry,
                Some(t.meta.client_id),
            )
            .in_trajectory(t.meta.id)
            .target(Target::Entry {
                special_category: false,
            })
            .object_id(entry)
            .detail("meldcode"),
        )
        .await?;
        let withholding = Uuid::now_v7();
        if shielded {
            self.also_authorize(
                &tx,
                actor,
                Access::new(
                    AuditAction::Create,
                    AuditObject::Withholding,
                    Some(t.meta.client_id),
                )
                .in_trajectory(t.meta.id)
                .target(Target::Withholding)
                .object_id(withholding)
                .detail(format!(
                    "entry={entry} scope=entry ground=safety hide_fact=true"
                )),
            )
            .await?;
        }
        let now = self.now();
        let case = match &t.case {
            Some(c) => c.id,
            None => {
                let c = CaseRow {
                    id: Uuid::now_v7(),
                    client_id: t.meta.client_id,
                    trajectory_id: t.meta.id,
                    started_by: author,
                    started_at: now,
                    decided_at: None,
                    decided_by: None,
                };
                zv_store::meldcode::insert_case(&tx, &c).await?;
                c.id
            }
        };
        let key = self
            .keys
            .client_key_for_write(&tx, t.meta.client_id)
            .await?;
        let names = zv_store::staff::names_of(&tx, &[author]).await?;
        let (title, body) = entry_text(record, names.get(&author).map_or("", String::as_str));
        let content = EntryContent::parse(EntryKind::Meldcode, &title, &body, None)
            .map_err(CoreError::field("record"))?;
        zv_store::entries::insert(
            &tx,
            &NewEntry {
                id: entry,
                trajectory_id: t.meta.id,
                client_id: t.meta.client_id,
                kind: EntryKind::Meldcode.code().to_owned(),
                special_category: None,
                necessity_ct: None,
                content_ct: crate::entries::seal_content(&key, entry, 1, &content)?,
                created_by: author,
                created_at: now,
            },
        )
        .await?;
        let json = zeroize::Zeroizing::new(
            serde_json::to_string(record).map_err(|e| CoreError::Internal(e.to_string()))?,
        );
        let s = Sealer { key: &key };
        zv_store::meldcode::insert_step(
            &tx,
            &StepRow {
                id,
                case_id: case,
                client_id: t.meta.client_id,
                trajectory_id: t.meta.id,
                entry_id: entry,
                step: kind.code().to_owned(),
                position: i64::try_from(t.steps.len()).unwrap_or(i64::MAX),
                record_ct: s.seal(T_STEPS, "record", id, &json),
                shielded,
                created_by: author,
                created_at: now,
            },
        )
        .await?;
        if shielded {
            zv_store::withholdings::insert(
                &tx,
                &zv_store::withholdings::WithholdingRow {
                    id: withholding,
                    client_id: t.meta.client_id,
                    trajectory_id: t.meta.id,
                    entry_id: entry,
                    scope: Scope::Entry.code().to_owned(),
                    passage_ct: None,
                    ground: Ground::Safety.code().to_owned(),
                    explanation_ct: s.seal(
                        T_WITHHOLDINGS,
                        "explanation",
                        withholding,
                        "Meldcode: deze stap is afgeschermd voor de veiligheid.",
                    ),
                    hide_fact: true,
                    created_by: author,
                    created_at: now,
                    lifted_at: None,
                    lifted_by: None,
                    lift_reason_ct: None,
                    reviewed_at: None,
                    reviewed_by: None,
                    review_outcome: None,
                    review_note_ct: None,
                },
            )
            .await?;
        }
        if decided && !zv_store::meldcode::mark_decided(&tx, case, author, now).await? {
            return Err(CoreError::Conflict(
                "this meldcode was decided meanwhile".into(),
            ));
        }
        if let Some(r) = report {
            self.record_report(&tx, actor, &t.meta, &key, r).await?;
        }
        zv_store::trajectories::touch_last_change(&tx, t.meta.id, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Step 1: records the signals and the child check. Starts a case when none is open.
    pub async fn record_meldcode_signals(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        input: &SignalsInput,
    ) -> CoreResult<Uuid> {
        let record = input.parse(self.clock().today())?;
        let t = self.meldcode_target(trajectory).await?;
        self.write_step(actor, &t, &record, input.when.shielded, false, None)
            .await
    }

    /// Step 2: records a consultation on the open case.
    pub async fn record_meldcode_consultation(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        input: &ConsultationInput,
    ) -> CoreResult<Uuid> {
        let record = input.parse(self.clock().today())?;
        let t = self.meldcode_target(trajectory).await?;
        Self::needs_open_case(&t)?;
        self.write_step(actor, &t, &record, input.when.shielded, false, None)
            .await
    }

    /// Step 3: records the conversation, or why it was skipped for safety.
    pub async fn record_meldcode_conversation(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        input: &ConversationInput,
    ) -> CoreResult<Uuid> {
        let record = input.parse(self.clock().today())?;
        let t = self.meldcode_target(trajectory).await?;
        Self::needs_open_case(&t)?;
        self.write_step(actor, &t, &record, input.when.shielded, false, None)
            .await
    }

    /// Prepares the report to Veilig Thuis (SHR-1): the recipient must be a Veilig Thuis
    /// the register allows today (SHR-2, SHR-3); what leaves is the case's recorded steps
    /// (shielding keeps them from the client, not from Veilig Thuis) with the client's
    /// name and birth date, read as a recorded export before anything is written.
    async fn prepare_report(
        &self,
        actor: &Actor,
        meta: &zv_store::TrajectoryRow,
        case: &CaseRow,
        recipient: Uuid,
        no_notice_reason: Option<String>,
    ) -> CoreResult<Report> {
        let today = self.clock().today();
        let tx = self.store.read_tx().await?;
        let found = crate::recipients::recipient_in(&tx, recipient, today).await?;
        tx.commit().await?;
        let found = found
            .filter(|r| r.kind == crate::recipients::RecipientKind::VeiligThuis)
            .ok_or_else(|| {
                CoreError::invalid(
                    "recipient",
                    "choose a Veilig Thuis from the register of recipients",
                )
            })?;
        if let Some(why) = crate::recipients::unusable_reason(&found) {
            return Err(CoreError::invalid("recipient", why));
        }
        let disclosure = Uuid::now_v7();
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Export, AuditObject::Disclosure, Some(meta.client_id))
                    .in_trajectory(meta.id)
                    .team(meta.team_code.clone())
                    .target(Target::Disclosure)
                    .frozen_per_row(meta)
                    .object_id(disclosure)
                    .detail("disclosure: meldcode report ground=legal_permission recipient_kind=veilig_thuis"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let client = zv_store::clients::get(&tx, &auth, meta.client_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let steps = zv_store::meldcode::steps_of_trajectory(&tx, &auth, meta.id).await?;
        let rows = zv_store::entries::list_of_trajectory(&tx, &auth, meta.id).await?;
        tx.commit().await?;
        let ours: Vec<EntryId> = steps
            .iter()
            .filter(|s| s.case_id == case.id)
            .map(|s| s.entry_id)
            .collect();
        let mut entries = Vec::with_capacity(ours.len());
        for r in rows.iter().filter(|r| ours.contains(&r.id)) {
            let v = crate::entries::entry_view(&key, r, &[], &[])?;
            entries.push(zv_documents::DisclosureEntry {
                kind: v.kind.code().to_owned(),
                written_on: crate::minors::local_date(v.created_at).to_string(),
                title: v.title.clone(),
                body: v.body.clone(),
            });
        }
        let s = Sealer { key: &key };
        let u = meta.client_id.as_uuid();
        let org = self.policy().organisation();
        let package = zv_documents::DisclosurePackage {
            schema: zv_documents::DISCLOSURE_SCHEMA.to_owned(),
            reference: disclosure.to_string(),
            sender: zv_documents::DisclosureSender {
                name: org.name.clone(),
                legal_name: org.legal_name.clone(),
                website: org.website.clone(),
            },
            recipient: zv_documents::DisclosureRecipient {
                name: found.name.clone(),
                country: found.country.clone(),
                kind: found.kind.code().to_owned(),
            },
            disclosed_on: today.to_string(),
            ground: crate::disclosures::Ground::LegalPermission
                .code()
                .to_owned(),
            law: Some(crate::disclosures::REPORTING_RIGHT_LAW.to_owned()),
            subject: zv_documents::DisclosureSubject {
                name: s.open(crate::clients::T, "name", u, &client.name_ct)?,
                birth_date: s.open(crate::clients::T, "birth_date", u, &client.birth_date_ct)?,
            },
            summary: None,
            entries,
        };
        let json = zeroize::Zeroizing::new(
            zv_documents::disclosure_json(&package)
                .map_err(|e| CoreError::Internal(e.to_string()))?,
        );
        Ok(Report {
            disclosure,
            recipient,
            entry_count: package.entries.len(),
            package: json,
            no_notice_reason,
        })
    }

    /// Records the report to Veilig Thuis as a disclosure on the reporting right (Wmo 2015
    /// art. 5.2.6), in the decision's transaction: the client is to be told, unless the
    /// recorded safety reason forbids it, which the privacy officer reviews (SHR-4).
    async fn record_report(
        &self,
        tx: &Tx,
        actor: &Actor,
        meta: &zv_store::TrajectoryRow,
        key: &zv_crypto::DataKey,
        report: &Report,
    ) -> CoreResult<()> {
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("a staff member reports".into()))?;
        let ground = crate::disclosures::Ground::LegalPermission;
        let safety = report.no_notice_reason.as_deref();
        let notice = crate::disclosures::notice_for(ground, safety);
        self.also_authorize(
            tx,
            actor,
            Self::disclosure_access(
                AuditAction::Create,
                meta,
                report.disclosure,
                format!(
                    "disclosure recorded: meldcode report notice={}",
                    notice.code()
                ),
            ),
        )
        .await?;
        crate::disclosures::insert_in(
            tx,
            key,
            crate::disclosures::NewDisclosure {
                id: report.disclosure,
                meta,
                recipient: report.recipient,
                ground,
                consent: None,
                law: Some(crate::disclosures::REPORTING_RIGHT_LAW.to_owned()),
                reason: None,
                package_json: &report.package,
                entry_count: report.entry_count,
                with_summary: false,
                disclosed_on: self.clock().today(),
                by,
                at: self.now(),
                safety_reason: safety,
            },
        )
        .await?;
        Ok(())
    }

    /// The Veilig Thuis organisations of the register a report may go to today: id and
    /// name.
    pub async fn veilig_thuis_recipients(&self, actor: &Actor) -> CoreResult<Vec<(Uuid, String)>> {
        Ok(self
            .recipients(actor)
            .await?
            .into_iter()
            .filter(|r| r.kind == crate::recipients::RecipientKind::VeiligThuis && r.usable)
            .map(|r| (r.id, r.name))
            .collect())
    }

    fn needs_open_case(t: &StepTarget) -> CoreResult<()> {
        if t.case.is_none() {
            return Err(CoreError::Conflict(
                "no meldcode is open on this trajectory: record the signals first".into(),
            ));
        }
        Ok(())
    }

    /// Steps 4 and 5: one answer of the assessment framework. Only the question the
    /// previous answers lead to is accepted, and only once the signals, a consultation
    /// (with Veilig Thuis directly where a signal asks it) and the conversation (or why
    /// it was skipped) are recorded.
    pub async fn answer_meldcode_question(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        input: &AnswerInput,
    ) -> CoreResult<(Uuid, Next)> {
        let mut errors = Vec::new();
        let question = Question::from_code(input.question.trim());
        if question.is_none() {
            errors.push((
                "question",
                "suspicion, acute_unsafety, effective_help, accepts_help or safety_in_time"
                    .to_owned(),
            ));
        }
        let answer = match input.answer.trim() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                errors.push(("answer", "yes or no".to_owned()));
                None
            }
        };
        let explanation = text(&mut errors, "explanation", &input.explanation, 0, TEXT_MAX);
        refuse_all(errors)?;
        let (Some(question), Some(answer)) = (question, answer) else {
            return Err(CoreError::invalid("answer", "yes or no"));
        };
        let t = self.meldcode_target(trajectory).await?;
        Self::needs_open_case(&t)?;
        let case = t.case.as_ref().ok_or(CoreError::NotFound)?;
        let state = self.open_case_state(actor, &t.meta, case).await?;
        if let Some(missing) = state.before_assessment.first() {
            return Err(CoreError::invalid(
                "question",
                format!(
                    "the framework's questions come after the signals, a consultation (directly with Veilig Thuis for honour-related violence, forced marriage or FGM) and the conversation: `{missing}` is still to be recorded"
                ),
            ));
        }
        if state.next != Next::Ask(question) {
            return Err(out_of_order(state.next));
        }
        let record = StepRecord::Answer {
            occurred_on: self.clock().today(),
            question: question.code().to_owned(),
            answer,
            explanation,
        };
        let id = self
            .write_step(actor, &t, &record, input.shielded, false, None)
            .await?;
        let mut answers = state.answers;
        answers.push((question, answer));
        Ok((id, next_step(&answers)))
    }

    /// The decision: close, help (with follow-up agreements) or report to Veilig Thuis,
    /// once the framework reached its outcome. A decision that departs from the outcome
    /// states why. A report is recorded as a disclosure on the legal reporting right
    /// (meldrecht, Wmo 2015 art. 5.2.6) in the decision's transaction (SHR-1, SHR-4).
    pub async fn decide_meldcode(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        input: &DecisionInput,
    ) -> CoreResult<Uuid> {
        let mut errors = Vec::new();
        let decision = Outcome::from_code(input.decision.trim());
        if decision.is_none() {
            errors.push(("decision", "close, help or report".to_owned()));
        }
        let reason = text(&mut errors, "reason", &input.reason, 0, TEXT_MAX);
        let agreements = text(&mut errors, "agreements", &input.agreements, 0, TEXT_MAX);
        let no_notice_reason = text(
            &mut errors,
            "no_notice_reason",
            &input.no_notice_reason,
            0,
            TEXT_MAX,
        );
        if decision == Some(Outcome::Help) && agreements.chars().count() < REASON_MIN {
            errors.push((
                "agreements",
                format!("record the follow-up agreements (at least {REASON_MIN} characters)"),
            ));
        }
        if decision == Some(Outcome::Report) {
            if input.recipient.is_none() {
                errors.push((
                    "recipient",
                    "choose the Veilig Thuis to report to".to_owned(),
                ));
            }
            if !input.client_informed && no_notice_reason.chars().count() < REASON_MIN {
                errors.push((
                    "no_notice_reason",
                    format!(
                        "the client is informed of the report unless a safety reason forbids it: state it (at least {REASON_MIN} characters)"
                    ),
                ));
            }
        }
        refuse_all(errors)?;
        let decision =
            decision.ok_or_else(|| CoreError::invalid("decision", "close, help or report"))?;
        let t = self.meldcode_target(trajectory).await?;
        Self::needs_open_case(&t)?;
        let case = t.case.as_ref().ok_or(CoreError::NotFound)?;
        let state = self.open_case_state(actor, &t.meta, case).await?;
        let Next::Outcome(outcome) = state.next else {
            return Err(CoreError::invalid(
                "decision",
                "the decision comes after the framework's questions have led to an outcome",
            ));
        };
        if decision != outcome && reason.chars().count() < REASON_MIN {
            return Err(CoreError::invalid(
                "reason",
                format!(
                    "the framework leads to `{}`: a decision that departs from it states why (at least {REASON_MIN} characters)",
                    outcome.code()
                ),
            ));
        }
        let report = decision == Outcome::Report;
        let no_notice_reason = (report && !input.client_informed).then(|| no_notice_reason.clone());
        let plan = match (report, input.recipient) {
            (true, Some(recipient)) => Some(
                self.prepare_report(actor, &t.meta, case, recipient, no_notice_reason.clone())
                    .await?,
            ),
            _ => None,
        };
        let record = StepRecord::Decision {
            occurred_on: self.clock().today(),
            decision: decision.code().to_owned(),
            outcome: outcome.code().to_owned(),
            reason: if decision == outcome {
                String::new()
            } else {
                reason
            },
            agreements: if decision == Outcome::Help {
                agreements
            } else {
                String::new()
            },
            recipient: plan.as_ref().map(|p| p.recipient),
            disclosure: plan.as_ref().map(|p| p.disclosure),
            client_informed: report.then_some(input.client_informed),
            no_notice_reason: no_notice_reason.unwrap_or_default(),
        };
        self.write_step(actor, &t, &record, input.shielded, true, plan.as_ref())
            .await
    }

    /// The meldcode of a trajectory for the workers on the case: every case with its
    /// steps opened, and where the open one stands. A recorded read.
    pub async fn meldcode(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
    ) -> CoreResult<MeldcodeView> {
        let meta = self.trajectory_meta(trajectory).await?;
        let read = Self::meldcode_access(AuditAction::Read, &meta, trajectory.as_uuid());
        let standing = self.standing(actor, &read).await?;
        let may_record =
            Self::permitted_on(actor, &standing, &[(AuditAction::Create, Target::Meldcode)])?[0]
                && meta.closed_on.is_none();
        let auth = self.authorize_read_on(actor, read, &standing).await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let cases = zv_store::meldcode::cases_of_trajectory(&tx, trajectory).await?;
        let rows = zv_store::meldcode::steps_of_trajectory(&tx, &auth, trajectory).await?;
        let mut ids: Vec<UserId> = rows.iter().map(|r| r.created_by).collect();
        ids.sort_unstable();
        ids.dedup();
        let names = zv_store::staff::names_of(&tx, &ids).await?;
        tx.commit().await?;
        let steps = rows
            .iter()
            .map(|r| open_step(&key, r))
            .collect::<CoreResult<Vec<_>>>()?;
        let cases = cases
            .into_iter()
            .map(|c| {
                let mine: Vec<StepView> =
                    steps.iter().filter(|s| s.case == c.id).cloned().collect();
                CaseView {
                    id: c.id,
                    started_by: c.started_by,
                    started_at: c.started_at,
                    decided_at: c.decided_at,
                    state: state_of(&mine),
                    steps: mine,
                }
            })
            .collect();
        Ok(MeldcodeView {
            trajectory: TrajectorySummaryLite::from(&TrajectorySummary::from(&meta)),
            cases,
            may_record,
            names,
        })
    }
}

/// A report to Veilig Thuis, prepared before the decision's transaction (what leaves is
/// read as an export) and recorded as a disclosure inside it.
struct Report {
    disclosure: Uuid,
    recipient: Uuid,
    /// The package as it left (JSON of `zorgvuldig.disclosure/1`).
    package: zeroize::Zeroizing<Vec<u8>>,
    entry_count: usize,
    /// The safety reason that forbids telling the client (SHR-4); none: the client is told.
    no_notice_reason: Option<String>,
}

fn open_step(key: &zv_crypto::DataKey, r: &StepRow) -> CoreResult<StepView> {
    let json =
        zeroize::Zeroizing::new(Sealer { key }.open(T_STEPS, "record", r.id, &r.record_ct)?);
    let record: StepRecord = serde_json::from_str(&json)
        .map_err(|_| CoreError::Internal("stored meldcode step unreadable".into()))?;
    Ok(StepView {
        id: r.id,
        case: r.case_id,
        entry: r.entry_id,
        kind: record.kind(),
        shielded: r.shielded,
        created_by: r.created_by,
        created_at: r.created_at,
        record,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_framework_asks_in_order_and_leads_to_its_outcome() {
        use Question as Q;
        assert_eq!(next_step(&[]), Next::Ask(Q::Suspicion));
        assert_eq!(
            next_step(&[(Q::Suspicion, false)]),
            Next::Outcome(Outcome::Close)
        );
        assert_eq!(
            next_step(&[(Q::Suspicion, true), (Q::AcuteUnsafety, true)]),
            Next::Outcome(Outcome::Report)
        );
        let help = [
            (Q::Suspicion, true),
            (Q::AcuteUnsafety, false),
            (Q::EffectiveHelp, true),
            (Q::AcceptsHelp, true),
            (Q::SafetyInTime, true),
        ];
        assert_eq!(next_step(&help), Next::Outcome(Outcome::Help));
        for cut in 2..5 {
            let mut path = help[..cut].to_vec();
            path.push((help[cut].0, false));
            assert_eq!(next_step(&path), Next::Outcome(Outcome::Report), "{cut}");
        }
        // An answer to a question not asked is no step on the path.
        assert_eq!(
            next_step(&[(Q::AcuteUnsafety, true)]),
            Next::Ask(Q::Suspicion)
        );
    }

    #[test]
    fn signals_keep_facts_apart_and_need_the_child_check() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let mut input = SignalsInput {
            when: When {
                occurred_on: Some(today),
                place: "Kantoor".into(),
                shielded: false,
            },
            signals: vec![("fgm".into(), "Feit".into(), "Mening".into())],
            children: "yes".into(),
            children_ages: "4, 9".into(),
        };
        let StepRecord::Signals {
            signals,
            children_ages,
            ..
        } = input.parse(today).unwrap()
        else {
            panic!("signals")
        };
        assert_eq!(signals[0].fact, "Feit");
        assert_eq!(signals[0].opinion, "Mening");
        assert_eq!(children_ages, vec![4, 9]);
        input.children_ages = String::new();
        assert!(input.parse(today).is_err());
        input.children = String::new();
        assert!(input.parse(today).is_err());
    }
}
