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
use crate::entries::entry_view;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::trajectories::TrajectorySummary;

/// One trajectory's dossier as its client reads it.
#[derive(Clone, Serialize)]
pub struct PortalDossier {
    pub trajectory: TrajectorySummary,
    /// Oldest first, as in the staff's view; as the client may see them, with what the
    /// worker withheld taken out (POR-2).
    pub entries: Vec<crate::withholdings::ClientEntry>,
    /// Names of the staff who wrote entries and progress notes.
    pub names: HashMap<UserId, String>,
}

impl App {
    /// The client's own trajectories, without content (a recorded read).
    pub async fn portal_trajectories(&self, actor: &Actor) -> CoreResult<Vec<TrajectorySummary>> {
        let Actor::Portal(p) = actor else {
            return Err(CoreError::NotFound);
        };
        // A parent's or representative's account may have no dossier of its own; what
        // it reads for others is listed by `portal_linked_dossiers` (MIN-1..4).
        let Some(client) = p.client_id else {
            return Ok(Vec::new());
        };
        self.trajectories_of(actor, client).await
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
        let read = Access::new(
            AuditAction::Read,
            AuditObject::Trajectory,
            Some(meta.client_id),
        )
        .in_trajectory(trajectory)
        .object_id(trajectory);
        // MIN-1..4: how the account stands to the client (its own, or a parent's or
        // representative's link, with the age band of today), once for the page.
        let facts = self.portal_facts_of(actor, meta.client_id).await?;
        let standing = facts.standing(&read);
        let auth = self.authorize_read_on(actor, read, &standing).await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let rows = zv_store::entries::list_of_trajectory(&tx, &auth, trajectory).await?;
        // MIN-1..4: a parent reads only what is dated on or after their authority began.
        let rows = self.portal_visible_entries(actor, &facts, trajectory, rows)?;
        let progress = zv_store::entries::progress_of_trajectory(&tx, &auth, trajectory).await?;
        let attachments = zv_store::attachments::list_of_trajectory(&tx, &auth, trajectory).await?;
        // POR-2: what the worker on the case withholds from the client.
        let withheld = zv_store::withholdings::active_of_trajectory(&tx, &auth, trajectory).await?;
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
            .collect::<CoreResult<Vec<_>>>()?;
        // POR-2: withheld entries and passages stay out (`crate::withholdings`).
        let entries = crate::withholdings::client_version(
            entries,
            &crate::withholdings::open_active(&key, &withheld)?,
        )
        .entries;
        Ok(PortalDossier {
            trajectory: TrajectorySummary::from(&meta),
            entries,
            names,
        })
    }
}
