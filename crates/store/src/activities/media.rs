//! Photos and video of activities (GRP-2, GRP-3): their rows, the participants tagged in
//! them, and their content as files under `data_dir/activity-media/<id>`, sealed by the
//! core with the system key before they are written.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::UserId;

use super::entity::{media, tag};
use crate::rows::micros;
use crate::{Store, StoreError, Tx};

const DIR: &str = "activity-media";

/// A photo or video and the participants tagged in it.
#[derive(Clone, PartialEq, Eq)]
pub struct MediaRow {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub file_name_ct: Vec<u8>,
    pub media_type: String,
    pub size_bytes: i64,
    pub recorded_on: NaiveDate,
    pub keep_until: NaiveDate,
    /// The uploader stated that nobody recognisable is in it.
    pub no_people: bool,
    pub uploaded_by: UserId,
    pub uploaded_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub published_by: Option<UserId>,
    /// Where it was published (a channel the staff member names, no personal data).
    pub publication: Option<String>,
    /// When its use was stopped (a withdrawn consent), and why, as a code.
    pub stopped_at: Option<DateTime<Utc>>,
    pub stopped_reason: Option<String>,
    pub tags: Vec<Uuid>,
}

impl std::fmt::Debug for MediaRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MediaRow({}, ***)", self.id)
    }
}

fn row(m: media::Model, tags: Vec<Uuid>) -> MediaRow {
    MediaRow {
        id: m.id,
        activity_id: m.activity_id,
        file_name_ct: m.file_name_ct,
        media_type: m.media_type,
        size_bytes: m.size_bytes,
        recorded_on: m.recorded_on,
        keep_until: m.keep_until,
        no_people: m.no_people,
        uploaded_by: UserId::from_uuid(m.uploaded_by),
        uploaded_at: m.uploaded_at,
        published_at: m.published_at,
        published_by: m.published_by.map(UserId::from_uuid),
        publication: m.publication,
        stopped_at: m.stopped_at,
        stopped_reason: m.stopped_reason,
        tags,
    }
}

async fn with_tags(tx: &Tx, rows: Vec<media::Model>) -> Result<Vec<MediaRow>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let mut tags: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for t in tag::Entity::find()
            .filter(tag::Column::MediaId.is_in(chunk.to_vec()))
            .all(&tx.inner)
            .await?
        {
            tags.entry(t.media_id).or_default().push(t.participant_id);
        }
    }
    Ok(rows
        .into_iter()
        .map(|m| {
            let mut t = tags.remove(&m.id).unwrap_or_default();
            t.sort();
            row(m, t)
        })
        .collect())
}

pub async fn insert(tx: &Tx, m: &MediaRow) -> Result<(), StoreError> {
    media::Entity::insert(media::ActiveModel {
        id: Set(m.id),
        activity_id: Set(m.activity_id),
        file_name_ct: Set(m.file_name_ct.clone()),
        media_type: Set(m.media_type.clone()),
        size_bytes: Set(m.size_bytes),
        recorded_on: Set(m.recorded_on),
        keep_until: Set(m.keep_until),
        no_people: Set(m.no_people),
        uploaded_by: Set(m.uploaded_by.as_uuid()),
        uploaded_at: Set(micros(m.uploaded_at)),
        published_at: Set(None),
        published_by: Set(None),
        publication: Set(None),
        stopped_at: Set(None),
        stopped_reason: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    insert_tags(tx, m.id, &m.tags).await
}

async fn insert_tags(tx: &Tx, media: Uuid, participants: &[Uuid]) -> Result<(), StoreError> {
    for p in participants {
        tag::Entity::insert(tag::ActiveModel {
            media_id: Set(media),
            participant_id: Set(*p),
        })
        .exec_without_returning(&tx.inner)
        .await?;
    }
    Ok(())
}

/// Replaces who is tagged in a photo or video, and whether nobody recognisable is.
pub async fn set_tags(
    tx: &Tx,
    media_id: Uuid,
    participants: &[Uuid],
    no_people: bool,
) -> Result<(), StoreError> {
    tag::Entity::delete_many()
        .filter(tag::Column::MediaId.eq(media_id))
        .exec(&tx.inner)
        .await?;
    insert_tags(tx, media_id, participants).await?;
    media::Entity::update_many()
        .col_expr(media::Column::NoPeople, Expr::value(no_people))
        .filter(media::Column::Id.eq(media_id))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// An activity's photos and video, in the order they were made.
pub async fn of_activity(tx: &Tx, activity: Uuid) -> Result<Vec<MediaRow>, StoreError> {
    let rows = media::Entity::find()
        .filter(media::Column::ActivityId.eq(activity))
        .order_by_asc(media::Column::RecordedOn)
        .order_by_asc(media::Column::Id)
        .all(&tx.inner)
        .await?;
    with_tags(tx, rows).await
}

pub async fn get(tx: &Tx, id: Uuid) -> Result<Option<MediaRow>, StoreError> {
    let Some(m) = media::Entity::find_by_id(id).one(&tx.inner).await? else {
        return Ok(None);
    };
    Ok(with_tags(tx, vec![m]).await?.pop())
}

/// Records a publication (and clears an earlier stop: it is usable again).
pub async fn publish(
    tx: &Tx,
    id: Uuid,
    by: UserId,
    at: DateTime<Utc>,
    publication: &str,
) -> Result<(), StoreError> {
    media::Entity::update_many()
        .col_expr(media::Column::PublishedAt, Expr::value(Some(micros(at))))
        .col_expr(media::Column::PublishedBy, Expr::value(Some(by.as_uuid())))
        .col_expr(
            media::Column::Publication,
            Expr::value(Some(publication.to_owned())),
        )
        .col_expr(
            media::Column::StoppedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            media::Column::StoppedReason,
            Expr::value(Option::<String>::None),
        )
        .filter(media::Column::Id.eq(id))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// Records that a publication ended (taken down after a stop, or at will): the photo or
/// video is no longer published anywhere. Whether anything changed.
pub async fn unpublish(tx: &Tx, id: Uuid) -> Result<bool, StoreError> {
    Ok(media::Entity::update_many()
        .col_expr(
            media::Column::PublishedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            media::Column::PublishedBy,
            Expr::value(Option::<Uuid>::None),
        )
        .col_expr(
            media::Column::Publication,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            media::Column::StoppedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            media::Column::StoppedReason,
            Expr::value(Option::<String>::None),
        )
        .filter(media::Column::Id.eq(id))
        .filter(media::Column::PublishedAt.is_not_null())
        .exec(&tx.inner)
        .await?
        .rows_affected
        > 0)
}

/// The published photos and video a participant is tagged in whose publication has not
/// been stopped.
pub async fn published_with(tx: &Tx, participant: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let ids: Vec<Uuid> = tag::Entity::find()
        .filter(tag::Column::ParticipantId.eq(participant))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|t| t.media_id)
        .collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            media::Entity::find()
                .filter(media::Column::Id.is_in(chunk.to_vec()))
                .filter(media::Column::PublishedAt.is_not_null())
                .filter(media::Column::StoppedAt.is_null())
                .all(&tx.inner)
                .await?
                .into_iter()
                .map(|m| m.id),
        );
    }
    Ok(out)
}

/// Stops the use of published photos and video (a consent was withdrawn): the screens
/// then ask for them to be taken down wherever they were published.
pub async fn stop(
    tx: &Tx,
    ids: &[Uuid],
    at: DateTime<Utc>,
    reason: &str,
) -> Result<u64, StoreError> {
    let mut n = 0;
    for chunk in ids.chunks(500) {
        n += media::Entity::update_many()
            .col_expr(media::Column::StoppedAt, Expr::value(Some(micros(at))))
            .col_expr(
                media::Column::StoppedReason,
                Expr::value(Some(reason.to_owned())),
            )
            .filter(media::Column::Id.is_in(chunk.to_vec()))
            .filter(media::Column::StoppedAt.is_null())
            .exec(&tx.inner)
            .await?
            .rows_affected;
    }
    Ok(n)
}

fn path(store: &Store, id: Uuid) -> std::path::PathBuf {
    store.data_dir().join(DIR).join(id.to_string())
}

/// Writes a photo's or video's sealed content. Call before committing its row: a file
/// without a row is harmless (the sweep removes it), a row without a file is not.
pub async fn put_file(store: &Store, id: Uuid, bytes: &[u8]) -> Result<(), StoreError> {
    crate::blobs::put_path(&store.data_dir().join(DIR), &path(store, id), bytes).await
}

/// The sealed content; a removed file is [`StoreError::NotFound`].
pub async fn get_file(store: &Store, id: Uuid) -> Result<Vec<u8>, StoreError> {
    match tokio::fs::read(path(store, id)).await {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(StoreError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Removes a file; a missing file is not an error (destruction is idempotent).
pub async fn delete_file(store: &Store, id: Uuid) -> Result<(), StoreError> {
    match tokio::fs::remove_file(path(store, id)).await {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// The ids of the media files last written at least `settled` ago (a younger one may
/// belong to an upload whose row is about to commit). Temporary files are skipped.
pub async fn list_files(
    store: &Store,
    settled: std::time::Duration,
) -> Result<Vec<Uuid>, StoreError> {
    let dir = store.data_dir().join(DIR);
    let now = std::time::SystemTime::now();
    let mut out = Vec::new();
    let mut entries = match tokio::fs::read_dir(&dir).await {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e.into()),
    };
    while let Some(entry) = entries.next_entry().await? {
        let Ok(id) = entry.file_name().to_string_lossy().parse::<Uuid>() else {
            continue;
        };
        let age = now
            .duration_since(entry.metadata().await?.modified()?)
            .unwrap_or_default();
        if age >= settled {
            out.push(id);
        }
    }
    out.sort();
    Ok(out)
}

/// Which of the given media still have their row.
pub async fn existing(
    tx: &Tx,
    ids: &[Uuid],
) -> Result<std::collections::HashSet<Uuid>, StoreError> {
    let mut out = std::collections::HashSet::new();
    for chunk in ids.chunks(500) {
        out.extend(
            media::Entity::find()
                .filter(media::Column::Id.is_in(chunk.to_vec()))
                .all(&tx.inner)
                .await?
                .into_iter()
                .map(|m| m.id),
        );
    }
    Ok(out)
}
