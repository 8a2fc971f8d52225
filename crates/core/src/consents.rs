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
use zv_domain::{AuditAction, AuditObject, ClientId, RelatedPersonId, RelationKind};
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
    /// MIN-3: from 16 the client gives consent alone; for an adult, a legal
    /// representative within their mandate may give it (MIN-4).
    ClientAlone,
    /// MIN-4: a legal representative gives consent for an adult client only within a
    /// mandate for the whole dossier that runs on the day.
    MandateNeeded,
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
        Self::MandateNeeded,
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
            Self::MandateNeeded => "mandate-needed",
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
                "only the client, a parent with authority or guardian of this client whose authority had begun that day, or an adult client's legal representative, gives consent"
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
            Self::ClientAlone => {
                "from 16 the client gives consent alone (MIN-3); for an adult, a legal representative within their mandate may (MIN-4)"
            }
            Self::MandateNeeded => {
                "a legal representative gives consent for an adult client only within a mandate for the whole dossier running on that day (MIN-4)"
            }
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

/// Whether the givers are the people the client's age band on the day needs (MIN-1..4):
/// `parents` are the parents with authority and guardians whose authority had begun,
/// `mandated` the legal representatives whose mandate for the whole dossier ran that
/// day. The givers are known to be the client, among `parents`, or (for an adult) among
/// `mandated`.
#[must_use]
pub fn givers_problem(
    band: AgeBand,
    givers: &[ConsentPerson],
    parents: &[RelatedPersonId],
    mandated: &[RelatedPersonId],
) -> Option<ConsentProblem> {
    let not_mandated = givers
        .iter()
        .any(|g| matches!(g, ConsentPerson::Related(p) if !mandated.contains(p)));
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
        AgeBand::Independent if any_parent || !child => Some(ConsentProblem::ClientAlone),
        // An adult gives consent, or their representative within the mandate does.
        AgeBand::Adult if not_mandated || givers.is_empty() => Some(ConsentProblem::ClientAlone),
        _ => None,
    }
}

/// The people whose consent the client's age band on `on` needs, when `me` proposes one
/// in the portal (MIN-1..4): `me` must be one of them; the others confirm in their own
/// portal accounts before the consent takes effect.
pub fn portal_givers(
    band: AgeBand,
    me: ConsentPerson,
    parents: &[RelatedPersonId],
    mandated: &[RelatedPersonId],
) -> Result<Vec<ConsentPerson>, ConsentProblem> {
    let parents_of = || parents.iter().map(|p| ConsentPerson::Related(*p));
    let needed: Vec<ConsentPerson> = match band {
        AgeBand::UnderOwnAccess | AgeBand::Consultative if parents.is_empty() => {
            return Err(ConsentProblem::NoParentsRecorded);
        }
        AgeBand::UnderOwnAccess => parents_of().collect(),
        AgeBand::Consultative => std::iter::once(ConsentPerson::Client)
            .chain(parents_of())
            .collect(),
        AgeBand::Independent => vec![ConsentPerson::Client],
        AgeBand::Adult => match me {
            ConsentPerson::Related(p) if !mandated.contains(&p) => {
                return Err(ConsentProblem::MandateNeeded);
            }
            _ => vec![me],
        },
    };
    if needed.contains(&me) {
        Ok(needed)
    } else {
        Err(ConsentProblem::GiverUnknown)
    }
}

/// Whether a sharing consent is in force on `on`: in force from that day or earlier
/// (every giver confirmed) and not withdrawn by then. A withdrawal takes effect at once: on the day it was made (in
/// Europe/Amsterdam) and after, the consent is no longer in force (RTS-10).
#[must_use]
pub fn in_force_on(c: &SharingCandidate, on: NaiveDate) -> bool {
    c.in_force_from.is_some_and(|from| from <= on)
        && c.withdrawn_at.is_none_or(|w| local_date(w) > on)
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
    /// Givers whose confirmation in the portal is still awaited.
    pub awaiting: Vec<ConsentPerson>,
    pub description: Option<String>,
    /// The staff member who recorded it, or the portal account that proposed it.
    pub recorded_by: Uuid,
    pub recorded_in_portal: bool,
    pub recorded_at: DateTime<Utc>,
    /// The day it took effect; none while a giver has not confirmed.
    pub in_force_from: Option<NaiveDate>,
    pub withdrawal: Option<WithdrawalView>,
}

impl std::fmt::Debug for ConsentView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConsentView({}, {}, ***)", self.id, self.purpose.code())
    }
}

impl ConsentView {
    /// Every giver confirmed and not withdrawn (a consent given on a day still to come
    /// cannot be recorded).
    #[must_use]
    pub const fn in_force(&self) -> bool {
        self.withdrawal.is_none() && self.in_force_from.is_some()
    }

    /// Proposed in the portal and waiting for another giver's confirmation.
    #[must_use]
    pub const fn awaiting_confirmation(&self) -> bool {
        self.withdrawal.is_none() && self.in_force_from.is_none()
    }
}

/// How and by whom a consent was given: what differs between one recorded by staff and
/// one given in the portal.
struct Giving {
    how: &'static str,
    on: NaiveDate,
    by: Vec<StoredPerson>,
    awaiting: Vec<StoredPerson>,
    recorded_by: Uuid,
    recorded_as: &'static str,
}

fn input_record(input: &ConsentInput) -> (ConsentPurpose, Option<Uuid>, Option<&str>) {
    (input.purpose, input.recipient, input.description.as_deref())
}

fn stored_code<T>(code: &str, parse: impl Fn(&str) -> Option<T>) -> CoreResult<T> {
    parse(code).ok_or_else(|| CoreError::Internal("stored consent code unreadable".into()))
}

/// Who may give a client's consent on a day (MIN-1..4).
struct GiverFacts {
    band: AgeBand,
    parents: Vec<RelatedPersonId>,
    /// Every legal representative, with whether a whole-dossier mandate ran that day.
    representatives: Vec<(RelatedPersonId, bool)>,
}

impl GiverFacts {
    fn mandated(&self) -> Vec<RelatedPersonId> {
        self.representatives
            .iter()
            .filter(|(_, runs)| *runs)
            .map(|(p, _)| *p)
            .collect()
    }

    /// A giver who cannot give this client's consent at all: not the client, not a
    /// parent whose authority had begun, not a representative of an adult; a
    /// representative without a running mandate is told so.
    fn unknown_giver(&self, givers: &[ConsentPerson]) -> Option<ConsentProblem> {
        givers.iter().find_map(|g| match g {
            ConsentPerson::Client => None,
            ConsentPerson::Related(p) if self.parents.contains(p) => None,
            ConsentPerson::Related(p) => match self.representatives.iter().find(|(r, _)| r == p) {
                Some((_, true)) if self.band == AgeBand::Adult => None,
                Some(_) if self.band == AgeBand::Adult => Some(ConsentProblem::MandateNeeded),
                _ => Some(ConsentProblem::GiverUnknown),
            },
        })
    }
}

/// A consent to share names a recipient of the register that is not retired and lies in
/// the EEA; checked in the recording transaction, so one retired meanwhile is not named.
async fn check_recipient(tx: &zv_store::Tx, recipient: Option<Uuid>) -> CoreResult<()> {
    let Some(r) = recipient else {
        return Ok(());
    };
    let problem = match zv_store::consents::recipient(tx, r).await? {
        None => Some(ConsentProblem::RecipientUnknown),
        Some(line) if line.retired => Some(ConsentProblem::RecipientRetired),
        Some(line) if !zv_policy::is_eea(&line.country) => {
            Some(ConsentProblem::RecipientOutsideEea)
        }
        Some(_) => None,
    };
    problem.map_or(Ok(()), |p| Err(p.on("recipient")))
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
        if matches!(actor, Actor::System { .. }) {
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

    /// The client's age band on `on`, the parents with authority (or guardians) whose
    /// authority had begun by then, and the legal representatives (each with whether a
    /// mandate for the whole dossier ran that day): read by the core itself to apply the
    /// age rules, recorded under the acting user (MIN-4 rule `min4-age-on-the-day`).
    async fn consent_facts(
        &self,
        actor: &Actor,
        client: ClientId,
        on: NaiveDate,
    ) -> CoreResult<GiverFacts> {
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
        let mut representatives = Vec::new();
        for p in persons.iter().filter(|p| {
            matches!(
                p.relation.parse::<RelationKind>(),
                Ok(RelationKind::LegalRepresentative)
            )
        }) {
            let mandate = zv_store::minors::mandate_of(&tx, p.id).await?;
            let runs = mandate.is_some_and(|m| {
                m.whole_dossier && local_date(m.recorded_at) <= on && on <= m.ends_on
            });
            representatives.push((p.id, runs));
        }
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
        Ok(GiverFacts {
            band: self.policy.age_bands().band(birth, on),
            parents,
            representatives,
        })
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
        let facts = self.consent_facts(actor, client, input.given_on).await?;
        if let Some(p) = facts.unknown_giver(&input.given_by) {
            return Err(p.on("given_by"));
        }
        if let Some(p) = givers_problem(
            facts.band,
            &input.given_by,
            &facts.parents,
            &facts.mandated(),
        ) {
            return Err(p.on("given_by"));
        }
        self.insert_consent(
            actor,
            write(),
            id,
            client,
            input_record(&input),
            Giving {
                how: input.how.code(),
                on: input.given_on,
                by: input.given_by.iter().map(|g| g.stored()).collect(),
                awaiting: Vec::new(),
                recorded_by: recorded_by.as_uuid(),
                recorded_as: "staff",
            },
        )
        .await?;
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
        let by = self.portal_person(p, client).await?;
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

    /// Who a portal account is towards a client's consents: the client, or the related
    /// person it reads for. No link: the gate refuses later, as for anyone the consent
    /// is not theirs.
    async fn portal_person(
        &self,
        p: &crate::portal::PortalActor,
        client: ClientId,
    ) -> CoreResult<ConsentPerson> {
        if p.client_id == Some(client) {
            return Ok(ConsentPerson::Client);
        }
        let tx = self.store.read_tx().await?;
        let link = zv_store::minors::link_facts(&tx, p.account_id, client).await?;
        tx.commit().await?;
        Ok(link.map_or(ConsentPerson::Client, |l| {
            ConsentPerson::Related(l.person.id)
        }))
    }

    /// Who the signed-in portal account is towards this client's consents (to offer the
    /// confirmation a consent awaits of them). No content: an id or `client`.
    pub async fn consent_person_in_portal(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<ConsentPerson> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        self.portal_person(p, client).await
    }

    /// Checks a consent proposed in the portal: purpose, recipient and description
    /// (channel `portal`, today; the givers follow from who proposes it).
    pub fn check_portal_consent_form(
        &self,
        purpose: &str,
        recipient: &str,
        description: &str,
    ) -> Result<ConsentInput, Vec<(&'static str, ConsentProblem)>> {
        let today = self.clock.today();
        check_form(
            &ConsentForm {
                purpose: purpose.to_owned(),
                recipient: recipient.to_owned(),
                how: ConsentChannel::Portal.code().to_owned(),
                given_on: today.to_string(),
                given_by: vec!["client".to_owned()],
                description: description.to_owned(),
            },
            today,
        )
    }

    /// The client, a parent with authority or an adult's legal representative gives a
    /// consent in the portal, today (SHR-1, MIN-1..4). When the client's age band needs
    /// more people than the one proposing it (a child of 12 to 16 and its parents; both
    /// parents of a younger child), the consent waits for each of the others to confirm
    /// it in their own portal account and is in force only from the last confirmation.
    pub async fn give_consent_in_portal(
        &self,
        actor: &Actor,
        client: ClientId,
        input: &ConsentInput,
    ) -> CoreResult<Uuid> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        let me = self.portal_person(p, client).await?;
        let today = self.clock.today();
        let id = Uuid::now_v7();
        let write = || {
            Access::new(AuditAction::Create, AuditObject::Consent, Some(client))
                .object_id(id)
                .detail(format!(
                    "consent given in the portal: {}",
                    input.purpose.code()
                ))
        };
        let decision = self.decide(actor, &write()).await?;
        if !decision.allowed {
            return Err(self.refuse(actor, &write(), decision).await);
        }
        let facts = self.consent_facts(actor, client, today).await?;
        let givers = portal_givers(facts.band, me, &facts.parents, &facts.mandated())
            .map_err(|problem| problem.on("given_by"))?;
        self.insert_consent(
            actor,
            write(),
            id,
            client,
            input_record(input),
            Giving {
                how: ConsentChannel::Portal.code(),
                on: today,
                by: givers.iter().map(|g| g.stored()).collect(),
                awaiting: givers
                    .iter()
                    .filter(|g| **g != me)
                    .map(|g| g.stored())
                    .collect(),
                recorded_by: p.account_id.as_uuid(),
                recorded_as: "portal",
            },
        )
        .await?;
        tracing::info!(client.id = %client, consent.id = %id, consent.purpose = input.purpose.code(), "consent given in the portal");
        Ok(id)
    }

    /// Stores a consent whose givers were checked: the write is audited first, the
    /// recipient checked inside the same transaction, the description sealed.
    async fn insert_consent(
        &self,
        actor: &Actor,
        write: Access,
        id: Uuid,
        client: ClientId,
        what: (ConsentPurpose, Option<Uuid>, Option<&str>),
        giving: Giving,
    ) -> CoreResult<()> {
        let (purpose, recipient, description) = what;
        let tx = self.authorize_write(actor, write).await?;
        check_recipient(&tx, recipient).await?;
        let key = self.keys.client_key_for_write(&tx, client).await?;
        let description_ct = Sealer { key: &key }.seal_opt(T, "description", id, description);
        zv_store::consents::insert(
            &tx,
            &NewConsent {
                id,
                client_id: client,
                purpose: purpose.code(),
                recipient_id: recipient,
                given_how: giving.how,
                given_on: giving.on,
                given_by: giving.by,
                awaiting: giving.awaiting,
                description_ct,
                recorded_by: giving.recorded_by,
                recorded_as: giving.recorded_as,
                recorded_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A giver whose confirmation a consent awaits confirms it in the portal; the last
    /// one makes it take effect today. Refused when the people the client's age band
    /// needs today are no longer the ones it names (a birthday, a change of authority
    /// since it was proposed): it must be proposed anew.
    pub async fn confirm_consent_in_portal(&self, actor: &Actor, id: Uuid) -> CoreResult<ClientId> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        let client = self.consent_client(id).await?;
        let me = self.portal_person(p, client).await?;
        let update = || {
            Access::new(AuditAction::Update, AuditObject::Consent, Some(client))
                .object_id(id)
                .detail("consent confirmed in the portal")
        };
        let decision = self.decide(actor, &update()).await?;
        if !decision.allowed {
            return Err(self.refuse(actor, &update(), decision).await);
        }
        let today = self.clock.today();
        let facts = self.consent_facts(actor, client, today).await?;
        let tx = self.authorize_write(actor, update()).await?;
        let givers: Vec<ConsentPerson> = zv_store::consents::givers_of(&tx, id)
            .await?
            .into_iter()
            .map(ConsentPerson::of_stored)
            .collect();
        if facts.unknown_giver(&givers).is_some()
            || givers_problem(facts.band, &givers, &facts.parents, &facts.mandated()).is_some()
        {
            return Err(CoreError::Conflict(
                "the people who must give this consent changed since it was proposed: propose it anew".into(),
            ));
        }
        let outcome = zv_store::consents::confirm(&tx, id, me.stored(), self.now(), today).await?;
        if outcome == zv_store::consents::Confirmation::NotAwaited {
            return Err(CoreError::Conflict(
                "this consent awaits no confirmation of yours".into(),
            ));
        }
        tx.commit().await?;
        tracing::info!(client.id = %client, consent.id = %id, "consent confirmed in the portal");
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

/// The client's consents as the access copy words them, in Dutch: purpose, recipient,
/// how and by whom given, and whether in force, awaited or withdrawn.
pub(crate) async fn copy_records(
    tx: &zv_store::Tx,
    auth: &zv_store::Authorized,
    key: &zv_crypto::DataKey,
) -> CoreResult<Vec<zv_documents::OtherRecord>> {
    let rows = zv_store::consents::of_client(tx, auth).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let recipient = match r.recipient_id {
            Some(id) => zv_store::consents::recipient(tx, id).await?.map(|l| l.name),
            None => None,
        };
        let description =
            Sealer { key }.open_opt(T, "description", r.id, r.description_ct.as_deref())?;
        let purpose = match r.purpose.as_str() {
            "sharing" => format!(
                "Toestemming om gegevens te delen met {}",
                recipient
                    .as_deref()
                    .unwrap_or("een organisatie die niet meer in ons register staat")
            ),
            "photo_video" => "Toestemming voor foto's en video".to_owned(),
            "applicant_portfolio" => "Toestemming voor het sollicitatieportfolio".to_owned(),
            _ => "Toestemming voor de nieuwsbrief".to_owned(),
        };
        let how = match r.given_how.as_str() {
            "written" => "schriftelijk",
            "portal" => "via het portaal",
            _ => "persoonlijk",
        };
        let by = if r.given_by.iter().all(|g| *g == StoredPerson::Client) {
            "door u"
        } else if r.given_by.contains(&StoredPerson::Client) {
            "door u en uw ouder(s) met gezag of vertegenwoordiger"
        } else {
            "door uw ouder(s) met gezag of vertegenwoordiger"
        };
        let state = match (&r.withdrawal, r.in_force_from) {
            (Some(w), _) => format!("ingetrokken op {}", local_date(w.at)),
            (None, Some(from)) => format!("van kracht sinds {from}"),
            (None, None) => "wacht nog op bevestiging".to_owned(),
        };
        let mut text = format!("{purpose}, {how} gegeven {by}; {state}.");
        if let Some(d) = description {
            text.push_str(&format!(" Omvat: {d}"));
        }
        out.push(zv_documents::OtherRecord {
            register: "consent".to_owned(),
            on: r.given_on.to_string(),
            text,
        });
    }
    Ok(out)
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
        awaiting: r
            .awaiting
            .iter()
            .copied()
            .map(ConsentPerson::of_stored)
            .collect(),
        description: s.open_opt(T, "description", r.id, r.description_ct.as_deref())?,
        recorded_by: r.recorded_by,
        recorded_in_portal: r.recorded_as == "portal",
        recorded_at: r.recorded_at,
        in_force_from: r.in_force_from,
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
                givers_problem(*band, givers, parents, &[]),
                *expected,
                "{band:?} {givers:?}"
            );
        }
    }

    // promise: MIN-4
    #[test]
    fn an_adults_representative_gives_consent_within_the_mandate() {
        use AgeBand::{Adult, Independent};
        use ConsentPerson::{Client, Related};
        let curator = RelatedPersonId::new();
        let mandated = [curator];
        assert_eq!(
            givers_problem(Adult, &[Related(curator)], &[], &mandated),
            None
        );
        assert_eq!(
            givers_problem(Adult, &[Client, Related(curator)], &[], &mandated),
            None
        );
        assert_eq!(
            givers_problem(Adult, &[Related(curator)], &[], &[]),
            Some(ConsentProblem::ClientAlone)
        );
        assert_eq!(
            givers_problem(Independent, &[Related(curator)], &[], &mandated),
            Some(ConsentProblem::ClientAlone)
        );
        // In the portal: the representative proposes alone; without a mandate, refused.
        assert_eq!(
            portal_givers(Adult, Related(curator), &[], &mandated),
            Ok(vec![Related(curator)])
        );
        assert_eq!(
            portal_givers(Adult, Related(curator), &[], &[]),
            Err(ConsentProblem::MandateNeeded)
        );
    }

    // promise: MIN-1
    // promise: MIN-2
    // promise: MIN-3
    #[test]
    fn in_the_portal_the_others_the_age_band_needs_confirm() {
        use AgeBand::{Consultative, Independent, UnderOwnAccess};
        use ConsentPerson::{Client, Related};
        let mother = RelatedPersonId::new();
        let father = RelatedPersonId::new();
        let both = [mother, father];
        // A 14-year-old proposes: the child and both parents give it.
        assert_eq!(
            portal_givers(Consultative, Client, &both, &[]),
            Ok(vec![Client, Related(mother), Related(father)])
        );
        // A parent of a 14-year-old proposes: the same people.
        assert_eq!(
            portal_givers(Consultative, Related(father), &both, &[]),
            Ok(vec![Client, Related(mother), Related(father)])
        );
        // Under 12: the parents alone; the child is not asked.
        assert_eq!(
            portal_givers(UnderOwnAccess, Related(mother), &both, &[]),
            Ok(vec![Related(mother), Related(father)])
        );
        // From 16 the young person alone; a parent cannot propose it.
        assert_eq!(
            portal_givers(Independent, Client, &both, &[]),
            Ok(vec![Client])
        );
        assert_eq!(
            portal_givers(Independent, Related(mother), &both, &[]),
            Err(ConsentProblem::GiverUnknown)
        );
        assert_eq!(
            portal_givers(Consultative, Client, &[], &[]),
            Err(ConsentProblem::NoParentsRecorded)
        );
        // Whoever proposes, the result satisfies the staff rule too.
        for (band, me) in [
            (Consultative, Client),
            (Consultative, Related(mother)),
            (UnderOwnAccess, Related(father)),
            (Independent, Client),
        ] {
            let givers = portal_givers(band, me, &both, &[]).unwrap();
            assert_eq!(givers_problem(band, &givers, &both, &[]), None, "{band:?}");
        }
    }

    // promise: RTS-10
    #[test]
    fn a_withdrawal_takes_effect_on_its_own_day() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let given = SharingCandidate {
            id: Uuid::now_v7(),
            in_force_from: Some(day(10)),
            withdrawn_at: None,
        };
        // Awaiting a giver's confirmation: in force on no day.
        let proposed = SharingCandidate {
            in_force_from: None,
            ..given
        };
        assert!(!in_force_on(&proposed, day(22)));
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
