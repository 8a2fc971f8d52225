//! Complaints handled end to end (CMP-1, ACC-3; decision 0024). A complaint reaches the
//! organisation through the portal, by letter, e-mail, phone or in conversation (see
//! [`crate::grants`] and [`crate::requests`]); here it is handled:
//!
//! 1. A complaint without a handler (one from the portal) is assigned to a manager by
//!    the privacy officer or a manager, naming the trajectories it concerns. The
//!    assignment opens the manager's grant on each of them (ACC-3), bound to the
//!    complaint: it ends when the complaint closes, or on its end date.
//! 2. The handler records the steps taken (the day, who, what was done; the text sealed
//!    with the client's key) and the decision: upheld, partly upheld, not upheld or
//!    withdrawn, with reasons.
//! 3. The answer letter (PDF, Dutch or English) states the decision and its reasons and
//!    the right to complain to the Autoriteit Persoonsgegevens (from the policy). It is
//!    rendered on demand from the stored decision and never stored.
//! 4. A complaint not decided within the policy's handling term
//!    (`[complaints] handling_term`) is overdue; the lists show the days left.
//! 5. The client follows the state in the portal and, once decided, downloads the answer.
//!
//! Who may do what is decided at the gate: a manager acts on `Complaint` (the rule
//! `acc3-register-complaint` lets managers create and update complaints; reading one
//! needs the running grant, `acc3-complaint-grant`), the privacy officer on the
//! complaint as a filing (`Request`: `por4-privacy-officer-sees-requests`,
//! `rts1-privacy-officer-handles-requests`, `rts4-privacy-officer-prepares-copy`), the
//! client on their own filing (`por4-client-files-requests`, `rts4-client-downloads-copy`).
//! The core adds what the rules cannot see: only the complaint's own handler records
//! steps and the decision.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_documents as docs;
use zv_domain::{AuditAction, AuditObject, ClientId, Purpose, Role, TrajectoryId, UserId};
use zv_store::complaints::{ComplaintRecord, StepRow};
use zv_store::grants::GrantRow;

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor, GRANT_COMPLAINT};
use crate::grants::{T_COMPLAINTS, new_grant};
use crate::keys::Sealer;
use crate::requests::LetterLanguage;
use crate::withholdings::code_enum;

const T_STEPS: &str = "complaint_steps";
const TEXT_MAX_CHARS: usize = 5_000;

code_enum!(
    /// How a complaint was decided.
    ComplaintDecision {
        /// Gegrond.
        Upheld = "upheld",
        /// Gedeeltelijk gegrond.
        PartlyUpheld = "partly_upheld",
        /// Ongegrond.
        NotUpheld = "not_upheld",
        /// Ingetrokken door de klager.
        Withdrawn = "withdrawn",
    }
);

code_enum!(
    /// Where a complaint stands.
    ComplaintState {
        /// Received, no handler yet.
        Received = "received",
        /// A manager handles it.
        InHandling = "in_handling",
        /// Decided; the answer can be sent.
        Decided = "decided",
        /// Closed: the handler's access has ended.
        Closed = "closed",
    }
);

impl ComplaintDecision {
    const fn letter(self) -> docs::ComplaintDecision {
        match self {
            Self::Upheld => docs::ComplaintDecision::Upheld,
            Self::PartlyUpheld => docs::ComplaintDecision::PartlyUpheld,
            Self::NotUpheld => docs::ComplaintDecision::NotUpheld,
            Self::Withdrawn => docs::ComplaintDecision::Withdrawn,
        }
    }
}

/// A complaint as a list shows it: no content, with its term.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintLine {
    pub id: Uuid,
    pub reference: Option<String>,
    pub client: ClientId,
    pub channel: String,
    pub received_on: NaiveDate,
    pub handler: Option<UserId>,
    pub handler_name: Option<String>,
    pub state: ComplaintState,
    pub decision: Option<ComplaintDecision>,
    pub decided_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// The last day of the policy's handling term.
    pub due_on: NaiveDate,
    /// Days from today to `due_on` (negative when past).
    pub days_left: i64,
    /// Not decided (nor closed) and past its term.
    pub overdue: bool,
}

/// A trajectory as a complaint names it: its service and the day it started.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintTrajectory {
    pub id: TrajectoryId,
    pub service: String,
    pub service_name: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

/// A step taken in handling a complaint.
#[derive(Clone, Serialize)]
pub struct ComplaintStep {
    pub id: Uuid,
    pub taken_on: NaiveDate,
    pub recorded_by: UserId,
    pub recorded_by_name: String,
    pub text: String,
    pub recorded_at: DateTime<Utc>,
}

impl std::fmt::Debug for ComplaintStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ComplaintStep({}, ***)", self.id)
    }
}

/// One complaint with what the client wrote, its steps and decision: the handler's and
/// the privacy officer's view.
#[derive(Clone, Serialize)]
pub struct ComplaintCase {
    pub line: ComplaintLine,
    pub subject: String,
    /// What the client wrote in the portal; `None` for a complaint registered by staff.
    pub text: Option<String>,
    pub trajectories: Vec<ComplaintTrajectory>,
    pub steps: Vec<ComplaintStep>,
    pub reasons: Option<String>,
    /// The reader is the complaint's handler (records steps and the decision).
    pub is_handler: bool,
}

impl std::fmt::Debug for ComplaintCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ComplaintCase({}, ***)", self.line.id)
    }
}

/// What an assignment chooses from: the client's trajectories and the managers.
#[derive(Debug, Clone, Serialize)]
pub struct AssignmentChoices {
    pub line: ComplaintLine,
    pub trajectories: Vec<ComplaintTrajectory>,
    pub managers: Vec<(UserId, String)>,
}

/// The assignment of a complaint to a manager.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub handler: UserId,
    pub trajectories: Vec<TrajectoryId>,
    /// The grant's last day, at most the policy's longest grant.
    pub ends_on: NaiveDate,
}

/// A complaint as its client follows it in the portal.
#[derive(Clone, Serialize)]
pub struct ClientComplaint {
    pub id: Uuid,
    pub reference: Option<String>,
    pub subject: String,
    pub received_on: NaiveDate,
    pub state: ComplaintState,
    pub decision: Option<ComplaintDecision>,
    pub decided_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
}

impl std::fmt::Debug for ClientComplaint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ClientComplaint({}, ***)", self.id)
    }
}

/// The answer letter as downloaded.
pub struct ComplaintLetterPdf {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for ComplaintLetterPdf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ComplaintLetterPdf({}, ***)", self.file_name)
    }
}

/// The client's complaints as the access copy words them, in Dutch: reference, subject
/// and where each stands. A complaint about a trajectory outside the copy's scope stays
/// out of it.
pub(crate) async fn copy_records(
    tx: &zv_store::Tx,
    auth: &zv_store::Authorized,
    key: &zv_crypto::DataKey,
    scope: &[TrajectoryId],
) -> CoreResult<Vec<zv_documents::OtherRecord>> {
    let rows = zv_store::complaints::of_client(tx, auth).await?;
    let mut out = Vec::new();
    for c in rows
        .iter()
        .filter(|c| c.trajectory_id.is_none_or(|t| scope.contains(&t)))
    {
        let subject = Sealer { key }.open(T_COMPLAINTS, "subject", c.id, &c.subject_ct)?;
        let state = match (state_of(c), c.decision.as_deref(), c.decided_on) {
            (ComplaintState::Received, _, _) => "ontvangen".to_owned(),
            (ComplaintState::InHandling, _, _) => "in behandeling".to_owned(),
            (_, Some(d), on) => format!(
                "beslist{}: {}",
                on.map(|d| format!(" op {d}")).unwrap_or_default(),
                match d {
                    "upheld" => "gegrond",
                    "partly_upheld" => "gedeeltelijk gegrond",
                    "not_upheld" => "ongegrond",
                    _ => "ingetrokken",
                }
            ),
            (_, None, _) => "afgesloten".to_owned(),
        };
        out.push(zv_documents::OtherRecord {
            register: "complaint".to_owned(),
            on: c.received_on.to_string(),
            text: format!(
                "Klacht{}: \"{subject}\"; {state}.",
                c.reference
                    .as_deref()
                    .map(|r| format!(" {r}"))
                    .unwrap_or_default()
            ),
        });
    }
    Ok(out)
}

fn state_of(c: &ComplaintRecord) -> ComplaintState {
    if c.closed_on.is_some() {
        ComplaintState::Closed
    } else if c.decision.is_some() {
        ComplaintState::Decided
    } else if c.handler.is_some() {
        ComplaintState::InHandling
    } else {
        ComplaintState::Received
    }
}

fn text(field: &'static str, value: &str, required: bool) -> CoreResult<String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(CoreError::invalid(field, "the field is required"));
    }
    if value.chars().count() > TEXT_MAX_CHARS {
        return Err(CoreError::invalid(
            field,
            format!("the field is longer than {TEXT_MAX_CHARS} characters"),
        ));
    }
    Ok(value.to_owned())
}

fn is_officer(actor: &Actor) -> bool {
    matches!(actor, Actor::Staff(s) if s.roles.contains(&Role::PrivacyOfficer))
}

impl App {
    /// The last day to answer a complaint received on `received_on` (CMP-1).
    #[must_use]
    pub fn complaint_due_on(&self, received_on: NaiveDate) -> NaiveDate {
        self.policy.complaints().handling_term.add_to(received_on)
    }

    fn complaint_line(
        &self,
        c: &ComplaintRecord,
        names: &std::collections::HashMap<UserId, String>,
    ) -> ComplaintLine {
        let today = self.clock.today();
        let due_on = self.complaint_due_on(c.received_on);
        let state = state_of(c);
        ComplaintLine {
            id: c.id,
            reference: c.reference.clone(),
            client: c.client_id,
            channel: c.channel.clone(),
            received_on: c.received_on,
            handler: c.handler,
            handler_name: c.handler.and_then(|h| names.get(&h).cloned()),
            state,
            decision: c.decision.as_deref().and_then(ComplaintDecision::from_code),
            decided_on: c.decided_on,
            closed_on: c.closed_on,
            due_on,
            days_left: (due_on - today).num_days(),
            overdue: matches!(state, ComplaintState::Received | ComplaintState::InHandling)
                && today > due_on,
        }
    }

    async fn complaint_lines(&self, rows: &[ComplaintRecord]) -> CoreResult<Vec<ComplaintLine>> {
        let mut handlers: Vec<UserId> = rows.iter().filter_map(|c| c.handler).collect();
        handlers.sort_unstable();
        handlers.dedup();
        let tx = self.store.read_tx().await?;
        let names = zv_store::staff::names_of(&tx, &handlers).await?;
        tx.commit().await?;
        Ok(rows
            .iter()
            .map(|c| self.complaint_line(c, &names))
            .collect())
    }

    async fn complaint_record(&self, id: Uuid) -> CoreResult<ComplaintRecord> {
        let tx = self.store.read_tx().await?;
        let found = zv_store::complaints::meta(&tx, id).await?;
        tx.commit().await?;
        found.ok_or(CoreError::NotFound)
    }

    /// The complaints a staff member follows, without content: the privacy officer every
    /// complaint (reading the register is recorded); a manager the open complaints
    /// without a handler (to assign) and those they handle. Anyone else: none.
    pub async fn complaints_overview(&self, actor: &Actor) -> CoreResult<Vec<ComplaintLine>> {
        if is_officer(actor) {
            let tx = self
                .authorize_organisation_write(
                    actor,
                    Access::new(AuditAction::Read, AuditObject::Complaint, None)
                        .target(Target::Request)
                        .detail("complaints register"),
                )
                .await?;
            let rows = zv_store::complaints::list(&tx, false, 1_000).await?;
            tx.commit().await?;
            let mut lines = self.complaint_lines(&rows).await?;
            // Open ones first, the most urgent on top; then the rest, newest first.
            lines.sort_by(|a, b| {
                let open = |l: &ComplaintLine| l.closed_on.is_none();
                open(b)
                    .cmp(&open(a))
                    .then(a.due_on.cmp(&b.due_on))
                    .then(a.id.cmp(&b.id))
            });
            return Ok(lines);
        }
        let Some(me) = actor.user_id() else {
            return Err(CoreError::NotFound);
        };
        // The rules decide whether the actor handles complaints at all (a manager); the
        // list names no client and holds nothing they wrote.
        if !self.capability(actor, AuditAction::Update, Target::Complaint)? {
            return Ok(Vec::new());
        }
        let tx = self.store.read_tx().await?;
        let rows: Vec<ComplaintRecord> = zv_store::complaints::list(&tx, true, 1_000)
            .await?
            .into_iter()
            .filter(|c| c.handler.is_none() || c.handler == Some(me))
            .collect();
        tx.commit().await?;
        self.complaint_lines(&rows).await
    }

    /// The trajectories of the complaint's client and the managers, to assign it: a
    /// recorded read of which services the client uses.
    pub async fn complaint_assignment_choices(
        &self,
        actor: &Actor,
        complaint: Uuid,
    ) -> CoreResult<AssignmentChoices> {
        let c = self.complaint_record(complaint).await?;
        let access = if is_officer(actor) {
            Access::new(AuditAction::Read, AuditObject::Complaint, Some(c.client_id))
                .target(Target::Request)
        } else {
            // ACC-2: a manager sees which services a client uses, never the content.
            Access::new(
                AuditAction::Read,
                AuditObject::ServicesOverview,
                Some(c.client_id),
            )
            .target(Target::ServicesOverview)
        };
        let _auth = self
            .authorize_read(
                actor,
                access
                    .object_id(complaint)
                    .detail("to assign the complaint"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let trajectories = zv_store::trajectories::of_client(&tx, c.client_id).await?;
        let staff = zv_store::staff::list(&tx).await?;
        tx.commit().await?;
        let managers = staff
            .into_iter()
            .filter(|u| !u.disabled && u.roles.iter().any(|r| r == Role::Manager.code()))
            .map(|u| (u.id, u.display_name))
            .collect();
        Ok(AssignmentChoices {
            line: self
                .complaint_lines(std::slice::from_ref(&c))
                .await?
                .remove(0),
            trajectories: trajectories
                .iter()
                .map(|t| self.complaint_trajectory(t))
                .collect(),
            managers,
        })
    }

    fn complaint_trajectory(&self, t: &zv_store::TrajectoryRow) -> ComplaintTrajectory {
        ComplaintTrajectory {
            id: t.id,
            service: t.service_type.clone(),
            service_name: crate::requests::service_name(
                &self.policy,
                &t.service_type,
                LetterLanguage::Nl,
            ),
            opened_on: t.opened_on,
            closed_on: t.closed_on,
        }
    }

    /// Assigns a complaint without a handler to a manager (CMP-1): names the
    /// trajectories it concerns and opens the manager's grant on each (ACC-3), bound to
    /// the complaint, in one transaction with the audit event.
    pub async fn assign_complaint(
        &self,
        actor: &Actor,
        complaint: Uuid,
        assignment: Assignment,
    ) -> CoreResult<()> {
        let by = Self::staff_user(actor)?;
        let c = self.complaint_record(complaint).await?;
        let target = if is_officer(actor) {
            Target::Request
        } else {
            Target::Complaint
        };
        let access = Access::new(
            AuditAction::Update,
            AuditObject::Complaint,
            Some(c.client_id),
        )
        .target(target)
        .object_id(complaint)
        .detail("assigned");
        // Someone the rules do not let act on complaints learns nothing about this one.
        if !self.permitted(actor, &access).await? {
            drop(self.authorize_write(actor, access).await?);
            return Err(CoreError::NotFound);
        }
        if c.closed_on.is_some() || c.handler.is_some() {
            return Err(CoreError::Conflict(
                "this complaint has a handler already or is closed".into(),
            ));
        }
        let mut chosen = assignment.trajectories.clone();
        chosen.sort_unstable();
        chosen.dedup();
        if chosen.is_empty() {
            return Err(CoreError::invalid(
                "trajectories",
                "choose the trajectories the complaint is about",
            ));
        }
        let ends_at = self.grant_end(assignment.ends_on)?;
        let tx0 = self.store.read_tx().await?;
        let of_client = zv_store::trajectories::of_client(&tx0, c.client_id).await?;
        let handler = zv_store::staff::get(&tx0, assignment.handler).await?;
        tx0.commit().await?;
        if chosen.iter().any(|t| !of_client.iter().any(|o| o.id == *t)) {
            return Err(CoreError::invalid(
                "trajectories",
                "choose trajectories of the client the complaint is from",
            ));
        }
        let Some(handler) = handler.filter(|u| !u.disabled) else {
            return Err(CoreError::invalid("handler", "unknown staff member"));
        };
        if !handler.roles.iter().any(|r| r == Role::Manager.code()) {
            return Err(CoreError::invalid(
                "handler",
                "a complaint is handled by a manager",
            ));
        }
        let now = self.now();
        // The first trajectory named is the complaint's own (the register's column); the
        // grants name them all.
        let first = assignment
            .trajectories
            .iter()
            .copied()
            .find(|t| chosen.contains(t))
            .unwrap_or(chosen[0]);
        let tx = self.authorize_write(actor, access).await?;
        if !zv_store::complaints::assign(&tx, complaint, handler.id, first, by, now).await? {
            return Err(CoreError::Conflict(
                "this complaint has a handler already or is closed".into(),
            ));
        }
        for t in &chosen {
            zv_store::grants::insert(
                &tx,
                &GrantRow {
                    trajectory: Some(*t),
                    client: Some(c.client_id),
                    complaint: Some(complaint),
                    purpose: format!("complaint {complaint}"),
                    ..new_grant(
                        Uuid::now_v7(),
                        GRANT_COMPLAINT,
                        handler.id,
                        Some(by),
                        now,
                        ends_at,
                    )
                },
            )
            .await?;
        }
        tx.commit().await?;
        tracing::info!(complaint.id = %complaint, user.id = %handler.id, "complaint assigned");
        Ok(())
    }

    /// The handler's write on their own complaint: the gate decides on the first
    /// trajectory it concerns; anyone but the handler is told it does not exist.
    async fn handler_write(
        &self,
        actor: &Actor,
        c: &ComplaintRecord,
        detail: String,
    ) -> CoreResult<zv_store::Tx> {
        if c.handler.is_none() || c.handler != actor.user_id() {
            return Err(CoreError::NotFound);
        }
        let mut access = Access::new(
            AuditAction::Update,
            AuditObject::Complaint,
            Some(c.client_id),
        )
        .target(Target::Complaint)
        .object_id(c.id)
        .detail(detail);
        if let Some(t) = c.trajectory_id {
            access = access.in_trajectory(t);
        }
        self.authorize_write(actor, access).await
    }

    /// Records a step taken in handling a complaint (CMP-1): the day, who, and what was
    /// done, sealed with the client's key. Only its handler, while it is open.
    pub async fn record_complaint_step(
        &self,
        actor: &Actor,
        complaint: Uuid,
        taken_on: NaiveDate,
        what: &str,
    ) -> CoreResult<Uuid> {
        let c = self.complaint_record(complaint).await?;
        if c.handler.is_none() || c.handler != actor.user_id() {
            return Err(CoreError::NotFound);
        }
        let what = text("text", what, true)?;
        if taken_on > self.clock.today() {
            return Err(CoreError::invalid("taken_on", "the day lies in the future"));
        }
        if taken_on < c.received_on {
            return Err(CoreError::invalid(
                "taken_on",
                "the day lies before the complaint was received",
            ));
        }
        if c.closed_on.is_some() {
            return Err(CoreError::Conflict("this complaint is closed".into()));
        }
        let by = Self::staff_user(actor)?;
        let id = Uuid::now_v7();
        let tx = self.handler_write(actor, &c, "step".to_owned()).await?;
        let key = self.keys.client_key_for_write(&tx, c.client_id).await?;
        zv_store::complaints::insert_step(
            &tx,
            &StepRow {
                id,
                complaint_id: complaint,
                client_id: c.client_id,
                taken_on,
                recorded_by: by,
                text_ct: Sealer { key: &key }.seal(T_STEPS, "text", id, &what),
                created_at: self.now(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records the decision on a complaint (CMP-1) with its reasons, sealed with the
    /// client's key. Only its handler, once, while it is open; the complaint stays open
    /// (and the handler's access with it) until the handler closes it after answering.
    pub async fn decide_complaint(
        &self,
        actor: &Actor,
        complaint: Uuid,
        decision: &str,
        reasons: &str,
    ) -> CoreResult<()> {
        let c = self.complaint_record(complaint).await?;
        if c.handler.is_none() || c.handler != actor.user_id() {
            return Err(CoreError::NotFound);
        }
        let Some(decision) = ComplaintDecision::from_code(decision) else {
            return Err(CoreError::invalid(
                "decision",
                "choose upheld, partly upheld, not upheld or withdrawn",
            ));
        };
        let reasons = text("reasons", reasons, true)?;
        if c.closed_on.is_some() || c.decision.is_some() {
            return Err(CoreError::Conflict(
                "this complaint is decided or closed already".into(),
            ));
        }
        let by = Self::staff_user(actor)?;
        let tx = self
            .handler_write(actor, &c, format!("decision={}", decision.code()))
            .await?;
        let key = self.keys.client_key_for_write(&tx, c.client_id).await?;
        let sealed =
            Sealer { key: &key }.seal(T_COMPLAINTS, "decision_reasons", complaint, &reasons);
        if !zv_store::complaints::decide(
            &tx,
            complaint,
            decision.code(),
            sealed,
            self.clock.today(),
            by,
        )
        .await?
        {
            return Err(CoreError::Conflict(
                "this complaint is decided or closed already".into(),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// One complaint with what the client wrote, its trajectories, steps and decision:
    /// for its handler while the grant runs (ACC-3), and for the privacy officer. A
    /// recorded read; anyone else is told it does not exist.
    pub async fn complaint_case(
        &self,
        actor: &Actor,
        complaint: Uuid,
    ) -> CoreResult<ComplaintCase> {
        let c = self.complaint_record(complaint).await?;
        let is_handler = c.handler.is_some() && c.handler == actor.user_id();
        let mut access = Access::new(AuditAction::Read, AuditObject::Complaint, Some(c.client_id))
            .object_id(complaint);
        if is_officer(actor) && !is_handler {
            access = access.target(Target::Request);
        } else {
            if !is_handler {
                return Err(CoreError::NotFound);
            }
            access = access.target(Target::Complaint);
            if let Some(t) = c.trajectory_id {
                access = access.in_trajectory(t);
            }
        }
        let auth = self.authorize_read(actor, access).await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let row = zv_store::complaints::get(&tx, &auth, complaint)
            .await?
            .ok_or(CoreError::NotFound)?;
        let steps = zv_store::complaints::steps(&tx, &auth, complaint).await?;
        let concerned = zv_store::complaints::trajectories(&tx, complaint).await?;
        let of_client = zv_store::trajectories::of_client(&tx, c.client_id).await?;
        let mut who: Vec<UserId> = steps.iter().map(|s| s.recorded_by).collect();
        who.extend(row.handler);
        who.sort_unstable();
        who.dedup();
        let names = zv_store::staff::names_of(&tx, &who).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        Ok(ComplaintCase {
            line: self.complaint_line(&row, &names),
            subject: s.open(T_COMPLAINTS, "subject", complaint, &row.subject_ct)?,
            text: s.open_opt(T_COMPLAINTS, "body", complaint, row.body_ct.as_deref())?,
            trajectories: of_client
                .iter()
                .filter(|t| concerned.contains(&t.id) || row.trajectory_id == Some(t.id))
                .map(|t| self.complaint_trajectory(t))
                .collect(),
            steps: steps
                .iter()
                .map(|st| {
                    Ok(ComplaintStep {
                        id: st.id,
                        taken_on: st.taken_on,
                        recorded_by: st.recorded_by,
                        recorded_by_name: names.get(&st.recorded_by).cloned().unwrap_or_default(),
                        text: s.open(T_STEPS, "text", st.id, &st.text_ct)?,
                        recorded_at: st.created_at,
                    })
                })
                .collect::<CoreResult<_>>()?,
            reasons: s.open_opt(
                T_COMPLAINTS,
                "decision_reasons",
                complaint,
                row.decision_reasons_ct.as_deref(),
            )?,
            is_handler,
        })
    }

    /// The client's complaints with their state and decision (CMP-1), as they follow
    /// them in the portal: a recorded read of their own data.
    pub async fn my_complaints(&self, actor: &Actor) -> CoreResult<Vec<ClientComplaint>> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        let client = p.client_id.ok_or(CoreError::NotFound)?;
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::Complaint, Some(client))
                    .target(Target::Request)
                    .detail("complaints"),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let rows = zv_store::complaints::of_client(&tx, &auth).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        rows.iter()
            .map(|c| {
                Ok(ClientComplaint {
                    id: c.id,
                    reference: c.reference.clone(),
                    subject: s.open(T_COMPLAINTS, "subject", c.id, &c.subject_ct)?,
                    received_on: c.received_on,
                    state: state_of(c),
                    decision: c.decision.as_deref().and_then(ComplaintDecision::from_code),
                    decided_on: c.decided_on,
                    due_on: self.complaint_due_on(c.received_on),
                })
            })
            .collect()
    }

    /// The answer letter of a decided complaint as a PDF in `language` (CMP-1): for the
    /// client in the portal (or the account that filed it), the privacy officer, and the
    /// handler while the grant runs. Every download is a recorded export of the client's
    /// data. A complaint not decided, or not the reader's, is "not found".
    pub async fn complaint_letter(
        &self,
        actor: &Actor,
        complaint: Uuid,
        language: LetterLanguage,
    ) -> CoreResult<ComplaintLetterPdf> {
        let c = self.complaint_record(complaint).await?;
        if c.decision.is_none() {
            return Err(CoreError::NotFound);
        }
        let detail = format!("complaint answer letter ({})", language.code());
        let access = match actor {
            Actor::Portal(p) => {
                let own = p.client_id == Some(c.client_id);
                if !own && c.portal_account != Some(p.account_id) {
                    return Err(CoreError::NotFound);
                }
                Access::new(
                    AuditAction::Export,
                    AuditObject::Complaint,
                    Some(c.client_id),
                )
                .target(Target::Request)
                .purpose(if own {
                    Purpose::OwnAccess
                } else {
                    Purpose::RepresentativeAccess
                })
            }
            Actor::Staff(_) if c.handler.is_some() && c.handler == actor.user_id() => {
                let mut a = Access::new(
                    AuditAction::PrintCopy,
                    AuditObject::Complaint,
                    Some(c.client_id),
                )
                .target(Target::Complaint);
                if let Some(t) = c.trajectory_id {
                    a = a.in_trajectory(t);
                }
                a
            }
            Actor::Staff(_) if is_officer(actor) => Access::new(
                AuditAction::Export,
                AuditObject::Complaint,
                Some(c.client_id),
            )
            .target(Target::Request),
            Actor::Staff(_) | Actor::System { .. } => return Err(CoreError::NotFound),
        };
        let auth = self
            .authorize_read(actor, access.object_id(complaint).detail(detail))
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let row = zv_store::complaints::get(&tx, &auth, complaint)
            .await?
            .ok_or(CoreError::NotFound)?;
        let person = zv_store::clients::get(&tx, &auth, c.client_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let signer: Vec<UserId> = row.decided_by.into_iter().collect();
        let names = zv_store::staff::names_of(&tx, &signer).await?;
        // A complaint a parent or representative filed in the portal is answered to them.
        let filer = match c.portal_account {
            Some(account) => zv_store::minors::links_of_account(&tx, account)
                .await?
                .into_iter()
                .find(|l| l.client_id == c.client_id)
                .map(|l| l.related_person_id),
            None => None,
        };
        let filer_name_ct = match filer {
            Some(p) => zv_store::related_persons::of_client(&tx, &auth)
                .await?
                .into_iter()
                .find(|r| r.id == p)
                .map(|r| (p, r.name_ct)),
            None => None,
        };
        tx.commit().await?;
        let (Some(decision), Some(decided_on)) = (
            row.decision
                .as_deref()
                .and_then(ComplaintDecision::from_code),
            row.decided_on,
        ) else {
            return Err(CoreError::NotFound);
        };
        let s = Sealer { key: &key };
        let reasons = s
            .open_opt(
                T_COMPLAINTS,
                "decision_reasons",
                complaint,
                row.decision_reasons_ct.as_deref(),
            )?
            .unwrap_or_default();
        let policy = self.policy();
        let letter = docs::ComplaintLetter {
            organisation: crate::access_copy::organisation_of(policy),
            recipient_name: match &filer_name_ct {
                Some((p, name_ct)) => s.open(crate::related::T, "name", p.as_uuid(), name_ct)?,
                None => s.open(
                    crate::clients::T,
                    "name",
                    c.client_id.as_uuid(),
                    &person.name_ct,
                )?,
            },
            date: decided_on.to_string(),
            reference: row
                .reference
                .clone()
                .unwrap_or_else(|| complaint.to_string()),
            received_on: row.received_on.to_string(),
            decision: decision.letter(),
            reasons: reasons
                .split("\n\n")
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|p| !p.is_empty())
                .collect(),
            signed_by: row
                .decided_by
                .and_then(|u| names.get(&u).cloned())
                .unwrap_or_default(),
            supervisory_authority: crate::access_copy::authority_of(policy),
            authority_phone_hours: policy
                .complaints()
                .supervisory_authority
                .phone_hours
                .clone(),
        };
        // Rendering is CPU work; it runs off the async workers.
        let bytes =
            tokio::task::spawn_blocking(move || docs::render_complaint_letter(&letter, language))
                .await
                .map_err(|e| CoreError::Internal(format!("rendering a letter: {e}")))?
                .map_err(|e| CoreError::Internal(e.to_string()))?;
        let reference = row.reference.unwrap_or_else(|| complaint.to_string());
        Ok(ComplaintLetterPdf {
            file_name: format!("klacht-{reference}-{}.pdf", language.code()),
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_round_trip_their_codes() {
        for d in ComplaintDecision::ALL {
            assert_eq!(ComplaintDecision::from_code(d.code()), Some(*d));
        }
        assert_eq!(ComplaintDecision::from_code("granted"), None);
    }
}
