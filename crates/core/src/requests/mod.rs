//! Rights requests and complaints filed from the portal (POR-4, RTS-1, CMP-1): the client
//! files a request (access, copy, rectification, erasure, restriction, portability,
//! objection, withdrawal of consent; about everything or chosen trajectories; with a free
//! text) or a complaint (subject and text), gets a reference at once, and follows its
//! status in the portal; the privacy officer sees every one filed. Handling them is the
//! work of the rights-request and complaint workflows; here they are received.
//!
//! A portal account files for its own client (the client comes from the signed-in
//! account, never from the form), or, for a parent with authority or a legal
//! representative, for a client the account is linked to, as the minors rules allow on
//! the day (RTS-1, MIN-1..4). The gate decides on that standing
//! (`access/por4_requests.cedar`); the request carries the filer's account, so the answer
//! (the copy, the letter, the export) goes to whoever asked. The free text, subject and
//! body are sealed with the client's key; the reference (`VZ-2026-000123`,
//! `KL-2026-000045`) names the request without naming the person.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, ClientId, PortalAccountId, Purpose, TrajectoryId};
use zv_store::requests::{PortalComplaintRow, RightsRequestRow};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;
use crate::withholdings::code_enum;

mod escalation;
mod letters;
mod workflow;

pub use escalation::{EscalationReport, KIND_REQUEST_OVERDUE};
pub use letters::{DecisionLetterPdf, LetterLanguage};
pub(crate) use letters::{service_name, trajectory_label};
pub use workflow::*;
pub use zv_policy::ExtensionRefused;

pub(crate) const T_REQUESTS: &str = "rights_requests";
const T_COMPLAINTS: &str = "complaints";
/// Reference prefixes: "verzoek" and "klacht".
pub(crate) const REQUEST_PREFIX: &str = "VZ";
const COMPLAINT_PREFIX: &str = "KL";
pub(crate) const TEXT_MAX_CHARS: usize = 5_000;
const SUBJECT_MAX_CHARS: usize = 200;

code_enum!(
    /// Which right a request invokes (RTS-1; AVG articles 15 to 21 and 7(3)).
    RequestKind {
        /// Inzage (art. 15).
        Access = "access",
        /// Kopie (art. 15(3)).
        Copy = "copy",
        /// Rectificatie (art. 16).
        Rectification = "rectification",
        /// Verwijdering (art. 17).
        Erasure = "erasure",
        /// Beperking (art. 18).
        Restriction = "restriction",
        /// Overdraagbaarheid (art. 20).
        Portability = "portability",
        /// Bezwaar (art. 21).
        Objection = "objection",
        /// Intrekken van toestemming (art. 7(3)).
        WithdrawalOfConsent = "withdrawal_of_consent",
    }
);

code_enum!(
    /// Where a request or complaint stands, as its filer sees it.
    FiledStatus {
        /// Received; nobody has taken it up yet.
        Received = "received",
        /// Being handled.
        InProgress = "in_progress",
        /// Handled.
        Closed = "closed",
    }
);

/// What a request is about: everything, or chosen trajectories of the client's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestScope {
    All,
    Trajectories(Vec<TrajectoryId>),
}

/// A rights request as the client fills it in.
#[derive(Clone)]
pub struct NewRightsRequest {
    pub kind: RequestKind,
    pub scope: RequestScope,
    /// What the client wants to say about it; may be empty.
    pub text: String,
}

impl std::fmt::Debug for NewRightsRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewRightsRequest({}, ***)", self.kind.code())
    }
}

/// A complaint as the client fills it in.
#[derive(Clone)]
pub struct NewPortalComplaint {
    pub subject: String,
    pub text: String,
}

impl std::fmt::Debug for NewPortalComplaint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPortalComplaint(***)")
    }
}

/// What a filing is acknowledged with.
#[derive(Debug, Clone, Serialize)]
pub struct Filed {
    pub id: Uuid,
    pub reference: String,
}

/// A request or complaint as a list shows it, without what the client wrote.
#[derive(Debug, Clone, Serialize)]
pub struct FiledLine {
    pub id: Uuid,
    pub reference: String,
    /// The right invoked; `None` for a complaint.
    pub kind: Option<RequestKind>,
    pub client: ClientId,
    pub channel: String,
    pub received_on: NaiveDate,
    pub status: FiledStatus,
    /// For a request about chosen trajectories: which. Empty is everything.
    pub trajectories: Vec<TrajectoryId>,
    pub created_at: DateTime<Utc>,
    /// A parent or legal representative filed it for the client (their portal account
    /// carries the answer); set where the list knows whose account is whose.
    pub filed_by_related_person: bool,
}

/// A request or complaint with what the client wrote.
#[derive(Clone, Serialize)]
pub struct FiledDetail {
    pub line: FiledLine,
    /// A complaint's subject.
    pub subject: Option<String>,
    pub text: String,
}

impl std::fmt::Debug for FiledDetail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FiledDetail({}, ***)", self.line.reference)
    }
}

/// The privacy officer's view of one request or complaint: with the client's name, to
/// know whom it concerns.
#[derive(Clone, Serialize)]
pub struct FiledForOfficer {
    pub detail: FiledDetail,
    pub client_name: String,
}

impl std::fmt::Debug for FiledForOfficer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FiledForOfficer({}, ***)", self.detail.line.reference)
    }
}

/// What the client has filed from the portal, newest first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MyFilings {
    pub requests: Vec<FiledDetail>,
    pub complaints: Vec<FiledDetail>,
}

/// What a parent's or representative's account filed for one client it is linked to,
/// newest first: references, rights and status, nothing the client's dossier holds.
#[derive(Debug, Clone, Serialize)]
pub struct FiledForClient {
    pub client: ClientId,
    pub requests: Vec<FiledLine>,
    pub complaints: Vec<FiledLine>,
}

/// A client a parent's or representative's account may file for today, and the
/// trajectories a request may be about.
#[derive(Debug, Clone, Serialize)]
pub struct FilingChoice {
    pub client: ClientId,
    /// A request about everything (and a complaint) may be filed; a mandate over named
    /// trajectories allows requests about those only.
    pub whole: bool,
    pub trajectories: Vec<TrajectoryId>,
}

/// Who files: the client, or someone for the client through a link (MIN-1..4).
#[derive(Debug, Clone, Copy)]
struct Filer {
    client: ClientId,
    account: PortalAccountId,
    related: bool,
}

/// Whether a request or complaint was filed by someone other than the client: it carries
/// a portal account that is not the client's own.
pub(crate) fn by_related(carried: Option<PortalAccountId>, own: Option<PortalAccountId>) -> bool {
    carried.is_some() && carried != own
}

pub(crate) fn reference(prefix: &str, year: i32, n: i64) -> String {
    format!("{prefix}-{year}-{n:06}")
}

/// The next complaint reference of `year`, drawn inside the caller's transaction.
pub(crate) async fn complaint_reference(tx: &zv_store::Tx, year: i32) -> CoreResult<String> {
    let n = zv_store::requests::next_reference_number(tx, COMPLAINT_PREFIX, year).await?;
    Ok(reference(COMPLAINT_PREFIX, year, n))
}

pub(crate) fn request_line(r: &RightsRequestRow) -> CoreResult<FiledLine> {
    Ok(FiledLine {
        id: r.id,
        reference: r.reference.clone(),
        kind: Some(
            RequestKind::from_code(&r.kind)
                .ok_or_else(|| CoreError::Internal("stored request kind unreadable".into()))?,
        ),
        client: r.client_id,
        channel: r.channel.clone(),
        received_on: r.received_on,
        status: FiledStatus::from_code(&r.status).unwrap_or(FiledStatus::InProgress),
        trajectories: r.trajectories.clone(),
        created_at: r.created_at,
        filed_by_related_person: false,
    })
}

fn complaint_line(c: &PortalComplaintRow) -> FiledLine {
    FiledLine {
        id: c.id,
        reference: c.reference.clone(),
        kind: None,
        client: c.client_id,
        channel: "portal".to_owned(),
        received_on: c.received_on,
        status: match (c.closed_on, c.handler) {
            (Some(_), _) => FiledStatus::Closed,
            (None, Some(_)) => FiledStatus::InProgress,
            (None, None) => FiledStatus::Received,
        },
        trajectories: c.trajectory_id.into_iter().collect(),
        created_at: c.created_at,
        filed_by_related_person: false,
    }
}

pub(crate) fn open_request(
    key: &zv_crypto::DataKey,
    r: &RightsRequestRow,
) -> CoreResult<FiledDetail> {
    Ok(FiledDetail {
        line: request_line(r)?,
        subject: None,
        text: Sealer { key }
            .open_opt(T_REQUESTS, "text", r.id, r.text_ct.as_deref())?
            .unwrap_or_default(),
    })
}

/// [`open_request`] in the list of the client whose own account is `own`: marked when
/// someone else (a parent, a representative) filed it.
pub(crate) fn open_request_for(
    key: &zv_crypto::DataKey,
    r: &RightsRequestRow,
    own: PortalAccountId,
) -> CoreResult<FiledDetail> {
    let mut d = open_request(key, r)?;
    d.line.filed_by_related_person = by_related(r.portal_account, Some(own));
    Ok(d)
}

/// [`open_complaint`] in the list of the client whose own account is `own`.
pub(crate) fn open_complaint_for(
    key: &zv_crypto::DataKey,
    c: &PortalComplaintRow,
    own: PortalAccountId,
) -> CoreResult<FiledDetail> {
    let mut d = open_complaint(key, c)?;
    d.line.filed_by_related_person = by_related(c.portal_account, Some(own));
    Ok(d)
}

pub(crate) fn open_complaint(
    key: &zv_crypto::DataKey,
    c: &PortalComplaintRow,
) -> CoreResult<FiledDetail> {
    let s = Sealer { key };
    Ok(FiledDetail {
        line: complaint_line(c),
        subject: Some(s.open(T_COMPLAINTS, "subject", c.id, &c.subject_ct)?),
        text: s.open(T_COMPLAINTS, "body", c.id, &c.body_ct)?,
    })
}

pub(crate) fn free_text(
    field: &'static str,
    text: &str,
    required: bool,
    max: usize,
) -> CoreResult<String> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(CoreError::invalid(field, "the field is required"));
    }
    if text.chars().count() > max {
        return Err(CoreError::invalid(
            field,
            format!("the field is longer than {max} characters"),
        ));
    }
    Ok(text.to_owned())
}

impl App {
    /// The signed-in portal account's own client.
    fn filer(actor: &Actor) -> CoreResult<(ClientId, zv_domain::PortalAccountId)> {
        match actor {
            Actor::Portal(p) => p
                .client_id
                .map(|c| (c, p.account_id))
                .ok_or(CoreError::NotFound),
            Actor::Staff(_) | Actor::System { .. } => Err(CoreError::NotFound),
        }
    }

    /// Who files for `client` (`None`: the account's own client). Another client is
    /// filed for only through a link of the account; whether the link allows it today
    /// the gate decides when the filing is written.
    fn filer_for(actor: &Actor, client: Option<ClientId>) -> CoreResult<Filer> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        match client {
            None => Self::filer(actor).map(|(client, account)| Filer {
                client,
                account,
                related: false,
            }),
            Some(c) => Ok(Filer {
                client: c,
                account: p.account_id,
                related: p.client_id != Some(c),
            }),
        }
    }

    /// The filing's access at the gate: a related person's is recorded as acting for
    /// the client (NEN 7513 role "representative") and says so, without names.
    fn filing_access(filer: Filer, object: AuditObject, id: Uuid, detail: String) -> Access {
        let access = Access::new(AuditAction::Create, object, Some(filer.client))
            .target(Target::Request)
            .object_id(id);
        if filer.related {
            access
                .purpose(Purpose::RepresentativeAccess)
                .detail(format!("{detail} filed_for_client_by=related_person"))
        } else {
            access.detail(detail)
        }
    }

    /// For a parent or representative: the trajectories a request is about must each be
    /// covered today (a mandate over named trajectories, MIN-4). The first one refused is
    /// put to the gate, which records the refusal and answers "not found".
    async fn check_related_scope(
        &self,
        actor: &Actor,
        filer: Filer,
        id: Uuid,
        chosen: &[TrajectoryId],
    ) -> CoreResult<()> {
        let facts = self.portal_facts_of(actor, filer.client).await?;
        let rules = crate::access::rules()?;
        for t in chosen {
            let access = Self::filing_access(
                filer,
                AuditObject::RightsRequest,
                id,
                "scope=trajectories".to_owned(),
            )
            .in_trajectory(*t);
            let standing = facts.standing(&access);
            if !rules
                .decide(actor, AuditAction::Create, Target::Request, &standing)?
                .allowed
            {
                drop(self.authorize_write(actor, access).await?);
                return Err(CoreError::NotFound);
            }
        }
        Ok(())
    }

    /// The clients a parent's or representative's account may file for today, each with
    /// the trajectories a request may be about (decided without recording; the filing
    /// itself is decided again and recorded).
    pub async fn filing_choices(&self, actor: &Actor) -> CoreResult<Vec<FilingChoice>> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        let tx = self.store.read_tx().await?;
        let links = zv_store::minors::links_of_account(&tx, p.account_id).await?;
        tx.commit().await?;
        let rules = crate::access::rules()?;
        let mut choices = Vec::with_capacity(links.len());
        for link in links {
            let client = link.client_id;
            if p.client_id == Some(client) {
                continue;
            }
            let facts = self.portal_facts_of(actor, client).await?;
            let create = || {
                Access::new(
                    AuditAction::Create,
                    AuditObject::RightsRequest,
                    Some(client),
                )
                .target(Target::Request)
            };
            let may = |a: &Access| -> CoreResult<bool> {
                Ok(rules
                    .decide(
                        actor,
                        AuditAction::Create,
                        Target::Request,
                        &facts.standing(a),
                    )?
                    .allowed)
            };
            let whole = may(&create())?;
            let tx = self.store.read_tx().await?;
            let rows = zv_store::trajectories::of_client(&tx, client).await?;
            tx.commit().await?;
            let mut trajectories = Vec::new();
            for t in rows {
                if may(&create().in_trajectory(t.id))? {
                    trajectories.push(t.id);
                }
            }
            if whole || !trajectories.is_empty() {
                choices.push(FilingChoice {
                    client,
                    whole,
                    trajectories,
                });
            }
        }
        Ok(choices)
    }

    /// Files a rights request from the portal (POR-4): received today, status
    /// "received", acknowledged with a reference. A chosen trajectory must be one of the
    /// client's own; nothing is stored when anything is refused.
    pub async fn file_rights_request(
        &self,
        actor: &Actor,
        input: NewRightsRequest,
    ) -> CoreResult<Filed> {
        self.file_rights_request_for(actor, None, input).await
    }

    /// Files a rights request from the portal for `client` (`None`: the account's own):
    /// a parent with authority or a legal representative files for a client their
    /// account is linked to, as the minors rules allow today (RTS-1, MIN-1..4,
    /// `por4-related-person-files-for-client`); anyone else gets "not found" and nothing
    /// is stored. The request carries the filer's account, so the answer goes to them.
    pub async fn file_rights_request_for(
        &self,
        actor: &Actor,
        client: Option<ClientId>,
        input: NewRightsRequest,
    ) -> CoreResult<Filed> {
        let filer = Self::filer_for(actor, client)?;
        let (client, account) = (filer.client, filer.account);
        let id = Uuid::now_v7();
        if filer.related {
            // Whether this account may file for the client at all comes first, so that
            // the form's answers below tell nothing about a client it may not file for.
            let access = Self::filing_access(
                filer,
                AuditObject::RightsRequest,
                id,
                format!("kind={}", input.kind.code()),
            );
            if !self.permitted(actor, &access).await? {
                // A representative whose mandate names trajectories files about those;
                // each chosen one is decided, and the first refused is recorded.
                match &input.scope {
                    RequestScope::Trajectories(t) if !t.is_empty() => {
                        self.check_related_scope(actor, filer, id, t).await?;
                    }
                    _ => {
                        drop(self.authorize_write(actor, access).await?);
                        return Err(CoreError::NotFound);
                    }
                }
            }
        }
        let text = free_text("text", &input.text, false, TEXT_MAX_CHARS)?;
        let (scope, mut chosen) = match &input.scope {
            RequestScope::All => ("all", Vec::new()),
            RequestScope::Trajectories(t) if t.is_empty() => {
                return Err(CoreError::invalid(
                    "trajectories",
                    "choose at least one trajectory, or all",
                ));
            }
            RequestScope::Trajectories(t) => ("trajectories", t.clone()),
        };
        chosen.sort_unstable();
        chosen.dedup();
        if !chosen.is_empty() {
            let tx = self.store.read_tx().await?;
            let own = zv_store::trajectories::of_client(&tx, client).await?;
            tx.commit().await?;
            if chosen.iter().any(|t| !own.iter().any(|o| o.id == *t)) {
                return Err(CoreError::invalid(
                    "trajectories",
                    "choose among your own trajectories",
                ));
            }
        }
        let today = self.clock.today();
        let mut access = Self::filing_access(
            filer,
            AuditObject::RightsRequest,
            id,
            format!("kind={} scope={scope}", input.kind.code()),
        );
        if let Some(first) = chosen.first() {
            // Each chosen trajectory was decided above where it matters (a mandate over
            // named trajectories); the recorded decision names the first.
            access = access.in_trajectory(*first);
        }
        let tx = self.authorize_write(actor, access).await?;
        let n =
            zv_store::requests::next_reference_number(&tx, REQUEST_PREFIX, today.year()).await?;
        let reference = reference(REQUEST_PREFIX, today.year(), n);
        let key = self.keys.client_key_for_write(&tx, client).await?;
        zv_store::requests::insert_request(
            &tx,
            &RightsRequestRow {
                id,
                reference: reference.clone(),
                client_id: client,
                kind: input.kind.code().to_owned(),
                scope: scope.to_owned(),
                trajectories: chosen,
                channel: "portal".to_owned(),
                received_on: today,
                status: FiledStatus::Received.code().to_owned(),
                text_ct: (!text.is_empty())
                    .then(|| Sealer { key: &key }.seal(T_REQUESTS, "text", id, &text)),
                portal_account: Some(account),
                created_at: self.now(),
            },
        )
        .await?;
        // RTS-2: the filer signed in to the portal with the second factor; that is how
        // identity was established, recorded as it happens.
        zv_store::requests::record_identity(
            &tx,
            id,
            zv_store::requests::NewIdentity {
                method: IdentityMethod::PortalSecondFactor.code(),
                on: today,
                recorded_by: None,
                recorded_at: self.now(),
                note_ct: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Filed { id, reference })
    }

    /// Files a complaint from the portal (POR-4, CMP-1) into the one complaints register:
    /// channel "portal", received today, no handler yet, acknowledged with a reference.
    pub async fn file_portal_complaint(
        &self,
        actor: &Actor,
        input: NewPortalComplaint,
    ) -> CoreResult<Filed> {
        self.file_portal_complaint_for(actor, None, input).await
    }

    /// Files a complaint from the portal for `client` (`None`: the account's own), as
    /// [`Self::file_rights_request_for`] decides who may: a complaint is about the
    /// client's care as a whole, so a mandate over named trajectories does not reach it.
    pub async fn file_portal_complaint_for(
        &self,
        actor: &Actor,
        client: Option<ClientId>,
        input: NewPortalComplaint,
    ) -> CoreResult<Filed> {
        let filer = Self::filer_for(actor, client)?;
        let (client, account) = (filer.client, filer.account);
        let id = Uuid::now_v7();
        let access = Self::filing_access(
            filer,
            AuditObject::Complaint,
            id,
            "channel=portal".to_owned(),
        );
        if filer.related && !self.permitted(actor, &access).await? {
            drop(self.authorize_write(actor, access).await?);
            return Err(CoreError::NotFound);
        }
        let subject = free_text("subject", &input.subject, true, SUBJECT_MAX_CHARS)?;
        let text = free_text("text", &input.text, true, TEXT_MAX_CHARS)?;
        let today = self.clock.today();
        let tx = self.authorize_write(actor, access).await?;
        let reference = complaint_reference(&tx, today.year()).await?;
        let key = self.keys.client_key_for_write(&tx, client).await?;
        let s = Sealer { key: &key };
        zv_store::requests::insert_portal_complaint(
            &tx,
            &PortalComplaintRow {
                id,
                reference: reference.clone(),
                client_id: client,
                trajectory_id: None,
                received_on: today,
                subject_ct: s.seal(T_COMPLAINTS, "subject", id, &subject),
                body_ct: s.seal(T_COMPLAINTS, "body", id, &text),
                handler: None,
                closed_on: None,
                portal_account: Some(account),
                created_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Filed { id, reference })
    }

    /// The requests and complaints the client filed from the portal, with their status:
    /// a recorded read of their own data.
    pub async fn my_filings(&self, actor: &Actor) -> CoreResult<MyFilings> {
        let (client, account) = Self::filer(actor)?;
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::RightsRequest, Some(client))
                    .target(Target::Request),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let requests = zv_store::requests::requests_of_client(&tx, &auth).await?;
        let complaints = zv_store::requests::portal_complaints_of_client(&tx, &auth).await?;
        tx.commit().await?;
        Ok(MyFilings {
            requests: requests
                .iter()
                .map(|r| open_request_for(&key, r, account))
                .collect::<CoreResult<_>>()?,
            complaints: complaints
                .iter()
                .map(|c| open_complaint_for(&key, c, account))
                .collect::<CoreResult<_>>()?,
        })
    }

    /// What this parent's or representative's account filed, per client it is linked
    /// to: only filings carrying this account, never what the client or another parent
    /// filed. Each client's list is a recorded read under the link; a client the rules
    /// no longer let the account follow is left out. Nothing is decrypted.
    pub async fn filings_of_account(&self, actor: &Actor) -> CoreResult<Vec<FiledForClient>> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        let tx = self.store.read_tx().await?;
        let links = zv_store::minors::links_of_account(&tx, p.account_id).await?;
        tx.commit().await?;
        let mut out = Vec::with_capacity(links.len());
        for link in links {
            let client = link.client_id;
            if p.client_id == Some(client) {
                continue;
            }
            let access = Access::new(AuditAction::Read, AuditObject::RightsRequest, Some(client))
                .target(Target::Request)
                .purpose(Purpose::RepresentativeAccess)
                .detail("requests and complaints this account filed");
            if !self.permitted(actor, &access).await? {
                continue;
            }
            let auth = self.authorize_read(actor, access).await?;
            let tx = self.store.read_tx().await?;
            let requests = zv_store::requests::requests_of_client(&tx, &auth).await?;
            let complaints = zv_store::requests::portal_complaints_of_client(&tx, &auth).await?;
            tx.commit().await?;
            let mine = Some(p.account_id);
            out.push(FiledForClient {
                client,
                requests: requests
                    .iter()
                    .filter(|r| r.portal_account == mine)
                    .map(request_line)
                    .collect::<CoreResult<_>>()?,
                complaints: complaints
                    .iter()
                    .filter(|c| c.portal_account == mine)
                    .map(complaint_line)
                    .collect(),
            });
        }
        Ok(out)
    }

    /// Every request and complaint filed, newest first, without what the clients wrote:
    /// the privacy officer's list (reading it is recorded).
    pub async fn filed_requests(&self, actor: &Actor) -> CoreResult<Vec<FiledLine>> {
        let tx = self
            .authorize_organisation_write(
                actor,
                Access::new(AuditAction::Read, AuditObject::RightsRequest, None)
                    .target(Target::Request)
                    .detail("requests and complaints"),
            )
            .await?;
        let requests = zv_store::requests::list_requests(&tx, 500).await?;
        let complaints = zv_store::requests::list_portal_complaints(&tx, 500).await?;
        tx.commit().await?;
        let mut lines = requests
            .iter()
            .map(request_line)
            .collect::<CoreResult<Vec<_>>>()?;
        lines.extend(complaints.iter().map(complaint_line));
        lines.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        Ok(lines)
    }

    /// One request or complaint with what the client wrote and the client's name, for
    /// the privacy officer: a recorded read of the client's data.
    pub async fn filed_request(&self, actor: &Actor, id: Uuid) -> CoreResult<FiledForOfficer> {
        let tx0 = self.store.read_tx().await?;
        let request = zv_store::requests::request_meta(&tx0, id).await?;
        let complaint = if request.is_none() {
            zv_store::requests::portal_complaint_meta(&tx0, id).await?
        } else {
            None
        };
        tx0.commit().await?;
        let (client, object) = match (&request, &complaint) {
            (Some(r), _) => (r.client_id, AuditObject::RightsRequest),
            (None, Some(c)) => (c.client_id, AuditObject::Complaint),
            (None, None) => return Err(CoreError::NotFound),
        };
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, object, Some(client))
                    .target(Target::Request)
                    .object_id(id)
                    // The client's name is shown with it, to know whom it concerns.
                    .detail("with the client's name"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let detail = if request.is_some() {
            let r = zv_store::requests::get_request(&tx, &auth, id)
                .await?
                .ok_or(CoreError::NotFound)?;
            open_request(&key, &r)?
        } else {
            let c = zv_store::requests::get_portal_complaint(&tx, &auth, id)
                .await?
                .ok_or(CoreError::NotFound)?;
            open_complaint(&key, &c)?
        };
        let person = zv_store::clients::get(&tx, &auth, client)
            .await?
            .ok_or(CoreError::NotFound)?;
        let carried = request.as_ref().map_or_else(
            || complaint.as_ref().and_then(|c| c.portal_account),
            |r| r.portal_account,
        );
        let own_account = match carried {
            Some(a) => zv_store::portal::get_account(&tx, a)
                .await?
                .filter(|acc| acc.client_id == Some(client))
                .map(|acc| acc.id),
            None => None,
        };
        tx.commit().await?;
        let mut detail = detail;
        detail.line.filed_by_related_person = by_related(carried, own_account);
        let client_name = Sealer { key: &key }.open(
            crate::clients::T,
            "name",
            client.as_uuid(),
            &person.name_ct,
        )?;
        Ok(FiledForOfficer {
            detail,
            client_name,
        })
    }

    /// How many requests and complaints were filed in all (tests and counts).
    pub async fn count_filings(&self) -> CoreResult<(u64, u64)> {
        let tx = self.store.read_tx().await?;
        let requests = zv_store::requests::count_requests(&tx).await?;
        let complaints = zv_store::requests::count_portal_complaints(&tx).await?;
        tx.commit().await?;
        Ok((requests, complaints))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_name_the_series_year_and_number_only() {
        assert_eq!(reference(REQUEST_PREFIX, 2026, 123), "VZ-2026-000123");
        assert_eq!(reference(COMPLAINT_PREFIX, 2026, 45), "KL-2026-000045");
        assert_eq!(
            reference(REQUEST_PREFIX, 2027, 1_234_567),
            "VZ-2027-1234567"
        );
    }

    #[test]
    fn every_right_of_the_statements_can_be_invoked() {
        let codes: Vec<&str> = RequestKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(
            codes,
            [
                "access",
                "copy",
                "rectification",
                "erasure",
                "restriction",
                "portability",
                "objection",
                "withdrawal_of_consent"
            ]
        );
        for k in RequestKind::ALL {
            assert_eq!(RequestKind::from_code(k.code()), Some(*k));
        }
    }

    // promise: RTS-1
    // promise: MIN-1
    // promise: MIN-2
    // promise: MIN-3
    // promise: MIN-4
    #[test]
    fn a_parent_or_representative_files_as_the_minors_rules_allow() {
        use crate::access::{Relation, Standing, rules};
        use zv_policy::AgeBand::{Adult, Consultative, Independent, UnderOwnAccess};
        let account = Actor::Portal(crate::portal::PortalActor {
            account_id: PortalAccountId::new(),
            client_id: None,
            access_point: "test".into(),
        });
        // relation, band, blocked, consent, mandate covers: files.
        let table = [
            (Relation::Parent, UnderOwnAccess, false, false, false, true),
            (Relation::Parent, Consultative, false, false, false, true),
            // MIN-2: a blocked parent still files; the answer follows the read rules.
            (Relation::Parent, Consultative, true, false, false, true),
            (Relation::Parent, Independent, false, false, false, false),
            (Relation::Parent, Independent, false, true, false, true),
            (Relation::Parent, Adult, false, true, false, false),
            (Relation::Representative, Adult, false, false, true, true),
            (Relation::Representative, Adult, false, false, false, false),
            (
                Relation::Representative,
                Consultative,
                false,
                false,
                true,
                false,
            ),
            (Relation::Other, UnderOwnAccess, false, false, false, false),
            (Relation::None, UnderOwnAccess, false, false, false, false),
        ];
        for row @ (relation, band, blocked, consent, mandate, files) in table {
            let standing = Standing {
                relation,
                age_band: Some(band),
                parent_blocked: blocked,
                youth_consent: consent,
                mandate_covers: mandate,
                ..Standing::default()
            };
            let d = rules()
                .unwrap()
                .decide(&account, AuditAction::Create, Target::Request, &standing)
                .unwrap();
            assert_eq!(d.allowed, files, "{row:?}");
        }
        // What the account filed it follows while the link gives it a standing.
        for (relation, follows) in [
            (Relation::Parent, true),
            (Relation::Representative, true),
            (Relation::Other, false),
            (Relation::None, false),
        ] {
            let standing = Standing {
                relation,
                ..Standing::default()
            };
            let d = rules()
                .unwrap()
                .decide(&account, AuditAction::Read, Target::Request, &standing)
                .unwrap();
            assert_eq!(d.allowed, follows, "{relation:?}");
        }
    }

    #[test]
    fn free_text_is_checked() {
        assert!(matches!(
            free_text("subject", "  ", true, 10),
            Err(CoreError::Invalid {
                field: "subject",
                ..
            })
        ));
        assert!(matches!(
            free_text("text", &"x".repeat(11), false, 10),
            Err(CoreError::Invalid { field: "text", .. })
        ));
        assert_eq!(free_text("text", "  ", false, 10).unwrap(), "");
    }
}
