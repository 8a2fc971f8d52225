//! The consent register ("toestemmingen"; SHR-1 consent ground, RTS-10, MIN-1..3).
//!
//! Per client and purpose ([`ConsentPurpose`]: sharing with a named recipient from the
//! recipient register, photo and video use, the applicant portfolio, the newsletter) the
//! register keeps how a consent was given ([`ConsentChannel`]), on which day, by whom,
//! the caseworker who recorded it, and optionally what it covers (free text, sealed with
//! the client's key). A consent can be withdrawn at any time, by staff on the client's
//! word or by the client (or a parent for a child under 16) in the portal; the
//! withdrawal takes effect at once: from that moment [`sharing_consent_in_force`] no
//! longer returns it, so a disclosure that would rest on it is refused (RTS-10).
//!
//! Who must give a consent follows the minors rules, by the client's age band on the day
//! the consent was given (the policy's `age_bands`, as in [`crate::minors`]): under 12
//! the parents with authority alone (MIN-1), from 12 to 16 the child and the parents
//! with authority (MIN-2), from 16 the client alone (MIN-3). "The parents with
//! authority" are all related persons recorded as parent with authority or guardian
//! whose authority had begun on that day; a consent without each of the people its band
//! needs is refused, naming the rule.
//!
//! Every read and change passes the gate (`access/shr1_consents.cedar`): the assigned
//! workers record, read and withdraw; a colleague of another team sees nothing (ACC-2);
//! in the portal the client and a parent with authority of a child under 16 read and
//! withdraw. The birth date and the parents' authority are read by the core itself to
//! apply the age rules, recorded under the acting user (rule `min4-age-on-the-day`).
//!
//! This register is apart from the "withdrawal of consent" rights request
//! (`processing_stops`, RTS-10): that one withdraws the consent a help trajectory's
//! legal basis rests on and freezes the trajectory; this one records consents for
//! particular uses beside the help (decision 0023).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, ClientId, RelatedPersonId, RelationKind, UserId};
use zv_policy::AgeBand;
use zv_store::consents::{
    ConsentPerson as StoredPerson, ConsentRow, NewConsent, NewWithdrawal, SharingCandidate,
};

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::minors::{AGE_RULE, local_date};

/// The table a consent's description is sealed for.
const T: &str = "consents";

/// The longest description of what a consent covers.
pub const DESCRIPTION_MAX_CHARS: usize = 2_000;

/// What a consent is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    /// Sharing the client's data with a named recipient of the register (SHR-1).
    Sharing,
    /// Photo and video use.
    PhotoVideo,
    /// The applicant portfolio.
    ApplicantPortfolio,
    /// The newsletter.
    Newsletter,
}

impl ConsentPurpose {
    pub const ALL: &'static [Self] = &[
        Self::Sharing,
        Self::PhotoVideo,
        Self::ApplicantPortfolio,
        Self::Newsletter,
    ];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Sharing => "sharing",
            Self::PhotoVideo => "photo_video",
            Self::ApplicantPortfolio => "applicant_portfolio",
            Self::Newsletter => "newsletter",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|p| p.code() == code)
    }
}

/// How a consent was given, or how it was withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentChannel {
    Written,
    Portal,
    InPerson,
}

impl ConsentChannel {
    pub const ALL: &'static [Self] = &[Self::Written, Self::Portal, Self::InPerson];

    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Written => "written",
            Self::Portal => "portal",
            Self::InPerson => "in_person",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.code() == code)
    }
}

/// Who gave or withdrew a consent: the client, or a related person (a parent with
/// authority, a guardian). Written `client` or the related person's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentPerson {
    Client,
    Related(RelatedPersonId),
}

impl ConsentPerson {
    /// `client`, or the related person's id.
    #[must_use]
    pub fn code(self) -> String {
        match self {
            Self::Client => "client".to_owned(),
            Self::Related(p) => p.to_string(),
        }
    }

    #[must_use]
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw == "client" {
            return Some(Self::Client);
        }
        raw.parse::<Uuid>()
            .ok()
            .map(|u| Self::Related(RelatedPersonId::from_uuid(u)))
    }

    const fn stored(self) -> StoredPerson {
        match self {
            Self::Client => StoredPerson::Client,
            Self::Related(p) => StoredPerson::Related(p),
        }
    }

    const fn of_stored(p: StoredPerson) -> Self {
        match p {
            StoredPerson::Client => Self::Client,
            StoredPerson::Related(p) => Self::Related(p),
        }
    }
}

/// Why a field of a consent or a withdrawal was refused: the rule, never the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConsentProblem {
    PurposeUnknown,
    ChannelUnknown,
    DateInvalid,
    DateInFuture,
    RecipientMissing,
    RecipientNotForPurpose,
    RecipientUnknown,
    RecipientRetired,
    /// SHR-2: personal data never goes outside the EEA.
    RecipientOutsideEea,
    GiversMissing,
    /// A giver who is neither the client nor a parent with authority (or guardian) of
    /// this client whose authority had begun on the day.
    GiverUnknown,
    /// MIN-1: under 12 the parents with authority give consent, the child does not.
    UnderTwelveParentsOnly,
    /// MIN-2: from 12 to 16 the child gives consent as well as the parents.
    ChildNeeded,
    /// MIN-1, MIN-2: every parent with authority gives consent.
    ParentsNeeded,
    /// MIN-1, MIN-2: no parent with authority is recorded for the client on that day.
    NoParentsRecorded,
    /// MIN-3: from 16 the client gives consent alone.
    ClientAlone,
    DescriptionTooLong,
    DescriptionControl,
    /// A withdrawal through the portal is made in the portal itself.
    PortalWithdrawalInPortal,
}

impl ConsentProblem {
    pub const ALL: &'static [Self] = &[
        Self::PurposeUnknown,
        Self::ChannelUnknown,
        Self::DateInvalid,
        Self::DateInFuture,
        Self::RecipientMissing,
        Self::RecipientNotForPurpose,
        Self::RecipientUnknown,
        Self::RecipientRetired,
        Self::RecipientOutsideEea,
        Self::GiversMissing,
        Self::GiverUnknown,
        Self::UnderTwelveParentsOnly,
        Self::ChildNeeded,
        Self::ParentsNeeded,
        Self::NoParentsRecorded,
        Self::ClientAlone,
        Self::DescriptionTooLong,
        Self::DescriptionControl,
        Self::PortalWithdrawalInPortal,
    ];

    /// A stable code, for the screens' words (`consent-problem-<code>`).
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::PurposeUnknown => "purpose-unknown",
            Self::ChannelUnknown => "channel-unknown",
            Self::DateInvalid => "date-invalid",
            Self::DateInFuture => "date-in-future",
            Self::RecipientMissing => "recipient-missing",
            Self::RecipientNotForPurpose => "recipient-not-for-purpose",
            Self::RecipientUnknown => "recipient-unknown",
            Self::RecipientRetired => "recipient-retired",
            Self::RecipientOutsideEea => "recipient-outside-eea",
            Self::GiversMissing => "givers-missing",
            Self::GiverUnknown => "giver-unknown",
            Self::UnderTwelveParentsOnly => "under-twelve-parents-only",
            Self::ChildNeeded => "child-needed",
            Self::ParentsNeeded => "parents-needed",
            Self::NoParentsRecorded => "no-parents-recorded",
            Self::ClientAlone => "client-alone",
            Self::DescriptionTooLong => "description-too-long",
            Self::DescriptionControl => "description-control",
            Self::PortalWithdrawalInPortal => "portal-withdrawal-in-portal",
        }
    }

    /// The rule in English, for the API and logs.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::PurposeUnknown => {
                "choose a purpose: sharing, photo_video, applicant_portfolio or newsletter"
            }
            Self::ChannelUnknown => "choose how: written, portal or in_person",
            Self::DateInvalid => "give the date as YYYY-MM-DD",
            Self::DateInFuture => "a consent cannot be given on a day still to come",
            Self::RecipientMissing => "consent to share names the recipient",
            Self::RecipientNotForPurpose => "only a consent to share names a recipient",
            Self::RecipientUnknown => "no such recipient in the register",
            Self::RecipientRetired => "this recipient is retired from the register",
            Self::RecipientOutsideEea => {
                "this recipient is outside the EEA: personal data is not sent there (SHR-2)"
            }
            Self::GiversMissing => "say who gave the consent",
            Self::GiverUnknown => {
                "only the client, or a parent with authority or guardian of this client whose authority had begun that day, gives consent"
            }
            Self::UnderTwelveParentsOnly => {
                "under 12 the parents with authority give consent, not the child (MIN-1)"
            }
            Self::ChildNeeded => {
                "from 12 to 16 the child gives consent as well as the parents with authority (MIN-2)"
            }
            Self::ParentsNeeded => {
                "under 16 every parent with authority gives consent as well (MIN-1, MIN-2)"
            }
            Self::NoParentsRecorded => {
                "under 16 the parents with authority give consent: record them first (MIN-1, MIN-2)"
            }
            Self::ClientAlone => "from 16 the client gives consent alone (MIN-3)",
            Self::DescriptionTooLong => "the description is longer than 2,000 characters",
            Self::DescriptionControl => "the description holds control characters",
            Self::PortalWithdrawalInPortal => {
                "a withdrawal through the portal is made in the portal itself"
            }
        }
    }

    /// The problem a core error names, if it is one of these.
    #[must_use]
    pub fn of_error(e: &CoreError) -> Option<Self> {
        match e {
            CoreError::Invalid { problem, .. } => {
                Self::ALL.iter().copied().find(|p| p.message() == problem)
            }
            _ => None,
        }
    }

    fn on(self, field: &'static str) -> CoreError {
        CoreError::invalid(field, self.message())
    }
}

/// A consent as typed in a form or sent to the API, before it is checked.
#[derive(Clone, Default)]
pub struct ConsentForm {
    pub purpose: String,
    /// The recipient's id (purpose `sharing`); blank for none.
    pub recipient: String,
    pub how: String,
    pub given_on: String,
    /// `client` and/or related persons' ids.
    pub given_by: Vec<String>,
    /// Blank for none.
    pub description: String,
}

impl std::fmt::Debug for ConsentForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConsentForm({}, ***)", self.purpose)
    }
}

/// A consent whose fields each passed their own check; who gave it is decided against
/// the client's age band when it is recorded.
#[derive(Clone)]
pub struct ConsentInput {
    pub purpose: ConsentPurpose,
    pub recipient: Option<Uuid>,
    pub how: ConsentChannel,
    pub given_on: NaiveDate,
    pub given_by: Vec<ConsentPerson>,
    pub description: Option<String>,
}

impl std::fmt::Debug for ConsentInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConsentInput({}, ***)", self.purpose.code())
    }
}

/// Checks every field of a consent on its own, on `today`: all refusals at once, each
/// with its field (`purpose`, `recipient`, `how`, `given_on`, `given_by`,
/// `description`).
pub fn check_form(
    f: &ConsentForm,
    today: NaiveDate,
) -> Result<ConsentInput, Vec<(&'static str, ConsentProblem)>> {
    let mut problems = Vec::new();
    let purpose = ConsentPurpose::parse(f.purpose.trim());
    if purpose.is_none() {
        problems.push(("purpose", ConsentProblem::PurposeUnknown));
    }
    let recipient_raw = f.recipient.trim();
    let recipient = match (purpose, recipient_raw.is_empty()) {
        (Some(ConsentPurpose::Sharing), true) => {
            problems.push(("recipient", ConsentProblem::RecipientMissing));
            None
        }
        (Some(ConsentPurpose::Sharing), false) => {
            let parsed = recipient_raw.parse::<Uuid>().ok();
            if parsed.is_none() {
                problems.push(("recipient", ConsentProblem::RecipientUnknown));
            }
            parsed
        }
        (Some(_), false) => {
            problems.push(("recipient", ConsentProblem::RecipientNotForPurpose));
            None
        }
        (_, _) => None,
    };
    let how = ConsentChannel::parse(f.how.trim());
    if how.is_none() {
        problems.push(("how", ConsentProblem::ChannelUnknown));
    }
    let given_on = match NaiveDate::parse_from_str(f.given_on.trim(), "%Y-%m-%d") {
        Ok(d) if d > today => {
            problems.push(("given_on", ConsentProblem::DateInFuture));
            None
        }
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(("given_on", ConsentProblem::DateInvalid));
            None
        }
    };
    let mut given_by = Vec::new();
    for raw in f.given_by.iter().filter(|r| !r.trim().is_empty()) {
        match ConsentPerson::parse(raw) {
            Some(p) if !given_by.contains(&p) => given_by.push(p),
            Some(_) => {}
            None => {
                problems.push(("given_by", ConsentProblem::GiverUnknown));
                break;
            }
        }
    }
    if given_by.is_empty() && !problems.iter().any(|(f, _)| *f == "given_by") {
        problems.push(("given_by", ConsentProblem::GiversMissing));
    }
    let description = f.description.trim();
    if description.chars().count() > DESCRIPTION_MAX_CHARS {
        problems.push(("description", ConsentProblem::DescriptionTooLong));
    } else if description
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        problems.push(("description", ConsentProblem::DescriptionControl));
    }
    match (purpose, how, given_on) {
        (Some(purpose), Some(how), Some(given_on)) if problems.is_empty() => Ok(ConsentInput {
            purpose,
            recipient,
            how,
            given_on,
            given_by,
            description: (!description.is_empty()).then(|| description.to_owned()),
        }),
        _ => Err(problems),
    }
}

/// Whether the givers are the people the client's age band on the day needs (MIN-1..3):
/// `parents` are the parents with authority and guardians whose authority had begun.
/// The givers are known to be the client or among `parents`.
#[must_use]
pub fn givers_problem(
    band: AgeBand,
    givers: &[ConsentPerson],
    parents: &[RelatedPersonId],
) -> Option<ConsentProblem> {
    let child = givers.contains(&ConsentPerson::Client);
    let all_parents = parents
        .iter()
        .all(|p| givers.contains(&ConsentPerson::Related(*p)));
    let any_parent = givers
        .iter()
        .any(|g| matches!(g, ConsentPerson::Related(_)));
    match band {
        AgeBand::UnderOwnAccess | AgeBand::Consultative if parents.is_empty() => {
            Some(ConsentProblem::NoParentsRecorded)
        }
        AgeBand::UnderOwnAccess if child => Some(ConsentProblem::UnderTwelveParentsOnly),
        AgeBand::Consultative if !child => Some(ConsentProblem::ChildNeeded),
        AgeBand::UnderOwnAccess | AgeBand::Consultative if !all_parents => {
            Some(ConsentProblem::ParentsNeeded)
        }
        AgeBand::Independent | AgeBand::Adult if any_parent || !child => {
            Some(ConsentProblem::ClientAlone)
        }
        _ => None,
    }
}

/// Whether a sharing consent is in force on `on`: given on or before that day and not
/// withdrawn by then. A withdrawal takes effect at once: on the day it was made (in
/// Europe/Amsterdam) and after, the consent is no longer in force (RTS-10).
#[must_use]
pub fn in_force_on(c: &SharingCandidate, on: NaiveDate) -> bool {
    c.given_on <= on && c.withdrawn_at.is_none_or(|w| local_date(w) > on)
}

/// The consent in force on `on` for sharing `client`'s data with `recipient`: given,
/// not withdrawn, for purpose sharing with that recipient. Runs inside the caller's tx.
pub(crate) async fn sharing_consent_in_force(
    tx: &zv_store::Tx,
    client: zv_domain::ClientId,
    recipient: uuid::Uuid,
    on: chrono::NaiveDate,
) -> crate::CoreResult<Option<uuid::Uuid>> {
    let candidates = zv_store::consents::sharing_candidates(tx, client, recipient).await?;
    // The most recently given one that is in force.
    Ok(candidates
        .iter()
        .rev()
        .find(|c| in_force_on(c, on))
        .map(|c| c.id))
}

/// A recipient as a consent names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecipientRef {
    pub id: Uuid,
    pub name: String,
    pub country: String,
    pub kind: String,
    pub retired: bool,
}

/// A withdrawal as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawalView {
    pub at: DateTime<Utc>,
    pub how: ConsentChannel,
    pub by: ConsentPerson,
    /// Recorded in the portal by the account holder (else by staff).
    pub in_portal: bool,
    /// The staff member or portal account that recorded it.
    pub recorded_by: Option<Uuid>,
}

/// A consent as shown, its description opened.
#[derive(Clone)]
pub struct ConsentView {
    pub id: Uuid,
    pub client_id: ClientId,
    pub purpose: ConsentPurpose,
    pub recipient: Option<RecipientRef>,
    pub how: ConsentChannel,
    pub given_on: NaiveDate,
    pub given_by: Vec<ConsentPerson>,
    pub description: Option<String>,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
    pub withdrawal: Option<WithdrawalView>,
}

impl std::fmt::Debug for ConsentView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConsentView({}, {}, ***)", self.id, self.purpose.code())
    }
}

impl ConsentView {
    /// Not withdrawn (a consent given on a day still to come cannot be recorded).
    #[must_use]
    pub const fn in_force(&self) -> bool {
        self.withdrawal.is_none()
    }
}

fn stored_code<T>(code: &str, parse: impl Fn(&str) -> Option<T>) -> CoreResult<T> {
    parse(code).ok_or_else(|| CoreError::Internal("stored consent code unreadable".into()))
}

fn is_parent(relation: &str) -> bool {
    matches!(
        relation.parse::<RelationKind>(),
        Ok(RelationKind::ParentWithAuthority | RelationKind::Guardian)
    )
}

impl App {
    /// The recipients a consent to share may name: the register's organisations that
    /// are not retired. Organisations, not data subjects: no client data.
    pub async fn consent_recipients(&self, actor: &Actor) -> CoreResult<Vec<RecipientRef>> {
        if actor.user_id().is_none() {
            return Err(CoreError::NotFound);
        }
        let tx = self.store.read_tx().await?;
        let lines = zv_store::consents::recipients(&tx).await?;
        tx.commit().await?;
        Ok(lines
            .into_iter()
            .filter(|r| !r.retired && zv_policy::is_eea(&r.country))
            .map(|r| RecipientRef {
                id: r.id,
                name: r.name,
                country: r.country,
                kind: r.kind,
                retired: r.retired,
            })
            .collect())
    }

    /// Checks a consent's fields on today's date: all refusals at once.
    pub fn check_consent_form(
        &self,
        f: &ConsentForm,
    ) -> Result<ConsentInput, Vec<(&'static str, ConsentProblem)>> {
        check_form(f, self.clock.today())
    }

    /// The client's age band on `on` and the parents with authority (or guardians) whose
    /// authority had begun by then: read by the core itself to apply the age rules,
    /// recorded under the acting user (MIN-4 rule `min4-age-on-the-day`).
    async fn consent_facts(
        &self,
        actor: &Actor,
        client: ClientId,
        on: NaiveDate,
    ) -> CoreResult<(AgeBand, Vec<RelatedPersonId>)> {
        let access = Access::new(AuditAction::Read, AuditObject::ClientProfile, Some(client))
            .object_id(client)
            .detail("birth date and parents with authority, for who gives a consent (MIN-1..3)");
        let auth = self
            .authorize_read_for_decision(actor, &access, AGE_RULE)
            .await?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::clients::get(&tx, &auth, client)
            .await?
            .ok_or(CoreError::NotFound)?;
        let persons = zv_store::related_persons::of_client(&tx, &auth).await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        tx.commit().await?;
        let birth = Sealer { key: &key }.open(
            crate::clients::T,
            "birth_date",
            client.as_uuid(),
            &row.birth_date_ct,
        )?;
        let birth = NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
            .map_err(|_| CoreError::Internal("stored birth date unreadable".into()))?;
        let parents = persons
            .iter()
            .filter(|p| is_parent(&p.relation) && p.authority_since.is_some_and(|d| d <= on))
            .map(|p| p.id)
            .collect();
        Ok((self.policy.age_bands().band(birth, on), parents))
    }

    /// Records a consent for a client (the assigned worker, ACC-1): refused, with the
    /// field and the rule, when the people the client's age band on that day needs did
    /// not all give it (MIN-1..3), or a consent to share names no usable recipient.
    pub async fn record_consent(
        &self,
        actor: &Actor,
        client: ClientId,
        input: ConsentInput,
    ) -> CoreResult<Uuid> {
        let recorded_by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("a consent is recorded by staff".into()))?;
        if input.given_on > self.clock.today() {
            return Err(ConsentProblem::DateInFuture.on("given_on"));
        }
        match (input.purpose, input.recipient) {
            (ConsentPurpose::Sharing, None) => {
                return Err(ConsentProblem::RecipientMissing.on("recipient"));
            }
            (ConsentPurpose::Sharing, Some(_)) | (_, None) => {}
            (_, Some(_)) => return Err(ConsentProblem::RecipientNotForPurpose.on("recipient")),
        }
        let id = Uuid::now_v7();
        let write = || {
            Access::new(AuditAction::Create, AuditObject::Consent, Some(client))
                .object_id(id)
                .detail(format!("consent recorded: {}", input.purpose.code()))
        };
        // Decided before the birth date is read for the age rules: someone who may not
        // record learns nothing, and nothing of the client is read for them.
        let decision = self.decide(actor, &write()).await?;
        if !decision.allowed {
            return Err(self.refuse(actor, &write(), decision).await);
        }
        let (band, parents) = self.consent_facts(actor, client, input.given_on).await?;
        let known = |g: &ConsentPerson| match g {
            ConsentPerson::Client => true,
            ConsentPerson::Related(p) => parents.contains(p),
        };
        if !input.given_by.iter().all(known) {
            return Err(ConsentProblem::GiverUnknown.on("given_by"));
        }
        if let Some(p) = givers_problem(band, &input.given_by, &parents) {
            return Err(p.on("given_by"));
        }
        let tx = self.authorize_write(actor, write()).await?;
        if let Some(r) = input.recipient {
            // Checked in the recording transaction: a recipient retired meanwhile is
            // not named.
            let problem = match zv_store::consents::recipient(&tx, r).await? {
                None => Some(ConsentProblem::RecipientUnknown),
                Some(line) if line.retired => Some(ConsentProblem::RecipientRetired),
                Some(line) if !zv_policy::is_eea(&line.country) => {
                    Some(ConsentProblem::RecipientOutsideEea)
                }
                Some(_) => None,
            };
            if let Some(p) = problem {
                return Err(p.on("recipient"));
            }
        }
        let key = self.keys.client_key_for_write(&tx, client).await?;
        let description_ct =
            Sealer { key: &key }.seal_opt(T, "description", id, input.description.as_deref());
        zv_store::consents::insert(
            &tx,
            &NewConsent {
                id,
                client_id: client,
                purpose: input.purpose.code(),
                recipient_id: input.recipient,
                given_how: input.how.code(),
                given_on: input.given_on,
                given_by: input.given_by.iter().map(|g| g.stored()).collect(),
                description_ct,
                recorded_by,
                recorded_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(client.id = %client, consent.id = %id, consent.purpose = input.purpose.code(), "consent recorded");
        Ok(id)
    }

    /// The client's consents, newest given first, in force and withdrawn: for the
    /// assigned workers and, in the portal, the client and a parent with authority of a
    /// child under 16. A recorded read.
    pub async fn consents(&self, actor: &Actor, client: ClientId) -> CoreResult<Vec<ConsentView>> {
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::Consent, Some(client)),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let rows = zv_store::consents::of_client(&tx, &auth).await?;
        let mut recipients = HashMap::new();
        for r in rows
            .iter()
            .filter_map(|r| r.recipient_id)
            .collect::<HashSet<_>>()
        {
            if let Some(line) = zv_store::consents::recipient(&tx, r).await? {
                recipients.insert(r, line);
            }
        }
        let key = self.keys.client_key(&tx, &auth).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        rows.into_iter().map(|r| view(&s, r, &recipients)).collect()
    }

    /// Whether a consent to share the client's data with `recipient` is in force on
    /// `on`, and which: for someone who may read the client's consents (a recorded read).
    pub async fn sharing_consent(
        &self,
        actor: &Actor,
        client: ClientId,
        recipient: Uuid,
        on: NaiveDate,
    ) -> CoreResult<Option<Uuid>> {
        self.authorize_read(
            actor,
            Access::new(AuditAction::Read, AuditObject::Consent, Some(client))
                .detail("whether a consent to share is in force"),
        )
        .await?;
        let tx = self.store.read_tx().await?;
        let found = sharing_consent_in_force(&tx, client, recipient, on).await?;
        tx.commit().await?;
        Ok(found)
    }

    /// Staff record a withdrawal the client (or a parent with authority) made in
    /// writing or in person: in force until now, withdrawn from now on (RTS-10).
    pub async fn withdraw_recorded_consent(
        &self,
        actor: &Actor,
        id: Uuid,
        how: ConsentChannel,
        by: ConsentPerson,
    ) -> CoreResult<ClientId> {
        let recorded_by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("recorded by staff".into()))?;
        if how == ConsentChannel::Portal {
            return Err(ConsentProblem::PortalWithdrawalInPortal.on("how"));
        }
        let client = self.consent_client(id).await?;
        if let ConsentPerson::Related(p) = by {
            let tx = self.store.read_tx().await?;
            let meta = zv_store::minors::related_person_meta(&tx, p).await?;
            tx.commit().await?;
            if !meta.is_some_and(|m| m.client_id == client && is_parent(&m.relation)) {
                return Err(ConsentProblem::GiverUnknown.on("by"));
            }
        }
        self.withdraw(actor, id, client, how, by, recorded_by.as_uuid(), "staff")
            .await?;
        Ok(client)
    }

    /// The client, or a parent with authority of a child under 16, withdraws a consent
    /// in the portal, at once (RTS-10); the rules decide who may.
    pub async fn withdraw_recorded_consent_in_portal(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> CoreResult<ClientId> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        let client = self.consent_client(id).await?;
        let by = if p.client_id == Some(client) {
            ConsentPerson::Client
        } else {
            let tx = self.store.read_tx().await?;
            let link = zv_store::minors::link_facts(&tx, p.account_id, client).await?;
            tx.commit().await?;
            // No link: the gate refuses below as for anyone the consent is not theirs.
            link.map_or(ConsentPerson::Client, |l| {
                ConsentPerson::Related(l.person.id)
            })
        };
        self.withdraw(
            actor,
            id,
            client,
            ConsentChannel::Portal,
            by,
            p.account_id.as_uuid(),
            "portal",
        )
        .await?;
        Ok(client)
    }

    /// The client a consent belongs to, for someone who may read that client's
    /// consents (to show a refused withdrawal on its page); not found otherwise.
    pub async fn client_of_consent(&self, actor: &Actor, id: Uuid) -> CoreResult<ClientId> {
        let client = self.consent_client(id).await?;
        let read = Access::new(AuditAction::Read, AuditObject::Consent, Some(client));
        if self.permitted(actor, &read).await? {
            Ok(client)
        } else {
            Err(CoreError::NotFound)
        }
    }

    async fn consent_client(&self, id: Uuid) -> CoreResult<ClientId> {
        let tx = self.store.read_tx().await?;
        let meta = zv_store::consents::meta(&tx, id).await?;
        tx.commit().await?;
        Ok(meta.ok_or(CoreError::NotFound)?.client_id)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one withdrawal's facts, each from the caller's own check"
    )]
    async fn withdraw(
        &self,
        actor: &Actor,
        id: Uuid,
        client: ClientId,
        how: ConsentChannel,
        by: ConsentPerson,
        recorded_by: Uuid,
        recorded_as: &'static str,
    ) -> CoreResult<()> {
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Update, AuditObject::Consent, Some(client))
                    .object_id(id)
                    .detail(format!("consent withdrawn: {}", how.code())),
            )
            .await?;
        let withdrawn = zv_store::consents::withdraw(
            &tx,
            id,
            &NewWithdrawal {
                at: self.now(),
                how: how.code(),
                by: by.stored(),
                recorded_by,
                recorded_as,
            },
        )
        .await?;
        if !withdrawn {
            return Err(CoreError::Conflict(
                "this consent was withdrawn already".into(),
            ));
        }
        tx.commit().await?;
        tracing::info!(client.id = %client, consent.id = %id, "consent withdrawn");
        Ok(())
    }
}

fn view(
    s: &Sealer<'_>,
    r: ConsentRow,
    recipients: &HashMap<Uuid, zv_store::consents::RecipientLine>,
) -> CoreResult<ConsentView> {
    let withdrawal = r
        .withdrawal
        .as_ref()
        .map(|w| {
            Ok::<_, CoreError>(WithdrawalView {
                at: w.at,
                how: stored_code(&w.how, ConsentChannel::parse)?,
                by: ConsentPerson::of_stored(w.by),
                in_portal: w.recorded_as == "portal",
                recorded_by: w.recorded_by,
            })
        })
        .transpose()?;
    Ok(ConsentView {
        id: r.id,
        client_id: r.client_id,
        purpose: stored_code(&r.purpose, ConsentPurpose::parse)?,
        recipient: r.recipient_id.map(|id| {
            recipients.get(&id).map_or_else(
                || RecipientRef {
                    id,
                    name: String::new(),
                    country: String::new(),
                    kind: String::new(),
                    retired: true,
                },
                |l| RecipientRef {
                    id,
                    name: l.name.clone(),
                    country: l.country.clone(),
                    kind: l.kind.clone(),
                    retired: l.retired,
                },
            )
        }),
        how: stored_code(&r.given_how, ConsentChannel::parse)?,
        given_on: r.given_on,
        given_by: r
            .given_by
            .iter()
            .copied()
            .map(ConsentPerson::of_stored)
            .collect(),
        description: s.open_opt(T, "description", r.id, r.description_ct.as_deref())?,
        recorded_by: r.recorded_by,
        recorded_at: r.recorded_at,
        withdrawal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ConsentForm {
        ConsentForm {
            purpose: "photo_video".into(),
            recipient: String::new(),
            how: "written".into(),
            given_on: "2026-11-20".into(),
            given_by: vec!["client".into()],
            description: String::new(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn every_field_is_checked_at_once() {
        assert!(check_form(&form(), today()).is_ok());
        let bad = ConsentForm {
            purpose: "everything".into(),
            recipient: String::new(),
            how: "by_pigeon".into(),
            given_on: "2026-11-23".into(),
            given_by: vec![],
            description: "x\u{7}".into(),
        };
        let problems = check_form(&bad, today()).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            ["purpose", "how", "given_on", "given_by", "description"]
        );
        assert!(problems.contains(&("given_on", ConsentProblem::DateInFuture)));
        let sharing = ConsentForm {
            purpose: "sharing".into(),
            ..form()
        };
        assert_eq!(
            check_form(&sharing, today()).unwrap_err(),
            [("recipient", ConsentProblem::RecipientMissing)]
        );
        let named = ConsentForm {
            recipient: Uuid::now_v7().to_string(),
            ..form()
        };
        assert_eq!(
            check_form(&named, today()).unwrap_err(),
            [("recipient", ConsentProblem::RecipientNotForPurpose)]
        );
        // Every problem has its own code and message.
        let codes: HashSet<_> = ConsentProblem::ALL.iter().map(|p| p.code()).collect();
        let messages: HashSet<_> = ConsentProblem::ALL.iter().map(|p| p.message()).collect();
        assert_eq!(codes.len(), ConsentProblem::ALL.len());
        assert_eq!(messages.len(), ConsentProblem::ALL.len());
    }

    // promise: MIN-1
    // promise: MIN-2
    // promise: MIN-3
    #[test]
    fn the_age_band_decides_who_gives_consent() {
        use AgeBand::{Adult, Consultative, Independent, UnderOwnAccess};
        use ConsentPerson::{Client, Related};
        let mother = RelatedPersonId::new();
        let father = RelatedPersonId::new();
        let both = [mother, father];
        // The band, the givers, the parents with authority, the refusal.
        type Case<'a> = (
            AgeBand,
            Vec<ConsentPerson>,
            &'a [RelatedPersonId],
            Option<ConsentProblem>,
        );
        let cases: &[Case<'_>] = &[
            (
                UnderOwnAccess,
                vec![Related(mother), Related(father)],
                &both,
                None,
            ),
            (
                UnderOwnAccess,
                vec![Related(mother)],
                &both,
                Some(ConsentProblem::ParentsNeeded),
            ),
            (
                UnderOwnAccess,
                vec![Client, Related(mother), Related(father)],
                &both,
                Some(ConsentProblem::UnderTwelveParentsOnly),
            ),
            (
                UnderOwnAccess,
                vec![Client],
                &[],
                Some(ConsentProblem::NoParentsRecorded),
            ),
            (
                Consultative,
                vec![Client],
                &both,
                Some(ConsentProblem::ParentsNeeded),
            ),
            (
                Consultative,
                vec![Related(mother), Related(father)],
                &both,
                Some(ConsentProblem::ChildNeeded),
            ),
            (
                Consultative,
                vec![Client, Related(mother), Related(father)],
                &both,
                None,
            ),
            (Consultative, vec![Client, Related(mother)], &[mother], None),
            (Independent, vec![Client], &both, None),
            (
                Independent,
                vec![Client, Related(mother)],
                &both,
                Some(ConsentProblem::ClientAlone),
            ),
            (
                Independent,
                vec![Related(mother)],
                &both,
                Some(ConsentProblem::ClientAlone),
            ),
            (Adult, vec![Client], &[], None),
        ];
        for (band, givers, parents, expected) in cases {
            assert_eq!(
                givers_problem(*band, givers, parents),
                *expected,
                "{band:?} {givers:?}"
            );
        }
    }

    // promise: RTS-10
    #[test]
    fn a_withdrawal_takes_effect_on_its_own_day() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let given = SharingCandidate {
            id: Uuid::now_v7(),
            given_on: day(10),
            withdrawn_at: None,
        };
        assert!(!in_force_on(&given, day(9)));
        assert!(in_force_on(&given, day(10)));
        assert!(in_force_on(&given, day(22)));
        // Withdrawn at 00:30 in Amsterdam on the 20th (23:30 UTC on the 19th).
        let withdrawn = SharingCandidate {
            withdrawn_at: Some(
                zv_domain::clock::start_of_local_day(day(20)) + chrono::Duration::minutes(30),
            ),
            ..given
        };
        assert!(in_force_on(&withdrawn, day(19)));
        assert!(!in_force_on(&withdrawn, day(20)));
        assert!(!in_force_on(&withdrawn, day(22)));
    }
}
