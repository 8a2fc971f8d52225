//! Personal work notes (DOS-2): read by their author only.

use zv_domain::{TrajectoryId, UserId, WorkNoteId};

use crate::dialect::{exec, query};
use crate::rows::{NewWorkNote, WorkNoteRow, get};
use crate::{Authorized, StoreError, Tx};

pub(crate) const INSERT: &str = "INSERT INTO work_notes (id, trajectory_id, client_id, author_id, body_ct, created_at, updated_at) VALUES ";
pub(crate) const PLACEHOLDERS: &str = "(?, ?, ?, ?, ?, ?, ?)";

pub(crate) fn values(n: &NewWorkNote) -> Vec<sea_orm::Value> {
    vec![
        n.id.as_uuid().into(),
        n.trajectory_id.as_uuid().into(),
        n.client_id.as_uuid().into(),
        n.author_id.as_uuid().into(),
        n.body_ct.clone().into(),
        n.created_at.into(),
        n.created_at.into(),
    ]
}

pub async fn insert(tx: &Tx, n: &NewWorkNote) -> Result<(), StoreError> {
    exec(tx, &format!("{INSERT}{PLACEHOLDERS}"), values(n)).await?;
    Ok(())
}

pub async fn list_for_author(
    tx: &Tx,
    auth: &Authorized,
    trajectory: TrajectoryId,
    author: UserId,
) -> Result<Vec<WorkNoteRow>, StoreError> {
    query(tx, "SELECT id, body_ct, created_at, updated_at FROM work_notes WHERE trajectory_id = ? AND client_id = ? AND author_id = ? ORDER BY created_at", vec![trajectory.as_uuid().into(), auth.client_id().as_uuid().into(), author.as_uuid().into()])
        .await?
        .iter()
        .map(|r| Ok(WorkNoteRow { id: WorkNoteId::from_uuid(get(r, "id")?), body_ct: get(r, "body_ct")?, created_at: get(r, "created_at")?, updated_at: get(r, "updated_at")? }))
        .collect()
}

pub async fn delete_of_trajectory(tx: &Tx, trajectory: TrajectoryId) -> Result<u64, StoreError> {
    exec(
        tx,
        "DELETE FROM work_notes WHERE trajectory_id = ?",
        vec![trajectory.as_uuid().into()],
    )
    .await
}
