//! Camera images (CAM-1, m0029): the register of cameras, the recorded files found under
//! each camera's folder, and holds for an incident investigation. Metadata only: the
//! images themselves are files the recorder wrote; the core reads one only for a held
//! period, through the gate.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;
use zv_domain::UserId;

use crate::rows::micros;
use crate::{StoreError, Tx, bulk};

mod camera_rows {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cameras")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub code: String,
        pub branch_code: String,
        pub location: String,
        pub created_by: Uuid,
        pub created_at: DateTimeUtc,
        pub retired_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod recording_rows {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "camera_recordings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub camera_id: Uuid,
        pub file_name: String,
        pub recorded_at: DateTimeUtc,
        pub size_bytes: i64,
        pub keep_until: Date,
        pub registered_at: DateTimeUtc,
        pub deleted_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod hold_rows {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "camera_holds")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub camera_id: Uuid,
        pub from_at: DateTimeUtc,
        pub to_at: DateTimeUtc,
        pub incident: String,
        pub placed_by: Uuid,
        pub placed_at: DateTimeUtc,
        pub released_by: Option<Uuid>,
        pub released_at: Option<DateTimeUtc>,
        pub outcome: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A camera in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraRow {
    pub id: Uuid,
    /// The name of its folder under the camera directory.
    pub code: String,
    pub branch_code: String,
    /// Where it hangs ("entree opvang").
    pub location: String,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

impl From<camera_rows::Model> for CameraRow {
    fn from(m: camera_rows::Model) -> Self {
        Self {
            id: m.id,
            code: m.code,
            branch_code: m.branch_code,
            location: m.location,
            created_by: UserId::from_uuid(m.created_by),
            created_at: m.created_at,
            retired_at: m.retired_at,
        }
    }
}

/// A recorded file of a camera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingRow {
    pub id: Uuid,
    pub camera_id: Uuid,
    /// Its path within the camera's folder.
    pub file_name: String,
    pub recorded_at: DateTime<Utc>,
    pub size_bytes: i64,
    /// The last day it is kept under the policy's term.
    pub keep_until: NaiveDate,
    pub registered_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl From<recording_rows::Model> for RecordingRow {
    fn from(m: recording_rows::Model) -> Self {
        Self {
            id: m.id,
            camera_id: m.camera_id,
            file_name: m.file_name,
            recorded_at: m.recorded_at,
            size_bytes: m.size_bytes,
            keep_until: m.keep_until,
            registered_at: m.registered_at,
            deleted_at: m.deleted_at,
        }
    }
}

/// A period of a camera kept for an incident investigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldRow {
    pub id: Uuid,
    pub camera_id: Uuid,
    pub from_at: DateTime<Utc>,
    pub to_at: DateTime<Utc>,
    pub incident: String,
    pub placed_by: UserId,
    pub placed_at: DateTime<Utc>,
    pub released_by: Option<UserId>,
    pub released_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
}

impl From<hold_rows::Model> for HoldRow {
    fn from(m: hold_rows::Model) -> Self {
        Self {
            id: m.id,
            camera_id: m.camera_id,
            from_at: m.from_at,
            to_at: m.to_at,
            incident: m.incident,
            placed_by: UserId::from_uuid(m.placed_by),
            placed_at: m.placed_at,
            released_by: m.released_by.map(UserId::from_uuid),
            released_at: m.released_at,
            outcome: m.outcome,
        }
    }
}

pub async fn insert_camera(tx: &Tx, c: &CameraRow) -> Result<(), StoreError> {
    camera_rows::Entity::insert(camera_rows::ActiveModel {
        id: Set(c.id),
        code: Set(c.code.clone()),
        branch_code: Set(c.branch_code.clone()),
        location: Set(c.location.clone()),
        created_by: Set(c.created_by.as_uuid()),
        created_at: Set(micros(c.created_at)),
        retired_at: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Every camera, by code.
pub async fn cameras(tx: &Tx) -> Result<Vec<CameraRow>, StoreError> {
    Ok(camera_rows::Entity::find()
        .order_by_asc(camera_rows::Column::Code)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(CameraRow::from)
        .collect())
}

pub async fn camera(tx: &Tx, id: Uuid) -> Result<Option<CameraRow>, StoreError> {
    Ok(camera_rows::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(CameraRow::from))
}

/// Whether a camera has this code already.
pub async fn code_taken(tx: &Tx, code: &str) -> Result<bool, StoreError> {
    Ok(camera_rows::Entity::find()
        .filter(camera_rows::Column::Code.eq(code))
        .one(&tx.inner)
        .await?
        .is_some())
}

/// The file names of a camera already in the register (kept or deleted).
pub async fn known_files(tx: &Tx, camera: Uuid) -> Result<HashSet<String>, StoreError> {
    let names: Vec<String> = recording_rows::Entity::find()
        .select_only()
        .column(recording_rows::Column::FileName)
        .filter(recording_rows::Column::CameraId.eq(camera))
        .into_tuple()
        .all(&tx.inner)
        .await?;
    Ok(names.into_iter().collect())
}

pub async fn insert_recordings(tx: &Tx, rows: &[RecordingRow]) -> Result<u64, StoreError> {
    let models = rows
        .iter()
        .map(|r| recording_rows::ActiveModel {
            id: Set(r.id),
            camera_id: Set(r.camera_id),
            file_name: Set(r.file_name.clone()),
            recorded_at: Set(micros(r.recorded_at)),
            size_bytes: Set(r.size_bytes),
            keep_until: Set(r.keep_until),
            registered_at: Set(micros(r.registered_at)),
            deleted_at: Set(None),
        })
        .collect();
    bulk::insert_all(tx, models).await
}

/// A camera's recorded files still on disk, newest first, at most `limit`.
pub async fn recordings_of(
    tx: &Tx,
    camera: Uuid,
    limit: u64,
) -> Result<Vec<RecordingRow>, StoreError> {
    Ok(recording_rows::Entity::find()
        .filter(recording_rows::Column::CameraId.eq(camera))
        .filter(recording_rows::Column::DeletedAt.is_null())
        .order_by_desc(recording_rows::Column::RecordedAt)
        .order_by_desc(recording_rows::Column::Id)
        .limit(limit)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(RecordingRow::from)
        .collect())
}

pub async fn recording(tx: &Tx, id: Uuid) -> Result<Option<RecordingRow>, StoreError> {
    Ok(recording_rows::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(RecordingRow::from))
}

/// An open hold of the recording's camera whose period holds the moment it was recorded.
fn open_hold_covering(camera: Uuid, at: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(hold_rows::Column::CameraId.eq(camera))
        .add(hold_rows::Column::ReleasedAt.is_null())
        .add(hold_rows::Column::FromAt.lte(micros(at)))
        .add(hold_rows::Column::ToAt.gte(micros(at)))
}

/// Whether an open hold keeps this recording (CAM-1: an incident investigation).
pub async fn is_held(tx: &Tx, r: &RecordingRow) -> Result<bool, StoreError> {
    Ok(hold_rows::Entity::find()
        .filter(open_hold_covering(r.camera_id, r.recorded_at))
        .one(&tx.inner)
        .await?
        .is_some())
}

/// A camera's recordings past their last day on `today` and still on disk, held ones
/// included (the caller leaves those).
pub async fn past_term(
    tx: &Tx,
    camera: Uuid,
    today: NaiveDate,
) -> Result<Vec<RecordingRow>, StoreError> {
    Ok(recording_rows::Entity::find()
        .filter(recording_rows::Column::CameraId.eq(camera))
        .filter(recording_rows::Column::DeletedAt.is_null())
        .filter(recording_rows::Column::KeepUntil.lt(today))
        .order_by_asc(recording_rows::Column::RecordedAt)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(RecordingRow::from)
        .collect())
}

/// Marks recordings as deleted (their files are gone).
pub async fn mark_deleted(tx: &Tx, ids: &[Uuid], at: DateTime<Utc>) -> Result<u64, StoreError> {
    let mut n = 0;
    for chunk in ids.chunks(500) {
        n += recording_rows::Entity::update_many()
            .col_expr(
                recording_rows::Column::DeletedAt,
                Expr::value(Some(micros(at))),
            )
            .filter(recording_rows::Column::Id.is_in(chunk.to_vec()))
            .filter(recording_rows::Column::DeletedAt.is_null())
            .exec(&tx.inner)
            .await?
            .rows_affected;
    }
    Ok(n)
}

pub async fn insert_hold(tx: &Tx, h: &HoldRow) -> Result<(), StoreError> {
    hold_rows::Entity::insert(hold_rows::ActiveModel {
        id: Set(h.id),
        camera_id: Set(h.camera_id),
        from_at: Set(micros(h.from_at)),
        to_at: Set(micros(h.to_at)),
        incident: Set(h.incident.clone()),
        placed_by: Set(h.placed_by.as_uuid()),
        placed_at: Set(micros(h.placed_at)),
        released_by: Set(None),
        released_at: Set(None),
        outcome: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

pub async fn hold(tx: &Tx, id: Uuid) -> Result<Option<HoldRow>, StoreError> {
    Ok(hold_rows::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(HoldRow::from))
}

/// A camera's holds, open ones first, each newest first.
pub async fn holds_of(tx: &Tx, camera: Uuid) -> Result<Vec<HoldRow>, StoreError> {
    let mut rows: Vec<HoldRow> = hold_rows::Entity::find()
        .filter(hold_rows::Column::CameraId.eq(camera))
        .order_by_desc(hold_rows::Column::PlacedAt)
        .order_by_desc(hold_rows::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(HoldRow::from)
        .collect();
    rows.sort_by_key(|h| h.released_at.is_some());
    Ok(rows)
}

/// Releases an open hold with the incident's outcome; `false` when it was released
/// already.
pub async fn release_hold(
    tx: &Tx,
    id: Uuid,
    by: UserId,
    at: DateTime<Utc>,
    outcome: &str,
) -> Result<bool, StoreError> {
    Ok(hold_rows::Entity::update_many()
        .col_expr(hold_rows::Column::ReleasedBy, Expr::value(by.as_uuid()))
        .col_expr(hold_rows::Column::ReleasedAt, Expr::value(micros(at)))
        .col_expr(hold_rows::Column::Outcome, Expr::value(outcome))
        .filter(hold_rows::Column::Id.eq(id))
        .filter(hold_rows::Column::ReleasedAt.is_null())
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}
