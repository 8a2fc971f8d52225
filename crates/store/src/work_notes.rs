//! Personal work notes ("werkaantekeningen", DOS-2): not part of the dossier, read by
//! their author only, destroyed when the trajectory closes.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use zv_domain::{ClientId, TrajectoryId, UserId, WorkNoteId};

use crate::entity::work_notes::{ActiveModel, Column, Entity};
use crate::fixed::Fixed;
use crate::rows::micros;
use crate::rows::{NewWorkNote, WorkNoteRow};
use crate::{Authorized, ReadProof, StoreError, Tx, bulk};

fn active(n: &NewWorkNote) -> ActiveModel {
    ActiveModel {
        id: Set(n.id.as_uuid()),
        trajectory_id: Set(n.trajectory_id.as_uuid()),
        client_id: Set(n.client_id.as_uuid()),
        author_id: Set(n.author_id.as_uuid()),
        body_ct: Set(n.body_ct.clone()),
        created_at: Set(micros(n.created_at)),
        updated_at: Set(micros(n.created_at)),
    }
}

pub async fn insert(tx: &Tx, n: &NewWorkNote) -> Result<(), StoreError> {
    Entity::insert(active(n))
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

pub async fn insert_many(tx: &Tx, notes: &[NewWorkNote]) -> Result<u64, StoreError> {
    bulk::insert_all(tx, notes.iter().map(active).collect()).await
}

/// Replaces a note's text. Only its author can: another user's id finds nothing
/// ([`StoreError::NotFound`]).
pub async fn update(
    tx: &Tx,
    id: WorkNoteId,
    author: UserId,
    body_ct: Vec<u8>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let n = Entity::update_many()
        .col_expr(Column::BodyCt, Expr::value(body_ct))
        .col_expr(Column::UpdatedAt, Expr::value(micros(at)))
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::AuthorId.eq(author.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// The author's own notes on a trajectory of the proof's client, oldest first.
pub async fn list_for_author(
    tx: &Tx,
    auth: &impl ReadProof,
    trajectory: TrajectoryId,
    author: UserId,
) -> Result<Vec<WorkNoteRow>, StoreError> {
    static Q: Fixed = Fixed::new();
    let (trajectory, client, author) = (
        trajectory.as_uuid(),
        auth.client_id().as_uuid(),
        author.as_uuid(),
    );
    Ok(Q.models(
        tx,
        vec![trajectory.into(), client.into(), author.into()],
        || {
            Entity::find()
                .filter(Column::TrajectoryId.eq(trajectory))
                .filter(Column::ClientId.eq(client))
                .filter(Column::AuthorId.eq(author))
                .order_by_asc(Column::CreatedAt)
                .order_by_asc(Column::Id)
        },
    )
    .await?
    .into_iter()
    .map(WorkNoteRow::from)
    .collect())
}

/// Whose note this is and where (ids only), so the gate can decide.
pub async fn owner_of(
    tx: &Tx,
    id: WorkNoteId,
) -> Result<Option<(UserId, TrajectoryId, ClientId)>, StoreError> {
    Ok(Entity::find_by_id(id.as_uuid())
        .one(&tx.inner)
        .await?
        .map(|m| {
            (
                UserId::from_uuid(m.author_id),
                TrajectoryId::from_uuid(m.trajectory_id),
                ClientId::from_uuid(m.client_id),
            )
        }))
}

/// One note, if it belongs to the proof's client.
pub async fn get(
    tx: &Tx,
    auth: &Authorized,
    id: WorkNoteId,
) -> Result<Option<WorkNoteRow>, StoreError> {
    Ok(Entity::find_by_id(id.as_uuid())
        .filter(Column::ClientId.eq(auth.client_id().as_uuid()))
        .one(&tx.inner)
        .await?
        .map(WorkNoteRow::from))
}

/// Destroys all work notes of a trajectory (at closing, DOS-2). Returns how many.
pub async fn delete_of_trajectory(tx: &Tx, trajectory: TrajectoryId) -> Result<u64, StoreError> {
    Ok(Entity::delete_many()
        .filter(Column::TrajectoryId.eq(trajectory.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}
