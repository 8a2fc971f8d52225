//! Attachment rows (the encrypted content is a blob file, see `blobs`).

use zv_domain::{AttachmentId, ClientId, EntryId, TrajectoryId, UserId};

use crate::dialect::{exec, query, query_one};
use crate::rows::{AttachmentRow, NewAttachment, get as col};
use crate::{Authorized, StoreError, Tx};

pub(crate) const INSERT: &str = "INSERT INTO attachments (id, entry_id, client_id, filename_ct, media_type, size_bytes, created_by, created_at) VALUES ";
pub(crate) const PLACEHOLDERS: &str = "(?, ?, ?, ?, ?, ?, ?, ?)";

pub(crate) fn values(a: &NewAttachment) -> Vec<sea_orm::Value> {
    vec![
        a.id.as_uuid().into(),
        a.entry_id.as_uuid().into(),
        a.client_id.as_uuid().into(),
        a.filename_ct.clone().into(),
        a.media_type.clone().into(),
        a.size_bytes.into(),
        a.created_by.as_uuid().into(),
        a.created_at.into(),
    ]
}

fn row(r: &sea_orm::QueryResult) -> Result<AttachmentRow, StoreError> {
    Ok(AttachmentRow {
        id: AttachmentId::from_uuid(col(r, "id")?),
        entry_id: EntryId::from_uuid(col(r, "entry_id")?),
        client_id: ClientId::from_uuid(col(r, "client_id")?),
        filename_ct: col(r, "filename_ct")?,
        media_type: col(r, "media_type")?,
        size_bytes: col(r, "size_bytes")?,
        created_by: UserId::from_uuid(col(r, "created_by")?),
        created_at: col(r, "created_at")?,
    })
}

pub async fn insert(tx: &Tx, a: &NewAttachment) -> Result<(), StoreError> {
    exec(tx, &format!("{INSERT}{PLACEHOLDERS}"), values(a)).await?;
    Ok(())
}

/// Whose attachment this is (an id, not personal data), so the gate can decide.
pub async fn client_of(tx: &Tx, id: AttachmentId) -> Result<Option<ClientId>, StoreError> {
    query_one(
        tx,
        "SELECT client_id FROM attachments WHERE id = ?",
        vec![id.as_uuid().into()],
    )
    .await?
    .map(|r| Ok(ClientId::from_uuid(col(&r, "client_id")?)))
    .transpose()
}

pub async fn get(
    tx: &Tx,
    auth: &Authorized,
    id: AttachmentId,
) -> Result<Option<AttachmentRow>, StoreError> {
    query_one(
        tx,
        "SELECT * FROM attachments WHERE id = ? AND client_id = ?",
        vec![id.as_uuid().into(), auth.client_id().as_uuid().into()],
    )
    .await?
    .as_ref()
    .map(row)
    .transpose()
}

pub async fn list_of_trajectory(
    tx: &Tx,
    auth: &Authorized,
    trajectory: TrajectoryId,
) -> Result<Vec<AttachmentRow>, StoreError> {
    query(tx, "SELECT a.* FROM attachments a JOIN entries e ON e.id = a.entry_id WHERE e.trajectory_id = ? AND a.client_id = ? ORDER BY a.created_at", vec![trajectory.as_uuid().into(), auth.client_id().as_uuid().into()]).await?.iter().map(row).collect()
}
