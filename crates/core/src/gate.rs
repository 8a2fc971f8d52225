//! The gate (ARCHITECTURE "The gate"): every access to a client's personal data passes
//! here. It asks the access rules, makes the audit event durable, and only then mints the
//! [`Authorized`] proof that the store demands before it returns a client's ciphertext.
//!
//! Reads: the audit event is committed in its own transaction before any data is fetched,
//! so no data leaves without a durable trace (ACC-7). Writes: the audit event is part of
//! the write's own transaction, so either both happen or neither.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zv_domain::{
    AuditAction, AuditObject, AuditOutcome, ClientId, NewAuditEvent, Purpose, Role, UserId,
};
use zv_store::{Authorized, Tx};

use crate::access::{self, Decision, Resource};
use crate::app::App;
use crate::error::{CoreError, CoreResult};

/// Who is acting. Built by the web layer from a verified session, or by the CLI.
#[derive(Debug, Clone)]
pub enum Actor {
    Staff(StaffActor),
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
        }
    }

    #[must_use]
    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Self::Staff(s) => Some(s.user_id),
            Self::System { .. } => None,
        }
    }
}

/// One access to be decided and recorded.
pub(crate) struct Access {
    pub action: AuditAction,
    pub object: AuditObject,
    pub object_id: Option<Uuid>,
    pub client: Option<ClientId>,
    pub purpose: Purpose,
    pub detail: Option<String>,
}

impl Access {
    pub fn new(action: AuditAction, object: AuditObject, client: Option<ClientId>) -> Self {
        Self {
            action,
            object,
            object_id: None,
            client,
            purpose: Purpose::Care,
            detail: None,
        }
    }

    pub fn object_id(mut self, id: impl Into<Uuid>) -> Self {
        self.object_id = Some(id.into());
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
}

pub(crate) fn event(
    actor: &Actor,
    access: &Access,
    outcome: AuditOutcome,
    rule_ids: Vec<String>,
) -> NewAuditEvent {
    let (user_id, user_name, role, access_point) = actor.audit_identity();
    let purpose = match actor {
        Actor::System { job: "demo", .. } => Purpose::Demo,
        _ => access.purpose,
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
        on_behalf_of: None,
        purpose,
        access_point,
        rule_ids,
        detail: access.detail.clone(),
    }
}

impl App {
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    async fn decide(&self, actor: &Actor, access: &Access) -> CoreResult<Decision> {
        let resource = match access.client {
            Some(client) => {
                let tx = self.store.begin().await?;
                let assigned = match actor {
                    Actor::Staff(s) => {
                        zv_store::trajectories::is_worker_of_client(&tx, s.user_id, client).await?
                    }
                    Actor::System { .. } => false,
                };
                tx.commit().await?;
                Resource::Client { assigned }
            }
            None => Resource::Organisation,
        };
        Ok(access::decide(
            actor,
            access.action,
            access.object,
            &resource,
        ))
    }

    /// Whether the rules allow an access, without recording anything (for filtering).
    pub(crate) async fn permitted(&self, actor: &Actor, access: &Access) -> CoreResult<bool> {
        Ok(self.decide(actor, access).await?.allowed)
    }

    /// Records a refused access durably, then answers "not found" (a dossier one may not
    /// see must not even be confirmed to exist).
    async fn refuse(&self, actor: &Actor, access: &Access, decision: Decision) -> CoreError {
        let refused = event(actor, access, AuditOutcome::Denied, decision.rule_ids);
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
        let client = access
            .client
            .ok_or_else(|| CoreError::Internal("a read names its client".into()))?;
        let decision = self.decide(actor, &access).await?;
        if !decision.allowed {
            return Err(self.refuse(actor, &access, decision).await);
        }
        // Group commit: concurrent reads share one transaction and one sync, and each
        // is released only once the transaction holding its event has committed.
        let seqs = zv_store::audit_group::append_committed(
            &self.store,
            vec![event(
                actor,
                &access,
                AuditOutcome::Success,
                decision.rule_ids,
            )],
            self.now(),
        )
        .await?;
        let seq = seqs
            .first()
            .copied()
            .ok_or_else(|| CoreError::Internal("audit append returned no sequence".into()))?;
        Ok(Authorized::minted_by_gate_after_audit(client, seq))
    }

    /// Authorizes a write and opens the transaction it happens in, with its audit event
    /// already appended: commit the transaction and both are durable, drop it and neither.
    pub(crate) async fn authorize_write(&self, actor: &Actor, access: Access) -> CoreResult<Tx> {
        let decision = self.decide(actor, &access).await?;
        if !decision.allowed {
            return Err(self.refuse(actor, &access, decision).await);
        }
        let tx = self.store.begin().await?;
        zv_store::audit::append(
            &tx,
            &[event(
                actor,
                &access,
                AuditOutcome::Success,
                decision.rule_ids,
            )],
            self.now(),
        )
        .await?;
        Ok(tx)
    }

    /// Records an event that needs no decision about a client (administration, backups).
    pub(crate) async fn record(&self, tx: &Tx, actor: &Actor, access: Access) -> CoreResult<()> {
        zv_store::audit::append(
            tx,
            &[event(
                actor,
                &access,
                AuditOutcome::Success,
                vec!["administration".into()],
            )],
            self.now(),
        )
        .await?;
        Ok(())
    }
}
