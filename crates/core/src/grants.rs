//! Purpose-bound access beyond one's own caseload, each with a purpose, a scope, a start
//! and an end that comes by itself: a complaint handler's access (ACC-3), a quality review
//! (ACC-4), emergency access (ACC-5) and a substitute for an absent worker (ACC-6).
//! Granting is decided by the access rules like any other access and audited in the same
//! transaction; what a grant then opens is decided per request at the gate.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, Role, TrajectoryId, UserId};
use zv_store::grants::{ComplaintRow, GrantRow};

use crate::access::{Decision, Target};
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{
    Access, Actor, GRANT_COMPLAINT, GRANT_EMERGENCY, GRANT_QUALITY_REVIEW, GRANT_SUBSTITUTE,
};
use crate::keys::Sealer;

pub(crate) const T_COMPLAINTS: &str = "complaints";

/// How a complaint reached the organisation.
pub const COMPLAINT_CHANNELS: [&str; 5] = ["letter", "email", "phone", "conversation", "portal"];

/// A grant as shown to its holder, its granter and the privacy officer.
#[derive(Debug, Clone, Serialize)]
pub struct GrantView {
    pub id: Uuid,
    pub kind: String,
    pub holder: UserId,
    pub trajectory: Option<TrajectoryId>,
    pub absent_user: Option<UserId>,
    pub scope_team: Option<String>,
    pub scope_service_type: Option<String>,
    pub purpose: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub granted_by: Option<UserId>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Running now.
    pub active: bool,
}

impl GrantView {
    fn of(g: &GrantRow, now: DateTime<Utc>) -> Self {
        Self {
            id: g.id,
            kind: g.kind.clone(),
            holder: g.holder,
            trajectory: g.trajectory,
            absent_user: g.absent_user,
            scope_team: g.scope_team.clone(),
            scope_service_type: g.scope_service_type.clone(),
            purpose: g.purpose.clone(),
            starts_at: g.starts_at,
            ends_at: g.ends_at,
            ended_at: g.ended_at,
            granted_by: g.granted_by,
            reviewed_at: g.reviewed_at,
            active: g.active_at(now),
        }
    }
}

/// A complaint with its subject, as its handler reads it.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintView {
    pub id: Uuid,
    /// `KL-<year>-<n>`, as the client's acknowledgement names it.
    pub reference: Option<String>,
    pub trajectory: TrajectoryId,
    pub received_on: NaiveDate,
    pub channel: String,
    pub subject: String,
    pub handler: UserId,
    pub closed_on: Option<NaiveDate>,
    /// The last day to answer it by the policy's handling term (CMP-1).
    pub due_on: NaiveDate,
    /// Days until `due_on` from today; negative when overdue.
    pub days_left: i64,
}

/// What a quality review covers: a team, a service type, or both.
#[derive(Debug, Clone, Default)]
pub struct ReviewScope {
    pub team: Option<String>,
    pub service_type: Option<String>,
}

/// A grant of a kind with nothing covered yet; the caller says what it covers.
pub(crate) fn new_grant(
    id: Uuid,
    kind: &str,
    holder: UserId,
    granted_by: Option<UserId>,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
) -> GrantRow {
    GrantRow {
        id,
        kind: kind.to_owned(),
        holder,
        trajectory: None,
        client: None,
        absent_user: None,
        scope_team: None,
        scope_service_type: None,
        complaint: None,
        purpose: String::new(),
        starts_at,
        ends_at,
        ended_at: None,
        granted_by,
        reviewed_at: None,
        reviewed_by: None,
        created_at: starts_at,
    }
}

fn purpose_text(field: &'static str, text: &str) -> CoreResult<String> {
    let text = text.trim();
    if text.chars().count() < 10 {
        return Err(CoreError::invalid(
            field,
            "state the purpose in at least 10 characters",
        ));
    }
    if text.chars().count() > 500 {
        return Err(CoreError::invalid(
            field,
            "the field is longer than 500 characters",
        ));
    }
    Ok(text.to_owned())
}

impl App {
    pub(crate) fn staff_user(actor: &Actor) -> CoreResult<UserId> {
        actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("grants are held by staff members".into()))
    }

    /// The end of a grant that runs until the end of `ends_on` (a local date), checked
    /// against today and the policy's longest term.
    pub(crate) fn grant_end(&self, ends_on: NaiveDate) -> CoreResult<DateTime<Utc>> {
        let today = self.clock.today();
        let max = i64::from(self.policy.security().access_grant_max_days);
        if ends_on < today {
            return Err(CoreError::invalid(
                "ends_on",
                "the end date lies in the past",
            ));
        }
        if ends_on > today + Duration::days(max) {
            return Err(CoreError::invalid(
                "ends_on",
                format!("a grant runs at most {max} days"),
            ));
        }
        Ok(zv_domain::start_of_local_day(ends_on + Duration::days(1)))
    }

    /// Breaks the glass (ACC-5): opens a trajectory the actor is not assigned to, for a
    /// stated reason and at most the policy's number of hours. The privacy officer sees
    /// it at once among the unreviewed emergency accesses, and is sent a mail queued in
    /// the same transaction (decision 0009).
    pub async fn break_the_glass(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        reason: &str,
        hours: u32,
    ) -> CoreResult<Uuid> {
        let holder = Self::staff_user(actor)?;
        let reason = purpose_text("reason", reason)?;
        let max = self.policy.security().emergency_access_max_hours;
        if hours == 0 || hours > max {
            return Err(CoreError::invalid(
                "hours",
                format!("emergency access lasts from 1 to {max} hours"),
            ));
        }
        let meta = self.trajectory_meta(trajectory).await?;
        let id = Uuid::now_v7();
        let now = self.now();
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::EmergencyAccess,
                    AuditObject::AccessGrant,
                    Some(meta.client_id),
                )
                .in_trajectory(trajectory)
                .target(Target::Dossier)
                .object_id(id)
                .detail(format!("hours={hours}")),
            )
            .await?;
        zv_store::grants::insert(
            &tx,
            &GrantRow {
                trajectory: Some(trajectory),
                client: Some(meta.client_id),
                purpose: reason,
                ..new_grant(
                    id,
                    GRANT_EMERGENCY,
                    holder,
                    Some(holder),
                    now,
                    now + Duration::hours(i64::from(hours)),
                )
            },
        )
        .await?;
        let opened_by = match actor {
            Actor::Staff(s) => s.display_name.as_str(),
            Actor::System { .. } | Actor::Portal(_) => "",
        };
        self.queue_emergency_notice(&tx, opened_by, now, hours)
            .await?;
        tx.commit().await?;
        tracing::warn!(grant.id = %id, trajectory.id = %trajectory, "emergency access opened");
        Ok(id)
    }

    /// Registers a complaint about a trajectory (ACC-3) with its handler's access, bound
    /// to the complaint: it ends when the complaint closes or on `ends_on`.
    pub async fn register_complaint(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        received_on: NaiveDate,
        channel: &str,
        subject: &str,
        ends_on: NaiveDate,
    ) -> CoreResult<Uuid> {
        let handler = Self::staff_user(actor)?;
        if !COMPLAINT_CHANNELS.contains(&channel) {
            return Err(CoreError::invalid(
                "channel",
                "choose how the complaint came in",
            ));
        }
        if received_on > self.clock.today() {
            return Err(CoreError::invalid(
                "received_on",
                "the date received lies in the future",
            ));
        }
        let subject = subject.trim();
        if subject.is_empty() {
            return Err(CoreError::invalid("subject", "the field is required"));
        }
        if subject.chars().count() > 5_000 {
            return Err(CoreError::invalid(
                "subject",
                "the field is longer than 5000 characters",
            ));
        }
        let ends_at = self.grant_end(ends_on)?;
        let meta = self.trajectory_meta(trajectory).await?;
        let id = Uuid::now_v7();
        let now = self.now();
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Create,
                    AuditObject::Complaint,
                    Some(meta.client_id),
                )
                .in_trajectory(trajectory)
                .object_id(id),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, meta.client_id).await?;
        // One series with the portal's complaints: the reference acknowledges it to the
        // client whichever way it came in.
        let reference = crate::requests::complaint_reference(&tx, received_on.year()).await?;
        zv_store::grants::insert_complaint(
            &tx,
            &ComplaintRow {
                id,
                reference: Some(reference),
                client: meta.client_id,
                trajectory,
                received_on,
                channel: channel.to_owned(),
                subject_ct: Sealer { key: &key }.seal(T_COMPLAINTS, "subject", id, subject),
                handler,
                closed_on: None,
                created_at: now,
            },
        )
        .await?;
        zv_store::grants::insert(
            &tx,
            &GrantRow {
                trajectory: Some(trajectory),
                client: Some(meta.client_id),
                complaint: Some(id),
                purpose: format!("complaint {id}"),
                ..new_grant(
                    Uuid::now_v7(),
                    GRANT_COMPLAINT,
                    handler,
                    Some(handler),
                    now,
                    ends_at,
                )
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Closes a complaint; its handler's access ends with it (ACC-3).
    pub async fn close_complaint(&self, actor: &Actor, complaint: Uuid) -> CoreResult<()> {
        let tx0 = self.store.begin().await?;
        let found = zv_store::grants::complaint_meta(&tx0, complaint).await?;
        tx0.commit().await?;
        let c = found.ok_or(CoreError::NotFound)?;
        if Some(c.handler) != actor.user_id() {
            return Err(CoreError::NotFound);
        }
        let tx = self
            .authorize_write(
                actor,
                Access::new(AuditAction::Update, AuditObject::Complaint, Some(c.client))
                    .in_trajectory(c.trajectory)
                    .object_id(complaint)
                    .detail("closed"),
            )
            .await?;
        if !zv_store::grants::close_complaint(&tx, complaint, self.clock.today()).await? {
            return Err(CoreError::Conflict(
                "this complaint is already closed".into(),
            ));
        }
        zv_store::grants::end_of_complaint(&tx, complaint, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The complaints the actor handles that are still open, with their subjects.
    pub async fn my_open_complaints(&self, actor: &Actor) -> CoreResult<Vec<ComplaintView>> {
        let handler = Self::staff_user(actor)?;
        let tx = self.store.begin().await?;
        let open = zv_store::grants::open_complaints_of_handler(&tx, handler).await?;
        tx.commit().await?;
        let mut out = Vec::with_capacity(open.len());
        for c in open {
            let auth = self
                .authorize_read(
                    actor,
                    Access::new(AuditAction::Read, AuditObject::Complaint, Some(c.client))
                        .in_trajectory(c.trajectory)
                        .object_id(c.id),
                )
                .await?;
            let tx = self.store.begin().await?;
            let key = self.keys.client_key(&tx, &auth).await?;
            let rows = zv_store::grants::complaints_of_client(&tx, &auth, c.client).await?;
            tx.commit().await?;
            if let Some(row) = rows.into_iter().find(|r| r.id == c.id) {
                out.push(ComplaintView {
                    id: row.id,
                    reference: row.reference.clone(),
                    trajectory: row.trajectory,
                    received_on: row.received_on,
                    channel: row.channel,
                    subject: Sealer { key: &key }.open(
                        T_COMPLAINTS,
                        "subject",
                        row.id,
                        &row.subject_ct,
                    )?,
                    handler: row.handler,
                    closed_on: row.closed_on,
                    due_on: self.complaint_due_on(row.received_on),
                    days_left: (self.complaint_due_on(row.received_on) - self.clock.today())
                        .num_days(),
                });
            }
        }
        Ok(out)
    }

    /// Sets a substitute for an absent worker of the team lead's team (ACC-6), until the
    /// end of `ends_on`.
    pub async fn set_substitute(
        &self,
        actor: &Actor,
        absent: UserId,
        substitute: UserId,
        ends_on: NaiveDate,
        reason: &str,
    ) -> CoreResult<Uuid> {
        let lead = Self::staff_user(actor)?;
        if absent == substitute {
            return Err(CoreError::invalid(
                "substitute",
                "choose a colleague other than the absent worker",
            ));
        }
        let reason = purpose_text("reason", reason)?;
        let ends_at = self.grant_end(ends_on)?;
        let tx0 = self.store.begin().await?;
        let absent_teams = zv_store::staff::teams(&tx0, absent).await?;
        let substitute_row = zv_store::staff::get(&tx0, substitute).await?;
        tx0.commit().await?;
        if substitute_row.is_none_or(|u| u.disabled) {
            return Err(CoreError::invalid("substitute", "unknown staff member"));
        }
        let lead_teams = match actor {
            Actor::Staff(s) if s.roles.contains(&Role::TeamLead) => s.teams.clone(),
            _ => Vec::new(),
        };
        // The team the delegation is decided for: one the absent worker is in and the
        // actor leads, if there is one; otherwise the rules refuse.
        let team = absent_teams
            .iter()
            .find(|t| lead_teams.contains(t))
            .or(absent_teams.first())
            .cloned()
            .unwrap_or_default();
        let id = Uuid::now_v7();
        let now = self.now();
        let access = Access::new(AuditAction::Create, AuditObject::AccessGrant, None)
            .target(Target::Assignment)
            .team(team)
            .object_id(id)
            .detail(format!("substitute for {absent}"));
        let tx = self.authorize_organisation_write(actor, access).await?;
        zv_store::grants::insert(
            &tx,
            &GrantRow {
                absent_user: Some(absent),
                purpose: reason,
                ..new_grant(id, GRANT_SUBSTITUTE, substitute, Some(lead), now, ends_at)
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Starts a quality review (ACC-4) for a quality officer: a scope and an end date.
    pub async fn start_quality_review(
        &self,
        actor: &Actor,
        reviewer: UserId,
        scope: ReviewScope,
        ends_on: NaiveDate,
        purpose: &str,
    ) -> CoreResult<Uuid> {
        let granter = Self::staff_user(actor)?;
        let purpose = purpose_text("purpose", purpose)?;
        if scope.team.is_none() && scope.service_type.is_none() {
            return Err(CoreError::invalid(
                "scope",
                "a review covers a team, a service type, or both",
            ));
        }
        if scope
            .team
            .as_ref()
            .is_some_and(|t| self.policy.team(t).is_none())
        {
            return Err(CoreError::invalid("team", "unknown team"));
        }
        if scope
            .service_type
            .as_ref()
            .is_some_and(|s| self.policy.service_type(s).is_none())
        {
            return Err(CoreError::invalid("service_type", "unknown service type"));
        }
        let ends_at = self.grant_end(ends_on)?;
        let tx0 = self.store.begin().await?;
        let roles = zv_store::staff::roles(&tx0, reviewer).await?;
        tx0.commit().await?;
        if !roles.iter().any(|r| r == Role::QualityOfficer.code()) {
            return Err(CoreError::invalid(
                "reviewer",
                "a quality review is carried out by a quality officer",
            ));
        }
        let id = Uuid::now_v7();
        let now = self.now();
        let access = Access::new(AuditAction::Create, AuditObject::AccessGrant, None)
            .target(Target::Review)
            .object_id(id)
            .detail("quality review");
        let tx = self.authorize_organisation_write(actor, access).await?;
        zv_store::grants::insert(
            &tx,
            &GrantRow {
                scope_team: scope.team,
                scope_service_type: scope.service_type,
                purpose,
                ..new_grant(
                    id,
                    GRANT_QUALITY_REVIEW,
                    reviewer,
                    Some(granter),
                    now,
                    ends_at,
                )
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Ends a grant early: its holder gives it up, or whoever granted it, or the privacy
    /// officer ends it.
    pub async fn end_grant(&self, actor: &Actor, grant: Uuid) -> CoreResult<()> {
        let user = Self::staff_user(actor)?;
        let tx0 = self.store.begin().await?;
        let g = zv_store::grants::get(&tx0, grant).await?;
        tx0.commit().await?;
        let g = g.ok_or(CoreError::NotFound)?;
        let is_officer =
            matches!(actor, Actor::Staff(s) if s.roles.contains(&Role::PrivacyOfficer));
        let rule = if g.holder == user {
            "grant-ended-by-holder"
        } else if g.granted_by == Some(user) {
            "grant-ended-by-granter"
        } else if is_officer {
            "grant-ended-by-privacy-officer"
        } else {
            return Err(CoreError::NotFound);
        };
        let tx = self.store.begin().await?;
        if !zv_store::grants::end(&tx, grant, self.now()).await? {
            return Err(CoreError::Conflict("this grant has already ended".into()));
        }
        self.record_client_event(
            &tx,
            actor,
            Access::new(AuditAction::Update, AuditObject::AccessGrant, g.client)
                .object_id(grant)
                .detail("ended"),
            &Decision::recorded(rule),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The grants the actor holds or granted that have not ended.
    pub async fn my_grants(&self, actor: &Actor) -> CoreResult<Vec<GrantView>> {
        let user = Self::staff_user(actor)?;
        let now = self.now();
        let tx = self.store.begin().await?;
        let held = zv_store::grants::current_of_holder(&tx, user, now).await?;
        tx.commit().await?;
        Ok(held.iter().map(|g| GrantView::of(g, now)).collect())
    }

    /// Every grant, newest first, for the privacy officer (reading the register is
    /// itself audited).
    pub async fn all_grants(
        &self,
        actor: &Actor,
        kind: Option<&str>,
    ) -> CoreResult<Vec<GrantView>> {
        let access = Access::new(AuditAction::Read, AuditObject::AccessGrant, None)
            .target(Target::Organisation(AuditObject::AccessGrant));
        let tx = self.authorize_organisation_write(actor, access).await?;
        let rows = zv_store::grants::list(&tx, kind, 500).await?;
        tx.commit().await?;
        let now = self.now();
        Ok(rows.iter().map(|g| GrantView::of(g, now)).collect())
    }

    /// Emergency accesses the privacy officer has not reviewed yet (for the dashboard).
    pub async fn unreviewed_emergency_accesses(&self, actor: &Actor) -> CoreResult<u64> {
        let is_officer = matches!(actor, Actor::Staff(s) if s.roles.contains(&Role::PrivacyOfficer) && !s.disabled);
        if !is_officer {
            return Err(CoreError::NotFound);
        }
        let tx = self.store.begin().await?;
        let n = zv_store::grants::unreviewed_emergencies(&tx).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The privacy officer marks a grant as reviewed.
    pub async fn review_grant(&self, actor: &Actor, grant: Uuid) -> CoreResult<()> {
        let user = Self::staff_user(actor)?;
        let access = Access::new(AuditAction::Update, AuditObject::AccessGrant, None)
            .target(Target::Organisation(AuditObject::AccessGrant))
            .object_id(grant)
            .detail("reviewed");
        let tx = self.authorize_organisation_write(actor, access).await?;
        if !zv_store::grants::mark_reviewed(&tx, grant, user, self.now()).await? {
            return Err(CoreError::Conflict(
                "this grant was already reviewed".into(),
            ));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Decides an access without a client and opens its transaction with the event, or
    /// refuses with [`CoreError::NotAllowed`] (nothing about a client to hide).
    pub(crate) async fn authorize_organisation_write(
        &self,
        actor: &Actor,
        access: Access,
    ) -> CoreResult<zv_store::Tx> {
        match self.authorize_write(actor, access).await {
            Err(CoreError::NotFound) => Err(CoreError::NotAllowed(
                "your role does not include this".into(),
            )),
            other => other,
        }
    }
}
