//! Group activities, their sessions, participants, attendance and the participants'
//! written consents for photos and video (GRP-1, GRP-2, m0030). Participants need not be
//! clients: no client's proof covers them, so the core's gate decides and records every
//! access before it calls these functions; their fields are sealed by the core.

mod entity;
pub mod media;
pub mod retention;

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;
use zv_domain::UserId;

use self::entity::{activity, attendance, consent, participant, session};
use crate::rows::micros;
use crate::{StoreError, Tx};

/// An activity, course or workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    pub id: Uuid,
    pub branch_code: String,
    pub team_code: String,
    pub kind: String,
    pub title: String,
    pub location: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub photos: bool,
    pub photo_notice_on: Option<NaiveDate>,
    pub photo_notice_how: Option<String>,
    pub keep_until: NaiveDate,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

impl From<activity::Model> for ActivityRow {
    fn from(m: activity::Model) -> Self {
        Self {
            id: m.id,
            branch_code: m.branch_code,
            team_code: m.team_code,
            kind: m.kind,
            title: m.title,
            location: m.location,
            starts_on: m.starts_on,
            ends_on: m.ends_on,
            photos: m.photos,
            photo_notice_on: m.photo_notice_on,
            photo_notice_how: m.photo_notice_how,
            keep_until: m.keep_until,
            created_by: UserId::from_uuid(m.created_by),
            created_at: m.created_at,
        }
    }
}

/// A day the activity meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRow {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub held_on: NaiveDate,
}

/// A participant: exactly the six fields of GRP-1, sealed, and the opt-out of GRP-2.
#[derive(Clone, PartialEq, Eq)]
pub struct ParticipantRow {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub name_ct: Vec<u8>,
    pub address_ct: Vec<u8>,
    pub birth_date_ct: Vec<u8>,
    pub gender_ct: Vec<u8>,
    pub phone_ct: Vec<u8>,
    pub email_ct: Vec<u8>,
    pub photo_opt_out: bool,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for ParticipantRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ParticipantRow({}, ***)", self.id)
    }
}

impl From<participant::Model> for ParticipantRow {
    fn from(m: participant::Model) -> Self {
        Self {
            id: m.id,
            activity_id: m.activity_id,
            name_ct: m.name_ct,
            address_ct: m.address_ct,
            birth_date_ct: m.birth_date_ct,
            gender_ct: m.gender_ct,
            phone_ct: m.phone_ct,
            email_ct: m.email_ct,
            photo_opt_out: m.photo_opt_out,
            created_by: UserId::from_uuid(m.created_by),
            created_at: m.created_at,
        }
    }
}

/// A written consent for one use of photos and video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRow {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub use_code: String,
    pub signed_on: NaiveDate,
    pub signed_by: String,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_by: Option<UserId>,
}

impl From<consent::Model> for ConsentRow {
    fn from(m: consent::Model) -> Self {
        Self {
            id: m.id,
            participant_id: m.participant_id,
            use_code: m.use_code,
            signed_on: m.signed_on,
            signed_by: m.signed_by,
            recorded_by: UserId::from_uuid(m.recorded_by),
            recorded_at: m.recorded_at,
            withdrawn_at: m.withdrawn_at,
            withdrawn_by: m.withdrawn_by.map(UserId::from_uuid),
        }
    }
}

fn activity_model(a: &ActivityRow) -> activity::ActiveModel {
    activity::ActiveModel {
        id: Set(a.id),
        branch_code: Set(a.branch_code.clone()),
        team_code: Set(a.team_code.clone()),
        kind: Set(a.kind.clone()),
        title: Set(a.title.clone()),
        location: Set(a.location.clone()),
        starts_on: Set(a.starts_on),
        ends_on: Set(a.ends_on),
        photos: Set(a.photos),
        photo_notice_on: Set(a.photo_notice_on),
        photo_notice_how: Set(a.photo_notice_how.clone()),
        keep_until: Set(a.keep_until),
        created_by: Set(a.created_by.as_uuid()),
        created_at: Set(micros(a.created_at)),
    }
}

pub async fn insert_activity(tx: &Tx, a: &ActivityRow) -> Result<(), StoreError> {
    activity::Entity::insert(activity_model(a))
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

/// Writes an activity's changed fields (dates, title, photos, the notice, its term).
pub async fn update_activity(tx: &Tx, a: &ActivityRow) -> Result<(), StoreError> {
    activity::Entity::update(activity_model(a))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// The activities of the given teams (all when `None`), latest first.
pub async fn activities(tx: &Tx, teams: Option<&[String]>) -> Result<Vec<ActivityRow>, StoreError> {
    let mut q = activity::Entity::find();
    if let Some(teams) = teams {
        q = q.filter(activity::Column::TeamCode.is_in(teams.to_vec()));
    }
    Ok(q.order_by_desc(activity::Column::StartsOn)
        .order_by_asc(activity::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ActivityRow::from)
        .collect())
}

pub async fn activity(tx: &Tx, id: Uuid) -> Result<Option<ActivityRow>, StoreError> {
    Ok(activity::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(ActivityRow::from))
}

pub async fn insert_session(tx: &Tx, s: &SessionRow) -> Result<(), StoreError> {
    session::Entity::insert(session::ActiveModel {
        id: Set(s.id),
        activity_id: Set(s.activity_id),
        held_on: Set(s.held_on),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The days an activity meets, in order.
pub async fn sessions_of(tx: &Tx, activity: Uuid) -> Result<Vec<SessionRow>, StoreError> {
    Ok(session::Entity::find()
        .filter(session::Column::ActivityId.eq(activity))
        .order_by_asc(session::Column::HeldOn)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| SessionRow {
            id: m.id,
            activity_id: m.activity_id,
            held_on: m.held_on,
        })
        .collect())
}

pub async fn session(tx: &Tx, id: Uuid) -> Result<Option<SessionRow>, StoreError> {
    Ok(session::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(|m| SessionRow {
            id: m.id,
            activity_id: m.activity_id,
            held_on: m.held_on,
        }))
}

/// Replaces who was present at a session.
pub async fn set_attendance(
    tx: &Tx,
    session: Uuid,
    present: &[Uuid],
    by: UserId,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    attendance::Entity::delete_many()
        .filter(attendance::Column::SessionId.eq(session))
        .exec(&tx.inner)
        .await?;
    for p in present {
        attendance::Entity::insert(attendance::ActiveModel {
            session_id: Set(session),
            participant_id: Set(*p),
            recorded_by: Set(by.as_uuid()),
            recorded_at: Set(micros(at)),
        })
        .exec_without_returning(&tx.inner)
        .await?;
    }
    Ok(())
}

/// Who was present at which of the given sessions: (session, participant).
pub async fn attendance_of(
    tx: &Tx,
    sessions: &[Uuid],
) -> Result<HashSet<(Uuid, Uuid)>, StoreError> {
    let mut out = HashSet::new();
    for chunk in sessions.chunks(500) {
        for a in attendance::Entity::find()
            .filter(attendance::Column::SessionId.is_in(chunk.to_vec()))
            .all(&tx.inner)
            .await?
        {
            out.insert((a.session_id, a.participant_id));
        }
    }
    Ok(out)
}

fn participant_model(p: &ParticipantRow) -> participant::ActiveModel {
    participant::ActiveModel {
        id: Set(p.id),
        activity_id: Set(p.activity_id),
        name_ct: Set(p.name_ct.clone()),
        address_ct: Set(p.address_ct.clone()),
        birth_date_ct: Set(p.birth_date_ct.clone()),
        gender_ct: Set(p.gender_ct.clone()),
        phone_ct: Set(p.phone_ct.clone()),
        email_ct: Set(p.email_ct.clone()),
        photo_opt_out: Set(p.photo_opt_out),
        created_by: Set(p.created_by.as_uuid()),
        created_at: Set(micros(p.created_at)),
    }
}

pub async fn insert_participant(tx: &Tx, p: &ParticipantRow) -> Result<(), StoreError> {
    participant::Entity::insert(participant_model(p))
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

/// Writes a participant's six fields and opt-out as given.
pub async fn update_participant(tx: &Tx, p: &ParticipantRow) -> Result<(), StoreError> {
    participant::Entity::update(participant_model(p))
        .exec(&tx.inner)
        .await?;
    Ok(())
}

/// An activity's participants, in the order they were registered.
pub async fn participants_of(tx: &Tx, activity: Uuid) -> Result<Vec<ParticipantRow>, StoreError> {
    Ok(participant::Entity::find()
        .filter(participant::Column::ActivityId.eq(activity))
        .order_by_asc(participant::Column::CreatedAt)
        .order_by_asc(participant::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ParticipantRow::from)
        .collect())
}

pub async fn participant(tx: &Tx, id: Uuid) -> Result<Option<ParticipantRow>, StoreError> {
    Ok(participant::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(ParticipantRow::from))
}

pub async fn insert_consent(tx: &Tx, c: &ConsentRow) -> Result<(), StoreError> {
    consent::Entity::insert(consent::ActiveModel {
        id: Set(c.id),
        participant_id: Set(c.participant_id),
        use_code: Set(c.use_code.clone()),
        signed_on: Set(c.signed_on),
        signed_by: Set(c.signed_by.clone()),
        recorded_by: Set(c.recorded_by.as_uuid()),
        recorded_at: Set(micros(c.recorded_at)),
        withdrawn_at: Set(c.withdrawn_at.map(micros)),
        withdrawn_by: Set(c.withdrawn_by.map(|u| u.as_uuid())),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// The consents of the given participants, withdrawn ones included, oldest first.
pub async fn consents_of(tx: &Tx, participants: &[Uuid]) -> Result<Vec<ConsentRow>, StoreError> {
    let mut out = Vec::new();
    for chunk in participants.chunks(500) {
        out.extend(
            consent::Entity::find()
                .filter(consent::Column::ParticipantId.is_in(chunk.to_vec()))
                .order_by_asc(consent::Column::RecordedAt)
                .order_by_asc(consent::Column::Id)
                .all(&tx.inner)
                .await?
                .into_iter()
                .map(ConsentRow::from),
        );
    }
    Ok(out)
}

pub async fn consent(tx: &Tx, id: Uuid) -> Result<Option<ConsentRow>, StoreError> {
    Ok(consent::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(ConsentRow::from))
}

/// Withdraws the participant's consents in force (all uses, or one), returning those
/// withdrawn now.
pub async fn withdraw_consents(
    tx: &Tx,
    participant: Uuid,
    use_code: Option<&str>,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<Vec<ConsentRow>, StoreError> {
    let mut q = consent::Entity::find()
        .filter(consent::Column::ParticipantId.eq(participant))
        .filter(consent::Column::WithdrawnAt.is_null());
    if let Some(u) = use_code {
        q = q.filter(consent::Column::UseCode.eq(u));
    }
    let going: Vec<ConsentRow> = q
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(ConsentRow::from)
        .collect();
    if going.is_empty() {
        return Ok(going);
    }
    consent::Entity::update_many()
        .col_expr(consent::Column::WithdrawnAt, Expr::value(Some(micros(at))))
        .col_expr(
            consent::Column::WithdrawnBy,
            Expr::value(Some(by.as_uuid())),
        )
        .filter(consent::Column::Id.is_in(going.iter().map(|c| c.id).collect::<Vec<_>>()))
        .exec(&tx.inner)
        .await?;
    Ok(going)
}
