//! The register of data breaches (TRN-3, GDPR art. 33 and 34; decision 0036): "data
//! breaches are registered; the 72-hour notification deadline to the Autoriteit
//! Persoonsgegevens is tracked".
//!
//! - Any staff member reports a suspected breach at once (art. 33(2)): what happened and
//!   when they noticed it. The report lands in the register as `reported`, and the clock
//!   starts at the moment of reporting: from then on the organisation is aware. The
//!   reporter sees afterwards only the references of their own reports.
//! - The privacy officer completes the facts (the moment of awareness, which may be set
//!   earlier than the report but never later, nor in the future; when it happened, how it
//!   was discovered, what happened, the categories of data and of people concerned,
//!   whether special categories are involved, approximate numbers, likely consequences,
//!   measures, a contact point), decides whether to notify the authority (not notifying
//!   needs a reason: the breach is unlikely to result in a risk) and whether to inform the
//!   people concerned (not informing needs a reason: no high risk, art. 34), records the
//!   notification (when, the authority's reference; a late one needs the reason for the
//!   delay, art. 33(1)) and when the people were informed, and closes it.
//! - The clock: the deadline is the moment of awareness plus 72 real hours, computed in
//!   UTC and shown in Europe/Amsterdam time, so a weekend counts and a change of daylight
//!   saving time moves the local hour. See [`clock`].
//! - Escalation: when less than 24 hours are left, and again when the deadline has passed,
//!   the privacy officer gets one mail each (a loop in `serve`); the start page shows the
//!   running clocks at every visit.
//! - The free-text fields may describe people, so they are sealed with the system key,
//!   bound to their row and column; every read and change is an audit event.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::Serialize;
use uuid::Uuid;
use zv_documents as docs;
use zv_domain::{AuditAction, AuditObject, Purpose, UserId};
use zv_policy::{DataCategory, DataSubject};
use zv_store::breaches::{
    BreachDecision, BreachFacts, BreachRow, CLOSED, NewBreach, OwnReport, REPORTED,
};
use zv_store::outbox::NewMail;

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::mail::MailLanguage;

const T: &str = "data_breaches";
/// The reference prefix: "datalek".
const PREFIX: &str = "DL";
/// Art. 33(1): "without undue delay and, where feasible, not later than 72 hours after
/// having become aware of it". Real hours, not working days: the law sets it, not policy.
pub const NOTIFY_WITHIN: Duration = Duration::hours(72);
/// Less than this left and the clock is escalated to the privacy officer.
pub const DUE_SOON: Duration = Duration::hours(24);
const FACTS_MIN_CHARS: usize = 10;
const FACTS_MAX_CHARS: usize = 8_000;
const TEXT_MAX_CHARS: usize = 4_000;
const SHORT_MAX_CHARS: usize = 1_000;
const AP_REFERENCE_MAX_CHARS: usize = 100;
/// More people or records than this is not an estimate but a typing error.
const COUNT_MAX: i64 = 100_000_000;
/// The job's name in the audit log.
const JOB: &str = "breach-escalation";
/// The kind of the mail that tells the privacy officer of a breach clock running out.
pub const KIND_BREACH_DEADLINE: &str = "breach-deadline";

/// The decision on notifying the Autoriteit Persoonsgegevens, as stored and in the API.
pub const NOTIFY_CHOICES: [&str; 2] = ["notify", "not_notify"];
/// The decision on informing the people concerned, as stored and in the API.
pub const INFORM_CHOICES: [&str; 2] = ["inform", "not_inform"];

/// The categories of people a breach can concern: whose data the organisation holds
/// (`zv_policy::DataSubject`, as in the register of processing).
pub const PEOPLE: [DataSubject; 9] = [
    DataSubject::Clients,
    DataSubject::Relatives,
    DataSubject::Staff,
    DataSubject::Applicants,
    DataSubject::Participants,
    DataSubject::Visitors,
    DataSubject::Correspondents,
    DataSubject::PartnerContacts,
    DataSubject::BusinessRelations,
];

/// The stable code of a category of people (its policy and API spelling).
#[must_use]
pub const fn people_code(s: DataSubject) -> &'static str {
    match s {
        DataSubject::Clients => "clients",
        DataSubject::Relatives => "relatives",
        DataSubject::Staff => "staff",
        DataSubject::Applicants => "applicants",
        DataSubject::Participants => "participants",
        DataSubject::Visitors => "visitors",
        DataSubject::Correspondents => "correspondents",
        DataSubject::PartnerContacts => "partner_contacts",
        DataSubject::BusinessRelations => "business_relations",
    }
}

/// Where the 72-hour clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// More than 24 hours left.
    Running,
    /// Less than 24 hours left, not notified: escalated.
    DueSoon,
    /// Past the deadline, not notified, and no decision not to notify.
    Overdue,
    NotifiedInTime,
    /// Notified after the deadline, with the reason for the delay.
    NotifiedLate,
    /// Decided not to notify (with the reason): the clock is stopped.
    NotNotifying,
}

impl ClockState {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::DueSoon => "due_soon",
            Self::Overdue => "overdue",
            Self::NotifiedInTime => "notified_in_time",
            Self::NotifiedLate => "notified_late",
            Self::NotNotifying => "not_notifying",
        }
    }

    /// Whether the privacy officer must act now: less than a day left, or past.
    #[must_use]
    pub const fn escalated(self) -> bool {
        matches!(self, Self::DueSoon | Self::Overdue)
    }
}

/// The 72-hour clock of a breach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BreachClock {
    /// The moment of awareness plus 72 hours, UTC.
    pub deadline: DateTime<Utc>,
    /// The same moment in Europe/Amsterdam time, with the zone (`2026-10-26 09:00 CET`).
    pub deadline_local: String,
    pub state: ClockState,
    /// Whole minutes until the deadline from now; negative once past.
    pub minutes_left: i64,
}

/// The deadline of a breach the organisation became aware of at `aware_at`: 72 real
/// hours later. Computed on the UTC instant, so a weekend and a change of daylight
/// saving time are simply hours like any other.
#[must_use]
pub fn deadline(aware_at: DateTime<Utc>) -> DateTime<Utc> {
    aware_at + NOTIFY_WITHIN
}

/// An instant as people in the Netherlands read it: local date and time and the zone.
#[must_use]
pub fn local(t: DateTime<Utc>) -> String {
    t.with_timezone(&Amsterdam)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// An instant for an `<input type="datetime-local">`, in Europe/Amsterdam time.
#[must_use]
pub fn local_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&Amsterdam)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// A moment typed in Europe/Amsterdam time (`2026-10-23T10:00`, as a browser's
/// `datetime-local` sends it, or with a space), or an RFC 3339 instant with its offset.
/// In the hour that occurs twice when summer time ends, the first is meant; a time in
/// the hour skipped when it begins does not exist and is refused.
#[must_use]
pub fn parse_moment(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())?;
    Amsterdam
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Where the clock of a breach stands at `now`.
#[must_use]
pub fn clock(
    aware_at: DateTime<Utc>,
    notified_at: Option<DateTime<Utc>>,
    notify_decision: Option<&str>,
    now: DateTime<Utc>,
) -> BreachClock {
    let deadline = deadline(aware_at);
    let state = match notified_at {
        Some(at) if at <= deadline => ClockState::NotifiedInTime,
        Some(_) => ClockState::NotifiedLate,
        None if notify_decision == Some("not_notify") => ClockState::NotNotifying,
        None if now > deadline => ClockState::Overdue,
        None if deadline - now < DUE_SOON => ClockState::DueSoon,
        None => ClockState::Running,
    };
    BreachClock {
        deadline,
        deadline_local: local(deadline),
        state,
        minutes_left: (deadline - now).num_minutes(),
    }
}

/// A staff member's report of a suspected breach.
#[derive(Clone)]
pub struct ReportInput {
    /// When they noticed it.
    pub noticed_at: DateTime<Utc>,
    pub what_happened: String,
}

impl std::fmt::Debug for ReportInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReportInput({}, ***)", self.noticed_at)
    }
}

/// The facts of a breach as the privacy officer completes them; checked by
/// [`facts_problems`].
#[derive(Clone, Default)]
pub struct FactsInput {
    pub aware_at: DateTime<Utc>,
    pub occurred_from: Option<NaiveDate>,
    pub occurred_to: Option<NaiveDate>,
    /// How it was discovered.
    pub discovered: String,
    /// What happened: the nature of the breach.
    pub facts: String,
    /// Codes of [`DataCategory`].
    pub data_categories: Vec<String>,
    pub special_categories: bool,
    /// Codes of [`PEOPLE`].
    pub people_categories: Vec<String>,
    /// Approximate numbers.
    pub people_count: Option<i64>,
    pub records_count: Option<i64>,
    pub consequences: String,
    pub measures: String,
    /// A contact point besides the privacy officer, optional.
    pub contact: String,
}

impl std::fmt::Debug for FactsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FactsInput({}, ***)", self.aware_at)
    }
}

/// The decision on notifying the authority and informing the people concerned.
#[derive(Clone, Default)]
pub struct DecisionInput {
    /// One of [`NOTIFY_CHOICES`].
    pub notify: String,
    /// Required when not notifying: why the breach is unlikely to result in a risk.
    pub notify_reason: String,
    /// One of [`INFORM_CHOICES`].
    pub inform: String,
    /// Required when not informing: why there is no high risk (art. 34).
    pub inform_reason: String,
}

impl std::fmt::Debug for DecisionInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DecisionInput({}, {}, ***)", self.notify, self.inform)
    }
}

/// The notification to the authority as made.
#[derive(Clone)]
pub struct NotifiedInput {
    pub notified_at: DateTime<Utc>,
    /// The authority's reference of the notification.
    pub ap_reference: String,
    /// Required when notified after the deadline (art. 33(1)).
    pub late_reason: String,
}

impl std::fmt::Debug for NotifiedInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NotifiedInput({}, ***)", self.notified_at)
    }
}

/// A breach on the page and in the API.
#[derive(Clone, Serialize)]
pub struct BreachView {
    pub id: Uuid,
    pub reference: String,
    /// `reported`, `open` or `closed`.
    pub status: String,
    pub aware_at: DateTime<Utc>,
    pub aware_at_local: String,
    pub clock: BreachClock,
    pub reported_by: UserId,
    pub reported_at: DateTime<Utc>,
    pub noticed_at: DateTime<Utc>,
    pub occurred_from: Option<NaiveDate>,
    pub occurred_to: Option<NaiveDate>,
    pub discovered: Option<String>,
    pub facts: String,
    pub data_categories: Vec<String>,
    pub special_categories: bool,
    pub people_categories: Vec<String>,
    pub people_count: Option<i64>,
    pub records_count: Option<i64>,
    pub consequences: Option<String>,
    pub measures: Option<String>,
    pub contact: Option<String>,
    pub notify_decision: Option<String>,
    pub notify_reason: Option<String>,
    pub inform_decision: Option<String>,
    pub inform_reason: Option<String>,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<DateTime<Utc>>,
    pub notified_at: Option<DateTime<Utc>>,
    pub ap_reference: Option<String>,
    pub late_reason: Option<String>,
    pub informed_at: Option<DateTime<Utc>>,
    /// The last stage the privacy officer was mailed about: `due_soon` or `overdue`.
    pub escalation: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for BreachView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "BreachView({}, {}, {}, ***)",
            self.id, self.reference, self.status
        )
    }
}

/// A breach's reference and clock, for the privacy officer's start page: no content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockLine {
    pub id: Uuid,
    pub reference: String,
    pub clock: BreachClock,
}

/// A reporter's own report: the reference and when, nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnReportView {
    pub id: Uuid,
    pub reference: String,
    pub reported_at: DateTime<Utc>,
    pub reported_at_local: String,
}

/// What the actor may do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BreachCapabilities {
    /// Keep the register: read, complete, decide, record, print.
    pub keep: bool,
    /// Report a suspected breach.
    pub report: bool,
}

/// What one run of the escalation did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BreachEscalationReport {
    /// Mails queued now (one per breach and stage).
    pub queued: u64,
    /// Breaches escalated to their stage by an earlier run, left alone.
    pub already: u64,
}

fn chars(s: &str) -> usize {
    s.trim().chars().count()
}

fn blank_to_none(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// Every refused field of a report, with the rule (never the value).
#[must_use]
pub fn report_problems(
    input: &ReportInput,
    now: DateTime<Utc>,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if input.noticed_at > now {
        out.push((
            "noticed_at",
            "the moment it was noticed is not in the future",
        ));
    }
    if !(FACTS_MIN_CHARS..=TEXT_MAX_CHARS).contains(&chars(&input.what_happened)) {
        out.push((
            "what_happened",
            "describe what happened (10 to 4,000 characters)",
        ));
    }
    out
}

/// Every refused field of the facts, with the rule. `reported_at` bounds the moment of
/// awareness: the organisation knew at the latest when it was reported.
#[must_use]
pub fn facts_problems(
    input: &FactsInput,
    reported_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let today = now.with_timezone(&Amsterdam).date_naive();
    if input.aware_at > now || input.aware_at > reported_at {
        out.push((
            "aware_at",
            "the moment of awareness is not in the future, nor after the breach was reported",
        ));
    }
    if input.occurred_from.is_some_and(|d| d > today) {
        out.push(("occurred_from", "the first day is today or earlier"));
    }
    if input
        .occurred_to
        .is_some_and(|d| d > today || input.occurred_from.is_some_and(|f| d < f))
    {
        out.push((
            "occurred_to",
            "the last day is today or earlier, and not before the first",
        ));
    }
    if chars(&input.discovered) > SHORT_MAX_CHARS {
        out.push(("discovered", "at most 1,000 characters"));
    }
    if !(FACTS_MIN_CHARS..=FACTS_MAX_CHARS).contains(&chars(&input.facts)) {
        out.push(("facts", "describe what happened (10 to 8,000 characters)"));
    }
    if input.data_categories.is_empty()
        || !input
            .data_categories
            .iter()
            .all(|c| DataCategory::ALL.iter().any(|k| k.code() == c.trim()))
    {
        out.push(("data_categories", "choose at least one category of data"));
    }
    if input.people_categories.is_empty()
        || !input
            .people_categories
            .iter()
            .all(|c| PEOPLE.iter().any(|p| people_code(*p) == c.trim()))
    {
        out.push((
            "people_categories",
            "choose at least one category of people",
        ));
    }
    if input
        .people_count
        .is_some_and(|n| !(0..=COUNT_MAX).contains(&n))
    {
        out.push(("people_count", "an approximate number: 0 or more"));
    }
    if input
        .records_count
        .is_some_and(|n| !(0..=COUNT_MAX).contains(&n))
    {
        out.push(("records_count", "an approximate number: 0 or more"));
    }
    if chars(&input.consequences) > TEXT_MAX_CHARS {
        out.push(("consequences", "at most 4,000 characters"));
    }
    if chars(&input.measures) > TEXT_MAX_CHARS {
        out.push(("measures", "at most 4,000 characters"));
    }
    if chars(&input.contact) > SHORT_MAX_CHARS {
        out.push(("contact", "at most 1,000 characters"));
    }
    out
}

/// Every refused field of a decision, with the rule.
#[must_use]
pub fn decision_problems(input: &DecisionInput) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let notify = input.notify.trim();
    if !NOTIFY_CHOICES.contains(&notify) {
        out.push(("notify", "choose to notify the authority or not"));
    }
    let reason = chars(&input.notify_reason);
    if (notify == "not_notify" && reason < 2) || reason > TEXT_MAX_CHARS {
        out.push((
            "notify_reason",
            "not notifying needs the reason why the breach is unlikely to result in a risk (2 to 4,000 characters)",
        ));
    }
    let inform = input.inform.trim();
    if !INFORM_CHOICES.contains(&inform) {
        out.push(("inform", "choose to inform the people concerned or not"));
    }
    let reason = chars(&input.inform_reason);
    if (inform == "not_inform" && reason < 2) || reason > TEXT_MAX_CHARS {
        out.push((
            "inform_reason",
            "not informing needs the reason why there is no high risk to them (2 to 4,000 characters)",
        ));
    }
    out
}

/// Every refused field of a notification, with the rule.
#[must_use]
pub fn notified_problems(
    input: &NotifiedInput,
    aware_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if input.notified_at > now || input.notified_at < aware_at {
        out.push((
            "notified_at",
            "the moment of notification is not in the future, nor before the moment of awareness",
        ));
    }
    if !(2..=AP_REFERENCE_MAX_CHARS).contains(&chars(&input.ap_reference)) {
        out.push((
            "ap_reference",
            "give the reference the authority gave the notification (2 to 100 characters)",
        ));
    }
    let reason = chars(&input.late_reason);
    if (input.notified_at > deadline(aware_at) && reason < 2) || reason > TEXT_MAX_CHARS {
        out.push((
            "late_reason",
            "a notification after 72 hours needs the reason for the delay (2 to 4,000 characters)",
        ));
    }
    out
}

/// Whether the moment the people were informed is possible.
#[must_use]
pub fn informed_problems(
    informed_at: DateTime<Utc>,
    aware_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<(&'static str, &'static str)> {
    if informed_at > now || informed_at < aware_at {
        vec![(
            "informed_at",
            "the moment they were informed is not in the future, nor before the moment of awareness",
        )]
    } else {
        Vec::new()
    }
}

/// The references of a reference series: `DL-2026-0001`.
#[must_use]
pub fn reference(year: i32, n: i64) -> String {
    format!("{PREFIX}-{year}-{n:04}")
}

fn first(problems: &[(&'static str, &'static str)]) -> CoreResult<()> {
    match problems.first() {
        Some((field, rule)) => Err(CoreError::invalid(field, *rule)),
        None => Ok(()),
    }
}

fn access(action: AuditAction) -> Access {
    Access::new(action, AuditObject::DataBreach, None)
        .target(Target::Organisation(AuditObject::DataBreach))
        .purpose(Purpose::Administration)
}

fn report_access(action: AuditAction) -> Access {
    Access::new(action, AuditObject::DataBreachReport, None)
        .target(Target::Organisation(AuditObject::DataBreachReport))
        .purpose(Purpose::Administration)
}

/// The system key's sealer: a breach concerns many people or none in particular, so no
/// client's data key applies.
fn sealer(app: &App) -> Sealer<'_> {
    Sealer {
        key: app.keys.system(),
    }
}

fn codes(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

fn joined(list: &[String]) -> String {
    let mut v: Vec<&str> = list
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    v.sort_unstable();
    v.dedup();
    v.join(",")
}

/// The mail's subject and plain-text body: reference, stage and deadline, nothing of
/// what happened or to whom.
fn render_mail(
    language: MailLanguage,
    organisation: &str,
    reference: &str,
    overdue: bool,
    deadline: DateTime<Utc>,
    url: &str,
) -> (String, String) {
    let organisation: String = organisation
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let at = local(deadline);
    match (language, overdue) {
        (MailLanguage::Nl, false) => (
            format!("Datalek {reference}: minder dan 24 uur tot de meldtermijn ({organisation})"),
            format!(
                "De termijn van 72 uur om datalek {reference} bij de Autoriteit\n\
                 Persoonsgegevens te melden loopt binnen 24 uur af.\n\
                 \n\
                 Kenmerk:  {reference}\n\
                 Uiterlijk: {at} (Nederlandse tijd)\n\
                 \n\
                 Beslis over de melding in Zorgvuldig: {url}\n\
                 \n\
                 Dit bericht noemt met opzet geen inhoud en geen betrokkenen; die leest u na\n\
                 het aanmelden. Dit is een automatisch bericht van Zorgvuldig.\n"
            ),
        ),
        (MailLanguage::Nl, true) => (
            format!("Datalek {reference}: de meldtermijn is verstreken ({organisation})"),
            format!(
                "De termijn van 72 uur om datalek {reference} bij de Autoriteit\n\
                 Persoonsgegevens te melden is verstreken, en er is geen melding of besluit\n\
                 om niet te melden vastgelegd.\n\
                 \n\
                 Kenmerk:  {reference}\n\
                 Termijn:  {at} (Nederlandse tijd)\n\
                 \n\
                 Meld zo snel mogelijk, met de reden van de vertraging: {url}\n\
                 \n\
                 Dit bericht noemt met opzet geen inhoud en geen betrokkenen; die leest u na\n\
                 het aanmelden. Dit is een automatisch bericht van Zorgvuldig.\n"
            ),
        ),
        (MailLanguage::En, false) => (
            format!(
                "Data breach {reference}: less than 24 hours to the notification deadline ({organisation})"
            ),
            format!(
                "The 72 hours to notify data breach {reference} to the Autoriteit\n\
                 Persoonsgegevens end within 24 hours.\n\
                 \n\
                 Reference:  {reference}\n\
                 Deadline:   {at} (Netherlands time)\n\
                 \n\
                 Decide on the notification in Zorgvuldig: {url}\n\
                 \n\
                 This message deliberately names no content and no one concerned; read them\n\
                 after signing in. This is an automatic message from Zorgvuldig.\n"
            ),
        ),
        (MailLanguage::En, true) => (
            format!(
                "Data breach {reference}: the notification deadline has passed ({organisation})"
            ),
            format!(
                "The 72 hours to notify data breach {reference} to the Autoriteit\n\
                 Persoonsgegevens have passed, and no notification nor a decision not to\n\
                 notify is recorded.\n\
                 \n\
                 Reference:  {reference}\n\
                 Deadline:   {at} (Netherlands time)\n\
                 \n\
                 Notify as soon as possible, with the reason for the delay: {url}\n\
                 \n\
                 This message deliberately names no content and no one concerned; read them\n\
                 after signing in. This is an automatic message from Zorgvuldig.\n"
            ),
        ),
    }
}

impl App {
    /// What the actor's roles allow.
    pub fn breach_capabilities(&self, actor: &Actor) -> CoreResult<BreachCapabilities> {
        Ok(BreachCapabilities {
            keep: self.capability(
                actor,
                AuditAction::Read,
                Target::Organisation(AuditObject::DataBreach),
            )?,
            report: self.capability(
                actor,
                AuditAction::Create,
                Target::Organisation(AuditObject::DataBreachReport),
            )?,
        })
    }

    fn breach_view(&self, r: &BreachRow) -> CoreResult<BreachView> {
        let s = sealer(self);
        let f = &r.facts;
        let id = r.id;
        Ok(BreachView {
            id,
            reference: r.reference.clone(),
            status: r.status.clone(),
            aware_at: r.aware_at,
            aware_at_local: local(r.aware_at),
            clock: clock(
                r.aware_at,
                r.notified_at,
                r.notify_decision.as_deref(),
                self.now(),
            ),
            reported_by: r.reported_by,
            reported_at: r.reported_at,
            noticed_at: r.noticed_at,
            occurred_from: f.occurred_from,
            occurred_to: f.occurred_to,
            discovered: s.open_opt(T, "discovered", id, f.discovered_ct.as_deref())?,
            facts: s.open(T, "facts", id, &f.facts_ct)?,
            data_categories: codes(&f.data_categories),
            special_categories: f.special_categories,
            people_categories: codes(&f.people_categories),
            people_count: f.people_count,
            records_count: f.records_count,
            consequences: s.open_opt(T, "consequences", id, f.consequences_ct.as_deref())?,
            measures: s.open_opt(T, "measures", id, f.measures_ct.as_deref())?,
            contact: s.open_opt(T, "contact", id, f.contact_ct.as_deref())?,
            notify_decision: r.notify_decision.clone(),
            notify_reason: s.open_opt(T, "notify_reason", id, r.notify_reason_ct.as_deref())?,
            inform_decision: r.inform_decision.clone(),
            inform_reason: s.open_opt(T, "inform_reason", id, r.inform_reason_ct.as_deref())?,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            notified_at: r.notified_at,
            ap_reference: r.ap_reference.clone(),
            late_reason: s.open_opt(T, "late_reason", id, r.late_reason_ct.as_deref())?,
            informed_at: r.informed_at,
            escalation: r.escalation.clone(),
            closed_at: r.closed_at,
        })
    }

    /// The register: breaches still open first, the most urgent deadline first, then the
    /// closed ones, most recent first. One recorded read.
    pub async fn breaches(&self, actor: &Actor) -> CoreResult<Vec<BreachView>> {
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read).detail("data breaches listed"),
            )
            .await?;
        let rows = zv_store::breaches::list(&tx).await?;
        tx.commit().await?;
        let mut views = rows
            .iter()
            .map(|r| self.breach_view(r))
            .collect::<CoreResult<Vec<_>>>()?;
        views.sort_by(|a, b| {
            let key = |v: &BreachView| {
                let closed = v.status == CLOSED;
                (
                    closed,
                    if closed {
                        -v.aware_at.timestamp()
                    } else {
                        v.clock.deadline.timestamp()
                    },
                )
            };
            key(a).cmp(&key(b))
        });
        Ok(views)
    }

    /// One breach (a recorded read).
    pub async fn breach(&self, actor: &Actor, id: Uuid) -> CoreResult<BreachView> {
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read)
                    .object_id(id)
                    .detail("data breach"),
            )
            .await?;
        let row = zv_store::breaches::find(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        self.breach_view(&row)
    }

    /// The clocks of the breaches not closed, for the privacy officer's start page: the
    /// reference and the clock, no content, so not a read of the register. Empty for
    /// anyone who does not keep the register (a start page must not fail over it).
    pub async fn breach_clocks(&self, actor: &Actor) -> CoreResult<Vec<ClockLine>> {
        if !self.breach_capabilities(actor)?.keep {
            return Ok(Vec::new());
        }
        let tx = self.store.read_tx().await?;
        let rows = zv_store::breaches::list(&tx).await?;
        tx.commit().await?;
        let now = self.now();
        let mut lines: Vec<ClockLine> = rows
            .into_iter()
            .filter(|r| r.status != CLOSED)
            .map(|r| ClockLine {
                id: r.id,
                clock: clock(r.aware_at, r.notified_at, r.notify_decision.as_deref(), now),
                reference: r.reference,
            })
            .collect();
        lines.sort_by_key(|l| (!l.clock.state.escalated(), l.clock.deadline));
        Ok(lines)
    }

    /// A staff member reports a suspected breach (art. 33(2)): it lands in the register
    /// as reported and the clock starts now. Returns its id and reference.
    pub async fn report_breach(
        &self,
        actor: &Actor,
        input: &ReportInput,
    ) -> CoreResult<(Uuid, String)> {
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("a breach is reported by staff".into()))?;
        let now = self.now();
        first(&report_problems(input, now))?;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_organisation_write(
                actor,
                report_access(AuditAction::Create)
                    .object_id(id)
                    .detail("data breach reported"),
            )
            .await?;
        let year = now.with_timezone(&Amsterdam).year();
        let n = zv_store::requests::next_reference_number(&tx, PREFIX, year).await?;
        let reference = reference(year, n);
        zv_store::breaches::insert(
            &tx,
            &NewBreach {
                id,
                reference: reference.clone(),
                aware_at: now,
                reported_by: by,
                reported_at: now,
                noticed_at: input.noticed_at,
                facts_ct: sealer(self).seal(T, "facts", id, input.what_happened.trim()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((id, reference))
    }

    /// The references of the actor's own reports, without content (a recorded read).
    pub async fn my_breach_reports(&self, actor: &Actor) -> CoreResult<Vec<OwnReportView>> {
        let Some(by) = actor.user_id() else {
            return Err(CoreError::NotFound);
        };
        let tx = self
            .authorize_organisation_write(
                actor,
                report_access(AuditAction::Read).detail("own data breach reports listed"),
            )
            .await?;
        let rows = zv_store::breaches::reported_by(&tx, by).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(
                |OwnReport {
                     id,
                     reference,
                     reported_at,
                 }| OwnReportView {
                    id,
                    reference,
                    reported_at,
                    reported_at_local: local(reported_at),
                },
            )
            .collect())
    }

    async fn breach_for_update(
        &self,
        actor: &Actor,
        id: Uuid,
        detail: &str,
    ) -> CoreResult<(zv_store::Tx, BreachRow)> {
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Update).object_id(id).detail(detail),
            )
            .await?;
        let row = zv_store::breaches::find(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if row.status == CLOSED {
            return Err(CoreError::Conflict("a closed breach is not changed".into()));
        }
        Ok((tx, row))
    }

    /// The privacy officer completes or corrects the facts; a reported breach is taken
    /// up. Refused field by field.
    pub async fn update_breach_facts(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &FactsInput,
    ) -> CoreResult<()> {
        let (tx, row) = self
            .breach_for_update(actor, id, "data breach facts changed")
            .await?;
        first(&facts_problems(input, row.reported_at, self.now()))?;
        if row.notified_at.is_some_and(|n| input.aware_at > n) {
            return Err(CoreError::invalid(
                "aware_at",
                "the moment of awareness is not after the notification",
            ));
        }
        let s = sealer(self);
        let facts = BreachFacts {
            aware_at: input.aware_at,
            occurred_from: input.occurred_from,
            occurred_to: input.occurred_to,
            discovered_ct: s.seal_opt(T, "discovered", id, blank_to_none(&input.discovered)),
            facts_ct: s.seal(T, "facts", id, input.facts.trim()),
            data_categories: joined(&input.data_categories),
            special_categories: input.special_categories,
            people_categories: joined(&input.people_categories),
            people_count: input.people_count,
            records_count: input.records_count,
            consequences_ct: s.seal_opt(T, "consequences", id, blank_to_none(&input.consequences)),
            measures_ct: s.seal_opt(T, "measures", id, blank_to_none(&input.measures)),
            contact_ct: s.seal_opt(T, "contact", id, blank_to_none(&input.contact)),
        };
        if !zv_store::breaches::update_facts(&tx, id, &facts, self.now()).await? {
            return Err(CoreError::Conflict("a closed breach is not changed".into()));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The decision on notifying the authority and informing the people concerned, each
    /// "no" with its reason. Once notified, the decision to notify stands.
    pub async fn decide_breach(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &DecisionInput,
    ) -> CoreResult<()> {
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("a breach is decided by staff".into()))?;
        first(&decision_problems(input))?;
        let notify = input.notify.trim();
        let inform = input.inform.trim();
        let (tx, row) = self
            .breach_for_update(
                actor,
                id,
                &format!("data breach decided: {notify}, {inform}"),
            )
            .await?;
        if row.notified_at.is_some() && notify != "notify" {
            return Err(CoreError::Conflict(
                "the authority was notified already; the decision to notify stands".into(),
            ));
        }
        if row.informed_at.is_some() && inform != "inform" {
            return Err(CoreError::Conflict(
                "the people concerned were informed already".into(),
            ));
        }
        let s = sealer(self);
        let decision = BreachDecision {
            notify: notify.to_owned(),
            notify_reason_ct: s.seal_opt(
                T,
                "notify_reason",
                id,
                blank_to_none(&input.notify_reason),
            ),
            inform: inform.to_owned(),
            inform_reason_ct: s.seal_opt(
                T,
                "inform_reason",
                id,
                blank_to_none(&input.inform_reason),
            ),
        };
        if !zv_store::breaches::set_decision(&tx, id, &decision, by, self.now()).await? {
            return Err(CoreError::Conflict("a closed breach is not changed".into()));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records the notification to the authority: after the decision to notify, once. A
    /// notification after the deadline needs the reason for the delay.
    pub async fn record_breach_notified(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &NotifiedInput,
    ) -> CoreResult<()> {
        let (tx, row) = self
            .breach_for_update(actor, id, "data breach notified to the authority")
            .await?;
        first(&notified_problems(input, row.aware_at, self.now()))?;
        if row.notify_decision.as_deref() != Some("notify") {
            return Err(CoreError::Conflict(
                "record the decision to notify the authority first".into(),
            ));
        }
        let late = sealer(self).seal_opt(T, "late_reason", id, blank_to_none(&input.late_reason));
        if !zv_store::breaches::set_notified(
            &tx,
            id,
            input.notified_at,
            input.ap_reference.trim(),
            late,
            self.now(),
        )
        .await?
        {
            return Err(CoreError::Conflict(
                "the notification was recorded already".into(),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records when the people concerned were informed: after the decision to inform
    /// them, once.
    pub async fn record_breach_informed(
        &self,
        actor: &Actor,
        id: Uuid,
        informed_at: DateTime<Utc>,
    ) -> CoreResult<()> {
        let (tx, row) = self
            .breach_for_update(actor, id, "people concerned informed of the data breach")
            .await?;
        first(&informed_problems(informed_at, row.aware_at, self.now()))?;
        if row.inform_decision.as_deref() != Some("inform") {
            return Err(CoreError::Conflict(
                "record the decision to inform the people concerned first".into(),
            ));
        }
        if !zv_store::breaches::set_informed(&tx, id, informed_at, self.now()).await? {
            return Err(CoreError::Conflict(
                "that they were informed was recorded already".into(),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Closes a breach once both decisions are made and carried out.
    pub async fn close_breach(&self, actor: &Actor, id: Uuid) -> CoreResult<()> {
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("a breach is closed by staff".into()))?;
        let (tx, row) = self
            .breach_for_update(actor, id, "data breach closed")
            .await?;
        let notify_done = match row.notify_decision.as_deref() {
            Some("notify") => row.notified_at.is_some(),
            Some(_) => true,
            None => false,
        };
        let inform_done = match row.inform_decision.as_deref() {
            Some("inform") => row.informed_at.is_some(),
            Some(_) => true,
            None => false,
        };
        if row.status == REPORTED || !notify_done || !inform_done {
            return Err(CoreError::Conflict(
                "a breach is closed once its facts are recorded and both decisions are made and carried out".into(),
            ));
        }
        if !zv_store::breaches::close(&tx, id, by, self.now()).await? {
            return Err(CoreError::Conflict("the breach is closed already".into()));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The content of the notification to the authority as a PDF (art. 33(3)): the
    /// nature of the breach, the categories and approximate numbers of people and
    /// records, the contact point, the likely consequences and the measures. A recorded
    /// export. `data_label` and `people_label` word the category codes in the
    /// document's language.
    pub async fn breach_notice_pdf(
        &self,
        actor: &Actor,
        id: Uuid,
        language: docs::Language,
        data_label: &(dyn Fn(&str) -> String + Sync),
        people_label: &(dyn Fn(&str) -> String + Sync),
    ) -> CoreResult<Vec<u8>> {
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Export)
                    .object_id(id)
                    .detail("data breach notification printed"),
            )
            .await?;
        let row = zv_store::breaches::find(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        let v = self.breach_view(&row)?;
        let officer = self.policy.privacy_officer();
        let notice = docs::BreachNotice {
            organisation: self.policy.organisation().name.clone(),
            reference: v.reference.clone(),
            date: self.clock.today().to_string(),
            aware_at: v.aware_at_local.clone(),
            deadline: v.clock.deadline_local.clone(),
            notified_at: v.notified_at.map(local),
            ap_reference: v.ap_reference.clone(),
            late_reason: v.late_reason.clone(),
            occurred_from: v.occurred_from.map(|d| d.to_string()),
            occurred_to: v.occurred_to.map(|d| d.to_string()),
            discovered: v.discovered.clone(),
            nature: v.facts.clone(),
            data_categories: v.data_categories.iter().map(|c| data_label(c)).collect(),
            special_categories: v.special_categories,
            people_categories: v
                .people_categories
                .iter()
                .map(|c| people_label(c))
                .collect(),
            people_count: v.people_count,
            records_count: v.records_count,
            consequences: v.consequences.clone(),
            measures: v.measures.clone(),
            contact_name: officer.name.clone(),
            contact_email: officer.email.clone(),
            contact_phone: officer.phone.clone(),
            contact_other: v.contact.clone(),
            inform_decision: v.inform_decision.clone(),
            inform_reason: v.inform_reason.clone(),
            informed_at: v.informed_at.map(local),
        };
        tokio::task::spawn_blocking(move || docs::render_breach_notice(&notice, language))
            .await
            .map_err(|e| CoreError::Internal(format!("rendering the notification: {e}")))?
            .map_err(|e| CoreError::Internal(e.to_string()))
    }

    /// One run of the escalation (TRN-3): every breach whose clock runs and has less
    /// than 24 hours left, or has passed, gets one mail to the privacy officer per stage.
    /// The mark and the mail are written in one transaction, and the mark changes nothing
    /// when that stage was marked already, so a second run, or two at once, queue no
    /// second mail. Safe to interrupt.
    pub async fn escalate_breach_deadlines(
        &self,
        access_point: &str,
    ) -> CoreResult<BreachEscalationReport> {
        let actor = Actor::System {
            job: JOB,
            access_point: access_point.to_owned(),
        };
        let tx = self.store.read_tx().await?;
        let running = zv_store::breaches::running_clocks(&tx).await?;
        tx.commit().await?;
        let mut report = BreachEscalationReport::default();
        for r in running {
            let now = self.now();
            let c = clock(r.aware_at, None, None, now);
            let stage = match c.state {
                ClockState::DueSoon => "due_soon",
                ClockState::Overdue => "overdue",
                _ => continue,
            };
            let marked = match r.escalation.as_deref() {
                Some("overdue") => true,
                Some("due_soon") => stage == "due_soon",
                _ => false,
            };
            if marked {
                report.already += 1;
                continue;
            }
            let tx = self
                .authorize_write(
                    &actor,
                    access(AuditAction::Update)
                        .object_id(r.id)
                        .detail(format!("data breach escalated: {stage}")),
                )
                .await?;
            if !zv_store::breaches::mark_escalated(&tx, r.id, stage, now).await? {
                report.already += 1;
                continue;
            }
            let (subject, body) = render_mail(
                self.settings.mail_language,
                &self.policy.organisation().name,
                &r.reference,
                stage == "overdue",
                c.deadline,
                &self.app_url(&format!("/privacy/datalekken/{}", r.id)),
            );
            zv_store::outbox::enqueue(
                &tx,
                &NewMail {
                    id: Uuid::now_v7(),
                    recipient: self.policy.privacy_officer().email.clone(),
                    subject,
                    body,
                    kind: KIND_BREACH_DEADLINE.to_owned(),
                    created_at: now,
                },
            )
            .await?;
            tx.commit().await?;
            report.queued += 1;
        }
        Ok(report)
    }

    /// The escalation as a background job of `serve`: a run every `every`. A failing run
    /// is logged once until one succeeds again; the next run catches up.
    pub async fn run_breach_escalation(self, every: StdDuration) {
        crate::schedule::repeat(every, "breach escalation", || async {
            Ok(self.escalate_breach_deadlines("scheduler").await?.queued)
        })
        .await;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{DateTime, TimeZone, Utc};
    use chrono_tz::Europe::Amsterdam;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Amsterdam
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    // promise: TRN-3
    #[test]
    fn the_clock_counts_real_hours_across_a_weekend() {
        // Friday afternoon in November (no change of time): Monday, same hour.
        let aware = at(2026, 11, 20, 16, 30);
        let d = deadline(aware);
        assert_eq!(d, at(2026, 11, 23, 16, 30));
        assert_eq!(local(d), "2026-11-23 16:30 CET");
        assert_eq!((d - aware).num_hours(), 72);
    }

    // promise: TRN-3
    #[test]
    fn the_clock_runs_in_utc_when_summer_time_ends() {
        // Aware Friday 23 October 2026 10:00 (CEST, UTC+2); summer time ends on Sunday
        // 25 October, so 72 hours later it is Monday 09:00 (CET, UTC+1).
        let aware = at(2026, 10, 23, 10, 0);
        assert_eq!(aware, Utc.with_ymd_and_hms(2026, 10, 23, 8, 0, 0).unwrap());
        let d = deadline(aware);
        assert_eq!(d, Utc.with_ymd_and_hms(2026, 10, 26, 8, 0, 0).unwrap());
        assert_eq!(local(d), "2026-10-26 09:00 CET");
        assert_eq!(local(aware), "2026-10-23 10:00 CEST");
    }

    // promise: TRN-3
    #[test]
    fn the_clock_runs_in_utc_when_summer_time_begins() {
        // Aware Friday 26 March 2027 10:00 (CET); summer time begins on Sunday 28 March,
        // so 72 hours later it is Monday 11:00 (CEST).
        let aware = at(2027, 3, 26, 10, 0);
        let d = deadline(aware);
        assert_eq!(d, Utc.with_ymd_and_hms(2027, 3, 29, 9, 0, 0).unwrap());
        assert_eq!(local(d), "2027-03-29 11:00 CEST");
    }

    // promise: TRN-3
    #[test]
    fn the_clock_escalates_a_day_before_and_after_the_deadline() {
        let aware = at(2026, 10, 23, 10, 0);
        let state = |now| clock(aware, None, None, now).state;
        assert_eq!(state(aware), ClockState::Running);
        // 48 hours later, 24 left: not yet less than 24.
        assert_eq!(state(aware + Duration::hours(48)), ClockState::Running);
        assert_eq!(
            state(aware + Duration::hours(48) + Duration::minutes(1)),
            ClockState::DueSoon
        );
        assert_eq!(state(deadline(aware)), ClockState::DueSoon);
        assert_eq!(
            state(deadline(aware) + Duration::minutes(1)),
            ClockState::Overdue
        );
        let c = clock(aware, None, None, aware + Duration::hours(50));
        assert_eq!(c.minutes_left, 22 * 60);
        // Decided not to notify: stopped; notified: in time or late.
        let later = deadline(aware) + Duration::hours(5);
        assert_eq!(
            clock(aware, None, Some("not_notify"), later).state,
            ClockState::NotNotifying
        );
        assert_eq!(
            clock(aware, None, Some("notify"), later).state,
            ClockState::Overdue
        );
        assert_eq!(
            clock(aware, Some(deadline(aware)), Some("notify"), later).state,
            ClockState::NotifiedInTime
        );
        assert_eq!(
            clock(aware, Some(later), Some("notify"), later).state,
            ClockState::NotifiedLate
        );
    }

    // promise: TRN-3
    #[test]
    fn moments_are_typed_in_dutch_time() {
        assert_eq!(
            parse_moment("2026-10-23T10:00"),
            Some(at(2026, 10, 23, 10, 0))
        );
        assert_eq!(
            parse_moment("2026-10-23 10:00"),
            Some(at(2026, 10, 23, 10, 0))
        );
        assert_eq!(
            parse_moment("2026-10-23T10:00:00+02:00"),
            Some(at(2026, 10, 23, 10, 0))
        );
        // The hour that happens twice: the first (summer time) is meant.
        assert_eq!(
            parse_moment("2026-10-25T02:30"),
            Some(Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap())
        );
        // The hour that is skipped does not exist.
        assert_eq!(parse_moment("2027-03-28T02:30"), None);
        assert_eq!(parse_moment("vrijdag"), None);
        let t = at(2026, 10, 23, 10, 0);
        assert_eq!(parse_moment(&local_input(t)), Some(t));
    }

    fn fields(p: Vec<(&'static str, &'static str)>) -> Vec<&'static str> {
        p.into_iter().map(|(f, _)| f).collect()
    }

    // promise: TRN-3
    #[test]
    fn every_field_is_checked_on_its_own() {
        let now = at(2026, 11, 22, 11, 0);
        let reported = at(2026, 11, 22, 9, 0);
        let good = FactsInput {
            aware_at: reported,
            occurred_from: Some(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
            occurred_to: Some(NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()),
            discovered: "Melding van een medewerker".into(),
            facts: "Een e-mail met een verslag is naar de verkeerde ontvanger gestuurd".into(),
            data_categories: vec!["dossier".into(), "client_identity".into()],
            special_categories: true,
            people_categories: vec!["clients".into()],
            people_count: Some(1),
            records_count: Some(3),
            consequences: String::new(),
            measures: String::new(),
            contact: String::new(),
        };
        assert!(facts_problems(&good, reported, now).is_empty());
        let bad = FactsInput {
            aware_at: reported + Duration::minutes(1),
            occurred_from: Some(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
            occurred_to: Some(NaiveDate::from_ymd_opt(2026, 11, 19).unwrap()),
            discovered: "x".repeat(1_001),
            facts: "kort".into(),
            data_categories: vec!["hobbies".into()],
            special_categories: false,
            people_categories: vec![],
            people_count: Some(-1),
            records_count: Some(COUNT_MAX + 1),
            consequences: "x".repeat(4_001),
            measures: "x".repeat(4_001),
            contact: "x".repeat(1_001),
        };
        assert_eq!(
            fields(facts_problems(&bad, reported, now)),
            [
                "aware_at",
                "occurred_from",
                "occurred_to",
                "discovered",
                "facts",
                "data_categories",
                "people_categories",
                "people_count",
                "records_count",
                "consequences",
                "measures",
                "contact"
            ]
        );
        let report = ReportInput {
            noticed_at: now + Duration::minutes(5),
            what_happened: " ".into(),
        };
        assert_eq!(
            fields(report_problems(&report, now)),
            ["noticed_at", "what_happened"]
        );
    }

    // promise: TRN-3
    #[test]
    fn a_no_needs_its_reason_and_a_late_notification_its_delay() {
        let no = DecisionInput {
            notify: "not_notify".into(),
            notify_reason: String::new(),
            inform: "not_inform".into(),
            inform_reason: " ".into(),
        };
        assert_eq!(
            fields(decision_problems(&no)),
            ["notify_reason", "inform_reason"]
        );
        let yes = DecisionInput {
            notify: "notify".into(),
            inform: "inform".into(),
            ..DecisionInput::default()
        };
        assert!(decision_problems(&yes).is_empty());
        assert_eq!(
            fields(decision_problems(&DecisionInput::default())),
            ["notify", "inform"]
        );
        let aware = at(2026, 10, 23, 10, 0);
        let now = aware + Duration::hours(100);
        let in_time = NotifiedInput {
            notified_at: deadline(aware),
            ap_reference: "AP-123".into(),
            late_reason: String::new(),
        };
        assert!(notified_problems(&in_time, aware, now).is_empty());
        let late = NotifiedInput {
            notified_at: deadline(aware) + Duration::minutes(1),
            ..in_time.clone()
        };
        assert_eq!(
            fields(notified_problems(&late, aware, now)),
            ["late_reason"]
        );
        let before = NotifiedInput {
            notified_at: aware - Duration::minutes(1),
            ap_reference: String::new(),
            ..in_time
        };
        assert_eq!(
            fields(notified_problems(&before, aware, now)),
            ["notified_at", "ap_reference"]
        );
    }

    #[test]
    fn references_count_per_year() {
        assert_eq!(reference(2026, 1), "DL-2026-0001");
        assert_eq!(reference(2027, 12_345), "DL-2027-12345");
    }

    // promise: TRN-3
    #[test]
    fn the_mail_names_the_reference_and_the_deadline_only() {
        let d = deadline(at(2026, 10, 23, 10, 0));
        let (subject, body) = render_mail(
            MailLanguage::Nl,
            "Blijf Groep",
            "DL-2026-0001",
            false,
            d,
            "/privacy/datalekken/x",
        );
        assert!(subject.contains("DL-2026-0001") && subject.contains("24 uur"));
        assert!(body.contains("2026-10-26 09:00 CET") && body.contains("/privacy/datalekken/x"));
        let (subject, _) = render_mail(MailLanguage::En, "X", "DL-2026-0001", true, d, "/");
        assert!(subject.contains("has passed"));
    }

    // promise: TRN-3
    // promise: ACC-7
    #[test]
    fn only_the_privacy_officer_keeps_the_register_and_anyone_reports() {
        use crate::access::{Standing, rules};
        use crate::gate::StaffActor;
        use zv_domain::Role;
        let staff = |role: Role, signed: bool, disabled: bool| {
            Actor::Staff(StaffActor {
                user_id: UserId::new(),
                display_name: "t".into(),
                roles: vec![role],
                teams: vec![],
                confidentiality_signed: signed,
                disabled,
                access_point: "test".into(),
            })
        };
        let allowed = |actor: &Actor, action, object| {
            rules()
                .unwrap()
                .decide(
                    actor,
                    action,
                    Target::Organisation(object),
                    &Standing::default(),
                )
                .unwrap()
                .allowed
        };
        let register = AuditObject::DataBreach;
        let report = AuditObject::DataBreachReport;
        let officer = staff(Role::PrivacyOfficer, true, false);
        for action in [
            AuditAction::Read,
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Export,
        ] {
            assert!(allowed(&officer, action, register), "{action:?}");
        }
        assert!(!allowed(&officer, AuditAction::Delete, register));
        // ACC-8: the register is personal data; without the statement, not even the
        // privacy officer reads it.
        assert!(!allowed(
            &staff(Role::PrivacyOfficer, false, false),
            AuditAction::Read,
            register
        ));
        for role in [
            Role::Caseworker,
            Role::TeamLead,
            Role::Manager,
            Role::Administrator,
            Role::QualityOfficer,
            Role::HrOfficer,
            Role::FinanceOfficer,
        ] {
            let a = staff(role, true, false);
            for action in [AuditAction::Read, AuditAction::Update, AuditAction::Export] {
                assert!(!allowed(&a, action, register), "{role:?} {action:?}");
            }
            assert!(allowed(&a, AuditAction::Create, report), "{role:?} reports");
            // Reporting reads nothing, so it needs no statement (art. 33(2): at once).
            let unsigned = staff(role, false, false);
            assert!(allowed(&unsigned, AuditAction::Create, report), "{role:?}");
            assert!(!allowed(
                &staff(role, true, true),
                AuditAction::Create,
                report
            ));
        }
    }

    #[test]
    fn every_category_of_people_has_its_policy_code() {
        for p in PEOPLE {
            assert_eq!(
                serde_json::to_value(p).unwrap(),
                serde_json::Value::String(people_code(p).to_owned())
            );
        }
    }
}
