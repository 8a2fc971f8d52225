//! Rights requests and complaints filed from the portal (POR-4, RTS-1, CMP-1): the client
//! files a request (access, copy, rectification, erasure, restriction, portability,
//! objection, withdrawal of consent; about everything or chosen trajectories; with a free
//! text) or a complaint (subject and text), gets a reference at once, and follows its
//! status in the portal; the privacy officer sees every one filed. Handling them is the
//! work of the rights-request and complaint workflows; here they are received.
//!
//! A portal account files only for its own client: the client comes from the signed-in
//! account, never from the form, and the gate decides on that standing
//! (`access/por4_requests.cedar`). The free text, subject and body are sealed with the
//! client's key; the reference (`VZ-2026-000123`, `KL-2026-000045`) names the request
//! without naming the person.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, ClientId, TrajectoryId};
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

pub(crate) fn reference(prefix: &str, year: i32, n: i64) -> String {
    format!("{prefix}-{year}-{n:06}")
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
    /// The signed-in portal account's own client: only a client files here for now (a
    /// parent or representative filing for someone follows with the request workflow).
    fn filer(actor: &Actor) -> CoreResult<(ClientId, zv_domain::PortalAccountId)> {
        match actor {
            Actor::Portal(p) => p
                .client_id
                .map(|c| (c, p.account_id))
                .ok_or(CoreError::NotFound),
            Actor::Staff(_) | Actor::System { .. } => Err(CoreError::NotFound),
        }
    }

    /// Files a rights request from the portal (POR-4): received today, status
    /// "received", acknowledged with a reference. A chosen trajectory must be one of the
    /// client's own; nothing is stored when anything is refused.
    pub async fn file_rights_request(
        &self,
        actor: &Actor,
        input: NewRightsRequest,
    ) -> CoreResult<Filed> {
        let (client, account) = Self::filer(actor)?;
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
        let id = Uuid::now_v7();
        let today = self.clock.today();
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Create,
                    AuditObject::RightsRequest,
                    Some(client),
                )
                .target(Target::Request)
                .object_id(id)
                .detail(format!("kind={} scope={scope}", input.kind.code())),
            )
            .await?;
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
        let (client, account) = Self::filer(actor)?;
        let subject = free_text("subject", &input.subject, true, SUBJECT_MAX_CHARS)?;
        let text = free_text("text", &input.text, true, TEXT_MAX_CHARS)?;
        let id = Uuid::now_v7();
        let today = self.clock.today();
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Create, AuditObject::Complaint, Some(client))
                    .target(Target::Request)
                    .object_id(id)
                    .detail("channel=portal"),
            )
            .await?;
        let n =
            zv_store::requests::next_reference_number(&tx, COMPLAINT_PREFIX, today.year()).await?;
        let reference = reference(COMPLAINT_PREFIX, today.year(), n);
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
        let (client, _) = Self::filer(actor)?;
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
                .map(|r| open_request(&key, r))
                .collect::<CoreResult<_>>()?,
            complaints: complaints
                .iter()
                .map(|c| open_complaint(&key, c))
                .collect::<CoreResult<_>>()?,
        })
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
        tx.commit().await?;
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
