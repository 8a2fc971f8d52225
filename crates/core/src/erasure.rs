//! Erasure requests (RTS-6; decision 0018): the privacy officer handles a rights request
//! of kind `erasure` part by part. The parts are the trajectories of the request's scope
//! and, for a request about everything, the client's own record. For each part the
//! assessment ([`assess_trajectory`], [`assess_client_record`], pure functions over
//! facts read through the gate) proposes grant or refuse with a reason; the officer
//! confirms or overrides with a recorded reason, except where the law or a hold binds;
//! the granted trajectories are destroyed with the destruction primitive in the same
//! transaction as the decisions; the request's outcome is recorded through
//! [`App::decide_request`] so the decision letter lists the reasons.
//!
//! The client's own record goes last, in a step of its own after the answer was sent:
//! destroying it removes the client's contact data and key, and with them the means to
//! deliver the answer. The request itself survives as proof without personal data
//! (`erasure_proofs`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zv_domain::{
    AuditAction, AuditObject, AuditOutcome, ClientId, Purpose, RelationKind, TrajectoryId, UserId,
};
use zv_policy::{Condition, LegalBasis, Policy, Term, age_on};
use zv_store::erasures::{ErasurePartRow, ErasureProofRow};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::requests::{
    ALREADY_CLOSED, FiledStatus, IDENTITY_FIRST, LetterLanguage, Outcome, OutcomeInput, RequestKind,
};
use crate::withholdings::code_enum;

/// The rule named in the destruction record of a part destroyed on an erasure request.
pub const ERASURE_RULE: &str = "erasure-request";
/// Jeugdwet art. 7.3.9: the youth care provider destroys the dossier within three months
/// of the client's request. A term of the law rather than of the organisation; it
/// belongs in the policy file once the policy crate carries legal terms (decision 0018).
pub const JEUGDWET_DESTROY_WITHIN: Term = Term::months(3);
/// The sealed reasons of the parts.
const T_PARTS: &str = "erasure_parts";
/// The table a related person's birth date is sealed for (`related::T`).
const T_RELATED: &str = "related_persons";
const REASON_MIN_CHARS: usize = 10;
const REASON_MAX_CHARS: usize = 2_000;
/// Refused when a granted part's reason is given for a part the assessment already
/// grants, and such; stable, English (the pages map them).
pub const NOT_AN_ERASURE: &str = "this request is not an erasure request";
pub const TRAJECTORY_OPENED_SINCE: &str =
    "the client has a trajectory that the erasure decision did not grant";
pub const ANSWER_FIRST: &str =
    "the client's record is destroyed only after the answer is recorded as sent";

code_enum!(
    /// What a part of an erasure request is.
    PartKind {
        /// One trajectory ("traject") with its dossier.
        Trajectory = "trajectory",
        /// The client's own record: personal details, related persons, portal account.
        Client = "client",
    }
);

code_enum!(
    /// Grant or refuse, as proposed and as decided.
    PartDecision {
        Grant = "grant",
        Refuse = "refuse",
    }
);

code_enum!(
    /// Why a part is granted or refused.
    ReasonCode {
        /// Closed, the organisation's own term, no hold: the client may ask.
        NoRetentionDuty = "no_retention_duty",
        /// Jeugdwet art. 7.3.9: destroyed within three months of the request.
        JeugdwetRequest = "jeugdwet_request",
        /// The help is still running: duty of care ("zorgplicht").
        DutyOfCare = "duty_of_care",
        /// A law requires keeping it and its term still runs ("wettelijke bewaarplicht").
        LegalRetention = "legal_retention",
        /// A Jeugdwet destruction request by a child under 12: the law gives that child
        /// no such request.
        JeugdwetUnderAge = "jeugdwet_under_age",
        /// The youngest child is under the age the retention rule keeps the file for.
        ChildInterest = "child_interest",
        /// Another rights request of the client is still open.
        HoldRequest = "hold_request",
        /// A complaint of the client is still open.
        HoldComplaint = "hold_complaint",
        /// Processing is stopped (restriction, objection, withdrawn consent).
        HoldProcessingStop = "hold_processing_stop",
        /// The privacy officer recorded an interest of someone else.
        ThirdPartyInterest = "third_party_interest",
        /// Jeugdwet: the privacy officer recorded a substantial interest of someone else.
        SubstantialInterest = "substantial_interest",
        /// The privacy officer granted against the proposal, with a reason.
        OfficerGrant = "officer_grant",
        /// The client's record: every trajectory is granted.
        AllPartsGranted = "all_parts_granted",
        /// The client's record: a trajectory is kept, and with it who it is about.
        PartsKept = "parts_kept",
    }
);

/// The facts about one trajectory the assessment needs; no personal content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrajectoryFacts {
    pub open: bool,
    /// The service rests on a legal obligation (`legal_basis = legal_obligation`).
    pub legal_obligation: bool,
    /// The service is youth care (Jeugdwet).
    pub youth_care: bool,
    /// The last day of the retention term; `None` while it is not fixed.
    pub retention_until: Option<NaiveDate>,
    /// The age in a `youngest_child_reaches` condition of the trajectory's rule.
    pub child_age_condition: Option<u32>,
    /// A processing stop is in force on the trajectory.
    pub frozen: bool,
}

/// The facts about the client and the request the assessment needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientFacts {
    pub received_on: NaiveDate,
    pub today: NaiveDate,
    pub client_birth: NaiveDate,
    pub youngest_child_birth: Option<NaiveDate>,
    pub other_open_requests: u64,
    pub open_complaints: u64,
    /// The officer treats the request as a Jeugdwet destruction request.
    pub jeugdwet_request: bool,
    /// From this age a child may make that request (the policy's `own_access_from`).
    pub jeugdwet_min_age: u32,
}

/// What the assessment proposes for one part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub decision: PartDecision,
    pub reason: ReasonCode,
    /// A Jeugdwet destruction request: destroyed by this day.
    pub destroy_by: Option<NaiveDate>,
    /// The officer may not grant this part (a legal retention duty or a hold).
    pub binding: bool,
}

const fn refuse(reason: ReasonCode, binding: bool) -> Proposal {
    Proposal {
        decision: PartDecision::Refuse,
        reason,
        destroy_by: None,
        binding,
    }
}

const fn grant(reason: ReasonCode, destroy_by: Option<NaiveDate>) -> Proposal {
    Proposal {
        decision: PartDecision::Grant,
        reason,
        destroy_by,
        binding: false,
    }
}

/// The holds an erasure waits for, in one place so that more kinds join here: another
/// open rights request of the client (its answer may need the data), an open complaint,
/// and a processing stop on the part (`frozen`; for the client's record, on any part).
#[must_use]
pub fn hold(client: &ClientFacts, frozen: bool) -> Option<ReasonCode> {
    if frozen {
        Some(ReasonCode::HoldProcessingStop)
    } else if client.open_complaints > 0 {
        Some(ReasonCode::HoldComplaint)
    } else if client.other_open_requests > 0 {
        Some(ReasonCode::HoldRequest)
    } else {
        None
    }
}

/// The proposal for one trajectory (RTS-6).
#[must_use]
pub fn assess_trajectory(client: &ClientFacts, t: &TrajectoryFacts) -> Proposal {
    if let Some(h) = hold(client, t.frozen) {
        return refuse(h, true);
    }
    if t.open {
        return refuse(ReasonCode::DutyOfCare, false);
    }
    let term_runs = t.retention_until.is_none_or(|until| until >= client.today);
    if t.legal_obligation && term_runs {
        if client.jeugdwet_request && t.youth_care {
            return if age_on(client.client_birth, client.received_on) >= client.jeugdwet_min_age {
                grant(
                    ReasonCode::JeugdwetRequest,
                    Some(JEUGDWET_DESTROY_WITHIN.add_to(client.received_on)),
                )
            } else {
                refuse(ReasonCode::JeugdwetUnderAge, true)
            };
        }
        return refuse(ReasonCode::LegalRetention, true);
    }
    if let (Some(age), Some(youngest)) = (t.child_age_condition, client.youngest_child_birth)
        && age_on(youngest, client.today) < age
    {
        return refuse(ReasonCode::ChildInterest, false);
    }
    grant(ReasonCode::NoRetentionDuty, None)
}

/// The proposal for the client's own record: only when every trajectory is granted, for
/// destroying the record destroys every trajectory with it.
#[must_use]
pub fn assess_client_record(
    client: &ClientFacts,
    any_frozen: bool,
    trajectories: &[PartDecision],
) -> Proposal {
    if let Some(h) = hold(client, any_frozen) {
        return refuse(h, true);
    }
    if trajectories.iter().all(|d| *d == PartDecision::Grant) {
        grant(ReasonCode::AllPartsGranted, None)
    } else {
        // Not binding by itself: the officer may grant a trajectory against its
        // proposal, and the record with it; the decision checks the decisions made.
        refuse(ReasonCode::PartsKept, false)
    }
}

/// Why a part's decision is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartProblem {
    /// No decision was given for the part.
    DecisionRequired,
    /// Against the proposal, a reason is required.
    ReasonRequired,
    /// A reason has 10 to 2,000 characters.
    ReasonLength,
    /// A legal retention duty or a hold: the part cannot be granted.
    GrantForbidden,
}

/// Checks the officer's decision on a part against its proposal: the reason code stored.
///
/// # Errors
/// The problem, for the part's field.
pub fn check_decision(
    kind: PartKind,
    proposal: &Proposal,
    decision: Option<PartDecision>,
    reason: &str,
) -> Result<ReasonCode, (&'static str, PartProblem)> {
    let decision = decision.ok_or(("decision", PartProblem::DecisionRequired))?;
    let reason = reason.trim();
    let length = reason.chars().count();
    if length > 0 && !(REASON_MIN_CHARS..=REASON_MAX_CHARS).contains(&length) {
        return Err(("reason", PartProblem::ReasonLength));
    }
    if decision == proposal.decision {
        return Ok(proposal.reason);
    }
    if decision == PartDecision::Grant && proposal.binding {
        return Err(("decision", PartProblem::GrantForbidden));
    }
    if reason.is_empty() {
        return Err(("reason", PartProblem::ReasonRequired));
    }
    Ok(match (decision, proposal.reason, kind) {
        (PartDecision::Grant, _, _) => ReasonCode::OfficerGrant,
        (PartDecision::Refuse, ReasonCode::JeugdwetRequest, _) => ReasonCode::SubstantialInterest,
        (PartDecision::Refuse, _, _) => ReasonCode::ThirdPartyInterest,
    })
}

/// One part as the page and the API show it.
#[derive(Clone, Serialize)]
pub struct PartView {
    pub kind: PartKind,
    /// The trajectory's id, or the client's.
    pub subject: Uuid,
    /// The trajectory's service type and opening day; `None` once destroyed or for the
    /// client's record.
    pub service_type: Option<String>,
    pub opened_on: Option<NaiveDate>,
    pub proposal: Proposal,
    pub decision: Option<PartDecision>,
    pub reason_code: Option<ReasonCode>,
    /// The officer's own words.
    pub reason: Option<String>,
    pub destroyed_at: Option<DateTime<Utc>>,
    /// Granted and not yet destroyed: the page shows it as pending.
    pub pending: bool,
    /// The destruction record left by this erasure (RET-6): no personal data.
    pub destruction: Option<DestructionLine>,
}

/// A destruction record as the erasure page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DestructionLine {
    pub rule: String,
    pub reason: String,
    pub at: DateTime<Utc>,
    pub rows: u64,
}

/// The destruction records this erasure left, per subject.
async fn destruction_lines(
    tx: &zv_store::Tx,
    rows: &[ErasurePartRow],
) -> CoreResult<Vec<(Uuid, DestructionLine)>> {
    let mut out = Vec::new();
    for r in rows.iter().filter(|r| r.destroyed_at.is_some()) {
        let records = zv_store::destruction::records_of(tx, r.subject_id).await?;
        if let Some(d) = records.into_iter().rev().find(|d| d.rule == ERASURE_RULE) {
            out.push((
                r.subject_id,
                DestructionLine {
                    rule: d.rule,
                    reason: d.reason,
                    at: d.at,
                    rows: d.counts.values().sum(),
                },
            ));
        }
    }
    Ok(out)
}

/// What remains of a request whose client was destroyed.
#[derive(Debug, Clone, Serialize)]
pub struct ProofView {
    pub reference: String,
    pub received_on: NaiveDate,
    pub outcome: String,
    pub answer_sent_on: NaiveDate,
    pub parts_granted: i64,
    pub parts_refused: i64,
    pub client_destroyed_at: DateTime<Utc>,
}

/// The erasure page of one request.
#[derive(Clone, Serialize)]
pub struct ErasurePlan {
    pub request: Uuid,
    pub reference: String,
    pub client: Option<ClientId>,
    pub received_on: NaiveDate,
    pub jeugdwet_request: bool,
    pub identity_recorded: bool,
    /// The per-part decisions are recorded.
    pub decided: bool,
    /// The request's outcome as recorded through the request workflow.
    pub outcome: Option<Outcome>,
    pub parts: Vec<PartView>,
    /// The client's record is granted and waits for this step (after the answer).
    pub client_record_pending: bool,
    /// Set once the client's record is destroyed: the request itself is gone.
    pub proof: Option<ProofView>,
}

impl std::fmt::Debug for PartView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PartView({}, {}, ***)", self.kind.code(), self.subject)
    }
}

impl std::fmt::Debug for ErasurePlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ErasurePlan({}, ***)", self.reference)
    }
}

/// The officer's decision on one part.
#[derive(Clone)]
pub struct PartChoice {
    pub kind: PartKind,
    pub subject: Uuid,
    pub decision: Option<PartDecision>,
    pub reason: String,
}

impl std::fmt::Debug for PartChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PartChoice({}, {}, ***)", self.kind.code(), self.subject)
    }
}

/// The officer's decision on an erasure request.
#[derive(Debug, Clone)]
pub struct ErasureInput {
    pub jeugdwet_request: bool,
    pub parts: Vec<PartChoice>,
    pub answer_sent_on: NaiveDate,
}

/// A part refused, for its field.
#[derive(Debug, Clone, Serialize)]
pub struct PartIssue {
    pub kind: PartKind,
    pub subject: Uuid,
    pub field: &'static str,
    pub problem: PartProblem,
}

/// What a submit did.
#[derive(Debug, Clone, Serialize)]
pub struct ErasureReport {
    pub outcome: Outcome,
    pub destroyed: Vec<Uuid>,
    pub client_record_pending: bool,
}

/// A submit: done, or refused part by part with nothing changed.
#[derive(Debug, Clone)]
pub enum ErasureSubmit {
    Done(ErasureReport),
    Refused(Vec<PartIssue>),
}

/// Why a part is decided as it is, in one or two sentences for the client (RTS-6): the
/// decision letter states it in its language, and the Dutch one is in the recorded
/// reasons. `jeugdwet_min_age` is the policy's age from which a child may ask.
fn reason_text(code: ReasonCode, language: LetterLanguage, jeugdwet_min_age: u32) -> String {
    use LetterLanguage::{En, Nl};
    let text = match (code, language) {
        (ReasonCode::NoRetentionDuty, Nl) => {
            "De hulp is afgesloten en geen wet verplicht ons deze gegevens te bewaren."
        }
        (ReasonCode::NoRetentionDuty, En) => {
            "The help has ended and no law requires us to keep this data."
        }
        (ReasonCode::JeugdwetRequest, Nl) => {
            "U vroeg om vernietiging op grond van de Jeugdwet (artikel 7.3.9). Wij vernietigen de gegevens binnen drie maanden na uw verzoek."
        }
        (ReasonCode::JeugdwetRequest, En) => {
            "You asked for destruction under the Dutch Youth Act (Jeugdwet, article 7.3.9). We destroy the data within three months of your request."
        }
        (ReasonCode::DutyOfCare, Nl) => {
            "De hulp loopt nog. Onze zorgplicht vraagt dat wij het dossier bewaren zolang wij u helpen."
        }
        (ReasonCode::DutyOfCare, En) => {
            "The help is still going on. Our duty of care requires us to keep the file while we help you."
        }
        (ReasonCode::LegalRetention, Nl) => {
            "Er geldt een wettelijke bewaarplicht: een wet verplicht ons deze gegevens te bewaren, en die termijn is nog niet voorbij."
        }
        (ReasonCode::LegalRetention, En) => {
            "A legal retention duty applies: a law requires us to keep this data, and that period has not ended yet."
        }
        (ReasonCode::JeugdwetUnderAge, Nl) => {
            return format!(
                "Een kind jonger dan {jeugdwet_min_age} jaar kan niet zelf om vernietiging vragen op grond van de Jeugdwet. Daarom geldt de wettelijke bewaarplicht."
            );
        }
        (ReasonCode::JeugdwetUnderAge, En) => {
            return format!(
                "A child under {jeugdwet_min_age} cannot ask for destruction under the Dutch Youth Act (Jeugdwet). The legal retention duty therefore applies."
            );
        }
        (ReasonCode::ChildInterest, Nl) => {
            "Wij bewaren het dossier in het belang van uw jongste kind, tot dat kind de leeftijd bereikt die in ons bewaarbeleid staat."
        }
        (ReasonCode::ChildInterest, En) => {
            "We keep the file in the interest of your youngest child, until that child reaches the age set in our retention policy."
        }
        (ReasonCode::HoldRequest, Nl) => {
            "Er loopt nog een ander verzoek van u. Voor dat verzoek hebben wij deze gegevens nodig."
        }
        (ReasonCode::HoldRequest, En) => {
            "Another request of yours is still being handled, and it needs this data."
        }
        (ReasonCode::HoldComplaint, Nl) => {
            "Er loopt nog een klacht. Voor die klacht hebben wij deze gegevens nodig."
        }
        (ReasonCode::HoldComplaint, En) => {
            "A complaint is still being handled, and it needs this data."
        }
        (ReasonCode::HoldProcessingStop, Nl) => {
            "Wij gebruiken deze gegevens nu niet, door een beperking, een bezwaar of een ingetrokken toestemming. Zolang dat zo is, bewaren wij ze."
        }
        (ReasonCode::HoldProcessingStop, En) => {
            "We do not use this data at the moment, because of a restriction, an objection or a withdrawn consent. As long as that lasts, we keep it."
        }
        (ReasonCode::ThirdPartyInterest, Nl) => {
            "Het belang van iemand anders vraagt dat wij deze gegevens bewaren."
        }
        (ReasonCode::ThirdPartyInterest, En) => {
            "Someone else's interest requires us to keep this data."
        }
        (ReasonCode::SubstantialInterest, Nl) => {
            "Het bewaren van deze gegevens is van groot belang voor iemand anders. Dan mogen wij ze volgens de Jeugdwet bewaren."
        }
        (ReasonCode::SubstantialInterest, En) => {
            "Keeping this data is of substantial importance to someone else. The Dutch Youth Act (Jeugdwet) then allows us to keep it."
        }
        (ReasonCode::OfficerGrant, Nl) => {
            "Wij hebben de belangen afgewogen en besloten deze gegevens toch te verwijderen."
        }
        (ReasonCode::OfficerGrant, En) => {
            "We weighed the interests and decided to erase this data after all."
        }
        (ReasonCode::AllPartsGranted, Nl) => {
            "Al uw hulptrajecten worden verwijderd, dus ook uw persoonsgegevens. Dat doen wij als laatste, nadat u dit antwoord heeft gekregen."
        }
        (ReasonCode::AllPartsGranted, En) => {
            "All your services are erased, and so are your personal details. We do that last, after you have received this answer."
        }
        (ReasonCode::PartsKept, Nl) => {
            "Een deel van uw dossier bewaren wij. Daarom bewaren wij ook uw persoonsgegevens: anders weten wij niet over wie dat deel gaat."
        }
        (ReasonCode::PartsKept, En) => {
            "We keep part of your file. That is why we also keep your personal details: otherwise we would not know whom that part is about."
        }
    };
    text.to_owned()
}

/// A trajectory part's subject, sealed at decision time (m0017): the letter names the
/// trajectory by its service and opening day after the decision destroyed it.
#[derive(Serialize, Deserialize)]
struct SubjectFacts {
    service_type: String,
    opened_on: NaiveDate,
}

/// The associated data's column of a part's subject, bound like its reason.
fn subject_column(request: Uuid, kind: PartKind) -> String {
    format!("subject:{}:{request}", kind.code())
}

/// One decided part as the decision letter states it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct StatedPart {
    pub kind: PartKind,
    pub granted: bool,
    pub reason: ReasonCode,
    /// The trajectory's service type and opening day; `None` for the client's record
    /// and for a trajectory decided before these were kept and since destroyed.
    pub service: Option<(String, NaiveDate)>,
    /// The privacy officer's own words, as written.
    pub officer_reason: Option<String>,
}

impl std::fmt::Debug for StatedPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "StatedPart({}, {}, ***)",
            self.kind.code(),
            self.reason.code()
        )
    }
}

/// The decided parts of a request as the letter states them, from the stored rows (with
/// their sealed reasons and subjects) and the client's trajectories still there.
pub(crate) fn stated_parts(
    s: &Sealer<'_>,
    rows: &[ErasurePartRow],
    live: &[zv_store::TrajectoryRow],
) -> CoreResult<Vec<StatedPart>> {
    let bad = || CoreError::Internal("stored erasure part unreadable".into());
    rows.iter()
        .map(|r| {
            let kind = PartKind::from_code(&r.part_kind).ok_or_else(bad)?;
            let reason = ReasonCode::from_code(&r.reason_code).ok_or_else(bad)?;
            let sealed = match r.subject_ct.as_deref() {
                Some(ct) if !ct.is_empty() => {
                    let json = s.open(
                        T_PARTS,
                        &subject_column(r.request_id, kind),
                        r.subject_id,
                        ct,
                    )?;
                    let f: SubjectFacts = serde_json::from_str(&json).map_err(|_| bad())?;
                    Some((f.service_type, f.opened_on))
                }
                _ => None,
            };
            let service = sealed.or_else(|| {
                live.iter()
                    .find(|t| kind == PartKind::Trajectory && t.id.as_uuid() == r.subject_id)
                    .map(|t| (t.service_type.clone(), t.opened_on))
            });
            let officer_reason = match r.reason_ct.as_deref() {
                Some(ct) if !ct.is_empty() => Some(s.open(
                    T_PARTS,
                    &reason_column(r.request_id, kind),
                    r.subject_id,
                    ct,
                )?),
                _ => None,
            };
            Ok(StatedPart {
                kind,
                granted: r.decision == PartDecision::Grant.code(),
                reason,
                service,
                officer_reason,
            })
        })
        .collect()
}

/// The reasons of an erasure decision as the letter gives them in `language` (RTS-6):
/// one paragraph per part, naming a trajectory by its service and the day it started,
/// with the decision, why, and the privacy officer's own words as written.
pub(crate) fn erasure_reasons(
    parts: &[StatedPart],
    policy: &Policy,
    language: LetterLanguage,
) -> Vec<String> {
    let min_age = policy.age_bands().own_access_from;
    parts
        .iter()
        .map(|p| {
            let what = match (p.kind, &p.service, language) {
                (PartKind::Client, _, LetterLanguage::Nl) => {
                    "Uw persoonsgegevens (zoals uw naam, adres en geboortedatum)".to_owned()
                }
                (PartKind::Client, _, LetterLanguage::En) => {
                    "Your personal details (such as your name, address and date of birth)"
                        .to_owned()
                }
                (PartKind::Trajectory, Some((service, opened_on)), _) => {
                    let label = crate::requests::trajectory_label(
                        &crate::requests::service_name(policy, service, language),
                        *opened_on,
                        language,
                    );
                    match language {
                        LetterLanguage::Nl => format!("Het hulptraject {label}"),
                        LetterLanguage::En => format!("The service {label}"),
                    }
                }
                (PartKind::Trajectory, None, LetterLanguage::Nl) => "Een hulptraject".to_owned(),
                (PartKind::Trajectory, None, LetterLanguage::En) => "A service".to_owned(),
            };
            let verdict = match (p.granted, language) {
                (true, LetterLanguage::Nl) => "wij verwijderen deze gegevens",
                (false, LetterLanguage::Nl) => "wij bewaren deze gegevens",
                (true, LetterLanguage::En) => "we erase this data",
                (false, LetterLanguage::En) => "we keep this data",
            };
            let mut text = format!(
                "{what}: {verdict}. {}",
                reason_text(p.reason, language, min_age)
            );
            if let Some(own) = &p.officer_reason {
                let label = match language {
                    LetterLanguage::Nl => "Toelichting",
                    LetterLanguage::En => "Explanation",
                };
                text.push_str(&format!(" {label}: {}", own.trim()));
            }
            text
        })
        .collect()
}

/// The associated data's column of a part's reason: bound to the request as well as to
/// the subject, since one trajectory may be the part of two requests.
fn reason_column(request: Uuid, kind: PartKind) -> String {
    format!("reason:{}:{request}", kind.code())
}

fn part_key(kind: PartKind, subject: Uuid) -> (PartKind, Uuid) {
    (kind, subject)
}

/// The facts of a request, read once per use case.
struct Gathered {
    request: zv_store::requests::RightsRequestRow,
    workflow: zv_store::requests::RequestWorkflowRow,
    trajectories: Vec<zv_store::TrajectoryRow>,
    client: ClientFacts,
}

impl App {
    /// The role check of every erasure use case: the privacy officer's, recorded; anyone
    /// else is told the role does not include it (403), since nothing about a client is
    /// revealed by that.
    async fn erasure_gate(&self, actor: &Actor, what: &str) -> CoreResult<()> {
        let tx = self
            .authorize_organisation_write(
                actor,
                Access::new(AuditAction::Read, AuditObject::RightsRequest, None)
                    .target(Target::Request)
                    .purpose(Purpose::RightsRequest)
                    .detail(format!("erasure: {what}")),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An erasure request's rows, without content, or `None` when the client was
    /// destroyed (then only the proof remains).
    async fn erasure_request(
        &self,
        id: Uuid,
    ) -> CoreResult<
        Option<(
            zv_store::requests::RightsRequestRow,
            zv_store::requests::RequestWorkflowRow,
        )>,
    > {
        let tx = self.store.read_tx().await?;
        let request = zv_store::requests::request_meta(&tx, id).await?;
        let workflow = zv_store::requests::workflow_meta(&tx, &[id])
            .await?
            .pop()
            .unwrap_or_default();
        tx.commit().await?;
        match request {
            Some(r) if r.kind == RequestKind::Erasure.code() => Ok(Some((r, workflow))),
            Some(_) => Err(CoreError::NotFound),
            None => Ok(None),
        }
    }

    /// The facts the assessment needs: metadata without a proof, and the birth dates of
    /// the client and the children through a recorded read.
    async fn erasure_facts(
        &self,
        actor: &Actor,
        request: zv_store::requests::RightsRequestRow,
        workflow: zv_store::requests::RequestWorkflowRow,
        jeugdwet_request: bool,
    ) -> CoreResult<Gathered> {
        let client = request.client_id;
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::RightsRequest, Some(client))
                    .target(Target::Request)
                    .object_id(request.id)
                    .purpose(Purpose::RightsRequest)
                    .detail("erasure assessment: birth dates of the client and children"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let person = zv_store::clients::get(&tx, &auth, client)
            .await?
            .ok_or(CoreError::NotFound)?;
        let related = zv_store::related_persons::of_client(&tx, &auth).await?;
        let all = zv_store::trajectories::of_client(&tx, client).await?;
        let holds = zv_store::erasures::hold_counts(&tx, client, request.id).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        let date = |text: &str| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map_err(|_| CoreError::Internal("stored birth date unreadable".into()))
        };
        let client_birth = date(&s.open(
            crate::clients::T,
            "birth_date",
            client.as_uuid(),
            &person.birth_date_ct,
        )?)?;
        let mut youngest: Option<NaiveDate> = None;
        for r in related
            .iter()
            .filter(|r| r.relation.parse::<RelationKind>().ok() == Some(RelationKind::Child))
        {
            if let Some(b) = s.open_opt(
                T_RELATED,
                "birth_date",
                r.id.as_uuid(),
                r.birth_date_ct.as_deref(),
            )? {
                let b = date(&b)?;
                youngest = Some(youngest.map_or(b, |y| y.max(b)));
            }
        }
        let trajectories = if request.scope == "all" {
            all
        } else {
            all.into_iter()
                .filter(|t| request.trajectories.contains(&t.id))
                .collect()
        };
        Ok(Gathered {
            client: ClientFacts {
                received_on: request.received_on,
                today: self.clock.today(),
                client_birth,
                youngest_child_birth: youngest,
                other_open_requests: holds.other_open_requests,
                open_complaints: holds.open_complaints,
                jeugdwet_request,
                jeugdwet_min_age: self.policy.age_bands().own_access_from,
            },
            request,
            workflow,
            trajectories,
        })
    }

    fn trajectory_facts(&self, t: &zv_store::TrajectoryRow) -> CoreResult<TrajectoryFacts> {
        let service = self.policy.service_type(&t.service_type).ok_or_else(|| {
            CoreError::Internal("trajectory of a service type the policy no longer has".into())
        })?;
        let rule = self
            .policy
            .retention_rule(service.retention_rule_code(t.domestic_violence))
            .ok_or_else(|| {
                CoreError::Internal(
                    "service type names a retention rule that does not exist".into(),
                )
            })?;
        Ok(TrajectoryFacts {
            open: t.closed_on.is_none(),
            legal_obligation: service.legal_basis == LegalBasis::LegalObligation,
            youth_care: service.youth_care,
            retention_until: t.retention_until,
            child_age_condition: rule
                .not_before
                .iter()
                .map(|c| match c {
                    Condition::YoungestChildReaches { age } => *age,
                })
                .next(),
            frozen: t.frozen_kind.is_some(),
        })
    }

    /// The proposals for every part, trajectories first.
    fn proposals(&self, g: &Gathered) -> CoreResult<Vec<(PartKind, Uuid, Proposal)>> {
        let mut out = Vec::with_capacity(g.trajectories.len() + 1);
        for t in &g.trajectories {
            let facts = self.trajectory_facts(t)?;
            out.push((
                PartKind::Trajectory,
                t.id.as_uuid(),
                assess_trajectory(&g.client, &facts),
            ));
        }
        if g.request.scope == "all" {
            let decisions: Vec<PartDecision> = out.iter().map(|(_, _, p)| p.decision).collect();
            let frozen = g.trajectories.iter().any(|t| t.frozen_kind.is_some());
            out.push((
                PartKind::Client,
                g.request.client_id.as_uuid(),
                assess_client_record(&g.client, frozen, &decisions),
            ));
        }
        Ok(out)
    }

    /// The erasure page of a request (RTS-6): the parts with the assessment's proposal,
    /// or, once decided, the decisions with what is destroyed and what is pending.
    pub async fn erasure_plan(
        &self,
        actor: &Actor,
        id: Uuid,
        jeugdwet_request: bool,
    ) -> CoreResult<ErasurePlan> {
        self.erasure_gate(actor, "plan").await?;
        let Some((request, workflow)) = self.erasure_request(id).await? else {
            return self.erasure_proof(id).await;
        };
        let tx = self.store.read_tx().await?;
        let stored = zv_store::erasures::parts_meta(&tx, id).await?;
        tx.commit().await?;
        let outcome = workflow.outcome.as_deref().and_then(Outcome::from_code);
        let identity_recorded = workflow.identity_method.is_some();
        if stored.is_empty() {
            let g = self
                .erasure_facts(actor, request, workflow, jeugdwet_request)
                .await?;
            let parts = self
                .proposals(&g)?
                .into_iter()
                .map(|(kind, subject, proposal)| {
                    let t = g.trajectories.iter().find(|t| t.id.as_uuid() == subject);
                    PartView {
                        kind,
                        subject,
                        service_type: t.map(|t| t.service_type.clone()),
                        opened_on: t.map(|t| t.opened_on),
                        proposal,
                        decision: None,
                        reason_code: None,
                        reason: None,
                        destroyed_at: None,
                        pending: false,
                        destruction: None,
                    }
                })
                .collect();
            return Ok(ErasurePlan {
                request: id,
                reference: g.request.reference,
                client: Some(g.request.client_id),
                received_on: g.request.received_on,
                jeugdwet_request,
                identity_recorded,
                decided: false,
                outcome,
                parts,
                client_record_pending: false,
                proof: None,
            });
        }
        let client = request.client_id;
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::RightsRequest, Some(client))
                    .target(Target::Request)
                    .object_id(id)
                    .purpose(Purpose::RightsRequest)
                    .detail("erasure decisions"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let rows = zv_store::erasures::parts_of_request(&tx, &auth, id).await?;
        let live = zv_store::trajectories::of_client(&tx, client).await?;
        let records = destruction_lines(&tx, &rows).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        let mut parts = Vec::with_capacity(rows.len());
        let mut jeugdwet = false;
        for r in &rows {
            let view = part_view(Some(&s), r, &live, &records)?;
            jeugdwet |= view.reason_code == Some(ReasonCode::JeugdwetRequest)
                || view.reason_code == Some(ReasonCode::SubstantialInterest);
            parts.push(view);
        }
        let client_record_pending = parts
            .iter()
            .any(|p| p.kind == PartKind::Client && p.pending);
        Ok(ErasurePlan {
            request: id,
            reference: request.reference,
            client: Some(client),
            received_on: request.received_on,
            jeugdwet_request: jeugdwet,
            identity_recorded,
            decided: true,
            outcome,
            parts,
            client_record_pending,
            proof: None,
        })
    }

    async fn erasure_proof(&self, id: Uuid) -> CoreResult<ErasurePlan> {
        let tx = self.store.read_tx().await?;
        let proof = zv_store::erasures::proof_of(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let rows = zv_store::erasures::parts_meta(&tx, id).await?;
        let records = destruction_lines(&tx, &rows).await?;
        tx.commit().await?;
        let parts = rows
            .iter()
            .map(|r| part_view(None, r, &[], &records))
            .collect::<CoreResult<Vec<_>>>()?;
        Ok(ErasurePlan {
            request: id,
            reference: proof.reference.clone(),
            client: None,
            received_on: proof.received_on,
            jeugdwet_request: false,
            identity_recorded: true,
            decided: true,
            outcome: Outcome::from_code(&proof.outcome),
            parts,
            client_record_pending: false,
            proof: Some(ProofView {
                reference: proof.reference,
                received_on: proof.received_on,
                outcome: proof.outcome,
                answer_sent_on: proof.answer_sent_on,
                parts_granted: proof.parts_granted,
                parts_refused: proof.parts_refused,
                client_destroyed_at: proof.client_destroyed_at,
            }),
        })
    }

    /// The privacy officer's decision on an erasure request (RTS-6). Every part needs a
    /// decision; against the proposal only with a reason; never a grant where a legal
    /// retention duty or a hold binds. In one transaction: the decisions (reasons
    /// sealed), each granted trajectory destroyed with its destruction record and audit
    /// event. Then the request's outcome through [`App::decide_request`], with the
    /// reasons per part for the letter. Submitting again after an interruption finishes
    /// what is pending (a granted trajectory not destroyed, the outcome not recorded);
    /// the decisions themselves are recorded once.
    pub async fn decide_erasure(
        &self,
        actor: &Actor,
        id: Uuid,
        input: ErasureInput,
    ) -> CoreResult<ErasureSubmit> {
        self.erasure_gate(actor, "decision").await?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("the privacy officer decides".into()))?;
        let (request, workflow) = self
            .erasure_request(id)
            .await?
            .ok_or_else(|| CoreError::Conflict(ALREADY_CLOSED.into()))?;
        if input.answer_sent_on > self.clock.today() || input.answer_sent_on < request.received_on {
            return Err(CoreError::invalid(
                "answer_sent_on",
                "the day must be between the day received and today",
            ));
        }
        let tx = self.store.read_tx().await?;
        let stored = zv_store::erasures::parts_meta(&tx, id).await?;
        let live = zv_store::trajectories::of_client(&tx, request.client_id).await?;
        tx.commit().await?;
        if !stored.is_empty() {
            return self
                .finish_erasure(
                    actor,
                    &request,
                    &workflow,
                    stored,
                    &live,
                    input.answer_sent_on,
                )
                .await
                .map(ErasureSubmit::Done);
        }
        if workflow.outcome.is_some() || request.status == FiledStatus::Closed.code() {
            return Err(CoreError::Conflict(ALREADY_CLOSED.into()));
        }
        let g = self
            .erasure_facts(actor, request, workflow, input.jeugdwet_request)
            .await?;
        let proposals = self.proposals(&g)?;
        if input.parts.iter().any(|c| {
            !proposals
                .iter()
                .any(|(k, s, _)| part_key(*k, *s) == part_key(c.kind, c.subject))
        }) {
            return Err(CoreError::invalid(
                "parts",
                "a part is not in the request's scope",
            ));
        }
        let mut issues = Vec::new();
        let mut decided: Vec<(PartKind, Uuid, Proposal, PartDecision, ReasonCode, String)> =
            Vec::new();
        for (kind, subject, proposal) in &proposals {
            let choice = input
                .parts
                .iter()
                .find(|c| c.kind == *kind && c.subject == *subject);
            let (decision, reason) = choice.map_or((None, ""), |c| (c.decision, c.reason.as_str()));
            // The client's record follows the decisions on the trajectories, not only
            // their proposals: it cannot be granted while a trajectory is kept.
            let kept = *kind == PartKind::Client && decision == Some(PartDecision::Grant) && {
                let frozen = g.trajectories.iter().any(|t| t.frozen_kind.is_some());
                let trajectories: Vec<PartDecision> =
                    decided.iter().map(|(_, _, _, d, _, _)| *d).collect();
                assess_client_record(&g.client, frozen, &trajectories).decision
                    == PartDecision::Refuse
            };
            let checked = if kept {
                Err(("decision", PartProblem::GrantForbidden))
            } else {
                check_decision(*kind, proposal, decision, reason)
            };
            match checked {
                Ok(code) => decided.push((
                    *kind,
                    *subject,
                    *proposal,
                    decision.unwrap_or(PartDecision::Refuse),
                    code,
                    reason.trim().to_owned(),
                )),
                Err((field, problem)) => issues.push(PartIssue {
                    kind: *kind,
                    subject: *subject,
                    field,
                    problem,
                }),
            }
        }
        if !issues.is_empty() {
            return Ok(ErasureSubmit::Refused(issues));
        }
        let any_grant = decided
            .iter()
            .any(|(_, _, _, d, _, _)| *d == PartDecision::Grant);
        if any_grant && g.workflow.identity_method.is_none() {
            return Err(CoreError::Conflict(IDENTITY_FIRST.into()));
        }
        let client = g.request.client_id;
        // Decided before the write opens: one decision per destroyed part, each its own
        // audit event in the write's transaction.
        let mut destructions = Vec::new();
        for (kind, subject, _, d, _, _) in &decided {
            if *kind == PartKind::Trajectory && *d == PartDecision::Grant {
                let access = destruction_access(client, *subject, &g.request.reference);
                let decision = self.decide(actor, &access).await?;
                if !decision.allowed {
                    return Err(self.refuse(actor, &access, decision).await);
                }
                destructions.push((
                    TrajectoryId::from_uuid(*subject),
                    crate::gate::event(actor, &access, AuditOutcome::Success, &decision),
                ));
            }
        }
        let granted = decided
            .iter()
            .filter(|(_, _, _, d, _, _)| *d == PartDecision::Grant)
            .count();
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Update,
                    AuditObject::RightsRequest,
                    Some(client),
                )
                .target(Target::Request)
                .object_id(id)
                .purpose(Purpose::RightsRequest)
                .detail(format!(
                    "erasure decision: {granted} granted, {} refused",
                    decided.len() - granted
                )),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, client).await?;
        let s = Sealer { key: &key };
        let now = self.now();
        let rows: Vec<ErasurePartRow> = decided
            .iter()
            .map(
                |(kind, subject, proposal, d, code, reason)| ErasurePartRow {
                    request_id: id,
                    part_kind: kind.code().to_owned(),
                    subject_id: *subject,
                    client_id: client,
                    proposal: proposal.decision.code().to_owned(),
                    decision: d.code().to_owned(),
                    reason_code: code.code().to_owned(),
                    reason_ct: (!reason.is_empty())
                        .then(|| s.seal(T_PARTS, &reason_column(id, *kind), *subject, reason)),
                    subject_ct: g
                        .trajectories
                        .iter()
                        .find(|t| *kind == PartKind::Trajectory && t.id.as_uuid() == *subject)
                        .map(|t| {
                            let facts = serde_json::json!({
                                "service_type": t.service_type,
                                "opened_on": t.opened_on,
                            });
                            s.seal(
                                T_PARTS,
                                &subject_column(id, *kind),
                                *subject,
                                &facts.to_string(),
                            )
                        }),
                    destroy_by: if *d == PartDecision::Grant {
                        proposal.destroy_by
                    } else {
                        None
                    },
                    decided_by: by,
                    decided_at: now,
                    destroyed_at: None,
                },
            )
            .collect();
        zv_store::erasures::insert_parts(&tx, &rows).await?;
        let mut files = Vec::new();
        let mut destroyed = Vec::new();
        for (trajectory, event) in destructions {
            zv_store::audit::append(&tx, &[event], now).await?;
            let outcome = zv_store::destruction::destroy_trajectory(
                &tx,
                trajectory,
                self.erasure_record(by, &g.request.reference),
            )
            .await?;
            files.extend(outcome.attachment_ids);
            zv_store::erasures::mark_destroyed(
                &tx,
                id,
                PartKind::Trajectory.code(),
                trajectory.as_uuid(),
                now,
            )
            .await?;
            destroyed.push(trajectory.as_uuid());
        }
        tx.commit().await?;
        self.delete_erased_files(files).await?;
        let stored = {
            let tx = self.store.read_tx().await?;
            let rows = zv_store::erasures::parts_meta(&tx, id).await?;
            tx.commit().await?;
            rows
        };
        let mut report = self
            .finish_erasure(
                actor,
                &g.request,
                &g.workflow,
                stored,
                &g.trajectories,
                input.answer_sent_on,
            )
            .await?;
        report.destroyed = destroyed;
        Ok(ErasureSubmit::Done(report))
    }

    fn erasure_record(&self, by: UserId, reference: &str) -> zv_store::NewDestructionRecord {
        zv_store::NewDestructionRecord {
            rule: ERASURE_RULE.to_owned(),
            reason: format!("rights request {reference}"),
            by_user: Some(by),
            at: self.now(),
        }
    }

    async fn delete_erased_files(&self, ids: Vec<zv_domain::AttachmentId>) -> CoreResult<()> {
        for a in ids {
            zv_store::blobs::delete(&self.store, a).await?;
        }
        Ok(())
    }

    /// Destroys the granted trajectories still pending (an earlier submit was
    /// interrupted) and records the request's outcome if it is not yet recorded.
    async fn finish_erasure(
        &self,
        actor: &Actor,
        request: &zv_store::requests::RightsRequestRow,
        workflow: &zv_store::requests::RequestWorkflowRow,
        stored: Vec<ErasurePartRow>,
        known: &[zv_store::TrajectoryRow],
        answer_sent_on: NaiveDate,
    ) -> CoreResult<ErasureReport> {
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("the privacy officer decides".into()))?;
        let mut destroyed = Vec::new();
        for r in stored.iter().filter(|r| {
            r.part_kind == PartKind::Trajectory.code()
                && r.decision == PartDecision::Grant.code()
                && r.destroyed_at.is_none()
        }) {
            let access = destruction_access(request.client_id, r.subject_id, &request.reference);
            let tx = self.authorize_write(actor, access).await?;
            let outcome = zv_store::destruction::destroy_trajectory(
                &tx,
                TrajectoryId::from_uuid(r.subject_id),
                self.erasure_record(by, &request.reference),
            )
            .await?;
            zv_store::erasures::mark_destroyed(
                &tx,
                request.id,
                PartKind::Trajectory.code(),
                r.subject_id,
                self.now(),
            )
            .await?;
            tx.commit().await?;
            self.delete_erased_files(outcome.attachment_ids).await?;
            destroyed.push(r.subject_id);
        }
        let granted = stored
            .iter()
            .filter(|r| r.decision == PartDecision::Grant.code())
            .count();
        let outcome = match granted {
            0 => Outcome::Refused,
            n if n == stored.len() => Outcome::Granted,
            _ => Outcome::PartlyGranted,
        };
        if workflow.outcome.is_none() {
            // The record in Dutch, as the staff page and the portal show it; the letter
            // words the same parts in its own language from the stored facts.
            let nl = LetterLanguage::Nl;
            let min_age = self.policy.age_bands().own_access_from;
            let reasons = stored
                .iter()
                .map(|r| {
                    let code = ReasonCode::from_code(&r.reason_code).ok_or_else(|| {
                        CoreError::Internal("stored reason code unreadable".into())
                    })?;
                    let what = if r.part_kind == PartKind::Client.code() {
                        "Uw persoonsgegevens".to_owned()
                    } else {
                        known
                            .iter()
                            .find(|t| t.id.as_uuid() == r.subject_id)
                            .map_or_else(
                                || "Een hulptraject".to_owned(),
                                |t| {
                                    let name = crate::requests::service_name(
                                        &self.policy,
                                        &t.service_type,
                                        nl,
                                    );
                                    format!(
                                        "Het hulptraject {}",
                                        crate::requests::trajectory_label(&name, t.opened_on, nl)
                                    )
                                },
                            )
                    };
                    let verdict = if r.decision == PartDecision::Grant.code() {
                        "ingewilligd"
                    } else {
                        "afgewezen"
                    };
                    Ok(format!(
                        "{what}: {verdict}. {}",
                        reason_text(code, nl, min_age)
                    ))
                })
                .collect::<CoreResult<Vec<_>>>()?
                .join("\n\n");
            self.decide_request(
                actor,
                request.id,
                OutcomeInput {
                    outcome,
                    reasons,
                    answer_sent_on,
                },
            )
            .await?;
        }
        Ok(ErasureReport {
            outcome,
            destroyed,
            client_record_pending: stored.iter().any(|r| {
                r.part_kind == PartKind::Client.code()
                    && r.decision == PartDecision::Grant.code()
                    && r.destroyed_at.is_none()
            }),
        })
    }

    /// The last step of an erasure request about everything (RTS-6): once the answer is
    /// recorded as sent, destroys the client's record with `destroy_client`, leaving the
    /// request's proof (reference, kind, dates, outcome) without personal data. Refused
    /// while the client has a trajectory the decision did not grant and destroy.
    pub async fn destroy_erased_client(&self, actor: &Actor, id: Uuid) -> CoreResult<()> {
        self.erasure_gate(actor, "client record").await?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("the privacy officer decides".into()))?;
        let (request, workflow) = self.erasure_request(id).await?.ok_or(CoreError::NotFound)?;
        let tx = self.store.read_tx().await?;
        let stored = zv_store::erasures::parts_meta(&tx, id).await?;
        let live = zv_store::trajectories::of_client(&tx, request.client_id).await?;
        tx.commit().await?;
        let client_part = stored
            .iter()
            .find(|r| r.part_kind == PartKind::Client.code())
            .filter(|r| r.decision == PartDecision::Grant.code() && r.destroyed_at.is_none())
            .ok_or(CoreError::NotFound)?;
        let (Some(outcome), Some(answer_sent_on)) = (&workflow.outcome, workflow.answer_sent_on)
        else {
            return Err(CoreError::Conflict(ANSWER_FIRST.into()));
        };
        if !live.is_empty() {
            return Err(CoreError::Conflict(TRAJECTORY_OPENED_SINCE.into()));
        }
        let client = request.client_id;
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Delete, AuditObject::Destruction, Some(client))
                    .target(Target::Request)
                    .object_id(client)
                    .purpose(Purpose::RightsRequest)
                    .detail(format!(
                        "client; rule {ERASURE_RULE}; request {}",
                        request.reference
                    )),
            )
            .await?;
        let granted = stored
            .iter()
            .filter(|r| r.decision == PartDecision::Grant.code())
            .count();
        zv_store::erasures::insert_proof(
            &tx,
            &ErasureProofRow {
                request_id: id,
                reference: request.reference.clone(),
                kind: request.kind.clone(),
                received_on: request.received_on,
                outcome: outcome.clone(),
                answer_sent_on,
                parts_granted: i64::try_from(granted).unwrap_or(i64::MAX),
                parts_refused: i64::try_from(stored.len() - granted).unwrap_or(i64::MAX),
                client_destroyed_at: self.now(),
            },
        )
        .await?;
        zv_store::erasures::forget_reasons(&tx, client).await?;
        let outcome = zv_store::destruction::destroy_client(
            &tx,
            client,
            self.erasure_record(by, &request.reference),
        )
        .await?;
        zv_store::erasures::mark_destroyed(
            &tx,
            id,
            PartKind::Client.code(),
            client_part.subject_id,
            self.now(),
        )
        .await?;
        tx.commit().await?;
        self.delete_erased_files(outcome.attachment_ids).await
    }
}

/// The destruction of one trajectory on an erasure request: the privacy officer's, on
/// the request (`access/rts6_erasure.cedar`).
fn destruction_access(client: ClientId, trajectory: Uuid, reference: &str) -> Access {
    Access::new(AuditAction::Delete, AuditObject::Destruction, Some(client))
        .target(Target::Request)
        .object_id(trajectory)
        .purpose(Purpose::RightsRequest)
        .detail(format!(
            "trajectory; rule {ERASURE_RULE}; request {reference}"
        ))
}

/// One stored part; without a sealer (the client's key is destroyed) no reason.
fn part_view(
    s: Option<&Sealer<'_>>,
    r: &ErasurePartRow,
    live: &[zv_store::TrajectoryRow],
    records: &[(Uuid, DestructionLine)],
) -> CoreResult<PartView> {
    let bad = || CoreError::Internal("stored erasure part unreadable".into());
    let kind = PartKind::from_code(&r.part_kind).ok_or_else(bad)?;
    let decision = PartDecision::from_code(&r.decision).ok_or_else(bad)?;
    let proposed = PartDecision::from_code(&r.proposal).ok_or_else(bad)?;
    let code = ReasonCode::from_code(&r.reason_code).ok_or_else(bad)?;
    let t = live.iter().find(|t| t.id.as_uuid() == r.subject_id);
    let reason = match (s, r.reason_ct.as_deref()) {
        (Some(s), Some(ct)) if !ct.is_empty() => Some(s.open(
            T_PARTS,
            &reason_column(r.request_id, kind),
            r.subject_id,
            ct,
        )?),
        _ => None,
    };
    Ok(PartView {
        kind,
        subject: r.subject_id,
        service_type: t.map(|t| t.service_type.clone()),
        opened_on: t.map(|t| t.opened_on),
        proposal: Proposal {
            decision: proposed,
            reason: code,
            destroy_by: r.destroy_by,
            binding: false,
        },
        decision: Some(decision),
        reason_code: Some(code),
        reason,
        destroyed_at: r.destroyed_at,
        pending: decision == PartDecision::Grant && r.destroyed_at.is_none(),
        destruction: records
            .iter()
            .find(|(subject, _)| *subject == r.subject_id)
            .map(|(_, d)| d.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn client() -> ClientFacts {
        ClientFacts {
            received_on: d("2026-11-20"),
            today: d("2026-11-22"),
            client_birth: d("1990-01-01"),
            youngest_child_birth: None,
            other_open_requests: 0,
            open_complaints: 0,
            jeugdwet_request: false,
            jeugdwet_min_age: 12,
        }
    }

    fn closed_amw() -> TrajectoryFacts {
        TrajectoryFacts {
            open: false,
            legal_obligation: false,
            youth_care: false,
            retention_until: Some(d("2028-06-01")),
            child_age_condition: None,
            frozen: false,
        }
    }

    fn youth() -> TrajectoryFacts {
        TrajectoryFacts {
            legal_obligation: true,
            youth_care: true,
            retention_until: Some(d("2046-06-01")),
            ..closed_amw()
        }
    }

    // promise: RTS-6
    #[test]
    fn a_closed_trajectory_on_the_organisations_own_term_is_granted() {
        let p = assess_trajectory(&client(), &closed_amw());
        assert_eq!(p.decision, PartDecision::Grant);
        assert_eq!(p.reason, ReasonCode::NoRetentionDuty);
        let open = TrajectoryFacts {
            open: true,
            ..closed_amw()
        };
        let p = assess_trajectory(&client(), &open);
        assert_eq!(
            (p.decision, p.reason),
            (PartDecision::Refuse, ReasonCode::DutyOfCare)
        );
        assert!(!p.binding);
    }

    // promise: RTS-6
    #[test]
    fn a_legal_retention_duty_binds_unless_a_jeugdwet_request_from_12() {
        let p = assess_trajectory(&client(), &youth());
        assert_eq!(p.reason, ReasonCode::LegalRetention);
        assert!(p.binding);
        let asked = ClientFacts {
            jeugdwet_request: true,
            client_birth: d("2014-11-20"),
            ..client()
        };
        let p = assess_trajectory(&asked, &youth());
        assert_eq!(p.decision, PartDecision::Grant);
        assert_eq!(p.destroy_by, Some(d("2027-02-20")));
        // The day before the 12th birthday on the day received: no such request.
        let eleven = ClientFacts {
            client_birth: d("2014-11-21"),
            ..asked.clone()
        };
        let p = assess_trajectory(&eleven, &youth());
        assert_eq!(p.reason, ReasonCode::JeugdwetUnderAge);
        assert!(p.binding);
        // A term that has ended binds nothing.
        let ended = TrajectoryFacts {
            retention_until: Some(d("2026-11-21")),
            ..youth()
        };
        assert_eq!(
            assess_trajectory(&client(), &ended).decision,
            PartDecision::Grant
        );
    }

    // promise: RTS-6
    #[test]
    fn holds_and_the_youngest_child_refuse() {
        let with_child = ClientFacts {
            youngest_child_birth: Some(d("2015-03-03")),
            ..client()
        };
        let blijf = TrajectoryFacts {
            child_age_condition: Some(18),
            ..closed_amw()
        };
        let p = assess_trajectory(&with_child, &blijf);
        assert_eq!(p.reason, ReasonCode::ChildInterest);
        let grown = ClientFacts {
            youngest_child_birth: Some(d("2008-11-22")),
            ..client()
        };
        assert_eq!(
            assess_trajectory(&grown, &blijf).decision,
            PartDecision::Grant
        );
        let complaint = ClientFacts {
            open_complaints: 1,
            ..client()
        };
        let p = assess_trajectory(&complaint, &closed_amw());
        assert_eq!(p.reason, ReasonCode::HoldComplaint);
        assert!(p.binding);
        let frozen = TrajectoryFacts {
            frozen: true,
            ..closed_amw()
        };
        assert_eq!(
            assess_trajectory(&client(), &frozen).reason,
            ReasonCode::HoldProcessingStop
        );
        let other = ClientFacts {
            other_open_requests: 1,
            ..client()
        };
        assert_eq!(hold(&other, false), Some(ReasonCode::HoldRequest));
    }

    // promise: RTS-6
    #[test]
    fn the_client_record_goes_only_with_every_trajectory() {
        let c = client();
        let all = [PartDecision::Grant, PartDecision::Grant];
        assert_eq!(
            assess_client_record(&c, false, &all).decision,
            PartDecision::Grant
        );
        let p = assess_client_record(&c, false, &[PartDecision::Grant, PartDecision::Refuse]);
        assert_eq!(p.reason, ReasonCode::PartsKept);
        let held = ClientFacts {
            open_complaints: 1,
            ..client()
        };
        assert!(assess_client_record(&held, false, &all).binding);
    }

    // promise: RTS-6
    #[test]
    fn overrides_need_a_reason_and_binding_refusals_cannot_be_granted() {
        let t = PartKind::Trajectory;
        let g = grant(ReasonCode::NoRetentionDuty, None);
        assert_eq!(
            check_decision(t, &g, Some(PartDecision::Grant), ""),
            Ok(ReasonCode::NoRetentionDuty)
        );
        assert_eq!(
            check_decision(t, &g, Some(PartDecision::Refuse), ""),
            Err(("reason", PartProblem::ReasonRequired))
        );
        assert_eq!(
            check_decision(t, &g, Some(PartDecision::Refuse), "kort"),
            Err(("reason", PartProblem::ReasonLength))
        );
        assert_eq!(
            check_decision(
                t,
                &g,
                Some(PartDecision::Refuse),
                "De ex-partner heeft belang"
            ),
            Ok(ReasonCode::ThirdPartyInterest)
        );
        let j = grant(ReasonCode::JeugdwetRequest, Some(d("2027-02-20")));
        assert_eq!(
            check_decision(
                t,
                &j,
                Some(PartDecision::Refuse),
                "Broertje heeft aanmerkelijk belang"
            ),
            Ok(ReasonCode::SubstantialInterest)
        );
        let legal = refuse(ReasonCode::LegalRetention, true);
        assert_eq!(
            check_decision(
                t,
                &legal,
                Some(PartDecision::Grant),
                "Toch maar vernietigen"
            ),
            Err(("decision", PartProblem::GrantForbidden))
        );
        let care = refuse(ReasonCode::DutyOfCare, false);
        assert_eq!(
            check_decision(
                t,
                &care,
                Some(PartDecision::Grant),
                "Hulp wordt vandaag beëindigd"
            ),
            Ok(ReasonCode::OfficerGrant)
        );
        assert_eq!(
            check_decision(t, &care, None, ""),
            Err(("decision", PartProblem::DecisionRequired))
        );
    }

    fn levgroep() -> Policy {
        zv_policy::parse(include_str!("../../../policies/levgroep.toml")).unwrap()
    }

    fn stated(
        kind: PartKind,
        granted: bool,
        reason: ReasonCode,
        service: Option<(&str, &str)>,
        officer_reason: Option<&str>,
    ) -> StatedPart {
        StatedPart {
            kind,
            granted,
            reason,
            service: service.map(|(code, on)| (code.to_owned(), d(on))),
            officer_reason: officer_reason.map(str::to_owned),
        }
    }

    // promise: RTS-6
    #[test]
    fn the_letter_names_each_part_by_its_service_and_states_why_in_its_language() {
        let policy = levgroep();
        let parts = [
            stated(
                PartKind::Trajectory,
                true,
                ReasonCode::NoRetentionDuty,
                Some(("amw", "2026-02-01")),
                None,
            ),
            stated(
                PartKind::Trajectory,
                false,
                ReasonCode::ThirdPartyInterest,
                Some(("jeugdhulp", "2025-03-04")),
                Some("Uw broer heeft deze gegevens nog nodig."),
            ),
            stated(PartKind::Client, false, ReasonCode::PartsKept, None, None),
            stated(
                PartKind::Trajectory,
                false,
                ReasonCode::DutyOfCare,
                None,
                None,
            ),
        ];
        let nl = erasure_reasons(&parts, &policy, LetterLanguage::Nl);
        assert_eq!(
            nl[0],
            "Het hulptraject ‘Algemeen maatschappelijk werk’ (gestart op 1 februari 2026): wij verwijderen deze gegevens. De hulp is afgesloten en geen wet verplicht ons deze gegevens te bewaren."
        );
        assert_eq!(
            nl[1],
            "Het hulptraject ‘Jeugdhulp’ (gestart op 4 maart 2025): wij bewaren deze gegevens. Het belang van iemand anders vraagt dat wij deze gegevens bewaren. Toelichting: Uw broer heeft deze gegevens nog nodig."
        );
        assert!(
            nl[2].starts_with("Uw persoonsgegevens (zoals uw naam, adres en geboortedatum): wij bewaren deze gegevens. Een deel van uw dossier")
        );
        assert!(
            nl[3].starts_with("Een hulptraject: wij bewaren deze gegevens. De hulp loopt nog.")
        );
        let en = erasure_reasons(&parts, &policy, LetterLanguage::En);
        assert_eq!(
            en[0],
            "The service ‘General social work’ (started on 1 February 2026): we erase this data. The help has ended and no law requires us to keep this data."
        );
        // The officer's words stay as written, whatever the letter's language.
        assert_eq!(
            en[1],
            "The service ‘Youth care’ (started on 4 March 2025): we keep this data. Someone else's interest requires us to keep this data. Explanation: Uw broer heeft deze gegevens nog nodig."
        );
        assert!(en[2].starts_with("Your personal details (such as your name, address and date of birth): we keep this data. We keep part of your file."));
        assert!(en[3].starts_with("A service: we keep this data. The help is still going on."));
        for text in [&nl, &en].into_iter().flatten() {
            assert!(!text.contains("Traject "), "never an id: {text}");
        }
    }

    #[test]
    fn every_reason_has_its_own_wording_in_dutch_and_in_english() {
        let mut seen = std::collections::HashSet::new();
        for code in ReasonCode::ALL {
            let nl = reason_text(*code, LetterLanguage::Nl, 12);
            let en = reason_text(*code, LetterLanguage::En, 12);
            assert!(nl.ends_with('.') && en.ends_with('.'), "{code:?}");
            assert_ne!(nl, en, "{code:?}");
            assert!(
                seen.insert(nl) && seen.insert(en),
                "{code:?} repeats another"
            );
        }
        // The age comes from the policy, not from the sentence.
        assert!(
            reason_text(ReasonCode::JeugdwetUnderAge, LetterLanguage::En, 14).contains("under 14")
        );
    }
}
