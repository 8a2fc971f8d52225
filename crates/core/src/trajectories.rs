//! Trajectories ("trajecten"): one dossier per service for a client (DOS-1). Opening,
//! assigning workers, closing (which destroys work notes, DOS-2, and fixes the retention
//! date from the policy, RET-1/RET-2).

use chrono::NaiveDate;
use serde::Serialize;
use zv_domain::{AuditAction, AuditObject, ClientId, Purpose, RelationKind, TrajectoryId, UserId};
use zv_policy::RetentionFacts;
use zv_store::{NewTrajectory, TrajectoryRow};

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};

/// What intake asks for a trajectory.
#[derive(Debug, Clone)]
pub struct TrajectoryInput {
    pub service_type: String,
    pub team: String,
    /// Domestic violence is involved (LEVgroep keeps such dossiers 15 years, not 2).
    pub domestic_violence: bool,
    pub opened_on: NaiveDate,
    /// The municipality the help is for (SHR-5); may be left out where the branch serves
    /// one municipality only, which is then taken.
    pub municipality: Option<String>,
}

/// A trajectory without dossier content: what a colleague of another team may see (ACC-2).
#[derive(Debug, Clone, Serialize)]
pub struct TrajectorySummary {
    pub id: TrajectoryId,
    pub client_id: ClientId,
    pub service_type: String,
    pub team: String,
    pub branch: String,
    pub domestic_violence: bool,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub retention_until: Option<NaiveDate>,
    /// The last change to the dossier (an entry added or edited).
    pub last_change_at: chrono::DateTime<chrono::Utc>,
    /// The freeze in force (RTS-7, RTS-9, RTS-10): every reader of the trajectory sees it.
    pub frozen: Option<crate::processing_stops::Frozen>,
}

/// A worker assigned to a trajectory. Staff names are not client data.
#[derive(Debug, Clone, Serialize)]
pub struct Worker {
    pub user_id: UserId,
    pub display_name: String,
    pub assigned_on: NaiveDate,
}

/// A colleague who can be assigned: a caseworker or team lead of the trajectory's team.
#[derive(Debug, Clone, Serialize)]
pub struct Colleague {
    pub user_id: UserId,
    pub display_name: String,
}

/// The colleagues who could be assigned to a trajectory of `team` and are not yet:
/// enabled caseworkers and team leads of the team. The list only offers choices; the
/// assignment itself is decided at the gate.
pub(crate) async fn assignable_colleagues(
    tx: &zv_store::Tx,
    team: &str,
    assigned: &[zv_store::WorkerRow],
) -> CoreResult<Vec<Colleague>> {
    let roles = [
        zv_domain::Role::Caseworker.code(),
        zv_domain::Role::TeamLead.code(),
    ];
    Ok(zv_store::staff::team_members_with_role(tx, team, roles)
        .await?
        .into_iter()
        .filter(|(id, _)| !assigned.iter().any(|w| w.user_id == *id))
        .map(|(user_id, display_name)| Colleague {
            user_id,
            display_name,
        })
        .collect())
}

/// Assignments with the workers' names.
pub(crate) fn workers_named(
    rows: Vec<zv_store::WorkerRow>,
    names: &std::collections::HashMap<UserId, String>,
) -> Vec<Worker> {
    rows.into_iter()
        .map(|w| Worker {
            display_name: names.get(&w.user_id).cloned().unwrap_or_default(),
            user_id: w.user_id,
            assigned_on: w.assigned_on,
        })
        .collect()
}

impl From<&TrajectoryRow> for TrajectorySummary {
    fn from(t: &TrajectoryRow) -> Self {
        Self {
            id: t.id,
            client_id: t.client_id,
            service_type: t.service_type.clone(),
            team: t.team_code.clone(),
            branch: t.branch_code.clone(),
            domestic_violence: t.domestic_violence,
            opened_on: t.opened_on,
            closed_on: t.closed_on,
            retention_until: t.retention_until,
            last_change_at: t.last_change_at,
            frozen: crate::processing_stops::Frozen::of(t),
        }
    }
}

impl App {
    /// Checks a trajectory request against the policy and builds its row; `person` is the
    /// client's birth date and gender, for the report facts.
    pub(crate) fn new_trajectory_row(
        &self,
        client: ClientId,
        input: &TrajectoryInput,
        person: Option<(NaiveDate, zv_domain::Gender)>,
    ) -> CoreResult<NewTrajectory> {
        let service = self
            .policy
            .service_type(&input.service_type)
            .ok_or_else(|| CoreError::invalid("service_type", "unknown service type"))?;
        let team = self
            .policy
            .team(&input.team)
            .ok_or_else(|| CoreError::invalid("team", "unknown team"))?;
        if input.opened_on > self.clock.today() {
            return Err(CoreError::invalid(
                "opened_on",
                "a trajectory cannot open in the future",
            ));
        }
        let municipality =
            self.trajectory_municipality(&team.branch, input.municipality.as_deref())?;
        let facts = match person {
            Some((birth, gender)) => {
                self.report_facts(municipality, birth, gender, input.opened_on)
            }
            None => zv_store::ReportFacts {
                municipality,
                ..Default::default()
            },
        };
        Ok(NewTrajectory {
            id: TrajectoryId::new(),
            client_id: client,
            service_type: service.code.clone(),
            branch_code: team.branch.clone(),
            team_code: team.code.clone(),
            domestic_violence: input.domestic_violence,
            opened_on: input.opened_on,
            created_at: self.now(),
            facts,
        })
    }

    /// Opens a further trajectory for a client the actor already works with; the opener
    /// is assigned to it.
    pub async fn open_trajectory(
        &self,
        actor: &Actor,
        client: ClientId,
        input: TrajectoryInput,
    ) -> CoreResult<TrajectoryId> {
        let row = self.new_trajectory_row(client, &input, None)?;
        let access = Access::new(AuditAction::Create, AuditObject::Trajectory, Some(client))
            .object_id(row.id);
        // The report facts need the client's birth date and gender: read (recorded) only
        // when the opening will be allowed, so a refusal reads nothing and is recorded
        // as the refused opening it is.
        let row = if self.decide(actor, &access).await?.allowed {
            match self.person_facts_for_trajectory(actor, client).await {
                Ok(Some((birth, gender))) => NewTrajectory {
                    facts: self.report_facts(
                        row.facts.municipality.clone(),
                        birth,
                        gender,
                        input.opened_on,
                    ),
                    ..row
                },
                // Without the profile the facts wait for the fill job; the opening is
                // decided on its own.
                Ok(None) | Err(CoreError::NotFound | CoreError::NotAllowed(_)) => row,
                Err(e) => return Err(e),
            }
        } else {
            row
        };
        let tx = self.authorize_write(actor, access).await?;
        zv_store::trajectories::insert(&tx, &row).await?;
        if let Some(user) = actor.user_id() {
            zv_store::trajectories::assign_worker(&tx, row.id, user, input.opened_on).await?;
        }
        tx.commit().await?;
        Ok(row.id)
    }

    /// The trajectories of a client, without content.
    pub async fn trajectories_of(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<Vec<TrajectorySummary>> {
        let _auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::Trajectory, Some(client)),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let rows = zv_store::trajectories::of_client(&tx, client).await?;
        tx.commit().await?;
        Ok(rows.iter().map(TrajectorySummary::from).collect())
    }

    pub(crate) async fn trajectory_meta(&self, id: TrajectoryId) -> CoreResult<TrajectoryRow> {
        let tx = self.store.read_tx().await?;
        let row = zv_store::trajectories::get_meta(&tx, id).await?;
        tx.commit().await?;
        row.ok_or(CoreError::NotFound)
    }

    /// Who works on a trajectory is decided by its workers and its team's lead; the
    /// change is recorded in the transaction it happens in.
    async fn authorize_assignment(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        detail: String,
    ) -> CoreResult<(TrajectoryRow, zv_store::Tx)> {
        let meta = self.trajectory_meta(trajectory).await?;
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Update,
                    AuditObject::Trajectory,
                    Some(meta.client_id),
                )
                .in_trajectory(trajectory)
                .target(Target::Assignment)
                .team(meta.team_code.clone())
                .object_id(trajectory)
                .detail(detail),
            )
            .await?;
        Ok((meta, tx))
    }

    /// Assigns a worker to a trajectory (ACC-1 then lets them read the full dossier).
    pub async fn assign_worker(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        worker: UserId,
    ) -> CoreResult<()> {
        let (_, tx) = self
            .authorize_assignment(actor, trajectory, format!("assign worker {worker}"))
            .await?;
        if zv_store::staff::get(&tx, worker).await?.is_none() {
            return Err(CoreError::invalid("worker", "unknown staff member"));
        }
        zv_store::trajectories::assign_worker(&tx, trajectory, worker, self.clock.today()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends a worker's assignment; from then on ACC-2 applies to them. The last worker
    /// of an open trajectory stays: a dossier nobody works on would be unreachable.
    pub async fn unassign_worker(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        worker: UserId,
    ) -> CoreResult<()> {
        let (meta, tx) = self
            .authorize_assignment(actor, trajectory, format!("unassign worker {worker}"))
            .await?;
        let workers = zv_store::trajectories::workers_of(&tx, trajectory).await?;
        if !workers.iter().any(|w| w.user_id == worker) {
            return Err(CoreError::invalid(
                "worker",
                "this staff member is not assigned",
            ));
        }
        if meta.closed_on.is_none() && workers.len() == 1 {
            return Err(CoreError::invalid(
                "worker",
                "an open trajectory keeps at least one worker",
            ));
        }
        zv_store::trajectories::unassign_worker(&tx, trajectory, worker).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes a trajectory: work notes are destroyed (DOS-2: they are not part of the
    /// dossier and do not outlive the help), and the retention date is fixed from the
    /// policy's rule for the service type (RET-1, RET-2).
    pub async fn close_trajectory(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        closed_on: NaiveDate,
    ) -> CoreResult<NaiveDate> {
        let meta = self.trajectory_meta(trajectory).await?;
        if meta.closed_on.is_some() {
            return Err(CoreError::Conflict(
                "this trajectory is already closed".into(),
            ));
        }
        if closed_on < meta.opened_on || closed_on > self.clock.today() {
            return Err(CoreError::invalid(
                "closed_on",
                "the closing date lies between opening and today",
            ));
        }
        let children = self.children_birth_dates(actor, meta.client_id).await?;
        let facts = crate::retention::dates::facts_of(
            &TrajectoryRow {
                closed_on: Some(closed_on),
                ..meta.clone()
            },
            children,
        );
        let until = self.retention_until(&meta, &facts)?;
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Update,
                    AuditObject::Trajectory,
                    Some(meta.client_id),
                )
                .in_trajectory(trajectory)
                .object_id(trajectory)
                .detail("closed"),
            )
            .await?;
        let notes = zv_store::work_notes::delete_of_trajectory(&tx, trajectory).await?;
        if notes > 0 {
            self.record_client_event(
                &tx,
                actor,
                Access::new(
                    AuditAction::Delete,
                    AuditObject::WorkNote,
                    Some(meta.client_id),
                )
                .object_id(trajectory)
                .purpose(Purpose::Retention)
                .detail(format!("work notes destroyed at closing: {notes}")),
                &crate::access::Decision::recorded("dos2-work-notes-end-with-trajectory"),
            )
            .await?;
        }
        zv_store::trajectories::close(&tx, trajectory, closed_on).await?;
        zv_store::trajectories::set_retention_until(&tx, trajectory, Some(until)).await?;
        tx.commit().await?;
        Ok(until)
    }

    /// The retention date of a trajectory from its service type's rule.
    pub(crate) fn retention_until(
        &self,
        meta: &TrajectoryRow,
        facts: &RetentionFacts,
    ) -> CoreResult<NaiveDate> {
        let service = self
            .policy
            .service_type(&meta.service_type)
            .ok_or_else(|| {
                CoreError::Internal("trajectory of a service type the policy no longer has".into())
            })?;
        let rule_code = match (
            &service.retention_if_domestic_violence,
            meta.domestic_violence,
        ) {
            (Some(dv), true) => dv,
            _ => &service.retention,
        };
        let rule = self.policy.retention_rule(rule_code).ok_or_else(|| {
            CoreError::Internal("service type names a retention rule that does not exist".into())
        })?;
        rule.retention_until(facts)
            .ok_or_else(|| CoreError::Internal("retention start event has not happened".into()))
    }

    async fn children_birth_dates(
        &self,
        actor: &Actor,
        client: ClientId,
    ) -> CoreResult<Vec<NaiveDate>> {
        let related = self
            .related_persons_with_purpose(actor, client, Purpose::Retention)
            .await?;
        Ok(related
            .into_iter()
            .filter(|p| p.relation == RelationKind::Child)
            .filter_map(|p| p.birth_date)
            .collect())
    }
}
