//! The online dossier (POR-1, DOS-2): the client's own trajectories and, per
//! trajectory, everything of DOS-1 with its attachments.
//!
//! Every read passes the gate as a staff read does: the rules decide on the client's
//! standing (is this their own data), the event naming the portal account commits
//! before anything is decrypted, and another client's trajectory is "not found". What is
//! shown is built from the dossier's entries only; work notes are kept in a table of
//! their own that nothing here reads.

use std::collections::HashMap;

use serde::Serialize;
use zv_domain::{AuditAction, AuditObject, TrajectoryId, UserId};

use crate::app::App;
use crate::entries::{EntryView, entry_view};
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::trajectories::TrajectorySummary;

/// One trajectory's dossier as its client reads it.
#[derive(Clone, Serialize)]
pub struct PortalDossier {
    pub trajectory: TrajectorySummary,
    /// Oldest first, as in the staff's view.
    pub entries: Vec<EntryView>,
    /// Names of the staff who wrote entries and progress notes.
    pub names: HashMap<UserId, String>,
}

impl App {
    /// The client's own trajectories, without content (a recorded read).
    pub async fn portal_trajectories(&self, actor: &Actor) -> CoreResult<Vec<TrajectorySummary>> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        self.trajectories_of(actor, p.client_id).await
    }

    /// One trajectory's dossier, if it is the client's own; otherwise "not found", and
    /// the refusal is in the audit log.
    pub async fn portal_dossier(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
    ) -> CoreResult<PortalDossier> {
        if !matches!(actor, Actor::Portal(_)) {
            return Err(CoreError::NotFound);
        }
        let meta = self.trajectory_meta(trajectory).await?;
        let auth = self
            .authorize_read(
                actor,
                Access::new(
                    AuditAction::Read,
                    AuditObject::Trajectory,
                    Some(meta.client_id),
                )
                .in_trajectory(trajectory)
                .object_id(trajectory),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let rows = zv_store::entries::list_of_trajectory(&tx, &auth, trajectory).await?;
        let progress = zv_store::entries::progress_of_trajectory(&tx, &auth, trajectory).await?;
        let attachments = zv_store::attachments::list_of_trajectory(&tx, &auth, trajectory).await?;
        let mut authors: Vec<UserId> = rows
            .iter()
            .map(|r| r.created_by)
            .chain(progress.iter().map(|p| p.author_id))
            .collect();
        authors.sort_unstable();
        authors.dedup();
        let names = zv_store::staff::names_of(&tx, &authors).await?;
        tx.commit().await?;
        let entries = rows
            .iter()
            .map(|r| entry_view(&key, r, &progress, &attachments))
            .collect::<CoreResult<_>>()?;
        Ok(PortalDossier {
            trajectory: TrajectorySummary::from(&meta),
            entries,
            names,
        })
    }
}
