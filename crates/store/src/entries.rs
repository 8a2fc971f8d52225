//! Dossier entries, their versions (an entry is never overwritten: a change is a new
//! version) and progress on goals.

use std::collections::HashMap;

use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Order, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, Iterable, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait as _,
};
use zv_domain::{ClientId, EntryId, EntryKind, TrajectoryId, UserId};

use crate::entity::{entries, entry_versions, goal_progress};
use crate::fixed::Fixed;
use crate::rows::micros;
use crate::rows::{
    EntryMeta, EntryRow, EntryVersionRow, GoalProgressRow, NewEntry, NewEntryVersion,
    NewGoalProgress,
};
use crate::{Authorized, ReadProof, StoreError, Tx, bulk, columns};

fn entry_active(
    e: &NewEntry,
    current_version: i32,
    updated_at: chrono::DateTime<chrono::Utc>,
) -> entries::ActiveModel {
    entries::ActiveModel {
        id: Set(e.id.as_uuid()),
        trajectory_id: Set(e.trajectory_id.as_uuid()),
        client_id: Set(e.client_id.as_uuid()),
        kind: Set(e.kind.clone()),
        special_category: Set(e.special_category.clone()),
        necessity_ct: Set(e.necessity_ct.clone()),
        current_version: Set(current_version),
        created_by: Set(e.created_by.as_uuid()),
        created_at: Set(micros(e.created_at)),
        updated_at: Set(micros(updated_at)),
    }
}

fn first_version(e: &NewEntry) -> entry_versions::ActiveModel {
    entry_versions::ActiveModel {
        entry_id: Set(e.id.as_uuid()),
        version: Set(1),
        content_ct: Set(e.content_ct.clone()),
        author_id: Set(e.created_by.as_uuid()),
        created_at: Set(micros(e.created_at)),
    }
}

fn version_active(v: &NewEntryVersion) -> entry_versions::ActiveModel {
    entry_versions::ActiveModel {
        entry_id: Set(v.entry_id.as_uuid()),
        version: Set(v.version),
        content_ct: Set(v.content_ct.clone()),
        author_id: Set(v.author_id.as_uuid()),
        created_at: Set(micros(v.created_at)),
    }
}

fn progress_active(p: &NewGoalProgress) -> goal_progress::ActiveModel {
    goal_progress::ActiveModel {
        id: Set(p.id),
        entry_id: Set(p.entry_id.as_uuid()),
        client_id: Set(p.client_id.as_uuid()),
        progress: Set(p.progress),
        note_ct: Set(p.note_ct.clone()),
        author_id: Set(p.author_id.as_uuid()),
        created_at: Set(micros(p.created_at)),
    }
}

/// Inserts an entry with its first version.
pub async fn insert(tx: &Tx, e: &NewEntry) -> Result<(), StoreError> {
    entries::Entity::insert(entry_active(e, 1, e.created_at))
        .exec_without_returning(&tx.inner)
        .await?;
    entry_versions::Entity::insert(first_version(e))
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

/// Bulk insert of entries with their first versions, plus later versions of them (demo
/// load, imports). An entry's current version is set from the later versions given, so
/// no row is updated afterwards. Versions of entries outside `entries` are added with
/// [`add_version`] semantics. Returns the number of entries inserted.
pub async fn insert_many(
    tx: &Tx,
    entries: &[NewEntry],
    later_versions: &[NewEntryVersion],
) -> Result<u64, StoreError> {
    let mut latest: HashMap<EntryId, &NewEntryVersion> = HashMap::new();
    for v in later_versions {
        let slot = latest.entry(v.entry_id).or_insert(v);
        if v.version > slot.version {
            *slot = v;
        }
    }
    let models = entries
        .iter()
        .map(|e| match latest.get(&e.id) {
            Some(v) => entry_active(e, v.version, v.created_at),
            None => entry_active(e, 1, e.created_at),
        })
        .collect();
    let inserted = bulk::insert_all(tx, models).await?;
    let in_batch: std::collections::HashSet<EntryId> = entries.iter().map(|e| e.id).collect();
    let mut versions: Vec<entry_versions::ActiveModel> =
        entries.iter().map(first_version).collect();
    versions.extend(
        later_versions
            .iter()
            .filter(|v| in_batch.contains(&v.entry_id))
            .map(version_active),
    );
    bulk::insert_all(tx, versions).await?;
    let mut outside: Vec<&NewEntryVersion> = later_versions
        .iter()
        .filter(|v| !in_batch.contains(&v.entry_id))
        .collect();
    outside.sort_by_key(|v| (v.entry_id, v.version));
    for v in outside {
        add_version(tx, v).await?;
    }
    Ok(inserted)
}

/// The version number the next [`add_version`] of this entry must carry (the core binds
/// it into the ciphertext's associated data before it writes).
pub async fn next_version(tx: &Tx, entry: EntryId) -> Result<i32, StoreError> {
    let current = entries::Entity::find_by_id(entry.as_uuid())
        .select_only()
        .column(entries::Column::CurrentVersion)
        .into_tuple::<i32>()
        .one(&tx.inner)
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(current + 1)
}

/// Adds a version and makes it current. The version must be the current one plus one:
/// if another writer added a version in between, [`StoreError::Conflict`] (the caller
/// re-reads and tries again); no such entry, [`StoreError::NotFound`].
pub async fn add_version(tx: &Tx, v: &NewEntryVersion) -> Result<(), StoreError> {
    let n = entries::Entity::update_many()
        .col_expr(entries::Column::CurrentVersion, Expr::value(v.version))
        .col_expr(
            entries::Column::UpdatedAt,
            Expr::value(micros(v.created_at)),
        )
        .filter(entries::Column::Id.eq(v.entry_id.as_uuid()))
        .filter(entries::Column::CurrentVersion.eq(v.version - 1))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    if n == 0 {
        return Err(if meta(tx, v.entry_id).await?.is_some() {
            StoreError::Conflict
        } else {
            StoreError::NotFound
        });
    }
    entry_versions::Entity::insert(version_active(v))
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

/// An entry without its content: for the gate (whose client, which trajectory, which
/// kind) and for listings.
pub async fn meta(tx: &Tx, entry: EntryId) -> Result<Option<EntryMeta>, StoreError> {
    Ok(entries::Entity::find_by_id(entry.as_uuid())
        .one(&tx.inner)
        .await?
        .map(EntryMeta::from))
}

/// The entries of a trajectory without content, oldest first.
pub async fn list_meta_of_trajectory(
    tx: &Tx,
    trajectory: TrajectoryId,
) -> Result<Vec<EntryMeta>, StoreError> {
    Ok(entries::Entity::find()
        .filter(entries::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .order_by_asc(entries::Column::CreatedAt)
        .order_by_asc(entries::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(EntryMeta::from)
        .collect())
}

/// Entries joined with their current version's content.
fn with_content() -> SelectStatement {
    let on = Condition::all()
        .add(
            Expr::col((entry_versions::Entity, entry_versions::Column::EntryId))
                .equals((entries::Entity, entries::Column::Id)),
        )
        .add(
            Expr::col((entry_versions::Entity, entry_versions::Column::Version))
                .equals((entries::Entity, entries::Column::CurrentVersion)),
        );
    Query::select()
        .columns(entries::Column::iter().map(|c| (entries::Entity, c)))
        .expr_as(
            Expr::col((entry_versions::Entity, entry_versions::Column::ContentCt)),
            "content_ct",
        )
        .from(entries::Entity)
        .inner_join(entry_versions::Entity, on)
        .to_owned()
}

/// Reads the columns of `with_content` by position: the entity's in their order, then the
/// current version's content (`tests::ENTRY_COLUMNS`).
fn entry_row(r: &sea_orm::QueryResult) -> Result<EntryRow, StoreError> {
    // Column by column through the driver rather than `Model::from_query_result`: a
    // dossier view decodes fifty of these rows (`columns`).
    Ok(EntryRow {
        id: EntryId::from_uuid(columns::column(r, 0)?),
        trajectory_id: TrajectoryId::from_uuid(columns::column(r, 1)?),
        client_id: ClientId::from_uuid(columns::column(r, 2)?),
        kind: columns::column(r, 3)?,
        special_category: columns::column(r, 4)?,
        necessity_ct: columns::column(r, 5)?,
        current_version: columns::column(r, 6)?,
        created_by: UserId::from_uuid(columns::column(r, 7)?),
        created_at: columns::column(r, 8)?,
        updated_at: columns::column(r, 9)?,
        content_ct: columns::column(r, 10)?,
    })
}

/// One entry with its current content, if it belongs to the proof's client.
pub async fn get(tx: &Tx, auth: &Authorized, id: EntryId) -> Result<Option<EntryRow>, StoreError> {
    let q = with_content()
        .and_where(Expr::col((entries::Entity, entries::Column::Id)).eq(id.as_uuid()))
        .to_owned();
    let Some(r) = tx.inner.query_one(&q).await? else {
        return Ok(None);
    };
    let row = entry_row(&r)?;
    auth.check(row.client_id)?;
    Ok(Some(row))
}

/// The entries of a trajectory with their current content, oldest first. Only the
/// proof's client's entries are returned (a trajectory has one client).
pub async fn list_of_trajectory(
    tx: &Tx,
    auth: &impl ReadProof,
    trajectory: TrajectoryId,
) -> Result<Vec<EntryRow>, StoreError> {
    static Q: Fixed = Fixed::new();
    let (trajectory, client) = (trajectory.as_uuid(), auth.client_id().as_uuid());
    Q.rows(tx, vec![trajectory.into(), client.into()], || {
        with_content()
            .and_where(Expr::col((entries::Entity, entries::Column::TrajectoryId)).eq(trajectory))
            .and_where(Expr::col((entries::Entity, entries::Column::ClientId)).eq(client))
            .order_by((entries::Entity, entries::Column::CreatedAt), Order::Asc)
            .order_by((entries::Entity, entries::Column::Id), Order::Asc)
            .to_owned()
    })
    .await?
    .iter()
    .map(entry_row)
    .collect()
}

/// All versions of an entry, oldest first, if it belongs to the proof's client.
pub async fn versions(
    tx: &Tx,
    auth: &Authorized,
    entry: EntryId,
) -> Result<Vec<EntryVersionRow>, StoreError> {
    let Some(m) = meta(tx, entry).await? else {
        return Ok(Vec::new());
    };
    auth.check(m.client_id)?;
    Ok(entry_versions::Entity::find()
        .filter(entry_versions::Column::EntryId.eq(entry.as_uuid()))
        .order_by_asc(entry_versions::Column::Version)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(EntryVersionRow::from)
        .collect())
}

pub async fn insert_progress(tx: &Tx, p: &NewGoalProgress) -> Result<(), StoreError> {
    goal_progress::Entity::insert(progress_active(p))
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

pub async fn insert_progress_many(tx: &Tx, rows: &[NewGoalProgress]) -> Result<u64, StoreError> {
    bulk::insert_all(tx, rows.iter().map(progress_active).collect()).await
}

/// Progress notes of one goal, oldest first, if it belongs to the proof's client.
pub async fn progress_of_entry(
    tx: &Tx,
    auth: &Authorized,
    entry: EntryId,
) -> Result<Vec<GoalProgressRow>, StoreError> {
    let Some(m) = meta(tx, entry).await? else {
        return Ok(Vec::new());
    };
    auth.check(m.client_id)?;
    progress_where(
        tx,
        goal_progress::Column::EntryId.eq(entry.as_uuid()),
        auth.client_id(),
    )
    .await
}

/// Progress notes of all goals of a trajectory, oldest first.
pub async fn progress_of_trajectory(
    tx: &Tx,
    auth: &impl ReadProof,
    trajectory: TrajectoryId,
) -> Result<Vec<GoalProgressRow>, StoreError> {
    static Q: Fixed = Fixed::new();
    let (trajectory, client) = (trajectory.as_uuid(), auth.client_id().as_uuid());
    Q.rows(tx, vec![trajectory.into(), client.into()], || {
        progress_select(
            in_trajectory(
                (goal_progress::Entity, goal_progress::Column::EntryId),
                trajectory,
            ),
            client,
        )
        .into_query()
    })
    .await?
    .iter()
    .map(progress_row)
    .collect()
}

/// Column by column through the driver, as `entry_row`.
fn progress_row(r: &sea_orm::QueryResult) -> Result<GoalProgressRow, StoreError> {
    Ok(GoalProgressRow {
        id: columns::column(r, "id")?,
        entry_id: EntryId::from_uuid(columns::column(r, "entry_id")?),
        client_id: ClientId::from_uuid(columns::column(r, "client_id")?),
        progress: columns::column(r, "progress")?,
        note_ct: columns::column(r, "note_ct")?,
        author_id: UserId::from_uuid(columns::column(r, "author_id")?),
        created_at: columns::column(r, "created_at")?,
    })
}

/// Whether the entry named by `entry_id`, a column of the outer query, belongs to the
/// trajectory. Correlated, so a dossier read looks up only the entries of its client's
/// own progress notes or attachments (one primary-key look-up each): an uncorrelated
/// `IN (SELECT ...)` first collected the ids of all the trajectory's entries into a
/// temporary index, on every view.
pub(crate) fn in_trajectory(
    entry_id: impl sea_orm::sea_query::IntoColumnRef,
    trajectory: uuid::Uuid,
) -> sea_orm::sea_query::SimpleExpr {
    Expr::exists(
        Query::select()
            // Not a bound value: a `Fixed` query's placeholders are its callers' values.
            .expr(Expr::cust("1"))
            .from(entries::Entity)
            .and_where(Expr::col((entries::Entity, entries::Column::Id)).equals(entry_id))
            .and_where(Expr::col((entries::Entity, entries::Column::TrajectoryId)).eq(trajectory))
            .to_owned(),
    )
}

/// `column = 'goal'`, the kind written into the statement's text rather than bound: an
/// engine plans a statement before its values are bound, and only a literal lets it see
/// that the partial index of goals (`entries_goals`, m0039) covers the rows asked for.
/// The code is the program's own, never input.
pub(crate) fn is_goal(
    column: impl sea_orm::sea_query::IntoColumnRef,
) -> sea_orm::sea_query::SimpleExpr {
    Expr::col(column).eq(Expr::cust(format!("'{}'", EntryKind::Goal.code())))
}

fn progress_select(
    condition: sea_orm::sea_query::SimpleExpr,
    client: uuid::Uuid,
) -> sea_orm::Select<goal_progress::Entity> {
    goal_progress::Entity::find()
        .filter(condition)
        .filter(goal_progress::Column::ClientId.eq(client))
        .order_by_asc(goal_progress::Column::CreatedAt)
        .order_by_asc(goal_progress::Column::Id)
}

async fn progress_where(
    tx: &Tx,
    condition: sea_orm::sea_query::SimpleExpr,
    client: ClientId,
) -> Result<Vec<GoalProgressRow>, StoreError> {
    let q = progress_select(condition, client.as_uuid()).into_query();
    tx.inner
        .query_all(&q)
        .await?
        .iter()
        .map(progress_row)
        .collect()
}

/// The benchmark's baseline (the "privacy tax" is measured against it): the same rows a
/// dossier read fetches, by plain SQL, with no proof, no audit and no decryption. Only
/// the number of ciphertext bytes leaves, never the rows.
pub async fn plain_read_bytes_for_benchmark(
    tx: &Tx,
    client: ClientId,
    trajectory: TrajectoryId,
) -> Result<usize, StoreError> {
    // The same query as the dossier's read (`list_of_trajectory`), the client condition
    // included: without it PostgreSQL planned a parallel scan whose start-up alone cost
    // more than the whole audited view.
    let q = with_content()
        .and_where(
            Expr::col((entries::Entity, entries::Column::TrajectoryId)).eq(trajectory.as_uuid()),
        )
        .and_where(Expr::col((entries::Entity, entries::Column::ClientId)).eq(client.as_uuid()))
        .order_by((entries::Entity, entries::Column::CreatedAt), Order::Asc)
        .order_by((entries::Entity, entries::Column::Id), Order::Asc)
        .to_owned();
    let mut bytes = 0;
    for r in tx.inner.query_all(&q).await?.iter() {
        bytes += entry_row(r)?.content_ct.len();
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::SqliteQueryBuilder;

    use super::*;

    /// The columns `with_content` selects, in its order, as `entry_row` reads them.
    const ENTRY_COLUMNS: [&str; 11] = [
        "id",
        "trajectory_id",
        "client_id",
        "kind",
        "special_category",
        "necessity_ct",
        "current_version",
        "created_by",
        "created_at",
        "updated_at",
        "content_ct",
    ];

    /// `entry_row` reads by position: a column added to the entity, or moved, must move
    /// its reading too.
    #[test]
    fn entry_columns_are_the_selects_in_order() {
        let selected = with_content().to_string(SqliteQueryBuilder);
        let list = selected
            .strip_prefix("SELECT ")
            .and_then(|s| s.split(" FROM ").next())
            .unwrap();
        let names: Vec<&str> = list
            .split(", ")
            .map(|c| c.rsplit(['.', ' ']).next().unwrap().trim_matches('"'))
            .collect();
        assert_eq!(names, ENTRY_COLUMNS);
    }
}
