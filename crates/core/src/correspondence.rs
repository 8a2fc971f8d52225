//! The correspondence register (RET-3): "letters, contact forms, e-mails and calls are
//! kept as long as needed to handle them".
//!
//! - An item is registered with its kind (letter, contact form, e-mail, call), direction,
//!   the day it came in or went out, the correspondent's name, a contact detail that fits
//!   the kind, a subject and an optional summary, and optionally the team it is assigned
//!   to. The personal fields are sealed with the system key (the correspondent need not be
//!   a client, so no client's data key applies), bound to their row and column.
//! - While open, it is changed freely and never destroyed, however old: it is still being
//!   handled. Handling it records the day, the outcome and who handled it, and computes
//!   its last day from the policy's rule for the `correspondence` record kind (start
//!   `end_of_procedure`: the day it was handled).
//! - A handled item can be reopened (a follow-up question about it) while its term runs:
//!   the handling and the last day are cleared, so it is kept until handled anew. Once its
//!   last day has passed it is due, and is not reopened: a new item is registered.
//! - The retention sweep removes handled items past their last day, with one audit event
//!   and one line in the destruction register per run (RET-4, RET-6).
//! - Every read is recorded; the list is one recorded read.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{Address, AuditAction, AuditObject, Email, Phone, Purpose, UserId};
use zv_policy::RecordKind;
use zv_store::SubjectKind;
use zv_store::correspondence::{CorrespondenceFields, CorrespondenceRow, HANDLED, OPEN};
use zv_store::destruction::NewRegisterRecord;

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;

const T: &str = "correspondence";
const CORRESPONDENT_MAX_CHARS: usize = 200;
const SUBJECT_MAX_CHARS: usize = 200;
const TEXT_MAX_CHARS: usize = 4_000;

/// The kinds of correspondence, as stored and in the API.
pub const KINDS: [&str; 4] = ["letter", "contact_form", "email", "call"];
/// The directions, as stored and in the API.
pub const DIRECTIONS: [&str; 2] = ["incoming", "outgoing"];

/// Which items a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Every item, the open ones first.
    #[default]
    All,
    Open,
    Handled,
}

impl StatusFilter {
    /// `open`, `handled`, or empty for all; anything else is refused.
    pub fn parse(raw: &str) -> CoreResult<Self> {
        match raw.trim() {
            "" | "all" => Ok(Self::All),
            "open" => Ok(Self::Open),
            "handled" => Ok(Self::Handled),
            _ => Err(CoreError::invalid("status", "choose open or handled")),
        }
    }

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::All => "",
            Self::Open => OPEN,
            Self::Handled => HANDLED,
        }
    }
}

/// An item as staff register or change it; checked by [`correspondence_problems`].
#[derive(Clone, Default)]
pub struct CorrespondenceInput {
    /// One of [`KINDS`].
    pub kind: String,
    /// One of [`DIRECTIONS`].
    pub direction: String,
    /// The day it came in or went out.
    pub received_on: NaiveDate,
    /// The sender or addressee: a person or an organisation.
    pub correspondent: String,
    /// What fits the kind: a postal address, an e-mail address or a telephone number
    /// (blank only for a call, when the caller left none).
    pub contact: String,
    pub subject: String,
    /// What it is about, optional.
    pub summary: String,
    /// A team code of the policy, or blank.
    pub team: String,
}

impl std::fmt::Debug for CorrespondenceInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "CorrespondenceInput({}, {}, {}, ***)",
            self.kind, self.direction, self.received_on
        )
    }
}

/// Handling an item: the day and the outcome.
#[derive(Clone)]
pub struct HandlingInput {
    pub handled_on: NaiveDate,
    pub outcome: String,
}

impl std::fmt::Debug for HandlingInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HandlingInput({}, ***)", self.handled_on)
    }
}

/// An item on the page and in the API.
#[derive(Clone, Serialize)]
pub struct CorrespondenceView {
    pub id: Uuid,
    /// A short reference without content, for the schedule and for speaking of it.
    pub reference: String,
    pub kind: String,
    pub direction: String,
    pub received_on: NaiveDate,
    pub correspondent: String,
    pub contact: Option<String>,
    pub subject: String,
    pub summary: Option<String>,
    pub team: Option<String>,
    /// `open` or `handled`.
    pub status: String,
    pub handled_by: Option<UserId>,
    pub handled_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    /// The last day it is kept; none while open.
    pub keep_until: Option<NaiveDate>,
    pub registered_by: UserId,
    pub registered_at: DateTime<Utc>,
}

impl std::fmt::Debug for CorrespondenceView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CorrespondenceView({}, {}, ***)", self.id, self.status)
    }
}

/// What the actor may do with the register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CorrespondenceCapabilities {
    pub read: bool,
    /// Register, change, handle and reopen.
    pub handle: bool,
}

/// The short reference of an item: its kind's letter and the random end of its id, so
/// it names the item without any of its content.
#[must_use]
pub fn reference(id: Uuid) -> String {
    let hex = id.simple().to_string();
    let tail = hex.get(hex.len().saturating_sub(8)..).unwrap_or(&hex);
    format!("C-{}", tail.to_uppercase())
}

fn chars(s: &str) -> usize {
    s.trim().chars().count()
}

/// Whether the contact detail fits the kind. Blank is allowed only for a call.
fn contact_fits(kind: &str, contact: &str) -> bool {
    let c = contact.trim();
    match kind {
        "letter" => Address::parse(c).is_ok() && chars(c) >= 5,
        "email" => Email::parse(c).is_ok(),
        "contact_form" => Email::parse(c).is_ok() || Phone::parse(c).is_ok(),
        "call" => c.is_empty() || Phone::parse(c).is_ok(),
        _ => true,
    }
}

/// Every refused field of an item, with the rule (never the value).
#[must_use]
pub fn correspondence_problems(
    input: &CorrespondenceInput,
    teams: &[zv_policy::Team],
    today: NaiveDate,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let kind = input.kind.trim();
    if !KINDS.contains(&kind) {
        out.push(("kind", "choose letter, contact form, e-mail or call"));
    }
    if !DIRECTIONS.contains(&input.direction.trim()) {
        out.push(("direction", "choose incoming or outgoing"));
    }
    if input.received_on > today {
        out.push((
            "received_on",
            "the day it came in or went out is today or earlier",
        ));
    }
    if !(2..=CORRESPONDENT_MAX_CHARS).contains(&chars(&input.correspondent)) {
        out.push((
            "correspondent",
            "name the sender or addressee (2 to 200 characters)",
        ));
    }
    if KINDS.contains(&kind) && !contact_fits(kind, &input.contact) {
        out.push((
            "contact",
            "give what fits the kind: a postal address for a letter, an e-mail address for an e-mail, an e-mail address or telephone number for a contact form, a telephone number (or nothing) for a call",
        ));
    }
    if !(2..=SUBJECT_MAX_CHARS).contains(&chars(&input.subject)) {
        out.push(("subject", "give the subject (2 to 200 characters)"));
    }
    if chars(&input.summary) > TEXT_MAX_CHARS {
        out.push(("summary", "at most 4,000 characters"));
    }
    let team = input.team.trim();
    if !team.is_empty() && !teams.iter().any(|t| t.code == team) {
        out.push(("team", "choose a team of the organisation, or none"));
    }
    out
}

/// Every refused field of a handling, with the rule.
#[must_use]
pub fn handling_problems(
    input: &HandlingInput,
    received_on: NaiveDate,
    today: NaiveDate,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    if input.handled_on > today || input.handled_on < received_on {
        out.push((
            "handled_on",
            "the day it was handled is today or earlier, and not before it came in",
        ));
    }
    if !(2..=TEXT_MAX_CHARS).contains(&chars(&input.outcome)) {
        out.push(("outcome", "say how it was handled (2 to 4,000 characters)"));
    }
    out
}

fn first(problems: &[(&'static str, &'static str)]) -> CoreResult<()> {
    match problems.first() {
        Some((field, rule)) => Err(CoreError::invalid(field, *rule)),
        None => Ok(()),
    }
}

fn access(action: AuditAction) -> Access {
    Access::new(action, AuditObject::Correspondence, None)
        .target(Target::Organisation(AuditObject::Correspondence))
        .purpose(Purpose::Administration)
}

/// The system key's sealer: the correspondent need not be a client, so no client's
/// data key applies.
fn sealer(app: &App) -> Sealer<'_> {
    Sealer {
        key: app.keys.system(),
    }
}

fn blank_to_none(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

impl App {
    /// Whether the organisation keeps a correspondence register (the policy has a rule
    /// for the `correspondence` record kind).
    #[must_use]
    pub fn keeps_correspondence(&self) -> bool {
        self.policy
            .record_retention_rule(RecordKind::Correspondence)
            .is_some()
    }

    fn correspondence_rule(&self) -> CoreResult<&zv_policy::RetentionRule> {
        self.policy
            .record_retention_rule(RecordKind::Correspondence)
            .ok_or(CoreError::NotFound)
    }

    /// What the actor's roles allow with the register.
    pub fn correspondence_capabilities(
        &self,
        actor: &Actor,
    ) -> CoreResult<CorrespondenceCapabilities> {
        if !self.keeps_correspondence() {
            return Ok(CorrespondenceCapabilities::default());
        }
        let target = Target::Organisation(AuditObject::Correspondence);
        Ok(CorrespondenceCapabilities {
            read: self.capability(actor, AuditAction::Read, target)?,
            handle: self.capability(actor, AuditAction::Create, target)?,
        })
    }

    fn correspondence_view(&self, r: &CorrespondenceRow) -> CoreResult<CorrespondenceView> {
        let s = sealer(self);
        Ok(CorrespondenceView {
            id: r.id,
            reference: reference(r.id),
            kind: r.kind.clone(),
            direction: r.direction.clone(),
            received_on: r.received_on,
            correspondent: s.open(T, "correspondent", r.id, &r.correspondent_ct)?,
            contact: s.open_opt(T, "contact", r.id, r.contact_ct.as_deref())?,
            subject: s.open(T, "subject", r.id, &r.subject_ct)?,
            summary: s.open_opt(T, "summary", r.id, r.summary_ct.as_deref())?,
            team: r.team_code.clone(),
            status: r.status.clone(),
            handled_by: r.handled_by,
            handled_on: r.handled_on,
            outcome: s.open_opt(T, "outcome", r.id, r.outcome_ct.as_deref())?,
            keep_until: r.keep_until,
            registered_by: r.created_by,
            registered_at: r.created_at,
        })
    }

    /// The fields of an item as stored, sealed to the row.
    fn correspondence_fields(&self, id: Uuid, input: &CorrespondenceInput) -> CorrespondenceFields {
        let s = sealer(self);
        CorrespondenceFields {
            kind: input.kind.trim().to_owned(),
            direction: input.direction.trim().to_owned(),
            received_on: input.received_on,
            correspondent_ct: s.seal(T, "correspondent", id, input.correspondent.trim()),
            contact_ct: s.seal_opt(T, "contact", id, blank_to_none(&input.contact)),
            subject_ct: s.seal(T, "subject", id, input.subject.trim()),
            summary_ct: s.seal_opt(T, "summary", id, blank_to_none(&input.summary)),
            team_code: blank_to_none(&input.team).map(str::to_owned),
        }
    }

    /// The register, open items first (oldest first), then handled ones (most recently
    /// handled first): one recorded read.
    pub async fn correspondence(
        &self,
        actor: &Actor,
        filter: StatusFilter,
    ) -> CoreResult<Vec<CorrespondenceView>> {
        self.correspondence_rule()?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read).detail(match filter {
                    StatusFilter::All => "correspondence listed".to_owned(),
                    other => format!("correspondence listed: {}", other.code()),
                }),
            )
            .await?;
        let status = (filter != StatusFilter::All).then_some(filter.code());
        let rows = zv_store::correspondence::list(&tx, status).await?;
        tx.commit().await?;
        let mut views = rows
            .iter()
            .map(|r| self.correspondence_view(r))
            .collect::<CoreResult<Vec<_>>>()?;
        views.sort_by(|a, b| {
            let key = |v: &CorrespondenceView| (v.status != OPEN, std::cmp::Reverse(v.handled_on));
            key(a).cmp(&key(b))
        });
        Ok(views)
    }

    /// One item (a recorded read).
    pub async fn correspondence_item(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> CoreResult<CorrespondenceView> {
        self.correspondence_rule()?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Read)
                    .object_id(id)
                    .detail("correspondence"),
            )
            .await?;
        let row = zv_store::correspondence::find(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        self.correspondence_view(&row)
    }

    /// Registers an item, open. Refused field by field.
    pub async fn register_correspondence(
        &self,
        actor: &Actor,
        input: &CorrespondenceInput,
    ) -> CoreResult<Uuid> {
        self.correspondence_rule()?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("correspondence is registered by staff".into()))?;
        first(&correspondence_problems(
            input,
            self.policy.teams(),
            self.clock.today(),
        ))?;
        let id = Uuid::now_v7();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Create).object_id(id).detail(format!(
                    "correspondence registered: {} {}",
                    input.direction.trim(),
                    input.kind.trim()
                )),
            )
            .await?;
        let fields = self.correspondence_fields(id, input);
        zv_store::correspondence::insert(&tx, id, &fields, by, self.now()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes an open item's registration; a handled one is reopened first.
    pub async fn update_correspondence(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &CorrespondenceInput,
    ) -> CoreResult<()> {
        self.correspondence_rule()?;
        first(&correspondence_problems(
            input,
            self.policy.teams(),
            self.clock.today(),
        ))?;
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Update)
                    .object_id(id)
                    .detail("correspondence changed"),
            )
            .await?;
        let row = zv_store::correspondence::find(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if row.status != OPEN {
            return Err(CoreError::Conflict(
                "handled correspondence is not changed; reopen it first".into(),
            ));
        }
        let fields = self.correspondence_fields(id, input);
        if !zv_store::correspondence::update_open(&tx, id, &fields, self.now()).await? {
            return Err(CoreError::Conflict(
                "handled correspondence is not changed; reopen it first".into(),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Marks an open item handled, with the day and the outcome: from then on it is kept
    /// for the policy's term after that day (RET-3), and returns its last day.
    pub async fn handle_correspondence(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &HandlingInput,
    ) -> CoreResult<NaiveDate> {
        let rule = self.correspondence_rule()?.clone();
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("correspondence is handled by staff".into()))?;
        let today = self.clock.today();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Update)
                    .object_id(id)
                    .detail(format!("correspondence handled on {}", input.handled_on)),
            )
            .await?;
        let row = zv_store::correspondence::find(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        first(&handling_problems(input, row.received_on, today))?;
        if row.status != OPEN {
            return Err(CoreError::Conflict(
                "this correspondence was handled already".into(),
            ));
        }
        let keep_until = rule
            .retention_until(&zv_policy::RetentionFacts {
                procedure_ended_on: Some(input.handled_on),
                ..zv_policy::RetentionFacts::default()
            })
            .ok_or_else(|| {
                CoreError::Internal(format!(
                    "rule {} does not start from the end of the handling",
                    rule.code
                ))
            })?;
        let outcome = sealer(self).seal(T, "outcome", id, input.outcome.trim());
        if !zv_store::correspondence::mark_handled(
            &tx,
            id,
            by,
            input.handled_on,
            outcome,
            keep_until,
            self.now(),
        )
        .await?
        {
            return Err(CoreError::Conflict(
                "this correspondence was handled already".into(),
            ));
        }
        tx.commit().await?;
        Ok(keep_until)
    }

    /// Reopens a handled item (a follow-up about it) while its term runs: the handling
    /// and the last day are cleared. Past its last day it is due for destruction and a
    /// follow-up is registered as a new item.
    pub async fn reopen_correspondence(&self, actor: &Actor, id: Uuid) -> CoreResult<()> {
        self.correspondence_rule()?;
        let today = self.clock.today();
        let tx = self
            .authorize_organisation_write(
                actor,
                access(AuditAction::Update)
                    .object_id(id)
                    .detail("correspondence reopened"),
            )
            .await?;
        let row = zv_store::correspondence::find(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        if row.status != HANDLED {
            return Err(CoreError::Conflict("this correspondence is open".into()));
        }
        if row.keep_until.is_some_and(|d| d < today) {
            return Err(CoreError::Conflict(
                "its term has passed and it is destroyed on the next run; register the follow-up as new correspondence".into(),
            ));
        }
        if !zv_store::correspondence::reopen(&tx, id, self.now()).await? {
            return Err(CoreError::Conflict("this correspondence is open".into()));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The sweep's part for correspondence (RET-3, RET-4): removes handled items whose
    /// last day is before `today`, with one audit event and one line in the destruction
    /// register for the run. Open items have no last day and are never removed. A dry
    /// run counts. Returns the number of items (to be) removed.
    pub(crate) async fn sweep_correspondence(
        &self,
        actor: &Actor,
        today: NaiveDate,
        dry_run: bool,
    ) -> CoreResult<u64> {
        let Some(rule) = self
            .policy
            .record_retention_rule(RecordKind::Correspondence)
            .cloned()
        else {
            return Ok(0);
        };
        let Some(yesterday) = today.pred_opt() else {
            return Ok(0);
        };
        let tx = self.store.read_tx().await?;
        let due = zv_store::correspondence::handled_until(&tx, yesterday).await?;
        tx.commit().await?;
        if dry_run || due.is_empty() {
            return Ok(due.len() as u64);
        }
        // The transaction opens with the run's audit event and reads the due items
        // again, so an item reopened meanwhile stays.
        let tx = self
            .authorize_write(
                actor,
                access(AuditAction::Delete)
                    .purpose(Purpose::Retention)
                    .detail(format!(
                        "handled correspondence past its term; rule {}",
                        rule.code
                    )),
            )
            .await?;
        let due = zv_store::correspondence::handled_until(&tx, yesterday).await?;
        let ids: Vec<Uuid> = due.iter().map(|d| d.id).collect();
        let counts = zv_store::correspondence::destroy(&tx, &ids, today).await?;
        let n = counts.values().sum::<u64>();
        if n == 0 {
            tx.rollback().await?;
            return Ok(0);
        }
        zv_store::destruction::insert_register_records(
            &tx,
            vec![NewRegisterRecord {
                at: self.now(),
                kind: SubjectKind::Correspondence,
                subject: Uuid::now_v7(),
                rule: rule.code.clone(),
                reason: "handled correspondence past its term".to_owned(),
                outcome: "destroyed",
                term_ended_on: due.iter().map(|d| d.keep_until).max(),
                by_user: None,
                by_job: Some(crate::destruction::SWEEP_JOB.to_owned()),
                counts,
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::NaiveDate;

    use super::{
        CorrespondenceInput, HandlingInput, StatusFilter, correspondence_problems,
        handling_problems, reference,
    };

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn teams() -> Vec<zv_policy::Team> {
        vec![zv_policy::Team {
            code: "team-noord".into(),
            name: "Team Noord".into(),
            branch: "amsterdam".into(),
        }]
    }

    fn good() -> CorrespondenceInput {
        CorrespondenceInput {
            kind: "email".into(),
            direction: "incoming".into(),
            received_on: day("2026-11-20"),
            correspondent: "Sanne de Wit".into(),
            contact: "sanne@example.nl".into(),
            subject: "Vraag over de wachtlijst".into(),
            summary: String::new(),
            team: String::new(),
        }
    }

    fn fields(input: &CorrespondenceInput) -> Vec<&'static str> {
        correspondence_problems(input, &teams(), day("2026-11-22"))
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn every_field_is_checked_on_its_own() {
        assert!(fields(&good()).is_empty());
        let bad = CorrespondenceInput {
            kind: "fax".into(),
            direction: "sideways".into(),
            received_on: day("2026-11-23"),
            correspondent: "S".into(),
            contact: "x".into(),
            subject: String::new(),
            summary: "a".repeat(4_001),
            team: "team-zuid".into(),
        };
        // An unknown kind has no contact rule to check against.
        assert_eq!(
            fields(&bad),
            [
                "kind",
                "direction",
                "received_on",
                "correspondent",
                "subject",
                "summary",
                "team"
            ]
        );
        let with_team = CorrespondenceInput {
            team: "team-noord".into(),
            ..good()
        };
        assert!(fields(&with_team).is_empty());
    }

    #[test]
    fn the_contact_detail_fits_the_kind() {
        let with = |kind: &str, contact: &str| CorrespondenceInput {
            kind: kind.into(),
            contact: contact.into(),
            ..good()
        };
        assert!(fields(&with("email", "sanne@example.nl")).is_empty());
        assert_eq!(fields(&with("email", "020 123 4567")), ["contact"]);
        assert!(fields(&with("call", "")).is_empty());
        assert!(fields(&with("call", "+31 20 123 4567")).is_empty());
        assert_eq!(fields(&with("call", "sanne@example.nl")), ["contact"]);
        assert!(fields(&with("contact_form", "020 123 4567")).is_empty());
        assert!(fields(&with("contact_form", "sanne@example.nl")).is_empty());
        assert_eq!(fields(&with("contact_form", "")), ["contact"]);
        assert!(fields(&with("letter", "Kerkstraat 1\n1011 AA Amsterdam")).is_empty());
        assert_eq!(fields(&with("letter", "")), ["contact"]);
    }

    #[test]
    fn handling_needs_a_day_in_range_and_an_outcome() {
        let received = day("2026-11-10");
        let today = day("2026-11-22");
        let ok = HandlingInput {
            handled_on: today,
            outcome: "Beantwoord per e-mail".into(),
        };
        assert!(handling_problems(&ok, received, today).is_empty());
        for handled_on in [day("2026-11-23"), day("2026-11-09")] {
            let bad = HandlingInput {
                handled_on,
                outcome: " ".into(),
            };
            let fields: Vec<_> = handling_problems(&bad, received, today)
                .into_iter()
                .map(|p| p.0)
                .collect();
            assert_eq!(fields, ["handled_on", "outcome"]);
        }
    }

    #[test]
    fn the_status_filter_takes_only_known_words() {
        assert_eq!(StatusFilter::parse("").unwrap(), StatusFilter::All);
        assert_eq!(StatusFilter::parse("open").unwrap(), StatusFilter::Open);
        assert_eq!(
            StatusFilter::parse("handled").unwrap(),
            StatusFilter::Handled
        );
        assert!(StatusFilter::parse("gone").is_err());
    }

    #[test]
    fn the_reference_names_no_content() {
        let id = uuid::Uuid::now_v7();
        let r = reference(id);
        assert_eq!(r.len(), 10);
        assert!(r.starts_with("C-"));
        assert!(id.simple().to_string().to_uppercase().ends_with(&r[2..]));
    }

    #[test]
    fn the_term_runs_from_the_day_it_was_handled() {
        for file in ["levgroep", "blijfgroep"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../policies")
                .join(format!("{file}.toml"));
            let policy = zv_policy::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
            let rule = policy
                .record_retention_rule(zv_policy::RecordKind::Correspondence)
                .unwrap();
            let facts = |d| zv_policy::RetentionFacts {
                procedure_ended_on: d,
                ..zv_policy::RetentionFacts::default()
            };
            // Open: no last day, so never due.
            assert_eq!(rule.retention_until(&facts(None)), None);
            assert_eq!(
                rule.retention_until(&facts(Some(day("2026-11-22")))),
                Some(day("2027-02-22")),
                "{file}"
            );
        }
    }
}
