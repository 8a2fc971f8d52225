//! Personal work notes ("werkaantekeningen", DOS-2): not part of the dossier, readable by
//! their author only, never in the portal or an access copy, destroyed when the
//! trajectory closes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use zv_domain::{AuditAction, AuditObject, TrajectoryId, WorkNoteId};
use zv_store::NewWorkNote;

use crate::access::Target;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::gate::{Access, Actor};
use crate::keys::Sealer;

const T: &str = "work_notes";

#[derive(Clone, Serialize)]
pub struct WorkNote {
    pub id: WorkNoteId,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) fn open_note(
    key: &zv_crypto::DataKey,
    r: &zv_store::WorkNoteRow,
) -> CoreResult<WorkNote> {
    Ok(WorkNote {
        id: r.id,
        body: Sealer { key }.open(T, "body", r.id.as_uuid(), &r.body_ct)?,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

impl App {
    pub async fn add_work_note(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
        body: &str,
    ) -> CoreResult<WorkNoteId> {
        let author = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("work notes belong to a staff member".into()))?;
        let body = body.trim();
        if body.is_empty() {
            return Err(CoreError::invalid("body", "the field is required"));
        }
        if body.chars().count() > 20_000 {
            return Err(CoreError::invalid(
                "body",
                "the field is longer than 20000 characters",
            ));
        }
        let meta = self.trajectory_meta(trajectory).await?;
        if meta.closed_on.is_some() {
            return Err(CoreError::Conflict("this trajectory is closed".into()));
        }
        let id = WorkNoteId::new();
        let tx = self
            .authorize_write(
                actor,
                Access::new(
                    AuditAction::Create,
                    AuditObject::WorkNote,
                    Some(meta.client_id),
                )
                .in_trajectory(trajectory)
                .target(Target::WorkNote { author })
                .object_id(id),
            )
            .await?;
        let key = self.keys.client_key_for_write(&tx, meta.client_id).await?;
        let now = self.now();
        zv_store::work_notes::insert(
            &tx,
            &NewWorkNote {
                id,
                trajectory_id: trajectory,
                client_id: meta.client_id,
                author_id: author,
                body_ct: Sealer { key: &key }.seal(T, "body", id.as_uuid(), body),
                created_at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The actor's own notes on a trajectory; nobody sees another's (DOS-2).
    pub async fn my_work_notes(
        &self,
        actor: &Actor,
        trajectory: TrajectoryId,
    ) -> CoreResult<Vec<WorkNote>> {
        let author = actor
            .user_id()
            .ok_or_else(|| CoreError::NotAllowed("work notes belong to a staff member".into()))?;
        let meta = self.trajectory_meta(trajectory).await?;
        let auth = self
            .authorize_read(
                actor,
                Access::new(
                    AuditAction::Read,
                    AuditObject::WorkNote,
                    Some(meta.client_id),
                )
                .in_trajectory(trajectory)
                .target(Target::WorkNote { author })
                .object_id(trajectory),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let rows = zv_store::work_notes::list_for_author(&tx, &auth, trajectory, author).await?;
        tx.commit().await?;
        rows.iter().map(|r| open_note(&key, r)).collect()
    }

    /// One work note, for its author only (DOS-2): anyone else, whatever their access
    /// to the dossier, finds nothing.
    pub async fn work_note(&self, actor: &Actor, id: WorkNoteId) -> CoreResult<WorkNote> {
        let tx = self.store.read_tx().await?;
        let owner = zv_store::work_notes::owner_of(&tx, id).await?;
        tx.commit().await?;
        let (author, trajectory, client) = owner.ok_or(CoreError::NotFound)?;
        let auth = self
            .authorize_read(
                actor,
                Access::new(AuditAction::Read, AuditObject::WorkNote, Some(client))
                    .in_trajectory(trajectory)
                    .target(Target::WorkNote { author })
                    .object_id(id),
            )
            .await?;
        let tx = self.store.read_tx().await?;
        let key = self.keys.client_key(&tx, &auth).await?;
        let row = zv_store::work_notes::get(&tx, &auth, id)
            .await?
            .ok_or(CoreError::NotFound)?;
        tx.commit().await?;
        open_note(&key, &row)
    }
}
