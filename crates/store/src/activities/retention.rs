//! The ends of group activities' records (GRP-1, GRP-3): what is past its last day, what
//! reaches it soon (the destruction schedule), and the removal of an activity with all
//! of its rows, or of single photos and video.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::ActivityRow;
use super::entity::{activity, attendance, consent, media, participant, session, tag};
use crate::{StoreError, Tx};

/// A photo or video with its last day, for the sweep and the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaTerm {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub recorded_on: NaiveDate,
    pub keep_until: NaiveDate,
}

/// Activities whose last day is on or before `until`, soonest first.
pub async fn activities_until(tx: &Tx, until: NaiveDate) -> Result<Vec<ActivityRow>, StoreError> {
    Ok(activity::Entity::find()
        .filter(activity::Column::KeepUntil.lte(until))
        .order_by_asc(activity::Column::KeepUntil)
        .order_by_asc(activity::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ActivityRow::from)
        .collect())
}

/// Photos and video whose last day is on or before `until`, soonest first.
pub async fn media_until(tx: &Tx, until: NaiveDate) -> Result<Vec<MediaTerm>, StoreError> {
    Ok(media::Entity::find()
        .filter(media::Column::KeepUntil.lte(until))
        .order_by_asc(media::Column::KeepUntil)
        .order_by_asc(media::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| MediaTerm {
            id: m.id,
            activity_id: m.activity_id,
            recorded_on: m.recorded_on,
            keep_until: m.keep_until,
        })
        .collect())
}

fn count(out: &mut BTreeMap<String, u64>, table: &str, n: u64) {
    if n > 0 {
        *out.entry(table.to_owned()).or_default() += n;
    }
}

/// Removes photos and video with their tags. Rows removed per table.
pub async fn destroy_media(tx: &Tx, ids: &[Uuid]) -> Result<BTreeMap<String, u64>, StoreError> {
    let mut out = BTreeMap::new();
    for chunk in ids.chunks(500) {
        let n = tag::Entity::delete_many()
            .filter(tag::Column::MediaId.is_in(chunk.to_vec()))
            .exec(&tx.inner)
            .await?
            .rows_affected;
        count(&mut out, "activity_media_tags", n);
        let n = media::Entity::delete_many()
            .filter(media::Column::Id.is_in(chunk.to_vec()))
            .exec(&tx.inner)
            .await?
            .rows_affected;
        count(&mut out, "activity_media", n);
    }
    Ok(out)
}

/// Removes an activity with its sessions, attendance, participants, their consents, and
/// its photos and video. Rows removed per table, and the ids of the media whose files
/// go after the commit; empty when the activity was gone already.
pub async fn destroy_activity(
    tx: &Tx,
    id: Uuid,
) -> Result<(BTreeMap<String, u64>, Vec<Uuid>), StoreError> {
    let media_ids: Vec<Uuid> = media::Entity::find()
        .filter(media::Column::ActivityId.eq(id))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    let mut out = destroy_media(tx, &media_ids).await?;
    let sessions: Vec<Uuid> = session::Entity::find()
        .filter(session::Column::ActivityId.eq(id))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    for chunk in sessions.chunks(500) {
        let n = attendance::Entity::delete_many()
            .filter(attendance::Column::SessionId.is_in(chunk.to_vec()))
            .exec(&tx.inner)
            .await?
            .rows_affected;
        count(&mut out, "activity_attendance", n);
    }
    let n = session::Entity::delete_many()
        .filter(session::Column::ActivityId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "activity_sessions", n);
    let participants: Vec<Uuid> = participant::Entity::find()
        .filter(participant::Column::ActivityId.eq(id))
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    for chunk in participants.chunks(500) {
        let n = consent::Entity::delete_many()
            .filter(consent::Column::ParticipantId.is_in(chunk.to_vec()))
            .exec(&tx.inner)
            .await?
            .rows_affected;
        count(&mut out, "participant_media_consents", n);
    }
    let n = participant::Entity::delete_many()
        .filter(participant::Column::ActivityId.eq(id))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "activity_participants", n);
    let n = activity::Entity::delete_by_id(id)
        .exec(&tx.inner)
        .await?
        .rows_affected;
    count(&mut out, "activities", n);
    Ok((out, media_ids))
}
