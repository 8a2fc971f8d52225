//! Attachment rows. The encrypted content is a file (see [`crate::blobs`]).

use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use zv_domain::{AttachmentId, ClientId, EntryId, TrajectoryId};

use crate::entity::attachments::{ActiveModel, Column, Entity};
use crate::fixed::Fixed;
use crate::rows::micros;
use crate::rows::{AttachmentRow, NewAttachment};
use crate::{Authorized, ReadProof, StoreError, Tx, bulk};

fn active(a: &NewAttachment) -> ActiveModel {
    ActiveModel {
        id: Set(a.id.as_uuid()),
        entry_id: Set(a.entry_id.as_uuid()),
        client_id: Set(a.client_id.as_uuid()),
        filename_ct: Set(a.filename_ct.clone()),
        media_type: Set(a.media_type.clone()),
        size_bytes: Set(a.size_bytes),
        created_by: Set(a.created_by.as_uuid()),
        created_at: Set(micros(a.created_at)),
    }
}

pub async fn insert(tx: &Tx, a: &NewAttachment) -> Result<(), StoreError> {
    Entity::insert(active(a))
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

pub async fn insert_many(tx: &Tx, rows: &[NewAttachment]) -> Result<u64, StoreError> {
    bulk::insert_all(tx, rows.iter().map(active).collect()).await
}

/// Whose attachment this is (an id, no personal data), so the gate can decide.
pub async fn client_of(tx: &Tx, id: AttachmentId) -> Result<Option<ClientId>, StoreError> {
    Ok(Entity::find_by_id(id.as_uuid())
        .select_only()
        .column(Column::ClientId)
        .into_tuple::<uuid::Uuid>()
        .one(&tx.inner)
        .await?
        .map(ClientId::from_uuid))
}

/// Which entry an attachment belongs to (an id, no personal data), so the gate can
/// decide on the entry's trajectory and category.
pub async fn entry_of(tx: &Tx, id: AttachmentId) -> Result<Option<EntryId>, StoreError> {
    Ok(Entity::find_by_id(id.as_uuid())
        .select_only()
        .column(Column::EntryId)
        .into_tuple::<uuid::Uuid>()
        .one(&tx.inner)
        .await?
        .map(EntryId::from_uuid))
}

/// One attachment's row, if it belongs to the proof's client.
pub async fn get(
    tx: &Tx,
    auth: &Authorized,
    id: AttachmentId,
) -> Result<Option<AttachmentRow>, StoreError> {
    let Some(m) = Entity::find_by_id(id.as_uuid()).one(&tx.inner).await? else {
        return Ok(None);
    };
    auth.check(ClientId::from_uuid(m.client_id))?;
    Ok(Some(m.into()))
}

/// The attachments of an entry of the proof's client, oldest first.
pub async fn list_of_entry(
    tx: &Tx,
    auth: &Authorized,
    entry: EntryId,
) -> Result<Vec<AttachmentRow>, StoreError> {
    Ok(Entity::find()
        .filter(Column::EntryId.eq(entry.as_uuid()))
        .filter(Column::ClientId.eq(auth.client_id().as_uuid()))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(AttachmentRow::from)
        .collect())
}

/// The attachments of all entries of a trajectory of the proof's client, oldest first.
pub async fn list_of_trajectory(
    tx: &Tx,
    auth: &impl ReadProof,
    trajectory: TrajectoryId,
) -> Result<Vec<AttachmentRow>, StoreError> {
    static Q: Fixed = Fixed::new();
    let (trajectory, client) = (trajectory.as_uuid(), auth.client_id().as_uuid());
    Ok(Q.models(tx, vec![trajectory.into(), client.into()], || {
        Entity::find()
            .filter(crate::entries::in_trajectory(
                (Entity, Column::EntryId),
                trajectory,
            ))
            .filter(Column::ClientId.eq(client))
            .order_by_asc(Column::CreatedAt)
            .order_by_asc(Column::Id)
    })
    .await?
    .into_iter()
    .map(AttachmentRow::from)
    .collect())
}

/// Whether a row exists for this id.
pub async fn exists(tx: &Tx, id: AttachmentId) -> Result<bool, StoreError> {
    Ok(client_of(tx, id).await?.is_some())
}

/// Of the given ids, those that have a row (the retention sweep removes files without
/// one).
pub async fn existing(
    tx: &Tx,
    ids: &[AttachmentId],
) -> Result<std::collections::HashSet<AttachmentId>, StoreError> {
    let mut found = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<uuid::Uuid> = Entity::find()
            .select_only()
            .column(Column::Id)
            .filter(Column::Id.is_in(chunk.iter().map(|a| a.as_uuid())))
            .into_tuple()
            .all(&tx.inner)
            .await?;
        found.extend(rows.into_iter().map(AttachmentId::from_uuid));
    }
    Ok(found)
}
