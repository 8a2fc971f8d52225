//! The access copy of a rights request (RTS-4, TRN-1; AVG art. 15): the privacy officer
//! opens a request for access or a copy, sees what the copy will hold, decides per
//! personal work note whether it is given (DOS-2: excluded unless released, with a
//! reason), and prepares the copy. The system assembles it: the client's personal data,
//! every trajectory in scope with its dossier as the client may see it, what was
//! withheld and on what ground, purposes, legal bases, recipients, retention terms,
//! sources, and the rights with the way to the Autoriteit Persoonsgegevens. It is
//! rendered as a Dutch PDF and a JSON file with a documented schema
//! (`docs/access-copy.md`), bundled with the attachments in one ZIP, sealed with the
//! client's key and held until the requester downloads it once or it expires.
//!
//! What the client may see is decided in one place: the dossier goes through
//! [`crate::withholdings::client_version`], exactly as the online dossier does (POR-2). A
//! confidential address is in the copy only when the client asked for it themselves; a
//! copy asked by a parent or representative, or registered without a portal account,
//! leaves it out (fail closed). A copy a parent asked for holds nothing dated before the
//! day their authority began (decision 0020), as the gate keeps it from their online
//! reading. Work notes are read only when released, and only their bodies go into the
//! copy; the privacy officer sees author, date and trajectory.
//!
//! Every step passes the gate (`access/rts4_access_copy.cedar`): preparing reads the
//! client's data as an export (NEN 7513), storing the copy and releasing a note are
//! writes with their events in their transactions, and the requester's download is an
//! export recorded under their portal account. The download link is a random token,
//! kept as a hash, valid for minutes (policy), and works once.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_documents as docs;
use zv_domain::{
    AttachmentId, AuditAction, AuditObject, Bsn, ClientId, EntryId, EntryKind, PortalAccountId,
    Purpose, TrajectoryId, UserId, WorkNoteId,
};
use zv_policy::{LegalBasis, Policy};
use zv_store::access_copies::{AccessCopyRow, NewAccessCopy, NoteReleaseRow};
use zv_store::requests::RightsRequestRow;
use zv_store::{Authorized, TrajectoryRow};

use crate::access::Target;
use crate::app::App;
use crate::entries::entry_view;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::requests::RequestKind;
use crate::withholdings::{ClientEntry, ClientText, Ground, Scope};

const T_RELEASES: &str = "access_copy_note_releases";
const T_COPIES: &str = "access_copies";
const REASON_MIN_CHARS: usize = 10;
const REASON_MAX_CHARS: usize = 2_000;

/// Who asked for the copy, as far as it decides what may be in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Requester {
    /// The client, through their own portal account.
    Client,
    /// A parent or representative, through their own portal account.
    Representative,
    /// Registered by staff without a portal account: the copy is handed over otherwise.
    NoPortalAccount,
}

/// A personal work note in scope of a request, as the privacy officer sees it: never
/// its text (DOS-2), only enough to ask its author and to decide.
#[derive(Debug, Clone, Serialize)]
pub struct NoteLine {
    pub id: WorkNoteId,
    pub trajectory: TrajectoryId,
    pub service: String,
    pub author: UserId,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    /// Released into the copy: why, by whom, when.
    pub release: Option<ReleaseView>,
}

#[derive(Clone, Serialize)]
pub struct ReleaseView {
    pub reason: String,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

impl std::fmt::Debug for ReleaseView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReleaseView({}, ***)", self.at)
    }
}

/// One trajectory in scope, counted.
#[derive(Debug, Clone, Serialize)]
pub struct TrajectoryInCopy {
    pub id: TrajectoryId,
    pub service: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    /// Entries the copy shows (with passages taken out where withheld).
    pub entries: usize,
    /// Entries withheld as a whole and named in the copy.
    pub withheld_entries: usize,
    pub attachments: usize,
}

/// Something withheld, as the copy lists it (RTS-4).
#[derive(Debug, Clone, Serialize)]
pub struct WithheldLine {
    pub trajectory: TrajectoryId,
    pub service: String,
    pub entry: EntryId,
    pub scope: Scope,
    pub ground: Ground,
}

/// A copy prepared earlier, without content.
#[derive(Debug, Clone, Serialize)]
pub struct CopyLine {
    pub id: Uuid,
    pub request: Uuid,
    pub reference: String,
    pub copy_number: i64,
    pub prepared_at: DateTime<Utc>,
    pub available_until: DateTime<Utc>,
    pub downloaded_at: Option<DateTime<Utc>>,
    /// Still held for download (not downloaded, not expired).
    pub available: bool,
    pub size_bytes: i64,
}

/// What the privacy officer sees before preparing a copy.
#[derive(Clone, Serialize)]
pub struct CopyPreview {
    pub request: Uuid,
    pub reference: String,
    pub kind: RequestKind,
    pub received_on: NaiveDate,
    pub client: ClientId,
    pub client_name: String,
    pub requester: Requester,
    /// The client has a confidential address that this copy leaves out.
    pub address_left_out: bool,
    pub trajectories: Vec<TrajectoryInCopy>,
    pub withheld: Vec<WithheldLine>,
    pub notes: Vec<NoteLine>,
    /// Copies prepared for this client so far, and of those downloaded (the first copy is
    /// free; a further one may be charged a reasonable fee, AVG art. 15(3)).
    pub prepared_for_client: u64,
    pub delivered_to_client: u64,
    pub copies: Vec<CopyLine>,
}

impl std::fmt::Debug for CopyPreview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CopyPreview({}, ***)", self.reference)
    }
}

impl CopyPreview {
    /// The next copy is a further one: not the first this client receives.
    #[must_use]
    pub fn further_copy(&self) -> bool {
        self.prepared_for_client > 0
    }
}

/// A copy just prepared.
#[derive(Debug, Clone, Serialize)]
pub struct PreparedCopy {
    pub id: Uuid,
    pub copy_number: i64,
    pub available_until: DateTime<Utc>,
    pub size_bytes: i64,
}

/// A link just issued: the token is shown this once.
#[derive(Clone, Serialize)]
pub struct IssuedLink {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for IssuedLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IssuedLink(***, {})", self.expires_at)
    }
}

/// The downloaded bundle.
pub struct CopyDownload {
    pub file_name: String,
    pub bytes: zeroize::Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for CopyDownload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CopyDownload({}, ***)", self.file_name)
    }
}

// ---------------------------------------------------------------------------------------
// What is read for a copy

/// The client's personal data as the copy shows it.
struct Person {
    name: String,
    birth_date: String,
    address: Option<String>,
    confidential: bool,
    phone: Option<String>,
    email: Option<String>,
    gender: Option<String>,
    bsn_masked: Option<String>,
}

struct Gathered {
    request: RightsRequestRow,
    requester: Requester,
    person: Person,
    trajectories: Vec<(TrajectoryRow, crate::withholdings::ClientVersion)>,
    notes: Vec<zv_store::WorkNoteRow>,
    releases: Vec<NoteReleaseRow>,
    names: HashMap<UserId, String>,
}

fn service_name(policy: &Policy, code: &str) -> String {
    policy
        .service_type(code)
        .map_or_else(|| code.to_owned(), |s| s.name_nl.clone())
}

fn is_access_request(r: &RightsRequestRow) -> bool {
    matches!(
        RequestKind::from_code(&r.kind),
        Some(RequestKind::Access | RequestKind::Copy)
    )
}

fn ground_nl(g: Ground) -> &'static str {
    match g {
        Ground::OthersData => "gegevens over anderen",
        Ground::ProtectionOfOthers => "bescherming van anderen",
        Ground::PreventionOfCrime => "voorkomen van strafbare feiten",
        Ground::Safety => "veiligheid",
    }
}

/// A text as the client may read it: a withheld passage becomes a marker naming its
/// ground (or nothing where even the fact is hidden, which [`ClientText`] already did).
fn text(t: &ClientText) -> String {
    t.render(|g| format!("{}{}]", docs::WITHHELD_MARKER, ground_nl(g)))
}

fn legal_basis_code(b: LegalBasis) -> &'static str {
    match b {
        LegalBasis::Consent => "consent",
        LegalBasis::Contract => "contract",
        LegalBasis::LegalObligation => "legal_obligation",
        LegalBasis::PublicTask => "public_task",
        LegalBasis::LegitimateInterest => "legitimate_interest",
    }
}

/// A term in Dutch words ("2 jaar", "15 jaar en 6 maanden").
fn term_nl(t: &zv_policy::Term) -> String {
    let parts: Vec<String> = [
        (t.years, "jaar", "jaar"),
        (t.months, "maand", "maanden"),
        (t.weeks, "week", "weken"),
        (t.days, "dag", "dagen"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n != 0)
    .map(|(n, one, many)| format!("{n} {}", if n.abs() == 1 { one } else { many }))
    .collect();
    match parts.as_slice() {
        [] => "0 dagen".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} en {last}", init.join(", ")),
    }
}

fn start_nl(s: zv_policy::StartEvent) -> &'static str {
    use zv_policy::StartEvent as S;
    match s {
        S::TrajectoryClosed => "na het einde van de hulp",
        S::LastChange => "na de laatste wijziging in het dossier",
        S::Recording => "na het vastleggen",
        S::EndOfEmployment => "na het einde van het dienstverband",
        S::EndOfProcedure => "na de afhandeling",
        S::RecordDate => "na de datum van het stuk",
    }
}

fn retention_of(policy: &Policy, t: &TrajectoryRow) -> (String, Option<String>) {
    match policy.service_retention_rule(&t.service_type, t.domestic_violence) {
        Some(rule) => {
            let mut words = format!("{} {}", term_nl(&rule.term), start_nl(rule.start));
            if let Some(until) = t.retention_until {
                words.push_str(&format!(" (tot {until})"));
            }
            (words, rule.note.clone())
        }
        None => ("volgens de wet".to_owned(), None),
    }
}

fn iso(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The rights of the data subject (AVG art. 15 to 22, 7(3)), and how to use them here.
fn rights_nl(org: &str) -> Vec<String> {
    [
        "Inzage: u mag altijd vragen welke gegevens wij over u hebben, en een kopie daarvan. De eerste kopie is kosteloos.",
        "Correctie: kloppen uw gegevens niet, dan vraagt u ons ze te verbeteren.",
        "Verwijdering: gegevens die wij niet meer nodig hebben, kunt u laten verwijderen, tenzij een wet ons verplicht ze te bewaren.",
        "Beperking: u kunt vragen uw gegevens tijdelijk niet te gebruiken, bijvoorbeeld zolang u hun juistheid betwist.",
        "Overdraagbaarheid: gegevens die u ons op basis van toestemming of een overeenkomst gaf, krijgt u in een leesbaar bestand, of wij sturen ze naar een andere organisatie.",
        "Bezwaar: u kunt bezwaar maken tegen een verwerking op grond van een algemeen of gerechtvaardigd belang.",
        "Toestemming intrekken: wat op uw toestemming berust, stopt zodra u die intrekt.",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain(std::iter::once(format!(
        "U doet een verzoek in het portaal van {org}, per brief of e-mail, of mondeling bij uw hulpverlener."
    )))
    .collect()
}

impl Gathered {
    fn counted(&self, policy: &Policy) -> Vec<TrajectoryInCopy> {
        self.trajectories
            .iter()
            .map(|(t, v)| TrajectoryInCopy {
                id: t.id,
                service: service_name(policy, &t.service_type),
                opened_on: t.opened_on,
                closed_on: t.closed_on,
                entries: v
                    .entries
                    .iter()
                    .filter(|e| matches!(e, ClientEntry::Entry(_)))
                    .count(),
                withheld_entries: v
                    .entries
                    .iter()
                    .filter(|e| matches!(e, ClientEntry::Withheld(_)))
                    .count(),
                attachments: v
                    .entries
                    .iter()
                    .map(|e| match e {
                        ClientEntry::Entry(e) => e.attachments.len(),
                        ClientEntry::Withheld(_) => 0,
                    })
                    .sum(),
            })
            .collect()
    }

    fn withheld(&self, policy: &Policy) -> Vec<WithheldLine> {
        self.trajectories
            .iter()
            .flat_map(|(t, v)| {
                v.withheld.iter().map(|w| WithheldLine {
                    trajectory: t.id,
                    service: service_name(policy, &t.service_type),
                    entry: w.entry,
                    scope: w.scope,
                    ground: w.ground,
                })
            })
            .collect()
    }

    fn name_of(&self, id: UserId) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| "medewerker".to_owned())
    }

    /// The copy as data: what the PDF shows and the JSON file is.
    fn copy(
        &self,
        policy: &Policy,
        copy_number: i64,
        prepared_on: NaiveDate,
        released_bodies: &HashMap<WorkNoteId, String>,
    ) -> docs::AccessCopy {
        let org = policy.organisation();
        let p = &self.person;
        let mut fields = Vec::new();
        for (label, value) in [
            ("Geslacht", &p.gender),
            ("Telefoon", &p.phone),
            ("E-mail", &p.email),
        ] {
            if let Some(v) = value {
                fields.push(docs::Field {
                    label: label.to_owned(),
                    value: v.clone(),
                });
            }
        }
        let mut has_third_party_reports = false;
        let trajectories = self
            .trajectories
            .iter()
            .map(|(t, v)| {
                let entries = v
                    .entries
                    .iter()
                    .filter_map(|e| match e {
                        ClientEntry::Entry(e) => Some(e),
                        ClientEntry::Withheld(_) => None,
                    })
                    .map(|e| {
                        has_third_party_reports |= e.kind == EntryKind::ThirdPartyReport;
                        docs::CopyEntry {
                            id: e.id.to_string(),
                            kind: e.kind.code().to_owned(),
                            created_at: iso(e.created_at),
                            author: self.name_of(e.created_by),
                            title: text(&e.title),
                            body: text(&e.body),
                            special_category: e.special_category.map(|c| c.code().to_owned()),
                            necessity: e.necessity.as_ref().map(text),
                            progress: e.progress,
                            progress_updates: e
                                .progress_updates
                                .iter()
                                .map(|u| docs::CopyProgress {
                                    at: iso(u.at),
                                    author: self.name_of(u.author),
                                    progress: u.progress,
                                    note: text(&u.note),
                                })
                                .collect(),
                            attachments: e
                                .attachments
                                .iter()
                                .map(|a| docs::CopyAttachment {
                                    id: a.id.to_string(),
                                    file_name: a.filename.clone(),
                                    content_type: a.media_type.clone(),
                                    size_bytes: u64::try_from(a.size_bytes).unwrap_or(0),
                                    file: attachment_path(a.id, &a.filename),
                                })
                                .collect(),
                        }
                    })
                    .collect();
                let work_notes = self
                    .notes
                    .iter()
                    .filter(|n| n.trajectory_id == t.id)
                    .filter_map(|n| {
                        released_bodies.get(&n.id).map(|body| docs::ReleasedNote {
                            id: n.id.to_string(),
                            author: self.name_of(n.author_id),
                            created_at: iso(n.created_at),
                            body: body.clone(),
                        })
                    })
                    .collect();
                docs::CopyTrajectory {
                    id: t.id.to_string(),
                    service: t.service_type.clone(),
                    service_name: service_name(policy, &t.service_type),
                    team: policy
                        .team(&t.team_code)
                        .map_or_else(|| t.team_code.clone(), |team| team.name.clone()),
                    opened_on: t.opened_on.to_string(),
                    closed_on: t.closed_on.map(|d| d.to_string()),
                    entries,
                    work_notes,
                }
            })
            .collect();
        let processing = self
            .trajectories
            .iter()
            .map(|(t, _)| {
                let (retention, retention_note) = retention_of(policy, t);
                docs::Processing {
                    trajectory: t.id.to_string(),
                    purpose: format!(
                        "Hulp en ondersteuning: {}",
                        service_name(policy, &t.service_type)
                    ),
                    legal_basis: policy
                        .service_type(&t.service_type)
                        .map_or("public_task", |s| legal_basis_code(s.legal_basis))
                        .to_owned(),
                    retention,
                    retention_note,
                }
            })
            .collect();
        let recipients = self
            .trajectories
            .iter()
            .map(|(t, _)| docs::Recipient {
                who: format!(
                    "Medewerkers van {} ({})",
                    org.name,
                    policy
                        .team(&t.team_code)
                        .map_or_else(|| t.team_code.clone(), |team| team.name.clone())
                ),
                what: format!(
                    "De medewerkers die aan uw traject {} zijn toegewezen, lezen en schrijven het dossier. Wat aan organisaties buiten {} is verstrekt, staat hieronder.",
                    service_name(policy, &t.service_type),
                    org.name
                ),
            })
            .collect();
        let mut sources = vec![
            "Uzelf: wat u ons vertelde en gaf, in gesprekken, per e-mail of in het portaal."
                .to_owned(),
            format!(
                "Medewerkers van {} die uw dossier bijhouden: verslagen, doelen en plannen.",
                org.name
            ),
        ];
        if has_third_party_reports {
            sources.push(
                "Anderen die over u rapporteerden, zoals een huisarts of school: zie de items \"Rapport van anderen\"."
                    .to_owned(),
            );
        }
        docs::AccessCopy {
            schema: docs::ACCESS_COPY_SCHEMA.to_owned(),
            organisation: organisation_of(policy),
            request: docs::CopyRequest {
                reference: self.request.reference.clone(),
                kind: self.request.kind.clone(),
                received_on: self.request.received_on.to_string(),
                prepared_on: prepared_on.to_string(),
                copy_number: u32::try_from(copy_number).unwrap_or(u32::MAX),
            },
            subject: docs::Subject {
                id: self.request.client_id.to_string(),
                name: p.name.clone(),
                birth_date: p.birth_date.clone(),
                address: if p.confidential && self.requester != Requester::Client {
                    None
                } else {
                    p.address.clone()
                },
                bsn: p.bsn_masked.clone(),
                fields,
            },
            trajectories,
            withheld: self
                .trajectories
                .iter()
                .flat_map(|(t, v)| {
                    v.withheld.iter().map(|w| docs::WithheldPart {
                        trajectory: service_name(policy, &t.service_type),
                        entry: w.entry.to_string(),
                        scope: w.scope.code().to_owned(),
                        ground: w.ground.code().to_owned(),
                    })
                })
                .collect(),
            processing,
            recipients,
            other_records: Vec::new(),
            sources,
            rights: rights_nl(&org.name),
            supervisory_authority: authority_of(policy),
        }
    }
}

impl App {
    /// What the registers beside the dossier hold about the client, for the access copy
    /// (RTS-4: all personal data): every consent, and every complaint about a trajectory
    /// in the copy's scope or about none in particular. Read with the copy's own proof.
    async fn copy_other_records(
        &self,
        auth: &Authorized,
        key: &zv_crypto::DataKey,
        scope: &[TrajectoryId],
    ) -> CoreResult<Vec<docs::OtherRecord>> {
        let tx = self.store.read_tx().await?;
        let mut out = crate::consents::copy_records(&tx, auth, key).await?;
        out.extend(crate::complaints::copy_records(&tx, auth, key, scope).await?);
        tx.commit().await?;
        out.sort_by(|a, b| a.on.cmp(&b.on));
        Ok(out)
    }
}

/// The organisation as a document names it, from the policy: who answers, and how to
/// complain to it. Shared by the access copy and the decision letters.
pub(crate) fn organisation_of(policy: &Policy) -> docs::CopyOrganisation {
    let org = policy.organisation();
    let officer = policy.privacy_officer();
    docs::CopyOrganisation {
        name: org.name.clone(),
        legal_name: org.legal_name.clone(),
        address: org.address.clone(),
        website: org.website.clone(),
        privacy_officer: docs::Contact {
            name: officer.name.clone(),
            email: officer.email.clone(),
            phone: officer.phone.clone(),
        },
        complaints: policy.complaints().channels.clone(),
    }
}

/// The Autoriteit Persoonsgegevens as the policy names it.
pub(crate) fn authority_of(policy: &Policy) -> docs::Authority {
    let a = &policy.complaints().supervisory_authority;
    docs::Authority {
        name: a.name.clone(),
        website: a.website.clone(),
        phone: a.phone.clone(),
        postal_address: a.postal_address.clone(),
    }
}

/// Where an attachment sits in the download: its id keeps two files of one name apart.
fn attachment_path(id: AttachmentId, name: &str) -> String {
    let short: String = id.to_string().chars().take(8).collect();
    format!("bijlagen/{short}-{}", docs::safe_file_name(name))
}

fn checked_reason(reason: &str) -> CoreResult<String> {
    let reason = reason.trim();
    let n = reason.chars().count();
    if n < REASON_MIN_CHARS {
        return Err(CoreError::invalid(
            "reason",
            format!("state the reason in at least {REASON_MIN_CHARS} characters"),
        ));
    }
    if n > REASON_MAX_CHARS {
        return Err(CoreError::invalid(
            "reason",
            format!("the field is longer than {REASON_MAX_CHARS} characters"),
        ));
    }
    Ok(reason.to_owned())
}

fn copy_line(c: &AccessCopyRow, reference: &str, now: DateTime<Utc>) -> CopyLine {
    CopyLine {
        id: c.id,
        request: c.request_id,
        reference: reference.to_owned(),
        copy_number: c.copy_number,
        prepared_at: c.prepared_at,
        available_until: c.available_until,
        downloaded_at: c.downloaded_at,
        available: c.held && c.available_until > now,
        size_bytes: c.size_bytes,
    }
}

impl App {
    /// The request, if it is one for access or a copy; anything else is "not found" here.
    async fn access_request(&self, id: Uuid) -> CoreResult<RightsRequestRow> {
        let tx = self.store.read_tx().await?;
        let request = zv_store::requests::request_meta(&tx, id).await?;
        tx.commit().await?;
        request.filter(is_access_request).ok_or(CoreError::NotFound)
    }

    /// The access the privacy officer's work on a request's copy is decided and recorded as.
    fn copy_access(action: AuditAction, request: &RightsRequestRow, detail: &str) -> Access {
        Access::new(action, AuditObject::RightsRequest, Some(request.client_id))
            .target(Target::Request)
            .object_id(request.id)
            .purpose(Purpose::RightsRequest)
            .detail(detail)
    }

    /// Reads everything a copy may hold, on a proof for the request's client.
    async fn gather(&self, auth: &Authorized, request: RightsRequestRow) -> CoreResult<Gathered> {
        let client = request.client_id;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, auth).await?;
        let row = zv_store::clients::get(&tx, auth, client)
            .await?
            .ok_or(CoreError::NotFound)?;
        let requester = match request.portal_account {
            Some(account) => match zv_store::portal::get_account(&tx, account).await? {
                Some(a) if a.client_id == Some(client) => Requester::Client,
                Some(_) => Requester::Representative,
                None => Requester::NoPortalAccount,
            },
            None => Requester::NoPortalAccount,
        };
        // MIN: a parent's rights start on the day their authority began; the copy a
        // parent asked for holds nothing dated before it, exactly as the gate keeps it
        // from the parent's online reading (`min-parent-not-before-authority`).
        let authority_since = match (requester, request.portal_account) {
            (Requester::Representative, Some(account)) => {
                zv_store::minors::link_facts(&tx, account, client)
                    .await?
                    .and_then(|link| {
                        let parent = link
                            .person
                            .relation
                            .parse::<zv_domain::RelationKind>()
                            .is_ok_and(|k| {
                                crate::access::Relation::of(k) == crate::access::Relation::Parent
                            });
                        parent.then_some(link.person.authority_since).flatten()
                    })
            }
            _ => None,
        };
        let dated_before = |at: DateTime<Utc>| {
            authority_since.is_some_and(|since| crate::minors::local_date(at) < since)
        };
        let all = zv_store::trajectories::of_client(&tx, client).await?;
        let in_scope: Vec<TrajectoryRow> = all
            .into_iter()
            .filter(|t| request.trajectories.is_empty() || request.trajectories.contains(&t.id))
            .collect();
        let mut raw = Vec::with_capacity(in_scope.len());
        let mut authors: Vec<UserId> = Vec::new();
        for t in in_scope {
            let mut rows = zv_store::entries::list_of_trajectory(&tx, auth, t.id).await?;
            rows.retain(|r| !dated_before(r.created_at));
            let progress = zv_store::entries::progress_of_trajectory(&tx, auth, t.id).await?;
            let attachments = zv_store::attachments::list_of_trajectory(&tx, auth, t.id).await?;
            let mut withheld =
                zv_store::withholdings::active_of_trajectory(&tx, auth, t.id).await?;
            // What is left out for the date is not listed as withheld either: it is
            // outside what this requester may ask about at all.
            withheld.retain(|w| rows.iter().any(|r| r.id == w.entry_id));
            authors.extend(rows.iter().map(|r| r.created_by));
            authors.extend(progress.iter().map(|p| p.author_id));
            raw.push((t, rows, progress, attachments, withheld));
        }
        let ids: Vec<TrajectoryId> = raw.iter().map(|(t, ..)| t.id).collect();
        let mut notes = zv_store::access_copies::work_notes_for_request(&tx, auth, &ids).await?;
        notes.retain(|n| !dated_before(n.created_at));
        let releases = zv_store::access_copies::releases_of_request(&tx, auth, request.id).await?;
        authors.extend(notes.iter().map(|n| n.author_id));
        authors.extend(releases.iter().map(|r| r.released_by));
        authors.sort_unstable();
        authors.dedup();
        let names = zv_store::staff::names_of(&tx, &authors).await?;
        tx.commit().await?;

        let s = Sealer { key: &key };
        let u = client.as_uuid();
        let t = crate::clients::T;
        let person = Person {
            name: s.open(t, "name", u, &row.name_ct)?,
            birth_date: s.open(t, "birth_date", u, &row.birth_date_ct)?,
            address: s.open_opt(t, "address", u, row.address_ct.as_deref())?,
            confidential: row.confidential_address,
            phone: s.open_opt(t, "phone", u, row.phone_ct.as_deref())?,
            email: s.open_opt(t, "email", u, row.email_ct.as_deref())?,
            gender: s
                .open_opt(t, "gender", u, row.gender_ct.as_deref())?
                .filter(|g| g != "unknown"),
            bsn_masked: s
                .open_opt(t, "bsn", u, row.bsn_ct.as_deref())?
                .as_deref()
                .and_then(|b| Bsn::parse(b).ok())
                .map(|b| b.masked()),
        };
        let mut trajectories = Vec::with_capacity(raw.len());
        for (t, rows, progress, attachments, withheld) in raw {
            let entries = rows
                .iter()
                .map(|r| entry_view(&key, r, &progress, &attachments))
                .collect::<CoreResult<Vec<_>>>()?;
            // POR-2: the one function that decides what the client may see.
            let version = crate::withholdings::client_version(
                entries,
                &crate::withholdings::open_active(&key, &withheld)?,
            );
            trajectories.push((t, version));
        }
        Ok(Gathered {
            request,
            requester,
            person,
            trajectories,
            notes,
            releases,
            names,
        })
    }

    fn note_lines(&self, g: &Gathered, key: &zv_crypto::DataKey) -> CoreResult<Vec<NoteLine>> {
        let s = Sealer { key };
        g.notes
            .iter()
            .map(|n| {
                let release = g
                    .releases
                    .iter()
                    .find(|r| r.work_note_id == n.id)
                    .map(|r| {
                        Ok::<_, CoreError>(ReleaseView {
                            reason: s.open(T_RELEASES, "reason", n.id.as_uuid(), &r.reason_ct)?,
                            by: r.released_by,
                            at: r.released_at,
                        })
                    })
                    .transpose()?;
                let service = g
                    .trajectories
                    .iter()
                    .find(|(t, _)| t.id == n.trajectory_id)
                    .map(|(t, _)| service_name(self.policy(), &t.service_type))
                    .unwrap_or_default();
                Ok(NoteLine {
                    id: n.id,
                    trajectory: n.trajectory_id,
                    service,
                    author: n.author_id,
                    author_name: g.name_of(n.author_id),
                    created_at: n.created_at,
                    release,
                })
            })
            .collect()
    }

    /// Copies not downloaded in time are erased (RTS-4: held until downloaded or
    /// expired). Run wherever copies are listed, so an expired one never lingers.
    async fn erase_expired_copies(&self) -> CoreResult<()> {
        let tx = self.store.begin().await?;
        zv_store::access_copies::erase_expired(&tx, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// What the copy of an access or copy request will hold, for the privacy officer:
    /// the trajectories in scope with their counts, what is withheld and why, the work
    /// notes to decide on, and the copies this client had before. A recorded read.
    pub async fn access_copy_preview(
        &self,
        actor: &Actor,
        request: Uuid,
    ) -> CoreResult<CopyPreview> {
        let request = self.access_request(request).await?;
        self.erase_expired_copies().await?;
        let auth = self
            .authorize_read(
                actor,
                Self::copy_access(AuditAction::Read, &request, "access copy: preview"),
            )
            .await?;
        let g = self.gather(&auth, request).await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let client = g.request.client_id;
        let prepared = zv_store::access_copies::count_of_client(&tx, client).await?;
        let delivered = zv_store::access_copies::delivered_of_client(&tx, client).await?;
        let copies = zv_store::access_copies::of_request(&tx, g.request.id).await?;
        tx.commit().await?;
        let now = self.now();
        Ok(CopyPreview {
            request: g.request.id,
            reference: g.request.reference.clone(),
            kind: RequestKind::from_code(&g.request.kind).unwrap_or(RequestKind::Access),
            received_on: g.request.received_on,
            client,
            client_name: g.person.name.clone(),
            requester: g.requester,
            address_left_out: g.person.confidential
                && g.person.address.is_some()
                && g.requester != Requester::Client,
            trajectories: g.counted(self.policy()),
            withheld: g.withheld(self.policy()),
            notes: self.note_lines(&g, &key)?,
            prepared_for_client: prepared,
            delivered_to_client: delivered,
            copies: copies
                .iter()
                .map(|c| copy_line(c, &g.request.reference, now))
                .collect(),
        })
    }

    /// Releases one personal work note into the copy of a request (DOS-2 gives way to
    /// the right of access where no one else's rights oppose; the privacy officer decides
    /// per note and says why). The note must be the client's, on a trajectory in scope.
    pub async fn release_work_note(
        &self,
        actor: &Actor,
        request: Uuid,
        note: WorkNoteId,
        reason: &str,
    ) -> CoreResult<()> {
        let reason = checked_reason(reason)?;
        let request = self.access_request(request).await?;
        let by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("the privacy officer releases notes".into()))?;
        let tx = self.store.read_tx().await?;
        let owner = zv_store::work_notes::owner_of(&tx, note).await?;
        tx.commit().await?;
        let in_scope = owner.is_some_and(|(_, trajectory, client)| {
            client == request.client_id
                && (request.trajectories.is_empty() || request.trajectories.contains(&trajectory))
        });
        if !in_scope {
            return Err(CoreError::NotFound);
        }
        let tx = self
            .authorize_write(
                actor,
                Self::copy_access(
                    AuditAction::Update,
                    &request,
                    &format!("access copy: work note {note} released"),
                ),
            )
            .await?;
        let key = self
            .keys
            .client_key_for_write(&tx, request.client_id)
            .await?;
        zv_store::access_copies::release_note(
            &tx,
            &NoteReleaseRow {
                request_id: request.id,
                work_note_id: note,
                client_id: request.client_id,
                reason_ct: Sealer { key: &key }.seal(T_RELEASES, "reason", note.as_uuid(), &reason),
                released_by: by,
                released_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes a release back: the note stays out of copies prepared from now on.
    pub async fn withdraw_work_note_release(
        &self,
        actor: &Actor,
        request: Uuid,
        note: WorkNoteId,
    ) -> CoreResult<()> {
        let request = self.access_request(request).await?;
        let tx = self
            .authorize_write(
                actor,
                Self::copy_access(
                    AuditAction::Update,
                    &request,
                    &format!("access copy: release of work note {note} withdrawn"),
                ),
            )
            .await?;
        zv_store::access_copies::withdraw_release(&tx, request.id, note).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Prepares the copy: reads the client's data as an export (NEN 7513), renders the
    /// PDF and the JSON, bundles them with the attachments, seals the bundle with the
    /// client's key and holds it for the requester's one download.
    pub async fn prepare_access_copy(
        &self,
        actor: &Actor,
        request: Uuid,
    ) -> CoreResult<PreparedCopy> {
        let request = self.access_request(request).await?;
        let prepared_by = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("the privacy officer prepares copies".into()))?;
        self.erase_expired_copies().await?;
        let auth = self
            .authorize_read(
                actor,
                Self::copy_access(AuditAction::Export, &request, "access copy: prepared"),
            )
            .await?;
        let g = self.gather(&auth, request).await?;
        let client = g.request.client_id;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let earlier = zv_store::access_copies::count_of_client(&tx, client).await?;
        // The copy goes to the account that filed the request, or else to the client's
        // own account; without either there is nothing to download in the portal.
        let account: Option<PortalAccountId> = match g.request.portal_account {
            Some(a) => Some(a),
            None => zv_store::portal::account_of_client(&tx, client)
                .await?
                .map(|a| a.id),
        };
        let mut released = HashMap::new();
        for r in &g.releases {
            if let Some(n) = g.notes.iter().find(|n| n.id == r.work_note_id) {
                released.insert(n.id, crate::work_notes::open_note(&key, n)?.body);
            }
        }
        tx.commit().await?;
        let copy_number = i64::try_from(earlier).unwrap_or(i64::MAX).saturating_add(1);
        let mut copy = g.copy(self.policy(), copy_number, self.clock.today(), &released);
        // RTS-8: data sent to an organisation the client chose is a recipient too.
        let mut outside = false;
        for t in self.portability_transfers(&auth).await? {
            outside = true;
            copy.recipients.push(docs::Recipient {
                who: format!("{} ({})", t.recipient_name, t.recipient_country),
                what: format!(
                    "Op uw verzoek om overdraagbaarheid zijn de gegevens die u ons gaf aan deze organisatie verstrekt op {}.",
                    t.at.date_naive()
                ),
            });
        }
        // SHR-1, SHR-4: what left to organisations outside, on which ground, except what
        // a safety reason keeps from the client.
        let in_scope = |t: TrajectoryId| g.trajectories.iter().any(|(row, _)| row.id == t);
        for d in self.client_disclosures(&auth).await? {
            if in_scope(d.trajectory) {
                outside = true;
                copy.recipients.push(crate::disclosures::copy_recipient(&d));
            }
        }
        let scope: Vec<TrajectoryId> = g.trajectories.iter().map(|(row, _)| row.id).collect();
        copy.other_records = self.copy_other_records(&auth, &key, &scope).await?;
        if !outside {
            copy.recipients.push(docs::Recipient {
                who: "Organisaties buiten ".to_owned() + &self.policy().organisation().name,
                what: "Er is niets aan organisaties buiten ons verstrekt dat is vastgelegd."
                    .to_owned(),
            });
        }
        // The attachments the client may see go into the bundle as files.
        let mut files: Vec<(String, zeroize::Zeroizing<Vec<u8>>)> = Vec::new();
        for (_, v) in &g.trajectories {
            for e in &v.entries {
                let ClientEntry::Entry(e) = e else { continue };
                for a in &e.attachments {
                    let sealed = zv_store::blobs::get(&self.store, &auth, a.id).await?;
                    let bytes = key.decrypt(
                        &sealed,
                        &zv_crypto::Aad::new(crate::attachments::T, "content", a.id.as_uuid()),
                    )?;
                    files.push((attachment_path(a.id, &a.filename), bytes));
                }
            }
        }
        // The decrypted dossier is in `copy` now; only the request is needed further.
        let request_row = g.request.clone();
        drop(g);
        // Rendering is CPU work; it runs off the async workers. Each file goes into the
        // archive as soon as it exists and is dropped there: the PDFs part by part, the
        // JSON written straight in, the attachments one by one (issue 5's memory target).
        let bundle =
            tokio::task::spawn_blocking(move || -> Result<Vec<u8>, docs::DocumentError> {
                let mut zip = docs::BundleWriter::new();
                docs::render_access_copy_each(&copy, |name, pdf| zip.add(name, &pdf))?;
                zip.add_with("kopie.json", false, |w| {
                    docs::write_access_copy_json(&copy, w)
                })?;
                drop(copy);
                for (name, bytes) in files {
                    zip.add(&name, &bytes)?;
                }
                zip.finish()
            })
            .await
            .map_err(|e| CoreError::Internal(format!("rendering the copy: {e}")))?
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        let bundle = zeroize::Zeroizing::new(bundle);
        let id = Uuid::now_v7();
        let now = self.now();
        let available_until =
            now + Duration::days(i64::from(self.policy().security().access_copy_days));
        let tx = self
            .authorize_write(
                actor,
                Self::copy_access(
                    AuditAction::Update,
                    &request_row,
                    "access copy: held for download",
                )
                .object_id(id),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, client).await?;
        let bundle_ct = key.encrypt(&bundle, &zv_crypto::Aad::new(T_COPIES, "bundle", id));
        let size_bytes = i64::try_from(bundle.len()).unwrap_or(i64::MAX);
        drop(bundle);
        zv_store::access_copies::insert(
            &tx,
            NewAccessCopy {
                id,
                request_id: request_row.id,
                client_id: client,
                portal_account: account,
                copy_number,
                prepared_by,
                prepared_at: now,
                available_until,
                bundle_ct,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(PreparedCopy {
            id,
            copy_number,
            available_until,
            size_bytes,
        })
    }

    /// The copies the signed-in portal account may download, newest first: no content,
    /// only references and dates.
    pub async fn my_access_copies(&self, actor: &Actor) -> CoreResult<Vec<CopyLine>> {
        self.my_downloads(actor, copy_line).await
    }

    /// Issues a one-time link to download a copy (see [`crate::downloads`]).
    pub async fn issue_access_copy_link(&self, actor: &Actor, id: Uuid) -> CoreResult<IssuedLink> {
        self.issue_download_link::<AccessCopyRow>(actor, id).await
    }

    /// Downloads a copy through its link, once (see [`crate::downloads`]).
    pub async fn download_access_copy(
        &self,
        actor: &Actor,
        token: &str,
    ) -> CoreResult<CopyDownload> {
        let (file_name, bytes) = self.download_once::<AccessCopyRow>(actor, token).await?;
        Ok(CopyDownload { file_name, bytes })
    }
}

/// A copy goes to the account that filed the request: the client's own, or a parent's
/// or representative's, whose download is recorded as such.
impl crate::downloads::OneDownload for AccessCopyRow {
    const SEALED_AS: (&'static str, &'static str) = (T_COPIES, "bundle");
    const LINK_ISSUED: &'static str = "access copy: download link issued";
    const DOWNLOADED: &'static str = "access copy: downloaded";

    fn purpose(own: bool) -> Option<Purpose> {
        Some(if own {
            Purpose::OwnAccess
        } else {
            Purpose::RepresentativeAccess
        })
    }

    fn file_name(&self, reference: &str) -> String {
        format!("inzage-{reference}-{}.zip", self.copy_number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::withholdings::TextPart;

    #[test]
    fn terms_read_in_dutch() {
        assert_eq!(term_nl(&zv_policy::Term::years(2)), "2 jaar");
        let t = zv_policy::Term {
            years: 15,
            months: 1,
            weeks: 2,
            days: 0,
        };
        assert_eq!(term_nl(&t), "15 jaar, 1 maand en 2 weken");
    }

    #[test]
    fn a_withheld_passage_reads_as_a_marker_with_its_ground() {
        let t = ClientText {
            parts: vec![
                TextPart::Text {
                    text: "Moeder vertelde dat ".to_owned(),
                },
                TextPart::Withheld {
                    ground: Ground::OthersData,
                },
                TextPart::Text {
                    text: ".".to_owned(),
                },
            ],
        };
        assert_eq!(
            text(&t),
            "Moeder vertelde dat [weggelaten: gegevens over anderen]."
        );
    }

    #[test]
    fn a_release_needs_a_reason() {
        assert!(matches!(
            checked_reason("kort"),
            Err(CoreError::Invalid {
                field: "reason",
                ..
            })
        ));
        assert_eq!(
            checked_reason("  geen rechten van anderen in het geding ").unwrap(),
            "geen rechten van anderen in het geding"
        );
    }

    fn gathered(requester: Requester, confidential: bool) -> Gathered {
        Gathered {
            request: RightsRequestRow {
                id: Uuid::now_v7(),
                reference: "VZ-2026-000001".to_owned(),
                client_id: ClientId::new(),
                kind: "copy".to_owned(),
                scope: "all".to_owned(),
                trajectories: Vec::new(),
                channel: "portal".to_owned(),
                received_on: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
                status: "received".to_owned(),
                text_ct: None,
                portal_account: None,
                created_at: Utc::now(),
            },
            requester,
            person: Person {
                name: "Amal Haddad".to_owned(),
                birth_date: "1984-05-06".to_owned(),
                address: Some("Schuilhuisweg 7".to_owned()),
                confidential,
                phone: None,
                email: None,
                gender: None,
                bsn_masked: None,
            },
            trajectories: Vec::new(),
            notes: Vec::new(),
            releases: Vec::new(),
            names: HashMap::new(),
        }
    }

    // promise: RTS-4
    #[test]
    fn a_confidential_address_is_only_in_a_copy_the_client_asked_for_themselves() {
        let policy = zv_policy::parse(include_str!("../../../policies/levgroep.toml")).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let none = HashMap::new();
        let address = |r, confidential| {
            gathered(r, confidential)
                .copy(&policy, 1, day, &none)
                .subject
                .address
        };
        assert_eq!(
            address(Requester::Client, true).as_deref(),
            Some("Schuilhuisweg 7")
        );
        assert_eq!(address(Requester::Representative, true), None);
        assert_eq!(address(Requester::NoPortalAccount, true), None);
        assert_eq!(
            address(Requester::Representative, false).as_deref(),
            Some("Schuilhuisweg 7")
        );
        let copy = gathered(Requester::Representative, true).copy(&policy, 2, day, &none);
        let json = String::from_utf8(docs::access_copy_json(&copy).unwrap()).unwrap();
        assert!(!json.contains("Schuilhuisweg"));
        assert!(json.contains("Autoriteit Persoonsgegevens"));
    }

    #[test]
    fn attachment_paths_stay_in_the_attachments_folder() {
        let id = AttachmentId::new();
        let p = attachment_path(id, "../geheim.pdf");
        assert!(p.starts_with("bijlagen/") && !p.contains(".."), "{p}");
    }
}
