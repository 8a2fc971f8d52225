//! Dossier entries, their versions and goal progress.

use chrono::{DateTime, Utc};
use zv_domain::{EntryId, TrajectoryId, UserId};

use crate::dialect::{exec, query, query_one};
use crate::rows::{EntryRow, EntryVersionRow, GoalProgressRow, NewEntry, NewGoalProgress, get};
use crate::{Authorized, StoreError, Tx};

pub(crate) const INSERT: &str = "INSERT INTO entries (id, trajectory_id, client_id, kind, special_category, necessity_ct, current_version, created_by, created_at, updated_at) VALUES ";
pub(crate) const PLACEHOLDERS: &str = "(?, ?, ?, ?, ?, ?, 1, ?, ?, ?)";
pub(crate) const INSERT_VERSION: &str =
    "INSERT INTO entry_versions (entry_id, version, content_ct, author_id, created_at) VALUES ";
pub(crate) const VERSION_PLACEHOLDERS: &str = "(?, ?, ?, ?, ?)";
pub(crate) const INSERT_PROGRESS: &str = "INSERT INTO goal_progress (id, entry_id, client_id, progress, note_ct, author_id, created_at) VALUES ";
pub(crate) const PROGRESS_PLACEHOLDERS: &str = "(?, ?, ?, ?, ?, ?, ?)";

pub(crate) fn values(e: &NewEntry) -> Vec<sea_orm::Value> {
    vec![
        e.id.as_uuid().into(),
        e.trajectory_id.as_uuid().into(),
        e.client_id.as_uuid().into(),
        e.kind.clone().into(),
        e.special_category.clone().into(),
        e.necessity_ct.clone().into(),
        e.created_by.as_uuid().into(),
        e.created_at.into(),
        e.created_at.into(),
    ]
}

pub(crate) fn version_values(
    entry: EntryId,
    version: i32,
    ct: Vec<u8>,
    author: UserId,
    at: DateTime<Utc>,
) -> Vec<sea_orm::Value> {
    vec![
        entry.as_uuid().into(),
        version.into(),
        ct.into(),
        author.as_uuid().into(),
        at.into(),
    ]
}

pub(crate) fn progress_values(p: &NewGoalProgress) -> Vec<sea_orm::Value> {
    vec![
        p.id.into(),
        p.entry_id.as_uuid().into(),
        p.client_id.as_uuid().into(),
        p.progress.into(),
        p.note_ct.clone().into(),
        p.author_id.as_uuid().into(),
        p.created_at.into(),
    ]
}

pub async fn insert(tx: &Tx, e: &NewEntry) -> Result<(), StoreError> {
    exec(tx, &format!("{INSERT}{PLACEHOLDERS}"), values(e)).await?;
    exec(
        tx,
        &format!("{INSERT_VERSION}{VERSION_PLACEHOLDERS}"),
        version_values(e.id, 1, e.content_ct.clone(), e.created_by, e.created_at),
    )
    .await?;
    Ok(())
}

pub async fn next_version(tx: &Tx, entry: EntryId) -> Result<i32, StoreError> {
    let r = query_one(
        tx,
        "SELECT current_version FROM entries WHERE id = ?",
        vec![entry.as_uuid().into()],
    )
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(get::<i32>(&r, "current_version")? + 1)
}

pub async fn add_version(
    tx: &Tx,
    entry: EntryId,
    version: i32,
    ct: Vec<u8>,
    author: UserId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    exec(
        tx,
        &format!("{INSERT_VERSION}{VERSION_PLACEHOLDERS}"),
        version_values(entry, version, ct, author, at),
    )
    .await?;
    exec(
        tx,
        "UPDATE entries SET current_version = ?, updated_at = ? WHERE id = ?",
        vec![version.into(), at.into(), entry.as_uuid().into()],
    )
    .await?;
    Ok(())
}

pub async fn insert_progress(tx: &Tx, p: &NewGoalProgress) -> Result<(), StoreError> {
    exec(
        tx,
        &format!("{INSERT_PROGRESS}{PROGRESS_PLACEHOLDERS}"),
        progress_values(p),
    )
    .await?;
    Ok(())
}

/// The trajectory and kind of an entry (no content).
pub async fn meta(tx: &Tx, entry: EntryId) -> Result<Option<(TrajectoryId, String)>, StoreError> {
    query_one(
        tx,
        "SELECT trajectory_id, kind FROM entries WHERE id = ?",
        vec![entry.as_uuid().into()],
    )
    .await?
    .map(|r| {
        Ok((
            TrajectoryId::from_uuid(get(&r, "trajectory_id")?),
            get(&r, "kind")?,
        ))
    })
    .transpose()
}

pub async fn list_of_trajectory(
    tx: &Tx,
    auth: &Authorized,
    trajectory: TrajectoryId,
) -> Result<Vec<EntryRow>, StoreError> {
    query(tx, "SELECT e.*, v.content_ct FROM entries e JOIN entry_versions v ON v.entry_id = e.id AND v.version = e.current_version WHERE e.trajectory_id = ? AND e.client_id = ? ORDER BY e.created_at, e.id", vec![trajectory.as_uuid().into(), auth.client_id().as_uuid().into()])
        .await?
        .iter()
        .map(|r| {
            Ok(EntryRow {
                id: EntryId::from_uuid(get(r, "id")?),
                trajectory_id: trajectory,
                kind: get(r, "kind")?,
                special_category: get(r, "special_category")?,
                necessity_ct: get(r, "necessity_ct")?,
                current_version: get(r, "current_version")?,
                content_ct: get(r, "content_ct")?,
                created_by: UserId::from_uuid(get(r, "created_by")?),
                created_at: get(r, "created_at")?,
                updated_at: get(r, "updated_at")?,
            })
        })
        .collect()
}

pub async fn versions(
    tx: &Tx,
    auth: &Authorized,
    entry: EntryId,
) -> Result<Vec<EntryVersionRow>, StoreError> {
    query(tx, "SELECT v.* FROM entry_versions v JOIN entries e ON e.id = v.entry_id WHERE v.entry_id = ? AND e.client_id = ? ORDER BY v.version", vec![entry.as_uuid().into(), auth.client_id().as_uuid().into()])
        .await?
        .iter()
        .map(|r| Ok(EntryVersionRow { version: get(r, "version")?, content_ct: get(r, "content_ct")?, author_id: UserId::from_uuid(get(r, "author_id")?), created_at: get(r, "created_at")? }))
        .collect()
}

pub async fn progress_of_trajectory(
    tx: &Tx,
    auth: &Authorized,
    trajectory: TrajectoryId,
) -> Result<Vec<GoalProgressRow>, StoreError> {
    query(tx, "SELECT p.* FROM goal_progress p JOIN entries e ON e.id = p.entry_id WHERE e.trajectory_id = ? AND p.client_id = ? ORDER BY p.created_at", vec![trajectory.as_uuid().into(), auth.client_id().as_uuid().into()])
        .await?
        .iter()
        .map(|r| {
            Ok(GoalProgressRow {
                id: get(r, "id")?,
                entry_id: EntryId::from_uuid(get(r, "entry_id")?),
                client_id: auth.client_id(),
                progress: get(r, "progress")?,
                note_ct: get(r, "note_ct")?,
                author_id: UserId::from_uuid(get(r, "author_id")?),
                created_at: get(r, "created_at")?,
            })
        })
        .collect()
}
