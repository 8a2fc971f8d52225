//! Access copies of rights requests (RTS-4, TRN-1) and the work notes (DOS-2) the privacy
//! officer releases into them. A copy's bundle is ciphertext under the client's key and
//! is handed out only with a proof for that client; the download link is kept as a hash.
//! Counts, dates and ids are not personal content and need no proof.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder,
    QueryResult,
};
use uuid::Uuid;
use zv_domain::{ClientId, PortalAccountId, TrajectoryId, UserId, WorkNoteId};

use crate::downloads::{self, HeldRow, HeldTable};
use crate::rows::micros;
use crate::{Authorized, StoreError, Tx, WorkNoteRow};

mod copies {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "access_copies")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub request_id: Uuid,
        pub client_id: Uuid,
        pub portal_account_id: Option<Uuid>,
        pub copy_number: i64,
        pub prepared_by: Uuid,
        pub prepared_at: DateTimeUtc,
        pub available_until: DateTimeUtc,
        pub bundle_ct: Option<Vec<u8>>,
        pub size_bytes: i64,
        pub link_hash: Option<Vec<u8>>,
        pub link_expires_at: Option<DateTimeUtc>,
        pub downloaded_at: Option<DateTimeUtc>,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod releases {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "access_copy_note_releases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub request_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub work_note_id: Uuid,
        pub client_id: Uuid,
        pub reason_ct: Vec<u8>,
        pub released_by: Uuid,
        pub released_at: DateTimeUtc,
    }
    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A prepared copy, without its bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessCopyRow {
    pub id: Uuid,
    pub request_id: Uuid,
    pub client_id: ClientId,
    /// The portal account that may download it: the one that filed the request.
    pub portal_account: Option<PortalAccountId>,
    /// Which copy this is for the client (the first is free).
    pub copy_number: i64,
    pub prepared_by: UserId,
    pub prepared_at: DateTime<Utc>,
    pub available_until: DateTime<Utc>,
    /// Whether the bundle is still held (not yet downloaded, not expired and erased).
    pub held: bool,
    pub size_bytes: i64,
    pub link_expires_at: Option<DateTime<Utc>>,
    pub downloaded_at: Option<DateTime<Utc>>,
}

impl HeldRow for AccessCopyRow {
    const TABLE: HeldTable = HeldTable::AccessCopies;

    fn from_result(r: &QueryResult) -> Result<Self, DbErr> {
        copies::Model::from_query_result(r, "").map(Self::from)
    }
}

impl From<copies::Model> for AccessCopyRow {
    fn from(m: copies::Model) -> Self {
        Self {
            id: m.id,
            request_id: m.request_id,
            client_id: ClientId::from_uuid(m.client_id),
            portal_account: m.portal_account_id.map(PortalAccountId::from_uuid),
            copy_number: m.copy_number,
            prepared_by: UserId::from_uuid(m.prepared_by),
            prepared_at: m.prepared_at,
            available_until: m.available_until,
            held: m.bundle_ct.is_some(),
            size_bytes: m.size_bytes,
            link_expires_at: m.link_expires_at,
            downloaded_at: m.downloaded_at,
        }
    }
}

/// A new copy to hold until it is downloaded.
pub struct NewAccessCopy {
    pub id: Uuid,
    pub request_id: Uuid,
    pub client_id: ClientId,
    pub portal_account: Option<PortalAccountId>,
    pub copy_number: i64,
    pub prepared_by: UserId,
    pub prepared_at: DateTime<Utc>,
    pub available_until: DateTime<Utc>,
    pub bundle_ct: Vec<u8>,
}

impl std::fmt::Debug for NewAccessCopy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewAccessCopy({}, ***)", self.id)
    }
}

/// A work note released into the copy of a request.
#[derive(Clone, PartialEq, Eq)]
pub struct NoteReleaseRow {
    pub request_id: Uuid,
    pub work_note_id: WorkNoteId,
    pub client_id: ClientId,
    pub reason_ct: Vec<u8>,
    pub released_by: UserId,
    pub released_at: DateTime<Utc>,
}

impl std::fmt::Debug for NoteReleaseRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NoteReleaseRow({}, ***)", self.work_note_id)
    }
}

pub async fn insert(tx: &Tx, c: NewAccessCopy) -> Result<(), StoreError> {
    let size = i64::try_from(c.bundle_ct.len()).unwrap_or(i64::MAX);
    copies::Entity::insert(copies::ActiveModel {
        id: Set(c.id),
        request_id: Set(c.request_id),
        client_id: Set(c.client_id.as_uuid()),
        portal_account_id: Set(c.portal_account.map(|a| a.as_uuid())),
        copy_number: Set(c.copy_number),
        prepared_by: Set(c.prepared_by.as_uuid()),
        prepared_at: Set(micros(c.prepared_at)),
        available_until: Set(micros(c.available_until)),
        bundle_ct: Set(Some(c.bundle_ct)),
        size_bytes: Set(size),
        link_hash: Set(None),
        link_expires_at: Set(None),
        downloaded_at: Set(None),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// How many copies were prepared for a client so far (the first is free).
pub async fn count_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    Ok(copies::Entity::find()
        .filter(copies::Column::ClientId.eq(client.as_uuid()))
        .count(&tx.inner)
        .await?)
}

/// How many copies a client has actually received (downloaded).
pub async fn delivered_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    Ok(copies::Entity::find()
        .filter(copies::Column::ClientId.eq(client.as_uuid()))
        .filter(copies::Column::DownloadedAt.is_not_null())
        .count(&tx.inner)
        .await?)
}

/// The copies of a request, newest first.
pub async fn of_request(tx: &Tx, request: Uuid) -> Result<Vec<AccessCopyRow>, StoreError> {
    Ok(copies::Entity::find()
        .filter(copies::Column::RequestId.eq(request))
        .order_by_desc(copies::Column::PreparedAt)
        .order_by_desc(copies::Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(AccessCopyRow::from)
        .collect())
}

/// Erases the bundles of copies not downloaded in time; returns how many.
pub async fn erase_expired(tx: &Tx, now: DateTime<Utc>) -> Result<u64, StoreError> {
    downloads::erase_expired(tx, HeldTable::AccessCopies, now).await
}

/// Releases a work note into a request's copy (DOS-2); releasing it again replaces the
/// reason.
pub async fn release_note(tx: &Tx, r: &NoteReleaseRow) -> Result<(), StoreError> {
    releases::Entity::delete_many()
        .filter(releases::Column::RequestId.eq(r.request_id))
        .filter(releases::Column::WorkNoteId.eq(r.work_note_id.as_uuid()))
        .exec(&tx.inner)
        .await?;
    releases::Entity::insert(releases::ActiveModel {
        request_id: Set(r.request_id),
        work_note_id: Set(r.work_note_id.as_uuid()),
        client_id: Set(r.client_id.as_uuid()),
        reason_ct: Set(r.reason_ct.clone()),
        released_by: Set(r.released_by.as_uuid()),
        released_at: Set(micros(r.released_at)),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}

/// Withdraws a release: the note is out of the copy again.
pub async fn withdraw_release(tx: &Tx, request: Uuid, note: WorkNoteId) -> Result<u64, StoreError> {
    Ok(releases::Entity::delete_many()
        .filter(releases::Column::RequestId.eq(request))
        .filter(releases::Column::WorkNoteId.eq(note.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected)
}

/// The releases of a request, with their sealed reasons, for the proof's client.
pub async fn releases_of_request(
    tx: &Tx,
    auth: &Authorized,
    request: Uuid,
) -> Result<Vec<NoteReleaseRow>, StoreError> {
    Ok(releases::Entity::find()
        .filter(releases::Column::RequestId.eq(request))
        .filter(releases::Column::ClientId.eq(auth.client_id().as_uuid()))
        .order_by_asc(releases::Column::ReleasedAt)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(|m| NoteReleaseRow {
            request_id: m.request_id,
            work_note_id: WorkNoteId::from_uuid(m.work_note_id),
            client_id: ClientId::from_uuid(m.client_id),
            reason_ct: m.reason_ct,
            released_by: UserId::from_uuid(m.released_by),
            released_at: m.released_at,
        })
        .collect())
}

/// Every work note of the proof's client on the given trajectories, whoever wrote it,
/// oldest first: for the privacy officer's decision per note on an access request (the
/// courts have ordered work notes given unless others' rights oppose). Nothing else
/// reads another author's notes.
pub async fn work_notes_for_request(
    tx: &Tx,
    auth: &Authorized,
    trajectories: &[TrajectoryId],
) -> Result<Vec<WorkNoteRow>, StoreError> {
    use crate::entity::work_notes::{Column, Entity};
    if trajectories.is_empty() {
        return Ok(Vec::new());
    }
    Ok(Entity::find()
        .filter(Column::ClientId.eq(auth.client_id().as_uuid()))
        .filter(Column::TrajectoryId.is_in(trajectories.iter().map(|t| t.as_uuid())))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(&tx.inner)
        .await?
        .into_iter()
        .map(WorkNoteRow::from)
        .collect())
}

/// Removes a client's copies and releases (destruction, RET-4).
pub async fn delete_of_client(tx: &Tx, client: ClientId) -> Result<u64, StoreError> {
    let a = copies::Entity::delete_many()
        .filter(copies::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    let b = releases::Entity::delete_many()
        .filter(releases::Column::ClientId.eq(client.as_uuid()))
        .exec(&tx.inner)
        .await?
        .rows_affected;
    Ok(a + b)
}
