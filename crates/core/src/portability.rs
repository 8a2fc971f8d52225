//! Data portability (RTS-8, AVG art. 20): the privacy officer handles a request of kind
//! `portability`. Only trajectories whose service type rests on consent or contract are
//! in it (art. 20(1)(a)); the others are listed as excluded with their legal basis, and a
//! request with none is refused with that reason. Only data the client provided is in
//! the file (decision 0019): their personal details as given and, per trajectory, the
//! goals they set with their progress; never work notes, professionals' reports, withheld
//! entries or passages, or anyone else's data (art. 20(4)).
//!
//! The file (`zorgvuldig.portability/1`, `docs/portability.md`) goes either to the
//! client, who downloads it once in the portal through a one-time, expiring link like an
//! access copy, or to an organisation the client chose: its name and country are
//! recorded, the country must be in the EEA (SHR-2), and the privacy officer downloads
//! the file once to send it; that download is the recorded transfer (who, when, to whom).
//!
//! Every step passes the gate under the rights-request rules
//! (`access/rts4_access_copy.cedar` for the privacy officer's export and the client's
//! download of their own request's file): preparing reads the client's data as an export
//! (NEN 7513), storing it is a write with its event in its transaction, and each
//! download is an export recorded under whoever downloads it.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zv_documents as docs;
use zv_domain::{AuditAction, AuditObject, ClientId, EntryKind, Purpose, TrajectoryId, UserId};
use zv_policy::{LegalBasis, Policy};
use zv_store::TrajectoryRow;
use zv_store::portability::{ExportRow, NewExport};
use zv_store::requests::RightsRequestRow;

use crate::access::Target;
use crate::access_copy::IssuedLink;
use crate::app::App;
use crate::entries::entry_view;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::requests::{LetterLanguage, Outcome, OutcomeInput, RequestKind};
use crate::withholdings::ClientEntry;

const T_EXPORTS: &str = "portability_exports";
const NAME_MAX_CHARS: usize = 200;
const NOTHING_PORTABLE: &str = "no trajectory in scope rests on consent or contract: art. 20 does not apply; record the refusal";

/// Where the file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Destination {
    /// To the client, downloaded once in the portal.
    Client,
    /// To an organisation the client chose, sent by the privacy officer.
    Organisation,
}

impl Destination {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Organisation => "organisation",
        }
    }
}

/// The destination as asked: to the client, or to a named organisation in a country.
#[derive(Clone)]
pub enum DestinationInput {
    Client,
    Organisation { name: String, country: String },
}

impl std::fmt::Debug for DestinationInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Client => write!(f, "Client"),
            Self::Organisation { .. } => write!(f, "Organisation(***)"),
        }
    }
}

/// Why a field of the recipient was refused: a rule, never the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientProblem {
    NameMissing,
    NameTooLong,
    CountryMissing,
    CountryNotACode,
    /// SHR-2: personal data never goes to a recipient outside the EEA.
    CountryOutsideEea,
}

impl RecipientProblem {
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::NameMissing => "state the name of the receiving organisation",
            Self::NameTooLong => "the name is longer than 200 characters",
            Self::CountryMissing => "state the country of the receiving organisation",
            Self::CountryNotACode => "give the country as a two-letter ISO 3166 code",
            Self::CountryOutsideEea => {
                "the country is outside the EEA: personal data is not sent there (SHR-2)"
            }
        }
    }
}

/// Checks the recipient field by field: every refused field with its rule. Empty when
/// both are fine.
#[must_use]
pub fn recipient_problems(name: &str, country: &str) -> Vec<(&'static str, RecipientProblem)> {
    let mut out = Vec::new();
    let name = name.trim();
    if name.is_empty() {
        out.push(("recipient_name", RecipientProblem::NameMissing));
    } else if name.chars().count() > NAME_MAX_CHARS {
        out.push(("recipient_name", RecipientProblem::NameTooLong));
    }
    let country = country.trim();
    if country.is_empty() {
        out.push(("recipient_country", RecipientProblem::CountryMissing));
    } else if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        out.push(("recipient_country", RecipientProblem::CountryNotACode));
    } else if !zv_policy::is_eea(country) {
        out.push(("recipient_country", RecipientProblem::CountryOutsideEea));
    }
    out
}

/// Art. 20 applies to processing on consent or contract only.
#[must_use]
pub const fn portable(basis: LegalBasis) -> bool {
    matches!(basis, LegalBasis::Consent | LegalBasis::Contract)
}

#[must_use]
pub const fn legal_basis_code(b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Consent => "consent",
        LegalBasis::Contract => "contract",
        LegalBasis::LegalObligation => "legal_obligation",
        LegalBasis::PublicTask => "public_task",
        LegalBasis::LegitimateInterest => "legitimate_interest",
    }
}

/// A legal basis as the reasons name it, after "op grond van" / "on the basis of".
const fn basis_text(b: LegalBasis, language: LetterLanguage) -> &'static str {
    match (b, language) {
        (LegalBasis::Consent, LetterLanguage::Nl) => "uw toestemming",
        (LegalBasis::Contract, LetterLanguage::Nl) => "een overeenkomst",
        (LegalBasis::LegalObligation, LetterLanguage::Nl) => "een wettelijke verplichting",
        (LegalBasis::PublicTask, LetterLanguage::Nl) => "een taak van algemeen belang",
        (LegalBasis::LegitimateInterest, LetterLanguage::Nl) => "een gerechtvaardigd belang",
        (LegalBasis::Consent, LetterLanguage::En) => "your consent",
        (LegalBasis::Contract, LetterLanguage::En) => "a contract",
        (LegalBasis::LegalObligation, LetterLanguage::En) => "a legal obligation",
        (LegalBasis::PublicTask, LetterLanguage::En) => "a task in the public interest",
        (LegalBasis::LegitimateInterest, LetterLanguage::En) => "a legitimate interest",
    }
}

/// A trajectory in the request's scope, with its legal basis.
#[derive(Debug, Clone, Serialize)]
pub struct TrajectoryLine {
    pub id: TrajectoryId,
    pub service: String,
    pub service_name: String,
    pub legal_basis: &'static str,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    /// Goals that go into the file (eligible trajectories only).
    pub goals: usize,
}

/// A file prepared earlier, without its content.
#[derive(Clone, Serialize)]
pub struct ExportLine {
    pub id: Uuid,
    pub request: Uuid,
    pub reference: String,
    pub destination: Destination,
    pub recipient_name: Option<String>,
    pub recipient_country: Option<String>,
    pub prepared_at: DateTime<Utc>,
    pub available_until: DateTime<Utc>,
    pub downloaded_at: Option<DateTime<Utc>>,
    pub downloaded_by: Option<UserId>,
    pub available: bool,
    pub size_bytes: i64,
}

impl std::fmt::Debug for ExportLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ExportLine({}, {}, ***)",
            self.id,
            self.destination.code()
        )
    }
}

/// What the privacy officer sees before preparing a file.
#[derive(Clone, Serialize)]
pub struct PortabilityPreview {
    pub request: Uuid,
    pub reference: String,
    pub received_on: NaiveDate,
    pub status: String,
    pub client: ClientId,
    pub client_name: String,
    pub eligible: Vec<TrajectoryLine>,
    pub excluded: Vec<TrajectoryLine>,
    /// The client has a portal account to receive the file in.
    pub client_portal_account: bool,
    pub exports: Vec<ExportLine>,
}

impl std::fmt::Debug for PortabilityPreview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PortabilityPreview({}, ***)", self.reference)
    }
}

impl PortabilityPreview {
    /// The outcome the eligibility leads to: granted when every trajectory in scope is
    /// portable, partly when some are excluded, refused when none is.
    #[must_use]
    pub fn outcome(&self) -> Outcome {
        outcome_of(self.eligible.len(), self.excluded.len())
    }

    /// The reasons for the client, in Dutch, naming each excluded trajectory's basis:
    /// the text the page offers and the recorded reasons.
    #[must_use]
    pub fn reasons_nl(&self) -> String {
        reasons_nl(&self.eligible, &self.excluded)
    }

    /// What those reasons rest on, kept with the decision for the letter.
    fn stated(&self) -> StatedFacts {
        StatedFacts {
            eligible: self.eligible.iter().map(stated_line).collect(),
            excluded: self.excluded.iter().map(stated_line).collect(),
        }
    }
}

fn outcome_of(eligible: usize, excluded: usize) -> Outcome {
    match (eligible, excluded) {
        (0, _) => Outcome::Refused,
        (_, 0) => Outcome::Granted,
        _ => Outcome::PartlyGranted,
    }
}

/// The table of the sealed facts of a decision's generated reasons.
const T_DECISIONS: &str = "portability_decisions";

/// A trajectory as a portability decision's generated reasons name it: no id, its service
/// and the day it started, and the legal basis that puts it in the file or out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct StatedTrajectory {
    service: String,
    opened_on: NaiveDate,
    legal_basis: String,
}

/// What a portability decision's generated reasons rest on, sealed with the decision
/// (m0017) so that the letter words them in its own language later (RTS-8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct StatedFacts {
    eligible: Vec<StatedTrajectory>,
    excluded: Vec<StatedTrajectory>,
}

/// The reasons in `language`, one paragraph each: what the client receives, and per
/// excluded trajectory its legal basis and why art. 20 does not reach it. `name` gives a
/// service type's name in that language.
fn reasons_in(
    facts: &StatedFacts,
    language: LetterLanguage,
    name: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let label = |t: &StatedTrajectory| {
        crate::requests::trajectory_label(&name(&t.service), t.opened_on, language)
    };
    let mut out = Vec::new();
    if !facts.eligible.is_empty() {
        // Service names may hold commas ("Groepsactiviteiten, cursussen en workshops").
        let list = facts
            .eligible
            .iter()
            .map(label)
            .collect::<Vec<_>>()
            .join("; ");
        out.push(match language {
            LetterLanguage::Nl => format!("U ontvangt de gegevens die u ons zelf gaf bij: {list}."),
            LetterLanguage::En => {
                format!("You receive the data you gave us yourself for: {list}.")
            }
        });
    }
    for t in &facts.excluded {
        let basis = basis_text(legal_basis_of_code(&t.legal_basis), language);
        out.push(match language {
            LetterLanguage::Nl => format!(
                "Het hulptraject {}: deze gegevens verwerken wij op grond van {basis}. Het recht op overdraagbaarheid (artikel 20 AVG) geldt alleen voor gegevens die wij verwerken op grond van uw toestemming of een overeenkomst. Het geldt dus niet voor deze gegevens.",
                label(t)
            ),
            LetterLanguage::En => format!(
                "The service {}: we process this data on the basis of {basis}. The right to data portability (article 20 GDPR) only applies to data we process on the basis of your consent or a contract. So it does not apply to this data.",
                label(t)
            ),
        });
    }
    if out.is_empty() {
        out.push(
            match language {
                LetterLanguage::Nl => "Er zijn geen gegevens waarop het recht op overdraagbaarheid (artikel 20 AVG) van toepassing is.",
                LetterLanguage::En => "There is no data to which the right to data portability (article 20 GDPR) applies.",
            }
            .to_owned(),
        );
    }
    out
}

fn reasons_nl(eligible: &[TrajectoryLine], excluded: &[TrajectoryLine]) -> String {
    let facts = StatedFacts {
        eligible: eligible.iter().map(stated_line).collect(),
        excluded: excluded.iter().map(stated_line).collect(),
    };
    // The lines carry the policy's Dutch names already.
    let name = |code: &str| {
        eligible
            .iter()
            .chain(excluded)
            .find(|t| t.service == code)
            .map_or_else(|| code.to_owned(), |t| t.service_name.clone())
    };
    reasons_in(&facts, LetterLanguage::Nl, &name).join("\n\n")
}

fn stated_line(t: &TrajectoryLine) -> StatedTrajectory {
    StatedTrajectory {
        service: t.service.clone(),
        opened_on: t.opened_on,
        legal_basis: t.legal_basis.to_owned(),
    }
}

/// The reasons of a portability decision as the letter gives them in `language`, from
/// the facts sealed with the decision (RTS-8).
pub(crate) fn portability_reasons(
    s: &Sealer<'_>,
    request: Uuid,
    facts_ct: &[u8],
    policy: &Policy,
    language: LetterLanguage,
) -> CoreResult<Vec<String>> {
    let json = s.open(T_DECISIONS, "facts", request, facts_ct)?;
    let facts: StatedFacts = serde_json::from_str(&json)
        .map_err(|_| CoreError::Internal("stored portability facts unreadable".into()))?;
    let name = |code: &str| crate::requests::service_name(policy, code, language);
    Ok(reasons_in(&facts, language, &name))
}

/// Whether the reasons sent back are the generated ones: the page offers them to edit,
/// and a browser may change their line breaks.
fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

fn legal_basis_of_code(code: &str) -> LegalBasis {
    match code {
        "consent" => LegalBasis::Consent,
        "contract" => LegalBasis::Contract,
        "legal_obligation" => LegalBasis::LegalObligation,
        "legitimate_interest" => LegalBasis::LegitimateInterest,
        _ => LegalBasis::PublicTask,
    }
}

/// A file just prepared.
#[derive(Debug, Clone, Serialize)]
pub struct PreparedExport {
    pub id: Uuid,
    pub destination: Destination,
    pub available_until: DateTime<Utc>,
    pub size_bytes: i64,
}

/// A downloaded file.
pub struct ExportFile {
    pub file_name: String,
    pub bytes: zeroize::Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for ExportFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ExportFile({}, ***)", self.file_name)
    }
}

/// A recorded transfer to an organisation, as a recipient of the client's data.
#[derive(Clone, Serialize)]
pub struct Transfer {
    pub recipient_name: String,
    pub recipient_country: String,
    pub at: DateTime<Utc>,
    pub by: Option<UserId>,
}

impl std::fmt::Debug for Transfer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Transfer({}, ***)", self.at)
    }
}

// ---------------------------------------------------------------------------------------
// What is read for a file

struct Person {
    name: String,
    birth_date: String,
    address: Option<String>,
    confidential: bool,
    phone: Option<String>,
    email: Option<String>,
}

struct Goal {
    title: String,
    progress: Option<u8>,
    set_on: NaiveDate,
}

struct Gathered {
    request: RightsRequestRow,
    /// The request was filed from the client's own portal account.
    by_client: bool,
    person: Person,
    eligible: Vec<(TrajectoryRow, LegalBasis, Vec<Goal>)>,
    excluded: Vec<(TrajectoryRow, LegalBasis)>,
}

fn service_name(policy: &Policy, code: &str) -> String {
    policy
        .service_type(code)
        .map_or_else(|| code.to_owned(), |s| s.name_nl.clone())
}

/// A service type the policy does not know is treated as public task: out (fail closed).
fn basis_of(policy: &Policy, code: &str) -> LegalBasis {
    policy
        .service_type(code)
        .map_or(LegalBasis::PublicTask, |s| s.legal_basis)
}

fn line(policy: &Policy, t: &TrajectoryRow, basis: LegalBasis, goals: usize) -> TrajectoryLine {
    TrajectoryLine {
        id: t.id,
        service: t.service_type.clone(),
        service_name: service_name(policy, &t.service_type),
        legal_basis: legal_basis_code(basis),
        opened_on: t.opened_on,
        closed_on: t.closed_on,
        goals,
    }
}

impl Gathered {
    fn lines(&self, policy: &Policy) -> (Vec<TrajectoryLine>, Vec<TrajectoryLine>) {
        (
            self.eligible
                .iter()
                .map(|(t, b, g)| line(policy, t, *b, g.len()))
                .collect(),
            self.excluded
                .iter()
                .map(|(t, b)| line(policy, t, *b, 0))
                .collect(),
        )
    }

    fn file(
        &self,
        policy: &Policy,
        prepared_on: NaiveDate,
        recipient: Option<(&str, &str)>,
    ) -> docs::Portability {
        let org = policy.organisation();
        let p = &self.person;
        docs::Portability {
            schema: docs::PORTABILITY_SCHEMA.to_owned(),
            controller: docs::PortabilityController {
                name: org.name.clone(),
                legal_name: org.legal_name.clone(),
                website: org.website.clone(),
            },
            request: docs::PortabilityRequest {
                reference: self.request.reference.clone(),
                received_on: self.request.received_on.to_string(),
                prepared_on: prepared_on.to_string(),
            },
            recipient: recipient.map(|(name, country)| docs::PortabilityRecipient {
                name: name.to_owned(),
                country: country.to_owned(),
            }),
            subject: docs::PortabilitySubject {
                name: p.name.clone(),
                birth_date: p.birth_date.clone(),
                // A confidential address leaves only on the client's own request (as in
                // the access copy: fail closed).
                address: if p.confidential && !self.by_client {
                    None
                } else {
                    p.address.clone()
                },
                phone: p.phone.clone(),
                email: p.email.clone(),
            },
            trajectories: self
                .eligible
                .iter()
                .map(|(t, basis, goals)| docs::PortabilityTrajectory {
                    service: t.service_type.clone(),
                    service_name: service_name(policy, &t.service_type),
                    legal_basis: legal_basis_code(*basis).to_owned(),
                    opened_on: t.opened_on.to_string(),
                    closed_on: t.closed_on.map(|d| d.to_string()),
                    goals: goals
                        .iter()
                        .map(|g| docs::PortabilityGoal {
                            title: g.title.clone(),
                            progress: g.progress,
                            set_on: g.set_on.to_string(),
                        })
                        .collect(),
                })
                .collect(),
            not_included: not_included_nl(),
        }
    }
}

fn not_included_nl() -> Vec<String> {
    [
        "Verslagen, plannen, rapporten en e-mailsamenvattingen: die schreven onze medewerkers of anderen, u gaf ze ons niet zelf.",
        "Werkaantekeningen van medewerkers.",
        "Delen van het dossier die niet aan u worden getoond, en gegevens over anderen.",
        "Trajecten die wij verwerken op grond van een wettelijke taak of verplichting: daarop is het recht op overdraagbaarheid niet van toepassing. Een kopie daarvan kunt u wel vragen (inzage).",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect()
}

fn export_line(
    e: &ExportRow,
    reference: &str,
    recipient_name: Option<String>,
    now: DateTime<Utc>,
) -> ExportLine {
    ExportLine {
        id: e.id,
        request: e.request_id,
        reference: reference.to_owned(),
        destination: if e.destination == "organisation" {
            Destination::Organisation
        } else {
            Destination::Client
        },
        recipient_name,
        recipient_country: e.recipient_country.clone(),
        prepared_at: e.prepared_at,
        available_until: e.available_until,
        downloaded_at: e.downloaded_at,
        downloaded_by: e.downloaded_by,
        available: e.held && e.available_until > now,
        size_bytes: e.size_bytes,
    }
}

impl App {
    /// The request, if it is one for portability; anything else is "not found" here.
    /// Anyone but the privacy officer is refused first, without a look at the request.
    async fn portability_request(&self, actor: &Actor, id: Uuid) -> CoreResult<RightsRequestRow> {
        if !self.capability(actor, AuditAction::Export, Target::Request)? {
            return Err(CoreError::NotAllowed(
                "the privacy officer handles portability requests".into(),
            ));
        }
        let tx = self.store.read_tx().await?;
        let request = zv_store::requests::request_meta(&tx, id).await?;
        tx.commit().await?;
        request
            .filter(|r| RequestKind::from_code(&r.kind) == Some(RequestKind::Portability))
            .ok_or(CoreError::NotFound)
    }

    fn portability_access(action: AuditAction, request: &RightsRequestRow, detail: &str) -> Access {
        Access::new(action, AuditObject::RightsRequest, Some(request.client_id))
            .target(Target::Request)
            .object_id(request.id)
            .purpose(Purpose::RightsRequest)
            .detail(detail)
    }

    async fn erase_expired_exports(&self) -> CoreResult<()> {
        let tx = self.store.begin().await?;
        zv_store::portability::erase_expired(&tx, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads what a file may hold, on a proof for the request's client: the personal
    /// details, and the goals of the eligible trajectories only (nothing else is read).
    async fn gather_portable(
        &self,
        auth: &zv_store::Authorized,
        request: RightsRequestRow,
    ) -> CoreResult<Gathered> {
        let client = request.client_id;
        let policy = self.policy();
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, auth).await?;
        let row = zv_store::clients::get(&tx, auth, client)
            .await?
            .ok_or(CoreError::NotFound)?;
        let by_client = match request.portal_account {
            Some(account) => zv_store::portal::get_account(&tx, account)
                .await?
                .is_some_and(|a| a.client_id == Some(client)),
            None => false,
        };
        let in_scope: Vec<TrajectoryRow> = zv_store::trajectories::of_client(&tx, client)
            .await?
            .into_iter()
            .filter(|t| request.trajectories.is_empty() || request.trajectories.contains(&t.id))
            .collect();
        let mut eligible_raw = Vec::new();
        let mut excluded = Vec::new();
        for t in in_scope {
            let basis = basis_of(policy, &t.service_type);
            if !portable(basis) {
                excluded.push((t, basis));
                continue;
            }
            let rows = zv_store::entries::list_of_trajectory(&tx, auth, t.id).await?;
            let progress = zv_store::entries::progress_of_trajectory(&tx, auth, t.id).await?;
            let attachments = zv_store::attachments::list_of_trajectory(&tx, auth, t.id).await?;
            let withheld = zv_store::withholdings::active_of_trajectory(&tx, auth, t.id).await?;
            eligible_raw.push((t, basis, rows, progress, attachments, withheld));
        }
        tx.commit().await?;

        let s = Sealer { key: &key };
        let u = client.as_uuid();
        let ct = crate::clients::T;
        let person = Person {
            name: s.open(ct, "name", u, &row.name_ct)?,
            birth_date: s.open(ct, "birth_date", u, &row.birth_date_ct)?,
            address: s.open_opt(ct, "address", u, row.address_ct.as_deref())?,
            confidential: row.confidential_address,
            phone: s.open_opt(ct, "phone", u, row.phone_ct.as_deref())?,
            email: s.open_opt(ct, "email", u, row.email_ct.as_deref())?,
        };
        let mut eligible = Vec::with_capacity(eligible_raw.len());
        for (t, basis, rows, progress, attachments, withheld) in eligible_raw {
            // Only the goals: the one kind the client sets themselves. Reports, plans and
            // summaries are written by professionals or others (decision 0019).
            let goals: Vec<_> = rows
                .iter()
                .filter(|r| r.kind == EntryKind::Goal.code())
                .map(|r| entry_view(&key, r, &progress, &attachments))
                .collect::<CoreResult<Vec<_>>>()?;
            // POR-2: what the client may not see does not leave either.
            let version = crate::withholdings::client_version(
                goals,
                &crate::withholdings::open_active(&key, &withheld)?,
            );
            let goals = version
                .entries
                .iter()
                .filter_map(|e| match e {
                    ClientEntry::Entry(e) => Some(Goal {
                        title: e.title.render(|_| "[weggelaten]".to_owned()),
                        progress: e.progress,
                        set_on: e.created_at.date_naive(),
                    }),
                    ClientEntry::Withheld(_) => None,
                })
                .collect();
            eligible.push((t, basis, goals));
        }
        Ok(Gathered {
            request,
            by_client,
            person,
            eligible,
            excluded,
        })
    }

    /// Which trajectories are in the file and which are excluded with their basis, the
    /// files prepared before, and whether the client can receive one in the portal. A
    /// recorded read.
    pub async fn portability_preview(
        &self,
        actor: &Actor,
        request: Uuid,
    ) -> CoreResult<PortabilityPreview> {
        let request = self.portability_request(actor, request).await?;
        self.erase_expired_exports().await?;
        let auth = self
            .authorize_read(
                actor,
                Self::portability_access(AuditAction::Read, &request, "portability: preview"),
            )
            .await?;
        let g = self.gather_portable(&auth, request).await?;
        let (eligible, excluded) = g.lines(self.policy());
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let account = zv_store::portal::account_of_client(&tx, g.request.client_id).await?;
        let rows = zv_store::portability::of_request(&tx, g.request.id).await?;
        tx.commit().await?;
        let now = self.now();
        let s = Sealer { key: &key };
        let exports = rows
            .iter()
            .map(|e| {
                let name = e
                    .recipient_name_ct
                    .as_deref()
                    .map(|ct| s.open(T_EXPORTS, "recipient_name", e.id, ct))
                    .transpose()?;
                Ok(export_line(e, &g.request.reference, name, now))
            })
            .collect::<CoreResult<Vec<_>>>()?;
        Ok(PortabilityPreview {
            request: g.request.id,
            reference: g.request.reference.clone(),
            received_on: g.request.received_on,
            status: g.request.status.clone(),
            client: g.request.client_id,
            client_name: g.person.name.clone(),
            eligible,
            excluded,
            client_portal_account: account.is_some(),
            exports,
        })
    }

    /// Prepares the file for its destination: reads the client's provided data as an
    /// export (NEN 7513), writes the JSON, seals it with the client's key and holds it
    /// for its one download. A recipient outside the EEA, or without a name, is refused
    /// before anything is read or written.
    pub async fn prepare_portability(
        &self,
        actor: &Actor,
        request: Uuid,
        destination: DestinationInput,
    ) -> CoreResult<PreparedExport> {
        let recipient = match &destination {
            DestinationInput::Client => None,
            DestinationInput::Organisation { name, country } => {
                if let Some((field, problem)) = recipient_problems(name, country).first() {
                    return Err(CoreError::invalid(field, problem.message()));
                }
                Some((name.trim().to_owned(), country.trim().to_ascii_uppercase()))
            }
        };
        let request = self.portability_request(actor, request).await?;
        let prepared_by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("the privacy officer prepares files".into()))?;
        self.erase_expired_exports().await?;
        // Which trajectories are portable is known from their service types alone, so a
        // request with none is refused before any of the client's data is read.
        let tx = self.store.read_tx().await?;
        let any_portable = zv_store::trajectories::of_client(&tx, request.client_id)
            .await?
            .iter()
            .filter(|t| request.trajectories.is_empty() || request.trajectories.contains(&t.id))
            .any(|t| portable(basis_of(self.policy(), &t.service_type)));
        tx.commit().await?;
        if !any_portable {
            return Err(CoreError::Conflict(NOTHING_PORTABLE.into()));
        }
        let detail = match &recipient {
            None => "portability: prepared for the client".to_owned(),
            Some((_, country)) => {
                format!("portability: prepared for an organisation in {country}")
            }
        };
        let auth = self
            .authorize_read(
                actor,
                Self::portability_access(AuditAction::Export, &request, &detail),
            )
            .await?;
        let g = self.gather_portable(&auth, request).await?;
        if g.eligible.is_empty() {
            return Err(CoreError::Conflict(NOTHING_PORTABLE.into()));
        }
        let client = g.request.client_id;
        let account = if recipient.is_none() {
            let tx = self.store.read_tx().await?;
            let account = zv_store::portal::account_of_client(&tx, client).await?;
            tx.commit().await?;
            Some(account.map(|a| a.id).ok_or_else(|| {
                CoreError::invalid(
                    "destination",
                    "the client has no portal account to receive the file in",
                )
            })?)
        } else {
            None
        };
        let file = g.file(
            self.policy(),
            self.clock.today(),
            recipient.as_ref().map(|(n, c)| (n.as_str(), c.as_str())),
        );
        let json = zeroize::Zeroizing::new(
            docs::portability_json(&file).map_err(|e| CoreError::Internal(e.to_string()))?,
        );
        let id = Uuid::now_v7();
        let now = self.now();
        let available_until =
            now + Duration::days(i64::from(self.policy().security().access_copy_days));
        let tx = self
            .authorize_write(
                actor,
                Self::portability_access(
                    AuditAction::Update,
                    &g.request,
                    "portability: held for download",
                )
                .object_id(id),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, client).await?;
        let file_ct = key.encrypt(&json, &zv_crypto::Aad::new(T_EXPORTS, "file", id));
        let size_bytes = i64::try_from(json.len()).unwrap_or(i64::MAX);
        let s = Sealer { key: &key };
        zv_store::portability::insert(
            &tx,
            &NewExport {
                id,
                request_id: g.request.id,
                client_id: client,
                destination: if recipient.is_some() {
                    Destination::Organisation.code()
                } else {
                    Destination::Client.code()
                },
                portal_account: account,
                recipient_name_ct: recipient
                    .as_ref()
                    .map(|(name, _)| s.seal(T_EXPORTS, "recipient_name", id, name)),
                recipient_country: recipient.as_ref().map(|(_, c)| c.clone()),
                prepared_by,
                prepared_at: now,
                available_until,
                file_ct,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(PreparedExport {
            id,
            destination: if recipient.is_some() {
                Destination::Organisation
            } else {
                Destination::Client
            },
            available_until,
            size_bytes,
        })
    }

    /// The privacy officer downloads a file for an organisation, once, to send it: the
    /// download is the recorded transfer (who, when, to whom), in the transaction that
    /// takes the file out.
    pub async fn download_portability_transfer(
        &self,
        actor: &Actor,
        request: Uuid,
        export: Uuid,
    ) -> CoreResult<ExportFile> {
        let request = self.portability_request(actor, request).await?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("the privacy officer sends files".into()))?;
        self.erase_expired_exports().await?;
        let tx = self.store.read_tx().await?;
        let row = zv_store::portability::meta(&tx, export).await?;
        tx.commit().await?;
        let now = self.now();
        let row = row
            .filter(|e| {
                e.request_id == request.id
                    && e.destination == Destination::Organisation.code()
                    && e.held
                    && e.available_until > now
            })
            .ok_or(CoreError::NotFound)?;
        let country = row.recipient_country.clone().unwrap_or_default();
        let auth = self
            .authorize_read(
                actor,
                Self::portability_access(
                    AuditAction::Export,
                    &request,
                    &format!(
                        "portability: downloaded for transfer to an organisation in {country}"
                    ),
                )
                .object_id(row.id),
            )
            .await?;
        let tx = self.store.begin().await?;
        let sealed = zv_store::portability::take_file(&tx, &auth, row.id, now, Some(by))
            .await?
            .ok_or(CoreError::NotFound)?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let bytes = key.decrypt(&sealed, &zv_crypto::Aad::new(T_EXPORTS, "file", row.id))?;
        tx.commit().await?;
        Ok(ExportFile {
            file_name: format!("overdracht-{}.json", request.reference),
            bytes,
        })
    }

    /// Records the request's outcome from the eligibility: granted, partly granted or
    /// refused, with the reasons (the privacy officer's text, or the standard one naming
    /// each excluded trajectory's legal basis). For the standard reasons, what they rest
    /// on is kept sealed with the decision, so that the letter words them in its own
    /// language; the officer's own text stays as written.
    pub async fn decide_portability(
        &self,
        actor: &Actor,
        request: Uuid,
        reasons: &str,
        answer_sent_on: NaiveDate,
    ) -> CoreResult<Outcome> {
        let preview = self.portability_preview(actor, request).await?;
        let outcome = preview.outcome();
        let generated = preview.reasons_nl();
        let typed = reasons.trim();
        let own = !typed.is_empty() && !same_text(typed, &generated);
        let reasons = if own { typed.to_owned() } else { generated };
        self.decide_request(
            actor,
            request,
            OutcomeInput {
                outcome,
                reasons,
                answer_sent_on,
            },
        )
        .await?;
        if !own {
            // After the decision, so that facts are never kept for a decision that was
            // not recorded; should this step fail, the letter gives the recorded Dutch.
            self.keep_stated_facts(actor, &preview).await?;
        }
        Ok(outcome)
    }

    async fn keep_stated_facts(
        &self,
        actor: &Actor,
        preview: &PortabilityPreview,
    ) -> CoreResult<()> {
        let facts = serde_json::to_string(&preview.stated())
            .map_err(|e| CoreError::Internal(format!("portability facts: {e}")))?;
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Update,
                    AuditObject::RightsRequest,
                    Some(preview.client),
                )
                .target(Target::Request)
                .object_id(preview.request)
                .purpose(Purpose::RightsRequest)
                .detail("portability: facts of the decision's reasons for the letter"),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, preview.client).await?;
        let sealed = Sealer { key: &key }.seal(T_DECISIONS, "facts", preview.request, &facts);
        zv_store::portability::insert_decision_facts(
            &tx,
            preview.request,
            preview.client,
            sealed,
            self.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The transfers of a client's data to organisations the client chose, as recipients.
    pub async fn portability_transfers(
        &self,
        auth: &zv_store::Authorized,
    ) -> CoreResult<Vec<Transfer>> {
        let tx = self.store.read_tx().await?;
        let rows = zv_store::portability::transfers_of_client(&tx, auth).await?;
        let key = self.keys.client_key(&tx, auth).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        rows.iter()
            .filter_map(|e| {
                let ct = e.recipient_name_ct.as_deref()?;
                let at = e.downloaded_at?;
                Some((e, ct, at))
            })
            .map(|(e, ct, at)| {
                Ok(Transfer {
                    recipient_name: s.open(T_EXPORTS, "recipient_name", e.id, ct)?,
                    recipient_country: e.recipient_country.clone().unwrap_or_default(),
                    at,
                    by: e.downloaded_by,
                })
            })
            .collect()
    }

    /// The files the signed-in client may download, newest first: no content.
    pub async fn my_portability_exports(&self, actor: &Actor) -> CoreResult<Vec<ExportLine>> {
        self.my_downloads(actor, |e, reference, now| {
            export_line(e, reference, None, now)
        })
        .await
    }

    /// Issues a one-time link to download a file (see [`crate::downloads`]).
    pub async fn issue_portability_link(&self, actor: &Actor, id: Uuid) -> CoreResult<IssuedLink> {
        self.issue_download_link::<ExportRow>(actor, id).await
    }

    /// Downloads a file through its link, once (see [`crate::downloads`]).
    pub async fn download_portability(&self, actor: &Actor, token: &str) -> CoreResult<ExportFile> {
        let (file_name, bytes) = self.download_once::<ExportRow>(actor, token).await?;
        Ok(ExportFile { file_name, bytes })
    }
}

/// A file goes only to the client's own account: art. 20 is the data subject's right,
/// not a parent's or representative's.
impl crate::downloads::OneDownload for ExportRow {
    const SEALED_AS: (&'static str, &'static str) = (T_EXPORTS, "file");
    const LINK_ISSUED: &'static str = "portability: download link issued";
    const DOWNLOADED: &'static str = "portability: downloaded";

    fn purpose(own: bool) -> Option<Purpose> {
        own.then_some(Purpose::OwnAccess)
    }

    fn file_name(&self, reference: &str) -> String {
        format!("overdracht-{reference}.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recipient_is_checked_field_by_field() {
        assert!(recipient_problems("Buurtzorg Twente", "nl").is_empty());
        assert_eq!(
            recipient_problems(" ", "US"),
            vec![
                ("recipient_name", RecipientProblem::NameMissing),
                ("recipient_country", RecipientProblem::CountryOutsideEea),
            ]
        );
        assert_eq!(
            recipient_problems("Zorg AG", "CHE"),
            vec![("recipient_country", RecipientProblem::CountryNotACode)]
        );
        assert_eq!(
            recipient_problems(&"x".repeat(201), ""),
            vec![
                ("recipient_name", RecipientProblem::NameTooLong),
                ("recipient_country", RecipientProblem::CountryMissing),
            ]
        );
    }

    // promise: RTS-8
    #[test]
    fn only_consent_and_contract_are_portable_and_the_outcome_follows() {
        assert!(portable(LegalBasis::Consent) && portable(LegalBasis::Contract));
        for b in [
            LegalBasis::PublicTask,
            LegalBasis::LegalObligation,
            LegalBasis::LegitimateInterest,
        ] {
            assert!(!portable(b));
        }
        assert_eq!(outcome_of(0, 3), Outcome::Refused);
        assert_eq!(outcome_of(0, 0), Outcome::Refused);
        assert_eq!(outcome_of(1, 0), Outcome::Granted);
        assert_eq!(outcome_of(1, 1), Outcome::PartlyGranted);
    }

    fn trajectory(service: &str, opened_on: &str, basis: &str) -> StatedTrajectory {
        StatedTrajectory {
            service: service.to_owned(),
            opened_on: opened_on.parse().unwrap(),
            legal_basis: basis.to_owned(),
        }
    }

    // promise: RTS-8
    #[test]
    fn the_reasons_name_each_service_and_its_basis_in_the_letters_language() {
        let policy = zv_policy::parse(include_str!("../../../policies/levgroep.toml")).unwrap();
        let facts = StatedFacts {
            eligible: vec![trajectory("groepsactiviteiten", "2026-03-01", "consent")],
            excluded: vec![trajectory("amw", "2026-02-01", "public_task")],
        };
        let words = |language| {
            let name = |code: &str| crate::requests::service_name(&policy, code, language);
            reasons_in(&facts, language, &name)
        };
        assert_eq!(
            words(LetterLanguage::Nl),
            [
                "U ontvangt de gegevens die u ons zelf gaf bij: ‘Groepsactiviteiten, cursussen en workshops’ (gestart op 1 maart 2026).",
                "Het hulptraject ‘Algemeen maatschappelijk werk’ (gestart op 1 februari 2026): deze gegevens verwerken wij op grond van een taak van algemeen belang. Het recht op overdraagbaarheid (artikel 20 AVG) geldt alleen voor gegevens die wij verwerken op grond van uw toestemming of een overeenkomst. Het geldt dus niet voor deze gegevens.",
            ]
        );
        assert_eq!(
            words(LetterLanguage::En),
            [
                "You receive the data you gave us yourself for: ‘Group activities, courses and workshops’ (started on 1 March 2026).",
                "The service ‘General social work’ (started on 1 February 2026): we process this data on the basis of a task in the public interest. The right to data portability (article 20 GDPR) only applies to data we process on the basis of your consent or a contract. So it does not apply to this data.",
            ]
        );
        let nothing = StatedFacts::default();
        let none = reasons_in(&nothing, LetterLanguage::En, &|c: &str| c.to_owned());
        assert_eq!(
            none,
            ["There is no data to which the right to data portability (article 20 GDPR) applies."]
        );
        // A service the policy no longer has is named by its code, never left out.
        let gone = StatedFacts {
            eligible: Vec::new(),
            excluded: vec![trajectory("oud", "2020-01-02", "legal_obligation")],
        };
        let name = |code: &str| crate::requests::service_name(&policy, code, LetterLanguage::Nl);
        assert!(reasons_in(&gone, LetterLanguage::Nl, &name)[0].starts_with(
            "Het hulptraject ‘oud’ (gestart op 2 januari 2020): deze gegevens verwerken wij op grond van een wettelijke verplichting."
        ));
    }

    #[test]
    fn the_generated_text_sent_back_with_other_line_breaks_is_still_the_generated_one() {
        assert!(same_text("Eerste.\r\n\r\nTweede.", "Eerste.\n\nTweede."));
        assert!(!same_text("Eerste. Anders.", "Eerste.\n\nTweede."));
    }
}
