//! The privacy officer's handling of a rights request (RTS-1..3 and the outcome of every
//! request type; decision 0015): staff register a request received by letter, e-mail,
//! phone or in conversation; the privacy officer records how identity was established,
//! the first reaction and the extension, and decides. The deadlines come from the policy
//! (`[requests]`), never from code.
//!
//! A request moves `received` -> `in_progress` (any step recorded) -> `closed` (the
//! decision, with the day the answer was sent). A request is granted (wholly or in part)
//! only once identity is recorded (RTS-2): giving someone else's data to whoever asks is
//! the breach the check prevents. A refusal needs no identity: "we could not establish
//! who you are" is itself a reason to refuse.
//!
//! The system never keeps a copy of an identity document (RTS-2): there is nowhere to
//! put one, and an attempt to hand one in is refused before anything is stored.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, ClientId, Purpose, TrajectoryId, UserId};
use zv_policy::{ExtensionRefused, RequestDeadlines};
use zv_store::requests::{RequestWorkflowRow, RightsRequestRow};

use super::{
    FiledDetail, FiledForOfficer, FiledLine, FiledStatus, MyFilings, REQUEST_PREFIX, RequestKind,
    RequestScope, T_REQUESTS, TEXT_MAX_CHARS, code_enum, free_text, reference, request_line,
};
use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;

/// Reasons and notes: long enough to say why, short enough for a letter.
const REASONS_MIN_CHARS: usize = 10;
const REASONS_MAX_CHARS: usize = 5_000;
/// The open requests the queue shows at most.
const QUEUE_LIMIT: u64 = 1_000;

/// Conflict messages the pages and the API tell apart (stable, English).
pub const IDENTITY_FIRST: &str = "identity must be recorded before a request is granted";
pub const EXTENSION_NOT_ALLOWED: &str = "the organisation's policy allows no extension";
pub const EXTENSION_TWICE: &str = "the request was extended already; the law allows it once";
pub const EXTENSION_TOO_LATE: &str =
    "an extension must be announced within the notice period from receipt";
pub const ALREADY_CLOSED: &str = "the request is closed";
/// The refusal of an ID copy (RTS-2), for the field `id_copy`.
pub const NO_ID_COPY: &str = "an identity document copy is never accepted or stored; show the document in person instead, and destroy any copy that was received";

code_enum!(
    /// How a request reached the organisation (RTS-1).
    Channel {
        /// Filed in the portal ("Mijn dossier").
        Portal = "portal",
        /// A letter ("brief").
        Letter = "letter",
        /// An e-mail.
        Email = "email",
        /// A phone call ("telefonisch").
        Phone = "phone",
        /// In conversation ("in een gesprek").
        Conversation = "conversation",
    }
);

code_enum!(
    /// How identity was established (RTS-2). Never by keeping a copy of a document.
    IdentityMethod {
        /// Signed in to the portal with password and second factor (recorded by itself).
        PortalSecondFactor = "portal_second_factor",
        /// Seen in person, identity document shown (not copied).
        InPerson = "in_person",
        /// Confirmed by the caseworker who knows the client.
        KnownCaseworker = "known_caseworker",
        /// By letter, confirmed by calling back the number known from the dossier.
        LetterCallback = "letter_callback",
    }
);

code_enum!(
    /// The decision on a request.
    Outcome {
        /// Toegewezen.
        Granted = "granted",
        /// Gedeeltelijk toegewezen.
        PartlyGranted = "partly_granted",
        /// Afgewezen.
        Refused = "refused",
    }
);

/// A request a staff member registers (RTS-1).
#[derive(Clone)]
pub struct NewRegisteredRequest {
    pub client: ClientId,
    pub kind: RequestKind,
    pub scope: RequestScope,
    /// Not `Portal`: a portal filing registers itself.
    pub channel: Channel,
    pub received_on: NaiveDate,
    /// What the client asked, in the staff member's words; may be empty.
    pub text: String,
    /// A parent or representative made the request for the client: their record in the
    /// client's file, which must read for the client through a portal account. The
    /// request carries that account, so the answer (the copy, the letter) goes to it and
    /// what it may hold follows the minors rules for that person (decision 0020).
    pub filed_by: Option<zv_domain::RelatedPersonId>,
}

impl std::fmt::Debug for NewRegisteredRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "NewRegisteredRequest({}, {}, ***)",
            self.kind.code(),
            self.channel.code()
        )
    }
}

/// How identity was established, as the privacy officer records it (RTS-2).
#[derive(Clone)]
pub struct IdentityInput {
    pub method: IdentityMethod,
    pub on: NaiveDate,
    /// Who confirmed it or what was checked; never a document number.
    pub note: String,
    /// Something was handed in as a file: refused, nothing stored (RTS-2).
    pub document_offered: bool,
}

impl std::fmt::Debug for IdentityInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdentityInput({}, ***)", self.method.code())
    }
}

/// The decision on a request.
#[derive(Clone)]
pub struct OutcomeInput {
    pub outcome: Outcome,
    /// For the client; required for a refusal or a partial grant.
    pub reasons: String,
    pub answer_sent_on: NaiveDate,
}

impl std::fmt::Debug for OutcomeInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "OutcomeInput({}, ***)", self.outcome.code())
    }
}

/// The deadlines of a request on a day (RTS-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// The first reaction is due.
    pub respond_by: NaiveDate,
    /// The request is carried out, with the extension when one is recorded.
    pub complete_by: NaiveDate,
    /// The last day an extension may be announced; `None` when the policy has none.
    pub extension_notice_by: Option<NaiveDate>,
    /// The deadline that counts now: the reaction until it is recorded, then the
    /// completion; `None` once closed.
    pub next: Option<NaiveDate>,
    /// Days from today to `next` (negative when overdue).
    pub days_left: Option<i64>,
    pub due_soon: bool,
    pub overdue: bool,
}

/// The deadlines of a request received on `received`, on `today`.
#[must_use]
pub fn deadlines_of(
    policy: &RequestDeadlines,
    received: NaiveDate,
    responded: bool,
    extended: bool,
    closed: bool,
    today: NaiveDate,
) -> Deadlines {
    let respond_by = policy.respond_by(received);
    let complete_by = policy.effective_complete_by(received, extended);
    let next = (!closed).then(|| {
        if responded {
            complete_by
        } else {
            respond_by.min(complete_by)
        }
    });
    Deadlines {
        respond_by,
        complete_by,
        extension_notice_by: policy.extension_notice_by(received),
        next,
        days_left: next.map(|n| (n - today).num_days()),
        due_soon: next.is_some_and(|n| policy.is_due_soon(n, today)),
        overdue: next.is_some_and(|n| n < today),
    }
}

/// How identity was established, as shown.
#[derive(Clone, Serialize)]
pub struct IdentityView {
    pub method: IdentityMethod,
    pub on: NaiveDate,
    /// `None`: the portal sign-in recorded it.
    pub recorded_by: Option<String>,
    pub recorded_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

#[derive(Clone, Serialize)]
pub struct ExtensionView {
    pub on: NaiveDate,
    pub reasons: String,
    pub by: Option<String>,
}

#[derive(Clone, Serialize)]
pub struct OutcomeView {
    pub outcome: Outcome,
    pub reasons: Option<String>,
    pub answer_sent_on: NaiveDate,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// One open request in the privacy officer's queue, without what the client wrote.
#[derive(Debug, Clone, Serialize)]
pub struct QueueLine {
    pub line: FiledLine,
    pub deadlines: Deadlines,
    pub identity: Option<IdentityMethod>,
    pub responded_on: Option<NaiveDate>,
    pub extended_on: Option<NaiveDate>,
    /// When the overdue request was escalated (the notice shows until it is closed).
    pub escalated_at: Option<DateTime<Utc>>,
}

/// The privacy officer's view of one request: what was filed and how it is handled.
#[derive(Clone, Serialize)]
pub struct RequestHandling {
    pub filed: FiledForOfficer,
    pub deadlines: Deadlines,
    pub registered_by: Option<String>,
    pub identity: Option<IdentityView>,
    pub responded_on: Option<NaiveDate>,
    pub extension: Option<ExtensionView>,
    pub outcome: Option<OutcomeView>,
    pub escalated_at: Option<DateTime<Utc>>,
    /// Whether an extension could be recorded today, and if not why.
    #[serde(skip)]
    pub may_extend: Result<(), ExtensionRefused>,
}

/// What the client sees of a request's handling in the portal.
#[derive(Clone, Serialize)]
pub struct PortalProgress {
    pub deadlines: Deadlines,
    pub extension: Option<ExtensionView>,
    pub outcome: Option<OutcomeView>,
}

macro_rules! redacted_debug {
    ($($name:ident),+) => {
        $(impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "(***)"))
            }
        })+
    };
}

// What the client or the officer wrote stays out of logs and panics (SEC-1).
redacted_debug!(
    IdentityView,
    ExtensionView,
    OutcomeView,
    RequestHandling,
    PortalProgress,
    MyFilingsWithProgress
);

/// The client's filings with the progress of each request, by request id.
#[derive(Clone, Default)]
pub struct MyFilingsWithProgress {
    pub filings: MyFilings,
    pub progress: HashMap<Uuid, PortalProgress>,
}

fn stored_or_internal<T>(value: Option<T>, what: &str) -> CoreResult<T> {
    value.ok_or_else(|| CoreError::Internal(format!("stored {what} unreadable")))
}

fn reasons(field: &'static str, text: &str, required: bool) -> CoreResult<String> {
    let text = free_text(field, text, required, REASONS_MAX_CHARS)?;
    if !text.is_empty() && text.chars().count() < REASONS_MIN_CHARS {
        return Err(CoreError::invalid(
            field,
            format!("write at least {REASONS_MIN_CHARS} characters"),
        ));
    }
    Ok(text)
}

fn staff_id(actor: &Actor) -> CoreResult<UserId> {
    actor.user_id().ok_or(CoreError::NotFound)
}

/// A write on one request by the privacy officer: an update of the client's request.
fn officer_update(request: &RightsRequestRow, detail: impl Into<String>) -> Access {
    Access::new(
        AuditAction::Update,
        AuditObject::RightsRequest,
        Some(request.client_id),
    )
    .target(Target::Request)
    .object_id(request.id)
    .purpose(Purpose::RightsRequest)
    .detail(detail)
}

impl App {
    pub(crate) fn request_deadlines(
        &self,
        r: &RightsRequestRow,
        w: &RequestWorkflowRow,
    ) -> Deadlines {
        deadlines_of(
            self.policy.requests(),
            r.received_on,
            w.responded_on.is_some(),
            w.extended_on.is_some(),
            r.status == FiledStatus::Closed.code(),
            self.clock.today(),
        )
    }

    /// A request and its handling without content, for the gate and the checks.
    pub(crate) async fn request_and_workflow(
        &self,
        id: Uuid,
    ) -> CoreResult<(RightsRequestRow, RequestWorkflowRow)> {
        let tx = self.store.read_tx().await?;
        let request = zv_store::requests::request_meta(&tx, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let workflow = zv_store::requests::workflow_meta(&tx, &[id])
            .await?
            .pop()
            .unwrap_or_default();
        tx.commit().await?;
        Ok((request, workflow))
    }

    /// Registers a request received by letter, e-mail, phone or in conversation
    /// (RTS-1): a worker assigned to the client, or the privacy officer (the rules in
    /// `access/rts1_requests.cedar` decide). It gets a reference like a portal filing;
    /// nothing is stored when anything is refused.
    pub async fn register_rights_request(
        &self,
        actor: &Actor,
        input: NewRegisteredRequest,
    ) -> CoreResult<super::Filed> {
        let filed_by = input.filed_by;
        let by = staff_id(actor)?;
        if input.channel == Channel::Portal {
            return Err(CoreError::invalid(
                "channel",
                "a portal filing registers itself; choose letter, e-mail, phone or conversation",
            ));
        }
        let today = self.clock.today();
        if input.received_on > today {
            return Err(CoreError::invalid(
                "received_on",
                "the day received cannot be in the future",
            ));
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
        let tx = self.store.read_tx().await?;
        let exists = zv_store::clients::exists(&tx, input.client).await?;
        let own = zv_store::trajectories::of_client(&tx, input.client).await?;
        let filer_link = match filed_by {
            Some(person) => zv_store::minors::link_of_person(&tx, person).await?,
            None => None,
        };
        tx.commit().await?;
        if !exists {
            return Err(CoreError::NotFound);
        }
        let filer_account = match (filed_by, filer_link) {
            (None, _) => None,
            (Some(_), Some(link)) if link.client_id == input.client => Some(link.account_id),
            (Some(_), _) => {
                return Err(CoreError::invalid(
                    "filed_by",
                    "choose a parent or representative who reads for this client in the portal",
                ));
            }
        };
        if chosen.iter().any(|t| !own.iter().any(|o| o.id == *t)) {
            return Err(CoreError::invalid(
                "trajectories",
                "choose among the client's trajectories",
            ));
        }
        let id = Uuid::now_v7();
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Create,
                    AuditObject::RightsRequest,
                    Some(input.client),
                )
                .target(Target::Request)
                .object_id(id)
                .purpose(Purpose::RightsRequest)
                .detail(format!(
                    "kind={} scope={scope} channel={}{}",
                    input.kind.code(),
                    input.channel.code(),
                    if filer_account.is_some() {
                        " filed_by=related_person"
                    } else {
                        ""
                    }
                )),
            )
            .await?;
        let year = input.received_on.year();
        let n = zv_store::requests::next_reference_number(&tx, REQUEST_PREFIX, year).await?;
        let reference = reference(REQUEST_PREFIX, year, n);
        let key = self.keys.client_key_for_write(&tx, input.client).await?;
        zv_store::requests::insert_request_registered(
            &tx,
            &RightsRequestRow {
                id,
                reference: reference.clone(),
                client_id: input.client,
                kind: input.kind.code().to_owned(),
                scope: scope.to_owned(),
                trajectories: chosen,
                channel: input.channel.code().to_owned(),
                received_on: input.received_on,
                status: FiledStatus::Received.code().to_owned(),
                text_ct: (!text.is_empty())
                    .then(|| Sealer { key: &key }.seal(T_REQUESTS, "text", id, &text)),
                portal_account: filer_account,
                created_at: self.now(),
            },
            Some(by),
        )
        .await?;
        tx.commit().await?;
        Ok(super::Filed { id, reference })
    }

    /// The parents and representatives who may be named as having filed a request for
    /// the client (`filed_by`): those whose record in the client's file reads for the
    /// client through a portal account. Their names where the actor may read the client's
    /// related persons (the worker on the case); otherwise only the relation. Only for
    /// someone the rules let register a request for this client.
    pub async fn request_filer_options(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<
        Vec<(
            zv_domain::RelatedPersonId,
            zv_domain::RelationKind,
            Option<String>,
        )>,
    > {
        let access = Access::new(
            AuditAction::Create,
            AuditObject::RightsRequest,
            Some(client),
        )
        .target(Target::Request);
        if !self.permitted(actor, &access).await? {
            return Err(CoreError::NotFound);
        }
        let tx = self.store.read_tx().await?;
        let links = zv_store::minors::links_of_client(&tx, client).await?;
        let mut people = Vec::with_capacity(links.len());
        for l in &links {
            if let Some(meta) =
                zv_store::minors::related_person_meta(&tx, l.related_person_id).await?
            {
                people.push(meta);
            }
        }
        tx.commit().await?;
        if people.is_empty() {
            return Ok(Vec::new());
        }
        let names = Access::new(AuditAction::Read, AuditObject::RelatedPerson, Some(client))
            .purpose(Purpose::RightsRequest);
        let named = if self.permitted(actor, &names).await? {
            self.related_persons_with_purpose(actor, client, Purpose::RightsRequest)
                .await?
        } else {
            Vec::new()
        };
        people
            .into_iter()
            .map(|m| {
                let relation = m
                    .relation
                    .parse()
                    .map_err(|_| CoreError::Internal("stored relation unreadable".into()))?;
                let name = named.iter().find(|p| p.id == m.id).map(|p| p.name.clone());
                Ok((m.id, relation, name))
            })
            .collect()
    }

    /// The client's trajectories a request may be about, for the registration form:
    /// ids, service types and opening days, no content. Only for someone the rules let
    /// register a request for this client.
    pub async fn request_scope_options(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<Vec<(TrajectoryId, String, NaiveDate)>> {
        let access = Access::new(
            AuditAction::Create,
            AuditObject::RightsRequest,
            Some(client),
        )
        .target(Target::Request);
        if !self.permitted(actor, &access).await? {
            return Err(CoreError::NotFound);
        }
        let tx = self.store.read_tx().await?;
        if !zv_store::clients::exists(&tx, client).await? {
            return Err(CoreError::NotFound);
        }
        let own = zv_store::trajectories::of_client(&tx, client).await?;
        tx.commit().await?;
        Ok(own
            .into_iter()
            .map(|t| (t.id, t.service_type, t.opened_on))
            .collect())
    }

    /// Records how identity was established (RTS-2). A document handed in is refused
    /// before anything happens: nothing is stored and the audit log records no change.
    pub async fn record_request_identity(
        &self,
        actor: &Actor,
        id: Uuid,
        input: IdentityInput,
    ) -> CoreResult<()> {
        if input.document_offered {
            return Err(CoreError::invalid("id_copy", NO_ID_COPY));
        }
        if input.method == IdentityMethod::PortalSecondFactor {
            return Err(CoreError::invalid(
                "method",
                "the portal sign-in is recorded by itself; choose how identity was established",
            ));
        }
        let by = staff_id(actor)?;
        let note = reasons("note", &input.note, false)?;
        let (request, workflow) = self.request_and_workflow(id).await?;
        if input.on > self.clock.today() || input.on < request.received_on {
            return Err(CoreError::invalid(
                "on",
                "the day must be between the day received and today",
            ));
        }
        let tx = self
            .authorize_write(
                actor,
                officer_update(&request, format!("identity method={}", input.method.code())),
            )
            .await?;
        if workflow.outcome.is_some() {
            return Err(CoreError::Conflict(ALREADY_CLOSED.into()));
        }
        let key = self
            .keys
            .client_key_for_write(&tx, request.client_id)
            .await?;
        zv_store::requests::record_identity(
            &tx,
            id,
            zv_store::requests::NewIdentity {
                method: input.method.code(),
                on: input.on,
                recorded_by: Some(by),
                recorded_at: self.now(),
                note_ct: (!note.is_empty())
                    .then(|| Sealer { key: &key }.seal(T_REQUESTS, "identity_note", id, &note)),
            },
        )
        .await?;
        zv_store::requests::set_status(&tx, id, FiledStatus::InProgress.code()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the first reaction to the client (RTS-3), on a day between receipt and
    /// today.
    pub async fn record_request_reaction(
        &self,
        actor: &Actor,
        id: Uuid,
        on: NaiveDate,
    ) -> CoreResult<()> {
        let by = staff_id(actor)?;
        let (request, workflow) = self.request_and_workflow(id).await?;
        if on > self.clock.today() || on < request.received_on {
            return Err(CoreError::invalid(
                "responded_on",
                "the day must be between the day received and today",
            ));
        }
        let tx = self
            .authorize_write(actor, officer_update(&request, "reaction"))
            .await?;
        if workflow.outcome.is_some() {
            return Err(CoreError::Conflict(ALREADY_CLOSED.into()));
        }
        zv_store::requests::record_reaction(&tx, id, on, by).await?;
        zv_store::requests::set_status(&tx, id, FiledStatus::InProgress.code()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the extension of the deadline, announced to the client today with its
    /// reasons (RTS-3): only where the policy allows one, once, and within the notice
    /// period.
    pub async fn extend_request(&self, actor: &Actor, id: Uuid, why: &str) -> CoreResult<()> {
        let by = staff_id(actor)?;
        let why = reasons("reasons", why, true)?;
        let (request, workflow) = self.request_and_workflow(id).await?;
        let today = self.clock.today();
        let tx = self
            .authorize_write(actor, officer_update(&request, "extension"))
            .await?;
        if workflow.outcome.is_some() {
            return Err(CoreError::Conflict(ALREADY_CLOSED.into()));
        }
        self.policy
            .requests()
            .may_extend(request.received_on, workflow.extended_on.is_some(), today)
            .map_err(|e| CoreError::Conflict(extension_refusal(e).into()))?;
        let key = self
            .keys
            .client_key_for_write(&tx, request.client_id)
            .await?;
        let sealed = Sealer { key: &key }.seal(T_REQUESTS, "extension_reasons", id, &why);
        // The statement itself refuses a second extension, so two at once make one.
        if !zv_store::requests::record_extension(&tx, id, today, sealed, by).await? {
            return Err(CoreError::Conflict(EXTENSION_TWICE.into()));
        }
        zv_store::requests::set_status(&tx, id, FiledStatus::InProgress.code()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the decision and closes the request. Granting (wholly or in part) needs
    /// identity recorded first (RTS-2); a refusal or a partial grant needs reasons.
    pub async fn decide_request(
        &self,
        actor: &Actor,
        id: Uuid,
        input: OutcomeInput,
    ) -> CoreResult<()> {
        let by = staff_id(actor)?;
        let required = input.outcome != Outcome::Granted;
        let why = reasons("reasons", &input.reasons, required)?;
        let (request, workflow) = self.request_and_workflow(id).await?;
        if input.answer_sent_on > self.clock.today() || input.answer_sent_on < request.received_on {
            return Err(CoreError::invalid(
                "answer_sent_on",
                "the day must be between the day received and today",
            ));
        }
        let tx = self
            .authorize_write(
                actor,
                officer_update(&request, format!("outcome={}", input.outcome.code())),
            )
            .await?;
        // After the gate, so that whether identity is recorded is told only to whom
        // may handle the request.
        if input.outcome != Outcome::Refused && workflow.identity_method.is_none() {
            return Err(CoreError::Conflict(IDENTITY_FIRST.into()));
        }
        let key = self
            .keys
            .client_key_for_write(&tx, request.client_id)
            .await?;
        let decided = zv_store::requests::record_outcome(
            &tx,
            id,
            zv_store::requests::NewOutcome {
                outcome: input.outcome.code(),
                reasons_ct: (!why.is_empty())
                    .then(|| Sealer { key: &key }.seal(T_REQUESTS, "outcome_reasons", id, &why)),
                answer_sent_on: input.answer_sent_on,
                decided_by: by,
                decided_at: self.now(),
            },
        )
        .await?;
        if !decided {
            return Err(CoreError::Conflict(ALREADY_CLOSED.into()));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The privacy officer's queue: every open request with its deadlines, the most
    /// urgent first (reading it is recorded, without any client's content).
    pub async fn request_queue(&self, actor: &Actor) -> CoreResult<Vec<QueueLine>> {
        let tx = self
            .authorize_organisation_write(
                actor,
                Access::new(AuditAction::Read, AuditObject::RightsRequest, None)
                    .target(Target::Request)
                    .purpose(Purpose::RightsRequest)
                    .detail("open requests with deadlines"),
            )
            .await?;
        let open = zv_store::requests::open_requests(&tx, QUEUE_LIMIT).await?;
        let ids: Vec<Uuid> = open.iter().map(|r| r.id).collect();
        let workflows = zv_store::requests::workflow_meta(&tx, &ids).await?;
        tx.commit().await?;
        let mut lines = open
            .iter()
            .zip(workflows)
            .map(|(r, w)| {
                Ok(QueueLine {
                    line: request_line(r)?,
                    deadlines: self.request_deadlines(r, &w),
                    identity: w
                        .identity_method
                        .as_deref()
                        .and_then(IdentityMethod::from_code),
                    responded_on: w.responded_on,
                    extended_on: w.extended_on,
                    escalated_at: w.escalated_at,
                })
            })
            .collect::<CoreResult<Vec<_>>>()?;
        lines.sort_by_key(|l| (l.deadlines.next, l.line.received_on));
        Ok(lines)
    }

    /// One request with its handling, for the privacy officer: a recorded read of the
    /// client's data.
    pub async fn request_handling(&self, actor: &Actor, id: Uuid) -> CoreResult<RequestHandling> {
        let filed = self.filed_request(actor, id).await?;
        self.request_handling_of(actor, filed).await
    }

    /// [`Self::request_handling`] of a request already read with [`Self::filed_request`].
    pub async fn request_handling_of(
        &self,
        actor: &Actor,
        filed: FiledForOfficer,
    ) -> CoreResult<RequestHandling> {
        let id = filed.detail.line.id;
        if filed.detail.line.kind.is_none() {
            // A complaint: not a rights request.
            return Err(CoreError::NotFound);
        }
        let client = filed.detail.line.client;
        // The read of the request was recorded by `filed_request`; the handling belongs
        // to it, read under the same decision.
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::RightsRequest, Some(client))
                    .target(Target::Request)
                    .object_id(id)
                    .purpose(Purpose::RightsRequest)
                    .detail("handling"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let request = zv_store::requests::get_request(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let w = zv_store::requests::get_workflow(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let people: Vec<UserId> = [
            w.registered_by,
            w.identity_recorded_by,
            w.extended_by,
            w.decided_by,
        ]
        .into_iter()
        .flatten()
        .collect();
        let names = zv_store::staff::names_of(&tx, &people).await?;
        tx.commit().await?;
        let name = |u: Option<UserId>| u.and_then(|u| names.get(&u).cloned());
        let s = Sealer { key: &key };
        let identity = match (&w.identity_method, w.identity_on) {
            (Some(m), Some(on)) => Some(IdentityView {
                method: stored_or_internal(IdentityMethod::from_code(m), "identity method")?,
                on,
                recorded_by: name(w.identity_recorded_by),
                recorded_at: w.identity_recorded_at,
                note: s.open_opt(
                    T_REQUESTS,
                    "identity_note",
                    id,
                    w.identity_note_ct.as_deref(),
                )?,
            }),
            _ => None,
        };
        let (extension, outcome) = self.opened_progress(&s, id, &w, &name)?;
        Ok(RequestHandling {
            deadlines: self.request_deadlines(&request, &w),
            registered_by: name(w.registered_by),
            identity,
            responded_on: w.responded_on,
            extension,
            outcome,
            escalated_at: w.escalated_at,
            may_extend: self.policy.requests().may_extend(
                request.received_on,
                w.extended_on.is_some(),
                self.clock.today(),
            ),
            filed,
        })
    }

    fn opened_progress(
        &self,
        s: &Sealer<'_>,
        id: Uuid,
        w: &RequestWorkflowRow,
        name: &dyn Fn(Option<UserId>) -> Option<String>,
    ) -> CoreResult<(Option<ExtensionView>, Option<OutcomeView>)> {
        let extension = match w.extended_on {
            Some(on) => Some(ExtensionView {
                on,
                reasons: s
                    .open_opt(
                        T_REQUESTS,
                        "extension_reasons",
                        id,
                        w.extension_reasons_ct.as_deref(),
                    )?
                    .unwrap_or_default(),
                by: name(w.extended_by),
            }),
            None => None,
        };
        let outcome = match (&w.outcome, w.answer_sent_on) {
            (Some(o), Some(sent)) => Some(OutcomeView {
                outcome: stored_or_internal(Outcome::from_code(o), "outcome")?,
                reasons: s.open_opt(
                    T_REQUESTS,
                    "outcome_reasons",
                    id,
                    w.outcome_reasons_ct.as_deref(),
                )?,
                answer_sent_on: sent,
                decided_by: name(w.decided_by),
                decided_at: w.decided_at,
            }),
            _ => None,
        };
        Ok((extension, outcome))
    }

    /// What the client filed, with each request's deadlines, extension and outcome:
    /// one recorded read of their own data. Staff names are left out.
    pub async fn my_filings_with_progress(
        &self,
        actor: &Actor,
    ) -> CoreResult<MyFilingsWithProgress> {
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
        let mut workflows = Vec::with_capacity(requests.len());
        for r in &requests {
            workflows.push(
                zv_store::requests::get_workflow(&tx, &auth, r.id)
                    .await?
                    .unwrap_or_default(),
            );
        }
        tx.commit().await?;
        let s = Sealer { key: &key };
        let mut progress = HashMap::new();
        for (r, w) in requests.iter().zip(&workflows) {
            let (extension, outcome) =
                self.opened_progress(&s, r.id, w, &|_: Option<UserId>| None)?;
            progress.insert(
                r.id,
                PortalProgress {
                    deadlines: self.request_deadlines(r, w),
                    extension,
                    outcome,
                },
            );
        }
        Ok(MyFilingsWithProgress {
            filings: MyFilings {
                // A request a parent or representative filed about the client is shown
                // to the client too, marked, without the filer's name.
                requests: requests
                    .iter()
                    .map(|r| super::open_request_for(&key, r, account))
                    .collect::<CoreResult<Vec<FiledDetail>>>()?,
                complaints: complaints
                    .iter()
                    .map(|c| super::open_complaint_for(&key, c, account))
                    .collect::<CoreResult<_>>()?,
            },
            progress,
        })
    }
}

/// The stable message of a refused extension.
#[must_use]
pub const fn extension_refusal(e: ExtensionRefused) -> &'static str {
    match e {
        ExtensionRefused::NotAllowed => EXTENSION_NOT_ALLOWED,
        ExtensionRefused::AlreadyExtended => EXTENSION_TWICE,
        ExtensionRefused::TooLate => EXTENSION_TOO_LATE,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use zv_policy::{DeadlineExtension, Term};

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn lev() -> RequestDeadlines {
        RequestDeadlines {
            respond_within: Term::weeks(2),
            complete_within: Term::weeks(4),
            extension: None,
            due_soon: Term::weeks(1),
        }
    }

    // promise: RTS-3
    #[test]
    fn the_reaction_counts_until_recorded_then_the_completion() {
        let p = lev();
        let received = d("2026-11-22");
        let open = deadlines_of(&p, received, false, false, false, d("2026-11-30"));
        assert_eq!(open.next, Some(d("2026-12-06")));
        assert_eq!(open.days_left, Some(6));
        assert!(open.due_soon && !open.overdue);
        let reacted = deadlines_of(&p, received, true, false, false, d("2026-12-07"));
        assert_eq!(reacted.next, Some(d("2026-12-20")));
        assert!(!reacted.due_soon && !reacted.overdue);
        let late = deadlines_of(&p, received, true, false, false, d("2026-12-21"));
        assert!(late.overdue && !late.due_soon);
        assert_eq!(late.days_left, Some(-1));
        let closed = deadlines_of(&p, received, true, false, true, d("2027-01-30"));
        assert!(closed.next.is_none() && !closed.overdue);
    }

    // promise: RTS-3
    #[test]
    fn an_extension_moves_the_completion_by_two_months() {
        let p = RequestDeadlines {
            respond_within: Term::months(1),
            complete_within: Term::months(1),
            extension: Some(DeadlineExtension {
                by: Term::months(2),
                notice_within: Term::months(1),
            }),
            due_soon: Term::weeks(1),
        };
        let extended = deadlines_of(&p, d("2026-10-31"), true, true, false, d("2026-11-15"));
        assert_eq!(extended.complete_by, d("2027-01-30"));
        assert_eq!(extended.extension_notice_by, Some(d("2026-11-30")));
    }
}
