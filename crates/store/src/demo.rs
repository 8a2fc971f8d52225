//! Bulk loading of already-encrypted rows (the demo data set, imports): multi-row
//! inserts in one transaction per batch, with facts that would otherwise be later
//! updates (closing dates, later versions) folded into the inserted rows, so a load
//! reaches tens of thousands of entries per second even on SQLite.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use zv_domain::{ClientId, NewAuditEvent, TrajectoryId, UserId};

use crate::rows::micros;
use crate::{
    NewAttachment, NewClient, NewEntry, NewEntryVersion, NewGoalProgress, NewRelatedPerson,
    NewTrajectory, NewWorkNote, StoreError, Tx, WrappedKeyRow, bulk,
};

/// A trajectory's closing facts.
#[derive(Debug, Clone)]
pub struct TrajectoryClosing {
    pub id: TrajectoryId,
    pub closed_on: NaiveDate,
    pub last_change_at: DateTime<Utc>,
    pub retention_until: Option<NaiveDate>,
}

/// Rows for a batch of clients, already encrypted by the core.
#[derive(Debug, Default)]
pub struct DemoBatch {
    pub keys: Vec<(ClientId, WrappedKeyRow)>,
    pub clients: Vec<NewClient>,
    pub tokens: Vec<([u8; 16], ClientId)>,
    pub related: Vec<NewRelatedPerson>,
    pub trajectories: Vec<NewTrajectory>,
    pub workers: Vec<(TrajectoryId, UserId, NaiveDate)>,
    pub entries: Vec<NewEntry>,
    /// Versions after the first.
    pub versions: Vec<NewEntryVersion>,
    pub progress: Vec<NewGoalProgress>,
    pub attachments: Vec<NewAttachment>,
    pub work_notes: Vec<NewWorkNote>,
    pub closings: Vec<TrajectoryClosing>,
    /// Latest change per trajectory (when not given by a closing).
    pub last_changes: Vec<(TrajectoryId, DateTime<Utc>)>,
    pub audit: Vec<NewAuditEvent>,
}

/// Writes one batch in the caller's transaction (the caller commits), with its audit
/// events stamped `audit_at`.
pub async fn insert_batch(
    tx: &Tx,
    b: &DemoBatch,
    audit_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    crate::keys::insert_many(tx, &b.keys).await?;
    crate::clients::insert_many(tx, &b.clients).await?;
    crate::search::insert_many(tx, &b.tokens).await?;
    crate::related_persons::insert_many(tx, &b.related).await?;

    let closings: HashMap<TrajectoryId, &TrajectoryClosing> =
        b.closings.iter().map(|c| (c.id, c)).collect();
    let last_changes: HashMap<TrajectoryId, DateTime<Utc>> =
        b.last_changes.iter().copied().collect();
    let rows = b
        .trajectories
        .iter()
        .map(|t| {
            let mut m = crate::trajectories::active(t);
            if let Some(at) = last_changes.get(&t.id) {
                m.last_change_at = Set(micros(*at));
            }
            if let Some(c) = closings.get(&t.id) {
                m.closed_on = Set(Some(c.closed_on));
                m.last_change_at = Set(micros(c.last_change_at));
                m.retention_until = Set(c.retention_until);
            }
            m
        })
        .collect();
    bulk::insert_all(tx, rows).await?;
    let in_batch: std::collections::HashSet<TrajectoryId> =
        b.trajectories.iter().map(|t| t.id).collect();
    for c in b.closings.iter().filter(|c| !in_batch.contains(&c.id)) {
        crate::trajectories::set_closing(
            tx,
            c.id,
            c.closed_on,
            c.last_change_at,
            c.retention_until,
        )
        .await?;
    }
    for (t, at) in b
        .last_changes
        .iter()
        .filter(|(t, _)| !in_batch.contains(t) && !closings.contains_key(t))
    {
        crate::trajectories::touch_last_change(tx, *t, *at).await?;
    }
    crate::trajectories::assign_workers_many(tx, &b.workers).await?;
    crate::entries::insert_many(tx, &b.entries, &b.versions).await?;
    crate::entries::insert_progress_many(tx, &b.progress).await?;
    crate::attachments::insert_many(tx, &b.attachments).await?;
    crate::work_notes::insert_many(tx, &b.work_notes).await?;
    crate::audit::append(tx, &b.audit, audit_at).await?;
    Ok(())
}
