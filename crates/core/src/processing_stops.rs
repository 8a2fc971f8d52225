//! What a granted restriction, objection or withdrawal of consent does: processing of a
//! trajectory stops ("bevriezen").
//!
//! - RTS-7 (art. 18): the privacy officer freezes one trajectory of a client, or all of
//!   them, on a ground the law names, optionally for a rights request. Lifting takes the
//!   notice to the client first (art. 18(3)): the date and how are recorded, and only then
//!   may the freeze be lifted.
//! - RTS-9 (art. 21): against processing on public task or legitimate interest only; the
//!   privacy officer records the balancing (the client's particular situation, the
//!   organisation's grounds, the outcome). An upheld objection freezes the trajectory.
//! - RTS-10: a withdrawal of consent freezes at once every trajectory whose service rests
//!   on consent, and ends the consents the young person gave parents (MIN-3).
//!
//! One freeze serves all three (decision 0017). It is carried on the trajectory row the
//! gate reads for every access, and the access rules (`access/rts7_restriction.cedar`)
//! refuse every change and every export of a frozen trajectory, so no use case can
//! forget it. The history of every freeze is kept in its own table.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;
use zv_domain::{AuditAction, AuditObject, AuditOutcome, ClientId, TrajectoryId, UserId};
use zv_policy::LegalBasis;
use zv_store::processing_stops::{ObjectionRow, StopRow, WithdrawalRow};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;

const T_STOP: &str = "processing_stops";
const T_OBJECTION: &str = "objection_decisions";

/// Reasons and the balancing must say something: at least this many characters.
pub const MIN_REASON_CHARS: usize = 10;

macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$v),+];

            #[must_use]
            pub const fn code(self) -> &'static str {
                match self { $(Self::$v => $code),+ }
            }

            #[must_use]
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$v),)+ _ => None }
            }
        }
    };
}

coded!(
    /// Why processing of a trajectory stopped.
    StopKind {
        /// RTS-7, art. 18.
        Restriction = "restriction",
        /// RTS-9, art. 21: an objection the privacy officer upheld.
        Objection = "objection",
        /// RTS-10: the consent the processing rested on was withdrawn.
        ConsentWithdrawn = "consent_withdrawn",
    }
);

coded!(
    /// The grounds of art. 18(1) for a restriction.
    RestrictionGround {
        /// The client contests the accuracy, while it is checked.
        ContestedAccuracy = "contested_accuracy",
        /// The processing is unlawful and the client wants restriction, not erasure.
        UnlawfulProcessing = "unlawful_processing",
        /// The client needs the data for a legal claim.
        LegalClaims = "legal_claims",
        /// An objection is pending while the balancing is made.
        PendingObjection = "pending_objection",
    }
);

coded!(
    /// How the client was told that a freeze will be lifted.
    NoticeChannel {
        Letter = "letter",
        Email = "email",
        Phone = "phone",
        InPerson = "in_person",
        Portal = "portal",
    }
);

coded!(
    /// The outcome of the balancing of an objection (RTS-9).
    ObjectionOutcome {
        /// The client's situation outweighs the organisation's grounds: processing stops.
        Upheld = "upheld",
        /// The organisation has compelling grounds: processing goes on.
        Rejected = "rejected",
    }
);

/// The freeze in force on a trajectory, as every reader of the trajectory sees it
/// (a banner: RTS-7 "the freeze is visible to every user").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Frozen {
    pub kind: StopKind,
    pub since: DateTime<Utc>,
}

impl Frozen {
    /// The freeze a trajectory row carries.
    #[must_use]
    pub fn of(row: &zv_store::TrajectoryRow) -> Option<Self> {
        let kind = row.frozen_kind.as_deref().map(|k| {
            // A code this version does not know still freezes: read it as a restriction.
            StopKind::from_code(k).unwrap_or(StopKind::Restriction)
        })?;
        Some(Self {
            kind,
            since: row.frozen_since.unwrap_or(row.created_at),
        })
    }

    /// The local day the freeze began, for the banner.
    #[must_use]
    pub fn since_day(&self) -> NaiveDate {
        crate::minors::local_date(self.since)
    }

    /// The banner's message, per kind (`locales/*/rights_effects.ftl`).
    #[must_use]
    pub const fn banner_key(&self) -> &'static str {
        match self.kind {
            StopKind::Restriction => "frozen-banner-restriction",
            StopKind::Objection => "frozen-banner-objection",
            StopKind::ConsentWithdrawn => "frozen-banner-consent-withdrawn",
        }
    }
}

/// A restriction to record (RTS-7).
#[derive(Debug, Clone)]
pub struct RestrictionInput {
    /// The trajectories to freeze; empty is all of the client's.
    pub trajectories: Vec<TrajectoryId>,
    pub ground: RestrictionGround,
    pub reason: String,
    /// The rights request it carries out, if any.
    pub request: Option<Uuid>,
}

/// The privacy officer's decision on an objection (RTS-9).
#[derive(Clone)]
pub struct ObjectionInput {
    /// The client's particular situation, as the client put it.
    pub situation: String,
    /// The organisation's grounds, weighed against it.
    pub grounds: String,
    pub outcome: ObjectionOutcome,
    pub request: Option<Uuid>,
}

impl std::fmt::Debug for ObjectionInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ObjectionInput({:?}, ***)", self.outcome)
    }
}

/// A withdrawal of consent to register (RTS-10).
#[derive(Debug, Clone)]
pub struct WithdrawalInput {
    pub withdrawn_on: NaiveDate,
    pub request: Option<Uuid>,
}

/// What a withdrawal stopped.
#[derive(Debug, Clone, Serialize)]
pub struct WithdrawalOutcome {
    pub id: Uuid,
    pub frozen: Vec<TrajectoryId>,
    pub consents_ended: usize,
}

/// One freeze, as staff who may read it see it.
#[derive(Clone, Serialize)]
pub struct StopView {
    pub id: Uuid,
    pub trajectory: TrajectoryId,
    pub kind: StopKind,
    pub ground: Option<RestrictionGround>,
    pub request: Option<Uuid>,
    pub objection: Option<Uuid>,
    pub reason: String,
    pub started_by: UserId,
    pub started_at: DateTime<Utc>,
    pub notice_on: Option<NaiveDate>,
    pub notice_how: Option<NoticeChannel>,
    pub notice_by: Option<UserId>,
    pub lifted_by: Option<UserId>,
    pub lifted_at: Option<DateTime<Utc>>,
    pub lift_reason: Option<String>,
}

impl std::fmt::Debug for StopView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StopView({}, {:?}, ***)", self.id, self.kind)
    }
}

/// One objection decision.
#[derive(Clone, Serialize)]
pub struct ObjectionView {
    pub id: Uuid,
    pub trajectory: TrajectoryId,
    pub request: Option<Uuid>,
    pub legal_basis: String,
    pub situation: String,
    pub grounds: String,
    pub outcome: ObjectionOutcome,
    pub decided_by: UserId,
    pub decided_at: DateTime<Utc>,
}

impl std::fmt::Debug for ObjectionView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ObjectionView({}, {:?}, ***)", self.id, self.outcome)
    }
}

/// One registered withdrawal of consent.
#[derive(Debug, Clone, Serialize)]
pub struct WithdrawalView {
    pub id: Uuid,
    pub request: Option<Uuid>,
    pub withdrawn_on: NaiveDate,
    pub trajectories_frozen: i64,
    pub consents_ended: i64,
    pub registered_by: UserId,
    pub registered_at: DateTime<Utc>,
}

impl From<&WithdrawalRow> for WithdrawalView {
    fn from(w: &WithdrawalRow) -> Self {
        Self {
            id: w.id,
            request: w.request_id,
            withdrawn_on: w.withdrawn_on,
            trajectories_frozen: w.trajectories_frozen,
            consents_ended: w.consents_ended,
            registered_by: w.registered_by,
            registered_at: w.registered_at,
        }
    }
}

/// Everything that stopped processing for a client, with what the reader may do.
#[derive(Debug, Clone, Serialize)]
pub struct ClientStops {
    /// The client's trajectories, without content, each with its freeze in force.
    pub trajectories: Vec<crate::trajectories::TrajectorySummary>,
    pub stops: Vec<StopView>,
    pub objections: Vec<ObjectionView>,
    pub withdrawals: Vec<WithdrawalView>,
    /// Staff names by id, for who started, told and lifted.
    pub names: std::collections::HashMap<UserId, String>,
    /// The reader may freeze, record notices and lift, and decide objections (the
    /// privacy officer).
    pub may_freeze: bool,
    /// The reader may register a withdrawal of consent.
    pub may_withdraw: bool,
}

fn check_text(field: &'static str, text: &str) -> CoreResult<()> {
    if text.trim().chars().count() < MIN_REASON_CHARS {
        return Err(CoreError::invalid(
            field,
            format!("write at least {MIN_REASON_CHARS} characters"),
        ));
    }
    Ok(())
}

fn acting_user(actor: &Actor) -> CoreResult<UserId> {
    actor
        .user_id()
        .ok_or_else(|| CoreError::NotAllowed("recorded by staff".into()))
}

impl App {
    /// Decides every access of one write, refuses the whole if one is refused, and opens
    /// the write's transaction with all their events appended: commit and both the
    /// change and its trace are durable.
    pub(crate) async fn authorize_write_all(
        &self,
        actor: &Actor,
        accesses: Vec<Access>,
    ) -> CoreResult<zv_store::Tx> {
        let mut events = Vec::with_capacity(accesses.len());
        for a in &accesses {
            let decision = self.decide(actor, a).await?;
            if !decision.allowed {
                return Err(self.refuse(actor, a, decision).await);
            }
            events.push(crate::gate::event(
                actor,
                a,
                AuditOutcome::Success,
                &decision,
            ));
        }
        let tx = self.store.begin().await?;
        zv_store::audit::append(&tx, &events, self.now()).await?;
        Ok(tx)
    }

    /// A rights request named as the reason: it must exist and be this client's.
    async fn check_request(&self, client: ClientId, request: Option<Uuid>) -> CoreResult<()> {
        let Some(id) = request else { return Ok(()) };
        let tx = self.store.read_tx().await?;
        let row = zv_store::requests::request_meta(&tx, id).await?;
        tx.commit().await?;
        match row {
            Some(r) if r.client_id == client => Ok(()),
            _ => Err(CoreError::invalid(
                "request",
                "no rights request of this client has this id",
            )),
        }
    }

    /// Freezes trajectories of a client on a ground of art. 18 (RTS-7). Returns the
    /// freezes made, one per trajectory.
    pub async fn restrict_processing(
        &self,
        actor: &Actor,
        client: ClientId,
        input: RestrictionInput,
    ) -> CoreResult<Vec<Uuid>> {
        check_text("reason", &input.reason)?;
        let by = acting_user(actor)?;
        let tx = self.store.read_tx().await?;
        let all = zv_store::trajectories::of_client(&tx, client).await?;
        tx.commit().await?;
        if all.is_empty() {
            return Err(CoreError::NotFound);
        }
        let chosen: Vec<&zv_store::TrajectoryRow> = if input.trajectories.is_empty() {
            all.iter().collect()
        } else {
            let mut chosen = Vec::new();
            for t in &input.trajectories {
                let row = all.iter().find(|r| r.id == *t).ok_or_else(|| {
                    CoreError::invalid("trajectories", "not a trajectory of this client")
                })?;
                if !chosen
                    .iter()
                    .any(|c: &&zv_store::TrajectoryRow| c.id == row.id)
                {
                    chosen.push(row);
                }
            }
            chosen
        };
        self.check_request(client, input.request).await?;
        let ids: Vec<Uuid> = chosen.iter().map(|_| Uuid::now_v7()).collect();
        let accesses = chosen
            .iter()
            .zip(&ids)
            .map(|(t, id)| {
                Access::new(
                    AuditAction::Create,
                    AuditObject::ProcessingStop,
                    Some(client),
                )
                .object_id(*id)
                .detail(format!(
                    "restriction of trajectory {} on ground {}",
                    t.id,
                    input.ground.code()
                ))
            })
            .collect();
        let tx = self.authorize_write_all(actor, accesses).await?;
        let key = self.keys.client_key_for_write(&tx, client).await?;
        let now = self.now();
        for (t, id) in chosen.iter().zip(&ids) {
            self.start_stop(
                &tx,
                t,
                StopRow {
                    id: *id,
                    client_id: client,
                    trajectory_id: t.id,
                    kind: StopKind::Restriction.code().to_owned(),
                    ground: Some(input.ground.code().to_owned()),
                    request_id: input.request,
                    decision_id: None,
                    reason_ct: Sealer { key: &key }.seal(
                        T_STOP,
                        "reason",
                        *id,
                        input.reason.trim(),
                    ),
                    started_by: by,
                    started_at: now,
                    notice_on: None,
                    notice_how: None,
                    notice_by: None,
                    notice_at: None,
                    lifted_by: None,
                    lifted_at: None,
                    lift_reason_ct: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
        tracing::info!(client.id = %client, count = ids.len(), "processing restricted");
        Ok(ids)
    }

    /// Inserts a freeze and, unless the trajectory is frozen already (the earlier freeze
    /// keeps naming it), marks the trajectory row.
    async fn start_stop(
        &self,
        tx: &zv_store::Tx,
        trajectory: &zv_store::TrajectoryRow,
        row: StopRow,
    ) -> CoreResult<()> {
        zv_store::processing_stops::insert_stop(tx, &row).await?;
        if trajectory.frozen_kind.is_none() {
            zv_store::processing_stops::set_frozen(
                tx,
                trajectory.id,
                Some((row.started_at, row.kind.as_str())),
            )
            .await?;
        }
        Ok(())
    }

    /// Records that the client was told, on a date and how, that a freeze will be lifted
    /// (art. 18(3)): the condition for lifting it.
    pub async fn record_stop_notice(
        &self,
        actor: &Actor,
        stop: Uuid,
        notified_on: NaiveDate,
        how: NoticeChannel,
    ) -> CoreResult<()> {
        let by = acting_user(actor)?;
        let meta = self.stop_meta(stop).await?;
        if notified_on > self.clock.today() {
            return Err(CoreError::invalid(
                "notice_on",
                "the client cannot have been told on a day still to come",
            ));
        }
        if notified_on < crate::minors::local_date(meta.started_at) {
            return Err(CoreError::invalid(
                "notice_on",
                "the notice cannot be older than the freeze",
            ));
        }
        let tx = self
            .authorize_write_all(
                actor,
                vec![
                    Access::new(
                        AuditAction::Update,
                        AuditObject::ProcessingStop,
                        Some(meta.client_id),
                    )
                    .object_id(stop)
                    .detail(format!(
                        "client told before lifting, by {} on {notified_on}",
                        how.code()
                    )),
                ],
            )
            .await?;
        let recorded = zv_store::processing_stops::record_notice(
            &tx,
            stop,
            notified_on,
            how.code(),
            by,
            self.now(),
        )
        .await?;
        if !recorded {
            return Err(CoreError::Conflict("this freeze is lifted already".into()));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Lifts a freeze: only once the notice to the client is recorded. The trajectory
    /// stays frozen while another freeze is in force on it.
    pub async fn lift_stop(&self, actor: &Actor, stop: Uuid, reason: &str) -> CoreResult<()> {
        let by = acting_user(actor)?;
        let meta = self.stop_meta(stop).await?;
        if meta.lifted_at.is_some() {
            return Err(CoreError::Conflict("this freeze is lifted already".into()));
        }
        if meta.notice_on.is_none() {
            return Err(CoreError::Conflict(
                "the client must be told before the freeze is lifted; record the notice first"
                    .into(),
            ));
        }
        check_text("reason", reason)?;
        let tx = self
            .authorize_write_all(
                actor,
                vec![
                    Access::new(
                        AuditAction::Update,
                        AuditObject::ProcessingStop,
                        Some(meta.client_id),
                    )
                    .object_id(stop)
                    .detail(format!(
                        "freeze of trajectory {} lifted",
                        meta.trajectory_id
                    )),
                ],
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, meta.client_id).await?;
        let ct = Sealer { key: &key }.seal(T_STOP, "lift_reason", stop, reason.trim());
        if !zv_store::processing_stops::lift(&tx, stop, by, self.now(), ct).await? {
            return Err(CoreError::Conflict("this freeze is lifted already".into()));
        }
        let remaining =
            zv_store::processing_stops::active_of_trajectory(&tx, meta.trajectory_id).await?;
        let next = remaining.first().map(|s| (s.started_at, s.kind.as_str()));
        zv_store::processing_stops::set_frozen(&tx, meta.trajectory_id, next).await?;
        tx.commit().await?;
        tracing::info!(trajectory.id = %meta.trajectory_id, "freeze lifted");
        Ok(())
    }

    async fn stop_meta(&self, stop: Uuid) -> CoreResult<StopRow> {
        let tx = self.store.read_tx().await?;
        let meta = zv_store::processing_stops::stop_meta(&tx, stop).await?;
        tx.commit().await?;
        meta.ok_or(CoreError::NotFound)
    }

    /// The legal basis of a trajectory's processing, from the policy.
    fn legal_basis_of(&self, service_type: &str) -> CoreResult<LegalBasis> {
        self.policy
            .service_type(service_type)
            .map(|s| s.legal_basis)
            .ok_or_else(|| CoreError::Internal("a trajectory of an unknown service type".into()))
    }

    /// Records the privacy officer's balancing of an objection against the processing of
    /// one trajectory (RTS-9). Only processing on public task or legitimate interest can
    /// be objected to (art. 21); anything else is refused before anything is recorded.
    /// An upheld objection freezes the trajectory (kind `objection`).
    pub async fn decide_objection(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        input: ObjectionInput,
    ) -> CoreResult<Uuid> {
        let meta = self.trajectory_meta(trajectory).await?;
        let basis = self.legal_basis_of(&meta.service_type)?;
        if !matches!(
            basis,
            LegalBasis::PublicTask | LegalBasis::LegitimateInterest
        ) {
            return Err(CoreError::invalid(
                "trajectory",
                format!(
                    "an objection (art. 21) applies only to processing on public task or legitimate interest; this service rests on {}",
                    legal_basis_code(basis)
                ),
            ));
        }
        let situation = check_text("situation", &input.situation);
        let grounds = check_text("grounds", &input.grounds);
        situation?;
        grounds?;
        let by = acting_user(actor)?;
        self.check_request(meta.client_id, input.request).await?;
        let id = Uuid::now_v7();
        let stop = Uuid::now_v7();
        let upheld = input.outcome == ObjectionOutcome::Upheld;
        let mut accesses = vec![
            Access::new(
                AuditAction::Create,
                AuditObject::ObjectionDecision,
                Some(meta.client_id),
            )
            .object_id(id)
            .detail(format!(
                "objection against trajectory {trajectory}: {}",
                input.outcome.code()
            )),
        ];
        if upheld {
            accesses.push(
                Access::new(
                    AuditAction::Create,
                    AuditObject::ProcessingStop,
                    Some(meta.client_id),
                )
                .object_id(stop)
                .detail(format!("objection upheld: trajectory {trajectory} frozen")),
            );
        }
        let tx = self.authorize_write_all(actor, accesses).await?;
        let key = self.keys.client_key_for_write(&tx, meta.client_id).await?;
        let s = Sealer { key: &key };
        let now = self.now();
        zv_store::processing_stops::insert_objection(
            &tx,
            &ObjectionRow {
                id,
                client_id: meta.client_id,
                trajectory_id: trajectory,
                request_id: input.request,
                legal_basis: legal_basis_code(basis).to_owned(),
                situation_ct: s.seal(T_OBJECTION, "situation", id, input.situation.trim()),
                grounds_ct: s.seal(T_OBJECTION, "grounds", id, input.grounds.trim()),
                outcome: input.outcome.code().to_owned(),
                decided_by: by,
                decided_at: now,
            },
        )
        .await?;
        if upheld {
            self.start_stop(
                &tx,
                &meta,
                StopRow {
                    id: stop,
                    client_id: meta.client_id,
                    trajectory_id: trajectory,
                    kind: StopKind::Objection.code().to_owned(),
                    ground: None,
                    request_id: input.request,
                    decision_id: Some(id),
                    reason_ct: s.seal(T_STOP, "reason", stop, input.grounds.trim()),
                    started_by: by,
                    started_at: now,
                    notice_on: None,
                    notice_how: None,
                    notice_by: None,
                    notice_at: None,
                    lifted_by: None,
                    lifted_at: None,
                    lift_reason_ct: None,
                },
            )
            .await?;
        }
        tx.commit().await?;
        tracing::info!(trajectory.id = %trajectory, upheld, "objection decided");
        Ok(id)
    }

    /// Registers a withdrawal of consent (RTS-10): at once, every trajectory of the client
    /// whose service rests on consent is frozen (kind `consent_withdrawn`), and every
    /// consent the young person gave a parent to read (MIN-3) ends, through the same
    /// store call the portal's own withdrawal uses.
    pub async fn withdraw_consent(
        &self,
        actor: &Actor,
        client: ClientId,
        input: WithdrawalInput,
    ) -> CoreResult<WithdrawalOutcome> {
        if input.withdrawn_on > self.clock.today() {
            return Err(CoreError::invalid(
                "withdrawn_on",
                "a withdrawal cannot be dated in the future",
            ));
        }
        let by = acting_user(actor)?;
        self.check_request(client, input.request).await?;
        let tx = self.store.read_tx().await?;
        let all = zv_store::trajectories::of_client(&tx, client).await?;
        let consents = zv_store::processing_stops::consents_in_force(&tx, client).await?;
        tx.commit().await?;
        if all.is_empty() {
            return Err(CoreError::NotFound);
        }
        let mut on_consent = Vec::new();
        for t in &all {
            if self.legal_basis_of(&t.service_type)? == LegalBasis::Consent
                && t.frozen_kind.as_deref() != Some(StopKind::ConsentWithdrawn.code())
            {
                on_consent.push(t);
            }
        }
        let id = Uuid::now_v7();
        let stops: Vec<Uuid> = on_consent.iter().map(|_| Uuid::now_v7()).collect();
        let mut accesses = vec![
            Access::new(
                AuditAction::Create,
                AuditObject::ConsentWithdrawal,
                Some(client),
            )
            .object_id(id)
            .detail(format!(
                "consent withdrawn on {}: {} trajectories frozen, {} parents' consents ended",
                input.withdrawn_on,
                on_consent.len(),
                consents.len()
            )),
        ];
        // The effects are decided as part of the withdrawal: whoever may register it may
        // stop what rested on it.
        for (t, stop) in on_consent.iter().zip(&stops) {
            accesses.push(
                Access::new(
                    AuditAction::Create,
                    AuditObject::ProcessingStop,
                    Some(client),
                )
                .target(Target::ConsentWithdrawal)
                .object_id(*stop)
                .detail(format!("consent withdrawn: trajectory {} frozen", t.id)),
            );
        }
        for person in &consents {
            accesses.push(
                Access::new(AuditAction::Update, AuditObject::YouthConsent, Some(client))
                    .target(Target::ConsentWithdrawal)
                    .object_id(*person)
                    .detail(format!(
                        "consent withdrawn: consent of related person {person} ended"
                    )),
            );
        }
        let tx = self.authorize_write_all(actor, accesses).await?;
        let key = self.keys.client_key_for_write(&tx, client).await?;
        let now = self.now();
        let mut ended = 0;
        for person in &consents {
            if zv_store::minors::withdraw_consent(&tx, *person, now).await? {
                ended += 1;
            }
        }
        for (t, stop) in on_consent.iter().zip(&stops) {
            self.start_stop(
                &tx,
                t,
                StopRow {
                    id: *stop,
                    client_id: client,
                    trajectory_id: t.id,
                    kind: StopKind::ConsentWithdrawn.code().to_owned(),
                    ground: None,
                    request_id: input.request,
                    decision_id: Some(id),
                    reason_ct: Sealer { key: &key }.seal(
                        T_STOP,
                        "reason",
                        *stop,
                        &format!("consent withdrawn on {}", input.withdrawn_on),
                    ),
                    started_by: by,
                    started_at: now,
                    notice_on: None,
                    notice_how: None,
                    notice_by: None,
                    notice_at: None,
                    lifted_by: None,
                    lifted_at: None,
                    lift_reason_ct: None,
                },
            )
            .await?;
        }
        zv_store::processing_stops::insert_withdrawal(
            &tx,
            &WithdrawalRow {
                id,
                client_id: client,
                request_id: input.request,
                withdrawn_on: input.withdrawn_on,
                trajectories_frozen: i64::try_from(stops.len()).unwrap_or(i64::MAX),
                consents_ended: ended,
                registered_by: by,
                registered_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        tracing::info!(client.id = %client, frozen = stops.len(), consents_ended = ended, "consent withdrawn");
        Ok(WithdrawalOutcome {
            id,
            frozen: on_consent.iter().map(|t| t.id).collect(),
            consents_ended: usize::try_from(ended).unwrap_or(0),
        })
    }

    /// Every freeze, objection decision and withdrawal of consent of a client, for the
    /// workers on the case and the privacy officer (a recorded read).
    pub async fn processing_stops_of_client(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<ClientStops> {
        let reads = vec![
            Access::new(AuditAction::Read, AuditObject::ProcessingStop, Some(client))
                .object_id(client),
            Access::new(
                AuditAction::Read,
                AuditObject::ObjectionDecision,
                Some(client),
            )
            .object_id(client),
        ];
        let tx = self.store.read_tx().await?;
        let trajectories = zv_store::trajectories::of_client(&tx, client).await?;
        let standing = self.standing_in(&tx, actor, &reads[0]).await?;
        tx.commit().await?;
        if trajectories.is_empty() {
            return Err(CoreError::NotFound);
        }
        let may = Self::permitted_on(
            actor,
            &standing,
            &[
                (AuditAction::Create, Target::ProcessingStop),
                (AuditAction::Create, Target::ConsentWithdrawal),
            ],
        )?;
        let auth = self.authorize_reads_on(actor, reads, &standing).await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let stops = zv_store::processing_stops::of_client(&tx, &auth, client).await?;
        let objections =
            zv_store::processing_stops::objections_of_client(&tx, &auth, client).await?;
        let withdrawals = zv_store::processing_stops::withdrawals_of_client(&tx, client).await?;
        let mut staff: Vec<UserId> = stops
            .iter()
            .flat_map(|s| [Some(s.started_by), s.notice_by, s.lifted_by])
            .flatten()
            .chain(objections.iter().map(|o| o.decided_by))
            .chain(withdrawals.iter().map(|w| w.registered_by))
            .collect();
        staff.sort_unstable();
        staff.dedup();
        let names = zv_store::staff::names_of(&tx, &staff).await?;
        tx.commit().await?;
        let s = Sealer { key: &key };
        Ok(ClientStops {
            trajectories: trajectories
                .iter()
                .map(crate::trajectories::TrajectorySummary::from)
                .collect(),
            stops: stops
                .iter()
                .map(|r| {
                    Ok(StopView {
                        id: r.id,
                        trajectory: r.trajectory_id,
                        kind: StopKind::from_code(&r.kind).unwrap_or(StopKind::Restriction),
                        ground: r.ground.as_deref().and_then(RestrictionGround::from_code),
                        request: r.request_id,
                        objection: (r.kind == StopKind::Objection.code())
                            .then_some(r.decision_id)
                            .flatten(),
                        reason: s.open(T_STOP, "reason", r.id, &r.reason_ct)?,
                        started_by: r.started_by,
                        started_at: r.started_at,
                        notice_on: r.notice_on,
                        notice_how: r.notice_how.as_deref().and_then(NoticeChannel::from_code),
                        notice_by: r.notice_by,
                        lifted_by: r.lifted_by,
                        lifted_at: r.lifted_at,
                        lift_reason: s.open_opt(
                            T_STOP,
                            "lift_reason",
                            r.id,
                            r.lift_reason_ct.as_deref(),
                        )?,
                    })
                })
                .collect::<CoreResult<_>>()?,
            objections: objections
                .iter()
                .map(|o| {
                    Ok(ObjectionView {
                        id: o.id,
                        trajectory: o.trajectory_id,
                        request: o.request_id,
                        legal_basis: o.legal_basis.clone(),
                        situation: s.open(T_OBJECTION, "situation", o.id, &o.situation_ct)?,
                        grounds: s.open(T_OBJECTION, "grounds", o.id, &o.grounds_ct)?,
                        outcome: ObjectionOutcome::from_code(&o.outcome)
                            .unwrap_or(ObjectionOutcome::Rejected),
                        decided_by: o.decided_by,
                        decided_at: o.decided_at,
                    })
                })
                .collect::<CoreResult<_>>()?,
            withdrawals: withdrawals.iter().map(WithdrawalView::from).collect(),
            names,
            may_freeze: may.first().copied().unwrap_or(false),
            may_withdraw: may.get(1).copied().unwrap_or(false),
        })
    }

    /// Whether the actor may see what stopped processing for this client (the workers on
    /// the case and the privacy officer), without recording anything: the client page
    /// offers the link only then.
    pub async fn may_see_processing_stops(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<bool> {
        self.permitted(
            actor,
            &Access::new(AuditAction::Read, AuditObject::ProcessingStop, Some(client)),
        )
        .await
    }
}

/// A legal basis as the policy file names it.
#[must_use]
pub const fn legal_basis_code(basis: LegalBasis) -> &'static str {
    match basis {
        LegalBasis::Consent => "consent",
        LegalBasis::Contract => "contract",
        LegalBasis::LegalObligation => "legal_obligation",
        LegalBasis::PublicTask => "public_task",
        LegalBasis::LegitimateInterest => "legitimate_interest",
    }
}
