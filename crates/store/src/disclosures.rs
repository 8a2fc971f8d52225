//! Disclosures (SHR-1, SHR-4): what left the organisation, to whom, on which ground, and
//! whether the client was told. The package and the reasons are ciphertext sealed with
//! the client's key and leave only with an [`Authorized`] proof; the register's columns
//! (recipient, ground, law, dates, counts, notice state) carry no personal content, so
//! the privacy officer's queue of notices due is read without opening any dossier.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;
use zv_domain::{ClientId, TrajectoryId, UserId};

use crate::rows::micros;
use crate::{Authorized, StoreError, Tx};

mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "disclosures")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub client_id: Uuid,
        pub trajectory_id: Uuid,
        pub recipient_id: Uuid,
        pub ground: String,
        pub consent_id: Option<Uuid>,
        pub law: Option<String>,
        pub reason_ct: Option<Vec<u8>>,
        pub package_ct: Vec<u8>,
        pub entry_count: i64,
        pub with_summary: i64,
        pub disclosed_on: Date,
        pub recorded_by: Uuid,
        pub recorded_at: DateTimeUtc,
        pub client_notice: String,
        pub notice_given_on: Option<Date>,
        pub notice_channel: Option<String>,
        pub notice_by: Option<Uuid>,
        pub safety_reason_ct: Option<Vec<u8>>,
        pub safety_reviewed_by: Option<Uuid>,
        pub safety_reviewed_at: Option<DateTimeUtc>,
        pub safety_review: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A disclosure as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct DisclosureRow {
    pub id: Uuid,
    pub client_id: ClientId,
    pub trajectory_id: TrajectoryId,
    pub recipient_id: Uuid,
    pub ground: String,
    pub consent_id: Option<Uuid>,
    pub law: Option<String>,
    pub reason_ct: Option<Vec<u8>>,
    pub package_ct: Vec<u8>,
    pub entry_count: i64,
    pub with_summary: bool,
    pub disclosed_on: NaiveDate,
    pub recorded_by: UserId,
    pub recorded_at: DateTime<Utc>,
    pub client_notice: String,
    pub notice_given_on: Option<NaiveDate>,
    pub notice_channel: Option<String>,
    pub notice_by: Option<UserId>,
    pub safety_reason_ct: Option<Vec<u8>>,
    pub safety_reviewed_by: Option<UserId>,
    pub safety_reviewed_at: Option<DateTime<Utc>>,
    pub safety_review: Option<String>,
}

impl std::fmt::Debug for DisclosureRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DisclosureRow({}, {}, ***)", self.id, self.ground)
    }
}

impl From<entity::Model> for DisclosureRow {
    fn from(m: entity::Model) -> Self {
        Self {
            id: m.id,
            client_id: ClientId::from_uuid(m.client_id),
            trajectory_id: TrajectoryId::from_uuid(m.trajectory_id),
            recipient_id: m.recipient_id,
            ground: m.ground,
            consent_id: m.consent_id,
            law: m.law,
            reason_ct: m.reason_ct,
            package_ct: m.package_ct,
            entry_count: m.entry_count,
            with_summary: m.with_summary != 0,
            disclosed_on: m.disclosed_on,
            recorded_by: UserId::from_uuid(m.recorded_by),
            recorded_at: m.recorded_at,
            client_notice: m.client_notice,
            notice_given_on: m.notice_given_on,
            notice_channel: m.notice_channel,
            notice_by: m.notice_by.map(UserId::from_uuid),
            safety_reason_ct: m.safety_reason_ct,
            safety_reviewed_by: m.safety_reviewed_by.map(UserId::from_uuid),
            safety_reviewed_at: m.safety_reviewed_at,
            safety_review: m.safety_review,
        }
    }
}

pub async fn insert(tx: &Tx, d: &DisclosureRow) -> Result<(), StoreError> {
    entity::Entity::insert(entity::ActiveModel {
        id: Set(d.id),
        client_id: Set(d.client_id.as_uuid()),
        trajectory_id: Set(d.trajectory_id.as_uuid()),
        recipient_id: Set(d.recipient_id),
        ground: Set(d.ground.clone()),
        consent_id: Set(d.consent_id),
        law: Set(d.law.clone()),
        reason_ct: Set(d.reason_ct.clone()),
        package_ct: Set(d.package_ct.clone()),
        entry_count: Set(d.entry_count),
        with_summary: Set(i64::from(d.with_summary)),
        disclosed_on: Set(d.disclosed_on),
        recorded_by: Set(d.recorded_by.as_uuid()),
        recorded_at: Set(micros(d.recorded_at)),
        client_notice: Set(d.client_notice.clone()),
        notice_given_on: Set(d.notice_given_on),
        notice_channel: Set(d.notice_channel.clone()),
        notice_by: Set(d.notice_by.map(|u| u.as_uuid())),
        safety_reason_ct: Set(d.safety_reason_ct.clone()),
        safety_reviewed_by: Set(None),
        safety_reviewed_at: Set(None),
        safety_review: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// A disclosure with its sealed parts, on a proof for its client.
pub async fn get(
    tx: &Tx,
    auth: &Authorized,
    id: Uuid,
) -> Result<Option<DisclosureRow>, StoreError> {
    let row = entity::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(DisclosureRow::from);
    if let Some(r) = &row {
        auth.check(r.client_id)?;
    }
    Ok(row)
}

/// Whose disclosure it is, and of which trajectory, before anyone is authorized to read
/// it: the gate needs both to decide.
pub async fn subject_of(tx: &Tx, id: Uuid) -> Result<Option<(ClientId, TrajectoryId)>, StoreError> {
    Ok(entity::Entity::find_by_id(id)
        .one(&tx.inner)
        .await?
        .map(|m| {
            (
                ClientId::from_uuid(m.client_id),
                TrajectoryId::from_uuid(m.trajectory_id),
            )
        }))
}

/// A client's disclosures, newest first.
pub async fn of_client(
    tx: &Tx,
    auth: &Authorized,
    client: ClientId,
) -> Result<Vec<DisclosureRow>, StoreError> {
    auth.check(client)?;
    Ok(entity::Entity::find()
        .filter(entity::Column::ClientId.eq(client.as_uuid()))
        .order_by_desc(entity::Column::DisclosedOn)
        .order_by_desc(entity::Column::RecordedAt)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(DisclosureRow::from)
        .collect())
}

/// The register's view for the privacy officer's queue: disclosures whose notice to the
/// client is due, or whose safety reason awaits review. Content columns are dropped.
pub async fn awaiting_privacy_officer(tx: &Tx) -> Result<Vec<DisclosureRow>, StoreError> {
    Ok(entity::Entity::find()
        .filter(
            entity::Column::ClientNotice
                .eq("due")
                .or(entity::Column::ClientNotice
                    .eq("withheld_for_safety")
                    .and(entity::Column::SafetyReview.is_null())),
        )
        .order_by_asc(entity::Column::DisclosedOn)
        .order_by_asc(entity::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| DisclosureRow {
            package_ct: Vec::new(),
            reason_ct: None,
            safety_reason_ct: None,
            ..DisclosureRow::from(m)
        })
        .collect())
}

/// The ids of a client's disclosures that no safety reason keeps from them (SHR-4): ids
/// only, so the client's access log can leave out the events of the others.
pub async fn shown_ids_of_client(tx: &Tx, client: ClientId) -> Result<Vec<Uuid>, StoreError> {
    Ok(entity::Entity::find()
        .select_only()
        .column(entity::Column::Id)
        .filter(entity::Column::ClientId.eq(client.as_uuid()))
        .filter(entity::Column::ClientNotice.ne("withheld_for_safety"))
        .into_tuple::<Uuid>()
        .all(&tx.inner)
        .await?)
}

/// Records that the client was told (SHR-4). Only a notice still due changes.
pub async fn record_notice(
    tx: &Tx,
    id: Uuid,
    on: NaiveDate,
    channel: &str,
    by: UserId,
) -> Result<bool, StoreError> {
    let res = entity::Entity::update_many()
        .col_expr(entity::Column::ClientNotice, "given".into())
        .col_expr(entity::Column::NoticeGivenOn, Some(on).into())
        .col_expr(
            entity::Column::NoticeChannel,
            Some(channel.to_owned()).into(),
        )
        .col_expr(entity::Column::NoticeBy, Some(by.as_uuid()).into())
        .filter(entity::Column::Id.eq(id))
        .filter(entity::Column::ClientNotice.eq("due"))
        .exec(&tx.inner)
        .await?;
    Ok(res.rows_affected == 1)
}

/// The privacy officer's review of a safety reason: upheld keeps the client uninformed;
/// overruled makes the notice due.
pub async fn review_safety(
    tx: &Tx,
    id: Uuid,
    upheld: bool,
    by: UserId,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut q = entity::Entity::update_many()
        .col_expr(
            entity::Column::SafetyReview,
            Some(if upheld { "upheld" } else { "overruled" }.to_owned()).into(),
        )
        .col_expr(entity::Column::SafetyReviewedBy, Some(by.as_uuid()).into())
        .col_expr(entity::Column::SafetyReviewedAt, Some(micros(at)).into());
    if !upheld {
        q = q.col_expr(entity::Column::ClientNotice, "due".into());
    }
    let res = q
        .filter(entity::Column::Id.eq(id))
        .filter(entity::Column::ClientNotice.eq("withheld_for_safety"))
        .filter(entity::Column::SafetyReview.is_null())
        .exec(&tx.inner)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Destruction: the record of what left goes with the client (RET-4); the destruction
/// log keeps that it existed.
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    Ok(entity::Entity::delete_many()
        .filter(entity::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// Erasure of one trajectory: its disclosures go with it.
pub async fn delete_of_trajectory(tx: &Tx, trajectory: TrajectoryId) -> Result<u64, StoreError> {
    Ok(entity::Entity::delete_many()
        .filter(entity::Column::TrajectoryId.eq(trajectory.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}
