//! The gate (ARCHITECTURE "The gate"): every access to a client's personal data passes
//! here. It asks the access rules, makes the audit event durable, and only then mints the
//! [`Authorized`] proof that the store demands before it returns a client's ciphertext.
//!
//! Reads: the audit event is committed in its own transaction before any data is opened
//! or handed on, so no data leaves without a durable trace (ACC-7). Most reads fetch only
//! after the commit; a dossier page fetches its sealed rows beside it, under a
//! [`Decided`] proof, and opens them under the [`Authorized`] one (decision 0059).
//! Writes: the audit event is part of the write's own transaction, so either both happen
//! or neither.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zv_domain::{
    AuditAction, AuditObject, AuditOutcome, ClientId, NewAuditEvent, Purpose, Role, TrajectoryId,
    UserId,
};
use zv_store::{Authorized, Decided, Tx};

use crate::access::{self, Decision, Standing, Target};
use crate::app::App;
use crate::error::{CoreError, CoreResult};

/// Who is acting. Built by the web layer from a verified session, or by the CLI.
#[derive(Debug, Clone)]
pub enum Actor {
    Staff(StaffActor),
    /// A client in their online dossier (POR-1), signed in with password and TOTP.
    Portal(crate::portal::PortalActor),
    /// The system itself: a CLI maintenance command or a scheduled job.
    System {
        job: &'static str,
        access_point: String,
    },
}

/// A signed-in staff member, as known when the request started.
#[derive(Debug, Clone)]
pub struct StaffActor {
    pub user_id: UserId,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub teams: Vec<String>,
    /// ACC-8: no client data before the confidentiality statement is recorded.
    pub confidentiality_signed: bool,
    pub disabled: bool,
    pub access_point: String,
}

impl Actor {
    #[must_use]
    pub fn cli(job: &'static str) -> Self {
        Self::System {
            job,
            access_point: "cli".to_owned(),
        }
    }

    fn audit_identity(&self) -> (Option<UserId>, String, String, String) {
        match self {
            Self::Staff(s) => (
                Some(s.user_id),
                s.display_name.clone(),
                s.roles
                    .iter()
                    .map(|r| r.code())
                    .collect::<Vec<_>>()
                    .join(","),
                s.access_point.clone(),
            ),
            Self::System { job, access_point } => (
                None,
                format!("system:{job}"),
                "system".to_owned(),
                access_point.clone(),
            ),
            // The account's id is the actor (NEN 7513 "wie"); never the client's name,
            // since the log names clients by id only. Ids are UUIDv7, so an account id
            // never equals a staff id in the same column.
            Self::Portal(p) => (
                Some(UserId::from_uuid(p.account_id.as_uuid())),
                format!("portal:{}", p.account_id),
                crate::portal::AUDIT_ROLE.to_owned(),
                p.access_point.clone(),
            ),
        }
    }

    #[must_use]
    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Self::Staff(s) => Some(s.user_id),
            // Not a staff account: nothing a portal account does is authored as staff.
            Self::System { .. } | Self::Portal(_) => None,
        }
    }
}

/// One access to be decided and recorded.
pub(crate) struct Access {
    pub action: AuditAction,
    pub object: AuditObject,
    pub object_id: Option<Uuid>,
    pub client: Option<ClientId>,
    /// The trajectory whose dossier holds the data; `None` for the client's own data,
    /// which any trajectory of the client may justify.
    pub trajectory: Option<TrajectoryId>,
    /// The kind of data, when it differs from the object's usual one.
    pub target: Target,
    /// The team an assignment concerns (for the team lead's rule).
    pub team: Option<String>,
    pub purpose: Purpose,
    pub detail: Option<String>,
    /// The minors rules (MIN-1..4): the local date of the data (an entry's day), the
    /// related person a record is about, and what a use case already knows of how the
    /// holder stands to the client and the client's age band (an invitation).
    pub minors: crate::minors::MinorsAccess,
    /// Whether the trajectory is frozen (RTS-7), when the use case read the trajectory's
    /// row already; otherwise the gate reads it with the assignment.
    pub frozen: Option<bool>,
}

impl Access {
    pub fn new(action: AuditAction, object: AuditObject, client: Option<ClientId>) -> Self {
        Self {
            action,
            object,
            object_id: None,
            client,
            trajectory: None,
            target: Target::of(object),
            team: None,
            purpose: Purpose::Care,
            detail: None,
            minors: crate::minors::MinorsAccess::default(),
            frozen: None,
        }
    }

    /// The freeze of the access's trajectory as the row the use case read says
    /// (RTS-7), so a dossier view asks the database nothing more.
    pub fn frozen_per_row(mut self, row: &zv_store::TrajectoryRow) -> Self {
        self.frozen = Some(row.frozen_kind.is_some());
        self
    }

    pub fn object_id(mut self, id: impl Into<Uuid>) -> Self {
        self.object_id = Some(id.into());
        self
    }

    pub fn in_trajectory(mut self, trajectory: TrajectoryId) -> Self {
        self.trajectory = Some(trajectory);
        self
    }

    pub fn target(mut self, target: Target) -> Self {
        self.target = target;
        self
    }

    pub fn team(mut self, team: impl Into<String>) -> Self {
        self.team = Some(team.into());
        self
    }

    pub fn purpose(mut self, purpose: Purpose) -> Self {
        self.purpose = purpose;
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The minors facts a use case knows (MIN-1..4).
    pub fn minors(mut self, minors: crate::minors::MinorsAccess) -> Self {
        self.minors = minors;
        self
    }
}

pub(crate) fn event(
    actor: &Actor,
    access: &Access,
    outcome: AuditOutcome,
    decision: &Decision,
) -> NewAuditEvent {
    let (user_id, user_name, mut role, access_point) = actor.audit_identity();
    crate::minors::audit_role(actor, access, decision, &mut role);
    let purpose = match actor {
        Actor::System { job: "demo", .. } => Purpose::Demo,
        // The ground the permitting rule gives, unless the use case names a narrower
        // one (a retention job reading birth dates, say).
        _ => match (decision.purpose, access.purpose) {
            (Some(Purpose::Care) | None, p) => p,
            (Some(p), _) => p,
        },
    };
    NewAuditEvent {
        action: access.action,
        outcome,
        object: access.object,
        object_id: access.object_id,
        client_id: access.client,
        user_id,
        user_name,
        role,
        on_behalf_of: decision.on_behalf_of,
        purpose,
        access_point,
        rule_ids: decision.rule_ids.clone(),
        detail: access.detail.clone(),
    }
}

fn is_lead(s: &StaffActor) -> bool {
    s.roles.contains(&Role::TeamLead)
}

/// What grants and a team lead's rule add to a staff member's standing, given the
/// client's trajectories (all of them; those the access does not name are left out here)
/// and, for a substitute's grant, who works on them.
fn by_grants_and_lead<'t>(
    standing: &mut Standing,
    s: &StaffActor,
    access: &Access,
    grants: &[zv_store::grants::GrantRow],
    trajectories: impl Iterator<Item = &'t zv_store::TrajectoryRow>,
    workers: &[(TrajectoryId, UserId)],
) {
    let trajectories: Vec<&zv_store::TrajectoryRow> = trajectories
        .filter(|t| access.trajectory.is_none_or(|only| t.id == only))
        .collect();
    if is_lead(s) {
        standing.leads_team |= trajectories.iter().any(|t| s.teams.contains(&t.team_code));
    }
    for g in grants {
        let on_trajectory = |t: &&zv_store::TrajectoryRow| g.trajectory == Some(t.id);
        match g.kind.as_str() {
            GRANT_COMPLAINT => standing.complaint |= trajectories.iter().any(on_trajectory),
            GRANT_EMERGENCY => standing.emergency |= trajectories.iter().any(on_trajectory),
            GRANT_QUALITY_REVIEW => {
                standing.quality_review |= trajectories.iter().any(|t| {
                    g.scope_team
                        .as_ref()
                        .is_none_or(|team| *team == t.team_code)
                        && g.scope_service_type
                            .as_ref()
                            .is_none_or(|st| *st == t.service_type)
                });
            }
            GRANT_SUBSTITUTE => {
                let covers = workers.iter().any(|(t, u)| {
                    Some(*u) == g.absent_user && trajectories.iter().any(|x| x.id == *t)
                });
                if covers && standing.substitute_for.is_none() {
                    standing.substitute_for = g.absent_user;
                }
            }
            _ => {}
        }
    }
}

/// The distinct values of an iterator, in the order first met.
fn distinct<T: PartialEq + Copy>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// Grant kinds, as stored.
pub(crate) const GRANT_COMPLAINT: &str = "complaint";
pub(crate) const GRANT_QUALITY_REVIEW: &str = "quality_review";
pub(crate) const GRANT_SUBSTITUTE: &str = "substitute";
pub(crate) const GRANT_EMERGENCY: &str = "emergency";

impl App {
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The acting identity of a stored account, as of today (ACC-8 needs a statement
    /// signed on or before today).
    pub(crate) fn staff_actor_of(
        &self,
        user: zv_store::StaffUserRow,
        access_point: &str,
    ) -> StaffActor {
        StaffActor {
            user_id: user.id,
            display_name: user.display_name,
            roles: user.roles.iter().filter_map(|c| c.parse().ok()).collect(),
            teams: user.teams,
            confidentiality_signed: user
                .confidentiality_signed_on
                .is_some_and(|d| d <= self.clock.today()),
            disabled: user.disabled,
            access_point: access_point.to_owned(),
        }
    }

    pub(crate) async fn decide(&self, actor: &Actor, access: &Access) -> CoreResult<Decision> {
        let standing = self.standing(actor, access).await?;
        access::rules()?.decide(actor, access.action, access.target, &standing)
    }

    /// The actor's standing towards the data of an access: assignment first (one query,
    /// the common case), then the actor's running grants, matched against the
    /// trajectories concerned.
    pub(crate) async fn standing(&self, actor: &Actor, access: &Access) -> CoreResult<Standing> {
        let tx = self.store.read_tx().await?;
        let standing = self.standing_in(&tx, actor, access).await?;
        tx.commit().await?;
        Ok(standing)
    }

    /// As [`App::standing`], inside a transaction the caller reads more in.
    pub(crate) async fn standing_in(
        &self,
        tx: &Tx,
        actor: &Actor,
        access: &Access,
    ) -> CoreResult<Standing> {
        self.standing_known(tx, actor, access, None).await
    }

    /// [`Self::standing_in`], where the caller may already have read whether the actor is
    /// assigned to the access's trajectory (with the trajectory itself, in one query).
    pub(crate) async fn standing_known(
        &self,
        tx: &Tx,
        actor: &Actor,
        access: &Access,
        assigned: Option<bool>,
    ) -> CoreResult<Standing> {
        if let Actor::Portal(p) = actor {
            // A client's standing is whether the data is their own, a parent's or
            // representative's how their link stands (MIN-1..4); the use case names the
            // client from the stored trajectory or entry, never from the request.
            return self.portal_standing(tx, actor, p, access).await;
        }
        let Actor::Staff(s) = actor else {
            return Ok(Standing::default());
        };
        let mut standing = self.staff_standing(s, access);
        let Some(client) = access.client else {
            return Ok(standing);
        };
        // RTS-7: an access that names a trajectory learns its freeze with the assignment
        // (one query), unless the use case read the trajectory's row already.
        (standing.assigned, standing.frozen) = match (access.trajectory, assigned, access.frozen) {
            (Some(_), Some(known), Some(frozen)) => (known, frozen),
            (Some(t), Some(known), None) => {
                (known, zv_store::processing_stops::is_frozen(tx, t).await?)
            }
            (Some(t), None, frozen) => {
                let (assigned, stored) =
                    zv_store::processing_stops::worker_and_frozen(tx, s.user_id, t)
                        .await?
                        .unwrap_or((false, false));
                (assigned, frozen.unwrap_or(stored))
            }
            (None, _, _) => (
                zv_store::trajectories::is_worker_of_client(tx, s.user_id, client).await?,
                false,
            ),
        };
        let grants = if standing.assigned {
            Vec::new()
        } else {
            self.running_grants(tx, s).await?
        };
        if grants.is_empty() && !is_lead(s) {
            return Ok(standing);
        }
        let trajectories = zv_store::trajectories::of_client(tx, client).await?;
        let workers = if grants.iter().any(|g| g.kind == GRANT_SUBSTITUTE) {
            zv_store::trajectories::worker_pairs_of_client(tx, client).await?
        } else {
            Vec::new()
        };
        by_grants_and_lead(
            &mut standing,
            s,
            access,
            &grants,
            trajectories.iter(),
            &workers,
        );
        Ok(standing)
    }

    /// The standings of several accesses of one actor, each as [`Self::standing_in`]
    /// decides it, with one query per kind of fact for all of them instead of a few per
    /// access (a search's candidates and the trajectories its results show).
    pub(crate) async fn standings_in(
        &self,
        tx: &Tx,
        actor: &Actor,
        accesses: &[Access],
    ) -> CoreResult<Vec<Standing>> {
        let Actor::Staff(s) = actor else {
            let mut out = Vec::with_capacity(accesses.len());
            for access in accesses {
                out.push(self.standing_in(tx, actor, access).await?);
            }
            return Ok(out);
        };
        let of_clients: Vec<ClientId> = distinct(
            accesses
                .iter()
                .filter(|a| a.trajectory.is_none())
                .filter_map(|a| a.client),
        );
        let of_trajectories: Vec<TrajectoryId> = distinct(
            accesses
                .iter()
                .filter(|a| a.client.is_some())
                .filter_map(|a| a.trajectory),
        );
        let works_for =
            zv_store::trajectories::clients_with_worker(tx, s.user_id, &of_clients).await?;
        let works_on = zv_store::trajectories::with_worker(tx, s.user_id, &of_trajectories).await?;
        let mut standings: Vec<Standing> = accesses
            .iter()
            .map(|access| {
                let mut standing = self.staff_standing(s, access);
                standing.assigned = match (access.client, access.trajectory) {
                    (None, _) => false,
                    (Some(_), Some(t)) => works_on.contains(&t),
                    (Some(c), None) => works_for.contains(&c),
                };
                // RTS-7, where the use case read the trajectory's row; else read below.
                if access.client.is_some() && access.trajectory.is_some() {
                    standing.frozen = access.frozen.unwrap_or(false);
                }
                standing
            })
            .collect();
        // The rest reads the clients' trajectories: for the freezes the use case did not
        // know, and where grants or a team lead's rule may add to the standing.
        let unknown_freeze = accesses
            .iter()
            .any(|a| a.client.is_some() && a.trajectory.is_some() && a.frozen.is_none());
        let any_unassigned = accesses
            .iter()
            .zip(&standings)
            .any(|(a, st)| a.client.is_some() && !st.assigned);
        let grants = if any_unassigned {
            self.running_grants(tx, s).await?
        } else {
            Vec::new()
        };
        // As in `standing_known`: grants count for an access whose actor is not assigned,
        // the lead's rule for every access.
        let more: Vec<bool> = accesses
            .iter()
            .zip(&standings)
            .map(|(a, st)| {
                a.client.is_some() && (is_lead(s) || (!st.assigned && !grants.is_empty()))
            })
            .collect();
        if !unknown_freeze && !more.contains(&true) {
            return Ok(standings);
        }
        let clients: Vec<ClientId> = distinct(accesses.iter().filter_map(|a| a.client));
        let trajectories = zv_store::trajectories::of_clients(tx, &clients).await?;
        let workers = if more.contains(&true) && grants.iter().any(|g| g.kind == GRANT_SUBSTITUTE) {
            zv_store::trajectories::worker_pairs_of_clients(tx, &clients).await?
        } else {
            Vec::new()
        };
        for ((access, standing), more) in accesses.iter().zip(standings.iter_mut()).zip(more) {
            let Some(client) = access.client else {
                continue;
            };
            if let Some(t) = access.trajectory
                && access.frozen.is_none()
            {
                standing.frozen = trajectories
                    .iter()
                    .any(|row| row.id == t && row.frozen_kind.is_some());
            }
            if more {
                let of_client = trajectories.iter().filter(|t| t.client_id == client);
                let grants: &[zv_store::grants::GrantRow] =
                    if standing.assigned { &[] } else { &grants };
                by_grants_and_lead(standing, s, access, grants, of_client, &workers);
            }
        }
        Ok(standings)
    }

    /// What a staff member's standing is before anything is read: their roles and teams
    /// against the access.
    fn staff_standing(&self, s: &StaffActor, access: &Access) -> Standing {
        Standing {
            leads_team: is_lead(s) && access.team.as_ref().is_some_and(|t| s.teams.contains(t)),
            in_team: access.team.as_ref().is_some_and(|t| s.teams.contains(t)),
            named_by_policy: self.named_by_policy(&s.roles, access.target),
            relation: access.minors.relation.unwrap_or_default(),
            age_band: access.minors.age_band,
            ..Standing::default()
        }
    }

    /// The grants a staff member holds that run now.
    async fn running_grants(
        &self,
        tx: &Tx,
        s: &StaffActor,
    ) -> CoreResult<Vec<zv_store::grants::GrantRow>> {
        let now = self.now();
        Ok(zv_store::grants::current_of_holder(tx, s.user_id, now)
            .await?
            .into_iter()
            .filter(|g| g.active_at(now))
            .collect())
    }

    /// Whether the rules allow an access, without recording anything (for filtering).
    pub(crate) async fn permitted(&self, actor: &Actor, access: &Access) -> CoreResult<bool> {
        Ok(self.decide(actor, access).await?.allowed)
    }

    /// What the actor's roles allow regardless of any client (to offer an action such as
    /// breaking the glass); the access itself is decided again when it is taken.
    pub fn capability(
        &self,
        actor: &Actor,
        action: AuditAction,
        target: Target,
    ) -> CoreResult<bool> {
        let standing = Standing {
            named_by_policy: match actor {
                Actor::Staff(s) => self.named_by_policy(&s.roles, target),
                _ => false,
            },
            ..Standing::default()
        };
        Ok(access::rules()?
            .decide(actor, action, target, &standing)?
            .allowed)
    }

    /// Whether the policy names one of `roles` for the record category of the target
    /// (RET-2): the standing fact `named_by_policy`.
    pub(crate) fn named_by_policy(&self, roles: &[Role], target: Target) -> bool {
        match target {
            Target::Organisation(object) => access::record_kind_of(object)
                .is_some_and(|kind| self.policy.record_access_names(kind, roles)),
            _ => false,
        }
    }

    /// Several decisions on a standing already known.
    pub(crate) fn permitted_on(
        actor: &Actor,
        standing: &Standing,
        checks: &[(AuditAction, Target)],
    ) -> CoreResult<Vec<bool>> {
        let rules = access::rules()?;
        checks
            .iter()
            .map(|(action, target)| Ok(rules.decide(actor, *action, *target, standing)?.allowed))
            .collect()
    }

    /// Records a refused access durably, then answers "not found" (a dossier one may not
    /// see must not even be confirmed to exist).
    pub(crate) async fn refuse(
        &self,
        actor: &Actor,
        access: &Access,
        decision: Decision,
    ) -> CoreError {
        let refused = event(actor, access, AuditOutcome::Denied, &decision);
        let recorded = async {
            let tx = self.store.begin().await?;
            zv_store::audit::append(&tx, &[refused], self.now()).await?;
            tx.commit().await?;
            Ok::<_, CoreError>(())
        }
        .await;
        match recorded {
            Ok(()) => CoreError::NotFound,
            Err(e) => e,
        }
    }

    /// Authorizes a read of one client's data and commits its audit event; only then
    /// returns the proof the store needs to hand out the client's ciphertext.
    pub(crate) async fn authorize_read(
        &self,
        actor: &Actor,
        access: Access,
    ) -> CoreResult<Authorized> {
        let standing = self.standing(actor, &access).await?;
        self.authorize_read_on(actor, access, &standing).await
    }

    /// As [`App::authorize_read`], on a standing the caller already computed (a page
    /// that also asks what else the reader may do there asks the store once).
    pub(crate) async fn authorize_read_on(
        &self,
        actor: &Actor,
        access: Access,
        standing: &Standing,
    ) -> CoreResult<Authorized> {
        self.authorize_reads_on(actor, vec![access], standing).await
    }

    /// Several reads of one client shown together (a dossier with the reader's own work
    /// notes): each is decided, and all their events commit in one group before any of
    /// the data is read. One refusal refuses the whole.
    pub(crate) async fn authorize_reads_on(
        &self,
        actor: &Actor,
        accesses: Vec<Access>,
        standing: &Standing,
    ) -> CoreResult<Authorized> {
        self.authorize_reads_each(
            actor,
            accesses.into_iter().map(|a| (a, *standing)).collect(),
        )
        .await
    }

    /// As [`App::authorize_reads_on`], each read on its own standing (a representative's
    /// mandate covers some trajectories of a client and not others, MIN-4).
    pub(crate) async fn authorize_reads_each(
        &self,
        actor: &Actor,
        accesses: Vec<(Access, Standing)>,
    ) -> CoreResult<Authorized> {
        one_client(accesses.iter().map(|(a, _)| a))?;
        first_proof(
            self.authorize_reads_of_clients(actor, None, accesses)
                .await?,
        )
    }

    /// Reads of several clients shown together (the results of a search): each decided on
    /// its own standing, all events committed as one group, and only then a proof per
    /// read, in the order given. One refusal refuses the whole (callers filter first).
    /// `lead` is an access to no client that the reads belong to (the search itself): it
    /// is decided first, refused as a write of the organisation would be, and its event
    /// leads the group.
    pub(crate) async fn authorize_reads_of_clients(
        &self,
        actor: &Actor,
        lead: Option<&Access>,
        accesses: Vec<(Access, Standing)>,
    ) -> CoreResult<Vec<Authorized>> {
        let decided = self.decide_reads(actor, lead, accesses).await?;
        self.commit_reads(decided).await
    }

    /// A read of one client, decided on one standing, whose rows `fetch` reads while the
    /// read's audit event is made durable (decision 0059). `fetch` runs as a task of its
    /// own under a [`Decided`] proof, so on SQLite it reads on the other core while this
    /// one syncs the audit group, and on PostgreSQL its round trips overlap the group's.
    /// What it returns is handed back only with the [`Authorized`] proof, that is once the
    /// event is durable: the client's key, and so every plaintext, needs that proof. If
    /// the audit fails, or the caller goes away, the fetch is abandoned and its rows
    /// dropped unread.
    pub(crate) async fn read_while_auditing<T, F>(
        &self,
        actor: &Actor,
        accesses: Vec<Access>,
        standing: &Standing,
        fetch: impl FnOnce(Decided) -> F,
    ) -> CoreResult<(Authorized, T)>
    where
        F: std::future::Future<Output = CoreResult<T>> + Send + 'static,
        T: Send + 'static,
    {
        let client = one_client(&accesses)?;
        let decided = self
            .decide_reads(
                actor,
                None,
                accesses.into_iter().map(|a| (a, *standing)).collect(),
            )
            .await?;
        let mut fetching = Fetching(tokio::spawn(fetch(Decided::minted_by_gate_after_decision(
            client,
        ))));
        let auth = first_proof(self.commit_reads(decided).await?)?;
        let rows = (&mut fetching.0).await.map_err(|_| {
            CoreError::Internal("the read beside the audit did not finish".into())
        })??;
        Ok((auth, rows))
    }

    /// The decision half of [`App::authorize_reads_of_clients`]: every access decided,
    /// a refusal recorded as such, and the events of the allowed ones, not yet written.
    async fn decide_reads(
        &self,
        actor: &Actor,
        lead: Option<&Access>,
        accesses: Vec<(Access, Standing)>,
    ) -> CoreResult<DecidedReads> {
        let rules = access::rules()?;
        let mut events = Vec::with_capacity(accesses.len() + 1);
        if let Some(lead) = lead {
            let decision = self.decide(actor, lead).await?;
            if !decision.allowed {
                return Err(match self.refuse(actor, lead, decision).await {
                    CoreError::NotFound => {
                        CoreError::NotAllowed("your role does not include this".into())
                    }
                    other => other,
                });
            }
            events.push(event(actor, lead, AuditOutcome::Success, &decision));
        }
        let led = events.len();
        let mut clients = Vec::with_capacity(accesses.len());
        for (a, standing) in &accesses {
            let client = a
                .client
                .ok_or_else(|| CoreError::Internal("a read names its client".into()))?;
            let decision = rules.decide(actor, a.action, a.target, standing)?;
            if !decision.allowed {
                return Err(self.refuse(actor, a, decision).await);
            }
            events.push(event(actor, a, AuditOutcome::Success, &decision));
            clients.push(client);
        }
        Ok(DecidedReads {
            events,
            led,
            clients,
        })
    }

    /// The audit half: the decided reads' events made durable, and only then a proof per
    /// read, in the order decided.
    async fn commit_reads(&self, decided: DecidedReads) -> CoreResult<Vec<Authorized>> {
        let DecidedReads {
            events,
            led,
            clients,
        } = decided;
        if events.is_empty() {
            return Ok(Vec::new());
        }
        // Group commit: concurrent reads share one transaction and one sync, and each
        // is released only once the transaction holding its event has committed.
        let seqs = zv_store::audit_group::append_committed(&self.store, events, self.now()).await?;
        if seqs.len() != led + clients.len() {
            return Err(CoreError::Internal(
                "audit append returned too few sequences".into(),
            ));
        }
        Ok(clients
            .into_iter()
            .zip(seqs.into_iter().skip(led))
            .map(|(c, seq)| Authorized::minted_by_gate_after_audit(c, seq))
            .collect())
    }

    /// A job's reads of the profiles of `clients` (a birth date for an age band): one
    /// event per client under `rule` and `purpose`, committed as one group, and only then
    /// a proof per client, in the order given. The values read serve a derived fact
    /// (an age band, a gender code) and are not shown.
    pub(crate) async fn authorize_job_profile_reads(
        &self,
        actor: &Actor,
        clients: &[ClientId],
        (rule, purpose, detail): (&str, Purpose, &str),
    ) -> CoreResult<Vec<Authorized>> {
        if clients.is_empty() {
            return Ok(Vec::new());
        }
        let decision = Decision::recorded(rule);
        let events = clients
            .iter()
            .map(|c| {
                event(
                    actor,
                    &Access::new(AuditAction::Read, AuditObject::ClientProfile, Some(*c))
                        .object_id(*c)
                        .purpose(purpose)
                        .detail(detail),
                    AuditOutcome::Success,
                    &decision,
                )
            })
            .collect();
        let seqs = zv_store::audit_group::append_committed(&self.store, events, self.now()).await?;
        if seqs.len() != clients.len() {
            return Err(CoreError::Internal(
                "audit append returned too few sequences".into(),
            ));
        }
        Ok(clients
            .iter()
            .zip(seqs)
            .map(|(c, seq)| Authorized::minted_by_gate_after_audit(*c, seq))
            .collect())
    }

    /// A read the gate makes itself to decide (MIN-4: a client's birth date, for the age
    /// rules on the day of the request): recorded under the acting identity with the
    /// rule that needs it, committed, and only then is the proof minted. The data read
    /// this way serves the decision and is not shown.
    pub(crate) async fn authorize_read_for_decision(
        &self,
        actor: &Actor,
        access: &Access,
        rule: &str,
    ) -> CoreResult<Authorized> {
        let client = access
            .client
            .ok_or_else(|| CoreError::Internal("a read names its client".into()))?;
        let e = event(
            actor,
            access,
            AuditOutcome::Success,
            &Decision::recorded(rule),
        );
        let seqs =
            zv_store::audit_group::append_committed(&self.store, vec![e], self.now()).await?;
        let seq = seqs
            .first()
            .copied()
            .ok_or_else(|| CoreError::Internal("audit append returned no sequence".into()))?;
        Ok(Authorized::minted_by_gate_after_audit(client, seq))
    }

    /// Authorizes a write and opens the transaction it happens in, with its audit event
    /// already appended: commit the transaction and both are durable, drop it and neither.
    pub(crate) async fn authorize_write(&self, actor: &Actor, access: Access) -> CoreResult<Tx> {
        let standing = self.standing(actor, &access).await?;
        self.authorize_write_on(actor, access, &standing).await
    }

    /// As [`App::authorize_write`], on the standing the use case decided in its own read
    /// of the trajectory ([`App::standing_known`]): one read of it instead of two.
    pub(crate) async fn authorize_write_on(
        &self,
        actor: &Actor,
        access: Access,
        standing: &Standing,
    ) -> CoreResult<Tx> {
        let decision = access::rules()?.decide(actor, access.action, access.target, standing)?;
        if !decision.allowed {
            return Err(self.refuse_telling_freeze(actor, &access, decision).await);
        }
        let tx = self.store.begin().await?;
        zv_store::audit::append(
            &tx,
            &[event(actor, &access, AuditOutcome::Success, &decision)],
            self.now(),
        )
        .await?;
        Ok(tx)
    }

    /// Records a refusal, as [`App::refuse`]; but someone who could do this but for the
    /// freeze of the trajectory (RTS-7) is told why, while anyone else learns nothing
    /// (not found), as for any refusal.
    pub(crate) async fn refuse_telling_freeze(
        &self,
        actor: &Actor,
        access: &Access,
        decision: Decision,
    ) -> CoreError {
        let frozen = match self.refused_for_freeze_only(actor, access, &decision).await {
            Ok(frozen) => frozen,
            Err(e) => return e,
        };
        match self.refuse(actor, access, decision).await {
            CoreError::NotFound if frozen => CoreError::Frozen,
            other => other,
        }
    }

    /// Whether a refusal came from the freeze of the trajectory alone (RTS-7): a frozen
    /// rule refused, and the same access on the trajectory unfrozen would be allowed.
    async fn refused_for_freeze_only(
        &self,
        actor: &Actor,
        access: &Access,
        decision: &Decision,
    ) -> CoreResult<bool> {
        if !decision
            .rule_ids
            .iter()
            .any(|r| r.starts_with("rts7-frozen"))
        {
            return Ok(false);
        }
        let mut standing = self.standing(actor, access).await?;
        standing.frozen = false;
        Ok(access::rules()?
            .decide(actor, access.action, access.target, &standing)?
            .allowed)
    }

    /// Records an event that needs no decision about a client (administration, backups).
    pub(crate) async fn record(&self, tx: &Tx, actor: &Actor, access: Access) -> CoreResult<()> {
        zv_store::audit::append(
            tx,
            &[event(
                actor,
                &access,
                AuditOutcome::Success,
                &Decision::recorded("administration"),
            )],
            self.now(),
        )
        .await?;
        Ok(())
    }
}

/// The one client that reads shown together concern; an error for none or several.
fn one_client<'a>(accesses: impl IntoIterator<Item = &'a Access>) -> CoreResult<ClientId> {
    let mut clients = accesses.into_iter().map(|a| a.client);
    let client = clients
        .next()
        .flatten()
        .ok_or_else(|| CoreError::Internal("a read names its client".into()))?;
    if clients.any(|c| c != Some(client)) {
        return Err(CoreError::Internal(
            "reads shown together concern one client".into(),
        ));
    }
    Ok(client)
}

/// One client's reads are the one-client case of several clients' reads: the first
/// proof (its first event's number) stands for them all.
fn first_proof(proofs: Vec<Authorized>) -> CoreResult<Authorized> {
    proofs
        .into_iter()
        .next()
        .ok_or_else(|| CoreError::Internal("audit append returned no sequence".into()))
}

/// Reads the rules allowed, with their audit events not yet written: `led` events of no
/// client (a search's own) lead, then one per client in `clients`, in order.
struct DecidedReads {
    events: Vec<NewAuditEvent>,
    led: usize,
    clients: Vec<ClientId>,
}

/// A fetch running beside the audit commit; abandoned when the read fails or its caller
/// goes away, so no rows outlive a read that was not recorded.
struct Fetching<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for Fetching<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
